//! The contract between a host and a hot-loadable module.
//!
//! Every module library exports one static, `PLAYGROUND_MODULE`, of type
//! [`PlaygroundModule<C>`] for the core `C` it implements (declared with [`export_module!`]).
//! Its first field, [`ModuleHeader`], is `#[repr(C)]` and made only of bytes and integers, so a
//! loader can read it from a library built by *any* compiler and refuse a mismatch before
//! touching anything whose layout depends on the compiler (function pointers taking Rust
//! types, trait objects). Only when the header names the same rustc, kernel, target, core and
//! API version as the host is the rest of the static used.
//!
//! A module carries its own copy of `std`, and Rust cannot catch a panic raised by another
//! copy of `std` (the unwinder aborts on a "foreign" Rust exception). So every entry point the
//! loader calls during a reload ([`ModuleEntry`]) catches panics *inside* the module, with the
//! module's own `catch_unwind`, and returns them as a [`ModuleFault`].

use crate::error::StateError;
use crate::view::ViewModelTrait;
use std::panic::{AssertUnwindSafe, catch_unwind};

mod build_info {
    include!(concat!(env!("OUT_DIR"), "/build_info.rs"));
}
pub use build_info::{RUSTC_VERSION, TARGET};

/// The symbol every module library exports.
pub const MODULE_SYMBOL: &str = "PLAYGROUND_MODULE";

/// First bytes of every [`ModuleHeader`]: this is a Playground module.
pub const MODULE_MAGIC: [u8; 8] = *b"PGMODULE";

/// Version of the [`ModuleHeader`] layout itself.
pub const HEADER_LAYOUT: u32 = 1;

/// A core module (such as the ECS core): the contract modules implement and hosts load.
///
/// Implemented by a marker type in the core crate, next to its fingerprints.
pub trait Core: 'static {
    /// The core's stable name, e.g. `"playground.ecs"`.
    const NAME: &'static str;
    /// Fingerprint of the core's `view/` and `model/` sources.
    const API_VERSION: u64;
    /// Fingerprint of the core's `model/` sources: the layout of saved state.
    const STATE_FORMAT_VERSION: u64;
    /// What a module of this core gives the host: one instance, which owns the module's
    /// state and hands out the View implementations the host binds.
    type Instance: ViewModelTrait + ?Sized;
}

/// A string in a fixed, C-compatible buffer (NUL-padded UTF-8), so a header can be read
/// whatever compiler built the library.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct FixedStr<const N: usize> {
    bytes: [u8; N],
}

impl<const N: usize> FixedStr<N> {
    /// `text`, truncated to `N` bytes if longer (at a byte boundary; [`Self::as_str`] then
    /// returns the longest valid prefix).
    pub const fn new(text: &str) -> Self {
        let src = text.as_bytes();
        let mut bytes = [0u8; N];
        let mut i = 0;
        while i < N && i < src.len() {
            bytes[i] = src[i];
            i += 1;
        }
        Self { bytes }
    }

    /// The text, up to the first NUL.
    pub fn as_str(&self) -> &str {
        let end = self.bytes.iter().position(|&b| b == 0).unwrap_or(N);
        match std::str::from_utf8(&self.bytes[..end]) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&self.bytes[..e.valid_up_to()]).unwrap_or_default(),
        }
    }
}

impl<const N: usize> std::fmt::Debug for FixedStr<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// What a module declares about how it was built. Compiler-independent layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct ModuleHeader {
    /// [`MODULE_MAGIC`].
    pub magic: [u8; 8],
    /// [`HEADER_LAYOUT`] of the kernel that built the module.
    pub layout: u32,
    /// The module's name (its crate name).
    pub name: FixedStr<64>,
    /// The module's version (its crate version).
    pub version: FixedStr<32>,
    /// The core it implements, [`Core::NAME`].
    pub core: FixedStr<64>,
    /// The rustc that built it, [`RUSTC_VERSION`].
    pub rustc: FixedStr<128>,
    /// The kernel version it was built with, [`crate::KERNEL_VERSION`].
    pub kernel: FixedStr<32>,
    /// The target triple, [`TARGET`].
    pub target: FixedStr<64>,
    /// [`Core::API_VERSION`] of the core sources it was built against.
    pub api_version: u64,
    /// [`Core::STATE_FORMAT_VERSION`] of the core sources it was built against.
    pub state_version: u64,
}

impl ModuleHeader {
    /// The header of a module called `name` at `version`, implementing `C`, as built now.
    pub const fn new<C: Core>(name: &str, version: &str) -> Self {
        Self {
            magic: MODULE_MAGIC,
            layout: HEADER_LAYOUT,
            name: FixedStr::new(name),
            version: FixedStr::new(version),
            core: FixedStr::new(C::NAME),
            rustc: FixedStr::new(RUSTC_VERSION),
            kernel: FixedStr::new(crate::KERNEL_VERSION),
            target: FixedStr::new(TARGET),
            api_version: C::API_VERSION,
            state_version: C::STATE_FORMAT_VERSION,
        }
    }

