//! Component storage: a sparse set per component type.
//!
//! Layout (the sparse set of EnTT and shipyard):
//!
//! ```text
//! sparse (paged):  entity index -> dense position      pages of 4096 u32, allocated on demand;
//!                                                      the first pages' table inline
//! dense:           [Entity; len]  [T; len]             packed, iterated in order
//! ```
//!
//! Invariants: for every dense position `d`, `sparse[entities[d].index()] == d`; every other
//! sparse slot is `EMPTY`. A lookup checks the whole `Entity` (index and generation) stored at
//! `entities[d]`, so a stale entity finds nothing, never another entity's component.

mod batch;
mod pool;
mod sparse;

pub use batch::Batch;
pub use pool::{ComponentPool, ComponentSlicesMut, Iter, IterMut};
pub use sparse::PAGE_SIZE;
