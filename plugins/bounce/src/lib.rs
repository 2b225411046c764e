//! # playground-bounce
//!
//! A plugin that depends on `playground-motion`: after motion has moved everything, a mover
//! past a wall of the arena `[-ARENA, ARENA]²` and still heading out has that velocity
//! component reflected. It counts the bounces: its own state, carried across its reloads.

use playground_ecs_view::{EcsPlugin, PluginCore, Schedule, SystemDesc, World};
use playground_kernel::sync::atomic::AtomicU64;
use playground_kernel::sync::{Ordering, StdArc};
use playground_kernel::{StateError, ViewId, ViewModelTrait};
use playground_kinematics::{Position, Velocity};

/// Half the side of the square arena, centred on the origin.
pub const ARENA: f32 = 4.0;

/// The plugin's instance: the number of bounces so far.
#[derive(Debug, Default)]
pub struct Bounce {
    bounces: StdArc<AtomicU64>,
}

impl ViewModelTrait for Bounce {
    fn view_id(&self) -> ViewId {
        ViewId::from_name("playground.plugin.bounce")
    }
    fn api_version(&self) -> u64 {
        <PluginCore as playground_kernel::module::Core>::API_VERSION
    }
    fn save_state(&self) -> Result<Vec<u8>, StateError> {
        Ok(self.bounces.load(Ordering::Relaxed).to_le_bytes().to_vec())
    }
    fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        let count: [u8; 8] = bytes.try_into().map_err(|_| StateError::Truncated {
            needed: 8,
            available: bytes.len(),
        })?;
        self.bounces
            .store(u64::from_le_bytes(count), Ordering::Relaxed);
        Ok(())
    }
}

/// Reflects `v` if `p` is past a wall and `v` still points out of the arena.
fn reflect(p: f32, v: &mut f32) -> bool {
    let out = (p > ARENA && *v > 0.0) || (p < -ARENA && *v < 0.0);
    if out {
        *v = -*v;
    }
    out
}

impl EcsPlugin for Bounce {
    fn attach(&self, world: &mut World) {
        playground_kinematics::register(world);
    }

    fn systems(&self, schedule: &mut Schedule) {
        let desc = SystemDesc::new("bounce")
            .reads::<Position>()
            .writes::<Velocity>()
            .after("motion");
        let bounces = self.bounces.clone();
        schedule.add(desc, move |world| {
            let mut n = 0;
            world
                .query::<(&Position, &mut Velocity)>()
                .for_each(|(p, v)| {
                    n += u64::from(reflect(p.x, &mut v.x)) + u64::from(reflect(p.y, &mut v.y));
                })?;
            bounces.fetch_add(n, Ordering::Relaxed);
            Ok(())
        });
    }
}

playground_kernel::export_module! {
    core: PluginCore,
    create: || Box::new(Bounce::default()) as Box<dyn EcsPlugin>,
    state_version: playground_kernel::fnv1a_64("playground-bounce/state: u64 bounces"),
    migrations: [],
}

#[cfg(test)]
mod tests {
    use super::reflect;

    #[test]
    fn only_a_mover_past_a_wall_and_heading_out_is_reflected() {
        let mut v = 1.0;
        assert!(!reflect(3.9, &mut v));
        assert!(reflect(4.1, &mut v));
        assert_eq!(v, -1.0);
        assert!(!reflect(4.1, &mut v), "already heading back in");
        let mut v = -0.5;
        assert!(reflect(-4.5, &mut v));
        assert_eq!(v, 0.5);
    }
}
