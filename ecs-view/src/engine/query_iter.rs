//! `QueryIter`: a query's matches as an iterator, in the driving pool's dense order.
//!
//! Where every pool holds the driver's entities contiguously (an unfiltered query of required
//! parameters whose placement the query verified), the iterator holds one slice per
//! parameter and splits the first item off each, as a slice's own iterator does: no lookup,
//! and nothing read through the pools. Otherwise it walks the smallest required pool's
//! entities; for each it fetches every parameter's item (trying the same dense position
//! first, then the sparse index) and skips entities a filter refuses or an optional-free
//! parameter lacks. Items live as long as the iterator's borrow of the
//! [`Query`](super::Query) that locked the pools, so many may be held at once, as with a
//! slice's `iter_mut`.
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
    /// What is left of an aligned run: each parameter's components not yet handed out, and
    /// how many.
    run: Option<(Q::Slices<'a>, usize)>,
    /// The pools, taken for `'a`, when the run is looked up entity by entity; `None` when
    /// nothing can match or the run is aligned.
    raw: Option<Q::Raw<'a>>,
    /// The driving pool's entities, in dense order (looked-up runs).
    entities: &'a [Entity],
    filters: Option<&'a FilterPools<'a>>,
    next: usize,
}

impl<'a, Q: QueryData> QueryIter<'a, Q> {
    /// An iterator that yields nothing (a required component type was never registered).
    pub(crate) fn empty() -> Self {
        Self {
            run: None,
            raw: None,
            entities: &[],
            filters: None,
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
        if let Some(starts) = aligned {
            let len = Q::driver_entities(pools, driver).len();
            return Self {
                run: Some((Q::slices(pools, &starts, len), len)),
                ..Self::empty()
            };
        }
        let entities: *const [Entity] = Q::driver_entities(pools, driver);
        let raw = Q::raw(pools);
        Self {
            run: None,
            raw: Some(raw),
            // SAFETY: see above: the list lives in a pool locked for `'a`, which no item
            // points into and nothing mutates while the iterator lives.
            entities: unsafe { &*entities },
            filters: (!filters.is_empty()).then_some(filters),
            next: 0,
        }
    }
}

impl<'a, Q: QueryData> QueryIter<'a, Q> {
    /// The next match of a run looked up entity by entity.
    #[inline(always)]
    fn next_looked_up(&mut self) -> Option<Q::Item<'a>> {
        let raw = self.raw?;
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
}

impl<'a, Q: QueryData> Iterator for QueryIter<'a, Q> {
    type Item = Q::Item<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if let Some((slices, left)) = self.run.take() {
            // Items of required parameters ignore the entity; no need to read it.
            let (items, rest) = Q::split_first(slices, PLACEHOLDER)?;
            self.run = Some((rest, left - 1));
            return Some(items);
        }
        self.next_looked_up()
    }

    /// An aligned run folds four items a pass over its slices, as `for_each` does; so
    /// `for_each`, `sum`, `count` and the other adapters that fold run at that speed. A `for`
    /// loop calls `next` and gets one item at a time.
    #[inline]
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Self::Item) -> B,
    {
        if let Some((slices, left)) = self.run.take() {
            return Q::fold_slices(slices, left, init, f);
        }
        // The looked-up step, not `next`: a second caller of `next` pushed it out of line,
        // and a `for` loop over an aligned run then stored and reloaded the iterator through
        // memory for every item (three to five times as long).
        let mut acc = init;
        while let Some(item) = self.next_looked_up() {
            acc = f(acc, item);
        }
        acc
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if let Some((_, left)) = self.run {
            return (left, Some(left));
        }
        let left = self.entities.len() - self.next;
        (0, Some(if self.raw.is_some() { left } else { 0 }))
    }
}
