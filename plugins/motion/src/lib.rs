//! # playground-motion
//!
//! A plugin: every frame, `Position += Velocity * dt * SPEED_SCALE`, on the host's threads
//! (`par_for_each` runs on the executor the host lent the world).
//!
//! `SPEED_SCALE` is what the live demo edits while it runs: save, and the host rebuilds and
//! reloads this plugin (and the plugins that depend on it) with every entity where it was,
//! moving at the new speed.

use playground_ecs_view::{EcsPlugin, PluginCore, Schedule, SystemDesc, World};
use playground_kernel::{ViewId, ViewModelTrait};
use playground_kinematics::{DT, Position, Velocity};

/// The factor this build applies to every velocity.
pub const SPEED_SCALE: f32 = 1.0;

/// The plugin's instance. It has no state of its own: what it moves is in the world.
#[derive(Debug, Default)]
pub struct Motion;

impl ViewModelTrait for Motion {
    fn view_id(&self) -> ViewId {
        ViewId::from_name("playground.plugin.motion")
    }
    fn api_version(&self) -> u64 {
        <PluginCore as playground_kernel::module::Core>::API_VERSION
    }
    // Motion keeps no state: the trait's default save writes none and restore refuses any.
}

impl EcsPlugin for Motion {
    fn attach(&self, world: &mut World) {
        playground_kinematics::register(world);
    }

    fn systems(&self, schedule: &mut Schedule) {
        let desc = SystemDesc::new("motion")
            .reads::<Velocity>()
            .writes::<Position>();
        schedule.add(desc, |world| {
            let k = DT * SPEED_SCALE;
            world
                .query::<(&mut Position, &Velocity)>()
                .par_for_each(|(p, v)| {
                    p.x += v.x * k;
                    p.y += v.y * k;
                })
        });
    }
}

playground_kernel::export_module! {
    core: PluginCore,
    create: || Box::new(Motion) as Box<dyn EcsPlugin>,
    migrations: [],
}
