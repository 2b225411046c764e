//! The pool itself.

#![allow(
    unsafe_code,
    reason = "models stored inline in shared slots: reading one a slot's state says is live, \
              and dropping a removed one once epoch reclamation says no reader can see it"
)]

use super::page::{CAPACITY, PAGES, TABLE, index_at, locate, nth_index, ordinal, page_len};
use crate::error::PoolError;
use crossbeam_epoch::{self as epoch, Guard};
use playground_kernel::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize};
use playground_kernel::sync::{Arc, Mutex, Ordering, UnsafeCell};
use playground_kernel::{Generation, ModelId};
use std::mem::MaybeUninit;

/// One model's place. `state` says whether `value` holds a model and which id names it.
struct Slot<T> {
    /// While the slot holds a model: that model's id. While it does not: an id with the
    /// complement of the slot's index (see [`vacant`]), carrying the generation the slot's
    /// next occupant gets. A reader compares it with the id it asks for, and only an equal
    /// state lets it read `value`.
    state: AtomicU64,
    /// Initialised exactly while `state` names a model, and until reclamation drops it after
    /// the model is removed.
    value: UnsafeCell<MaybeUninit<T>>,
}

/// The state of vacant slot `index`: its index half is the complement of `index`, so no id
/// that locates this slot equals it, and its generation half is the next occupant's.
fn vacant(index: u32, next: Generation) -> u64 {
    ModelId::new(!index, next).to_bits()
}

/// Whether `state`, read from slot `index`, names a model.
fn is_live(state: u64, index: u32) -> bool {
    ModelId::from_bits(state).index() == index as usize
}

/// What writers serialise on; readers never touch it.
struct Writer {
    /// Slots handed out so far: the next fresh slot is the `allocated`th.
    allocated: usize,
    /// Vacant slots whose last model has been dropped, reused last-in first-out.
    free: Vec<u32>,
}

/// The slots and the writer lock, shared with pending reclamations: a removed model is
/// dropped by a deferred closure that may run after the pool itself is dropped, so the
/// slots live until the last such closure has run. The pool drops the live models.
struct Slots<T> {
    /// Page `k`'s first slot, or null until the page is allocated (and always past
    /// `PAGES`). An allocated page is a leaked `Box<[Slot<T>]>` of `page_len(k)` slots,
    /// allocated by a writer and freed only when the slots drop. Pages are allocated in
    /// order, as fresh slots are handed out.
    pages: PageTable<T>,
    writer: Mutex<Writer>,
    /// Live models; written by writers only, away from the lines readers load.
    len: AtomicUsize,
}

/// The page table on cache lines of its own (128 bytes: x86-64 prefetches lines in pairs).
/// Readers load it on every get while writers update the lock word, the length and the
/// `Arc`'s counts; sharing a line with those made every write evict the readers' copy.
#[repr(align(128))]
struct PageTable<T>([AtomicPtr<Slot<T>>; TABLE]);

// SAFETY: a `Slots<T>` hands out `&T` to any thread (needs `T: Sync`) and drops a `T` on
// whichever thread runs reclamation or the last drop (needs `T: Send`); the slot states and
// the writer lock order every write of a value before any read of it (see `insert`, `get`).
unsafe impl<T: Send + Sync> Sync for Slots<T> {}
// SAFETY: owning the slots is owning their live values; see above.
unsafe impl<T: Send + Sync> Send for Slots<T> {}

impl<T> Slots<T> {
    #[inline(always)]
    fn slot(&self, index: u32) -> Option<&Slot<T>> {
        let (page, offset) = locate(index);
        self.page(page)?.get(offset)
    }

