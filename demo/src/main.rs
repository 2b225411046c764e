//! `live`: the kernel embedded in a host, running an app made of hot modules.
//!
//! Builds the app's modules (the ECS system module `playground-ecs-viewmodel` and the
//! plugins `playground-motion` and `playground-bounce`) in one cargo run, loads them as a
//! module set in the resolved order, spawns 10,000 movers, and runs frames (the plugins'
//! systems, on the host's threads), printing frame statistics and the speed entity 0 is seen
//! to move at. Then:
//!
//! - `--watch`: rebuilds when a module's sources change (edit `SPEED_SCALE` in
//!   `plugins/motion/src/lib.rs` and save) and reloads what changed with its dependents,
//!   printing that every entity survived, the new speed, and the edit-to-live time (file
//!   saved -> first frame of the new code).
//! - `--self-edit`: does such edits itself (five of the motion plugin's `SPEED_SCALE`, then
//!   two of the system module, which holds no gameplay: a marker line added to and taken out
//!   of its `lib.rs`, enough for cargo to rebuild it and the set to reload it with every
//!   plugin after it), putting each file back, and prints the median edit-to-live of each.
//! - `--remote ADDR`: serves JSON-RPC over HTTP on `ADDR` (loopback, e.g. `127.0.0.1:15702`;
//!   another address needs `--token T`), and runs frames until Ctrl-C or SIGTERM.
//! - `--mcp`: serves the same operations as MCP tools on stdin/stdout (the demo's own output
//!   goes to stderr), until the client closes stdin, Ctrl-C or SIGTERM.
//! - otherwise: reloads the system module (so every plugin after it) once mid-run.
//!
//! `cargo run --release -p playground-demo --bin live -- [--watch | --self-edit] [--frames N]
//! [--remote ADDR [--token T]] [--mcp]`

mod remote_host;

use playground_ecs_view::{EcsView, Entity};
use playground_host::{ChainReport, ModuleSet, ThreadPool};
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Ordering, StdArc};
use playground_kinematics::{DT, Position, Velocity, mover, spawn_movers};
use playground_loader::{HostOptions, SourceWatcher};
use playground_registry::BindingRegistry;
use playground_remote::{Endpoint, HttpOptions, HttpServer, JsonCodecs, McpServer};
use remote_host::{AppBuild, DemoHost};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Whether the demo's own output goes to stderr (stdout carries MCP).
static TO_STDERR: AtomicBool = AtomicBool::new(false);

/// `println!`, or `eprintln!` while stdout is the MCP channel.
macro_rules! say {
    ($($arg:tt)*) => {
        if TO_STDERR.load(Ordering::Relaxed) {
            eprintln!($($arg)*);
        } else {
            println!($($arg)*);
        }
    };
}

const ENTITIES: usize = 10_000;
/// The frame period the demo paces itself to (the motion plugin steps by its own `DT`).
const FRAME: Duration = Duration::from_micros(16_667);
/// Edits of the motion plugin `--self-edit` makes (at least five, for a median).
const PLUGIN_EDITS: usize = 5;
/// Edits of the system module `--self-edit` makes after those.
const SYSTEM_EDITS: usize = 2;
/// Frames a run without `--watch`, `--self-edit` or a remote lasts (five seconds at 60 fps);
/// it reloads the system module at half time.
const DEFAULT_FRAMES: u64 = 300;
/// Frames per statistics line (one second at 60 fps).
const REPORT_EVERY: u64 = 60;
/// Frames `--self-edit` lets run between one edit going live and the next edit.
const FRAMES_BETWEEN_EDITS: u64 = 60;
/// How long the watcher waits for more changes after one, so a save of several files is one
/// rebuild.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(50);

struct Args {
    watch: bool,
    self_edit: bool,
    frames: Option<u64>,
    remote: Option<SocketAddr>,
    token: Option<String>,
    mcp: bool,
}

