//! Loom model of the by-id query cache: a run through `&World` racing a write to a pool the
//! query names.

use crate::queries;
use playground_ecs_view::{EcsError, Held, QueryFilter, World, component};
use playground_kernel::sync::{Arc, model, thread};

/// A marker component: the query asks only who has one.
struct Pos;
component!(Pos = "loom.queries.Pos");

#[test]
fn a_cached_answer_racing_a_pool_write_is_old_or_new_and_never_stale_after_it() {
    model(|| {
        let mut world = World::new();
        world.spawn_batch([(Pos,), (Pos,)]);
        let late = world.spawn(());
        let id = queries::register(&mut world, QueryFilter::new().with::<Pos>()).unwrap();
        let world = Arc::new(world);
        assert_eq!(
            queries::run(&world, id).unwrap().len(),
            2,
            "fills the cache"
        );
        let writer = {
            let world = world.clone();
            thread::spawn(move || {
                let mut pool = world.pool_mut::<Pos>()?.expect("registered");
                pool.insert(late, Pos).expect("alive");
                Ok::<(), EcsError>(())
            })
        };
        match queries::run(&world, id) {
            Ok(found) => assert!(found.len() == 2 || found.len() == 3, "{found:?}"),
            Err(EcsError::BorrowConflict { held, .. }) => assert_eq!(held, Held::Mutably),
            Err(other) => panic!("{other}"),
        }
        let wrote = match writer.join().unwrap() {
            Ok(()) => true,
            Err(EcsError::BorrowConflict { held, .. }) => {
                assert_eq!(held, Held::Elsewhere);
                false
            }
            Err(other) => panic!("{other}"),
        };
        // Whatever the cache kept during the race, the next run answers for the pool as it is.
        let found = queries::run(&world, id).unwrap();
        assert_eq!(found.len(), if wrote { 3 } else { 2 });
        assert_eq!(found.contains(&late), wrote);
    });
}
