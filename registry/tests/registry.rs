//! Behaviour of the registry, and every bad input refused with nothing changed.

mod support;

use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{Handle, ModelId, ModelTrait, ModelType, View, ViewId};
use playground_registry::{BindingRegistry, Implementation, RegistryError};
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Counter, Impostor, Namer, Plain, counter};

const COUNTER: ViewId = <dyn Counter as View>::VIEW_ID;

fn registry_with_counter() -> BindingRegistry {
    let r = BindingRegistry::new();
    r.register_view::<dyn Counter>().unwrap();
    r
}

#[test]
fn bind_then_every_kind_of_read_sees_it() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    let mut binding = r.binding::<dyn Counter>().unwrap();
    assert!(binding.get().is_none(), "registered but unbound");
    r.bind(counter("v1", 1, &drops)).unwrap();
    assert_eq!(binding.get().map(|c| c.value()), Some(1));
    assert_eq!(r.get::<dyn Counter>().map(|c| c.value()), Some(1));
    let mut reader = r.reader();
    assert_eq!(reader.get::<dyn Counter>().map(|c| c.value()), Some(1));
    assert!(reader.is_bound(COUNTER));
    assert_eq!(
        binding.implementation().map(|i| i.name().to_owned()),
        Some("v1".into())
    );
}

#[test]
fn rebind_is_seen_by_the_next_get_and_old_guards_keep_the_old() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let mut binding = r.binding::<dyn Counter>().unwrap();
    assert_eq!(binding.get().unwrap().value(), 1);
    let old = binding.load();
    let owned_old = r.get::<dyn Counter>().unwrap();
    r.rebind(counter("v2", 2, &drops)).unwrap();
    assert_eq!(binding.get().unwrap().value(), 2);
    assert_eq!(r.reader().get::<dyn Counter>().unwrap().value(), 2);
    assert_eq!((old.get().unwrap().value(), owned_old.value()), (1, 1));
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "old implementation alive while guarded"
    );
    drop((old, owned_old));
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "released once the last guard dropped"
    );
}

#[test]
fn a_reader_moving_to_a_new_snapshot_frees_nothing_and_reclaim_frees_the_old() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let mut reader = r.reader();
    assert_eq!(reader.get::<dyn Counter>().unwrap().value(), 1);
    r.rebind(counter("v2", 2, &drops)).unwrap();
    assert_eq!(
        r.reclaim(),
        1,
        "the reader still holds the snapshot the rebind replaced"
    );
    // The lookup moves the reader to the new snapshot; the old one, and v1 that only it still
    // holds, are left for a writer to free.
    assert_eq!(reader.get::<dyn Counter>().unwrap().value(), 2);
    assert_eq!(drops.load(Ordering::SeqCst), 0, "the reader freed v1");
    assert_eq!(r.reclaim(), 0, "no replaced snapshot is held any more");
    assert_eq!(drops.load(Ordering::SeqCst), 1, "reclaim freed v1");
    // A write frees what readers let go of, as reclaim does.
    r.rebind(counter("v3", 3, &drops)).unwrap();
    assert_eq!(reader.get::<dyn Counter>().unwrap().value(), 3);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "the reader freed v2");
    r.rebind(counter("v4", 4, &drops)).unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 2, "the next write freed v2");
}

/// An implementation whose destructor writes to the registry it was bound in, as a module's
/// teardown might: it registers a pool named `pool` under the counter View.
struct WritesOnDrop {
    registry: std::sync::Weak<BindingRegistry>,
    pool: &'static str,
}

impl Counter for WritesOnDrop {
    fn value(&self) -> u64 {
        0
    }
}

impl Drop for WritesOnDrop {
    fn drop(&mut self) {
        if let Some(registry) = self.registry.upgrade() {
            registry
                .register_pool(COUNTER, ModelType::from_name(self.pool))
                .unwrap();
        }
    }
}

#[test]
fn an_implementation_freed_by_a_write_a_reclaim_or_a_refusal_may_write_to_the_registry() {
    let writes_on_drop = |r: &Arc<BindingRegistry>, pool| {
        Implementation::new(
            "w",
            <dyn Counter as View>::API_VERSION,
            Arc::new(WritesOnDrop {
                registry: Arc::downgrade(r),
                pool,
            }) as Arc<dyn Counter>,
        )
    };
    let (done, finished) = std::sync::mpsc::channel();
    // On its own thread, so that a deadlock fails the test below instead of hanging it.
    std::thread::spawn(move || {
        let drops = Arc::new(AtomicUsize::new(0));
        let r = Arc::new(registry_with_counter());
        r.bind(writes_on_drop(&r, "freed.by.write")).unwrap();
        // No reader holds the snapshot this replaces: the write frees it, and with it the
        // implementation, whose destructor writes.
        r.rebind(counter("v2", 2, &drops)).unwrap();
        let by_write = r
            .pool(COUNTER, ModelType::from_name("freed.by.write"))
            .is_some();
        r.rebind(writes_on_drop(&r, "freed.by.reclaim")).unwrap();
        let mut reader = r.reader();
        assert!(reader.get::<dyn Counter>().is_some());
        r.rebind(counter("v3", 3, &drops)).unwrap();
        assert!(reader.get::<dyn Counter>().is_some());
        // The reader has let go; reclaim frees the snapshot and the implementation.
        assert_eq!(r.reclaim(), 0);
        let by_reclaim = r
            .pool(COUNTER, ModelType::from_name("freed.by.reclaim"))
            .is_some();
        // A refused implementation is dropped by the refusal.
        let refused = r.bind(writes_on_drop(&r, "freed.by.refusal"));
        assert!(
            matches!(refused, Err(RegistryError::AlreadyBound { .. })),
            "{refused:?}"
        );
        let by_refusal = r
            .pool(COUNTER, ModelType::from_name("freed.by.refusal"))
            .is_some();
        done.send((by_write, by_reclaim, by_refusal)).unwrap();
    });
    let written = finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a destructor's write deadlocked on the writer lock");
    assert_eq!(
        written,
        (true, true, true),
        "each destructor's write landed"
    );
}

