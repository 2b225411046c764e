//! `[package.metadata.playground]`: what a module or app declares in its `Cargo.toml`.
//!
//! ```toml
//! # A system module: implements a core, provides features, may require other modules.
//! [package.metadata.playground]
//! implements = "playground.ecs"
//! provides = ["entities", "snapshots", "motion"]
//! requires = { "playground-physics" = "^0.2" }
//!
//! # A plugin: extends a core (runs on its system), may require other plugins.
//! [package.metadata.playground]
//! extends = "playground.ecs"
//! requires = { "playground-motion" = "^0.1" }
//!
//! # An app: the cores and features it needs, and systems in preference order.
//! [package.metadata.playground.app]
//! cores = { "playground.ecs" = ["entities", "motion"] }
//! systems = ["playground-ecs-viewmodel", { name = "playground-ecs-lite", version = ">=0.3" }]
//! plugins = [{ name = "replay", core = "playground.ecs", features = ["snapshots"] }]
//! ```

use crate::error::ManifestError;
use semver::{Version, VersionReq};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One package's manifest, as far as the loader cares.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The package name.
    pub name: String,
    /// The package version.
    pub version: Version,
    /// What it declares in `[package.metadata.playground]`, if anything.
    pub playground: Option<Declaration>,
}

/// `[package.metadata.playground]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Declaration {
    /// The core this package is (a core module names itself), e.g. `playground.ecs`.
    #[serde(default)]
    pub core: Option<String>,
    /// The core this system module implements.
    #[serde(default)]
    pub implements: Option<String>,
    /// The core this plugin extends (a plugin runs on that core's chosen system).
    #[serde(default)]
    pub extends: Option<String>,
    /// Features this system provides.
    #[serde(default)]
    pub provides: Vec<String>,
    /// Other modules this one needs loaded first, with version ranges.
    #[serde(default)]
    pub requires: BTreeMap<String, VersionReq>,
    /// Present when the package is an app.
    #[serde(default)]
    pub app: Option<AppNeeds>,
}

/// `[package.metadata.playground.app]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppNeeds {
    /// Each core needed, with the features the app needs of it.
    pub cores: BTreeMap<String, Vec<String>>,
    /// Candidate systems, primary first.
    pub systems: Vec<SystemChoice>,
    /// Plugins the app embeds, with what they need.
    #[serde(default)]
    pub plugins: Vec<Plugin>,
}

/// A candidate system: a name, optionally with a version range.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SystemChoice {
    /// Any version.
    Name(String),
    /// A version range.
    Ranged {
        /// The module name.
        name: String,
        /// The range it must satisfy.
        version: VersionReq,
    },
}

impl SystemChoice {
    /// The module's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Name(n) | Self::Ranged { name: n, .. } => n,
        }
    }

    /// The range asked for (`*` when none).
    pub fn version(&self) -> VersionReq {
        match self {
            Self::Name(_) => VersionReq::STAR,
            Self::Ranged { version, .. } => version.clone(),
        }
    }
}

/// A plugin of an app, with the features it needs of a core.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plugin {
    /// The plugin's name.
    pub name: String,
    /// The core it uses.
    pub core: String,
    /// The features it needs of that core's system.
    pub features: Vec<String>,
}

#[derive(Deserialize)]
struct CargoToml {
    package: Option<Package>,
    workspace: Option<Workspace>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<toml::Value>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    playground: Option<Declaration>,
}

#[derive(Deserialize)]
struct Workspace {
    #[serde(default)]
    members: Vec<String>,
    package: Option<WorkspacePackage>,
}

#[derive(Deserialize)]
struct WorkspacePackage {
    version: Option<Version>,
}

fn invalid(path: &Path, reason: impl ToString) -> ManifestError {
    ManifestError::Invalid {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

fn read(path: &Path) -> Result<CargoToml, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_toml(path, &text)
}

fn parse_toml(path: &Path, text: &str) -> Result<CargoToml, ManifestError> {
    toml::from_str(text).map_err(|e| invalid(path, e))
}

/// Parses a `Cargo.toml`'s text; `workspace_version` fills in `version.workspace = true`.
pub fn parse(
    path: &Path,
    text: &str,
    workspace_version: Option<&Version>,
) -> Result<Manifest, ManifestError> {
    let toml = parse_toml(path, text)?;
    let package = toml
        .package
        .ok_or_else(|| invalid(path, "no [package] table"))?;
    let version = match &package.version {
        Some(toml::Value::String(v)) => Version::parse(v).map_err(|e| invalid(path, e))?,
        Some(toml::Value::Table(t)) if t.get("workspace") == Some(&toml::Value::Boolean(true)) => {
            workspace_version
                .cloned()
                .ok_or_else(|| invalid(path, "version.workspace = true outside a workspace"))?
        }
        None => Version::new(0, 0, 0),
        Some(other) => return Err(invalid(path, format!("bad version {other:?}"))),
    };
    Ok(Manifest {
        name: package.name,
        version,
        playground: package.metadata.and_then(|m| m.playground),
    })
}

/// Reads the `Cargo.toml` at `path`.
pub fn load(path: &Path, workspace_version: Option<&Version>) -> Result<Manifest, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(path, &text, workspace_version)
}

