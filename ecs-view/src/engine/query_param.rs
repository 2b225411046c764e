//! [`QueryParam`]: one parameter of a typed query (`&T`, `&mut T`, `Option<&T>`), and what
//! each does at each step of a run: lock its pool, find an entity's item, or hand out items
//! by position where the pools line up (whole slices, runs of four, raw pointers for the
//! iterator).

#![allow(
    unsafe_code,
    reason = "the iterator's raw pools hand out `&mut` components of distinct entities through raw pointers; argued at each block"
)]

use crate::error::EcsError;
use crate::model::{Component, PoolMut, PoolRef, World};
use playground_kernel::{ComponentId, Entity};
use playground_pools::ComponentPool;
use std::marker::PhantomData;

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
    type Slice<'a>: Default;
    /// Where this pool holds exactly `entities`, contiguously, if it does (an optional
    /// parameter answers `Some(0)`: it looks each entity up anyway).
    fn offset_of(pool: &Self::Pool<'_>, entities: &[Entity]) -> Option<usize>;
    /// The chunk's components (only called after `aligned` said yes).
    fn slice<'a>(pool: &'a mut Self::Pool<'_>, start: usize, len: usize) -> Self::Slice<'a>;
    /// The item at position `j` of the chunk, for `entity`.
    fn slice_item<'a>(slice: &'a mut Self::Slice<'_>, j: usize, entity: Entity) -> Self::Item<'a>;
    /// Splits a chunk at `mid`, for parallel runs.
    fn split_slice<'a>(slice: Self::Slice<'a>, mid: usize) -> (Self::Slice<'a>, Self::Slice<'a>);
    /// The chunk's first item, for `entity`, and the rest of the chunk; `None` if it is empty
    /// (the iterator over aligned pools).
    fn split_first<'a>(
        slice: Self::Slice<'a>,
        entity: Entity,
    ) -> Option<(Self::Item<'a>, Self::Slice<'a>)>;
    /// A chunk cut into runs of four items, for
    /// [`QueryData::run_slices`](super::query_data::QueryData::run_slices).
    type Quads<'a>: Default;
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
    /// The first run's four items, for `entity`, each living for `'a`, and the runs after it
    /// (a fold over an aligned run hands items on rather than lending them). Panics if no
    /// run is left.
    fn split_quad<'a>(
        quads: Self::Quads<'a>,
        entity: Entity,
    ) -> ([Self::Item<'a>; 4], Self::Quads<'a>);

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
    #[inline(always)]
    fn split_first<'a>(slice: Self::Slice<'a>, _: Entity) -> Option<(&'a T, Self::Slice<'a>)> {
        slice.split_first()
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
    #[inline(always)]
    fn split_quad<'a>(quads: Self::Quads<'a>, _: Entity) -> ([&'a T; 4], Self::Quads<'a>) {
        let ([a, b, c, d], rest) = quads.split_first().expect("a run of four is left");
        ([a, b, c, d], rest)
    }
    type Raw<'a> = &'a ComponentPool<T>;
    fn raw<'a>(pool: &'a mut Self::Pool<'_>) -> Self::Raw<'a> {
        pool
    }
    #[inline(always)]
    unsafe fn fetch_raw<'a>(raw: Self::Raw<'a>, hint: usize, entity: Entity) -> Option<&'a T> {
        raw.get_at(hint, entity)
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
    #[inline(always)]
    fn split_first<'a>(slice: Self::Slice<'a>, _: Entity) -> Option<(&'a mut T, Self::Slice<'a>)> {
        slice.split_first_mut()
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
    #[inline(always)]
    fn split_quad<'a>(quads: Self::Quads<'a>, _: Entity) -> ([&'a mut T; 4], Self::Quads<'a>) {
        let ([a, b, c, d], rest) = quads.split_first_mut().expect("a run of four is left");
        ([a, b, c, d], rest)
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
    /// Never empty: an optional parameter's chunk is a position, not a slice, and ends with
    /// the required parameters' chunks.
    #[inline(always)]
    fn split_first<'a>(
        slice: Self::Slice<'a>,
        entity: Entity,
    ) -> Option<(Option<&'a T>, Self::Slice<'a>)> {
        let item = slice.0.and_then(|p| p.get_at(slice.1, entity));
        Some((item, Self::split_slice(slice, 1).1))
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
    #[inline(always)]
    fn split_quad<'a>(
        quads: Self::Slice<'a>,
        entity: Entity,
    ) -> ([Option<&'a T>; 4], Self::Slice<'a>) {
        let (pool, at) = quads;
        let item = |i| pool.and_then(|p| p.get_at(at + i, entity));
        ([item(0), item(1), item(2), item(3)], (pool, at + 4))
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
}
