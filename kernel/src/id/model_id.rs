//! `ModelId`: one model instance, as a slot index and a generation.

use core::fmt;

/// The id of one model instance: a 32-bit slot index and a 32-bit generation packed in a `u64`
/// (index in the low half).
///
/// The id becomes invalid when its model is removed: the slot's generation moves on, so a pool
/// that reuses the slot hands out a different id, and the old one is reported stale instead of
/// aliasing the new occupant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct ModelId(u64);

impl ModelId {
    /// Packs a slot index and a generation.
    #[inline]
    pub const fn new(index: u32, generation: u32) -> Self {
        Self(((generation as u64) << 32) | index as u64)
    }

    /// Rebuilds an id from its raw bits. Every `u64` is a well-formed id; whether it names a
    /// live model is for the pool to say.
    #[inline]
    pub const fn from_bits(bits: u64) -> Self {
        Self(bits)
    }

    /// The raw 64 bits.
    #[inline]
    pub const fn to_bits(self) -> u64 {
        self.0
    }

    /// The slot index.
    #[inline]
    pub const fn index(self) -> u32 {
        self.0 as u32
    }

    /// The generation of the slot when this id was issued.
    #[inline]
    pub const fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

impl fmt::Debug for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ModelId({}v{})", self.index(), self.generation())
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}v{}", self.index(), self.generation())
    }
}

#[cfg(test)]
mod tests {
    use super::ModelId;

    #[test]
    fn packs_and_unpacks() {
        let id = ModelId::new(0xdead_beef, 7);
        assert_eq!((id.index(), id.generation()), (0xdead_beef, 7));
        assert_eq!(ModelId::from_bits(id.to_bits()), id);
        assert_eq!(id.to_bits(), (7 << 32) | 0xdead_beef);
    }

    #[test]
    fn reused_slot_is_a_different_id() {
        assert_ne!(ModelId::new(3, 0), ModelId::new(3, 1));
        assert_eq!(ModelId::new(3, 1).to_string(), "3v1");
    }
}
