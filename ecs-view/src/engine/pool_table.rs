//! `PoolTable`: a world's component pools by id. The first pools registered live in the world
//! itself, each in one of two fixed places its id names; the rest live in an [`IdTable`].
//!
//! `World::insert`, `World::remove` and `World::get_mut` find the pool on every call, and a
//! user's loop calls them once per entity. In a heap table the walk is world -> slot array ->
//! slot -> pool; a pool stored in the world sits at an offset the compiler computes from the
//! id's constant bits, so the walk is world -> pool, one dependent load shorter. Profiled on
//! `ecs/add_remove`, that load was most of what `World::insert` cost over `Writer::insert`
//! (which finds the pool once); `docs/results.md` gives the figures. Two places per id rather than
//! one keep a clash of a few hash bits from sending a world's second or third type to the
//! far table.
//!
//! The cost moves to the types that do not fit: a type in its second slot passes the test of
//! its first, and a far type passes both before its far-table probe, so each pays a little
//! more than every type did when all lived in the heap table. Registration order decides
//! (the first types registered, usually the ones spawned at start-up, live near); the
//! `ecs/add_remove` notes in `docs/results.md` say what each case measured.
//!
//! The near places are indexed by the high bits of a multiple of the id and the far table by
//! the id's low bits, so the types that clash near are not thereby crowded together far.
//!
//! 256 near slots: the near table takes some 14 KB of a world, and with two candidates
//! each, simulated placements leave ~5% of a 100-type world's types far and ~16% of a
//! 200-type one's (64 slots left ~41% and ~68%). Walks over every pool (a despawn, `clear`)
//! visit the taken slots only, through a bitmap.
//!
//! Invariants: a key is stored once, either in a near slot that is one of its
//! [`near_slots`] or in the far table, and then only if both of its near slots were taken
//! when it was inserted. Nothing is removed, so a key never moves and where it lives depends
//! on registration order alone.

use super::pool_cell::PoolCell;
use crate::model::Component;
use playground_kernel::{ComponentId, IdTable};

/// log2 of the number of near slots. Fewer under loom, whose model threads run on small
/// coroutine stacks that a world of 256 loom-sized cells overflows; its models check the
/// pools' locking and the query caches, which do not depend on the count.
const NEAR_BITS: u32 = if cfg!(loom) { 6 } else { 8 };
/// Number of pools a world can hold in place.
const NEAR: usize = 1 << NEAR_BITS;
/// Words of [`PoolTable::taken`], one bit per near slot.
const TAKEN_WORDS: usize = NEAR / 64;

/// The near slots whose bits are set in `taken`, in slot order.
fn taken_slots(taken: [u64; TAKEN_WORDS]) -> impl Iterator<Item = usize> {
    (0..TAKEN_WORDS).flat_map(move |word| {
        let mut bits = taken[word];
        std::iter::from_fn(move || {
            let bit = (bits != 0).then(|| bits.trailing_zeros() as usize)?;
            bits &= bits - 1;
            Some(word * 64 + bit)
        })
    })
}

/// The cells of the taken near slots, mutably, with their slots: each reached by splitting
/// what is left of `near` past it, so a walk costs the taken slots, not all of them.
fn taken_cells_mut(
    near: &mut [Option<PoolCell>; NEAR],
    taken: [u64; TAKEN_WORDS],
) -> impl Iterator<Item = (usize, &mut PoolCell)> {
    let mut rest: &mut [Option<PoolCell>] = near;
    let mut first = 0;
    taken_slots(taken).map(move |at| {
        let (cell, tail) = std::mem::take(&mut rest)[at - first..]
            .split_first_mut()
            .expect("a taken slot is a near slot");
        rest = tail;
        first = at + 1;
        (at, cell.as_mut().expect("a taken slot has its cell"))
    })
}

/// The two near slots `id` may live in: two disjoint bit fields of the id multiplied by an odd
/// constant (Fibonacci hashing), whose high bits depend on every bit of the id. The id's own
/// high bits would not do: FNV-1a leaves them alike for names that differ only in their last
/// characters (`game.A`, `game.B`).
#[inline(always)]
const fn near_slots(id: ComponentId) -> [usize; 2] {
    let bits = id.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let first = bits >> (u64::BITS - NEAR_BITS);
    let second = (bits >> (u64::BITS - 2 * NEAR_BITS)) & (NEAR as u64 - 1);
    [first as usize, second as usize]
}

/// Marks a free slot in `PoolTable::near_ids`; so an id of 0 is never stored near.
const FREE: u64 = 0;

