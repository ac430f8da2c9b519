//! Where attachment files live: the [`AttachmentStorage`] contract and its
//! backends (a local directory by default, S3 behind the `s3` feature).

pub mod local;
#[cfg(feature = "s3")]
pub mod s3;

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;

/// Who is storing a file: used to build object keys.
#[derive(Clone, PartialEq, Eq)]
pub struct PutContext {
    /// The organization the attachment belongs to.
    pub organization_id: String,
    /// The configured Velt API key, if any (velt-py puts it in S3 keys).
    pub api_key: Option<String>,
}

impl fmt::Debug for PutContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutContext")
            .field("organization_id", &self.organization_id)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A file read back from storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// The bytes.
    pub data: Bytes,
    /// The content type recorded at upload, if any.
    pub content_type: Option<String>,
}

/// Errors of attachment storage. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The file is larger than the configured limit.
    #[error("file too large: {size} bytes (limit {limit})")]
    TooLarge {
        /// Size of the upload.
        size: u64,
        /// Configured limit.
        limit: u64,
    },
    /// A key or file name that would escape the storage root, or is otherwise unusable.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// The backend is not configured (for example S3 without a bucket).
    #[error("{0}")]
    NotConfigured(String),
    /// The backend failed (I/O, network, the S3 service...).
    #[error("{message}")]
    Backend {
        /// What went wrong.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

/// Storage for uploaded attachment files.
#[async_trait]
pub trait AttachmentStorage: Send + Sync + fmt::Debug {
    /// Stores `data` under a new unique key and returns the URL (or
    /// reference) to save in the attachment record's `file` field.
    async fn put(
        &self,
        ctx: &PutContext,
        file_name: &str,
        content_type: Option<&str>,
        data: Bytes,
    ) -> Result<String, StorageError>;

    /// Deletes the object that a stored `file`/`url` value names. Returns
    /// `Ok(false)` when the value names nothing this storage owns.
    async fn delete(&self, url_or_key: &str) -> Result<bool, StorageError>;

    /// Deletes the object that a stored `file`/`url` value names, but only
    /// when it belongs to `ctx` (the organization deleting the attachment
    /// record). Returns `Ok(false)` when it names nothing this storage owns
    /// for `ctx`. This is what the attachments service calls when a record is
    /// deleted, so that a record pointing at another organization's file can
    /// never delete that file: every backend must prove ownership (the local
    /// directory from the organization segment of its keys, S3 from the
    /// owner recorded as object metadata at upload).
    async fn delete_owned(&self, ctx: &PutContext, url_or_key: &str) -> Result<bool, StorageError>;

    /// Reads the object stored under `key` (as returned in the URL), or
    /// `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<StoredObject>, StorageError>;
}
