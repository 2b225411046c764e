//! `BindingRegistry`: register Views, bind implementations, find them from any thread.

use crate::binding::Binding;
use crate::error::RegistryError;
use crate::implementation::Implementation;
use crate::reader::RegistryReader;
use crate::retired::Retired;
use crate::swap::{Guard, SwapCell};
use crate::table::{Bound, DynModelPool, Slot, Table, ViewEntry, ViewInfo};
use crate::typed_bound::TypedBound;
use playground_kernel::sync::atomic::AtomicU64;
use playground_kernel::sync::{Mutex, StdArc as Arc};
use playground_kernel::{ModelType, View, ViewId};

/// The registry of Views, their implementations and their model pools.
///
/// Reads never block and never take a lock: they load the published [`Table`] snapshot (or a
/// reader's cached copy of it). Writers serialise on one mutex that readers never touch, copy
/// the snapshot, change the copy, and publish it (RCU), so no update is lost and no reader can
/// deadlock a writer. Every refused write leaves the registry exactly as it was.
///
/// A replaced snapshot is freed by a writer, never by a reader: the writer keeps it until no
/// reader holds it, and frees it at a later write or [`reclaim`](Self::reclaim). A lookup
/// that moves a reader to a newer snapshot only lets go of its reference, so it never pays
/// for freeing thousands of entries, or for dropping an implementation (and closing the
/// library behind it) that only the old snapshot still held.
///
/// ```
/// use playground_kernel::View;
/// use playground_kernel::sync::StdArc as Arc;
/// use playground_registry::{BindingRegistry, Implementation};
///
/// pub trait Greeter: Send + Sync { fn greet(&self) -> String; }
/// impl View for dyn Greeter { const NAME: &'static str = "example.Greeter"; const API_VERSION: u64 = 1; }
///
/// struct English;
/// impl Greeter for English { fn greet(&self) -> String { "hello".into() } }
///
/// let registry = BindingRegistry::new();
/// registry.register_view::<dyn Greeter>().unwrap();
/// let mut greeter = registry.binding::<dyn Greeter>().unwrap();
/// registry.bind::<dyn Greeter>(Implementation::new("english", 1, Arc::new(English))).unwrap();
/// assert_eq!(greeter.get().unwrap().greet(), "hello");
/// ```
pub struct BindingRegistry {
    table: SwapCell<Table>,
    /// The writer lock, over the snapshots writers replaced that readers still held.
    writer: Mutex<Retired<Table>>,
    /// Bumped after every store to any View's slot; shared by every slot and binding.
    binds: Arc<AtomicU64>,
}

impl Default for BindingRegistry {
    fn default() -> Self {
        Self::new()
    }
}

/// An owned read of one View's implementation: keeps it (and its owner) alive while held.
pub struct ViewGuard<V: ?Sized + 'static> {
    bound: Arc<Bound<V>>,
}

impl<V: ?Sized> ViewGuard<V> {
    /// The implementation.
    pub fn implementation(&self) -> &Implementation<V> {
        self.bound
            .as_ref()
            .as_ref()
            .expect("a ViewGuard is only made for a bound View")
    }
}

impl<V: ?Sized> std::ops::Deref for ViewGuard<V> {
    type Target = V;
    fn deref(&self) -> &V {
        self.implementation().view()
    }
}

/// One View as inspection reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewReport {
    /// Static facts.
    pub info: ViewInfo,
    /// Name and API version of the bound implementation, if any.
    pub bound: Option<(String, u64)>,
    /// Pools registered under this View: model type and number of live models.
    pub pools: Vec<(ModelType, usize)>,
}

