//! [`Retired`]: snapshots a writer replaced, kept until no reader holds them, then freed by a
//! writer.
//!
//! A reader that moves to a newer snapshot lets go of its reference to the old one. If that
//! reference were the last, the reader would free the snapshot there and then: every entry's
//! reference count, every name, the tables themselves, and any implementation (and the library
//! behind it) that only the old snapshot still held. With thousands of Views that is far more
//! than the lookup that triggered it, on a thread that came to look something up. So the
//! writer keeps a reference to every snapshot it replaces, and frees those it finds it alone
//! holds: at each write, and when a host asks ([`crate::BindingRegistry::reclaim`]).
//!
//! Nothing can take a new reference to a retired snapshot (it is no longer published, and
//! arc-swap turns the readers' borrowed loads of it into counted references before `swap`
//! returns), so a count of one, read under the writer lock, stays one. The snapshots found
//! that way are handed back rather than dropped here, so the registry drops them after it
//! releases the writer lock: dropping one may drop an implementation whose destructor (or
//! its library's) calls back into the registry, which under the lock would deadlock.

use playground_kernel::sync::StdArc as Arc;

/// Replaced snapshots, each still held by at least one reader when it was last checked.
pub(crate) struct Retired<T> {
    held: Vec<Arc<T>>,
}

impl<T> Default for Retired<T> {
    fn default() -> Self {
        Self { held: Vec::new() }
    }
}

impl<T> Retired<T> {
    /// Keeps `replaced` until no reader holds it; hands back every retired snapshot already
    /// let go (`replaced` too, if nobody held it), for the caller to drop.
    #[must_use = "the snapshots handed back are freed when dropped"]
    pub(crate) fn retire(&mut self, replaced: Arc<T>) -> Unheld<T> {
        self.held.push(replaced);
        self.reclaim()
    }

    /// Hands back every retired snapshot no reader holds any more, for the caller to drop
    /// (the only reference left); keeps the rest.
    #[must_use = "the snapshots handed back are freed when dropped"]
    pub(crate) fn reclaim(&mut self) -> Unheld<T> {
        Unheld {
            _snapshots: self
                .held
                .extract_if(.., |snapshot| Arc::strong_count(snapshot) == 1)
                .collect(),
        }
    }

    /// How many retired snapshots readers still held when last checked.
    pub(crate) fn held(&self) -> usize {
        self.held.len()
    }
}

/// Retired snapshots no reader holds: the last references, freed when this is dropped.
pub(crate) struct Unheld<T> {
    _snapshots: Vec<Arc<T>>,
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Retired;
    use playground_kernel::sync::StdArc as Arc;
    use proptest::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A snapshot stand-in that counts its drops.
    struct Snapshot(Arc<AtomicUsize>);
    impl Drop for Snapshot {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// A writer replaces a snapshot that `readers` readers still hold.
        Retire {
            readers: usize,
        },
        /// One reader of the `n`th retired snapshot (mod the count) lets go of it.
        Release(usize),
        Reclaim,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..3).prop_map(|readers| Op::Retire { readers }),
            any::<usize>().prop_map(Op::Release),
            Just(Op::Reclaim),
        ]
    }

    proptest! {
        /// Against the reference (how many readers still hold each snapshot): a snapshot is
        /// freed exactly when a retire or reclaim finds no reader on it, and only when what
        /// it handed back is dropped; never by a reader letting go; `held` counts the rest.
        #[test]
        fn frees_exactly_the_snapshots_no_reader_holds(ops in prop::collection::vec(op(), 0..60)) {
            let drops = Arc::new(AtomicUsize::new(0));
            let mut retired = Retired::default();
            // Per snapshot: the readers' references, and how many readers the model says
            // still hold it.
            let mut readers: Vec<Vec<Arc<Snapshot>>> = Vec::new();
            let mut freed = 0;
            let reclaim_model = |readers: &[Vec<Arc<Snapshot>>], freed: &mut usize| {
                // Snapshots with no reader are freed, once each: the model's count of freed
                // snapshots is every empty entry.
                *freed = readers.iter().filter(|r| r.is_empty()).count();
                readers.iter().filter(|r| !r.is_empty()).count()
            };
            for op in ops {
                match op {
                    Op::Retire { readers: n } => {
                        let snapshot = Arc::new(Snapshot(drops.clone()));
                        readers.push((0..n).map(|_| snapshot.clone()).collect());
                        let unheld = retired.retire(snapshot);
                        prop_assert_eq!(drops.load(Ordering::SeqCst), freed, "freed before the hand-back was dropped");
                        drop(unheld);
                        prop_assert_eq!(retired.held(), reclaim_model(&readers, &mut freed));
                    }
                    Op::Release(n) => {
                        let before = drops.load(Ordering::SeqCst);
                        let holding: Vec<usize> =
                            (0..readers.len()).filter(|&i| !readers[i].is_empty()).collect();
                        if !holding.is_empty() {
                            readers[holding[n % holding.len()]].pop();
                        }
                        prop_assert_eq!(drops.load(Ordering::SeqCst), before, "a reader freed a snapshot");
                    }
                    Op::Reclaim => {
                        let unheld = retired.reclaim();
                        prop_assert_eq!(drops.load(Ordering::SeqCst), freed, "freed before the hand-back was dropped");
                        drop(unheld);
                        prop_assert_eq!(retired.held(), reclaim_model(&readers, &mut freed));
                    }
                }
                prop_assert_eq!(drops.load(Ordering::SeqCst), freed);
            }
        }
    }
}
