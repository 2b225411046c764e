//! A minimal HTTP/1.1 client over `TcpStream`, for the remote endpoint's tests: one request,
//! `Connection: close`, the status and the body back.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// Sends `method /` with `headers` (each ending in `\r\n`) and `body`; returns the status and
/// the response body.
pub fn exchange(addr: SocketAddr, method: &str, headers: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("the endpoint accepts connections");
    write!(
        s,
        "{method} / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .expect("the request is written");
    s.write_all(body).expect("the body is written");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("the response is read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response has a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, raw[split + 4..].to_vec())
}
