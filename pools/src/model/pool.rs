//! The pool itself.

#![allow(
    unsafe_code,
    reason = "epoch-protected pointers: dereferencing a loaded entry and deferring its reclamation"
)]

use super::page::{PAGES, locate, page_len};
use crate::error::PoolError;
use crossbeam_epoch::{self as epoch, Guard, Owned, Shared};
use playground_kernel::sync::atomic::AtomicUsize;
use playground_kernel::sync::{Arc, Mutex, Ordering};
use playground_kernel::{Generation, ModelId, Once};

/// Recycled allocations kept at most; beyond it, removed entries are freed.
const MAX_RECYCLED: usize = 1024;

struct Entry<T> {
    id: ModelId,
    /// `Some` while linked in a slot; reclamation sets it to `None` before recycling.
    value: Option<T>,
}

struct Slot<T> {
    entry: epoch::Atomic<Entry<T>>,
}

struct Writer {
    /// Current generation of each allocated slot; the id a live entry carries.
    generations: Vec<Generation>,
    /// Free slot indices, reused last-in first-out.
    free: Vec<u32>,
}

type Bin<T> = Arc<Mutex<Vec<Owned<Entry<T>>>>>;

/// A concurrent pool of models keyed by [`ModelId`].
///
/// - `get` takes no lock: an epoch pin (reusable across many gets), one atomic load, one
///   compare. A stale or removed id gives `None`.
/// - `insert` / `remove` take `&self` and may run on any thread; they serialise on a writer
///   mutex that readers never touch.
/// - Removed slots get a new generation and are reused; removed entries' allocations are
///   recycled once no reader can still see them.
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
    pages: [Once<Box<[Slot<T>]>>; PAGES],
    writer: Mutex<Writer>,
    bin: Bin<T>,
    len: AtomicUsize,
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
            pages: std::array::from_fn(|_| Once::new()),
            writer: Mutex::new(Writer {
                generations: Vec::new(),
                free: Vec::new(),
            }),
            bin: Arc::new(Mutex::new(Vec::new())),
            len: AtomicUsize::new(0),
        }
    }

    #[inline(always)]
    fn slot(&self, id: ModelId) -> Option<&Slot<T>> {
        // The index half of a `ModelId` is a `u32`.
        let (page, offset) = locate(id.index() as u32);
        self.pages[page].get().map(|slots| &slots[offset])
    }

    /// The model `id`, if it is live. The reference lives as long as `guard`: pin once
    /// (`epoch::pin()`) and reuse the guard for a batch of gets.
    #[inline]
    pub fn get<'a>(&'a self, id: ModelId, guard: &'a Guard) -> Option<&'a T> {
        let entry = self.slot(id)?.entry.load(Ordering::Acquire, guard);
        // Entries are only freed or recycled through `defer_unchecked` after being unlinked.
        // SAFETY: so one loaded under `guard` stays valid (and unmodified) while `guard`
        // lives; the returned borrow is tied to `guard`. Null gives `None`.
        let entry = unsafe { entry.as_ref() }?;
        if entry.id == id {
            entry.value.as_ref()
        } else {
            None
        }
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
        self.len.load(Ordering::Acquire)
    }

    /// Whether the pool holds no live model.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Allocations waiting in the recycle bin.
    pub fn recycled(&self) -> usize {
        self.bin.lock().len()
    }

    /// Inserts `value`, returning its id. Reuses a free slot (with a new generation) and a
    /// recycled allocation when there are any.
    ///
    /// # Panics
    /// If the pool already holds `u32::MAX` slots.
    pub fn insert(&self, value: T) -> ModelId {
        let mut writer = self.writer.lock();
        let index = match writer.free.pop() {
            Some(index) => index,
            None => {
                let index = u32::try_from(writer.generations.len())
                    .expect("a model pool holds at most u32::MAX slots");
                writer.generations.push(Generation::default());
                index
            }
        };
        let id = ModelId::new(index, writer.generations[index as usize]);
        let recycled = self.bin.lock().pop();
        let entry = match recycled {
            Some(mut entry) => {
                entry.id = id;
                entry.value = Some(value);
                entry
            }
            None => Owned::new(Entry {
                id,
                value: Some(value),
            }),
        };
        let (page, offset) = locate(index);
        let slots = self.pages[page].get_or_init(|| {
            (0..page_len(page))
                .map(|_| Slot {
                    entry: epoch::Atomic::null(),
                })
                .collect()
        });
        // Release: a reader that loads this pointer sees the entry's initialised fields.
        slots[offset].entry.store(entry, Ordering::Release);
        self.len.fetch_add(1, Ordering::Release);
        id
    }

    /// Removes model `id`. Readers already holding it keep a valid reference until their
    /// guard drops; new reads return `None`. A stale, free or never-allocated id is refused
    /// with a typed error and changes nothing.
    pub fn remove(&self, id: ModelId) -> Result<(), PoolError> {
        let mut writer = self.writer.lock();
        let index = id.index();
        let Some(&current) = writer.generations.get(index) else {
            return Err(PoolError::UnknownModelId { id });
        };
        if current != id.generation() {
            return Err(PoolError::StaleModelId {
                id,
                current_generation: current,
            });
        }
        let guard = epoch::pin();
        let slot = self.slot(id).expect("an allocated index has its page");
        let old = slot.entry.swap(Shared::null(), Ordering::AcqRel, &guard);
        if old.is_null() {
            // A free slot keeps the generation of its last occupant until reuse.
            return Err(PoolError::StaleModelId {
                id,
                current_generation: current,
            });
        }
        writer.generations[index] = current.next();
        // In range: the index half of a `ModelId` is a `u32`.
        writer.free.push(index as u32);
        self.len.fetch_sub(1, Ordering::Release);
        drop(writer);
        self.retire(old, &guard);
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
        self.pages
            .iter()
            .map_while(|page| page.get())
            .flat_map(move |slots| {
                slots.iter().filter_map(move |slot| {
                    // SAFETY: as in `get`: loaded under `guard`, reclaimed only after unlinking.
                    let entry = unsafe { slot.entry.load(Ordering::Acquire, guard).as_ref() }?;
                    entry.value.as_ref().map(|v| (entry.id, v))
                })
            })
    }

    /// Hands an unlinked entry to epoch reclamation: when no pinned reader can see it, its
    /// value is dropped and its allocation kept for reuse.
    fn retire(&self, old: Shared<'_, Entry<T>>, guard: &Guard) {
        let bin = Arc::clone(&self.bin);
        let raw = old.as_raw() as usize;
        // `old` was just unlinked from its slot by the swap in `remove`, so no new reader can
        // load it; readers pinned before the swap are waited for by the epoch collector before
        // this closure runs, which then owns the entry exclusively. The closure captures only
        // an address and an `Arc` (both `Send + 'static`), and `T: Send + 'static`, so running
        // it on another thread or after the pool is dropped is sound.
        // SAFETY: as argued just above: unlinked, and reclaimed only after every earlier pin.
        unsafe {
            guard.defer_unchecked(move || {
                let mut entry = Owned::from_raw(raw as *mut Entry<T>);
                entry.value = None;
                let mut bin = bin.lock();
                if bin.len() < MAX_RECYCLED {
                    bin.push(entry);
                }
            });
        }
    }
}

impl<T> Drop for ModelPool<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self` means no `get` borrow is outstanding (they borrow `self`), and
        // entries still linked were never handed to reclamation, so we own them.
        let guard = unsafe { epoch::unprotected() };
        for slots in self.pages.iter().filter_map(|page| page.get()) {
            for slot in slots.iter() {
                let entry = slot.entry.swap(Shared::null(), Ordering::Relaxed, guard);
                if !entry.is_null() {
                    // SAFETY: see above: linked entries are exclusively ours now.
                    drop(unsafe { entry.into_owned() });
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for ModelPool<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelPool")
            .field("len", &self.len.load(Ordering::Relaxed))
            .finish()
    }
}
