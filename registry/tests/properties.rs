//! State machine: random register/bind/rebind/unbind/pool/get sequences against a `HashMap`
//! reference. Every refused operation must leave the registry as the reference says.

use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{ModelType, View, ViewId};
use playground_registry::{BindingRegistry, Implementation, RegistryError};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

trait Probe: Send + Sync {
    fn value(&self) -> u32;
}
struct Fixed(u32);
impl Probe for Fixed {
    fn value(&self) -> u32 {
        self.0
    }
}

/// Three distinct Views (a View is a type, so the state machine picks among a fixed set).
macro_rules! views {
    ($($name:ident = $id:literal),*) => {$(
        trait $name: Probe {}
        impl<T: Probe> $name for T {}
        impl View for dyn $name {
            const NAME: &'static str = $id;
            const API_VERSION: u64 = 7;
        }
    )*};
}
views!(A = "prop.A", B = "prop.B", C = "prop.C");

#[derive(Debug, Clone, Copy)]
enum Op {
    Register(u8),
    Bind(u8, u32, bool),
    Rebind(u8, u32, bool),
    Unbind(u8),
    Pool(u8, u8),
    Get(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let v = 0u8..3;
    prop_oneof![
        2 => v.clone().prop_map(Op::Register),
        3 => (v.clone(), any::<u32>(), prop::bool::weighted(0.8)).prop_map(|(v, x, ok)| Op::Bind(v, x, ok)),
        3 => (v.clone(), any::<u32>(), prop::bool::weighted(0.8)).prop_map(|(v, x, ok)| Op::Rebind(v, x, ok)),
        1 => v.clone().prop_map(Op::Unbind),
        2 => (v.clone(), 0u8..3).prop_map(|(v, m)| Op::Pool(v, m)),
        3 => v.prop_map(Op::Get),
    ]
}

fn id(v: u8) -> ViewId {
    [
        <dyn A as View>::VIEW_ID,
        <dyn B as View>::VIEW_ID,
        <dyn C as View>::VIEW_ID,
    ][v as usize]
}

/// Dispatches an operation on View number `v` to the right trait object type.
macro_rules! on_view {
    ($v:expr, |$ty:ident| $body:expr) => {
        match $v {
            0 => {
                type $ty = dyn A;
                $body
            }
            1 => {
                type $ty = dyn B;
                $body
            }
            _ => {
                type $ty = dyn C;
                $body
            }
        }
    };
}

#[derive(Default)]
struct Reference {
    /// Registered Views and what each is bound to.
    views: HashMap<ViewId, Option<u32>>,
    pools: HashSet<(ViewId, ModelType)>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn registry_matches_a_reference(ops in prop::collection::vec(op(), 1..48)) {
        let registry = BindingRegistry::new();
        let mut reference = Reference::default();
        for op in ops {
            match op {
                Op::Register(v) => {
                    let result = on_view!(v, |V| registry.register_view::<V>());
                    let fresh = !reference.views.contains_key(&id(v));
                    prop_assert_eq!(result.is_ok(), fresh);
                    reference.views.entry(id(v)).or_insert(None);
                }
                Op::Bind(v, x, good) | Op::Rebind(v, x, good) => {
                    let rebind = matches!(op, Op::Rebind(..));
                    let version = if good { 7 } else { 8 };
                    let result = on_view!(v, |V| {
                        let imp = Implementation::<V>::new("x", version, Arc::new(Fixed(x)));
                        if rebind { registry.rebind(imp) } else { registry.bind(imp) }
                    });
                    let expected = match reference.views.get(&id(v)) {
                        None => Err(RegistryError::UnknownView { view_id: id(v) }),
                        Some(_) if !good => Err(RegistryError::VersionMismatch { view_id: id(v), expected: 7, found: 8 }),
                        Some(Some(_)) if !rebind => Err(RegistryError::AlreadyBound { view_id: id(v), current: "x".into() }),
                        Some(None) if rebind => Err(RegistryError::NotBound { view_id: id(v) }),
                        Some(_) => Ok(()),
                    };
                    if expected.is_ok() {
                        reference.views.insert(id(v), Some(x));
                    }
                    prop_assert_eq!(result, expected);
                }
                Op::Unbind(v) => {
                    let result = on_view!(v, |V| registry.unbind::<V>());
                    let expected = match reference.views.get(&id(v)) {
                        None => Err(RegistryError::UnknownView { view_id: id(v) }),
                        Some(None) => Err(RegistryError::NotBound { view_id: id(v) }),
                        Some(Some(_)) => Ok(()),
                    };
                    if expected.is_ok() {
                        reference.views.insert(id(v), None);
                    }
                    prop_assert_eq!(result, expected);
                }
                Op::Pool(v, m) => {
                    let key = (id(v), ModelType::from_bits(u64::from(m)));
                    let result = registry.register_pool(key.0, key.1).map(|_| ());
                    let expected = if !reference.views.contains_key(&key.0) {
                        Err(RegistryError::UnknownView { view_id: key.0 })
                    } else if reference.pools.contains(&key) {
                        Err(RegistryError::DuplicatePool { view_id: key.0, model_type: key.1 })
                    } else {
                        reference.pools.insert(key);
                        Ok(())
                    };
                    prop_assert_eq!(result, expected);
                }
                Op::Get(v) => {
                    let want = reference.views.get(&id(v)).copied().flatten();
                    let by_guard = on_view!(v, |V| registry.get::<V>().map(|g| g.value()));
                    let by_reader = on_view!(v, |V| registry.reader().get::<V>().map(|g| g.value()));
                    let by_binding = on_view!(v, |V| registry.binding::<V>().ok().and_then(|mut b| b.get().map(|g| g.value())));
                    prop_assert_eq!((by_guard, by_reader, by_binding), (want, want, want));
                }
            }
            // The whole visible state agrees after every step.
            let views = registry.views();
            prop_assert_eq!(views.len(), reference.views.len());
            for report in views {
                let bound = reference.views[&report.info.view_id];
                prop_assert_eq!(report.bound.is_some(), bound.is_some());
                let pools = reference.pools.iter().filter(|(v, _)| *v == report.info.view_id).count();
                prop_assert_eq!(report.pools.len(), pools);
            }
        }
    }
}
