//! The module set's error: which module, and why.

use playground_ecs_view::EcsError;
use playground_loader::ReloadError;

/// A module set could not be loaded or reloaded. Each names the module at fault; after a
/// failed reload every module of the set runs as before, with its state.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// A step of loading, saving, carrying, restoring or binding failed in `module`.
    #[error("module `{module}`: {source}")]
    Module {
        /// The module at fault.
        module: String,
        /// What failed, and why.
        source: ReloadError,
    },
    /// The systems the plugins registered do not form a schedule (a cycle, or an `after` on
    /// a system no plugin registers).
    #[error("the plugins' systems do not form a schedule: {0}")]
    Schedule(EcsError),
    /// A reload named a module that is not in the set.
    #[error("`{0}` is not a module of this set")]
    UnknownModule(String),
    /// No library was given for a module of the set.
    #[error("no library given for module `{0}`")]
    MissingLibrary(String),
    /// The resolution chose no system for the ECS core, or asks for modules the set cannot
    /// host (only the ECS system module and its plugins are hosted).
    #[error("the app's resolution cannot be hosted: {0}")]
    Unsupported(String),
}

impl SetError {
    /// The module at fault, when one is.
    pub fn module(&self) -> Option<&str> {
        match self {
            Self::Module { module, .. } => Some(module),
            Self::UnknownModule(m) | Self::MissingLibrary(m) => Some(m),
            Self::Schedule(_) | Self::Unsupported(_) => None,
        }
    }

    pub(crate) fn at(module: &str, source: impl Into<ReloadError>) -> Self {
        Self::Module {
            module: module.to_owned(),
            source: source.into(),
        }
    }
}