    /// Page `page`'s slots, if it is allocated.
    #[inline(always)]
    fn page(&self, page: usize) -> Option<&[Slot<T>]> {
        // Acquire: pairs with the Release store in `page_or_alloc`, so the slots' initial
        // states are visible.
        let first = self.pages.0[page].load(Ordering::Acquire);
        if first.is_null() {
            return None;
        }
        // A non-null page pointer is the start of `page_len(page)` initialised slots, freed
        // only when the slots drop, which cannot happen while `&self` is borrowed.
        // SAFETY: so the slice is valid for the borrow.
        Some(unsafe { std::slice::from_raw_parts(first, page_len(page)) })
    }

    /// Page `page`'s slots, allocated with every slot vacant if it is not yet. Called only
    /// under the writer lock, so no two writers allocate the same page.
    fn page_or_alloc(&self, page: usize) -> &[Slot<T>] {
        if let Some(slots) = self.page(page) {
            return slots;
        }
        let slots: Box<[Slot<T>]> = (0..page_len(page))
            .map(|offset| Slot {
                state: AtomicU64::new(vacant(index_at(page, offset), Generation::default())),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            })
            .collect();
        // Release: a reader that loads the pointer sees the slots initialised.
        self.pages.0[page].store(Box::into_raw(slots).cast(), Ordering::Release);
        self.page(page).expect("just allocated")
    }

    /// Every allocated slot with its index, in slot order (pages are allocated in order).
    fn indexed(&self) -> impl Iterator<Item = (u32, &Slot<T>)> {
        (0..PAGES)
            .map_while(|page| self.page(page).map(|slots| (page, slots)))
            .flat_map(|(page, slots)| {
                (0..)
                    .zip(slots)
                    .map(move |(offset, slot)| (index_at(page, offset), slot))
            })
    }

    /// Drops the model a removed slot still holds and puts the slot on the free list.
    ///
    /// # Safety
    /// Slot `index` was vacated by `remove`, and no reader can still hold a reference into
    /// it: epoch reclamation calls this once every guard pinned before the removal is gone.
    unsafe fn reclaim(&self, index: u32) {
        let slot = self.slot(index).expect("a removed slot has its page");
        // The slot is vacant, so no new reader reads its value, and by this function's
        // contract no earlier reader still does; writers do not touch a vacant slot until it
        // is on the free list, which happens below. The value was initialised by the insert
        // this removal undid and not dropped since.
        // SAFETY: so the value is initialised and ours alone to drop.
        unsafe { slot.value.with_mut(|value| (*value).assume_init_drop()) };
        self.writer.lock().free.push(index);
    }
}

impl<T> Drop for Slots<T> {
    fn drop(&mut self) {
        for (page, first) in self.pages.0.iter().enumerate() {
            let first = first.load(Ordering::Relaxed);
            if !first.is_null() {
                let slots = std::ptr::slice_from_raw_parts_mut(first, page_len(page));
                // The pointer came from `Box::into_raw` of a page of this length in
                // `page_or_alloc`, and `&mut self` means nothing borrows it. Dropping the
                // slots drops no model (`MaybeUninit`): the pool dropped the live ones, and
                // reclamation the removed ones.
                // SAFETY: so the box is rebuilt from its own allocation, once.
                drop(unsafe { Box::from_raw(slots) });
            }
        }
    }
}

/// A concurrent pool of models keyed by [`ModelId`].
///
/// - `get` takes no lock: an epoch pin (reusable across many gets), one atomic load and one
///   compare, and the model is read where it lies. A stale or removed id gives `None`.
/// - `insert` / `remove` take `&self` and may run on any thread; they serialise on a writer
///   mutex that readers never touch.
/// - A removed model is dropped, and its slot reused with a new generation, once no reader
///   pinned before the removal can still see it. A guard held for long holds that back: the
///   pool then takes a fresh slot for every insert, so pin per batch, not per frame.
/// - An id's index is the slot's address (its page in the high bits, see the module doc),
///   not a count of models: past the first 32 slots, indices are large and not contiguous.
///
/// ```
/// use playground_pools::{ModelPool, epoch};
///
/// let pool = ModelPool::new();
/// let id = pool.insert(String::from("player"));
/// let guard = epoch::pin();
/// assert_eq!(pool.get(id, &guard).map(String::as_str), Some("player"));
/// pool.remove(id).unwrap();
/// assert_eq!(pool.get(id, &guard), None);
/// ```
pub struct ModelPool<T> {
    slots: Arc<Slots<T>>,
}

