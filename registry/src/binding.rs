//! `Binding<V>`: a stored handle to whatever implements View `V` now.
//!
//! A binding keeps its own `Arc` of the implementation it last read from the View's slot,
//! the implementation's address, and the registry's bind version it read them at. While that
//! version is unchanged a `get` is one atomic load (of a counter every binding shares) and a
//! compare, then fields of the binding itself: no load from arc-swap or from the
//! implementation's allocation.

#![allow(
    unsafe_code,
    reason = "the cached implementation address is dereferenced, argued at the block"
)]

use crate::implementation::Implementation;
use crate::slot::Slot;
use crate::swap::Guard;
use crate::table::Bound;
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::sync::{Ordering, atomic::AtomicU64};
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
    /// The registry's bind version (see `slot.rs`).
    version: Arc<AtomicU64>,
    /// The bind version read just before `held` was.
    seen: u64,
    /// The slot's content at version `seen`, kept alive by this binding.
    held: Arc<Bound<V>>,
    /// The address of `held`'s implementation, `None` if it was unbound.
    view: Option<NonNull<V>>,
}

// SAFETY: `view` points into `held`, an `Arc<Bound<V>>` (`Send + Sync` for
// `V: Send + Sync`), and is only dereferenced through `&mut self` as `&V`.
unsafe impl<V: ?Sized + Send + Sync + 'static> Send for Binding<V> {}
// SAFETY: through `&Binding` only `load` is reachable, which does not touch `view`.
unsafe impl<V: ?Sized + Send + Sync + 'static> Sync for Binding<V> {}

impl<V: ?Sized + Send + Sync + 'static> Binding<V> {
    pub(crate) fn new(slot: Arc<Slot<V>>) -> Self {
        let version = slot.version();
        let mut binding = Self {
            seen: version.load(Ordering::Acquire),
            held: slot.load_full(),
            version,
            slot,
            view: None,
        };
        binding.view = binding.implementation_address();
        binding
    }

    /// The implementation bound now, or `None` if the View is unbound.
    #[inline(always)]
    pub fn get(&mut self) -> Option<&V> {
        self.follow();
        self.view.map(|view| {
            // `view` was taken from `held`'s implementation, which `held` keeps alive; `held`
            // only changes in `refresh`, through `&mut self`, so not while the borrow lives.
            // SAFETY: as argued above: `view` points at a live implementation for at least
            // the borrow of `self`.
            unsafe { view.as_ref() }
        })
    }

    /// Catches up with the slot if the bind version moved on since `held` was read.
    #[inline(always)]
    fn follow(&mut self) {
        let version = self.version.load(Ordering::Acquire);
        if version != self.seen {
            self.refresh(version);
        }
    }

    /// Reads the slot again: the version moved on. The version is read first, so what is
    /// loaded is at least as new as it.
    #[cold]
    #[inline(never)]
    fn refresh(&mut self, version: u64) {
        self.held = self.slot.load_full();
        self.seen = version;
        self.view = self.implementation_address();
    }

    fn implementation_address(&self) -> Option<NonNull<V>> {
        self.held
            .as_ref()
            .as_ref()
            .map(|imp| NonNull::from(imp.view()))
    }

    /// The bound implementation with its name, version and owner.
    pub fn implementation(&mut self) -> Option<&Implementation<V>> {
        self.follow();
        self.held.as_ref().as_ref()
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
