//! [`RawBorrow`]: a reader-writer lock made for try-borrows, whose writer lets go with a plain
//! store.
//!
//! The ECS world locks a component pool for the length of one query and refuses a conflicting
//! borrow rather than wait for it, so nearly every acquisition is a `try_read` or `try_write`
//! that succeeds. parking_lot's lock releases a write lock with a compare-exchange (it has to
//! see whether a thread is parked on it), and a locked instruction right after a query's
//! loop waits for every store of the loop to drain before the next query may start. This
//! lock keeps the protocol of `atomic_refcell`: a writer takes the lock with one
//! compare-exchange and releases it with one release store, so a query pays one locked
//! instruction instead of two. Readers count themselves as they do in any reader-writer
//! lock.
//!
//! A reader that finds a writer leaves its increment in the count rather than undoing it:
//! the writer's release store wipes the whole word, increments included, so no undo can race
//! with it. Only a reader whose increment landed while the writer bit was set fails, and the
//! writer's store comes after every such increment in the word's order, so none survives it.
//!
//! Nothing parks: the blocking `lock_shared` / `lock_exclusive` spin briefly, then yield the
//! processor between attempts. They serve the world's by-id and inspection paths, which wait
//! at most for one query to finish.

#![allow(
    unsafe_code,
    reason = "lock_api's RawRwLock is an unsafe trait, and a hold is released by an unsafe fn; argued at each block"
)]

use crate::sync::Ordering;
use crate::sync::atomic::AtomicUsize;

/// Set while a writer holds the lock.
const WRITER: usize = 1 << (usize::BITS - 1);
/// A reader count this high means a leak, not real readers: refuse before it reaches the
/// writer bit.
const MAX_READERS: usize = WRITER >> 1;
/// Attempts a blocking acquisition spins before it starts yielding.
const SPINS: u32 = 64;

/// The lock word of a [`BorrowLock`](crate::sync::BorrowLock): the writer bit and the number
/// of readers.
#[derive(Debug)]
pub struct RawBorrow {
    state: AtomicUsize,
}

impl Default for RawBorrow {
    fn default() -> Self {
        Self::new()
    }
}

impl RawBorrow {
    /// An unlocked lock word.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self {
            state: AtomicUsize::new(0),
        }
    }

    /// An unlocked lock word.
    #[cfg(loom)]
    pub fn new() -> Self {
        Self {
            state: AtomicUsize::new(0),
        }
    }

    /// Takes a shared hold if no writer holds the lock.
    #[inline]
    pub fn try_lock_shared(&self) -> bool {
        let readers = self.state.fetch_add(1, Ordering::Acquire) + 1;
        if readers & WRITER != 0 {
            // The writer's release wipes this increment (see the module comment).
            return false;
        }
        if readers >= MAX_READERS {
            self.state.fetch_sub(1, Ordering::Release);
            panic!("a BorrowLock has too many readers: a read guard is being leaked");
        }
        true
    }

    /// Releases a shared hold.
    ///
    /// # Safety
    ///
    /// The caller holds a shared hold it took from this lock and gives it up.
    #[inline]
    pub unsafe fn unlock_shared(&self) {
        self.state.fetch_sub(1, Ordering::Release);
    }

    /// Takes the exclusive hold if nobody holds the lock.
    #[inline]
    pub fn try_lock_exclusive(&self) -> bool {
        self.state
            .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// Releases the exclusive hold.
    ///
    /// # Safety
    ///
    /// The caller holds the exclusive hold of this lock and gives it up.
    #[inline]
    pub unsafe fn unlock_exclusive(&self) {
        // Also clears the increments of readers that found the writer (module comment).
        #[cfg(not(loom))]
        self.state.store(0, Ordering::Release);
        // Loom lets a plain store land between the read and the write of another thread's
        // read-modify-write (tokio-rs/loom#254), which the memory model forbids and this
        // protocol relies on: a reader's increment reads the latest value. A swap is a write
        // at the same place in the word's order with the same release, and loom orders it
        // correctly against the readers' increments.
        #[cfg(loom)]
        self.state.swap(0, Ordering::Release);
    }

    /// Takes a shared hold, waiting for a writer to let go.
    pub fn lock_shared(&self) {
        wait_for(|| self.try_lock_shared());
    }

    /// Takes the exclusive hold, waiting for every holder to let go.
    pub fn lock_exclusive(&self) {
        wait_for(|| self.try_lock_exclusive());
    }

    /// Whether anyone holds the lock, at the moment of the load.
    pub fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) != 0
    }

    /// Whether a writer holds the lock, at the moment of the load.
    pub fn is_locked_exclusive(&self) -> bool {
        self.state.load(Ordering::Relaxed) & WRITER != 0
    }
}

