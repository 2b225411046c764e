//! Component-level locking: one reader-writer lock per component, inline (no `Arc`).

use super::ConcurrentCell;
use playground_kernel::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A component behind its own reader-writer lock (parking_lot's: one word, no poisoning).
///
/// For complex data mutated in place. Readers of one component contend on its lock word;
/// readers of different components do not.
#[derive(Debug, Default)]
pub struct Locked<T>(RwLock<T>);

impl<T> Locked<T> {
    /// Shared access; blocks while a writer holds this component.
    #[inline]
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        self.0.read()
    }

    /// Exclusive access.
    #[inline]
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.0.write()
    }

    /// Consumes the cell.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<T: Clone + Send + Sync> ConcurrentCell<T> for Locked<T> {
    fn new(value: T) -> Self {
        Self(RwLock::new(value))
    }

    fn load(&self) -> T {
        self.read().clone()
    }

    fn update(&self, mut f: impl FnMut(&T) -> T) {
        let mut guard = self.write();
        *guard = f(&guard);
    }
}
