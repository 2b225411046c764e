//! Loading real module libraries and reloading them while state and callers are live.

use playground_ecs_view::Entity;
use playground_fixture_probe::{ProbeCore, ProbeView};
use playground_kernel::module::ModuleFault;
use playground_kernel::{Corruption, StateError};
use playground_loader::{LoadError, ModuleHost, ReloadError, StatePolicy};
use playground_tests::{Variant, ecs_host, host, library, positions};

const MOVERS: usize = 1_000;

fn spawn(host: &mut ModuleHost<ProbeCore>) -> Vec<Entity> {
    playground_kinematics::spawn_movers(host.instance_mut().world_mut(), MOVERS, 7)
        .expect("the fixture registers the kinematics components")
}

fn step(host: &ModuleHost<ProbeCore>, dt: f32) -> usize {
    let mut binding = host.registry().binding::<dyn ProbeView>().unwrap();
    let probe = binding.get().expect("ProbeView is bound");
    probe.step(host.instance().world(), dt).unwrap()
}

fn bound_scale(host: &ModuleHost<ProbeCore>) -> f32 {
    let mut binding = host.registry().binding::<dyn ProbeView>().unwrap();
    binding.get().expect("ProbeView is bound").scale()
}

#[test]
fn reloading_the_ecs_module_keeps_every_entity_and_the_allocator() {
    let lib = library(Variant::Ecs);
    let mut host = ecs_host(&lib).unwrap();
    let world = host.instance_mut().world_mut();
    let entities = world.spawn_batch(std::iter::repeat_n((), MOVERS));
    // Despawned ones leave generations and a free list the snapshot must carry.
    for &e in entities.iter().step_by(3) {
        world.despawn(e).unwrap();
    }
    let alive: Vec<Entity> = host.instance().world().entities().collect();

    let report = host.reload(&lib).unwrap();
    assert_eq!(report.name, "playground-ecs-viewmodel");
    assert!(!report.migrated && !report.fresh);
    let world = host.instance_mut().world_mut();
    assert_eq!(world.entities().collect::<Vec<_>>(), alive);
    // The free list came across: the next spawn reuses the last freed index, one generation on.
    let last_freed = *entities.iter().step_by(3).next_back().unwrap();
    let next = world.spawn(());
    assert_eq!(next.id(), last_freed.id());
    assert_eq!(next.generation(), last_freed.generation().next());
}

#[test]
fn a_library_of_another_core_is_refused() {
    let err = ecs_host(&library(Variant::Fixture("")))
        .map(drop)
        .unwrap_err();
    assert!(
        matches!(&err, LoadError::Mismatch { field, .. } if *field == "core"),
        "{err}"
    );
    let err = host(&library(Variant::Ecs)).map(drop).unwrap_err();
    assert!(
        matches!(&err, LoadError::Mismatch { field, .. } if *field == "core"),
        "{err}"
    );
}

#[test]
fn new_behaviour_is_live_after_reload_and_state_is_preserved() {
    let mut host = host(&library(Variant::Fixture(""))).unwrap();
    let entities = spawn(&mut host);
    step(&host, 1.0);
    let velocities = positions(&host, &entities); // moved from the origin for 1 s at scale 1
    assert_eq!(bound_scale(&host), 1.0);

    host.reload(&library(Variant::Fixture("scale-2"))).unwrap();
    assert_eq!(bound_scale(&host), 2.0);
    assert_eq!(
        positions(&host, &entities),
        velocities,
        "state carried across"
    );
    step(&host, 1.0);
    for (after, v) in positions(&host, &entities).iter().zip(&velocities) {
        let (after, v) = (after.unwrap(), v.unwrap());
        assert_eq!((after.x, after.y), (v.x + 2.0 * v.x, v.y + 2.0 * v.y));
    }
}

