//! `registry/*`: View lookup by id and through a stored `Binding`, pool lookup, lookup under a
//! writer rebinding every millisecond, a rebind, and the cost of a call through a `Binding`.
//!
//! Equal terms for every function of a lookup group: the same ids in the same shuffled
//! order, the same identity hasher for every concurrent hash map (the ids are already FNV-1a
//! hashes), the locking a competent user writes for a batch (one `RwLock` read guard, one
//! papaya pin, per batch; `rwlock_hashmap_per_get` keeps the lock-per-get variant), and the
//! looked-up reference handed to `black_box` without a call on it (the call is measured once,
//! in `registry/call`). The floors: `vec_index` (a `Vec` indexed by position, no id at all),
//! and a `HashMap` with no concurrency under each of two hashers, since neither wins at both
//! sizes: `nohash_hashmap` (the identity hash) and `fxhash_hashmap` (rustc-hash's `FxHasher`).
//! FNV-1a ids of names that differ only in their last characters differ little in their top
//! bits, which hashbrown keeps as each slot's tag; at 64 ids those tags collide and the
//! identity hash loses to FxHash, whose multiply and rotate spread them.

use arc_swap::ArcSwap;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dashmap::DashMap;
use parking_lot::RwLock;
use playground_benches::probe::{Probe, model_type, probe, view_id};
use playground_benches::{Background, shuffled};
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{IdMap, ModelType, ViewId};
use playground_registry::{Binding, BindingRegistry, Implementation, ViewInfo};
use rustc_hash::FxHashMap;
use std::hash::BuildHasherDefault;
use std::hint::black_box;
use std::time::Duration;

/// Lookups per measured iteration, in a shuffled order over the table.
const BATCH: usize = 1024;
const SIZES: [usize; 2] = [64, 4096];

type PoolKey = (ViewId, ModelType);
type IdHash = BuildHasherDefault<playground_kernel::IdHasher>;

/// The same `n` Views in every store, and `BATCH` keys to look up in a shuffled order.
struct Tables {
    registry: Arc<BindingRegistry>,
    bindings: Vec<Binding<dyn Probe>>,
    vec: Vec<Arc<dyn Probe>>,
    nohash: IdMap<ViewId, Arc<dyn Probe>>,
    fx: FxHashMap<ViewId, Arc<dyn Probe>>,
    dash: Arc<DashMap<ViewId, Arc<dyn Probe>, IdHash>>,
    rwlock: RwLock<IdMap<ViewId, Arc<dyn Probe>>>,
    papaya: papaya::HashMap<ViewId, Arc<dyn Probe>, IdHash>,
    pool_vec: Vec<Arc<Vec<u64>>>,
    pool_nohash: IdMap<PoolKey, Arc<Vec<u64>>>,
    pool_fx: FxHashMap<PoolKey, Arc<Vec<u64>>>,
    pool_dash: DashMap<PoolKey, Arc<Vec<u64>>, IdHash>,
    pool_rwlock: RwLock<IdMap<PoolKey, Arc<Vec<u64>>>>,
    pool_papaya: papaya::HashMap<PoolKey, Arc<Vec<u64>>, IdHash>,
    /// Positions in the tables, in lookup order (what `vec_index` indexes by).
    order: Vec<usize>,
    keys: Vec<ViewId>,
    pool_keys: Vec<PoolKey>,
}

