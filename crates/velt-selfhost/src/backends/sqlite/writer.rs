//! The single writer of a [`SqliteStore`](super::SqliteStore): group commit.
//!
//! One dedicated thread owns the write connection. Callers put a job (one
//! `upsert_many` batch or one `delete`) on a bounded queue and wait for its
//! answer. The thread takes the first job, begins an `IMMEDIATE`
//! transaction (waiting for the database lock if another process holds
//! it), then keeps taking jobs from the queue, one after another, until
//! it is empty or the group holds `max_group` jobs: a job that queues
//! while the group is being applied still joins it. Each job runs inside its own `SAVEPOINT`: a job that
//! fails is rolled back to its savepoint and answers its own error, the
//! others are unaffected. The group then commits once (one WAL fsync with
//! `synchronous=FULL`), and only after that commit succeeds does any job
//! of the group get its answer. Jobs apply in arrival order.
//!
//! Shutdown: dropping the last handle closes the queue; the thread still
//! applies and answers every job already queued, then closes the
//! connection, and the drop waits for it. A caller whose job never reaches
//! a commit gets an error, never a false success.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};

use super::{map_err, string_at, to_json};
use crate::store::{Collection, Document, StoreError, merge_record};

/// One `upsert_many` batch, validated and stamped by the caller.
pub(super) struct UpsertOp {
    /// The collection (for messages).
    pub collection: Collection,
    /// Its stored name (the `collection` column).
    pub name: String,
    /// The organization of the scope.
    pub org: String,
    /// The records in the caller's order.
    pub records: Vec<PendingRecord>,
}

/// One stamped record of an [`UpsertOp`], serialised by the caller.
pub(super) struct PendingRecord {
    /// Its `id_key`.
    pub key: String,
    /// The record's JSON text (what an insert stores).
    pub json: String,
    /// Its `metadata.documentId` when a string (the indexed column).
    pub document_id: Option<String>,
    /// Its `metadata.folderId` when a string (the indexed column).
    pub folder_id: Option<String>,
}

/// One `delete`.
pub(super) struct DeleteOp {
    /// Stored collection name.
    pub name: String,
    /// The organization of the scope.
    pub org: String,
    /// The record's `id_key`.
    pub key: String,
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// A queued write and where its answer goes.
enum Job {
    Upsert(UpsertOp, Reply<()>),
    Delete(DeleteOp, Reply<Option<String>>),
}

/// A job applied inside the open transaction, waiting for the commit.
enum Applied {
    Upsert(Reply<()>, Result<(), StoreError>),
    Delete(Reply<Option<String>>, Result<Option<String>, StoreError>),
}

/// Handle on the writer thread; dropping it drains the queue and joins.
pub(super) struct Writer {
    queue: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    commits: Arc<AtomicU64>,
    /// Calls whose job is queued or being applied and not yet answered.
    in_flight: AtomicUsize,
}

/// Counts a call in [`Writer::in_flight`] until it is answered or dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Writer {
    /// Starts the writer thread on `conn`, with a queue of `queue` jobs and
    /// groups of at most `max_group` jobs (both at least 1).
    pub(super) fn start(
        conn: Connection,
        queue: usize,
        max_group: usize,
    ) -> Result<Self, StoreError> {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let commits = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&commits);
        let max_group = max_group.max(1);
        let thread = std::thread::Builder::new()
            .name("velt-sqlite-writer".into())
            .spawn(move || run(conn, rx, max_group, &counter))
            .map_err(|e| StoreError::Unavailable {
                message: format!("cannot start the SQLite writer thread: {e}"),
                source: Some(Box::new(e)),
            })?;
        Ok(Self {
            queue: Some(tx),
            thread: Some(thread),
            commits,
            in_flight: AtomicUsize::new(0),
        })
    }

    /// Saves a batch; returns once it is committed (or failed alone).
    pub(super) async fn upsert(&self, op: UpsertOp) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Upsert(op, reply), answer).await
    }

    /// Deletes a record; returns its JSON text once the delete is committed.
    pub(super) async fn delete(&self, op: DeleteOp) -> Result<Option<String>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Delete(op, reply), answer).await
    }

    async fn submit<T>(
        &self,
        job: Job,
        answer: oneshot::Receiver<Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let queue = self.queue.as_ref().ok_or_else(stopped)?;
        queue.send(job).await.map_err(|_| stopped())?;
        // Counted once queued, so the count orders calls by arrival.
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        let _counted = InFlight(&self.in_flight);
        answer.await.map_err(|_| StoreError::Backend {
            message: "the SQLite writer failed before answering; the write was not committed"
                .into(),
            source: None,
        })?
    }

    /// The count behind [`Writer::commits`], for the checkpoint thread.
    pub(super) fn commit_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.commits)
    }

    /// Transactions committed so far.
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    /// Calls queued (in arrival order) or being applied, not yet answered.
    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// True when the writer thread is gone (it never stops on its own).
    pub(super) fn is_stopped(&self) -> bool {
        self.queue.as_ref().is_none_or(|q| q.is_closed())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue lets the thread finish what is queued and exit.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            // The thread catches panics of a group, so join only fails if
            // the loop itself panicked; nothing is left to clean up then.
            let _ = thread.join();
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable {
        message: "the SQLite writer has stopped".into(),
        source: None,
    }
}

