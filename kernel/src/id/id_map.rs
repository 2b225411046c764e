//! Hash maps keyed by stable ids, with an identity hasher.
//!
//! The keys are already FNV-1a 64 hashes, so the identity hasher passes the id through (a
//! tuple key's parts are mixed with one multiply). That is the fastest choice while the ids'
//! top bits differ, and not where they do not: hashbrown keeps each key's top 7 bits as its
//! slot's tag, and FNV-1a ids of names that differ only in their last characters (`enemy.1`,
//! `enemy.2`, ...) differ in those bits only through carries, so their tags collide and a
//! lookup compares several keys. The `registry/lookup` group measures both hashers on such
//! names: the identity hash is the faster at 4,096 ids, FxHash at 64. `IdTable` has no tags:
//! it takes the home slot from the low bits, which do differ, and compares whole keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that are already uniformly distributed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write_u64(&mut self, id: u64) {
        // First write: the id itself. Later writes (tuple keys) mix in with an odd multiply so
        // (a, b) and (b, a) differ.
        self.0 = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ id;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached by keys that are not ids; stay correct (if slower) for them.
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
}

/// A `HashMap` keyed by stable ids.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::IdMap;
    use crate::{ModelType, ViewId};

    #[test]
    fn tuple_keys_of_swapped_parts_do_not_collide_in_the_hash() {
        use std::hash::BuildHasher;
        let b = std::hash::BuildHasherDefault::<super::IdHasher>::default();
        let (x, y) = (ViewId::from_bits(1), ModelType::from_bits(2));
        let (x2, y2) = (ViewId::from_bits(2), ModelType::from_bits(1));
        assert_ne!(b.hash_one((x, y)), b.hash_one((x2, y2)));
        let mut m: IdMap<ViewId, u8> = IdMap::default();
        m.insert(ViewId::from_name("a"), 1);
        assert_eq!(m.get(&ViewId::from_name("a")), Some(&1));
    }
}
