//! `Binding<V>`: a stored handle to whatever implements View `V` now.

use crate::implementation::Implementation;
use crate::swap::{Cache, Guard};
use crate::table::{Bound, Slot};
use playground_kernel::sync::StdArc as Arc;

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
}

impl<V: ?Sized + Send + Sync + 'static> Binding<V> {
    pub(crate) fn new(slot: Arc<Slot<V>>) -> Self {
        Self {
            cache: Cache::new(slot.clone()),
            slot,
        }
    }

    /// The implementation bound now, or `None` if the View is unbound.
    #[inline(always)]
    pub fn get(&mut self) -> Option<&V> {
        self.cache
            .load()
            .as_ref()
            .as_ref()
            .map(Implementation::view)
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
