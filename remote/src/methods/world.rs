//! The `world.*` methods and `debug.inspect`: read and change entities and components.
//!
//! Every changing method checks everything it was given (entity alive, names registered,
//! values decoding) before it changes anything, so a refused request leaves the world as it
//! was.

use super::params::{Registered, live, read};
use crate::error::RemoteError;
use crate::field_path::field_mut;
use crate::host::RemoteHost;
use crate::json_codecs::JsonCodecs;
use playground_ecs_view::{ComponentInfo, EcsError, Entity, ErasedPool, Held, World};
use playground_kernel::sync::MappedBorrowReadGuard;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The request context of one method call.
pub(crate) struct Ctx<'a> {
    pub(crate) host: &'a mut dyn RemoteHost,
    pub(crate) codecs: &'a JsonCodecs,
}

/// `entity`'s `info` component as JSON.
fn value_of(ctx: &Ctx<'_>, entity: Entity, info: ComponentInfo) -> Result<Value, RemoteError> {
    if !ctx.codecs.has(info.id) {
        return Err(RemoteError::NoJsonCodec { name: info.name });
    }
    match ctx.host.world().get_encoded(entity, info.id)? {
        Some(bytes) => ctx.codecs.to_json(info, &bytes),
        None => Err(RemoteError::MissingComponent {
            entity: entity.to_bits(),
            component: info.name,
        }),
    }
}

/// The value, or an object saying why it cannot be shown (a listed component without a
/// JSON codec, say).
fn shown(ctx: &Ctx<'_>, entity: Entity, info: ComponentInfo) -> Value {
    value_of(ctx, entity, info).unwrap_or_else(|e| json!({ "$unavailable": e.to_string() }))
}

/// The bytes of each `(name, value)`, every name registered and every value decoding.
fn encode_all(
    ctx: &Ctx<'_>,
    registered: &Registered,
    values: Map<String, Value>,
) -> Result<Vec<(ComponentInfo, Vec<u8>)>, RemoteError> {
    values
        .into_iter()
        .map(|(name, value)| {
            let info = registered.find(&name)?;
            let bytes = ctx.codecs.from_json(info, value)?;
            // The world decodes with the type's persistent codec; a plain type has none, and
            // finding that out only at the insert would leave the earlier ones inserted.
            if !ctx
                .host
                .world()
                .erased_pool(info.id)
                .is_some_and(|pool| pool.is_persistent())
            {
                return Err(EcsError::NotPersistent { name: info.name }.into());
            }
            Ok((info, bytes))
        })
        .collect()
}

fn insert_all(
    world: &mut World,
    entity: Entity,
    encoded: Vec<(ComponentInfo, Vec<u8>)>,
) -> Result<(), RemoteError> {
    for (info, bytes) in encoded {
        world.insert_encoded(entity, info.id, &bytes)?;
    }
    Ok(())
}

