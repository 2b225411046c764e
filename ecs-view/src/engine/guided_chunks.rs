//! [`GuidedChunks`]: what is left of a parallel run, handed to the threads that share it.
//!
//! Guided self-scheduling: each thread, when free, cuts the front `1/shares` of what is left.
//! Early chunks are long, so the lock is taken a number of times that grows only with the
//! logarithm of the length; the last chunks are single items, so no thread idles long while
//! another finishes its final chunk; a thread slowed by other work simply takes fewer chunks.
//! Fixed-size chunks must pick one size for every workload, too short for cheap items (lock
//! traffic) or too long for costly ones (a long wait on the last chunk).

use playground_kernel::sync::Mutex;

/// The rest of a run of `len` items held as `S` (a query's slices), cut front first.
pub(crate) struct GuidedChunks<S> {
    rest: Mutex<Option<(S, usize)>>,
    shares: usize,
}

impl<S> GuidedChunks<S> {
    /// `items` of length `len`, cut into chunks of `1/shares` of what is left (at least one
    /// item each).
    pub(crate) fn new(items: S, len: usize, shares: usize) -> Self {
        Self {
            rest: Mutex::new((len > 0).then_some((items, len))),
            shares: shares.max(1),
        }
    }

    /// The next chunk and its length, cut from the front by `split(items, at)` (which returns
    /// the first `at` items and the rest), or `None` once everything has been handed out.
    pub(crate) fn next(&self, split: impl FnOnce(S, usize) -> (S, S)) -> Option<(S, usize)> {
        let mut rest = self.rest.lock();
        let (items, left) = rest.take()?;
        let take = (left / self.shares).max(1);
        if take == left {
            return Some((items, left));
        }
        let (head, tail) = split(items, take);
        *rest = Some((tail, left - take));
        Some((head, take))
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::ops::Range;

    fn split(items: Range<usize>, at: usize) -> (Range<usize>, Range<usize>) {
        (items.start..items.start + at, items.start + at..items.end)
    }

    proptest! {
        /// Against the reference (the whole run, in order): chunks tile it front to back,
        /// never grow, and (shared by two or more) end in a single item.
        #[test]
        fn chunks_tile_the_run_in_order_and_shrink(len in 0usize..5_000, shares in 0usize..9) {
            let chunks = GuidedChunks::new(0..len, len, shares);
            let mut handed = Vec::new();
            while let Some((items, n)) = chunks.next(split) {
                prop_assert_eq!(items.len(), n);
                handed.push(items);
            }
            prop_assert_eq!(handed.iter().flat_map(Range::clone).collect::<Vec<_>>(), (0..len).collect::<Vec<_>>());
            prop_assert!(handed.windows(2).all(|w| w[0].len() >= w[1].len()), "{:?}", handed);
            let shares = shares.max(1);
            if shares >= 2 && len > 0 {
                prop_assert_eq!(handed.last().map(Range::len), Some(1));
            }
            // Logarithmic in the length: each chunk leaves at most (1 - 1/shares) of the rest,
            // and the last `shares` items go one by one.
            let bound = (shares as f64) * ((len.max(1) as f64).ln() + 1.0) + shares as f64;
            prop_assert!((handed.len() as f64) <= bound, "{} chunks for {len}", handed.len());
        }
    }
}
