//! Queries by component id, for scripts, tools and hosts across the View boundary: a
//! [`QueryFilter`] registered in a world under a [`QueryId`], its last answer cached there.
//!
//! The typed [`Query`](super::Query) is the hot path; this is the dynamic one, so its answer
//! is a list of entities, and caching it is what makes running it every frame cheap: the
//! answer is kept with the layout versions of every pool the filter names (and, for a filter
//! with no `with`, the world's entity-set version), and served again while they are unchanged.

use super::component::Component;
use super::storage::ErasedPool;
use crate::error::EcsError;
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::sync::{MappedRwLockReadGuard, Mutex};
use playground_kernel::{ComponentId, Entity, fnv1a_64_bytes};
use std::collections::HashMap;

playground_kernel::stable_id!(
    /// Stable id of a registered query: the hash of its normalised filter (`from_bits` of
    /// it), so registering the same filter twice (in any order) gives the same id.
    QueryId
);

/// Which entities a query matches: those with every `with` component and none of the
/// `without` ones. With no `with`, every live entity is a candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct QueryFilter {
    /// Required component types.
    pub with: Vec<ComponentId>,
    /// Excluded component types.
    pub without: Vec<ComponentId>,
}

playground_kernel::model!(QueryFilter = "playground.ecs.QueryFilter");

impl QueryFilter {
    /// A filter matching every live entity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires `T`.
    pub fn with<T: Component>(self) -> Self {
        self.with_id(T::ID)
    }

    /// Excludes `T`.
    pub fn without<T: Component>(self) -> Self {
        self.without_id(T::ID)
    }

    /// Requires the component type `id`.
    pub fn with_id(mut self, id: ComponentId) -> Self {
        self.with.push(id);
        self
    }

    /// Excludes the component type `id`.
    pub fn without_id(mut self, id: ComponentId) -> Self {
        self.without.push(id);
        self
    }

    /// The same filter with both lists sorted and free of duplicates.
    pub fn normalized(mut self) -> Self {
        for ids in [&mut self.with, &mut self.without] {
            ids.sort_unstable();
            ids.dedup();
        }
        self
    }

    /// Its id (of the normalised form).
    pub fn id(&self) -> QueryId {
        self.clone().normalized().hash()
    }

    /// Whether it names no component at all.
    pub fn is_empty(&self) -> bool {
        self.with.is_empty() && self.without.is_empty()
    }

    /// The id of a filter already normalised.
    fn hash(&self) -> QueryId {
        let mut bytes = Vec::with_capacity(8 * (self.with.len() + self.without.len()) + 8);
        for (tag, ids) in [(b'+', &self.with), (b'-', &self.without)] {
            bytes.push(tag);
            for id in ids {
                bytes.extend_from_slice(&id.to_bits().to_le_bytes());
            }
        }
        QueryId::from_bits(fnv1a_64_bytes(&bytes))
    }

    /// Whether a `with` type is also excluded (the query can match nothing).
    pub fn is_contradictory(&self) -> bool {
        self.with.iter().any(|id| self.without.contains(id))
    }
}

/// The pools a filter names, read-locked for one run (see `World::lock_filter`).
#[derive(Default)]
pub struct FilterPools<'w> {
    /// The `with` pools, in filter order.
    pub with: Vec<MappedRwLockReadGuard<'w, dyn ErasedPool>>,
    /// The registered `without` pools.
    pub without: Vec<MappedRwLockReadGuard<'w, dyn ErasedPool>>,
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

    #[test]
    fn the_id_ignores_order_and_duplicates_but_not_sides() {
        let (a, b) = (ComponentId::from_bits(1), ComponentId::from_bits(2));
        let f = QueryFilter::new().with_id(a).with_id(b).without_id(b);
        let g = QueryFilter::new()
            .with_id(b)
            .with_id(a)
            .with_id(a)
            .without_id(b);
        assert_eq!(f.id(), g.id());
        let h = QueryFilter::new().with_id(a).without_id(b).without_id(b);
        assert_ne!(f.id(), h.id());
        let swapped = QueryFilter::new().with_id(b).without_id(a);
        assert_ne!(h.id(), swapped.id());
        assert!(f.is_contradictory() && !h.is_contradictory());
    }

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
