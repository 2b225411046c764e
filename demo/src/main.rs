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
//! - `--self-edit`: does such edits itself (five of the motion plugin, then two of the
//!   system module, putting each file back), and prints the median edit-to-live of each.
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

/// One edit `--self-edit` makes: flips `SPEED_SCALE` in `file` between 1.0 and 2.0.
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args();
    TO_STDERR.store(args.mcp, Ordering::Relaxed);
    let stop = StdArc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::Release))?;
    }
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
    let first = movers[0];
    say!("  spawned {} movers", set.world().len());
    let system = resolution.load_order[0].clone();
    let mut demo = DemoHost::new(set, build, &libraries);
    let remote = serve_remote(&args)?;

    let plugin_source = workspace().join("plugins/motion/src/lib.rs");
    let system_source = workspace().join("ecs-viewmodel/src/motion.rs");
    let watcher = if args.watch || args.self_edit {
        say!(
            "  watching the modules' sources (edit SPEED_SCALE in {} and save)",
            plugin_source.display()
        );
        Some(SourceWatcher::new(&[
            workspace().join("ecs-viewmodel/src"),
            workspace().join("plugins"),
        ])?)
    } else {
        None
    };
    let mut restores: Vec<Restore> = Vec::new();
    let mut edits_done = 0;
    // (file saved at, whether the edit was the system module's), waiting for a frame.
    let mut awaiting_frame: Option<(SystemTime, bool)> = None;
    let (mut plugin_live, mut system_live) = (Vec::new(), Vec::new());
    let runs_until_stopped = args.watch || args.self_edit || remote.is_some();
    let frames = args
        .frames
        .unwrap_or(if runs_until_stopped { u64::MAX } else { 300 });

    let mut stats = Frames::default();
    let mut last_report = Instant::now();
    let mut last_edit_frame = 0;
    while stats.count < frames && !stop.load(Ordering::Acquire) {
        let frame_start = Instant::now();
        let before = mover(demo.set().world(), first);
        demo.frame()?;
        stats
            .step_us
            .push(frame_start.elapsed().as_secs_f64() * 1e6);
        stats.count += 1;
        if let Some((saved, system_edit)) = awaiting_frame.take() {
            let live = saved.elapsed().unwrap_or_default();
            say!(
                "  edit-to-live {:.0} ms (saved -> first frame of the new code); speed scale now {:.2}",
                live.as_secs_f64() * 1e3,
                observed_scale(before, mover(demo.set().world(), first))
            );
            if system_edit {
                system_live.push(live);
            } else {
                plugin_live.push(live);
            }
        }

        if stats.count.is_multiple_of(60) {
            let fps = 60.0 / last_report.elapsed().as_secs_f64();
            let median = stats.median_us();
            say!(
                "frame {:>5}: {} entities, step median {:.0} us, {:.0} fps, speed scale {:.2}, entity 0 at {}",
                stats.count,
                demo.set().world().len(),
                median,
                fps,
                observed_scale(before, mover(demo.set().world(), first)),
                sample(demo.set(), first)
            );
            stats.step_us.clear();
            last_report = Instant::now();
        }

        // A quiescent point between frames: the only place requests run and reloads commit.
        if let Some(remote) = &remote {
            remote.endpoint.serve(&mut demo);
            // Sampled only while a reload is in flight, for its before -> after line.
            let before = demo.reloading().then(|| sample(demo.set(), first));
            match demo.poll_reload() {
                Some(Ok(report)) => {
                    reloaded(demo.set(), &report, first, &before.unwrap_or_default())
                }
                Some(Err(e)) => say!("  remote reload refused, keeping every module: {e}"),
                None => {}
            }
            if remote.mcp.as_ref().is_some_and(McpServer::is_finished) {
                say!("  mcp: the client closed stdin; stopping");
                break;
            }
        }
        if watcher.is_none() && !runs_until_stopped && stats.count == frames / 2 {
            let before = sample(demo.set(), first);
            let built = demo.rebuild()?;
            if let Some(report) = demo.reload_built(&built, Some(&system))? {
                reloaded(demo.set(), &report, first, &before);
            }
        }
        let edits = PLUGIN_EDITS + SYSTEM_EDITS;
        if args.self_edit
            && edits_done < edits
            && awaiting_frame.is_none()
            && stats.count >= last_edit_frame + 60
            && plugin_live.len() + system_live.len() == edits_done
        {
            let file = if edits_done < PLUGIN_EDITS {
                &plugin_source
            } else {
                &system_source
            };
            if !restores.iter().any(|r| &r.path == file) {
                restores.push(Restore {
                    path: file.clone(),
                    original: std::fs::read_to_string(file)?,
                });
            }
            let flipped = flip_speed_scale(file)?;
            say!(
                "  edited SPEED_SCALE {flipped} in {}",
                file.strip_prefix(workspace()).unwrap_or(file).display()
            );
            edits_done += 1;
            last_edit_frame = stats.count;
        }
        if let Some(w) = &watcher {
            let changed = w.changed(Duration::from_millis(50));
            if !changed.is_empty() {
                let saved = changed
                    .iter()
                    .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
                    .max()
                    .unwrap_or_else(SystemTime::now);
                let system_edit = changed
                    .iter()
                    .any(|p| p.starts_with(workspace().join("ecs-viewmodel")));
                say!("  sources changed; rebuilding ...");
                let before = sample(demo.set(), first);
                let build_started = Instant::now();
                match demo.rebuild() {
                    Err(e) => say!("  build failed, every module keeps running:\n{e}"),
                    Ok(built) => {
                        let took = build_started.elapsed();
                        match demo.reload_built(&built, None) {
                            Ok(Some(report)) => {
                                say!("  built in {:.2} s", took.as_secs_f64());
                                reloaded(demo.set(), &report, first, &before);
                                awaiting_frame = Some((saved, system_edit));
                            }
                            Ok(None) => {
                                say!("  built in {:.2} s; no library changed", took.as_secs_f64())
                            }
                            Err(e) => say!("  reload refused, every module keeps running: {e}"),
                        }
                    }
                }
            }
        }
        if args.self_edit && plugin_live.len() + system_live.len() == edits {
            break;
        }
        if let Some(rest) = FRAME.checked_sub(frame_start.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    drop(restores);
    if let Some(ms) = median_ms(&plugin_live) {
        say!(
            "edit-to-live, plugin edit, over {} edits: median {ms:.0} ms (goal <= 1000 ms)",
            plugin_live.len()
        );
    }
    if let Some(ms) = median_ms(&system_live) {
        say!(
            "edit-to-live, system module edit (reloads every plugin after it), over {} edits: median {ms:.0} ms",
            system_live.len()
        );
    }
    say!(
        "done: {} frames, {} entities, {} old libraries kept mapped ({} KiB)",
        stats.count,
        demo.set().world().len(),
        demo.set().retained_libraries(),
        demo.set().retained_bytes() / 1024
    );
    Ok(())
}
