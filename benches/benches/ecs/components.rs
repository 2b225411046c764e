//! The ecs_bench_suite's component types, declared once for every ECS in the group: derives for
//! bevy_ecs and shipyard, a `specs::Component` impl with the storage the suite gives it, and
//! the playground's stable name. hecs, legion and sparsey take any `Send + Sync + 'static` type.

/// Declares plain-data components usable by every peer. `$storage` is the specs storage the
/// suite uses for the type (`VecStorage` for dense data, `DenseVecStorage` for sparse tags).
macro_rules! components {
    ($storage:ident: $($name:ident($ty:ty) = $id:expr),* $(,)?) => {$(
        #[allow(dead_code, reason = "payload only written, as in ecs_bench_suite")]
        #[derive(Clone, Copy, Debug, Default, bevy_ecs::component::Component, shipyard::Component)]
        #[derive(serde::Serialize, serde::Deserialize)]
        pub struct $name(pub $ty);
        playground_ecs_view::component!($name = $id);
        impl specs::Component for $name {
            type Storage = specs::$storage<Self>;
        }
    )*};
}
pub(crate) use components;

components!(VecStorage:
    Transform([[f32; 4]; 4]) = "bench.Transform",
    Position([f32; 3]) = "bench.Position",
    Rotation([f32; 3]) = "bench.Rotation",
    Velocity([f32; 3]) = "bench.Velocity",
);

/// Entities per workload (the suite's 10,000).
pub const N: usize = 10_000;

/// The suite's four-component bundle.
pub fn bundle() -> (Transform, Position, Rotation, Velocity) {
    (
        Transform([[1.0; 4]; 4]),
        Position([1.0, 0.0, 0.0]),
        Rotation([1.0, 0.0, 0.0]),
        Velocity([1.0, 0.0, 0.0]),
    )
}

/// A specs world with the four bundle types registered and `count` entities of `make()`,
/// built entity by entity as specs' docs (and the suite) do.
pub fn specs_world(
    count: usize,
    make: impl Fn() -> (Transform, Position, Rotation, Velocity),
) -> specs::World {
    use specs::{Builder, WorldExt};
    let mut world = specs::World::new();
    world.register::<Transform>();
    world.register::<Position>();
    world.register::<Rotation>();
    world.register::<Velocity>();
    for _ in 0..count {
        let (t, p, r, v) = make();
        world
            .create_entity()
            .with(t)
            .with(p)
            .with(r)
            .with(v)
            .build();
    }
    world
}