/// The writer thread: one group per iteration until the queue closes and
/// is empty.
fn run(mut conn: Connection, mut rx: mpsc::Receiver<Job>, max_group: usize, commits: &AtomicU64) {
    while let Some(first) = rx.blocking_recv() {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            commit_group(&mut conn, &mut rx, first, max_group, commits);
        }));
        if outcome.is_err() {
            // The group's transaction rolled back while unwinding and its
            // reply channels were dropped: those callers got an error.
            tracing::error!(
                "the SQLite writer recovered from a panic; that group was not committed"
            );
        }
    }
}

fn commit_group(
    conn: &mut Connection,
    rx: &mut mpsc::Receiver<Job>,
    first: Job,
    max_group: usize,
    commits: &AtomicU64,
) {
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            first.fail(&map_err("starting a transaction", e));
            return;
        }
    };
    // Every job that queues while the group is being applied joins it
    // (up to `max_group`): the queue is drained until it is empty, not
    // once, so jobs arriving during the apply share this commit's fsync.
    let mut applied = Vec::new();
    let mut next = Some(first);
    while let Some(job) = next.take() {
        match apply_in_savepoint(&mut tx, job) {
            Ok(done) => applied.push(done),
            Err(err) => {
                // A savepoint could not be opened or closed: the
                // transaction state is unknown, so nothing of this group
                // commits (dropping `tx` rolls it back). Jobs still queued
                // stay queued for the next group.
                drop(tx);
                applied.into_iter().for_each(|a| a.fail(&err));
                return;
            }
        }
        if applied.len() < max_group {
            next = rx.try_recv().ok();
        }
    }
    match tx.commit() {
        Ok(()) => {
            commits.fetch_add(1, Ordering::AcqRel);
            applied.into_iter().for_each(Applied::send);
        }
        Err(e) => {
            let err = map_err("committing", e);
            applied.into_iter().for_each(|a| a.fail(&err));
        }
    }
}

/// Runs one job in its own savepoint: released on success, rolled back
/// (and released) on failure. `Err` only when the savepoint itself failed;
/// the job has then already been answered with that error.
fn apply_in_savepoint(tx: &mut rusqlite::Transaction<'_>, job: Job) -> Result<Applied, StoreError> {
    let sp = match tx.savepoint() {
        Ok(sp) => sp,
        Err(e) => {
            let err = map_err("opening a savepoint", e);
            job.fail(&err);
            return Err(err);
        }
    };
    let (applied, ok) = match job {
        Job::Upsert(op, reply) => {
            let result = upsert(&sp, op);
            let ok = result.is_ok();
            (Applied::Upsert(reply, result), ok)
        }
        Job::Delete(op, reply) => {
            let result = delete(&sp, &op);
            let ok = result.is_ok();
            (Applied::Delete(reply, result), ok)
        }
    };
    let finished = if ok { sp.commit() } else { sp.finish() };
    match finished {
        Ok(()) => Ok(applied),
        Err(e) => {
            let err = map_err("closing a savepoint", e);
            applied.fail(&err);
            Err(err)
        }
    }
}

