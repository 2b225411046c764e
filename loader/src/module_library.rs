//! [`ModuleLibrary`]: one opened and verified module library, and what a host does with it
//! (create instances, save and restore their state, migrate it, bind their views).

use crate::error::{LoadError, ReloadError};
use crate::host::{Binder, HostOptions, StatePolicy};
use crate::library::{LibraryOwner, open};
use playground_kernel::module::{Core, ModuleFault, ModuleHeader, PlaygroundModule};
use playground_kernel::sync::StdArc;
use playground_registry::BindingRegistry;
use std::path::Path;

/// A module library of core `C`, loaded from a unique copy and verified: its header matched
/// this host's rustc, kernel, target, core and API version.
///
/// Cloning shares the library: a host creates a fresh instance from the running library when
/// a module it depends on is reloaded.
pub struct ModuleLibrary<C: Core> {
    /// Valid while `owner` (or, under `UnloadPolicy::Never`, the process) lives.
    module: &'static PlaygroundModule<C>,
    owner: StdArc<LibraryOwner>,
}

impl<C: Core> Clone for ModuleLibrary<C> {
    fn clone(&self) -> Self {
        Self {
            module: self.module,
            owner: self.owner.clone(),
        }
    }
}

/// State read from a running module, ready for the next instance: as saved, migrated to the
/// next module's format, or dropped by a [`StatePolicy::StartFresh`] host.
#[derive(Debug)]
pub struct CarriedState {
    /// The bytes to restore; `None` when the next instance starts fresh.
    pub bytes: Option<Vec<u8>>,
    /// Whether they were migrated from an older format.
    pub migrated: bool,
}

impl<C: Core> ModuleLibrary<C> {
    /// Copies, loads and verifies the library at `path`. No code of it has run when this
    /// returns, beyond the platform loader's.
    pub fn open(path: &Path, options: &HostOptions) -> Result<Self, LoadError> {
        let opened = open::<C>(path, &options.copies_dir, options.unload)?;
        Ok(Self {
            module: opened.module,
            owner: opened.owner,
        })
    }

    /// The module's header (name, version, build, fingerprints).
    pub fn header(&self) -> &ModuleHeader {
        &self.module.header
    }

    /// The module's name, from its header.
    pub fn name(&self) -> &str {
        self.module.header.name.as_str()
    }

    /// What keeps the library mapped.
    pub fn owner(&self) -> &StdArc<LibraryOwner> {
        &self.owner
    }

    /// A fresh instance, its panics caught inside the module.
    pub fn create(&self) -> Result<Box<C::Instance>, LoadError> {
        (self.module.entry.create)().map_err(|fault| LoadError::Create {
            path: self.owner.path.clone(),
            fault,
        })
    }

    /// `instance`'s state (the instance must come from this library).
    pub fn save(&self, instance: &C::Instance) -> Result<Vec<u8>, ModuleFault> {
        (self.module.entry.save)(instance)
    }

    /// Restores `bytes` into `instance` (which must come from this library), which is left
    /// as it was on error.
    pub fn restore(&self, instance: &mut C::Instance, bytes: &[u8]) -> Result<(), ModuleFault> {
        (self.module.entry.restore)(instance, bytes)
    }

    /// Readies `state`, saved by a module whose header is `from`, for an instance of this
    /// library: unchanged if the state formats agree, else migrated by this module, else
    /// dropped if `policy` allows, else refused.
    pub fn carry(
        &self,
        from: &ModuleHeader,
        state: Vec<u8>,
        policy: StatePolicy,
    ) -> Result<CarriedState, ReloadError> {
        let (old, new) = (from.state_version, self.module.header.state_version);
        if old == new {
            return Ok(CarriedState {
                bytes: Some(state),
                migrated: false,
            });
        }
        match (self.module.entry.migrate)(old, &state) {
            Some(Ok(bytes)) => Ok(CarriedState {
                bytes: Some(bytes),
                migrated: true,
            }),
            Some(Err(fault)) => Err(ReloadError::Migrate { from: old, fault }),
            None if policy == StatePolicy::StartFresh => Ok(CarriedState {
                bytes: None,
                migrated: false,
            }),
            None => Err(ReloadError::StateFormatChanged { old, new }),
        }
    }

    /// A binder publishing views of this library's instances into `registry`: binding them
    /// (`first`) or rebinding them over another module's.
    pub fn binder<'a>(&'a self, registry: &'a BindingRegistry, first: bool) -> Binder<'a> {
        Binder::new(
            registry,
            &self.owner,
            self.name(),
            self.module.header.api_version,
            first,
        )
    }
}
