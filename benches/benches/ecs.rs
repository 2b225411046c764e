//! `ecs/*`: the workloads of the public ecs_bench_suite, playground next to bevy_ecs, hecs and
//! shipyard in the same group. Each peer is driven the way the suite drives it.

use criterion::{Criterion, criterion_group, criterion_main};
use playground_ecs_view::{Entity, World, component};
use shipyard::{EntitiesViewMut, IntoIter, Remove, View, ViewMut};
use std::hint::black_box;

const N: usize = 10_000;

macro_rules! components {
    ($($name:ident($ty:ty) = $id:literal),* $(,)?) => {$(
        #[allow(dead_code, reason = "payload only written, as in ecs_bench_suite")]
        #[derive(Clone, Copy, Debug, Default, bevy_ecs::component::Component, shipyard::Component)]
        #[derive(serde::Serialize, serde::Deserialize)]
        struct $name($ty);
        component!($name = $id);
    )*};
}

components!(
    Transform([[f32; 4]; 4]) = "bench.Transform",
    Position([f32; 3]) = "bench.Position",
    Rotation([f32; 3]) = "bench.Rotation",
    Velocity([f32; 3]) = "bench.Velocity",
);

fn bundle() -> (Transform, Position, Rotation, Velocity) {
    (
        Transform([[1.0; 4]; 4]),
        Position([1.0, 0.0, 0.0]),
        Rotation([1.0, 0.0, 0.0]),
        Velocity([1.0, 0.0, 0.0]),
    )
}

fn simple_insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/simple_insert");
    g.bench_function("playground", |b| {
        b.iter(|| {
            let mut world = World::new();
            black_box(world.spawn_batch((0..N).map(|_| bundle())));
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
    g.bench_function("shipyard", |b| {
        b.iter(|| {
            let mut world = shipyard::World::new();
            world.bulk_add_entity((0..N).map(|_| bundle()));
            world
        })
    });
    g.finish();
}

fn simple_iter(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/simple_iter");
    let mut world = World::new();
    world.spawn_batch((0..N).map(|_| bundle()));
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&Velocity, &mut Position)>()
                .for_each(|(v, p)| {
                    for i in 0..3 {
                        p.0[i] += v.0[i];
                    }
                })
                .unwrap()
        })
    });
    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..N).map(|_| bundle()));
    let mut bevy_query = bevy.query::<(&Velocity, &mut Position)>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            bevy_query.iter_mut(&mut bevy).for_each(|(v, mut p)| {
                for i in 0..3 {
                    p.0[i] += v.0[i];
                }
            })
        })
    });
    let mut hecs = hecs::World::new();
    hecs.spawn_batch((0..N).map(|_| bundle()));
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for (v, p) in hecs.query_mut::<(&Velocity, &mut Position)>() {
                for i in 0..3 {
                    p.0[i] += v.0[i];
                }
            }
        })
    });
    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..N).map(|_| bundle()));
    g.bench_function("shipyard", |b| {
        b.iter(|| {
            ship.run(
                |velocity: View<Velocity>, mut position: ViewMut<Position>| {
                    for (v, p) in (&velocity, &mut position).iter() {
                        for i in 0..3 {
                            p.0[i] += v.0[i];
                        }
                    }
                },
            )
        })
    });
    g.finish();
}

macro_rules! frag_types {
    ($($t:ident),*) => {
        $(
            #[allow(dead_code, reason = "payload only written, as in ecs_bench_suite")]
            #[derive(Clone, Copy, Debug, Default, bevy_ecs::component::Component, shipyard::Component)]
            struct $t(f32);
            component!($t = concat!("bench.frag.", stringify!($t)));
        )*
        fn frag_playground() -> World {
            let mut world = World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn frag_bevy() -> bevy_ecs::world::World {
            let mut world = bevy_ecs::world::World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn frag_hecs() -> hecs::World {
            let mut world = hecs::World::new();
            $( world.spawn_batch((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
        fn frag_shipyard() -> shipyard::World {
            let mut world = shipyard::World::new();
            $( world.bulk_add_entity((0..20).map(|_| ($t(0.0), Data(1.0)))); )*
            world
        }
    };
}

#[allow(dead_code, reason = "payload only written, as in ecs_bench_suite")]
#[derive(Clone, Copy, Debug, Default, bevy_ecs::component::Component, shipyard::Component)]
struct Data(f32);
component!(Data = "bench.frag.Data");
frag_types!(
    A, B, C, D, E, F, G, H, I, J, K, L, M, N2, O, P, Q, R, S, T, U, V, W, X, Y, Z
);

fn frag_iter(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/frag_iter");
    let world = frag_playground();
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&mut Data,)>()
                .for_each(|(d,)| d.0 *= 2.0)
                .unwrap()
        })
    });
    let mut bevy = frag_bevy();
    let mut bevy_query = bevy.query::<&mut Data>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| bevy_query.iter_mut(&mut bevy).for_each(|mut d| d.0 *= 2.0))
    });
    let mut hecs = frag_hecs();
    g.bench_function("hecs", |b| {
        b.iter(|| {
            for d in hecs.query_mut::<&mut Data>() {
                d.0 *= 2.0;
            }
        })
    });
    let ship = frag_shipyard();
    g.bench_function("shipyard", |b| {
        b.iter(|| {
            ship.run(|mut data: ViewMut<Data>| {
                for d in (&mut data).iter() {
                    d.0 *= 2.0;
                }
            })
        })
    });
    g.finish();
}

