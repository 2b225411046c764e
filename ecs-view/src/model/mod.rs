//! The ECS data model: what a world holds (entities, component pools and their codecs,
//! events, system declarations, query filters), and the typed, monomorphic access the hot
//! path uses (compiled into the caller, never a `dyn` call per entity). The machinery that
//! runs over it (queries, their caches, the pool box) is in [`crate::engine`].
//!
//! Behaviour that a module may change across reloads (snapshot format, schedules, event
//! delivery) lives in `ecs-viewmodel` behind the Views. `STATE_FORMAT_VERSION` is the hash of
//! this folder, so any change here marks saved worlds of older builds as foreign.

mod bundle;
mod component;
mod entities;
mod event;
mod query_filter;
mod schedule;
pub(crate) mod storage;
mod system;
mod world;
mod world_by_id;

pub use crate::engine::{
    CachedAnswer, FilterPools, Queries, Query, QueryData, QueryIter, QueryKey, QueryParam, RawMut,
    RegisteredQuery,
};
pub use bundle::Bundle;
pub use component::{Component, ComponentInfo};
pub use entities::Entities;
pub use event::{
    Event, EventId, EventQueue, Handler, Phase, Priority, Subscription, SubscriptionId,
};
pub use playground_kernel::{Entity, EntityId, Generation};
pub use query_filter::{QueryFilter, QueryId};
pub use schedule::{Schedule, SystemFn};
pub use storage::ErasedPool;
pub use system::SystemDesc;
pub use world::{PoolMut, PoolRef, Ref, World, WorldStats, Writer};
