//! Stable identities.
//!
//! `ViewId`, `ModelType` and `ComponentId` are 64-bit hashes of a name the type declares, the
//! same in every build, on every platform and in every process, so they survive hot reloads,
//! saves and the network (`TypeId` does none of these). `ModelId` (one model instance) and
//! `Entity` are one `Generational` type: a slot index plus the generation that tells a reused
//! slot from its earlier occupant.

mod entity;
mod generational;
mod hash;
mod id_map;
mod id_table;
mod model_id;
mod stable;

pub use entity::{Entity, EntityId, EntityKind};
pub use generational::{Generation, Generational, IdKind};
pub use hash::{fnv1a_64, fnv1a_64_bytes};
pub use id_map::{IdHasher, IdMap};
pub use id_table::IdTable;
pub use model_id::{ModelId, ModelKind};
pub use stable::{ComponentId, ModelType, ViewId};
