//! `Entity`: an ECS entity, as an index and the generation of its slot.

use core::fmt;

/// Index half of an [`Entity`]: the slot it occupies in every component pool's sparse index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(transparent)]
pub struct EntityId(pub u32);

/// Generation half of an [`Entity`]: bumped each time the slot is freed, so a stale handle
/// is told apart from the slot's next occupant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
#[repr(transparent)]
pub struct Generation(pub u32);

/// An entity: 32-bit index and 32-bit generation in one `u64` (index in the low half).
///
/// An entity becomes invalid when it is despawned: its slot's generation moves on, and every
/// lookup with the old value finds nothing rather than the slot's next occupant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Entity(u64);

impl Entity {
    /// Packs an index and a generation.
    #[inline]
    pub const fn new(id: EntityId, generation: Generation) -> Self {
        Self(((generation.0 as u64) << 32) | id.0 as u64)
    }

    /// Rebuilds an entity from its raw bits (e.g. from a snapshot or a script).
    #[inline]
    pub const fn from_bits(bits: u64) -> Self {
        Self(bits)
    }

    /// The raw bits.
    #[inline]
    pub const fn to_bits(self) -> u64 {
        self.0
    }

    /// The index half.
    #[inline]
    pub const fn id(self) -> EntityId {
        EntityId(self.0 as u32)
    }

    /// The index half as a `usize`, for indexing.
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as u32 as usize
    }

    /// The generation half.
    #[inline]
    pub const fn generation(self) -> Generation {
        Generation((self.0 >> 32) as u32)
    }
}

crate::model!(Entity = "playground.kernel.Entity");

impl fmt::Debug for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entity({}v{})", self.id().0, self.generation().0)
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}v{}", self.id().0, self.generation().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_index_low_and_generation_high() {
        let e = Entity::new(EntityId(5), Generation(2));
        assert_eq!(e.to_bits(), (2 << 32) | 5);
        assert_eq!(
            (e.id(), e.generation(), e.index()),
            (EntityId(5), Generation(2), 5)
        );
        assert_ne!(e, Entity::new(EntityId(5), Generation(3)));
        assert_eq!(format!("{e:?}"), "Entity(5v2)");
    }
}
