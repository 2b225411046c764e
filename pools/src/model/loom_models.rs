//! Loom models of the model pool. crossbeam-epoch runs on loom too (`--cfg crossbeam_loom`,
//! set by `.ci/loom.sh`), so reclamation is part of what is checked.

use super::ModelPool;
use crate::epoch;
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Arc, Ordering, model, thread};

#[test]
fn insert_then_get_from_another_thread_sees_the_whole_model() {
    model(|| {
        let pool = Arc::new(ModelPool::new());
        let (tx, rx) = (pool.clone(), pool.clone());
        let writer = thread::spawn(move || tx.insert((7u64, 7u64)));
        let id = writer.join().unwrap();
        let g = epoch::pin();
        assert_eq!(rx.get(id, &g), Some(&(7, 7)));
    });
}

#[test]
fn racing_get_sees_the_model_or_nothing() {
    model(|| {
        let pool = Arc::new(ModelPool::new());
        let first = pool.insert(1u32);
        let p = pool.clone();
        let writer = thread::spawn(move || p.insert(2u32));
        // Index 1 is the one the writer fills; before it does, the read finds nothing.
        let g = epoch::pin();
        let probe = playground_kernel::ModelId::new(1, playground_kernel::Generation(0));
        let seen = pool.get(probe, &g).copied();
        assert!(seen.is_none() || seen == Some(2));
        drop(g);
        let id = writer.join().unwrap();
        assert_eq!(id, probe);
        assert_eq!(pool.with(first, |v| *v), Some(1));
    });
}

#[test]
fn remove_while_get_never_returns_a_removed_model_after_removal() {
    model(|| {
        let pool = Arc::new(ModelPool::new());
        let id = pool.insert(String::from("a"));
        let p = pool.clone();
        let remover = thread::spawn(move || p.remove(id).unwrap());
        {
            let g = epoch::pin();
            // Old or nothing; if old, it stays valid (no use after free) while `g` lives.
            if let Some(v) = pool.get(id, &g) {
                assert_eq!(v, "a");
            }
        }
        remover.join().unwrap();
        assert_eq!(
            pool.with(id, |v| v.clone()),
            None,
            "removed id is never live again"
        );
    });
}

/// A model whose drop is recorded outside it, so a reader can tell whether the model it
/// holds was dropped without reading dropped memory.
struct Tracked {
    value: u32,
    dropped: Arc<AtomicBool>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

fn tracked(value: u32) -> (Tracked, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    let model = Tracked {
        value,
        dropped: dropped.clone(),
    };
    (model, dropped)
}

#[test]
fn a_removed_model_outlives_every_reader_pinned_before_its_removal() {
    model(|| {
        let pool = Arc::new(ModelPool::new());
        let (first, dropped) = tracked(1);
        let old = pool.insert(first);
        let p = pool.clone();
        // Removes, gives reclamation its chances to run, and inserts again, which reuses the
        // slot whenever reclamation ran: every write to the slot a reader might overlap.
        let writer = thread::spawn(move || {
            p.remove(old).unwrap();
            epoch::pin().flush();
            epoch::pin().flush();
            p.insert(tracked(2).0)
        });
        {
            let g = epoch::pin();
            if let Some(held) = pool.get(old, &g) {
                assert_eq!(held.value, 1);
                assert!(
                    !dropped.load(Ordering::SeqCst),
                    "dropped under a pinned reader"
                );
            }
        }
        let new = writer.join().unwrap();
        let g = epoch::pin();
        assert!(pool.get(old, &g).is_none(), "the stale id finds nothing");
        assert_eq!(pool.get(new, &g).map(|m| m.value), Some(2));
    });
}
