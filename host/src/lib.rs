//! # playground-host
//!
//! What a host embeds to run an app made of hot modules:
//!
//! - [`ModuleSet`]: the app's ECS system module and plugins, loaded in the order the
//!   resolver gave, run as one schedule, and reloaded with their dependents as one
//!   transaction that leaves every module as it was if any step fails.
//! - [`ThreadPool`]: the host's worker threads, lent to module code as an
//!   [`Executor`](playground_kernel::Executor), so no thread runs, or waits in, the code of a
//!   library that is replaced or unmapped.

mod error;
mod module_set;
mod thread_pool;

pub use error::SetError;
pub use module_set::{ChainReport, ModuleSet, StagedSet};
pub use thread_pool::{ThreadPool, ThreadPoolError};
