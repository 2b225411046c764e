//! Ordering and running a schedule.
//!
//! Edges: `a -> b` when `b` declares `after(a)`, and when `a` was registered before `b` and
//! they conflict (one writes what the other touches). Stages are the longest-path layers of
//! that graph, so two systems in one stage have no edge between them: neither depends on the
//! other and they do not conflict. Each stage runs its systems on parallel threads.

use playground_ecs_view::{EcsError, Schedule, SystemDesc, World};
use playground_kernel::sync::Mutex;
use std::collections::HashMap;

/// Stages of system indices: every system of a stage may run alongside the others.
pub fn stages(systems: &[&SystemDesc]) -> Result<Vec<Vec<usize>>, EcsError> {
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
    Ok(stages)
}

/// Runs every system once, stage by stage, on the world's executor (the host's threads): a
/// stage's systems are one batch, the caller taking a share instead of sleeping. Stops after
/// the first stage with a failing system and returns its error.
pub fn run(schedule: &Schedule, world: &World) -> Result<(), EcsError> {
    let descs: Vec<&SystemDesc> = schedule.descs().collect();
    let executor = world.executor();
    for stage in stages(&descs)? {
        let body = |i: usize| (schedule.system(i).expect("index from stages").1)(world);
        if let [only] = stage[..] {
            body(only)?;
            continue;
        }
        let results: Vec<Mutex<Result<(), EcsError>>> =
            stage.iter().map(|_| Mutex::new(Ok(()))).collect();
        executor.run(stage.len(), &|k| *results[k].lock() = body(stage[k]));
        for slot in results {
            slot.into_inner()?;
        }
    }
    Ok(())
}