impl Job {
    /// Answers the job with (a copy of) `err` without applying it.
    fn fail(self, err: &StoreError) {
        match self {
            Job::Upsert(_, reply) => {
                let _ = reply.send(Err(copy_err(err)));
            }
            Job::Delete(_, reply) => {
                let _ = reply.send(Err(copy_err(err)));
            }
        }
    }
}

impl Applied {
    /// Sends the job's own result (after the commit).
    fn send(self) {
        // A caller that stopped waiting (request cancelled) is not an
        // error: its write is committed all the same.
        match self {
            Applied::Upsert(reply, result) => {
                let _ = reply.send(result);
            }
            Applied::Delete(reply, result) => {
                let _ = reply.send(result);
            }
        }
    }

    /// Answers with the job's own error if it failed, else with `err`
    /// (the group did not commit, so its work was rolled back).
    fn fail(self, err: &StoreError) {
        match self {
            Applied::Upsert(reply, result) => {
                let _ = reply.send(result.and(Err(copy_err(err))));
            }
            Applied::Delete(reply, result) => {
                let _ = reply.send(result.and(Err(copy_err(err))));
            }
        }
    }
}

/// The same error kind and message, for every job of a failed group (the
/// driver's source error cannot be cloned).
fn copy_err(err: &StoreError) -> StoreError {
    match err {
        StoreError::Unavailable { message, .. } => StoreError::Unavailable {
            message: message.clone(),
            source: None,
        },
        StoreError::DuplicateKey { message } => StoreError::DuplicateKey {
            message: message.clone(),
        },
        StoreError::InvalidRecord { message } => StoreError::InvalidRecord {
            message: message.clone(),
        },
        other => StoreError::Backend {
            message: other.to_string(),
            source: None,
        },
    }
}

/// Inserts new records and merges existing ones (see
/// [`Store::upsert_many`](crate::store::Store::upsert_many)).
fn upsert(conn: &Connection, op: UpsertOp) -> Result<(), StoreError> {
    let UpsertOp {
        collection,
        name,
        org,
        records,
    } = op;
    let mut select = conn
        .prepare_cached(
            "SELECT seq, doc FROM velt_records WHERE collection = ?1 AND org = ?2 AND id_key = ?3",
        )
        .map_err(|e| map_err("saving records", e))?;
    let mut update = conn
        .prepare_cached(
            "UPDATE velt_records SET doc = ?1, document_id = ?2, folder_id = ?3 WHERE seq = ?4",
        )
        .map_err(|e| map_err("saving records", e))?;
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO velt_records (collection, org, id_key, document_id, folder_id, doc) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (collection, org, id_key) DO NOTHING",
        )
        .map_err(|e| map_err("saving records", e))?;
    for PendingRecord {
        key,
        json,
        document_id,
        folder_id,
    } in records
    {
        // A new record is one statement (the insert finds its place in the
        // unique index once); an existing one (the insert changed nothing)
        // is read, merged and updated.
        let inserted = insert
            .execute(params![name, org, key, document_id, folder_id, json])
            .map_err(|e| map_err("saving records", e))?;
        if inserted > 0 {
            continue;
        }
        let (seq, text): (i64, String) = select
            .query_row(params![name, org, key], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| map_err("saving records", e))?;
        let parse = |text: &str, what: &str| {
            serde_json::from_str::<Document>(text).map_err(|e| StoreError::Backend {
                message: format!("{what} {collection} record {key} is not valid JSON: {e}"),
                source: None,
            })
        };
        let mut doc = parse(&text, "stored")?;
        merge_record(&mut doc, parse(&json, "incoming")?);
        let merged = to_json(&doc)?;
        update
            .execute(params![
                merged,
                string_at(&doc, "metadata.documentId"),
                string_at(&doc, "metadata.folderId"),
                seq
            ])
            .map_err(|e| map_err("saving records", e))?;
    }
    Ok(())
}

/// Deletes one record, returning its JSON text.
fn delete(conn: &Connection, op: &DeleteOp) -> Result<Option<String>, StoreError> {
    conn.prepare_cached(
        "DELETE FROM velt_records WHERE collection = ?1 AND org = ?2 AND id_key = ?3 RETURNING doc",
    )
    .and_then(|mut stmt| {
        stmt.query_row(params![op.name, op.org, op.key], |r| r.get(0))
            .optional()
    })
    .map_err(|e| map_err("deleting a record", e))
}
