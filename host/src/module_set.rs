//! [`ModuleSet`]: an app's ECS system module and plugins, loaded in resolved order, run as
//! one schedule, and reloaded as one transaction.

use crate::error::SetError;
use playground_ecs_view::{
    EcsCore, EcsError, EcsModule, EcsPlugin, EcsView, PluginCore, Schedule, SystemView, World,
};
use playground_kernel::Executor;
use playground_kernel::module::Core;
use playground_kernel::sync::{Mutex, StdArc};
use playground_loader::resolve::Resolution;
use playground_loader::{
    BindFn, Binder, HostOptions, LibraryOwner, LoadError, ModuleLibrary, ReloadError,
    RetiredLibraries, StatePolicy,
};
use playground_registry::{BindingRegistry, RegistryError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One running module: its instance and the library it came from.
struct Member<C: Core> {
    // Field order is drop order: the instance (module code) before its library.
    instance: Box<C::Instance>,
    library: ModuleLibrary<C>,
}

impl<C: Core> Member<C> {
    fn start(name: &str, library: ModuleLibrary<C>) -> Result<Self, SetError> {
        let instance = library.create().map_err(|e| SetError::at(name, e))?;
        Ok(Self { instance, library })
    }

    fn save(
        &self,
        name: &str,
    ) -> Result<(Vec<u8>, playground_kernel::module::ModuleHeader), SetError> {
        let state = self
            .library
            .save(&self.instance)
            .map_err(|fault| SetError::at(name, ReloadError::Save(fault)))?;
        Ok((state, *self.library.header()))
    }

    /// Carries `saved` (state and the header of the module that saved it) into this member.
    fn restore(
        &mut self,
        name: &str,
        saved: (Vec<u8>, playground_kernel::module::ModuleHeader),
        policy: StatePolicy,
    ) -> Result<usize, SetError> {
        let (state, from) = saved;
        let carried = self
            .library
            .carry(&from, state, policy)
            .map_err(|e| SetError::at(name, e))?;
        let Some(bytes) = carried.bytes else {
            return Ok(0);
        };
        self.library
            .restore(&mut self.instance, &bytes)
            .map_err(|fault| SetError::at(name, ReloadError::Restore(fault)))?;
        Ok(bytes.len())
    }
}

/// Libraries opened for a reload by [`ModuleSet::stage`], waiting for [`ModuleSet::commit`].
pub struct StagedSet {
    system: Option<ModuleLibrary<EcsCore>>,
    plugins: BTreeMap<String, ModuleLibrary<PluginCore>>,
}

impl StagedSet {
    /// The modules with a new library, by name.
    pub fn modules(&self) -> Vec<String> {
        let system = self.system.iter().map(|l| l.name().to_owned());
        system.chain(self.plugins.keys().cloned()).collect()
    }

    /// The owners of its libraries, to count them as retained if they are not committed.
    fn owners(&self) -> Vec<StdArc<LibraryOwner>> {
        let system = self.system.iter().map(|l| l.owner().clone());
        system
            .chain(self.plugins.values().map(|l| l.owner().clone()))
            .collect()
    }
}

/// What a successful reload of the set did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The modules given a new library, in load order.
    pub changed: Vec<String>,
    /// Every module given a new instance (the changed ones and their dependents, plus the
    /// system module whose world was rebuilt), in the order they were started and restored.
    pub restarted: Vec<String>,
    /// Bytes of state carried across, all modules together.
    pub state_bytes: usize,
    /// Time of the commit (save, start, attach, restore, schedule, rebind), the part a frame
    /// waits for; opening the libraries ([`ModuleSet::stage`]) is not included.
    pub elapsed: Duration,
}

/// An app's module set: the system module of the ECS core, hosting the world, and the app's
/// plugins in resolved order, attached to that world and contributing the schedule's
/// systems; the host's [`Executor`] lent to the world.
///
/// **Reload** ([`reload`](Self::reload)) is one transaction over the set. The changed
/// modules and every module depending on them get new instances, in dependency order, and
/// the world is rebuilt: saved through the running system module, then restored into a
/// fresh instance after every plugin attached to it, so no pool of the new world holds code
/// of a replaced library and a component whose layout changed is re-decoded (or refused).
/// Everything is built next to the running set and swapped in only when all of it
/// succeeded: then the old schedule, world and dependents are dropped first, their
/// dependencies after. On any failure (a library refused, a save or restore failing or
/// panicking, a state format with no migration, a schedule cycle, a binding refused) the
/// running set is untouched and the error names the module.
pub struct ModuleSet {
    // Field order is drop order: the schedule (plugin closures), the system module's view
    // and instance (the world, whose pools hold plugin code), then the plugins (no plugin
    // holds another's code, so their order does not matter).
    schedule: Schedule,
    ecs: StdArc<dyn EcsView>,
    system: Member<EcsCore>,
    plugins: Vec<Member<PluginCore>>,
    system_name: String,
    plugin_names: Vec<String>,
    resolution: Resolution,
    registry: StdArc<BindingRegistry>,
    bind: Box<BindFn<EcsCore>>,
    executor: StdArc<dyn Executor>,
    options: HostOptions,
    /// Behind a lock so `stage` (through `&self`, off the frame) can record what it opened
    /// before a failure.
    retired: Mutex<RetiredLibraries>,
}

