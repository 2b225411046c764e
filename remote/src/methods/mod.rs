//! The method table: every method's name, summary and params schema (what `rpc.discover`
//! and the MCP tool list show), and the dispatch of one call to its handler.

mod host_info;
mod params;
mod world;

use crate::error::RemoteError;
use crate::host::{ReloadReply, RemoteHost};
use crate::json_codecs::JsonCodecs;
use crate::reply::Reply;
use serde::Deserialize;
use serde_json::{Value, json};
use world::Ctx;

/// A method's body.
#[derive(Clone, Copy)]
enum Handler {
    /// Answers at once.
    Now(fn(&mut Ctx<'_>, Value) -> Result<Value, RemoteError>),
    /// `module.reload`: the host answers when the reload is committed or refused.
    Reload,
    /// `rpc.discover`.
    Discover,
}

/// One method of the endpoint.
#[derive(Clone, Copy)]
pub struct Method {
    /// Its JSON-RPC name (`world.query`).
    pub name: &'static str,
    /// What it does, one sentence.
    pub summary: &'static str,
    params: fn() -> Value,
    handler: Handler,
}

impl Method {
    /// Its params as a JSON Schema object.
    pub fn params_schema(&self) -> Value {
        (self.params)()
    }
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

fn none() -> Value {
    object(json!({}), &[])
}

const ENTITY: &str = "an entity, as the u64 its index and generation pack into";
const NAMES: &str = "component type names, as world.list_components gives them";

fn names(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

fn entity() -> Value {
    json!({ "type": "integer", "minimum": 0, "description": ENTITY })
}

/// Every method, in the order `rpc.discover` lists them.
pub static METHODS: &[Method] = &[
    Method {
        name: "rpc.discover",
        summary: "Every method with its params schema.",
        params: none,
        handler: Handler::Discover,
    },
    Method {
        name: "world.stats",
        summary: "Live entities, component counts by type, heap bytes of the pools.",
        params: none,
        handler: Handler::Now(world::stats),
    },
    Method {
        name: "world.list_components",
        summary: "The registered component types (count, persistent, JSON codec), or one entity's.",
        params: || object(json!({ "entity": entity() }), &[]),
        handler: Handler::Now(world::list_components),
    },
    Method {
        name: "world.query",
        summary: "Entities that have data.components and filter.with and lack filter.without, with the values of data.components and of any data.option they have.",
        params: || {
            object(
                json!({
                    "data": object(json!({ "components": names(NAMES), "option": names(NAMES) }), &[]),
                    "filter": object(json!({ "with": names(NAMES), "without": names(NAMES) }), &[]),
                    "limit": { "type": "integer", "minimum": 0, "description": "at most this many entities" },
                }),
                &[],
            )
        },
        handler: Handler::Now(world::query),
    },
    Method {
        name: "world.get_components",
        summary: "One entity's components as JSON; with strict, the first that cannot be read is the error.",
        params: || {
            object(
                json!({ "entity": entity(), "components": names(NAMES), "strict": { "type": "boolean" } }),
                &["entity", "components"],
            )
        },
        handler: Handler::Now(world::get_components),
    },
    Method {
        name: "world.insert_components",
        summary: "Adds or replaces components of a live entity (name -> JSON value); all or nothing.",
        params: || {
            object(
                json!({ "entity": entity(), "components": { "type": "object", "description": "component name -> value" } }),
                &["entity", "components"],
            )
        },
        handler: Handler::Now(world::insert_components),
    },
    Method {
        name: "world.remove_components",
        summary: "Removes components of a live entity; returns the ones it had.",
        params: || {
            object(
                json!({ "entity": entity(), "components": names(NAMES) }),
                &["entity", "components"],
            )
        },
        handler: Handler::Now(world::remove_components),
    },
    Method {
        name: "world.mutate_components",
        summary: "Sets one field of a component, by a dotted path into its JSON form (x, inner.y, list.0).",
        params: || {
            object(
                json!({
                    "entity": entity(),
                    "component": { "type": "string" },
                    "path": { "type": "string", "description": "dotted field path; empty for the whole value" },
                    "value": { "description": "the field's new value" },
                }),
                &["entity", "component", "value"],
            )
        },
        handler: Handler::Now(world::mutate_components),
    },
    Method {
        name: "world.spawn_entity",
        summary: "Spawns an entity with the given components (name -> JSON value); returns it.",
        params: || {
            object(
                json!({ "components": { "type": "object", "description": "component name -> value" } }),
                &[],
            )
        },
        handler: Handler::Now(world::spawn_entity),
    },
    Method {
        name: "world.despawn_entity",
        summary: "Despawns a live entity and drops its components.",
        params: || object(json!({ "entity": entity() }), &["entity"]),
        handler: Handler::Now(world::despawn_entity),
    },
    Method {
        name: "debug.inspect",
        summary: "One entity with every component it has, or, without an entity, the world's stats and component types.",
        params: || object(json!({ "entity": entity() }), &[]),
        handler: Handler::Now(world::inspect),
    },
    Method {
        name: "schedule.list",
        summary: "The frame's systems (reads, writes, after) and the stages they run in.",
        params: none,
        handler: Handler::Now(host_info::schedule_list),
    },
    Method {
        name: "registry.views",
        summary: "Every registered View: id, API version, the bound implementation, its pools.",
        params: none,
        handler: Handler::Now(host_info::registry_views),
    },
    Method {
        name: "module.list",
        summary: "The loaded modules' headers: name, version, core, rustc, kernel, target, fingerprints.",
        params: none,
        handler: Handler::Now(host_info::module_list),
    },
    Method {
        name: "module.status",
        summary: "Reloads and failures of each loaded module (or one), and how the last reload ended.",
        params: || object(json!({ "module": { "type": "string" } }), &[]),
        handler: Handler::Now(host_info::module_status),
    },
    Method {
        name: "module.reload",
        summary: "Rebuilds a module and reloads it and its dependents, state carried; answers with the reload report or the error, the running modules kept on failure.",
        params: || object(json!({ "module": { "type": "string" } }), &["module"]),
        handler: Handler::Reload,
    },
];

/// The method called `name`.
pub fn find(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}

fn discover() -> Value {
    let methods: Vec<Value> = METHODS
        .iter()
        .map(|m| json!({ "name": m.name, "summary": m.summary, "params": m.params_schema() }))
        .collect();
    json!({ "jsonrpc": "2.0", "methods": methods })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReloadParams {
    module: String,
}

/// Runs `method` with `params` against `host`, answering `reply` (now, or for a reload when
/// the host finishes it).
pub(crate) fn dispatch(
    method: &str,
    params: Value,
    host: &mut dyn RemoteHost,
    codecs: &JsonCodecs,
    reply: Reply,
) {
    let Some(m) = find(method) else {
        reply.send(Err(RemoteError::UnknownMethod {
            method: method.to_owned(),
        }));
        return;
    };
    match m.handler {
        Handler::Now(run) => reply.send(run(&mut Ctx { host, codecs }, params)),
        Handler::Discover => reply.send(Ok(discover())),
        Handler::Reload => match params::read::<ReloadParams>("module.reload", params) {
            Err(e) => reply.send(Err(e)),
            Ok(p) => host.reload(&p.module, ReloadReply::new(reply)),
        },
    }
}
