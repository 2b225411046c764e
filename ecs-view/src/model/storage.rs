//! Type-erased component storage: what a `World` holds per component type.
//!
//! A `World` keeps one [`ComponentPool<T>`] per component type behind `dyn ErasedPool`, so it
//! can despawn, count, save and restore components of types it only knows by id. Typed code
//! downcasts once per query or batch, never per entity.

use super::component::{Component, ComponentInfo};
use crate::error::EcsError;
use playground_kernel::{Corruption, Entity, StateError};
use playground_pools::ComponentPool;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;

/// Encoders chosen when a persistent component type is registered.
struct Codec<T> {
    encode: fn(&[T]) -> Result<Vec<u8>, postcard::Error>,
    decode: fn(&[u8]) -> Result<Vec<T>, postcard::Error>,
    encode_one: fn(&T) -> Result<Vec<u8>, postcard::Error>,
    decode_one: fn(&[u8]) -> Result<T, postcard::Error>,
}

impl<T: Serialize + DeserializeOwned> Codec<T> {
    fn new() -> Self {
        Self {
            encode: |values| postcard::to_allocvec(values),
            decode: |bytes| postcard::from_bytes(bytes),
            encode_one: |value| postcard::to_allocvec(value),
            // One value and nothing after it: trailing bytes mean the caller sent something
            // else than one encoded component.
            decode_one: |bytes| match postcard::take_from_bytes(bytes)? {
                (value, []) => Ok(value),
                _ => Err(postcard::Error::DeserializeBadEncoding),
            },
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
    /// The entities with one, in dense order.
    fn entities(&self) -> &[Entity];
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
    /// The pool's layout version (see `ComponentPool::layout_version`).
    fn layout_version(&self) -> u64;
    /// `entity`'s component encoded with the pool's codec (as a snapshot stores it);
    /// `Ok(None)` if it has none.
    fn encode_one(&self, entity: Entity) -> Result<Option<Vec<u8>>, EcsError>;
    /// Decodes one component and gives it to `entity` (which the caller checked is alive),
    /// replacing any it had: `Ok(true)` if it replaced one. Bytes that are not exactly one
    /// encoded component are refused with the pool unchanged.
    fn insert_encoded(&mut self, entity: Entity, bytes: &[u8]) -> Result<bool, EcsError>;
    /// Entities (dense order) and the encoded components.
    fn save(&self) -> Result<(Vec<Entity>, Vec<u8>), EcsError>;
    /// A new, empty pool of the same type and codec.
    fn empty_like(&self) -> Box<dyn ErasedPool>;
    /// Fills this (empty) pool from what `save` wrote. On error the pool is left empty.
    fn load(&mut self, entities: &[Entity], bytes: &[u8]) -> Result<(), EcsError>;
    /// The concrete pool as `&dyn Any` (its `TypeId` is what typed access checks).
    fn as_any(&self) -> &dyn Any;
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
    fn entities(&self) -> &[Entity] {
        self.pool.entities()
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
    fn layout_version(&self) -> u64 {
        self.pool.layout_version()
    }
    fn encode_one(&self, entity: Entity) -> Result<Option<Vec<u8>>, EcsError> {
        let codec = self
            .codec
            .as_ref()
            .ok_or(EcsError::NotPersistent { name: T::NAME })?;
        self.pool
            .get(entity)
            .map(|value| {
                (codec.encode_one)(value).map_err(|e| EcsError::BadComponentBytes {
                    name: T::NAME,
                    reason: e.to_string(),
                })
            })
            .transpose()
    }
    fn insert_encoded(&mut self, entity: Entity, bytes: &[u8]) -> Result<bool, EcsError> {
        let codec = self
            .codec
            .as_ref()
            .ok_or(EcsError::NotPersistent { name: T::NAME })?;
        let value = (codec.decode_one)(bytes).map_err(|e| EcsError::BadComponentBytes {
            name: T::NAME,
            reason: e.to_string(),
        })?;
        match self.pool.insert(entity, value) {
            Ok(replaced) => Ok(replaced.is_some()),
            Err(_) => Err(EcsError::StaleEntity { entity }),
        }
    }
    fn save(&self) -> Result<(Vec<Entity>, Vec<u8>), EcsError> {
        let codec = self
            .codec
            .as_ref()
            .ok_or(EcsError::NotPersistent { name: T::NAME })?;
        let bytes = (codec.encode)(self.pool.components()).map_err(|e| StateError::Corrupt {
            part: T::NAME.into(),
            problem: Corruption::Unencodable {
                detail: e.to_string(),
            },
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
        let corrupt = |problem| StateError::Corrupt {
            part: T::NAME.into(),
            problem,
        };
        let values = (codec.decode)(bytes).map_err(|e| {
            corrupt(Corruption::Undecodable {
                detail: e.to_string(),
            })
        })?;
        if values.len() != entities.len() {
            return Err(corrupt(Corruption::CountMismatch {
                expected: entities.len(),
                found: values.len(),
            })
            .into());
        }
        self.pool.reserve(values.len());
        for (&entity, value) in entities.iter().zip(values) {
            if !matches!(self.pool.insert(entity, value), Ok(None)) {
                self.pool.clear();
                return Err(corrupt(Corruption::EntityTwice { entity }).into());
            }
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Codec<T> {}
