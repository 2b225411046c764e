//! `ecs/snapshot`: save and restore of a 100,000-entity world with 3 persistent components,
//! through the module's `StorageView` (what a hot reload carries across). No peer: the goal is
//! absolute (save + restore <= 20 ms).

use crate::components::{Position, Rotation, Velocity};
use criterion::Criterion;
use playground_ecs_view::World;
use std::hint::black_box;

pub fn bench(c: &mut Criterion) {
    use playground_ecs_view::StorageView;
    let vm = playground_ecs_viewmodel::EcsViewModel;
    let persistent = || {
        let mut world = World::new();
        world.register_persistent::<Position>();
        world.register_persistent::<Rotation>();
        world.register_persistent::<Velocity>();
        world
    };
    let mut world = persistent();
    world.spawn_batch((0..100_000).map(|i| {
        let f = i as f32;
        (
            Position([f, 0.0, 1.0]),
            Rotation([0.0, f, 0.0]),
            Velocity([1.0, 1.0, f]),
        )
    }));
    let bytes = vm.save(&world).unwrap();
    let mut g = c.benchmark_group("ecs/snapshot");
    g.sample_size(20);
    g.bench_function("save", |b| b.iter(|| vm.save(black_box(&world)).unwrap()));
    let mut target = persistent();
    g.bench_function("restore", |b| {
        b.iter(|| vm.restore(&mut target, black_box(&bytes)).unwrap())
    });
    g.finish();
}
