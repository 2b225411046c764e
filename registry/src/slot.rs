//! `Slot<V>`: the cell one View's [`Binding`](crate::Binding)s follow: the bound
//! implementation (swapped under readers) and the registry's bind version, one counter shared
//! by every slot of a registry and bumped after every swap of any of them.
//!
//! The version is what makes a stored binding cheap: while it is unchanged the binding's own
//! copy of the implementation is current, so a `get` is one load of the version and a compare,
//! and touches neither arc-swap nor the implementation's allocation. It is one counter for the
//! whole registry, not one per slot, so every binding reads the same cache line (hot in every
//! reader's cache) rather than one line per View; the price is that a rebind of any View makes
//! every binding reload once, on its next `get` (rebinds are reloads: rare).
//!
//! Ordering: `store` swaps the implementation, then bumps the version with `Release`; a reader
//! loads the version with `Acquire` before it loads the implementation, so a reader that sees
//! version `n` loads an implementation at least as new as the one stored before the `n`th
//! bump. A reader that races a store may load the new implementation under the old version;
//! it then sees the version move on its next `get` and reloads, which costs a load, never a
//! stale answer after the store returned.

use crate::swap::{Guard, SwapCell};
use crate::table::Bound;
use playground_kernel::sync::Ordering;
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::sync::atomic::AtomicU64;

/// One View's bound implementation and its version.
pub(crate) struct Slot<V: ?Sized + 'static> {
    bound: SwapCell<Bound<V>>,
    version: Arc<AtomicU64>,
}

impl<V: ?Sized + 'static> Slot<V> {
    /// A slot holding `bound`, counting its stores on `version` (the registry's).
    pub(crate) fn new(bound: Arc<Bound<V>>, version: Arc<AtomicU64>) -> Self {
        Self {
            bound: SwapCell::new(bound),
            version,
        }
    }

    /// Publishes `next`; called by the registry's writer only (under its writer lock).
    pub(crate) fn store(&self, next: Arc<Bound<V>>) {
        self.bound.store(next);
        self.version.fetch_add(1, Ordering::Release);
    }

    /// The registry's bind version, for a binding to load directly.
    pub(crate) fn version(&self) -> Arc<AtomicU64> {
        self.version.clone()
    }

    /// The implementation bound now, kept alive by the guard.
    pub(crate) fn load(&self) -> Guard<Bound<V>> {
        self.bound.load()
    }

    /// The implementation bound now, as an owned `Arc`.
    pub(crate) fn load_full(&self) -> Arc<Bound<V>> {
        self.bound.load_full()
    }
}
