//! Models: plain data with a stable type identity.
//!
//! [`Model`] is the static side (a type declares its name at compile time, and its
//! [`ModelType`] follows); [`ModelTrait`] is the object-safe side a pool or registry holds as
//! `dyn ModelTrait`.

use crate::id::{ModelId, ModelType};

/// A model type: plain data identified by a stable name.
///
/// Implement it with [`model!`](crate::model!):
///
/// ```
/// use playground_kernel::{Model, ModelType, model};
///
/// struct Position { x: f32, y: f32 }
/// model!(Position = "playground.ecs.Position");
///
/// assert_eq!(Position::MODEL_TYPE, ModelType::from_name("playground.ecs.Position"));
/// ```
pub trait Model: 'static {
    /// The stable name; part of the save format and of every module's API, so renaming it is
    /// a breaking change.
    const NAME: &'static str;
    /// The id derived from [`Self::NAME`].
    const MODEL_TYPE: ModelType = ModelType::from_name(Self::NAME);
}

/// Implements [`Model`] for a type: `model!(Type = "stable.name");`.
#[macro_export]
macro_rules! model {
    ($ty:ty = $name:expr) => {
        impl $crate::Model for $ty {
            const NAME: &'static str = $name;
        }
    };
}

/// A model instance seen through a trait object.
pub trait ModelTrait: Send + Sync + 'static {
    /// The id of this instance in its pool.
    fn model_id(&self) -> ModelId;
    /// The type of data it holds.
    fn model_type(&self) -> ModelType;
}

/// The name and id of a model type, as a core module exports them so a host can create the
/// pools its Views need before any instance exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModelTypeInfo {
    /// The id.
    pub model_type: ModelType,
    /// The stable name it was hashed from.
    pub name: &'static str,
}

impl ModelTypeInfo {
    /// The info of a [`Model`] type.
    pub const fn of<M: Model>() -> Self {
        Self {
            model_type: M::MODEL_TYPE,
            name: M::NAME,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Velocity;
    crate::model!(Velocity = "playground.ecs.Velocity");

    #[test]
    fn info_names_the_type() {
        let info = ModelTypeInfo::of::<Velocity>();
        assert_eq!(info.name, "playground.ecs.Velocity");
        assert_eq!(
            info.model_type,
            ModelType::from_name("playground.ecs.Velocity")
        );
    }
}
