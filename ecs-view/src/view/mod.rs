//! The ECS Views: object-safe contracts an `ecs-viewmodel` module implements and a host calls
//! through the registry. They take the `World` they work on. These are the dynamic boundary,
//! crossed once per call or batch; per-entity work goes through the typed model API.

mod module;
mod plugin;

pub use module::{EcsCore, EcsModule};
pub use plugin::{EcsPlugin, PluginCore};

use crate::error::EcsError;
use crate::fingerprint::API_VERSION;
use crate::model::{
    ComponentInfo, Entities, Event, EventId, EventQueue, Handler, Phase, QueryFilter, QueryId,
    Schedule, Subscription, SubscriptionId, SystemDesc, World, WorldStats,
};
use playground_kernel::sync::StdArc as Arc;
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

/// Components by id, for scripts and tools. Values cross as bytes in the component type's
/// codec (postcard, as snapshots hold them), so only persistent types can be read or written.
pub trait ComponentView: Send + Sync {
    /// `entity`'s component `id`, encoded; `Ok(None)` if it has none.
    fn get(
        &self,
        world: &World,
        entity: Entity,
        id: ComponentId,
    ) -> Result<Option<Vec<u8>>, EcsError>;
    /// Gives `entity` component `id` decoded from `bytes`, replacing any it had: `Ok(true)` if
    /// it replaced one. Undecodable bytes, an unknown type or a stale entity are refused with
    /// the world unchanged.
    fn insert(
        &self,
        world: &mut World,
        entity: Entity,
        id: ComponentId,
        bytes: &[u8],
    ) -> Result<bool, EcsError>;
    /// Whether `entity` has component `id`.
    fn has(&self, world: &World, entity: Entity, id: ComponentId) -> bool;
    /// Removes `entity`'s component `id`.
    fn remove(&self, world: &mut World, entity: Entity, id: ComponentId) -> Result<bool, EcsError>;
    /// The component types `entity` has.
    fn component_types(&self, world: &World, entity: Entity) -> Vec<ComponentInfo>;
}

/// Queries by component id: registered once, run as often as wanted, answered from a cache
/// while nothing they depend on has changed.
pub trait QueryView: Send + Sync {
    /// Registers `filter` in `world`; the same filter (in any order) gets the same id. A
    /// different filter whose id collides with a registered one is refused.
    fn register(&self, world: &mut World, filter: QueryFilter) -> Result<QueryId, EcsError>;
    /// Forgets a query; `false` if it was not registered.
    fn unregister(&self, world: &mut World, id: QueryId) -> bool;
    /// The entities matching query `id`, in the dense order of its smallest `with` pool (or
    /// index order with no `with`). While the entity set and every pool the filter names keep
    /// their layout, the cached answer is returned (the same `Arc`) without recomputation.
    fn run(&self, world: &World, id: QueryId) -> Result<Arc<[Entity]>, EcsError>;
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

/// Systems: order a schedule and run it.
pub trait SystemView: Send + Sync {
    /// Stages of system indices in run order; systems of one stage may run in parallel.
    /// A dependency cycle is an error naming it; so is a dependency on an unknown system.
    fn stages(&self, schedule: &Schedule) -> Result<Vec<Vec<usize>>, EcsError>;
    /// Runs every system once, each as soon as the systems it depends on (its `after` list,
    /// and earlier systems it conflicts with) have finished, on parallel threads. After a
    /// system fails no other starts, and the first-registered failure is returned.
    fn run(&self, schedule: &Schedule, world: &World) -> Result<(), EcsError>;
}

/// Events: publish with a priority, subscribe per phase, deliver in order.
pub trait EventView: Send + Sync {
    /// Subscribes `handler` to events of type `event` in `phase`.
    fn subscribe(
        &self,
        world: &mut World,
        event: EventId,
        phase: Phase,
        handler: Handler,
    ) -> SubscriptionId;
    /// Removes a subscription; `false` if it was not there.
    fn unsubscribe(&self, world: &mut World, id: SubscriptionId) -> bool;
    /// Queues an event for the next delivery.
    fn publish(&self, world: &mut World, event: Event);
    /// Delivers every queued event: by priority (highest first), then publication order; for
    /// each event, its `Pre` subscribers then its `Post` subscribers, each in subscription
    /// order. Returns how many handler calls were made.
    fn deliver(&self, world: &mut World) -> usize;
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
    QueryView = "playground.ecs.QueryView",
    StorageView = "playground.ecs.StorageView",
    WorldView = "playground.ecs.WorldView",
    SystemView = "playground.ecs.SystemView",
    EventView = "playground.ecs.EventView",
    EcsView = "playground.ecs.EcsView",
);

/// The whole ECS API in one object: what a system module exports.
pub trait EcsView:
    EntityView + ComponentView + QueryView + StorageView + WorldView + SystemView + EventView
{
}

impl<T: EntityView + ComponentView + QueryView + StorageView + WorldView + SystemView + EventView>
    EcsView for T
{
}

/// The model types this core module defines, for hosts creating pools ahead of instances.
pub const MODEL_TYPES: &[ModelTypeInfo] = &[
    ModelTypeInfo::of::<Entity>(),
    ModelTypeInfo::of::<Entities>(),
    ModelTypeInfo::of::<ComponentInfo>(),
    ModelTypeInfo::of::<Event>(),
    ModelTypeInfo::of::<Subscription>(),
    ModelTypeInfo::of::<EventQueue>(),
    ModelTypeInfo::of::<QueryFilter>(),
    ModelTypeInfo::of::<SystemDesc>(),
    ModelTypeInfo::of::<Schedule>(),
    ModelTypeInfo::of::<World>(),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn model_types_are_distinct_and_named_under_playground() {
        let ids: HashSet<_> = MODEL_TYPES.iter().map(|m| m.model_type).collect();
        assert_eq!(
            ids.len(),
            MODEL_TYPES.len(),
            "no two model types share an id"
        );
        for info in MODEL_TYPES {
            assert!(info.name.starts_with("playground."), "{}", info.name);
            assert_eq!(
                info.model_type,
                playground_kernel::ModelType::from_name(info.name)
            );
        }
    }
}
