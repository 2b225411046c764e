//! Loom models of the model pool. crossbeam-epoch runs on loom too (`--cfg crossbeam_loom`,
//! set by `.ci/loom.sh`), so reclamation is part of what is checked.

use super::ModelPool;
use crate::epoch;
use playground_kernel::sync::{Arc, model, thread};

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

#[test]
fn recycled_slot_read_with_a_stale_id_finds_nothing() {
    model(|| {
        let pool = Arc::new(ModelPool::new());
        let old = pool.insert(1u32);
        pool.remove(old).unwrap();
        let p = pool.clone();
        let writer = thread::spawn(move || p.insert(2u32));
        {
            let g = epoch::pin();
            assert_eq!(
                pool.get(old, &g),
                None,
                "stale id never sees the new occupant"
            );
        }
        let new = writer.join().unwrap();
        assert_eq!(new.index(), old.index());
        assert_eq!(pool.with(new, |v| *v), Some(2));
        assert_eq!(pool.with(old, |v| *v), None);
    });
}
