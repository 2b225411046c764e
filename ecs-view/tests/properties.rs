//! State machine: spawn/despawn/insert/remove/query against a reference model of
//! `HashMap<Entity, (Option<Pos>, Option<Vel>)>`.

use playground_ecs_view::{Entity, World, component};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos(u32);
#[derive(Debug, Clone, Copy, PartialEq)]
struct Vel(u32);
component!(Pos = "prop.Pos", Vel = "prop.Vel");

#[derive(Debug, Clone)]
enum Op {
    Spawn(Option<u32>, Option<u32>),
    /// A batch spawn of `(Pos, Vel)` bundles (reusing despawned indices first).
    SpawnBatch(Vec<(u32, u32)>),
    Despawn(usize),
    InsertPos(usize, u32),
    InsertVel(usize, u32),
    RemovePos(usize),
    RemoveVel(usize),
    Move,
}

fn op() -> impl Strategy<Value = Op> {
    let n = 0usize..24;
    prop_oneof![
        4 => (prop::option::of(any::<u32>()), prop::option::of(any::<u32>())).prop_map(|(p, v)| Op::Spawn(p, v)),
        1 => prop::collection::vec((any::<u32>(), any::<u32>()), 0..6).prop_map(Op::SpawnBatch),
        2 => n.clone().prop_map(Op::Despawn),
        2 => (n.clone(), any::<u32>()).prop_map(|(i, x)| Op::InsertPos(i, x)),
        2 => (n.clone(), any::<u32>()).prop_map(|(i, x)| Op::InsertVel(i, x)),
        1 => n.clone().prop_map(Op::RemovePos),
        1 => n.prop_map(Op::RemoveVel),
        2 => Just(Op::Move),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn world_matches_a_reference(ops in prop::collection::vec(op(), 1..48)) {
        let mut world = World::new();
        let mut reference: HashMap<Entity, (Option<u32>, Option<u32>)> = HashMap::new();
        // Every entity ever spawned, live or not, so stale ones are exercised too.
        let mut issued: Vec<Entity> = Vec::new();
        let pick = |issued: &[Entity], i: usize| issued.get(i).copied();
        for op in ops {
            match op {
                Op::Spawn(p, v) => {
                    let e = match (p, v) {
                        (Some(p), Some(v)) => world.spawn((Pos(p), Vel(v))),
                        (Some(p), None) => world.spawn((Pos(p),)),
                        (None, Some(v)) => world.spawn((Vel(v),)),
                        (None, None) => world.spawn(()),
                    };
                    prop_assert!(!reference.contains_key(&e));
                    reference.insert(e, (p, v));
                    issued.push(e);
                }
                Op::SpawnBatch(bundles) => {
                    let spawned = world.spawn_batch(bundles.iter().map(|&(p, v)| (Pos(p), Vel(v))));
                    prop_assert_eq!(spawned.len(), bundles.len());
                    for (&e, &(p, v)) in spawned.iter().zip(&bundles) {
                        prop_assert!(!reference.contains_key(&e));
                        reference.insert(e, (Some(p), Some(v)));
                        issued.push(e);
                    }
                }
                Op::Despawn(i) => if let Some(e) = pick(&issued, i) {
                    prop_assert_eq!(world.despawn(e).is_ok(), reference.remove(&e).is_some());
                },
                Op::InsertPos(i, x) => if let Some(e) = pick(&issued, i) {
                    let r = world.insert(e, Pos(x));
                    match reference.get_mut(&e) {
                        Some(slot) => prop_assert_eq!(r, Ok(slot.0.replace(x).map(Pos))),
                        None => prop_assert!(r.is_err()),
                    }
                },
                Op::InsertVel(i, x) => if let Some(e) = pick(&issued, i) {
                    let r = world.insert(e, Vel(x));
                    match reference.get_mut(&e) {
                        Some(slot) => prop_assert_eq!(r, Ok(slot.1.replace(x).map(Vel))),
                        None => prop_assert!(r.is_err()),
                    }
                },
                Op::RemovePos(i) => if let Some(e) = pick(&issued, i) {
                    let r = world.remove::<Pos>(e);
                    match reference.get_mut(&e) {
                        Some(slot) => prop_assert_eq!(r, Ok(slot.0.take().map(Pos))),
                        None => prop_assert!(r.is_err()),
                    }
                },
                Op::RemoveVel(i) => if let Some(e) = pick(&issued, i) {
                    let r = world.remove::<Vel>(e);
                    match reference.get_mut(&e) {
                        Some(slot) => prop_assert_eq!(r, Ok(slot.1.take().map(Vel))),
                        None => prop_assert!(r.is_err()),
                    }
                },
                Op::Move => {
                    world.query::<(&mut Pos, &Vel)>().for_each(|(p, v)| p.0 = p.0.wrapping_add(v.0)).unwrap();
                    for (p, v) in reference.values_mut() {
                        if let (Some(p), Some(v)) = (p.as_mut(), v) {
                            *p = p.wrapping_add(*v);
                        }
                    }
                }
            }
            // Every issued entity reads exactly what the reference says (stale ones: nothing).
            for &e in &issued {
                let want = reference.get(&e).copied().unwrap_or((None, None));
                prop_assert_eq!(world.is_alive(e), reference.contains_key(&e));
                prop_assert_eq!(world.get_mut::<Pos>(e).map(|p| p.0), want.0);
                prop_assert_eq!(world.get_mut::<Vel>(e).map(|v| v.0), want.1);
            }
            let both = reference.values().filter(|(p, v)| p.is_some() && v.is_some()).count();
            prop_assert_eq!(world.query::<(&Pos, &Vel)>().count(), Ok(both));
            prop_assert_eq!(world.len(), reference.len());
        }
    }
}
