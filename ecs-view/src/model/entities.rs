//! The entity allocator: indices with generations and a free list.

use playground_kernel::{Corruption, Entity, EntityId, Generation};
use serde::{Deserialize, Serialize, Serializer};

/// Low half of a dead index's slot. The allocator hands out indices below it, so no entity's
/// bits equal a dead slot.
const DEAD: u32 = u32::MAX;

/// One index's state, packed so that a liveness test is one 8-byte compare against the
/// entity's bits (every `World::insert` makes one): while the index is alive, the bits of its
/// live entity; while it is dead, the generation its next entity will have (high half) and
/// [`DEAD`] (low half). Saved as [`SlotRepr`], the format's two fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot(u64);

impl Slot {
    /// The slot of live `index` at `generation`.
    fn live(index: u32, generation: u32) -> Self {
        Self(Entity::new(EntityId(index), Generation(generation)).to_bits())
    }

    /// A dead slot whose next entity gets `generation`.
    fn dead(generation: u32) -> Self {
        Self((u64::from(generation) << 32) | u64::from(DEAD))
    }

    /// The generation of the live entity, or of the next one if dead.
    fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }

    fn is_alive(self) -> bool {
        self.0 as u32 != DEAD
    }

    /// The entity a live slot holds.
    fn entity(self) -> Entity {
        Entity::from_bits(self.0)
    }
}

/// A slot as snapshots store it.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Slot")]
struct SlotRepr {
    generation: u32,
    alive: bool,
}

impl Serialize for Slot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SlotRepr {
            generation: self.generation(),
            alive: self.is_alive(),
        }
        .serialize(serializer)
    }
}

/// An allocator as snapshots store it; a slot's index is its position.
#[derive(Deserialize)]
#[serde(rename = "Entities")]
struct EntitiesRepr {
    slots: Vec<SlotRepr>,
    free: Vec<u32>,
    alive: usize,
}

impl TryFrom<EntitiesRepr> for Entities {
    type Error = Corruption;

    /// Refuses a slot list reaching index [`DEAD`], which no allocator hands out.
    fn try_from(repr: EntitiesRepr) -> Result<Self, Corruption> {
        if repr.slots.len() > DEAD as usize {
            return Err(Corruption::OutOfRange {
                value: repr.slots.len() as u64,
            });
        }
        let slots = (0u32..)
            .zip(repr.slots)
            .map(|(index, slot)| match slot.alive {
                true => Slot::live(index, slot.generation),
                false => Slot::dead(slot.generation),
            })
            .collect();
        Ok(Self {
            slots,
            free: repr.free,
            alive: repr.alive,
        })
    }
}

/// Hands out entities. A despawned index is reused with the next generation, so the old
/// `Entity` is never alive again (until its 32-bit generation wraps: 4 billion reuses of one
/// index).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EntitiesRepr")]
pub struct Entities {
    slots: Vec<Slot>,
    free: Vec<u32>,
    alive: usize,
}

