//! Typed queries: monomorphic iteration over entities having a set of components.
//!
//! `world.query::<(&mut Position, &Velocity, Option<&Mass>)>().with::<Player>().for_each(..)`
//!
//! The pools are locked once per run (shared for `&T`, exclusive for `&mut T`); the smallest
//! required pool drives the loop; each other pool is first tried at the driver's dense
//! position (pools filled by one batch spawn line up, so this is a sequential read) and only
//! then through its sparse index. All of it is generic code compiled into the caller. What
//! each parameter does is in `query_param.rs`, what a tuple of them does in `query_data.rs`.
//!
//! A query is also an iterator ([`Query::iter`], in `query_iter.rs`); `for_each` stays the
//! fastest path, since it can run whole slices where the iterator yields item by item.

use super::guided_chunks::GuidedChunks;
use super::queries::FilterPools;
use super::query_data::{PLACEHOLDER, QueryData};
use super::query_iter::QueryIter;
use crate::error::EcsError;
use crate::model::{Component, QueryFilter, World};
use playground_kernel::{ComponentId, Entity};
use std::marker::PhantomData;

/// A query being built: add filters, then run it.
#[must_use = "a query does nothing until it is run"]
pub struct Query<'w, Q: QueryData> {
    world: &'w World,
    /// `None` until a filter is added (so never `Some` of an empty one): most queries have
    /// none, and then neither build nor drop one (an empty one still cost its stores on
    /// every run).
    filter: Option<QueryFilter>,
    /// The pools [`Self::iter`] locked, held as long as the query (and so its iterator) lives.
    held: Option<(Q::Pools<'w>, FilterPools<'w>)>,
    _data: PhantomData<fn() -> Q>,
}

/// Entities per alignment check.
const CHUNK: usize = 64;

impl<'w, Q: QueryData> Query<'w, Q> {
    pub(crate) fn new(world: &'w World) -> Self {
        Self {
            world,
            filter: None,
            held: None,
            _data: PhantomData,
        }
    }

    /// Only entities that also have a `T`.
    pub fn with<T: Component>(self) -> Self {
        self.filtered(|filter| filter.with::<T>())
    }

    /// Only entities without a `T`.
    pub fn without<T: Component>(self) -> Self {
        self.filtered(|filter| filter.without::<T>())
    }

    /// Only entities that also have the component `id` (a filter by id, for scripts).
    pub fn with_id(self, id: ComponentId) -> Self {
        self.filtered(|filter| filter.with_id(id))
    }

    /// Only entities without the component `id`.
    pub fn without_id(self, id: ComponentId) -> Self {
        self.filtered(|filter| filter.without_id(id))
    }

    /// This query with its filter changed by `add`.
    fn filtered(mut self, add: impl FnOnce(QueryFilter) -> QueryFilter) -> Self {
        self.filter = Some(add(self.filter.take().unwrap_or_default()));
        self
    }

