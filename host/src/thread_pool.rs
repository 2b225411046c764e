//! [`ThreadPool`]: the host's threads, lent to module code as an [`Executor`].

use playground_kernel::{Executor, JobBatch};

/// A pool of worker threads created by the host, whose idle loop is the host's code: module
/// code reaches it only through `&dyn Executor`, so when a module is replaced no thread is
/// left running, or parked in, its library, and no reloaded copy starts a pool of its own.
pub struct ThreadPool {
    pool: rayon::ThreadPool,
}

impl std::fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadPool")
            .field("workers", &self.pool.current_num_threads())
            .finish()
    }
}

/// The pool could not start its threads.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the host's worker threads: {0}")]
pub struct ThreadPoolError(#[from] rayon::ThreadPoolBuildError);

impl ThreadPool {
    /// A pool whose batches use every core: one worker per core beyond the caller's.
    pub fn new() -> Result<Self, ThreadPoolError> {
        Self::with_threads(playground_kernel::sync::available_cores())
    }

    /// A pool whose batches are spread over `threads` threads, the caller included.
    pub fn with_threads(threads: usize) -> Result<Self, ThreadPoolError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.saturating_sub(1).max(1))
            .thread_name(|i| format!("playground-host-{i}"))
            .build()?;
        Ok(Self { pool })
    }
}

impl Executor for ThreadPool {
    fn threads(&self) -> usize {
        self.pool.current_num_threads() + 1
    }

    fn run(&self, count: usize, job: &(dyn Fn(usize) + Sync)) {
        // The caller runs jobs too, and takes any a worker has not claimed by then rather than
        // waiting for the worker to wake: a stage of two systems costs a hand-off only when
        // it pays.
        let workers = self.pool.current_num_threads();
        JobBatch::run(count, workers, job, |helper| {
            self.pool.spawn(move || helper.help())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_kernel::sync::Ordering;
    use playground_kernel::sync::atomic::AtomicUsize;

    #[test]
    fn every_job_runs_once_on_the_pool_or_the_caller() {
        let pool = ThreadPool::with_threads(3).unwrap();
        assert_eq!(pool.threads(), 3);
        let caller = std::thread::current().id();
        for count in [0, 1, 2, 50] {
            let hits: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
            pool.run(count, &|i| {
                let me = std::thread::current();
                if me.id() != caller {
                    let name = me.name().unwrap_or_default();
                    assert!(
                        name.starts_with("playground-host-"),
                        "job {i} ran on {name}"
                    );
                }
                hits[i].fetch_add(1, Ordering::Relaxed);
            });
            assert!(
                hits.iter().all(|h| h.load(Ordering::Relaxed) == 1),
                "{count}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "job 7")]
    fn a_job_panic_reaches_the_caller() {
        ThreadPool::with_threads(2)
            .unwrap()
            .run(9, &|i| assert_ne!(i, 7, "job 7"));
    }
}