fn add_remove(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecs/add_remove");
    let mut world = World::new();
    let entities: Vec<Entity> = world.spawn_batch((0..N).map(|_| (A(0.0),)));
    g.bench_function("playground", |b| {
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
    let mut ship = shipyard::World::new();
    let ship_entities: Vec<_> = ship.bulk_add_entity((0..N).map(|_| (A(0.0),))).collect();
    g.bench_function("shipyard", |b| {
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
    g.finish();
}

// ---- schedule: three systems swapping component pairs over 40,000 entities ----

macro_rules! sched_types {
    ($($t:ident = $id:literal),*) => {$(
        #[derive(Clone, Copy, Debug, Default, bevy_ecs::component::Component, shipyard::Component)]
        struct $t(f32);
        component!($t = $id);
    )*};
}
sched_types!(
    SA = "bench.sched.A",
    SB = "bench.sched.B",
    SC = "bench.sched.C",
    SD = "bench.sched.D",
    SE = "bench.sched.E"
);

fn bevy_ab(mut q: bevy_ecs::system::Query<(&mut SA, &mut SB)>) {
    for (mut a, mut b) in &mut q {
        std::mem::swap(&mut a.0, &mut b.0);
    }
}
fn bevy_cd(mut q: bevy_ecs::system::Query<(&mut SC, &mut SD)>) {
    for (mut c, mut d) in &mut q {
        std::mem::swap(&mut c.0, &mut d.0);
    }
}
fn bevy_ce(mut q: bevy_ecs::system::Query<(&mut SC, &mut SE)>) {
    for (mut c, mut e) in &mut q {
        std::mem::swap(&mut c.0, &mut e.0);
    }
}
fn ship_ab(mut a: ViewMut<SA>, mut b: ViewMut<SB>) {
    for (a, b) in (&mut a, &mut b).iter() {
        std::mem::swap(&mut a.0, &mut b.0);
    }
}
fn ship_cd(mut c: ViewMut<SC>, mut d: ViewMut<SD>) {
    for (c, d) in (&mut c, &mut d).iter() {
        std::mem::swap(&mut c.0, &mut d.0);
    }
}
fn ship_ce(mut c: ViewMut<SC>, mut e: ViewMut<SE>) {
    for (c, e) in (&mut c, &mut e).iter() {
        std::mem::swap(&mut c.0, &mut e.0);
    }
}
fn ship_workload() -> shipyard::Workload {
    use shipyard::IntoWorkload;
    (ship_ab, ship_cd, ship_ce).into_workload()
}

fn schedule(c: &mut Criterion) {
    use playground_ecs_view::{Schedule, SystemDesc, SystemView};
    bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
    let mut g = c.benchmark_group("ecs/schedule");

    let mut world = World::new();
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    world.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let mut s = Schedule::new();
    s.add(
        SystemDesc::new("ab").writes::<SA>().writes::<SB>(),
        |w: &World| {
            w.query::<(&mut SA, &mut SB)>()
                .for_each(|(a, b)| std::mem::swap(&mut a.0, &mut b.0))
        },
    );
    s.add(
        SystemDesc::new("cd").writes::<SC>().writes::<SD>(),
        |w: &World| {
            w.query::<(&mut SC, &mut SD)>()
                .for_each(|(c, d)| std::mem::swap(&mut c.0, &mut d.0))
        },
    );
    s.add(
        SystemDesc::new("ce").writes::<SC>().writes::<SE>(),
        |w: &World| {
            w.query::<(&mut SC, &mut SE)>()
                .for_each(|(c, e)| std::mem::swap(&mut c.0, &mut e.0))
        },
    );
    let vm = playground_ecs_viewmodel::EcsViewModel::default();
    g.bench_function("playground", |b| b.iter(|| vm.run(&s, &world).unwrap()));

    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    bevy.spawn_batch((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    let mut bevy_schedule = bevy_ecs::schedule::Schedule::default();
    bevy_schedule.add_systems((bevy_ab, bevy_cd, bevy_ce));
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

    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SD(3.0))));
    ship.bulk_add_entity((0..N).map(|_| (SA(0.0), SB(1.0), SC(2.0), SE(4.0))));
    ship.add_workload(ship_workload);
    g.bench_function("shipyard", |b| {
        b.iter(|| ship.run_workload(ship_workload).unwrap())
    });
    g.finish();
}

// ---- heavy_compute: 1,000 entities, 100 matrix inversions each, in parallel ----

/// Inverse of a 4x4 matrix by Gauss-Jordan elimination with partial pivoting (the same code
/// for every ECS, standing in for the suite's cgmath `invert`).
fn invert(m: [[f32; 4]; 4]) -> [[f32; 4]; 4] {
    let mut a = m;
    let mut inv = [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ];
    for col in 0..4 {
        let pivot = (col..4)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let p = a[col][col];
        for k in 0..4 {
            a[col][k] /= p;
            inv[col][k] /= p;
        }
        for row in 0..4 {
            if row != col {
                let f = a[row][col];
                for k in 0..4 {
                    a[row][k] -= f * a[col][k];
                    inv[row][k] -= f * inv[col][k];
                }
            }
        }
    }
    inv
}

fn heavy(pos: &mut Position, mat: &mut Transform) {
    for _ in 0..100 {
        mat.0 = invert(mat.0);
    }
    let m = mat.0;
    let v = pos.0;
    pos.0 = [0, 1, 2].map(|r| m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]);
}

fn rotation_x() -> Transform {
    let (s, c) = 1.2f32.sin_cos();
    Transform([
        [1.0, 0.0, 0.0, 0.0],
        [0.0, c, -s, 0.0],
        [0.0, s, c, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
}

fn heavy_bundle() -> (Transform, Position, Rotation, Velocity) {
    (
        rotation_x(),
        Position([1.0, 0.0, 0.0]),
        Rotation([1.0, 0.0, 0.0]),
        Velocity([1.0, 0.0, 0.0]),
    )
}

fn heavy_compute(c: &mut Criterion) {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    use shipyard::IntoIter as _;
    bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
    let mut g = c.benchmark_group("ecs/heavy_compute");

    let mut world = World::new();
    world.spawn_batch((0..1_000).map(|_| heavy_bundle()));
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&mut Position, &mut Transform)>()
                .par_for_each(|(p, m)| heavy(p, m))
                .unwrap()
        })
    });

    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..1_000).map(|_| heavy_bundle()));
    let mut bevy_query = bevy.query::<(&mut Position, &mut Transform)>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            bevy_query
                .par_iter_mut(&mut bevy)
                .for_each(|(mut p, mut m)| heavy(&mut p, &mut m))
        })
    });

    let mut hecs = hecs::World::new();
    hecs.spawn_batch((0..1_000).map(|_| heavy_bundle()));
    g.bench_function("hecs", |b| {
        b.iter(|| {
            hecs.query::<(&mut Position, &mut Transform)>()
                .iter_batched(64)
                .par_bridge()
                .for_each(|batch| {
                    for (p, m) in batch {
                        heavy(p, m);
                    }
                })
        })
    });

    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..1_000).map(|_| heavy_bundle()));
    g.bench_function("shipyard", |b| {
        b.iter(|| {
            ship.run(|mut p: ViewMut<Position>, mut m: ViewMut<Transform>| {
                (&mut p, &mut m).par_iter().for_each(|(p, m)| heavy(p, m));
            })
        })
    });
    g.finish();
}

/// Save and restore of a 100,000-entity world with 3 persistent components, through the
/// module's `StorageView` (what a hot reload carries across).
fn snapshot(c: &mut Criterion) {
    use playground_ecs_view::StorageView;
    let vm = playground_ecs_viewmodel::EcsViewModel::default();
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

criterion_group! {
    name = benches;
    config = playground_benches::config(3);
    targets = simple_insert, simple_iter, frag_iter, add_remove, schedule, heavy_compute, snapshot
}
criterion_main!(benches);
