//! `ecs/frag_iter`: 26 component types, 20 entities of each together with `Data`; double every
//! `Data`. Archetype ECSs see 26 small tables, sparse sets one pool. `vec_loop` is the floor:
//! the same doubling over a plain `Vec` of the 520 values, with no ECS in the way.

use crate::components::components;
use criterion::Criterion;
use legion::IntoQuery as _;
use playground_ecs_view::World;
use specs::{Builder, Join, RunNow, System, WorldExt, WriteStorage};

components!(VecStorage: Data(f32) = "bench.frag.Data");

macro_rules! fragmented {
    ($($t:ident),*) => {
        components!(DenseVecStorage: $($t(f32) = concat!("bench.frag.", stringify!($t))),*);

        fn playground() -> World {
            let mut world = World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn bevy() -> bevy_ecs::world::World {
            let mut world = bevy_ecs::world::World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn hecs() -> hecs::World {
            let mut world = hecs::World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn legion() -> legion::World {
            let mut world = legion::World::default();
            $( world.extend((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn shipyard() -> shipyard::World {
            let mut world = shipyard::World::new();
            $( world.bulk_add_entity((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn sparsey() -> sparsey::World {
            let mut world = sparsey::World::builder().register::<Data>() $( .register::<$t>() )* .build();
            $( world.extend((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn specs() -> specs::World {
            let mut world = specs::World::new();
            world.register::<Data>();
            $(
                world.register::<$t>();
                for _ in 0..20 {
                    world.create_entity().with($t(0.0)).with(Data(1.0)).build();
                }
            )*
            world
        }
    };
}

fragmented!(
    A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z
);

struct SpecsDouble;

impl<'a> System<'a> for SpecsDouble {
    type SystemData = WriteStorage<'a, Data>;
    fn run(&mut self, mut data: Self::SystemData) {
        for d in (&mut data).join() {
            d.0 *= 2.0;
        }
    }
}

pub fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/frag_iter");
    let world = playground();
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&mut Data,)>()
                .for_each(|(d,)| d.0 *= 2.0)
                .unwrap()
        })
    });

    // The slice goes through `black_box`, as a query's pool does through its lock, so no run's
    // loop is merged with the next one's.
    let mut plain = vec![Data(1.0); 26 * 20];
    g.bench_function("vec_loop", |b| {
        b.iter(|| {
            for d in std::hint::black_box(&mut plain[..]) {
                d.0 *= 2.0;
            }
        })
    });

    let mut bevy = bevy();
    let mut bevy_query = bevy.query::<&mut Data>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| bevy_query.iter_mut(&mut bevy).for_each(|mut d| d.0 *= 2.0))
    });

    let mut hecs = hecs();
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for d in hecs.query_mut::<&mut Data>() {
                d.0 *= 2.0;
            }
        })
    });

    let mut legion = legion();
    let mut legion_query = <legion::Write<Data>>::query();
    g.bench_function("legion", |b| {
        b.iter(|| legion_query.for_each_mut(&mut legion, |d| d.0 *= 2.0))
    });

    let ship = shipyard();
    g.bench_function("shipyard", |b| {
        use shipyard::{IntoIter, ViewMut};
        b.iter(|| {
            ship.run(|mut data: ViewMut<Data>| {
                for d in (&mut data).iter() {
                    d.0 *= 2.0;
                }
            })
        })
    });

    let sparsey = sparsey();
    g.bench_function("sparsey", |b| {
        b.iter(|| sparsey.for_each::<&mut Data>(|d| d.0 *= 2.0))
    });

    let specs = specs();
    let mut double = SpecsDouble;
    g.bench_function("specs", |b| b.iter(|| double.run_now(&specs)));
    g.finish();
}
