//! [`JobBatch`]: a batch of jobs that the calling thread and any helpers claim by index, so
//! the caller waits for jobs others have started, never for a helper to start.
//!
//! A pool that hands job `i` to a sleeping worker makes the caller wait for that worker to wake
//! (a futex wake, then a scheduler's decision), even when the caller has finished its own share
//! and could have run job `i` itself in less time. Measured on a two-core VM, waking the
//! worker for the second system of a schedule stage made the stage slower than running all of
//! it on the caller. Here every thread, the caller first, takes the next unclaimed index; the
//! caller runs jobs until none is left, then waits only until every claimed job has returned.
//! A helper that starts after that finds nothing to claim and returns without touching the
//! jobs, which may be gone by then: it holds the batch's counters, not the caller's stack.

#![allow(
    unsafe_code,
    reason = "a helper on a long-lived thread calls the caller's borrowed job; argued at each block"
)]

use crate::sync::atomic::AtomicUsize;
use crate::sync::{Arc, Mutex, Ordering, thread};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// The caller's job with its lifetime erased, so a helper on a long-lived thread can hold it.
/// Called only by a thread that claimed an index below the batch's count (see
/// [`JobBatch::run_claimed`]).
struct JobRef(*const (dyn Fn(usize) + Sync + 'static));

// SAFETY: the pointee is `Fn + Sync`, so calling it from several threads at once is what its
// own type allows; the pointer is dereferenced only while it is valid (see `run_claimed`).
unsafe impl Send for JobRef {}
// SAFETY: as above; sharing the pointer shares only the right to call a `Sync` closure.
unsafe impl Sync for JobRef {}

/// One batch: `count` jobs, claimed in index order by whichever thread asks next.
pub struct JobBatch {
    job: JobRef,
    count: usize,
    /// The next index to hand out; at or past `count` once every job is claimed.
    next: AtomicUsize,
    /// Jobs that have returned (or panicked); the caller leaves when it reaches `count`.
    done: AtomicUsize,
    /// The first panic of a job, resumed on the caller when the batch is over.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    /// The calling thread, unparked by whichever thread finishes the last job.
    caller: thread::Thread,
}

/// A share of a [`JobBatch`] to run on another thread: [`Helper::help`] claims and runs jobs
/// until none is left. `Send + 'static`, so a pool can run it whenever a thread is free; if
/// that is after the batch is over, it runs nothing.
pub struct Helper(Arc<JobBatch>);

impl Helper {
    /// Claims and runs the batch's jobs until every one is claimed.
    pub fn help(self) {
        self.0.run_claimed();
    }
}

impl JobBatch {
    /// Calls `job(i)` once for every `i` in `0..count` and returns when every call has
    /// returned. The calling thread runs jobs itself; `spawn` is given `helpers` [`Helper`]s
    /// first, to run on other threads. A job's panic is resumed here once the batch is over.
    pub fn run(
        count: usize,
        helpers: usize,
        job: &(dyn Fn(usize) + Sync),
        mut spawn: impl FnMut(Helper),
    ) {
        let job: *const (dyn Fn(usize) + Sync + '_) = job;
        // SAFETY: only the lifetime changes (same pointer, same vtable). The pointer is
        // dereferenced only in `run_claimed`, by a thread that claimed an index below `count`;
        // this function returns only once `done` reaches `count`, that is after every such
        // call has returned, and while it runs `job` is borrowed, so alive.
        let job = JobRef(unsafe {
            std::mem::transmute::<
                *const (dyn Fn(usize) + Sync + '_),
                *const (dyn Fn(usize) + Sync + 'static),
            >(job)
        });
        let batch = Arc::new(Self {
            job,
            count,
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            panic: Mutex::new(None),
            caller: thread::current(),
        });
        for _ in 0..helpers.min(count.saturating_sub(1)) {
            spawn(Helper(batch.clone()));
        }
        batch.run_claimed();
        batch.wait();
        let panic = batch.panic.lock().take();
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
    }

    /// Claims the next index and runs its job, until every index is claimed.
    fn run_claimed(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.count {
                return;
            }
            // SAFETY: `i < count` was claimed by this thread alone, so the caller is still in
            // `run`, waiting for `done` to count this job (see `run`): `job` is alive.
            let job = unsafe { &*self.job.0 };
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| job(i))) {
                self.panic.lock().get_or_insert(payload);
            }
            // Release: the job's effects (and a recorded panic) happen before the caller,
            // acquiring `done`, returns.
            if self.done.fetch_add(1, Ordering::AcqRel) + 1 == self.count {
                self.caller.unpark();
            }
        }
    }

    /// Waits until every job has returned: briefly spinning (a job a helper is finishing
    /// usually ends within a few microseconds), then parked until the last job unparks it.
    fn wait(&self) {
        /// Checks before parking. None in loom models, where a spin is only more interleavings.
        const SPINS: usize = if cfg!(loom) { 0 } else { 1 << 10 };
        for _ in 0..SPINS {
            if self.done.load(Ordering::Acquire) == self.count {
                return;
            }
            std::hint::spin_loop();
        }
        // `unpark` before `park` leaves a token, so the last job's wake-up is never lost; a
        // stray token or a spurious wake-up only costs one more check.
        while self.done.load(Ordering::Acquire) != self.count {
            thread::park();
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::sync::atomic::AtomicUsize;

    #[test]
    fn with_no_helper_running_the_caller_runs_every_job_once() {
        for count in [0, 1, 2, 9] {
            let hits: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
            let mut late = Vec::new();
            JobBatch::run(
                count,
                3,
                &|i| {
                    hits[i].fetch_add(1, Ordering::Relaxed);
                },
                |helper| late.push(helper),
            );
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
            assert_eq!(late.len(), count.saturating_sub(1).min(3));
            // Helpers that start after the batch is over run nothing (and, the closure being
            // gone, must not call it: AddressSanitizer checks this in CI).
            for helper in late {
                helper.help();
            }
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
        }
    }

    #[test]
    fn a_helper_on_another_thread_shares_the_jobs_and_the_caller_waits_for_its_claims() {
        let count = 64;
        let hits: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
        // The caller's first job and the helper's first job meet here, so the helper has
        // claimed a job before the caller can run out of them.
        let barrier = std::sync::Barrier::new(2);
        let caller = std::thread::current().id();
        let (on_caller, on_helper) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            JobBatch::run(
                count,
                1,
                &|i| {
                    let mine = if std::thread::current().id() == caller {
                        &on_caller
                    } else {
                        &on_helper
                    };
                    if mine.fetch_add(1, Ordering::Relaxed) == 0 {
                        barrier.wait();
                    }
                    hits[i].fetch_add(1, Ordering::Relaxed);
                },
                |helper| {
                    s.spawn(|| helper.help());
                },
            );
            // Everything the helper claimed has returned by now, though its thread may not.
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
        });
        assert!(on_helper.load(Ordering::Relaxed) >= 1);
    }

    #[test]
    #[should_panic(expected = "job 5")]
    fn a_job_panic_reaches_the_caller_after_every_job_ran() {
        JobBatch::run(9, 0, &|i| assert_ne!(i, 5, "job 5"), |_| {});
    }
}

#[cfg(all(test, loom))]
mod loom_models {
    use super::*;
    use crate::sync::{model, thread};

    /// The caller and a helper race for two jobs: each job runs once, the caller returns only
    /// after the helper's claim (if any) has returned, and a helper that comes after the batch
    /// is over runs nothing.
    #[test]
    fn every_job_runs_once_and_the_caller_returns_after_every_claimed_job() {
        model(|| {
            let hits = [AtomicUsize::new(0), AtomicUsize::new(0)];
            let mut helpers = Vec::new();
            JobBatch::run(
                2,
                1,
                &|i| {
                    hits[i].fetch_add(1, Ordering::Relaxed);
                },
                |helper| helpers.push(thread::spawn(move || helper.help())),
            );
            // Read before the helper is joined: `run` alone must have waited for its job.
            assert_eq!(hits[0].load(Ordering::Relaxed), 1);
            assert_eq!(hits[1].load(Ordering::Relaxed), 1);
            for helper in helpers {
                helper.join().unwrap();
            }
        });
    }
}
