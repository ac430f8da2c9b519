//! `velt-server`: serves Velt's self-hosting data-provider endpoints.
//!
//! With no configuration it listens on 127.0.0.1:8080, keeps data in an
//! embedded SQLite file under `./velt-data/` and attachment files in
//! `./velt-data/attachments/`. Run `velt-server --help` for every setting.

mod backend;
mod config;
mod datatools;
mod maintenance;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use velt_selfhost::SelfHosting;
use velt_selfhost::attachments::AttachmentStorage;
use velt_selfhost::store::Store;
use velt_server::{AuthConfig, Secret, ServerOptions};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AFTER_HELP: &str = "\
Environment variables (each flag above can also be set through the variable in brackets, and
every flag and variable in the --config file: docs/configuration.md):
  VELT_SERVER_TOKENS        comma-separated static bearer tokens accepted on every provider route;
                            `token:org-a|org-b` limits one to these organizations, `token:*` or a
                            bare `token` allows any (secret: no flag)
  VELT_JWT_SECRET           HMAC secret for JWT bearer tokens, with VELT_JWT_ALGORITHMS=HS256
                            (secret: no flag)
  VELT_ADMIN_TOKENS         tokens of POST /v1/admin/permissions/{grant,revoke,list}, same syntax as
                            VELT_SERVER_TOKENS (secret: no flag)
  VELT_AUTH_TOKEN           Velt auth token; with VELT_API_KEY enables POST /v1/auth/token
                            (VELT_API_BASE_URL overrides the API's URL) (secret: no flag)
  VELT_API_KEY              Velt API key; reads of comments, reactions and recordings are
                            scoped to records saved with it (secret: no flag)
  VELT_MONGODB_URI          MongoDB connection string: store data in MongoDB instead of SQLite
                            (binary built with the `mongodb` feature)
  VELT_POSTGRES_URL         PostgreSQL URL: store data in PostgreSQL (velt-py 0.3.0's tables)
                            instead of SQLite (binary built with the `postgres` feature)
  AWS_S3_BUCKET_NAME        store uploaded attachments in this S3 bucket instead of the local
                            directory (binary built with the `s3` feature); also read:
                            AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
                            AWS_REGION (default us-east-1), AWS_S3_ENDPOINT_URL
  RUST_LOG                  log filter (default: info), e.g. RUST_LOG=velt_server=debug

Authentication: every provider route needs `Authorization: Bearer <token>`. When neither
VELT_SERVER_TOKENS nor a JWT key is set (and --insecure-no-auth is not given), a random token is
generated once and stored in <data-dir>/server-token (mode 0600); the log names the file, never
the token. With VELT_POSTGRES_URL or VELT_MONGODB_URI (a database shared by many nodes) no token is
generated: the server refuses to start until VELT_SERVER_TOKENS or a JWT key is set.

Routes: POST /v1/<provider>/<operation> for comments/{get,save,delete},
reactions/{get,save,delete}, users/{get,save}, attachments/{get,save,delete},
recorders/{get,save,delete}, notifications/{get,save,delete}, activities/{get,save};
GET /v1/attachments/files/<key>; POST /v1/auth/token; POST /v1/permissions/resolve;
POST /v1/admin/permissions/{grant,revoke,list}, /v1/admin/permissions/members/{add,remove,list};
GET /healthz; GET /readyz.";

/// Serves Velt's self-hosting data-provider endpoints (comments, reactions,
/// users, attachments, recordings, notifications, activities) over HTTP.
#[derive(Debug, Parser)]
#[command(name = "velt-server", version, about, after_long_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// TOML file of settings: every flag and variable, by the flag's name or
    /// the variable's lowercased without VELT_ (docs/configuration.md).
    /// Flags and the environment override it.
    #[arg(long, env = "VELT_CONFIG", global = true)]
    config: Option<PathBuf>,

    #[command(flatten)]
    postgres: backend::PostgresArgs,

    /// Address and port to listen on (port 0 picks a free port).
    #[arg(long, env = "VELT_SERVER_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,

    /// Directory for the embedded database, attachment files and the generated token.
    #[arg(long, env = "VELT_DATA_DIR", default_value = "velt-data")]
    data_dir: PathBuf,

    /// SQLite database file [default: <data-dir>/velt.db].
    #[arg(long, env = "VELT_SQLITE_PATH")]
    sqlite_path: Option<PathBuf>,

    /// SQLite commit durability: `full` fsyncs every commit (survives power loss);
    /// `normal` survives a process crash or SIGKILL but may lose the last commits on power loss.
    #[arg(long, env = "VELT_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SyncMode::Full)]
    sqlite_synchronous: SyncMode,

    /// Directory for uploaded attachment files [default: <data-dir>/attachments].
    #[arg(long, env = "VELT_ATTACHMENTS_DIR")]
    attachments_dir: Option<PathBuf>,

    /// Public base URL of this server, used to build the URLs of uploaded files
    /// [default: http://<bind>].
    #[arg(long, env = "VELT_PUBLIC_URL")]
    public_url: Option<String>,

    /// Frontend origins allowed by CORS, comma-separated (e.g. https://app.example.com).
    /// Without it no CORS headers are sent, so browsers on other origins are refused.
    #[arg(long, env = "VELT_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,

    /// Send `Access-Control-Allow-Credentials: true` (for a frontend resolver
    /// configured with `credentials: 'include'`); needs explicit origins, not `*`.
    #[arg(long, env = "VELT_CORS_ALLOW_CREDENTIALS")]
    cors_allow_credentials: bool,

    /// Maximum size of a JSON request body, in bytes.
    #[arg(long, env = "VELT_BODY_LIMIT", default_value_t = 2 * 1024 * 1024)]
    body_limit: usize,

    /// Maximum size of an attachment upload, in bytes.
    #[arg(long, env = "VELT_UPLOAD_LIMIT", default_value_t = 25 * 1024 * 1024)]
    upload_limit: usize,

    /// Maximum number of elements of any array (or keys of any object) in a request.
    #[arg(long, env = "VELT_MAX_ARRAY_LEN", default_value_t = 10_000)]
    max_array_len: usize,

    /// Seconds after which a request is answered with 503 TIMEOUT.
    #[arg(long, env = "VELT_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    request_timeout_secs: u64,

    /// Provider requests processed at once; more wait their turn
    /// [default: 2 per CPU core, at least 4].
    #[arg(long, env = "VELT_MAX_CONCURRENT_REQUESTS")]
    max_concurrent_requests: Option<usize>,

    /// Threads for blocking work (embedded-store reads, file I/O); more
    /// such tasks wait their turn [default: 2 per CPU core, at least 4].
    /// Few threads keep memory low: each keeps its own allocator pages.
    #[arg(long, env = "VELT_BLOCKING_THREADS")]
    blocking_threads: Option<usize>,

    #[command(flatten)]
    access: velt_server::access::AccessArgs,

    /// MongoDB database name (with VELT_MONGODB_URI; default: the database in the URI's path).
    #[arg(long, env = "VELT_MONGODB_DATABASE")]
    mongodb_database: Option<String>,

    /// Serve without any authentication. Development only: anyone who can reach
    /// the port can read and write every organization's data.
    #[arg(long)]
    insecure_no_auth: bool,

    /// Log format.
    #[arg(long, env = "VELT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(flatten)]
    webhooks: velt_server::webhooks::Args,

    #[command(flatten)]
    ops: velt_server::ops::Args,
}

/// Subcommands (without one, the server runs).
#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Backend(backend::Command),
    /// Inspect the effective configuration.
    #[command(subcommand)]
    Config(config::Action),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SyncMode {
    Full,
    Normal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> ExitCode {
    let (cli, settings) = match config::parse::<Cli>() {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("velt-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(Command::Backend(backend::Command::Data(command))) = &cli.command {
        init_tracing(cli.log_format, &settings);
        return datatools::run(command, &cli, &settings).unwrap_or_else(|e| {
            eprintln!("velt-server: {e}");
            ExitCode::FAILURE
        });
    }
    if let Some(command) = &cli.command {
        let done = match command {
            Command::Backend(backend::Command::Maintenance(m)) => {
                maintenance::run(&cli, &settings, m)
            }
            Command::Backend(command) => backend::run_command(command, &cli.postgres),
            Command::Config(action) => config_command(*action, &cli, &settings),
        };
        return match done {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("velt-server: {e}");
                ExitCode::FAILURE
            }
        };
    }
    init_tracing(cli.log_format, &settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads(cli.blocking_threads))
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("velt-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("velt-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Blocking threads of the runtime: `configured`, else 2 per CPU core
/// (at least 4), as many as provider requests run at once by default. Far
/// fewer than tokio's default (512): under load tokio would start a thread
/// per concurrent blocking call, and each thread keeps its own allocator
/// pages (measured: peak RSS of the 1,000-annotation read 75 MB with 512,
/// 40 MB with 4, see docs/server.md).
fn blocking_threads(configured: Option<usize>) -> usize {
    configured
        .unwrap_or_else(velt_server::default_concurrency)
        .max(1)
}

/// `velt-server config show|check|keys`.
fn config_command(
    action: config::Action,
    cli: &Cli,
    settings: &config::Settings,
) -> Result<(), BoxError> {
    match action {
        config::Action::Show => print!("{}", config::show(settings)),
        config::Action::Keys => print!("{}", config::keys_table(settings)),
        config::Action::Check => {
            check(cli, settings)?;
            match settings.file() {
                Some(f) => println!(
                    "{}: OK ({} settings; flags and environment applied)",
                    f.path().display(),
                    f.len()
                ),
                None => println!("OK (no configuration file; flags and environment applied)"),
            }
        }
    }
    Ok(())
}

/// Every check that needs no network nor database: authentication, access,
/// webhook and S3 settings, the shared-database rules.
fn check(cli: &Cli, settings: &config::Settings) -> Result<(), BoxError> {
    let env = |n: &str| settings.var(n);
    let auth = cli.access.auth_config(cli.insecure_no_auth, env)?;
    if !auth.is_usable()
        && let Some(db) = shared_database(cli, settings)
    {
        return Err(format!("{db} is set but no authentication is configured").into());
    }
    cli.access.access_options(env)?;
    cli.webhooks.config_with(env)?;
    one_database(cli, settings)?;
    Ok(())
}

fn init_tracing(format: LogFormat, settings: &config::Settings) {
    let filter = settings
        .var("RUST_LOG")
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli, settings: config::Settings) -> Result<(), BoxError> {
    let auth = auth_config(&cli, &settings)?;
    let metrics = cli.ops.metrics();
    let store = open_store(&cli, &settings, metrics.as_ref()).await?;
    let listener = tokio::net::TcpListener::bind(cli.bind).await?;
    let local = listener.local_addr()?;
    let public_url = cli
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let files = open_files(&cli, &settings, &public_url)?;
    // Closed once the server has drained, before the runtime stops.
    let closing = Arc::clone(&store);
    let self_hosting = SelfHosting::builder()
        .store(store)
        .attachment_storage(files)
        .api_key(settings.var("VELT_API_KEY"))
        .build();
    let options = ServerOptions::new(auth)
        .cors_origins(cli.cors_origins.clone())
        .cors_allow_credentials(cli.cors_allow_credentials)
        .body_limit(cli.body_limit)
        .upload_limit(cli.upload_limit)
        .request_timeout(Duration::from_secs(cli.request_timeout_secs.max(1)))
        .max_array_len(cli.max_array_len)
        .access(cli.access.access_options(|n| settings.var(n))?);
    let options = match cli.max_concurrent_requests {
        Some(n) => options.max_concurrent_requests(n),
        None => options,
    };
    let options = match cli.webhooks.config_with(|n| settings.var(n))? {
        Some(w) => options.webhooks(w),
        None => options,
    };
    let mut options = options.rate_limit(cli.ops.rate_limit_options()?);
    let mut metrics_listener = None;
    if let (Some(addr), Some(m)) = (cli.ops.metrics_bind, &metrics) {
        metrics_listener = Some((tokio::net::TcpListener::bind(addr).await?, m.router()));
        options = options.metrics(m.clone());
    }
    let app = velt_server::router(self_hosting, options)?;
    tracing::info!(address = %local, "velt-server listening");
    // A machine-readable line for scripts and tests that bind port 0.
    println!("velt-server listening on http://{local}");
    if let Some((l, router)) = metrics_listener {
        let addr = l.local_addr()?;
        tracing::info!(address = %addr, "metrics listening (GET /metrics)");
        // Ignoring a closed stdout: a reader may stop after the first line.
        let _ = writeln!(std::io::stdout(), "velt-server metrics on http://{addr}");
        // Ends with the process; a scrape holds no state worth draining.
        tokio::spawn(async move {
            if let Err(e) = axum::serve(l, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    closing.close().await;
    tracing::info!("velt-server stopped");
    Ok(())
}

fn auth_config(cli: &Cli, settings: &config::Settings) -> Result<AuthConfig, BoxError> {
    let mut auth = cli
        .access
        .auth_config(cli.insecure_no_auth, |n| settings.var(n))?;
    if !auth.is_usable() {
        // A generated token lives in one node's data directory: on a database
        // shared by several nodes each would generate its own, and a client
        // would be refused by every node but one.
        if let Some(db) = shared_database(cli, settings) {
            return Err(format!(
                "{db} is set (a database shared by every node) but no authentication is \
                 configured: set VELT_SERVER_TOKENS or a JWT key (VELT_JWT_SECRET or \
                 --jwt-public-key-file), the same on every node (no token file is generated \
                 for a shared database)"
            )
            .into());
        }
        let path = cli.data_dir.join("server-token");
        let token = generated_token(&path)?;
        tracing::warn!(
            file = %path.display(),
            "no VELT_SERVER_TOKENS or JWT key configured: accepting the generated bearer token stored in this file"
        );
        auth = auth.with_tokens([token]);
    }
    Ok(auth)
}

/// Refuses PostgreSQL and MongoDB configured together; returns the MongoDB
/// URI when it is the one set.
fn one_database(cli: &Cli, settings: &config::Settings) -> Result<Option<String>, BoxError> {
    let mongodb_uri = settings.var("VELT_MONGODB_URI");
    if cli.postgres.configured() && mongodb_uri.is_some() {
        return Err("set either VELT_POSTGRES_URL or VELT_MONGODB_URI, not both".into());
    }
    Ok(mongodb_uri)
}

/// The variable naming the shared database (PostgreSQL or MongoDB) the
/// server is configured with, if any.
fn shared_database(cli: &Cli, settings: &config::Settings) -> Option<&'static str> {
    if cli.postgres.configured() {
        Some("VELT_POSTGRES_URL")
    } else if settings.var("VELT_MONGODB_URI").is_some() {
        Some("VELT_MONGODB_URI")
    } else {
        None
    }
}

/// Reads the generated token at `path`, creating it (mode 0600) on first use.
fn generated_token(path: &Path) -> Result<Secret, BoxError> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let t = existing.trim();
        if !t.is_empty() {
            return Ok(Secret::new(t));
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut f, format!("{token}\n").as_bytes())?;
    f.sync_all()?;
    Ok(Secret::new(token))
}

/// The store, timed by `metrics` when they are kept.
async fn open_store(
    cli: &Cli,
    settings: &config::Settings,
    metrics: Option<&velt_server::ops::Metrics>,
) -> Result<Arc<dyn Store>, BoxError> {
    let store = open_backend(cli, settings, metrics).await?;
    let Some(m) = metrics else {
        return Ok(store);
    };
    let backend = match shared_database(cli, settings) {
        Some("VELT_POSTGRES_URL") => "postgres",
        Some(_) => "mongodb",
        None => "sqlite",
    };
    let timed = velt_server::ops::InstrumentedStore::new(store, backend, m.clone());
    Ok(Arc::new(timed))
}

async fn open_backend(
    cli: &Cli,
    settings: &config::Settings,
    metrics: Option<&velt_server::ops::Metrics>,
) -> Result<Arc<dyn Store>, BoxError> {
    let mongodb_uri = one_database(cli, settings)?;
    if let Some(store) = backend::open_postgres(&cli.postgres, metrics).await? {
        return Ok(store);
    }
    #[cfg(feature = "mongodb")]
    if let Some(uri) = mongodb_uri {
        return open_mongo(&uri, cli.mongodb_database.as_deref()).await;
    }
    #[cfg(not(feature = "mongodb"))]
    if mongodb_uri.is_some() {
        return Err(
            "VELT_MONGODB_URI is set but this binary was built without the `mongodb` feature \
             (cargo run -p velt-server --features mongodb)"
                .into(),
        );
    }
    let _ = &cli.mongodb_database;
    open_sqlite(cli).await
}

#[cfg(feature = "mongodb")]
async fn open_mongo(uri: &str, database: Option<&str>) -> Result<Arc<dyn Store>, BoxError> {
    use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore, redact_uri};
    let mut config = MongoConfig::from_uri(uri);
    if let Some(db) = database.filter(|d| !d.is_empty()) {
        config = config.database(db);
    }
    let store = MongoStore::connect(&config).await?;
    tracing::info!(uri = %redact_uri(uri), "using MongoDB");
    Ok(Arc::new(store))
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(cli: &Cli) -> Result<Arc<dyn Store>, BoxError> {
    use velt_selfhost::backends::sqlite::{SqliteConfig, SqliteStore, Synchronous};
    let path = sqlite_path(cli);
    let sync = match cli.sqlite_synchronous {
        SyncMode::Full => Synchronous::Full,
        SyncMode::Normal => Synchronous::Normal,
    };
    let config = SqliteConfig::new(path.clone()).synchronous(sync);
    let store = tokio::task::spawn_blocking(move || SqliteStore::open_with(config)).await??;
    tracing::info!(path = %path.display(), "using the embedded SQLite store");
    Ok(Arc::new(store))
}

/// The embedded database file: `--sqlite-path`, else `<data-dir>/velt.db`.
fn sqlite_path(cli: &Cli) -> PathBuf {
    cli.sqlite_path
        .clone()
        .unwrap_or_else(|| cli.data_dir.join("velt.db"))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_cli: &Cli) -> Result<Arc<dyn Store>, BoxError> {
    Err("no store configured: build with the `sqlite` feature or set VELT_MONGODB_URI".into())
}

fn open_files(
    cli: &Cli,
    settings: &config::Settings,
    public_url: &str,
) -> Result<Arc<dyn AttachmentStorage>, BoxError> {
    #[cfg(feature = "s3")]
    if let Some(config) =
        velt_selfhost::attachments::s3::S3Config::from_env_with(|n| settings.var(n))
    {
        let config = config.with_max_file_size(cli.upload_limit as u64);
        let storage = velt_selfhost::attachments::s3::S3Storage::new(config)?;
        tracing::info!("storing attachment files in S3");
        return Ok(Arc::new(storage));
    }
    let dir = cli
        .attachments_dir
        .clone()
        .unwrap_or_else(|| cli.data_dir.join("attachments"));
    let base = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        velt_server::FILES_ROUTE
    );
    tracing::info!(dir = %dir.display(), "storing attachment files in a local directory");
    if let Some(db) = shared_database(cli, settings) {
        // Not refused: one node on a managed database is a valid topology, and
        // the directory may be a filesystem mounted on every node.
        tracing::warn!(
            dir = %dir.display(),
            database = db,
            "attachment files are stored in a local directory while the database is shared: \
             other nodes cannot serve them unless this directory is shared by every node; \
             set AWS_S3_BUCKET_NAME to store them in S3"
        );
    }
    Ok(Arc::new(
        velt_selfhost::attachments::local::LocalDirStorage::new(dir)
            .public_base_url(base)
            .max_bytes(cli.upload_limit as u64),
    ))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received: finishing in-flight requests");
}
