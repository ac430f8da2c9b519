//! Provides a PostgreSQL server for the test suite.
//!
//! Order: `VELT_TEST_POSTGRES_URL` if set; otherwise a throwaway cluster
//! from the server binaries the machine has (Debian's
//! `/usr/lib/postgresql/<v>/bin`, highest version), made with `initdb -A
//! trust` in `target/xtask/pg-<pid>/` and started on a free port with its
//! socket in that directory, stopped and removed when the returned
//! [`PostgresServer`] is dropped. `initdb` refuses to run as root, so as
//! root it runs as the `postgres` user (`runuser -u postgres --`). When no
//! binaries exist and `apt-get` does, Debian's `postgresql` package is
//! installed (said on stderr). Under CI (`CI=true`) failing to get a server
//! is an error; locally the returned server has an empty URL (the
//! PostgreSQL tests then skip, or fail when `VELT_TEST_REQUIRE_SERVERS` is
//! set).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::BoxError;

/// How long the cluster may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// The database the suite uses inside a throwaway cluster.
const TEST_DATABASE: &str = "velt_test";

/// A server for the suite; stops the cluster we started when dropped.
#[derive(Debug)]
pub struct PostgresServer {
    /// Connection URL (empty when no server could be had).
    pub url: String,
    /// Which server and version, for the summary line.
    pub description: String,
    /// The CA certificate of the cluster's TLS certificate (a cluster we
    /// started serves TLS too, for the TLS tests).
    pub ca_cert: Option<PathBuf>,
    _guard: Option<ClusterGuard>,
}

/// A cluster we started: `pg_ctl stop` and the directory removed on drop.
#[derive(Debug)]
struct ClusterGuard {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

impl Drop for ClusterGuard {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = pg_command(&self.bin, "pg_ctl", self.as_postgres)
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "fast", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Gets a server: the URL from the environment, or a throwaway cluster.
pub async fn provide() -> Result<PostgresServer, BoxError> {
    if let Ok(url) = std::env::var("VELT_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        let description = format!("PostgreSQL {}", server_version(&url).await?);
        return Ok(PostgresServer {
            url,
            description,
            ca_cert: std::env::var_os("VELT_TEST_POSTGRES_CA").map(PathBuf::from),
            _guard: None,
        });
    }
    match start_cluster().await {
        Ok(server) => Ok(server),
        Err(e) if crate::in_ci() => Err(format!("no PostgreSQL for the suite: {e}").into()),
        Err(e) => {
            eprintln!("xtask: no PostgreSQL for the suite ({e}); its tests will skip");
            Ok(PostgresServer {
                url: String::new(),
                description: "no server".into(),
                ca_cert: None,
                _guard: None,
            })
        }
    }
}

/// `SHOW server_version` of the server at `url`.
async fn server_version(url: &str) -> Result<String, BoxError> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let task = tokio::spawn(conn);
    let row = client.query_one("SHOW server_version", &[]).await?;
    let version: String = row.try_get(0)?;
    drop(client);
    let _ = task.await;
    Ok(version)
}

/// The `bin` directory of the highest installed PostgreSQL server.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|s| s.trim() == "0")
}