fn args() -> Args {
    let mut a = Args {
        watch: false,
        self_edit: false,
        frames: None,
        remote: None,
        token: None,
        mcp: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--watch" => a.watch = true,
            "--self-edit" => a.self_edit = true,
            "--frames" => a.frames = it.next().and_then(|n| n.parse().ok()),
            "--remote" => match it.next().map(|addr| addr.parse()) {
                Some(Ok(addr)) => a.remote = Some(addr),
                _ => {
                    eprintln!("--remote needs an address, e.g. 127.0.0.1:15702");
                    std::process::exit(2);
                }
            },
            "--token" => a.token = it.next(),
            "--mcp" => a.mcp = true,
            other => {
                eprintln!(
                    "unknown argument {other}; use --watch, --self-edit, --frames N, --remote ADDR [--token T], --mcp"
                );
                std::process::exit(2);
            }
        }
    }
    a
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("demo/ is inside the workspace")
        .to_owned()
}

/// Frame timings of the last second, for the statistics line.
#[derive(Default)]
struct Frames {
    step_us: Vec<f64>,
    count: u64,
}

impl Frames {
    fn median_us(&mut self) -> f64 {
        self.step_us.sort_by(f64::total_cmp);
        self.step_us
            .get(self.step_us.len() / 2)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Where `e` is, for the report lines.
fn sample(set: &ModuleSet, e: Entity) -> String {
    match mover(set.world(), e) {
        Some((p, _)) => format!("({:+.3}, {:+.3})", p.x, p.y),
        None => "(gone)".into(),
    }
}

/// The speed scale entity `e` was seen to move at in the last frame: its displacement over
/// what its velocity before the frame would give at scale 1.
fn observed_scale(
    before: Option<(Position, Velocity)>,
    after: Option<(Position, Velocity)>,
) -> f32 {
    let (Some((p0, v)), Some((p1, _))) = (before, after) else {
        return f32::NAN;
    };
    let moved = ((p1.x - p0.x).powi(2) + (p1.y - p0.y).powi(2)).sqrt();
    let unit = (v.x * v.x + v.y * v.y).sqrt() * DT;
    moved / unit
}

fn reloaded(set: &ModuleSet, report: &ChainReport, first: Entity, before: &str) {
    say!(
        "  reloaded [{}] (changed [{}]): commit {:.2} ms, {} KiB of state carried; entities {}; entity 0 {} -> {}",
        report.restarted.join(", "),
        report.changed.join(", "),
        report.elapsed.as_secs_f64() * 1e3,
        report.state_bytes / 1024,
        set.world().len(),
        before,
        sample(set, first),
    );
}

/// Puts an edited source file back as it was, even if the demo stops early.
struct Restore {
    path: PathBuf,
    original: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
}

/// The line `--self-edit` adds to and takes out of the system module.
const SYSTEM_MARKER: &str = "// edited by `live --self-edit`";

/// A system-module edit of `--self-edit`: adds [`SYSTEM_MARKER`] to `file`, or takes it out.
fn toggle_marker(file: &Path) -> std::io::Result<&'static str> {
    let text = std::fs::read_to_string(file)?;
    let marked = format!("\n{SYSTEM_MARKER}\n");
    let (edited, what) = match text.strip_suffix(&marked) {
        Some(original) => (format!("{original}\n"), "took out a marker line"),
        None => (
            format!("{}{marked}", text.trim_end_matches('\n')),
            "added a marker line",
        ),
    };
    std::fs::write(file, edited)?;
    Ok(what)
}

/// A plugin edit of `--self-edit`: flips `SPEED_SCALE` in `file` between 1.0 and 2.0.
fn flip_speed_scale(file: &Path) -> std::io::Result<&'static str> {
    let text = std::fs::read_to_string(file)?;
    let (from, to) = if text.contains("pub const SPEED_SCALE: f32 = 1.0;") {
        ("1.0;", "2.0;")
    } else {
        ("2.0;", "1.0;")
    };
    let edited = text.replacen(
        &format!("pub const SPEED_SCALE: f32 = {from}"),
        &format!("pub const SPEED_SCALE: f32 = {to}"),
        1,
    );
    std::fs::write(file, edited)?;
    Ok(if to == "2.0;" {
        "1.0 -> 2.0"
    } else {
        "2.0 -> 1.0"
    })
}

/// The remote transports the demo was asked to serve.
struct Remote {
    endpoint: Endpoint,
    _http: Option<HttpServer>,
    mcp: Option<McpServer>,
}