#[test]
fn an_owner_lives_as_long_as_its_implementation() {
    let drops = Arc::new(AtomicUsize::new(0));
    let library: Arc<String> = Arc::new("libmodule.so".into());
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops).with_owner(library.clone()))
        .unwrap();
    let guard = r.binding::<dyn Counter>().unwrap().load();
    r.rebind(counter("v2", 2, &drops)).unwrap();
    assert_eq!(Arc::strong_count(&library), 2, "the guard keeps the owner");
    drop(guard);
    assert_eq!(Arc::strong_count(&library), 1);
}

#[test]
fn unbind_leaves_bindings_empty() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let mut binding = r.binding::<dyn Counter>().unwrap();
    r.unbind::<dyn Counter>().unwrap();
    assert!(binding.get().is_none());
    assert!(r.get::<dyn Counter>().is_none());
    assert_eq!(
        r.unbind::<dyn Counter>(),
        Err(RegistryError::NotBound { view_id: COUNTER })
    );
}

#[test]
fn duplicate_registration_is_refused_and_the_first_stays() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let before = r.views();
    assert_eq!(
        r.register_view::<dyn Counter>(),
        Err(RegistryError::DuplicateView {
            view_id: COUNTER,
            existing: "test.Counter",
            new: "test.Counter"
        })
    );
    assert!(matches!(
        r.register_view::<dyn Impostor>(),
        Err(RegistryError::DuplicateView { .. })
    ));
    assert_eq!(r.views(), before);
    assert_eq!(r.get::<dyn Counter>().unwrap().value(), 1);
}

#[test]
fn version_mismatch_is_refused_and_the_binding_stays() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let bad = Implementation::<dyn Counter>::new(
        "v2",
        0xBAD,
        Arc::new(support::Fixed {
            value: 2,
            drops: drops.clone(),
        }),
    );
    assert_eq!(
        r.rebind(bad),
        Err(RegistryError::VersionMismatch {
            view_id: COUNTER,
            expected: 0xC0,
            found: 0xBAD
        })
    );
    assert_eq!(r.get::<dyn Counter>().unwrap().value(), 1);
    assert_eq!(r.views()[0].bound, Some(("v1".into(), 0xC0)));
}

#[test]
fn bind_on_bound_and_rebind_on_unbound_are_refused() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    assert_eq!(
        r.rebind(counter("v1", 1, &drops)),
        Err(RegistryError::NotBound { view_id: COUNTER })
    );
    r.bind(counter("v1", 1, &drops)).unwrap();
    assert_eq!(
        r.bind(counter("v2", 2, &drops)),
        Err(RegistryError::AlreadyBound {
            view_id: COUNTER,
            current: "v1".into()
        })
    );
    assert_eq!(r.get::<dyn Counter>().unwrap().value(), 1);
}

#[test]
fn unknown_views_and_wrong_types_are_errors_not_undefined_behaviour() {
    let r = BindingRegistry::new();
    let unknown = RegistryError::UnknownView { view_id: COUNTER };
    assert_eq!(r.binding::<dyn Counter>().err(), Some(unknown.clone()));
    assert!(r.get::<dyn Counter>().is_none());
    assert!(r.reader().get::<dyn Counter>().is_none());
    r.register_view::<dyn Counter>().unwrap();
    // Same id, another trait object type: refused by type, never transmuted.
    assert!(matches!(
        r.binding::<dyn Impostor>(),
        Err(RegistryError::TypeMismatch { .. })
    ));
    assert!(r.get::<dyn Impostor>().is_none());
    assert!(r.reader().get::<dyn Impostor>().is_none());
    let imp: Implementation<dyn Impostor> = {
        struct I;
        impl Impostor for I {}
        Implementation::new("i", 0xC0, Arc::new(I))
    };
    assert!(matches!(
        r.bind(imp),
        Err(RegistryError::TypeMismatch { .. })
    ));
    assert_eq!(r.views()[0].bound, None);
}

