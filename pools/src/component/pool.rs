//! `ComponentPool<T>`: the sparse set of one component type.

#![allow(
    unsafe_code,
    reason = "a found component is read without a second bounds check: the entity compare \
              already proved its position in bounds of the (never shorter) component list"
)]

use super::sparse::{EMPTY, SparseIndex};
use crate::error::PoolError;
use playground_kernel::Entity;

/// The components of one type, packed densely, found by entity through a paged sparse index.
///
/// - `get` / `get_mut` / `contains`: two array loads and a compare of the whole entity, so a
///   stale entity (same index, other generation) finds nothing.
/// - `insert`: O(1) amortised; `remove`: O(1) swap-remove (dense order is not stable).
/// - iteration walks the dense arrays: as fast as iterating a `Vec<T>`.
///
/// ```
/// use playground_kernel::{Entity, EntityId, Generation};
/// use playground_pools::ComponentPool;
///
/// let e = Entity::new(EntityId(3), Generation(0));
/// let mut pool = ComponentPool::new();
/// pool.insert(e, 1.5f32).unwrap();
/// assert_eq!(pool.get(e), Some(&1.5));
/// let stale = Entity::new(EntityId(3), Generation(1));
/// assert_eq!(pool.get(stale), None);
/// ```
///
/// Invariant: `data` is never shorter than `entities` (equal outside a [`Batch`](super::Batch),
/// which pushes values before their entities). A position that indexes `entities` therefore
/// indexes `data`; the gets rely on it to read the component unchecked.
#[derive(Debug, Clone)]
pub struct ComponentPool<T> {
    pub(super) sparse: SparseIndex,
    pub(super) entities: Vec<Entity>,
    pub(super) data: Vec<T>,
    /// Changes whenever the dense entity order changes (see [`Self::layout_version`]).
    pub(super) layout: u64,
}

impl<T> Default for ComponentPool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> ComponentPool<T> {
    /// An empty pool; allocates nothing until the first insert.
    pub const fn new() -> Self {
        Self {
            sparse: SparseIndex::new(),
            entities: Vec::new(),
            data: Vec::new(),
            layout: 0,
        }
    }

    /// Number of components stored.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the pool holds no component.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Dense position of `entity`'s component, if it has one; always below
    /// `entities.len()`, and so (struct invariant) below `data.len()`.
    #[inline(always)]
    fn position(&self, entity: Entity) -> Option<usize> {
        // Read before the branches, for the reason given in `get`.
        let entities = self.entities.as_slice();
        let d = self.sparse.get(entity.index());
        // `EMPTY` is `u32::MAX`, past every dense position, so `get` turns it into `None`.
        match entities.get(d as usize) {
            Some(&owner) if owner == entity => Some(d as usize),
            _ => None,
        }
    }

    /// Dense position of `entity`'s component, if it has one.
    #[inline]
    pub fn dense_index(&self, entity: Entity) -> Option<usize> {
        self.position(entity)
    }

    /// Whether `entity` (this exact generation) has a component here.
    #[inline]
    pub fn contains(&self, entity: Entity) -> bool {
        self.position(entity).is_some()
    }

    /// The component of `entity`, trying dense position `hint` first: when pools are filled
    /// in the same order (a batch spawn), another pool's position `i` holds the same entity,
    /// and this is one sequential compare instead of a sparse lookup. Any hint is correct; a
    /// wrong one only costs the lookup.
    #[inline(always)]
    pub fn get_at(&self, hint: usize, entity: Entity) -> Option<&T> {
        if self.entities.get(hint) == Some(&entity) {
            // SAFETY: `hint` indexes `entities`, which `data` is never shorter than.
            return Some(unsafe { self.data.get_unchecked(hint) });
        }
        self.get(entity)
    }

    /// Like [`Self::get_at`], mutably.
    #[inline(always)]
    pub fn get_at_mut(&mut self, hint: usize, entity: Entity) -> Option<&mut T> {
        if self.entities.get(hint) == Some(&entity) {
            // SAFETY: `hint` indexes `entities`, which `data` is never shorter than.
            return Some(unsafe { self.data.get_unchecked_mut(hint) });
        }
        self.get_mut(entity)
    }

