//! `PoolCell`: one component type's type-erased pool behind its lock, with the `TypeId` of the
//! concrete pool kept outside the lock.
//!
//! Typed code (insert, remove, every query) reaches the `ComponentPool<T>` inside with one
//! compare of the stored `TypeId` against `T`'s, a constant, and no lock when it holds the
//! world mutably. The safe alternative, `as_any()` then `downcast`, makes two virtual calls per
//! access and reads the 16-byte `TypeId` back through memory right after the callee wrote it
//! in two halves, which stalls store forwarding; profiled, that stall was most of a
//! `World::insert` or `World::remove`. Because the `TypeId` sits outside the lock, a world's
//! pool table can test a slot's type without locking, and that test stands in for its key
//! compare (see [`PoolCell::holds`]).
//!
//! The lock is the kernel's `BorrowLock`: a query takes a pool with one compare-exchange and
//! lets go of it with a store, where parking_lot's lock spends a second locked instruction on
//! the release, right behind the query's own stores.
//!
//! Invariant: `type_id` is the `TypeId` of the value the locked `Box` points to. Both fields
//! are private, set together by the constructors and by [`PoolCell::replace`], and nothing
//! hands out the `Box` itself or an unmapped write guard (only the erased pool, the typed
//! pool or `ComponentPool` inside it, by reference or by mapped guard), through none of which
//! the value can be replaced by one of another type.

#![allow(
    unsafe_code,
    reason = "an unchecked downcast after a TypeId compare, argued at each block"
)]

use crate::model::Component;
use crate::model::storage::{ErasedPool, TypedPool};
use playground_kernel::sync::{
    BorrowLock, BorrowReadGuard, BorrowWriteGuard, MappedBorrowReadGuard, MappedBorrowWriteGuard,
};
use playground_pools::ComponentPool;
use std::any::{Any, TypeId};

/// A type-erased pool behind its lock, and the `TypeId` of its concrete `TypedPool<T>`.
pub(crate) struct PoolCell {
    type_id: TypeId,
    lock: BorrowLock<Box<dyn ErasedPool>>,
}

impl PoolCell {
    /// Locks `pool` in a cell.
    pub(crate) fn new<T: Component>(pool: TypedPool<T>) -> Self {
        Self {
            type_id: TypeId::of::<TypedPool<T>>(),
            lock: BorrowLock::new(Box::new(pool)),
        }
    }

    /// Wraps an already erased pool (a pool's `empty_like`), reading its type once.
    pub(crate) fn from_erased(pool: Box<dyn ErasedPool>) -> Self {
        Self {
            type_id: Any::type_id(pool.as_any()),
            lock: BorrowLock::new(pool),
        }
    }

    /// Replaces the pool with `pool` (of any type), keeping the invariant.
    pub(crate) fn replace<T: Component>(&mut self, pool: TypedPool<T>) {
        *self = Self::new(pool);
    }

    /// Whether the pool holds `T`s. Read without the lock: the type never changes behind a
    /// shared reference. A world stores a cell holding `T`s only under `T::ID` (it registers
    /// `T` under `T::ID`, and copies or replaces cells under the key they had), so its table
    /// may accept a slot on this compare alone.
    #[inline(always)]
    pub(crate) fn holds<T: Component>(&self) -> bool {
        self.type_id == TypeId::of::<TypedPool<T>>()
    }

    /// Panics unless the pool holds `T`s (two component types registered under one id): the
    /// check every typed access makes before its unchecked downcast.
    #[inline(always)]
    fn expect_holds<T: Component>(&self) {
        if !self.holds::<T>() {
            Self::wrong_type::<T>();
        }
    }

    #[cold]
    #[inline(never)]
    fn wrong_type<T: Component>() -> ! {
        panic!(
            "the pool registered under {}'s id holds another type",
            T::NAME
        )
    }

    /// The pool as `TypedPool<T>`, through `&mut self`: no lock. Panics if it holds another
    /// type (two component types registered under one id).
    #[inline(always)]
    pub(crate) fn typed_mut<T: Component>(&mut self) -> &mut TypedPool<T> {
        self.expect_holds::<T>();
        let erased: *mut dyn ErasedPool = &mut **self.lock.get_mut();
        // The stored `type_id` is the pointee's (module invariant) and equals `TypedPool<T>`'s;
        // the thin-pointer cast keeps the address; the reference is unique because it comes
        // from `&mut self` and lives no longer than that borrow.
        // SAFETY: so the pointee is a `TypedPool<T>`, alive and exclusively ours for the
        // borrow, as a safe `downcast_mut` would give it.
        unsafe { &mut *erased.cast::<TypedPool<T>>() }
    }

