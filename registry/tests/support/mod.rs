//! Test Views shared by the registry's integration tests.

#![allow(dead_code, reason = "each test file uses a different subset")]

use playground_kernel::View;
use playground_kernel::sync::StdArc as Arc;
use playground_registry::Implementation;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A View whose implementations report a number.
pub trait Counter: Send + Sync {
    fn value(&self) -> u64;
}
impl View for dyn Counter {
    const NAME: &'static str = "test.Counter";
    const API_VERSION: u64 = 0xC0;
}

/// Another View, for type-mismatch and multi-view tests.
pub trait Namer: Send + Sync {
    fn name(&self) -> &str;
}
impl View for dyn Namer {
    const NAME: &'static str = "test.Namer";
    const API_VERSION: u64 = 0xA0;
}

/// Same name as `Counter` (so the same id) but another trait: the registry must not confuse
/// them.
pub trait Impostor: Send + Sync {}
impl View for dyn Impostor {
    const NAME: &'static str = "test.Counter";
    const API_VERSION: u64 = 0xC0;
}

/// An implementation that counts its drops, to observe when the registry releases it.
pub struct Fixed {
    pub value: u64,
    pub drops: Arc<AtomicUsize>,
}

impl Counter for Fixed {
    fn value(&self) -> u64 {
        self.value
    }
}

impl Drop for Fixed {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

pub fn counter(name: &str, value: u64, drops: &Arc<AtomicUsize>) -> Implementation<dyn Counter> {
    Implementation::new(
        name,
        <dyn Counter as View>::API_VERSION,
        Arc::new(Fixed {
            value,
            drops: drops.clone(),
        }),
    )
}

pub struct Plain(pub &'static str);
impl Namer for Plain {
    fn name(&self) -> &str {
        self.0
    }
}
