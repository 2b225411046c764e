//! Queries by id (registered, run, cached) against a reference, and dynamic component access
//! by `ComponentId`, with every bad input refused and the world unchanged.

use playground_ecs_view::{
    Component, ComponentView, EcsError, Entity, QueryFilter, QueryView, StorageView, World,
    component,
};
use playground_ecs_viewmodel::EcsViewModel;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct A(u32);
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct B(u32);
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct C(u32);
#[derive(Debug, Clone, Copy, PartialEq)]
struct Plain;
component!(A = "q.A", B = "q.B", C = "q.C", Plain = "q.Plain");

fn vm() -> EcsViewModel {
    EcsViewModel
}

fn world() -> World {
    let mut w = World::new();
    w.register_persistent::<A>();
    w.register_persistent::<B>();
    w.register_persistent::<C>();
    w
}

fn sorted(entities: &[Entity]) -> Vec<Entity> {
    let mut v = entities.to_vec();
    v.sort_unstable();
    v
}

#[test]
fn same_filter_same_id_and_unknown_ids_are_errors() {
    let mut w = world();
    let f = vm()
        .register(&mut w, QueryFilter::new().with::<A>().with::<B>())
        .unwrap();
    let g = vm().register(
        &mut w,
        QueryFilter::new().with::<B>().with::<A>().with::<A>(),
    );
    assert_eq!(Ok(f), g);
    assert_eq!(w.queries().len(), 1);
    assert!(vm().unregister(&mut w, f));
    assert!(!vm().unregister(&mut w, f));
    assert_eq!(vm().run(&w, f), Err(EcsError::UnknownQuery { id: f }));
}

#[test]
fn answers_are_cached_until_something_they_depend_on_changes() {
    let mut w = world();
    let es = w.spawn_batch((0..10).map(|i| (A(i), B(i))));
    w.spawn((A(99),));
    let q = vm()
        .register(&mut w, QueryFilter::new().with::<A>().without::<C>())
        .unwrap();
    let first = vm().run(&w, q).unwrap();
    assert_eq!(first.len(), 11);

    // Values and unrelated pools do not matter.
    w.get_mut::<A>(es[0]).unwrap().0 = 1_000;
    w.insert(es[1], B(7)).unwrap();
    let again = vm().run(&w, q).unwrap();
    assert!(Arc::ptr_eq(&first, &again), "served from the cache");

    // A `without` component appearing does.
    w.insert(es[2], C(0)).unwrap();
    let after = vm().run(&w, q).unwrap();
    assert!(!Arc::ptr_eq(&first, &after));
    assert_eq!(after.len(), 10);
    assert!(!after.contains(&es[2]));

    // So does a despawn, and a structural change through a pool borrowed by `&World`.
    w.despawn(es[3]).unwrap();
    assert_eq!(vm().run(&w, q).unwrap().len(), 9);
    w.pool_mut::<A>().unwrap().unwrap().remove(es[4]);
    assert_eq!(vm().run(&w, q).unwrap().len(), 8);
}

#[test]
fn a_filter_with_no_with_follows_bare_spawns_and_a_restore_invalidates_everything() {
    let mut w = world();
    let e = w.spawn(());
    w.spawn((C(1),));
    let q = vm()
        .register(&mut w, QueryFilter::new().without::<C>())
        .unwrap();
    assert_eq!(&*vm().run(&w, q).unwrap(), &[e]);
    let bare = w.spawn(());
    assert_eq!(sorted(&vm().run(&w, q).unwrap()), sorted(&[e, bare]));

    let with_a = vm()
        .register(&mut w, QueryFilter::new().with::<A>())
        .unwrap();
    let saved = vm().save(&w).unwrap();
    let before = vm().run(&w, with_a).unwrap();
    assert!(before.is_empty());
    let mut other = world();
    other.spawn((A(5),));
    vm().restore(&mut w, &vm().save(&other).unwrap()).unwrap();
    assert_eq!(
        vm().run(&w, with_a).unwrap().len(),
        1,
        "restored pools are new pools"
    );
    vm().restore(&mut w, &saved).unwrap();
    assert!(vm().run(&w, with_a).unwrap().is_empty());
}

#[test]
fn a_query_over_a_mutably_borrowed_pool_is_a_conflict_not_a_stale_answer() {
    let mut w = world();
    w.spawn((A(1),));
    let q = vm()
        .register(&mut w, QueryFilter::new().with::<A>())
        .unwrap();
    let held = w.pool_mut::<A>().unwrap();
    assert!(matches!(
        vm().run(&w, q),
        Err(EcsError::BorrowConflict { .. })
    ));
    drop(held);
    assert_eq!(vm().run(&w, q).unwrap().len(), 1);
}

#[test]
fn components_by_id_round_trip_as_bytes() {
    let mut w = world();
    let e = w.spawn((A(3),));
    let bytes = vm().get(&w, e, A::ID).unwrap().expect("has an A");
    assert_eq!(vm().get(&w, e, B::ID), Ok(None));
    assert_eq!(vm().insert(&mut w, e, B::ID, &bytes), Ok(false));
    assert_eq!(w.get_mut::<B>(e), Some(&mut B(3)));
    let seven = postcard::to_allocvec(&B(7)).unwrap();
    assert_eq!(vm().insert(&mut w, e, B::ID, &seven), Ok(true));
    assert_eq!(w.get_mut::<B>(e), Some(&mut B(7)));
}

