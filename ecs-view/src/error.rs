//! The ECS errors. Whenever one is returned, the world is as it was before the call.

use playground_kernel::{ComponentId, Entity, StateError};

/// Why an ECS operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EcsError {
    /// The entity was despawned (or never spawned in this world).
    #[error("stale entity {entity}: not alive in this world")]
    StaleEntity {
        /// The entity presented.
        entity: Entity,
    },
    /// A component type this world has never registered.
    #[error("unknown component {id}{}", name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default())]
    UnknownComponent {
        /// Its id.
        id: ComponentId,
        /// Its name, where the caller knows one (a snapshot record names its components).
        name: Option<String>,
    },
    /// A pool is already borrowed in a conflicting way (e.g. `(&mut A, &A)` in one query).
    #[error("component {id}{} is already borrowed {held}", name.map(|n| format!(" ({n})")).unwrap_or_default())]
    BorrowConflict {
        /// The component.
        id: ComponentId,
        /// Its name, where the caller knows the type (a by-id access does not: the name is
        /// inside the pool that is locked).
        name: Option<&'static str>,
        /// How it is held.
        held: Held,
    },
    /// The component type cannot be saved: it was registered without a codec.
    #[error("component {name} is not persistent: register it with `register_persistent`")]
    NotPersistent {
        /// The component.
        name: &'static str,
    },
    /// Bytes given for one component (dynamic access by id) that are not exactly one encoded
    /// value of its type.
    #[error("bytes for component {name} do not decode: {reason}")]
    BadComponentBytes {
        /// The component.
        name: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// A query id this world has not registered.
    #[error("unknown query {id}")]
    UnknownQuery {
        /// The id presented.
        id: crate::model::QueryId,
    },
    /// A query filter whose id is already taken by a different registered filter.
    #[error("query id {id} is registered for a different filter")]
    QueryCollision {
        /// The colliding id.
        id: crate::model::QueryId,
    },
    /// A systems graph with a dependency cycle; the path names it (`a -> b -> a`).
    #[error("dependency cycle: {path}")]
    Cycle {
        /// The cycle.
        path: String,
    },
    /// A system depends on one that is not registered.
    #[error("system {system} depends on unknown system {missing}")]
    UnknownSystem {
        /// The dependent.
        system: String,
        /// The missing dependency.
        missing: String,
    },
    /// Encoding or decoding state failed.
    #[error(transparent)]
    State(#[from] StateError),
}

/// How a pool was held when a borrow was refused (see [`EcsError::BorrowConflict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Borrowed mutably, so no other borrow is possible.
    Mutably,
    /// Borrowed (shared or mutably), so an exclusive borrow is not possible.
    Elsewhere,
}

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Mutably => "mutably",
            Self::Elsewhere => "elsewhere",
        })
    }
}
