//! The publication cell under the registry: arc-swap normally, a lock-based reference cell in
//! loom models.
//!
//! arc-swap is not written against loom, so under `--cfg loom` [`SwapCell`] becomes a
//! `Mutex<Arc<T>>` from the kernel's facade with the same API (the idea of arc-swap's own
//! `rw_lock` reference strategy). The models then check the registry's logic — RCU under the
//! writer lock, no lost update, old implementations kept alive by guards — while arc-swap's own
//! memory orderings rest on its tests and wide use.

pub(crate) use imp::{Cache, Guard, SwapCell};

#[cfg(not(loom))]
mod imp {
    /// Atomically swappable `Arc<T>`.
    pub(crate) type SwapCell<T> = arc_swap::ArcSwap<T>;
    /// What `SwapCell::load` returns: keeps the loaded `Arc<T>` alive.
    pub type Guard<T> = arc_swap::Guard<playground_kernel::sync::StdArc<T>>;
    /// A reader-owned cache: `load` is one atomic load and a compare while nothing changed.
    pub(crate) type Cache<A, T> = arc_swap::Cache<A, playground_kernel::sync::StdArc<T>>;
}

#[cfg(loom)]
mod imp {
    use core::ops::Deref;
    use playground_kernel::sync::{Mutex, StdArc as Arc};

    /// Lock-based stand-in for `ArcSwap` in loom models.
    pub(crate) struct SwapCell<T>(Mutex<Arc<T>>);

    /// What `load` returns in loom models: an owned `Arc`.
    pub type Guard<T> = Arc<T>;

    impl<T> SwapCell<T> {
        pub(crate) fn new(value: Arc<T>) -> Self {
            Self(Mutex::new(value))
        }
        pub(crate) fn from_pointee(value: T) -> Self {
            Self::new(Arc::new(value))
        }
        pub(crate) fn load(&self) -> Arc<T> {
            self.0.lock().clone()
        }
        pub(crate) fn load_full(&self) -> Arc<T> {
            self.load()
        }
        pub(crate) fn store(&self, value: Arc<T>) {
            *self.0.lock() = value;
        }
        pub(crate) fn swap(&self, value: Arc<T>) -> Arc<T> {
            std::mem::replace(&mut *self.0.lock(), value)
        }
    }

    /// Stand-in for `arc_swap::Cache`: reloads on every `load`.
    pub(crate) struct Cache<A, T> {
        source: A,
        current: Arc<T>,
    }

    impl<A: Deref<Target = SwapCell<T>>, T> Cache<A, T> {
        pub(crate) fn new(source: A) -> Self {
            let current = source.load_full();
            Self { source, current }
        }
        pub(crate) fn load(&mut self) -> &Arc<T> {
            self.current = self.source.load_full();
            &self.current
        }
    }

    impl<A: Clone, T> Clone for Cache<A, T> {
        fn clone(&self) -> Self {
            Self {
                source: self.source.clone(),
                current: self.current.clone(),
            }
        }
    }
}
