//! Gameplay plugins as the loader sees them: [`PluginCore`] names the contract, [`EcsPlugin`]
//! is what a loaded plugin hands the host.
//!
//! A plugin is a small module of gameplay behaviour that uses the ECS core's model and
//! nothing of the system module's code: component types it registers (persistent ones are
//! carried by world snapshots), systems with what they read and write (so a schedule runs
//! disjoint ones at once), and event handlers. Its own state, if any, is its
//! `ViewModelTrait` state, carried across its reloads like a system module's.

use crate::fingerprint::{API_VERSION, STATE_FORMAT_VERSION};
use crate::model::{Schedule, World};
use playground_kernel::ViewModelTrait;
use playground_kernel::module::Core;

/// A loaded plugin.
pub trait EcsPlugin: ViewModelTrait {
    /// Registers the component types the plugin uses on `world` (persistent ones with their
    /// codec) and subscribes its event handlers. Called on every world the plugin joins: at
    /// load, and on the rebuilt world of each reload of its module set, before that world's
    /// saved state is restored into it (so the state's components are known).
    fn attach(&self, world: &mut World);

    /// Adds the plugin's systems, with what each reads and writes, to `schedule`.
    fn systems(&self, schedule: &mut Schedule);
}

/// The plugin contract, for the loader: `ModuleLibrary::<PluginCore>::open(path)`.
///
/// Its fingerprints are the ECS core's: a plugin is compiled against the core's model, and a
/// plugin with state of its own declares that state's format in its export.
pub struct PluginCore;

impl Core for PluginCore {
    const NAME: &'static str = "playground.ecs.plugin";
    const API_VERSION: u64 = API_VERSION;
    const STATE_FORMAT_VERSION: u64 = STATE_FORMAT_VERSION;
    type Instance = dyn EcsPlugin;
}
