//! The motion system: `Position += Velocity * dt * SPEED_SCALE`.
//!
//! `SPEED_SCALE` is the behaviour the live demo changes while it runs: edit it, save, and the
//! running host reloads this module with the entities where they were, moving at the new
//! speed.

use playground_ecs_view::{EcsError, Entity, MotionView, Position, Velocity, World};

/// The factor this build applies to every velocity.
pub const SPEED_SCALE: f32 = 1.0;

/// The motion system, with a speed scale fixed when it is built.
#[derive(Debug, Clone, Copy)]
pub struct Motion {
    scale: f32,
}

impl Default for Motion {
    fn default() -> Self {
        Self::new(SPEED_SCALE)
    }
}

impl Motion {
    /// A motion system multiplying velocities by `scale`.
    pub const fn new(scale: f32) -> Self {
        Self { scale }
    }
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

impl MotionView for Motion {
    fn register(&self, world: &mut World) {
        world.register_persistent::<Position>();
        world.register_persistent::<Velocity>();
    }

    fn spawn_movers(&self, world: &mut World, count: usize, seed: u64) -> Vec<Entity> {
        self.register(world);
        let mut state = seed;
        let movers = (0..count)
            .map(|_| {
                let v = Velocity {
                    x: unit(&mut state),
                    y: unit(&mut state),
                };
                (Position::default(), v)
            })
            .collect::<Vec<_>>();
        world.spawn_batch(movers)
    }

    fn step(&self, world: &World, dt: f32) -> Result<usize, EcsError> {
        let k = dt * self.scale;
        let mut moved = 0;
        world
            .query::<(&mut Position, &Velocity)>()
            .for_each(|(p, v)| {
                p.x += v.x * k;
                p.y += v.y * k;
                moved += 1;
            })?;
        Ok(moved)
    }

    fn position(&self, world: &World, entity: Entity) -> Option<Position> {
        world.get::<Position>(entity).map(|p| *p)
    }

    fn speed_scale(&self) -> f32 {
        self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_moves_by_velocity_times_scale() {
        let mut world = World::new();
        let double = Motion::new(2.0);
        let movers = double.spawn_movers(&mut world, 100, 7);
        assert_eq!(double.step(&world, 0.5), Ok(100));
        for &e in &movers {
            let v = *world.get::<Velocity>(e).unwrap();
            let p = double.position(&world, e).unwrap();
            assert_eq!(p, Position { x: v.x, y: v.y });
            assert!((-1.0..1.0).contains(&v.x) && (-1.0..1.0).contains(&v.y));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_velocities() {
        let (mut a, mut b) = (World::new(), World::new());
        let m = Motion::default();
        let ea = m.spawn_movers(&mut a, 10, 42);
        let eb = m.spawn_movers(&mut b, 10, 42);
        for (x, y) in ea.iter().zip(&eb) {
            assert_eq!(
                *a.get::<Velocity>(*x).unwrap(),
                *b.get::<Velocity>(*y).unwrap()
            );
        }
    }
}
