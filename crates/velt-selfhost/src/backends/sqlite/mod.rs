//! Embedded persistent [`Store`] on SQLite (feature `sqlite`).
//!
//! The default store of `velt-server`: one file (default
//! `./velt-data/velt.db`), no server to run.
//!
//! # Layout
//!
//! One table, `velt_records`, holds every collection. A row is one record:
//! the collection name, the organization, the record id (typed: `s:<string>`
//! or `i:<integer>`, since ids compare with their JSON type), two indexed
//! copies of `metadata.documentId` / `metadata.folderId`, and the record
//! itself as JSON text (key order preserved). `(collection, org, id)` is
//! unique, so ids are unique per organization, not globally (velt-py's
//! defect 3). The rowid gives insertion order.
//!
//! Reads narrow the candidate rows with the indexed columns, then apply the
//! contract's own [`scope_matches`](crate::store::scope_matches) and [`selector_matches`](crate::store::selector_matches) in Rust, so the
//! semantics are exactly those of [`crate::store`]. A row whose JSON cannot
//! be parsed is skipped with a warning instead of failing the whole read.
//!
//! # Durability
//!
//! The database runs in WAL mode. With the default [`Synchronous::Full`],
//! SQLite fsyncs the WAL on every commit, so a save acknowledged to a client
//! survives a process kill *and* a power loss. [`Synchronous::Normal`] skips
//! that fsync: a commit has still been written to the WAL file (in the OS
//! page cache) before the call returns, so it survives `SIGKILL` of the
//! process, but the last transactions may roll back on power loss or an OS
//! crash. An `upsert_many` batch is atomic: all its records or none.
//!
//! # Concurrency and group commit
//!
//! Writes go through one writer thread that owns the write connection
//! (SQLite has one writer at a time anyway). Concurrent `upsert_many` and
//! `delete` calls queue up and share one transaction and one commit (one
//! fsync): each call runs in its own `SAVEPOINT`, so a failing batch rolls
//! back alone and answers its own error, and every call is answered only
//! after the commit that holds it. Calls apply in arrival order. The queue
//! ([`SqliteConfig::write_queue`]) and the group
//! ([`SqliteConfig::max_group`]) are bounded; see the `writer` module.
//!
//! Reads run on tokio's blocking pool ([`tokio::task::spawn_blocking`]) on
//! a small pool of reader connections, which in WAL mode never wait for
//! the writer.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

mod backup;
mod checkpoint;
mod config;
mod scan;
mod schema;
mod writer;

pub use backup::{BackupError, BackupProgress, BackupSummary, backup_database};
pub use config::{SqliteConfig, Synchronous};

use checkpoint::Checkpointer;
use writer::{DeleteOp, PendingRecord, UpsertOp, Writer};

use async_trait::async_trait;
use rusqlite::{Connection, ErrorCode, OpenFlags, params};
use serde_json::Value;

use crate::raw::RawRows;
use crate::store::{
    Collection, Document, RecordId, ScanCursor, ScanPage, Scope, Selector, Store, StoreError,
    UserOrgScope, get_path, record_matches, stamp_batch, without_org_batch,
};

/// The default database file used by `velt-server`.
pub const DEFAULT_PATH: &str = "velt-data/velt.db";

/// The embedded SQLite [`Store`]. Cheap to clone (shared connections).
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    config: SqliteConfig,
    writer: Writer,
    /// `None` when [`SqliteConfig::checkpoint_interval`] is zero.
    checkpointer: Option<Checkpointer>,
    readers: Mutex<ReaderPool>,
    reader_freed: Condvar,
}

