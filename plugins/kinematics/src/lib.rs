//! # playground-kinematics
//!
//! The components the motion plugins share: a 2-D [`Position`] and [`Velocity`]. Plain data,
//! persistent (serde), so a world snapshot, and so a hot reload, carries them.
//!
//! They live in their own crate, not in a plugin, because two plugins use them: each plugin
//! library links this crate, and a plugin library cannot link another plugin's (both would
//! export the module symbol). Hosts use the types only to encode and decode values (remote
//! codecs, [`spawn_movers`] and [`mover`]); typed access stays inside plugin code.

use playground_ecs_view::{Component, EcsError, Entity, World};
use serde::{Deserialize, Serialize};

/// The simulation step of one frame, in seconds: what motion advances by each frame.
pub const DT: f32 = 1.0 / 60.0;

/// Where an entity is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Horizontal coordinate.
    pub x: f32,
    /// Vertical coordinate.
    pub y: f32,
}

/// How fast an entity moves, in units per second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Velocity {
    /// Horizontal speed.
    pub x: f32,
    /// Vertical speed.
    pub y: f32,
}

playground_ecs_view::component!(
    Position = "kinematics.Position",
    Velocity = "kinematics.Velocity",
);

/// Registers `Position` and `Velocity` as persistent components of `world` (what a plugin
/// using them does in its `attach`, so snapshots carry them).
pub fn register(world: &mut World) {
    world.register_persistent::<Position>();
    world.register_persistent::<Velocity>();
}

/// A SplitMix64 step: deterministic velocities without a random-number dependency.
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn unit(state: &mut u64) -> f32 {
    // 24 random bits mapped onto [-1, 1).
    (split_mix(state) >> 40) as f32 / (1u64 << 23) as f32 - 1.0
}

/// `count` movers at the origin with velocities in `[-1, 1)²`, the same for the same `seed`.
pub fn movers(count: usize, seed: u64) -> Vec<(Position, Velocity)> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            let v = Velocity {
                x: unit(&mut state),
                y: unit(&mut state),
            };
            (Position::default(), v)
        })
        .collect()
}

fn encoded<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("two f32s always encode")
}

/// Spawns [`movers`] the way a host does: through the components' codecs (a plugin
/// registered them on `world`), never through typed access to types a plugin library owns.
/// Fails, leaving the spawned entities without movement, if no plugin registered them.
pub fn spawn_movers(world: &mut World, count: usize, seed: u64) -> Result<Vec<Entity>, EcsError> {
    movers(count, seed)
        .into_iter()
        .map(|(p, v)| {
            let e = world.spawn(());
            world.insert_encoded(e, Position::ID, &encoded(&p))?;
            world.insert_encoded(e, Velocity::ID, &encoded(&v))?;
            Ok(e)
        })
        .collect()
}

/// `entity`'s position and velocity, decoded from their codecs; `None` if it lacks one.
pub fn mover(world: &World, entity: Entity) -> Option<(Position, Velocity)> {
    let p = world.get_encoded(entity, Position::ID).ok()??;
    let v = world.get_encoded(entity, Velocity::ID).ok()??;
    Some((
        postcard::from_bytes(&p).ok()?,
        postcard::from_bytes(&v).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_movers_and_velocities_are_in_range() {
        let (a, b) = (movers(50, 42), movers(50, 42));
        assert_eq!(a, b);
        assert_ne!(a, movers(50, 43));
        for (p, v) in a {
            assert_eq!(p, Position::default());
            assert!((-1.0..1.0).contains(&v.x) && (-1.0..1.0).contains(&v.y));
        }
    }
}
