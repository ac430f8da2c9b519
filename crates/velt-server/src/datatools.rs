//! The `export`, `import` and `migrate` subcommands: argument parsing,
//! store URLs, progress bars and summaries. The work itself is
//! `velt_selfhost::transfer`.

use crate::config::Settings;
use std::fmt;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::Arc;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use velt_selfhost::store::{Collection, Store};
use velt_selfhost::transfer::{
    self, ExportOptions, ImportOptions, MigrateOptions, MigrateOutcome, TransferError,
};

use crate::{BoxError, Cli};

/// Exit code of a migration stopped by `--max-batches` (run it again).
const EXIT_INCOMPLETE: u8 = 3;

/// Export, import and migration of the stored records.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Write every record (or one organization's) as JSON Lines, one
    /// `{"collection", "organizationId", "record"}` object per line
    /// (docs/data-tools.md).
    Export(ExportArgs),
    /// Read the lines of `export` back into a store; importing twice changes
    /// nothing. A file is validated completely before anything is written.
    Import(ImportArgs),
    /// Copy every record from one store to another in batches, resumable
    /// through a checkpoint file, checking the counts at the end.
    Migrate(MigrateArgs),
}

/// `velt-server export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export only this organization's records.
    #[arg(long)]
    org: Option<String>,
    /// Output file (written as <file>.partial, renamed when complete), or `-`
    /// for stdout.
    #[arg(long, default_value = "-")]
    out: String,
    /// Store to read (sqlite:///path, a file path, mongodb://…/db,
    /// postgres://…/db?schema=s), opened without creating tables or indexes
    /// [default: the server's store, from VELT_POSTGRES_URL, VELT_MONGODB_URI
    /// or the SQLite file].
    #[arg(long, env = "VELT_EXPORT_STORE", hide_env_values = true)]
    store: Option<StoreUrl>,
    /// Records read per batch.
    #[arg(long, default_value_t = 1000)]
    batch_size: usize,
}

/// `velt-server import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export file, or `-` for stdin (read once: batches before a bad
    /// line are written).
    input: String,
    /// Store to write [default: the server's store, as for export].
    #[arg(long, env = "VELT_IMPORT_STORE", hide_env_values = true)]
    store: Option<StoreUrl>,
    /// Lines validated together, then written.
    #[arg(long, default_value_t = 1000)]
    batch_size: usize,
}

/// `velt-server migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Source store (sqlite:///path, a file path, mongodb://…/db,
    /// postgres://…/db?schema=s). Opened without creating tables or indexes.
    /// Prefer the variable: a flag shows passwords in process listings.
    #[arg(long, env = "VELT_MIGRATE_FROM", hide_env_values = true)]
    from: StoreUrl,
    /// Target store, same forms; its tables and indexes are created as the
    /// server does. Must be empty when the migration starts.
    #[arg(long, env = "VELT_MIGRATE_TO", hide_env_values = true)]
    to: StoreUrl,
    /// Checkpoint file [default: <target file>.migrate-state.json for a
    /// SQLite target, ./velt-migrate-state.json otherwise].
    #[arg(long)]
    state: Option<PathBuf>,
    /// Records copied per batch (memory is bounded by one batch).
    #[arg(long, default_value_t = 500)]
    batch_size: usize,
    /// Stop after this many batches (exit code 3); run again to resume.
    #[arg(long)]
    max_batches: Option<u64>,
}

/// A store location: `sqlite:///abs/path`, `sqlite:rel/path` or a plain
/// file path; `mongodb://` / `mongodb+srv://` (database in the path);
/// `postgres://` / `postgresql://` (optional `schema=` query parameter).
/// Never printed with its password.
#[derive(Clone)]
pub enum StoreUrl {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A MongoDB connection string.
    Mongo(String),
    /// A PostgreSQL URL (without `schema=`) and the schema, if given.
    Postgres(String, Option<String>),
}

