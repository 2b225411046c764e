//! Typed queries: monomorphic iteration over entities having a set of components.
//!
//! `world.query::<(&mut Position, &Velocity, Option<&Mass>)>().with::<Player>().for_each(..)`
//!
//! The pools are locked once per run (shared for `&T`, exclusive for `&mut T`); the smallest
//! required pool drives the loop; each other pool is first tried at the driver's dense
//! position (pools filled by one batch spawn line up, so this is a sequential read) and only
//! then through its sparse index. All of it is generic code compiled into the caller.
//!
//! A query is also an iterator ([`Query::iter`], in `query_iter.rs`); `for_each` stays the
//! fastest path, since it can run whole slices where the iterator yields item by item.

#![allow(
    unsafe_code,
    reason = "iterators hand out `&mut` components of distinct entities through raw pointers; argued at each block"
)]

use crate::error::EcsError;
use crate::model::{Component, PoolMut, PoolRef, World};
use playground_kernel::{ComponentId, Entity};
use playground_pools::ComponentPool;
use std::marker::PhantomData;

use super::guided_chunks::GuidedChunks;
use super::queries::FilterPools;
use super::query_iter::QueryIter;
use crate::model::QueryFilter;

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
    /// The entities in dense order (only called on a required parameter).
    fn entities<'p>(pool: &'p Self::Pool<'_>) -> &'p [Entity];
    /// The pool's id and layout version, `None` for an optional parameter.
    fn layout(pool: &Self::Pool<'_>) -> Option<(ComponentId, u64)>;
    /// The item for `entity`, trying dense position `hint` first.
    fn fetch<'a>(
        pool: &'a mut Self::Pool<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;

    /// Components at dense positions `start..start + len`, for an aligned chunk.
    type Slice<'a>;
    /// Where this pool holds exactly `entities`, contiguously, if it does (an optional
    /// parameter answers `Some(0)`: it looks each entity up anyway).
    fn offset_of(pool: &Self::Pool<'_>, entities: &[Entity]) -> Option<usize>;
    /// The chunk's components (only called after `aligned` said yes).
    fn slice<'a>(pool: &'a mut Self::Pool<'_>, start: usize, len: usize) -> Self::Slice<'a>;
    /// The item at position `j` of the chunk, for `entity`.
    fn slice_item<'a>(slice: &'a mut Self::Slice<'_>, j: usize, entity: Entity) -> Self::Item<'a>;
    /// Splits a chunk at `mid`, for parallel runs.
    fn split_slice<'a>(slice: Self::Slice<'a>, mid: usize) -> (Self::Slice<'a>, Self::Slice<'a>);
    /// A chunk cut into runs of four items, for [`QueryData::run_slices`].
    type Quads<'a>;
    /// Cuts the first `len` items of a chunk into runs of four: the runs, how many there are
    /// (at least `len / 4`), and the last `len % 4` items.
    fn quads<'a>(slice: Self::Slice<'a>, len: usize) -> (Self::Quads<'a>, usize, Self::Slice<'a>);
    /// Item `i` (below 4) of run `k`, for `entity`.
    fn quad_item<'a>(
        quads: &'a mut Self::Quads<'_>,
        k: usize,
        i: usize,
        entity: Entity,
    ) -> Self::Item<'a>;

    /// The pool as an iterator keeps it: copyable, so the iterator can hand out an item per
    /// entity for its whole borrow (`'a`) rather than for one call.
    type Raw<'a>: Copy;
    /// Takes the pool for `'a`.
    fn raw<'a>(pool: &'a mut Self::Pool<'_>) -> Self::Raw<'a>;
    /// The item for `entity`, trying dense position `hint` first.
    ///
    /// # Safety
    ///
    /// `raw` comes from [`Self::raw`], and no item of the same entity from this `raw` is alive:
    /// each entity is fetched at most once (two `&mut` items would alias otherwise).
    unsafe fn fetch_raw<'a>(
        raw: Self::Raw<'a>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;
    /// The item at dense position `at`, known to hold `entity` (an aligned run).
    ///
    /// # Safety
    ///
    /// As [`Self::fetch_raw`], and the pool holds `entity` at `at` (for a required parameter:
    /// `at` is in bounds).
    unsafe fn item_at_raw<'a>(raw: Self::Raw<'a>, at: usize, entity: Entity) -> Self::Item<'a>;
}