/// The workspace root above `dir` (the nearest `Cargo.toml` with a `[workspace]` table).
pub fn workspace_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| {
            read(&d.join("Cargo.toml"))
                .map(|t| t.workspace.is_some())
                .unwrap_or(false)
        })
        .map(Path::to_owned)
}

/// The `[workspace.package] version` of the workspace rooted at `root`, if it sets one.
pub fn workspace_version(root: &Path) -> Option<Version> {
    read(&root.join("Cargo.toml"))
        .ok()?
        .workspace?
        .package?
        .version
}

/// The `Cargo.toml` paths of the members of the workspace rooted at `root` (members listed
/// by path or by a trailing `/*` glob).
pub fn member_manifest_paths(root: &Path) -> Result<Vec<PathBuf>, ManifestError> {
    let path = root.join("Cargo.toml");
    let ws = read(&path)?
        .workspace
        .ok_or_else(|| invalid(&path, "no [workspace] table"))?;
    let mut dirs = Vec::new();
    for member in &ws.members {
        if let Some(parent) = member.strip_suffix("/*") {
            let entries =
                std::fs::read_dir(root.join(parent)).map_err(|source| ManifestError::Io {
                    path: root.join(parent),
                    source,
                })?;
            dirs.extend(entries.flatten().map(|e| e.path()));
        } else {
            dirs.push(root.join(member));
        }
    }
    dirs.sort();
    Ok(dirs
        .iter()
        .map(|d| d.join("Cargo.toml"))
        .filter(|p| p.is_file())
        .collect())
}

/// Every member manifest of the workspace rooted at `root`.
pub fn workspace_members(root: &Path) -> Result<Vec<Manifest>, ManifestError> {
    let version = workspace_version(root);
    member_manifest_paths(root)?
        .iter()
        .map(|p| load(p, version.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSTEM: &str = r#"
        [package]
        name = "ecs-fast"
        version = "0.3.1"
        [package.metadata.playground]
        implements = "playground.ecs"
        provides = ["entities", "motion"]
        requires = { "physics" = "^1.2" }
    "#;

    #[test]
    fn a_system_declaration_parses() {
        let m = parse(Path::new("Cargo.toml"), SYSTEM, None).unwrap();
        assert_eq!(m.name, "ecs-fast");
        assert_eq!(m.version, Version::new(0, 3, 1));
        let d = m.playground.unwrap();
        assert_eq!(d.implements.as_deref(), Some("playground.ecs"));
        assert_eq!(d.provides, ["entities", "motion"]);
        assert_eq!(d.requires["physics"], VersionReq::parse("^1.2").unwrap());
    }

    #[test]
    fn an_app_declaration_parses_both_system_forms() {
        let text = r#"
            [package]
            name = "game"
            version.workspace = true
            [package.metadata.playground.app]
            cores = { "playground.ecs" = ["entities"] }
            systems = ["ecs-fast", { name = "ecs-lite", version = ">=0.2" }]
            plugins = [{ name = "replay", core = "playground.ecs", features = ["snapshots"] }]
        "#;
        let m = parse(Path::new("Cargo.toml"), text, Some(&Version::new(1, 0, 0))).unwrap();
        assert_eq!(m.version, Version::new(1, 0, 0));
        let app = m.playground.unwrap().app.unwrap();
        assert_eq!(app.systems[0].name(), "ecs-fast");
        assert_eq!(app.systems[0].version(), VersionReq::STAR);
        assert_eq!(
            app.systems[1].version(),
            VersionReq::parse(">=0.2").unwrap()
        );
        assert_eq!(app.plugins[0].features, ["snapshots"]);
    }

    #[test]
    fn bad_manifests_are_typed_errors_naming_the_problem() {
        let path = Path::new("bad/Cargo.toml");
        let unknown_key = "[package]\nname = \"x\"\nversion = \"1.0.0\"\n\
                           [package.metadata.playground]\nimplement = \"typo\"\n";
        let err = parse(path, unknown_key, None).unwrap_err().to_string();
        assert!(
            err.contains("bad/Cargo.toml") && err.contains("implement"),
            "{err}"
        );
        let bad_range = "[package]\nname = \"x\"\nversion = \"1.0.0\"\n\
                         [package.metadata.playground]\nrequires = { y = \"~~1\" }\n";
        assert!(matches!(
            parse(path, bad_range, None),
            Err(ManifestError::Invalid { .. })
        ));
        assert!(matches!(
            parse(path, "[package", None),
            Err(ManifestError::Invalid { .. })
        ));
        let bad_version = "[package]\nname = \"x\"\nversion = \"one\"\n";
        assert!(parse(path, bad_version, None).is_err());
    }

    #[test]
    fn this_workspace_declares_the_ecs_modules() {
        let root = workspace_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let members = workspace_members(&root).unwrap();
        let ecs = members
            .iter()
            .find(|m| m.name == "playground-ecs-viewmodel")
            .unwrap();
        let decl = ecs.playground.as_ref().unwrap();
        assert_eq!(decl.implements.as_deref(), Some("playground.ecs"));
    }
}
