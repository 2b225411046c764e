//! `RegistryReader`: a thread's cached view of the registry.

use crate::swap::{Cache, SwapCell};
use crate::table::{DynModelPool, Table};
use playground_kernel::{ModelType, View, ViewId};

/// A reader that keeps the registry snapshot it last saw. While nothing was published since,
/// a lookup costs one atomic load (to check for a newer snapshot) and a hash-table probe: no
/// read-modify-write, no shared cache line written, so readers on many threads do not slow
/// each other down. After a publish, the next lookup picks up the new snapshot and lets go of
/// the old one without freeing it: a writer frees replaced snapshots (see
/// [`BindingRegistry::reclaim`](crate::BindingRegistry::reclaim)), so a lookup never pays for
/// that.
///
/// Make one per thread (it is `Send`, not `Sync`); results borrow the reader, which keeps the
/// snapshot and everything in it alive while they are held.
pub struct RegistryReader<'a> {
    cache: Cache<&'a SwapCell<Table>, Table>,
}

impl<'a> RegistryReader<'a> {
    pub(crate) fn new(table: &'a SwapCell<Table>) -> Self {
        Self {
            cache: Cache::new(table),
        }
    }

    /// The implementation of View `V`; `None` if unknown, unbound, or registered as another
    /// type.
    #[inline]
    pub fn get<V: View + ?Sized>(&mut self) -> Option<&V> {
        self.get_by_id(V::VIEW_ID)
    }

    /// The implementation of the View registered under `view_id`, as `V`; `None` if unknown,
    /// unbound, or registered as another type.
    #[inline]
    pub fn get_by_id<V: ?Sized + Send + Sync + 'static>(&mut self, view_id: ViewId) -> Option<&V> {
        self.cache.load().get::<V>(view_id)
    }

    /// Whether the View `view_id` is registered and has an implementation.
    pub fn is_bound(&mut self, view_id: ViewId) -> bool {
        self.cache.load().bound.get(&view_id).is_some()
    }

    /// The pool of `model_type` under `view_id`.
    #[inline]
    pub fn pool(&mut self, view_id: ViewId, model_type: ModelType) -> Option<&DynModelPool> {
        self.cache.load().pool(view_id, model_type).map(|p| &**p)
    }
}
