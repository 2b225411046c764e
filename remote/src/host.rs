//! [`RemoteHost`]: what a host lends the endpoint at its quiescent point.

use crate::error::RemoteError;
use crate::reply::Reply;
use playground_ecs_view::{Schedule, SystemView, World};
use playground_kernel::module::ModuleHeader;
use playground_loader::{ReloadError, ReloadReport};
use playground_registry::BindingRegistry;
use serde_json::{Value, json};

/// A schedule and the implementation that orders it into stages.
pub struct ScheduleRef<'a> {
    /// The systems.
    pub schedule: &'a Schedule,
    /// What computes its stages (the bound `SystemView`).
    pub runner: &'a dyn SystemView,
}

/// How the last reload of a module ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ReloadOutcome {
    /// It reloaded.
    Reloaded {
        /// Bytes of state carried across.
        state_bytes: usize,
        /// Commit time in microseconds.
        commit_us: u64,
    },
    /// It failed and the running module was kept.
    Failed {
        /// The error as the build or loader reported it.
        reason: String,
    },
}

/// A report's commit time in whole microseconds.
fn commit_us(report: &ReloadReport) -> u64 {
    u64::try_from(report.elapsed.as_micros()).unwrap_or(u64::MAX)
}

impl ReloadOutcome {
    /// The outcome of a reload that returned `result`.
    pub fn of(result: &Result<ReloadReport, ReloadError>) -> Self {
        match result {
            Ok(report) => Self::Reloaded {
                state_bytes: report.state_bytes,
                commit_us: commit_us(report),
            },
            Err(e) => Self::Failed {
                reason: e.to_string(),
            },
        }
    }
}

/// A loaded module, as `module.list` and `module.status` report it.
#[derive(Debug, Clone)]
pub struct ModuleReport {
    /// Its header (name, version, rustc, fingerprints).
    pub header: ModuleHeader,
    /// Replaced libraries still mapped.
    pub retained_libraries: usize,
    /// Reloads that succeeded.
    pub reloads: u64,
    /// Reloads that failed.
    pub failures: u64,
    /// How the last one ended, if there was one.
    pub last: Option<ReloadOutcome>,
    /// Whether a reload is under way.
    pub reloading: bool,
}

/// The answer to a `module.reload`, which the host gives once the module is rebuilt and
/// committed (or refused), frames running meanwhile.
pub struct ReloadReply {
    reply: Reply,
}

impl ReloadReply {
    pub(crate) fn new(reply: Reply) -> Self {
        Self { reply }
    }

    /// The reload succeeded.
    pub fn reloaded(self, report: &ReloadReport, order: &[String]) {
        self.reply.send(Ok(json!({
            "module": report.name,
            "reloaded": order,
            "state_bytes": report.state_bytes,
            "migrated": report.migrated,
            "fresh": report.fresh,
            "commit_us": commit_us(report),
        })));
    }

    /// A module set's reload succeeded: `changed` were given new libraries, and `restarted`
    /// (they, their dependents, and the module hosting the world) new instances, in that
    /// order, carrying `state_bytes` of state; the commit took `elapsed`.
    pub fn reloaded_set(
        self,
        changed: &[String],
        restarted: &[String],
        state_bytes: usize,
        elapsed: std::time::Duration,
    ) {
        self.reply.send(Ok(json!({
            "module": changed.first(),
            "changed": changed,
            "reloaded": restarted,
            "state_bytes": state_bytes,
            "commit_us": u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        })));
    }

    /// The reload is refused before it starts (an unknown module, one already reloading).
    pub fn refused(self, error: RemoteError) {
        self.reply.send(Err(error));
    }

    /// The reload failed; the running modules were kept.
    pub fn failed(self, module: &str, error: &dyn std::error::Error) {
        let mut reason = error.to_string();
        let mut source = error.source();
        while let Some(e) = source {
            reason.push_str(": ");
            reason.push_str(&e.to_string());
            source = e.source();
        }
        self.reply.send(Err(RemoteError::Reload {
            module: module.to_owned(),
            reason,
        }));
    }
}

/// What a host lends the endpoint while it serves requests, between frames: no system runs
/// while these are called.
pub trait RemoteHost {
    /// The world requests read.
    fn world(&self) -> &World;
    /// The world requests change.
    fn world_mut(&mut self) -> &mut World;
    /// The schedule frames run, if the host has one.
    fn schedule(&self) -> Option<ScheduleRef<'_>> {
        None
    }
    /// The registry its Views are bound in, if it has one.
    fn registry(&self) -> Option<&BindingRegistry> {
        None
    }
    /// Its loaded modules.
    fn modules(&self) -> Vec<ModuleReport> {
        Vec::new()
    }
    /// Starts rebuilding and reloading `module` and its dependents, answering `done` when
    /// it is committed or failed (frames keep running meanwhile), or at once if it is
    /// refused. A host without modules refuses it.
    fn reload(&mut self, module: &str, done: ReloadReply) {
        done.refused(RemoteError::UnknownModule {
            name: module.to_owned(),
        });
    }
}

/// A module header as JSON.
pub(crate) fn header_json(h: &ModuleHeader) -> Value {
    json!({
        "name": h.name.as_str(),
        "version": h.version.as_str(),
        "core": h.core.as_str(),
        "rustc": h.rustc.as_str(),
        "kernel": h.kernel.as_str(),
        "target": h.target.as_str(),
        "api_version": format!("{:#018x}", h.api_version),
        "state_version": format!("{:#018x}", h.state_version),
    })
}
