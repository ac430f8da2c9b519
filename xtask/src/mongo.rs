//! Provides a MongoDB-protocol server for the test suite.
//!
//! Order: `VELT_TEST_MONGODB_URI` if set; testcontainers (`mongo:8.0` as a
//! one-node replica set) when a Docker engine answers a ping within a few
//! seconds; otherwise `secantusdb` from PyPI (`pip install --pre secantusdb`)
//! in a venv under `target/xtask/venv` (reused when present), started as
//! `secantusd-py` on a free port with its data under `target/xtask/`, and
//! stopped when the returned [`MongoServer`] is dropped.
//!
//! The path of `secantusd-py` is also returned whenever the venv exists or
//! can be made, so the fault test (which stops and restarts its own server)
//! can run. Under CI (`CI=true`) failing to get a server is an error; locally
//! the returned server has an empty URI (the Mongo tests then skip, or fail
//! when `VELT_TEST_REQUIRE_SERVERS` is set).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mongodb::bson::doc;
use testcontainers::ImageExt;
use testcontainers::runners::AsyncRunner;
use testcontainers_modules::mongo::Mongo;

use crate::BoxError;

/// How long a Docker engine may take to answer a ping.
const DOCKER_PING_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the container may take to start.
const CONTAINER_START_TIMEOUT: Duration = Duration::from_secs(180);
/// How long `secantusd-py` may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server; stops it (if we started it) when dropped.
#[derive(Debug)]
pub struct MongoServer {
    /// Connection string (empty when no server could be had).
    pub uri: String,
    /// Which server and version, for the summary line.
    pub description: String,
    /// `secantusd-py` from the venv, for tests that start their own server.
    pub secantusd: Option<PathBuf>,
    /// What we started, stopped on drop.
    _guard: Option<Guard>,
}

/// Something we started.
#[allow(dead_code)] // held for its Drop only
enum Guard {
    /// A `secantusd-py` process and its data directory.
    Process(ProcessGuard),
    /// A testcontainers container (removed by testcontainers on drop).
    Container(Box<testcontainers::ContainerAsync<Mongo>>),
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Guard::Process(p) => write!(f, "Process(pid {})", p.child.id()),
            Guard::Container(c) => write!(f, "Container({})", c.id()),
        }
    }
}

/// Stops the child (SIGTERM, then SIGKILL) and removes its data on drop.
#[derive(Debug)]
struct ProcessGuard {
    child: Child,
    data_dir: PathBuf,
}

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        stop_child(&mut self.child);
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// SIGTERM (graceful), then SIGKILL after 10 s.
fn stop_child(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Finds or starts a server.
pub async fn provide() -> Result<MongoServer, BoxError> {
    if let Some(uri) = std::env::var("VELT_TEST_MONGODB_URI")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let description = match std::env::var("VELT_TEST_MONGODB_SERVER")
            .ok()
            .filter(|d| !d.is_empty())
        {
            Some(d) => d,
            None => match server_version(&uri).await {
                Ok(v) => format!("VELT_TEST_MONGODB_URI (MongoDB {v} wire)"),
                Err(e) => format!("VELT_TEST_MONGODB_URI (buildInfo failed: {e})"),
            },
        };
        return Ok(MongoServer {
            uri,
            description,
            secantusd: existing_secantusd(),
            _guard: None,
        });
    }
    let mut reasons = Vec::new();
    if docker_answers().await {
        match start_container().await {
            Ok(mut server) => {
                server.secantusd = optional_secantusd();
                return Ok(server);
            }
            Err(e) => reasons.push(format!("testcontainers: {e}")),
        }
    } else {
        reasons.push("testcontainers: no Docker engine answers".to_owned());
    }
    match start_secantus().await {
        Ok(server) => return Ok(server),
        Err(e) => reasons.push(format!("secantusdb: {e}")),
    }
    let why = reasons.join("; ");
    if crate::in_ci() {
        return Err(format!("no MongoDB for the suite: {why}").into());
    }
    eprintln!("xtask: warning: no MongoDB for the suite (Mongo tests will skip): {why}");
    Ok(MongoServer {
        uri: String::new(),
        description: format!("none ({why})"),
        secantusd: None,
        _guard: None,
    })
}