    /// Entity list, sparse index and components borrowed separately: the list and index
    /// shared, the components mutable. What a query holds for a `&mut T` parameter.
    #[inline]
    pub fn slices_mut(&mut self) -> ComponentSlicesMut<'_, T> {
        ComponentSlicesMut {
            entities: &self.entities,
            sparse: &self.sparse,
            data: &mut self.data,
        }
    }

    /// The component of `entity`; `None` if it has none or the entity is stale.
    #[inline]
    pub fn get(&self, entity: Entity) -> Option<&T> {
        // The component list is read before any branch, so that in a caller's loop of gets
        // the compiler hoists the list's address out of the loop: read after the lookup's
        // branches, it was loaded again on every get (profiled on `pools/component_get`).
        let data = self.data.as_slice();
        let d = self.position(entity)?;
        // Unchecked: checked indexing cost a get a length load, a compare and a branch, which
        // profiling of `pools/component_get` showed as a tenth or more of its time.
        // SAFETY: `position` answers below `entities.len()`, and `data` is never shorter.
        Some(unsafe { data.get_unchecked(d) })
    }

    /// The component of `entity`, mutably; `None` if it has none or the entity is stale.
    #[inline]
    pub fn get_mut(&mut self, entity: Entity) -> Option<&mut T> {
        let d = self.position(entity)?;
        // SAFETY: as in `get`.
        Some(unsafe { self.data.get_unchecked_mut(d) })
    }

    /// Inserts `value` for `entity`, returning the value it replaced.
    ///
    /// If the slot of `entity`'s index holds an *older* generation (an entity that was
    /// despawned without its components being removed), that component is dropped: the newer
    /// generation proves its owner is gone. If it holds a *newer* generation, `entity` is
    /// stale and the pool refuses with [`PoolError::StaleEntity`], unchanged.
    #[inline(always)]
    pub fn insert(&mut self, entity: Entity, value: T) -> Result<Option<T>, PoolError> {
        // The entity list's length, which the occupant test below reads too (the component
        // list has the same).
        let dense = self.entities.len();
        let slot = self.sparse.slot_mut(entity.index());
        let d = *slot as usize;
        if let Some(&occupant) = self.entities.get(d) {
            if occupant == entity {
                return Ok(Some(std::mem::replace(&mut self.data[d], value)));
            }
            if occupant.generation() > entity.generation() {
                return Err(PoolError::StaleEntity { entity, occupant });
            }
            self.entities[d] = entity;
            self.data[d] = value;
            self.layout += 1;
            return Ok(None);
        }
        *slot = u32::try_from(dense)
            .ok()
            .filter(|&n| n != EMPTY)
            .expect("a component pool holds fewer than u32::MAX components");
        // The value first: should a push panic (capacity overflow), `data` is still not
        // shorter than `entities`.
        self.data.push(value);
        self.entities.push(entity);
        self.layout += 1;
        Ok(None)
    }

    /// Removes and returns `entity`'s component; `None` (and no change) if it has none or the
    /// entity is stale. The last component moves into the hole.
    #[inline]
    pub fn remove(&mut self, entity: Entity) -> Option<T> {
        // One page walk finds the slot, checks the owner and empties it.
        let slot = self.sparse.existing_slot_mut(entity.index())?;
        let d = *slot as usize;
        match self.entities.get(d) {
            Some(&owner) if owner == entity => *slot = EMPTY,
            _ => return None,
        }
        let last = self.entities.len() - 1;
        if d != last {
            // `moved` is in the pool, so its page exists.
            let moved = self.entities[last];
            self.sparse.set_existing(moved.index(), d as u32);
        }
        self.entities.swap_remove(d);
        self.layout += 1;
        Some(self.data.swap_remove(d))
    }

    /// Removes every component, keeping allocations.
    pub fn clear(&mut self) {
        self.layout += 1;
        self.sparse.clear();
        // Entities first: should a component's drop panic, `data` is not left shorter.
        self.entities.clear();
        self.data.clear();
    }

    /// A number that changes whenever the dense entity order changes (an entity added,
    /// removed or replaced by another; not when a component's value changes). Two pools whose
    /// versions are unchanged since they were seen holding the same entities in the same
    /// order still do: queries use it to skip re-checking alignment.
    #[inline]
    pub fn layout_version(&self) -> u64 {
        self.layout
    }

    /// Reserves room for `additional` more components in the dense arrays.
    pub fn reserve(&mut self, additional: usize) {
        self.entities.reserve(additional);
        self.data.reserve(additional);
    }

    /// The entities with a component, in dense order (parallel to [`Self::components`]).
    #[inline]
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The components, densely packed, in the order of [`Self::entities`].
    #[inline]
    pub fn components(&self) -> &[T] {
        &self.data
    }

    /// The components, mutably; entities cannot be changed through this.
    #[inline]
    pub fn components_mut(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// `(entity, &component)` in dense order.
    #[inline]
    pub fn iter(&self) -> Iter<'_, T> {
        self.entities.iter().copied().zip(self.data.iter())
    }

    /// `(entity, &mut component)` in dense order.
    #[inline]
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        self.entities.iter().copied().zip(self.data.iter_mut())
    }

    /// Dense chunks of at most `size` components with their entities: the unit of a parallel
    /// iteration (each thread takes chunks; with components of `Atomic` fields, threads
    /// update them through `&` with no lock).
    pub fn chunks(&self, size: usize) -> impl Iterator<Item = (&[Entity], &[T])> {
        self.entities.chunks(size).zip(self.data.chunks(size))
    }

    /// Heap bytes held by the pool (dense arrays at capacity, sparse pages, page table).
    pub fn heap_bytes(&self) -> usize {
        self.entities.capacity() * size_of::<Entity>()
            + self.data.capacity() * size_of::<T>()
            + self.sparse.heap_bytes()
    }
}

