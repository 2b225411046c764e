//! `World`: entities, their components (one pool per type), and resources.

use super::component::{Component, ComponentInfo};
use super::entities::Entities;
use super::storage::TypedPool;
use crate::engine::Queries;
use crate::engine::alignment::AlignmentCache;
use crate::engine::pool_cell::PoolCell;
use crate::engine::pool_table::PoolTable;
use crate::error::{EcsError, Held};
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::sync::{MappedBorrowReadGuard, MappedBorrowWriteGuard};
use playground_kernel::{ComponentId, Entity, Executor, ScopedThreads};
use playground_pools::ComponentPool;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::{Any, TypeId};
use std::collections::HashMap;

/// Shared access to one component type's pool, held for a batch of reads.
pub type PoolRef<'w, T> = MappedBorrowReadGuard<'w, ComponentPool<T>>;
/// Exclusive access to one component type's pool, held for a batch of writes.
pub type PoolMut<'w, T> = MappedBorrowWriteGuard<'w, ComponentPool<T>>;
/// A component read through `&World`.
pub type Ref<'w, T> = MappedBorrowReadGuard<'w, T>;

/// Counts a world reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldStats {
    /// Live entities.
    pub entities: usize,
    /// Per component type (by name): how many entities have one.
    pub components: Vec<(ComponentInfo, usize)>,
    /// Heap bytes held by the component pools.
    pub heap_bytes: usize,
}

/// Inserts and removes one component type for many entities; see [`World::writer`].
pub struct Writer<'w, T> {
    entities: &'w Entities,
    pool: &'w mut ComponentPool<T>,
}

impl<T: Component> Writer<'_, T> {
    /// Adds or replaces `entity`'s `T`.
    #[inline(always)]
    pub fn insert(&mut self, entity: Entity, component: T) -> Result<Option<T>, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        // A live entity is never stale for a pool (despawn cleared it from every pool); the
        // pool's refusal is still reported, never swallowed.
        self.pool
            .insert(entity, component)
            .map_err(|_| EcsError::StaleEntity { entity })
    }

    /// Removes `entity`'s `T`.
    #[inline(always)]
    pub fn remove(&mut self, entity: Entity) -> Result<Option<T>, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        Ok(self.pool.remove(entity))
    }
}

/// A world: entities, their components and resources. There is no global world; every View
/// method takes the world it works on, so a host can run several.
///
/// Each component type has its own pool behind its own lock. `&mut World` methods reach pools
/// without locking; `&World` methods (queries, [`Self::pool`]) take a pool's lock once per
/// call, not per entity, and report a conflicting borrow as [`EcsError::BorrowConflict`] rather
/// than blocking, so systems touching disjoint components can run on several threads at once.
#[derive(Default)]
pub struct World {
    pub(crate) entities: Entities,
    pub(crate) pools: PoolTable,
    resources: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    pub(crate) alignment: AlignmentCache,
    pub(crate) queries: Queries,
    /// Bumped by every change to the set of live entities (what a query with no `with`
    /// depends on beyond pool layouts).
    pub(crate) entity_changes: u64,
    /// Bumped whenever pool objects are replaced, whose fresh layout versions could repeat
    /// numbers an old pool had.
    pub(crate) pools_epoch: u64,
    /// The host's threads, lent for `par_for_each` and schedule stages; `None` runs them on
    /// scoped threads.
    executor: Option<Arc<dyn Executor>>,
}

playground_kernel::model!(World = "playground.ecs.World");

/// `T`'s pool is borrowed as `held`. Built only on a conflict (`ok_or_else`): an error value
/// built eagerly on every borrow was dropped by an out-of-line call in every query's setup.
fn borrow_conflict<T: Component>(held: Held) -> EcsError {
    EcsError::BorrowConflict {
        id: T::ID,
        name: Some(T::NAME),
        held,
    }
}

