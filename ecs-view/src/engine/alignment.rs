//! Which sets of pools a query has seen lined up: every pool holding the driving pool's
//! entities contiguously, in the same order, each at its own dense offset.
//!
//! A query over pools lined up like that runs over plain slices. Checking it costs a compare
//! of the entity arrays; this cache remembers the pools' ids and layout versions (which
//! change on every structural change of a pool) for which the check passed, with the offsets
//! it found, so a system that runs every frame over unchanged pools checks nothing.
//!
//! Invariant: a pool under a given component id keeps counting its layout versions for the
//! world's life; the world clears this cache whenever it replaces a pool object.

use playground_kernel::ComponentId;
use playground_kernel::sync::Mutex;

/// Layouts remembered at most; the oldest is forgotten first.
const CAPACITY: usize = 32;

/// Required pools of one query, in parameter order: id and layout version.
pub(crate) type Layout = Vec<(ComponentId, u64)>;

/// Per required pool of a layout, in its order, the dense position where the pool holds the
/// driver's first entity.
pub(crate) type Starts = [usize; 8];

#[derive(Default)]
pub(crate) struct AlignmentCache(Mutex<Vec<(Layout, Starts)>>);

impl AlignmentCache {
    /// The offsets `layout` was verified lined up at, if no pool in it has changed since.
    pub(crate) fn starts(&self, layout: &[(ComponentId, u64)]) -> Option<Starts> {
        if layout.len() <= 1 {
            return None;
        }
        let known = self.0.lock();
        known
            .iter()
            .find(|(k, _)| k.as_slice() == layout)
            .map(|&(_, starts)| starts)
    }

    /// Remembers a verified layout and its offsets, replacing older versions of the same
    /// pool set.
    pub(crate) fn record(&self, layout: Layout, starts: Starts) {
        let mut known = self.0.lock();
        known.retain(|(k, _)| !k.iter().map(|p| p.0).eq(layout.iter().map(|p| p.0)));
        if known.len() == CAPACITY {
            known.remove(0);
        }
        known.push((layout, starts));
    }

    /// Number of layouts remembered.
    #[cfg(all(test, loom))]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().len()
    }

    /// Forgets everything (a pool object was replaced).
    pub(crate) fn clear(&mut self) {
        self.0.get_mut().clear();
    }
}