fn serve_remote(args: &Args) -> Result<Option<Remote>, Box<dyn std::error::Error>> {
    if args.remote.is_none() && !args.mcp {
        return Ok(None);
    }
    let mut codecs = JsonCodecs::new();
    codecs.register::<Position>().register::<Velocity>();
    let endpoint = Endpoint::new(codecs);
    let http = match args.remote {
        Some(addr) => {
            let mut options = HttpOptions::loopback(addr);
            options.token = args.token.clone();
            let server = HttpServer::start(endpoint.client(), options)?;
            say!(
                "  remote: JSON-RPC on http://{} (POST; rpc.discover lists the methods)",
                server.local_addr()
            );
            Some(server)
        }
        None => None,
    };
    let mcp = if args.mcp {
        say!("  remote: MCP server on stdio");
        Some(McpServer::start_stdio(endpoint.client())?)
    } else {
        None
    };
    Ok(Some(Remote {
        endpoint,
        _http: http,
        mcp,
    }))
}

fn median_ms(samples: &[Duration]) -> Option<f64> {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    ms.get(ms.len() / 2).copied()
}

/// Resolves the app, builds its modules in one cargo run, loads them as a set on the host's
/// threads and spawns the movers.
fn start() -> Result<(DemoHost, Entity, String), Box<dyn std::error::Error>> {
    let resolution = playground_loader::check::check_app(Path::new(env!("CARGO_MANIFEST_DIR")))?;
    say!(
        "live: app resolved its modules: load order [{}]",
        resolution.load_order.join(", ")
    );
    let build = AppBuild::new(workspace(), resolution.load_order.clone());
    let started = Instant::now();
    let libraries = build.run()?;
    say!(
        "  built {} modules in {:.1} s",
        libraries.len(),
        started.elapsed().as_secs_f64()
    );
    let registry = StdArc::new(BindingRegistry::new());
    let executor = StdArc::new(ThreadPool::new()?);
    let mut set = ModuleSet::load(
        &resolution,
        &libraries,
        registry,
        HostOptions::default(),
        executor,
        |module, binder| binder.publish::<dyn EcsView>(module.ecs()),
    )?;
    for (name, header) in set.modules() {
        say!(
            "  loaded {name} {} ({}, rustc {}, API {:#018x})",
            header.version.as_str(),
            header.core.as_str(),
            header.rustc.as_str(),
            header.api_version
        );
    }
    let movers = spawn_movers(set.world_mut(), ENTITIES, 42)?;
    say!("  spawned {} movers", set.world().len());
    let system = resolution.load_order[0].clone();
    Ok((DemoHost::new(set, build, &libraries), movers[0], system))
}

/// Edit-to-live times, per kind of edit.
#[derive(Default)]
struct LiveTimes {
    plugin: Vec<Duration>,
    system: Vec<Duration>,
}

impl LiveTimes {
    fn len(&self) -> usize {
        self.plugin.len() + self.system.len()
    }
}

/// A rebuild that went live, waiting for the first frame of the new code.
struct Pending {
    saved: SystemTime,
    system_edit: bool,
}

/// The running demo: the host, the entity it follows, frame statistics, edits in flight.
struct Run {
    demo: DemoHost,
    first: Entity,
    stats: Frames,
    last_report: Instant,
    pending: Option<Pending>,
    /// The edit whose rebuild is running, and when it started.
    building: Option<(Pending, Instant)>,
    /// An edit saved while a rebuild was already running.
    again: Option<Pending>,
    live: LiveTimes,
}

impl Run {
    /// One frame, timed; records edit-to-live if it is the first frame after a reload.
    fn frame(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        let frame_start = Instant::now();
        let before = mover(self.demo.set().world(), self.first);
        self.demo.frame()?;
        self.stats
            .step_us
            .push(frame_start.elapsed().as_secs_f64() * 1e6);
        self.stats.count += 1;
        let scale = observed_scale(before, mover(self.demo.set().world(), self.first));
        if let Some(pending) = self.pending.take() {
            let live = pending.saved.elapsed().unwrap_or_default();
            say!(
                "  edit-to-live {:.0} ms (saved -> first frame of the new code); speed scale now {scale:.2}",
                live.as_secs_f64() * 1e3,
            );
            if pending.system_edit {
                self.live.system.push(live);
            } else {
                self.live.plugin.push(live);
            }
        }
        if self.stats.count.is_multiple_of(REPORT_EVERY) {
            self.report(scale);
        }
        Ok(())
    }

