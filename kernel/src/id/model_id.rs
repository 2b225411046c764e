//! `ModelId`: one model instance, as a slot index and a generation.

use super::generational::{Generation, Generational, IdKind};

/// The kind of [`ModelId`].
#[derive(Debug)]
pub enum ModelKind {}

impl IdKind for ModelKind {
    const NAME: &'static str = "ModelId";
}

/// The id of one model instance: its slot in the model pool and the slot's generation, so a
/// pool that reuses the slot hands out a different id and the old one is reported stale
/// instead of aliasing the new occupant.
pub type ModelId = Generational<ModelKind>;

impl ModelId {
    /// Packs a slot index and a generation.
    #[inline]
    pub const fn new(index: u32, generation: Generation) -> Self {
        Self::from_parts(index, generation)
    }
}

#[cfg(test)]
mod tests {
    use super::{Generation, ModelId};

    #[test]
    fn packs_and_unpacks() {
        let id = ModelId::new(0xdead_beef, Generation(7));
        assert_eq!((id.index(), id.generation()), (0xdead_beef, Generation(7)));
        assert_eq!(ModelId::from_bits(id.to_bits()), id);
        assert_eq!(id.to_bits(), (7 << 32) | 0xdead_beef);
        assert_eq!(format!("{id:?}"), "ModelId(3735928559v7)");
    }

    #[test]
    fn reused_slot_is_a_different_id() {
        assert_ne!(
            ModelId::new(3, Generation(0)),
            ModelId::new(3, Generation(1))
        );
        assert_eq!(ModelId::new(3, Generation(1)).to_string(), "3v1");
    }
}
