//! Opening a module library: the loader's only `unsafe`.
//!
//! The file is first copied to a unique path, because `dlopen` hands back the cached handle
//! for a path it already loaded (a rebuilt module at the same path would silently be the old
//! one), and because a rebuild rewrites the file while the old copy may still be mapped.
//!
//! **Unloading.** By default a library is never unloaded ([`UnloadPolicy::Never`]): Rust
//! libraries register thread-local destructors that `dlclose` would leave dangling, and a
//! vtable or a `'static` string handed out by the module may outlive every guard a loader
//! can see. The cost is bounded and reported: each reload keeps one more mapping of the
//! module's code (its file size, see [`ModuleHost::retained_bytes`](crate::ModuleHost)); the
//! copy itself is deleted from disk as soon as it is mapped.
//! [`UnloadPolicy::WhenUnused`] closes a library once its last owner reference is dropped —
//! every `Binding` guard, call and instance — for modules known not to use thread locals.

use crate::error::LoadError;
use crate::verify::verify;
use playground_kernel::module::{Core, MODULE_SYMBOL, ModuleHeader, PlaygroundModule};
use playground_kernel::sync::Ordering;
use playground_kernel::sync::StdArc;
use playground_kernel::sync::atomic::AtomicU64;
use playground_registry::Owner;
use std::path::{Path, PathBuf};

/// When a replaced module's library is closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnloadPolicy {
    /// Never: the mapping stays for the life of the process (the safe default).
    #[default]
    Never,
    /// When nothing references its code any more (no guard, call, binding or instance).
    WhenUnused,
}

/// Keeps a library open for as long as anything of it is reachable.
pub struct LibraryOwner {
    library: Option<libloading::Library>,
    /// Where the library was loaded from (the original, not the unique copy).
    pub path: PathBuf,
    /// Its size on disk: what keeping it mapped costs.
    pub bytes: u64,
}

impl std::fmt::Debug for LibraryOwner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryOwner")
            .field("path", &self.path)
            .field("bytes", &self.bytes)
            .field("closable", &self.library.is_some())
            .finish()
    }
}

/// A verified module library.
pub(crate) struct OpenedModule<C: Core> {
    /// Valid while `owner` (or, under `UnloadPolicy::Never`, the process) lives.
    pub module: &'static PlaygroundModule<C>,
    pub owner: StdArc<LibraryOwner>,
}

static COPIES: AtomicU64 = AtomicU64::new(0);

/// Copies `path` into `dir` under a name no earlier load used.
fn unique_copy(path: &Path, dir: &Path) -> Result<PathBuf, LoadError> {
    let copy_err = |source| LoadError::Copy {
        path: path.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(copy_err)?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let n = COPIES.fetch_add(1, Ordering::Relaxed);
    let copy = dir.join(format!("{stem}-{}-{n}{ext}", std::process::id()));
    std::fs::copy(path, &copy).map_err(copy_err)?;
    Ok(copy)
}

/// Loads the module at `path` (through a unique copy in `copies`) and verifies its header
/// against core `C` as this host was built.
pub(crate) fn open<C: Core>(
    path: &Path,
    copies: &Path,
    policy: UnloadPolicy,
) -> Result<OpenedModule<C>, LoadError> {
    let copy = unique_copy(path, copies)?;
    let bytes = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
    let expected = ModuleHeader::expected::<C>();
    let symbol = format!("{MODULE_SYMBOL}\0");

    // What is checked before each step below that trusts the library:
    // - Loading runs the library's initialisers. `copy` is a file this process just created
    //   from the module path it was given; module libraries are Rust cdylibs whose only
    //   initialisers are std's.
    // - The `PLAYGROUND_MODULE` symbol is first read only as a `ModuleHeader`: `repr(C)`, all
    //   byte arrays and integers, so every bit pattern is a valid value and its layout does
    //   not depend on the compiler that built the library. A foreign symbol of that name
    //   fails the magic check.
    // - Only after `verify` found the same magic, header layout, core, rustc (release and
    //   commit), kernel, target and API version (the hash of the core's `view/` and `model/`
    //   sources) as this host is the symbol viewed as `PlaygroundModule<C>`: the same
    //   compiler and the same type definitions give the same layout and the same ABI for its
    //   function pointers and the trait objects they return.
    // - The `'static` reference is never outlived by the library: under `Never` the library
    //   is leaked (never closed); under `WhenUnused` the reference is kept only next to an
    //   `Arc` of `owner`, which closes the library when its last clone drops.
    #[allow(unsafe_code)]
    // SAFETY: loading a fresh copy, reading only the repr(C) header until `verify` accepts
    // it, and keeping the library open as long as `module` is reachable (the list above).
    let (library, module) = unsafe {
        let library = libloading::Library::new(&copy).map_err(|e| LoadError::NotALibrary {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let address = library
            .get::<*const ModuleHeader>(symbol.as_bytes())
            .map_err(|e| LoadError::MissingSymbol {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        let header_ptr: *const ModuleHeader = *address;
        verify(path, &header_ptr.read(), &expected)?;
        let module: &'static PlaygroundModule<C> = &*header_ptr.cast::<PlaygroundModule<C>>();
        (library, module)
    };

    // The mapping stays valid once the copy is unlinked; nothing is left on disk per reload.
    let _ = std::fs::remove_file(&copy);
    let library = match policy {
        UnloadPolicy::WhenUnused => Some(library),
        UnloadPolicy::Never => {
            std::mem::forget(library);
            None
        }
    };
    Ok(OpenedModule {
        module,
        owner: StdArc::new(LibraryOwner {
            library,
            path: path.to_owned(),
            bytes,
        }),
    })
}

impl LibraryOwner {
    /// An owner holding no library (unit tests of what is bound with an owner).
    #[cfg(test)]
    pub(crate) fn detached() -> Self {
        Self {
            library: None,
            path: PathBuf::new(),
            bytes: 0,
        }
    }

    /// This owner, type-erased, as the registry keeps it next to each implementation.
    pub fn erased(self: &StdArc<Self>) -> Owner {
        self.clone()
    }
}