pub(crate) fn stats(ctx: &mut Ctx<'_>, _: Value) -> Result<Value, RemoteError> {
    let stats = ctx.host.world().stats();
    let components: Map<String, Value> = stats
        .components
        .iter()
        .map(|(info, count)| (info.name.to_owned(), json!(count)))
        .collect();
    Ok(json!({
        "entities": stats.entities,
        "heap_bytes": stats.heap_bytes,
        "components": components,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityOnly {
    entity: Option<u64>,
}

pub(crate) fn list_components(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: EntityOnly = read("world.list_components", params)?;
    let world = ctx.host.world();
    if let Some(bits) = p.entity {
        let entity = live(world, bits)?;
        let names: Vec<&str> = world
            .component_types(entity)
            .iter()
            .map(|i| i.name)
            .collect();
        return Ok(json!(names));
    }
    let list: Vec<Value> = world
        .stats()
        .components
        .iter()
        .map(|(info, count)| {
            let persistent = world
                .erased_pool(info.id)
                .is_some_and(|p| p.is_persistent());
            json!({
                "name": info.name,
                "id": format!("{}", info.id),
                "count": count,
                "persistent": persistent,
                "json": ctx.codecs.has(info.id),
            })
        })
        .collect();
    Ok(Value::Array(list))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QueryData {
    #[serde(default)]
    components: Vec<String>,
    #[serde(default)]
    option: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QueryFilterParams {
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryParams {
    #[serde(default)]
    data: QueryData,
    #[serde(default)]
    filter: QueryFilterParams,
    limit: Option<usize>,
}

pub(crate) fn query(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: QueryParams = read("world.query", params)?;
    let world = ctx.host.world();
    let registered = Registered::of(world);
    let fetched = registered.find_all(&p.data.components)?;
    let optional = registered.find_all(&p.data.option)?;
    let with = registered.find_all(&p.filter.with)?;
    let without = registered.find_all(&p.filter.without)?;
    let limit = p.limit.unwrap_or(usize::MAX);

    let matches: Vec<Entity> = {
        let required: Vec<_> = fetched
            .iter()
            .chain(&with)
            .map(|info| pool(world, *info))
            .collect::<Result<_, _>>()?;
        let excluded: Vec<_> = without
            .iter()
            .map(|info| pool(world, *info))
            .collect::<Result<_, _>>()?;
        let keep = |e: &Entity| {
            required.iter().all(|p| p.contains(*e)) && !excluded.iter().any(|p| p.contains(*e))
        };
        match required.iter().min_by_key(|p| p.len()) {
            Some(driver) => driver
                .entities()
                .iter()
                .copied()
                .filter(keep)
                .take(limit)
                .collect(),
            None => world.entities().filter(keep).take(limit).collect(),
        }
    };
    let rows = matches
        .into_iter()
        .map(|entity| {
            let mut components = Map::new();
            for info in &fetched {
                components.insert(info.name.to_owned(), shown(ctx, entity, *info));
            }
            for info in &optional {
                if ctx.host.world().has_id(entity, info.id) {
                    components.insert(info.name.to_owned(), shown(ctx, entity, *info));
                }
            }
            json!({ "entity": entity.to_bits(), "components": components })
        })
        .collect();
    Ok(Value::Array(rows))
}

/// `info`'s pool, read-locked (requests run between frames, so no system holds it).
fn pool(
    world: &World,
    info: ComponentInfo,
) -> Result<MappedBorrowReadGuard<'_, dyn ErasedPool>, RemoteError> {
    world
        .erased_pool(info.id)
        .ok_or(RemoteError::Ecs(EcsError::BorrowConflict {
            id: info.id,
            name: Some(info.name),
            held: Held::Mutably,
        }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetParams {
    entity: u64,
    components: Vec<String>,
    #[serde(default)]
    strict: bool,
}

pub(crate) fn get_components(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: GetParams = read("world.get_components", params)?;
    let world = ctx.host.world();
    let entity = live(world, p.entity)?;
    let infos = Registered::of(world).find_all(&p.components)?;
    let (mut components, mut errors) = (Map::new(), Map::new());
    for info in infos {
        match value_of(ctx, entity, info) {
            Ok(v) => {
                components.insert(info.name.to_owned(), v);
            }
            Err(e) if p.strict => return Err(e),
            Err(e) => {
                errors.insert(
                    info.name.to_owned(),
                    json!({"code": e.code(), "message": e.to_string()}),
                );
            }
        }
    }
    Ok(json!({ "components": components, "errors": errors }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InsertParams {
    entity: u64,
    components: Map<String, Value>,
}

pub(crate) fn insert_components(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: InsertParams = read("world.insert_components", params)?;
    let entity = live(ctx.host.world(), p.entity)?;
    let encoded = encode_all(ctx, &Registered::of(ctx.host.world()), p.components)?;
    insert_all(ctx.host.world_mut(), entity, encoded)?;
    Ok(Value::Null)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveParams {
    entity: u64,
    components: Vec<String>,
}

pub(crate) fn remove_components(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: RemoveParams = read("world.remove_components", params)?;
    let entity = live(ctx.host.world(), p.entity)?;
    let infos = Registered::of(ctx.host.world()).find_all(&p.components)?;
    let world = ctx.host.world_mut();
    let mut removed = Vec::new();
    for info in infos {
        if world.remove_by_id(entity, info.id)? {
            removed.push(info.name);
        }
    }
    Ok(json!({ "removed": removed }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutateParams {
    entity: u64,
    component: String,
    #[serde(default)]
    path: String,
    value: Value,
}

pub(crate) fn mutate_components(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: MutateParams = read("world.mutate_components", params)?;
    let entity = live(ctx.host.world(), p.entity)?;
    let info = Registered::of(ctx.host.world()).find(&p.component)?;
    let mut current = value_of(ctx, entity, info)?;
    let field = field_mut(&mut current, &p.path).map_err(|step| RemoteError::BadPath {
        component: info.name,
        path: p.path.clone(),
        step,
    })?;
    *field = p.value;
    let bytes = ctx.codecs.from_json(info, current.clone())?;
    ctx.host
        .world_mut()
        .insert_encoded(entity, info.id, &bytes)?;
    Ok(json!({ "component": info.name, "value": current }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpawnParams {
    #[serde(default)]
    components: Map<String, Value>,
}

pub(crate) fn spawn_entity(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: SpawnParams = read("world.spawn_entity", params)?;
    let encoded = encode_all(ctx, &Registered::of(ctx.host.world()), p.components)?;
    let world = ctx.host.world_mut();
    let entity = world.spawn(());
    if let Err(e) = insert_all(world, entity, encoded) {
        // Checked above, so not expected; if it happens the half-built entity goes again.
        world.despawn(entity)?;
        return Err(e);
    }
    Ok(json!({ "entity": entity.to_bits() }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DespawnParams {
    entity: u64,
}

pub(crate) fn despawn_entity(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: DespawnParams = read("world.despawn_entity", params)?;
    let entity = live(ctx.host.world(), p.entity)?;
    ctx.host.world_mut().despawn(entity)?;
    Ok(Value::Null)
}

pub(crate) fn inspect(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: EntityOnly = read("debug.inspect", params)?;
    let Some(bits) = p.entity else {
        let mut summary = stats(ctx, Value::Null)?;
        summary["component_types"] = list_components(ctx, Value::Null)?;
        return Ok(summary);
    };
    let world = ctx.host.world();
    let entity = live(world, bits)?;
    let components: Map<String, Value> = world
        .component_types(entity)
        .into_iter()
        .map(|info| (info.name.to_owned(), shown(ctx, entity, info)))
        .collect();
    Ok(json!({
        "entity": bits,
        "index": entity.index(),
        "generation": entity.generation().0,
        "components": components,
    }))
}
