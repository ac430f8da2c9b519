//! Online backup of the embedded database while a server writes to it.
//!
//! [`backup_database`] opens the database file with a connection of its own
//! (it does not need the running server's [`super::SqliteStore`]), starts one
//! read transaction — in WAL mode a snapshot of the last commit, which never
//! blocks the writer — and copies every page of that snapshot with SQLite's
//! online backup API, a batch of pages per step so that progress can be
//! shown. Holding the read transaction across the steps is what keeps the
//! copy consistent: without it each step takes a new snapshot and SQLite
//! restarts the backup from page 1 whenever another connection committed in
//! between, which under a steady write load (the group-commit writer
//! commits every few milliseconds) never finishes.
//!
//! The copy is written to a temporary file next to the destination,
//! switched to a self-contained rollback-journal file (no `-wal` to carry
//! along), fsynced and renamed into place, so the destination is either
//! absent or a complete database.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

/// Pages copied per backup step (4 MiB with 4 KiB pages).
const PAGES_PER_STEP: i32 = 1024;

/// Errors of [`backup_database`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The source database file does not exist.
    #[error("no database at {0}")]
    SourceMissing(PathBuf),
    /// The destination exists already (a backup never overwrites a file).
    #[error("{0} exists already: choose a new file name")]
    DestinationExists(PathBuf),
    /// SQLite failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The copy could not be switched to a rollback journal (the mode SQLite
    /// reported instead).
    #[error("the backup stayed in journal_mode={0}")]
    JournalMode(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// How far a backup is (passed to the progress callback after each step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupProgress {
    /// Pages of the snapshot.
    pub total_pages: u64,
    /// Pages still to copy.
    pub remaining_pages: u64,
}

/// What [`backup_database`] copied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupSummary {
    /// Size of the backup file, in bytes.
    pub bytes: u64,
    /// Pages copied.
    pub pages: u64,
    /// Page size, in bytes.
    pub page_size: u64,
    /// Backup steps taken (one per [`BackupProgress`] report).
    pub steps: u64,
    /// How long the read snapshot was held (writers are never blocked by it;
    /// the WAL cannot be checkpointed past it meanwhile).
    pub snapshot_held: Duration,
    /// Total time, including the final fsync and rename.
    pub elapsed: Duration,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Copies the database at `source` into a new file `dest`, consistently,
/// while other connections (processes) keep writing; see the module docs.
/// `progress` is called after every step.
pub fn backup_database(
    source: &Path,
    dest: &Path,
    mut progress: impl FnMut(BackupProgress),
) -> Result<BackupSummary, BackupError> {
    let started = Instant::now();
    if !source.is_file() {
        return Err(BackupError::SourceMissing(source.to_owned()));
    }
    if dest.exists() {
        return Err(BackupError::DestinationExists(dest.to_owned()));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(BackupError::Io {
            path: dir.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
        });
    }
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".to_owned());
    let tmp = dest.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let result = copy(source, &tmp, &mut progress);
    let (pages, page_size, steps, snapshot_held) = match result {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    // Durable before it gets its name: fsync the file, rename, fsync the directory.
    let finish = || -> Result<u64, BackupError> {
        let f = fs::File::open(&tmp).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        let bytes = f.metadata().map_err(io(&tmp))?.len();
        if dest.exists() {
            return Err(BackupError::DestinationExists(dest.to_owned()));
        }
        fs::rename(&tmp, dest).map_err(io(dest))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io(dir))?;
        }
        Ok(bytes)
    };
    let bytes = match finish() {
        Ok(b) => b,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    Ok(BackupSummary {
        bytes,
        pages,
        page_size,
        steps,
        snapshot_held,
        elapsed: started.elapsed(),
    })
}

/// The copy into `tmp`: (pages, page size, steps, snapshot held).
fn copy(
    source: &Path,
    tmp: &Path,
    progress: &mut impl FnMut(BackupProgress),
) -> Result<(u64, u64, u64, Duration), BackupError> {
    // Read-write without CREATE: a WAL reader needs the -shm file, and a
    // missing database is an error, not a new empty one. (The store always
    // runs in WAL mode; on a rollback-journal database the held read
    // transaction would block writers for the whole copy.)
    let src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    src.busy_timeout(Duration::from_secs(10))?;
    let page_size: i64 = src.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let mut dst = Connection::open(tmp)?;
    // The snapshot: one read transaction for the whole copy.
    src.execute_batch("BEGIN DEFERRED")?;
    let held = Instant::now();
    let _: i64 = src.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let mut steps = 0u64;
    let pages = {
        let backup = Backup::new(&src, &mut dst)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            steps += 1;
            progress(BackupProgress {
                total_pages: u64::try_from(p.pagecount).unwrap_or(0),
                remaining_pages: u64::try_from(p.remaining).unwrap_or(0),
            });
            match step {
                StepResult::Done => break u64::try_from(p.pagecount).unwrap_or(0),
                StepResult::More => {}
                // Only the destination can be busy (nobody else knows the
                // temporary file); wait and retry.
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    };
    src.execute_batch("COMMIT")?;
    let snapshot_held = held.elapsed();
    drop(src);
    // The source is in WAL mode and the copied header says so; make the
    // backup one self-contained file.
    let mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(BackupError::JournalMode(mode));
    }
    dst.close().map_err(|(_, e)| e)?;
    Ok((
        pages,
        u64::try_from(page_size).unwrap_or(0),
        steps,
        snapshot_held,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::backends::sqlite::SqliteStore;
    use crate::store::{Collection, Scope, Selector, Store};
    use serde_json::json;

    #[tokio::test]
    async fn backup_copies_every_record_and_refuses_bad_paths() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("velt.db");
        let store = SqliteStore::open(&db).unwrap();
        let scope = Scope::new("o").unwrap();
        let records = (0..50)
            .map(|i| {
                json!({"annotationId": format!("a{i}"), "text": "x".repeat(500)})
                    .as_object()
                    .cloned()
                    .unwrap()
            })
            .collect();
        store
            .upsert_many(Collection::Comments, &scope, records)
            .await
            .unwrap();
        let dest = dir.path().join("copy.db");
        let mut reports = 0;
        let s = backup_database(&db, &dest, |_| reports += 1).unwrap();
        assert_eq!(s.bytes, s.pages * s.page_size);
        assert_eq!(s.bytes, fs::metadata(&dest).unwrap().len());
        assert_eq!(reports, s.steps);
        let copy = SqliteStore::open(&dest).unwrap();
        let got = copy
            .find(Collection::Comments, &scope, &Selector::All)
            .await
            .unwrap();
        assert_eq!(got.len(), 50);
        assert!(matches!(
            backup_database(&db, &dest, |_| {}),
            Err(BackupError::DestinationExists(_))
        ));
        assert!(matches!(
            backup_database(
                &dir.path().join("none.db"),
                &dir.path().join("x.db"),
                |_| {}
            ),
            Err(BackupError::SourceMissing(_))
        ));
        let err = backup_database(&db, &dir.path().join("no/such/dir/x.db"), |_| {}).unwrap_err();
        assert!(err.to_string().contains("no such directory"), "{err}");
        // Nothing left behind by the failed attempts.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }
}
