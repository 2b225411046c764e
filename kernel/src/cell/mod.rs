//! Thread-safe cells, one per sharing pattern the kernel's components and models use.
//!
//! | cell | shape | read cost | write |
//! |---|---|---|---|
//! | [`Atomic<T>`] | inline atomic, same size as `T` | one atomic load | atomic store / RMW |
//! | [`Handle<T>`] | `Arc<T>`, immutable | pointer deref | none: build a new one |
//! | [`Once<T>`] | a `OnceLock`: set once, then read-only | one atomic load | the first `set` wins |
//!
//! A value behind a reader-writer lock is `playground_pools::Locked<T>` (the component-level
//! lock pattern); share it with `sync::Arc` where it needs shared ownership.
//!
//! ## Memory orderings, stated once
//!
//! `Atomic` loads are `Acquire` and stores `Release`; read-modify-writes are `AcqRel`. A
//! thread that loads a value therefore sees everything the storing thread wrote before the
//! store. On x86-64 an `Acquire` load is a plain `mov` (AArch64: `ldar`), but atomic loads are
//! not vectorised, so a loop over atomic fields is slower than one over plain fields; the
//! `kernel/field_read` and `kernel/field_write` benchmarks measure by how much. `Once` publishes its value with a `Release` store of its state and readers
//! `Acquire` it; the loom models in `once.rs` check exactly-once initialisation.

mod atomic;
mod handle;
mod once;

pub use atomic::{Atomic, AtomicNumber, AtomicValue};
pub use handle::Handle;
pub use once::Once;