/// Reader connections: idle ones, and how many exist in total.
struct ReaderPool {
    idle: Vec<Connection>,
    open: usize,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.config.path)
            .field("synchronous", &self.inner.config.synchronous)
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` with default
    /// settings. Blocking: call it at startup or inside `spawn_blocking`.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, StoreError> {
        Self::open_with(SqliteConfig::new(path))
    }

    /// Opens (creating if needed) the database described by `config`.
    /// Blocking: call it at startup or inside `spawn_blocking`.
    pub fn open_with(config: SqliteConfig) -> Result<Self, StoreError> {
        if let Some(parent) = config.path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable {
                message: format!("cannot create directory {}: {e}", parent.display()),
                source: Some(Box::new(e)),
            })?;
        }
        let mut writer = open_connection(&config, false)?;
        schema::prepare(&mut writer)?;
        let checkpoints = if config.checkpoint_interval.is_zero() {
            None
        } else {
            writer
                .pragma_update(None, "wal_autocheckpoint", checkpoint::BACKSTOP_PAGES)
                .map_err(|e| map_err("configuring connection", e))?;
            Some(open_connection(&config, false)?)
        };
        let writer = Writer::start(writer, config.write_queue, config.max_group)?;
        let checkpointer = match checkpoints {
            Some(conn) => Some(Checkpointer::start(
                conn,
                writer.commit_counter(),
                config.checkpoint_interval,
            )?),
            None => None,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                writer,
                checkpointer,
                readers: Mutex::new(ReaderPool {
                    idle: Vec::new(),
                    open: 0,
                }),
                reader_freed: Condvar::new(),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.config.path
    }

    /// Transactions the writer has committed since the store was opened.
    /// With group commit this is at most the number of write calls, fewer
    /// under concurrency. For tests and diagnostics; not a stable API.
    #[doc(hidden)]
    pub fn group_commits(&self) -> u64 {
        self.inner.writer.commits()
    }

    /// Write calls queued or being applied and not yet answered; a call
    /// is counted from the moment its write is queued, so calls started one
    /// after another once this count has risen apply in that order. For
    /// tests and diagnostics; not a stable API.
    #[doc(hidden)]
    pub fn writes_in_flight(&self) -> usize {
        self.inner.writer.in_flight()
    }

    /// WAL checkpoints the checkpoint thread has run (0 without one). For
    /// tests and diagnostics; not a stable API.
    #[doc(hidden)]
    pub fn checkpoints_run(&self) -> u64 {
        self.inner
            .checkpointer
            .as_ref()
            .map_or(0, Checkpointer::checkpoints)
    }

    async fn blocking<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || f(&inner))
            .await
            .map_err(|e| StoreError::Backend {
                message: format!("SQLite task failed: {e}"),
                source: None,
            })?
    }
}

fn open_connection(config: &SqliteConfig, reader: bool) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(&config.path, flags).map_err(|e| {
        let message = format!("cannot open {}: {e}", config.path.display());
        StoreError::Unavailable {
            message,
            source: Some(Box::new(e)),
        }
    })?;
    conn.busy_timeout(config.busy_timeout)
        .map_err(|e| map_err("configuring connection", e))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| map_err("enabling WAL", e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend {
            message: format!("SQLite refused WAL mode (journal_mode={mode})"),
            source: None,
        });
    }
    conn.pragma_update(None, "synchronous", config.synchronous.pragma())
        .map_err(|e| map_err("configuring connection", e))?;
    conn.pragma_update(None, "cache_size", -i64::from(config.cache_kib.max(64)))
        .map_err(|e| map_err("configuring connection", e))?;
    if reader {
        conn.pragma_update(None, "query_only", true)
            .map_err(|e| map_err("configuring connection", e))?;
    }
    Ok(conn)
}

/// Maps a SQLite error to the contract's error kinds.
fn map_err(action: &str, e: rusqlite::Error) -> StoreError {
    let message = format!("SQLite error while {action}: {e}");
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => StoreError::DuplicateKey { message },
        Some(
            ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::CannotOpen
            | ErrorCode::SystemIoFailure
            | ErrorCode::NotADatabase
            | ErrorCode::DatabaseCorrupt
            | ErrorCode::ReadOnly,
        ) => StoreError::Unavailable {
            message,
            source: Some(Box::new(e)),
        },
        _ => StoreError::Backend {
            message,
            source: Some(Box::new(e)),
        },
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The pool holds only idle connections and a count, which a panic
    // cannot leave half-updated, so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn id_key(id: &RecordId) -> String {
    match id {
        RecordId::Str(s) => format!("s:{s}"),
        RecordId::Int(i) => format!("i:{i}"),
    }
}

/// True when the rows [`Inner::for_each_row`] selects for `scope` and
/// `selector` are exactly the records the contract's filter
/// ([`record_matches`]) keeps, so the filter can be left out.
///
/// The columns it queries are derived from each record's JSON in the same
/// statement that writes it (insert and merge alike, see `writer.rs`):
/// `org` is the scope's organization, which [`stamp_batch`] also writes at
/// the record's organization path; `id_key` is its id with its JSON type;
/// `document_id` and `folder_id` are `metadata.documentId` and
/// `metadata.folderId` when they are strings (the only values the filter
/// matches), else `NULL`. What no column holds needs the filter: an API key
/// in the scope (`metadata.apiKey`) and [`Selector::AnyFieldIn`].
fn narrowing_is_exact(scope: &Scope, selector: &Selector) -> bool {
    scope.api_key().is_none()
        && matches!(
            selector,
            Selector::All | Selector::Ids(_) | Selector::DocumentIds(_) | Selector::Folder(_)
        )
}

/// A checked record as the writer stores it: serialised here, on the
/// caller's thread (the writer thread only runs SQL, and the record's values
/// are freed where they were built).
fn pending_record(id: RecordId, record: Document) -> Result<PendingRecord, StoreError> {
    Ok(PendingRecord {
        key: id_key(&id),
        json: to_json(&record)?,
        document_id: string_at(&record, "metadata.documentId"),
        folder_id: string_at(&record, "metadata.folderId"),
    })
}

fn string_at(doc: &Document, path: &str) -> Option<String> {
    match get_path(doc, path) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

impl Inner {
    /// True when reads of `collection` also return the records stored
    /// without an organization (empty `org`: [`Store::upsert_without_org`]),
    /// which the contract's filter then decides: user records under
    /// [`UserOrgScope::SharedWhenMissing`].
    fn shared_users(&self, collection: Collection) -> bool {
        collection == Collection::Users && self.config.users == UserOrgScope::SharedWhenMissing
    }

    /// Runs `f` on a reader connection: an idle one, a new one while fewer
    /// than `max_readers` exist, else the next one released.
    fn with_reader<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = {
            let mut pool = lock(&self.readers);
            loop {
                if let Some(c) = pool.idle.pop() {
                    break Some(c);
                }
                if pool.open < self.config.max_readers {
                    pool.open += 1;
                    break None;
                }
                pool = self
                    .reader_freed
                    .wait(pool)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
        };
        let conn = match conn {
            Some(c) => c,
            None => match open_connection(&self.config, true) {
                Ok(c) => c,
                Err(e) => {
                    lock(&self.readers).open -= 1;
                    self.reader_freed.notify_one();
                    return Err(e);
                }
            },
        };
        let result = f(&conn);
        lock(&self.readers).idle.push(conn);
        self.reader_freed.notify_one();
        result
    }

    /// The JSON text of the candidate rows (narrowed by the indexed
    /// columns), in insertion order, each handed to `row` as SQLite holds
    /// it (no copy of its own). Parsing and the exact matching happen in
    /// the caller.
    fn for_each_row(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
        mut row: impl FnMut(&str),
    ) -> Result<(), StoreError> {
        let name = self.config.collections.get(collection);
        let org = scope.organization_id();
        let form = usize::from(self.shared_users(collection));
        self.with_reader(|conn| {
            let (sql, extra): ([&str; 2], Option<String>) = match selector {
                Selector::Ids(ids) => {
                    let keys: Vec<String> = ids.iter().map(id_key).collect();
                    (schema::SELECT_BY_IDS, Some(json_array(keys)))
                }
                Selector::DocumentIds(ids) => {
                    (schema::SELECT_BY_DOCUMENTS, Some(json_array(ids.clone())))
                }
                Selector::Folder(folder) => (schema::SELECT_BY_FOLDER, Some(folder.clone())),
                Selector::All | Selector::AnyFieldIn { .. } => (schema::SELECT_ALL, None),
            };
            let sql = sql.get(form).copied().unwrap_or(sql[0]);
            let mut stmt = conn
                .prepare_cached(sql)
                .map_err(|e| map_err("reading records", e))?;
            let mut rows = match &extra {
                Some(x) => stmt.query(params![name, org, x]),
                None => stmt.query(params![name, org]),
            }
            .map_err(|e| map_err("reading records", e))?;
            while let Some(r) = rows.next().map_err(|e| map_err("reading records", e))? {
                let text = r
                    .get_ref(0)
                    .and_then(|v| v.as_str().map_err(rusqlite::Error::from))
                    .map_err(|e| map_err("reading records", e))?;
                row(text);
            }
            Ok(())
        })
    }

    /// The candidate rows' texts as owned strings (see
    /// [`Inner::for_each_row`]).
    fn find_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        self.for_each_row(collection, scope, selector, |t| out.push(t.to_owned()))?;
        Ok(out)
    }

    /// The candidate rows' texts in one buffer (see
    /// [`Store::find_raw_rows`]): marked filtered when the query's columns
    /// already decide the read ([`narrowing_is_exact`]), else to be filtered
    /// by the reader.
    fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let mut out = if narrowing_is_exact(scope, selector) && !self.shared_users(collection) {
            RawRows::filtered()
        } else {
            RawRows::unfiltered(self.config.users)
        };
        self.for_each_row(collection, scope, selector, |t| out.push(t))?;
        Ok(out)
    }

    /// Parses candidate rows and keeps those the contract's
    /// [`scope_matches`] and [`selector_matches`] accept (all of them when
    /// [`narrowing_is_exact`]). A row that is not valid JSON is skipped with
    /// a warning.
    fn filter_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
        rows: Vec<String>,
    ) -> Vec<Document> {
        let exact = narrowing_is_exact(scope, selector) && !self.shared_users(collection);
        let mut out = Vec::with_capacity(rows.len());
        for text in rows {
            match serde_json::from_str::<Document>(&text) {
                Ok(doc) => {
                    if exact || record_matches(collection, scope, self.config.users, selector, &doc)
                    {
                        out.push(doc);
                    }
                }
                Err(e) => {
                    tracing::warn!(%collection, error = %e, "skipping a stored record that is not valid JSON");
                }
            }
        }
        out
    }

    fn ping(&self) -> Result<(), StoreError> {
        if self.writer.is_stopped() {
            return Err(StoreError::Unavailable {
                message: "the SQLite writer has stopped".into(),
                source: None,
            });
        }
        // Pooled connections keep working on a file that was removed or
        // whose volume went away; check the file itself too.
        match std::fs::metadata(&self.config.path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(StoreError::Unavailable {
                    message: format!("{} is not a regular file", self.config.path.display()),
                    source: None,
                });
            }
            Err(e) => {
                return Err(StoreError::Unavailable {
                    message: format!("database file {}: {e}", self.config.path.display()),
                    source: Some(Box::new(e)),
                });
            }
        }
        self.with_reader(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|_| ())
            .map_err(|e| map_err("pinging", e))
        })
    }
}

fn json_array(items: Vec<String>) -> String {
    Value::Array(items.into_iter().map(Value::String).collect()).to_string()
}

fn to_json(doc: &Document) -> Result<String, StoreError> {
    serde_json::to_string(doc).map_err(|e| StoreError::InvalidRecord {
        message: format!("record cannot be serialised: {e}"),
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let rows = {
            let scope = scope.clone();
            let selector = selector.clone();
            self.blocking(move |inner| inner.find_rows(collection, &scope, &selector))
                .await?
        };
        Ok(self.inner.filter_rows(collection, scope, selector, rows))
    }

    /// The candidate rows (narrowed by the indexed columns), unfiltered,
    /// read into one buffer on the blocking pool.
    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let scope = scope.clone();
        let selector = selector.clone();
        self.blocking(move |inner| inner.find_raw_rows(collection, &scope, &selector))
            .await
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        // Validate and stamp everything before queueing the write.
        // Serialised here, on the caller's thread: the writer thread only
        // runs SQL, and the records' values are freed where they were built.
        let records = stamp_batch(collection, scope, records, pending_record)?;
        if records.is_empty() {
            return Ok(());
        }
        let op = UpsertOp {
            collection,
            name: self.inner.config.collections.get(collection).to_owned(),
            org: scope.organization_id().to_owned(),
            records,
        };
        self.inner.writer.upsert(op).await
    }

    fn holds_records_without_org(&self) -> bool {
        true
    }

    /// Stored with the empty `org` (no organization is empty), so each id
    /// has one such record; reads of users return them under
    /// [`UserOrgScope::SharedWhenMissing`].
    async fn upsert_without_org(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        let records = without_org_batch(collection, records, pending_record)?;
        if records.is_empty() {
            return Ok(());
        }
        let op = UpsertOp {
            collection,
            name: self.inner.config.collections.get(collection).to_owned(),
            org: String::new(),
            records,
        };
        self.inner.writer.upsert(op).await
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        let op = DeleteOp {
            name: self.inner.config.collections.get(collection).to_owned(),
            org: scope.organization_id().to_owned(),
            key: id_key(id),
        };
        let text = self.inner.writer.delete(op).await?;
        Ok(text.map(|t| match serde_json::from_str::<Document>(&t) {
            Ok(doc) => doc,
            Err(e) => {
                tracing::warn!(%collection, error = %e, "deleted a stored record that was not valid JSON");
                Document::new()
            }
        }))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.blocking(|inner| inner.ping()).await
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let after = after.cloned();
        self.blocking(move |inner| inner.scan_rows(collection, after.as_ref(), limit))
            .await
    }
}
