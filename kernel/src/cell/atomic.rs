//! `Atomic<T>`: an inline lock-free cell for the primitive types that have a native atomic.

use crate::sync::Ordering::{AcqRel, Acquire, Release};
use crate::sync::atomic as a;
use core::fmt;

mod sealed {
    pub trait Sealed {}
}

/// A value type with a native lock-free atomic. Implemented for `bool`, the integers up to 64
/// bits, `f32` and `f64`; sealed, so a type that cannot be lock-free does not compile as
/// `Atomic<T>`:
///
/// ```compile_fail
/// let _ = playground_kernel::Atomic::new([0u8; 32]);
/// ```
pub trait AtomicValue: Copy + Send + Sync + 'static + sealed::Sealed {
    /// The atomic that stores it inline.
    #[doc(hidden)]
    type Repr: Send + Sync;
    #[doc(hidden)]
    fn new_repr(v: Self) -> Self::Repr;
    #[doc(hidden)]
    fn load(r: &Self::Repr) -> Self;
    #[doc(hidden)]
    fn store(r: &Self::Repr, v: Self);
    #[doc(hidden)]
    fn swap(r: &Self::Repr, v: Self) -> Self;
    #[doc(hidden)]
    fn compare_exchange(r: &Self::Repr, current: Self, new: Self) -> Result<Self, Self>;
}

/// An [`AtomicValue`] with atomic arithmetic. Integer arithmetic wraps; float arithmetic is a
/// compare-exchange loop (as in `atomic_float`).
pub trait AtomicNumber: AtomicValue {
    #[doc(hidden)]
    fn fetch_add(r: &Self::Repr, v: Self) -> Self;
    #[doc(hidden)]
    fn fetch_sub(r: &Self::Repr, v: Self) -> Self;
}

macro_rules! impl_atomic_value {
    ($($t:ty => $repr:ty),* $(,)?) => {$(
        impl sealed::Sealed for $t {}
        impl AtomicValue for $t {
            type Repr = $repr;
            #[inline(always)]
            fn new_repr(v: Self) -> Self::Repr { <$repr>::new(v) }
            #[inline(always)]
            fn load(r: &Self::Repr) -> Self { r.load(Acquire) }
            #[inline(always)]
            fn store(r: &Self::Repr, v: Self) { r.store(v, Release) }
            #[inline(always)]
            fn swap(r: &Self::Repr, v: Self) -> Self { r.swap(v, AcqRel) }
            #[inline(always)]
            fn compare_exchange(r: &Self::Repr, current: Self, new: Self) -> Result<Self, Self> {
                r.compare_exchange(current, new, AcqRel, Acquire)
            }
        }
    )*};
}

macro_rules! impl_atomic_number {
    ($($t:ty),* $(,)?) => {$(
        impl AtomicNumber for $t {
            #[inline(always)]
            fn fetch_add(r: &Self::Repr, v: Self) -> Self { r.fetch_add(v, AcqRel) }
            #[inline(always)]
            fn fetch_sub(r: &Self::Repr, v: Self) -> Self { r.fetch_sub(v, AcqRel) }
        }
    )*};
}

impl_atomic_value!(
    bool => a::AtomicBool,
    u8 => a::AtomicU8, u16 => a::AtomicU16, u32 => a::AtomicU32, u64 => a::AtomicU64,
    usize => a::AtomicUsize,
    i8 => a::AtomicI8, i16 => a::AtomicI16, i32 => a::AtomicI32, i64 => a::AtomicI64,
    isize => a::AtomicIsize,
    f32 => a::AtomicF32, f64 => a::AtomicF64,
);
impl_atomic_number!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32, f64);

/// An inline lock-free cell: `Atomic<f32>` is 4 bytes, with no allocation and no lock.
///
/// Components built from `Atomic` fields can be updated through `&`, so a parallel iteration
/// over a shared pool mutates them without any lock (the kernel's "field-level atomics"
/// pattern). Orderings: loads `Acquire`, stores `Release`, read-modify-writes `AcqRel`.
///
/// ```
/// use playground_kernel::Atomic;
/// let x = Atomic::new(1.5f32);
/// x.fetch_add(1.0);
/// assert_eq!(x.load(), 2.5);
/// assert_eq!(std::mem::size_of::<Atomic<f32>>(), 4);
/// ```
#[repr(transparent)]
pub struct Atomic<T: AtomicValue>(T::Repr);

impl<T: AtomicValue> Atomic<T> {
    /// Creates the cell.
    #[inline]
    pub fn new(value: T) -> Self {
        Self(T::new_repr(value))
    }

    /// Reads the value (`Acquire`).
    #[inline(always)]
    pub fn load(&self) -> T {
        T::load(&self.0)
    }

    /// Writes the value (`Release`).
    #[inline(always)]
    pub fn store(&self, value: T) {
        T::store(&self.0, value)
    }

    /// Writes `value` and returns the previous one.
    #[inline]
    pub fn swap(&self, value: T) -> T {
        T::swap(&self.0, value)
    }

