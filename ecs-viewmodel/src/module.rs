//! This crate as a loadable module: [`HostedWorld`] owns the world and hands out the View
//! implementations; the crate's `cdylib` exports it as `PLAYGROUND_MODULE` (unless the
//! `embedded` feature is on, for crates that wrap this module in an export of their own).

use crate::EcsViewModel;
use playground_ecs_view::fingerprint::API_VERSION;
use playground_ecs_view::{EcsModule, EcsView, World};
use playground_kernel::sync::StdArc;
use playground_kernel::{StateError, View, ViewId, ViewModelTrait};

/// A loaded ECS module's instance: the one world it hosts (its state) and the stateless View
/// implementation. The world starts with no component types: plugins register theirs
/// (`EcsPlugin::attach`), and a module wrapping this one may register its own.
pub struct HostedWorld {
    world: World,
    ecs: StdArc<EcsViewModel>,
}

impl Default for HostedWorld {
    fn default() -> Self {
        Self {
            world: World::new(),
            ecs: StdArc::new(EcsViewModel),
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
}

#[cfg(not(feature = "embedded"))]
playground_kernel::export_module! {
    core: playground_ecs_view::EcsCore,
    create: || Box::new(HostedWorld::default()) as Box<dyn EcsModule>,
    migrations: [],
}
