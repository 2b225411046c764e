//! World behaviour: spawning, typed access, queries with filters, stale entities, conflicts.

use playground_ecs_view::{EcsError, Entity, World, component};

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos(f32);
#[derive(Debug, Clone, Copy, PartialEq)]
struct Vel(f32);
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tag;
component!(Pos = "test.Pos", Vel = "test.Vel", Tag = "test.Tag");

#[test]
fn spawn_get_insert_remove() {
    let mut w = World::new();
    let e = w.spawn((Pos(1.0), Vel(2.0)));
    assert_eq!(w.get_mut::<Pos>(e), Some(&mut Pos(1.0)));
    assert_eq!(w.get::<Vel>(e).map(|v| *v), Some(Vel(2.0)));
    assert_eq!(w.insert(e, Pos(3.0)), Ok(Some(Pos(1.0))));
    assert_eq!(w.remove::<Vel>(e), Ok(Some(Vel(2.0))));
    assert!(!w.has::<Vel>(e) && w.has::<Pos>(e));
    assert_eq!(
        w.component_types(e)
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>(),
        ["test.Pos"]
    );
    assert_eq!(w.len(), 1);
}

#[test]
fn stale_entity_never_reads_another_entitys_component() {
    let mut w = World::new();
    let old = w.spawn((Pos(1.0),));
    w.despawn(old).unwrap();
    let new = w.spawn((Pos(2.0),));
    assert_eq!(old.id(), new.id(), "index reused");
    assert_eq!(w.get_mut::<Pos>(old), None);
    assert!(w.get::<Pos>(old).is_none());
    assert_eq!(
        w.insert(old, Pos(9.0)),
        Err(EcsError::StaleEntity { entity: old })
    );
    assert_eq!(
        w.remove::<Pos>(old),
        Err(EcsError::StaleEntity { entity: old })
    );
    assert_eq!(w.despawn(old), Err(EcsError::StaleEntity { entity: old }));
    assert_eq!(
        w.get_mut::<Pos>(new),
        Some(&mut Pos(2.0)),
        "the refusals changed nothing"
    );
}

#[test]
fn queries_are_driven_by_the_smallest_pool_and_honour_filters() {
    let mut w = World::new();
    let movers = w.spawn_batch((0..10).map(|i| (Pos(i as f32), Vel(1.0))));
    let still: Vec<Entity> = (0..5).map(|i| w.spawn((Pos(100.0 + i as f32),))).collect();
    w.insert(movers[0], Tag).unwrap();
    w.insert(still[0], Tag).unwrap();

    w.query::<(&mut Pos, &Vel)>()
        .for_each(|(p, v)| p.0 += v.0)
        .unwrap();
    assert_eq!(w.get_mut::<Pos>(movers[3]), Some(&mut Pos(4.0)));
    assert_eq!(
        w.get_mut::<Pos>(still[1]),
        Some(&mut Pos(101.0)),
        "no Vel, not moved"
    );

    assert_eq!(w.query::<(&Pos,)>().count(), Ok(15));
    assert_eq!(w.query::<(&Pos,)>().with::<Tag>().count(), Ok(2));
    assert_eq!(w.query::<(&Pos,)>().without::<Vel>().count(), Ok(5));
    assert_eq!(w.query::<(&Pos, &Vel)>().without::<Tag>().count(), Ok(9));
    let mut with_vel = 0;
    w.query::<(&Pos, Option<&Vel>)>()
        .for_each(|(_, v)| with_vel += v.is_some() as usize)
        .unwrap();
    assert_eq!(with_vel, 10);
    // A component nobody registered: a required one matches nothing, a filter on it too.
    struct Never;
    component!(Never = "test.Never");
    assert_eq!(w.query::<(&Never, &Pos)>().count(), Ok(0));
    assert_eq!(w.query::<(&Pos,)>().with::<Never>().count(), Ok(0));
    assert_eq!(w.query::<(&Pos,)>().without::<Never>().count(), Ok(15));
}

#[test]
fn unaligned_pools_still_match_by_entity() {
    let mut w = World::new();
    let a: Vec<Entity> = (0..6).map(|i| w.spawn((Pos(i as f32),))).collect();
    for &e in a.iter().rev() {
        w.insert(e, Vel(10.0)).unwrap();
    }
    w.remove::<Pos>(a[1]).unwrap();
    let mut seen = Vec::new();
    w.query::<(&Pos, &Vel)>()
        .for_each_entity(|e, (p, v)| seen.push((e, p.0 + v.0)))
        .unwrap();
    seen.sort_by(|x, y| x.1.total_cmp(&y.1));
    assert_eq!(
        seen.iter().map(|s| s.1).collect::<Vec<_>>(),
        [10.0, 12.0, 13.0, 14.0, 15.0]
    );
}

