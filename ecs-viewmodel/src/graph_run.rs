//! [`GraphRun`]: one run of a schedule's dependency graph, each system started as soon as the
//! systems it depends on have finished, by whichever thread is free.
//!
//! Running stage by stage makes every system of a stage wait for the slowest of the stage
//! before: in `a | b -> c` (`c` conflicts with `b` alone) a stage barrier holds `c` until `a`
//! is done too, where `b`'s thread could have gone on to `c` while `a` still runs. Here the
//! thread that finishes a system takes the next ready one itself; a thread that finds nothing
//! ready leaves, since whichever thread finishes a system takes what that makes ready. So a
//! run needs no waiting inside it, and a thread that arrives late (a worker still waking up)
//! finds the work done and leaves at once.

use playground_ecs_view::EcsError;
use playground_kernel::sync::Mutex;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The systems of one run: which are ready, which wait, and the first failure.
pub(crate) struct GraphRun {
    /// Per system, the systems that wait for it.
    dependents: Vec<Vec<usize>>,
    state: Mutex<State>,
}

struct State {
    /// Per system, how many of its predecessors have not finished.
    waiting_on: Vec<usize>,
    /// Systems whose predecessors have all finished, not yet started; lowest index first
    /// (registration order).
    ready: BinaryHeap<Reverse<usize>>,
    /// The failure of the lowest-indexed failing system; once set, no system starts.
    failed: Option<(usize, EcsError)>,
}

impl GraphRun {
    /// A run of the graph whose system `i` waits for every system in `predecessors[i]`.
    pub(crate) fn new(predecessors: &[Vec<usize>]) -> Self {
        let mut dependents = vec![Vec::new(); predecessors.len()];
        for (i, preds) in predecessors.iter().enumerate() {
            for &p in preds {
                dependents[p].push(i);
            }
        }
        let waiting_on: Vec<usize> = predecessors.iter().map(Vec::len).collect();
        let ready = (0..predecessors.len())
            .filter(|&i| waiting_on[i] == 0)
            .map(Reverse)
            .collect();
        Self {
            dependents,
            state: Mutex::new(State {
                waiting_on,
                ready,
                failed: None,
            }),
        }
    }

    /// Runs ready systems with `body` until none is ready: what each thread of a run does.
    pub(crate) fn work(&self, body: impl Fn(usize) -> Result<(), EcsError>) {
        let mut next = self.next(None);
        while let Some(i) = next {
            let result = body(i);
            next = self.next(Some((i, result)));
        }
    }

    /// Records the system just finished (if any), releasing what waited for it, and claims
    /// the next ready system.
    fn next(&self, finished: Option<(usize, Result<(), EcsError>)>) -> Option<usize> {
        let mut state = self.state.lock();
        match finished {
            Some((i, Ok(()))) => {
                for &d in &self.dependents[i] {
                    state.waiting_on[d] -= 1;
                    if state.waiting_on[d] == 0 {
                        state.ready.push(Reverse(d));
                    }
                }
            }
            Some((i, Err(e))) if state.failed.as_ref().is_none_or(|(first, _)| i < *first) => {
                state.failed = Some((i, e));
            }
            Some((_, Err(_))) | None => {}
        }
        if state.failed.is_some() {
            return None;
        }
        state.ready.pop().map(|Reverse(i)| i)
    }

    /// The run's outcome, once every thread has left: the lowest-indexed failure, if any.
    pub(crate) fn finish(self) -> Result<(), EcsError> {
        match self.state.into_inner().failed {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any interleaving of threads that each claim, then finish, systems of a random
        /// graph: a system is claimed only once all its predecessors finished, each exactly
        /// once, and every system runs; the same as running the graph in any topological
        /// order (the reference model: a set of finished systems).
        #[test]
        fn any_interleaving_runs_every_system_once_after_its_predecessors(
            edges in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 0..8), 1..8),
            picks in proptest::collection::vec(0usize..3, 0..64),
        ) {
            // System i may wait for any system before it (a graph built in registration
            // order, as the schedule builds it).
            let n = edges.len();
            let preds: Vec<Vec<usize>> = edges
                .iter()
                .enumerate()
                .map(|(i, row)| (0..i).filter(|&p| row.get(p).copied().unwrap_or(false)).collect())
                .collect();
            let run = GraphRun::new(&preds);
            let mut finished = vec![false; n];
            let mut runs = vec![0usize; n];
            // Three threads: each not yet started, running a system, idle, or gone.
            let mut running: [Option<usize>; 3] = [None; 3];
            let mut started = [false; 3];
            let mut left = [false; 3];
            // The picked threads act first, then every thread in turn until all have left.
            let turns = picks.iter().copied().chain((0..).map(|k| k % 3));
            for t in turns {
                if left.iter().all(|&l| l) {
                    break;
                }
                if left[t] {
                    continue;
                }
                let done = running[t].take().map(|i| {
                    finished[i] = true;
                    (i, Ok(()))
                });
                if started[t] && done.is_none() {
                    continue;
                }
                started[t] = true;
                let claim = run.next(done);
                if let Some(i) = claim {
                    prop_assert!(preds[i].iter().all(|&p| finished[p]), "{} before a predecessor", i);
                    runs[i] += 1;
                }
                running[t] = claim;
                left[t] = claim.is_none();
            }
            prop_assert!(runs.iter().all(|&r| r == 1), "{runs:?}");
            prop_assert!(run.finish().is_ok());
        }
    }

    #[test]
    fn a_failure_stops_new_systems_and_the_lowest_indexed_one_is_returned() {
        // 0 and 1 are independent; 2 waits for 0.
        let run = GraphRun::new(&[vec![], vec![], vec![0]]);
        let first = run.next(None).unwrap();
        let second = run.next(None).unwrap();
        assert_eq!((first, second), (0, 1));
        let err = |i: usize| EcsError::UnknownSystem {
            system: i.to_string(),
            missing: String::new(),
        };
        assert_eq!(
            run.next(Some((1, Err(err(1))))),
            None,
            "nothing starts after a failure"
        );
        assert_eq!(run.next(Some((0, Err(err(0))))), None);
        assert_eq!(run.finish(), Err(err(0)));
    }
}
