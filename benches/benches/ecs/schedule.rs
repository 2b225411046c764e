//! `ecs/schedule`: three systems swapping component pairs (`ab`, `cd`, `ce`) over 40,000
//! entities in four batches; `ab` and `cd` touch disjoint components, `ce` conflicts with `cd`.
//! Each ECS runs them through its own scheduler; hecs has none and runs them in sequence, and
//! sparsey (whose scheduler was removed) runs `ab` beside `cd` with `rayon::join`, then `ce`.

use crate::components::{N, components};
use criterion::Criterion;
use playground_ecs_view::{Schedule, SystemDesc, SystemView, World};
use specs::{Builder, Join, System, WorldExt, WriteStorage};

components!(VecStorage:
    SA(f32) = "bench.sched.A",
    SB(f32) = "bench.sched.B",
    SC(f32) = "bench.sched.C",
    SD(f32) = "bench.sched.D",
    SE(f32) = "bench.sched.E",
);

/// Declares one system per ECS that swaps the values of two components.
macro_rules! swap_systems {
    ($($name:ident: $x:ident, $y:ident;)*) => {
        mod bevy_systems {
            use super::*;
            $(pub fn $name(mut q: bevy_ecs::system::Query<(&mut $x, &mut $y)>) {
                for (mut x, mut y) in &mut q {
                    std::mem::swap(&mut x.0, &mut y.0);
                }
            })*
        }
        mod ship_systems {
            use super::*;
            use shipyard::{IntoIter, ViewMut};
            $(pub fn $name(mut x: ViewMut<$x>, mut y: ViewMut<$y>) {
                for (x, y) in (&mut x, &mut y).iter() {
                    std::mem::swap(&mut x.0, &mut y.0);
                }
            })*
        }
        mod legion_systems {
            use super::*;
            $(#[legion::system(for_each)]
            pub fn $name(x: &mut $x, y: &mut $y) {
                std::mem::swap(&mut x.0, &mut y.0);
            })*
        }
        mod specs_systems {
            use super::*;
            $(#[allow(non_camel_case_types, reason = "named after the system")]
            pub struct $name;
            impl<'a> System<'a> for $name {
                type SystemData = (WriteStorage<'a, $x>, WriteStorage<'a, $y>);
                fn run(&mut self, (mut x, mut y): Self::SystemData) {
                    for (x, y) in (&mut x, &mut y).join() {
                        std::mem::swap(&mut x.0, &mut y.0);
                    }
                }
            })*
        }
        fn playground_schedule() -> Schedule {
            let mut s = Schedule::new();
            $(s.add(
                SystemDesc::new(stringify!($name)).writes::<$x>().writes::<$y>(),
                |w: &World| {
                    w.query::<(&mut $x, &mut $y)>()
                        .for_each(|(x, y)| std::mem::swap(&mut x.0, &mut y.0))
                },
            );)*
            s
        }
    };
}

swap_systems! {
    ab: SA, SB;
    cd: SC, SD;
    ce: SC, SE;
}