/// Loads the base fixture with entities, tries `reload`, and checks the old module is still
/// bound with its state whatever the outcome was.
fn refused(variant: Variant, setup: Variant) -> ReloadError {
    let mut host = host(&library(setup)).unwrap();
    let entities = spawn(&mut host);
    step(&host, 1.0);
    let before = positions(&host, &entities);
    let err = host.reload(&library(variant)).unwrap_err();
    assert_eq!(host.instance().world().len(), MOVERS, "{err}");
    assert_eq!(positions(&host, &entities), before, "{err}");
    assert_eq!(
        bound_scale(&host),
        1.0,
        "the old module is still bound: {err}"
    );
    assert_eq!(step(&host, 0.0), MOVERS, "and still runs: {err}");
    assert!(host.retained_libraries() <= 1);
    err
}

#[test]
fn a_module_built_against_another_api_is_refused_naming_both_versions() {
    let err = refused(Variant::Fixture("api-skew"), Variant::Fixture(""));
    match &err {
        ReloadError::Load(LoadError::Mismatch {
            field,
            expected,
            found,
            ..
        }) => {
            assert_eq!(*field, "API version");
            assert_ne!(expected, found);
            assert!(err.to_string().contains(expected.as_str()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_changed_state_format_is_refused_unless_migrated_or_started_fresh() {
    let err = refused(Variant::Fixture("state-skew"), Variant::Fixture(""));
    assert!(
        matches!(err, ReloadError::StateFormatChanged { .. }),
        "{err}"
    );

    let mut host = host(&library(Variant::Fixture(""))).unwrap();
    spawn(&mut host);
    let report = host
        .reload(&library(Variant::Fixture("state-migrate")))
        .unwrap();
    assert!(report.migrated);
    assert_eq!(host.instance().world().len(), MOVERS);

    let mut host = playground_tests::host(&library(Variant::Fixture(""))).unwrap();
    spawn(&mut host);
    let report = host
        .reload_with(
            &library(Variant::Fixture("state-skew")),
            StatePolicy::StartFresh,
        )
        .unwrap();
    assert!(report.fresh);
    assert_eq!(host.instance().world().len(), 0);
}

#[test]
fn corrupt_state_is_refused_by_the_new_module() {
    let err = refused(Variant::Fixture(""), Variant::Fixture("corrupt-save"));
    match err {
        // The fixture flips a byte in the middle of the body: the checksum catches it.
        ReloadError::Restore(ModuleFault::State(StateError::Corrupt {
            problem: Corruption::Checksum { .. },
            ..
        })) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_panic_while_restoring_is_caught_inside_the_module() {
    let err = refused(Variant::Fixture("panic-on-restore"), Variant::Fixture(""));
    assert_eq!(
        err.to_string(),
        "the new module could not restore the state: panicked: fixture: restore panics by design"
    );
}

#[test]
fn a_library_without_the_module_symbol_is_refused() {
    let err = refused(Variant::Fixture("no-export"), Variant::Fixture(""));
    assert!(
        matches!(err, ReloadError::Load(LoadError::MissingSymbol { .. })),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_library_is_refused() {
    let dir = std::env::temp_dir().join(format!("playground-not-a-lib-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("libfake.so");
    std::fs::write(&fake, b"this is not an ELF file").unwrap();
    let mut host = host(&library(Variant::Fixture(""))).unwrap();
    let entities = spawn(&mut host);
    let before = positions(&host, &entities);
    let err = host.reload(&fake).unwrap_err();
    assert!(
        matches!(err, ReloadError::Load(LoadError::NotALibrary { .. })),
        "{err}"
    );
    assert_eq!(positions(&host, &entities), before);
    let missing = host.reload(&dir.join("missing.so")).unwrap_err();
    assert!(
        matches!(missing, ReloadError::Load(LoadError::Copy { .. })),
        "{missing}"
    );
    assert!(matches!(
        playground_tests::host(&fake),
        Err(LoadError::NotALibrary { .. })
    ));
}
