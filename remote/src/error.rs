//! [`RemoteError`]: every way a remote request can fail, each with its JSON-RPC error code.
//!
//! Codes follow JSON-RPC 2.0 for the envelope (-32700..-32600) and, for what a method finds
//! wrong with the world, a block of their own in the way Bevy's Remote Protocol keeps its
//! `-23xxx` codes: a client can branch on the code and show the message.

use playground_ecs_view::EcsError;
use std::net::SocketAddr;
use thiserror::Error;

/// A failed remote request. The message names what was wrong; the world is unchanged.
#[derive(Debug, Error)]
pub enum RemoteError {
    /// The body is not JSON.
    #[error("the request is not valid JSON: {source}")]
    Parse {
        /// Where parsing stopped.
        #[source]
        source: serde_json::Error,
    },
    /// JSON, but not a JSON-RPC 2.0 request.
    #[error("not a JSON-RPC 2.0 request: {reason}")]
    InvalidRequest {
        /// What is missing or wrong.
        reason: &'static str,
    },
    /// The body is over the endpoint's limit.
    #[error("the request body is {got} bytes, over the limit of {limit}")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The body's size (or its declared size).
        got: usize,
    },
    /// No method of this name.
    #[error("unknown method {method:?} (rpc.discover lists them)")]
    UnknownMethod {
        /// The name asked for.
        method: String,
    },
    /// The params do not fit the method.
    #[error("invalid params for {method}: {reason}")]
    InvalidParams {
        /// The method called.
        method: &'static str,
        /// Which param is missing or of the wrong type.
        reason: String,
    },
    /// No component type of this name is registered in the world.
    #[error("unknown component {name:?}: not registered in this world")]
    UnknownComponent {
        /// The name asked for.
        name: String,
    },
    /// The component type has no JSON codec, so its values cannot cross as JSON.
    #[error("component {name} has no JSON codec registered with the endpoint")]
    NoJsonCodec {
        /// The component's name.
        name: &'static str,
    },
    /// The entity is not alive (never was, or despawned).
    #[error("entity {entity} is not alive")]
    StaleEntity {
        /// The entity's bits.
        entity: u64,
    },
    /// The entity lacks a component the request reads.
    #[error("entity {entity} has no {component}")]
    MissingComponent {
        /// The entity's bits.
        entity: u64,
        /// The component's name.
        component: &'static str,
    },
    /// A JSON value that is not a value of the component type.
    #[error("the value given for {component} does not decode: {source}")]
    BadValue {
        /// The component's name.
        component: &'static str,
        /// Why serde refused it.
        #[source]
        source: serde_json::Error,
    },
    /// A field path that does not lead to a field of the component's JSON form.
    #[error("path {path:?} does not lead into {component}: no field {step:?}")]
    BadPath {
        /// The component's name.
        component: &'static str,
        /// The whole path.
        path: String,
        /// The step that found nothing.
        step: String,
    },
    /// The world's bytes for a component do not decode as the type registered for its JSON
    /// codec: the host registered a codec of another type under that name.
    #[error("the stored {component} does not decode as its JSON codec's type: {source}")]
    CodecMismatch {
        /// The component's name.
        component: &'static str,
        /// Why postcard refused it.
        #[source]
        source: postcard::Error,
    },
    /// The world refused the change.
    #[error("the world refused: {0}")]
    Ecs(#[from] EcsError),
    /// The host has no schedule, registry or module of that kind to report.
    #[error("this host has no {what}")]
    Unsupported {
        /// What the host lacks.
        what: &'static str,
    },
    /// No loaded module of this name.
    #[error("no loaded module named {name:?} (module.list lists them)")]
    UnknownModule {
        /// The name asked for.
        name: String,
    },
    /// A reload was refused or failed; every module kept running as it was.
    #[error("reloading {module} failed, the running module kept: {reason}")]
    Reload {
        /// The module.
        module: String,
        /// The build's or loader's error, as it reported it.
        reason: String,
    },
    /// A reload of this module is already under way.
    #[error("a reload of {module} is already under way")]
    ReloadBusy {
        /// The module.
        module: String,
    },
    /// The request lacked the endpoint's token.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// The host stopped serving before it answered.
    #[error("the host stopped before answering")]
    HostGone,
    /// Binding the HTTP endpoint failed.
    #[error("cannot listen on {addr}: {reason}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS's or server's reason.
        reason: String,
    },
    /// Listening on a non-loopback address needs a token.
    #[error("{addr} is not a loopback address: serving it needs an explicit token")]
    TokenRequired {
        /// The address asked for.
        addr: SocketAddr,
    },
}

impl RemoteError {
    /// The JSON-RPC error code.
    pub fn code(&self) -> i64 {
        match self {
            Self::Parse { .. } => -32700,
            Self::InvalidRequest { .. } | Self::BodyTooLarge { .. } => -32600,
            Self::UnknownMethod { .. } => -32601,
            Self::InvalidParams { .. } => -32602,
            Self::HostGone | Self::Listen { .. } | Self::TokenRequired { .. } => -32603,
            Self::Unauthorized => -32001,
            Self::StaleEntity { .. } => -23401,
            Self::UnknownComponent { .. } => -23402,
            Self::NoJsonCodec { .. } => -23403,
            Self::MissingComponent { .. } => -23404,
            Self::BadValue { .. } => -23405,
            Self::BadPath { .. } => -23406,
            Self::CodecMismatch { .. } => -23407,
            Self::Ecs(_) => -23400,
            Self::Unsupported { .. } => -23410,
            Self::UnknownModule { .. } => -23411,
            Self::Reload { .. } => -23412,
            Self::ReloadBusy { .. } => -23413,
        }
    }

    /// The invalid-params error of `method`.
    pub(crate) fn params(method: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidParams {
            method,
            reason: reason.into(),
        }
    }
}