struct Model(ModelId);
impl ModelTrait for Model {
    fn model_id(&self) -> ModelId {
        self.0
    }
    fn model_type(&self) -> ModelType {
        ModelType::from_name("test.Model")
    }
}

#[test]
fn pools_are_registered_found_and_reported() {
    let r = registry_with_counter();
    let mt = ModelType::from_name("test.Model");
    let pool = r.register_pool(COUNTER, mt).unwrap();
    let id = pool.insert(Handle::from_std(Arc::new(Model(ModelId::new(
        0,
        playground_kernel::Generation(0),
    )))));
    let mut reader = r.reader();
    let found = reader.pool(COUNTER, mt).unwrap();
    assert_eq!(found.with(id, |m| m.model_type()), Some(mt));
    assert!(
        reader
            .pool(COUNTER, ModelType::from_name("other"))
            .is_none()
    );
    assert_eq!(r.views()[0].pools, vec![(mt, 1)]);
    assert_eq!(
        r.register_pool(COUNTER, mt).err(),
        Some(RegistryError::DuplicatePool {
            view_id: COUNTER,
            model_type: mt
        })
    );
    let namer = <dyn Namer as View>::VIEW_ID;
    assert_eq!(
        r.register_pool(namer, mt).err(),
        Some(RegistryError::UnknownView { view_id: namer })
    );
    assert!(
        Arc::ptr_eq(&r.pool(COUNTER, mt).unwrap(), &pool),
        "the refusals changed nothing"
    );
}

#[test]
fn inspection_lists_views_by_name_with_their_bindings() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.register_view::<dyn Namer>().unwrap();
    r.bind::<dyn Namer>(Implementation::new("plain", 0xA0, Arc::new(Plain("n"))))
        .unwrap();
    r.bind(counter("v1", 1, &drops)).unwrap();
    let views = r.views();
    let names: Vec<_> = views
        .iter()
        .map(|v| (v.info.name, v.bound.clone()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("test.Counter", Some(("v1".into(), 0xC0))),
            ("test.Namer", Some(("plain".into(), 0xA0)))
        ]
    );
}

#[test]
fn concurrent_writers_lose_no_update() {
    // Registering many distinct Views needs distinct types; pools give distinct keys instead.
    let r = registry_with_counter();
    std::thread::scope(|s| {
        for t in 0..4 {
            let r = &r;
            s.spawn(move || {
                for i in 0..100 {
                    r.register_pool(COUNTER, ModelType::from_name(&format!("m{t}.{i}")))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(r.views()[0].pools.len(), 400);
}

#[test]
fn readers_see_rebinds_in_order_while_a_writer_rebinds() {
    let drops = Arc::new(AtomicUsize::new(0));
    let r = registry_with_counter();
    r.bind(counter("v0", 0, &drops)).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut binding = r.binding::<dyn Counter>().unwrap();
                let mut reader = r.reader();
                let mut last = 0;
                while !stop.load(Ordering::Relaxed) {
                    let v = binding.get().unwrap().value();
                    assert!(v >= last, "went back from {last} to {v}");
                    last = v;
                    assert!(reader.get::<dyn Counter>().is_some());
                }
            });
        }
        for v in 1..=500 {
            r.rebind(counter("v", v, &drops)).unwrap();
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(r.get::<dyn Counter>().unwrap().value(), 500);
}

#[test]
fn views_registered_at_run_time_share_one_contract() {
    let r = BindingRegistry::new();
    let ids: Vec<ViewId> = (0..3)
        .map(|i| ViewId::from_name(&format!("script.{i}")))
        .collect();
    for (i, &view_id) in ids.iter().enumerate() {
        let info = playground_registry::ViewInfo {
            view_id,
            name: "script",
            api_version: 1,
            type_name: "",
        };
        r.register_view_as::<dyn Namer>(info).unwrap();
        let name: &'static str = ["zero", "one", "two"][i];
        r.bind_to::<dyn Namer>(view_id, Implementation::new(name, 1, Arc::new(Plain(name))))
            .unwrap();
    }
    let mut reader = r.reader();
    assert_eq!(
        reader.get_by_id::<dyn Namer>(ids[1]).map(|n| n.name()),
        Some("one")
    );
    assert!(
        reader.get_by_id::<dyn Counter>(ids[1]).is_none(),
        "wrong type reads nothing"
    );
    let mut binding = r.binding_for::<dyn Namer>(ids[2]).unwrap();
    r.rebind_to::<dyn Namer>(
        ids[2],
        Implementation::new("new", 1, Arc::new(Plain("new"))),
    )
    .unwrap();
    assert_eq!(binding.get().map(|n| n.name()), Some("new"));
    r.unbind_from::<dyn Namer>(ids[0]).unwrap();
    assert!(r.get_by_id::<dyn Namer>(ids[0]).is_none());
    assert_eq!(
        r.views()[0].info.type_name,
        std::any::type_name::<dyn Namer>()
    );
}
