//! `live`: the kernel embedded in a host.
//!
//! Builds `playground-ecs-viewmodel` as a library, loads it through the loader, spawns
//! 10,000 moving entities and runs frames, printing frame statistics. Then:
//!
//! - `--watch`: reloads the module whenever its sources change (edit `SPEED_SCALE` in
//!   `ecs-viewmodel/src/motion.rs` and save), printing that entity count and positions
//!   survived and the new speed is live, and the edit-to-live time.
//! - `--self-edit`: does that edit itself (and puts the file back), to measure edit-to-live
//!   without a person at the keyboard.
//! - `--remote ADDR`: serves JSON-RPC over HTTP on `ADDR` (loopback, e.g. `127.0.0.1:15702`;
//!   another address needs `--token T`), and runs frames until Ctrl-C or SIGTERM.
//! - `--mcp`: serves the same operations as MCP tools on stdin/stdout (the demo's own output
//!   goes to stderr), until the client closes stdin, Ctrl-C or SIGTERM.
//! - otherwise: reloads the same library once mid-run, to show the swap.
//!
//! Requests are served between frames; a remote `module.reload` rebuilds on another thread
//! while frames go on, and commits at the next quiescent point.
//!
//! `cargo run --release -p playground-demo --bin live -- [--watch | --self-edit] [--frames N]
//! [--remote ADDR [--token T]] [--mcp]`

mod remote_host;

use playground_ecs_view::{EcsCore, EcsView, Entity, MotionView, Position, Velocity};
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Ordering, StdArc};
use playground_loader::{HostOptions, ModuleBuild, ModuleHost, ReloadReport, SourceWatcher};
use playground_registry::BindingRegistry;
use playground_remote::{Endpoint, HttpOptions, HttpServer, JsonCodecs, McpServer};
use remote_host::DemoHost;
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

const MODULE: &str = "playground-ecs-viewmodel";
const ENTITIES: usize = 10_000;
const DT: f32 = 1.0 / 60.0;

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

