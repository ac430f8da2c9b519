//! [`ScanCursor`] and [`ScanPage`]: the types of [`Store::scan`].

use std::fmt;

#[cfg(doc)]
use super::Store;
use super::{Document, StoreError};

/// Position of a [`Store::scan`]: the stable key of the last record read
/// (SQLite's `seq`, PostgreSQL's `id`, MongoDB's `_id` as canonical
/// Extended JSON, the memory store's (organization, id)). Opaque to callers
/// but printable, so it can be saved (a migration checkpoint) and handed
/// back to the same store later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ScanCursor(String);

impl ScanCursor {
    /// A cursor from its saved text.
    pub fn new(key: impl Into<String>) -> Self {
        ScanCursor(key.into())
    }

    /// The saved text of the cursor.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The error a backend reports for a cursor it did not produce.
    pub(crate) fn invalid(&self, backend: &str) -> StoreError {
        StoreError::InvalidRecord {
            message: format!(
                "scan cursor `{}` was not produced by the {backend} store",
                self.0.escape_debug()
            ),
        }
    }
}

impl fmt::Display for ScanCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One page of a [`Store::scan`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanPage {
    /// The records, in the backend's stable key order.
    pub records: Vec<Document>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<ScanCursor>,
}
