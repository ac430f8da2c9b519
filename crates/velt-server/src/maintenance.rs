//! `velt-server backup` and `velt-server gdpr export-user|delete-user`:
//! they read the same settings as the server (data directory, SQLite path,
//! `VELT_MONGODB_URI`, `VELT_POSTGRES_URL`, attachment storage) and open the
//! store the way the server does (`crate::open_store`).

use crate::config::Settings;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
#[cfg(feature = "sqlite")]
use indicatif::{ProgressBar, ProgressStyle};
use velt_selfhost::gdpr::{DeleteOptions, UserExport, delete_user, export_user};

use crate::{BoxError, Cli};

/// Backup and GDPR subcommands.
#[derive(Debug, Subcommand)]
pub enum Maintenance {
    /// Copy the embedded SQLite database into a new file, consistently, while
    /// the server runs (one read snapshot; writers are not blocked). Prints
    /// bytes, pages and time.
    Backup {
        /// The new backup file (must not exist).
        file: PathBuf,
    },
    /// Export or delete everything the self-hosted store holds about one user
    /// of one organization (Velt's own copy: use Velt's REST GDPR calls).
    Gdpr {
        #[command(subcommand)]
        command: GdprCommand,
    },
}

/// `velt-server gdpr ...`
#[derive(Debug, Subcommand)]
pub enum GdprCommand {
    /// Write the user's records (JSON) to --out, or to stdout.
    ExportUser {
        #[command(flatten)]
        user: UserArgs,
        /// Output file (created with mode 0600; replaced if it exists).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Delete the user's records (and the files of their attachments).
    /// Prints what it did as JSON on stdout.
    DeleteUser {
        #[command(flatten)]
        user: UserArgs,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
}

/// The user a GDPR command is about.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The organization id.
    #[arg(long)]
    org: String,
    /// The user id.
    #[arg(long)]
    user: String,
}

/// Runs a maintenance subcommand.
pub fn run(cli: &Cli, settings: &Settings, command: &Maintenance) -> Result<(), BoxError> {
    match command {
        Maintenance::Backup { file } => backup(cli, settings, file),
        Maintenance::Gdpr { command } => {
            crate::init_tracing(cli.log_format, settings);
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            runtime.block_on(gdpr(cli, settings, command))
        }
    }
}

#[cfg(not(feature = "sqlite"))]
fn backup(_cli: &Cli, _settings: &Settings, _file: &Path) -> Result<(), BoxError> {
    Err("this binary was built without the `sqlite` feature".into())
}

#[cfg(feature = "sqlite")]
fn backup(cli: &Cli, settings: &Settings, file: &Path) -> Result<(), BoxError> {
    if let Some(db) = crate::shared_database(cli, settings) {
        return Err(format!(
            "{db} is set: `backup` copies the embedded SQLite database; back up that \
             database with its own tools (pg_dump, mongodump)"
        )
        .into());
    }
    let source = crate::sqlite_path(cli);
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed_precise}")
        {
            bar.set_style(style);
        }
        bar
    });
    let summary = velt_selfhost::backends::sqlite::backup_database(&source, file, |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.total_pages);
            bar.set_position(p.total_pages.saturating_sub(p.remaining_pages));
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let s = summary?;
    println!(
        "backup done: file={} bytes={} pages={} page_size={} steps={} elapsed_ms={} snapshot_ms={}",
        file.display(),
        s.bytes,
        s.pages,
        s.page_size,
        s.steps,
        s.elapsed.as_millis(),
        s.snapshot_held.as_millis()
    );
    Ok(())
}

async fn gdpr(cli: &Cli, settings: &Settings, command: &GdprCommand) -> Result<(), BoxError> {
    let store = crate::open_store(cli, settings, None).await?;
    match command {
        GdprCommand::ExportUser { user, out } => {
            let export = export_user(&*store, &user.org, &user.user).await?;
            let json = serde_json::to_string_pretty(&export)?;
            match out {
                Some(path) => write_private(path, json.as_bytes())?,
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(json.as_bytes())?;
                    stdout.write_all(b"\n")?;
                }
            }
            eprintln!(
                "gdpr export-user: {} records of user {} in organization {}{}",
                export.len(),
                user.user,
                user.org,
                out.as_ref()
                    .map(|p| format!(" written to {}", p.display()))
                    .unwrap_or_default()
            );
            Ok(())
        }
        GdprCommand::DeleteUser { user, yes } => {
            if !yes {
                let found = export_user(&*store, &user.org, &user.user).await?;
                confirm(&found)?;
            }
            let public_url = cli
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", cli.bind));
            let files = crate::open_files(cli, settings, &public_url)?;
            let api_key = settings.var("VELT_API_KEY");
            let options = DeleteOptions::default()
                .storage(&*files)
                .api_key(api_key.as_deref());
            let report = delete_user(&*store, &user.org, &user.user, options).await?;
            println!("{}", serde_json::to_string(&report)?);
            eprintln!(
                "gdpr delete-user: user {} in organization {}: {} records deleted, {} annotations \
                 rewritten, {} comments removed, {} files deleted, {} file errors, {} files not owned by the configured storage, \
                 {} shared records kept",
                user.user,
                user.org,
                report.records_deleted(),
                report.annotations_rewritten,
                report.comments_removed,
                report.files_deleted,
                report.file_errors,
                report.files_skipped,
                report.shared_records_kept
            );
            Ok(())
        }
    }
}

/// Shows what would be deleted and asks for the user id on a terminal.
fn confirm(found: &UserExport) -> Result<(), BoxError> {
    if !std::io::stdin().is_terminal() {
        return Err("refusing to delete without --yes: stdin is not a terminal".into());
    }
    eprintln!(
        "user {} in organization {}:",
        found.user_id, found.organization_id
    );
    for (collection, records) in &found.records {
        eprintln!("  {collection}: {} records", records.len());
    }
    eprint!("type the user id to delete these records: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if line.trim() != found.user_id {
        return Err("not confirmed: nothing deleted".into());
    }
    Ok(())
}

/// Writes `data` to `path` through a temporary file (mode 0600: personal
/// data), fsynced and renamed into place.
fn write_private(path: &Path, data: &[u8]) -> Result<(), BoxError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_owned());
    let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut f = opts.open(&tmp)?;
        f.write_all(data)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display()).into()
    })
}
