//! Typed queries: monomorphic iteration over entities having a set of components.
//!
//! `world.query::<(&mut Position, &Velocity, Option<&Mass>)>().with::<Player>().for_each(..)`
//!
//! The pools are locked once per run (shared for `&T`, exclusive for `&mut T`); the smallest
//! required pool drives the loop; each other pool is first tried at the driver's dense
//! position (pools filled by one batch spawn line up, so this is a sequential read) and only
//! then through its sparse index. All of it is generic code compiled into the caller.

use super::component::Component;
use super::world::{PoolMut, PoolRef, World};
use crate::error::EcsError;
use playground_kernel::sync::MappedRwLockReadGuard;
use playground_kernel::{ComponentId, Entity};
use std::marker::PhantomData;

use super::storage::ErasedPool;

/// One query parameter: `&T`, `&mut T` or `Option<&T>`.
pub trait QueryParam {
    /// What the query holds for the run (a pool guard).
    type Pool<'w>;
    /// What each matching entity yields.
    type Item<'a>;
    /// Whether an entity must have the component to match.
    const REQUIRED: bool;
    /// Locks the pool; `Ok(None)` if a required component type was never registered (the
    /// query then matches nothing).
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError>;
    /// Number of components, for choosing the driver.
    fn len(pool: &Self::Pool<'_>) -> usize;
    /// The entity at dense position `i` (only called on a required parameter).
    fn entity_at(pool: &Self::Pool<'_>, i: usize) -> Entity;
    /// The item for `entity`, trying dense position `hint` first.
    fn fetch<'a>(
        pool: &'a mut Self::Pool<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;
}

impl<T: Component> QueryParam for &T {
    type Pool<'w> = PoolRef<'w, T>;
    type Item<'a> = &'a T;
    const REQUIRED: bool = true;
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError> {
        world.pool::<T>()
    }
    #[inline(always)]
    fn len(pool: &Self::Pool<'_>) -> usize {
        pool.len()
    }
    #[inline(always)]
    fn entity_at(pool: &Self::Pool<'_>, i: usize) -> Entity {
        pool.entities()[i]
    }
    #[inline(always)]
    fn fetch<'a>(pool: &'a mut Self::Pool<'_>, hint: usize, entity: Entity) -> Option<&'a T> {
        pool.get_at(hint, entity)
    }
}

impl<T: Component> QueryParam for &mut T {
    type Pool<'w> = PoolMut<'w, T>;
    type Item<'a> = &'a mut T;
    const REQUIRED: bool = true;
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError> {
        world.pool_mut::<T>()
    }
    #[inline(always)]
    fn len(pool: &Self::Pool<'_>) -> usize {
        pool.len()
    }
    #[inline(always)]
    fn entity_at(pool: &Self::Pool<'_>, i: usize) -> Entity {
        pool.entities()[i]
    }
    #[inline(always)]
    fn fetch<'a>(pool: &'a mut Self::Pool<'_>, hint: usize, entity: Entity) -> Option<&'a mut T> {
        pool.get_at_mut(hint, entity)
    }
}

impl<T: Component> QueryParam for Option<&T> {
    type Pool<'w> = Option<PoolRef<'w, T>>;
    type Item<'a> = Option<&'a T>;
    const REQUIRED: bool = false;
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError> {
        Ok(Some(world.pool::<T>()?))
    }
    fn len(_: &Self::Pool<'_>) -> usize {
        usize::MAX
    }
    fn entity_at(_: &Self::Pool<'_>, _: usize) -> Entity {
        unreachable!("an optional parameter never drives a query")
    }
    #[inline(always)]
    fn fetch<'a>(
        pool: &'a mut Self::Pool<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Option<&'a T>> {
        Some(pool.as_ref().and_then(|p| p.get_at(hint, entity)))
    }
}

/// What a query asks for: a tuple of [`QueryParam`]s (up to eight), e.g.
/// `(&mut Position, &Velocity)`; a single parameter is written `(&Position,)`.
pub trait QueryData {
    /// The locked pools.
    type Pools<'w>;
    /// One match.
    type Item<'a>;
    /// Locks every pool; `Ok(None)` if a required one does not exist.
    fn borrow(world: &World) -> Result<Option<Self::Pools<'_>>, EcsError>;
    /// `(parameter index, len)` of the smallest required pool.
    fn driver(pools: &Self::Pools<'_>) -> Option<(usize, usize)>;
    /// The driver's entity at dense position `i`.
    fn entity_at(pools: &Self::Pools<'_>, driver: usize, i: usize) -> Entity;
    /// The match for `entity`, if it has every required component.
    fn fetch<'a>(
        pools: &'a mut Self::Pools<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;
}

macro_rules! query_data {
    ($($P:ident $i:tt),+) => {
        impl<$($P: QueryParam),+> QueryData for ($($P,)+) {
            type Pools<'w> = ($($P::Pool<'w>,)+);
            type Item<'a> = ($($P::Item<'a>,)+);

            fn borrow(world: &World) -> Result<Option<Self::Pools<'_>>, EcsError> {
                Ok(Some(($(match $P::borrow(world)? { Some(pool) => pool, None => return Ok(None) },)+)))
            }

            fn driver(pools: &Self::Pools<'_>) -> Option<(usize, usize)> {
                let mut best: Option<(usize, usize)> = None;
                $(
                    if $P::REQUIRED {
                        let len = $P::len(&pools.$i);
                        if best.is_none_or(|(_, l)| len < l) {
                            best = Some(($i, len));
                        }
                    }
                )+
                best
            }

            #[inline(always)]
            fn entity_at(pools: &Self::Pools<'_>, driver: usize, i: usize) -> Entity {
                match driver {
                    $($i => $P::entity_at(&pools.$i, i),)+
                    _ => unreachable!("driver is a parameter index"),
                }
            }

            #[inline(always)]
            fn fetch<'a>(pools: &'a mut Self::Pools<'_>, hint: usize, entity: Entity) -> Option<Self::Item<'a>> {
                Some(($($P::fetch(&mut pools.$i, hint, entity)?,)+))
            }
        }
    };
}