    /// The same header declaring its own state format: for a module whose saved state adds
    /// to (or changes) the core's model, and which declares [`Migration`]s from older formats.
    pub const fn with_state_version(mut self, state_version: u64) -> Self {
        self.state_version = state_version;
        self
    }

    /// The header a host expects of a module implementing `C` (name and version aside).
    pub const fn expected<C: Core>() -> Self {
        Self::new::<C>("", "")
    }
}

/// A panic or error inside a module, caught at the module's boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModuleFault {
    /// The module refused the state it was given (or could not write its own).
    #[error(transparent)]
    State(#[from] StateError),
    /// The module panicked; the panic was caught inside the module. Holds the panic's
    /// message (a panic carries text, not a typed value).
    #[error("panicked: {0}")]
    Panic(String),
}

/// Runs `f`, turning a panic into [`ModuleFault::Panic`]. Called by the entry points that
/// [`export_module!`] generates, so it runs with the module's own copy of `std`.
pub fn guard<T>(f: impl FnOnce() -> Result<T, StateError>) -> Result<T, ModuleFault> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(ModuleFault::State(e)),
        Err(payload) => Err(ModuleFault::Panic(
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".into()),
        )),
    }
}

/// A migration of saved state from an older state format to the module's current one.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The state format it reads ([`Core::STATE_FORMAT_VERSION`] of the older sources).
    pub from: u64,
    /// Rewrites state of format `from` into the module's current format.
    pub migrate: fn(&[u8]) -> Result<Vec<u8>, StateError>,
}

/// A module's migration lookup: state of format `from` rewritten to the module's format, or
/// `None` when it declares no migration from `from`.
pub type MigrateFn = fn(from: u64, &[u8]) -> Option<Result<Vec<u8>, ModuleFault>>;

/// The Rust-ABI entry points of a module; read only after its header was verified.
pub struct ModuleEntry<C: Core> {
    /// Builds a fresh instance (panics caught).
    pub create: fn() -> Result<Box<C::Instance>, ModuleFault>,
    /// Saves an instance's state (panics caught).
    pub save: fn(&C::Instance) -> Result<Vec<u8>, ModuleFault>,
    /// Restores state into an instance, which must be left as it was on error (panics caught).
    pub restore: fn(&mut C::Instance, &[u8]) -> Result<(), ModuleFault>,
    /// Migrates state of an older format `from` to this module's (panics caught); `None` when
    /// the module declares no migration from `from`.
    pub migrate: MigrateFn,
}

/// The static a module exports as `PLAYGROUND_MODULE`.
#[repr(C)]
pub struct PlaygroundModule<C: Core> {
    /// Read and verified first, whatever compiled the library.
    pub header: ModuleHeader,
    /// Used only once the header matches the host's.
    pub entry: ModuleEntry<C>,
}

/// Entry-point bodies for [`export_module!`]; public so the macro can name them.
#[doc(hidden)]
pub mod entry {
    use super::{Core, Migration, ModuleFault, guard};
    use crate::view::ViewModelTrait;

    /// `save` for any instance.
    pub fn save<C: Core>(instance: &C::Instance) -> Result<Vec<u8>, ModuleFault> {
        guard(|| instance.save_state())
    }

    /// `restore` for any instance.
    pub fn restore<C: Core>(instance: &mut C::Instance, bytes: &[u8]) -> Result<(), ModuleFault> {
        guard(|| instance.restore_state(bytes))
    }

    /// `migrate` over a table of migrations.
    pub fn migrate(
        table: &[Migration],
        from: u64,
        bytes: &[u8],
    ) -> Option<Result<Vec<u8>, ModuleFault>> {
        let m = table.iter().find(|m| m.from == from)?;
        Some(guard(|| (m.migrate)(bytes)))
    }
}

