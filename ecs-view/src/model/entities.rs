//! The entity allocator: indices with generations and a free list.

use playground_kernel::{Corruption, Entity, EntityId, Generation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Slot {
    generation: u32,
    alive: bool,
}

/// Hands out entities. A despawned index is reused with the next generation, so the old
/// `Entity` is never alive again (until its 32-bit generation wraps: 4 billion reuses of one
/// index).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
            slot.alive = true;
            return Entity::new(EntityId(index), Generation(slot.generation));
        }
        let index = u32::try_from(self.slots.len()).expect("fewer than 2^32 entities");
        self.slots.push(Slot {
            generation: 0,
            alive: true,
        });
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
            slot.alive = true;
            out.push(Entity::new(EntityId(index), Generation(slot.generation)));
        }
        let first = self.slots.len();
        let end = first + (count - reused);
        assert!(u32::try_from(end).is_ok(), "fewer than 2^32 entities");
        self.slots.resize(
            end,
            Slot {
                generation: 0,
                alive: true,
            },
        );
        // In range: `end` fits in a u32, checked above.
        out.extend((first..end).map(|i| Entity::new(EntityId(i as u32), Generation(0))));
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
        let slot = &mut self.slots[entity.index()];
        slot.alive = false;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(entity.id().0);
        self.alive -= 1;
        true
    }

    /// Whether `entity` (this generation) is alive.
    #[inline]
    pub fn is_alive(&self, entity: Entity) -> bool {
        self.slots
            .get(entity.index())
            .is_some_and(|s| s.alive && s.generation == entity.generation().0)
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
            .enumerate()
            .filter(|(_, s)| s.alive)
            .map(|(i, s)| Entity::new(EntityId(i as u32), Generation(s.generation)))
    }

    /// Checks the invariants a decoded allocator must hold: the free list names exactly the
    /// dead slots, once each, and the live count matches.
    pub fn validate(&self) -> Result<(), Corruption> {
        let dead = self.slots.iter().filter(|s| !s.alive).count();
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
                (Some(slot), Some(flag)) if !slot.alive && !*flag => *flag = true,
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
}