    /// Writes `new` if the cell holds `current` (floats compare by bit pattern). Returns the
    /// previous value: `Ok` if it was written, `Err` with the value found otherwise.
    #[inline]
    pub fn compare_exchange(&self, current: T, new: T) -> Result<T, T> {
        T::compare_exchange(&self.0, current, new)
    }

    /// Applies `f` atomically with a compare-exchange loop; returns the previous value.
    /// `f` may run more than once under contention.
    pub fn update(&self, mut f: impl FnMut(T) -> T) -> T {
        let mut current = self.load();
        loop {
            match self.compare_exchange(current, f(current)) {
                Ok(prev) => return prev,
                Err(found) => current = found,
            }
        }
    }

    /// Consumes the cell, returning the value.
    pub fn into_inner(self) -> T {
        self.load()
    }
}

impl<T: AtomicNumber> Atomic<T> {
    /// Adds `value` and returns the previous value.
    #[inline]
    pub fn fetch_add(&self, value: T) -> T {
        T::fetch_add(&self.0, value)
    }

    /// Subtracts `value` and returns the previous value.
    #[inline]
    pub fn fetch_sub(&self, value: T) -> T {
        T::fetch_sub(&self.0, value)
    }
}

impl<T: AtomicValue + Default> Default for Atomic<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: AtomicValue> From<T> for Atomic<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T: AtomicValue + fmt::Debug> fmt::Debug for Atomic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Atomic").field(&self.load()).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use core::mem::size_of;

    #[test]
    fn is_inline_and_the_size_of_its_value() {
        assert_eq!(size_of::<Atomic<f32>>(), 4);
        assert_eq!(size_of::<Atomic<f64>>(), 8);
        assert_eq!(size_of::<Atomic<bool>>(), 1);
        assert_eq!(size_of::<Atomic<u16>>(), 2);
        assert_eq!(size_of::<Atomic<i64>>(), 8);
    }

    #[test]
    fn operations_match_plain_values() {
        let x = Atomic::new(10u32);
        assert_eq!(x.fetch_add(5), 10);
        assert_eq!(x.fetch_sub(3), 15);
        assert_eq!(x.swap(1), 12);
        assert_eq!(x.compare_exchange(2, 9), Err(1));
        assert_eq!(x.compare_exchange(1, 9), Ok(1));
        assert_eq!(x.update(|v| v * 2), 9);
        assert_eq!(x.into_inner(), 18);

        let w = Atomic::new(u8::MAX);
        assert_eq!(w.fetch_add(1), u8::MAX);
        assert_eq!(w.load(), 0, "integer arithmetic wraps");

        let f = Atomic::new(-1.25f64);
        f.fetch_add(0.25);
        assert_eq!(f.load(), -1.0);
        assert!(Atomic::new(true).swap(false));
    }

    #[test]
    fn concurrent_fetch_add_loses_nothing() {
        let x = Atomic::new(0u64);
        let y = Atomic::new(0.0f32);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..10_000 {
                        x.fetch_add(1);
                        y.fetch_add(1.0);
                    }
                });
            }
        });
        assert_eq!(x.load(), 40_000);
        assert_eq!(y.load(), 40_000.0);
    }
}

#[cfg(all(test, loom))]
mod loom_models {
    use super::Atomic;
    use crate::sync::{Arc, model, thread};

    #[test]
    fn concurrent_fetch_add_is_not_lost() {
        model(|| {
            let x = Arc::new(Atomic::new(0.0f32));
            let t = {
                let x = x.clone();
                thread::spawn(move || {
                    x.fetch_add(1.0);
                })
            };
            x.fetch_add(2.0);
            t.join().unwrap();
            assert_eq!(x.load(), 3.0);
        });
    }

    #[test]
    fn store_is_seen_whole_or_not_at_all() {
        model(|| {
            let x = Arc::new(Atomic::new(0u64));
            let t = {
                let x = x.clone();
                thread::spawn(move || x.store(u64::MAX))
            };
            let seen = x.load();
            assert!(seen == 0 || seen == u64::MAX);
            t.join().unwrap();
            assert_eq!(x.load(), u64::MAX);
        });
    }

    #[test]
    fn compare_exchange_has_one_winner() {
        model(|| {
            let x = Arc::new(Atomic::new(0i32));
            let t = {
                let x = x.clone();
                thread::spawn(move || x.compare_exchange(0, 1).is_ok())
            };
            let mine = x.compare_exchange(0, 2).is_ok();
            let theirs = t.join().unwrap();
            assert!(mine ^ theirs, "exactly one compare_exchange succeeds");
            assert_eq!(x.load(), if mine { 2 } else { 1 });
        });
    }

    #[test]
    fn update_under_contention_applies_both() {
        model(|| {
            let x = Arc::new(Atomic::new(1u32));
            let t = {
                let x = x.clone();
                thread::spawn(move || {
                    x.update(|v| v * 3);
                })
            };
            x.update(|v| v + 1);
            t.join().unwrap();
            let v = x.load();
            assert!(v == 6 || v == 4, "(1+1)*3 or 1*3+1, got {v}");
        });
    }
}
