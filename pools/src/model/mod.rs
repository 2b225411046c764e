//! `ModelPool`: live models by `ModelId`, read with no lock, removed entries recycled.
//!
//! ```text
//! pages:  [Once<page 0: 32 slots>, Once<page 1: 64 slots>, ...]   doubling; never freed
//! slot:   epoch::Atomic<Entry { id: ModelId, value }>             null when free
//! writer: Mutex { generation per slot, free list }                writers only
//! bin:    Mutex<Vec<Entry>>                                       recycled allocations
//! ```
//!
//! A reader pins an epoch, loads the slot's pointer (`Acquire`) and compares the `ModelId`
//! stored *in the entry it loaded* with the one it asked for. The entry cannot be freed or
//! reused while the reader is pinned, so a removed-then-reused slot is detected (other id),
//! never misread. Writers serialise on a mutex that readers never touch; a removed entry is
//! unlinked, then handed to epoch reclamation, which drops its value and puts the allocation
//! in the recycle bin for the next insert once no pinned reader can still see it.
//!
//! Why not sharded-slab (it counts references on every get), and what a `RwLock<Slab>` read
//! under one lock per batch does better (its uncontended get is one load from a contiguous
//! array; ours loads the slot, then the entry it points to): measured in `pools/model_get`
//! next to this pool, with the figures in `docs/results.md`. What this pool buys is reads
//! that never wait for a writer.

mod page;
mod pool;

pub use pool::ModelPool;

#[cfg(all(test, not(loom)))]
mod tests;

#[cfg(all(test, loom))]
mod loom_models;