impl Entities {
    /// A new live entity.
    pub fn spawn(&mut self) -> Entity {
        self.alive += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            *slot = Slot::live(index, slot.generation());
            return slot.entity();
        }
        let index = u32::try_from(self.slots.len())
            .ok()
            .filter(|&index| index != DEAD)
            .expect("fewer than 2^32 - 1 entities");
        self.slots.push(Slot::live(index, 0));
        Entity::new(EntityId(index), Generation(0))
    }

    /// Spawns `count` entities, appending them to `out`: reused indices first (as
    /// [`Self::spawn`] would pop them), then fresh ones in one extension of the slot list.
    pub fn spawn_many(&mut self, count: usize, out: &mut Vec<Entity>) {
        out.reserve(count);
        let reused = count.min(self.free.len());
        let from = self.free.len() - reused;
        for index in self.free.drain(from..).rev() {
            let slot = &mut self.slots[index as usize];
            *slot = Slot::live(index, slot.generation());
            out.push(slot.entity());
        }
        let first = self.slots.len();
        let end = first + (count - reused);
        assert!(end <= DEAD as usize, "fewer than 2^32 - 1 entities");
        // In range: every index is below `end`, at most `DEAD`, checked above.
        self.slots
            .extend((first..end).map(|i| Slot::live(i as u32, 0)));
        out.extend(self.slots[first..].iter().map(|slot| slot.entity()));
        self.alive += count;
    }

    /// Makes room for `additional` more entities without reallocating.
    pub fn reserve(&mut self, additional: usize) {
        self.slots
            .reserve(additional.saturating_sub(self.free.len()));
    }

    /// Despawns `entity`; `false` (and no change) if it is not alive.
    pub fn despawn(&mut self, entity: Entity) -> bool {
        if !self.is_alive(entity) {
            return false;
        }
        self.slots[entity.index()] = Slot::dead(entity.generation().0.wrapping_add(1));
        self.free.push(entity.id().0);
        self.alive -= 1;
        true
    }

    /// Whether `entity` (this generation) is alive.
    #[inline]
    pub fn is_alive(&self, entity: Entity) -> bool {
        self.slots.get(entity.index()) == Some(&Slot(entity.to_bits()))
    }

    /// Number of live entities.
    pub fn len(&self) -> usize {
        self.alive
    }

    /// Whether none is alive.
    pub fn is_empty(&self) -> bool {
        self.alive == 0
    }

    /// Live entities in index order.
    pub fn iter(&self) -> impl Iterator<Item = Entity> + '_ {
        self.slots
            .iter()
            .filter(|s| s.is_alive())
            .map(|s| s.entity())
    }

    /// Checks the invariants a decoded allocator must hold: the free list names exactly the
    /// dead slots, once each, and the live count matches.
    pub fn validate(&self) -> Result<(), Corruption> {
        let dead = self.slots.iter().filter(|s| !s.is_alive()).count();
        if dead != self.free.len() || self.slots.len() - dead != self.alive {
            return Err(Corruption::FreeListCounts {
                dead,
                free: self.free.len(),
                alive: self.alive,
            });
        }
        let mut seen = vec![false; self.slots.len()];
        for &i in &self.free {
            match (self.slots.get(i as usize), seen.get_mut(i as usize)) {
                (Some(slot), Some(flag)) if !slot.is_alive() && !*flag => *flag = true,
                _ => return Err(Corruption::FreeListEntry { index: i }),
            }
        }
        Ok(())
    }
}

playground_kernel::model!(Entities = "playground.ecs.Entities");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spawn_many_is_spawn_repeated() {
        let (mut one, mut many) = (Entities::default(), Entities::default());
        for e in [&mut one, &mut many] {
            let spawned: Vec<Entity> = (0..6).map(|_| e.spawn()).collect();
            for &s in &spawned[1..4] {
                e.despawn(s);
            }
        }
        let singles: Vec<Entity> = (0..5).map(|_| one.spawn()).collect();
        let mut batch = vec![Entity::new(EntityId(99), Generation(0))];
        many.spawn_many(5, &mut batch);
        assert_eq!(batch[1..], singles[..]);
        assert_eq!(one, many);
        assert!(many.validate().is_ok());
    }

    #[test]
    fn despawned_entity_is_never_alive_again_and_its_index_is_reused() {
        let mut e = Entities::default();
        let a = e.spawn();
        assert!(e.despawn(a));
        assert!(!e.despawn(a), "second despawn changes nothing");
        let b = e.spawn();
        assert_eq!((b.id(), b.generation().0), (a.id(), 1));
        assert!(!e.is_alive(a) && e.is_alive(b));
        assert_eq!(e.len(), 1);
        assert!(e.validate().is_ok());
        // A fabricated entity with the next generation of a dead slot is not alive either.
        e.despawn(b);
        assert!(!e.is_alive(Entity::new(b.id(), Generation(2))));
    }

    #[test]
    fn saves_each_slot_as_its_generation_and_liveness_and_loads_back() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Saved {
            slots: Vec<(u32, bool)>,
            free: Vec<u32>,
            alive: usize,
        }
        let mut e = Entities::default();
        let [a, _b, c] = [e.spawn(), e.spawn(), e.spawn()];
        e.despawn(a);
        e.despawn(c);
        let reused = e.spawn();
        assert_eq!(reused.id(), c.id());
        let bytes = postcard::to_allocvec(&e).unwrap();
        let saved: Saved = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(
            saved,
            Saved {
                slots: vec![(1, false), (0, true), (1, true)],
                free: vec![0],
                alive: 2,
            }
        );
        let loaded: Entities = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(loaded, e);
        assert!(loaded.is_alive(reused) && !loaded.is_alive(c) && !loaded.is_alive(a));
    }

    #[test]
    fn no_entity_is_alive_in_a_dead_slot() {
        let mut e = Entities::default();
        let a = e.spawn();
        e.despawn(a);
        for generation in [0, 1, 2, u32::MAX] {
            assert!(!e.is_alive(Entity::new(a.id(), Generation(generation))));
        }
        // The bits of a dead slot, read as an entity: index `DEAD`, which is never handed out.
        assert!(!e.is_alive(Entity::new(EntityId(DEAD), Generation(1))));
        assert_eq!(e.iter().count(), 0);
    }
}