fn library_of<'a>(
    libraries: &'a BTreeMap<String, PathBuf>,
    name: &str,
) -> Result<&'a Path, SetError> {
    libraries
        .get(name)
        .map(PathBuf::as_path)
        .ok_or_else(|| SetError::MissingLibrary(name.to_owned()))
}

/// Builds the schedule of `plugins`' systems and checks it with the system module's
/// scheduler.
fn schedule_of<'a>(
    ecs: &dyn EcsView,
    plugins: impl Iterator<Item = &'a dyn EcsPlugin>,
) -> Result<Schedule, SetError> {
    let mut schedule = Schedule::new();
    for plugin in plugins {
        plugin.systems(&mut schedule);
    }
    SystemView::stages(ecs, &schedule).map_err(SetError::Schedule)?;
    Ok(schedule)
}

impl ModuleSet {
    /// Loads the app's modules as `resolution` orders them, each from `libraries[name]`:
    /// the ECS system module, then each plugin, attached to its world. `bind` publishes the
    /// system module's views into `registry` (on this load and after every reload).
    pub fn load(
        resolution: &Resolution,
        libraries: &BTreeMap<String, PathBuf>,
        registry: StdArc<BindingRegistry>,
        options: HostOptions,
        executor: StdArc<dyn Executor>,
        bind: impl Fn(&(dyn EcsModule + 'static), &Binder<'_>) -> Result<(), RegistryError>
        + Send
        + Sync
        + 'static,
    ) -> Result<Self, SetError> {
        let system_name = resolution
            .systems
            .get(EcsCore::NAME)
            .cloned()
            .ok_or_else(|| SetError::Unsupported(format!("no system for `{}`", EcsCore::NAME)))?;
        if let Some(other) = resolution
            .load_order
            .iter()
            .find(|n| **n != system_name && !resolution.plugins.contains(n))
        {
            return Err(SetError::Unsupported(format!(
                "`{other}` is neither the ECS system module nor a plugin"
            )));
        }
        let open_system = |path: &Path| {
            ModuleLibrary::<EcsCore>::open(path, &options)
                .map_err(|e| SetError::at(&system_name, e))
        };
        let mut system = Member::start(
            &system_name,
            open_system(library_of(libraries, &system_name)?)?,
        )?;
        system.instance.world_mut().set_executor(executor.clone());
        let mut plugins = Vec::new();
        for name in &resolution.plugins {
            let path = library_of(libraries, name)?;
            let library = ModuleLibrary::<PluginCore>::open(path, &options)
                .map_err(|e| SetError::at(name, e))?;
            let member = Member::start(name, library)?;
            member.instance.attach(system.instance.world_mut());
            plugins.push(member);
        }
        let ecs = system.instance.ecs();
        let schedule = schedule_of(&*ecs, plugins.iter().map(|p| &*p.instance))?;
        let bind: Box<BindFn<EcsCore>> = Box::new(bind);
        bind(&*system.instance, &system.library.binder(&registry, true))
            .map_err(|e| SetError::at(&system_name, LoadError::Bind(e)))?;
        Ok(Self {
            schedule,
            ecs,
            system,
            plugins,
            system_name,
            plugin_names: resolution.plugins.clone(),
            resolution: resolution.clone(),
            registry,
            bind,
            executor,
            retired: Mutex::new(RetiredLibraries::new(options.unload)),
            options,
        })
    }

    /// Runs one frame: every plugin's systems, each once the systems it depends on have
    /// finished, on the host's executor.
    pub fn run_frame(&self) -> Result<(), EcsError> {
        SystemView::run(&*self.ecs, &self.schedule, self.system.instance.world())
    }

    /// The world the system module hosts.
    pub fn world(&self) -> &World {
        self.system.instance.world()
    }

    /// The world the system module hosts, mutably (between frames).
    pub fn world_mut(&mut self) -> &mut World {
        self.system.instance.world_mut()
    }

    /// The system module's instance.
    pub fn system(&self) -> &dyn EcsModule {
        &*self.system.instance
    }

    /// What orders and runs the schedule: the system module's `SystemView`.
    pub fn runner(&self) -> &dyn SystemView {
        &*self.ecs
    }

    /// The running schedule (every plugin's systems).
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The registry the system module's views are bound into.
    pub fn registry(&self) -> &StdArc<BindingRegistry> {
        &self.registry
    }

    /// Every module's name and header, in load order.
    pub fn modules(&self) -> Vec<(String, playground_kernel::module::ModuleHeader)> {
        let system = (self.system_name.clone(), *self.system.library.header());
        let plugins = self
            .plugin_names
            .iter()
            .zip(&self.plugins)
            .map(|(n, p)| (n.clone(), *p.library.header()));
        std::iter::once(system).chain(plugins).collect()
    }

    /// The state module `name` would carry across a reload now (for the system module, the
    /// world's snapshot).
    pub fn state_of(&self, name: &str) -> Result<Vec<u8>, SetError> {
        if name == self.system_name {
            return Ok(self.system.save(name)?.0);
        }
        let index = self
            .plugin_names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| SetError::UnknownModule(name.to_owned()))?;
        Ok(self.plugins[index].save(name)?.0)
    }