/// True when a Docker engine answers a ping in time.
async fn docker_answers() -> bool {
    let ping = async {
        match testcontainers::core::client::docker_client_instance().await {
            Ok(docker) => docker.ping().await.is_ok(),
            Err(_) => false,
        }
    };
    tokio::time::timeout(DOCKER_PING_TIMEOUT, ping)
        .await
        .unwrap_or(false)
}

async fn start_container() -> Result<MongoServer, BoxError> {
    eprintln!("xtask: starting mongo:8.0 (replica set) with testcontainers");
    let start = Mongo::repl_set().with_tag("8.0").start();
    let container = tokio::time::timeout(CONTAINER_START_TIMEOUT, start)
        .await
        .map_err(|_| "the mongo container did not start in time")??;
    let port = container.get_host_port_ipv4(27017).await?;
    let host = container.get_host().await?;
    let uri = format!("mongodb://{host}:{port}/?directConnection=true");
    let version = server_version(&uri).await?;
    Ok(MongoServer {
        uri,
        description: format!("MongoDB {version} (testcontainers mongo:8.0)"),
        secantusd: None,
        _guard: Some(Guard::Container(Box::new(container))),
    })
}

fn xtask_dir() -> PathBuf {
    crate::venv::xtask_dir()
}

fn venv_dir() -> PathBuf {
    xtask_dir().join("venv")
}

fn venv_bin(name: &str) -> PathBuf {
    venv_dir().join("bin").join(name)
}

fn existing_secantusd() -> Option<PathBuf> {
    let p = venv_bin("secantusd-py");
    p.exists().then_some(p)
}

/// The venv's `secantusd-py`, creating the venv if needed; `None` (with a
/// warning) when that fails.
fn optional_secantusd() -> Option<PathBuf> {
    match ensure_venv() {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("xtask: warning: no secantusd-py for the fault test: {e}");
            None
        }
    }
}

/// Creates `target/xtask/venv` with secantusdb unless present.
fn ensure_venv() -> Result<PathBuf, BoxError> {
    crate::venv::ensure(&venv_dir(), &["--pre", "secantusdb"], |bin| {
        bin.join("secantusd-py").exists()
    })
    .map(|bin| bin.join("secantusd-py"))
}

/// The installed secantusdb version (e.g. `0.7.0b3`).
fn secantus_version() -> String {
    Command::new(venv_bin("python"))
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('secantusdb'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown version".into())
}

fn free_port() -> Result<u16, BoxError> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

async fn start_secantus() -> Result<MongoServer, BoxError> {
    let bin = ensure_venv()?;
    let port = free_port()?;
    let data_dir = xtask_dir().join(format!("mongo-data-{port}"));
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir)?;
    let log = std::fs::File::create(xtask_dir().join("secantusd.log"))?;
    eprintln!("xtask: starting {} on 127.0.0.1:{port}", bin.display());
    let child = Command::new(&bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--storage-path",
        ])
        .arg(&data_dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?;
    let mut guard = ProcessGuard { child, data_dir };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(status)) = guard.child.try_wait() {
            return Err(
                format!("secantusd-py exited ({status}); see target/xtask/secantusd.log").into(),
            );
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "secantusd-py did not accept connections within {START_TIMEOUT:?}"
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let uri = format!("mongodb://127.0.0.1:{port}/");
    let version = server_version(&uri).await?;
    let description = format!("secantusdb {} (MongoDB {version} wire)", secantus_version());
    Ok(MongoServer {
        uri,
        description,
        secantusd: Some(bin),
        _guard: Some(Guard::Process(guard)),
    })
}

/// `buildInfo.version` of the server at `uri` (bounded wait).
async fn server_version(uri: &str) -> Result<String, BoxError> {
    let mut opts = mongodb::options::ClientOptions::parse(uri).await?;
    opts.server_selection_timeout = Some(Duration::from_secs(20));
    let client = mongodb::Client::with_options(opts)?;
    let info = client
        .database("admin")
        .run_command(doc! {"buildInfo": 1})
        .await?;
    let version = info.get_str("version").unwrap_or("unknown").to_owned();
    client.shutdown().await;
    Ok(version)
}
