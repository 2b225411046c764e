//! Field-level atomics: the kernel's inline `Atomic<T>` as a [`ConcurrentCell`].

use super::ConcurrentCell;
use playground_kernel::{Atomic, AtomicValue};

impl<T: AtomicValue> ConcurrentCell<T> for Atomic<T> {
    fn new(value: T) -> Self {
        Atomic::new(value)
    }

    #[inline]
    fn load(&self) -> T {
        Atomic::load(self)
    }

    fn update(&self, mut f: impl FnMut(&T) -> T) {
        Atomic::update(self, |v| f(&v));
    }
}
