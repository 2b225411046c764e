//! The ECS core as the loader sees it: [`EcsCore`] names the contract and its fingerprints,
//! [`EcsModule`] is what a loaded ECS module hands the host.

use super::EcsView;
use crate::fingerprint::{API_VERSION, STATE_FORMAT_VERSION};
use crate::model::World;
use playground_kernel::ViewModelTrait;
use playground_kernel::module::Core;
use playground_kernel::sync::StdArc;

/// A loaded ECS module: it owns the world (its state, carried across reloads as a snapshot)
/// and hands out its View implementations for the host to bind.
///
/// Hosts reach a loaded module's world only through its Views. Component types are
/// registered and accessed by module code, so typed access stays within one compiled copy
/// of the model code.
pub trait EcsModule: ViewModelTrait {
    /// The world the module hosts.
    fn world(&self) -> &World;
    /// The world the module hosts, mutably.
    fn world_mut(&mut self) -> &mut World;
    /// The ECS API implementation, to bind as `dyn EcsView`.
    fn ecs(&self) -> StdArc<dyn EcsView>;
}

/// The ECS core contract, for the loader: `load::<EcsCore>(path)`.
pub struct EcsCore;

impl Core for EcsCore {
    const NAME: &'static str = "playground.ecs";
    const API_VERSION: u64 = API_VERSION;
    const STATE_FORMAT_VERSION: u64 = STATE_FORMAT_VERSION;
    type Instance = dyn EcsModule;
}