fn build() -> Result<(PathBuf, Duration), playground_loader::BuildError> {
    let started = Instant::now();
    let lib = ModuleBuild::new(MODULE, workspace()).run()?;
    Ok((lib, started.elapsed()))
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

fn sample(host: &ModuleHost<EcsCore>, e: Entity) -> String {
    let motion = host.instance().motion();
    match motion.position(host.instance().world(), e) {
        Some(p) => format!("({:+.3}, {:+.3})", p.x, p.y),
        None => "(gone)".into(),
    }
}

fn reloaded(
    host: &ModuleHost<EcsCore>,
    report: &ReloadReport,
    sample_entity: Entity,
    before: &str,
) {
    say!(
        "  reloaded {}: swap {:.2} ms, {} KiB of state carried; entities {} ; entity 0 {} -> {}; speed scale now {}",
        report.name,
        report.elapsed.as_secs_f64() * 1e3,
        report.state_bytes / 1024,
        host.instance().world().len(),
        before,
        sample(host, sample_entity),
        host.instance().motion().speed_scale(),
    );
}

/// Puts the motion source back as it was, even if the demo stops early.
struct Restore {
    path: PathBuf,
    original: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args();
    TO_STDERR.store(args.mcp, Ordering::Relaxed);
    let stop = StdArc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::Release))?;
    }
    say!(
        "live: app resolved its modules at build time: load order [{}]",
        env!("PLAYGROUND_LOAD_ORDER")
    );
    say!("live: building {MODULE} as a library ...");
    let (lib, took) = build()?;
    say!("  built {} in {:.1} s", lib.display(), took.as_secs_f64());

    let registry = StdArc::new(BindingRegistry::new());
    let host = ModuleHost::<EcsCore>::load(
        &lib,
        registry.clone(),
        HostOptions::default(),
        |module, binder| {
            binder.publish::<dyn EcsView>(module.ecs())?;
            binder.publish::<dyn MotionView>(module.motion())
        },
    )?;
    let header = *host.header();
    say!(
        "  loaded {} {} (rustc {}, API {:#018x})",
        header.name.as_str(),
        header.version.as_str(),
        header.rustc.as_str(),
        header.api_version
    );
    let mut demo = DemoHost::new(host, MODULE, workspace(), DT);

    let mut motion = registry.binding::<dyn MotionView>()?;
    let movers = {
        let view = motion.get().ok_or("MotionView not bound")?;
        view.spawn_movers(demo.host_mut().instance_mut().world_mut(), ENTITIES, 42)
    };
    let first = movers[0];
    say!(
        "  spawned {} moving entities",
        demo.host().instance().world().len()
    );
    let remote = serve_remote(&args)?;

    let source = workspace().join("ecs-viewmodel/src/motion.rs");
    let watcher = if args.watch || args.self_edit {
        say!(
            "  watching {} (edit SPEED_SCALE and save)",
            source.display()
        );
        Some(SourceWatcher::new(
            &[workspace().join("ecs-viewmodel/src")],
        )?)
    } else {
        None
    };
    let mut restore: Option<Restore> = None;
    let mut edits_done = 0;
    let mut edit_to_live = Vec::new();
    let runs_until_stopped = args.watch || remote.is_some();
    let frames = args
        .frames
        .unwrap_or(if runs_until_stopped { u64::MAX } else { 300 });

    let mut stats = Frames::default();
    let mut last_report = Instant::now();
    while stats.count < frames && !stop.load(Ordering::Acquire) {
        let frame_start = Instant::now();
        let t = Instant::now();
        demo.frame()?;
        stats.step_us.push(t.elapsed().as_secs_f64() * 1e6);
        stats.count += 1;

        if stats.count.is_multiple_of(60) {
            let fps = 60.0 / last_report.elapsed().as_secs_f64();
            let median = stats.median_us();
            let view = motion.get().ok_or("MotionView not bound")?;
            say!(
                "frame {:>5}: {} entities, step median {:.0} us, {:.0} fps, speed scale {}, entity 0 at {}",
                stats.count,
                demo.host().instance().world().len(),
                median,
                fps,
                view.speed_scale(),
                sample(demo.host(), first)
            );
            stats.step_us.clear();
            last_report = Instant::now();
        }

        // A quiescent point between frames: the only place requests run and reloads commit.
        if let Some(remote) = &remote {
            remote.endpoint.serve(&mut demo);
            // Sampled only while a reload is in flight, for its before -> after line.
            let before = demo.reloading().then(|| sample(demo.host(), first));
            match demo.poll_reload() {
                Some(Ok(report)) => {
                    let before = before.unwrap_or_default();
                    reloaded(demo.host(), &report, first, &before);
                }
                Some(Err(e)) => say!("  remote reload refused, keeping the running module: {e}"),
                None => {}
            }
            if remote.mcp.as_ref().is_some_and(McpServer::is_finished) {
                say!("  mcp: the client closed stdin; stopping");
                break;
            }
        }
        if watcher.is_none() && !runs_until_stopped && stats.count == frames / 2 {
            let before = sample(demo.host(), first);
            let report = demo.reload_from(&lib)?;
            reloaded(demo.host(), &report, first, &before);
        }
        if args.self_edit && stats.count == 90 + 150 * edits_done && edits_done < 2 {
            let original = std::fs::read_to_string(&source)?;
            let (from, to) = if edits_done == 0 {
                ("1.0;", "2.0;")
            } else {
                ("2.0;", "1.0;")
            };
            let edited = original.replacen(
                &format!("pub const SPEED_SCALE: f32 = {from}"),
                &format!("pub const SPEED_SCALE: f32 = {to}"),
                1,
            );
            if restore.is_none() {
                restore = Some(Restore {
                    path: source.clone(),
                    original: original.clone(),
                });
            }
            std::fs::write(&source, edited)?;
            say!("  edited SPEED_SCALE {from} -> {to}");
            edits_done += 1;
        }
        if let Some(w) = &watcher {
            let changed = w.changed(Duration::from_millis(50));
            if !changed.is_empty() {
                let saved = changed
                    .iter()
                    .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
                    .max()
                    .unwrap_or_else(SystemTime::now);
                say!("  source changed; rebuilding {MODULE} ...");
                match build() {
                    Err(e) => say!("  build failed, keeping the running module:\n{e}"),
                    Ok((lib, took)) => {
                        let before = sample(demo.host(), first);
                        match demo.reload_from(&lib) {
                            Ok(report) => {
                                let live = saved.elapsed().unwrap_or_default();
                                edit_to_live.push(live);
                                say!(
                                    "  edit-to-live {:.2} s (build {:.2} s)",
                                    live.as_secs_f64(),
                                    took.as_secs_f64()
                                );
                                reloaded(demo.host(), &report, first, &before);
                            }
                            Err(e) => say!("  reload refused, keeping the running module: {e}"),
                        }
                    }
                }
            }
        }
        if args.self_edit && edits_done == 2 && edit_to_live.len() == 2 {
            break;
        }
        let spent = frame_start.elapsed();
        if let Some(rest) = Duration::from_secs_f32(DT).checked_sub(spent) {
            std::thread::sleep(rest);
        }
    }
    drop(restore);
    if !edit_to_live.is_empty() {
        let mut ms: Vec<f64> = edit_to_live.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        say!(
            "edit-to-live over {} edits: median {:.0} ms (goal <= 1000 ms)",
            ms.len(),
            ms[ms.len() / 2]
        );
    }
    let host = demo.host();
    say!(
        "done: {} frames, {} entities, {} old libraries kept mapped ({} KiB)",
        stats.count,
        host.instance().world().len(),
        host.retained_libraries(),
        host.retained_bytes() / 1024
    );
    Ok(())
}
