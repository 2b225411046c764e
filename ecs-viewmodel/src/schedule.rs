//! Ordering and running a schedule.
//!
//! Edges: `a -> b` when `b` declares `after(a)`, and when `a` was registered before `b` and
//! they conflict (one writes what the other touches). Stages are the longest-path layers of
//! that graph, so two systems in one stage have no edge between them: neither depends on the
//! other and they do not conflict. A run follows the edges, not the stages: each system starts
//! once the systems it depends on have finished (see [`GraphRun`]).

use crate::graph_run::GraphRun;
use playground_ecs_view::{EcsError, Schedule, SystemDesc, World};
use std::collections::HashMap;

/// Stages of system indices: every system of a stage may run alongside the others.
pub fn stages(systems: &[&SystemDesc]) -> Result<Vec<Vec<usize>>, EcsError> {
    graph(systems).map(|(_, stages)| stages)
}

/// Lists of system indices, one per system or per stage.
type IndexLists = Vec<Vec<usize>>;

/// Each system's predecessors (the systems it runs after), and the stages.
fn graph(systems: &[&SystemDesc]) -> Result<(IndexLists, IndexLists), EcsError> {
    let n = systems.len();
    let by_name: HashMap<&str, usize> = systems
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (b, desc) in systems.iter().enumerate() {
        for name in &desc.after {
            let a = *by_name
                .get(name.as_str())
                .ok_or_else(|| EcsError::UnknownSystem {
                    system: desc.name.clone(),
                    missing: name.clone(),
                })?;
            preds[b].push(a);
        }
        for (a, earlier) in systems[..b].iter().enumerate() {
            if earlier.conflicts_with(desc) && !preds[b].contains(&a) {
                preds[b].push(a);
            }
        }
    }
    // Longest-path levels by depth-first search; a grey node met again closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        White,
        Grey,
        Black(usize),
    }
    fn level(
        v: usize,
        preds: &[Vec<usize>],
        marks: &mut [Mark],
        path: &mut Vec<usize>,
        systems: &[&SystemDesc],
    ) -> Result<usize, EcsError> {
        match marks[v] {
            Mark::Black(l) => return Ok(l),
            Mark::Grey => {
                let start = path
                    .iter()
                    .position(|&p| p == v)
                    .expect("a grey node is on the path");
                // The path runs from dependents to dependencies; reverse it into run order,
                // start at the earliest-registered system, and close the loop.
                let mut cycle: Vec<usize> = path[start..].iter().rev().copied().collect();
                let first = (0..cycle.len())
                    .min_by_key(|&k| cycle[k])
                    .expect("a cycle is not empty");
                cycle.rotate_left(first);
                cycle.push(cycle[0]);
                let cycle: Vec<&str> = cycle.iter().map(|&i| systems[i].name.as_str()).collect();
                return Err(EcsError::Cycle {
                    path: cycle.join(" -> "),
                });
            }
            Mark::White => {}
        }
        marks[v] = Mark::Grey;
        path.push(v);
        let mut l = 0;
        for &p in &preds[v] {
            l = l.max(level(p, preds, marks, path, systems)? + 1);
        }
        path.pop();
        marks[v] = Mark::Black(l);
        Ok(l)
    }
    let mut marks = vec![Mark::White; n];
    let mut stages: Vec<Vec<usize>> = Vec::new();
    for v in 0..n {
        let l = level(v, &preds, &mut marks, &mut Vec::new(), systems)?;
        if stages.len() <= l {
            stages.resize_with(l + 1, Vec::new);
        }
        stages[l].push(v);
    }
    Ok((preds, stages))
}

/// Runs every system once, each as soon as the systems it depends on have finished, on the
/// world's executor (the host's threads) and the calling thread. After a system fails no
/// other starts; the error of the first-registered failing system is returned.
pub fn run(schedule: &Schedule, world: &World) -> Result<(), EcsError> {
    let descs: Vec<&SystemDesc> = schedule.descs().collect();
    let (preds, stages) = graph(&descs)?;
    let body = |i: usize| (schedule.system(i).expect("index from the graph").1)(world);
    let widest = stages.iter().map(Vec::len).max().unwrap_or(0);
    if widest <= 1 {
        // A chain: nothing can run alongside anything, so no thread is woken.
        return stages.iter().flatten().try_for_each(|&i| body(i));
    }
    let run = GraphRun::new(&preds);
    let executor = world.executor();
    executor.run(executor.threads().min(widest), &|_| run.work(body));
    run.finish()
}
