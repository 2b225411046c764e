//! [`QueryData`]: what a typed query asks for, a tuple of up to eight [`QueryParam`]s, and
//! the per-tuple code (written once by a macro) that locks their pools, picks the driver and
//! runs aligned slices four entities per pass.

#![allow(
    unsafe_code,
    reason = "the iterator's raw fetches forward the parameters' unsafe contracts; argued at each block"
)]

use super::query_param::QueryParam;
use crate::error::EcsError;
use crate::model::World;
use playground_kernel::{ComponentId, Entity};

/// The entity passed for items of required parameters, which are read by position and never
/// look at it: no live entity has these bits.
pub(crate) const PLACEHOLDER: Entity = Entity::from_bits(u64::MAX);

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
    /// The item at chunk position `j`.
    fn slice_item<'a>(slices: &'a mut Self::Slices<'_>, j: usize, entity: Entity)
    -> Self::Item<'a>;
    /// Splits a chunk's slices at `mid`.
    fn split_slices<'a>(
        slices: Self::Slices<'a>,
        mid: usize,
    ) -> (Self::Slices<'a>, Self::Slices<'a>);
    /// The chunk's first match, for `entity`, and the rest of the chunk; `None` once a
    /// required parameter's chunk is empty.
    fn split_first<'a>(
        slices: Self::Slices<'a>,
        entity: Entity,
    ) -> Option<(Self::Item<'a>, Self::Slices<'a>)>;
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
    /// Folds the items at chunk positions `0..len` into `init`, in order, for a query whose
    /// parameters are all required: [`Self::run_slices`]' four items per pass, for items
    /// that live for `'a` (the query iterator's `fold`, so `iter().for_each(..)`,
    /// `iter().map(..).sum()` and the like run like `for_each`).
    fn fold_slices<'a, B, Fold: FnMut(B, Self::Item<'a>) -> B>(
        slices: Self::Slices<'a>,
        len: usize,
        init: B,
        f: Fold,
    ) -> B;
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
            #[allow(non_snake_case, reason = "one binding per parameter, named after it")]
            fn split_first<'a>(slices: Self::Slices<'a>, entity: Entity) -> Option<(Self::Item<'a>, Self::Slices<'a>)> {
                $(let $P = $P::split_first(slices.$i, entity)?;)+
                Some((($($P.0,)+), ($($P.1,)+)))
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
                    let mut parts = ($($P::quads($P, len),)+);
                    let mut runs = len / 4;
                    $( runs = runs.min(parts.$i.1); )+
                    for k in 0..runs {
                        f(($($P::quad_item(&mut parts.$i.0, k, 0, PLACEHOLDER),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 1, PLACEHOLDER),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 2, PLACEHOLDER),)+));
                        f(($($P::quad_item(&mut parts.$i.0, k, 3, PLACEHOLDER),)+));
                    }
                    for j in 0..len % 4 {
                        f(($($P::slice_item(&mut parts.$i.2, j, PLACEHOLDER),)+));
                    }
                }
                by_four::<$($P,)+ Visit>($(slices.$i,)+ len, f)
            }

            #[inline(always)]
            fn fold_slices<'a, Acc, Fold: FnMut(Acc, Self::Item<'a>) -> Acc>(
                slices: Self::Slices<'a>,
                len: usize,
                init: Acc,
                f: Fold,
            ) -> Acc {
                debug_assert!(Self::ALL_REQUIRED, "items of optional parameters need their entity");
                /// As `run_slices`' `by_four`: each slice its own argument, four items a pass.
                #[inline(never)]
                #[allow(non_snake_case, reason = "one argument per parameter, named after it")]
                #[allow(
                    clippy::too_many_arguments,
                    reason = "each slice is its own argument, so the compiler knows no other aliases it"
                )]
                fn by_four<'a, $($P: QueryParam,)+ Acc, Fold: FnMut(Acc, ($($P::Item<'a>,)+)) -> Acc>(
                    $($P: $P::Slice<'a>,)+
                    len: usize,
                    init: Acc,
                    mut f: Fold,
                ) -> Acc {
                    let mut parts = ($($P::quads($P, len),)+);
                    let mut runs = len / 4;
                    $( runs = runs.min(parts.$i.1); )+
                    let mut acc = init;
                    for _ in 0..runs {
                        let mut quad = ($({
                            let (items, rest) = $P::split_quad(std::mem::take(&mut parts.$i.0), PLACEHOLDER);
                            parts.$i.0 = rest;
                            items.into_iter()
                        },)+);
                        for _ in 0..4 {
                            acc = f(acc, ($(quad.$i.next().expect("four items a run"),)+));
                        }
                    }
                    for _ in 0..len - 4 * runs {
                        let item = ($({
                            let slice = std::mem::take(&mut parts.$i.2);
                            let (item, tail) = $P::split_first(slice, PLACEHOLDER).expect("the chunk's length");
                            parts.$i.2 = tail;
                            item
                        },)+);
                        acc = f(acc, item);
                    }
                    acc
                }
                by_four::<$($P,)+ Acc, Fold>($(slices.$i,)+ len, init, f)
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