impl FromStr for StoreUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err("an empty store URL".into());
        }
        if s.starts_with("mongodb://") || s.starts_with("mongodb+srv://") {
            return Ok(StoreUrl::Mongo(s.to_owned()));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(split_schema(s));
        }
        if let Some(path) = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite: URL without a path".into());
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = s.split_once("://") {
            return Err(format!(
                "unknown store URL scheme `{scheme}` (sqlite, mongodb, mongodb+srv, postgres, postgresql, or a file path)"
            ));
        }
        Ok(StoreUrl::Sqlite(PathBuf::from(s)))
    }
}

/// Takes a `schema=` parameter out of a PostgreSQL URL's query.
fn split_schema(url: &str) -> StoreUrl {
    let Some((base, query)) = url.split_once('?') else {
        return StoreUrl::Postgres(url.to_owned(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|kv| match kv.strip_prefix("schema=") {
            Some(s) => {
                schema = Some(s.to_owned());
                false
            }
            None => !kv.is_empty(),
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    StoreUrl::Postgres(url, schema)
}

impl StoreUrl {
    /// The store without credentials, as written in the checkpoint.
    fn label(&self) -> String {
        match self {
            StoreUrl::Sqlite(p) => {
                let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                format!("sqlite://{}", abs.display())
            }
            StoreUrl::Mongo(uri) => mongo_redact(uri),
            StoreUrl::Postgres(url, schema) => match schema {
                Some(s) => format!("{} (schema {s})", pg_redact(url)),
                None => pg_redact(url),
            },
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(feature = "mongodb")]
fn mongo_redact(uri: &str) -> String {
    velt_selfhost::backends::mongodb::redact_uri(uri)
}

#[cfg(not(feature = "mongodb"))]
fn mongo_redact(_uri: &str) -> String {
    "mongodb://<redacted>".to_owned()
}

#[cfg(feature = "postgres")]
fn pg_redact(url: &str) -> String {
    velt_selfhost::backends::postgres::redact_url(url)
}

#[cfg(not(feature = "postgres"))]
fn pg_redact(_url: &str) -> String {
    "postgres://<redacted>".to_owned()
}

/// Whether the store is the source of a migration (opened without DDL) or
/// a store written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Source,
    Target,
}

async fn open_url(url: &StoreUrl, role: Role, cli: &Cli) -> Result<Arc<dyn Store>, BoxError> {
    match url {
        StoreUrl::Sqlite(path) => open_sqlite_file(path, role).await,
        StoreUrl::Mongo(uri) => open_mongo_url(uri, role).await,
        StoreUrl::Postgres(url, schema) => {
            open_postgres_url(url, schema.as_deref(), role, cli).await
        }
    }
}

#[cfg(feature = "sqlite")]
async fn open_sqlite_file(path: &Path, role: Role) -> Result<Arc<dyn Store>, BoxError> {
    use velt_selfhost::backends::sqlite::{SqliteConfig, SqliteStore};
    if role == Role::Source && !path.is_file() {
        return Err(format!("no SQLite database at {}", path.display()).into());
    }
    let config = SqliteConfig::new(path.to_owned());
    let store = tokio::task::spawn_blocking(move || SqliteStore::open_with(config)).await??;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite_file(_path: &Path, _role: Role) -> Result<Arc<dyn Store>, BoxError> {
    Err("this binary was built without the `sqlite` feature".into())
}

#[cfg(feature = "mongodb")]
async fn open_mongo_url(uri: &str, role: Role) -> Result<Arc<dyn Store>, BoxError> {
    use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore, MongoStoreOptions};
    let mut options = MongoStoreOptions::default();
    options.create_indexes = role == Role::Target;
    let config = MongoConfig::from_uri(uri).options(options);
    Ok(Arc::new(MongoStore::connect(&config).await?))
}

#[cfg(not(feature = "mongodb"))]
async fn open_mongo_url(_uri: &str, _role: Role) -> Result<Arc<dyn Store>, BoxError> {
    Err("this binary was built without the `mongodb` feature".into())
}

#[cfg(feature = "postgres")]
async fn open_postgres_url(
    url: &str,
    schema: Option<&str>,
    role: Role,
    cli: &Cli,
) -> Result<Arc<dyn Store>, BoxError> {
    use velt_selfhost::backends::postgres::PostgresStore;
    let mut config = crate::backend::config(&cli.postgres, url)?;
    if let Some(schema) = schema {
        config = config.schema(schema);
    }
    if role == Role::Source {
        config = config.manage_schema(false);
    }
    Ok(Arc::new(PostgresStore::connect(&config).await?))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres_url(
    _url: &str,
    _schema: Option<&str>,
    _role: Role,
    _cli: &Cli,
) -> Result<Arc<dyn Store>, BoxError> {
    Err("this binary was built without the `postgres` feature".into())
}

/// The store of `--store` (written to), or the one the server is
/// configured with.
async fn store_or_default(
    url: Option<&StoreUrl>,
    cli: &Cli,
    settings: &Settings,
) -> Result<Arc<dyn Store>, BoxError> {
    match url {
        Some(u) => open_url(u, Role::Target, cli).await,
        None => crate::open_store(cli, settings, None).await,
    }
}

/// A spinner counting records on stderr when it is a terminal; hidden
/// otherwise (logs and pipes stay clean).
fn progress_bar(verb: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = format!("{{spinner}} {verb} {{human_pos}} records in {{elapsed}} {{msg}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Runs a data subcommand on its own runtime.
pub fn run(command: &DataCommand, cli: &Cli, settings: &Settings) -> Result<ExitCode, BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        match command {
            DataCommand::Export(args) => export(args, cli, settings).await,
            DataCommand::Import(args) => import(args, cli, settings).await,
            DataCommand::Migrate(args) => migrate(args, cli).await,
        }
    })
}

async fn export(args: &ExportArgs, cli: &Cli, settings: &Settings) -> Result<ExitCode, BoxError> {
    let store = match &args.store {
        Some(url) => open_url(url, Role::Source, cli).await?,
        None => crate::open_store(cli, settings, None).await?,
    };
    let result = export_from(store.as_ref(), args).await;
    store.close().await;
    result
}

/// The export once its store is open.
async fn export_from(store: &dyn Store, args: &ExportArgs) -> Result<ExitCode, BoxError> {
    let mut options = ExportOptions::default().batch_size(args.batch_size);
    if let Some(org) = &args.org {
        options = options.organization(org.clone());
    }
    let bar = progress_bar("exported");
    let progress = |c: Collection, n: u64| {
        bar.set_message(c.to_string());
        bar.inc(n);
    };
    let counts = if args.out == "-" {
        let mut out = BufWriter::new(std::io::stdout());
        transfer::export(store, &mut out, &options, &progress).await?
    } else {
        let path = PathBuf::from(&args.out);
        let partial = with_suffix(&path, ".partial");
        let file = std::fs::File::create(&partial)
            .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
        let mut out = BufWriter::new(file);
        let counts = transfer::export(store, &mut out, &options, &progress).await?;
        let file = out
            .into_inner()
            .map_err(|e| format!("cannot write {}: {}", partial.display(), e.error()))?;
        file.sync_all()
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        std::fs::rename(&partial, &path).map_err(|e| {
            format!(
                "cannot rename {} to {}: {e}",
                partial.display(),
                path.display()
            )
        })?;
        counts
    };
    bar.finish_and_clear();
    eprintln!("exported {counts}");
    Ok(ExitCode::SUCCESS)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn open_input(input: &str) -> Result<Box<dyn BufRead + Send>, BoxError> {
    if input == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let file = std::fs::File::open(input).map_err(|e| format!("cannot open {input}: {e}"))?;
    Ok(Box::new(BufReader::new(file)))
}

async fn import(args: &ImportArgs, cli: &Cli, settings: &Settings) -> Result<ExitCode, BoxError> {
    if args.input != "-" {
        // A file is read twice: every line is checked before anything is written.
        transfer::validate(open_input(&args.input)?)?;
    }
    let input = open_input(&args.input)?;
    let store = store_or_default(args.store.as_ref(), cli, settings).await?;
    let bar = progress_bar("imported");
    let progress = |c: Collection, n: u64| {
        bar.set_message(c.to_string());
        bar.inc(n);
    };
    let options = ImportOptions::default().batch_size(args.batch_size);
    let result = transfer::import(store.as_ref(), input, &options, &progress).await;
    store.close().await;
    bar.finish_and_clear();
    let summary = result?;
    let skipped = summary.skipped_without_org.total();
    if skipped == 0 {
        eprintln!("imported {}", summary.written);
    } else {
        eprintln!(
            "imported {}; skipped {} without an organization",
            summary.written, summary.skipped_without_org
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn default_state(to: &StoreUrl) -> PathBuf {
    match to {
        StoreUrl::Sqlite(path) => with_suffix(path, ".migrate-state.json"),
        _ => PathBuf::from("velt-migrate-state.json"),
    }
}

async fn migrate(args: &MigrateArgs, cli: &Cli) -> Result<ExitCode, BoxError> {
    let (from, to) = (args.from.label(), args.to.label());
    if from == to {
        return Err(format!("--from and --to are the same store ({from})").into());
    }
    let state = args
        .state
        .clone()
        .unwrap_or_else(|| default_state(&args.to));
    let source = open_url(&args.from, Role::Source, cli).await?;
    let target = match open_url(&args.to, Role::Target, cli).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let options = MigrateOptions::new(&state, from, to)
        .batch_size(args.batch_size)
        .max_batches(args.max_batches);
    let bar = progress_bar("copied");
    let progress = |c: Collection, n: u64| {
        bar.set_message(c.to_string());
        bar.inc(n);
    };
    let result = transfer::migrate(source.as_ref(), target.as_ref(), &options, &progress).await;
    futures_util::future::join(source.close(), target.close()).await;
    bar.finish_and_clear();
    match result {
        Ok(MigrateOutcome::Complete(report)) => {
            let skipped = report.skipped_without_org.total();
            if skipped == 0 {
                eprintln!("migrated {}; counts verified", report.copied);
            } else {
                eprintln!(
                    "migrated {}; skipped {} without an organization; counts verified",
                    report.copied, report.skipped_without_org
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Ok(MigrateOutcome::Interrupted { batches, copied }) => {
            eprintln!(
                "stopped after {batches} batches (--max-batches), {copied} copied so far; \
                 run the same command again to resume from {}",
                state.display()
            );
            Ok(ExitCode::from(EXIT_INCOMPLETE))
        }
        Ok(other) => Err(format!("unexpected migration outcome: {other:?}").into()),
        Err(e @ (TransferError::Store { .. } | TransferError::Io { .. })) => Err(format!(
            "{e} (the checkpoint {} keeps the progress: run again to resume)",
            state.display()
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls() {
        assert!(matches!(
            "sqlite:///var/lib/velt.db".parse::<StoreUrl>(),
            Ok(StoreUrl::Sqlite(p)) if p == Path::new("/var/lib/velt.db")
        ));
        assert!(matches!(
            "data/velt.db".parse::<StoreUrl>(),
            Ok(StoreUrl::Sqlite(p)) if p == Path::new("data/velt.db")
        ));
        assert!(matches!(
            "postgres://u:pw@h/db?sslmode=disable&schema=velt".parse::<StoreUrl>(),
            Ok(StoreUrl::Postgres(u, Some(s))) if u == "postgres://u:pw@h/db?sslmode=disable" && s == "velt"
        ));
        assert!(matches!(
            "mongodb://h:27017/velt".parse::<StoreUrl>(),
            Ok(StoreUrl::Mongo(_))
        ));
        assert_eq!(
            "redis://h".parse::<StoreUrl>().err().as_deref(),
            Some(
                "unknown store URL scheme `redis` (sqlite, mongodb, mongodb+srv, postgres, postgresql, or a file path)"
            )
        );
        let url: StoreUrl = "postgres://u:secret-pw@h/db"
            .parse()
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!format!("{url:?}").contains("secret-pw"));
        let url: StoreUrl = "mongodb://u:secret-pw@h/db"
            .parse()
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!format!("{url:?}").contains("secret-pw"));
    }
}
