//! The query side of a [`World`]: typed queries, the by-id queries registered in it, and the
//! filter locks both run under.

use super::queries::{FilterPools, Queries, QueryKey};
use super::query::Query;
use super::query_data::QueryData;
use crate::error::{EcsError, Held};
use crate::model::{QueryFilter, World};
use playground_kernel::ComponentId;

impl World {
    /// A typed query; see [`Query`].
    pub fn query<Q: QueryData>(&self) -> Query<'_, Q> {
        Query::new(self)
    }

    /// The queries registered here (see [`QueryFilter`]).
    pub fn queries(&self) -> &Queries {
        &self.queries
    }

    /// The queries registered here, to register or forget one.
    pub fn queries_mut(&mut self) -> &mut Queries {
        &mut self.queries
    }

    /// What `filter`'s answer depends on, as of now: read under each named pool's lock, so a
    /// pool mutably borrowed (a system writing it) is [`EcsError::BorrowConflict`].
    pub fn query_key(&self, filter: &QueryFilter) -> Result<QueryKey, EcsError> {
        let pools = filter
            .with
            .iter()
            .chain(&filter.without)
            .map(|id| match self.pools.get(id) {
                None => Ok(None),
                Some(cell) => cell
                    .try_read()
                    .map(|pool| Some(pool.layout_version()))
                    .ok_or(EcsError::BorrowConflict {
                        id: *id,
                        name: None,
                        held: Held::Mutably,
                    }),
            })
            .collect::<Result<_, _>>()?;
        Ok(QueryKey {
            entities: filter.with.is_empty().then_some(self.entity_changes),
            pools_epoch: self.pools_epoch,
            pools,
        })
    }

    /// The pools `filter` names, read-locked for a run: `Ok(None)` if a `with` type was never
    /// registered (nothing can match); a `without` type never registered is left out;
    /// [`EcsError::BorrowConflict`] if a named pool is mutably borrowed. The typed and the
    /// by-id queries both filter through this.
    #[inline(always)]
    pub fn lock_filter(&self, filter: &QueryFilter) -> Result<Option<FilterPools<'_>>, EcsError> {
        // A by-id query without a filter stops here (a typed one has no filter to pass):
        // inlined, this test is its whole per-run cost (out of line, the empty answer went
        // back through memory and was dropped by a call).
        if filter.is_empty() {
            return Ok(Some(FilterPools::default()));
        }
        self.lock_named(filter)
    }

    /// [`Self::lock_filter`] for a filter that names pools.
    #[inline(never)]
    fn lock_named(&self, filter: &QueryFilter) -> Result<Option<FilterPools<'_>>, EcsError> {
        let lock = |id: &ComponentId| {
            self.pools.get(id).map(|cell| {
                cell.try_read().ok_or(EcsError::BorrowConflict {
                    id: *id,
                    name: None,
                    held: Held::Mutably,
                })
            })
        };
        let mut with = Vec::with_capacity(filter.with.len());
        for id in &filter.with {
            match lock(id) {
                Some(pool) => with.push(pool?),
                None => return Ok(None),
            }
        }
        let without = filter
            .without
            .iter()
            .filter_map(lock)
            .collect::<Result<_, _>>()?;
        Ok(Some(FilterPools { with, without }))
    }
}