    fn report(&mut self, scale: f32) {
        let fps = REPORT_EVERY as f64 / self.last_report.elapsed().as_secs_f64();
        let median = self.stats.median_us();
        say!(
            "frame {:>5}: {} entities, step median {median:.0} us, {fps:.0} fps, speed scale {scale:.2}, entity 0 at {}",
            self.stats.count,
            self.demo.set().world().len(),
            sample(self.demo.set(), self.first)
        );
        self.stats.step_us.clear();
        self.last_report = Instant::now();
    }

    /// Runs the remote requests queued since the last frame and commits a finished remote
    /// reload; `false` once the MCP client has gone.
    fn serve(&mut self, remote: &Remote) -> bool {
        remote.endpoint.serve(&mut self.demo);
        // Sampled only while a reload is in flight, for its before -> after line.
        let before = self
            .demo
            .reloading()
            .then(|| sample(self.demo.set(), self.first));
        match self.demo.poll_reload() {
            Some(Ok(report)) => reloaded(
                self.demo.set(),
                &report,
                self.first,
                &before.unwrap_or_default(),
            ),
            Some(Err(e)) => say!("  remote reload refused, keeping every module: {e}"),
            None => {}
        }
        if remote.mcp.as_ref().is_some_and(McpServer::is_finished) {
            say!("  mcp: the client closed stdin; stopping");
            return false;
        }
        true
    }

    /// Rebuilds and reloads `module` (with every module after it).
    fn reload_now(&mut self, module: &str) -> Result<(), Box<dyn std::error::Error>> {
        let before = sample(self.demo.set(), self.first);
        let built = self.demo.rebuild()?;
        if let Some(report) = self.demo.reload_built(&built, Some(module))? {
            reloaded(self.demo.set(), &report, self.first, &before);
        }
        Ok(())
    }

    /// After `changed` sources were saved: starts a rebuild on its own thread (frames go on
    /// meanwhile), or, if one is running, notes that another is needed once it finishes.
    fn sources_changed(&mut self, changed: &[PathBuf]) {
        let saved = changed
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
            .max()
            .unwrap_or_else(SystemTime::now);
        let system_edit = changed
            .iter()
            .any(|p| p.starts_with(workspace().join("ecs-viewmodel")));
        let edit = Pending { saved, system_edit };
        if self.demo.start_watched_build() {
            say!("  sources changed; rebuilding while frames go on ...");
            self.building = Some((edit, Instant::now()));
        } else {
            // The running build may predate this save: build again when it finishes.
            self.again = Some(edit);
        }
    }

    /// At the quiescent point: once the watcher's rebuild has finished, reloads what changed
    /// with its dependents. A build or reload failure is printed and every module keeps
    /// running.
    fn finish_watched_build(&mut self) {
        let Some(built) = self.demo.poll_watched_build() else {
            return;
        };
        let (edit, started) = self.building.take().expect("a build was started");
        let took = started.elapsed().as_secs_f64();
        let before = sample(self.demo.set(), self.first);
        match built.map(|built| self.demo.reload_built(&built, None)) {
            Err(e) => say!("  build failed, every module keeps running:\n{e}"),
            Ok(Ok(Some(report))) => {
                say!("  built in {took:.2} s");
                reloaded(self.demo.set(), &report, self.first, &before);
                self.pending = Some(edit);
            }
            Ok(Ok(None)) => say!("  built in {took:.2} s; no library changed"),
            Ok(Err(e)) => say!("  reload refused, every module keeps running: {e}"),
        }
        if let Some(edit) = self.again.take()
            && self.demo.start_watched_build()
        {
            say!("  sources changed during the build; rebuilding ...");
            self.building = Some((edit, Instant::now()));
        }
    }
}

/// `--self-edit`: the edits still to make, and the files to put back afterwards.
struct SelfEdit {
    plugin_source: PathBuf,
    system_source: PathBuf,
    restores: Vec<Restore>,
    done: usize,
    last_edit_frame: u64,
}

impl SelfEdit {
    const EDITS: usize = PLUGIN_EDITS + SYSTEM_EDITS;

