//! The loom facade: the only place in the workspace that names `std::sync` or `loom`.
//!
//! Every atomic, lock, `Arc` and `UnsafeCell` the kernel and the crates built on it use comes
//! from here. Under `--cfg loom` the same names resolve to loom's model-checked versions, so a
//! loom model exercises the very code that ships (the pattern of sharded-slab's `sync.rs` and
//! crossbeam-utils' `primitive`).
//!
//! Locks are wrapped so both builds have one API: `read()`/`write()`/`lock()` return guards
//! directly (parking_lot's shape). Under loom a poisoned lock is recovered rather than
//! propagated, as parking_lot does.

pub use self::imp::*;

#[cfg(loom)]
#[path = "sync_loom_guards.rs"]
mod loom_guards;

/// `std::sync::Arc` in every build, for values behind trait objects (`Arc<dyn View>`): loom's
/// `Arc` has no unsized coercion. Use it only where the `Arc` is a plain owner; synchronisation
/// must still go through the facade's atomics and locks so loom sees it.
pub use std::sync::Arc as StdArc;

/// Memory orderings, re-exported so callers never import `std::sync::atomic` themselves.
pub use core::sync::atomic::Ordering;

#[cfg(not(loom))]
mod imp {
    pub use std::sync::Arc;

    /// Atomic integer and float types (std's, and `atomic_float`'s for `f32`/`f64`).
    pub mod atomic {
        pub use atomic_float::{AtomicF32, AtomicF64};
        pub use std::sync::atomic::{
            AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr,
            AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, fence,
        };
    }

    pub use parking_lot::{
        MappedRwLockReadGuard, MappedRwLockWriteGuard, Mutex, MutexGuard, RwLock, RwLockReadGuard,
        RwLockUpgradableReadGuard, RwLockWriteGuard,
    };

    use crate::borrow_lock::RawBorrow;

    /// A reader-writer lock for try-borrows: a writer lets go with a plain store
    /// ([`RawBorrow`]); the guards are parking_lot's (`lock_api`'s).
    pub type BorrowLock<T> = lock_api::RwLock<RawBorrow, T>;
    /// Shared guard of [`BorrowLock`].
    pub type BorrowReadGuard<'a, T> = lock_api::RwLockReadGuard<'a, RawBorrow, T>;
    /// Exclusive guard of [`BorrowLock`].
    pub type BorrowWriteGuard<'a, T> = lock_api::RwLockWriteGuard<'a, RawBorrow, T>;
    /// Shared guard of [`BorrowLock`], mapped to a part of the value.
    pub type MappedBorrowReadGuard<'a, T> = lock_api::MappedRwLockReadGuard<'a, RawBorrow, T>;
    /// Exclusive guard of [`BorrowLock`], mapped to a part of the value.
    pub type MappedBorrowWriteGuard<'a, T> = lock_api::MappedRwLockWriteGuard<'a, RawBorrow, T>;

    /// Threads: `std::thread` normally, `loom::thread` in models.
    pub use std::thread;

    /// Channels: `std::sync::mpsc` normally, `loom::sync::mpsc` in models.
    pub use std::sync::mpsc;

    /// Gives the processor (or loom's scheduler) a chance to run another thread while waiting.
    #[inline]
    pub fn yield_now() {
        std::thread::yield_now();
    }

