//! Copy-on-write: readers load one pointer, writers publish a new version.

use super::ConcurrentCell;
use arc_swap::{ArcSwap, Guard};
use playground_kernel::sync::StdArc as Arc;

/// A component published as immutable versions (arc-swap).
///
/// A read is one pointer load plus arc-swap's debt bookkeeping (no shared reference-count
/// increment on the fast path); a reader holding a version keeps it alive after a writer has
/// replaced it. Writes allocate a new version: for data read far more often than written.
#[derive(Debug)]
pub struct CopyOnWrite<T>(ArcSwap<T>);

impl<T> CopyOnWrite<T> {
    /// The current version, borrowed cheaply; hold it briefly (it occupies a debt slot).
    #[inline]
    pub fn read(&self) -> Guard<Arc<T>> {
        self.0.load()
    }

    /// The current version as an owned `Arc`, to keep for long.
    pub fn load_full(&self) -> Arc<T> {
        self.0.load_full()
    }

    /// Publishes `value` as the new version.
    pub fn store(&self, value: T) {
        self.0.store(Arc::new(value));
    }
}

impl<T: Default> Default for CopyOnWrite<T> {
    fn default() -> Self {
        Self(ArcSwap::from_pointee(T::default()))
    }
}

impl<T: Clone + Send + Sync> ConcurrentCell<T> for CopyOnWrite<T> {
    fn new(value: T) -> Self {
        Self(ArcSwap::from_pointee(value))
    }

    fn load(&self) -> T {
        T::clone(&self.0.load())
    }

    fn update(&self, mut f: impl FnMut(&T) -> T) {
        self.0.rcu(|current| f(current));
    }
}
