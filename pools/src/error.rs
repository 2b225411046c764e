//! Errors of the pools: each names the id that was refused and why.

use playground_kernel::{Entity, Generation, ModelId};

/// Why a pool refused an operation. The pool is unchanged whenever one is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The entity's slot holds a newer generation: the entity was despawned and its index
    /// reused, so writing through the old handle would clobber another entity.
    #[error("stale entity {entity}: its slot now belongs to {occupant}")]
    StaleEntity {
        /// The entity presented.
        entity: Entity,
        /// The entity that owns the slot now.
        occupant: Entity,
    },
    /// The model id's slot has moved on to another generation (or is empty).
    #[error("stale model id {id}: its slot is at generation {}", current_generation.0)]
    StaleModelId {
        /// The id presented.
        id: ModelId,
        /// The slot's generation now.
        current_generation: Generation,
    },
    /// The model id's index was never allocated by this pool.
    #[error("unknown model id {id}: index never allocated")]
    UnknownModelId {
        /// The id presented.
        id: ModelId,
    },
}