impl BindingRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            table: SwapCell::from_pointee(Table::default()),
            writer: Mutex::new(Retired::default()),
            binds: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Copies the table, lets `change` edit the copy, and publishes it if `change` succeeds.
    fn write<R>(
        &self,
        change: impl FnOnce(&mut Table) -> Result<R, RegistryError>,
    ) -> Result<R, RegistryError> {
        let mut retired = self.writer.lock();
        let mut next = Table::clone(&self.table.load());
        let result = change(&mut next)?;
        let unheld = retired.retire(self.table.swap(Arc::new(next)));
        // Freed after the lock is released: an implementation dropped with a snapshot may call
        // back into the registry from its destructor.
        drop(retired);
        drop(unheld);
        Ok(result)
    }

    /// Frees, on this thread, the replaced snapshots that no reader holds any more, and with
    /// them whatever only they held (an old implementation, and the library behind it);
    /// returns how many replaced snapshots readers still hold. Every write does this too; a
    /// host calls it where it wants replaced code gone without a write (the module hosts
    /// call it after each reload). Waits for a writer in progress.
    pub fn reclaim(&self) -> usize {
        let mut retired = self.writer.lock();
        let unheld = retired.reclaim();
        let still_held = retired.held();
        // Freed after the lock is released, as in a write.
        drop(retired);
        drop(unheld);
        still_held
    }

    /// Whether a View is registered under `view_id` (bound or not).
    pub fn is_registered(&self, view_id: ViewId) -> bool {
        self.table.load().views.contains_key(&view_id)
    }

    /// Registers View `V`. A second registration of its id (the same View, or another name
    /// that hashes alike) is refused, and the first stays.
    pub fn register_view<V: View + ?Sized>(&self) -> Result<(), RegistryError> {
        self.register_view_as::<V>(ViewInfo::of::<V>())
    }

    /// Registers a View whose id, name and version are given at run time, implemented by trait
    /// object type `V` (e.g. many script Views sharing one `dyn ScriptView` contract). Reach it
    /// with the `*_to` / `*_for` / `get_by_id` variants.
    pub fn register_view_as<V: ?Sized + Send + Sync + 'static>(
        &self,
        info: ViewInfo,
    ) -> Result<(), RegistryError> {
        let info = ViewInfo {
            type_name: std::any::type_name::<V>(),
            ..info
        };
        self.write(|table| {
            if let Some(existing) = table.views.get(&info.view_id) {
                return Err(RegistryError::DuplicateView {
                    view_id: info.view_id,
                    existing: existing.info.name,
                    new: info.name,
                });
            }
            // Unbound, so not in the lookup table (`Table::bound` holds bound Views only).
            let slot: Arc<Slot<V>> = Arc::new(Slot::new(Arc::new(None), self.binds.clone()));
            Arc::make_mut(&mut table.views).insert(info.view_id, ViewEntry { info, slot });
            Ok(())
        })
    }

    /// Checks `V` against the registered entry (type, version, and whether it must already
    /// be bound) and publishes `next` to its slot and table.
    fn publish<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
        next: Option<Implementation<V>>,
        bound_before: bool,
    ) -> Result<(), RegistryError> {
        // Taken only once every check passed: a refused implementation is dropped here, after
        // the writer lock is released, in case its destructor calls into the registry.
        let mut pending = Some(next);
        self.write(|table| {
            let entry = table
                .views
                .get(&view_id)
                .ok_or(RegistryError::UnknownView { view_id })?;
            let slot = entry.typed_slot::<V>()?;
            if let Some(Some(imp)) = &pending
                && imp.api_version() != entry.info.api_version
            {
                return Err(RegistryError::VersionMismatch {
                    view_id,
                    expected: entry.info.api_version,
                    found: imp.api_version(),
                });
            }
            match (bound_before, table.bound.get(&view_id)) {
                (false, Some(current)) => {
                    return Err(RegistryError::AlreadyBound {
                        view_id,
                        current: current.name_version().0.to_owned(),
                    });
                }
                (true, None) => return Err(RegistryError::NotBound { view_id }),
                _ => {}
            }
            let next = pending.take().expect("taken once, here");
            let next: Arc<Bound<V>> = Arc::new(next);
            match TypedBound::new::<V>(next.clone()) {
                Some(entry) => {
                    table.bound.insert(view_id, entry);
                }
                // The lookup table has no removal (it is insert-only): an unbind, rare, rebuilds
                // it without the View.
                None => table.bound = table.bound.without(&view_id),
            }
            // Bindings follow the slot; table readers see the new snapshot once `write`
            // publishes it. Each reader sees the old or the new implementation, never neither.
            slot.store(next);
            Ok(())
        })
    }

    /// Binds `imp` to View `V`, which must be registered, unbound, and of the same API
    /// version.
    pub fn bind<V: View + ?Sized>(&self, imp: Implementation<V>) -> Result<(), RegistryError> {
        self.bind_to(V::VIEW_ID, imp)
    }

    /// [`bind`](Self::bind) to the View registered under `view_id`.
    pub fn bind_to<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
        imp: Implementation<V>,
    ) -> Result<(), RegistryError> {
        self.publish(view_id, Some(imp), false)
    }

    /// Replaces the implementation of `V` atomically: every `Binding` sees the new one on its
    /// next `get`; readers holding the old one keep it (and its owner) alive until they let go.
    /// The primitive the hot-reload loader uses.
    pub fn rebind<V: View + ?Sized>(&self, imp: Implementation<V>) -> Result<(), RegistryError> {
        self.rebind_to(V::VIEW_ID, imp)
    }

    /// [`rebind`](Self::rebind) the View registered under `view_id`.
    pub fn rebind_to<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
        imp: Implementation<V>,
    ) -> Result<(), RegistryError> {
        self.publish(view_id, Some(imp), true)
    }

    /// Removes the implementation of `V`; bindings then get `None`.
    pub fn unbind<V: View + ?Sized>(&self) -> Result<(), RegistryError> {
        self.unbind_from::<V>(V::VIEW_ID)
    }

    /// [`unbind`](Self::unbind) the View registered under `view_id`.
    pub fn unbind_from<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
    ) -> Result<(), RegistryError> {
        self.publish::<V>(view_id, None, true)
    }

    /// A handle that follows the implementation of `V` across rebinds; store it once.
    pub fn binding<V: View + ?Sized>(&self) -> Result<Binding<V>, RegistryError> {
        self.binding_for(V::VIEW_ID)
    }

    /// A [`Binding`] to the View registered under `view_id`.
    pub fn binding_for<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
    ) -> Result<Binding<V>, RegistryError> {
        let table = self.table.load();
        let entry = table
            .views
            .get(&view_id)
            .ok_or(RegistryError::UnknownView { view_id })?;
        let slot = entry.typed_slot::<V>()?;
        Ok(Binding::new(slot))
    }

    /// The implementation of `V` now, held by an owned guard. For repeated lookups use a
    /// [`Binding`] or a [`RegistryReader`], which avoid the reference-count traffic.
    pub fn get<V: View + ?Sized>(&self) -> Option<ViewGuard<V>> {
        self.get_by_id(V::VIEW_ID)
    }

    /// [`get`](Self::get) the View registered under `view_id`.
    pub fn get_by_id<V: ?Sized + Send + Sync + 'static>(
        &self,
        view_id: ViewId,
    ) -> Option<ViewGuard<V>> {
        let table = self.table.load();
        let bound = table.bound.get(&view_id)?.shared::<V>()?;
        bound.is_some().then_some(ViewGuard { bound })
    }

    /// A per-thread reader with a cached snapshot: lookups by id with no atomic
    /// read-modify-write.
    pub fn reader(&self) -> RegistryReader<'_> {
        RegistryReader::new(&self.table)
    }

    /// Creates the pool of `model_type` under View `view_id`.
    pub fn register_pool(
        &self,
        view_id: ViewId,
        model_type: ModelType,
    ) -> Result<Arc<DynModelPool>, RegistryError> {
        self.write(|table| {
            if !table.views.contains_key(&view_id) {
                return Err(RegistryError::UnknownView { view_id });
            }
            if table.pools.contains_key(&(view_id, model_type)) {
                return Err(RegistryError::DuplicatePool {
                    view_id,
                    model_type,
                });
            }
            let pool = Arc::new(DynModelPool::new());
            table.pools.insert((view_id, model_type), pool.clone());
            Ok(pool)
        })
    }

    /// The pool of `model_type` under `view_id`, if registered.
    pub fn pool(&self, view_id: ViewId, model_type: ModelType) -> Option<Arc<DynModelPool>> {
        self.table.load().pool(view_id, model_type).cloned()
    }

    /// Every registered View with its binding and pools, sorted by name.
    pub fn views(&self) -> Vec<ViewReport> {
        let table: Guard<Table> = self.table.load();
        let mut reports: Vec<ViewReport> = table
            .views
            .values()
            .map(|entry| {
                let mut pools: Vec<(ModelType, usize)> = table
                    .pools
                    .iter()
                    .filter(|((view, _), _)| *view == entry.info.view_id)
                    .map(|((_, model_type), pool)| (*model_type, pool.len()))
                    .collect();
                pools.sort_unstable();
                ViewReport {
                    info: entry.info,
                    bound: table.bound.get(&entry.info.view_id).map(|b| {
                        let (name, version) = b.name_version();
                        (name.to_owned(), version)
                    }),
                    pools,
                }
            })
            .collect();
        reports.sort_unstable_by_key(|r| r.info.name);
        reports
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::BindingRegistry;
    use crate::implementation::Implementation;
    use playground_kernel::sync::StdArc as Arc;
    use playground_kernel::{ModelType, View, ViewId};
    use std::sync::mpsc;
    use std::time::Duration;

    trait Answer: Send + Sync {
        fn answer(&self) -> u32;
    }
    impl View for dyn Answer {
        const NAME: &'static str = "test.registry.Answer";
        const API_VERSION: u64 = 1;
    }
    struct Fixed(u32);
    impl Answer for Fixed {
        fn answer(&self) -> u32 {
            self.0
        }
    }

    /// Lookups each reader must finish while the writer lock is held.
    const LOOKUPS: usize = 10_000;

    #[test]
    fn readers_finish_their_lookups_while_the_writer_lock_is_held() {
        let registry = Arc::new(BindingRegistry::new());
        registry.register_view::<dyn Answer>().unwrap();
        registry
            .bind(Implementation::new(
                "a",
                1,
                Arc::new(Fixed(7)) as Arc<dyn Answer>,
            ))
            .unwrap();
        let id: ViewId = <dyn Answer as View>::VIEW_ID;
        let model = ModelType::from_name("test.registry.Model");
        registry.register_pool(id, model).unwrap();
        let (done, finished) = mpsc::channel();
        registry
            .write(|_| {
                // The writer lock is held from here to the end of this closure. Readers that
                // needed it would never finish, and the receive below would time out.
                for _ in 0..2 {
                    let (registry, done) = (registry.clone(), done.clone());
                    std::thread::spawn(move || {
                        let mut binding = registry.binding::<dyn Answer>().unwrap();
                        let mut reader = registry.reader();
                        let mut sum = 0u64;
                        for _ in 0..LOOKUPS {
                            sum += u64::from(binding.get().unwrap().answer());
                            sum += u64::from(reader.get::<dyn Answer>().unwrap().answer());
                            sum += u64::from(registry.get::<dyn Answer>().unwrap().answer());
                            sum += u64::from(reader.pool(id, model).is_some());
                        }
                        done.send(sum).unwrap();
                    });
                }
                for _ in 0..2 {
                    let sum = finished
                        .recv_timeout(Duration::from_secs(60))
                        .expect("a reader blocked on the writer lock");
                    assert_eq!(sum, LOOKUPS as u64 * (7 * 3 + 1));
                }
                Ok(())
            })
            .unwrap();
    }
}
