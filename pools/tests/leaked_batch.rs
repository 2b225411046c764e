//! A batch leaked with `mem::forget` leaves its pool empty and working. The leak is the
//! point of the test, so AddressSanitizer's leak check passes over this test by name
//! (`.ci/lsan.supp`); the state machine in `properties.rs` leaks batches too, except under
//! AddressSanitizer.

use playground_kernel::{Entity, EntityId, Generation};
use playground_pools::ComponentPool;

fn entity(index: u32) -> Entity {
    Entity::new(EntityId(index), Generation(0))
}

#[test]
fn a_leaked_batch_leaves_an_empty_pool_that_keeps_working() {
    let mut pool = ComponentPool::new();
    for i in 0..100 {
        assert_eq!(pool.insert(entity(i), i), Ok(None));
    }
    let layout = pool.layout_version();
    let mut batch = pool.batch();
    batch.push(1_000);
    batch.push(1_001);
    std::mem::forget(batch);

    assert!(pool.is_empty());
    assert!(pool.components().is_empty());
    assert_ne!(
        pool.layout_version(),
        layout,
        "views must not trust old positions"
    );
    // The sparse slots of the lost contents are gone with them: no get pairs with a value.
    assert_eq!(pool.get(entity(5)), None);
    assert_eq!(pool.remove(entity(5)), None);

    assert_eq!(pool.insert(entity(7), 7), Ok(None));
    let mut batch = pool.batch();
    batch.push(8);
    batch.push(9);
    assert_eq!(batch.finish(&[entity(8), entity(9)]), 0);
    let held: Vec<_> = pool.iter().map(|(e, v)| (e, *v)).collect();
    assert_eq!(held, [(entity(7), 7), (entity(8), 8), (entity(9), 9)]);
    assert_eq!(pool.remove(entity(7)), Some(7));
    assert_eq!(pool.get(entity(9)), Some(&9));
    assert_eq!(pool.get(entity(8)), Some(&8));
}