/// A mutably borrowed pool as an iterator holds it: the pool for lookups and its component
/// array for items, taken once from the pool's `&mut` borrow.
pub struct RawMut<'a, T> {
    pool: *const ComponentPool<T>,
    data: *mut T,
    _borrow: PhantomData<&'a mut ComponentPool<T>>,
}

impl<T> Clone for RawMut<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for RawMut<'_, T> {}

/// The reads `&T` and `&mut T` make alike: both hold a guard that derefs to the pool.
macro_rules! required_pool_reads {
    () => {
        #[inline(always)]
        fn len(pool: &Self::Pool<'_>) -> usize {
            pool.len()
        }
        #[inline(always)]
        fn entities<'p>(pool: &'p Self::Pool<'_>) -> &'p [Entity] {
            pool.entities()
        }
        fn layout(pool: &Self::Pool<'_>) -> Option<(ComponentId, u64)> {
            Some((T::ID, pool.layout_version()))
        }
        #[inline(always)]
        fn offset_of(pool: &Self::Pool<'_>, entities: &[Entity]) -> Option<usize> {
            let start = pool.dense_index(*entities.first()?)?;
            let run = pool.entities().get(start..start + entities.len());
            (run == Some(entities)).then_some(start)
        }
    };
}

impl<T: Component> QueryParam for &T {
    type Pool<'w> = PoolRef<'w, T>;
    type Item<'a> = &'a T;
    const REQUIRED: bool = true;
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError> {
        world.pool::<T>()
    }
    required_pool_reads!();
    #[inline(always)]
    fn fetch<'a>(pool: &'a mut Self::Pool<'_>, hint: usize, entity: Entity) -> Option<&'a T> {
        pool.get_at(hint, entity)
    }
    type Slice<'a> = &'a [T];
    #[inline(always)]
    fn slice<'a>(pool: &'a mut Self::Pool<'_>, start: usize, len: usize) -> &'a [T] {
        &pool.components()[start..start + len]
    }
    #[inline(always)]
    fn slice_item<'a>(slice: &'a mut &[T], j: usize, _: Entity) -> &'a T {
        &slice[j]
    }
    fn split_slice<'a>(slice: Self::Slice<'a>, mid: usize) -> (Self::Slice<'a>, Self::Slice<'a>) {
        slice.split_at(mid)
    }
    type Quads<'a> = &'a [[T; 4]];
    #[inline(always)]
    fn quads<'a>(slice: Self::Slice<'a>, len: usize) -> (Self::Quads<'a>, usize, Self::Slice<'a>) {
        let (quads, rest) = slice[..len].as_chunks();
        (quads, quads.len(), rest)
    }
    #[inline(always)]
    fn quad_item<'a>(quads: &'a mut &[[T; 4]], k: usize, i: usize, _: Entity) -> &'a T {
        &quads[k][i]
    }
    type Raw<'a> = &'a ComponentPool<T>;
    fn raw<'a>(pool: &'a mut Self::Pool<'_>) -> Self::Raw<'a> {
        pool
    }
    #[inline(always)]
    unsafe fn fetch_raw<'a>(raw: Self::Raw<'a>, hint: usize, entity: Entity) -> Option<&'a T> {
        raw.get_at(hint, entity)
    }
    #[inline(always)]
    unsafe fn item_at_raw<'a>(raw: Self::Raw<'a>, at: usize, _: Entity) -> &'a T {
        &raw.components()[at]
    }
}