query_data!(A 0);
query_data!(A 0, B 1);
query_data!(A 0, B 1, C 2);
query_data!(A 0, B 1, C 2, D 3);
query_data!(A 0, B 1, C 2, D 3, E 4);
query_data!(A 0, B 1, C 2, D 3, E 4, F 5);
query_data!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
query_data!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// A query being built: add filters, then run it.
#[must_use = "a query does nothing until it is run"]
pub struct Query<'w, Q: QueryData> {
    world: &'w World,
    with: Vec<ComponentId>,
    without: Vec<ComponentId>,
    _data: PhantomData<fn() -> Q>,
}

type FilterPool<'w> = MappedRwLockReadGuard<'w, dyn ErasedPool>;

impl<'w, Q: QueryData> Query<'w, Q> {
    pub(crate) fn new(world: &'w World) -> Self {
        Self {
            world,
            with: Vec::new(),
            without: Vec::new(),
            _data: PhantomData,
        }
    }

    /// Only entities that also have a `T`.
    pub fn with<T: Component>(mut self) -> Self {
        self.with.push(T::ID);
        self
    }

    /// Only entities without a `T`.
    pub fn without<T: Component>(mut self) -> Self {
        self.without.push(T::ID);
        self
    }

    /// Only entities that also have the component `id` (a filter by id, for scripts).
    pub fn with_id(mut self, id: ComponentId) -> Self {
        self.with.push(id);
        self
    }

    /// Only entities without the component `id`.
    pub fn without_id(mut self, id: ComponentId) -> Self {
        self.without.push(id);
        self
    }

    fn filters(&self) -> Result<Option<(Vec<FilterPool<'w>>, Vec<FilterPool<'w>>)>, EcsError> {
        let lock = |id: &ComponentId| {
            self.world.pools.get(id).map(|_| {
                self.world.erased_pool(*id).ok_or(EcsError::BorrowConflict {
                    name: "filter component",
                    held: "mutably",
                })
            })
        };
        let mut with = Vec::with_capacity(self.with.len());
        for id in &self.with {
            match lock(id) {
                Some(pool) => with.push(pool?),
                None => return Ok(None),
            }
        }
        let mut without = Vec::with_capacity(self.without.len());
        for pool in self.without.iter().filter_map(lock) {
            without.push(pool?);
        }
        Ok(Some((with, without)))
    }

    /// Calls `f` with each matching entity and its items.
    pub fn for_each_entity(self, mut f: impl FnMut(Entity, Q::Item<'_>)) -> Result<(), EcsError> {
        let Some(mut pools) = Q::borrow(self.world)? else {
            return Ok(());
        };
        let Some((with, without)) = self.filters()? else {
            return Ok(());
        };
        let Some((driver, len)) = Q::driver(&pools) else {
            return Ok(());
        };
        let unfiltered = with.is_empty() && without.is_empty();
        for i in 0..len {
            let entity = Q::entity_at(&pools, driver, i);
            if !unfiltered
                && (!with.iter().all(|p| p.contains(entity))
                    || without.iter().any(|p| p.contains(entity)))
            {
                continue;
            }
            if let Some(item) = Q::fetch(&mut pools, i, entity) {
                f(entity, item);
            }
        }
        Ok(())
    }

    /// Calls `f` with each match's items.
    pub fn for_each(self, mut f: impl FnMut(Q::Item<'_>)) -> Result<(), EcsError> {
        self.for_each_entity(|_, item| f(item))
    }

    /// Number of matching entities.
    pub fn count(self) -> Result<usize, EcsError> {
        let mut n = 0;
        self.for_each_entity(|_, _| n += 1)?;
        Ok(n)
    }

    /// The matching entities, in driver order.
    pub fn entities(self) -> Result<Vec<Entity>, EcsError> {
        let mut out = Vec::new();
        self.for_each_entity(|e, _| out.push(e))?;
        Ok(out)
    }
}