pub fn bench(c: &mut Criterion) {
    bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
    let mut g = c.benchmark_group("ecs/schedule");

    // The host lends the world its threads, as bevy's run initialises its task pool above.
    let mut world = World::new();
    world.set_executor(std::sync::Arc::new(
        playground_host::ThreadPool::new().expect("the host's threads"),
    ));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let schedule = playground_schedule();
    let vm = playground_ecs_viewmodel::EcsViewModel;
    g.bench_function("playground", |b| {
        b.iter(|| vm.run(&schedule, &world).unwrap())
    });
    // The same three systems' queries in sequence on the calling thread: what running them
    // in parallel has to beat.
    g.bench_function("playground_one_thread", |b| {
        b.iter(|| {
            let ab = world.query::<(&mut SA, &mut SB)>();
            ab.for_each(|(x, y)| std::mem::swap(&mut x.0, &mut y.0))?;
            let cd = world.query::<(&mut SC, &mut SD)>();
            cd.for_each(|(x, y)| std::mem::swap(&mut x.0, &mut y.0))?;
            let ce = world.query::<(&mut SC, &mut SE)>();
            ce.for_each(|(x, y)| std::mem::swap(&mut x.0, &mut y.0))
        })
    });

    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let mut bevy_schedule = bevy_ecs::schedule::Schedule::default();
    bevy_schedule.add_systems((bevy_systems::ab, bevy_systems::cd, bevy_systems::ce));
    g.bench_function("bevy_ecs", |b| b.iter(|| bevy_schedule.run(&mut bevy)));

    let mut hecs = hecs::World::new();
    hecs.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0))));
    hecs.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    hecs.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    hecs.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for (a, b) in hecs.query_mut::<(&mut SA, &mut SB)>() {
                std::mem::swap(&mut a.0, &mut b.0);
            }
            for (c, d) in hecs.query_mut::<(&mut SC, &mut SD)>() {
                std::mem::swap(&mut c.0, &mut d.0);
            }
            for (c, e) in hecs.query_mut::<(&mut SC, &mut SE)>() {
                std::mem::swap(&mut c.0, &mut e.0);
            }
        })
    });

    let mut legion = legion::World::default();
    legion.extend((0..N).map(|_| (SA(0.0), SB(1.0))));
    legion.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    legion.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    legion.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let mut legion_resources = legion::Resources::default();
    let mut legion_schedule = legion::Schedule::builder()
        .add_system(legion_systems::ab_system())
        .add_system(legion_systems::cd_system())
        .add_system(legion_systems::ce_system())
        .build();
    g.bench_function("legion", |b| {
        b.iter(|| legion_schedule.execute(&mut legion, &mut legion_resources))
    });

    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let ship_workload = || {
        use shipyard::IntoWorkload;
        (ship_systems::ab, ship_systems::cd, ship_systems::ce).into_workload()
    };
    ship.add_workload(ship_workload);
    g.bench_function("shipyard", |b| {
        b.iter(|| ship.run_workload(ship_workload).unwrap())
    });

    let mut sparsey = sparsey::World::builder()
        .add_group::<(SA, SB)>()
        .add_group::<(SC, SD)>()
        .register::<SE>()
        .build();
    sparsey.extend((0..N).map(|_| (SA(0.0), SB(1.0))));
    sparsey.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    sparsey.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    sparsey.extend((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    g.bench_function("sparsey", |b| {
        b.iter(|| {
            rayon::join(
                || {
                    sparsey
                        .for_each::<(&mut SA, &mut SB)>(|(a, b)| std::mem::swap(&mut a.0, &mut b.0))
                },
                || {
                    sparsey
                        .for_each::<(&mut SC, &mut SD)>(|(c, d)| std::mem::swap(&mut c.0, &mut d.0))
                },
            );
            sparsey.for_each::<(&mut SC, &mut SE)>(|(c, e)| std::mem::swap(&mut c.0, &mut e.0));
        })
    });

    let mut specs = specs::World::new();
    specs.register::<SA>();
    specs.register::<SB>();
    specs.register::<SC>();
    specs.register::<SD>();
    specs.register::<SE>();
    for _ in 0..N {
        specs.create_entity().with(SA(0.0)).with(SB(1.0)).build();
    }
    for _ in 0..N {
        specs
            .create_entity()
            .with(SA(0.0))
            .with(SB(1.0))
            .with(SC(2.0))
            .build();
    }
    for _ in 0..N {
        specs
            .create_entity()
            .with(SA(0.0))
            .with(SB(1.0))
            .with(SC(2.0))
            .with(SD(3.0))
            .build();
    }
    for _ in 0..N {
        specs
            .create_entity()
            .with(SA(0.0))
            .with(SB(1.0))
            .with(SC(2.0))
            .with(SE(4.0))
            .build();
    }
    let mut dispatcher = specs::DispatcherBuilder::new()
        .with(specs_systems::ab, "ab", &[])
        .with(specs_systems::cd, "cd", &[])
        .with(specs_systems::ce, "ce", &[])
        .build();
    g.bench_function("specs", |b| b.iter(|| dispatcher.dispatch_par(&specs)));
    g.finish();
}