    /// The matches as an iterator: `for (v, p) in world.query::<(&Vel, &mut Pos)>().iter()? {}`.
    /// Locks the pools as `for_each` does, until the query is dropped (in a `for` loop, at
    /// the loop's end). [`Self::for_each`] stays the faster path: it runs aligned pools as
    /// whole slices, where the iterator yields one match at a time.
    pub fn iter(&mut self) -> Result<QueryIter<'_, Q>, EcsError> {
        self.held = None;
        let Some(pools) = Q::borrow(self.world)? else {
            return Ok(QueryIter::empty());
        };
        let filters = match &self.filter {
            None => FilterPools::default(),
            Some(filter) => match self.world.lock_filter(filter)? {
                Some(filters) => filters,
                None => return Ok(QueryIter::empty()),
            },
        };
        let Some((driver, _)) = Q::driver(&pools) else {
            return Ok(QueryIter::empty());
        };
        // Where every pool holds the driver's entities contiguously, items are read by
        // position, with no per-entity lookup.
        let placement = if filters.is_empty() && Q::ALL_REQUIRED {
            Self::placement(self.world, &pools, driver)
        } else {
            None
        };
        let (pools, filters) = self.held.insert((pools, filters));
        Ok(QueryIter::new(pools, driver, filters, placement))
    }

    /// Calls `f` with each matching entity and its items.
    pub fn for_each_entity(self, f: impl FnMut(Entity, Q::Item<'_>)) -> Result<(), EcsError> {
        self.run(true, f)
    }

    /// The world and the filter, with any pools [`Self::iter`] held released. Taken apart,
    /// a query run by `for_each` (which never held pools) drops nothing at its end, so none
    /// of it is built in memory.
    fn into_parts(self) -> (&'w World, Option<QueryFilter>) {
        let Query {
            world,
            filter,
            held,
            ..
        } = self;
        // Matched rather than dropped whole: a `None` then needs no call to drop it.
        if let Some(held) = held {
            drop(held);
        }
        (world, filter)
    }

    /// Runs the query. Without `needs_entity`, aligned queries of required parameters only run
    /// one loop over whole component slices and pass a placeholder entity.
    fn run(
        self,
        needs_entity: bool,
        mut f: impl FnMut(Entity, Q::Item<'_>),
    ) -> Result<(), EcsError> {
        let (world, filter) = self.into_parts();
        let Some(mut pools) = Q::borrow(world)? else {
            return Ok(());
        };
        // Most queries have no filter: they build no list of filter pools, so a query over a
        // short pool costs little more than its loop.
        let filters = match filter {
            None => None,
            Some(filter) => {
                let Some(filters) = world.lock_filter(&filter)? else {
                    return Ok(());
                };
                Some(filters).filter(|f| !f.is_empty())
            }
        };
        let Some((driver, len)) = Q::driver(&pools) else {
            return Ok(());
        };
        let unfiltered = filters.is_none();
        // Where every pool holds the driver's entities contiguously (pools filled together,
        // or a pool that also holds other batches), the query runs over plain slices, which
        // the compiler can vectorise.
        let placement = if unfiltered {
            Self::placement(world, &pools, driver)
        } else {
            None
        };
        if let Some(base) = placement
            && !needs_entity
            && Q::ALL_REQUIRED
        {
            Q::run_slices(Q::slices(&mut pools, &base, len), len, |item| {
                f(PLACEHOLDER, item)
            });
            return Ok(());
        }
        // Otherwise chunks of the driver's entities: a chunk that every pool holds
        // contiguously still runs over slices; elsewhere each entity is looked up.
        let mut chunk = [Entity::from_bits(0); CHUNK];
        let mut start = 0;
        while start < len {
            let n = CHUNK.min(len - start);
            let entities = &mut chunk[..n];
            entities.copy_from_slice(&Q::driver_entities(&pools, driver)[start..start + n]);
            let mut starts = [start; 8];
            let contiguous = match placement {
                Some(base) => {
                    for (at, b) in starts.iter_mut().zip(base) {
                        *at += b;
                    }
                    true
                }
                None => unfiltered && Q::offsets(&pools, entities, &mut starts),
            };
            if contiguous && !needs_entity && Q::ALL_REQUIRED {
                Q::run_slices(Q::slices(&mut pools, &starts, n), n, |item| {
                    f(PLACEHOLDER, item)
                });
            } else if contiguous {
                let mut slices = Q::slices(&mut pools, &starts, n);
                for (j, &entity) in entities.iter().enumerate() {
                    f(entity, Q::slice_item(&mut slices, j, entity));
                }
            } else {
                for (j, &entity) in entities.iter().enumerate() {
                    if filters.as_ref().is_some_and(|f| !f.admits(entity)) {
                        continue;
                    }
                    if let Some(item) = Q::fetch(&mut pools, start + j, entity) {
                        f(entity, item);
                    }
                }
            }
            start += n;
        }
        Ok(())
    }

    /// Where each parameter's pool holds the driver's entities, contiguously and in the
    /// driver's order (an optional parameter answers 0: it looks each entity up anyway), or
    /// `None` if one does not. One required pool always does, at 0; several are checked once
    /// and then remembered for their layout versions.
    fn placement(world: &World, pools: &Q::Pools<'w>, driver: usize) -> Option<[usize; 8]> {
        let mut layout = [(ComponentId::from_bits(0), 0); 8];
        let required = Q::layout(pools, &mut layout);
        let layout = &layout[..required];
        if layout.len() <= 1 {
            return Some([0; 8]);
        }
        if let Some(required) = world.alignment.starts(layout) {
            return Some(Q::param_starts(&required));
        }
        let mut starts = [0; 8];
        Q::offsets(pools, Q::driver_entities(pools, driver), &mut starts).then(|| {
            world
                .alignment
                .record(layout.to_vec(), Q::required_starts(&starts));
            starts
        })
    }

    /// Like [`Self::for_each`], on the world's [`executor`](World::executor): an aligned
    /// query of required parameters is handed out in contiguous chunks that the calling
    /// thread and the executor's other threads cut from the front of what is left (guided
    /// scheduling: long chunks first, single entities last), so neither queue traffic nor a
    /// wait on another thread's last chunk adds much to the run, and a core slowed by other
    /// work takes fewer chunks instead of holding up the whole run. Otherwise (filters,
    /// optional parameters, unaligned pools, small queries) it runs on the calling thread.
    ///
    /// The host's executor rather than a pool of this crate's own: a hot-reloadable module
    /// must not leave threads running its code after it is unloaded.
    pub fn par_for_each<F>(self, f: F) -> Result<(), EcsError>
    where
        F: Fn(Q::Item<'_>) + Sync,
        for<'a> Q::Slices<'a>: Send,
    {
        /// Fewest entities for which a second thread is woken: below this, the hand-off
        /// outweighs the work it shares.
        const MIN_PARALLEL: usize = 16;
        /// Each chunk is the rest divided by this many per thread: the first thread's first
        /// chunk leaves the others most of the work.
        const SHARES_PER_THREAD: usize = 2;
        let executor = self.world.executor();
        let threads = executor.threads();
        if self.filter.is_some() || !Q::ALL_REQUIRED || threads == 1 {
            return self.for_each(f);
        }
        let Some(mut pools) = Q::borrow(self.world)? else {
            return Ok(());
        };
        let Some((driver, len)) = Q::driver(&pools) else {
            return Ok(());
        };
        let placement = Self::placement(self.world, &pools, driver);
        let Some(base) = placement.filter(|_| len >= MIN_PARALLEL) else {
            drop(pools);
            return self.for_each(f);
        };
        let chunks = GuidedChunks::new(
            Q::slices(&mut pools, &base, len),
            len,
            threads * SHARES_PER_THREAD,
        );
        let work = || {
            while let Some((chunk, n)) = chunks.next(Q::split_slices) {
                Q::run_slices(chunk, n, &f);
            }
        };
        executor.run(threads, &|_| work());
        Ok(())
    }

    /// Calls `f` with each match's items.
    pub fn for_each(self, mut f: impl FnMut(Q::Item<'_>)) -> Result<(), EcsError> {
        self.run(false, |_, item| f(item))
    }

    /// Number of matching entities.
    pub fn count(self) -> Result<usize, EcsError> {
        let mut n = 0;
        self.run(false, |_, _| n += 1)?;
        Ok(n)
    }

    /// The matching entities, in driver order.
    pub fn entities(self) -> Result<Vec<Entity>, EcsError> {
        let mut out = Vec::new();
        self.for_each_entity(|e, _| out.push(e))?;
        Ok(out)
    }
}
