//! Provides an S3-compatible server for the test suite.
//!
//! Order: `VELT_TEST_S3_ENDPOINT` (+ `VELT_TEST_S3_BUCKET`) if set; otherwise
//! the `moto` server from PyPI, installed into a venv under
//! `target/xtask/moto-venv` (reused when present), started on a free port on
//! 127.0.0.1, with the test bucket created by an unsigned `PUT /<bucket>`.
//! Under CI (`CI=true`) failing to get a server is an error; locally the
//! returned server has an empty endpoint (the S3 tests then skip, or fail when
//! `VELT_TEST_REQUIRE_SERVERS` is set).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::BoxError;

/// Bucket created in a moto server we start (unless `VELT_TEST_S3_BUCKET` says otherwise).
const DEFAULT_BUCKET: &str = "velt-test-attachments";
/// How long moto may take to answer HTTP after start.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server; stops it (if we started it) when dropped.
#[derive(Debug)]
pub struct S3Server {
    /// Endpoint URL, e.g. `http://127.0.0.1:5000` (empty when no server could be had).
    pub endpoint: String,
    /// A bucket that exists.
    pub bucket: String,
    /// Which server, for logs.
    pub description: String,
    /// The moto process we started, killed on drop.
    _guard: Option<ChildGuard>,
}

/// Kills (and reaps) the child process on drop.
#[derive(Debug)]
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Finds or starts a server.
pub async fn provide() -> Result<S3Server, BoxError> {
    let bucket = std::env::var("VELT_TEST_S3_BUCKET")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| DEFAULT_BUCKET.to_owned());
    if let Some(endpoint) = std::env::var("VELT_TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    {
        return Ok(S3Server {
            description: format!("external S3 endpoint {endpoint}"),
            endpoint,
            bucket,
            _guard: None,
        });
    }
    match start_moto(&bucket).await {
        Ok(server) => Ok(server),
        Err(e) if crate::in_ci() => Err(format!("cannot start a moto S3 server: {e}").into()),
        Err(e) => {
            eprintln!("xtask: warning: no S3 server for the suite (S3 tests will skip): {e}");
            Ok(S3Server {
                endpoint: String::new(),
                bucket,
                description: format!("none ({e})"),
                _guard: None,
            })
        }
    }
}

fn xtask_dir() -> PathBuf {
    crate::venv::xtask_dir()
}

/// Creates the venv and installs moto unless `moto_server` is already there.
fn ensure_moto(venv: &Path) -> Result<PathBuf, BoxError> {
    crate::venv::ensure(venv, &["moto[s3]", "flask", "flask-cors"], |bin| {
        bin.join("moto_server").exists()
    })
}

fn moto_version(bin: &Path) -> String {
    Command::new(bin.join("python"))
        .args(["-c", "import moto; print(moto.__version__)"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "(unknown version)".to_owned())
}

fn free_port() -> Result<u16, BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

async fn start_moto(bucket: &str) -> Result<S3Server, BoxError> {
    let venv = xtask_dir().join("moto-venv");
    let bin = tokio::task::spawn_blocking(move || ensure_moto(&venv)).await??;
    let version = moto_version(&bin);
    let port = free_port()?;
    let log_path = xtask_dir().join("moto.log");
    let log = std::fs::File::create(&log_path)?;
    let child = Command::new(bin.join("moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start moto_server: {e}"))?;
    let mut guard = ChildGuard(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));

    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = guard.0.try_wait() {
            return Err(format!(
                "moto_server exited ({status}) before answering; see {}",
                log_path.display()
            )
            .into());
        }
        if http_request(addr, "GET", "/").is_ok() {
            break;
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(format!(
                "moto_server did not answer HTTP within {}s; see {}",
                START_TIMEOUT.as_secs(),
                log_path.display()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // object_store cannot create buckets; moto accepts an unsigned PUT.
    let status = http_request(addr, "PUT", &format!("/{bucket}"))?;
    if status != 200 {
        return Err(format!("creating bucket {bucket} on moto answered HTTP {status}").into());
    }
    eprintln!(
        "xtask: moto {version} on http://{addr} (bucket {bucket}) ready after {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(S3Server {
        endpoint: format!("http://{addr}"),
        bucket: bucket.to_owned(),
        description: format!("moto {version}"),
        _guard: Some(guard),
    })
}

/// Sends a body-less HTTP/1.1 request and returns the response status code.
fn http_request(addr: SocketAddr, method: &str, path: &str) -> Result<u16, BoxError> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    parse_status(&response).ok_or_else(|| "not an HTTP response".into())
}

/// The status code of an HTTP/1.x response.
fn parse_status(response: &[u8]) -> Option<u16> {
    let line = response.split(|b| *b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{http_request, parse_status};

    #[test]
    fn parses_status_lines() {
        assert_eq!(
            parse_status(b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n"),
            Some(200)
        );
        assert_eq!(parse_status(b"HTTP/1.0 409 CONFLICT\r\n"), Some(409));
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(parse_status(b""), None);
    }

    /// Installs and starts moto, checks the bucket exists, and that dropping
    /// the server stops it: `cargo test -p xtask -- --ignored provides_moto`.
    #[tokio::test]
    #[ignore = "installs moto from PyPI and starts it"]
    async fn provides_moto_and_stops_it_on_drop() {
        if std::env::var("VELT_TEST_S3_ENDPOINT").is_ok_and(|e| !e.is_empty()) {
            eprintln!("SKIP: VELT_TEST_S3_ENDPOINT is set, moto would not be started");
            return;
        }
        let server = super::provide().await.unwrap();
        assert!(server.description.starts_with("moto "), "{server:?}");
        let addr: std::net::SocketAddr = server
            .endpoint
            .strip_prefix("http://")
            .unwrap()
            .parse()
            .unwrap();
        // The bucket exists: HEAD-like GET of the bucket answers 200, a missing one 404.
        assert_eq!(
            http_request(addr, "GET", &format!("/{}", server.bucket)).unwrap(),
            200
        );
        assert_eq!(
            http_request(addr, "GET", "/no-such-bucket-xyz").unwrap(),
            404
        );
        drop(server);
        assert!(
            http_request(addr, "GET", "/").is_err(),
            "moto still answers after drop"
        );
    }
}
