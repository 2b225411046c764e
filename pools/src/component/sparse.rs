//! The paged sparse index: entity index -> dense position.

/// Entity indices per sparse page. 4096 `u32` = 16 KiB: large enough that dense entity ranges
/// amortise the page to 4 bytes per entity, small enough that one far-away index costs 16 KiB,
/// not a slot per smaller index.
pub const PAGE_SIZE: usize = 4096;
const PAGE_SHIFT: u32 = PAGE_SIZE.trailing_zeros();
const PAGE_MASK: usize = PAGE_SIZE - 1;

/// Marks a sparse slot with no component. Dense positions are `< u32::MAX` (the pool refuses
/// to grow past it), so this never collides with a real position.
pub(crate) const EMPTY: u32 = u32::MAX;

type Page = Box<[u32; PAGE_SIZE]>;

/// Pages whose table entries live inline in the index: indices below
/// `NEAR_PAGES * PAGE_SIZE` reach their page in one load from the index itself, not through
/// a separately allocated table (one dependent load fewer on every lookup).
const NEAR_PAGES: usize = 16;

/// Maps entity indices to dense positions, one page per 4096 indices, pages allocated when an
/// index in their range is first inserted.
#[derive(Debug, Default, Clone)]
pub(crate) struct SparseIndex {
    /// Pages `0..NEAR_PAGES`.
    near: [Option<Page>; NEAR_PAGES],
    /// Pages from `NEAR_PAGES` on, grown to the highest one used.
    far: Vec<Option<Page>>,
}

impl SparseIndex {
    /// An index with no pages.
    pub(crate) const fn new() -> Self {
        Self {
            near: [const { None }; NEAR_PAGES],
            far: Vec::new(),
        }
    }

    /// Page `page`, if allocated.
    #[inline(always)]
    fn page(&self, page: usize) -> Option<&Page> {
        match self.near.get(page) {
            Some(near) => near.as_ref(),
            None => self.far.get(page - NEAR_PAGES)?.as_ref(),
        }
    }

    /// Page `page`, mutably, if allocated.
    #[inline(always)]
    fn page_mut(&mut self, page: usize) -> Option<&mut Page> {
        match self.near.get_mut(page) {
            Some(near) => near.as_mut(),
            None => self.far.get_mut(page - NEAR_PAGES)?.as_mut(),
        }
    }

    /// Page `page`, allocated (with the table up to it) if it was not.
    fn page_or_new(&mut self, page: usize) -> &mut Page {
        let entry = match page.checked_sub(NEAR_PAGES) {
            None => &mut self.near[page],
            Some(far) => {
                if far >= self.far.len() {
                    self.far.resize_with(far + 1, || None);
                }
                &mut self.far[far]
            }
        };
        entry.get_or_insert_with(|| Box::new([EMPTY; PAGE_SIZE]))
    }

    /// Every allocated page.
    fn pages_mut(&mut self) -> impl Iterator<Item = &mut Page> {
        self.near.iter_mut().chain(self.far.iter_mut()).flatten()
    }

