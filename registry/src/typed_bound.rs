//! `TypedBound`: a table entry holding a bound View's current `Bound<V>`, type-erased, with
//! the `TypeId` of `Bound<V>` and the implementation's `*const V` stored beside it.
//!
//! A lookup by id checks the type with one compare of that stored `TypeId` against a
//! constant and returns the stored pointer: no call, and no load outside the table entry.
//! The safe path (`Arc<dyn Any>::downcast_ref`, then `Option<Implementation<V>>`, then the
//! `Arc<V>` in it) makes a virtual `type_id` call whose 16-byte result is read back through
//! memory right after the callee wrote it (a store-forwarding stall), then two dependent
//! loads into other allocations; profiled, those were most of a registry lookup.
//!
//! Only a bound View has an entry (an unbound one has none in the table), so a lookup that
//! finds the entry tests its type and nothing else.
//!
//! Invariants: `type_id` is the `TypeId` of the value `bound` points to, which is bound, and
//! `view` holds the bytes of the `*const V` of that value's implementation. The fields
//! are private and set together by [`TypedBound::new`]; nothing mutates them afterwards (the
//! table is immutable once published: a rebind inserts a new `TypedBound`). `bound` owns the
//! implementation, so the pointer stays valid as long as the entry lives.

#![allow(
    unsafe_code,
    reason = "an unchecked downcast after a TypeId compare, argued at the block"
)]

use crate::table::Bound;
use playground_kernel::sync::StdArc as Arc;
use std::any::{Any, TypeId};
use std::ptr::NonNull;

/// A `Bound<V>` of any `V`: what inspection reads without knowing `V`.
pub(crate) trait BoundAny: Any + Send + Sync {
    /// Name and API version of the implementation, if bound.
    fn name_version(&self) -> Option<(&str, u64)>;
}

impl<V: ?Sized + Send + Sync + 'static> BoundAny for Bound<V> {
    fn name_version(&self) -> Option<(&str, u64)> {
        self.as_ref().map(|imp| (imp.name(), imp.api_version()))
    }
}

/// A View's `Bound<V>` behind `dyn BoundAny`, and the `TypeId` of `Bound<V>`.
#[derive(Clone)]
pub(crate) struct TypedBound {
    type_id: TypeId,
    /// The bytes of a `*const V` (thin or fat: at most two words).
    view: [usize; 2],
    bound: Arc<dyn BoundAny>,
}

// SAFETY: `view` is a copy of a pointer into `bound`'s value, which is `Send + Sync`; sharing
// or sending the entry shares or sends nothing `bound` does not already allow.
unsafe impl Send for TypedBound {}
// SAFETY: as for `Send`: the entry is immutable and only hands out `&V`, with `V: Sync`.
unsafe impl Sync for TypedBound {}

impl TypedBound {
    /// Erases `bound`, remembering its type and its implementation's address; `None` if it
    /// is unbound (an unbound View has no entry).
    pub(crate) fn new<V: ?Sized + Send + Sync + 'static>(bound: Arc<Bound<V>>) -> Option<Self> {
        const {
            assert!(size_of::<*const V>() <= size_of::<[usize; 2]>());
        }
        let ptr: *const V = bound.as_ref().as_ref()?.view();
        let mut view = [0usize; 2];
        // SAFETY: copies the pointer's own bytes into a buffer at least as large (checked
        // above at compile time); both are plain memory of this stack frame.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (&raw const ptr).cast::<u8>(),
                view.as_mut_ptr().cast::<u8>(),
                size_of::<*const V>(),
            );
        }
        Some(Self {
            type_id: TypeId::of::<Bound<V>>(),
            view,
            bound,
        })
    }

    /// The implementation, if this entry was made for `V`.
    #[inline(always)]
    pub(crate) fn view<V: ?Sized + Send + Sync + 'static>(&self) -> Option<&V> {
        if self.type_id != TypeId::of::<Bound<V>>() {
            return None;
        }
        // `type_id` matches `Bound<V>`, so `view` holds the bytes of a `*const V` taken from the
        // implementation `bound` owns (module invariant: every entry is bound), hence non-null;
        // `bound` keeps it alive and unchanged while `&self` is borrowed. Read as `NonNull`,
        // so a caller's test of the returned `Option` folds into the type test.
        // SAFETY: as argued above; `transmute_copy` reads exactly `size_of::<*const V>()`
        // bytes (the size of `NonNull<V>`), no more than `view` has.
        unsafe { Some(std::mem::transmute_copy::<[usize; 2], NonNull<V>>(&self.view).as_ref()) }
    }

    /// The shared `Bound<V>`, if this entry was made for `V` (the safe, counted path).
    pub(crate) fn shared<V: ?Sized + Send + Sync + 'static>(&self) -> Option<Arc<Bound<V>>> {
        let bound: Arc<dyn Any + Send + Sync> = self.bound.clone();
        bound.downcast::<Bound<V>>().ok()
    }

    /// Name and API version of the bound implementation.
    pub(crate) fn name_version(&self) -> (&str, u64) {
        self.bound
            .name_version()
            .expect("an entry is made for a bound View only")
    }
}

#[cfg(test)]
mod tests {
    use super::TypedBound;
    use crate::implementation::Implementation;
    use playground_kernel::sync::StdArc as Arc;
    use proptest::prelude::*;

    trait Left: Send + Sync {
        fn left(&self) -> u64;
    }
    trait Right: Send + Sync {}
    struct Both(u64);
    impl Left for Both {
        fn left(&self) -> u64 {
            self.0
        }
    }
    impl Right for Both {}

    fn left(value: u64) -> TypedBound {
        let imp: Arc<dyn Left> = Arc::new(Both(value));
        TypedBound::new::<dyn Left>(Arc::new(Some(Implementation::new("l", 1, imp))))
            .expect("bound")
    }

    proptest! {
        /// The unchecked path answers exactly what the safe downcast answers, for the type
        /// it was made for and for another one.
        #[test]
        fn typed_get_agrees_with_the_safe_downcast(value in any::<u64>()) {
            let entry = left(value);
            let fast = entry.view::<dyn Left>().map(|v| v.left());
            let safe = entry
                .shared::<dyn Left>()
                .and_then(|b| b.as_ref().as_ref().map(|i| i.view().left()));
            prop_assert_eq!(fast, safe);
            prop_assert_eq!(fast, Some(value));
            prop_assert!(entry.view::<dyn Right>().is_none());
            prop_assert!(entry.shared::<dyn Right>().is_none());
        }
    }

    #[test]
    fn an_unbound_view_makes_no_entry() {
        assert!(TypedBound::new::<dyn Left>(Arc::new(None)).is_none());
    }
}

#[cfg(test)]
mod thin {
    use super::TypedBound;
    use crate::implementation::Implementation;
    use playground_kernel::sync::StdArc as Arc;

    #[test]
    fn a_sized_view_round_trips_through_the_entry() {
        let entry =
            TypedBound::new::<u64>(Arc::new(Some(Implementation::new("n", 1, Arc::new(41u64)))))
                .expect("bound");
        assert_eq!(entry.view::<u64>(), Some(&41));
        assert_eq!(entry.view::<u32>(), None);
    }
}