    /// The number of cores this process may run on (1 if unknown), read once: on Linux
    /// `std::thread::available_parallelism` reads cgroup files on every call, and the answer
    /// does not change while a process runs.
    pub fn available_cores() -> usize {
        static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// A cell with the closure-based access API of `loom::cell::UnsafeCell`, so code written
    /// against it is checked by loom and compiles to a plain `UnsafeCell` otherwise.
    #[derive(Debug, Default)]
    #[repr(transparent)]
    pub struct UnsafeCell<T: ?Sized>(core::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        /// Wraps `value`.
        #[inline]
        pub const fn new(value: T) -> Self {
            Self(core::cell::UnsafeCell::new(value))
        }

        /// Consumes the cell, returning the value.
        #[inline]
        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        /// Calls `f` with a shared raw pointer to the value.
        #[inline(always)]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Calls `f` with a unique raw pointer to the value.
        #[inline(always)]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

#[cfg(loom)]
mod imp {
    pub use loom::cell::UnsafeCell;
    pub use loom::sync::Arc;
    pub use loom::thread;

    /// Channels, model-checked.
    pub use loom::sync::mpsc;

    /// Two cores in models: parallel paths split work in two, which loom explores.
    pub fn available_cores() -> usize {
        2
    }

    /// Atomic types; `f32`/`f64` are bit-cast over loom's integer atomics so models see them.
    pub mod atomic {
        use core::sync::atomic::Ordering;
        pub use loom::sync::atomic::{
            AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr,
            AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, fence,
        };

        macro_rules! float_atomic {
            ($name:ident, $float:ty, $bits:ident) => {
                /// A float atomic for loom models, stored as its bit pattern.
                #[derive(Debug)]
                pub struct $name($bits);

                impl $name {
                    /// Creates the atomic.
                    pub fn new(v: $float) -> Self {
                        Self($bits::new(v.to_bits()))
                    }
                    /// Loads the value.
                    pub fn load(&self, o: Ordering) -> $float {
                        <$float>::from_bits(self.0.load(o))
                    }
                    /// Stores a value.
                    pub fn store(&self, v: $float, o: Ordering) {
                        self.0.store(v.to_bits(), o)
                    }
                    /// Swaps the value.
                    pub fn swap(&self, v: $float, o: Ordering) -> $float {
                        <$float>::from_bits(self.0.swap(v.to_bits(), o))
                    }
                    /// Compares by bit pattern and exchanges.
                    pub fn compare_exchange(
                        &self,
                        current: $float,
                        new: $float,
                        success: Ordering,
                        failure: Ordering,
                    ) -> Result<$float, $float> {
                        self.0
                            .compare_exchange(current.to_bits(), new.to_bits(), success, failure)
                            .map(<$float>::from_bits)
                            .map_err(<$float>::from_bits)
                    }
                    /// Adds with a compare-exchange loop, as `atomic_float` does.
                    pub fn fetch_add(&self, v: $float, o: Ordering) -> $float {
                        let prev = self
                            .0
                            .fetch_update(o, Ordering::Relaxed, |b| {
                                Some((<$float>::from_bits(b) + v).to_bits())
                            })
                            .unwrap_or_else(|b| b);
                        <$float>::from_bits(prev)
                    }
                    /// Subtracts with a compare-exchange loop.
                    pub fn fetch_sub(&self, v: $float, o: Ordering) -> $float {
                        self.fetch_add(-v, o)
                    }
                }
            };
        }
        float_atomic!(AtomicF32, f32, AtomicU32);
        float_atomic!(AtomicF64, f64, AtomicU64);
    }

    /// Gives loom's scheduler a chance to run another thread while waiting.
    pub fn yield_now() {
        loom::thread::yield_now();
    }

    pub use super::loom_guards::{
        MappedRwLockReadGuard, MappedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
    };

    // In models the world's pools sit behind loom's lock, which loom checks; the borrow lock's
    // own protocol has models of its own (`borrow_lock.rs`).
    pub use super::loom_guards::{
        MappedRwLockReadGuard as MappedBorrowReadGuard,
        MappedRwLockWriteGuard as MappedBorrowWriteGuard, RwLock as BorrowLock,
        RwLockReadGuard as BorrowReadGuard, RwLockWriteGuard as BorrowWriteGuard,
    };

    /// Mutex with parking_lot's guard-returning API.
    #[derive(Debug, Default)]
    pub struct Mutex<T>(loom::sync::Mutex<T>);
    /// Guard of [`Mutex`].
    pub type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        /// Creates the mutex.
        pub fn new(value: T) -> Self {
            Self(loom::sync::Mutex::new(value))
        }
        /// Exclusive access.
        pub fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(|p| p.into_inner())
        }
        /// The value, through exclusive access to the mutex itself.
        pub fn get_mut(&mut self) -> &mut T {
            self.0.get_mut().unwrap_or_else(|p| p.into_inner())
        }
        /// Consumes the mutex.
        pub fn into_inner(self) -> T {
            self.0.into_inner().unwrap_or_else(|p| p.into_inner())
        }
    }
}

/// Runs `f` as a loom model (under `--cfg loom`) or once on real threads otherwise, so the
/// same test body serves as a loom model and as a plain test.
///
/// Preemption bounds come from `LOOM_MAX_PREEMPTIONS` (CI sets 2), as loom reads it itself.
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    #[cfg(loom)]
    loom::model(f);
    #[cfg(not(loom))]
    f();
}
