//! State-machine properties: random operation sequences applied to a pool and to a `HashMap`
//! reference must agree after every step (the shape of sharded-slab's `properties.rs`).

use playground_kernel::{Entity, EntityId, Generation, ModelId};
use playground_pools::{ComponentPool, ModelPool, PoolError, epoch};
use proptest::prelude::*;
use std::collections::HashMap;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1_000,
        ..ProptestConfig::default()
    }
}

/// What `insert` must do, applied to the reference: entity index -> (owner, value).
fn reference_insert(
    reference: &mut HashMap<EntityId, (Entity, u32)>,
    e: Entity,
    v: u32,
) -> Result<Option<u32>, PoolError> {
    let expected = match reference.get(&e.id()) {
        Some(&(owner, _)) if owner.generation() > e.generation() => Err(PoolError::StaleEntity {
            entity: e,
            occupant: owner,
        }),
        Some(&(owner, old)) if owner == e => Ok(Some(old)),
        _ => Ok(None),
    };
    if expected.is_ok() {
        reference.insert(e.id(), (e, v));
    }
    expected
}

#[derive(Debug, Clone)]
enum ComponentOp {
    Insert(Entity, u32),
    /// A batch: values pushed, then finished with their entities (duplicates, stale and
    /// present entities included).
    Batch(Vec<(Entity, u32)>),
    /// A batch dropped before it is finished.
    AbandonedBatch(Vec<u32>),
    /// A batch leaked with `mem::forget` before it is finished: the pool is left empty (the
    /// batch held its contents), never with values that pair with no entity or the wrong one.
    LeakedBatch(Vec<u32>),
    Remove(Entity),
    Get(Entity),
    Clear,
}

/// Small index and generation ranges so that collisions, stale entities and reuse are common;
/// a few far indices exercise sparse paging: another page, the last page whose table entry
/// is inline and the first past it, and a far one.
fn entity() -> impl Strategy<Value = Entity> {
    let index = prop_oneof![
        8 => 0u32..16,
        1 => Just(4_100u32),
        1 => Just(65_535u32),
        1 => Just(65_536u32),
        1 => Just(1_000_000u32),
    ];
    (index, 0u32..3).prop_map(|(i, g)| Entity::new(EntityId(i), Generation(g)))
}