/// Retries `attempt` until it succeeds: a short spin, then yielding between attempts.
#[cold]
fn wait_for(mut attempt: impl FnMut() -> bool) {
    let mut tries = 0u32;
    while !attempt() {
        if tries < SPINS {
            tries += 1;
            core::hint::spin_loop();
        } else {
            crate::sync::yield_now();
        }
    }
}

// SAFETY: a shared hold excludes the exclusive one and the exclusive hold excludes every
// other, as `lock_api` requires: `try_lock_exclusive` succeeds only from 0 (no reader, no
// writer); `try_lock_shared` succeeds only if its increment found no writer bit, and a
// writer's compare-exchange from 0 cannot succeed while that increment stands. Acquire on
// every taking and Release on every letting go order the data accesses of successive holders.
#[cfg(not(loom))]
unsafe impl lock_api::RawRwLock for RawBorrow {
    const INIT: Self = Self::new();

    // The guards stay on the thread that took them, as parking_lot's do.
    type GuardMarker = lock_api::GuardNoSend;

    #[inline]
    fn lock_shared(&self) {
        if !self.try_lock_shared() {
            RawBorrow::lock_shared(self);
        }
    }

    #[inline]
    fn try_lock_shared(&self) -> bool {
        RawBorrow::try_lock_shared(self)
    }

    #[inline]
    unsafe fn unlock_shared(&self) {
        // SAFETY: forwarded from the caller.
        unsafe { RawBorrow::unlock_shared(self) }
    }

    #[inline]
    fn lock_exclusive(&self) {
        if !self.try_lock_exclusive() {
            RawBorrow::lock_exclusive(self);
        }
    }

    #[inline]
    fn try_lock_exclusive(&self) -> bool {
        RawBorrow::try_lock_exclusive(self)
    }

    #[inline]
    unsafe fn unlock_exclusive(&self) {
        // SAFETY: forwarded from the caller.
        unsafe { RawBorrow::unlock_exclusive(self) }
    }

    fn is_locked(&self) -> bool {
        RawBorrow::is_locked(self)
    }