/// A [`ComponentPool`] split for iteration: the entity list (`'a`, shared, outliving any one
/// component borrow) beside mutable components.
pub struct ComponentSlicesMut<'a, T> {
    entities: &'a [Entity],
    sparse: &'a SparseIndex,
    data: &'a mut [T],
}

impl<'a, T> ComponentSlicesMut<'a, T> {
    /// The entities, in dense order; borrowed for `'a`, independently of the components.
    #[inline(always)]
    pub fn entities(&self) -> &'a [Entity] {
        self.entities
    }

    /// Number of components.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether there are none.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The components, in dense order.
    #[inline(always)]
    pub fn components_mut(&mut self) -> &mut [T] {
        self.data
    }

    /// Like [`ComponentPool::get_at`], mutably.
    #[inline(always)]
    pub fn get_at_mut(&mut self, hint: usize, entity: Entity) -> Option<&mut T> {
        if self.entities.get(hint) == Some(&entity) {
            // SAFETY: `hint` indexes `entities`, which `data` is never shorter than (both
            // borrowed from one pool, whose invariant that is; a `&mut [T]` cannot shrink).
            return Some(unsafe { self.data.get_unchecked_mut(hint) });
        }
        let d = self.sparse.get(entity.index()) as usize;
        match self.entities.get(d) {
            // SAFETY: as above, for `d`.
            Some(&owner) if owner == entity => Some(unsafe { self.data.get_unchecked_mut(d) }),
            _ => None,
        }
    }
}

/// Iterator over `(Entity, &T)`.
pub type Iter<'a, T> =
    std::iter::Zip<std::iter::Copied<std::slice::Iter<'a, Entity>>, std::slice::Iter<'a, T>>;
/// Iterator over `(Entity, &mut T)`.
pub type IterMut<'a, T> =
    std::iter::Zip<std::iter::Copied<std::slice::Iter<'a, Entity>>, std::slice::IterMut<'a, T>>;

