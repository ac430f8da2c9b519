//! The two servers under test, on the same database server: velt-server
//! (the release binary) and velt-py 0.3.0 behind uvicorn (one worker per
//! core), each in a namespace of its own (a PostgreSQL schema or a MongoDB
//! database), dropped at the end.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::BoxError;

/// How long a server may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The database both servers use.
#[derive(Debug, Clone)]
pub enum Backend {
    /// PostgreSQL at this URL; each server gets a schema.
    Postgres(String),
    /// MongoDB at this URI; each server gets a database.
    Mongo(String),
}

impl Backend {
    /// The scenario prefix, as `benches/server.rs` names its PostgreSQL ones.
    pub fn prefix(&self) -> &'static str {
        match self {
            Backend::Postgres(_) => "postgres_",
            Backend::Mongo(_) => "mongodb_",
        }
    }

    /// The connection URL (empty when xtask could not get a server).
    pub fn url(&self) -> &str {
        match self {
            Backend::Postgres(url) | Backend::Mongo(url) => url,
        }
    }

    /// Removes `namespace` (schema or database) and everything in it.
    pub async fn drop_namespace(&self, namespace: &str) -> Result<(), BoxError> {
        match self {
            Backend::Postgres(url) => {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
                let task = tokio::spawn(conn);
                client
                    .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{namespace}\" CASCADE"))
                    .await?;
                drop(client);
                let _ = task.await;
            }
            Backend::Mongo(uri) => {
                let client = mongodb::Client::with_uri_str(uri).await?;
                client.database(namespace).drop().await?;
                client.shutdown().await;
            }
        }
        Ok(())
    }
}

/// A server process we started; killed (its whole tree) on drop.
#[derive(Debug)]
pub struct Server {
    /// `velt-server` or `velt-py`.
    pub label: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    child: Child,
}

impl Server {
    /// The server's processes (the uvicorn supervisor and its workers).
    pub fn pids(&self) -> Vec<u32> {
        super::wrk::tree(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM to the process we started: uvicorn's supervisor then stops
        // its workers (a worker killed first would be restarted by it).
        // Whatever is left after 10 s is killed.
        let tree = self.pids();
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for p in tree.into_iter().skip(1) {
            if std::path::Path::new(&format!("/proc/{p}")).exists() {
                let _ = Command::new("kill").args(["-9", &p.to_string()]).status();
            }
        }
    }
}

/// Starts the release `velt-server` on `backend`, in `namespace`.
pub fn start_velt_server(
    binary: &Path,
    data_dir: &Path,
    backend: &Backend,
    namespace: &str,
    token: &str,
) -> Result<Server, BoxError> {
    let mut cmd = Command::new(binary);
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("VELT_SERVER_TOKENS", token)
        .env("RUST_LOG", "warn")
        // Every wrk connection comes from 127.0.0.1: the default per-address
        // limit (100 req/s) would answer most requests 429.
        .env("VELT_RATE_LIMIT_PER_IP", "0")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("VELT_API_KEY")
        .env_remove("AWS_S3_BUCKET_NAME");
    match backend {
        Backend::Postgres(url) => cmd
            .env("VELT_POSTGRES_URL", url)
            .env("VELT_POSTGRES_SCHEMA", namespace),
        Backend::Mongo(uri) => cmd
            .env("VELT_MONGODB_URI", uri)
            .env("VELT_MONGODB_DATABASE", namespace),
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("velt-server: no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let Some(base) = line.trim().strip_prefix("velt-server listening on ") else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("velt-server did not start: {line:?}").into());
    };
    Ok(Server {
        label: "velt-server",
        base: base.to_owned(),
        child,
    })
}

/// Starts `xtask/velt_py_server/app.py` under uvicorn (one worker per core,
/// uvloop, httptools, no access log) on `backend`, in `namespace`, and
/// waits until it answers.
pub async fn start_velt_py(
    python: &Path,
    backend: &Backend,
    namespace: &str,
    token: &str,
    workers: u32,
) -> Result<Server, BoxError> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let (kind, url) = match backend {
        Backend::Postgres(url) => ("postgresql", url),
        Backend::Mongo(uri) => ("mongodb", uri),
    };
    let app_dir: PathBuf = crate::root().join("xtask").join("velt_py_server");
    let child = Command::new(python)
        .args(["-m", "uvicorn", "app:app", "--app-dir"])
        .arg(&app_dir)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--workers", &workers.to_string()])
        .args(["--loop", "uvloop", "--http", "httptools"])
        .args(["--no-access-log", "--log-level", "warning"])
        .env("VELT_PY_BENCH_DB", kind)
        .env("VELT_PY_BENCH_URL", url)
        .env("VELT_PY_BENCH_NAMESPACE", namespace)
        .env("VELT_PY_BENCH_TOKEN", token)
        // No __pycache__ next to the app in the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start uvicorn ({}): {e}", python.display()))?;
    let mut server = Server {
        label: "velt-py",
        base: format!("http://127.0.0.1:{port}"),
        child,
    };
    // Every worker must be up: ask until the answer is the app's own 401
    // as many times in a row as there are workers, on fresh connections.
    let deadline = Instant::now() + START_TIMEOUT;
    let mut in_a_row = 0;
    while in_a_row < workers * 2 {
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(format!("uvicorn exited ({status})").into());
        }
        if Instant::now() > deadline {
            return Err(format!("velt-py did not answer within {START_TIMEOUT:?}").into());
        }
        let client = reqwest::Client::new();
        let answered = client
            .post(format!("{}/v1/comments/get", server.base))
            .bearer_auth("not-the-token")
            .json(&serde_json::json!({}))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .is_ok_and(|r| r.status() == 401);
        if answered {
            in_a_row += 1;
        } else {
            in_a_row = 0;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    Ok(server)
}
