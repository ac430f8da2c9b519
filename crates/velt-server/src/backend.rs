//! PostgreSQL settings of the binary (`VELT_POSTGRES_URL` and friends) and
//! the `schema-sql` subcommand.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use clap::{Args, Subcommand};
use velt_selfhost::store::Store;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A `postgres://` URL whose password never prints (`Debug`, logs).
#[derive(Clone)]
pub struct PgUrl(String);

impl FromStr for PgUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(PgUrl(s.to_owned()))
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

#[cfg(feature = "postgres")]
fn redact(url: &str) -> String {
    velt_selfhost::backends::postgres::redact_url(url)
}

#[cfg(not(feature = "postgres"))]
fn redact(_url: &str) -> String {
    "<redacted>".to_owned()
}

/// PostgreSQL store settings (used when `--postgres-url` / `VELT_POSTGRES_URL`
/// is set).
#[derive(Debug, Args)]
pub struct PostgresArgs {
    /// PostgreSQL URL (postgres://user:password@host:5432/db?sslmode=verify-full):
    /// store data in PostgreSQL, in velt-py 0.3.0's tables. Prefer the variable:
    /// a flag shows the password in process listings.
    #[arg(long, env = "VELT_POSTGRES_URL", hide_env_values = true)]
    pub postgres_url: Option<PgUrl>,

    /// PostgreSQL schema holding the tables.
    #[arg(long, env = "VELT_POSTGRES_SCHEMA", default_value = "public")]
    pub postgres_schema: String,

    /// Pooled PostgreSQL connections at most.
    #[arg(long, env = "VELT_POSTGRES_POOL_SIZE", default_value_t = 16)]
    pub postgres_pool_size: usize,

    /// Seconds to wait when opening a PostgreSQL connection (or for a free one).
    #[arg(long, env = "VELT_POSTGRES_CONNECT_TIMEOUT_SECS", default_value_t = 10)]
    pub postgres_connect_timeout_secs: u64,

    /// Server-side statement_timeout of every PostgreSQL connection, in milliseconds.
    #[arg(long, env = "VELT_POSTGRES_STATEMENT_TIMEOUT_MS")]
    pub postgres_statement_timeout_ms: Option<u64>,

    /// TLS: disable, prefer, require, verify-ca or verify-full (overrides the URL's
    /// sslmode). As in libpq, prefer and require encrypt without verifying the
    /// certificate unless a root certificate is given; verify-full also checks the name.
    #[arg(long, env = "VELT_POSTGRES_SSLMODE")]
    pub postgres_sslmode: Option<String>,

    /// PEM file of extra trusted root certificates for PostgreSQL TLS.
    #[arg(long, env = "VELT_POSTGRES_ROOT_CERT")]
    pub postgres_root_cert: Option<PathBuf>,

    /// Create the schema, tables and indexes at startup. `false` for roles that
    /// cannot run DDL: `velt-server schema-sql` prints the DDL for a DBA.
    #[arg(long, env = "VELT_POSTGRES_MANAGE_SCHEMA", default_value_t = true, action = clap::ArgAction::Set)]
    pub postgres_manage_schema: bool,
}

impl PostgresArgs {
    /// Whether a (non-empty) PostgreSQL URL is configured.
    pub fn configured(&self) -> bool {
        self.postgres_url.as_ref().is_some_and(|u| !u.0.is_empty())
    }
}

/// Subcommands (without one, the server runs).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the PostgreSQL DDL (tables and indexes of velt-py 0.3.0's layout) for
    /// --postgres-schema, to run by hand when --postgres-manage-schema is false.
    SchemaSql,
    /// Backup and GDPR tools (`crate::maintenance`; run by `main`).
    #[command(flatten)]
    Maintenance(crate::maintenance::Maintenance),
    /// Export, import and migrate (`crate::datatools`; run by `main`).
    #[command(flatten)]
    Data(crate::datatools::DataCommand),
}

#[cfg(feature = "postgres")]
pub(crate) fn config(
    args: &PostgresArgs,
    url: &str,
) -> Result<velt_selfhost::backends::postgres::PostgresConfig, BoxError> {
    use std::time::Duration;
    use velt_selfhost::backends::postgres::{PostgresConfig, SslMode};
    let mut config = PostgresConfig::from_url(url)
        .schema(args.postgres_schema.clone())
        .pool_size(args.postgres_pool_size)
        .connect_timeout(Duration::from_secs(
            args.postgres_connect_timeout_secs.max(1),
        ))
        .manage_schema(args.postgres_manage_schema);
    if let Some(ms) = args.postgres_statement_timeout_ms {
        config = config.statement_timeout(Duration::from_millis(ms));
    }
    if let Some(mode) = &args.postgres_sslmode {
        let mode = SslMode::parse(mode).ok_or_else(|| {
            format!("unknown --postgres-sslmode `{mode}` (disable, prefer, require, verify-ca, verify-full)")
        })?;
        config = config.ssl_mode(mode);
    }
    if let Some(path) = &args.postgres_root_cert {
        config = config.root_cert(path.clone());
    }
    Ok(config)
}

/// Runs a subcommand; its output goes to stdout.
pub fn run_command(command: &Command, args: &PostgresArgs) -> Result<(), BoxError> {
    match command {
        #[cfg(feature = "postgres")]
        Command::SchemaSql => {
            let config = config(args, "postgres://localhost/velt")?;
            print!(
                "{}",
                velt_selfhost::backends::postgres::postgres_schema_sql(&config)
            );
            Ok(())
        }
        #[cfg(not(feature = "postgres"))]
        Command::SchemaSql => {
            let _ = args;
            Err("this binary was built without the `postgres` feature".into())
        }
        // They need the whole command line: `main` runs them.
        Command::Maintenance(_) => Err("run maintenance commands with maintenance::run".into()),
        Command::Data(_) => Err("data subcommands run through datatools::run".into()),
    }
}

/// The PostgreSQL store when a URL is configured, `None` otherwise; its
/// pool is reported by `metrics` when they are kept.
pub async fn open_postgres(
    args: &PostgresArgs,
    metrics: Option<&velt_server::ops::Metrics>,
) -> Result<Option<Arc<dyn Store>>, BoxError> {
    let Some(PgUrl(url)) = args.postgres_url.as_ref().filter(|u| !u.0.is_empty()) else {
        return Ok(None);
    };
    #[cfg(feature = "postgres")]
    {
        use velt_selfhost::backends::postgres::PostgresStore;
        let config = config(args, url)?;
        let store = PostgresStore::connect(&config).await?;
        let failed = &store.schema_report().failed;
        if !failed.is_empty() {
            tracing::warn!(
                failed = failed.len(),
                "some PostgreSQL schema objects could not be created (see the warnings above)"
            );
        }
        tracing::info!(url = %config.redacted_url(), schema = %config.schema, "using PostgreSQL");
        if let Some(m) = metrics {
            let pool = store.pool().clone();
            m.watch_pool("postgres", move || {
                let s = pool.status();
                velt_server::ops::PoolStatus {
                    max: s.max_size,
                    open: s.size,
                    idle: s.available,
                    waiting: s.waiting,
                }
            });
        }
        Ok(Some(Arc::new(store)))
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = (url, metrics);
        Err(
            "VELT_POSTGRES_URL is set but this binary was built without the `postgres` feature"
                .into(),
        )
    }
}
