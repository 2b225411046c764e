//! [`ModuleHost`]: one loaded module of core `C`, bound into a registry, and the reload
//! transaction that replaces it.

use crate::error::{LoadError, ReloadError};
use crate::library::{LibraryOwner, UnloadPolicy};
use crate::module_library::ModuleLibrary;
use crate::retired::RetiredLibraries;
use playground_kernel::View;
use playground_kernel::module::{Core, ModuleHeader};
use playground_kernel::sync::StdArc;
use playground_registry::{BindingRegistry, Implementation, RegistryError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a host binds a module instance's views: given to [`ModuleHost::load`], called on the
/// first load and after every successful reload.
pub type BindFn<C> =
    dyn Fn(&<C as Core>::Instance, &Binder<'_>) -> Result<(), RegistryError> + Send + Sync;

/// Binds or rebinds views to one module's implementations, with the module's library as
/// their owner.
pub struct Binder<'a> {
    registry: &'a BindingRegistry,
    owner: &'a StdArc<LibraryOwner>,
    name: &'a str,
    /// The API version the module was built against (its header's), which the registry
    /// checks against the View's registered version.
    api_version: u64,
    first: bool,
}

impl<'a> Binder<'a> {
    pub(crate) fn new(
        registry: &'a BindingRegistry,
        owner: &'a StdArc<LibraryOwner>,
        name: &'a str,
        api_version: u64,
        first: bool,
    ) -> Self {
        Self {
            registry,
            owner,
            name,
            api_version,
            first,
        }
    }

    /// Publishes `view` as the implementation of `V`: binds it on the first load (registering
    /// `V` if the host has not), rebinds it on a reload. The implementation carries the
    /// module's API version, so a module built against another version of `V`'s contract is
    /// refused ([`RegistryError::VersionMismatch`]).
    pub fn publish<V: View + ?Sized>(&self, view: StdArc<V>) -> Result<(), RegistryError> {
        let imp =
            Implementation::new(self.name, self.api_version, view).with_owner(self.owner.erased());
        if self.first {
            if !self.registry.is_registered(V::VIEW_ID) {
                self.registry.register_view::<V>()?;
            }
            if self.registry.get::<V>().is_some() {
                return self.registry.rebind(imp);
            }
            self.registry.bind(imp)
        } else {
            self.registry.rebind(imp)
        }
    }
}

/// What to do when the new module's state format differs from the running one's and it
/// declares no migration from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatePolicy {
    /// Refuse the reload; the old module keeps running with its state.
    #[default]
    Refuse,
    /// Start the new module fresh, dropping the old state (the host's explicit choice).
    StartFresh,
}

/// Options of a [`ModuleHost`].
#[derive(Debug, Clone)]
pub struct HostOptions {
    /// Where unique copies of module files are made before loading.
    pub copies_dir: PathBuf,
    /// When replaced libraries are closed.
    pub unload: UnloadPolicy,
}

impl Default for HostOptions {
    fn default() -> Self {
        Self {
            copies_dir: std::env::temp_dir().join("playground-modules"),
            unload: UnloadPolicy::Never,
        }
    }
}

/// What a successful reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadReport {
    /// The module now running.
    pub name: String,
    /// Bytes of state carried across (0 when started fresh).
    pub state_bytes: usize,
    /// Whether the state was migrated from an older format.
    pub migrated: bool,
    /// Whether the new module was started without the old state.
    pub fresh: bool,
    /// Time of the commit (save, restore, rebind), the part a frame waits for; staging
    /// (copy, load, verify) is not included.
    pub elapsed: Duration,
}

struct Running<C: Core> {
    // Field order is drop order: the instance (module code) before its library.
    instance: Box<C::Instance>,
    library: ModuleLibrary<C>,
}

/// A module loaded, verified and instantiated by [`ModuleHost::stage`], waiting for
/// [`ModuleHost::commit`].
pub struct Staged<C: Core> {
    running: Running<C>,
}

impl<C: Core> Staged<C> {
    /// The staged module's header.
    pub fn header(&self) -> &ModuleHeader {
        self.running.library.header()
    }
}

/// One module of core `C`, loaded, bound, and replaceable while the host runs.
///
/// Reloads are transactions run at a point the host chooses (between frames): they take
/// `&mut self`, so no call into the instance can be in progress, while other threads keep
/// calling through their `Binding`s and see the old implementation or the new one.
pub struct ModuleHost<C: Core> {
    registry: StdArc<BindingRegistry>,
    bind: Box<BindFn<C>>,
    options: HostOptions,
    running: Running<C>,
    retired: RetiredLibraries,
}

