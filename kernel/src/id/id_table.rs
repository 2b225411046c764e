//! `IdTable`: a flat, open-addressed map from stable ids to values, for read-mostly tables
//! (the registry's published snapshots).
//!
//! The ids are already uniformly distributed 64-bit hashes, so a slot is found from the id's
//! low bits with no hashing, and each slot holds its key beside its value: a hit is one probe
//! of one slot, a key compare and the value, in one cache line for small values. Linear
//! probing at a load factor of at most one quarter keeps most hits on their home slot (at
//! one half, the extra probes and their mispredicted branches measured as a quarter of a
//! registry pool lookup); the tables are small, so the doubled slot count costs little.
//! Entries are inserted
//! and replaced, never removed (a snapshot is rebuilt, not edited down), so there are no
//! tombstones.
//!
//! Invariant: every stored key is reachable from its home slot (`hash & mask`) by stepping
//! forward over occupied slots only; `len <= slots.len() / 4`.

use super::id_map::IdHasher;
use std::hash::{BuildHasher, BuildHasherDefault, Hash};

/// A map from ids (or tuples of ids) to values, open-addressed, insert-only.
#[derive(Clone, Debug)]
pub struct IdTable<K, V> {
    slots: Box<[Option<(K, V)>]>,
    len: usize,
}

impl<K, V> Default for IdTable<K, V> {
    fn default() -> Self {
        Self {
            slots: Box::new([]),
            len: 0,
        }
    }
}

#[inline(always)]
fn home<K: Hash>(key: &K, mask: usize) -> usize {
    // The identity hasher passes an id through; truncating to the low bits is the slot.
    BuildHasherDefault::<IdHasher>::default().hash_one(key) as usize & mask
}

impl<K: Hash + Eq + Clone, V> IdTable<K, V> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value stored under `key`.
    ///
    /// The probe loop of [`Self::find`], written again to return the value straight from the
    /// slot it matched: going through the index re-checks bounds and the slot, which measured
    /// on the registry's lookups.
    #[inline]
    pub fn get(&self, key: &K) -> Option<&V> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = home(key, mask);
        loop {
            match &self.slots[i] {
                Some((k, v)) if k == key => return Some(v),
                Some(_) => i = (i + 1) & mask,
                None => return None,
            }
        }
    }

    /// The slot holding `key`, if any.
    #[inline]
    fn find(&self, key: &K) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = home(key, mask);
        loop {
            match &self.slots[i] {
                Some((k, _)) if k == key => return Some(i),
                Some(_) => i = (i + 1) & mask,
                None => return None,
            }
        }
    }

    /// The value stored under `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        // The loop of `get`, for the reason given there.
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = home(key, mask);
        let slots = &mut *self.slots;
        loop {
            match &slots[i] {
                Some((k, _)) if k == key => break,
                Some(_) => i = (i + 1) & mask,
                None => return None,
            }
        }
        slots[i].as_mut().map(|(_, v)| v)
    }

    /// The value stored under `key`, mutably, for values that carry proof of their key (a pool
    /// that knows the component type it holds, and so its id): when `key`'s home slot holds a
    /// value `owns` accepts, that one check replaces the key compare; otherwise this is
    /// [`Self::get_mut`] (keys compared, `owns` not asked).
    ///
    /// `owns(v)` must be true only for a value stored under `key`.
    #[inline(always)]
    pub fn get_mut_owned(&mut self, key: &K, owns: impl Fn(&V) -> bool) -> Option<&mut V> {
        let mask = self.slots.len().checked_sub(1)?;
        let at = home(key, mask);
        if matches!(&self.slots[at], Some((_, v)) if owns(v)) {
            return self.slots[at].as_mut().map(|(_, v)| v);
        }
        self.get_mut_cold(key)
    }

    /// [`Self::get_mut`] out of line: the rare path of [`Self::get_mut_owned`].
    #[cold]
    #[inline(never)]
    fn get_mut_cold(&mut self, key: &K) -> Option<&mut V> {
        self.get_mut(key)
    }

    /// The values of `N` distinct keys at once, mutably; `None` for a key with no value.
    /// Panics if two keys are equal (as `HashMap::get_disjoint_mut` does).
    pub fn get_disjoint_mut<const N: usize>(&mut self, keys: [&K; N]) -> [Option<&mut V>; N] {
        let found = keys.map(|k| self.find(k));
        for (i, a) in found.iter().enumerate() {
            assert!(
                a.is_none() || !found[..i].contains(a),
                "get_disjoint_mut: the same key twice"
            );
        }
        let mut rest: &mut [Option<(K, V)>] = &mut self.slots;
        let mut offset = 0;
        let mut order: Vec<(usize, usize)> = found
            .iter()
            .enumerate()
            .filter_map(|(n, slot)| slot.map(|s| (s, n)))
            .collect();
        order.sort_unstable();
        let mut out: [Option<&mut V>; N] = std::array::from_fn(|_| None);
        for (slot, n) in order {
            let (_, tail) = rest.split_at_mut(slot - offset);
            let (here, tail) = tail.split_at_mut(1);
            out[n] = here[0].as_mut().map(|(_, v)| v);
            rest = tail;
            offset = slot + 1;
        }
        out
    }

    /// The value under `key`, inserting `make()` first if there is none.
    #[inline(always)]
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Some(i) => i,
            None => self.insert_new(key, make()),
        };
        let (_, v) = self.slots[i].as_mut().expect("found");
        v
    }

    /// Inserts a key known to be absent; returns its slot.
    #[cold]
    fn insert_new(&mut self, key: K, value: V) -> usize {
        self.insert(key.clone(), value);
        self.find(&key).expect("just inserted")
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Stores `value` under `key`, returning the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // A replacement first: it adds no entry, so it must not grow the table (growing on
        // it doubled the registry's table whenever a bind replaced an entry at the threshold).
        if let Some(v) = self.get_mut(&key) {
            return Some(std::mem::replace(v, value));
        }
        if (self.len + 1) * 4 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = home(&key, mask);
        loop {
            match &mut self.slots[i] {
                Some(_) => i = (i + 1) & mask,
                empty @ None => {
                    *empty = Some((key, value));
                    self.len += 1;
                    return None;
                }
            }
        }
    }

    /// Every entry, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.slots.iter().flatten().map(|(k, v)| (k, v))
    }

    /// Every value, in slot order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// Every value, mutably, in slot order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.slots.iter_mut().flatten().map(|(_, v)| v)
    }

    /// Every key, in slot order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    /// A copy of the table without `key`'s entry. Rebuilt rather than edited: open addressing
    /// without tombstones cannot take one entry out in place (another key may have probed past
    /// it).
    pub fn without(&self, key: &K) -> Self
    where
        V: Clone,
    {
        self.iter()
            .filter(|&(k, _)| k != key)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(
            &mut self.slots,
            std::iter::repeat_with(|| None).take(capacity).collect(),
        );
        self.len = 0;
        for (k, v) in old.into_vec().into_iter().flatten() {
            self.insert(k, v);
        }
    }
}