fn tables(n: usize) -> Tables {
    let registry = Arc::new(BindingRegistry::new());
    let mut t = Tables {
        registry: registry.clone(),
        bindings: Vec::new(),
        vec: (0..n).map(probe).collect(),
        nohash: IdMap::default(),
        fx: FxHashMap::default(),
        dash: Arc::new(DashMap::with_hasher(IdHash::default())),
        rwlock: RwLock::new(IdMap::default()),
        papaya: papaya::HashMap::with_hasher(IdHash::default()),
        pool_vec: (0..n).map(|_| Arc::new(Vec::new())).collect(),
        pool_nohash: IdMap::default(),
        pool_fx: FxHashMap::default(),
        pool_dash: DashMap::with_hasher(IdHash::default()),
        pool_rwlock: RwLock::new(IdMap::default()),
        pool_papaya: papaya::HashMap::with_hasher(IdHash::default()),
        order: (0..BATCH).map(|k| shuffled(n, 3)[k % n]).collect(),
        keys: Vec::new(),
        pool_keys: Vec::new(),
    };
    for i in 0..n {
        let id = view_id(i);
        let info = ViewInfo {
            view_id: id,
            name: "bench.view",
            api_version: 1,
            type_name: "",
        };
        registry.register_view_as::<dyn Probe>(info).unwrap();
        registry
            .bind_to::<dyn Probe>(id, Implementation::new("p", 1, probe(i)))
            .unwrap();
        registry.register_pool(id, model_type(i)).unwrap();
        t.nohash.insert(id, probe(i));
        t.fx.insert(id, probe(i));
        t.dash.insert(id, probe(i));
        t.rwlock.write().insert(id, probe(i));
        t.papaya.pin().insert(id, probe(i));
        let key = (id, model_type(i));
        t.pool_nohash.insert(key, Arc::new(Vec::new()));
        t.pool_fx.insert(key, Arc::new(Vec::new()));
        t.pool_dash.insert(key, Arc::new(Vec::new()));
        t.pool_rwlock.write().insert(key, Arc::new(Vec::new()));
        t.pool_papaya.pin().insert(key, Arc::new(Vec::new()));
    }
    t.bindings = t
        .order
        .iter()
        .map(|&i| registry.binding_for::<dyn Probe>(view_id(i)).unwrap())
        .collect();
    t.keys = t.order.iter().map(|&i| view_id(i)).collect();
    t.pool_keys = t
        .order
        .iter()
        .map(|&i| (view_id(i), model_type(i)))
        .collect();
    t
}