pub(super) fn unknown(id: ComponentId) -> EcsError {
    EcsError::UnknownComponent { id, name: None }
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lends the world the host's threads: `par_for_each` and schedule stages run on
    /// `executor` from now on (and on scoped threads, joined before each call returns, until
    /// a host sets one). Carried by [`Self::empty_like`], so a restore keeps it.
    pub fn set_executor(&mut self, executor: Arc<dyn Executor>) {
        self.executor = Some(executor);
    }

    /// The threads parallel work of this world runs on.
    pub fn executor(&self) -> &dyn Executor {
        match &self.executor {
            Some(executor) => &**executor,
            None => &ScopedThreads,
        }
    }

    /// Registers `T` (done implicitly on first insert). Its components cannot be saved.
    pub fn register<T: Component>(&mut self) {
        self.pool_mut_unlocked::<T>();
    }

    /// Registers `T` as persistent: snapshots save it, restores load it. Re-registering a
    /// plain type as persistent keeps its components.
    pub fn register_persistent<T: Component + Serialize + DeserializeOwned>(&mut self) {
        self.register::<T>();
        let cell = self.pools.get_mut(&T::ID).expect("just registered");
        if !cell.get_mut().is_persistent() {
            let mut next = TypedPool::<T>::persistent();
            next.pool = std::mem::take(&mut cell.typed_mut::<T>().pool);
            cell.replace(next);
            self.alignment.clear();
            self.pools_epoch += 1;
        }
    }

    /// Whether `T`'s pool is one the world keeps in place (`Some(true)`), or lives in its heap
    /// table (`Some(false)`); `None` if `T` is not registered. A world keeps the first pools
    /// registered in place, two candidate places per type; a later type whose two are both
    /// taken pays a table probe more on every `insert`, `remove` and `get_mut`. Register the
    /// types a hot loop inserts first, and check them here.
    pub fn pool_is_near<T: Component>(&self) -> Option<bool> {
        self.pools.is_near(&T::ID)
    }

    #[inline(always)]
    pub(crate) fn pool_mut_unlocked<T: Component>(&mut self) -> &mut ComponentPool<T> {
        &mut self
            .pools
            .get_or_insert_with(T::ID, || PoolCell::new(TypedPool::<T>::plain()))
            .typed_mut::<T>()
            .pool
    }

    /// Spawns an entity with a bundle of components (a tuple, or `()` for none).
    pub fn spawn<B: super::bundle::Bundle>(&mut self, bundle: B) -> Entity {
        self.entity_changes += 1;
        let entity = self.entities.spawn();
        bundle.insert_into(self, entity);
        entity
    }

    /// Spawns one entity per bundle, taking each pool once for the whole batch.
    pub fn spawn_batch<B: super::bundle::Bundle>(
        &mut self,
        bundles: impl IntoIterator<Item = B>,
    ) -> Vec<Entity> {
        self.entity_changes += 1;
        B::spawn_batch(self, bundles.into_iter())
    }

    /// Despawns `entity` and drops its components.
    pub fn despawn(&mut self, entity: Entity) -> Result<(), EcsError> {
        if !self.entities.despawn(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        self.entity_changes += 1;
        for cell in self.pools.values_mut() {
            cell.get_mut().remove(entity);
        }
        Ok(())
    }

    /// Whether `entity` is alive here.
    #[inline]
    pub fn is_alive(&self, entity: Entity) -> bool {
        self.entities.is_alive(entity)
    }

    /// Live entities.
    pub fn entities(&self) -> impl Iterator<Item = Entity> + '_ {
        self.entities.iter()
    }

    /// Number of live entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether no entity is alive.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Adds or replaces `entity`'s `T`, returning the replaced value.
    #[inline(always)]
    pub fn insert<T: Component>(
        &mut self,
        entity: Entity,
        component: T,
    ) -> Result<Option<T>, EcsError> {
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        // A live entity is never stale for its pools (despawn cleared it from every pool); the
        // pool's refusal is still reported, never swallowed. Registering is kept out of line
        // so the registered case is a lookup and the pool's insert.
        let pool = match self.pools.typed_mut::<T>() {
            Some(cell) => &mut cell.typed_mut::<T>().pool,
            None => self.register_cold::<T>(),
        };
        pool.insert(entity, component)
            .map_err(|_| EcsError::StaleEntity { entity })
    }

    #[cold]
    #[inline(never)]
    fn register_cold<T: Component>(&mut self) -> &mut ComponentPool<T> {
        self.pool_mut_unlocked::<T>()
    }

    /// Removes and returns `entity`'s `T`.
    #[inline(always)]
    pub fn remove<T: Component>(&mut self, entity: Entity) -> Result<Option<T>, EcsError> {
        // A pool holds only live entities (despawn clears every pool), so a component found
        // under this exact generation proves `entity` alive; only a miss asks the allocator.
        if let Some(removed) = self
            .pools
            .typed_mut::<T>()
            .and_then(|cell| cell.typed_mut::<T>().pool.remove(entity))
        {
            return Ok(Some(removed));
        }
        if !self.entities.is_alive(entity) {
            return Err(EcsError::StaleEntity { entity });
        }
        Ok(None)
    }

    /// A writer for `T`: finds the pool once, then inserts and removes for many entities,
    /// each checked for liveness (the batch form of [`Self::insert`] / [`Self::remove`]).
    pub fn writer<T: Component>(&mut self) -> Writer<'_, T> {
        self.register::<T>();
        let World {
            entities, pools, ..
        } = self;
        let cell = pools.typed_mut::<T>().expect("just registered");
        Writer {
            entities,
            pool: &mut cell.typed_mut::<T>().pool,
        }
    }

    /// `entity`'s `T`, through `&mut self` with no lock: the fastest single access.
    #[inline]
    pub fn get_mut<T: Component>(&mut self, entity: Entity) -> Option<&mut T> {
        let cell = self.pools.typed_mut::<T>()?;
        cell.typed_mut::<T>().pool.get_mut(entity)
    }

    /// `entity`'s `T`, through `&self` (takes the pool's read lock for the guard's life).
    pub fn get<T: Component>(&self, entity: Entity) -> Option<Ref<'_, T>> {
        let guard = self.pool::<T>().ok()??;
        PoolRef::try_map(guard, |pool| pool.get(entity)).ok()
    }

    /// Whether `entity` has a `T`.
    pub fn has<T: Component>(&self, entity: Entity) -> bool {
        self.has_id(entity, T::ID)
    }

    /// Shared access to `T`'s pool for a batch of reads; `Ok(None)` if `T` was never
    /// registered.
    pub fn pool<T: Component>(&self) -> Result<Option<PoolRef<'_, T>>, EcsError> {
        let Some(cell) = self.pools.get(&T::ID) else {
            return Ok(None);
        };
        let guard = cell
            .try_read_pool::<T>()
            .ok_or_else(|| borrow_conflict::<T>(Held::Mutably))?;
        Ok(Some(guard))
    }

    /// Exclusive access to `T`'s pool for a batch of writes; `Ok(None)` if `T` was never
    /// registered.
    pub fn pool_mut<T: Component>(&self) -> Result<Option<PoolMut<'_, T>>, EcsError> {
        let Some(cell) = self.pools.get(&T::ID) else {
            return Ok(None);
        };
        let guard = cell
            .try_write_pool::<T>()
            .ok_or_else(|| borrow_conflict::<T>(Held::Elsewhere))?;
        Ok(Some(guard))
    }

    /// Drops every entity and component, keeping registrations and resources.
    pub fn clear(&mut self) {
        self.entity_changes += 1;
        self.entities = Entities::default();
        for cell in self.pools.values_mut() {
            cell.get_mut().clear();
        }
    }

    /// Entity count, count per component type, memory.
    pub fn stats(&self) -> WorldStats {
        let mut components: Vec<(ComponentInfo, usize)> = self
            .pools
            .values()
            .map(|cell| cell.read())
            .map(|p| (p.info(), p.len()))
            .collect();
        components.sort_unstable_by_key(|(info, _)| info.name);
        let heap_bytes = self
            .pools
            .values()
            .map(|cell| cell.read().heap_bytes())
            .sum();
        WorldStats {
            entities: self.entities.len(),
            components,
            heap_bytes,
        }
    }

    /// Stores a resource (one value per type, not attached to an entity).
    pub fn insert_resource<R: Send + Sync + 'static>(&mut self, resource: R) -> Option<R> {
        self.resources
            .insert(TypeId::of::<R>(), Box::new(resource))
            .and_then(|old| old.downcast().ok().map(|b| *b))
    }

    /// A resource.
    pub fn resource<R: Send + Sync + 'static>(&self) -> Option<&R> {
        self.resources.get(&TypeId::of::<R>())?.downcast_ref()
    }

    /// A resource, mutably.
    pub fn resource_mut<R: Send + Sync + 'static>(&mut self) -> Option<&mut R> {
        self.resources.get_mut(&TypeId::of::<R>())?.downcast_mut()
    }

    /// The entity allocator (for snapshots).
    pub fn allocator(&self) -> &Entities {
        &self.entities
    }

    /// A world with the same registrations (pool types and codecs) and no entities: the
    /// target a snapshot is restored into before it replaces this one.
    pub fn empty_like(&self) -> World {
        let pools = self
            .pools
            .map(|cell| PoolCell::from_erased(cell.read().empty_like()));
        World {
            entities: Entities::default(),
            pools,
            executor: self.executor.clone(),
            ..World::default()
        }
    }

    /// Replaces the entity allocator and every pool of `self` with `other`'s, keeping
    /// `self`'s resources: the commit step of a restore.
    pub fn replace_contents(&mut self, other: World) {
        self.entities = other.entities;
        self.pools = other.pools;
        self.alignment.clear();
        self.entity_changes += 1;
        self.pools_epoch += 1;
    }

    /// Sets the entity allocator (for snapshot restore into an empty world). Refuses one whose
    /// free list and live count disagree.
    pub fn set_allocator(
        &mut self,
        entities: Entities,
    ) -> Result<(), playground_kernel::Corruption> {
        entities.validate()?;
        self.entities = entities;
        self.entity_changes += 1;
        Ok(())
    }
}
