//! The ECS data model: what a world holds, and the typed, monomorphic access the hot path
//! uses (compiled into the caller, never a `dyn` call per entity).
//!
//! Everything here is data and accessors; behaviour that a module may change across reloads
//! (snapshot format, schedules, event delivery) lives in `ecs-viewmodel` behind the Views.
//! `STATE_FORMAT_VERSION` is the hash of this folder, so any change here marks saved worlds
//! of older builds as foreign.

mod alignment;
mod bundle;
mod component;
mod entities;
mod event;
mod motion;
mod pool_box;
mod query;
mod query_filter;
mod query_iter;
mod schedule;
mod storage;
mod system;
mod world;

pub use bundle::Bundle;
pub use component::{Component, ComponentInfo};
pub use entities::Entities;
pub use event::{
    Event, EventId, EventQueue, Handler, Phase, Priority, Subscription, SubscriptionId,
};
pub use motion::{Position, Velocity};
pub use playground_kernel::{Entity, EntityId, Generation};
pub use query::{Query, QueryData, QueryParam, RawMut};
pub use query_filter::{
    CachedAnswer, FilterPools, Queries, QueryFilter, QueryId, QueryKey, RegisteredQuery,
};
pub use query_iter::QueryIter;
pub use schedule::{Schedule, SystemFn};
pub use storage::ErasedPool;
pub use system::SystemDesc;
pub use world::{PoolMut, PoolRef, Ref, World, WorldStats, Writer};
