//! The registry's errors. Whenever one is returned, the registry is exactly as it was.

use playground_kernel::{ModelType, ViewId};

/// Why the registry refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// The View id is already registered; the first registration stays.
    #[error("view {view_id} is already registered as {existing:?} (refused {new:?})")]
    DuplicateView {
        /// The id.
        view_id: ViewId,
        /// Name of the registration that stays.
        existing: &'static str,
        /// Name of the refused one.
        new: &'static str,
    },
    /// No View with this id is registered.
    #[error("unknown view {view_id}")]
    UnknownView {
        /// The id asked for.
        view_id: ViewId,
    },
    /// The implementation was built against another API version of the View.
    #[error("version mismatch for view {view_id}: expected {expected:#018x}, found {found:#018x}")]
    VersionMismatch {
        /// The View.
        view_id: ViewId,
        /// The View's API version.
        expected: u64,
        /// The implementation's.
        found: u64,
    },
    /// `bind` on a View that already has an implementation (use `rebind` to replace it).
    #[error("view {view_id} is already bound to {current:?}")]
    AlreadyBound {
        /// The View.
        view_id: ViewId,
        /// Name of the bound implementation.
        current: String,
    },
    /// `rebind` or `unbind` on a View with no implementation.
    #[error("view {view_id} has no implementation bound")]
    NotBound {
        /// The View.
        view_id: ViewId,
    },
    /// The View is registered with another trait object type than the one asked for.
    #[error("view {view_id} is registered as `{registered}`, not `{requested}`")]
    TypeMismatch {
        /// The View.
        view_id: ViewId,
        /// Type it was registered with.
        registered: &'static str,
        /// Type asked for.
        requested: &'static str,
    },
    /// A pool for this (View, model type) pair already exists.
    #[error("pool for view {view_id} and model type {model_type} already exists")]
    DuplicatePool {
        /// The View.
        view_id: ViewId,
        /// The model type.
        model_type: ModelType,
    },
}
