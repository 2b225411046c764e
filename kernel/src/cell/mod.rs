//! Thread-safe cells, one per sharing pattern the kernel's components and models use.
//!
//! | cell | shape | read cost | write |
//! |---|---|---|---|
//! | [`Atomic<T>`] | inline atomic, same size as `T` | one atomic load | atomic store / RMW |
//! | [`Handle<T>`] | `Arc<T>`, immutable | pointer deref | none: build a new one |
//! | [`Shared<T>`] | `Arc<RwLock<T>>` (parking_lot) | uncontended lock | exclusive lock |
//! | [`Once<T>`] | set once, then read-only | one atomic load | the first `set` wins |
//!
//! ## Memory orderings, stated once
//!
//! `Atomic` loads are `Acquire` and stores `Release`; read-modify-writes are `AcqRel`. A
//! thread that loads a value therefore sees everything the storing thread wrote before the
//! store. On x86-64 and AArch64 an `Acquire` load is a plain load (`ldr`/`ldar`), so the
//! inline cell costs no more than a plain field read; the `kernel/field_read` benchmark
//! measures it. `Once` publishes its value with a `Release` store of its state and readers
//! `Acquire` it; the loom models in `once.rs` check exactly-once initialisation.

mod atomic;
mod handle;
mod once;
mod shared;

pub use atomic::{Atomic, AtomicNumber, AtomicValue};
pub use handle::Handle;
pub use once::Once;
pub use shared::Shared;
