//! `kernel/*`: the cost of a component field access under each sharing pattern, and of one
//! call under each kind of dispatch. Every group holds its baseline (`plain_f32`, `direct`),
//! so ratios are read within one run.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crossbeam_utils::atomic::AtomicCell;
use parking_lot::RwLock;
use playground_benches::lanes::sum_lanes;
use playground_kernel::Atomic;
use std::hint::black_box;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

const N: usize = 10_000;
const FIELDS: u64 = 3;

#[derive(Clone, Copy)]
struct PlainPos {
    x: f32,
    y: f32,
    z: f32,
}

struct AtomicPos {
    x: Atomic<f32>,
    y: Atomic<f32>,
    z: Atomic<f32>,
}

/// The seeds' layout: every field its own heap allocation.
struct ArcCellPos {
    x: Arc<AtomicCell<f32>>,
    y: Arc<AtomicCell<f32>>,
    z: Arc<AtomicCell<f32>>,
}

/// Every field its own shared lock, as `Arc<RwLock<f32>>` (parking_lot's lock).
struct SharedPos {
    x: Arc<RwLock<f32>>,
    y: Arc<RwLock<f32>>,
    z: Arc<RwLock<f32>>,
}

fn seed(i: usize) -> (f32, f32, f32) {
    let f = i as f32;
    (f, f * 0.5, f * 0.25)
}

/// The same `N` positions in each field layout.
struct Layouts {
    plain: Vec<PlainPos>,
    atomic: Vec<AtomicPos>,
    arc: Vec<ArcCellPos>,
    shared: Vec<SharedPos>,
}

fn layouts() -> Layouts {
    let plain: Vec<PlainPos> = (0..N)
        .map(seed)
        .map(|(x, y, z)| PlainPos { x, y, z })
        .collect();
    let atomic: Vec<AtomicPos> = (0..N)
        .map(seed)
        .map(|(x, y, z)| AtomicPos {
            x: x.into(),
            y: y.into(),
            z: z.into(),
        })
        .collect();
    let arc: Vec<ArcCellPos> = (0..N)
        .map(seed)
        .map(|(x, y, z)| ArcCellPos {
            x: Arc::new(AtomicCell::new(x)),
            y: Arc::new(AtomicCell::new(y)),
            z: Arc::new(AtomicCell::new(z)),
        })
        .collect();
    let shared: Vec<SharedPos> = (0..N)
        .map(seed)
        .map(|(x, y, z)| SharedPos {
            x: Arc::new(RwLock::new(x)),
            y: Arc::new(RwLock::new(y)),
            z: Arc::new(RwLock::new(z)),
        })
        .collect();

    Layouts {
        plain,
        atomic,
        arc,
        shared,
    }
}

fn field_read(c: &mut Criterion) {
    let Layouts {
        plain,
        atomic,
        arc,
        shared,
    } = layouts();

    let mut g = c.benchmark_group("kernel/field_read");
    g.throughput(Throughput::Elements(N as u64 * FIELDS));
    g.bench_function("plain_f32", |b| {
        b.iter(|| sum_lanes(black_box(&plain), |p| p.x + p.y + p.z))
    });
    g.bench_function("atomic_inline", |b| {
        b.iter(|| sum_lanes(black_box(&atomic), |p| p.x.load() + p.y.load() + p.z.load()))
    });
    g.bench_function("arc_atomic_cell", |b| {
        b.iter(|| sum_lanes(black_box(&arc), |p| p.x.load() + p.y.load() + p.z.load()))
    });
    g.bench_function("shared_rwlock", |b| {
        b.iter(|| {
            sum_lanes(black_box(&shared), |p| {
                *p.x.read() + *p.y.read() + *p.z.read()
            })
        })
    });
    g.finish();
}

fn field_write(c: &mut Criterion) {
    let Layouts {
        mut plain,
        atomic,
        arc,
        shared,
    } = layouts();

    // Each iteration adds a value to every field (a read-modify-write, as a system moving
    // positions does), through the same FP registers for every pattern: a plain store of a
    // value kept in an FP register and an atomic store of its bits through an integer one are
    // different instructions, which a store-only loop would measure instead of the pattern.
    // Elements are independent, so the loop is bound by access, not by one add chain.
    let mut g = c.benchmark_group("kernel/field_write");
    g.throughput(Throughput::Elements(N as u64 * FIELDS));
    g.bench_function("plain_f32", |b| {
        b.iter(|| {
            let v = black_box(1.0f32);
            for p in black_box(&mut plain).iter_mut() {
                p.x += v;
                p.y += v;
                p.z += v;
            }
        })
    });
    g.bench_function("atomic_inline", |b| {
        b.iter(|| {
            let v = black_box(1.0f32);
            for p in black_box(&atomic) {
                p.x.store(p.x.load() + v);
                p.y.store(p.y.load() + v);
                p.z.store(p.z.load() + v);
            }
        })
    });
    g.bench_function("arc_atomic_cell", |b| {
        b.iter(|| {
            let v = black_box(1.0f32);
            for p in black_box(&arc) {
                p.x.store(p.x.load() + v);
                p.y.store(p.y.load() + v);
                p.z.store(p.z.load() + v);
            }
        })
    });
    g.bench_function("shared_rwlock", |b| {
        b.iter(|| {
            let v = black_box(1.0f32);
            for p in black_box(&shared) {
                *p.x.write() += v;
                *p.y.write() += v;
                *p.z.write() += v;
            }
        })
    });
    g.finish();
}

trait Step: Send + Sync {
    fn step(&self, x: u64) -> u64;
}

#[async_trait::async_trait]
trait AsyncStep: Send + Sync {
    async fn step(&self, x: u64) -> u64;
}

trait NativeAsyncStep {
    #[allow(
        async_fn_in_trait,
        reason = "static dispatch only; no Send bound needed here"
    )]
    async fn step(&self, x: u64) -> u64;
}

struct Adder(u64);

impl Adder {
    #[inline(never)]
    fn step(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
}

impl Step for Adder {
    #[inline(never)]
    fn step(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
}

#[async_trait::async_trait]
impl AsyncStep for Adder {
    async fn step(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
}

impl NativeAsyncStep for Adder {
    async fn step(&self, x: u64) -> u64 {
        x.wrapping_add(self.0)
    }
}

/// Polls a future that never waits to completion with a no-op waker: the cost measured is the
/// call and, for `async_trait`, its boxed future, not an executor.
fn block_on_ready<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn dispatch(c: &mut Criterion) {
    let adder = Adder(3);
    let dyn_step: &dyn Step = &adder;
    let arc_step: Arc<dyn Step> = Arc::new(Adder(3));
    let async_step: Arc<dyn AsyncStep> = Arc::new(Adder(3));

    let mut g = c.benchmark_group("kernel/dispatch");
    g.throughput(Throughput::Elements(1));
    g.bench_function("direct", |b| {
        b.iter(|| black_box(&adder).step(black_box(1)))
    });
    g.bench_function("dyn_trait", |b| {
        b.iter(|| black_box(dyn_step).step(black_box(1)))
    });
    g.bench_function("arc_dyn_trait", |b| {
        b.iter(|| black_box(&arc_step).step(black_box(1)))
    });
    g.bench_function("async_trait", |b| {
        b.iter(|| block_on_ready(black_box(&async_step).step(black_box(1))))
    });
    g.bench_function("native_async", |b| {
        b.iter(|| block_on_ready(NativeAsyncStep::step(black_box(&adder), black_box(1))))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = playground_benches::settled_default();
    targets = field_read, field_write, dispatch
}
criterion_main!(benches);