impl<K: Hash + Eq + Clone, V> FromIterator<(K, V)> for IdTable<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut table = Self::new();
        for (k, v) in entries {
            table.insert(k, v);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::IdTable;
    use crate::ViewId;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// `get_mut_owned` finds what `get_mut` finds, whether `owns` accepts the home slot's
        /// value (values carry their key, so `owns` can prove it) or not, with many keys
        /// sharing home slots.
        #[test]
        fn owned_lookups_match_keyed_ones(keys in prop::collection::vec(0u64..64, 0..100), probes in prop::collection::vec(0u64..64, 0..100)) {
            let spread = |k: u64| ViewId::from_bits(k.wrapping_mul(1 << 20) | (k & 3));
            let mut table = IdTable::new();
            let mut reference = HashMap::new();
            for k in keys {
                table.insert(spread(k), (spread(k), k));
                reference.insert(spread(k), (spread(k), k));
            }
            for k in probes {
                let key = spread(k);
                let expected = reference.get(&key).copied();
                let proven = table.get_mut_owned(&key, |v| v.0 == key).map(|v| *v);
                prop_assert_eq!(proven, expected);
                // An `owns` that accepts nothing still finds the entry by its key.
                let refused = table.get_mut_owned(&key, |_| false).map(|v| *v);
                prop_assert_eq!(refused, expected);
                if let Some(v) = table.get_mut_owned(&key, |v| v.0 == key) {
                    v.1 += 100;
                }
                if let Some(v) = reference.get_mut(&key) {
                    v.1 += 100;
                }
            }
            prop_assert_eq!(table.len(), reference.len());
        }

        /// Inserts, rebuilds without a key (many keys colliding in the low bits) and lookups
        /// against a `HashMap`.
        #[test]
        fn matches_a_hash_map(ops in prop::collection::vec((0u64..64, any::<u8>(), any::<bool>()), 0..400)) {
            let mut table = IdTable::new();
            let mut reference = HashMap::new();
            for (key, value, insert) in ops {
                // Keys that share their low bits with others exercise probe runs.
                let key = ViewId::from_bits(key.wrapping_mul(1 << 20) | (key & 3));
                match (insert, value % 3) {
                    (true, 0) => {
                        let got = *table.get_or_insert_with(key, || value);
                        prop_assert_eq!(got, *reference.entry(key).or_insert(value));
                    }
                    (true, _) => {
                        let slots = table.slots.len();
                        let replaced = table.insert(key, value);
                        prop_assert_eq!(replaced, reference.insert(key, value));
                        if replaced.is_some() {
                            prop_assert_eq!(table.slots.len(), slots, "a replacement grew the table");
                        }
                    }
                    (false, 1) => {
                        if let Some(v) = table.get_mut(&key) {
                            *v = v.wrapping_add(1);
                        }
                        if let Some(v) = reference.get_mut(&key) {
                            *v = v.wrapping_add(1);
                        }
                    }
                    (false, 2) => {
                        table = table.without(&key);
                        reference.remove(&key);
                    }
                    (false, _) => {
                        let other = ViewId::from_bits(key.to_bits() ^ 1);
                        let [a, b] = table.get_disjoint_mut([&key, &other]);
                        prop_assert_eq!(a.map(|v| *v), reference.get(&key).copied());
                        prop_assert_eq!(b.map(|v| *v), reference.get(&other).copied());
                    }
                }
                prop_assert_eq!(table.get(&key), reference.get(&key));
                prop_assert_eq!(table.len(), reference.len());
                prop_assert!(table.len() * 2 <= table.slots.len().max(1));
            }
            let mut all: Vec<_> = table.iter().map(|(k, v)| (*k, *v)).collect();
            let mut expected: Vec<_> = reference.into_iter().collect();
            all.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(all, expected);
        }
    }

    #[test]
    #[should_panic(expected = "the same key twice")]
    fn disjoint_access_refuses_one_key_twice() {
        let mut table = IdTable::new();
        table.insert(ViewId::from_name("x"), 1);
        let x = ViewId::from_name("x");
        let _ = table.get_disjoint_mut([&x, &x]);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table: IdTable<ViewId, u8> = IdTable::new();
        assert_eq!(table.get(&ViewId::from_name("x")), None);
    }
}
