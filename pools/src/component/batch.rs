//! [`Batch`]: many components appended to one pool at once, the way a bulk spawn fills it.
//!
//! A per-entity [`ComponentPool::insert`] reads the entity's sparse slot before writing it, and
//! a bundle spawn does that for every pool of every entity. A batch instead pushes the values
//! while the caller walks its bundles (before the entities even exist), then pairs them with
//! the entities in one tight pass per pool: the dense entity list extended from a slice, the
//! sparse slots written in order. This is shipyard's `bulk_add_entity` layout, kept within
//! safe code.

use super::pool::ComponentPool;
use super::sparse::EMPTY;
use playground_kernel::Entity;

/// Components pushed to one pool ahead of the entities that will own them; see
/// [`ComponentPool::batch`].
///
/// Until [`Self::finish`] pairs them with entities, the pushed values are invisible to the
/// pool (no lookup or iteration sees them); a batch dropped unfinished (the bundle iterator
/// panicked, say) drops them and leaves the pool as it was.
///
/// The batch holds the pool's contents while it runs and leaves an empty pool in their place
/// until it is finished or dropped. One leaked with `mem::forget` therefore leaves the pool
/// empty (its components leaked with it), never holding values that pair with no entity or
/// with the wrong one: the convention of `Vec::drain`, and no check on the per-entity paths.
///
/// ```
/// use playground_kernel::{Entity, EntityId, Generation};
/// use playground_pools::ComponentPool;
///
/// let mut pool = ComponentPool::new();
/// let mut batch = pool.batch();
/// batch.push(1.0f32);
/// batch.push(2.0);
/// let owners = [Entity::new(EntityId(7), Generation(0)), Entity::new(EntityId(9), Generation(0))];
/// assert_eq!(batch.finish(&owners), 0);
/// assert_eq!(pool.get(owners[1]), Some(&2.0));
/// ```
pub struct Batch<'p, T> {
    /// The pool's contents, values pushed past its entities.
    pool: ComponentPool<T>,
    /// Where the contents go back when the batch ends.
    home: &'p mut ComponentPool<T>,
}

impl<T> ComponentPool<T> {
    /// Starts a batch: push values, then [`Batch::finish`] with their entities.
    pub fn batch(&mut self) -> Batch<'_, T> {
        // Should the batch leak, the empty pool left here has a layout no view has seen.
        let placeholder = ComponentPool {
            layout: self.layout.wrapping_add(1),
            ..ComponentPool::new()
        };
        Batch {
            pool: std::mem::replace(self, placeholder),
            home: self,
        }
    }
}

impl<T> Batch<'_, T> {
    /// Values pushed so far.
    #[inline]
    pub fn len(&self) -> usize {
        self.pool.data.len() - self.pool.entities.len()
    }

    /// Whether none was pushed.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes room for `additional` more values (and their entities) without reallocating.
    pub fn reserve(&mut self, additional: usize) {
        self.pool.data.reserve(additional);
        self.pool.entities.reserve(self.len() + additional);
    }

    /// Pushes the next value; it will belong to the entity at the same position of the slice
    /// given to [`Self::finish`].
    #[inline(always)]
    pub fn push(&mut self, value: T) {
        self.pool.data.push(value);
    }

    /// Gives the pushed values to `entities` (the i-th value to `entities[i]`) with the
    /// outcome of calling [`ComponentPool::insert`] for each pair in order: a value for an
    /// entity already here replaces it, one for an older generation drops the old component,
    /// and one for a stale entity (a newer generation is here) is dropped. Returns how many
    /// were dropped as stale.
    ///
    /// Entities the pool has never seen (the bulk-spawn case) take the fast path: no lookup,
    /// just appends. The first entity whose index is already in the pool sends it and every
    /// later pair through `insert`.
    ///
    /// # Panics
    /// If `entities.len()` differs from the number of values pushed, or the pool would hold
    /// `u32::MAX` components or more.
    pub fn finish(mut self, entities: &[Entity]) -> usize {
        assert_eq!(
            entities.len(),
            self.len(),
            "a batch is finished with one entity per pushed value"
        );
        // `self` drops on return, which gives the contents back to the pool.
        let pool = &mut self.pool;
        let start = pool.entities.len();
        assert!(
            u32::try_from(pool.data.len()).is_ok_and(|n| n < EMPTY),
            "a component pool holds fewer than u32::MAX components"
        );
        pool.layout += 1;
        let ComponentPool {
            sparse,
            entities: dense,
            ..
        } = &mut *pool;
        // By the sparse-set invariant a slot below the dense length points at an entity of
        // that index (any generation): one already here, or one earlier in this batch (whose
        // slot was just written). Every other slot is `EMPTY`, above any length.
        if let Err(i) = sparse.assign(entities, start) {
            dense.extend_from_slice(&entities[..i]);
            let rest = pool.data.split_off(start + i);
            let mut stale = 0;
            for (&e, value) in entities[i..].iter().zip(rest) {
                stale += usize::from(pool.insert(e, value).is_err());
            }
            return stale;
        }
        dense.extend_from_slice(entities);
        0
    }
}

impl<T> Drop for Batch<'_, T> {
    /// Drops values pushed and never finished, restoring `data.len() == entities.len()`, and
    /// gives the contents back to the pool.
    fn drop(&mut self) {
        // Back first: should a value's drop panic, the pool keeps its components.
        std::mem::swap(self.home, &mut self.pool);
        let owned = self.home.entities.len();
        self.home.data.truncate(owned);
    }
}