    /// The modules to reload when `changed` were rebuilt: they and their dependents, in
    /// dependency order.
    pub fn reload_order(&self, changed: &[&str]) -> Vec<String> {
        self.resolution.reload_order(changed)
    }

    /// Libraries replaced or refused that are still mapped.
    pub fn retained_libraries(&self) -> usize {
        self.retired.lock().count()
    }

    /// What keeping them mapped costs, in bytes on disk.
    pub fn retained_bytes(&self) -> u64 {
        self.retired.lock().bytes()
    }

    /// Reloads the modules `changed` names (each with its new library) and their
    /// dependents, as one transaction; see the type's documentation.
    pub fn reload(&mut self, changed: &BTreeMap<String, PathBuf>) -> Result<ChainReport, SetError> {
        let staged = self.stage(changed)?;
        self.commit(staged, StatePolicy::Refuse)
    }

    /// The first half of a reload, which may run while frames go on: opens and verifies the
    /// new library of each module `changed` names. Nothing running is touched.
    pub fn stage(&self, changed: &BTreeMap<String, PathBuf>) -> Result<StagedSet, SetError> {
        let mut staged = StagedSet {
            system: None,
            plugins: BTreeMap::new(),
        };
        for (name, path) in changed {
            let opened = if *name == self.system_name {
                ModuleLibrary::<EcsCore>::open(path, &self.options)
                    .map(|library| staged.system = Some(library))
            } else if self.plugin_names.contains(name) {
                ModuleLibrary::<PluginCore>::open(path, &self.options)
                    .map(|library| drop(staged.plugins.insert(name.clone(), library)))
            } else {
                self.retire(&staged.owners());
                return Err(SetError::UnknownModule(name.clone()));
            };
            if let Err(e) = opened {
                // The libraries opened before this one are dropped unused: counted as
                // retained, since under `UnloadPolicy::Never` they stay mapped.
                self.retire(&staged.owners());
                return Err(SetError::at(name, e));
            }
        }
        Ok(staged)
    }

    /// Counts libraries that will not be (or are no longer) used as retained.
    fn retire(&self, owners: &[StdArc<LibraryOwner>]) {
        let mut retired = self.retired.lock();
        for owner in owners {
            retired.retire(owner);
        }
    }

    /// The second half, at a quiescent point: saves the world and the state of every module
    /// to restart, starts the new instances in load order, attaches every plugin to the new
    /// world, restores all state, rebuilds the schedule, rebinds, then swaps the new set in.
    /// On error the running set is untouched, and the staged libraries are retired.
    pub fn commit(
        &mut self,
        staged: StagedSet,
        policy: StatePolicy,
    ) -> Result<ChainReport, SetError> {
        let started = Instant::now();
        let changed_names = staged.modules();
        let refused = staged.owners();
        let next = match self.build_next(staged, policy) {
            Ok(next) => next,
            Err(e) => {
                self.retire(&refused);
                return Err(e);
            }
        };
        let Next {
            system,
            plugins,
            ecs,
            schedule,
            restarted,
            state_bytes,
        } = next;
        // Swap in. The old schedule goes first, then the old world, then the replaced
        // plugins, dependents first.
        let old_schedule = std::mem::replace(&mut self.schedule, schedule);
        drop(old_schedule);
        self.ecs = ecs;
        let old_system = std::mem::replace(&mut self.system, system);
        if !StdArc::ptr_eq(old_system.library.owner(), self.system.library.owner()) {
            self.retired.get_mut().retire(old_system.library.owner());
        }
        drop(old_system);
        let mut old_plugins = Vec::new();
        for (slot, next) in self.plugins.iter_mut().zip(plugins) {
            if let Some(member) = next {
                old_plugins.push(std::mem::replace(slot, member));
            }
        }
        while let Some(old) = old_plugins.pop() {
            let replaced = self
                .plugins
                .iter()
                .all(|p| !StdArc::ptr_eq(p.library.owner(), old.library.owner()));
            if replaced {
                self.retired.get_mut().retire(old.library.owner());
            }
            drop(old);
        }
        // Snapshots the rebinds replaced that readers have let go of since: freed here, on the
        // reloading thread, with any old implementation only they held.
        self.registry.reclaim();
        let order = self.load_order_names();
        let changed = order
            .iter()
            .filter(|n| changed_names.contains(n))
            .cloned()
            .collect();
        Ok(ChainReport {
            changed,
            restarted,
            state_bytes,
            elapsed: started.elapsed(),
        })
    }

