//! Shared helpers: client factories and raw TCP servers.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use httpmock::MockServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use velt_rest::{ClientBuilder, RetryPolicy, VeltClient};

pub const API_KEY: &str = "key-SECRET-123";
pub const AUTH_TOKEN: &str = "tok-SECRET-456";
pub const WORKSPACE_ID: &str = "ws-789";
pub const WORKSPACE_AUTH_TOKEN: &str = "wsauth-SECRET-000";

/// A builder with every credential set and retries off, pointed at `server`.
pub fn builder(server: &MockServer) -> ClientBuilder {
    VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .workspace_id(WORKSPACE_ID)
        .workspace_auth_token(WORKSPACE_AUTH_TOKEN)
        .base_url(server.base_url())
        .retry(RetryPolicy::disabled())
}

pub fn client(server: &MockServer) -> VeltClient {
    builder(server).build().unwrap()
}

/// A success envelope.
pub fn ok_body(message: &str) -> serde_json::Value {
    serde_json::json!({"result": {"status": "success", "message": message, "data": {}}})
}

/// A local address nothing listens on.
pub async fn refused_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr
}

/// A server that accepts connections and never answers.
pub async fn silent_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = l.accept().await {
            held.push(sock);
        }
    });
    addr
}

/// One request as a raw server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub head: String,
    pub body: Vec<u8>,
}

/// A keep-alive HTTP/1.1 server answering with scripted raw responses, in
/// order (then 500), recording requests and counting connections.
pub struct Scripted {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub connections: Arc<AtomicUsize>,
}

impl Scripted {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A raw HTTP response.
pub fn http(status: u16, extra_headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in extra_headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

pub async fn scripted(responses: Vec<String>) -> Scripted {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let queue = Arc::new(Mutex::new(std::collections::VecDeque::from(responses)));
    let (s2, c2) = (seen.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((sock, _)) = l.accept().await {
            c2.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(sock, s2.clone(), queue.clone()));
        }
    });
    Scripted {
        addr,
        seen,
        connections,
    }
}

async fn serve(
    mut sock: TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    queue: Arc<Mutex<std::collections::VecDeque<String>>>,
) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let len = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + len].to_vec();
        buf.drain(..head_end + len);
        seen.lock().unwrap().push(Seen {
            at: Instant::now(),
            head,
            body,
        });
        let resp =
            queue.lock().unwrap().pop_front().unwrap_or_else(|| {
                http(500, &[], "{\"error\":{\"message\":\"script exhausted\"}}")
            });
        if sock.write_all(resp.as_bytes()).await.is_err() {
            return;
        }
    }
}
