//! Loom models of the registry's publication logic (with `SwapCell` as its lock-based
//! reference cell, see [`crate::swap`]).

use crate::{BindingRegistry, Implementation};
use playground_kernel::View;
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Arc, Ordering, StdArc, model, thread};

trait Value: Send + Sync {
    fn get(&self) -> u32;
}
impl View for dyn Value {
    const NAME: &'static str = "loom.Value";
    const API_VERSION: u64 = 1;
}
trait Other: Send + Sync {}
impl View for dyn Other {
    const NAME: &'static str = "loom.Other";
    const API_VERSION: u64 = 1;
}

/// An implementation that records its drop, so a model can tell "freed" from "alive".
struct Tracked {
    value: u32,
    dropped: Arc<AtomicBool>,
}
impl Value for Tracked {
    fn get(&self) -> u32 {
        assert!(!self.dropped.load(Ordering::SeqCst), "used after free");
        self.value
    }
}
impl Drop for Tracked {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

fn tracked(value: u32) -> (Implementation<dyn Value>, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    let imp = Implementation::new(
        "t",
        1,
        StdArc::new(Tracked {
            value,
            dropped: dropped.clone(),
        }) as StdArc<dyn Value>,
    );
    (imp, dropped)
}

/// A registry with `dyn Value` registered and bound to a tracked implementation of `value`,
/// and that implementation's drop flag.
fn bound_to_tracked(value: u32) -> (Arc<BindingRegistry>, Arc<AtomicBool>) {
    let registry = Arc::new(BindingRegistry::new());
    registry.register_view::<dyn Value>().unwrap();
    let (imp, dropped) = tracked(value);
    registry.bind(imp).unwrap();
    (registry, dropped)
}

#[test]
fn rebind_while_readers_get_sees_old_or_new_never_freed() {
    model(|| {
        let (registry, _) = bound_to_tracked(1);
        let mut binding = registry.binding::<dyn Value>().unwrap();
        let writer = {
            let registry = registry.clone();
            thread::spawn(move || registry.rebind(tracked(2).0).unwrap())
        };
        let seen = binding.get().map(|v| v.get());
        assert!(seen == Some(1) || seen == Some(2), "{seen:?}");
        let by_table = registry.reader().get::<dyn Value>().map(|v| v.get());
        assert!(by_table == Some(1) || by_table == Some(2), "{by_table:?}");
        writer.join().unwrap();
        assert_eq!(binding.get().map(|v| v.get()), Some(2));
    });
}

#[test]
fn concurrent_registration_of_different_ids_loses_none() {
    model(|| {
        let registry = Arc::new(BindingRegistry::new());
        let other = {
            let registry = registry.clone();
            thread::spawn(move || registry.register_view::<dyn Other>().unwrap())
        };
        registry.register_view::<dyn Value>().unwrap();
        other.join().unwrap();
        let names: Vec<_> = registry.views().iter().map(|v| v.info.name).collect();
        assert_eq!(names, ["loom.Other", "loom.Value"]);
    });
}

#[test]
fn a_guard_keeps_the_old_implementation_alive_across_rebind() {
    model(|| {
        let (registry, v1_dropped) = bound_to_tracked(1);
        let guard = registry.binding::<dyn Value>().unwrap().load();
        let writer = {
            let registry = registry.clone();
            thread::spawn(move || registry.rebind(tracked(2).0).unwrap())
        };
        assert_eq!(guard.get().map(|v| v.get()), Some(1));
        writer.join().unwrap();
        assert!(
            !v1_dropped.load(Ordering::SeqCst),
            "alive while the guard is held"
        );
        drop(guard);
        assert!(
            v1_dropped.load(Ordering::SeqCst),
            "released with the last guard"
        );
    });
}

#[test]
fn a_binding_follows_the_slot_version_and_lets_the_old_implementation_go() {
    model(|| {
        let (registry, v1_dropped) = bound_to_tracked(1);
        let mut binding = registry.binding::<dyn Value>().unwrap();
        assert_eq!(binding.get().map(|v| v.get()), Some(1));
        let writer = {
            let registry = registry.clone();
            thread::spawn(move || registry.rebind(tracked(2).0).unwrap())
        };
        // Racing the rebind: the old or the new one, alive either way (`get` asserts it).
        let seen = binding.get().map(|v| v.get());
        assert!(seen == Some(1) || seen == Some(2), "{seen:?}");
        writer.join().unwrap();
        assert_eq!(binding.get().map(|v| v.get()), Some(2));
        assert!(
            v1_dropped.load(Ordering::SeqCst),
            "once the binding moved on, nothing holds the old implementation"
        );
    });
}

#[test]
fn a_reader_lets_go_of_a_replaced_snapshot_and_the_writer_frees_it() {
    model(|| {
        let (registry, v1_dropped) = bound_to_tracked(1);
        let reader = {
            let registry = registry.clone();
            thread::spawn(move || {
                let mut reader = registry.reader();
                // Racing the rebind: the old or the new one, alive either way (`get` asserts
                // it), and letting go of the old snapshot frees nothing.
                let seen = reader.get::<dyn Value>().map(|v| v.get());
                assert!(seen == Some(1) || seen == Some(2), "{seen:?}");
            })
        };
        registry.rebind(tracked(2).0).unwrap();
        reader.join().unwrap();
        // Every reader has let go; the writer's reclaim frees what only the old snapshot held.
        assert_eq!(registry.reclaim(), 0, "no replaced snapshot is still held");
        assert!(
            v1_dropped.load(Ordering::SeqCst),
            "the old implementation went with the old snapshot"
        );
    });
}
