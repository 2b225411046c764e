//! The module set the plugin tests run: the ECS system module, `playground-motion`,
//! `playground-bounce` and the fixture plugin (which depends on motion), built together.

use crate::{fixture_build, fixtures_dir, workspace};
use playground_ecs_view::{EcsView, Entity, World};
use playground_host::{ModuleSet, SetError, ThreadPool};
use playground_kernel::sync::StdArc;
use playground_loader::manifest::{self, Manifest};
use playground_loader::resolve::{Resolution, resolve};
use playground_loader::{BuildError, HostOptions};
use playground_registry::BindingRegistry;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The ECS system module.
pub const SYSTEM: &str = "playground-ecs-viewmodel";
/// The motion plugin.
pub const MOTION: &str = "playground-motion";
/// The bounce plugin (depends on motion).
pub const BOUNCE: &str = "playground-bounce";
/// The fixture plugin (depends on motion).
pub const FIXTURE: &str = "playground-fixture-plugin";

/// Builds the set with the fixture plugin's `features` (comma-separated) in one cargo run
/// (once per variant per test process), and returns stable copies of every library, so a
/// later build cannot overwrite them.
pub fn set_libraries(features: &str) -> Result<BTreeMap<String, PathBuf>, BuildError> {
    static BUILT: OnceLock<Mutex<HashMap<String, BTreeMap<String, PathBuf>>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(libraries) = built.get(features) {
        return Ok(libraries.clone());
    }
    let target = fixtures_dir();
    let build = fixture_build(SYSTEM, features, &format!("{FIXTURE}/"));
    let artifacts = build.run_with(&[MOTION, BOUNCE, FIXTURE])?;
    let variant = if features.is_empty() {
        "default".to_owned()
    } else {
        features.replace(',', "+")
    };
    let dir = target.join("sets").join(variant);
    std::fs::create_dir_all(&dir).expect("creating the variant directory");
    let stable = artifacts
        .into_iter()
        .map(|(name, artifact)| {
            let copy = dir.join(artifact.file_name().expect("a library file"));
            std::fs::copy(&artifact, &copy).expect("copying the library");
            (name, copy)
        })
        .collect::<BTreeMap<_, _>>();
    built.insert(features.to_owned(), stable.clone());
    Ok(stable)
}

/// The set's resolution, from the workspace's manifests and an app listing the three
/// plugins.
pub fn resolution() -> Resolution {
    let app = format!(
        "[package]\nname = \"plugin-tests\"\nversion = \"0.1.0\"\n\
         [package.metadata.playground.app]\n\
         cores = {{ \"playground.ecs\" = [\"entities\", \"snapshots\", \"schedules\"] }}\n\
         systems = [\"{SYSTEM}\"]\n\
         plugins = [\n\
           {{ name = \"{MOTION}\", core = \"playground.ecs\", features = [] }},\n\
           {{ name = \"{BOUNCE}\", core = \"playground.ecs\", features = [] }},\n\
           {{ name = \"{FIXTURE}\", core = \"playground.ecs\", features = [] }},\n\
         ]\n"
    );
    let app: Manifest =
        manifest::parse(&workspace().join("Cargo.toml"), &app, None).expect("the test app");
    let root = workspace();
    let members = manifest::workspace_members(&root).expect("the workspace's manifests");
    resolve(&app, &members).expect("the test app resolves")
}

/// Loads the set from `libraries` with `options`, on a pool of the host's threads.
pub fn load_set(
    libraries: &BTreeMap<String, PathBuf>,
    options: HostOptions,
) -> Result<ModuleSet, SetError> {
    let executor = StdArc::new(ThreadPool::new().expect("the host's threads"));
    ModuleSet::load(
        &resolution(),
        libraries,
        StdArc::new(BindingRegistry::new()),
        options,
        executor,
        |module, binder| binder.publish::<dyn EcsView>(module.ecs()),
    )
}

pub use playground_kinematics::mover;

/// Spawns `count` movers the host's way, through the codecs the plugins registered.
pub fn spawn_movers(world: &mut World, count: usize, seed: u64) -> Vec<Entity> {
    playground_kinematics::spawn_movers(world, count, seed).expect("motion registered them")
}