impl<T: Send + Sync + 'static> Default for ModelPool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> ModelPool<T> {
    /// An empty pool; pages are allocated as slots are first used.
    pub fn new() -> Self {
        Self {
            slots: Arc::new(Slots {
                pages: PageTable(std::array::from_fn(
                    |_| AtomicPtr::new(std::ptr::null_mut()),
                )),
                writer: Mutex::new(Writer {
                    allocated: 0,
                    free: Vec::new(),
                }),
                len: AtomicUsize::new(0),
            }),
        }
    }

    /// The model `id`, if it is live. The reference lives as long as `guard`: pin once
    /// (`epoch::pin()`) and reuse the guard for a batch of gets.
    #[inline]
    pub fn get<'a>(&'a self, id: ModelId, guard: &'a Guard) -> Option<&'a T> {
        // The guard is read by no instruction: being pinned is what keeps `remove`'s deferred
        // drop from running, and the returned borrow is tied to it.
        let _pinned = guard;
        // The index half of a `ModelId` is a `u32`.
        let slot = self.slots.slot(id.index() as u32)?;
        // Acquire: pairs with `insert`'s Release store, so the value written before it is
        // visible.
        if slot.state.load(Ordering::Acquire) != id.to_bits() {
            return None;
        }
        // A state equal to `id` means the slot holds the model `id` names, initialised before
        // the state was published. `remove` makes the state vacant before it defers the drop,
        // and the drop waits for every guard pinned before then, `guard` included; the slot
        // is only rewritten after that drop. The borrow is tied to `guard`.
        // SAFETY: so the value is initialised and unchanged for as long as `guard` lives.
        Some(unsafe { slot.value.with(|value| (*value).assume_init_ref()) })
    }

    /// Calls `f` on model `id` under a fresh pin; for one-off reads.
    pub fn with<R>(&self, id: ModelId, f: impl FnOnce(&T) -> R) -> Option<R> {
        let guard = epoch::pin();
        self.get(id, &guard).map(f)
    }

    /// Whether `id` names a live model.
    pub fn contains(&self, id: ModelId) -> bool {
        self.with(id, |_| ()).is_some()
    }

    /// Number of live models.
    pub fn len(&self) -> usize {
        self.slots.len.load(Ordering::Acquire)
    }

    /// Whether the pool holds no live model.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removed slots whose models have been dropped, ready for the next inserts.
    pub fn reusable(&self) -> usize {
        self.slots.writer.lock().free.len()
    }

    /// Inserts `value`, returning its id. Reuses a reclaimed slot (with a new generation)
    /// when there is one.
    ///
    /// # Panics
    /// If every one of the pool's slots (some 268 million) holds a model or awaits
    /// reclamation.
    pub fn insert(&self, value: T) -> ModelId {
        let mut writer = self.slots.writer.lock();
        let index = match writer.free.pop() {
            Some(index) => index,
            None => {
                let index = nth_index(writer.allocated)
                    .unwrap_or_else(|| panic!("a model pool holds at most {CAPACITY} slots"));
                writer.allocated += 1;
                index
            }
        };
        let (page, offset) = locate(index);
        let slot = &self.slots.page_or_alloc(page)[offset];
        // Only writers store states, and we hold the writer lock.
        let next = ModelId::from_bits(slot.state.load(Ordering::Relaxed)).generation();
        // The slot is vacant (fresh, or reclaimed: its last value dropped and every reader of
        // it gone), so nothing reads its value until the state below names it, and no other
        // writer touches it while we hold the lock.
        // SAFETY: so this write races with nothing and overwrites no live value.
        unsafe { slot.value.with_mut(|slot_value| (*slot_value).write(value)) };
        let id = ModelId::new(index, next);
        // Release: a reader that sees this state sees the value written above.
        slot.state.store(id.to_bits(), Ordering::Release);
        self.slots.len.fetch_add(1, Ordering::Release);
        id
    }

    /// Removes model `id`. Readers already holding it keep a valid reference until their
    /// guard drops; new reads return `None`. A stale, free or never-allocated id is refused
    /// with a typed error and changes nothing.
    pub fn remove(&self, id: ModelId) -> Result<(), PoolError> {
        // Pinned before the writer lock is taken: a pin may run due reclamations, and
        // those take the writer lock themselves.
        let guard = epoch::pin();
        let writer = self.slots.writer.lock();
        // The index half of a `ModelId` is a `u32`.
        let index = id.index() as u32;
        let handed_out = self
            .slots
            .slot(index)
            .filter(|_| ordinal(index) < writer.allocated);
        let Some(slot) = handed_out else {
            return Err(PoolError::UnknownModelId { id });
        };
        let state = slot.state.load(Ordering::Relaxed);
        if state != id.to_bits() {
            // A vacant slot carries the generation its next occupant gets.
            return Err(PoolError::StaleModelId {
                id,
                current_generation: ModelId::from_bits(state).generation(),
            });
        }
        // Release, like `insert`'s: the vacancy is published the way the model was.
        slot.state
            .store(vacant(index, id.generation().next()), Ordering::Release);
        self.slots.len.fetch_sub(1, Ordering::Release);
        drop(writer);
        let slots = Arc::clone(&self.slots);
        // The state store above means no reader pinned from now on can read the value; the
        // collector runs this closure only once every guard pinned before it is gone. The
        // closure owns a reference to the slots (`Send + 'static` with `T: Send + Sync +
        // 'static`), so running it on another thread or after the pool is dropped is sound.
        // SAFETY: so `reclaim`'s contract holds when the closure runs.
        unsafe { guard.defer_unchecked(move || slots.reclaim(index)) };
        Ok(())
    }

    /// Removes every live model.
    pub fn clear(&self) {
        let ids: Vec<ModelId> = {
            let guard = epoch::pin();
            self.iter(&guard).map(|(id, _)| id).collect()
        };
        for id in ids {
            // A concurrent remover may have got there first; both outcomes leave it removed.
            let _ = self.remove(id);
        }
    }

    /// Live models in slot order, with their ids, under `guard`.
    pub fn iter<'a>(&'a self, guard: &'a Guard) -> impl Iterator<Item = (ModelId, &'a T)> + 'a {
        self.slots.indexed().filter_map(move |(index, slot)| {
            let id = ModelId::from_bits(slot.state.load(Ordering::Acquire));
            if is_live(id.to_bits(), index) {
                self.get(id, guard).map(|value| (id, value))
            } else {
                None
            }
        })
    }
}

impl<T> Drop for ModelPool<T> {
    fn drop(&mut self) {
        // Live models go with the pool; removed ones are dropped by their pending
        // reclamations, which keep the slots alive until they have run.
        for (index, slot) in self.slots.indexed() {
            if is_live(slot.state.load(Ordering::Relaxed), index) {
                // `&mut self`: no `get` borrow is outstanding (they borrow the pool) and no
                // insert or remove is running. A live slot's value is initialised, and
                // reclamations touch only removed (vacant) slots.
                // SAFETY: so the value is initialised and ours alone to drop.
                unsafe { slot.value.with_mut(|value| (*value).assume_init_drop()) };
            }
        }
    }
}

impl<T> std::fmt::Debug for ModelPool<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelPool")
            .field("len", &self.slots.len.load(Ordering::Relaxed))
            .finish()
    }
}