    /// The dense position of `index`, or `EMPTY`.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> u32 {
        match self.page(index >> PAGE_SHIFT) {
            Some(page) => page[index & PAGE_MASK],
            None => EMPTY,
        }
    }

    /// The slot of `index`, allocating its page if needed: one page walk for a read and a
    /// write.
    #[inline(always)]
    pub(crate) fn slot_mut(&mut self, index: usize) -> &mut u32 {
        if self.page(index >> PAGE_SHIFT).is_none() {
            return self.slot_in_new_page(index);
        }
        match self.page_mut(index >> PAGE_SHIFT) {
            Some(page) => &mut page[index & PAGE_MASK],
            None => unreachable!("checked above"),
        }
    }

    /// [`Self::slot_mut`] when `index`'s page is not allocated yet: allocates it out of line,
    /// so the common case is one bounds and one null check.
    #[cold]
    #[inline(never)]
    fn slot_in_new_page(&mut self, index: usize) -> &mut u32 {
        &mut self.page_or_new(index >> PAGE_SHIFT)[index & PAGE_MASK]
    }

    /// Maps `entities[i]` to dense position `first + i` for each `i`, page by page (one page
    /// walk per run of entities sharing a page, not one per entity). Stops at the first entity
    /// whose slot already holds a position below `first + i` (an occupant of that index: one
    /// present before, or an earlier entity of this slice) and returns its position in the
    /// slice, with the slots before it written and its own untouched.
    ///
    /// The caller guarantees `first + entities.len()` fits below `EMPTY`.
    pub(crate) fn assign(
        &mut self,
        entities: &[playground_kernel::Entity],
        first: usize,
    ) -> Result<(), usize> {
        let mut i = 0;
        while let Some(entity) = entities.get(i) {
            let page_no = entity.index() >> PAGE_SHIFT;
            // The array, not the `Box`: through the `Box` the page address was reloaded for
            // every slot (a store to a slot might, for all the compiler knew, move it).
            let page: &mut [u32; PAGE_SIZE] = self.page_or_new(page_no);
            for entity in &entities[i..] {
                if entity.index() >> PAGE_SHIFT != page_no {
                    break;
                }
                let slot = &mut page[entity.index() & PAGE_MASK];
                if (*slot as usize) < first + i {
                    return Err(i);
                }
                // In range: the caller checked `first + len` fits below `EMPTY`.
                *slot = (first + i) as u32;
                i += 1;
            }
        }
        Ok(())
    }

    /// The slot of `index` if its page exists (no allocation path).
    #[inline(always)]
    pub(crate) fn existing_slot_mut(&mut self, index: usize) -> Option<&mut u32> {
        Some(&mut self.page_mut(index >> PAGE_SHIFT)?[index & PAGE_MASK])
    }

    /// Sets the slot of `index` if its page exists (the caller knows it does: the index is
    /// in the pool); no allocation path, so it inlines into `remove`.
    #[inline(always)]
    pub(crate) fn set_existing(&mut self, index: usize, dense: u32) {
        if let Some(page) = self.page_mut(index >> PAGE_SHIFT) {
            page[index & PAGE_MASK] = dense;
        }
    }

    /// Forgets every mapping, keeping allocated pages.
    pub(crate) fn clear(&mut self) {
        for page in self.pages_mut() {
            page.fill(EMPTY);
        }
    }

    /// Heap bytes held: the far page table plus every allocated page (the inline table is
    /// part of the pool itself).
    pub(crate) fn heap_bytes(&self) -> usize {
        let pages = self.near.iter().chain(&self.far).flatten().count();
        self.far.capacity() * size_of::<Option<Page>>() + pages * size_of::<[u32; PAGE_SIZE]>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_index_allocates_one_page() {
        let mut s = SparseIndex::default();
        *s.slot_mut(1_000_000) = 7;
        s.set_existing(1_000_000, 8);
        s.set_existing(5, 9);
        assert_eq!(s.get(1_000_000), 8);
        assert_eq!(s.get(999_999), EMPTY);
        assert_eq!(s.get(5), EMPTY);
        assert_eq!(s.near.iter().chain(&s.far).flatten().count(), 1);
        // One page of slots plus the far table reaching index 1,000,000 (229 entries past
        // the inline ones, all but one empty).
        let page = size_of::<[u32; PAGE_SIZE]>();
        let table = s.far.capacity() * size_of::<Option<Page>>();
        assert_eq!(s.heap_bytes(), page + table);
        assert!(
            table < page,
            "the table of empty pages costs less than one page"
        );
    }

    #[test]
    fn the_last_inline_page_and_the_first_far_one_are_distinct() {
        let last_near = NEAR_PAGES * PAGE_SIZE - 1;
        let first_far = NEAR_PAGES * PAGE_SIZE;
        let mut s = SparseIndex::new();
        *s.slot_mut(last_near) = 1;
        assert_eq!(s.get(first_far), EMPTY);
        assert!(s.far.is_empty(), "an inline page needs no far table");
        *s.slot_mut(first_far) = 2;
        assert_eq!((s.get(last_near), s.get(first_far)), (1, 2));
        assert_eq!(s.far.len(), 1);
        s.clear();
        assert_eq!((s.get(last_near), s.get(first_far)), (EMPTY, EMPTY));
    }
}