    fn is_locked_exclusive(&self) -> bool {
        RawBorrow::is_locked_exclusive(self)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::RawBorrow;
    use crate::sync::BorrowLock;
    use proptest::prelude::*;

    #[derive(Debug, Clone, Copy)]
    enum Op {
        TryRead,
        ReleaseRead,
        TryWrite,
        ReleaseWrite,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::TryRead),
            Just(Op::ReleaseRead),
            Just(Op::TryWrite),
            Just(Op::ReleaseWrite),
        ]
    }

    proptest! {
        /// Against a reference of a reader count and a writer flag: every attempt succeeds
        /// exactly when the reference allows it, whatever failed attempts came before.
        #[test]
        fn holds_follow_a_reader_count_and_a_writer_flag(ops in prop::collection::vec(op(), 0..200)) {
            let lock = RawBorrow::new();
            let (mut readers, mut writer) = (0usize, false);
            for op in ops {
                match op {
                    Op::TryRead => {
                        prop_assert_eq!(lock.try_lock_shared(), !writer, "try_read");
                        readers += usize::from(!writer);
                    }
                    Op::ReleaseRead => {
                        if readers > 0 {
                            // SAFETY: the reference counts a shared hold this test took.
                            unsafe { lock.unlock_shared() };
                            readers -= 1;
                        }
                    }
                    Op::TryWrite => {
                        let free = !writer && readers == 0;
                        prop_assert_eq!(lock.try_lock_exclusive(), free, "try_write");
                        writer |= free;
                    }
                    Op::ReleaseWrite => {
                        if writer {
                            // SAFETY: the reference says this test holds the exclusive hold.
                            unsafe { lock.unlock_exclusive() };
                            writer = false;
                        }
                    }
                }
                prop_assert_eq!(lock.is_locked(), writer || readers > 0);
                prop_assert_eq!(lock.is_locked_exclusive(), writer);
            }
        }
    }

    #[test]
    fn a_lock_hands_out_guards_like_a_reader_writer_lock() {
        let lock = BorrowLock::new(vec![1, 2, 3]);
        {
            let a = lock.try_read().expect("free");
            let b = lock.read();
            assert_eq!((a.len(), b[2]), (3, 3));
            assert!(lock.try_write().is_none(), "two readers hold it");
        }
        lock.write().push(4);
        let guard = lock.try_write().expect("free again");
        assert!(lock.try_read().is_none(), "a writer holds it");
        drop(guard);
        assert_eq!(*lock.read(), [1, 2, 3, 4]);
    }

    #[test]
    fn a_blocking_reader_waits_for_the_writer() {
        let lock = BorrowLock::new(0u32);
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            let mut guard = lock.write();
            s.spawn(|| {
                barrier.wait();
                // The writer still holds the lock here; this read has to wait for it.
                assert_eq!(*lock.read(), 7);
            });
            barrier.wait();
            *guard = 7;
        });
    }
}

#[cfg(all(test, loom))]
mod loom_models {
    use super::RawBorrow;
    use crate::sync::{Arc, UnsafeCell, model, thread};

    /// A writer and a reader race for a value behind the lock: loom checks that no read
    /// overlaps the write (its cell reports any unsynchronised access), that the reader sees
    /// the value before or after the write and never a failed reader's leftover increment
    /// afterwards: a writer can take the lock again once both let go.
    #[test]
    fn a_reader_and_a_writer_never_overlap_and_leave_the_lock_free() {
        model(|| {
            let shared = Arc::new((RawBorrow::new(), UnsafeCell::new(0u32)));
            let reader = {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    let (lock, cell) = &*shared;
                    if lock.try_lock_shared() {
                        let seen = cell.with(|p| {
                            // SAFETY: a shared hold excludes the writer.
                            unsafe { *p }
                        });
                        assert!(seen == 0 || seen == 7, "read {seen}");
                        // SAFETY: this thread took the shared hold above.
                        unsafe { lock.unlock_shared() };
                    }
                })
            };
            let (lock, cell) = &*shared;
            if lock.try_lock_exclusive() {
                cell.with_mut(|p| {
                    // SAFETY: the exclusive hold excludes every reader.
                    unsafe { *p = 7 }
                });
                // SAFETY: this thread took the exclusive hold above.
                unsafe { lock.unlock_exclusive() };
            }
            reader.join().unwrap();
            assert!(
                !lock.is_locked(),
                "a hold or an increment outlived its thread"
            );
            assert!(lock.try_lock_exclusive());
        });
    }

    /// Two writers race: at most one holds the lock at a time (loom's cell checks the two
    /// writes never overlap), and the lock is free after both.
    #[test]
    fn two_writers_exclude_each_other() {
        model(|| {
            let shared = Arc::new((RawBorrow::new(), UnsafeCell::new(0u32)));
            let write = |shared: &(RawBorrow, UnsafeCell<u32>)| {
                let (lock, cell) = shared;
                if lock.try_lock_exclusive() {
                    cell.with_mut(|p| {
                        // SAFETY: the exclusive hold excludes every other holder.
                        unsafe { *p += 1 }
                    });
                    // SAFETY: this thread took the exclusive hold above.
                    unsafe { lock.unlock_exclusive() };
                }
            };
            let other = {
                let shared = Arc::clone(&shared);
                thread::spawn(move || write(&shared))
            };
            write(&shared);
            other.join().unwrap();
            assert!(!shared.0.is_locked());
        });
    }
}
