//! Helpers of the integration tests: building module libraries once per variant, and a
//! host with the ECS views bound; an HTTP client for the remote endpoint.

pub mod http_client;
pub mod plugin_set;

use playground_ecs_view::{EcsCore, EcsView, Entity};
use playground_fixture_probe::{ProbeCore, ProbeView};
use playground_kernel::sync::StdArc;
use playground_kinematics::{Position, mover};
use playground_loader::{HostOptions, LoadError, ModuleBuild, ModuleHost};
use playground_registry::BindingRegistry;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_owned()
}

/// A module library to build: the ECS module itself, or the fixture with some features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// `playground-ecs-viewmodel` as shipped.
    Ecs,
    /// `playground-fixture-module` with these features (comma-separated, may be empty).
    Fixture(&'static str),
}

/// Where the tests build module libraries: not the test's own target directory, since a
/// cargo inside `cargo test` must not wait on the outer cargo's lock.
pub fn fixtures_dir() -> PathBuf {
    workspace().join("target").join("fixtures")
}

/// A build of `package` into [`fixtures_dir`] with `features` (comma-separated), each
/// prefixed by `feature_prefix` (`"pkg/"` to name another package's).
pub fn fixture_build(package: &str, features: &str, feature_prefix: &str) -> ModuleBuild {
    let mut build = ModuleBuild::new(package, workspace());
    build.target_dir = Some(fixtures_dir());
    // The module is built with plain flags even when these tests run under a sanitizer
    // (whose RUSTFLAGS would otherwise reach the nested build's build scripts).
    build
        .env
        .push(("CARGO_ENCODED_RUSTFLAGS".into(), String::new()));
    build.features = features
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| format!("{feature_prefix}{f}"))
        .collect();
    build
}

/// Builds `variant` (once per test process) and returns a stable copy of its library, so a
/// later build of another variant cannot overwrite it.
///
/// Modules are built into `target/fixtures`, not the test's own target directory: a cargo
/// inside `cargo test` must not wait on the outer cargo's lock.
pub fn library(variant: Variant) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<Variant, PathBuf>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    // One build at a time: every variant of the fixture writes the same output file.
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = built.get(&variant) {
        return path.clone();
    }
    let target = fixtures_dir();
    let (package, features) = match variant {
        Variant::Ecs => ("playground-ecs-viewmodel", ""),
        Variant::Fixture(f) => ("playground-fixture-module", f),
    };
    let build = fixture_build(package, features, "");
    let artifact = build
        .run()
        .unwrap_or_else(|e| panic!("building {variant:?}: {e}"));
    let name = format!(
        "{package}-{}.{}",
        if features.is_empty() {
            "default"
        } else {
            features
        }
        .replace(',', "+"),
        std::env::consts::DLL_EXTENSION
    );
    let stable = target.join("variants").join(name);
    std::fs::create_dir_all(stable.parent().unwrap()).unwrap();
    std::fs::copy(&artifact, &stable).unwrap();
    built.insert(variant, stable.clone());
    stable
}

/// Loads `path` (the fixture module: the probe core) and binds its `EcsView` and
/// `ProbeView`.
pub fn host(path: &Path) -> Result<ModuleHost<ProbeCore>, LoadError> {
    let registry = StdArc::new(BindingRegistry::new());
    ModuleHost::<ProbeCore>::load(path, registry, HostOptions::default(), |module, binder| {
        binder.publish::<dyn EcsView>(module.ecs())?;
        binder.publish::<dyn ProbeView>(module.probe())
    })
}

/// Loads `path` (the ECS module as shipped) and binds its `EcsView`.
pub fn ecs_host(path: &Path) -> Result<ModuleHost<EcsCore>, LoadError> {
    let registry = StdArc::new(BindingRegistry::new());
    ModuleHost::<EcsCore>::load(path, registry, HostOptions::default(), |module, binder| {
        binder.publish::<dyn EcsView>(module.ecs())
    })
}

/// Every entity's position, read by component id (as any host reads a module's world).
pub fn positions(host: &ModuleHost<ProbeCore>, entities: &[Entity]) -> Vec<Option<Position>> {
    let world = host.instance().world();
    entities
        .iter()
        .map(|&e| mover(world, e).map(|(p, _)| p))
        .collect()
}
