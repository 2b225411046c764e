//! [`Endpoint`] and [`Client`]: requests travel from transports (HTTP, MCP) to the host,
//! which runs them at its quiescent point.
//!
//! A transport thread parses a request and hands it over a channel with a [`Reply`]; the
//! host drains the channel between frames ([`Endpoint::serve`]), so no request runs while a
//! system does, and answers each. A `module.reload` is answered later, when the host has
//! rebuilt and committed the module, frames running meanwhile.

use crate::error::RemoteError;
use crate::host::RemoteHost;
use crate::json_codecs::JsonCodecs;
use crate::methods::dispatch;
use crate::reply::{Answer, Reply};
use crate::rpc;
use playground_kernel::sync::mpsc;
use serde_json::Value;

/// The largest request body a transport accepts, by default.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// One request waiting for the host.
struct Pending {
    method: String,
    params: Value,
    reply: Reply,
}

/// The host's side: the queue of requests and what it needs to run them.
pub struct Endpoint {
    tx: mpsc::Sender<Pending>,
    rx: mpsc::Receiver<Pending>,
    codecs: JsonCodecs,
    body_limit: usize,
}

impl Endpoint {
    /// An endpoint showing the component types `codecs` covers as JSON.
    pub fn new(codecs: JsonCodecs) -> Self {
        let (tx, rx) = mpsc::channel();
        Self {
            tx,
            rx,
            codecs,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The same endpoint refusing bodies over `bytes`.
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// A handle transports send requests through.
    pub fn client(&self) -> Client {
        Client {
            tx: self.tx.clone(),
            body_limit: self.body_limit,
        }
    }

    /// Runs every request waiting, against `host`; returns how many. Call it at the host's
    /// quiescent point, between frames.
    pub fn serve(&self, host: &mut dyn RemoteHost) -> usize {
        let mut served = 0;
        while let Ok(p) = self.rx.try_recv() {
            dispatch(&p.method, p.params, host, &self.codecs, p.reply);
            served += 1;
        }
        served
    }

    /// Runs one request body against `host` at once, without a transport: the response, or
    /// `None` for a notification (or a `module.reload` the host answers later).
    pub fn handle_now(&self, host: &mut dyn RemoteHost, body: &[u8]) -> Option<Value> {
        let call = match rpc::parse(body, self.body_limit) {
            Ok(call) => call,
            Err((id, e)) => return Some(rpc::error_response(id, &e)),
        };
        let (reply, rx) = Reply::pair();
        dispatch(&call.method, call.params, host, &self.codecs, reply);
        let answer = rx.try_recv().ok()?;
        call.id.map(|id| rpc::response(id, answer))
    }
}

/// A transport's handle on the endpoint; cheap to clone, one per thread.
#[derive(Clone)]
pub struct Client {
    tx: mpsc::Sender<Pending>,
    body_limit: usize,
}

impl Client {
    /// The largest body this client accepts.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// Calls `method` and waits until the host has run it.
    pub fn call(&self, method: &str, params: Value) -> Answer {
        let (reply, rx) = Reply::pair();
        let pending = Pending {
            method: method.to_owned(),
            params,
            reply,
        };
        self.tx.send(pending).map_err(|_| RemoteError::HostGone)?;
        rx.recv().map_err(|_| RemoteError::HostGone)?
    }

    /// Handles one JSON-RPC request body: the response, or `None` for a notification.
    /// Malformed requests are answered here, without waiting for the host.
    pub fn handle(&self, body: &[u8]) -> Option<Value> {
        match rpc::parse(body, self.body_limit) {
            Err((id, e)) => Some(rpc::error_response(id, &e)),
            Ok(call) => {
                let answer = self.call(&call.method, call.params);
                call.id.map(|id| rpc::response(id, answer))
            }
        }
    }
}