#[test]
fn conflicting_borrows_are_errors_not_deadlocks() {
    let mut w = World::new();
    w.spawn((Pos(1.0),));
    let result = w.query::<(&mut Pos, &Pos)>().count();
    assert!(
        matches!(
            result,
            Err(EcsError::BorrowConflict {
                name: Some("test.Pos"),
                ..
            })
        ),
        "{result:?}"
    );
    let held = w.pool_mut::<Pos>().unwrap();
    assert!(w.pool::<Pos>().is_err());
    drop(held);
    assert_eq!(
        w.query::<(&Pos, &Pos)>().count(),
        Ok(1),
        "two shared borrows are fine"
    );
}

#[test]
fn stats_and_resources() {
    let mut w = World::new();
    w.spawn_batch((0..3).map(|_| (Pos(0.0), Vel(0.0))));
    w.spawn((Pos(0.0),));
    let stats = w.stats();
    assert_eq!(stats.entities, 4);
    assert_eq!(
        stats
            .components
            .iter()
            .map(|(c, n)| (c.name, *n))
            .collect::<Vec<_>>(),
        [("test.Pos", 4), ("test.Vel", 3)]
    );
    assert!(stats.heap_bytes > 0);
    assert_eq!(w.insert_resource(5u32), None);
    *w.resource_mut::<u32>().unwrap() += 1;
    assert_eq!(w.resource::<u32>(), Some(&6));
    w.clear();
    assert_eq!((w.len(), w.query::<(&Pos,)>().count()), (0, Ok(0)));
    assert_eq!(w.resource::<u32>(), Some(&6), "clear keeps resources");
}

#[test]
fn writer_checks_liveness_per_entity() {
    let mut w = World::new();
    let a = w.spawn(());
    let dead = w.spawn(());
    w.despawn(dead).unwrap();
    let mut writer = w.writer::<Vel>();
    assert_eq!(writer.insert(a, Vel(1.0)), Ok(None));
    assert_eq!(
        writer.insert(dead, Vel(1.0)),
        Err(EcsError::StaleEntity { entity: dead })
    );
    assert_eq!(writer.remove(a), Ok(Some(Vel(1.0))));
    assert_eq!(
        writer.remove(dead),
        Err(EcsError::StaleEntity { entity: dead })
    );
    assert_eq!(w.query::<(&Vel,)>().count(), Ok(0));
}

#[test]
fn par_for_each_visits_every_match_once_aligned_or_not() {
    let mut w = World::new();
    let es = w.spawn_batch((0..1_000).map(|i| (Pos(i as f32), Vel(1.0))));
    w.query::<(&mut Pos, &Vel)>()
        .par_for_each(|(p, v)| p.0 += v.0)
        .unwrap();
    assert!(
        es.iter()
            .enumerate()
            .all(|(i, &e)| w.get_mut::<Pos>(e) == Some(&mut Pos(i as f32 + 1.0)))
    );
    // Break alignment: Vel now in another order and missing on some entities.
    for &e in es.iter().step_by(7) {
        w.remove::<Vel>(e).unwrap();
    }
    w.query::<(&mut Pos, &Vel)>()
        .par_for_each(|(p, v)| p.0 += v.0)
        .unwrap();
    for (i, &e) in es.iter().enumerate() {
        let want = i as f32 + if i % 7 == 0 { 1.0 } else { 2.0 };
        assert_eq!(w.get_mut::<Pos>(e), Some(&mut Pos(want)), "entity {i}");
    }
}

#[test]
fn aligned_for_each_visits_every_match_once_in_order_whatever_the_length() {
    // Aligned queries run four entities per pass and the rest one by one: every remainder,
    // with one, two and three parameters.
    for len in 0..=13 {
        let mut w = World::new();
        w.spawn_batch((0..len).map(|i| (Pos(i as f32), Vel(100.0 + i as f32), Tag)));
        let mut seen = Vec::new();
        w.query::<(&Pos,)>()
            .for_each(|(p,)| seen.push(p.0))
            .unwrap();
        let want: Vec<f32> = (0..len).map(|i| i as f32).collect();
        assert_eq!(seen, want, "{len} entities, one parameter");
        w.query::<(&Vel, &mut Pos)>()
            .for_each(|(v, p)| p.0 += v.0)
            .unwrap();
        let mut seen = Vec::new();
        w.query::<(&Tag, &Pos, &Vel)>()
            .for_each(|(_, p, v)| seen.push((p.0, v.0)))
            .unwrap();
        let want: Vec<(f32, f32)> = (0..len)
            .map(|i| (100.0 + 2.0 * i as f32, 100.0 + i as f32))
            .collect();
        assert_eq!(seen, want, "{len} entities, three parameters");
    }
}

