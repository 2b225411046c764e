//! # playground-kernel
//!
//! The foundation of the Playground kernel: the pieces every other crate agrees on.
//!
//! - **Stable ids** ([`ViewId`], [`ModelType`], [`ComponentId`]): FNV-1a 64 hashes of declared
//!   names, identical in every build, so they survive hot reload, saves and the network.
//!   [`ModelId`] names one model instance and [`Entity`] one ECS entity, each with a
//!   generation so a reused slot is never mistaken for its earlier occupant.
//! - **The MVVM traits**: [`Model`] / [`ModelTrait`] for data, [`View`] for API
//!   contracts, [`ViewModelTrait`] for implementations that a loader can swap and whose state
//!   it carries across.
//! - **Thread-safe cells** ([`Atomic`], [`Handle`], [`Once`]), one per sharing
//!   pattern; see [`cell`] for costs and memory orderings.
//! - **The loom facade** ([`sync`]): the only module that names `std::sync` or `loom`.
//! - **Host-owned threads** ([`Executor`]): how module code runs work in parallel without
//!   starting threads of its own.
//!
//! ```
//! use playground_kernel::{Atomic, Model, ModelTypeInfo, model};
//!
//! /// A component whose fields many threads update without a lock.
//! #[derive(Default)]
//! struct Position { x: Atomic<f32>, y: Atomic<f32>, z: Atomic<f32> }
//! model!(Position = "playground.ecs.Position");
//!
//! let p = Position::default();
//! p.x.fetch_add(1.0);
//! assert_eq!(p.x.load(), 1.0);
//! assert_eq!(ModelTypeInfo::of::<Position>().name, "playground.ecs.Position");
//! ```

pub mod borrow_lock;
pub mod cell;
pub mod error;
pub mod executor;
pub mod id;
pub mod job_batch;
pub mod model;
pub mod module;
pub mod sync;
pub mod view;

pub use cell::{Atomic, AtomicNumber, AtomicValue, Handle, Once};
pub use error::{Corruption, KernelError, StateError};
pub use executor::{Executor, ScopedThreads};
pub use id::{
    ComponentId, Entity, EntityId, EntityKind, Generation, Generational, IdHasher, IdKind, IdMap,
    IdTable, ModelId, ModelKind, ModelType, ViewId, fnv1a_64, fnv1a_64_bytes,
};
pub use job_batch::{Helper, JobBatch};
pub use model::{Model, ModelTrait, ModelTypeInfo};
pub use view::{View, ViewModelTrait};

/// The kernel's version, part of every module's compatibility check.
pub const KERNEL_VERSION: &str = env!("CARGO_PKG_VERSION");