    fn new() -> Self {
        Self {
            plugin_source: workspace().join("plugins/motion/src/lib.rs"),
            system_source: workspace().join("ecs-viewmodel/src/lib.rs"),
            restores: Vec::new(),
            done: 0,
            last_edit_frame: 0,
        }
    }

    /// Makes the next edit once the previous one is live and has run for a while.
    fn step(&mut self, run: &Run) -> std::io::Result<()> {
        let previous_is_live = run.pending.is_none() && run.live.len() == self.done;
        if self.done == Self::EDITS
            || !previous_is_live
            || run.stats.count < self.last_edit_frame + FRAMES_BETWEEN_EDITS
        {
            return Ok(());
        }
        let file = if self.done < PLUGIN_EDITS {
            &self.plugin_source
        } else {
            &self.system_source
        };
        if !self.restores.iter().any(|r| &r.path == file) {
            self.restores.push(Restore {
                path: file.clone(),
                original: std::fs::read_to_string(file)?,
            });
        }
        let edit = if self.done < PLUGIN_EDITS {
            format!("SPEED_SCALE {}", flip_speed_scale(file)?)
        } else {
            toggle_marker(file)?.to_owned()
        };
        say!(
            "  edited {edit} in {}",
            file.strip_prefix(workspace()).unwrap_or(file).display()
        );
        self.done += 1;
        self.last_edit_frame = run.stats.count;
        Ok(())
    }
}

fn watch_sources() -> Result<SourceWatcher, Box<dyn std::error::Error>> {
    say!(
        "  watching the modules' sources (edit SPEED_SCALE in {} and save)",
        workspace().join("plugins/motion/src/lib.rs").display()
    );
    Ok(SourceWatcher::new(&[
        workspace().join("ecs-viewmodel/src"),
        workspace().join("plugins"),
    ])?)
}

fn finish(run: &Run) {
    if let Some(ms) = median_ms(&run.live.plugin) {
        say!(
            "edit-to-live, plugin edit, over {} edits: median {ms:.0} ms (goal <= 1000 ms)",
            run.live.plugin.len()
        );
    }
    if let Some(ms) = median_ms(&run.live.system) {
        say!(
            "edit-to-live, system module edit (reloads every plugin after it), over {} edits: median {ms:.0} ms",
            run.live.system.len()
        );
    }
    let set = run.demo.set();
    say!(
        "done: {} frames, {} entities, {} old libraries kept mapped ({} KiB)",
        run.stats.count,
        set.world().len(),
        set.retained_libraries(),
        set.retained_bytes() / 1024
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args();
    TO_STDERR.store(args.mcp, Ordering::Relaxed);
    let stop = StdArc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::Release))?;
    }
    let (demo, first, system) = start()?;
    let remote = serve_remote(&args)?;
    let watcher = (args.watch || args.self_edit)
        .then(watch_sources)
        .transpose()?;
    let mut self_edit = args.self_edit.then(SelfEdit::new);
    let runs_until_stopped = watcher.is_some() || remote.is_some();
    let frames = args.frames.unwrap_or(if runs_until_stopped {
        u64::MAX
    } else {
        DEFAULT_FRAMES
    });
    let mut run = Run {
        demo,
        first,
        stats: Frames::default(),
        last_report: Instant::now(),
        pending: None,
        building: None,
        again: None,
        live: LiveTimes::default(),
    };
    while run.stats.count < frames && !stop.load(Ordering::Acquire) {
        let frame_start = Instant::now();
        run.frame()?;
        // A quiescent point between frames: the only place requests run and reloads commit.
        if let Some(remote) = &remote
            && !run.serve(remote)
        {
            break;
        }
        if !runs_until_stopped && run.stats.count == frames / 2 {
            run.reload_now(&system)?;
        }
        if let Some(edit) = &mut self_edit {
            edit.step(&run)?;
            if run.live.len() == SelfEdit::EDITS {
                break;
            }
        }
        if let Some(w) = &watcher {
            let changed = w.changed(WATCH_DEBOUNCE);
            if !changed.is_empty() {
                run.sources_changed(&changed);
            }
            run.finish_watched_build();
        }
        if let Some(rest) = FRAME.checked_sub(frame_start.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    drop(self_edit);
    finish(&run);
    Ok(())
}
