//! This crate as a loadable module: [`HostedWorld`] owns the world and hands out the View
//! implementations; the crate's `cdylib` exports it as `PLAYGROUND_MODULE` (unless the
//! `embedded` feature is on, for crates that wrap this module in an export of their own).

use crate::EcsViewModel;
use crate::motion::Motion;
use playground_ecs_view::fingerprint::API_VERSION;
use playground_ecs_view::{EcsModule, EcsView, MotionView, World};
use playground_kernel::sync::StdArc;
use playground_kernel::{StateError, View, ViewId, ViewModelTrait};

/// A loaded ECS module's instance: the one world it hosts (its state), the stateless View
/// implementation, its motion system.
pub struct HostedWorld {
    world: World,
    ecs: StdArc<EcsViewModel>,
    motion: StdArc<dyn MotionView>,
}

impl Default for HostedWorld {
    fn default() -> Self {
        Self::with_motion(StdArc::new(Motion::default()))
    }
}

impl HostedWorld {
    /// A module whose motion system is `motion`; its world has the motion components
    /// registered, so a snapshot that carries them can be restored into it.
    pub fn with_motion(motion: StdArc<dyn MotionView>) -> Self {
        let mut world = World::new();
        motion.register(&mut world);
        Self {
            world,
            ecs: StdArc::new(EcsViewModel),
            motion,
        }
    }
}

impl ViewModelTrait for HostedWorld {
    fn view_id(&self) -> ViewId {
        <dyn EcsView as View>::VIEW_ID
    }
    fn api_version(&self) -> u64 {
        API_VERSION
    }
    fn save_state(&self) -> Result<Vec<u8>, StateError> {
        crate::snapshot::save(&self.world).map_err(crate::state_error)
    }
    fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        crate::snapshot::restore(&mut self.world, bytes).map_err(crate::state_error)
    }
}

impl EcsModule for HostedWorld {
    fn world(&self) -> &World {
        &self.world
    }
    fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
    fn ecs(&self) -> StdArc<dyn EcsView> {
        self.ecs.clone()
    }
    fn motion(&self) -> StdArc<dyn MotionView> {
        self.motion.clone()
    }
}

#[cfg(not(feature = "embedded"))]
playground_kernel::export_module! {
    core: playground_ecs_view::EcsCore,
    create: || Box::new(HostedWorld::default()) as Box<dyn EcsModule>,
    migrations: [],
}
