//! `loader/reload`: the hot-reload commit on a real module library (the ECS module, built in
//! release by cargo before measuring): what a frame waits for at the quiescent point.
//! `swap_empty`: check the staged module, save an empty world, restore, rebind, retire.
//! `swap_10k`: the same with 10,000 movers (`kinematics.Position` and `Velocity`) carried
//! across, on the ECS module as the test fixture wraps it (the shipped module registers no
//! component types of its own; the fixture registers the kinematics ones, so a snapshot of
//! movers restores into its next instance). Staging (copying the 6 MB library, `dlopen`,
//! header check), which runs while frames go on, is done outside the timed region and
//! reported by `stage`.
//!
//! `chain`: the commit of a module-set reload (the ECS module changed, so the motion and
//! bounce plugins after it): save the world and the plugins' state, start three instances,
//! attach the plugins, restore, rebuild the schedule, rebind; 10,000 movers carried.
//!
//! Each iteration loads one more copy of the library, which stays mapped (the loader's safe
//! default), so the group keeps its sample count small.

use criterion::{Criterion, criterion_group, criterion_main};
use playground_ecs_view::{EcsCore, EcsView};
use playground_fixture_probe::{ProbeCore, ProbeView};
use playground_host::{ModuleSet, ThreadPool};
use playground_kernel::module::Core;
use playground_kernel::sync::StdArc;
use playground_loader::manifest::{self, Manifest};
use playground_loader::resolve::{Resolution, resolve};
use playground_loader::{HostOptions, ModuleBuild, ModuleHost, StatePolicy};
use playground_registry::BindingRegistry;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A release build of `package` in a target directory of its own (`bench-modules` in the
/// workspace's target directory). Built in the shared one, the module's `cargo build
/// --release` rewrote the library files the other suites link under the bench profile, and
/// the next `cargo bench` of any of them rebuilt it (the `ecs` suite: about two minutes).
fn module_build(package: &str) -> ModuleBuild {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    let mut build = ModuleBuild::new(package, workspace());
    build.release = true;
    build.target_dir = Some(target.join("bench-modules"));
    build
}

/// `package`'s module library, built in release.
fn module_library(package: &str) -> PathBuf {
    module_build(package)
        .run()
        .expect("build the module library")
}

fn host(lib: &Path) -> ModuleHost<EcsCore> {
    ModuleHost::<EcsCore>::load(
        lib,
        StdArc::new(BindingRegistry::new()),
        HostOptions::default(),
        |module, binder| binder.publish::<dyn EcsView>(module.ecs()),
    )
    .expect("load the ECS module")
}

fn fixture_host(lib: &Path) -> ModuleHost<ProbeCore> {
    ModuleHost::<ProbeCore>::load(
        lib,
        StdArc::new(BindingRegistry::new()),
        HostOptions::default(),
        |module, binder| {
            binder.publish::<dyn EcsView>(module.ecs())?;
            binder.publish::<dyn ProbeView>(module.probe())
        },
    )
    .expect("load the fixture module")
}

const SYSTEM: &str = "playground-ecs-viewmodel";
const PLUGINS: [&str; 2] = ["playground-motion", "playground-bounce"];

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The demo app's module set: its resolution and its libraries, built in release.
fn module_set_libraries() -> (Resolution, BTreeMap<String, PathBuf>) {
    let libraries = module_build(SYSTEM)
        .run_with(&PLUGINS)
        .expect("build the module set");
    let demo = workspace().join("demo/Cargo.toml");
    let version = manifest::workspace_version(workspace());
    let app: Manifest = manifest::load(&demo, version.as_ref()).expect("the demo's manifest");
    let members = manifest::workspace_members(workspace()).expect("the workspace's manifests");
    (
        resolve(&app, &members).expect("the demo resolves"),
        libraries,
    )
}

/// Stages `iters` reloads of the set's system module, timing only their commits.
fn chain_timed(set: &mut ModuleSet, lib: &Path, iters: u64) -> Duration {
    let changed = BTreeMap::from([(SYSTEM.to_owned(), lib.to_owned())]);
    (0..iters)
        .map(|_| {
            let staged = set.stage(&changed).expect("stage");
            let start = Instant::now();
            black_box(set.commit(staged, StatePolicy::Refuse).expect("commit"));
            start.elapsed()
        })
        .sum()
}

/// Stages `iters` reloads, timing only their commits.
fn commit_timed<C: Core>(host: &mut ModuleHost<C>, lib: &Path, iters: u64) -> Duration {
    (0..iters)
        .map(|_| {
            let staged = host.stage(lib).expect("stage");
            let start = Instant::now();
            black_box(host.commit(staged, StatePolicy::Refuse).expect("commit"));
            start.elapsed()
        })
        .sum()
}

fn reload(c: &mut Criterion) {
    let lib = module_library(SYSTEM);
    let mut group = c.benchmark_group("loader/reload");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));

    let mut empty = host(&lib);
    group.bench_function("stage", |b| {
        b.iter(|| empty.stage(&lib).expect("stage"));
    });
    group.bench_function("swap_empty", |b| {
        b.iter_custom(|iters| commit_timed(&mut empty, &lib, iters));
    });

    let fixture = module_library("playground-fixture-module");
    let mut full = fixture_host(&fixture);
    playground_kinematics::spawn_movers(full.instance_mut().world_mut(), 10_000, 1)
        .expect("the fixture registers the kinematics components");
    full.instance()
        .probe()
        .step(full.instance().world(), 0.5)
        .unwrap();
    group.bench_function("swap_10k", |b| {
        b.iter_custom(|iters| commit_timed(&mut full, &fixture, iters));
    });
    assert_eq!(full.instance().world().len(), 10_000);

    let (resolution, libraries) = module_set_libraries();
    let mut set = ModuleSet::load(
        &resolution,
        &libraries,
        StdArc::new(BindingRegistry::new()),
        HostOptions::default(),
        StdArc::new(ThreadPool::new().expect("the host's threads")),
        |module, binder| binder.publish::<dyn EcsView>(module.ecs()),
    )
    .expect("load the module set");
    playground_kinematics::spawn_movers(set.world_mut(), 10_000, 1).expect("spawn movers");
    set.run_frame().expect("a frame");
    group.bench_function("chain", |b| {
        b.iter_custom(|iters| chain_timed(&mut set, &libraries[SYSTEM], iters));
    });
    assert_eq!(set.world().len(), 10_000);
    group.finish();
    eprintln!(
        "loader/reload: {} libraries kept mapped, {:.0} MiB of files",
        empty.retained_libraries() + full.retained_libraries() + set.retained_libraries(),
        (empty.retained_bytes() + full.retained_bytes() + set.retained_bytes()) as f64
            / (1 << 20) as f64
    );
}

criterion_group! {
    name = benches;
    config = playground_benches::settled_default();
    targets = reload
}
criterion_main!(benches);