/// Which of `id`'s near slots holds it, if either does.
#[inline(always)]
fn near_slot_of(near_ids: &[u64; NEAR], id: ComponentId) -> Option<usize> {
    let bits = id.to_bits();
    let [first, second] = near_slots(id);
    if bits == FREE {
        None
    } else if near_ids[first] == bits {
        Some(first)
    } else if near_ids[second] == bits {
        Some(second)
    } else {
        None
    }
}

/// A world's pools, each stored once under its component id.
pub(crate) struct PoolTable {
    /// Each near slot's id, [`FREE`] if it has none: by-id lookups compare these (typed ones
    /// test the cells' types instead, see [`Self::typed_mut`]).
    near_ids: [u64; NEAR],
    /// One bit per near slot, set exactly where `near_ids` is not [`FREE`]: walks over every
    /// pool (a despawn, `clear`, a snapshot) visit the taken slots, not all of them.
    taken: [u64; TAKEN_WORDS],
    /// The cell of each near slot; `Some` exactly where `near_ids` is not [`FREE`].
    near: [Option<PoolCell>; NEAR],
    far: IdTable<ComponentId, PoolCell>,
}

impl Default for PoolTable {
    fn default() -> Self {
        Self {
            near_ids: [FREE; NEAR],
            taken: [0; TAKEN_WORDS],
            near: std::array::from_fn(|_| None),
            far: IdTable::new(),
        }
    }
}

impl PoolTable {
    /// The cell stored under `T::ID`, mutably: what `World::insert`, `remove` and `get_mut`
    /// start with. `T::ID` is a constant, so both near slots are at constant offsets.
    ///
    /// Each slot is accepted on the cell's type test alone, which the caller's typed access
    /// repeats and the compiler merges: a cell holding `T`s is stored only under `T::ID` (see
    /// [`PoolCell::holds`]). Testing the id first instead measured slower for the common
    /// case, a type in its first slot; testing the second slot by id left the caller's type
    /// test unmerged and measured slower for a type there. The far table's home slot is
    /// tested by type too.
    #[inline(always)]
    pub(crate) fn typed_mut<T: Component>(&mut self) -> Option<&mut PoolCell> {
        let [first, second] = near_slots(T::ID);
        if matches!(&self.near[first], Some(cell) if cell.holds::<T>()) {
            return self.near[first].as_mut();
        }
        if matches!(&self.near[second], Some(cell) if cell.holds::<T>()) {
            return self.near[second].as_mut();
        }
        if let Some(cell) = self.far.get_mut_owned(&T::ID, PoolCell::holds::<T>) {
            return Some(cell);
        }
        // Another type stored under `T::ID` in one of its near slots: that cell, for the
        // caller to refuse.
        let at = near_slot_of(&self.near_ids, T::ID)?;
        self.near[at].as_mut()
    }

    /// The cell stored under `id`.
    #[inline(always)]
    pub(crate) fn get(&self, id: &ComponentId) -> Option<&PoolCell> {
        match near_slot_of(&self.near_ids, *id) {
            Some(at) => self.near[at].as_ref(),
            None => self.far.get(id),
        }
    }

    /// The cell stored under `id`, mutably.
    #[inline]
    pub(crate) fn get_mut(&mut self, id: &ComponentId) -> Option<&mut PoolCell> {
        match near_slot_of(&self.near_ids, *id) {
            Some(at) => self.near[at].as_mut(),
            None => self.far.get_mut(id),
        }
    }

    /// The cell under `id`, storing `make()` first if there is none: in the first free of
    /// its near slots, or else in the far table. A near id is found inline (every
    /// `World::spawn` comes here per component); the rest is out of line.
    #[inline(always)]
    pub(crate) fn get_or_insert_with(
        &mut self,
        id: ComponentId,
        make: impl FnOnce() -> PoolCell,
    ) -> &mut PoolCell {
        match near_slot_of(&self.near_ids, id) {
            Some(at) => self.near[at].as_mut().expect("a near id has its cell"),
            None => self.far_or_insert_with(id, make),
        }
    }

    /// [`Self::get_or_insert_with`] for an id not stored near.
    #[inline(never)]
    fn far_or_insert_with(
        &mut self,
        id: ComponentId,
        make: impl FnOnce() -> PoolCell,
    ) -> &mut PoolCell {
        // A far id found both its near slots taken, and near slots are never freed, so a
        // free one here means `id` is not stored at all.
        let free = near_slots(id)
            .into_iter()
            .find(|&at| self.near_ids[at] == FREE && id.to_bits() != FREE);
        match free {
            Some(at) => {
                self.near_ids[at] = id.to_bits();
                self.taken[at / 64] |= 1 << (at % 64);
                self.near[at].insert(make())
            }
            None => self.far.get_or_insert_with(id, make),
        }
    }