#[test]
fn a_query_over_pools_that_line_up_in_some_chunks_only_visits_every_match_once() {
    let mut w = World::new();
    let es = w.spawn_batch((0..200).map(|i| (Pos(i as f32), Vel(1000.0 + i as f32))));
    // `Vel`'s last entity moves into the hole: its pool now lines up with `Pos` in some runs
    // of entities and not in the one holding entity 199, and its last run is 7 long.
    w.remove::<Vel>(es[150]).unwrap();
    w.query::<(&mut Pos, &Vel)>()
        .for_each(|(p, v)| p.0 += v.0)
        .unwrap();
    for (i, &e) in es.iter().enumerate() {
        let want = if i == 150 {
            150.0
        } else {
            1000.0 + 2.0 * i as f32
        };
        assert_eq!(w.get_mut::<Pos>(e), Some(&mut Pos(want)), "entity {i}");
    }
}

/// Real threads, claimed to be `threads` whatever the machine has; counts its batches.
struct Threads {
    threads: usize,
    batches: std::sync::atomic::AtomicUsize,
}

impl playground_kernel::Executor for Threads {
    fn threads(&self) -> usize {
        self.threads
    }
    fn run(&self, count: usize, job: &(dyn Fn(usize) + Sync)) {
        self.batches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        playground_kernel::ScopedThreads.run(count, job);
    }
}

#[test]
fn par_for_each_hands_every_entity_to_exactly_one_thread_whatever_the_length() {
    use std::sync::atomic::Ordering::Relaxed;
    for threads in [2, 3, 7] {
        for len in [1, 15, 16, 17, 29, 100, 1_001] {
            let executor = std::sync::Arc::new(Threads {
                threads,
                batches: 0.into(),
            });
            let mut w = World::new();
            w.set_executor(executor.clone());
            let es = w.spawn_batch((0..len).map(|i| (Pos(i as f32), Vel(1.0))));
            w.query::<(&mut Pos, &Vel)>()
                .par_for_each(|(p, v)| p.0 += v.0)
                .unwrap();
            for (i, &e) in es.iter().enumerate() {
                assert_eq!(
                    w.get_mut::<Pos>(e),
                    Some(&mut Pos(i as f32 + 1.0)),
                    "entity {i} of {len} on {threads} threads"
                );
            }
            let batches = executor.batches.load(Relaxed);
            assert_eq!(
                batches,
                usize::from(len >= 16),
                "{len} on {threads} threads"
            );
        }
    }
}

#[test]
fn a_pool_holding_the_driver_at_an_offset_is_read_correctly() {
    let mut w = World::new();
    // Pos holds 30 entities; Vel only the last 10, which sit at Pos positions 20..30.
    let early = w.spawn_batch((0..20).map(|i| (Pos(i as f32),)));
    let late = w.spawn_batch((0..10).map(|i| (Pos(100.0 + i as f32), Vel(1.0))));
    w.query::<(&mut Pos, &Vel)>()
        .for_each(|(p, v)| p.0 += v.0)
        .unwrap();
    assert!(
        late.iter()
            .enumerate()
            .all(|(i, &e)| w.get_mut::<Pos>(e) == Some(&mut Pos(101.0 + i as f32)))
    );
    assert!(
        early
            .iter()
            .enumerate()
            .all(|(i, &e)| w.get_mut::<Pos>(e) == Some(&mut Pos(i as f32)))
    );
    let mut seen = Vec::new();
    w.query::<(&Vel, &Pos)>()
        .for_each_entity(|e, _| seen.push(e))
        .unwrap();
    assert_eq!(seen, late);
}

