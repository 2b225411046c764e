//! `Entity`: an ECS entity, as an index and the generation of its slot.

use super::generational::{Generation, Generational, IdKind};

/// Index half of an [`Entity`]: the slot it occupies in every component pool's sparse index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(transparent)]
pub struct EntityId(pub u32);

/// The kind of [`Entity`].
#[derive(Debug)]
pub enum EntityKind {}

impl IdKind for EntityKind {
    const NAME: &'static str = "Entity";
}

/// An entity: its slot index and the slot's generation (see [`Generational`]). A despawned
/// entity's slot moves to the next generation, so every lookup with the old value finds
/// nothing rather than the slot's next occupant.
pub type Entity = Generational<EntityKind>;

impl Entity {
    /// Packs an index and a generation.
    #[inline]
    pub const fn new(id: EntityId, generation: Generation) -> Self {
        Self::from_parts(id.0, generation)
    }

    /// The index half.
    #[inline]
    pub const fn id(self) -> EntityId {
        EntityId(self.index() as u32)
    }
}

crate::model!(Entity = "playground.kernel.Entity");

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
