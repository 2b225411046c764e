//! # playground-remote
//!
//! Remote inspection and control of a running Playground host, for people (an editor, `curl`)
//! and assistants (MCP):
//!
//! - [`HttpServer`]: JSON-RPC 2.0 over HTTP on a loopback address, with methods named the way
//!   Bevy's Remote Protocol names them (`world.query`, `world.mutate_components`,
//!   `rpc.discover`, ...) plus the host's own (`schedule.list`, `registry.views`,
//!   `module.list`, `module.reload`, ...). [`METHODS`] lists them.
//! - [`McpServer`]: the same operations as MCP tools over stdio, on the official Rust SDK.
//!
//! Both hand requests to an [`Endpoint`] that the host serves at its quiescent point between
//! frames ([`Endpoint::serve`]), through the [`RemoteHost`] trait: requests never run while a
//! system does. Component values cross as JSON through [`JsonCodecs`] the host registers.
//!
//! The crate is embedded by hosts only; the kernel and the ECS crates never depend on it.

mod endpoint;
mod error;
mod field_path;
mod host;
mod http;
mod json_codecs;
mod mcp;
mod methods;
mod reply;
pub mod rpc;

pub use endpoint::{Client, DEFAULT_BODY_LIMIT, Endpoint};
pub use error::RemoteError;
pub use host::{ModuleReport, ReloadOutcome, ReloadReply, RemoteHost, ScheduleRef};
pub use http::{HttpOptions, HttpServer};
pub use json_codecs::JsonCodecs;
pub use mcp::McpServer;
pub use methods::{METHODS, Method, find as find_method};
