//! `Once<T>`: a value set exactly once, then read without locking.

#![allow(
    unsafe_code,
    reason = "the value is read without a lock once published; each block argues why"
)]

use crate::sync::atomic::AtomicU8;
use crate::sync::{Ordering, UnsafeCell, yield_now};
use core::{fmt, mem::MaybeUninit};

const EMPTY: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

/// A write-once cell: std's `OnceLock` (same `get` / `set` / `get_or_init`), written on the
/// [`sync`](crate::sync) facade so loom can model it. The first `set` or `get_or_init` wins;
/// every later read is one `Acquire` load and a pointer.
///
/// Invariant: the value is initialised iff `state == READY`, and once `READY` the state never
/// changes again (until drop), so `&T` handed out from `get` stays valid for `&self`'s life.
/// Only the thread that moved the state `EMPTY -> RUNNING` writes the value.
pub struct Once<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: `Once` hands out `&T` to any thread (needs `T: Sync`) and may drop or move a `T`
// set by another thread (needs `T: Send`). The value is written once, before a `Release`
// store of `READY` that every reader `Acquire`s, so no reader sees a partial write.
unsafe impl<T: Send + Sync> Sync for Once<T> {}
// SAFETY: owning a `Once<T>` is owning at most one `T`.
unsafe impl<T: Send> Send for Once<T> {}

impl<T> Once<T> {
    /// An empty cell.
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, if it has been set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY was observed with Acquire, so the value's initialisation (done
            // before the Release store of READY) is visible, and it is never written again.
            Some(unsafe { self.value.with(|p| (*p).assume_init_ref()) })
        } else {
            None
        }
    }

    /// Sets the value if none is set or being set; otherwise gives `value` back.
    pub fn set(&self, value: T) -> Result<(), T> {
        match self
            .state
            .compare_exchange(EMPTY, RUNNING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                self.publish(value);
                Ok(())
            }
            Err(_) => Err(value),
        }
    }

    /// The value, initialising it with `init` if it is unset. If several threads race, one runs
    /// `init` and the others wait for its value. If `init` panics, the cell is left empty.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut init = Some(init);
        loop {
            if let Some(v) = self.get() {
                return v;
            }
            match self
                .state
                .compare_exchange(EMPTY, RUNNING, Ordering::Acquire, Ordering::Acquire)
            {
                Ok(_) => {
                    let reset = ResetOnPanic(&self.state);
                    let f = init
                        .take()
                        .expect("init runs once: only the EMPTY->RUNNING winner");
                    let value = f();
                    core::mem::forget(reset);
                    self.publish(value);
                }
                Err(_) => yield_now(),
            }
        }
    }

    /// Consumes the cell, returning the value if set.
    pub fn into_inner(self) -> Option<T> {
        let this = core::mem::ManuallyDrop::new(self);
        if this.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY means initialised; `this` is never dropped, so the value is moved
            // out exactly once.
            Some(unsafe { this.value.with(|p| (*p).assume_init_read()) })
        } else {
            None
        }
    }

    fn publish(&self, value: T) {
        // SAFETY: the caller won EMPTY -> RUNNING, so no other thread writes the value, and no
        // reader reads it before the READY store below.
        unsafe { self.value.with_mut(|p| (*p).write(value)) };
        self.state.store(READY, Ordering::Release);
    }
}

/// Puts the state back to `EMPTY` if the initialiser unwinds, so another caller may retry.
struct ResetOnPanic<'a>(&'a AtomicU8);

impl Drop for ResetOnPanic<'_> {
    fn drop(&mut self) {
        self.0.store(EMPTY, Ordering::Release);
    }
}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Once<T> {
    fn drop(&mut self) {
        if self.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY means initialised, and `&mut self` means no reader remains.
            unsafe { self.value.with_mut(|p| (*p).assume_init_drop()) };
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Once<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Once").field(&self.get()).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Once;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn first_set_wins() {
        let o = Once::new();
        assert_eq!(o.get(), None);
        assert_eq!(o.set(1), Ok(()));
        assert_eq!(o.set(2), Err(2));
        assert_eq!(o.get_or_init(|| 3), &1);
        assert_eq!(o.into_inner(), Some(1));
    }

    #[test]
    fn racing_initialisers_run_once() {
        let runs = AtomicUsize::new(0);
        let o = Once::new();
        std::thread::scope(|s| {
            for i in 0..8 {
                let (o, runs) = (&o, &runs);
                s.spawn(move || {
                    o.get_or_init(|| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        i
                    });
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(o.get().is_some());
    }

    #[test]
    fn panicking_initialiser_leaves_it_empty() {
        let o = Once::<String>::new();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            o.get_or_init(|| panic!("boom"));
        }));
        assert!(r.is_err());
        assert_eq!(o.get(), None);
        assert_eq!(o.get_or_init(|| "ok".into()), "ok");
    }

    #[test]
    fn drops_its_value() {
        let token = std::sync::Arc::new(());
        let o = Once::new();
        o.set(token.clone()).unwrap();
        assert_eq!(std::sync::Arc::strong_count(&token), 2);
        drop(o);
        assert_eq!(std::sync::Arc::strong_count(&token), 1);
    }
}

#[cfg(all(test, loom))]
mod loom_models {
    use super::Once;
    use crate::sync::atomic::AtomicUsize;
    use crate::sync::{Arc, Ordering, model, thread};

    #[test]
    fn initialised_exactly_once_under_contention() {
        model(|| {
            let once = Arc::new(Once::new());
            let runs = Arc::new(AtomicUsize::new(0));
            let spawn = |v: u32| {
                let (once, runs) = (once.clone(), runs.clone());
                thread::spawn(move || {
                    *once.get_or_init(|| {
                        runs.fetch_add(1, Ordering::Relaxed);
                        v
                    })
                })
            };
            let (a, b) = (spawn(1), spawn(2));
            let (a, b) = (a.join().unwrap(), b.join().unwrap());
            assert_eq!(a, b, "both threads see the one value");
            assert_eq!(runs.load(Ordering::Relaxed), 1);
        });
    }

    #[test]
    fn set_races_get_and_get_sees_whole_value() {
        model(|| {
            let once = Arc::new(Once::new());
            let t = {
                let once = once.clone();
                thread::spawn(move || once.set((7u64, 7u64)).is_ok())
            };
            if let Some(&(a, b)) = once.get() {
                assert_eq!((a, b), (7, 7));
            }
            let lost = once.set((9, 9)).is_err();
            let won = t.join().unwrap();
            assert_eq!(won, lost, "exactly one set succeeds");
        });
    }
}
