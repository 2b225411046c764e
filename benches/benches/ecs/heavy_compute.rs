//! `ecs/heavy_compute`: 1,000 entities; each inverts its 4x4 matrix 100 times and transforms
//! its position, in parallel. The inversion is the same hand-written routine for every ECS
//! (standing in for the suite's cgmath `invert`), so the group measures the parallel split.
//! Two baselines over a plain `Vec` of the same components: `vec_one_thread`, the work on the
//! caller alone (half of it is the floor two cores can reach), and `vec_rayon_join`, the
//! `Vec` cut into two equal halves run by `rayon::join` (as even a split as uniform work
//! allows).

use crate::components::{Position, Rotation, Transform, Velocity};
use criterion::Criterion;
use legion::IntoQuery as _;
use playground_ecs_view::World;
use specs::{ParJoin, RunNow, System, WriteStorage};

const ENTITIES: usize = 1_000;

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

/// Out of line, so every ECS and the floor call the very same machine code (inlined into one
/// loop and not another, the same source compiled to different code).
#[inline(never)]
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

struct SpecsHeavy;

impl<'a> System<'a> for SpecsHeavy {
    type SystemData = (WriteStorage<'a, Position>, WriteStorage<'a, Transform>);
    fn run(&mut self, (mut p, mut m): Self::SystemData) {
        use rayon::iter::ParallelIterator as _;
        (&mut p, &mut m).par_join().for_each(|(p, m)| heavy(p, m));
    }
}

pub fn bench(c: &mut Criterion) {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    bevy_tasks::ComputeTaskPool::get_or_init(bevy_tasks::TaskPool::default);
    let mut g = c.benchmark_group("ecs/heavy_compute");

    // The host lends the world its threads, as bevy's run initialises its task pool above.
    let mut world = World::new();
    world.set_executor(std::sync::Arc::new(
        playground_host::ThreadPool::new().expect("the host's threads"),
    ));
    world.spawn_batch((0..ENTITIES).map(|_| heavy_bundle()));
    g.bench_function("playground", |b| {
        b.iter(|| {
            world
                .query::<(&mut Position, &mut Transform)>()
                .par_for_each(|(p, m)| heavy(p, m))
                .unwrap()
        })
    });

    let mut bevy = bevy_ecs::world::World::new();
    bevy.spawn_batch((0..ENTITIES).map(|_| heavy_bundle()));
    let mut bevy_query = bevy.query::<(&mut Position, &mut Transform)>();
    g.bench_function("bevy_ecs", |b| {
        b.iter(|| {
            bevy_query
                .par_iter_mut(&mut bevy)
                .for_each(|(mut p, mut m)| heavy(&mut p, &mut m))
        })
    });

    let mut hecs = hecs::World::new();
    hecs.spawn_batch((0..ENTITIES).map(|_| heavy_bundle()));
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

    let mut legion = legion::World::default();
    legion.extend((0..ENTITIES).map(|_| heavy_bundle()));
    let mut legion_query = <(legion::Write<Position>, legion::Write<Transform>)>::query();
    g.bench_function("legion", |b| {
        b.iter(|| legion_query.par_for_each_mut(&mut legion, |(p, m)| heavy(p, m)))
    });

    let mut ship = shipyard::World::new();
    ship.bulk_add_entity((0..ENTITIES).map(|_| heavy_bundle()));
    g.bench_function("shipyard", |b| {
        use shipyard::{IntoIter as _, ViewMut};
        b.iter(|| {
            ship.run(|mut p: ViewMut<Position>, mut m: ViewMut<Transform>| {
                (&mut p, &mut m).par_iter().for_each(|(p, m)| heavy(p, m));
            })
        })
    });

    let mut sparsey = sparsey::World::builder()
        .register::<Transform>()
        .register::<Position>()
        .register::<Rotation>()
        .register::<Velocity>()
        .build();
    sparsey.extend((0..ENTITIES).map(|_| heavy_bundle()));
    g.bench_function("sparsey", |b| {
        b.iter(|| sparsey.par_for_each::<(&mut Position, &mut Transform)>(|(p, m)| heavy(p, m)))
    });

    let specs = crate::components::specs_world(ENTITIES, heavy_bundle);
    let mut system = SpecsHeavy;
    g.bench_function("specs", |b| b.iter(|| system.run_now(&specs)));

    let mut plain: Vec<(Position, Transform)> = (0..ENTITIES)
        .map(|_| {
            let (m, p, _, _) = heavy_bundle();
            (p, m)
        })
        .collect();
    g.bench_function("vec_one_thread", |b| {
        b.iter(|| plain.iter_mut().for_each(|(p, m)| heavy(p, m)))
    });
    g.bench_function("vec_rayon_join", |b| {
        b.iter(|| {
            let (left, right) = plain.split_at_mut(ENTITIES / 2);
            rayon::join(
                || left.iter_mut().for_each(|(p, m)| heavy(p, m)),
                || right.iter_mut().for_each(|(p, m)| heavy(p, m)),
            )
        })
    });
    g.finish();
}
