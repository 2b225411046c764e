//! The published table: an immutable snapshot that writers replace as a whole (RCU).

use crate::error::RegistryError;
use crate::implementation::Implementation;
use crate::typed_bound::TypedBound;
use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{Handle, IdMap, IdTable, ModelTrait, ModelType, View, ViewId};
use playground_pools::ModelPool;
use std::any::Any;

/// The pool type the registry keeps per (View, model type): models behind `dyn ModelTrait`.
pub type DynModelPool = ModelPool<Handle<dyn ModelTrait>>;

/// What a View's slot holds: its implementation, or none.
pub(crate) type Bound<V> = Option<Implementation<V>>;
/// A View's slot: the cell `Binding`s follow.
pub(crate) use crate::slot::Slot;

/// Static facts about a registered View.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewInfo {
    /// Its id.
    pub view_id: ViewId,
    /// Its stable name.
    pub name: &'static str,
    /// The API version implementations must match.
    pub api_version: u64,
    /// The trait object type it was registered with (for error messages).
    pub type_name: &'static str,
}

impl ViewInfo {
    /// The facts of View `V`.
    pub fn of<V: View + ?Sized>() -> Self {
        Self {
            view_id: V::VIEW_ID,
            name: V::NAME,
            api_version: V::API_VERSION,
            type_name: std::any::type_name::<V>(),
        }
    }
}

/// One registered View in a snapshot.
#[derive(Clone)]
pub(crate) struct ViewEntry {
    pub(crate) info: ViewInfo,
    /// `Arc<Slot<V>>`, type-erased; `Binding<V>` downcasts it once.
    pub(crate) slot: Arc<dyn Any + Send + Sync>,
}

impl ViewEntry {
    /// This View's slot as `V`'s; a View registered with another trait object type is a
    /// `TypeMismatch`, never a reinterpretation.
    pub(crate) fn typed_slot<V: ?Sized + Send + Sync + 'static>(
        &self,
    ) -> Result<Arc<Slot<V>>, RegistryError> {
        self.slot
            .clone()
            .downcast::<Slot<V>>()
            .map_err(|_| RegistryError::TypeMismatch {
                view_id: self.info.view_id,
                registered: self.info.type_name,
                requested: std::any::type_name::<V>(),
            })
    }
}

/// A snapshot of everything registered.
///
/// Lookups touch only `bound` and `pools`, flat tables whose slots hold the key beside what a
/// lookup returns (one probe, one slot); everything only inspection and writers need lives in
/// `views`, shared between snapshots until a View is registered: a write copies the whole
/// snapshot, and a rebind (what a reload does per View) changes `bound` alone, so it copies
/// one count for `views` rather than one per View. Whether a View is bound, and to what, is
/// read from `bound`.
#[derive(Clone, Default)]
pub(crate) struct Table {
    /// Per bound View, its `Arc<Bound<V>>` (the same allocation its slot holds now) with the
    /// type it was registered as and the implementation's address, so a read needs no other
    /// load. An unbound View has no entry: a lookup's miss is its "unbound", and a hit needs
    /// no second test.
    pub(crate) bound: IdTable<ViewId, TypedBound>,
    pub(crate) views: Arc<IdMap<ViewId, ViewEntry>>,
    pub(crate) pools: IdTable<(ViewId, ModelType), Arc<DynModelPool>>,
}

impl Table {
    /// The implementation registered under `view_id`, as `V`. `None` if the id is unknown,
    /// unbound, or was registered with another type than `V`.
    #[inline]
    pub(crate) fn get<V: ?Sized + Send + Sync + 'static>(&self, view_id: ViewId) -> Option<&V> {
        self.bound.get(&view_id)?.view::<V>()
    }

    #[inline]
    pub(crate) fn pool(
        &self,
        view_id: ViewId,
        model_type: ModelType,
    ) -> Option<&Arc<DynModelPool>> {
        self.pools.get(&(view_id, model_type))
    }
}
