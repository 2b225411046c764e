//! `ecs/add_remove`: 10,000 entities with `A`; give each a `B`, then take every `B` away.
//! Archetype ECSs move the entity between tables twice; sparse sets touch `B`'s pool only.

use crate::components::{N, components};
use criterion::Criterion;
use playground_ecs_view::{Component, Entity, World};
use playground_kernel::ComponentId;
use specs::{Builder, WorldExt};

components!(VecStorage: A(f32) = "bench.add_remove.A", B(f32) = "bench.add_remove.B");

/// One more component type per `K`, to crowd a world with registrations (never inserted).
struct Crowd<const K: usize>;
impl<const K: usize> Component for Crowd<K> {
    const NAME: &'static str = "bench.add_remove.Crowd";
    const ID: ComponentId = ComponentId::from_bits(
        ComponentId::from_name(Self::NAME)
            .to_bits()
            .wrapping_add(K as u64),
    );
}

/// Registers `Crowd<K>` for each listed `K`.
macro_rules! register_crowd {
    ($world:expr; $($k:literal)*) => {$( $world.register::<Crowd<$k>>(); )*};
}

/// A world holding `A` for `N` entities, with 212 more component types registered before `B`
/// is: a large game's world, in which both of the places a world keeps for `B`'s pool are
/// taken, so it lives in the heap table (checked here, since the places follow from the ids).
fn crowded_world() -> (World, Vec<Entity>) {
    let mut world = World::new();
    let entities = world.spawn_batch((0..N).map(|_| (A(0.0),)));
    register_crowd!(world;
        0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
        32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60
        61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89
        90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113
        114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135
        136 137 138 139 140 141 142 143 144 145 146 147 148 149 150 151 152 153 154 155 156 157
        158 159 160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 176 177 178 179
        180 181 182 183 184 185 186 187 188 189 190 191 192 193 194 195 196 197 198 199 200 201
        202 203 204 205 206 207 208 209 210 211
    );
    world.register::<B>();
    assert_eq!(
        world.pool_is_near::<B>(),
        Some(false),
        "B's pool is meant to be far"
    );
    (world, entities)
}

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

    // The ordinary path in a world of 214 component types, `B` among the few far ones.
    let (mut crowded, crowded_entities) = crowded_world();
    g.bench_function("playground_crowded", |b| {
        b.iter(|| {
            for &e in &crowded_entities {
                crowded.insert(e, B(0.0)).unwrap();
            }
            for &e in &crowded_entities {
                crowded.remove::<B>(e).unwrap();
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
