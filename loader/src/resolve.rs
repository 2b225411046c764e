//! The resolver: picks one system per core an app needs (the first, in the app's preference
//! order, that is in range and provides every feature the app and its plugins need), adds
//! the modules those require and the app's plugins, and orders the loads so a module comes
//! after what it requires and a plugin after the system it runs on.

use crate::error::ResolveError;
use crate::manifest::{Declaration, Manifest};
use semver::VersionReq;
use std::collections::{BTreeMap, BTreeSet};

/// The outcome: which system serves each core, and the order to load modules in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Core name -> chosen system module.
    pub systems: BTreeMap<String, String>,
    /// Every module to load, each after the modules it requires (plugins last, each after
    /// its core's system and the plugins it requires).
    pub load_order: Vec<String>,
    /// Each module's direct dependencies: what it requires, and for a plugin the system
    /// chosen for the core it extends.
    pub depends_on: BTreeMap<String, Vec<String>>,
    /// The app's plugins, in load order.
    pub plugins: Vec<String>,
}

impl Resolution {
    /// The modules to reload when `changed` was rebuilt: they and everything that depends
    /// on them, directly or not, in load order (so dependencies before dependents).
    pub fn reload_order(&self, changed: &[&str]) -> Vec<String> {
        let mut affected: BTreeSet<&str> = changed.iter().copied().collect();
        for name in &self.load_order {
            let depends = self
                .depends_on
                .get(name)
                .is_some_and(|deps| deps.iter().any(|d| affected.contains(d.as_str())));
            if depends {
                affected.insert(name);
            }
        }
        self.load_order
            .iter()
            .filter(|n| affected.contains(n.as_str()))
            .cloned()
            .collect()
    }
}

fn find<'a>(catalogue: &'a [Manifest], name: &str) -> Option<&'a Manifest> {
    catalogue.iter().find(|m| m.name == name)
}

fn declaration(m: &Manifest) -> Declaration {
    m.playground.clone().unwrap_or_default()
}

/// Resolves `app` against the modules in `catalogue`.
pub fn resolve(app: &Manifest, catalogue: &[Manifest]) -> Result<Resolution, ResolveError> {
    let needs = declaration(app).app.unwrap_or_default();
    let app_name = format!("app `{}`", app.name);

    // Who needs which feature of which core, in declaration order (app first, then plugins).
    let mut wanted: BTreeMap<&str, Vec<(&str, String)>> = BTreeMap::new();
    for (core, features) in &needs.cores {
        let list = wanted.entry(core).or_default();
        list.extend(features.iter().map(|f| (f.as_str(), app_name.clone())));
    }
    for plugin in &needs.plugins {
        let list = wanted.entry(&plugin.core).or_default();
        let who = format!("plugin `{}` of {app_name}", plugin.name);
        list.extend(plugin.features.iter().map(|f| (f.as_str(), who.clone())));
    }

    let mut systems = BTreeMap::new();
    for (core, features) in &wanted {
        let mut first_lack: Option<ResolveError> = None;
        let mut version_miss: Option<ResolveError> = None;
        for choice in &needs.systems {
            let module =
                find(catalogue, choice.name()).ok_or_else(|| ResolveError::UnknownModule {
                    module: choice.name().to_owned(),
                    needed_by: app_name.clone(),
                })?;
            let decl = declaration(module);
            if decl.implements.as_deref() != Some(*core) {
                continue;
            }
            if !choice.version().matches(&module.version) {
                version_miss.get_or_insert(ResolveError::VersionMismatch {
                    module: module.name.clone(),
                    required: choice.version().to_string(),
                    found: module.version.to_string(),
                    needed_by: app_name.clone(),
                });
                continue;
            }
            match features
                .iter()
                .find(|(f, _)| !decl.provides.iter().any(|p| p == f))
            {
                None => {
                    systems.insert((*core).to_owned(), module.name.clone());
                    break;
                }
                Some((feature, who)) => {
                    first_lack.get_or_insert(ResolveError::MissingFeature {
                        feature: (*feature).to_owned(),
                        module: module.name.clone(),
                        needed_by: who.clone(),
                    });
                }
            }
        }
        if !systems.contains_key(*core) {
            return Err(first_lack
                .or(version_miss)
                .unwrap_or_else(|| ResolveError::NoSystemFor {
                    core: (*core).to_owned(),
                    app: app_name.clone(),
                }));
        }
    }

    let mut order = Vec::new();
    let mut done = BTreeSet::new();
    for system in systems.values() {
        visit(system, catalogue, &mut Vec::new(), &mut done, &mut order)?;
    }
    let mut depends_on: BTreeMap<String, Vec<String>> = order
        .iter()
        .map(|name| {
            let requires = find(catalogue, name).map(declaration).unwrap_or_default();
            (name.clone(), requires.requires.keys().cloned().collect())
        })
        .collect();
    let mut plugins = Vec::new();
    for plugin in &needs.plugins {
        let module = find(catalogue, &plugin.name).ok_or_else(|| ResolveError::UnknownModule {
            module: plugin.name.clone(),
            needed_by: app_name.clone(),
        })?;
        let decl = declaration(module);
        if decl.extends.as_deref() != Some(plugin.core.as_str()) {
            return Err(ResolveError::NotAPlugin {
                module: plugin.name.clone(),
                core: plugin.core.clone(),
                extends: decl
                    .extends
                    .map_or_else(|| "nothing".to_owned(), |c| format!("`{c}`")),
                needed_by: app_name.clone(),
            });
        }
        let first_new = order.len();
        visit(
            &plugin.name,
            catalogue,
            &mut Vec::new(),
            &mut done,
            &mut order,
        )?;
        for name in &order[first_new..] {
            let mut deps: Vec<String> = find(catalogue, name)
                .map(declaration)
                .unwrap_or_default()
                .requires
                .into_keys()
                .collect();
            deps.push(systems[&plugin.core].clone());
            depends_on.insert(name.clone(), deps);
            plugins.push(name.clone());
        }
    }
    Ok(Resolution {
        systems,
        load_order: order,
        depends_on,
        plugins,
    })
}

