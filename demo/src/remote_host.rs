//! The demo's host: the app's module set (the ECS system module and its plugins), the
//! rebuilds that feed it, and the remote endpoint's view of it.

use playground_ecs_view::{EcsError, World};
use playground_host::{ChainReport, ModuleSet, SetError};
use playground_kernel::sync::{StdArc, mpsc, thread};
use playground_loader::{BuildError, ModuleBuild, ReloadError, StatePolicy};
use playground_registry::BindingRegistry;
use playground_remote::{
    ModuleReport, ReloadOutcome, ReloadReply, RemoteError, RemoteHost, ScheduleRef,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What identifies a build of a library: cargo rewrites the file only when it relinks.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Builds every module of the app in one cargo run.
pub struct AppBuild {
    workspace: PathBuf,
    modules: Vec<String>,
}

impl AppBuild {
    /// The build of `modules` (load order; the system module first) in `workspace`.
    pub fn new(workspace: PathBuf, modules: Vec<String>) -> Self {
        Self { workspace, modules }
    }

    /// Builds them all; each module's library by name.
    pub fn run(&self) -> Result<BTreeMap<String, PathBuf>, BuildError> {
        let (first, rest) = self
            .modules
            .split_first()
            .expect("an app has a system module");
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        ModuleBuild::new(first, self.workspace.clone()).run_with(&rest)
    }
}

/// Per-module reload counts, for `module.list`.
#[derive(Default, Clone)]
struct Counts {
    reloads: u64,
    failures: u64,
    last: Option<ReloadOutcome>,
}

/// A remote `module.reload` whose build runs on its own thread while frames go on.
struct PendingReload {
    module: String,
    built: mpsc::Receiver<Built>,
    done: ReloadReply,
}

/// What a build on its own thread answers.
type Built = Result<BTreeMap<String, PathBuf>, BuildError>;

/// The running module set and what has happened to it.
pub struct DemoHost {
    set: ModuleSet,
    build: StdArc<AppBuild>,
    /// The build stamp of each module's running library.
    stamps: BTreeMap<String, Option<(SystemTime, u64)>>,
    pending: Option<PendingReload>,
    /// A rebuild started by the source watcher, running while frames go on.
    watched: Option<mpsc::Receiver<Built>>,
    counts: BTreeMap<String, Counts>,
}

impl DemoHost {
    /// Wraps a loaded set whose libraries were `libraries`, rebuilt by `build`.
    pub fn new(set: ModuleSet, build: AppBuild, libraries: &BTreeMap<String, PathBuf>) -> Self {
        Self {
            set,
            build: StdArc::new(build),
            stamps: libraries
                .iter()
                .map(|(n, p)| (n.clone(), stamp(p)))
                .collect(),
            pending: None,
            watched: None,
            counts: BTreeMap::new(),
        }
    }

    /// Builds every module on a thread of its own, so frames go on during the build.
    fn build_in_background(&self) -> mpsc::Receiver<Built> {
        let (tx, rx) = mpsc::channel();
        let build = self.build.clone();
        thread::spawn(move || {
            // The receiver may be gone (the demo stopped): nothing to tell then.
            let _ = tx.send(build.run());
        });
        rx
    }

    /// Starts a rebuild for the source watcher unless one is running; `false` if one is.
    pub fn start_watched_build(&mut self) -> bool {
        if self.watched.is_some() {
            return false;
        }
        self.watched = Some(self.build_in_background());
        true
    }

    /// The watcher's rebuild, once it has finished.
    pub fn poll_watched_build(&mut self) -> Option<Built> {
        let built = match self.watched.as_ref()?.try_recv() {
            Ok(built) => built,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => Err(BuildError::Spawn(std::io::Error::other(
                "the build thread ended without an answer",
            ))),
        };
        self.watched = None;
        Some(built)
    }

    /// The module set.
    pub fn set(&self) -> &ModuleSet {
        &self.set
    }

    /// Runs one frame: every plugin's systems on the host's threads.
    pub fn frame(&self) -> Result<(), EcsError> {
        self.set.run_frame()
    }

    /// Rebuilds every module (one cargo run).
    pub fn rebuild(&self) -> Result<BTreeMap<String, PathBuf>, BuildError> {
        self.build.run()
    }

    /// The modules of `built` whose library differs from the running one, plus `asked`
    /// (reloaded even if its library did not change).
    fn changed(
        &self,
        built: &BTreeMap<String, PathBuf>,
        asked: Option<&str>,
    ) -> BTreeMap<String, PathBuf> {
        built
            .iter()
            .filter(|(name, path)| {
                asked == Some(name.as_str()) || self.stamps.get(*name) != Some(&stamp(path))
            })
            .map(|(n, p)| (n.clone(), p.clone()))
            .collect()
    }

    /// Reloads what changed in `built` (and its dependents) now, or `Ok(None)` when no
    /// library changed. `force` reloads the system module even if its library did not.
    pub fn reload_built(
        &mut self,
        built: &BTreeMap<String, PathBuf>,
        force: Option<&str>,
    ) -> Result<Option<ChainReport>, SetError> {
        let changed = self.changed(built, force);
        if changed.is_empty() {
            return Ok(None);
        }
        let result = self.set.reload(&changed);
        self.record(&changed, &result);
        result.map(Some)
    }

    fn record(
        &mut self,
        changed: &BTreeMap<String, PathBuf>,
        result: &Result<ChainReport, SetError>,
    ) {
        match result {
            Ok(report) => {
                for (name, path) in changed {
                    self.stamps.insert(name.clone(), stamp(path));
                }
                for name in &report.restarted {
                    let counts = self.counts.entry(name.clone()).or_default();
                    counts.reloads += 1;
                    counts.last = Some(ReloadOutcome::Reloaded {
                        state_bytes: report.state_bytes,
                        commit_us: u64::try_from(report.elapsed.as_micros()).unwrap_or(u64::MAX),
                    });
                }
            }
            Err(e) => {
                let name = e.module().map_or_else(
                    || changed.keys().next().cloned().unwrap_or_default(),
                    str::to_owned,
                );
                let counts = self.counts.entry(name).or_default();
                counts.failures += 1;
                counts.last = Some(ReloadOutcome::Failed {
                    reason: e.to_string(),
                });
            }
        }
    }

    /// Whether a remote reload is being built.
    pub fn reloading(&self) -> bool {
        self.pending.is_some()
    }

    /// At the quiescent point: commits a remote reload whose build has finished. Returns
    /// its outcome, if one finished.
    pub fn poll_reload(&mut self) -> Option<Result<ChainReport, SetError>> {
        let pending = self.pending.as_ref()?;
        let built = match pending.built.try_recv() {
            Ok(built) => built,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => Err(BuildError::Spawn(std::io::Error::other(
                "the build thread ended without an answer",
            ))),
        };
        let PendingReload { module, done, .. } = self.pending.take().expect("checked above");
        let (changed, result) = match built {
            Err(e) => (
                BTreeMap::new(),
                Err(SetError::Module {
                    module: module.clone(),
                    source: ReloadError::Build(e),
                }),
            ),
            Ok(built) => {
                let changed = self.changed(&built, Some(&module));
                let result = self
                    .set
                    .stage(&changed)
                    .and_then(|staged| self.set.commit(staged, StatePolicy::Refuse));
                (changed, result)
            }
        };
        self.record(&changed, &result);
        match &result {
            Ok(report) => done.reloaded_set(
                &report.changed,
                &report.restarted,
                report.state_bytes,
                report.elapsed,
            ),
            Err(e) => done.failed(e.module().unwrap_or(&module), e),
        }
        Some(result)
    }
}

impl RemoteHost for DemoHost {
    fn world(&self) -> &World {
        self.set.world()
    }

    fn world_mut(&mut self) -> &mut World {
        self.set.world_mut()
    }

    fn schedule(&self) -> Option<ScheduleRef<'_>> {
        Some(ScheduleRef {
            schedule: self.set.schedule(),
            runner: self.set.runner(),
        })
    }

    fn registry(&self) -> Option<&BindingRegistry> {
        Some(self.set.registry())
    }

    fn modules(&self) -> Vec<ModuleReport> {
        let retained = self.set.retained_libraries();
        self.set
            .modules()
            .into_iter()
            .map(|(name, header)| {
                let counts = self.counts.get(&name).cloned().unwrap_or_default();
                ModuleReport {
                    header,
                    retained_libraries: retained,
                    reloads: counts.reloads,
                    failures: counts.failures,
                    last: counts.last,
                    reloading: self.pending.as_ref().is_some_and(|p| p.module == name),
                }
            })
            .collect()
    }

    fn reload(&mut self, module: &str, done: ReloadReply) {
        if !self.set.modules().iter().any(|(name, _)| name == module) {
            return done.refused(RemoteError::UnknownModule {
                name: module.to_owned(),
            });
        }
        if let Some(pending) = &self.pending {
            return done.refused(RemoteError::ReloadBusy {
                module: pending.module.clone(),
            });
        }
        let built = self.build_in_background();
        self.pending = Some(PendingReload {
            module: module.to_owned(),
            built,
            done,
        });
    }
}
