//! # playground-pools
//!
//! Storage for the Playground kernel:
//!
//! - [`ComponentPool<T>`]: a sparse set per component type — O(1) get/insert/remove by
//!   [`Entity`](playground_kernel::Entity) with stale entities detected, dense iteration as
//!   fast as a `Vec`.
//! - [`pattern`]: the three ways a component is shared between threads ([`Atomic`] fields,
//!   [`Locked`], [`CopyOnWrite`]), behind one [`ConcurrentCell`] trait.
//! - [`ModelPool<T>`]: live models by [`ModelId`](playground_kernel::ModelId), read with no
//!   lock under an [`epoch`] pin, stored inline and reused once no reader can see them.
//!
//! Every concurrent structure here takes its atomics and locks from
//! [`playground_kernel::sync`], so the loom models (`--cfg loom`) check the shipped code.
//!
//! [`Atomic`]: playground_kernel::Atomic

pub mod component;
pub mod error;
pub mod model;
pub mod pattern;

pub use component::{Batch, ComponentPool, ComponentSlicesMut};
pub use error::PoolError;
pub use model::ModelPool;
pub use pattern::{ConcurrentCell, CopyOnWrite, Locked};

/// Epoch-based reclamation, re-exported: `epoch::pin()` gives the guard [`ModelPool::get`]
/// borrows from.
pub use crossbeam_epoch as epoch;
