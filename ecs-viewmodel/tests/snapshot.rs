//! Snapshots: a world survives save + restore exactly; every bad input is refused with a
//! typed error and the world unchanged.

use playground_ecs_view::{EcsError, EcsModule, StorageView, World, component};
use playground_ecs_viewmodel::EcsViewModel;
use playground_ecs_viewmodel::module::HostedWorld;
use playground_kernel::{Corruption, StateError, ViewModelTrait};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Pos([f32; 3]);
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Hp(u32);
#[derive(Debug, Clone, Copy, PartialEq)]
struct Transient;
component!(
    Pos = "snap.Pos",
    Hp = "snap.Hp",
    Transient = "snap.Transient"
);

fn world() -> World {
    let mut w = World::new();
    w.register_persistent::<Pos>();
    w.register_persistent::<Hp>();
    w
}

fn populated() -> World {
    let mut w = world();
    let es = w.spawn_batch((0..100).map(|i| (Pos([i as f32, 0.0, 1.0]), Hp(i))));
    for e in es.iter().step_by(3) {
        w.despawn(*e).unwrap();
    }
    w.spawn((Pos([9.0; 3]),));
    w
}

fn contents(w: &mut World) -> Vec<(u64, Option<Pos>, Option<Hp>)> {
    let es: Vec<_> = w.entities().collect();
    es.into_iter()
        .map(|e| {
            (
                e.to_bits(),
                w.get_mut::<Pos>(e).copied(),
                w.get_mut::<Hp>(e).copied(),
            )
        })
        .collect()
}

#[test]
fn save_then_restore_reproduces_the_world() {
    let vm = EcsViewModel;
    let mut source = populated();
    let bytes = vm.save(&source).unwrap();
    let mut target = world();
    target.spawn((Hp(77),));
    vm.restore(&mut target, &bytes).unwrap();
    assert_eq!(contents(&mut target), contents(&mut source));
    // Generations and the free list came across: the next spawn reuses the same index.
    assert_eq!(target.spawn(()), source.spawn(()));
}

#[test]
fn view_model_state_is_the_hosted_world() {
    let mut a = HostedWorld::default();
    *a.world_mut() = populated();
    let state = a.save_state().unwrap();
    let mut b = HostedWorld::default();
    *b.world_mut() = world();
    b.restore_state(&state).unwrap();
    assert_eq!(contents(b.world_mut()), contents(a.world_mut()));
}

/// Restores `bytes` into a populated world and checks it failed with `check` and changed
/// nothing.
fn refused(bytes: &[u8], check: impl Fn(&EcsError) -> bool) {
    let vm = EcsViewModel;
    let mut w = populated();
    let before = contents(&mut w);
    let err = vm.restore(&mut w, bytes).unwrap_err();
    assert!(check(&err), "unexpected error {err:?}");
    assert_eq!(
        contents(&mut w),
        before,
        "a refused restore changed the world"
    );
}

#[test]
fn truncated_snapshots_are_refused() {
    let bytes = EcsViewModel.save(&populated()).unwrap();
    for cut in [0, 3, 10, 24, bytes.len() / 2, bytes.len() - 1] {
        refused(&bytes[..cut], |e| {
            matches!(e, EcsError::State(StateError::Truncated { .. }))
        });
    }
}

#[test]
fn flipped_bytes_are_refused() {
    let bytes = EcsViewModel.save(&populated()).unwrap();
    for at in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[at] ^= 0x5a;
        refused(&bad, |e| matches!(e, EcsError::State(_)));
    }
}

#[test]
fn foreign_state_format_is_refused_naming_both_versions() {
    let mut bytes = EcsViewModel.save(&populated()).unwrap();
    bytes[8..16].copy_from_slice(&0xdead_beefu64.to_le_bytes());
    refused(&bytes, |e| {
        matches!(e, EcsError::State(StateError::FormatMismatch { found: 0xdead_beef, expected })
            if *expected == playground_ecs_view::fingerprint::STATE_FORMAT_VERSION)
    });
}

#[test]
fn arbitrary_bytes_are_refused() {
    refused(b"not a snapshot at all, just some text", |e| {
        matches!(
            e,
            EcsError::State(StateError::Corrupt {
                problem: Corruption::BadMagic,
                ..
            })
        )
    });
    refused(&[], |e| {
        matches!(e, EcsError::State(StateError::Truncated { .. }))
    });
    let mut trailing = EcsViewModel.save(&populated()).unwrap();
    trailing.push(0);
    let end = trailing.len() - 1;
    refused(&trailing, |e| {
        matches!(e, EcsError::State(StateError::Corrupt {
            problem: Corruption::TrailingBytes { end: at, count: 1 },
            ..
        }) if *at == end)
    });
}

#[test]
fn a_component_the_target_does_not_know_is_refused() {
    let bytes = EcsViewModel.save(&populated()).unwrap();
    let vm = EcsViewModel;
    let mut target = World::new();
    target.register_persistent::<Pos>();
    let e = target.spawn((Pos([1.0; 3]),));
    let err = vm.restore(&mut target, &bytes).unwrap_err();
    assert!(
        matches!(&err, EcsError::UnknownComponent { name: Some(name), .. } if name == "snap.Hp"),
        "{err:?}"
    );
    assert_eq!(target.get_mut::<Pos>(e), Some(&mut Pos([1.0; 3])));
}

#[test]
fn a_world_with_unsaveable_components_says_which() {
    let mut w = populated();
    let e = w.spawn(());
    w.insert(e, Transient).unwrap();
    let err = EcsViewModel.save(&w).unwrap_err();
    assert_eq!(
        err,
        EcsError::NotPersistent {
            name: "snap.Transient"
        }
    );
}
