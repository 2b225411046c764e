//! `QueryIter`: a query's matches as an iterator, in the driving pool's dense order.
//!
//! The iterator walks the smallest required pool's entities; for each it fetches every
//! parameter's item (trying the same dense position first, then the sparse index) and skips
//! entities a filter refuses or an optional-free parameter lacks. Items live as long as the
//! iterator's borrow of the [`Query`](super::Query) that locked the pools, so many may be held
//! at once, as with a slice's `iter_mut`.
//!
//! Invariant that makes the `&mut` items sound: each position of the driver's entity list is
//! visited once, and an entity appears once in a pool, so each component is handed out at
//! most once per iteration.

#![allow(
    unsafe_code,
    reason = "items of distinct entities are handed out through raw pool access; argued at each block"
)]

use super::queries::FilterPools;
use super::query_data::{PLACEHOLDER, QueryData};
use playground_kernel::Entity;

/// The matches of a query, one item per matching entity.
pub struct QueryIter<'a, Q: QueryData> {
    /// The pools, taken for `'a`; `None` when nothing can match.
    raw: Option<Q::Raw<'a>>,
    /// The driving pool's entities, in dense order.
    entities: &'a [Entity],
    filters: Option<&'a FilterPools<'a>>,
    /// Where every pool holds the driver's entities contiguously (an unfiltered query of
    /// required parameters): each pool's position of the driver's first entity.
    aligned: Option<[usize; 8]>,
    next: usize,
}

impl<'a, Q: QueryData> QueryIter<'a, Q> {
    /// An iterator that yields nothing (a required component type was never registered).
    pub(crate) fn empty() -> Self {
        Self {
            raw: None,
            entities: &[],
            filters: None,
            aligned: None,
            next: 0,
        }
    }

    /// Iterates over `pools`, driven by parameter `driver`, filtered by `filters` (both locked
    /// by the query, held for `'a`). `aligned` is the query's verified placement of the
    /// driver's entities in every pool, if any; it is only given for unfiltered queries of
    /// required parameters.
    pub(crate) fn new(
        pools: &'a mut Q::Pools<'_>,
        driver: usize,
        filters: &'a FilterPools<'a>,
        aligned: Option<[usize; 8]>,
    ) -> Self {
        // The entity list is read while the pools are held for items: copy the slice's
        // address and length first. Nothing writes an entity list during `'a` (items are
        // components, and the pools stay locked), so the slice stays valid and unchanged.
        let entities: *const [Entity] = Q::driver_entities(pools, driver);
        let raw = Q::raw(pools);
        Self {
            raw: Some(raw),
            // SAFETY: see above: the list lives in a pool locked for `'a`, which no item
            // points into and nothing mutates while the iterator lives.
            entities: unsafe { &*entities },
            filters: (!filters.is_empty()).then_some(filters),
            aligned,
            next: 0,
        }
    }
}

impl<'a, Q: QueryData> Iterator for QueryIter<'a, Q> {
    type Item = Q::Item<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raw?;
        if let Some(starts) = &self.aligned {
            let j = self.next;
            if j >= self.entities.len() {
                return None;
            }
            self.next += 1;
            // Items of required parameters ignore the entity; no need to read it.
            // Every pool holds the driver's entities contiguously from `starts` (the query
            // verified it for these pool versions, and the pools stay locked), so
            // `starts[i] + j` is in bounds and holds the driver's `j`-th entity.
            // SAFETY: as argued above; `j` only grows, so each position is handed out once.
            let items = unsafe { Q::items_at_raw(raw, starts, j, PLACEHOLDER) };
            return Some(items);
        }
        while let Some(&entity) = self.entities.get(self.next) {
            let hint = self.next;
            self.next += 1;
            if self.filters.is_some_and(|f| !f.admits(entity)) {
                continue;
            }
            // SAFETY: `raw` comes from `Q::raw`, and `hint` only grows: each driver position,
            // and so each entity, is fetched once (module invariant).
            if let Some(item) = unsafe { Q::fetch_raw(raw, hint, entity) } {
                return Some(item);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.entities.len() - self.next;
        (0, Some(if self.raw.is_some() { left } else { 0 }))
    }
}