/// Declares a module's `PLAYGROUND_MODULE` static.
///
/// ```ignore
/// playground_kernel::export_module! {
///     core: playground_ecs_view::EcsCore,
///     create: || Box::new(MyModule::default()),
///     migrations: [],
/// }
/// ```
///
/// `state_version: <u64>,` may follow `create` when the module's state format is its own
/// rather than the core's. `create` returns `Box<Core::Instance>`; a panic in it, or in the instance's
/// `save_state` / `restore_state`, is caught inside the module.
#[macro_export]
macro_rules! export_module {
    (
        core: $core:ty,
        create: $create:expr,
        $(state_version: $state:expr,)?
        migrations: [$($migration:expr),* $(,)?] $(,)?
    ) => {
        #[doc(hidden)]
        fn __playground_create() -> ::std::result::Result<
                ::std::boxed::Box<<$core as $crate::module::Core>::Instance>,
                $crate::module::ModuleFault,
            > {
                $crate::module::guard(|| Ok(($create)()))
            }
            #[doc(hidden)]
            fn __playground_migrate(
                from: u64,
                bytes: &[u8],
            ) -> ::std::option::Option<
                ::std::result::Result<::std::vec::Vec<u8>, $crate::module::ModuleFault>,
            > {
                const TABLE: &[$crate::module::Migration] = &[$($migration),*];
                $crate::module::entry::migrate(TABLE, from, bytes)
            }
            // SAFETY: `no_mangle` exports this one static under the name the loader looks
            // up; no other item in a module library may use that name, and the static is
            // immutable, so reading it from the loading process is sound.
            /// This library's module descriptor, read by the loader.
            #[allow(unsafe_code)]
            #[unsafe(no_mangle)]
            pub static PLAYGROUND_MODULE: $crate::module::PlaygroundModule<$core> =
                $crate::module::PlaygroundModule {
                    header: $crate::module::ModuleHeader::new::<$core>(
                        env!("CARGO_PKG_NAME"),
                        env!("CARGO_PKG_VERSION"),
                    )
                    $(.with_state_version($state))?,
                    entry: $crate::module::ModuleEntry {
                        create: __playground_create,
                        save: $crate::module::entry::save::<$core>,
                        restore: $crate::module::entry::restore::<$core>,
                        migrate: __playground_migrate,
                    },
                };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::id::ViewId;

    struct Counter(u32);
    impl ViewModelTrait for Counter {
        fn view_id(&self) -> ViewId {
            ViewId::from_name("test.Counter")
        }
        fn api_version(&self) -> u64 {
            7
        }
        fn save_state(&self) -> Result<Vec<u8>, StateError> {
            Ok(self.0.to_le_bytes().to_vec())
        }
        fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
            let arr: [u8; 4] = bytes.try_into().map_err(|_| StateError::Truncated {
                needed: 4,
                available: bytes.len(),
            })?;
            if arr == [0xff; 4] {
                panic!("restore exploded");
            }
            self.0 = u32::from_le_bytes(arr);
            Ok(())
        }
    }

    struct CounterCore;
    impl Core for CounterCore {
        const NAME: &'static str = "test.counter";
        const API_VERSION: u64 = 7;
        const STATE_FORMAT_VERSION: u64 = 3;
        type Instance = dyn ViewModelTrait;
    }

    fn widen(bytes: &[u8]) -> Result<Vec<u8>, StateError> {
        let mut v = bytes.to_vec();
        v.resize(4, 0);
        Ok(v)
    }

    mod exported {
        use super::*;
        crate::export_module! {
            core: CounterCore,
            create: || Box::new(Counter(5)) as Box<dyn ViewModelTrait>,
            migrations: [Migration { from: 2, migrate: widen }],
        }
        pub fn module() -> &'static PlaygroundModule<CounterCore> {
            &PLAYGROUND_MODULE
        }
    }

    #[test]
    fn fixed_str_round_trips_and_truncates() {
        assert_eq!(FixedStr::<8>::new("abc").as_str(), "abc");
        assert_eq!(FixedStr::<4>::new("abcdef").as_str(), "abcd");
        // "é" is two bytes: cutting inside it keeps the valid prefix.
        assert_eq!(FixedStr::<2>::new("aé").as_str(), "a");
    }

    #[test]
    fn header_names_this_build() {
        let m = exported::module();
        assert_eq!(m.header.magic, MODULE_MAGIC);
        assert_eq!(m.header.core.as_str(), "test.counter");
        assert_eq!(m.header.rustc.as_str(), RUSTC_VERSION);
        assert_eq!(m.header.target.as_str(), TARGET);
        assert_eq!(m.header.name.as_str(), "playground-kernel");
        assert_eq!(m.header.api_version, 7);
        assert_eq!(m.header.state_version, 3);
        assert!(RUSTC_VERSION.contains('.'), "{RUSTC_VERSION}");
        assert!(!TARGET.is_empty());
    }

    #[test]
    fn entry_points_save_restore_and_catch_panics() {
        let entry = &exported::module().entry;
        let mut a = (entry.create)().unwrap();
        let saved = (entry.save)(&*a).unwrap();
        assert_eq!(saved, 5u32.to_le_bytes());
        (entry.restore)(&mut *a, &9u32.to_le_bytes()).unwrap();
        assert_eq!((entry.save)(&*a).unwrap(), 9u32.to_le_bytes());
        assert!(matches!(
            (entry.restore)(&mut *a, &[1]),
            Err(ModuleFault::State(StateError::Truncated {
                needed: 4,
                available: 1
            }))
        ));
        assert_eq!(
            (entry.restore)(&mut *a, &[0xff; 4]),
            Err(ModuleFault::Panic("restore exploded".into()))
        );
        // The failed restores left the state alone.
        assert_eq!((entry.save)(&*a).unwrap(), 9u32.to_le_bytes());
    }

    #[test]
    fn migrations_are_found_by_source_format() {
        let entry = &exported::module().entry;
        assert_eq!((entry.migrate)(2, &[1]), Some(Ok(vec![1, 0, 0, 0])));
        assert_eq!((entry.migrate)(99, &[1]), None);
    }
}