/// Depth-first: `name` is pushed after everything it requires; `path` is the chain being
/// visited, so meeting a name already on it names the cycle.
fn visit(
    name: &str,
    catalogue: &[Manifest],
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
    order: &mut Vec<String>,
) -> Result<(), ResolveError> {
    if done.contains(name) {
        return Ok(());
    }
    if let Some(start) = path.iter().position(|p| p == name) {
        let mut cycle = path[start..].to_vec();
        cycle.push(name.to_owned());
        return Err(ResolveError::Cycle { path: cycle });
    }
    let needed_by = path
        .last()
        .map(|p| format!("module `{p}`"))
        .unwrap_or_else(|| "the resolver".into());
    let module = find(catalogue, name).ok_or_else(|| ResolveError::UnknownModule {
        module: name.to_owned(),
        needed_by: needed_by.clone(),
    })?;
    path.push(name.to_owned());
    for (dep, range) in &declaration(module).requires {
        check_range(dep, range, catalogue, name)?;
        visit(dep, catalogue, path, done, order)?;
    }
    path.pop();
    done.insert(name.to_owned());
    order.push(name.to_owned());
    Ok(())
}

fn check_range(
    dep: &str,
    range: &VersionReq,
    catalogue: &[Manifest],
    by: &str,
) -> Result<(), ResolveError> {
    let needed_by = format!("module `{by}`");
    let module = find(catalogue, dep).ok_or_else(|| ResolveError::UnknownModule {
        module: dep.to_owned(),
        needed_by: needed_by.clone(),
    })?;
    if range.matches(&module.version) {
        Ok(())
    } else {
        Err(ResolveError::VersionMismatch {
            module: dep.to_owned(),
            required: range.to_string(),
            found: module.version.to_string(),
            needed_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse;
    use std::path::Path;

    fn manifest(name: &str, version: &str, decl: &str) -> Manifest {
        let text = format!(
            "[package]\nname = \"{name}\"\nversion = \"{version}\"\n\
             [package.metadata.playground]\n{decl}\n"
        );
        parse(Path::new("Cargo.toml"), &text, None).unwrap()
    }

    fn app(decl: &str) -> Manifest {
        manifest(
            "game",
            "1.0.0",
            &format!("[package.metadata.playground.app]\n{decl}"),
        )
    }

    fn catalogue() -> Vec<Manifest> {
        vec![
            manifest(
                "ecs-fast",
                "0.3.0",
                "implements = \"ecs\"\nprovides = [\"entities\"]\nrequires = { physics = \"^1\" }",
            ),
            manifest(
                "ecs-full",
                "0.2.0",
                "implements = \"ecs\"\nprovides = [\"entities\", \"snapshots\"]",
            ),
            manifest(
                "physics",
                "1.4.0",
                "implements = \"physics\"\nrequires = { math = \"^2\" }",
            ),
            manifest("math", "2.0.1", "implements = \"math\""),
            manifest("replay", "0.1.0", "extends = \"ecs\""),
            manifest(
                "ghosts",
                "0.1.0",
                "extends = \"ecs\"\nrequires = { replay = \"^0.1\" }",
            ),
        ]
    }

    #[test]
    fn the_primary_is_chosen_and_loads_come_after_their_requirements() {
        let game = app("cores = { ecs = [\"entities\"] }\nsystems = [\"ecs-fast\", \"ecs-full\"]");
        let r = resolve(&game, &catalogue()).unwrap();
        assert_eq!(r.systems["ecs"], "ecs-fast");
        assert_eq!(r.load_order, ["math", "physics", "ecs-fast"]);
        assert_eq!(r.reload_order(&["physics"]), ["physics", "ecs-fast"]);
        assert_eq!(r.reload_order(&["ecs-fast"]), ["ecs-fast"]);
    }

    #[test]
    fn a_fallback_is_chosen_when_the_primary_lacks_a_plugin_feature() {
        let game = app(
            "cores = { ecs = [\"entities\"] }\nsystems = [\"ecs-fast\", \"ecs-full\"]\n\
             plugins = [{ name = \"replay\", core = \"ecs\", features = [\"snapshots\"] }]",
        );
        let r = resolve(&game, &catalogue()).unwrap();
        assert_eq!(r.systems["ecs"], "ecs-full");
        assert_eq!(r.load_order, ["ecs-full", "replay"]);
    }

    #[test]
    fn plugins_load_after_their_system_and_reload_with_it() {
        let game = app(
            "cores = { ecs = [\"entities\"] }\nsystems = [\"ecs-full\"]\n\
             plugins = [{ name = \"ghosts\", core = \"ecs\", features = [] }]",
        );
        let r = resolve(&game, &catalogue()).unwrap();
        assert_eq!(r.load_order, ["ecs-full", "replay", "ghosts"]);
        assert_eq!(r.plugins, ["replay", "ghosts"]);
        assert_eq!(r.depends_on["ghosts"], ["replay", "ecs-full"]);
        assert_eq!(
            r.reload_order(&["ecs-full"]),
            ["ecs-full", "replay", "ghosts"]
        );
        assert_eq!(r.reload_order(&["replay"]), ["replay", "ghosts"]);
        assert_eq!(r.reload_order(&["ghosts"]), ["ghosts"]);
    }

    #[test]
    fn a_plugin_must_extend_the_core_it_is_listed_for() {
        let game = app("cores = { ecs = [] }\nsystems = [\"ecs-full\"]\n\
             plugins = [{ name = \"math\", core = \"ecs\", features = [] }]");
        let err = resolve(&game, &catalogue()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "app `game` lists `math` as a plugin of `ecs`, but it extends nothing"
        );
    }

    #[test]
    fn a_missing_feature_names_the_module_and_who_needs_it() {
        let game = app(
            "cores = { ecs = [\"entities\"] }\nsystems = [\"ecs-fast\"]\n\
             plugins = [{ name = \"replay\", core = \"ecs\", features = [\"snapshots\"] }]",
        );
        let err = resolve(&game, &catalogue()).unwrap_err();
        assert_eq!(
            err,
            ResolveError::MissingFeature {
                feature: "snapshots".into(),
                module: "ecs-fast".into(),
                needed_by: "plugin `replay` of app `game`".into(),
            }
        );
        assert_eq!(
            err.to_string(),
            "module `ecs-fast` lacks feature `snapshots`, needed by plugin `replay` of app `game`"
        );
    }

    #[test]
    fn version_ranges_are_checked() {
        let game =
            app("cores = { ecs = [] }\nsystems = [{ name = \"ecs-full\", version = \"^0.3\" }]");
        assert!(matches!(
            resolve(&game, &catalogue()),
            Err(ResolveError::VersionMismatch { module, found, .. }) if module == "ecs-full" && found == "0.2.0"
        ));
        let mut cat = catalogue();
        cat[3] = manifest("math", "3.0.0", "implements = \"math\"");
        let game = app("cores = { ecs = [] }\nsystems = [\"ecs-fast\"]");
        assert_eq!(
            resolve(&game, &cat),
            Err(ResolveError::VersionMismatch {
                module: "math".into(),
                required: "^2".into(),
                found: "3.0.0".into(),
                needed_by: "module `physics`".into(),
            })
        );
    }

    #[test]
    fn a_cycle_is_named_by_its_path() {
        let mut cat = catalogue();
        cat[3] = manifest(
            "math",
            "2.0.1",
            "implements = \"math\"\nrequires = { \"ecs-fast\" = \"*\" }",
        );
        let game = app("cores = { ecs = [] }\nsystems = [\"ecs-fast\"]");
        let err = resolve(&game, &cat).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dependency cycle: ecs-fast -> physics -> math -> ecs-fast"
        );
    }

    #[test]
    fn unknown_modules_and_unserved_cores_are_named() {
        let game = app("cores = { ecs = [] }\nsystems = [\"nope\"]");
        assert!(
            matches!(resolve(&game, &catalogue()), Err(ResolveError::UnknownModule { module, .. }) if module == "nope")
        );
        let game = app("cores = { audio = [] }\nsystems = [\"ecs-fast\"]");
        assert!(
            matches!(resolve(&game, &catalogue()), Err(ResolveError::NoSystemFor { core, .. }) if core == "audio")
        );
    }
}
