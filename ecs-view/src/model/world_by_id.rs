//! Access to a world's components by [`ComponentId`] rather than by type: for scripts, tools,
//! snapshots and the remote endpoint, which know component types only by id. Values cross as
//! `&dyn Any` or as the bytes of the type's codec.

use super::component::ComponentInfo;
use super::storage::ErasedPool;
use super::world::{World, unknown};
use crate::error::{EcsError, Held};
use playground_kernel::sync::MappedBorrowReadGuard;
use playground_kernel::{ComponentId, Entity};
use std::any::Any;

impl World {
    /// Removes `entity`'s component of type `id`, whatever its type; `false` if it had none.
    pub fn remove_by_id(&mut self, entity: Entity, id: ComponentId) -> Result<bool, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        Ok(self
            .pools
            .get_mut(&id)
            .is_some_and(|cell| cell.get_mut().remove(entity)))
    }

    /// Whether `entity` has a component of type `id`.
    pub fn has_id(&self, entity: Entity, id: ComponentId) -> bool {
        self.pools
            .get(&id)
            .is_some_and(|cell| cell.read().contains(entity))
    }

    /// `entity`'s component of type `id` as `&dyn Any`, for tools and scripts, through the
    /// read guard of its pool.
    pub fn get_by_id(
        &self,
        entity: Entity,
        id: ComponentId,
    ) -> Option<MappedBorrowReadGuard<'_, dyn Any>> {
        let guard = self.pools.get(&id)?.read();
        MappedBorrowReadGuard::try_map(guard, |pool| pool.get_any(entity)).ok()
    }

    /// `entity`'s component of type `id`, encoded with the type's codec (the bytes a snapshot
    /// holds for it): dynamic read access for scripts and tools. `Ok(None)` if it has none.
    pub fn get_encoded(
        &self,
        entity: Entity,
        id: ComponentId,
    ) -> Result<Option<Vec<u8>>, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        let cell = self.pools.get(&id).ok_or_else(|| unknown(id))?;
        let pool = cell.try_read().ok_or(EcsError::BorrowConflict {
            id,
            name: None,
            held: Held::Mutably,
        })?;
        pool.encode_one(entity)
    }

    /// Gives `entity` the component of type `id` decoded from `bytes` (as
    /// [`Self::get_encoded`] returns them), replacing any it had: `Ok(true)` if it replaced
    /// one. Bytes that are not one encoded value of the type are refused, the world unchanged.
    pub fn insert_encoded(
        &mut self,
        entity: Entity,
        id: ComponentId,
        bytes: &[u8],
    ) -> Result<bool, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        let cell = self.pools.get_mut(&id).ok_or_else(|| unknown(id))?;
        cell.get_mut().insert_encoded(entity, bytes)
    }

    /// The component types `entity` has, sorted by name.
    pub fn component_types(&self, entity: Entity) -> Vec<ComponentInfo> {
        let mut types: Vec<ComponentInfo> = self
            .pools
            .values()
            .filter_map(|cell| {
                let pool = cell.read();
                pool.contains(entity).then(|| pool.info())
            })
            .collect();
        types.sort_unstable_by_key(|info| info.name);
        types
    }

    /// Shared access to the pool of component type `id`, type-erased (filters, tools).
    pub fn erased_pool(
        &self,
        id: ComponentId,
    ) -> Option<MappedBorrowReadGuard<'_, dyn ErasedPool>> {
        self.pools.get(&id)?.try_read()
    }

    /// Type-erased pools, read-locked, in id order: what a snapshot saves. Fails if a pool
    /// is mutably borrowed (a query is running).
    pub fn read_pools(&self) -> Result<Vec<MappedBorrowReadGuard<'_, dyn ErasedPool>>, EcsError> {
        let mut ids: Vec<ComponentId> = self.pools.keys().collect();
        ids.sort_unstable();
        ids.into_iter()
            .map(|id| {
                self.erased_pool(id).ok_or(EcsError::BorrowConflict {
                    id,
                    name: None,
                    held: Held::Mutably,
                })
            })
            .collect()
    }

    /// The type-erased pool of component `id`, mutably (restore fills pools through it).
    pub fn erased_pool_mut(&mut self, id: ComponentId) -> Option<&mut (dyn ErasedPool + 'static)> {
        Some(self.pools.get_mut(&id)?.get_mut())
    }
}
