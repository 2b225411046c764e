//! Instruction counts of the hot paths (gungraun + Callgrind), for the CI regression gate
//! (`cargo run -p playground-benches --bin gate`). Each benchmark runs a batch of 1,024
//! operations over a fixture its setup built (setup is not counted), so the counts are per
//! batch and stable across machines. Fixtures are forgotten, not dropped, so teardown is not
//! counted either.

// gungraun's attribute macros generate undocumented modules.
#![allow(missing_docs)]

use gungraun::prelude::*;
use playground_benches::probe::{Probe, model_type, probe, view_id};
use playground_benches::shuffled;
use playground_ecs_view::World;
use playground_kernel::{Entity, EntityId, Generation, ModelId, ModelType, ViewId};
use playground_pools::{ComponentPool, ModelPool, epoch};
use playground_registry::{Binding, BindingRegistry, Implementation, ViewInfo};
use std::hint::black_box;

const BATCH: usize = 1_024;
const TABLE: usize = 64;

type Position = [f32; 3];

/// What every entity of `world()` has.
struct Place(Position);
/// The component `world_add_remove` adds and takes away.
struct Marker(#[allow(dead_code, reason = "payload only written")] f32);
/// What `world_query` adds to each `Place`.
struct Drift(Position);
playground_ecs_view::component!(
    Place = "bench.instructions.Place",
    Marker = "bench.instructions.Marker",
    Drift = "bench.instructions.Drift",
);

fn entity(i: usize) -> Entity {
    Entity::new(EntityId(i as u32), Generation(0))
}

fn component_pool() -> (ComponentPool<Position>, Vec<Entity>) {
    let mut pool = ComponentPool::new();
    for i in 0..BATCH {
        pool.insert(entity(i), [i as f32, 1.0, 2.0]).unwrap();
    }
    let order = shuffled(BATCH, 7).into_iter().map(entity).collect();
    (pool, order)
}

fn model_pool() -> (ModelPool<Position>, Vec<ModelId>) {
    let pool = ModelPool::new();
    let ids: Vec<ModelId> = (0..BATCH)
        .map(|i| pool.insert([i as f32, 0.0, 0.0]))
        .collect();
    let order = shuffled(BATCH, 13).into_iter().map(|i| ids[i]).collect();
    (pool, order)
}

/// A world of `BATCH` entities with a `Place` each, `Marker` registered.
fn world() -> (World, Vec<Entity>) {
    let mut world = World::new();
    let entities = world.spawn_batch((0..BATCH).map(|i| (Place([i as f32, 1.0, 2.0]),)));
    world.register::<Marker>();
    (world, entities)
}

/// A world of `BATCH` entities with a `Place` and a `Drift` each, spawned together, that has
/// run `world_query` once (as the previous frame did), so its pools' alignment is known.
fn moving_world() -> World {
    let mut world = World::new();
    world.spawn_batch((0..BATCH).map(|i| (Place([i as f32, 1.0, 2.0]), Drift([1.0, 0.5, 0.25]))));
    drift(&world);
    world
}

/// Adds each entity's `Drift` to its `Place`.
fn drift(world: &World) {
    world
        .query::<(&Drift, &mut Place)>()
        .for_each(|(d, p)| {
            for (p, d) in p.0.iter_mut().zip(d.0) {
                *p += d;
            }
        })
        .unwrap();
}

struct Registry {
    registry: BindingRegistry,
    keys: Vec<ViewId>,
    pool_keys: Vec<(ViewId, ModelType)>,
}

fn registry() -> Registry {
    let registry = BindingRegistry::new();
    for i in 0..TABLE {
        let info = ViewInfo {
            view_id: view_id(i),
            name: "bench.view",
            api_version: 1,
            type_name: "",
        };
        registry.register_view_as::<dyn Probe>(info).unwrap();
        registry
            .bind_to::<dyn Probe>(view_id(i), Implementation::new("p", 1, probe(i)))
            .unwrap();
        registry.register_pool(view_id(i), model_type(i)).unwrap();
    }
    let order: Vec<usize> = (0..BATCH).map(|k| shuffled(TABLE, 3)[k % TABLE]).collect();
    Registry {
        keys: order.iter().map(|&i| view_id(i)).collect(),
        pool_keys: order.iter().map(|&i| (view_id(i), model_type(i))).collect(),
        registry,
    }
}

fn bindings() -> (Registry, Vec<Binding<dyn Probe>>) {
    let r = registry();
    let bindings = r
        .keys
        .iter()
        .map(|&id| r.registry.binding_for::<dyn Probe>(id).unwrap())
        .collect();
    (r, bindings)
}

fn one_binding() -> (Registry, Binding<dyn Probe>) {
    let r = registry();
    let binding = r.registry.binding_for::<dyn Probe>(view_id(0)).unwrap();
    (r, binding)
}

#[library_benchmark]
#[bench::batch(component_pool())]
fn component_get(fixture: (ComponentPool<Position>, Vec<Entity>)) -> f32 {
    let (pool, order) = &fixture;
    let pool = black_box(pool);
    let sum = order
        .iter()
        .map(|&e| pool.get(e).map_or(0.0, |p| p[0]))
        .sum();
    std::mem::forget(fixture);
    sum
}

#[library_benchmark]
#[bench::batch(component_pool())]
fn component_iter(fixture: (ComponentPool<Position>, Vec<Entity>)) -> f32 {
    let sum = black_box(&fixture.0).iter().map(|(_, p)| p[0]).sum();
    std::mem::forget(fixture);
    sum
}

#[library_benchmark]
#[bench::batch(model_pool())]
fn model_get(fixture: (ModelPool<Position>, Vec<ModelId>)) -> f32 {
    let (pool, order) = &fixture;
    let guard = epoch::pin();
    let pool = black_box(pool);
    let sum = order
        .iter()
        .map(|&id| pool.get(id, &guard).map_or(0.0, |p| p[0]))
        .sum();
    drop(guard);
    std::mem::forget(fixture);
    sum
}

#[library_benchmark]
#[bench::batch(registry())]
fn registry_get(r: Registry) -> u64 {
    let mut reader = r.registry.reader();
    let sum = r
        .keys
        .iter()
        .map(|&id| reader.get_by_id::<dyn Probe>(id).map_or(0, |p| p.value()))
        .sum();
    drop(reader);
    std::mem::forget(r);
    sum
}

#[library_benchmark]
#[bench::batch(bindings())]
fn binding_get(mut fixture: (Registry, Vec<Binding<dyn Probe>>)) -> u64 {
    let sum = fixture
        .1
        .iter_mut()
        .map(|b| b.get().map_or(0, |p| p.value()))
        .sum();
    std::mem::forget(fixture);
    sum
}

#[library_benchmark]
#[bench::batch(registry())]
fn pool_lookup(r: Registry) -> usize {
    let mut reader = r.registry.reader();
    let sum = r
        .pool_keys
        .iter()
        .map(|&(v, m)| reader.pool(v, m).map_or(0, |p| p.len()))
        .sum();
    drop(reader);
    std::mem::forget(r);
    sum
}

#[library_benchmark]
#[bench::batch(one_binding())]
fn binding_call(mut fixture: (Registry, Binding<dyn Probe>)) -> u64 {
    let binding = &mut fixture.1;
    let sum = (0..BATCH)
        .map(|_| black_box(&mut *binding).get().map_or(0, |p| p.value()))
        .sum();
    std::mem::forget(fixture);
    sum
}

#[library_benchmark]
#[bench::batch(world())]
fn world_add_remove(mut fixture: (World, Vec<Entity>)) -> usize {
    let (world, entities) = &mut fixture;
    let world = black_box(world);
    for &e in entities.iter() {
        world.insert(e, Marker(0.0)).unwrap();
    }
    let removed = entities
        .iter()
        .filter(|&&e| world.remove::<Marker>(e).unwrap().is_some())
        .count();
    std::mem::forget(fixture);
    removed
}

#[library_benchmark]
#[bench::batch(moving_world())]
fn world_query(world: World) -> usize {
    drift(black_box(&world));
    let len = world.len();
    std::mem::forget(world);
    len
}

library_benchmark_group!(
    name = hot_paths,
    benchmarks = [
        component_get,
        component_iter,
        registry_get,
        binding_get,
        pool_lookup,
        model_get,
        binding_call,
        world_add_remove,
        world_query
    ]
);

main!(library_benchmark_groups = hot_paths);