fn lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("registry/lookup");
    g.throughput(Throughput::Elements(BATCH as u64));
    for n in SIZES {
        let mut t = tables(n);
        g.bench_function(BenchmarkId::new("binding_cached", n), |b| {
            b.iter(|| {
                for binding in &mut t.bindings {
                    black_box(binding.get());
                }
            })
        });
        let mut reader = t.registry.reader();
        g.bench_function(BenchmarkId::new("registry_get", n), |b| {
            b.iter(|| {
                for &id in &t.keys {
                    black_box(reader.get_by_id::<dyn Probe>(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("vec_index", n), |b| {
            b.iter(|| {
                let vec = black_box(&t.vec);
                for &i in &t.order {
                    black_box(&vec[i]);
                }
            })
        });
        g.bench_function(BenchmarkId::new("nohash_hashmap", n), |b| {
            b.iter(|| {
                let map = black_box(&t.nohash);
                for id in &t.keys {
                    black_box(map.get(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("fxhash_hashmap", n), |b| {
            b.iter(|| {
                let map = black_box(&t.fx);
                for id in &t.keys {
                    black_box(map.get(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            b.iter(|| {
                for id in &t.keys {
                    black_box(t.dash.get(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap", n), |b| {
            b.iter(|| {
                let map = t.rwlock.read();
                for id in &t.keys {
                    black_box(map.get(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap_per_get", n), |b| {
            b.iter(|| {
                for id in &t.keys {
                    black_box(t.rwlock.read().get(id).is_some());
                }
            })
        });
        g.bench_function(BenchmarkId::new("papaya", n), |b| {
            b.iter(|| {
                let map = t.papaya.pin();
                for id in &t.keys {
                    black_box(map.get(id));
                }
            })
        });
    }
    g.finish();
}

fn pool_lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("registry/pool_lookup");
    g.throughput(Throughput::Elements(BATCH as u64));
    for n in SIZES {
        let t = tables(n);
        let mut reader = t.registry.reader();
        g.bench_function(BenchmarkId::new("playground", n), |b| {
            b.iter(|| {
                for &(v, m) in &t.pool_keys {
                    black_box(reader.pool(v, m));
                }
            })
        });
        g.bench_function(BenchmarkId::new("vec_index", n), |b| {
            b.iter(|| {
                let vec = black_box(&t.pool_vec);
                for &i in &t.order {
                    black_box(&vec[i]);
                }
            })
        });
        g.bench_function(BenchmarkId::new("nohash_hashmap", n), |b| {
            b.iter(|| {
                let map = black_box(&t.pool_nohash);
                for k in &t.pool_keys {
                    black_box(map.get(k));
                }
            })
        });
        g.bench_function(BenchmarkId::new("fxhash_hashmap", n), |b| {
            b.iter(|| {
                let map = black_box(&t.pool_fx);
                for k in &t.pool_keys {
                    black_box(map.get(k));
                }
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            b.iter(|| {
                for k in &t.pool_keys {
                    black_box(t.pool_dash.get(k));
                }
            })
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap", n), |b| {
            b.iter(|| {
                let map = t.pool_rwlock.read();
                for k in &t.pool_keys {
                    black_box(map.get(k));
                }
            })
        });
        g.bench_function(BenchmarkId::new("papaya", n), |b| {
            b.iter(|| {
                let map = t.pool_papaya.pin();
                for k in &t.pool_keys {
                    black_box(map.get(k));
                }
            })
        });
    }
    g.finish();
}

/// Lookups while another thread replaces one implementation every millisecond.
fn lookup_contended(c: &mut Criterion) {
    let mut g = c.benchmark_group("registry/lookup_contended");
    g.throughput(Throughput::Elements(BATCH as u64));
    for n in SIZES {
        let t = tables(n);
        g.bench_function(BenchmarkId::new("registry_get", n), |b| {
            let registry = t.registry.clone();
            let _writer = Background::start(move || {
                registry
                    .rebind_to::<dyn Probe>(view_id(0), Implementation::new("p", 1, probe(0)))
                    .unwrap();
                std::thread::sleep(Duration::from_millis(1));
            });
            let mut reader = t.registry.reader();
            b.iter(|| {
                for &id in &t.keys {
                    black_box(reader.get_by_id::<dyn Probe>(id));
                }
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            let dash = t.dash.clone();
            let _writer = Background::start(move || {
                dash.insert(view_id(0), probe(0));
                std::thread::sleep(Duration::from_millis(1));
            });
            b.iter(|| {
                for id in &t.keys {
                    black_box(t.dash.get(id));
                }
            })
        });
    }
    g.finish();
}

/// One rebind of one View in a registry of `n` bound Views: what a reload pays per View it
/// publishes. The registry copies its snapshot on every write (so lookups never lock or
/// count), so this grows with `n`. `arc_swap_rcu` is the same copy-on-write written the way
/// arc-swap's docs write it (`rcu` over a cloned map); the concurrent maps write in place and
/// pay for it on every read instead (see `registry/lookup`).
fn rebind(c: &mut Criterion) {
    let mut g = c.benchmark_group("registry/rebind");
    g.throughput(Throughput::Elements(1));
    for n in SIZES {
        let t = tables(n);
        let id = view_id(0);
        g.bench_function(BenchmarkId::new("playground", n), |b| {
            b.iter(|| {
                t.registry
                    .rebind_to::<dyn Probe>(id, Implementation::new("p", 1, probe(0)))
                    .unwrap()
            })
        });
        let rcu = ArcSwap::from_pointee(t.nohash.clone());
        g.bench_function(BenchmarkId::new("arc_swap_rcu", n), |b| {
            b.iter(|| {
                rcu.rcu(|map| {
                    let mut map = IdMap::clone(map);
                    map.insert(id, probe(0));
                    map
                })
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            b.iter(|| t.dash.insert(id, probe(0)))
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap", n), |b| {
            b.iter(|| t.rwlock.write().insert(id, probe(0)))
        });
        g.bench_function(BenchmarkId::new("papaya", n), |b| {
            b.iter(|| {
                t.papaya.pin().insert(id, probe(0));
            })
        });
    }
    g.finish();
}

/// One call of a View method: straight through `&dyn`, and through a stored `Binding`.
fn call(c: &mut Criterion) {
    let registry = BindingRegistry::new();
    let id = view_id(0);
    registry
        .register_view_as::<dyn Probe>(ViewInfo {
            view_id: id,
            name: "p",
            api_version: 1,
            type_name: "",
        })
        .unwrap();
    let imp = probe(7);
    registry
        .bind_to::<dyn Probe>(id, Implementation::new("p", 1, imp.clone()))
        .unwrap();
    let mut binding = registry.binding_for::<dyn Probe>(id).unwrap();
    let direct: &dyn Probe = &*imp;

    let mut g = c.benchmark_group("registry/call");
    g.throughput(Throughput::Elements(1));
    g.bench_function("direct_dyn", |b| b.iter(|| black_box(direct).value()));
    g.bench_function("binding", |b| {
        b.iter(|| black_box(&mut binding).get().map_or(0, |p| p.value()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = playground_benches::config(2);
    targets = lookup, pool_lookup, lookup_contended, rebind, call
}
criterion_main!(benches);
