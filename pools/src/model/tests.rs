use super::ModelPool;
use crate::{PoolError, epoch};
use playground_kernel::{Generation, ModelId};
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs epoch collection until deferred reclamations have run (or gives up after a while).
/// Other tests pin on their threads meanwhile, which holds the epoch back, so this yields to
/// them between attempts.
fn collect_until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..1_000_000 {
        epoch::pin().flush();
        std::thread::yield_now();
        if done() {
            return true;
        }
    }
    false
}

#[test]
fn insert_get_remove() {
    let pool = ModelPool::new();
    let a = pool.insert(1);
    let b = pool.insert(2);
    let g = epoch::pin();
    assert_eq!((pool.get(a, &g), pool.get(b, &g)), (Some(&1), Some(&2)));
    assert_eq!(pool.len(), 2);
    pool.remove(a).unwrap();
    assert_eq!(pool.get(a, &g), None);
    assert_eq!(pool.len(), 1);
    assert_eq!(pool.iter(&g).collect::<Vec<_>>(), vec![(b, &2)]);
}

#[test]
fn removed_slot_is_reused_with_a_new_generation() {
    let pool = ModelPool::new();
    let old = pool.insert("old");
    pool.remove(old).unwrap();
    assert!(
        collect_until(|| pool.reusable() == 1),
        "the removed slot was never reclaimed"
    );
    let new = pool.insert("new");
    assert_eq!(new.index(), old.index());
    assert_eq!(new.generation(), old.generation().next());
    let g = epoch::pin();
    assert_eq!(
        pool.get(old, &g),
        None,
        "the stale id never reads the new occupant"
    );
    assert_eq!(pool.get(new, &g), Some(&"new"));
}

#[test]
fn a_slot_is_not_reused_while_a_reader_pinned_before_its_removal_lives() {
    let pool = ModelPool::new();
    let old = pool.insert(String::from("old"));
    let g = epoch::pin();
    pool.remove(old).unwrap();
    for _ in 0..100 {
        epoch::pin().flush();
    }
    assert_eq!(pool.reusable(), 0);
    let new = pool.insert(String::from("new"));
    assert_ne!(
        new.index(),
        old.index(),
        "took a slot a pinned reader may still read"
    );
    assert_eq!(pool.get(new, &g).map(String::as_str), Some("new"));
}

#[test]
fn bad_ids_are_refused_and_change_nothing() {
    let pool = ModelPool::new();
    let live = pool.insert(7);
    let never = ModelId::new(99, Generation(0));
    assert_eq!(
        pool.remove(never),
        Err(PoolError::UnknownModelId { id: never })
    );
    let stale = ModelId::new(live.index() as u32, live.generation().next());
    assert_eq!(
        pool.remove(stale),
        Err(PoolError::StaleModelId {
            id: stale,
            current_generation: live.generation()
        })
    );
    pool.remove(live).unwrap();
    assert_eq!(
        pool.remove(live),
        Err(PoolError::StaleModelId {
            id: live,
            current_generation: live.generation().next()
        })
    );
    let again = pool.insert(8);
    let g = epoch::pin();
    assert_eq!(pool.get(again, &g), Some(&8));
    assert_eq!(pool.get(ModelId::new(u32::MAX, Generation(0)), &g), None);
    assert_eq!(pool.len(), 1);
}

#[test]
fn removed_models_are_dropped_and_their_slots_reused() {
    let token = std::sync::Arc::new(());
    let pool = ModelPool::new();
    let ids: Vec<_> = (0..8).map(|_| pool.insert(token.clone())).collect();
    for &id in &ids {
        pool.remove(id).unwrap();
    }
    assert!(
        collect_until(|| pool.reusable() == 8),
        "reusable {}",
        pool.reusable()
    );
    assert_eq!(
        std::sync::Arc::strong_count(&token),
        1,
        "reclaimed slots hold no value"
    );
    let again = pool.insert(token.clone());
    assert_eq!(pool.reusable(), 7, "insert took a reclaimed slot");
    assert!(ids.iter().any(|id| id.index() == again.index()));
}

#[test]
fn dropping_the_pool_drops_live_and_pending_models() {
    let token = std::sync::Arc::new(());
    let pool = ModelPool::new();
    let ids: Vec<_> = (0..40).map(|_| pool.insert(token.clone())).collect();
    {
        // A reader pinned across the removals keeps them pending past the pool's drop.
        let _g = epoch::pin();
        for &id in &ids[..20] {
            pool.remove(id).unwrap();
        }
        drop(pool);
        assert_eq!(
            std::sync::Arc::strong_count(&token),
            21,
            "live models dropped with the pool; removed ones wait for the reader"
        );
    }
    assert!(
        collect_until(|| std::sync::Arc::strong_count(&token) == 1),
        "pending models never dropped: {} left",
        std::sync::Arc::strong_count(&token) - 1
    );
}

#[test]
fn a_reader_keeps_a_removed_model_valid_until_its_guard_drops() {
    let pool = ModelPool::new();
    let id = pool.insert(String::from("kept"));
    let g = epoch::pin();
    let held = pool.get(id, &g).unwrap();
    pool.remove(id).unwrap();
    for _ in 0..100 {
        epoch::pin().flush();
    }
    assert_eq!(held, "kept");
    assert_eq!(pool.reusable(), 0, "not reclaimed while a guard is pinned");
}

#[test]
fn concurrent_insert_remove_get_never_returns_a_wrong_model() {
    use std::sync::atomic::AtomicU64;
    let pool = ModelPool::new();
    let next = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let fresh = || next.fetch_add(1, Ordering::Relaxed);
    let halves: Vec<Vec<ModelId>> = (0..2)
        .map(|_| (0..32).map(|_| pool.insert(fresh())).collect())
        .collect();
    std::thread::scope(|s| {
        for mine in &halves {
            s.spawn(|| {
                let mut ids = mine.clone();
                for round in 0..5_000 {
                    let i = round % ids.len();
                    pool.remove(ids[i]).unwrap();
                    ids[i] = pool.insert(fresh());
                }
            });
        }
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let g = epoch::pin();
                for (id, v) in pool.iter(&g) {
                    // Values are unique, so a reused slot read through an old id would show
                    // up here as a different value.
                    if let Some(w) = pool.get(id, &g) {
                        assert_eq!(w, v, "{id:?} read another model");
                    }
                }
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(pool.len(), 64, "every remove was matched by an insert");
}

#[test]
fn models_across_many_pages_read_back_by_id_and_in_order() {
    let pool = ModelPool::new();
    let ids: Vec<ModelId> = (0..10_000u32).map(|i| pool.insert(i)).collect();
    let g = epoch::pin();
    for (i, &id) in ids.iter().enumerate() {
        assert_eq!(pool.get(id, &g), Some(&(i as u32)), "{id:?}");
    }
    let seen: Vec<(ModelId, u32)> = pool.iter(&g).map(|(id, v)| (id, *v)).collect();
    let want: Vec<(ModelId, u32)> = ids.iter().copied().zip(0..).collect();
    assert_eq!(seen, want);
}