impl<C: Core> ModuleHost<C> {
    /// Loads the module at `path`, creates its instance and binds its views into `registry`
    /// with `bind`.
    pub fn load(
        path: &Path,
        registry: StdArc<BindingRegistry>,
        options: HostOptions,
        bind: impl Fn(&C::Instance, &Binder<'_>) -> Result<(), RegistryError> + Send + Sync + 'static,
    ) -> Result<Self, LoadError> {
        let bind: Box<BindFn<C>> = Box::new(bind);
        let running = Self::start(path, &options)?;
        let binder = running.library.binder(&registry, true);
        bind(&running.instance, &binder)?;
        Ok(Self {
            registry,
            bind,
            retired: RetiredLibraries::new(options.unload),
            options,
            running,
        })
    }

    fn start(path: &Path, options: &HostOptions) -> Result<Running<C>, LoadError> {
        let library = ModuleLibrary::open(path, options)?;
        let instance = library.create()?;
        Ok(Running { instance, library })
    }

    /// The running module's instance.
    pub fn instance(&self) -> &C::Instance {
        &self.running.instance
    }

    /// The running module's instance, mutably.
    pub fn instance_mut(&mut self) -> &mut C::Instance {
        &mut self.running.instance
    }

    /// The running module's header (name, version, build, fingerprints).
    pub fn header(&self) -> &ModuleHeader {
        self.running.library.header()
    }

    /// The registry the module is bound into.
    pub fn registry(&self) -> &StdArc<BindingRegistry> {
        &self.registry
    }

    /// Libraries replaced or refused since the first load that are still mapped.
    pub fn retained_libraries(&self) -> usize {
        self.retired.count()
    }

    /// The memory those libraries cost: their total size on disk.
    pub fn retained_bytes(&self) -> u64 {
        self.retired.bytes()
    }

    /// Replaces the running module with the one at `path`, carrying its state across:
    /// save the old state -> load and verify the new module -> migrate the state if its
    /// format changed -> restore it -> rebind -> retire the old module.
    ///
    /// On any error the old module stays bound with its state untouched, and the error says
    /// which step failed and why.
    pub fn reload(&mut self, path: &Path) -> Result<ReloadReport, ReloadError> {
        self.reload_with(path, StatePolicy::Refuse)
    }

    /// [`reload`](Self::reload), choosing what to do if the state format changed and no
    /// migration is declared.
    pub fn reload_with(
        &mut self,
        path: &Path,
        policy: StatePolicy,
    ) -> Result<ReloadReport, ReloadError> {
        let staged = self.stage(path)?;
        self.commit(staged, policy)
    }

    /// The first half of a reload, which may run while frames go on: copies, loads and
    /// verifies the library at `path` and creates its (empty) instance. Nothing running is
    /// touched; dropping the result abandons it.
    pub fn stage(&self, path: &Path) -> Result<Staged<C>, LoadError> {
        Self::start(path, &self.options).map(|running| Staged { running })
    }

    /// The second half, at a quiescent point: save the running module's state -> migrate it
    /// if the staged module's format differs -> restore it into the staged module -> rebind
    /// -> retire the old module. On error the old module stays bound with its state.
    pub fn commit(
        &mut self,
        staged: Staged<C>,
        policy: StatePolicy,
    ) -> Result<ReloadReport, ReloadError> {
        let started = Instant::now();
        let mut next = staged.running;
        let refuse = |retired: &mut RetiredLibraries, next: Running<C>, e: ReloadError| {
            retired.retire(next.library.owner());
            drop(next);
            Err(e)
        };
        let old = &self.running;
        let state = match old.library.save(&old.instance) {
            Ok(state) => state,
            Err(fault) => return refuse(&mut self.retired, next, ReloadError::Save(fault)),
        };
        let carried = match next.library.carry(old.library.header(), state, policy) {
            Ok(carried) => carried,
            Err(e) => return refuse(&mut self.retired, next, e),
        };
        if let Some(bytes) = &carried.bytes
            && let Err(fault) = next.library.restore(&mut next.instance, bytes)
        {
            return refuse(&mut self.retired, next, ReloadError::Restore(fault));
        }

        let binder = next.library.binder(&self.registry, false);
        if let Err(e) = (self.bind)(&next.instance, &binder) {
            // Some views may already point at the new module: point them all back.
            let back = self.running.library.binder(&self.registry, false);
            let err = match (self.bind)(&self.running.instance, &back) {
                Ok(()) => LoadError::Bind(e).into(),
                Err(rollback) => ReloadError::RollbackFailed { bind: e, rollback },
            };
            return refuse(&mut self.retired, next, err);
        }

        let old = std::mem::replace(&mut self.running, next);
        self.retired.retire(old.library.owner());
        drop(old);
        // Snapshots the rebinds replaced that readers have let go of since: freed here, on the
        // reloading thread, with any old implementation only they held.
        self.registry.reclaim();
        Ok(ReloadReport {
            name: self.running.library.name().to_owned(),
            state_bytes: carried.bytes.as_ref().map_or(0, Vec::len),
            migrated: carried.migrated,
            fresh: carried.bytes.is_none(),
            elapsed: started.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Binder;
    use crate::library::LibraryOwner;
    use playground_kernel::View;
    use playground_kernel::sync::StdArc;
    use playground_registry::{BindingRegistry, RegistryError};

    trait Greeter: Send + Sync {
        fn hello(&self) -> u8;
    }
    impl View for dyn Greeter {
        const NAME: &'static str = "test.loader.Greeter";
        const API_VERSION: u64 = 11;
    }
    struct Hi;
    impl Greeter for Hi {
        fn hello(&self) -> u8 {
            1
        }
    }

    fn binder<'a>(
        registry: &'a BindingRegistry,
        owner: &'a StdArc<LibraryOwner>,
        api_version: u64,
    ) -> Binder<'a> {
        Binder {
            registry,
            owner,
            name: "greeter",
            api_version,
            first: true,
        }
    }

    #[test]
    fn a_module_built_against_another_api_version_is_refused_and_nothing_is_bound() {
        let registry = BindingRegistry::new();
        registry.register_view::<dyn Greeter>().unwrap();
        let owner = StdArc::new(LibraryOwner::detached());
        let err = binder(&registry, &owner, 12)
            .publish::<dyn Greeter>(StdArc::new(Hi))
            .unwrap_err();
        assert_eq!(
            err,
            RegistryError::VersionMismatch {
                view_id: <dyn Greeter as View>::VIEW_ID,
                expected: 11,
                found: 12
            }
        );
        assert!(registry.get::<dyn Greeter>().is_none(), "nothing was bound");
        binder(&registry, &owner, 11)
            .publish::<dyn Greeter>(StdArc::new(Hi))
            .unwrap();
        assert_eq!(registry.get::<dyn Greeter>().unwrap().hello(), 1);
    }
}
