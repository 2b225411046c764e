//! The methods that describe the host rather than its world: `schedule.list`,
//! `registry.views`, `module.list`, `module.status`.

use super::params::{Registered, read};
use super::world::Ctx;
use crate::error::RemoteError;
use crate::host::{ReloadOutcome, header_json};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) fn schedule_list(ctx: &mut Ctx<'_>, _: Value) -> Result<Value, RemoteError> {
    let host = &*ctx.host;
    let sched = host
        .schedule()
        .ok_or(RemoteError::Unsupported { what: "schedule" })?;
    let names = Registered::of(host.world());
    let systems: Vec<Value> = sched
        .schedule
        .descs()
        .map(|d| {
            json!({
                "name": d.name,
                "reads": d.reads.iter().map(|id| names.name_of(*id)).collect::<Vec<_>>(),
                "writes": d.writes.iter().map(|id| names.name_of(*id)).collect::<Vec<_>>(),
                "after": d.after,
            })
        })
        .collect();
    let stages: Vec<Vec<String>> = sched
        .runner
        .stages(sched.schedule)?
        .into_iter()
        .map(|stage| {
            stage
                .into_iter()
                .filter_map(|i| sched.schedule.system(i).map(|(d, _)| d.name.clone()))
                .collect()
        })
        .collect();
    Ok(json!({ "systems": systems, "stages": stages }))
}

pub(crate) fn registry_views(ctx: &mut Ctx<'_>, _: Value) -> Result<Value, RemoteError> {
    let registry = ctx
        .host
        .registry()
        .ok_or(RemoteError::Unsupported { what: "registry" })?;
    let views: Vec<Value> = registry
        .views()
        .into_iter()
        .map(|v| {
            json!({
                "name": v.info.name,
                "id": format!("{}", v.info.view_id),
                "api_version": format!("{:#018x}", v.info.api_version),
                "type": v.info.type_name,
                "bound": v.bound.map(|(name, version)| json!({
                    "implementation": name,
                    "api_version": format!("{version:#018x}"),
                })),
                "pools": v.pools.iter().map(|(model, live)| json!({
                    "model_type": format!("{model}"),
                    "live": live,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Value::Array(views))
}

pub(crate) fn module_list(ctx: &mut Ctx<'_>, _: Value) -> Result<Value, RemoteError> {
    Ok(Value::Array(
        ctx.host
            .modules()
            .iter()
            .map(|m| header_json(&m.header))
            .collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusParams {
    module: Option<String>,
}

pub(crate) fn module_status(ctx: &mut Ctx<'_>, params: Value) -> Result<Value, RemoteError> {
    let p: StatusParams = read("module.status", params)?;
    let modules = ctx.host.modules();
    if let Some(name) = &p.module
        && !modules.iter().any(|m| m.header.name.as_str() == name)
    {
        return Err(RemoteError::UnknownModule { name: name.clone() });
    }
    let status: Vec<Value> = modules
        .iter()
        .filter(|m| {
            p.module
                .as_deref()
                .is_none_or(|n| n == m.header.name.as_str())
        })
        .map(|m| {
            let last = m.last.as_ref().map(|o| match o {
                ReloadOutcome::Reloaded {
                    state_bytes,
                    commit_us,
                } => json!({
                    "ok": true, "state_bytes": state_bytes, "commit_us": commit_us,
                }),
                ReloadOutcome::Failed { reason } => json!({ "ok": false, "error": reason }),
            });
            json!({
                "name": m.header.name.as_str(),
                "reloads": m.reloads,
                "failures": m.failures,
                "reloading": m.reloading,
                "retained_libraries": m.retained_libraries,
                "last_reload": last,
            })
        })
        .collect();
    Ok(Value::Array(status))
}
