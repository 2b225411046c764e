//! Loom's reader-writer lock with parking_lot's guard API: `try_read`/`try_write`/`get_mut`,
//! and guards that `map` to a part of the locked value (`MappedRwLockReadGuard`), which loom's
//! own guards lack. Compiled only under `--cfg loom`, so the ECS world's locking (pools
//! reached through mapped guards) runs unchanged in loom models.
//!
//! A mapped guard keeps the original guard, type-erased in a box, and a pointer to the part it
//! maps to. The part lives in the lock's value, which the lock (borrowed for `'a`) owns; the
//! guard only proves the lock is held. So the pointer stays valid while the boxed guard lives,
//! whichever of the two moves.

#![allow(
    unsafe_code,
    reason = "a mapped guard dereferences a pointer into the locked value while it holds the lock; argued at each block"
)]

use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

/// Anything a mapped guard keeps alive (the original loom guard).
trait Held {}
impl<T: ?Sized> Held for T {}

/// Read-write lock with parking_lot's guard-returning API.
#[derive(Debug, Default)]
pub struct RwLock<T>(loom::sync::RwLock<T>);

impl<T> RwLock<T> {
    /// Creates the lock.
    pub fn new(value: T) -> Self {
        Self(loom::sync::RwLock::new(value))
    }
    /// Shared access.
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        RwLockReadGuard(self.0.read().unwrap_or_else(|p| p.into_inner()))
    }
    /// Exclusive access.
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        RwLockWriteGuard(self.0.write().unwrap_or_else(|p| p.into_inner()))
    }
    /// Shared access if no writer holds the lock.
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        self.0.try_read().ok().map(RwLockReadGuard)
    }
    /// Exclusive access if nobody holds the lock.
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, T>> {
        self.0.try_write().ok().map(RwLockWriteGuard)
    }
    /// The value, through exclusive access to the lock itself.
    pub fn get_mut(&mut self) -> &mut T {
        self.0.get_mut().unwrap_or_else(|p| p.into_inner())
    }
    /// Consumes the lock.
    pub fn into_inner(self) -> T {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

/// Shared guard of [`RwLock`].
pub struct RwLockReadGuard<'a, T>(loom::sync::RwLockReadGuard<'a, T>);

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'a, T: 'a> RwLockReadGuard<'a, T> {
    /// A guard on the part of the value `f` picks.
    pub fn map<U: ?Sized>(s: Self, f: impl FnOnce(&T) -> &U) -> MappedRwLockReadGuard<'a, U> {
        let part: *const U = f(&s.0);
        MappedRwLockReadGuard {
            held: Box::new(s.0),
            part,
            borrow: PhantomData,
        }
    }
    /// A guard on the part `f` picks, or the guard back if it picks none.
    pub fn try_map<U: ?Sized>(
        s: Self,
        f: impl FnOnce(&T) -> Option<&U>,
    ) -> Result<MappedRwLockReadGuard<'a, U>, Self> {
        let part: *const U = match f(&s.0) {
            Some(part) => part,
            None => return Err(s),
        };
        Ok(MappedRwLockReadGuard {
            held: Box::new(s.0),
            part,
            borrow: PhantomData,
        })
    }
}

/// Exclusive guard of [`RwLock`].
pub struct RwLockWriteGuard<'a, T>(loom::sync::RwLockWriteGuard<'a, T>);

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<'a, T: 'a> RwLockWriteGuard<'a, T> {
    /// A guard on the part of the value `f` picks.
    pub fn map<U: ?Sized>(
        mut s: Self,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> MappedRwLockWriteGuard<'a, U> {
        let part: *mut U = f(&mut s.0);
        MappedRwLockWriteGuard {
            _held: Box::new(s.0),
            part,
            borrow: PhantomData,
        }
    }
}

/// A shared guard on part of a locked value.
pub struct MappedRwLockReadGuard<'a, U: ?Sized> {
    held: Box<dyn Held + 'a>,
    part: *const U,
    borrow: PhantomData<&'a U>,
}

impl<U: ?Sized> Deref for MappedRwLockReadGuard<'_, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `part` points into the locked value (module docs), which `held` keeps
        // read-locked for as long as `self` lives; no writer can hold it meanwhile.
        unsafe { &*self.part }
    }
}

impl<'a, U: ?Sized + 'a> MappedRwLockReadGuard<'a, U> {
    /// A guard on the part of this part `f` picks.
    pub fn map<V: ?Sized>(s: Self, f: impl FnOnce(&U) -> &V) -> MappedRwLockReadGuard<'a, V> {
        let part: *const V = f(&s);
        MappedRwLockReadGuard {
            held: s.held,
            part,
            borrow: PhantomData,
        }
    }
    /// A guard on the part `f` picks, or the guard back if it picks none.
    pub fn try_map<V: ?Sized>(
        s: Self,
        f: impl FnOnce(&U) -> Option<&V>,
    ) -> Result<MappedRwLockReadGuard<'a, V>, Self> {
        let part: *const V = match f(&s) {
            Some(part) => part,
            None => return Err(s),
        };
        Ok(MappedRwLockReadGuard {
            held: s.held,
            part,
            borrow: PhantomData,
        })
    }
}

/// An exclusive guard on part of a locked value.
pub struct MappedRwLockWriteGuard<'a, U: ?Sized> {
    /// Kept for its drop, which releases the lock.
    _held: Box<dyn Held + 'a>,
    part: *mut U,
    borrow: PhantomData<&'a mut U>,
}

impl<U: ?Sized> Deref for MappedRwLockWriteGuard<'_, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `part` points into the locked value (module docs), which `held` keeps
        // write-locked for as long as `self` lives.
        unsafe { &*self.part }
    }
}

impl<U: ?Sized> DerefMut for MappedRwLockWriteGuard<'_, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as in `deref`; the lock is held exclusively and `&mut self` makes this the
        // only reference through the guard.
        unsafe { &mut *self.part }
    }
}