impl<T: Component> QueryParam for &mut T {
    type Pool<'w> = PoolMut<'w, T>;
    type Item<'a> = &'a mut T;
    const REQUIRED: bool = true;
    fn borrow(world: &World) -> Result<Option<Self::Pool<'_>>, EcsError> {
        world.pool_mut::<T>()
    }
    required_pool_reads!();
    #[inline(always)]
    fn fetch<'a>(pool: &'a mut Self::Pool<'_>, hint: usize, entity: Entity) -> Option<&'a mut T> {
        pool.get_at_mut(hint, entity)
    }
    type Slice<'a> = &'a mut [T];
    #[inline(always)]
    fn slice<'a>(pool: &'a mut Self::Pool<'_>, start: usize, len: usize) -> &'a mut [T] {
        &mut pool.components_mut()[start..start + len]
    }
    #[inline(always)]
    fn slice_item<'a>(slice: &'a mut &mut [T], j: usize, _: Entity) -> &'a mut T {
        &mut slice[j]
    }
    fn split_slice<'a>(slice: Self::Slice<'a>, mid: usize) -> (Self::Slice<'a>, Self::Slice<'a>) {
        slice.split_at_mut(mid)
    }
    type Quads<'a> = &'a mut [[T; 4]];
    #[inline(always)]
    fn quads<'a>(slice: Self::Slice<'a>, len: usize) -> (Self::Quads<'a>, usize, Self::Slice<'a>) {
        let (quads, rest) = slice[..len].as_chunks_mut();
        let runs = quads.len();
        (quads, runs, rest)
    }
    #[inline(always)]
    fn quad_item<'a>(quads: &'a mut &mut [[T; 4]], k: usize, i: usize, _: Entity) -> &'a mut T {
        &mut quads[k][i]
    }
    type Raw<'a> = RawMut<'a, T>;
    fn raw<'a>(pool: &'a mut Self::Pool<'_>) -> Self::Raw<'a> {
        // The component array's address first (through the `&mut` borrow), then the pool's:
        // lookups later read the pool's entity and sparse arrays only, never the components.
        let data = pool.components_mut().as_mut_ptr();
        RawMut {
            pool: &**pool,
            data,
            _borrow: PhantomData,
        }
    }
    #[inline(always)]
    unsafe fn fetch_raw<'a>(raw: Self::Raw<'a>, hint: usize, entity: Entity) -> Option<&'a mut T> {
        // `raw` holds the pool exclusively for `'a` (taken from its `&mut` borrow); the shared
        // reference reads the pool's struct and its entity and sparse arrays, which no item
        // points into; the position found holds `entity`, so it is in bounds.
        // SAFETY: as argued above, and the caller fetches each entity at most once, so no two
        // items point at the same component.
        unsafe {
            let pool = &*raw.pool;
            let at = if pool.entities().get(hint) == Some(&entity) {
                hint
            } else {
                pool.dense_index(entity)?
            };
            Some(&mut *raw.data.add(at))
        }
    }
    #[inline(always)]
    unsafe fn item_at_raw<'a>(raw: Self::Raw<'a>, at: usize, _: Entity) -> &'a mut T {
        // SAFETY: the caller guarantees `at` is in bounds and handed out once; `raw` holds the
        // pool exclusively for `'a` (see `fetch_raw`).
        unsafe { &mut *raw.data.add(at) }
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
    fn entities<'p>(_: &'p Self::Pool<'_>) -> &'p [Entity] {
        unreachable!("an optional parameter never drives a query")
    }
    fn layout(_: &Self::Pool<'_>) -> Option<(ComponentId, u64)> {
        None
    }
    #[inline(always)]
    fn fetch<'a>(
        pool: &'a mut Self::Pool<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Option<&'a T>> {
        Some(pool.as_ref().and_then(|p| p.get_at(hint, entity)))
    }
    type Slice<'a> = (Option<&'a ComponentPool<T>>, usize);
    fn offset_of(_: &Self::Pool<'_>, _: &[Entity]) -> Option<usize> {
        Some(0)
    }
    #[inline(always)]
    fn slice<'a>(pool: &'a mut Self::Pool<'_>, start: usize, _: usize) -> Self::Slice<'a> {
        (pool.as_deref(), start)
    }
    #[inline(always)]
    fn slice_item<'a>(slice: &'a mut Self::Slice<'_>, j: usize, entity: Entity) -> Option<&'a T> {
        slice.0.and_then(|p| p.get_at(slice.1 + j, entity))
    }
    fn split_slice<'a>(slice: Self::Slice<'a>, mid: usize) -> (Self::Slice<'a>, Self::Slice<'a>) {
        ((slice.0, slice.1), (slice.0, slice.1 + mid))
    }
    type Quads<'a> = Self::Slice<'a>;
    fn quads<'a>(slice: Self::Slice<'a>, len: usize) -> (Self::Slice<'a>, usize, Self::Slice<'a>) {
        (slice, usize::MAX, Self::split_slice(slice, len - len % 4).1)
    }
    #[inline(always)]
    fn quad_item<'a>(
        quads: &'a mut Self::Slice<'_>,
        k: usize,
        i: usize,
        entity: Entity,
    ) -> Option<&'a T> {
        Self::slice_item(quads, 4 * k + i, entity)
    }
    type Raw<'a> = Option<&'a ComponentPool<T>>;
    fn raw<'a>(pool: &'a mut Self::Pool<'_>) -> Self::Raw<'a> {
        pool.as_deref()
    }
    #[inline(always)]
    unsafe fn fetch_raw<'a>(
        raw: Self::Raw<'a>,
        hint: usize,
        entity: Entity,
    ) -> Option<Option<&'a T>> {
        Some(raw.and_then(|p| p.get_at(hint, entity)))
    }
    #[inline(always)]
    unsafe fn item_at_raw<'a>(raw: Self::Raw<'a>, at: usize, entity: Entity) -> Option<&'a T> {
        raw.and_then(|p| p.get_at(at, entity))
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
    /// The driver's entities.
    fn driver_entities<'p>(pools: &'p Self::Pools<'_>, driver: usize) -> &'p [Entity];
    /// Id and layout version of every required pool, in parameter order, into `out`;
    /// returns how many.
    fn layout(pools: &Self::Pools<'_>, out: &mut [(ComponentId, u64); 8]) -> usize;
    /// The match for `entity`, if it has every required component.
    fn fetch<'a>(
        pools: &'a mut Self::Pools<'_>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;
    /// Whether every parameter is required (no `Option`): then slice items never need their
    /// entity.
    const ALL_REQUIRED: bool;
    /// A chunk's component slices.
    type Slices<'a>;
    /// The chunk's slices.
    fn slices<'a>(
        pools: &'a mut Self::Pools<'_>,
        starts: &[usize; 8],
        len: usize,
    ) -> Self::Slices<'a>;
    /// Where each pool holds the chunk `entities` contiguously, into `starts`; `false` if one
    /// does not.
    fn offsets(pools: &Self::Pools<'_>, entities: &[Entity], starts: &mut [usize; 8]) -> bool;
    /// Per-parameter starts reduced to the required parameters, in order (the form the
    /// alignment cache keeps: it is keyed by required pools only, which queries with other
    /// optional parameters share).
    fn required_starts(starts: &[usize; 8]) -> [usize; 8];
    /// The inverse of [`Self::required_starts`]; optional parameters get 0.
    fn param_starts(required: &[usize; 8]) -> [usize; 8];
    /// Every pool as an iterator holds it (see [`QueryParam::raw`]).
    type Raw<'a>: Copy;
    /// Takes every pool for `'a`.
    fn raw<'a>(pools: &'a mut Self::Pools<'_>) -> Self::Raw<'a>;
    /// The match for `entity`, if it has every required component.
    ///
    /// # Safety
    ///
    /// As [`QueryParam::fetch_raw`]: `raw` comes from [`Self::raw`] and each entity is fetched
    /// at most once.
    unsafe fn fetch_raw<'a>(
        raw: Self::Raw<'a>,
        hint: usize,
        entity: Entity,
    ) -> Option<Self::Item<'a>>;
    /// The match at driver position `j` of an aligned run: each pool's item at `starts[i] + j`.
    ///
    /// # Safety
    ///
    /// As [`QueryParam::item_at_raw`] for every parameter.
    unsafe fn items_at_raw<'a>(
        raw: Self::Raw<'a>,
        starts: &[usize; 8],
        j: usize,
        entity: Entity,
    ) -> Self::Item<'a>;
    /// The item at chunk position `j`.
    fn slice_item<'a>(slices: &'a mut Self::Slices<'_>, j: usize, entity: Entity)
    -> Self::Item<'a>;
    /// Splits a chunk's slices at `mid`.
    fn split_slices<'a>(
        slices: Self::Slices<'a>,
        mid: usize,
    ) -> (Self::Slices<'a>, Self::Slices<'a>);
    /// Calls `f` with the items at chunk positions `0..len`, in order, for a query whose
    /// parameters are all required (items get a placeholder entity).
    ///
    /// Four items per pass, and each slice a separate argument of a function that is not
    /// inlined: the four calls of `f` are then one block of code over memory the compiler
    /// knows no other slice aliases, so it can merge their loads and stores into vector ones
    /// (the `x`, `y`, `z` of four positions are three 4-wide adds). A loop of one item per
    /// pass over the same slices cannot: the compiler unrolls it only after it has looked
    /// for such merges.
    fn run_slices<Visit: FnMut(Self::Item<'_>)>(slices: Self::Slices<'_>, len: usize, f: Visit);
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
            fn driver_entities<'p>(pools: &'p Self::Pools<'_>, driver: usize) -> &'p [Entity] {
                match driver {
                    $($i => $P::entities(&pools.$i),)+
                    _ => unreachable!("driver is a parameter index"),
                }
            }

            fn layout(pools: &Self::Pools<'_>, out: &mut [(ComponentId, u64); 8]) -> usize {
                let mut n = 0;
                $(
                    if let Some(entry) = $P::layout(&pools.$i) {
                        out[n] = entry;
                        n += 1;
                    }
                )+
                n
            }

            #[inline(always)]
            fn fetch<'a>(pools: &'a mut Self::Pools<'_>, hint: usize, entity: Entity) -> Option<Self::Item<'a>> {
                Some(($($P::fetch(&mut pools.$i, hint, entity)?,)+))
            }

            const ALL_REQUIRED: bool = $($P::REQUIRED)&&+;
            type Slices<'a> = ($($P::Slice<'a>,)+);

            #[inline(always)]
            fn slices<'a>(pools: &'a mut Self::Pools<'_>, starts: &[usize; 8], len: usize) -> Self::Slices<'a> {
                ($($P::slice(&mut pools.$i, starts[$i], len),)+)
            }

            #[inline(always)]
            fn offsets(pools: &Self::Pools<'_>, entities: &[Entity], starts: &mut [usize; 8]) -> bool {
                $(
                    match $P::offset_of(&pools.$i, entities) {
                        Some(at) => starts[$i] = at,
                        None => return false,
                    }
                )+
                true
            }

            type Raw<'a> = ($($P::Raw<'a>,)+);

            fn raw<'a>(pools: &'a mut Self::Pools<'_>) -> Self::Raw<'a> {
                ($($P::raw(&mut pools.$i),)+)
            }

            #[inline(always)]
            unsafe fn fetch_raw<'a>(raw: Self::Raw<'a>, hint: usize, entity: Entity) -> Option<Self::Item<'a>> {
                // SAFETY: each parameter's raw pool comes from `Self::raw` and the caller
                // fetches `entity` at most once, as each parameter requires.
                Some(($(unsafe { $P::fetch_raw(raw.$i, hint, entity) }?,)+))
            }

            #[inline(always)]
            unsafe fn items_at_raw<'a>(raw: Self::Raw<'a>, starts: &[usize; 8], j: usize, entity: Entity) -> Self::Item<'a> {
                // SAFETY: the caller guarantees each parameter's position, as each requires.
                ($(unsafe { $P::item_at_raw(raw.$i, starts[$i] + j, entity) },)+)
            }

            #[allow(unused_assignments, reason = "the last parameter's increment is not read")]
            fn required_starts(starts: &[usize; 8]) -> [usize; 8] {
                let (mut out, mut n) = ([0; 8], 0);
                $( if $P::REQUIRED { out[n] = starts[$i]; n += 1; } )+
                out
            }

            #[allow(unused_assignments, reason = "the last parameter's increment is not read")]
            fn param_starts(required: &[usize; 8]) -> [usize; 8] {
                let (mut out, mut n) = ([0; 8], 0);
                $( if $P::REQUIRED { out[$i] = required[n]; n += 1; } )+
                out
            }

            #[inline(always)]
            fn slice_item<'a>(slices: &'a mut Self::Slices<'_>, j: usize, entity: Entity) -> Self::Item<'a> {
                ($($P::slice_item(&mut slices.$i, j, entity),)+)
            }

            #[allow(non_snake_case, reason = "one binding per parameter, named after it")]
            fn split_slices<'a>(slices: Self::Slices<'a>, mid: usize) -> (Self::Slices<'a>, Self::Slices<'a>) {
                $(let $P = $P::split_slice(slices.$i, mid);)+
                (($($P.0,)+), ($($P.1,)+))
            }

            #[inline(always)]
            fn run_slices<Visit: FnMut(Self::Item<'_>)>(slices: Self::Slices<'_>, len: usize, f: Visit) {
                debug_assert!(Self::ALL_REQUIRED, "items of optional parameters need their entity");
                #[inline(never)]
                #[allow(non_snake_case, reason = "one argument per parameter, named after it")]
                #[allow(
                    clippy::too_many_arguments,
                    reason = "each slice is its own argument, so the compiler knows no other aliases it"
                )]
                fn by_four<$($P: QueryParam,)+ Visit: for<'x> FnMut(($($P::Item<'x>,)+))>(
                    $($P: $P::Slice<'_>,)+
                    len: usize,
                    mut f: Visit,
                ) {
                    let placeholder = Entity::from_bits(u64::MAX);
                    let mut parts = ($($P::quads($P, len),)+);
                    let mut runs = len / 4;
                    $( runs = runs.min(parts.$i.1); )+
                    for k in 0..runs {
                        f(($($P::quad_item(&mut parts.$i.0, k, 0, placeholder),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 1, placeholder),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 2, placeholder),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 3, placeholder),)+));
                    }
                    for j in 0..len % 4 {
                        f(($($P::slice_item(&mut parts.$i.2, j, placeholder),)+));
                    }
                }
                by_four::<$($P,)+ Visit>($(slices.$i,)+ len, f)
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
    filter: QueryFilter,
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
            filter: QueryFilter::new(),
            held: None,
            _data: PhantomData,
        }
    }

    /// Only entities that also have a `T`.
    pub fn with<T: Component>(mut self) -> Self {
        self.filter = self.filter.with::<T>();
        self
    }

    /// Only entities without a `T`.
    pub fn without<T: Component>(mut self) -> Self {
        self.filter = self.filter.without::<T>();
        self
    }

    /// Only entities that also have the component `id` (a filter by id, for scripts).
    pub fn with_id(mut self, id: ComponentId) -> Self {
        self.filter = self.filter.with_id(id);
        self
    }

    /// Only entities without the component `id`.
    pub fn without_id(mut self, id: ComponentId) -> Self {
        self.filter = self.filter.without_id(id);
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
        let Some(filters) = self.world.lock_filter(&self.filter)? else {
            return Ok(QueryIter::empty());
        };
        let Some((driver, _)) = Q::driver(&pools) else {
            return Ok(QueryIter::empty());
        };
        // Where every pool holds the driver's entities contiguously, items are read by
        // position, with no per-entity lookup.
        let placement = if filters.is_empty() && Q::ALL_REQUIRED {
            self.placement(&pools, driver)
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

    /// Runs the query. Without `needs_entity`, aligned queries of required parameters only run
    /// one loop over whole component slices and pass a placeholder entity.
    fn run(
        self,
        needs_entity: bool,
        mut f: impl FnMut(Entity, Q::Item<'_>),
    ) -> Result<(), EcsError> {
        let Some(mut pools) = Q::borrow(self.world)? else {
            return Ok(());
        };
        let Some(filters) = self.world.lock_filter(&self.filter)? else {
            return Ok(());
        };
        let Some((driver, len)) = Q::driver(&pools) else {
            return Ok(());
        };
        let unfiltered = filters.is_empty();
        // Where every pool holds the driver's entities contiguously (pools filled together,
        // or a pool that also holds other batches), the query runs over plain slices, which
        // the compiler can vectorise.
        let placement = if unfiltered {
            self.placement(&pools, driver)
        } else {
            None
        };
        if let Some(base) = placement
            && !needs_entity
            && Q::ALL_REQUIRED
        {
            let placeholder = Entity::from_bits(u64::MAX);
            Q::run_slices(Q::slices(&mut pools, &base, len), len, |item| {
                f(placeholder, item)
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
                let placeholder = Entity::from_bits(u64::MAX);
                Q::run_slices(Q::slices(&mut pools, &starts, n), n, |item| {
                    f(placeholder, item)
                });
            } else if contiguous {
                let mut slices = Q::slices(&mut pools, &starts, n);
                for (j, &entity) in entities.iter().enumerate() {
                    f(entity, Q::slice_item(&mut slices, j, entity));
                }
            } else {
                for (j, &entity) in entities.iter().enumerate() {
                    if !unfiltered && !filters.admits(entity) {
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
    fn placement(&self, pools: &Q::Pools<'w>, driver: usize) -> Option<[usize; 8]> {
        let mut layout = [(ComponentId::from_bits(0), 0); 8];
        let required = Q::layout(pools, &mut layout);
        let layout = &layout[..required];
        if layout.len() <= 1 {
            return Some([0; 8]);
        }
        if let Some(required) = self.world.alignment.starts(layout) {
            return Some(Q::param_starts(&required));
        }
        let mut starts = [0; 8];
        Q::offsets(pools, Q::driver_entities(pools, driver), &mut starts).then(|| {
            self.world
                .alignment
                .record(layout.to_vec(), Q::required_starts(&starts));
            starts
        })
    }

    /// Like [`Self::for_each`], on the world's [`executor`](World::executor): an aligned
    /// query of required parameters is handed out in contiguous chunks that the calling
    /// thread and the executor's other threads cut from the front of what is left
    /// ([`GuidedChunks`]: long chunks first, single entities last), so neither queue traffic
    /// nor a wait on another thread's last chunk adds much to the run, and a core slowed by
    /// other work takes fewer chunks instead of holding up the whole run. Otherwise
    /// (filters, optional parameters, unaligned pools, small queries) it runs on the calling
    /// thread.
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
        if !self.filter.is_empty() || !Q::ALL_REQUIRED || threads == 1 {
            return self.for_each(f);
        }
        let Some(mut pools) = Q::borrow(self.world)? else {
            return Ok(());
        };
        let Some((driver, len)) = Q::driver(&pools) else {
            return Ok(());
        };
        let placement = self.placement(&pools, driver);
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