impl<'a, T> IntoIterator for &'a ComponentPool<T> {
    type Item = (Entity, &'a T);
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut ComponentPool<T> {
    type Item = (Entity, &'a mut T);
    type IntoIter = IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_kernel::{EntityId, Generation};

    fn e(i: u32, g: u32) -> Entity {
        Entity::new(EntityId(i), Generation(g))
    }

    #[test]
    fn insert_replace_remove() {
        let mut p = ComponentPool::new();
        assert_eq!(p.insert(e(1, 0), "a"), Ok(None));
        assert_eq!(p.insert(e(2, 0), "b"), Ok(None));
        assert_eq!(p.insert(e(1, 0), "c"), Ok(Some("a")));
        assert_eq!(p.len(), 2);
        assert_eq!(p.remove(e(1, 0)), Some("c"));
        assert_eq!(
            p.get(e(2, 0)),
            Some(&"b"),
            "swap-remove kept the moved entity reachable"
        );
        assert_eq!(p.remove(e(1, 0)), None);
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![(e(2, 0), &"b")]);
    }

    #[test]
    fn stale_entity_reads_nothing_and_changes_nothing() {
        let mut p = ComponentPool::new();
        p.insert(e(4, 1), 10).unwrap();
        assert_eq!(p.get(e(4, 0)), None);
        assert_eq!(p.get_mut(e(4, 0)), None);
        assert_eq!(p.remove(e(4, 0)), None);
        assert_eq!(
            p.insert(e(4, 0), 99),
            Err(PoolError::StaleEntity {
                entity: e(4, 0),
                occupant: e(4, 1)
            })
        );
        assert_eq!(p.get(e(4, 1)), Some(&10));
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn newer_generation_evicts_a_forgotten_component() {
        let mut p = ComponentPool::new();
        p.insert(e(4, 0), 1).unwrap();
        assert_eq!(p.insert(e(4, 1), 2), Ok(None));
        assert_eq!(
            (p.get(e(4, 0)), p.get(e(4, 1)), p.len()),
            (None, Some(&2), 1)
        );
    }

    #[test]
    fn never_allocated_and_out_of_range_entities_find_nothing() {
        let mut p = ComponentPool::<u8>::new();
        assert_eq!(p.get(e(u32::MAX, 0)), None);
        p.insert(e(0, 0), 1).unwrap();
        assert_eq!(p.get(e(u32::MAX, u32::MAX)), None);
        assert_eq!(p.get(e(5000, 0)), None);
        assert!(!p.contains(e(1, 0)));
    }

    #[test]
    fn hinted_gets_agree_with_plain_gets_for_any_hint() {
        let mut p = ComponentPool::new();
        for i in 0..8 {
            p.insert(e(i, 0), i).unwrap();
        }
        p.remove(e(3, 0));
        for i in 0..9 {
            for hint in [0, 3, 7, 100] {
                assert_eq!(p.get_at(hint, e(i, 0)), p.get(e(i, 0)));
                assert_eq!(p.get_at(hint, e(i, 1)), None, "stale entity, any hint");
                let want = p.get(e(i, 0)).copied();
                assert_eq!(p.slices_mut().get_at_mut(hint, e(i, 0)).map(|v| *v), want);
            }
        }
        let mut s = p.slices_mut();
        let ents = s.entities();
        s.components_mut()[0] += 100;
        assert_eq!(ents.len(), 7);
    }

    #[test]
    fn clear_then_reuse() {
        let mut p = ComponentPool::new();
        for i in 0..10 {
            p.insert(e(i, 0), i).unwrap();
        }
        p.clear();
        assert!(p.is_empty());
        assert_eq!(p.get(e(3, 0)), None);
        p.insert(e(3, 0), 30).unwrap();
        assert_eq!(p.get(e(3, 0)), Some(&30));
    }

    #[test]
    fn bytes_per_component_beyond_the_value_for_a_million() {
        const N: u32 = 1_000_000;
        let mut p = ComponentPool::<[f32; 3]>::new();
        p.reserve(N as usize);
        for i in 0..N {
            p.insert(e(i, 0), [0.0; 3]).unwrap();
        }
        let overhead = (p.heap_bytes() - N as usize * size_of::<[f32; 3]>()) as f64 / f64::from(N);
        println!("component pool overhead: {overhead:.2} bytes per component (1,000,000 dense)");
        // Per component: its dense entity. Per page of 4-byte sparse slots (the last one
        // partly used): the page, and at most two page-table entries (the table grows by
        // doubling). Reserved exactly, so no spare dense capacity is counted.
        use crate::component::sparse::PAGE_SIZE;
        let pages = (N as usize).div_ceil(PAGE_SIZE);
        let expected = N as usize * size_of::<Entity>()
            + pages * PAGE_SIZE * size_of::<u32>()
            + 2 * pages * size_of::<Option<Box<[u32; PAGE_SIZE]>>>();
        let bound = expected as f64 / f64::from(N);
        assert!(
            overhead <= bound,
            "{overhead} bytes per component, bound {bound}"
        );
    }
}
