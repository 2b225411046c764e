//! Slot addressing: pages whose sizes double, so the table is fixed and pages never move.
//!
//! A slot's index carries its page in the high bits and its offset in the low ones, so a
//! reader finds the slot with a shift and a mask. Working the page out of a dense slot number
//! instead takes a bit scan (`bsr` on x86-64 without `lzcnt`), which writes its destination
//! only when the input is non-zero and so waits for whatever last wrote that register: in
//! `pools/model_get` that chained each get to the one before (see `docs/results.md`).

/// Slots in page 0; page `k` holds `FIRST_PAGE << k`.
pub(crate) const FIRST_PAGE: usize = 32;
/// Low bits of an index that hold the offset within its page; the largest page fills them.
const OFFSET_BITS: u32 = 27;
/// Pages a pool can hold: page sizes double up to `1 << OFFSET_BITS` slots.
pub(crate) const PAGES: usize = OFFSET_BITS as usize - FIRST_PAGE.trailing_zeros() as usize + 1;
/// Entries in the page table: every value of an index's high bits, so looking a page up
/// needs no bounds check; the entries past `PAGES` stay empty.
pub(crate) const TABLE: usize = 1 << (u32::BITS - OFFSET_BITS);
/// Slots a pool can hold over all its pages.
pub(crate) const CAPACITY: usize = page_start(PAGES);

/// The page and offset of slot `index`; the offset may lie past the page's end for an index
/// no pool issued.
#[inline(always)]
pub(crate) const fn locate(index: u32) -> (usize, usize) {
    (
        (index >> OFFSET_BITS) as usize,
        (index & ((1 << OFFSET_BITS) - 1)) as usize,
    )
}

/// The index of the `n`th slot handed out (counting from 0), if the pool has room for it.
pub(crate) const fn nth_index(n: usize) -> Option<u32> {
    if n >= CAPACITY {
        return None;
    }
    let i = n + FIRST_PAGE;
    let page = i.ilog2() as usize - FIRST_PAGE.trailing_zeros() as usize;
    // In range: `page < PAGES` and the offset is below `1 << OFFSET_BITS`.
    Some(((page as u32) << OFFSET_BITS) | (i - page_len(page)) as u32)
}

/// How many slots are handed out before slot `index`: the inverse of [`nth_index`].
pub(crate) const fn ordinal(index: u32) -> usize {
    let (page, offset) = locate(index);
    page_start(page) + offset
}

/// Number of slots in page `page`.
pub(crate) const fn page_len(page: usize) -> usize {
    FIRST_PAGE << page
}

/// How many slots the pages before `page` hold.
pub(crate) const fn page_start(page: usize) -> usize {
    page_len(page) - FIRST_PAGE
}

/// The index of the slot at `offset` in page `page`.
pub(crate) const fn index_at(page: usize, offset: usize) -> u32 {
    // In range: callers pass a page below `TABLE` and an offset within it.
    ((page as u32) << OFFSET_BITS) | offset as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_tile_the_slots_in_order() {
        assert_eq!(PAGES, 23);
        assert_eq!(TABLE, 32);
        assert_eq!(page_len(PAGES - 1), 1 << OFFSET_BITS);
        assert_eq!(nth_index(0), Some(0));
        assert_eq!(nth_index(31), Some(31));
        assert_eq!(nth_index(32), Some(1 << OFFSET_BITS));
        assert_eq!(nth_index(96), Some(2 << OFFSET_BITS));
        assert_eq!(
            nth_index(CAPACITY - 1),
            Some(index_at(PAGES - 1, page_len(PAGES - 1) - 1))
        );
        assert_eq!(nth_index(CAPACITY), None);
        let mut expected = (0, 0);
        for n in 0..10_000 {
            let index = nth_index(n).unwrap();
            assert_eq!(locate(index), expected);
            assert_eq!(index_at(expected.0, expected.1), index);
            assert_eq!(ordinal(index), n);
            expected.1 += 1;
            if expected.1 == page_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
    }
}
