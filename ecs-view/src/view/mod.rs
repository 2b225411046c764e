//! The ECS Views: object-safe contracts an `ecs-viewmodel` module implements and a host calls
//! through the registry. They take the `World` they work on. These are the dynamic boundary,
//! crossed once per call or batch; per-entity work goes through the typed model API.

use crate::error::EcsError;
use crate::fingerprint::API_VERSION;
use crate::model::{ComponentInfo, World, WorldStats};
use playground_kernel::{ComponentId, Entity, ModelTypeInfo, View};

/// Entities: spawn, despawn, liveness.
pub trait EntityView: Send + Sync {
    /// Spawns an entity with no component.
    fn spawn(&self, world: &mut World) -> Entity;
    /// Spawns `count` entities with no component.
    fn spawn_batch(&self, world: &mut World, count: usize) -> Vec<Entity>;
    /// Despawns an entity and drops its components.
    fn despawn(&self, world: &mut World, entity: Entity) -> Result<(), EcsError>;
    /// Whether it is alive.
    fn exists(&self, world: &World, entity: Entity) -> bool;
}

/// Components by id, for scripts and tools.
pub trait ComponentView: Send + Sync {
    /// Whether `entity` has component `id`.
    fn has(&self, world: &World, entity: Entity, id: ComponentId) -> bool;
    /// Removes `entity`'s component `id`.
    fn remove(&self, world: &mut World, entity: Entity, id: ComponentId) -> Result<bool, EcsError>;
    /// The component types `entity` has.
    fn component_types(&self, world: &World, entity: Entity) -> Vec<ComponentInfo>;
}

/// Snapshots: the whole world to bytes and back.
pub trait StorageView: Send + Sync {
    /// Every entity and persistent component, stamped with the state format version.
    fn save(&self, world: &World) -> Result<Vec<u8>, EcsError>;
    /// Replaces the world's entities and components with a snapshot's. A corrupt, truncated
    /// or foreign snapshot is refused with the world unchanged.
    fn restore(&self, world: &mut World, bytes: &[u8]) -> Result<(), EcsError>;
}

/// Worlds: create, clear, stats.
pub trait WorldView: Send + Sync {
    /// A new, empty world.
    fn create(&self) -> World;
    /// Drops every entity and component.
    fn clear(&self, world: &mut World);
    /// Counts and memory.
    fn stats(&self, world: &World) -> WorldStats;
}

macro_rules! view_ids {
    ($($view:ident = $name:literal),* $(,)?) => {$(
        impl View for dyn $view {
            const NAME: &'static str = $name;
            const API_VERSION: u64 = API_VERSION;
        }
    )*};
}

view_ids!(
    EntityView = "playground.ecs.EntityView",
    ComponentView = "playground.ecs.ComponentView",
    StorageView = "playground.ecs.StorageView",
    WorldView = "playground.ecs.WorldView",
    EcsView = "playground.ecs.EcsView",
);

/// The whole ECS API in one object: what a system module exports.
pub trait EcsView: EntityView + ComponentView + StorageView + WorldView {}

impl<T: EntityView + ComponentView + StorageView + WorldView> EcsView for T {}

/// The model types this core module defines, for hosts creating pools ahead of instances.
pub const MODEL_TYPES: &[ModelTypeInfo] = &[ModelTypeInfo::of::<World>()];
