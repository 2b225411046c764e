//! `ModelPool`: live models by `ModelId`, read with no lock, stored inline in their slots.
//!
//! ```text
//! pages:  [page 0: 32 slots, page 1: 64 slots, ...]     doubling; never moved or freed early
//! slot:   { state: AtomicU64, value: MaybeUninit<T> }   state = the live model's id, or vacant
//! writer: Mutex { slots handed out, free list }         writers only
//! index:  page in the high 5 bits, offset in the low 27
//! ```
//!
//! A reader pins an epoch, loads the slot's state (`Acquire`) and compares it with the id it
//! asked for: equal means the slot holds that very model, and the reader reads it in place.
//! A vacant slot's state can equal no id that locates it, and a removed-then-reused slot
//! carries a new generation, so a stale id finds nothing and never misreads. Writers
//! serialise on a mutex that readers never touch. `remove` makes the slot vacant, then hands
//! it to epoch reclamation, which drops the model and frees the slot for reuse once no reader
//! pinned before the removal can still see it: until then the model stays where it was.
//!
//! Against the peers in `pools/model_get` (figures in `docs/results.md`): sharded-slab
//! counts references on every get; a `RwLock<Slab>` read under one lock per batch loads one
//! entry from one contiguous array with no generation to check, and makes its reader wait
//! whenever a writer holds the lock. What this pool buys is reads that never wait for a
//! writer, with a stale id always told apart.

mod page;
mod pool;

pub use pool::ModelPool;

#[cfg(all(test, not(loom)))]
mod tests;

#[cfg(all(test, loom))]
mod loom_models;
