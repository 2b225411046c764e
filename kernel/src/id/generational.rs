//! `Generational<K>`: a slot index and the generation of the slot, packed in a `u64`. The one
//! id type behind [`Entity`](super::Entity) (an ECS entity) and [`ModelId`](super::ModelId)
//! (one model instance in a pool): both are reused slots that must tell a stale handle apart
//! from the slot's next occupant, so both are this type, told apart only by their kind.

use core::fmt;
use core::marker::PhantomData;

/// Generation half of an id: bumped each time the slot is freed, so a stale handle is told
/// apart from the slot's next occupant.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
#[repr(transparent)]
pub struct Generation(pub u32);

impl Generation {
    /// The generation a slot moves to when freed (wrapping after 2^32 reuses).
    #[inline]
    pub const fn next(self) -> Self {
        Self(self.0.wrapping_add(1))
    }
}

/// What a [`Generational`] id names; only its name differs (in `Debug`).
pub trait IdKind: 'static {
    /// The name `Debug` prints (`Entity(5v2)`).
    const NAME: &'static str;
}

/// A 32-bit slot index and a 32-bit generation in one `u64` (index in the low half).
///
/// The id becomes invalid when what it names is removed: the slot's generation moves on, and
/// every lookup with the old value finds nothing rather than the slot's next occupant.
#[repr(transparent)]
pub struct Generational<K> {
    bits: u64,
    // `fn() -> K`: the id neither owns a `K` nor inherits its auto traits.
    kind: PhantomData<fn() -> K>,
}

// By hand rather than derived: a derive would ask the kind for each trait; the id is its bits.
impl<K> Clone for Generational<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Generational<K> {}
impl<K> PartialEq for Generational<K> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}
impl<K> Eq for Generational<K> {}
impl<K> PartialOrd for Generational<K> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Generational<K> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.bits.cmp(&other.bits)
    }
}
impl<K> core::hash::Hash for Generational<K> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bits.hash(state);
    }
}

impl<K> Generational<K> {
    /// Packs a slot index and a generation.
    #[inline]
    pub const fn from_parts(index: u32, generation: Generation) -> Self {
        Self::from_bits(((generation.0 as u64) << 32) | index as u64)
    }

    /// Rebuilds an id from its raw bits (a snapshot, a script, the network). Every `u64` is
    /// well formed; whether it names something live is for its owner to say.
    #[inline]
    pub const fn from_bits(bits: u64) -> Self {
        Self {
            bits,
            kind: PhantomData,
        }
    }

    /// The raw bits.
    #[inline]
    pub const fn to_bits(self) -> u64 {
        self.bits
    }

    /// The slot index, for indexing.
    #[inline]
    pub const fn index(self) -> usize {
        self.bits as u32 as usize
    }

    /// The generation of the slot when this id was issued.
    #[inline]
    pub const fn generation(self) -> Generation {
        Generation((self.bits >> 32) as u32)
    }
}

impl<K: IdKind> fmt::Debug for Generational<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({self})", K::NAME)
    }
}

impl<K> fmt::Display for Generational<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}v{}", self.index(), self.generation().0)
    }
}
