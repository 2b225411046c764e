//! `Binding<V>`: a stored handle to whatever implements View `V` now.
//!
//! A binding keeps, beside arc-swap's cache of the View's slot, the address of the
//! implementation it last read out of the cached `Bound<V>`, so while nothing changed a `get`
//! is the cache's one atomic load and compare, then fields of the binding itself: no load
//! from the `Bound<V>` allocation.

#![allow(
    unsafe_code,
    reason = "the cached implementation address is dereferenced, argued at the block"
)]

use crate::implementation::Implementation;
use crate::swap::{Cache, Guard};
use crate::table::{Bound, Slot};
use playground_kernel::sync::StdArc as Arc;
use std::ptr::NonNull;

/// A consumer's handle on View `V`: made once (`registry.binding::<dyn V>()`), then each
/// [`get`](Self::get) returns the implementation bound now. After a `rebind`, the next `get`
/// sees the new one.
///
/// `get` takes `&mut self`: the binding caches the implementation it last saw, so while
/// nothing changed a `get` is one atomic load and a compare. The returned reference keeps that
/// implementation, and the owner it names (such as a loaded library), alive for as long as it
/// is held. For a handle shared between threads, clone the binding (each clone caches on its
/// own) or use [`load`](Self::load).
pub struct Binding<V: ?Sized + 'static> {
    slot: Arc<Slot<V>>,
    cache: Cache<Arc<Slot<V>>, Bound<V>>,
    /// The `Bound<V>` allocation `view` was read from (null before the first `get`).
    seen: *const Bound<V>,
    /// Its implementation's address, `None` if it was unbound.
    view: Option<NonNull<V>>,
}

// SAFETY: the raw pointers are a cache of what `cache` holds (an `Arc<Bound<V>>`, itself
// `Send + Sync` for `V: Send + Sync`); they are only dereferenced through `&mut self` as `&V`.
unsafe impl<V: ?Sized + Send + Sync + 'static> Send for Binding<V> {}
// SAFETY: through `&Binding` only `load` is reachable, which does not touch the pointers.
unsafe impl<V: ?Sized + Send + Sync + 'static> Sync for Binding<V> {}

impl<V: ?Sized + Send + Sync + 'static> Binding<V> {
    pub(crate) fn new(slot: Arc<Slot<V>>) -> Self {
        Self {
            cache: Cache::new(slot.clone()),
            slot,
            seen: std::ptr::null(),
            view: None,
        }
    }

    /// The implementation bound now, or `None` if the View is unbound.
    #[inline(always)]
    pub fn get(&mut self) -> Option<&V> {
        let current = self.cache.load();
        let at = Arc::as_ptr(current);
        if at != self.seen {
            self.seen = at;
            self.view = current
                .as_ref()
                .as_ref()
                .map(|imp| NonNull::from(imp.view()));
        }
        // `view` was read from the `Bound<V>` at `seen`, which the cache holds now: the cache
        // keeps the `Arc` it last returned alive until it replaces it, so a replacement was
        // allocated while the old one lived and cannot share its address. The cache only
        // changes through `&mut self`, so the implementation outlives the returned borrow.
        self.view.map(|view| {
            // SAFETY: as argued above: `view` points at the live implementation of the
            // `Bound<V>` the cache holds, for at least the borrow of `self`.
            unsafe { view.as_ref() }
        })
    }

    /// The bound implementation with its name, version and owner.
    pub fn implementation(&mut self) -> Option<&Implementation<V>> {
        self.cache.load().as_ref().as_ref()
    }

    /// An owned guard on the implementation bound now, usable through `&self`; it keeps the
    /// implementation and its owner alive until dropped.
    pub fn load(&self) -> BindingGuard<V> {
        BindingGuard {
            bound: self.slot.load(),
        }
    }
}

impl<V: ?Sized + Send + Sync + 'static> Clone for Binding<V> {
    fn clone(&self) -> Self {
        Self::new(self.slot.clone())
    }
}

/// What [`Binding::load`] returns.
pub struct BindingGuard<V: ?Sized + 'static> {
    bound: Guard<Bound<V>>,
}

impl<V: ?Sized> BindingGuard<V> {
    /// The implementation, if bound when the guard was taken.
    pub fn get(&self) -> Option<&V> {
        self.implementation().map(Implementation::view)
    }

    /// The implementation with its metadata.
    pub fn implementation(&self) -> Option<&Implementation<V>> {
        Option::as_ref(&self.bound)
    }
}
