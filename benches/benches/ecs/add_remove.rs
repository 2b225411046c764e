//! `ecs/add_remove`: 10,000 entities with `A`; give each a `B`, then take every `B` away.
//! Archetype ECSs move the entity between tables twice; sparse sets touch `B`'s pool only.

use crate::components::{N, components};
use criterion::Criterion;
use playground_ecs_view::{Entity, World};
use specs::{Builder, WorldExt};

components!(VecStorage: A(f32) = "bench.add_remove.A", B(f32) = "bench.add_remove.B");

pub fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/add_remove");

    let mut world = World::new();
    let entities: Vec<Entity> = world.spawn_batch((0..N).map(|_| (A(0.0),)));
    g.bench_function("playground", |b| {
        b.iter(|| {
            for &e in &entities {
                world.insert(e, B(0.0)).unwrap();
            }
            for &e in &entities {
                world.remove::<B>(e).unwrap();
            }
        })
    });
    // The batch form: the pool found once for all entities.
    g.bench_function("playground_writer", |b| {
        b.iter(|| {
            let mut writer = world.writer::<B>();
            for &e in &entities {
                writer.insert(e, B(0.0)).unwrap();
            }
            for &e in &entities {
                writer.remove(e).unwrap();
            }
        })
    });

    let mut bevy = bevy_ecs::world::World::new();
    let bevy_entities: Vec<_> = bevy.spawn_batch((0..N).map(|_| (A(0.0),))).collect();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            for &e in &bevy_entities {
                bevy.entity_mut(e).insert(B(0.0));
            }
            for &e in &bevy_entities {
                bevy.entity_mut(e).remove::<B>();
            }
        })
    });

    let mut hecs = hecs::World::new();
    let hecs_entities: Vec<_> = hecs.spawn_batch((0..N).map(|_| (A(0.0),))).collect();
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for &e in &hecs_entities {
                hecs.insert_one(e, B(0.0)).unwrap();
            }
            for &e in &hecs_entities {
                hecs.remove_one::<B>(e).unwrap();
            }
        })
    });

    let mut legion = legion::World::default();
    let legion_entities = legion.extend((0..N).map(|_| (A(0.0),))).to_vec();
    g.bench_function("legion", |b| {
        b.iter(|| {
            for &e in &legion_entities {
                legion.entry(e).unwrap().add_component(B(0.0));
            }
            for &e in &legion_entities {
                legion.entry(e).unwrap().remove_component::<B>();
            }
        })
    });

    let mut ship = shipyard::World::new();
    let ship_entities: Vec<_> = ship.bulk_add_entity((0..N).map(|_| (A(0.0),))).collect();
    g.bench_function("shipyard", |b| {
        use shipyard::{EntitiesViewMut, Remove, ViewMut};
        b.iter(|| {
            ship.run(|entities: EntitiesViewMut, mut vb: ViewMut<B>| {
                for &e in &ship_entities {
                    entities.add_component(e, &mut vb, B(0.0));
                }
            });
            ship.run(|mut vb: ViewMut<B>| {
                for &e in &ship_entities {
                    vb.remove(e);
                }
            });
        })
    });

    let mut sparsey = sparsey::World::builder()
        .register::<A>()
        .register::<B>()
        .build();
    let sparsey_entities = sparsey.extend((0..N).map(|_| (A(0.0),))).to_vec();
    g.bench_function("sparsey", |b| {
        b.iter(|| {
            for &e in &sparsey_entities {
                sparsey.insert(e, (B(0.0),));
            }
            for &e in &sparsey_entities {
                sparsey.delete::<(B,)>(e);
            }
        })
    });

    let mut specs = specs::World::new();
    specs.register::<A>();
    specs.register::<B>();
    let specs_entities: Vec<_> = (0..N)
        .map(|_| specs.create_entity().with(A(0.0)).build())
        .collect();
    g.bench_function("specs", |b| {
        b.iter(|| {
            let mut storage = specs.write_storage::<B>();
            for &e in &specs_entities {
                storage.insert(e, B(0.0)).unwrap();
            }
            for &e in &specs_entities {
                storage.remove(e);
            }
        })
    });
    g.finish();
}
