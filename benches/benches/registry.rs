//! `registry/*`: View lookup by id and through a stored `Binding`, pool lookup, lookup under a
//! writer rebinding every millisecond, and the cost of a call through a `Binding`. Peers:
//! dashmap, `parking_lot::RwLock<std HashMap>`, papaya (with a pin reused per batch).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dashmap::DashMap;
use parking_lot::RwLock;
use playground_benches::probe::{Probe, model_type, probe, view_id};
use playground_benches::{Background, shuffled};
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{ModelType, ViewId};
use playground_registry::{Binding, BindingRegistry, Implementation, ViewInfo};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

/// Lookups per measured iteration, in a shuffled order over the table.
const BATCH: usize = 1024;
const SIZES: [usize; 2] = [64, 4096];

type PoolKey = (ViewId, ModelType);

/// The same `n` Views in every store, and `BATCH` keys to look up in a shuffled order.
struct Tables {
    registry: Arc<BindingRegistry>,
    bindings: Vec<Binding<dyn Probe>>,
    dash: Arc<DashMap<ViewId, Arc<dyn Probe>>>,
    rwlock: RwLock<HashMap<ViewId, Arc<dyn Probe>>>,
    papaya: papaya::HashMap<ViewId, Arc<dyn Probe>>,
    pool_dash: DashMap<PoolKey, Arc<Vec<u64>>>,
    pool_rwlock: RwLock<HashMap<PoolKey, Arc<Vec<u64>>>>,
    keys: Vec<ViewId>,
    pool_keys: Vec<PoolKey>,
}

fn tables(n: usize) -> Tables {
    let registry = Arc::new(BindingRegistry::new());
    let dash = Arc::new(DashMap::new());
    let rwlock = RwLock::new(HashMap::new());
    let papaya = papaya::HashMap::new();
    let pool_dash = DashMap::new();
    let pool_rwlock = RwLock::new(HashMap::new());
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
        dash.insert(id, probe(i));
        rwlock.write().insert(id, probe(i));
        papaya.pin().insert(id, probe(i));
        pool_dash.insert((id, model_type(i)), Arc::new(Vec::new()));
        pool_rwlock
            .write()
            .insert((id, model_type(i)), Arc::new(Vec::new()));
    }
    let order: Vec<usize> = (0..BATCH).map(|k| shuffled(n, 3)[k % n]).collect();
    Tables {
        bindings: order
            .iter()
            .map(|&i| registry.binding_for::<dyn Probe>(view_id(i)).unwrap())
            .collect(),
        keys: order.iter().map(|&i| view_id(i)).collect(),
        pool_keys: order.iter().map(|&i| (view_id(i), model_type(i))).collect(),
        registry,
        dash,
        rwlock,
        papaya,
        pool_dash,
        pool_rwlock,
    }
}

fn lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("registry/lookup");
    g.throughput(Throughput::Elements(BATCH as u64));
    for n in SIZES {
        let mut t = tables(n);
        g.bench_function(BenchmarkId::new("binding_cached", n), |b| {
            b.iter(|| {
                t.bindings
                    .iter_mut()
                    .map(|b| b.get().map_or(0, |p| p.value()))
                    .sum::<u64>()
            })
        });
        let mut reader = t.registry.reader();
        g.bench_function(BenchmarkId::new("registry_get", n), |b| {
            b.iter(|| {
                t.keys
                    .iter()
                    .map(|&id| reader.get_by_id::<dyn Probe>(id).map_or(0, |p| p.value()))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            b.iter(|| {
                t.keys
                    .iter()
                    .map(|id| t.dash.get(id).map_or(0, |p| Probe::value(&**p)))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap", n), |b| {
            b.iter(|| {
                t.keys
                    .iter()
                    .map(|id| t.rwlock.read().get(id).map_or(0, |p| p.value()))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::new("papaya", n), |b| {
            b.iter(|| {
                let map = t.papaya.pin();
                t.keys
                    .iter()
                    .map(|id| map.get(id).map_or(0, |p| p.value()))
                    .sum::<u64>()
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
                t.pool_keys
                    .iter()
                    .map(|&(v, m)| reader.pool(v, m).map_or(0, |p| p.len()))
                    .sum::<usize>()
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            b.iter(|| {
                t.pool_keys
                    .iter()
                    .map(|k| t.pool_dash.get(k).map_or(0, |p| p.len()))
                    .sum::<usize>()
            })
        });
        g.bench_function(BenchmarkId::new("rwlock_hashmap", n), |b| {
            b.iter(|| {
                t.pool_keys
                    .iter()
                    .map(|k| t.pool_rwlock.read().get(k).map_or(0, |p| p.len()))
                    .sum::<usize>()
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
                t.keys
                    .iter()
                    .map(|&id| reader.get_by_id::<dyn Probe>(id).map_or(0, |p| p.value()))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::new("dashmap", n), |b| {
            let dash = t.dash.clone();
            let _writer = Background::start(move || {
                dash.insert(view_id(0), probe(0));
                std::thread::sleep(Duration::from_millis(1));
            });
            b.iter(|| {
                t.keys
                    .iter()
                    .map(|id| t.dash.get(id).map_or(0, |p| Probe::value(&**p)))
                    .sum::<u64>()
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
    targets = lookup, pool_lookup, lookup_contended, call
}
criterion_main!(benches);