#[test]
fn bad_dynamic_access_is_refused_with_the_world_unchanged() {
    let mut w = world();
    w.register::<Plain>();
    let e = w.spawn((A(3), Plain));
    let stale = w.spawn(());
    w.despawn(stale).unwrap();
    let good = postcard::to_allocvec(&A(4)).unwrap();

    let mut trailing = good.clone();
    trailing.push(0);
    let refusals = [
        (e, A::ID, vec![0xff; 9]),
        (e, A::ID, trailing),
        (e, A::ID, Vec::new()),
        (e, Plain::ID, Vec::new()),
        (
            e,
            playground_kernel::ComponentId::from_name("q.Unknown"),
            good.clone(),
        ),
        (stale, A::ID, good.clone()),
    ];
    for (entity, id, bytes) in refusals {
        let err = vm().insert(&mut w, entity, id, &bytes).unwrap_err();
        match (&err, id) {
            (EcsError::BadComponentBytes { name, .. }, _) => assert_eq!(*name, "q.A"),
            (EcsError::NotPersistent { name }, _) => assert_eq!(*name, "q.Plain"),
            (EcsError::UnknownComponent { id: unknown, .. }, _) => assert_eq!(*unknown, id),
            (EcsError::StaleEntity { entity: s }, _) => assert_eq!(*s, stale),
            _ => panic!("unexpected {err:?}"),
        }
        assert_eq!(w.get_mut::<A>(e), Some(&mut A(3)), "after {err}");
        assert_eq!(w.len(), 1);
    }
    assert_eq!(
        vm().get(&w, stale, A::ID),
        Err(EcsError::StaleEntity { entity: stale })
    );
    assert!(matches!(
        vm().get(&w, e, Plain::ID),
        Err(EcsError::NotPersistent { name: "q.Plain" })
    ));
}

#[derive(Debug, Clone)]
enum Op {
    Spawn(u8),
    Despawn(usize),
    Insert(usize, u8),
    Remove(usize, u8),
    Run(u8, u8),
    /// Runs the most recently run query again.
    RunAgain,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..8).prop_map(Op::Spawn),
        1 => (0usize..16).prop_map(Op::Despawn),
        2 => (0usize..16, 0u8..3).prop_map(|(i, c)| Op::Insert(i, c)),
        2 => (0usize..16, 0u8..3).prop_map(|(i, c)| Op::Remove(i, c)),
        3 => (0u8..8, 0u8..8).prop_map(|(w, wo)| Op::Run(w, wo)),
        2 => Just(Op::RunAgain),
    ]
}

fn insert(w: &mut World, e: Entity, c: u8) {
    let _ = match c {
        0 => w.insert(e, A(0)).map(drop),
        1 => w.insert(e, B(0)).map(drop),
        _ => w.insert(e, C(0)).map(drop),
    };
}

fn remove(w: &mut World, e: Entity, c: u8) {
    let _ = match c {
        0 => w.remove::<A>(e).map(drop),
        1 => w.remove::<B>(e).map(drop),
        _ => w.remove::<C>(e).map(drop),
    };
}

fn filter(with: u8, without: u8) -> QueryFilter {
    let ids = [A::ID, B::ID, C::ID];
    let mut f = QueryFilter::new();
    for (bit, id) in ids.iter().enumerate() {
        if with & (1 << bit) != 0 {
            f = f.with_id(*id);
        }
        if without & (1 << bit) != 0 {
            f = f.without_id(*id);
        }
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Every run equals the reference's answer, whether it came from the cache or not; and a
    /// run with no change since the previous run of the same query is served from the cache.
    #[test]
    fn runs_match_a_reference_and_repeat_from_the_cache(ops in prop::collection::vec(op(), 1..60)) {
        let mut w = world();
        let mut reference: HashMap<Entity, u8> = HashMap::new();
        let mut issued: Vec<Entity> = Vec::new();
        let mut last: HashMap<(u8, u8), Arc<[Entity]>> = HashMap::new();
        let mut previous_run = None;
        for op in ops {
            let op = match (op, previous_run) {
                (Op::RunAgain, Some((with, without))) => Op::Run(with, without),
                (Op::RunAgain, None) => continue,
                (op, _) => op,
            };
            match op {
                Op::Spawn(mask) => {
                    let e = w.spawn(());
                    (0..3).filter(|c| mask & (1 << c) != 0).for_each(|c| insert(&mut w, e, c));
                    reference.insert(e, mask & 7);
                    issued.push(e);
                    last.clear();
                }
                Op::Despawn(i) => if let Some(&e) = issued.get(i) {
                    prop_assert_eq!(w.despawn(e).is_ok(), reference.remove(&e).is_some());
                    last.clear();
                },
                Op::Insert(i, c) => if let Some(&e) = issued.get(i) {
                    insert(&mut w, e, c);
                    if let Some(mask) = reference.get_mut(&e) { *mask |= 1 << c; }
                    last.clear();
                },
                Op::Remove(i, c) => if let Some(&e) = issued.get(i) {
                    remove(&mut w, e, c);
                    if let Some(mask) = reference.get_mut(&e) { *mask &= !(1 << c); }
                    last.clear();
                },
                Op::RunAgain => unreachable!("replaced above"),
                Op::Run(with, without) => {
                    let (with, without) = (with & 7, without & 7);
                    previous_run = Some((with, without));
                    let q = vm().register(&mut w, filter(with, without)).unwrap();
                    let got = vm().run(&w, q).unwrap();
                    let want: BTreeSet<Entity> = reference
                        .iter()
                        .filter(|&(_, &m)| m & with == with && m & without == 0)
                        .map(|(&e, _)| e)
                        .collect();
                    prop_assert_eq!(got.iter().copied().collect::<BTreeSet<_>>(), want);
                    prop_assert_eq!(got.len(), reference.iter().filter(|&(_, &m)| m & with == with && m & without == 0).count());
                    if let Some(previous) = last.get(&(with, without)) {
                        prop_assert!(Arc::ptr_eq(previous, &got), "unchanged world, recomputed");
                    }
                    last.insert((with, without), got);
                }
            }
        }
    }
}
