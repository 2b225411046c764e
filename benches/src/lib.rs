//! Shared fixtures of the Playground benchmark suites (deterministic shuffles, the
//! background-writer harness of the contended groups, criterion settings) and the report that
//! `--bin report` prints. The suites themselves live in `benches/benches/`, one file per crate
//! under test.

#![allow(missing_docs, reason = "bench fixtures")]

pub mod lanes;
pub mod probe;
pub mod report;

use criterion::Criterion;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The suites' criterion settings: 1 s of warm-up and `measure_secs` of measurement per
/// function, so a full `cargo bench` stays within minutes on 2 cores. Settles the allocator
/// first (see [`settle_allocator`]), so every function of every group is measured against the
/// same heap policy.
pub fn config(measure_secs: u64) -> Criterion {
    settle_allocator();
    Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(measure_secs))
}

/// Criterion's default settings, after [`settle_allocator`]: for suites that keep criterion's
/// own warm-up and measurement times.
pub fn settled_default() -> Criterion {
    settle_allocator();
    Criterion::default()
}

/// Bytes of the buffer [`settle_allocator`] allocates and frees.
pub const SETTLE_BYTES: usize = 16 << 20;

/// Puts glibc's malloc in the steady state of a long-running process (one that has once freed
/// a large buffer: a level file, a texture) before anything is measured.
///
/// Why: glibc adapts its thresholds to the largest mmapped block freed so far. Until a
/// large block has been freed, a benchmark that builds and drops a 1-2 MB world per iteration
/// (`ecs/simple_insert`) has the heap top trimmed back to the OS on every drop and re-faulted
/// on every build, and whether that happens depends on what the harness allocated before, not
/// on the library measured: in one process, before this call existed, the same build measured
/// playground 108 or 972 µs and bevy_ecs 428 or 1,312 µs depending on that history, while
/// shipyard and hecs stayed put. Freeing one 16 MiB block raises the mmap threshold to
/// 16 MiB and the trim threshold to 32 MiB for the rest of the process, the same for every
/// peer. Nothing is touched, so it costs no page faults.
pub fn settle_allocator() {
    drop(std::hint::black_box(Vec::<u8>::with_capacity(SETTLE_BYTES)));
}

/// `0..n` in a fixed pseudo-random order (xorshift Fisher-Yates), the same on every run.
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed | 1;
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v.swap(i, (state % (i as u64 + 1)) as usize);
    }
    v
}

/// A thread that runs `work` in a loop until dropped: the contention in `*_contended` groups.
pub struct Background {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<u64>>,
}

impl Background {
    /// Starts `work` on its own thread; it runs until the returned value is dropped.
    pub fn start(mut work: impl FnMut() + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut rounds = 0;
            while !flag.load(Ordering::Relaxed) {
                work();
                rounds += 1;
            }
            rounds
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shuffle_is_a_permutation() {
        let mut v = super::shuffled(1000, 42);
        assert_ne!(v, (0..1000).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..1000).collect::<Vec<_>>());
    }
}
