//! Reading a method's params: typed structs through serde, entities and component names
//! checked against the world.

use crate::error::RemoteError;
use playground_ecs_view::{ComponentInfo, Entity, World};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `params` as `P`; absent params read as `{}`.
pub(crate) fn read<P: DeserializeOwned>(
    method: &'static str,
    params: Value,
) -> Result<P, RemoteError> {
    let params = if params.is_null() {
        Value::Object(Default::default())
    } else {
        params
    };
    serde_json::from_value(params).map_err(|e| RemoteError::params(method, e.to_string()))
}

/// The live entity with these bits.
pub(crate) fn live(world: &World, bits: u64) -> Result<Entity, RemoteError> {
    let entity = Entity::from_bits(bits);
    if world.is_alive(entity) {
        Ok(entity)
    } else {
        Err(RemoteError::StaleEntity { entity: bits })
    }
}

/// The component types registered in `world`, by name.
pub(crate) struct Registered {
    infos: Vec<ComponentInfo>,
}

impl Registered {
    pub(crate) fn of(world: &World) -> Self {
        Self {
            infos: world
                .stats()
                .components
                .into_iter()
                .map(|(info, _)| info)
                .collect(),
        }
    }

    /// The registered type called `name`.
    pub(crate) fn find(&self, name: &str) -> Result<ComponentInfo, RemoteError> {
        self.infos
            .iter()
            .find(|info| info.name == name)
            .copied()
            .ok_or_else(|| RemoteError::UnknownComponent {
                name: name.to_owned(),
            })
    }

    /// Every name in `names`, resolved; the first unknown one is the error.
    pub(crate) fn find_all(&self, names: &[String]) -> Result<Vec<ComponentInfo>, RemoteError> {
        names.iter().map(|n| self.find(n)).collect()
    }

    /// The name of the registered type with this id, or its hex id if the world has none.
    pub(crate) fn name_of(&self, id: playground_kernel::ComponentId) -> String {
        self.infos
            .iter()
            .find(|info| info.id == id)
            .map_or_else(|| format!("{id}"), |info| info.name.to_owned())
    }
}
