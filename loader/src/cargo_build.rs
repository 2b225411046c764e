//! Building a module with cargo and finding the library it produced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A module build that did not produce a library.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// cargo could not be started.
    #[error("cannot run cargo: {0}")]
    Spawn(#[from] std::io::Error),
    /// cargo ran and failed; `messages` holds the compiler's rendered diagnostics.
    #[error("cargo build -p {package} failed:\n{messages}")]
    Failed {
        /// The package.
        package: String,
        /// The compiler's errors, as rendered for a terminal.
        messages: String,
    },
    /// cargo succeeded but reported no dynamic library for the package.
    #[error("cargo built {package} but reported no dynamic library (is it a cdylib?)")]
    NoArtifact {
        /// The package.
        package: String,
    },
}

/// How to build a module: `cargo build -p <package> --message-format=json` plus options.
#[derive(Debug, Clone)]
pub struct ModuleBuild {
    /// The package to build.
    pub package: String,
    /// Build with `--release`.
    pub release: bool,
    /// The workspace to build in (cargo's working directory).
    pub workspace: PathBuf,
    /// A target directory other than the workspace's.
    pub target_dir: Option<PathBuf>,
    /// Cargo features to enable.
    pub features: Vec<String>,
    /// Extra environment for the build (e.g. compile-time configuration).
    pub env: Vec<(String, String)>,
}

impl ModuleBuild {
    /// Builds `package` in `workspace`, with the host's profile.
    pub fn new(package: impl Into<String>, workspace: impl Into<PathBuf>) -> Self {
        Self {
            package: package.into(),
            release: !cfg!(debug_assertions),
            workspace: workspace.into(),
            target_dir: None,
            features: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Runs the build and returns the path of the dynamic library it produced.
    pub fn run(&self) -> Result<PathBuf, BuildError> {
        let mut built = self.run_with(&[])?;
        built
            .remove(&self.package)
            .ok_or_else(|| BuildError::NoArtifact {
                package: self.package.clone(),
            })
    }

    /// Builds `self.package` and `others` in one cargo invocation, and returns each one's
    /// dynamic library by package name.
    ///
    /// The modules of one app are built together: one cargo run resolves features once, so
    /// every library links the very same build of each shared crate (the same type ids for
    /// the same component types), and crates already fresh cost only cargo's check.
    pub fn run_with(&self, others: &[&str]) -> Result<BTreeMap<String, PathBuf>, BuildError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(&self.workspace)
            .args(["build", "--lib", "--message-format=json-render-diagnostics"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let packages: Vec<&str> = std::iter::once(self.package.as_str())
            .chain(others.iter().copied())
            .collect();
        for package in &packages {
            cmd.args(["-p", package]);
        }
        if self.release {
            cmd.arg("--release");
        }
        if let Some(dir) = &self.target_dir {
            cmd.arg("--target-dir").arg(dir);
        }
        if !self.features.is_empty() {
            cmd.arg("--features").arg(self.features.join(","));
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let output = cmd.output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(BuildError::Failed {
                package: packages.join(", "),
                messages: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        packages
            .iter()
            .map(|package| {
                let library = artifact(&stdout, package).ok_or_else(|| BuildError::NoArtifact {
                    package: (*package).to_owned(),
                })?;
                Ok(((*package).to_owned(), library))
            })
            .collect()
    }
}

/// The dynamic library in cargo's JSON messages for `package` (last one wins).
fn artifact(messages: &str, package: &str) -> Option<PathBuf> {
    let crate_name = package.replace('-', "_");
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| {
            m["reason"] == "compiler-artifact" && m["target"]["name"] == crate_name.as_str()
        })
        .flat_map(|m| {
            m["filenames"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|f| f.as_str().map(PathBuf::from))
                .collect::<Vec<_>>()
        })
        .rfind(|p| is_dynamic_library(p))
}

fn is_dynamic_library(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == std::env::consts::DLL_EXTENSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdylib_is_found_among_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"serde"},"filenames":["/t/libserde.rlib"]}
not json
{"reason":"compiler-artifact","target":{"name":"my_module"},"filenames":["/t/libmy_module.rlib","/t/libmy_module.so","/t/my_module.dll","/t/libmy_module.dylib"]}
{"reason":"build-finished","success":true}"#;
        let found = artifact(messages, "my-module").unwrap();
        assert_eq!(found.extension().unwrap(), std::env::consts::DLL_EXTENSION);
        assert_eq!(artifact(messages, "serde"), None);
    }
}
