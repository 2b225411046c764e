//! Which sets of pools a query has seen lined up: same entities at the same dense positions.
//!
//! A query over pools that hold the same entities in the same order runs over plain slices.
//! Checking that costs a compare of the entity arrays; this cache remembers the pools' ids and
//! layout versions (which change on every structural change of a pool) for which the check
//! passed, so a system that runs every frame over unchanged pools checks nothing.
//!
//! Invariant: a pool under a given component id keeps counting its layout versions for the
//! world's life; the world clears this cache whenever it replaces a pool object.

use playground_kernel::ComponentId;
use playground_kernel::sync::Mutex;

/// Layouts remembered at most; the oldest is forgotten first.
const CAPACITY: usize = 32;

/// Required pools of one query, in parameter order: id and layout version.
pub(crate) type Layout = Vec<(ComponentId, u64)>;

#[derive(Default)]
pub(crate) struct AlignmentCache(Mutex<Vec<Layout>>);

impl AlignmentCache {
    /// Whether `layout` was verified aligned and no pool in it has changed since.
    pub(crate) fn is_known(&self, layout: &[(ComponentId, u64)]) -> bool {
        layout.len() > 1 && self.0.lock().iter().any(|known| known == layout)
    }

    /// Remembers a verified layout, replacing older versions of the same pool set.
    pub(crate) fn record(&self, layout: Layout) {
        let mut known = self.0.lock();
        known.retain(|k| !k.iter().map(|p| p.0).eq(layout.iter().map(|p| p.0)));
        if known.len() == CAPACITY {
            known.remove(0);
        }
        known.push(layout);
    }

    /// Forgets everything (a pool object was replaced).
    pub(crate) fn clear(&mut self) {
        self.0.get_mut().clear();
    }
}