    /// The erased pool, through `&mut self`: no lock.
    #[inline]
    pub(crate) fn get_mut(&mut self) -> &mut (dyn ErasedPool + 'static) {
        &mut **self.lock.get_mut()
    }

    /// The erased pool, read-locked (blocking).
    pub(crate) fn read(&self) -> MappedBorrowReadGuard<'_, dyn ErasedPool> {
        BorrowReadGuard::map(self.lock.read(), |pool| &**pool)
    }

    /// The erased pool, read-locked; `None` if it is write-locked.
    pub(crate) fn try_read(&self) -> Option<MappedBorrowReadGuard<'_, dyn ErasedPool>> {
        Some(BorrowReadGuard::map(self.lock.try_read()?, |pool| &**pool))
    }

    /// `T`'s component pool, read-locked; `None` if it is write-locked. Panics as
    /// [`Self::typed_mut`] does.
    pub(crate) fn try_read_pool<T: Component>(
        &self,
    ) -> Option<MappedBorrowReadGuard<'_, ComponentPool<T>>> {
        self.expect_holds::<T>();
        Some(BorrowReadGuard::map(self.lock.try_read()?, |pool| {
            let erased: *const dyn ErasedPool = &**pool;
            // SAFETY: as in `typed_mut`; the reference is shared, bounded by the read guard.
            unsafe { &(*erased.cast::<TypedPool<T>>()).pool }
        }))
    }

    /// `T`'s component pool, write-locked; `None` if it is locked. Panics as
    /// [`Self::typed_mut`] does.
    pub(crate) fn try_write_pool<T: Component>(
        &self,
    ) -> Option<MappedBorrowWriteGuard<'_, ComponentPool<T>>> {
        self.expect_holds::<T>();
        Some(BorrowWriteGuard::map(self.lock.try_write()?, |pool| {
            let erased: *mut dyn ErasedPool = &mut **pool;
            // SAFETY: as in `typed_mut`; the reference is unique, bounded by the write guard.
            unsafe { &mut (*erased.cast::<TypedPool<T>>()).pool }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::PoolCell;
    use crate::model::storage::TypedPool;
    use crate::model::{Entity, EntityId, Generation};

    #[derive(Debug, PartialEq)]
    struct Left(u32);
    crate::component!(Left = "test.pool_cell.Left");
    struct Right;
    crate::component!(Right = "test.pool_cell.Right");

    #[test]
    fn a_pool_is_reached_as_the_type_it_holds() {
        let mut cell = PoolCell::new(TypedPool::<Left>::plain());
        let e = Entity::new(EntityId(3), Generation(0));
        cell.typed_mut::<Left>().pool.insert(e, Left(7)).unwrap();
        assert!(cell.holds::<Left>() && !cell.holds::<Right>());
        assert_eq!(cell.try_read_pool::<Left>().unwrap().get(e), Some(&Left(7)));
        let copy = PoolCell::from_erased(cell.read().empty_like());
        assert!(copy.holds::<Left>());
        assert!(copy.try_read_pool::<Left>().unwrap().is_empty());
    }

    #[test]
    fn a_locked_pool_is_refused_not_waited_for() {
        let cell = PoolCell::new(TypedPool::<Left>::plain());
        let writer = cell.try_write_pool::<Left>().unwrap();
        assert!(cell.try_read_pool::<Left>().is_none());
        assert!(cell.try_read().is_none());
        drop(writer);
        assert!(cell.try_read_pool::<Left>().is_some());
    }

    #[test]
    fn a_replaced_pool_is_reached_as_its_new_type() {
        let mut cell = PoolCell::new(TypedPool::<Left>::plain());
        cell.replace(TypedPool::<Right>::plain());
        assert!(cell.holds::<Right>() && !cell.holds::<Left>());
        assert!(cell.typed_mut::<Right>().pool.is_empty());
    }

    #[test]
    #[should_panic(expected = "holds another type")]
    fn a_pool_is_never_reached_as_another_type() {
        let mut cell = PoolCell::new(TypedPool::<Left>::plain());
        let _ = cell.typed_mut::<Right>();
    }
}
