//! A reload frees what its rebinds replaced once the registry's readers have let go of it.
//!
//! A rebind replaces the registry's snapshot; one that a reader on another thread still holds
//! is kept by the registry and freed at a later write or `reclaim`, never by the reader. So a
//! reader that lets go during a reload, after the last rebind, leaves the old module's
//! implementations (and, under `UnloadPolicy::WhenUnused`, its library) alive until the host
//! reclaims them: both hosts do at the end of a reload. Each test lets a reader go at that
//! point, from inside the host's bind function, and checks the old library is closed when
//! the reload returns.

use playground_ecs_view::EcsView;
use playground_fixture_probe::{ProbeCore, ProbeView};
use playground_host::{ModuleSet, ThreadPool};
use playground_kernel::sync::StdArc;
use playground_loader::{HostOptions, ModuleHost, UnloadPolicy};
use playground_registry::BindingRegistry;
use playground_tests::plugin_set::{SYSTEM, resolution, set_libraries};
use playground_tests::{Variant, library};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc;

/// Run once by the host's bind function, after its publishes.
type AfterBind = StdArc<Mutex<Option<Box<dyn FnOnce() + Send>>>>;

/// Runs whatever `after_bind` holds (taking it, so a later bind runs nothing).
fn run_after_bind(after_bind: &AfterBind) {
    let hook = after_bind.lock().expect("not poisoned").take();
    if let Some(hook) = hook {
        hook();
    }
}

fn closing_unused() -> HostOptions {
    HostOptions {
        unload: UnloadPolicy::WhenUnused,
        ..HostOptions::default()
    }
}

/// Runs `reload` while a reader on another thread holds the snapshot it read `V` from
/// before, and lets go of it inside the reload, once the host's bind function has published
/// everything (through `after_bind`).
fn reload_as_a_reader_lets_go<V: playground_kernel::View + ?Sized>(
    registry: &BindingRegistry,
    after_bind: &AfterBind,
    reload: impl FnOnce(),
) {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let (gone_tx, gone_rx) = mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut reader = registry.reader();
            assert!(reader.get::<V>().is_some(), "the View is bound");
            ready_tx.send(()).unwrap();
            go_rx.recv().unwrap();
            drop(reader);
            gone_tx.send(()).unwrap();
        });
        ready_rx.recv().unwrap();
        *after_bind.lock().unwrap() = Some(Box::new(move || {
            go_tx.send(()).unwrap();
            gone_rx.recv().unwrap();
        }));
        reload();
    });
    assert!(
        after_bind.lock().unwrap().is_none(),
        "the reload ran the bind function"
    );
}

#[test]
fn a_module_host_reload_frees_what_a_reader_let_go_of_during_it_and_closes_the_old_library() {
    let lib = library(Variant::Fixture(""));
    let after_bind = AfterBind::default();
    let hook = after_bind.clone();
    let mut host = ModuleHost::<ProbeCore>::load(
        &lib,
        StdArc::new(BindingRegistry::new()),
        closing_unused(),
        move |module, binder| {
            binder.publish::<dyn EcsView>(module.ecs())?;
            binder.publish::<dyn ProbeView>(module.probe())?;
            run_after_bind(&hook);
            Ok(())
        },
    )
    .unwrap();
    let registry = host.registry().clone();
    reload_as_a_reader_lets_go::<dyn ProbeView>(&registry, &after_bind, || {
        host.reload(&lib).unwrap();
    });
    assert_eq!(
        host.retained_libraries(),
        0,
        "the snapshot the reader held, and the old library with it, were freed by the reload"
    );
    assert_eq!(registry.reclaim(), 0, "nothing replaced is still held");
}

#[test]
fn a_module_set_reload_frees_what_a_reader_let_go_of_during_it_and_closes_the_old_libraries() {
    let libraries = set_libraries("").unwrap();
    let after_bind = AfterBind::default();
    let hook = after_bind.clone();
    let mut set = ModuleSet::load(
        &resolution(),
        &libraries,
        StdArc::new(BindingRegistry::new()),
        closing_unused(),
        StdArc::new(ThreadPool::new().expect("the host's threads")),
        move |module, binder| {
            binder.publish::<dyn EcsView>(module.ecs())?;
            run_after_bind(&hook);
            Ok(())
        },
    )
    .unwrap();
    let registry = set.registry().clone();
    let changed = BTreeMap::from([(SYSTEM.to_owned(), libraries[SYSTEM].clone())]);
    reload_as_a_reader_lets_go::<dyn EcsView>(&registry, &after_bind, || {
        set.reload(&changed).unwrap();
    });
    assert_eq!(
        set.retained_libraries(),
        0,
        "the snapshot the reader held, and the old system library with it, were freed by the reload"
    );
    assert_eq!(registry.reclaim(), 0, "nothing replaced is still held");
}