    fn load_order_names(&self) -> Vec<String> {
        std::iter::once(self.system_name.clone())
            .chain(self.plugin_names.iter().cloned())
            .collect()
    }

    /// Everything of the next set, built beside the running one; the running set is only
    /// read.
    fn build_next(&self, mut staged: StagedSet, policy: StatePolicy) -> Result<Next, SetError> {
        let changed: Vec<String> = staged.modules();
        let changed_refs: Vec<&str> = changed.iter().map(String::as_str).collect();
        let affected = self.resolution.reload_order(&changed_refs);
        let mut restarted = vec![self.system_name.clone()];
        let mut state_bytes = 0;

        // Save everything first: the running set is only read.
        let world_state = self.system.save(&self.system_name)?;
        let mut plugin_states = BTreeMap::new();
        for (name, member) in self.plugin_names.iter().zip(&self.plugins) {
            if affected.contains(name) {
                plugin_states.insert(name.clone(), member.save(name)?);
            }
        }

        // Start the new system module (a new library, or a fresh instance of the running
        // one) and lend its world the host's threads.
        let system_library = staged
            .system
            .take()
            .unwrap_or_else(|| self.system.library.clone());
        let mut system = Member::start(&self.system_name, system_library)?;
        system
            .instance
            .world_mut()
            .set_executor(self.executor.clone());

        // Start the affected plugins in load order, attaching every plugin (new or kept) to
        // the new world before its state is restored.
        let mut plugins: Vec<Option<Member<PluginCore>>> = Vec::new();
        for (name, running) in self.plugin_names.iter().zip(&self.plugins) {
            if affected.contains(name) {
                let library = staged
                    .plugins
                    .remove(name)
                    .unwrap_or_else(|| running.library.clone());
                let member = Member::start(name, library)?;
                member.instance.attach(system.instance.world_mut());
                restarted.push(name.clone());
                plugins.push(Some(member));
            } else {
                running.instance.attach(system.instance.world_mut());
                plugins.push(None);
            }
        }

        state_bytes += system.restore(&self.system_name, world_state, policy)?;
        for (name, member) in self.plugin_names.iter().zip(plugins.iter_mut()) {
            if let (Some(member), Some(saved)) = (member, plugin_states.remove(name)) {
                state_bytes += member.restore(name, saved, policy)?;
            }
        }

        let ecs = system.instance.ecs();
        let instances = plugins
            .iter()
            .zip(&self.plugins)
            .map(|(next, running)| match next {
                Some(member) => &*member.instance,
                None => &*running.instance,
            });
        let schedule = schedule_of(&*ecs, instances)?;

        let binder = system.library.binder(&self.registry, false);
        if let Err(e) = (self.bind)(&*system.instance, &binder) {
            // Some views may already point at the new module: point them all back.
            let back = self.system.library.binder(&self.registry, false);
            let source = match (self.bind)(&*self.system.instance, &back) {
                Ok(()) => LoadError::Bind(e).into(),
                Err(rollback) => ReloadError::RollbackFailed { bind: e, rollback },
            };
            return Err(SetError::at(&self.system_name, source));
        }
        Ok(Next {
            system,
            plugins,
            ecs,
            schedule,
            restarted,
            state_bytes,
        })
    }
}

/// The next set, built and restored, not yet swapped in.
struct Next {
    system: Member<EcsCore>,
    /// Per plugin in load order: its new member, or `None` to keep the running one.
    plugins: Vec<Option<Member<PluginCore>>>,
    ecs: StdArc<dyn EcsView>,
    schedule: Schedule,
    restarted: Vec<String>,
    state_bytes: usize,
}
