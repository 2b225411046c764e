//! The loader's errors. Each names what was wrong and, for version checks, both values.

use playground_kernel::module::ModuleFault;
use playground_registry::RegistryError;
use std::path::PathBuf;

/// A manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("cannot read manifest {path}: {source}")]
    Io {
        /// The manifest's path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or `[package.metadata.playground]` has the wrong shape.
    #[error("invalid manifest {path}: {reason}")]
    Invalid {
        /// The manifest's path.
        path: PathBuf,
        /// The parser's message, with line and column.
        reason: String,
    },
}

/// An app's needs cannot be met by the modules available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The app names a module no manifest declares.
    #[error("{needed_by} names module `{module}`, which is not in the workspace")]
    UnknownModule {
        /// The missing module.
        module: String,
        /// Who named it.
        needed_by: String,
    },
    /// No listed system implements a core the app needs.
    #[error("no system listed by {app} implements core `{core}`")]
    NoSystemFor {
        /// The core.
        core: String,
        /// The app.
        app: String,
    },
    /// The preferred system (and every fallback) lacks a feature someone needs.
    #[error("module `{module}` lacks feature `{feature}`, needed by {needed_by}")]
    MissingFeature {
        /// The feature.
        feature: String,
        /// The first system tried (the app's primary choice for that core).
        module: String,
        /// The app or plugin needing it.
        needed_by: String,
    },
    /// A module's version is outside the range asked for.
    #[error("{needed_by} needs `{module}` {required}, found {found}")]
    VersionMismatch {
        /// The module.
        module: String,
        /// The semver range asked for.
        required: String,
        /// The version declared.
        found: String,
        /// Who asked.
        needed_by: String,
    },
    /// An app lists as a plugin of `core` a module that does not declare `extends = core`.
    #[error("{needed_by} lists `{module}` as a plugin of `{core}`, but it extends {extends}")]
    NotAPlugin {
        /// The module.
        module: String,
        /// The core the app named.
        core: String,
        /// What the module declares (`nothing` when it declares no `extends`).
        extends: String,
        /// The app.
        needed_by: String,
    },
    /// Modules require each other in a cycle.
    #[error("dependency cycle: {}", path.join(" -> "))]
    Cycle {
        /// The cycle, starting and ending with the same module.
        path: Vec<String>,
    },
}

/// A module library could not be loaded, or is not one this host may use.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be copied to its unique load path.
    #[error("cannot copy {path} for loading: {source}")]
    Copy {
        /// The module file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The dynamic loader refused the file (not a library, wrong architecture, missing
    /// dependency).
    #[error("{path} is not a loadable library: {reason}")]
    NotALibrary {
        /// The module file.
        path: PathBuf,
        /// The dynamic loader's message.
        reason: String,
    },
    /// The library exports no `PLAYGROUND_MODULE`.
    #[error("{path} exports no `PLAYGROUND_MODULE`: {reason}")]
    MissingSymbol {
        /// The module file.
        path: PathBuf,
        /// The dynamic loader's message.
        reason: String,
    },
    /// The header does not start with the module magic: the symbol is something else.
    #[error("{path}: `PLAYGROUND_MODULE` is not a module header")]
    BadMagic {
        /// The module file.
        path: PathBuf,
    },
    /// A field of the header differs from the host's.
    #[error("{path}: built with {field} {found}, this host needs {expected}")]
    Mismatch {
        /// The module file.
        path: PathBuf,
        /// Which field: `header layout`, `core`, `rustc`, `kernel`, `target`, `API version`.
        field: &'static str,
        /// The host's value.
        expected: String,
        /// The module's value.
        found: String,
    },
    /// The module's constructor failed or panicked.
    #[error("{path}: creating the module failed: {fault}")]
    Create {
        /// The module file.
        path: PathBuf,
        /// What the module reported.
        fault: ModuleFault,
    },
    /// Binding the module's views failed.
    #[error("binding the module's views failed: {0}")]
    Bind(#[from] RegistryError),
}

/// A reload was refused; the old module is still bound, with its state.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The new module could not be built.
    #[error("build failed: {0}")]
    Build(#[from] crate::BuildError),
    /// The new module could not be loaded or verified.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The old module could not save its state.
    #[error("saving the running module's state failed: {0}")]
    Save(ModuleFault),
    /// The state format changed and the new module declares no migration from the old one.
    #[error(
        "state format changed from {old:#018x} to {new:#018x} and the new module declares no migration from it"
    )]
    StateFormatChanged {
        /// The running module's state format.
        old: u64,
        /// The new module's state format.
        new: u64,
    },
    /// The new module's migration failed.
    #[error("migrating state from {from:#018x} failed: {fault}")]
    Migrate {
        /// The format migrated from.
        from: u64,
        /// What the module reported.
        fault: ModuleFault,
    },
    /// The new module refused the state.
    #[error("the new module could not restore the state: {0}")]
    Restore(ModuleFault),
    /// Binding the new module failed, and pointing the Views back at the running module failed
    /// too: some Views may be left bound to the new module's implementations (which stay
    /// loaded, so calls remain sound).
    #[error(
        "binding the new module failed ({bind}), and rebinding the running one failed too ({rollback})"
    )]
    RollbackFailed {
        /// Why the new module could not be bound.
        bind: RegistryError,
        /// Why the running module could not be bound back.
        rollback: RegistryError,
    },
}
