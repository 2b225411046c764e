//! Type-erased component storage: what a `World` holds per component type.
//!
//! A `World` keeps one [`ComponentPool<T>`] per component type behind `dyn ErasedPool`, so it
//! can despawn, count, save and restore components of types it only knows by id. Typed code
//! downcasts once per query or batch, never per entity.

use super::component::{Component, ComponentInfo};
use crate::error::EcsError;
use playground_kernel::{Entity, StateError};
use playground_pools::ComponentPool;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;

/// Encoders chosen when a persistent component type is registered.
struct Codec<T> {
    encode: fn(&[T]) -> Result<Vec<u8>, postcard::Error>,
    decode: fn(&[u8]) -> Result<Vec<T>, postcard::Error>,
}

impl<T: Serialize + DeserializeOwned> Codec<T> {
    fn new() -> Self {
        Self {
            encode: |values| postcard::to_allocvec(values),
            decode: |bytes| postcard::from_bytes(bytes),
        }
    }
}

/// The pool of one component type, plus its codec if it is persistent.
pub(crate) struct TypedPool<T> {
    pub(crate) pool: ComponentPool<T>,
    codec: Option<Codec<T>>,
}

impl<T: Component> TypedPool<T> {
    pub(crate) fn plain() -> Self {
        Self {
            pool: ComponentPool::new(),
            codec: None,
        }
    }

    pub(crate) fn persistent() -> Self
    where
        T: Serialize + DeserializeOwned,
    {
        Self {
            pool: ComponentPool::new(),
            codec: Some(Codec::new()),
        }
    }
}

/// What a `World` can do with a pool whose type it does not name.
pub trait ErasedPool: Send + Sync {
    /// Name and id of the component type.
    fn info(&self) -> ComponentInfo;
    /// Number of components.
    fn len(&self) -> usize;
    /// Whether it holds none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether `entity` has one.
    fn contains(&self, entity: Entity) -> bool;
    /// Drops `entity`'s component; `false` if it had none.
    fn remove(&mut self, entity: Entity) -> bool;
    /// Drops every component.
    fn clear(&mut self);
    /// Heap bytes held.
    fn heap_bytes(&self) -> usize;
    /// Whether it can be saved.
    fn is_persistent(&self) -> bool;
    /// `entity`'s component as `&dyn Any`, for tools and scripts.
    fn get_any(&self, entity: Entity) -> Option<&dyn Any>;
    /// Entities (dense order) and the encoded components.
    fn save(&self) -> Result<(Vec<Entity>, Vec<u8>), EcsError>;
    /// A new, empty pool of the same type and codec.
    fn empty_like(&self) -> Box<dyn ErasedPool>;
    /// Fills this (empty) pool from what `save` wrote. On error the pool is left empty.
    fn load(&mut self, entities: &[Entity], bytes: &[u8]) -> Result<(), EcsError>;
    /// Downcasting.
    fn as_any(&self) -> &dyn Any;
    /// Downcasting, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Component> ErasedPool for TypedPool<T> {
    fn info(&self) -> ComponentInfo {
        ComponentInfo::of::<T>()
    }
    fn len(&self) -> usize {
        self.pool.len()
    }
    fn contains(&self, entity: Entity) -> bool {
        self.pool.contains(entity)
    }
    fn remove(&mut self, entity: Entity) -> bool {
        self.pool.remove(entity).is_some()
    }
    fn clear(&mut self) {
        self.pool.clear();
    }
    fn heap_bytes(&self) -> usize {
        self.pool.heap_bytes()
    }
    fn is_persistent(&self) -> bool {
        self.codec.is_some()
    }
    fn get_any(&self, entity: Entity) -> Option<&dyn Any> {
        self.pool.get(entity).map(|c| c as &dyn Any)
    }
    fn save(&self) -> Result<(Vec<Entity>, Vec<u8>), EcsError> {
        let codec = self
            .codec
            .as_ref()
            .ok_or(EcsError::NotPersistent { name: T::NAME })?;
        let bytes = (codec.encode)(self.pool.components()).map_err(|e| StateError::Corrupt {
            offset: 0,
            reason: format!("encoding {}: {e}", T::NAME),
        })?;
        Ok((self.pool.entities().to_vec(), bytes))
    }
    fn empty_like(&self) -> Box<dyn ErasedPool> {
        Box::new(Self {
            pool: ComponentPool::new(),
            codec: self.codec.as_ref().map(|c| Codec { ..*c }),
        })
    }
    fn load(&mut self, entities: &[Entity], bytes: &[u8]) -> Result<(), EcsError> {
        let codec = self
            .codec
            .as_ref()
            .ok_or(EcsError::NotPersistent { name: T::NAME })?;
        let values = (codec.decode)(bytes).map_err(|e| StateError::Corrupt {
            offset: 0,
            reason: format!("decoding {}: {e}", T::NAME),
        })?;
        if values.len() != entities.len() {
            return Err(StateError::Corrupt {
                offset: 0,
                reason: format!(
                    "{}: {} entities but {} components",
                    T::NAME,
                    entities.len(),
                    values.len()
                ),
            }
            .into());
        }
        self.pool.reserve(values.len());
        for (&entity, value) in entities.iter().zip(values) {
            if !matches!(self.pool.insert(entity, value), Ok(None)) {
                self.pool.clear();
                return Err(StateError::Corrupt {
                    offset: 0,
                    reason: format!("{}: entity {entity} twice", T::NAME),
                }
                .into());
            }
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Codec<T> {}
