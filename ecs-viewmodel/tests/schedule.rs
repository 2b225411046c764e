//! The schedule: dependencies honoured, conflicting systems never overlap, cycles named.

use playground_ecs_view::{EcsError, Schedule, SystemDesc, SystemView, World, component};
use playground_ecs_viewmodel::EcsViewModel;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct A(u32);
struct B(u32);
struct C;
component!(A = "sched.A", B = "sched.B", C = "sched.C");

/// Records each system's run interval, to check order and overlap afterwards.
#[derive(Default)]
struct Checker(Mutex<HashMap<String, (Instant, Instant)>>);

/// A meeting point for systems that must run at the same time: each arrives, then waits for
/// the other. Run one after the other, the first would wait for ever; the deadline only turns
/// that into a failure instead of a hang.
#[derive(Default)]
struct Rendezvous {
    arrived: AtomicUsize,
    met: AtomicUsize,
}

impl Rendezvous {
    fn meet(&self) {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.arrived.load(Ordering::SeqCst) < 2 {
            if Instant::now() > deadline {
                return;
            }
            std::thread::yield_now();
        }
        self.met.fetch_add(1, Ordering::SeqCst);
    }
}

impl Checker {
    fn body(
        checker: &'static Checker,
        name: &'static str,
    ) -> impl Fn(&World) -> Result<(), EcsError> + Send + Sync {
        Self::meeting(checker, name, None)
    }

    fn meeting(
        checker: &'static Checker,
        name: &'static str,
        rendezvous: Option<&'static Rendezvous>,
    ) -> impl Fn(&World) -> Result<(), EcsError> + Send + Sync {
        move |_| {
            let start = Instant::now();
            if let Some(r) = rendezvous {
                r.meet();
            }
            checker
                .0
                .lock()
                .unwrap()
                .insert(name.into(), (start, Instant::now()));
            Ok(())
        }
    }
    fn before(&self, a: &str, b: &str) -> bool {
        let m = self.0.lock().unwrap();
        m[a].1 <= m[b].0
    }
    fn overlap(&self, a: &str, b: &str) -> bool {
        // Only ever asserted false: two intervals recorded in sequence cannot overlap.
        let m = self.0.lock().unwrap();
        m[a].0 < m[b].1 && m[b].0 < m[a].1
    }
}

#[test]
fn dependencies_and_conflicts_order_systems_and_disjoint_ones_run_in_parallel() {
    let checker: &'static Checker = Box::leak(Box::default());
    let parallel: &'static Rendezvous = Box::leak(Box::default());
    let mut s = Schedule::new();
    s.add(
        SystemDesc::new("write_a").writes::<A>(),
        Checker::meeting(checker, "write_a", Some(parallel)),
    );
    s.add(
        SystemDesc::new("write_b").writes::<B>(),
        Checker::meeting(checker, "write_b", Some(parallel)),
    );
    s.add(
        SystemDesc::new("read_a").reads::<A>(),
        Checker::body(checker, "read_a"),
    );
    s.add(
        SystemDesc::new("write_c").writes::<C>().after("read_a"),
        Checker::body(checker, "write_c"),
    );
    s.add(
        SystemDesc::new("write_a_again").writes::<A>(),
        Checker::body(checker, "write_a_again"),
    );
    let vm = EcsViewModel;
    let stages = vm.stages(&s).unwrap();
    assert_eq!(stages, vec![vec![0, 1], vec![2], vec![3, 4]]);
    vm.run(&s, &World::new()).unwrap();
    assert!(
        checker.before("write_a", "read_a"),
        "reader after the earlier writer"
    );
    assert!(checker.before("read_a", "write_c"), "explicit dependency");
    assert!(
        checker.before("read_a", "write_a_again"),
        "later writer after the reader"
    );
    assert!(
        !checker.overlap("write_a", "write_a_again"),
        "two writers of A never overlap"
    );
    assert_eq!(
        parallel.met.load(Ordering::SeqCst),
        2,
        "disjoint writers ran at the same time: each met the other"
    );
}

#[test]
fn a_cycle_is_refused_naming_its_path() {
    let mut s = Schedule::new();
    let noop = |_: &World| Ok(());
    s.add(SystemDesc::new("a").after("c"), noop);
    s.add(SystemDesc::new("b").after("a"), noop);
    s.add(SystemDesc::new("c").after("b"), noop);
    s.add(SystemDesc::new("free"), noop);
    let err = EcsViewModel.stages(&s).unwrap_err();
    assert_eq!(
        err,
        EcsError::Cycle {
            path: "a -> b -> c -> a".into()
        }
    );
}

#[test]
fn an_unknown_dependency_is_named() {
    let mut s = Schedule::new();
    s.add(SystemDesc::new("a").after("ghost"), |_| Ok(()));
    let err = EcsViewModel.run(&s, &World::new()).unwrap_err();
    assert_eq!(
        err,
        EcsError::UnknownSystem {
            system: "a".into(),
            missing: "ghost".into()
        }
    );
}

#[test]
fn systems_mutate_the_world_through_queries() {
    let mut world = World::new();
    world.spawn_batch((0..100).map(|i| (A(i), B(0))));
    let mut s = Schedule::new();
    s.add(
        SystemDesc::new("copy").reads::<A>().writes::<B>(),
        |w: &World| w.query::<(&A, &mut B)>().for_each(|(a, b)| b.0 = a.0 * 2),
    );
    s.add(SystemDesc::new("bump").writes::<A>(), |w: &World| {
        w.query::<(&mut A,)>().for_each(|(a,)| a.0 += 1)
    });
    EcsViewModel.run(&s, &world).unwrap();
    let mut sum = 0;
    world
        .query::<(&A, &B)>()
        .for_each(|(a, b)| sum += a.0 * 1000 + b.0)
        .unwrap();
    // copy ran before bump (conflict on A, registration order): b = 2 * old a, a = old a + 1.
    assert_eq!(sum, (0..100).map(|i| (i + 1) * 1000 + 2 * i).sum::<u32>());
}
