//! # playground-ecs-viewmodel
//!
//! The ECS system module: implements the `ecs-view` Views on [`EcsViewModel`], and is built
//! both as an `rlib` (linked directly) and a `cdylib` (loaded and hot-reloaded by the loader).
//! [`module::HostedWorld`] is the loaded module: it owns the world, and its
//! `ViewModelTrait` state is a snapshot of that world, so a reload carries the world across.

/// The README's example (spawn, query, a system, a snapshot), compiled and run as a doctest of
/// this crate so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;

pub mod events;
mod graph_run;
pub mod module;
pub mod queries;
pub mod schedule;
pub mod snapshot;

#[cfg(all(test, loom))]
mod loom_models;

use playground_ecs_view::{
    ComponentInfo, ComponentView, EcsError, Entity, EntityView, Event, EventId, EventView, Handler,
    Phase, QueryFilter, QueryId, QueryView, Schedule, StorageView, SubscriptionId, SystemView,
    World, WorldStats, WorldView,
};
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{ComponentId, StateError};

/// The ECS implementation: every View of `ecs-view`, over the world each call is given. It
/// holds nothing; the world a loaded module owns (and carries across a reload) is
/// [`module::HostedWorld`]'s.
#[derive(Debug, Default, Clone, Copy)]
pub struct EcsViewModel;

impl EntityView for EcsViewModel {
    fn spawn(&self, world: &mut World) -> Entity {
        world.spawn(())
    }
    fn spawn_batch(&self, world: &mut World, count: usize) -> Vec<Entity> {
        world.spawn_batch(std::iter::repeat_n((), count))
    }
    fn despawn(&self, world: &mut World, entity: Entity) -> Result<(), EcsError> {
        world.despawn(entity)
    }
    fn exists(&self, world: &World, entity: Entity) -> bool {
        world.is_alive(entity)
    }
}

impl ComponentView for EcsViewModel {
    fn get(
        &self,
        world: &World,
        entity: Entity,
        id: ComponentId,
    ) -> Result<Option<Vec<u8>>, EcsError> {
        world.get_encoded(entity, id)
    }
    fn insert(
        &self,
        world: &mut World,
        entity: Entity,
        id: ComponentId,
        bytes: &[u8],
    ) -> Result<bool, EcsError> {
        world.insert_encoded(entity, id, bytes)
    }
    fn has(&self, world: &World, entity: Entity, id: ComponentId) -> bool {
        world.has_id(entity, id)
    }
    fn remove(&self, world: &mut World, entity: Entity, id: ComponentId) -> Result<bool, EcsError> {
        world.remove_by_id(entity, id)
    }
    fn component_types(&self, world: &World, entity: Entity) -> Vec<ComponentInfo> {
        world.component_types(entity)
    }
}

impl QueryView for EcsViewModel {
    fn register(&self, world: &mut World, filter: QueryFilter) -> Result<QueryId, EcsError> {
        queries::register(world, filter)
    }
    fn unregister(&self, world: &mut World, id: QueryId) -> bool {
        world.queries_mut().unregister(id)
    }
    fn run(&self, world: &World, id: QueryId) -> Result<Arc<[Entity]>, EcsError> {
        queries::run(world, id)
    }
}

impl StorageView for EcsViewModel {
    fn save(&self, world: &World) -> Result<Vec<u8>, EcsError> {
        snapshot::save(world)
    }
    fn restore(&self, world: &mut World, bytes: &[u8]) -> Result<(), EcsError> {
        snapshot::restore(world, bytes)
    }
}

impl WorldView for EcsViewModel {
    fn create(&self) -> World {
        World::new()
    }
    fn clear(&self, world: &mut World) {
        world.clear();
    }
    fn stats(&self, world: &World) -> WorldStats {
        world.stats()
    }
}

impl SystemView for EcsViewModel {
    fn stages(&self, schedule: &Schedule) -> Result<Vec<Vec<usize>>, EcsError> {
        schedule::stages(&schedule.descs().collect::<Vec<_>>())
    }
    fn run(&self, schedule: &Schedule, world: &World) -> Result<(), EcsError> {
        schedule::run(schedule, world)
    }
}

impl EventView for EcsViewModel {
    fn subscribe(
        &self,
        world: &mut World,
        event: EventId,
        phase: Phase,
        handler: Handler,
    ) -> SubscriptionId {
        events::subscribe(world, event, phase, handler)
    }
    fn unsubscribe(&self, world: &mut World, id: SubscriptionId) -> bool {
        events::unsubscribe(world, id)
    }
    fn publish(&self, world: &mut World, event: Event) {
        events::publish(world, event);
    }
    fn deliver(&self, world: &mut World) -> usize {
        events::deliver(world)
    }
}

/// The state error a module reports for an ECS error met while saving or restoring its
/// world. Snapshot save and restore meet only the first four; the rest cannot arise there but
/// are named, not hidden, should that change.
pub(crate) fn state_error(e: EcsError) -> StateError {
    match e {
        EcsError::State(s) => s,
        EcsError::UnknownComponent { id, name } => StateError::UnknownPart {
            part: name.unwrap_or_else(|| id.to_string()),
        },
        EcsError::NotPersistent { name } => StateError::NotSaveable { part: name.into() },
        EcsError::BorrowConflict { id, name, .. } => StateError::Busy {
            part: name.map_or_else(|| id.to_string(), str::to_owned),
        },
        EcsError::BadComponentBytes { name, reason } => StateError::Corrupt {
            part: name.into(),
            problem: playground_kernel::Corruption::Undecodable { detail: reason },
        },
        EcsError::StaleEntity { entity } => StateError::Corrupt {
            part: "entity allocator".into(),
            problem: playground_kernel::Corruption::EntityNotAlive { entity },
        },
        other @ (EcsError::UnknownQuery { .. }
        | EcsError::QueryCollision { .. }
        | EcsError::Cycle { .. }
        | EcsError::UnknownSystem { .. }) => {
            unreachable!("snapshot save and restore do not run queries or schedules: {other}")
        }
    }
}
