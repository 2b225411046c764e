//! # playground-registry
//!
//! Finds the implementation of a View, and the pool of a model type, from any thread, in a
//! few nanoseconds, while implementations are being swapped.
//!
//! - [`BindingRegistry`]: register Views, `bind` / `rebind` / `unbind` implementations
//!   (version-checked), register and find model pools, inspect everything.
//! - [`Binding<V>`]: a stored handle that follows rebinds; a `get` is one cached load.
//! - [`RegistryReader`]: a thread's cached snapshot for lookups by id.
//!
//! Reads are lock-free and never write shared memory; writers copy and republish the table
//! (RCU over arc-swap) under one writer lock. See [`swap`] for what the loom models check.

mod binding;
mod error;
mod implementation;
mod reader;
mod registry;
mod retired;
mod slot;
pub mod swap;
mod table;
mod typed_bound;

pub use binding::{Binding, BindingGuard};
pub use error::RegistryError;
pub use implementation::{Implementation, Owner};
pub use reader::RegistryReader;
pub use registry::{BindingRegistry, ViewGuard, ViewReport};
pub use table::{DynModelPool, ViewInfo};

#[cfg(all(test, loom))]
mod loom_models;
