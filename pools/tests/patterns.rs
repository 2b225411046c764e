//! The same stress test over each component concurrency pattern: no update is lost, and the
//! patterns that promise a consistent component deliver one.

use playground_kernel::{Atomic, Entity, EntityId, Generation};
use playground_pools::{ComponentPool, ConcurrentCell, CopyOnWrite, Locked};
use std::sync::atomic::{AtomicBool, Ordering};

const THREADS: u64 = 4;
const UPDATES: u64 = 5_000;

/// Several threads increment one cell through `&` while a reader watches it only grow.
fn no_update_is_lost<C: ConcurrentCell<u64>>() {
    let cell = C::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut last = 0;
            while !stop.load(Ordering::Relaxed) {
                let now = cell.load();
                assert!(now >= last, "value went backwards: {last} -> {now}");
                last = now;
            }
        });
        let writers: Vec<_> = (0..THREADS)
            .map(|_| s.spawn(|| (0..UPDATES).for_each(|_| cell.update(|v| v + 1))))
            .collect();
        writers.into_iter().for_each(|w| w.join().unwrap());
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(cell.load(), THREADS * UPDATES);
}

#[test]
fn field_atomics_lose_no_update() {
    no_update_is_lost::<Atomic<u64>>();
}

#[test]
fn component_lock_loses_no_update() {
    no_update_is_lost::<Locked<u64>>();
}

#[test]
fn copy_on_write_loses_no_update() {
    no_update_is_lost::<CopyOnWrite<u64>>();
}

/// A whole component (three fields that writers keep equal) is read consistently.
fn reads_are_consistent<C: ConcurrentCell<[u64; 3]>>() {
    let cell = C::new([0; 3]);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let [a, b, c] = cell.load();
                assert!(a == b && b == c, "torn read: {a} {b} {c}");
            }
        });
        let writers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    (0..UPDATES).for_each(|_| cell.update(|&[a, b, c]| [a + 1, b + 1, c + 1]))
                })
            })
            .collect();
        writers.into_iter().for_each(|w| w.join().unwrap());
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(cell.load(), [THREADS * UPDATES; 3]);
}

#[test]
fn component_lock_reads_whole_components() {
    reads_are_consistent::<Locked<[u64; 3]>>();
}

#[test]
fn copy_on_write_reads_whole_versions() {
    reads_are_consistent::<CopyOnWrite<[u64; 3]>>();
}

#[test]
fn copy_on_write_reader_keeps_its_version() {
    let cell = CopyOnWrite::new(String::from("v1"));
    let held = cell.load_full();
    cell.store(String::from("v2"));
    assert_eq!(*held, "v1");
    assert_eq!(cell.read().as_str(), "v2");
}

/// Components made of `Atomic` fields in a pool, mutated by a chunked parallel iteration over
/// `&ComponentPool` (no lock, no `&mut`).
#[derive(Default)]
struct Position {
    x: Atomic<f32>,
    y: Atomic<f32>,
    z: Atomic<f32>,
}

#[test]
fn parallel_chunked_iteration_mutates_atomic_fields_without_a_lock() {
    let mut pool = ComponentPool::new();
    for i in 0..10_000 {
        pool.insert(Entity::new(EntityId(i), Generation(0)), Position::default())
            .unwrap();
    }
    let pool = &pool;
    for _ in 0..10 {
        std::thread::scope(|s| {
            for (_, chunk) in pool.chunks(1_024) {
                s.spawn(move || {
                    for p in chunk {
                        p.x.fetch_add(1.0);
                        p.y.fetch_add(2.0);
                        p.z.store(p.x.load() + p.y.load());
                    }
                });
            }
        });
    }
    assert!(
        pool.components()
            .iter()
            .all(|p| (p.x.load(), p.y.load(), p.z.load()) == (10.0, 20.0, 30.0))
    );
}

/// Components behind per-component locks in a pool, updated from several threads at once.
#[test]
fn parallel_updates_of_locked_components_in_a_pool() {
    let mut pool = ComponentPool::new();
    for i in 0..1_000 {
        pool.insert(
            Entity::new(EntityId(i), Generation(0)),
            Locked::new(Vec::<u32>::new()),
        )
        .unwrap();
    }
    let pool = &pool;
    std::thread::scope(|s| {
        for t in 0..THREADS as u32 {
            s.spawn(move || pool.components().iter().for_each(|c| c.write().push(t)));
        }
    });
    assert!(
        pool.components()
            .iter()
            .all(|c| c.read().len() == THREADS as usize)
    );
}
