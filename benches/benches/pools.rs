//! `pools/*`: component get and iteration against a `Vec` and an FxHash map, insert/remove,
//! and model get against sharded-slab and a `RwLock<Slab>`, uncontended and with a writer.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parking_lot::RwLock;
use playground_benches::lanes::{sum_lanes, sum_lanes_iter};
use playground_benches::{Background, shuffled};
use playground_kernel::{Entity, EntityId, Generation, ModelId};
use playground_pools::{ComponentPool, ModelPool, epoch};
use rustc_hash::FxHashMap;
use std::hint::black_box;
use std::sync::Arc;

const N: usize = 10_000;

type Position = [f32; 3];

fn entity(i: usize) -> Entity {
    Entity::new(EntityId(i as u32), Generation(1))
}

fn position(i: usize) -> Position {
    [i as f32, 1.0, 2.0]
}

fn component_get(c: &mut Criterion) {
    let order = shuffled(N, 7);
    let entities: Vec<Entity> = order.iter().map(|&i| entity(i)).collect();
    let mut pool = ComponentPool::new();
    let mut map = FxHashMap::default();
    let vec: Vec<Position> = (0..N).map(position).collect();
    for i in 0..N {
        pool.insert(entity(i), position(i)).unwrap();
        map.insert(entity(i), position(i));
    }

    let mut g = c.benchmark_group("pools/component_get");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("playground", |b| {
        b.iter(|| {
            let pool = black_box(&pool);
            sum_lanes(&entities, |&e| pool.get(e).map_or(0.0, |p| p[0]))
        })
    });
    g.bench_function("vec_index", |b| {
        b.iter(|| {
            let vec = black_box(&vec);
            sum_lanes(&order, |&i| vec[i][0])
        })
    });
    g.bench_function("hashmap_fx", |b| {
        b.iter(|| {
            let map = black_box(&map);
            sum_lanes(&entities, |e| map.get(e).map_or(0.0, |p| p[0]))
        })
    });
    g.finish();
}

fn component_iter(c: &mut Criterion) {
    let mut pool = ComponentPool::new();
    for i in 0..N {
        pool.insert(entity(i), position(i)).unwrap();
    }
    let vec: Vec<Position> = (0..N).map(position).collect();

    let mut g = c.benchmark_group("pools/component_iter");
    g.throughput(Throughput::Elements(N as u64));
    // `playground` and `vec_iter` walk an iterator the same way (the pool hands out
    // `(entity, &component)` pairs); `playground_slice` and `vec_slice` walk the component
    // slice eight at a time, which the compiler vectorises: the floor for a dense pass.
    g.bench_function("playground", |b| {
        b.iter(|| sum_lanes_iter(black_box(&pool).iter().map(|(_, p)| p[0] + p[1] + p[2])))
    });
    g.bench_function("vec_iter", |b| {
        b.iter(|| sum_lanes_iter(black_box(&vec).iter().map(|p| p[0] + p[1] + p[2])))
    });
    g.bench_function("playground_slice", |b| {
        b.iter(|| sum_lanes(black_box(&pool).components(), |p| p[0] + p[1] + p[2]))
    });
    g.bench_function("vec_slice", |b| {
        b.iter(|| sum_lanes(black_box(&vec), |p| p[0] + p[1] + p[2]))
    });
    g.finish();
}

fn insert_remove(c: &mut Criterion) {
    let entities: Vec<Entity> = shuffled(N, 11).into_iter().map(entity).collect();
    let mut g = c.benchmark_group("pools/insert_remove");
    g.throughput(Throughput::Elements(2 * N as u64));
    let mut pool = ComponentPool::new();
    g.bench_function("playground", |b| {
        b.iter(|| {
            for (i, &e) in entities.iter().enumerate() {
                let _ = pool.insert(e, position(i));
            }
            for &e in &entities {
                black_box(pool.remove(e));
            }
        })
    });
    let mut map = FxHashMap::default();
    g.bench_function("hashmap_fx", |b| {
        b.iter(|| {
            for (i, &e) in entities.iter().enumerate() {
                map.insert(e, position(i));
            }
            for e in &entities {
                black_box(map.remove(e));
            }
        })
    });
    g.finish();
}