#[test]
fn queries_sharing_required_pools_read_their_own_offsets_whatever_their_optional_parameters() {
    let mut w = World::new();
    // Pos holds 20 entities, then 10 with Vel too (at Pos positions 20..30).
    w.spawn_batch((0..20).map(|i| (Pos(i as f32),)));
    let late = w.spawn_batch((0..10).map(|i| (Pos(100.0 + i as f32), Vel(i as f32))));
    let mut plain = Vec::new();
    w.query::<(&Vel, &Pos)>()
        .for_each(|(v, p)| plain.push((v.0, p.0)))
        .unwrap();
    // The same required pools (Vel, then Pos) with an optional parameter between them: the
    // offsets remembered for the first query must land on the right parameters here.
    let mut optional = Vec::new();
    w.query::<(&Vel, Option<&Tag>, &Pos)>()
        .for_each(|(v, t, p)| optional.push((v.0, p.0, t.is_some())))
        .unwrap();
    let expected: Vec<(f32, f32)> = (0..10).map(|i| (i as f32, 100.0 + i as f32)).collect();
    assert_eq!(plain, expected);
    assert_eq!(
        optional,
        expected
            .iter()
            .map(|&(v, p)| (v, p, false))
            .collect::<Vec<_>>()
    );
    assert_eq!(late.len(), 10);
}

#[test]
fn a_batch_whose_iterator_panics_spawns_nothing_and_keeps_the_world() {
    let mut w = World::new();
    let kept = w.spawn_batch((0..3).map(|i| (Pos(i as f32), Vel(0.0))));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        w.spawn_batch((0..5).map(|i| {
            assert!(i < 2, "bundle source failed");
            (Pos(9.0), Vel(9.0))
        }))
    }));
    assert!(outcome.is_err());
    assert_eq!(w.len(), 3);
    assert_eq!(w.query::<(&Pos, &Vel)>().count(), Ok(3));
    let positions: Vec<f32> = kept
        .iter()
        .map(|&e| w.get_mut::<Pos>(e).unwrap().0)
        .collect();
    assert_eq!(positions, [0.0, 1.0, 2.0]);
    // The pools are consistent afterwards: the next batch lines up after the kept entities.
    let next = w.spawn_batch([(Pos(7.0), Vel(7.0))]);
    assert_eq!(w.get_mut::<Pos>(next[0]), Some(&mut Pos(7.0)));
    assert_eq!(w.query::<(&Pos, &Vel)>().count(), Ok(4));
}

