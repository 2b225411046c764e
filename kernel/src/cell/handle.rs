//! `Handle<T>`: shared immutable data.

use crate::sync::Arc;
use core::{fmt, ops::Deref};

/// Shared, immutable, reference-counted data. Cloning is one reference-count increment;
/// reading is a pointer dereference. To change the value, build a new `Handle` (see the
/// copy-on-write cell in `pools` for publishing one to concurrent readers).
pub struct Handle<T: ?Sized>(Arc<T>);

impl<T> Handle<T> {
    /// Moves `value` behind a new handle.
    pub fn new(value: T) -> Self {
        Self(Arc::new(value))
    }
}

impl<T: ?Sized> Handle<T> {
    /// Wraps a `std::sync::Arc`; the way to make a `Handle<dyn Trait>`, since unsized coercion
    /// of the facade's `Arc` is not available under loom.
    pub fn from_std(arc: std::sync::Arc<T>) -> Self {
        #[cfg(not(loom))]
        return Self(arc);
        #[cfg(loom)]
        return Self(Arc::from_std(arc));
    }

    /// Whether both handles point at the same allocation.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T: ?Sized> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: ?Sized> Deref for Handle<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Handle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&&*self.0).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Handle;

    trait Named: Send + Sync {
        fn name(&self) -> &str;
    }
    struct A;
    impl Named for A {
        fn name(&self) -> &str {
            "a"
        }
    }

    #[test]
    fn clones_share_and_trait_objects_work() {
        let h = Handle::new(5);
        let c = h.clone();
        assert!(Handle::ptr_eq(&h, &c));
        assert_eq!(*c, 5);
        let d: Handle<dyn Named> = Handle::from_std(std::sync::Arc::new(A));
        assert_eq!(d.name(), "a");
    }
}
