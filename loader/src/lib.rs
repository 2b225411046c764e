//! # playground-loader
//!
//! Loads hot-reloadable modules into a host and replaces them while it runs.
//!
//! - [`manifest`] reads `[package.metadata.playground]`; [`resolve`](resolve::resolve) picks a
//!   system per core and orders the loads; [`check`] runs the same resolution from an app's
//!   `build.rs` so an app whose systems lack a feature fails to build.
//! - Loading ([`ModuleHost::load`]) copies the library to a unique path, opens it in the
//!   crate's one `unsafe` block, and checks its [`ModuleHeader`] (rustc, kernel, target,
//!   core, API version) before any of its code runs.
//! - [`ModuleHost::reload`] is a transaction: save the old state -> load and verify the new
//!   module -> migrate the state if its format changed -> restore -> rebind -> retire the old.
//!   Any failure leaves the old module bound with its state, and says why. Its slow half
//!   (copy, load, verify: [`ModuleHost::stage`]) can run while frames go on; only
//!   [`ModuleHost::commit`] needs the quiescent point.
//! - [`SourceWatcher`] and [`ModuleBuild`] turn an edit into a new library: watch the
//!   module's sources, run `cargo build -p <module> --message-format=json`, find the artifact.
//!
//! ```no_run
//! use playground_ecs_view::{EcsCore, EcsModule, EcsView};
//! use playground_kernel::sync::StdArc;
//! use playground_loader::{HostOptions, ModuleBuild, ModuleHost};
//! use playground_registry::BindingRegistry;
//!
//! let library = ModuleBuild::new("playground-ecs-viewmodel", ".").run()?;
//! let registry = StdArc::new(BindingRegistry::new());
//! let mut host = ModuleHost::<EcsCore>::load(
//!     &library,
//!     registry.clone(),
//!     HostOptions::default(),
//!     |module, binder| binder.publish::<dyn EcsView>(module.ecs()),
//! )?;
//! let mut ecs = registry.binding::<dyn EcsView>()?;
//! let view = ecs.get().expect("bound");
//! view.spawn_batch(host.instance_mut().world_mut(), 10_000);
//! // ... later, between frames, after a rebuild:
//! let report = host.reload(&library)?;
//! println!("reloaded {} carrying {} bytes", report.name, report.state_bytes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cargo_build;
pub mod check;
pub mod error;
pub mod host;
pub mod library;
pub mod manifest;
pub mod module_library;
pub mod resolve;
pub mod retired;
pub mod verify;
pub mod watch;

pub use cargo_build::{BuildError, ModuleBuild};
pub use error::{LoadError, ManifestError, ReloadError, ResolveError};
pub use host::{BindFn, Binder, HostOptions, ModuleHost, ReloadReport, Staged, StatePolicy};
pub use library::{LibraryOwner, UnloadPolicy};
pub use module_library::{CarriedState, ModuleLibrary};
pub use playground_kernel::module::ModuleHeader;
pub use retired::RetiredLibraries;
pub use watch::SourceWatcher;
