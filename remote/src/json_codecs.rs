//! [`JsonCodecs`]: which component types cross the endpoint as JSON, and how.
//!
//! A world stores a persistent component's values with its postcard codec (the bytes a
//! snapshot holds). A JSON codec is registered next to it, by the host, for the types it
//! wants tools to read and write: it turns those bytes into a JSON value and back, through
//! the type's own `Serialize`/`Deserialize`. So JSON never needs the world's code to know
//! about JSON, and a value that does not decode as the type is refused before the world is
//! touched.

use crate::error::RemoteError;
use playground_ecs_view::{Component, ComponentInfo};
use playground_kernel::ComponentId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;

/// One component type's conversions between its persistent bytes and JSON.
#[derive(Clone, Copy)]
struct JsonCodec {
    info: ComponentInfo,
    to_json: fn(&[u8]) -> Result<Value, postcard::Error>,
    from_json: fn(Value) -> Result<Vec<u8>, serde_json::Error>,
}

fn to_json<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Result<Value, postcard::Error> {
    let value: T = postcard::from_bytes(bytes)?;
    // A `Serialize` type that JSON cannot hold (a map with non-string keys) is reported as
    // the bytes not decoding: either way the value cannot be shown.
    serde_json::to_value(value).map_err(|_| postcard::Error::SerdeSerCustom)
}

fn from_json<T: Serialize + DeserializeOwned>(json: Value) -> Result<Vec<u8>, serde_json::Error> {
    let value: T = serde_json::from_value(json)?;
    Ok(postcard::to_allocvec(&value).expect("a value serialises into a growable buffer"))
}

/// The JSON codecs an endpoint knows, by component id.
#[derive(Default, Clone)]
pub struct JsonCodecs {
    by_id: HashMap<ComponentId, JsonCodec>,
}

impl JsonCodecs {
    /// No codecs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `T`'s JSON codec. The world must register `T` as persistent (its values are
    /// read and written through the persistent codec's bytes).
    pub fn register<T: Component + Serialize + DeserializeOwned>(&mut self) -> &mut Self {
        self.by_id.insert(
            T::ID,
            JsonCodec {
                info: ComponentInfo::of::<T>(),
                to_json: to_json::<T>,
                from_json: from_json::<T>,
            },
        );
        self
    }

    /// Whether `id` has a JSON codec.
    pub fn has(&self, id: ComponentId) -> bool {
        self.by_id.contains_key(&id)
    }

    /// The JSON value of a component stored as `bytes`.
    pub fn to_json(&self, info: ComponentInfo, bytes: &[u8]) -> Result<Value, RemoteError> {
        let codec = self.codec(info)?;
        (codec.to_json)(bytes).map_err(|source| RemoteError::CodecMismatch {
            component: codec.info.name,
            source,
        })
    }

    /// The bytes storing `json` as a component of type `info`; a value that is not one is
    /// refused.
    pub fn from_json(&self, info: ComponentInfo, json: Value) -> Result<Vec<u8>, RemoteError> {
        let codec = self.codec(info)?;
        (codec.from_json)(json).map_err(|source| RemoteError::BadValue {
            component: codec.info.name,
            source,
        })
    }

    fn codec(&self, info: ComponentInfo) -> Result<&JsonCodec, RemoteError> {
        self.by_id
            .get(&info.id)
            .ok_or(RemoteError::NoJsonCodec { name: info.name })
    }
}

#[cfg(test)]
mod tests {
    use super::JsonCodecs;
    use crate::error::RemoteError;
    use playground_ecs_view::{Component, ComponentInfo};
    use playground_kinematics::Position;
    use serde_json::json;

    #[test]
    fn a_value_goes_to_json_and_back() {
        let mut codecs = JsonCodecs::new();
        codecs.register::<Position>();
        let info = ComponentInfo::of::<Position>();
        let bytes = codecs
            .from_json(info, json!({"x": 1.5, "y": -2.0}))
            .unwrap();
        assert_eq!(
            postcard::from_bytes::<Position>(&bytes).unwrap(),
            Position { x: 1.5, y: -2.0 }
        );
        assert_eq!(
            codecs.to_json(info, &bytes).unwrap(),
            json!({"x": 1.5, "y": -2.0})
        );
    }

    #[test]
    fn a_value_of_another_shape_is_refused_by_name() {
        let mut codecs = JsonCodecs::new();
        codecs.register::<Position>();
        let info = ComponentInfo::of::<Position>();
        let err = codecs.from_json(info, json!({"x": "fast"})).unwrap_err();
        assert!(
            matches!(err, RemoteError::BadValue { component, .. } if component == Position::NAME),
            "{err}"
        );
        assert!(err.to_string().contains(Position::NAME), "{err}");
    }

    #[test]
    fn a_type_without_a_codec_says_so() {
        let codecs = JsonCodecs::new();
        let info = ComponentInfo::of::<Position>();
        let err = codecs.to_json(info, &[]).unwrap_err();
        assert!(matches!(err, RemoteError::NoJsonCodec { .. }), "{err}");
    }
}
