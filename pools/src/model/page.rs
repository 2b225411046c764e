//! Slot addressing: pages whose sizes double, so the table is fixed and pages never move.

/// Slots in page 0; page `k` holds `FIRST_PAGE << k`.
pub(crate) const FIRST_PAGE: usize = 32;
/// Pages needed to address every `u32` index.
pub(crate) const PAGES: usize = 28;

/// The page and offset of slot `index`.
#[inline(always)]
pub(crate) const fn locate(index: u32) -> (usize, usize) {
    let i = index as usize + FIRST_PAGE;
    let page =
        (usize::BITS - 1 - i.leading_zeros()) as usize - FIRST_PAGE.trailing_zeros() as usize;
    (page, i - (FIRST_PAGE << page))
}

/// Number of slots in page `page`.
pub(crate) const fn page_len(page: usize) -> usize {
    FIRST_PAGE << page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_tile_the_index_space() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(31), (0, 31));
        assert_eq!(locate(32), (1, 0));
        assert_eq!(locate(95), (1, 63));
        assert_eq!(locate(96), (2, 0));
        let (page, offset) = locate(u32::MAX);
        assert!(page < PAGES && offset < page_len(page));
        let mut expected = (0, 0);
        for i in 0..10_000u32 {
            assert_eq!(locate(i), expected);
            expected.1 += 1;
            if expected.1 == page_len(expected.0) {
                expected = (expected.0 + 1, 0);
            }
        }
    }
}
