//! WAL checkpoints on a thread of their own.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the WAL
//! past 1,000 pages: the one writer thread then copies the WAL's pages into
//! the database file and fsyncs it before it answers that group or starts
//! the next. With this thread the writer only appends to the WAL: every
//! `interval`, when a group has committed since the last look, a connection
//! of its own runs `PRAGMA wal_checkpoint(PASSIVE)`, which copies what it
//! can without waiting for the writer or for readers, while the writer goes
//! on. The writer keeps an automatic checkpoint at a much larger WAL
//! ([`BACKSTOP_PAGES`]), so the WAL stays bounded if this thread falls
//! behind (readers holding old snapshots, a slow disk).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::store::StoreError;

/// The writer's own automatic checkpoint while this thread runs, in pages.
pub(super) const BACKSTOP_PAGES: i64 = 10_000;

/// Handle on the checkpoint thread; dropping it stops and joins the thread.
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    done: Arc<AtomicU64>,
}

impl Checkpointer {
    /// Starts the thread on `conn`, looking every `interval` at `commits`
    /// (the writer's count of committed groups).
    pub(super) fn start(
        conn: Connection,
        commits: Arc<AtomicU64>,
        interval: Duration,
    ) -> Result<Self, StoreError> {
        let (stop, stopped) = mpsc::channel();
        let done = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&done);
        let thread = std::thread::Builder::new()
            .name("velt-sqlite-checkpoint".into())
            .spawn(move || run(&conn, &stopped, &commits, interval, &counter))
            .map_err(|e| StoreError::Unavailable {
                message: format!("cannot start the SQLite checkpoint thread: {e}"),
                source: Some(Box::new(e)),
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
            done,
        })
    }

    /// Checkpoints run so far.
    pub(super) fn checkpoints(&self) -> u64 {
        self.done.load(Ordering::Acquire)
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Dropping the sender wakes the thread, which then returns.
        self.stop = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    conn: &Connection,
    stopped: &mpsc::Receiver<()>,
    commits: &AtomicU64,
    interval: Duration,
    done: &AtomicU64,
) {
    let mut seen = commits.load(Ordering::Acquire);
    loop {
        match stopped.recv_timeout(interval) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = commits.load(Ordering::Acquire);
        if now == seen {
            continue;
        }
        seen = now;
        // One row: (busy, frames in the WAL, frames checkpointed).
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            Ok(()) => {
                done.fetch_add(1, Ordering::AcqRel);
            }
            Err(e) => {
                tracing::warn!(error = %e, "SQLite checkpoint failed; the writer's own checkpoint still bounds the WAL");
            }
        }
    }
}
