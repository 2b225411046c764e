//! The resolver run from an app's `build.rs`: an app whose declared systems do not provide
//! what it or its plugins need fails to build, with the resolver's message.
//!
//! An app's `build.rs` calls [`check_app_build`] from `main` (see `demo/build.rs`).

use crate::error::{ManifestError, ResolveError};
use crate::manifest::{self, Manifest};
use crate::resolve::{Resolution, resolve};
use std::path::Path;

/// Why an app's modules do not fit together.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The app is not inside a workspace, so its modules cannot be found.
    #[error("{0} is not inside a cargo workspace")]
    NoWorkspace(String),
    /// The app's needs cannot be met.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
}

/// Resolves the app whose package is at `app_dir` against its workspace's modules.
pub fn check_app(app_dir: &Path) -> Result<Resolution, CheckError> {
    let root = manifest::workspace_root(app_dir)
        .ok_or_else(|| CheckError::NoWorkspace(app_dir.display().to_string()))?;
    let members = manifest::workspace_members(&root)?;
    let version = manifest::workspace_version(&root);
    let app: Manifest = manifest::load(&app_dir.join("Cargo.toml"), version.as_ref())?;
    Ok(resolve(&app, &members)?)
}

/// For `build.rs`: resolves the app being built and fails the build with the resolver's
/// message if its needs cannot be met. Reruns when any manifest of the workspace changes.
pub fn check_app_build() -> Resolution {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    let dir = Path::new(&dir);
    if let Some(root) = manifest::workspace_root(dir) {
        println!(
            "cargo:rerun-if-changed={}",
            root.join("Cargo.toml").display()
        );
    }
    println!("cargo:rerun-if-changed=Cargo.toml");
    match check_app(dir) {
        Ok(resolution) => resolution,
        Err(e) => panic!("playground: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn workspace(app_features: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"systems/*\"]\n[workspace.package]\nversion = \"0.4.0\"\n",
        );
        write(
            root,
            "systems/ecs/Cargo.toml",
            "[package]\nname = \"ecs\"\nversion.workspace = true\n\
             [package.metadata.playground]\nimplements = \"playground.ecs\"\nprovides = [\"entities\"]\n",
        );
        write(
            root,
            "app/Cargo.toml",
            &format!(
                "[package]\nname = \"game\"\nversion = \"1.0.0\"\n\
                 [package.metadata.playground.app]\ncores = {{ \"playground.ecs\" = [{app_features}] }}\n\
                 systems = [{{ name = \"ecs\", version = \"^0.4\" }}]\n"
            ),
        );
        dir
    }

    #[test]
    fn an_app_whose_systems_provide_its_features_passes() {
        let ws = workspace("\"entities\"");
        let r = check_app(&ws.path().join("app")).unwrap();
        assert_eq!(r.load_order, ["ecs"]);
    }

    #[test]
    fn an_app_needing_a_missing_feature_fails_with_the_resolver_message() {
        let ws = workspace("\"entities\", \"audio\"");
        let err = check_app(&ws.path().join("app")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "module `ecs` lacks feature `audio`, needed by app `game`"
        );
    }
}