#[test]
fn a_query_iterates_the_same_matches_as_for_each_and_writes_through_its_items() {
    let mut w = World::new();
    // Aligned, offset and unaligned pools together: Pos on 40, Vel on the last 20 plus some
    // early ones added one by one (so Vel's order differs from Pos's), Tag on every third.
    let all = w.spawn_batch((0..40).map(|i| (Pos(i as f32),)));
    for &e in all.iter().skip(20).chain(all.iter().take(5).rev()) {
        w.insert(e, Vel(1.0)).unwrap();
    }
    for &e in all.iter().step_by(3) {
        w.insert(e, Tag).unwrap();
    }
    let mut expected = Vec::new();
    w.query::<(&Vel, &Pos, Option<&Tag>)>()
        .for_each(|(v, p, t)| expected.push((v.0, p.0, t.is_some())))
        .unwrap();
    let mut q = w.query::<(&Vel, &Pos, Option<&Tag>)>();
    let got: Vec<_> = q
        .iter()
        .unwrap()
        .map(|(v, p, t)| (v.0, p.0, t.is_some()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 25);
    drop(q);

    // Many `&mut` items held at once, each a distinct component.
    let mut q = w.query::<(&mut Pos, &Vel)>();
    let mut items: Vec<(&mut Pos, &Vel)> = q.iter().unwrap().collect();
    for (p, v) in &mut items {
        p.0 += v.0 * 1000.0;
    }
    drop(items);
    drop(q);
    let moved = all
        .iter()
        .filter(|&&e| w.get_mut::<Pos>(e).is_some_and(|p| p.0 >= 1000.0))
        .count();
    assert_eq!(moved, 25, "each matching entity written once");

    // Filters apply; a type never registered matches nothing.
    let mut with_tag = w.query::<(&Pos,)>().with::<Tag>();
    assert_eq!(with_tag.iter().unwrap().count(), 14);
    drop(with_tag);
    struct Never;
    component!(Never = "test.Never");
    assert_eq!(w.query::<(&Never,)>().iter().unwrap().count(), 0);
}

#[test]
fn an_iterating_query_holds_its_pools_until_dropped() {
    let mut w = World::new();
    w.spawn_batch((0..3).map(|i| (Pos(i as f32),)));
    let mut q = w.query::<(&mut Pos,)>();
    let first = q.iter().unwrap().next().map(|(p,)| p.0);
    assert_eq!(first, Some(0.0));
    assert!(
        matches!(w.pool::<Pos>(), Err(EcsError::BorrowConflict { .. })),
        "the query still holds Pos exclusively"
    );
    drop(q);
    assert!(w.pool::<Pos>().unwrap().is_some());
}

#[test]
fn an_aligned_query_iterates_by_position_at_each_pools_offset() {
    let mut w = World::new();
    // Pos holds 20 entities, then 10 with Vel too (at Pos positions 20..30): aligned at an
    // offset, so the iterator reads by position.
    w.spawn_batch((0..20).map(|i| (Pos(i as f32),)));
    let late = w.spawn_batch((0..10).map(|i| (Pos(100.0 + i as f32), Vel(i as f32))));
    let mut expected = Vec::new();
    w.query::<(&Vel, &Pos)>()
        .for_each(|(v, p)| expected.push((v.0, p.0)))
        .unwrap();
    for _ in 0..2 {
        // The second pass starts from the remembered placement.
        let mut q = w.query::<(&mut Pos, &Vel)>();
        for (p, v) in q.iter().unwrap() {
            p.0 += v.0;
        }
    }
    let got: Vec<f32> = late
        .iter()
        .map(|&e| w.get_mut::<Pos>(e).unwrap().0)
        .collect();
    let want: Vec<f32> = expected.iter().map(|&(v, p)| p + 2.0 * v).collect();
    assert_eq!(got, want);
    let mut q = w.query::<(&Vel, &Pos)>();
    assert_eq!(q.iter().unwrap().count(), 10);
    // An aligned run knows how many matches are left.
    let mut iter = q.iter().unwrap();
    assert_eq!(iter.size_hint(), (10, Some(10)));
    iter.next();
    assert_eq!(iter.size_hint(), (9, Some(9)));
    drop(q);

    // Folded (runs of four, then the last two of ten), after a `next` or not: every match
    // once, in order.
    let mut by_next = Vec::new();
    let mut q = w.query::<(&Vel, &Pos)>();
    // A `for` loop calls `next`, not `fold`.
    for (v, p) in q.iter().unwrap() {
        by_next.push((v.0, p.0));
    }
    drop(q);
    assert_eq!(by_next.len(), 10);
    let mut folded = Vec::new();
    w.query::<(&Vel, &Pos)>()
        .iter()
        .unwrap()
        .for_each(|(v, p)| folded.push((v.0, p.0)));
    assert_eq!(folded, by_next);
    let mut q = w.query::<(&Vel, &Pos)>();
    let mut iter = q.iter().unwrap();
    let first = iter.next().map(|(v, p)| (v.0, p.0));
    let rest: Vec<(f32, f32)> = iter.fold(Vec::new(), |mut out, (v, p)| {
        out.push((v.0, p.0));
        out
    });
    assert_eq!(first.into_iter().chain(rest).collect::<Vec<_>>(), by_next);
    drop(q);
    // Written through the fold: each match once.
    let mut q = w.query::<(&mut Pos, &Vel)>();
    q.iter().unwrap().for_each(|(p, v)| p.0 -= v.0);
    drop(q);
    let got: Vec<f32> = late
        .iter()
        .map(|&e| w.get_mut::<Pos>(e).unwrap().0)
        .collect();
    let want: Vec<f32> = expected.iter().map(|&(v, p)| p + v).collect();
    assert_eq!(got, want);
}

/// A second type declared under `Pos`'s name (so `Pos`'s id): every typed access through it
/// panics rather than reading `Pos`'s pool as another type, and `Pos`'s components stay.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Impostor(f32);
component!(Impostor = "test.Pos");

#[test]
fn a_second_type_under_one_id_is_refused_on_every_typed_path() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let mut w = World::new();
    let e = w.spawn((Pos(1.0),));
    let mut refused =
        |f: &dyn Fn(&mut World)| catch_unwind(AssertUnwindSafe(|| f(&mut w))).is_err();
    assert!(refused(&|w| drop(w.insert(e, Impostor(2.0)))));
    assert!(refused(&|w| drop(w.remove::<Impostor>(e))));
    assert!(refused(&|w| {
        let _ = w.get_mut::<Impostor>(e);
    }));
    assert!(refused(&|w| drop(w.pool::<Impostor>())));
    assert_eq!(w.get_mut::<Pos>(e), Some(&mut Pos(1.0)));
}
