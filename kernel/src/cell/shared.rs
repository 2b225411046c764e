//! `Shared<T>`: shared mutable data behind a reader-writer lock.

use crate::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use core::fmt;

/// Shared mutable data: `Arc<RwLock<T>>` with parking_lot's lock (no poisoning, a one-word
/// lock, an uncontended read is one atomic read-modify-write). The pattern for components too
/// complex for field atomics; readers contend on the lock word, so prefer [`Atomic`] fields or
/// copy-on-write for data read on every frame by many threads.
///
/// [`Atomic`]: crate::Atomic
pub struct Shared<T>(Arc<RwLock<T>>);

impl<T> Shared<T> {
    /// Moves `value` behind a new lock.
    pub fn new(value: T) -> Self {
        Self(Arc::new(RwLock::new(value)))
    }

    /// Shared access; blocks while a writer holds the lock.
    #[inline]
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        self.0.read()
    }

    /// Exclusive access; blocks while any reader or writer holds the lock.
    #[inline]
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.0.write()
    }

    /// Whether both point at the same lock.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Shared").field(&*self.read()).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Shared;

    #[test]
    fn writers_on_clones_are_all_seen() {
        let s = Shared::new(Vec::new());
        std::thread::scope(|scope| {
            for t in 0..4 {
                let s = s.clone();
                scope.spawn(move || {
                    for i in 0..100 {
                        s.write().push(t * 100 + i);
                    }
                });
            }
        });
        let mut v = s.read().clone();
        v.sort_unstable();
        assert_eq!(v, (0..400).collect::<Vec<_>>());
    }
}