fn component_op() -> impl Strategy<Value = ComponentOp> {
    prop_oneof![
        6 => (entity(), any::<u32>()).prop_map(|(e, v)| ComponentOp::Insert(e, v)),
        2 => prop::collection::vec((entity(), any::<u32>()), 0..12).prop_map(ComponentOp::Batch),
        1 => prop::collection::vec(any::<u32>(), 0..4).prop_map(ComponentOp::AbandonedBatch),
        1 => prop::collection::vec(any::<u32>(), 0..4).prop_map(ComponentOp::LeakedBatch),
        3 => entity().prop_map(ComponentOp::Remove),
        3 => entity().prop_map(ComponentOp::Get),
        1 => Just(ComponentOp::Clear),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn component_pool_matches_a_hashmap(ops in prop::collection::vec(component_op(), 1..64)) {
        let mut pool = ComponentPool::new();
        // Reference: entity index -> (the entity owning it, value).
        let mut reference: HashMap<EntityId, (Entity, u32)> = HashMap::new();
        for op in ops {
            match op {
                ComponentOp::Insert(e, v) => {
                    let expected = reference_insert(&mut reference, e, v);
                    prop_assert_eq!(pool.insert(e, v), expected);
                }
                ComponentOp::Batch(pairs) => {
                    let stale = pairs
                        .iter()
                        .filter(|&&(e, v)| reference_insert(&mut reference, e, v).is_err())
                        .count();
                    let mut batch = pool.batch();
                    batch.reserve(pairs.len());
                    pairs.iter().for_each(|&(_, v)| batch.push(v));
                    prop_assert_eq!(batch.len(), pairs.len());
                    let entities: Vec<Entity> = pairs.iter().map(|&(e, _)| e).collect();
                    prop_assert_eq!(batch.finish(&entities), stale);
                }
                ComponentOp::AbandonedBatch(values) => {
                    let mut batch = pool.batch();
                    values.into_iter().for_each(|v| batch.push(v));
                }
                ComponentOp::LeakedBatch(values) => {
                    // AddressSanitizer would report the leak; `leaked_batch.rs` runs there.
                    if std::env::var_os("PLAYGROUND_ASAN").is_some() {
                        continue;
                    }
                    let layout = pool.layout_version();
                    let mut batch = pool.batch();
                    values.into_iter().for_each(|v| batch.push(v));
                    std::mem::forget(batch);
                    reference.clear();
                    prop_assert_ne!(pool.layout_version(), layout, "a view must not trust its old positions");
                }
                ComponentOp::Remove(e) => {
                    let expected = match reference.get(&e.id()) {
                        Some(&(owner, v)) if owner == e => {
                            reference.remove(&e.id());
                            Some(v)
                        }
                        _ => None,
                    };
                    prop_assert_eq!(pool.remove(e), expected);
                }
                ComponentOp::Get(e) => {
                    let expected = reference.get(&e.id()).filter(|(o, _)| *o == e).map(|(_, v)| v);
                    prop_assert_eq!(pool.get(e), expected);
                    prop_assert_eq!(pool.contains(e), expected.is_some());
                    prop_assert_eq!(pool.dense_index(e).map(|d| pool.entities()[d]), expected.map(|_| e));
                    // The hinted and mutable paths, with a hint that may or may not hold `e`.
                    let hint = e.index() % 4;
                    prop_assert_eq!(pool.get_at(hint, e), expected);
                    let expected = expected.copied();
                    prop_assert_eq!(pool.get_mut(e).map(|v| *v), expected);
                    prop_assert_eq!(pool.get_at_mut(hint, e).map(|v| *v), expected);
                    prop_assert_eq!(pool.slices_mut().get_at_mut(hint, e).map(|v| *v), expected);
                }
                ComponentOp::Clear => {
                    pool.clear();
                    reference.clear();
                }
            }
            prop_assert_eq!(pool.len(), reference.len());
            prop_assert_eq!(pool.components().len(), pool.entities().len());
            let paired: Vec<_> = pool.entities().iter().copied().zip(pool.components().iter().copied()).collect();
            let chunked: Vec<_> = pool
                .chunks(3)
                .flat_map(|(es, vs)| {
                    assert_eq!(es.len(), vs.len(), "a chunk pairs each entity with one value");
                    es.iter().copied().zip(vs.iter().copied())
                })
                .collect();
            prop_assert_eq!(&chunked, &paired);
            let mut seen: Vec<_> = pool.iter().map(|(e, v)| (e, *v)).collect();
            prop_assert_eq!(&seen, &paired);
            let mut want: Vec<_> = reference.values().copied().collect();
            seen.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(seen, want);
        }
    }
}

#[derive(Debug, Clone)]
enum ModelOp {
    Insert(u64),
    /// Remove the n-th id ever issued (live, removed or reused), or a never-issued one.
    Remove(usize),
    Get(usize),
    Clear,
    /// Give epoch reclamation its chances to run, so removed slots come back for reuse.
    Reclaim,
}

fn model_op() -> impl Strategy<Value = ModelOp> {
    prop_oneof![
        5 => any::<u64>().prop_map(ModelOp::Insert),
        3 => (0usize..40).prop_map(ModelOp::Remove),
        3 => (0usize..40).prop_map(ModelOp::Get),
        1 => Just(ModelOp::Clear),
        2 => Just(ModelOp::Reclaim),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn model_pool_matches_a_hashmap(ops in prop::collection::vec(model_op(), 1..64)) {
        let pool = ModelPool::new();
        let mut reference: HashMap<ModelId, u64> = HashMap::new();
        let mut issued: Vec<ModelId> = Vec::new();
        let pick = |issued: &[ModelId], n: usize| {
            issued.get(n).copied().unwrap_or(ModelId::new(1_000 + n as u32, Generation(0)))
        };
        for op in ops {
            match op {
                ModelOp::Insert(v) => {
                    let id = pool.insert(v);
                    prop_assert!(!reference.contains_key(&id), "{:?} issued twice while live", id);
                    prop_assert!(!issued.contains(&id), "{:?} reissued: generation not bumped", id);
                    reference.insert(id, v);
                    issued.push(id);
                }
                ModelOp::Remove(n) => {
                    let id = pick(&issued, n);
                    let result = pool.remove(id);
                    prop_assert_eq!(result.is_ok(), reference.remove(&id).is_some(), "{:?}", result);
                }
                ModelOp::Get(n) => {
                    let id = pick(&issued, n);
                    let g = epoch::pin();
                    prop_assert_eq!(pool.get(id, &g), reference.get(&id));
                }
                ModelOp::Clear => {
                    pool.clear();
                    reference.clear();
                }
                ModelOp::Reclaim => {
                    for _ in 0..4 {
                        epoch::pin().flush();
                    }
                }
            }
            prop_assert_eq!(pool.len(), reference.len());
            let g = epoch::pin();
            let mut seen: Vec<_> = pool.iter(&g).map(|(id, v)| (id, *v)).collect();
            let mut want: Vec<_> = reference.iter().map(|(id, v)| (*id, *v)).collect();
            seen.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(seen, want);
        }
    }
}
