//! `ecs/simple_iter`: 10,000 entities of four components; add each `Velocity` to its
//! `Position`. sparsey groups `(Position, Velocity)`, as the suite's packed variant does.

use crate::components::{N, Position, Rotation, Transform, Velocity, bundle};
use criterion::Criterion;
use legion::IntoQuery as _;
use playground_ecs_view::World;
use specs::{Join, ReadStorage, RunNow, System, WriteStorage};

fn step(p: &mut Position, v: &Velocity) {
    for i in 0..3 {
        p.0[i] += v.0[i];
    }
}

pub fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/simple_iter");
    let mut world = World::new();
    world.spawn_batch((0..N).map(|_| bundle()));
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&Velocity, &mut Position)>()
                .for_each(|(v, p)| step(p, v))
                .unwrap()
        })
    });
    // The iterator form a user may reach for first; `for_each` above is the faster path.
    g.bench_function("playground_iter", |b| {
        b.iter(|| {
            let mut query = world.query::<(&Velocity, &mut Position)>();
            for (v, p) in query.iter().unwrap() {
                step(p, v);
            }
        })
    });
    // The iterator consumed by `Iterator::for_each` (a fold), as bevy_ecs is driven below.
    g.bench_function("playground_iter_for_each", |b| {
        b.iter(|| {
            let mut query = world.query::<(&Velocity, &mut Position)>();
            query.iter().unwrap().for_each(|(v, p)| step(p, v));
        })
    });

    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..N).map(|_| bundle()));
    let mut bevy_query = bevy.query::<(&Velocity, &mut Position)>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            bevy_query
                .iter_mut(&mut bevy)
                .for_each(|(v, mut p)| step(&mut p, v))
        })
    });

    let mut hecs = hecs::World::new();
    hecs.spawn_batch((0..N).map(|_| bundle()));
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for (v, p) in hecs.query_mut::<(&Velocity, &mut Position)>() {
                step(p, v);
            }
        })
    });

    let mut legion = legion::World::default();
    legion.extend((0..N).map(|_| bundle()));
    let mut legion_query = <(legion::Read<Velocity>, legion::Write<Position>)>::query();
    g.bench_function("legion", |b| {
        b.iter(|| legion_query.for_each_mut(&mut legion, |(v, p)| step(p, v)))
    });

    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..N).map(|_| bundle()));
    g.bench_function("shipyard", |b| {
        use shipyard::{IntoIter, View, ViewMut};
        b.iter(|| {
            ship.run(
                |velocity: View<Velocity>, mut position: ViewMut<Position>| {
                    for (v, p) in (&velocity, &mut position).iter() {
                        step(p, v);
                    }
                },
            )
        })
    });

    let mut sparsey = sparsey::World::builder()
        .add_group::<(Position, Velocity)>()
        .register::<Transform>()
        .register::<Rotation>()
        .build();
    sparsey.extend((0..N).map(|_| bundle()));
    g.bench_function("sparsey", |b| {
        b.iter(|| sparsey.for_each::<(&mut Position, &Velocity)>(|(p, v)| step(p, v)))
    });

    let specs = crate::components::specs_world(N, bundle);
    let mut motion = SpecsMotion;
    g.bench_function("specs", |b| b.iter(|| motion.run_now(&specs)));
    g.finish();
}

struct SpecsMotion;

impl<'a> System<'a> for SpecsMotion {
    type SystemData = (ReadStorage<'a, Velocity>, WriteStorage<'a, Position>);
    fn run(&mut self, (velocity, mut position): Self::SystemData) {
        for (v, p) in (&velocity, &mut position).join() {
            step(p, v);
        }
    }
}
