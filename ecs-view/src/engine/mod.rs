//! The ECS engine: what runs over the data model. Typed queries and their iterator, the
//! chunks a parallel query hands its threads, the alignment cache that lets aligned queries
//! run over slices, the by-id queries registered in a world with their cached answers, the
//! filter locks both run under, the type-checked box a pool lives in, and the table a world
//! finds its pools in.
//!
//! Nothing here is saved: an engine change keeps saved worlds readable (only `API_VERSION`
//! covers this folder, since the caches live inside `World`).

pub(crate) mod alignment;
mod guided_chunks;
#[cfg(all(test, loom))]
mod loom_models;
pub(crate) mod pool_cell;
pub(crate) mod pool_table;
mod queries;
pub(crate) mod query;
mod query_data;
mod query_iter;
mod query_param;
mod world_queries;

pub use queries::{CachedAnswer, FilterPools, Queries, QueryKey, RegisteredQuery};
pub use query::Query;
pub use query_data::QueryData;
pub use query_iter::QueryIter;
pub use query_param::{QueryParam, RawMut};
