//! A TCP proxy in front of PostgreSQL that counts round trips and
//! statements on the wire (the frontend protocol, TLS off).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the proxy holds each server answer before forwarding it.
const HOLD: Duration = Duration::from_millis(50);

/// What a [`Proxy`] saw from the client side.
#[derive(Default)]
pub struct Wire {
    /// Client-to-server bursts that followed server data (or came first):
    /// each is one round trip the client started.
    round_trips: usize,
    /// Frontend `Query` ('Q') and `Execute` ('E') messages: statements run.
    statements: usize,
    server_spoke_last: bool,
}

/// A TCP proxy in front of PostgreSQL that counts round trips and
/// statements by reading the frontend protocol (TLS off).
pub struct Proxy {
    pub port: u16,
    wire: Arc<Mutex<Wire>>,
    pub connections: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let wire = Arc::new(Mutex::new(Wire::default()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (w, n) = (wire.clone(), connections.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                n.fetch_add(1, Ordering::SeqCst);
                let server = TcpStream::connect(upstream).unwrap();
                client.set_nodelay(true).unwrap();
                server.set_nodelay(true).unwrap();
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let w1 = w.clone();
                let w2 = w.clone();
                std::thread::spawn(move || pump_client(client, server, w1));
                std::thread::spawn(move || pump_server(s2, c2, w2));
            }
        });
        Proxy {
            port,
            wire,
            connections,
        }
    }

    pub fn take(&self) -> (usize, usize) {
        let mut w = self.wire.lock().unwrap();
        let out = (w.round_trips, w.statements);
        w.round_trips = 0;
        w.statements = 0;
        out
    }
}

fn pump_client(mut from: TcpStream, mut to: TcpStream, wire: Arc<Mutex<Wire>>) {
    let mut buf = vec![0u8; 1 << 16];
    let mut pending: Vec<u8> = Vec::new();
    let mut started = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        {
            let mut w = wire.lock().unwrap();
            if w.server_spoke_last || w.round_trips == 0 {
                w.round_trips += 1;
                w.server_spoke_last = false;
            }
            pending.extend_from_slice(&buf[..n]);
            // Parse whole messages: the first (startup) has no type byte.
            loop {
                let head = if started { 1 } else { 0 };
                if pending.len() < head + 4 {
                    break;
                }
                let len = u32::from_be_bytes(pending[head..head + 4].try_into().unwrap()) as usize;
                if pending.len() < head + len {
                    break;
                }
                if started && (pending[0] == b'Q' || pending[0] == b'E') {
                    w.statements += 1;
                }
                pending.drain(..head + len);
                started = true;
            }
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
}

fn pump_server(mut from: TcpStream, mut to: TcpStream, wire: Arc<Mutex<Wire>>) {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // Hold the answer briefly before the client can see it: whatever the
        // client sends meanwhile was sent without waiting for this answer
        // (a pipelined request split over several writes), so it belongs to
        // the same round trip. Only bytes that arrive after the answer was
        // forwarded can be a reaction to it, and those start a new round trip.
        std::thread::sleep(HOLD);
        wire.lock().unwrap().server_spoke_last = true;
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
}
