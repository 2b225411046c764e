//! Loom models of the by-id query cache (a run through `&World` racing a write to a pool the
//! query names) and of a schedule's graph run (two threads sharing its systems).

use crate::graph_run::GraphRun;
use crate::queries;
use playground_ecs_view::{EcsError, Held, QueryFilter, World, component};
use playground_kernel::sync::Ordering;
use playground_kernel::sync::atomic::AtomicUsize;
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

/// Two threads work one graph (`0` and `1` independent, `2` after both): each system runs
/// once, `2` only after both others finished, whichever thread finishes last takes `2`.
#[test]
fn two_threads_run_each_system_once_and_after_its_predecessors() {
    model(|| {
        let run = Arc::new(GraphRun::new(&[vec![], vec![], vec![0, 1]]));
        let runs = Arc::new([
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        ]);
        let work = {
            let (run, runs) = (run.clone(), runs.clone());
            move || {
                run.work(|i| {
                    if i == 2 {
                        assert_eq!(runs[0].load(Ordering::Relaxed), 1, "2 after 0");
                        assert_eq!(runs[1].load(Ordering::Relaxed), 1, "2 after 1");
                    }
                    runs[i].fetch_add(1, Ordering::Relaxed);
                    Ok(())
                })
            }
        };
        let other = thread::spawn(work.clone());
        work();
        drop(work);
        other.join().unwrap();
        for r in runs.iter() {
            assert_eq!(r.load(Ordering::Relaxed), 1);
        }
        let run = Arc::try_unwrap(run).ok().expect("both threads have left");
        assert_eq!(run.finish(), Ok(()));
    });
}
