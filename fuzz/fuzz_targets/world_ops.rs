//! Sequences of world operations (spawn, batch spawn, despawn, insert, remove, get) checked after every
//! step against a reference model: a `HashMap` from entity to its components.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_ecs_view::{Entity, World};
use playground_kinematics::{Position, Velocity};
use std::collections::HashMap;

#[derive(Default, Clone, PartialEq, Debug)]
struct Model {
    position: Option<Position>,
    velocity: Option<Velocity>,
}

fuzz_target!(|bytes: &[u8]| {
    let mut world = World::new();
    let mut model: HashMap<Entity, Model> = HashMap::new();
    let mut dead: Vec<Entity> = Vec::new();
    let mut all: Vec<Entity> = Vec::new();
    for op in bytes.chunks(2) {
        let (code, arg) = (op[0], *op.get(1).unwrap_or(&0));
        let pick = |list: &[Entity]| (!list.is_empty()).then(|| list[arg as usize % list.len()]);
        let value = f32::from(arg);
        match code % 7 {
            0 => {
                let e = world.spawn((Position { x: value, y: 0.0 },));
                assert!(!model.contains_key(&e), "spawn reused a live entity");
                model.insert(e, Model { position: Some(Position { x: value, y: 0.0 }), velocity: None });
                all.push(e);
            }
            1 => {
                if let Some(e) = pick(&all) {
                    let live = model.remove(&e).is_some();
                    assert_eq!(world.despawn(e).is_ok(), live, "despawn of {e:?}");
                    dead.push(e);
                }
            }
            2 => {
                if let Some(e) = pick(&all) {
                    let v = Velocity { x: value, y: -value };
                    let result = world.insert(e, v);
                    match model.get_mut(&e) {
                        Some(m) => assert_eq!(result.unwrap(), m.velocity.replace(v)),
                        None => assert!(result.is_err(), "insert on a dead entity"),
                    }
                }
            }
            3 => {
                if let Some(e) = pick(&all) {
                    let result = world.remove::<Position>(e);
                    match model.get_mut(&e) {
                        Some(m) => assert_eq!(result.unwrap(), m.position.take()),
                        None => assert!(result.is_err(), "remove on a dead entity"),
                    }
                }
            }
            5 => {
                // A batch reuses despawned indices first, then appends fresh ones.
                let n = usize::from(arg % 5);
                let bundles = (0..n).map(|i| {
                    let x = value + i as f32;
                    (Position { x, y: 1.0 }, Velocity { x: -x, y: 0.0 })
                });
                let spawned = world.spawn_batch(bundles);
                assert_eq!(spawned.len(), n);
                for (i, &e) in spawned.iter().enumerate() {
                    let x = value + i as f32;
                    let m = Model {
                        position: Some(Position { x, y: 1.0 }),
                        velocity: Some(Velocity { x: -x, y: 0.0 }),
                    };
                    assert!(model.insert(e, m).is_none(), "batch reused a live entity");
                    all.push(e);
                }
            }
            4 => {
                if let Some(e) = pick(&dead) {
                    // A stale handle never reaches a reused slot's components.
                    if !model.contains_key(&e) {
                        assert!(world.get_mut::<Position>(e).is_none());
                        assert!(!world.is_alive(e));
                    }
                }
            }
            _ => {
                if let Some(e) = pick(&all) {
                    let expected = model.get(&e).cloned().unwrap_or_default();
                    assert_eq!(world.get_mut::<Position>(e).copied(), expected.position);
                    assert_eq!(world.get_mut::<Velocity>(e).copied(), expected.velocity);
                }
            }
        }
        assert_eq!(world.len(), model.len());
    }
});
