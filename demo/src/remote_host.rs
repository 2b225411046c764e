//! The demo's host as the remote endpoint sees it: the loaded ECS module, the schedule its
//! frames run, and reloads asked for remotely, rebuilt off the frame.

use playground_ecs_view::{
    EcsCore, EcsError, EcsView, MotionView, Position, Schedule, SystemDesc, SystemView, Velocity,
    World,
};
use playground_kernel::sync::{StdArc, mpsc, thread};
use playground_loader::{
    BuildError, ModuleBuild, ModuleHost, ReloadError, ReloadReport, StatePolicy,
};
use playground_registry::BindingRegistry;
use playground_remote::{
    ModuleReport, ReloadOutcome, ReloadReply, RemoteError, RemoteHost, ScheduleRef,
};
use std::path::PathBuf;

/// The schedule a frame runs: the module's motion system, moving every entity by `dt`.
fn frame_schedule(motion: StdArc<dyn MotionView>, dt: f32) -> Schedule {
    let mut schedule = Schedule::new();
    schedule.add(
        SystemDesc::new("motion")
            .reads::<Velocity>()
            .writes::<Position>(),
        move |world: &World| motion.step(world, dt).map(|_| ()),
    );
    schedule
}

/// A remote `module.reload` whose build runs on its own thread while frames go on.
struct PendingReload {
    built: mpsc::Receiver<Result<PathBuf, BuildError>>,
    done: ReloadReply,
}

/// The loaded module, its schedule, and what has happened to it.
pub struct DemoHost {
    host: ModuleHost<EcsCore>,
    /// The running module's ECS implementation, which runs the schedule.
    ecs: StdArc<dyn EcsView>,
    schedule: Schedule,
    module: String,
    workspace: PathBuf,
    dt: f32,
    pending: Option<PendingReload>,
    reloads: u64,
    failures: u64,
    last: Option<ReloadOutcome>,
}

impl DemoHost {
    /// Wraps a loaded module, built from `module`'s package in `workspace`.
    pub fn new(host: ModuleHost<EcsCore>, module: &str, workspace: PathBuf, dt: f32) -> Self {
        let schedule = frame_schedule(host.instance().motion(), dt);
        Self {
            ecs: host.instance().ecs(),
            host,
            schedule,
            module: module.to_owned(),
            workspace,
            dt,
            pending: None,
            reloads: 0,
            failures: 0,
            last: None,
        }
    }

    /// The module host.
    pub fn host(&self) -> &ModuleHost<EcsCore> {
        &self.host
    }

    /// The module host, mutably.
    pub fn host_mut(&mut self) -> &mut ModuleHost<EcsCore> {
        &mut self.host
    }

    /// Runs one frame: the schedule, through the module's `SystemView`.
    pub fn frame(&self) -> Result<(), EcsError> {
        SystemView::run(&*self.ecs, &self.schedule, self.host.instance().world())
    }

    /// Reloads from `lib` now (the watcher's and the mid-run reload), recording the outcome.
    pub fn reload_from(&mut self, lib: &std::path::Path) -> Result<ReloadReport, ReloadError> {
        let result = self.host.reload(lib);
        self.record(&result);
        result
    }

    fn record(&mut self, result: &Result<ReloadReport, ReloadError>) {
        self.last = Some(ReloadOutcome::of(result));
        if result.is_ok() {
            self.reloads += 1;
            // The schedule and runner are the old module's code: take the new module's.
            self.schedule = frame_schedule(self.host.instance().motion(), self.dt);
            self.ecs = self.host.instance().ecs();
        } else {
            self.failures += 1;
        }
    }

    /// Whether a remote reload is being built.
    pub fn reloading(&self) -> bool {
        self.pending.is_some()
    }

    /// At the quiescent point: commits a remote reload whose build has finished. Returns
    /// its outcome, if one finished.
    pub fn poll_reload(&mut self) -> Option<Result<ReloadReport, ReloadError>> {
        let pending = self.pending.as_ref()?;
        let built = match pending.built.try_recv() {
            Ok(built) => built,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => Err(BuildError::Spawn(std::io::Error::other(
                "the build thread ended without an answer",
            ))),
        };
        let PendingReload { done, .. } = self.pending.take().expect("checked above");
        let result = built.map_err(ReloadError::from).and_then(|lib| {
            let staged = self.host.stage(&lib)?;
            self.host.commit(staged, StatePolicy::Refuse)
        });
        self.record(&result);
        match &result {
            Ok(report) => done.reloaded(report, std::slice::from_ref(&self.module)),
            Err(e) => done.failed(&self.module, e),
        }
        Some(result)
    }
}

impl RemoteHost for DemoHost {
    fn world(&self) -> &World {
        self.host.instance().world()
    }

    fn world_mut(&mut self) -> &mut World {
        self.host.instance_mut().world_mut()
    }

    fn schedule(&self) -> Option<ScheduleRef<'_>> {
        Some(ScheduleRef {
            schedule: &self.schedule,
            runner: &*self.ecs,
        })
    }

    fn registry(&self) -> Option<&BindingRegistry> {
        Some(self.host.registry())
    }

    fn modules(&self) -> Vec<ModuleReport> {
        vec![ModuleReport {
            header: *self.host.header(),
            retained_libraries: self.host.retained_libraries(),
            reloads: self.reloads,
            failures: self.failures,
            last: self.last.clone(),
            reloading: self.pending.is_some(),
        }]
    }

    fn reload(&mut self, module: &str, done: ReloadReply) {
        if module != self.module {
            return done.refused(RemoteError::UnknownModule {
                name: module.to_owned(),
            });
        }
        if self.pending.is_some() {
            return done.refused(RemoteError::ReloadBusy {
                module: module.to_owned(),
            });
        }
        let (tx, built) = mpsc::channel();
        let build = ModuleBuild::new(module, self.workspace.clone());
        thread::spawn(move || {
            let _ = tx.send(build.run());
        });
        self.pending = Some(PendingReload { built, done });
    }
}
