//! `ecs/simple_insert`: a fresh world, then 10,000 entities of four components in one batch.

use crate::components::{N, Position, Rotation, Transform, Velocity, bundle};
use criterion::Criterion;
use playground_ecs_view::World;

pub fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/simple_insert");
    g.bench_function("playground", |b| {
        b.iter(|| {
            let mut world = World::new();
            world.spawn_batch((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            let mut world = bevy_ecs::world::World::new();
            world.spawn_batch((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("hecs", |b| {
        b.iter(|| {
            let mut world = hecs::World::new();
            world.spawn_batch((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("legion", |b| {
        b.iter(|| {
            let mut world = legion::World::default();
            world.extend((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("shipyard", |b| {
        b.iter(|| {
            let mut world = shipyard::World::new();
            world.bulk_add_entity((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("sparsey", |b| {
        b.iter(|| {
            let mut world = sparsey::World::builder()
                .register::<Transform>()
                .register::<Position>()
                .register::<Rotation>()
                .register::<Velocity>()
                .build();
            world.extend((0..N).map(|_| bundle()));
            world
        })
    });
    g.bench_function("specs", |b| {
        b.iter(|| crate::components::specs_world(N, bundle))
    });
    g.finish();
}
