//! The three ways a component is shared between threads, as interchangeable cell types.
//!
//! | pattern | cell | read | write | a reader sees |
//! |---|---|---|---|---|
//! | field-level atomics | [`Atomic<T>`] per field | one atomic load | atomic store / CAS | each field whole; fields may be from different writes |
//! | component-level lock | [`Locked<T>`] | shared lock | exclusive lock | the whole component, consistent |
//! | copy-on-write | [`CopyOnWrite<T>`] | one pointer load (arc-swap) | publish a new version | a whole version, kept alive while held |
//!
//! Each implements [`ConcurrentCell`], so code and tests can be written once over the pattern
//! (`fn stress<C: ConcurrentCell<u64>>()`), the way arc-swap's strategies are type parameters.
//! Choose per component type: atomics for hot numeric fields updated independently (physics
//! state), a lock for complex data mutated in place (inventories), copy-on-write for data read
//! every frame and written rarely (configuration, meshes).
//!
//! Field-level atomics in a pool, updated by several threads through `&` with no lock:
//!
//! ```
//! use playground_kernel::{Atomic, Entity, EntityId, Generation};
//! use playground_pools::ComponentPool;
//!
//! #[derive(Default)]
//! struct Position { x: Atomic<f32>, y: Atomic<f32> }
//!
//! let mut pool = ComponentPool::new();
//! for i in 0..1000 {
//!     pool.insert(Entity::new(EntityId(i), Generation(0)), Position::default()).unwrap();
//! }
//! let pool = &pool;
//! std::thread::scope(|s| {
//!     for (_, chunk) in pool.chunks(250) {
//!         s.spawn(move || chunk.iter().for_each(|p| { p.x.fetch_add(1.0); }));
//!     }
//! });
//! assert!(pool.components().iter().all(|p| p.x.load() == 1.0));
//! ```
//!
//! [`Atomic<T>`]: playground_kernel::Atomic

mod atomic;
mod copy_on_write;
mod locked;

pub use copy_on_write::CopyOnWrite;
pub use locked::Locked;

/// A cell that threads share through `&`: the common face of the three patterns.
pub trait ConcurrentCell<T>: Send + Sync {
    /// A cell holding `value`.
    fn new(value: T) -> Self;

    /// A copy of the current value.
    fn load(&self) -> T;

    /// Replaces the value with `f(current)` atomically with respect to other `update`s: no
    /// update is lost. `f` may run more than once under contention (atomics, copy-on-write).
    fn update(&self, f: impl FnMut(&T) -> T);
}