/// The three model stores, filled with the same models, plus their keys in shuffled order.
struct Models {
    playground: Arc<ModelPool<Position>>,
    playground_ids: Vec<ModelId>,
    sharded: Arc<sharded_slab::Slab<Position>>,
    sharded_keys: Vec<usize>,
    rwlock: Arc<RwLock<slab::Slab<Position>>>,
    rwlock_keys: Vec<usize>,
}

fn models() -> Models {
    let playground = Arc::new(ModelPool::new());
    let sharded = Arc::new(sharded_slab::Slab::new());
    let rwlock = Arc::new(RwLock::new(slab::Slab::new()));
    let mut ids = Vec::new();
    let mut skeys = Vec::new();
    let mut rkeys = Vec::new();
    for i in 0..N {
        ids.push(playground.insert(position(i)));
        skeys.push(sharded.insert(position(i)).expect("slab has room"));
        rkeys.push(rwlock.write().insert(position(i)));
    }
    let order = shuffled(N, 13);
    Models {
        playground,
        playground_ids: order.iter().map(|&i| ids[i]).collect(),
        sharded,
        sharded_keys: order.iter().map(|&i| skeys[i]).collect(),
        rwlock,
        rwlock_keys: order.iter().map(|&i| rkeys[i]).collect(),
    }
}

/// One model get per key; the playground pool pins one epoch guard per batch of `N` gets, as
/// a system iterating many models would, and `rwlock_slab` holds one read lock per batch the
/// same way (`rwlock_slab_per_get` locks around each get; sharded-slab has no batch form).
/// With `contended`, a background thread inserts and removes a model in the store being
/// measured (only that one: the machine has 2 cores).
fn bench_model_gets(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    m: &Models,
    contended: bool,
) {
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("playground", |b| {
        let pool = m.playground.clone();
        let _writer = contended.then(|| {
            Background::start(move || {
                let id = pool.insert(position(0));
                pool.remove(id).expect("just inserted");
            })
        });
        b.iter(|| {
            let guard = epoch::pin();
            let pool = black_box(&*m.playground);
            sum_lanes(&m.playground_ids, |&id| {
                pool.get(id, &guard).map_or(0.0, |p| p[0])
            })
        })
    });
    g.bench_function("sharded_slab", |b| {
        let slab = m.sharded.clone();
        let _writer = contended.then(|| {
            Background::start(move || {
                let key = slab.insert(position(0)).expect("slab has room");
                slab.remove(key);
            })
        });
        b.iter(|| {
            let slab = black_box(&*m.sharded);
            sum_lanes(&m.sharded_keys, |&k| slab.get(k).map_or(0.0, |p| p[0]))
        })
    });
    g.bench_function("rwlock_slab", |b| {
        let _writer = rwlock_slab_writer(m, contended);
        b.iter(|| {
            // One read lock for the batch, as a reader of many models holds it (and as ours
            // pins the epoch once per batch).
            let slab = black_box(&*m.rwlock).read();
            sum_lanes(&m.rwlock_keys, |&k| slab.get(k).map_or(0.0, |p| p[0]))
        })
    });
    // The lock taken for every get: what a reader pays to let a writer in between any two.
    g.bench_function("rwlock_slab_per_get", |b| {
        let _writer = rwlock_slab_writer(m, contended);
        b.iter(|| {
            let slab = black_box(&*m.rwlock);
            sum_lanes(&m.rwlock_keys, |&k| {
                slab.read().get(k).map_or(0.0, |p| p[0])
            })
        })
    });
}

/// With `contended`, a thread inserting and removing a model in the `RwLock<Slab>` store
/// until the returned value drops.
fn rwlock_slab_writer(m: &Models, contended: bool) -> Option<Background> {
    let slab = m.rwlock.clone();
    contended.then(|| {
        Background::start(move || {
            let key = slab.write().insert(position(0));
            slab.write().remove(key);
        })
    })
}

fn model_get(c: &mut Criterion) {
    let m = models();
    let mut g = c.benchmark_group("pools/model_get");
    bench_model_gets(&mut g, &m, false);
    g.finish();
}

fn model_get_contended(c: &mut Criterion) {
    let m = models();
    let mut g = c.benchmark_group("pools/model_get_contended");
    bench_model_gets(&mut g, &m, true);
    g.finish();
}

criterion_group! {
    name = benches;
    config = playground_benches::config(3);
    targets = component_get, component_iter, insert_remove, model_get, model_get_contended
}
criterion_main!(benches);
