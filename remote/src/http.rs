//! [`HttpServer`]: JSON-RPC 2.0 over HTTP (`POST /`), on a loopback address unless the host
//! asks otherwise and sets a token.

use crate::endpoint::Client;
use crate::error::RemoteError;
use crate::rpc;
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Arc, Ordering, thread};
use std::io::Read;
use std::net::SocketAddr;
use tiny_http::{Header, Method, Request, Response, Server};

/// Where and how an [`HttpServer`] listens.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The address; port 0 picks a free one ([`HttpServer::local_addr`] tells which).
    pub addr: SocketAddr,
    /// A bearer token every request must carry (`Authorization: Bearer <token>`); required
    /// for a non-loopback address.
    pub token: Option<String>,
    /// Threads taking requests: one waits on a long `module.reload` while others answer.
    pub workers: usize,
}

impl HttpOptions {
    /// Loopback at `addr`, no token, four workers.
    pub fn loopback(addr: SocketAddr) -> Self {
        Self {
            addr,
            token: None,
            workers: 4,
        }
    }
}

/// A running HTTP endpoint; dropping it stops its threads.
pub struct HttpServer {
    addr: SocketAddr,
    server: Arc<Server>,
    stop: Arc<AtomicBool>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl HttpServer {
    /// Listens on `options.addr`, forwarding requests to `client`'s endpoint. A
    /// non-loopback address without a token is refused.
    pub fn start(client: Client, options: HttpOptions) -> Result<Self, RemoteError> {
        if !options.addr.ip().is_loopback() && options.token.is_none() {
            return Err(RemoteError::TokenRequired { addr: options.addr });
        }
        let server = Server::http(options.addr).map_err(|e| RemoteError::Listen {
            addr: options.addr,
            reason: e.to_string(),
        })?;
        let addr = server
            .server_addr()
            .to_ip()
            .expect("a TCP listener has an IP address");
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let token = options.token.map(|t| format!("Bearer {t}"));
        let workers = (0..options.workers.max(1))
            .map(|_| {
                let (server, stop, client, token) =
                    (server.clone(), stop.clone(), client.clone(), token.clone());
                thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        if stop.load(Ordering::Acquire) {
                            break;
                        }
                        answer(&client, token.as_deref(), request);
                    }
                })
            })
            .collect();
        Ok(Self {
            addr,
            server,
            stop,
            workers,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn json_response(status: u16, body: &serde_json::Value) -> Response<std::io::Cursor<Vec<u8>>> {
    let content_type =
        Header::from_bytes("Content-Type", "application/json").expect("a valid header");
    // A length, never chunks: every client reads a `Content-Length` body, not all chunks.
    Response::from_data(body.to_string())
        .with_status_code(status)
        .with_header(content_type)
        .with_chunked_threshold(usize::MAX)
}

fn refuse(request: Request, status: u16, error: &RemoteError) {
    let _ = request.respond(json_response(
        status,
        &rpc::error_response(serde_json::Value::Null, error),
    ));
}

/// Reads one request, hands it to the endpoint and writes the answer. JSON-RPC errors travel
/// with status 200, as the protocol's errors are results of a delivered request; HTTP
/// statuses say what went wrong before JSON-RPC (wrong method, no token, too big).
fn answer(client: &Client, token: Option<&str>, mut request: Request) {
    if let Some(expected) = token {
        let given = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Authorization"))
            .map(|h| h.value.as_str());
        if given != Some(expected) {
            return refuse(request, 401, &RemoteError::Unauthorized);
        }
    }
    if *request.method() != Method::Post {
        let e = RemoteError::InvalidRequest {
            reason: "send requests with POST",
        };
        return refuse(request, 405, &e);
    }
    let limit = client.body_limit();
    if let Some(got) = request.body_length().filter(|&n| n > limit) {
        return refuse(request, 413, &RemoteError::BodyTooLarge { limit, got });
    }
    let mut body = Vec::new();
    // One byte past the limit tells a body without a declared length that is too big.
    let read = request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body);
    if read.is_err() {
        let e = RemoteError::InvalidRequest {
            reason: "the body could not be read",
        };
        return refuse(request, 400, &e);
    }
    if body.len() > limit {
        let got = body.len();
        return refuse(request, 413, &RemoteError::BodyTooLarge { limit, got });
    }
    let _ = match client.handle(&body) {
        Some(response) => request.respond(json_response(200, &response)),
        None => request.respond(Response::empty(204)),
    };
}
