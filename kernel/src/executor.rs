//! [`Executor`]: threads that belong to the host, lent to module code for parallel work.
//!
//! A hot-reloadable module must never start threads of its own that outlive a call: a
//! thread parked in a module's copy of a thread pool runs that library's code, so the library
//! could never be unmapped, and each reloaded copy would start another pool. So module code
//! (a schedule's stages, `par_for_each`) asks an `Executor` the host passes in, through a
//! trait object whose code is the host's. Without one it falls back to [`ScopedThreads`],
//! whose threads are joined before the call returns, so no thread is ever left in a module.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// Runs a batch of jobs on several threads, returning when every job has returned.
pub trait Executor: Send + Sync {
    /// How many threads a batch is spread over, the calling thread included.
    fn threads(&self) -> usize;

    /// Calls `job(i)` once for every `i` in `0..count`, on this executor's threads and the
    /// calling thread, and returns when every call has returned. A job's panic is resumed on
    /// the caller once the batch is over.
    fn run(&self, count: usize, job: &(dyn Fn(usize) + Sync));
}

/// The fallback executor: one scoped OS thread per job beyond the first, which runs on the
/// caller; every thread is joined before [`Executor::run`] returns. Sound anywhere, including
/// inside a module that may be unloaded, but it pays a thread start per job.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScopedThreads;

impl Executor for ScopedThreads {
    fn threads(&self) -> usize {
        crate::sync::available_cores()
    }

    fn run(&self, count: usize, job: &(dyn Fn(usize) + Sync)) {
        match count {
            0 => {}
            1 => job(0),
            _ => std::thread::scope(|s| {
                let others: Vec<_> = (1..count).map(|i| s.spawn(move || job(i))).collect();
                let mut panic = catch_unwind(AssertUnwindSafe(|| job(0))).err();
                // Joined by hand, so the job's own panic, not the scope's, reaches the caller.
                for other in others {
                    if let Err(payload) = other.join() {
                        panic.get_or_insert(payload);
                    }
                }
                if let Some(payload) = panic {
                    resume_unwind(payload);
                }
            }),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::sync::atomic::AtomicUsize;
    use crate::sync::{Mutex, Ordering};

    #[test]
    fn every_job_runs_once_and_the_batch_ends_after_all() {
        for count in [0, 1, 2, 7] {
            let hits: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
            let threads = Mutex::new(std::collections::HashSet::new());
            ScopedThreads.run(count, &|i| {
                hits[i].fetch_add(1, Ordering::Relaxed);
                threads.lock().insert(std::thread::current().id());
            });
            assert!(
                hits.iter().all(|h| h.load(Ordering::Relaxed) == 1),
                "{count}"
            );
            assert_eq!(threads.lock().len(), count, "one thread per job");
        }
    }

    #[test]
    #[should_panic(expected = "job 3")]
    fn a_job_panic_reaches_the_caller() {
        ScopedThreads.run(5, &|i| assert_ne!(i, 3, "job 3"));
    }
}