    /// The cells of `N` distinct ids at once, mutably; `None` for an id with none. Panics if
    /// two ids are equal.
    pub(crate) fn get_disjoint_mut<const N: usize>(
        &mut self,
        ids: [&ComponentId; N],
    ) -> [Option<&mut PoolCell>; N] {
        assert!(
            (1..N).all(|i| !ids[..i].contains(&ids[i])),
            "get_disjoint_mut: the same id twice"
        );
        // Ids stored near are not in the far table, so it answers `None` for them.
        let mut found = self.far.get_disjoint_mut(ids);
        for (at, cell) in taken_cells_mut(&mut self.near, self.taken) {
            let key = ComponentId::from_bits(self.near_ids[at]);
            if let Some(n) = ids.iter().position(|id| **id == key) {
                found[n] = Some(cell);
            }
        }
        found
    }

    /// Every entry: the near ones in slot order, then the far ones.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (ComponentId, &PoolCell)> {
        let near = taken_slots(self.taken).map(|at| {
            let cell = self.near[at].as_ref().expect("a taken slot has its cell");
            (ComponentId::from_bits(self.near_ids[at]), cell)
        });
        near.chain(self.far.iter().map(|(id, cell)| (*id, cell)))
    }

    /// Every cell.
    pub(crate) fn values(&self) -> impl Iterator<Item = &PoolCell> {
        self.iter().map(|(_, cell)| cell)
    }

    /// Every cell, mutably.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut PoolCell> {
        taken_cells_mut(&mut self.near, self.taken)
            .map(|(_, cell)| cell)
            .chain(self.far.values_mut())
    }

    /// Every id.
    pub(crate) fn keys(&self) -> impl Iterator<Item = ComponentId> {
        self.iter().map(|(id, _)| id)
    }

    /// A table of `make(cell)` for every cell, each stored where its source is (so a world
    /// built from this one finds its pools as fast as this one did).
    pub(crate) fn map(&self, make: impl Fn(&PoolCell) -> PoolCell) -> Self {
        Self {
            near_ids: self.near_ids,
            taken: self.taken,
            near: std::array::from_fn(|at| self.near[at].as_ref().map(&make)),
            far: self
                .far
                .iter()
                .map(|(id, cell)| (*id, make(cell)))
                .collect(),
        }
    }

    /// Whether `id` lives in a near slot (`Some(true)`) or the far table (`Some(false)`);
    /// `None` if it is not stored.
    pub(crate) fn is_near(&self, id: &ComponentId) -> Option<bool> {
        match near_slot_of(&self.near_ids, *id) {
            Some(_) => Some(true),
            None => self.far.get(id).map(|_| false),
        }
    }

    /// Whether `id` lives in the far table (for tests of placement).
    #[cfg(all(test, not(loom)))]
    fn is_far(&self, id: &ComponentId) -> bool {
        self.is_near(id) == Some(false)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{FREE, NEAR, PoolTable, near_slots};
    use crate::engine::pool_cell::PoolCell;
    use crate::model::Component;
    use crate::model::storage::TypedPool;
    use playground_kernel::ComponentId;
    use proptest::prelude::*;

    /// The `nth` id (from 0) whose near slots are `slots`: ids are chosen by where they land,
    /// so the tests can make types clash on purpose.
    const fn id_landing(slots: [usize; 2], nth: usize) -> u64 {
        let mut bits = 1u64;
        let mut seen = 0;
        loop {
            let [first, second] = near_slots(ComponentId::from_bits(bits));
            if first == slots[0] && second == slots[1] {
                if seen == nth {
                    return bits;
                }
                seen += 1;
            }
            bits += 1;
        }
    }

    /// Six test ids: kinds 0..3 share both near slots (the third of them must go far), kind 3
    /// has them the other way round, kind 4 shares kind 0's first slot only, and kind 5 lands
    /// on kind 4's second slot first. Kinds 4 and 5 reach the taken-slot bitmap's later words.
    const IDS: [u64; 6] = [
        id_landing([3, 7], 0),
        id_landing([3, 7], 1),
        id_landing([3, 7], 2),
        id_landing([7, 3], 0),
        id_landing([3, 200], 0),
        id_landing([200, 70], 0),
    ];
    const NAMES: [&str; 7] = ["c0", "c1", "c2", "c3", "c4", "c5", "c0.impostor"];

    /// Test component `K`, under `IDS[K]`; kind 6 is another type under kind 0's id.
    struct C<const K: usize>;
    impl<const K: usize> Component for C<K> {
        const NAME: &'static str = NAMES[K];
        const ID: ComponentId = ComponentId::from_bits(IDS[K % 6]);
    }

    /// Runs `$body` with `$T` the test component of kind `$k` (kinds 0 to 5).
    macro_rules! with_kind {
        ($k:expr, $T:ident => $body:expr) => {
            with_kind!(@arms $k, $T, $body; 0 1 2 3 4 5)
        };
        (@arms $k:expr, $T:ident, $body:expr; $($n:literal)*) => {
            match $k {
                $($n => {
                    type $T = C<$n>;
                    $body
                })*
                k => unreachable!("no test kind {k}"),
            }
        };
    }

    fn register<T: Component>(table: &mut PoolTable) {
        let cell = table.get_or_insert_with(T::ID, || PoolCell::new(TypedPool::<T>::plain()));
        assert!(cell.holds::<T>());
    }

    /// Each key sits in one of its own near slots, with its cell, or far with both of them
    /// taken.
    fn assert_placed(table: &PoolTable) {
        for (at, bits) in table.near_ids.iter().enumerate() {
            assert_eq!(
                *bits != FREE,
                table.near[at].is_some(),
                "slot {at}: id and cell"
            );
            assert_eq!(
                *bits != FREE,
                table.taken[at / 64] & (1 << (at % 64)) != 0,
                "slot {at}: id and taken bit"
            );
            if *bits != FREE {
                let key = ComponentId::from_bits(*bits);
                assert!(
                    near_slots(key).contains(&at),
                    "{key:?} in foreign slot {at}"
                );
            }
        }
        for (key, _) in table.far.iter() {
            for at in near_slots(*key) {
                assert!(
                    table.near_ids[at] != FREE,
                    "{key:?} far with slot {at} free"
                );
            }
        }
    }

    #[test]
    fn the_ids_land_where_the_tests_say() {
        for (k, id) in IDS.iter().enumerate() {
            let slots = near_slots(ComponentId::from_bits(*id));
            assert!(slots.iter().all(|&at| at < NEAR), "kind {k}");
        }
        assert_eq!(near_slots(ComponentId::from_bits(IDS[2])), [3, 7]);
        assert_eq!(near_slots(ComponentId::from_bits(IDS[5])), [200, 70]);
    }

    #[test]
    fn a_third_type_on_two_taken_slots_goes_far_and_is_found_there() {
        let mut table = PoolTable::default();
        register::<C<0>>(&mut table);
        register::<C<1>>(&mut table);
        register::<C<2>>(&mut table);
        register::<C<3>>(&mut table);
        assert!(!table.is_far(&C::<0>::ID) && !table.is_far(&C::<1>::ID));
        assert!(table.is_far(&C::<2>::ID) && table.is_far(&C::<3>::ID));
        assert!(table.near[3].as_ref().unwrap().holds::<C<0>>());
        assert!(table.near[7].as_ref().unwrap().holds::<C<1>>());
        assert!(table.typed_mut::<C<2>>().unwrap().holds::<C<2>>());
        assert!(table.get(&C::<3>::ID).unwrap().holds::<C<3>>());
        assert!(table.typed_mut::<C<4>>().is_none());
        assert_placed(&table);
    }

    #[test]
    fn a_type_under_another_types_id_gets_that_cell_for_its_caller_to_refuse() {
        let mut table = PoolTable::default();
        register::<C<0>>(&mut table);
        // The key finds kind 0's cell, which the world's typed access then refuses
        // (`PoolCell::typed_mut` panics).
        let cell = table.typed_mut::<C<6>>().expect("found by key");
        assert!(cell.holds::<C<0>>() && !cell.holds::<C<6>>());
        let mut made = false;
        table.get_or_insert_with(C::<6>::ID, || {
            made = true;
            PoolCell::new(TypedPool::<C<6>>::plain())
        });
        assert!(!made, "a stored id is never stored twice");
        assert_eq!(table.keys().count(), 1);
    }

    /// Another type under kind `K`'s id.
    #[derive(Default)]
    struct Impostor<const K: usize>;
    impl<const K: usize> Component for Impostor<K> {
        const NAME: &'static str = "impostor";
        const ID: ComponentId = ComponentId::from_bits(IDS[K]);
    }

    /// Every typed path of a world refuses a type under another type's id, wherever that
    /// type's pool lives (first slot, second slot, far table), and leaves its component.
    #[test]
    fn a_world_refuses_an_impostor_in_every_place() {
        use crate::model::World;
        use std::panic::{AssertUnwindSafe, catch_unwind};
        let mut world = World::new();
        let e = world.spawn((C::<0>, C::<1>, C::<2>));
        assert_eq!(world.pool_is_near::<C<0>>(), Some(true));
        assert_eq!(world.pool_is_near::<C<1>>(), Some(true));
        assert_eq!(world.pool_is_near::<C<2>>(), Some(false));
        assert_eq!(world.pool_is_near::<C<3>>(), None);
        fn refused<I: Component + Default>(world: &mut World, e: crate::model::Entity) -> bool {
            let tries: [&dyn Fn(&mut World); 4] = [
                &|w| drop(w.insert(e, I::default())),
                &|w| drop(w.remove::<I>(e)),
                &|w| {
                    let _ = w.get_mut::<I>(e);
                },
                &|w| drop(w.pool::<I>()),
            ];
            tries
                .iter()
                .all(|f| catch_unwind(AssertUnwindSafe(|| f(world))).is_err())
        }
        assert!(refused::<Impostor<0>>(&mut world, e));
        assert!(refused::<Impostor<1>>(&mut world, e));
        assert!(refused::<Impostor<2>>(&mut world, e));
        assert!(world.has::<C<0>>(e) && world.has::<C<1>>(e) && world.has::<C<2>>(e));
    }

    #[test]
    #[should_panic(expected = "the same id twice")]
    fn disjoint_access_refuses_an_id_twice() {
        let mut table = PoolTable::default();
        register::<C<0>>(&mut table);
        let _ = table.get_disjoint_mut([&C::<0>::ID, &C::<0>::ID]);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Register(usize),
        Lookup(usize),
        Disjoint(usize, usize),
        Rebuild,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0usize..6).prop_map(Op::Register),
            3 => (0usize..6).prop_map(Op::Lookup),
            2 => (0usize..6, 0usize..6).prop_map(|(a, b)| Op::Disjoint(a, b)),
            1 => Just(Op::Rebuild),
        ]
    }

    proptest! {
        /// State machine against the set of registered kinds: every way in finds exactly the
        /// registered kinds' cells, each holding its own type, in any registration order;
        /// placement keeps its invariant, and a rebuilt table keeps every cell's place.
        #[test]
        fn the_table_matches_a_set_of_kinds(ops in prop::collection::vec(op(), 1..40)) {
            let mut table = PoolTable::default();
            let mut registered = [false; 6];
            for op in ops {
                match op {
                    Op::Register(k) => {
                        with_kind!(k, T => register::<T>(&mut table));
                        registered[k] = true;
                    }
                    Op::Lookup(k) => with_kind!(k, T => {
                        let id = T::ID;
                        prop_assert_eq!(table.get(&id).is_some(), registered[k]);
                        if registered[k] {
                            prop_assert!(table.get(&id).unwrap().holds::<T>());
                            prop_assert!(table.typed_mut::<T>().unwrap().holds::<T>());
                            prop_assert!(table.get_mut(&id).unwrap().holds::<T>());
                        } else {
                            prop_assert!(table.typed_mut::<T>().is_none());
                        }
                    }),
                    Op::Disjoint(a, b) if a != b => {
                        let ids = [ComponentId::from_bits(IDS[a]), ComponentId::from_bits(IDS[b])];
                        let [x, y] = table.get_disjoint_mut([&ids[0], &ids[1]]);
                        prop_assert_eq!(x.is_some(), registered[a]);
                        prop_assert_eq!(y.is_some(), registered[b]);
                        if let Some(x) = x {
                            prop_assert!(with_kind!(a, T => x.holds::<T>()));
                        }
                        if let Some(y) = y {
                            prop_assert!(with_kind!(b, T => y.holds::<T>()));
                        }
                    }
                    Op::Disjoint(..) => {}
                    Op::Rebuild => {
                        let rebuilt = table.map(|cell| PoolCell::from_erased(cell.read().empty_like()));
                        for id in table.keys() {
                            prop_assert_eq!(rebuilt.is_far(&id), table.is_far(&id));
                        }
                        table = rebuilt;
                    }
                }
                assert_placed(&table);
                let mut keys: Vec<u64> = table.keys().map(|id| id.to_bits()).collect();
                keys.sort_unstable();
                let mut expected: Vec<u64> = (0..6).filter(|&k| registered[k]).map(|k| IDS[k]).collect();
                expected.sort_unstable();
                prop_assert_eq!(keys, expected);
                prop_assert_eq!(table.values().count(), table.values_mut().count());
            }
        }
    }
}
