//! Queries by component id, for scripts, tools and hosts across the View boundary: a
//! [`QueryFilter`] registered in a world under its [`QueryId`], its last answer cached there.
//!
//! The typed [`Query`](super::query::Query) is the hot path; this is the dynamic one, so its
//! answer is a list of entities, and caching it is what makes running it every frame cheap:
//! the answer is kept with the layout versions of every pool the filter names (and, for a
//! filter with no `with`, the world's entity-set version), and served again while they are
//! unchanged.

use crate::error::EcsError;
use crate::model::{ErasedPool, QueryFilter, QueryId};
use playground_kernel::Entity;
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::sync::{MappedBorrowReadGuard, Mutex};
use std::collections::HashMap;

/// The pools a filter names, read-locked for one run (see `World::lock_filter`).
#[derive(Default)]
pub struct FilterPools<'w> {
    /// The `with` pools, in filter order.
    pub with: Vec<MappedBorrowReadGuard<'w, dyn ErasedPool>>,
    /// The registered `without` pools.
    pub without: Vec<MappedBorrowReadGuard<'w, dyn ErasedPool>>,
}

impl FilterPools<'_> {
    /// Whether no pool is held (a filter that names nothing).
    pub fn is_empty(&self) -> bool {
        self.with.is_empty() && self.without.is_empty()
    }

    /// Whether `entity` has every `with` component and no `without` one.
    #[inline]
    pub fn admits(&self, entity: Entity) -> bool {
        self.with.iter().all(|p| p.contains(entity))
            && !self.without.iter().any(|p| p.contains(entity))
    }
}

/// What a query's answer depended on: the world's entity-set version (only for a filter with
/// no `with`), the pool-replacement epoch, and each named pool's layout version (`None` for a
/// type not registered yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryKey {
    /// Entity-set version, when the answer depends on it.
    pub entities: Option<u64>,
    /// Bumped whenever the world replaces pool objects (restore, re-registration).
    pub pools_epoch: u64,
    /// Layout version per component id of the filter, `with` then `without`.
    pub pools: Vec<Option<u64>>,
}

/// A query's last answer and what it depended on.
#[derive(Debug, Clone)]
pub struct CachedAnswer {
    /// The state it was computed from.
    pub key: QueryKey,
    /// The matching entities.
    pub entities: Arc<[Entity]>,
}

/// A registered query: its filter and its cached answer.
#[derive(Debug)]
pub struct RegisteredQuery {
    filter: QueryFilter,
    cache: Mutex<Option<CachedAnswer>>,
}

impl RegisteredQuery {
    /// Its (normalised) filter.
    pub fn filter(&self) -> &QueryFilter {
        &self.filter
    }

    /// Its cache, locked for a run (runs of one query through `&World` on several threads
    /// take turns; runs of different queries do not wait for each other).
    pub fn cache(&self) -> &Mutex<Option<CachedAnswer>> {
        &self.cache
    }
}

/// The queries registered in one world.
#[derive(Debug, Default)]
pub struct Queries {
    registered: HashMap<QueryId, RegisteredQuery>,
}

impl Queries {
    /// Registers `filter` (normalised) and returns its id; registering it again keeps the
    /// existing entry and its cache. A different filter whose id collides with a registered
    /// one is refused rather than answered with the other's entities.
    pub fn register(&mut self, filter: QueryFilter) -> Result<QueryId, EcsError> {
        let filter = filter.normalized();
        let id = filter.hash();
        let entry = self
            .registered
            .entry(id)
            .or_insert_with(|| RegisteredQuery {
                filter: filter.clone(),
                cache: Mutex::new(None),
            });
        if entry.filter != filter {
            return Err(EcsError::QueryCollision { id });
        }
        Ok(id)
    }

    /// Forgets a query; `false` if it was not registered.
    pub fn unregister(&mut self, id: QueryId) -> bool {
        self.registered.remove(&id).is_some()
    }

    /// A registered query.
    pub fn get(&self, id: QueryId) -> Option<&RegisteredQuery> {
        self.registered.get(&id)
    }

    /// Number of registered queries.
    pub fn len(&self) -> usize {
        self.registered.len()
    }

    /// Whether none is registered.
    pub fn is_empty(&self) -> bool {
        self.registered.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_kernel::ComponentId;

    #[test]
    fn a_colliding_id_is_refused_and_the_registered_query_kept() {
        let mut queries = Queries::default();
        let f = QueryFilter::new().with_id(ComponentId::from_bits(1));
        let id = queries.register(f.clone()).unwrap();
        assert_eq!(queries.register(f.clone()), Ok(id));
        // Forge a collision: another filter stored under `id`.
        let other = QueryFilter::new().with_id(ComponentId::from_bits(2));
        queries.registered.get_mut(&id).unwrap().filter = other.clone();
        assert_eq!(queries.register(f), Err(EcsError::QueryCollision { id }));
        assert_eq!(queries.get(id).unwrap().filter(), &other);
        assert_eq!(queries.len(), 1);
    }
}
