//! `PoolBox`: one component type's type-erased pool, remembering the concrete type it holds.
//!
//! Typed code (insert, remove, every query) reaches the `ComponentPool<T>` inside with one
//! compare of the stored `TypeId` against `T`'s, a constant. The safe alternative,
//! `as_any()` then `downcast`, makes two virtual calls per access and reads the 16-byte
//! `TypeId` back through memory right after the callee wrote it in two halves, which stalls
//! store forwarding; profiled, that stall was most of a `World::insert` or `World::remove`.
//!
//! Invariant: `type_id` is the `TypeId` of the value `pool` points to. Both fields are
//! private, set together by the constructors, and nothing hands out the `Box` itself (only
//! `&dyn ErasedPool` / `&mut dyn ErasedPool`, through which the value cannot be replaced by
//! one of another type).

#![allow(
    unsafe_code,
    reason = "an unchecked downcast after a TypeId compare, argued at each block"
)]

use crate::model::Component;
use crate::model::storage::{ErasedPool, TypedPool};
use std::any::{Any, TypeId};
use std::ops::{Deref, DerefMut};

/// A type-erased pool and the `TypeId` of its concrete `TypedPool<T>`.
pub(crate) struct PoolBox {
    type_id: TypeId,
    pool: Box<dyn ErasedPool>,
}

impl PoolBox {
    /// Boxes `pool`.
    pub(crate) fn new<T: Component>(pool: TypedPool<T>) -> Self {
        Self {
            type_id: TypeId::of::<TypedPool<T>>(),
            pool: Box::new(pool),
        }
    }

    /// Wraps an already erased pool (a pool's `empty_like`), reading its type once.
    pub(crate) fn from_erased(pool: Box<dyn ErasedPool>) -> Self {
        Self {
            type_id: Any::type_id(pool.as_any()),
            pool,
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

    /// The pool as `TypedPool<T>`. Panics if it holds another type (two component types
    /// registered under one id).
    #[inline]
    pub(crate) fn typed<T: Component>(&self) -> &TypedPool<T> {
        if self.type_id != TypeId::of::<TypedPool<T>>() {
            Self::wrong_type::<T>();
        }
        let erased: *const dyn ErasedPool = &*self.pool;
        // The stored `type_id` is the pointee's (module invariant) and equals `TypedPool<T>`'s;
        // the thin-pointer cast keeps the address; the borrow of `self` bounds the reference.
        // SAFETY: so the pointee is a `TypedPool<T>`, alive and shared for the borrow, as a
        // safe `downcast_ref` would give it.
        unsafe { &*erased.cast::<TypedPool<T>>() }
    }

    /// The pool as `TypedPool<T>`, mutably. Panics as [`Self::typed`] does.
    #[inline]
    pub(crate) fn typed_mut<T: Component>(&mut self) -> &mut TypedPool<T> {
        if self.type_id != TypeId::of::<TypedPool<T>>() {
            Self::wrong_type::<T>();
        }
        let erased: *mut dyn ErasedPool = &mut *self.pool;
        // SAFETY: as in `typed`; the reference is unique because it comes from `&mut self`.
        unsafe { &mut *erased.cast::<TypedPool<T>>() }
    }
}

impl Deref for PoolBox {
    type Target = dyn ErasedPool;
    fn deref(&self) -> &Self::Target {
        &*self.pool
    }
}

impl DerefMut for PoolBox {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut *self.pool
    }
}

#[cfg(test)]
mod tests {
    use super::PoolBox;
    use crate::model::storage::TypedPool;
    use crate::model::{Entity, EntityId, Generation};

    #[derive(Debug, PartialEq)]
    struct Left(u32);
    crate::component!(Left = "test.pool_box.Left");
    struct Right;
    crate::component!(Right = "test.pool_box.Right");

    #[test]
    fn a_pool_is_reached_as_the_type_it_holds() {
        let mut boxed = PoolBox::new(TypedPool::<Left>::plain());
        let e = Entity::new(EntityId(3), Generation(0));
        boxed.typed_mut::<Left>().pool.insert(e, Left(7)).unwrap();
        assert_eq!(boxed.typed::<Left>().pool.get(e), Some(&Left(7)));
        let copy = PoolBox::from_erased(boxed.empty_like());
        assert!(copy.typed::<Left>().pool.is_empty());
    }

    #[test]
    #[should_panic(expected = "holds another type")]
    fn a_pool_is_never_reached_as_another_type() {
        let boxed = PoolBox::new(TypedPool::<Left>::plain());
        let _ = boxed.typed::<Right>();
    }
}
