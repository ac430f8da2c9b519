//! Settings of a [`SqliteStore`](super::SqliteStore): [`SqliteConfig`] and
//! its commit durability, [`Synchronous`].

use std::path::PathBuf;
use std::time::Duration;

use super::DEFAULT_PATH;
use crate::store::{CollectionNames, UserOrgScope};

/// How hard SQLite works to make a commit durable (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Synchronous {
    /// fsync the WAL at every commit: acknowledged writes survive a process
    /// kill and a power loss. The default.
    #[default]
    Full,
    /// No fsync at commit (WAL mode): acknowledged writes survive a process
    /// kill (`SIGKILL`), but the most recent ones may be lost on power loss.
    Normal,
}

impl Synchronous {
    pub(super) fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        }
    }
}

/// Settings of a [`SqliteStore`](super::SqliteStore).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SqliteConfig {
    /// The database file; parent directories are created.
    pub path: PathBuf,
    /// Commit durability; see [`Synchronous`].
    pub synchronous: Synchronous,
    /// How user records without an organization are scoped (records written
    /// through this store always carry one).
    pub users: UserOrgScope,
    /// Collection names (kept as the `collection` column).
    pub collections: CollectionNames,
    /// How long a connection waits for a lock held by another process.
    pub busy_timeout: Duration,
    /// Reader connections open at most (reads beyond wait for one).
    pub max_readers: usize,
    /// Page cache of each connection, in KiB (`PRAGMA cache_size = -N`).
    pub cache_kib: u32,
    /// Writes waiting for the writer at most; a write beyond waits for
    /// room (back-pressure). At least 1.
    pub write_queue: usize,
    /// Writes sharing one transaction and commit at most. At least 1.
    pub max_group: usize,
    /// How often a thread of its own checkpoints the WAL into the database
    /// file (when something was committed since), so the writer does not
    /// (see `checkpoint.rs`). `Duration::ZERO`: no such thread, SQLite's
    /// automatic checkpoint in the writer's commits.
    pub checkpoint_interval: Duration,
}

impl SqliteConfig {
    /// Settings for the database file at `path`, everything else default.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            synchronous: Synchronous::default(),
            users: UserOrgScope::default(),
            collections: CollectionNames::default(),
            busy_timeout: Duration::from_secs(5),
            max_readers: 4,
            cache_kib: 1024,
            write_queue: 1024,
            max_group: 256,
            checkpoint_interval: Duration::from_millis(100),
        }
    }

    /// Sets [`SqliteConfig::synchronous`].
    pub fn synchronous(mut self, synchronous: Synchronous) -> Self {
        self.synchronous = synchronous;
        self
    }

    /// Sets [`SqliteConfig::max_readers`] (at least 1).
    pub fn max_readers(mut self, max: usize) -> Self {
        self.max_readers = max.max(1);
        self
    }

    /// Sets [`SqliteConfig::write_queue`] (at least 1).
    pub fn write_queue(mut self, len: usize) -> Self {
        self.write_queue = len.max(1);
        self
    }

    /// Sets [`SqliteConfig::max_group`] (at least 1).
    pub fn max_group(mut self, max: usize) -> Self {
        self.max_group = max.max(1);
        self
    }

    /// Sets [`SqliteConfig::checkpoint_interval`].
    pub fn checkpoint_interval(mut self, interval: Duration) -> Self {
        self.checkpoint_interval = interval;
        self
    }

    /// Sets [`SqliteConfig::users`].
    pub fn users(mut self, users: UserOrgScope) -> Self {
        self.users = users;
        self
    }

    /// Sets [`SqliteConfig::collections`].
    pub fn collections(mut self, collections: CollectionNames) -> Self {
        self.collections = collections;
        self
    }
}

impl Default for SqliteConfig {
    fn default() -> Self {
        Self::new(DEFAULT_PATH)
    }
}
