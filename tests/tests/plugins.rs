//! Plugins as hot modules, over real libraries: a plugin reload, a chain reload of the
//! system module with its plugins, and each failure injected into a dependent of a chain.

use playground_ecs_view::{EcsView, Entity};
use playground_host::{ModuleSet, SetError};
use playground_kernel::module::ModuleFault;
use playground_kernel::{Corruption, StateError};
use playground_loader::{BuildError, HostOptions, LoadError, ReloadError};
use playground_tests::plugin_set::{
    BOUNCE, FIXTURE, MOTION, SYSTEM, load_set, mover, set_libraries, spawn_movers,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MOVERS: usize = 1_000;

fn census(set: &ModuleSet) -> u64 {
    let state = set.state_of(FIXTURE).unwrap();
    u64::from_le_bytes(state[..8].try_into().unwrap())
}

fn running(features: &str) -> (ModuleSet, Vec<Entity>) {
    let mut set = load_set(&set_libraries(features).unwrap(), HostOptions::default()).unwrap();
    let entities = spawn_movers(set.world_mut(), MOVERS, 7);
    for _ in 0..3 {
        set.run_frame().unwrap();
    }
    (set, entities)
}

/// Everything a failed reload must leave as it was: every module's state, byte for byte.
fn states(set: &ModuleSet) -> Vec<Vec<u8>> {
    [SYSTEM, MOTION, BOUNCE, FIXTURE]
        .iter()
        .map(|m| set.state_of(m).unwrap())
        .collect()
}

fn one(name: &str, path: &Path) -> BTreeMap<String, PathBuf> {
    BTreeMap::from([(name.to_owned(), path.to_owned())])
}

#[test]
fn a_plugin_reload_makes_its_new_behaviour_live_and_keeps_every_entity() {
    let (mut set, entities) = running("");
    assert_eq!(
        census(&set),
        3 * MOVERS as u64,
        "weight 1 per entity per frame"
    );
    let before: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    let others = (set.state_of(MOTION).unwrap(), set.state_of(BOUNCE).unwrap());

    let scale_2 = set_libraries("scale-2").unwrap();
    let report = set.reload(&one(FIXTURE, &scale_2[FIXTURE])).unwrap();
    assert_eq!(report.changed, [FIXTURE]);
    assert_eq!(
        report.restarted,
        [SYSTEM, FIXTURE],
        "motion and bounce kept"
    );
    let after: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    assert_eq!(after, before, "every entity and component kept");
    assert!(after.iter().all(Option::is_some));
    assert_eq!(
        census(&set),
        3 * MOVERS as u64,
        "the plugin's state carried"
    );
    assert_eq!(
        (set.state_of(MOTION).unwrap(), set.state_of(BOUNCE).unwrap()),
        others
    );

    set.run_frame().unwrap();
    assert_eq!(census(&set), 5 * MOVERS as u64, "the new build weighs 2");
    let (p, v) = mover(set.world(), entities[0]).unwrap();
    let (p0, _) = before[0].unwrap();
    assert!(
        (p.x - (p0.x + v.x / 60.0)).abs() < 1e-5,
        "motion still runs"
    );
}

#[test]
fn reloading_the_system_module_reloads_its_plugins_after_it_in_order_keeping_all_state() {
    let (mut set, entities) = running("");
    let before = states(&set);
    let positions: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    let libraries = set_libraries("").unwrap();
    let report = set.reload(&one(SYSTEM, &libraries[SYSTEM])).unwrap();
    assert_eq!(report.changed, [SYSTEM]);
    assert_eq!(report.restarted, [SYSTEM, MOTION, BOUNCE, FIXTURE]);
    assert_eq!(
        states(&set),
        before,
        "every module's state carried, byte for byte"
    );
    let after: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    assert_eq!(after, positions);
    assert_eq!(set.world().len(), MOVERS);
    set.run_frame().unwrap();
    assert_eq!(census(&set), 4 * MOVERS as u64);
    let bound = set.registry().get::<dyn EcsView>().expect("bound");
    assert_eq!(
        bound.stats(set.world()).entities,
        MOVERS,
        "the view follows the reload"
    );
}

/// Reloads the system module together with the fixture plugin built with `features`, from a
/// set running `running_features`; the chain must fail, name the fixture, and leave every
/// module as it was. Returns the error and how many libraries the set then counts as retained
/// (under the default `UnloadPolicy::Never`, every library it opened and did not keep).
fn refused_in_dependent(running_features: &str, features: &str) -> (SetError, usize) {
    let (mut set, entities) = running(running_features);
    let before = states(&set);
    let positions: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    let system = set_libraries("").unwrap()[SYSTEM].clone();
    let fixture = set_libraries(features).unwrap()[FIXTURE].clone();
    let changed = BTreeMap::from([(SYSTEM.to_owned(), system), (FIXTURE.to_owned(), fixture)]);
    let err = set.reload(&changed).unwrap_err();
    assert_eq!(err.module(), Some(FIXTURE), "{err}");
    assert!(err.to_string().contains(FIXTURE), "{err}");
    assert_eq!(states(&set), before, "every module as it was: {err}");
    let after: Vec<_> = entities.iter().map(|&e| mover(set.world(), e)).collect();
    assert_eq!(after, positions);
    set.run_frame().unwrap();
    assert_eq!(
        census(&set),
        4 * MOVERS as u64,
        "the old set still runs: {err}"
    );
    (err, set.retained_libraries())
}

#[test]
fn a_dependent_built_against_another_api_fails_the_chain() {
    let (err, retained) = refused_in_dependent("", "api-skew");
    // The system module's library was opened before the fixture's was refused (refused at its
    // header, so closed again): the opened one stays mapped and is counted.
    assert_eq!(retained, 1, "{err}");
    assert!(
        matches!(
            &err,
            SetError::Module { source: ReloadError::Load(LoadError::Mismatch { field, .. }), .. }
                if *field == "API version"
        ),
        "{err}"
    );
}

#[test]
fn a_dependent_without_the_module_symbol_fails_the_chain() {
    let (err, retained) = refused_in_dependent("", "no-export");
    assert_eq!(retained, 1, "{err}");
    assert!(
        matches!(
            &err,
            SetError::Module {
                source: ReloadError::Load(LoadError::MissingSymbol { .. }),
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_dependent_panicking_in_restore_fails_the_chain() {
    let (err, retained) = refused_in_dependent("", "panic-on-restore");
    assert_eq!(retained, 2, "both staged libraries were opened: {err}");
    assert_eq!(
        err.to_string(),
        format!(
            "module `{FIXTURE}`: the new module could not restore the state: panicked: fixture plugin: restore panics by design"
        )
    );
}

#[test]
fn corrupt_state_of_a_dependent_fails_the_chain() {
    let (err, retained) = refused_in_dependent("corrupt-save", "");
    assert_eq!(retained, 2, "{err}");
    match err {
        SetError::Module {
            source:
                ReloadError::Restore(ModuleFault::State(StateError::Corrupt {
                    part,
                    problem: Corruption::OutOfRange { .. },
                })),
            ..
        } => assert_eq!(part, "census check word"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_dependent_that_does_not_build_shows_the_compiler_and_the_set_keeps_running() {
    let (set, entities) = running("");
    let before = states(&set);
    let err = set_libraries("compile-error").unwrap_err();
    match &err {
        BuildError::Failed { messages, .. } => {
            assert!(
                messages.contains("fixture: this variant does not compile, by design"),
                "{messages}"
            );
            assert!(messages.contains("error"), "{messages}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(states(&set), before);
    set.run_frame().unwrap();
    assert!(mover(set.world(), entities[0]).is_some());
}

#[test]
fn a_module_outside_the_set_is_refused_by_name() {
    let (mut set, _) = running("");
    let before = states(&set);
    let path = set_libraries("").unwrap()[MOTION].clone();
    let err = set.reload(&one("playground-nope", &path)).unwrap_err();
    assert!(matches!(&err, SetError::UnknownModule(m) if m == "playground-nope"));
    assert_eq!(states(&set), before);
}