/// `bin/<tool>`, run as the `postgres` user when we are root.
fn pg_command(bin: &Path, tool: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn free_port() -> Result<u16, BoxError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn start_cluster() -> Result<PostgresServer, BoxError> {
    let bin = match find_bin() {
        Some(bin) => bin,
        None => {
            if Command::new("apt-get").arg("--version").output().is_err() {
                return Err(
                    "no PostgreSQL server binaries under /usr/lib/postgresql and no apt-get".into(),
                );
            }
            eprintln!(
                "xtask: no PostgreSQL server binaries under /usr/lib/postgresql: installing Debian's `postgresql` package (apt-get install -y postgresql)"
            );
            let status = Command::new("apt-get")
                .args(["install", "-y", "postgresql"])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()?;
            if !status.success() {
                let _ = Command::new("apt-get").arg("update").status();
                Command::new("apt-get")
                    .args(["install", "-y", "postgresql"])
                    .env("DEBIAN_FRONTEND", "noninteractive")
                    .status()?;
            }
            find_bin().ok_or("apt-get install postgresql left no server binaries")?
        }
    };
    let as_postgres = is_root();
    let dir = crate::root()
        .join("target")
        .join("xtask")
        .join(format!("pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let guard = ClusterGuard {
        bin: bin.clone(),
        dir: dir.clone(),
        as_postgres,
    };
    if as_postgres {
        let status = Command::new("chown").arg("postgres:").arg(&dir).status()?;
        if !status.success() {
            return Err(format!("chown postgres {} failed", dir.display()).into());
        }
    }
    let data = dir.join("data");
    let out = pg_command(&bin, "initdb", as_postgres)
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
        .output()?;
    if !out.status.success() {
        return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let ca_cert = make_certificates(&dir, as_postgres)?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off \
         -c ssl=on -c ssl_cert_file={d}/server.crt -c ssl_key_file={d}/server.key",
        d = dir.display()
    );
    let out = pg_command(&bin, "pg_ctl", as_postgres)
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "-t", "60", "start"])
        .output()?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        return Err(format!(
            "pg_ctl start failed: {}{log}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + START_TIMEOUT;
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            return Err("the PostgreSQL cluster did not accept connections".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let admin = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await?;
    let task = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {TEST_DATABASE}"))
        .await?;
    drop(client);
    let _ = task.await;
    let url = format!("postgres://postgres@127.0.0.1:{port}/{TEST_DATABASE}");
    let version = server_version(&url).await?;
    Ok(PostgresServer {
        url,
        description: format!(
            "PostgreSQL {version} (throwaway cluster from {})",
            bin.display()
        ),
        ca_cert: Some(ca_cert),
        _guard: Some(guard),
    })
}

/// A test CA and a server certificate for `localhost` / 127.0.0.1 signed by
/// it (openssl), in `dir`; returns the CA certificate's path.
fn make_certificates(dir: &Path, as_postgres: bool) -> Result<PathBuf, BoxError> {
    let openssl = |args: &[&str]| -> Result<(), BoxError> {
        let out = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {} failed: {}",
                args.first().unwrap_or(&""),
                String::from_utf8_lossy(&out.stderr)
            )
            .into())
        }
    };
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )?;
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=velt-test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ])?;
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ])?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "server.crt",
        "-extfile",
        "server.ext",
    ])?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )?;
    }
    if as_postgres {
        for f in ["server.key", "server.crt"] {
            let status = Command::new("chown")
                .arg("postgres:")
                .arg(dir.join(f))
                .status()?;
            if !status.success() {
                return Err(format!("chown postgres {f} failed").into());
            }
        }
    }
    Ok(dir.join("ca.crt"))
}

/// A Python with `velt-py[postgres]==0.3.0`, for the benchmark's velt-py
/// comparison: the venv `target/xtask/velt-py-venv` (made with `python3 -m
/// venv` and `pip install` when missing). `None` (said on stderr) when it
/// cannot be made.
pub fn velt_py_python() -> Option<PathBuf> {
    let venv = crate::root()
        .join("target")
        .join("xtask")
        .join("velt-py-venv");
    let python = venv.join("bin").join("python");
    let has_velt_py = |python: &Path| {
        Command::new(python)
            .args(["-c", "import velt_py, psycopg"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has_velt_py(&python) {
        return Some(python);
    }
    eprintln!(
        "xtask: installing velt-py[postgres]==0.3.0 into {}",
        venv.display()
    );
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin").join("pip"))
            .args(["install", "-q", "velt-py[postgres]==0.3.0"])
            .status()
            .is_ok_and(|s| s.success());
    if made && has_velt_py(&python) {
        Some(python)
    } else {
        eprintln!("xtask: velt-py 0.3.0 could not be installed: the bench runs without it");
        None
    }
}
