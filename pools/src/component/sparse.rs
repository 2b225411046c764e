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

/// Maps entity indices to dense positions, one page per 4096 indices, pages allocated when an
/// index in their range is first inserted.
#[derive(Debug, Default, Clone)]
pub(crate) struct SparseIndex {
    pages: Vec<Option<Page>>,
}

impl SparseIndex {
    /// An index with no pages.
    pub(crate) const fn new() -> Self {
        Self { pages: Vec::new() }
    }

    /// The dense position of `index`, or `EMPTY`.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> u32 {
        match self.pages.get(index >> PAGE_SHIFT) {
            Some(Some(page)) => page[index & PAGE_MASK],
            _ => EMPTY,
        }
    }

    /// The slot of `index`, allocating its page if needed: one page walk for a read and a
    /// write.
    #[inline(always)]
    pub(crate) fn slot_mut(&mut self, index: usize) -> &mut u32 {
        let page = index >> PAGE_SHIFT;
        if !matches!(self.pages.get(page), Some(Some(_))) {
            return self.slot_in_new_page(index);
        }
        match &mut self.pages[page] {
            Some(page) => &mut page[index & PAGE_MASK],
            None => unreachable!("checked above"),
        }
    }

    /// [`Self::slot_mut`] when `index`'s page is not allocated yet: allocates it (and the
    /// table up to it) out of line, so the common case is one bounds and one null check.
    #[cold]
    #[inline(never)]
    fn slot_in_new_page(&mut self, index: usize) -> &mut u32 {
        let page = index >> PAGE_SHIFT;
        if page >= self.pages.len() {
            self.pages.resize_with(page + 1, || None);
        }
        let page = self.pages[page].get_or_insert_with(|| Box::new([EMPTY; PAGE_SIZE]));
        &mut page[index & PAGE_MASK]
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
            if page_no >= self.pages.len() {
                self.pages.resize_with(page_no + 1, || None);
            }
            let page = self.pages[page_no].get_or_insert_with(|| Box::new([EMPTY; PAGE_SIZE]));
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
        match self.pages.get_mut(index >> PAGE_SHIFT) {
            Some(Some(page)) => Some(&mut page[index & PAGE_MASK]),
            _ => None,
        }
    }

    /// Sets the slot of `index` if its page exists (the caller knows it does: the index is
    /// in the pool); no allocation path, so it inlines into `remove`.
    #[inline(always)]
    pub(crate) fn set_existing(&mut self, index: usize, dense: u32) {
        if let Some(Some(page)) = self.pages.get_mut(index >> PAGE_SHIFT) {
            page[index & PAGE_MASK] = dense;
        }
    }

    /// Forgets every mapping, keeping allocated pages.
    pub(crate) fn clear(&mut self) {
        for page in self.pages.iter_mut().flatten() {
            page.fill(EMPTY);
        }
    }

    /// Heap bytes held: the page table plus every allocated page.
    pub(crate) fn heap_bytes(&self) -> usize {
        let pages = self.pages.iter().flatten().count();
        self.pages.capacity() * size_of::<Option<Page>>() + pages * size_of::<[u32; PAGE_SIZE]>()
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
        assert_eq!(s.pages.iter().flatten().count(), 1);
        // One page of slots plus the page table reaching index 1,000,000 (245 empty entries).
        let page = size_of::<[u32; PAGE_SIZE]>();
        let table = s.pages.capacity() * size_of::<Option<Page>>();
        assert_eq!(s.heap_bytes(), page + table);
        assert!(
            table < page,
            "the table of empty pages costs less than one page"
        );
    }
}
