//! [`LocalDirStorage`]: attachment files in a local directory.
//!
//! Files are stored under `<root>/attachments/<org>/<uuid>.<ext>` with the
//! content type beside them in `<file>.meta` (JSON). The URL saved in the
//! attachment record is `<public_base_url>/<key>`; a web server serves
//! `GET <public_base_url>/<key>` with [`AttachmentStorage::get`].
//! Keys given to `get`/`delete` are checked so they cannot leave the root.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::{AttachmentStorage, PutContext, StorageError, StoredObject};

/// Default size limit of one upload: 25 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// Default public base URL of stored files.
pub const DEFAULT_PUBLIC_BASE_URL: &str = "/files";

/// Attachment storage in a local directory.
#[derive(Debug, Clone)]
pub struct LocalDirStorage {
    root: PathBuf,
    public_base_url: String,
    max_bytes: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
}

impl LocalDirStorage {
    /// Storage under `root` (created on first upload), URLs under
    /// [`DEFAULT_PUBLIC_BASE_URL`], uploads up to [`DEFAULT_MAX_BYTES`].
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            public_base_url: DEFAULT_PUBLIC_BASE_URL.to_owned(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// Sets the base of returned URLs (`https://files.example.com/velt`,
    /// `/files`...); a trailing `/` is ignored.
    pub fn public_base_url(mut self, url: impl Into<String>) -> Self {
        let url: String = url.into();
        self.public_base_url = url.trim_end_matches('/').to_owned();
        self
    }

    /// Sets the largest accepted upload, in bytes.
    pub fn max_bytes(mut self, max: u64) -> Self {
        self.max_bytes = max;
        self
    }

    /// The storage root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The URL of the object stored under `key`.
    pub fn url_for(&self, key: &str) -> String {
        format!("{}/{}", self.public_base_url, key)
    }

    /// The key named by a stored `file` value: a URL under the public base
    /// URL, or a bare key. `None` for URLs elsewhere.
    pub fn key_from_url<'a>(&self, url_or_key: &'a str) -> Option<&'a str> {
        let prefix = format!("{}/", self.public_base_url);
        if let Some(key) = url_or_key.strip_prefix(prefix.as_str()) {
            return Some(key);
        }
        if url_or_key.contains("://") || url_or_key.starts_with('/') {
            return None;
        }
        Some(url_or_key)
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, StorageError> {
        validate_key(key)?;
        let mut path = self.root.clone();
        for seg in key.split('/') {
            path.push(seg);
        }
        Ok(path)
    }
}

/// The directory name of an organization: the id itself when it is made of
/// `[A-Za-z0-9_-]` (dots allowed after the first character), else `~` and
/// the hex of its UTF-8 bytes (so no id can name `..` or a subdirectory,
/// and encoded names cannot collide with plain ones).
pub fn org_segment(org: &str) -> String {
    let plain = !org.is_empty()
        && org.len() <= 128
        && org
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !org.starts_with('.');
    if plain {
        org.to_owned()
    } else {
        let mut s = String::with_capacity(1 + org.len() * 2);
        s.push('~');
        for b in org.bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

/// The extension of `file_name` (after its last `.`), reduced to ASCII
/// letters and digits, at most 16 of them; `None` when nothing is left.
fn sanitized_ext(file_name: &str) -> Option<String> {
    let (_, ext) = file_name.rsplit_once('.')?;
    let ext: String = ext
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    (!ext.is_empty()).then_some(ext)
}

/// Rejects keys that could leave the root: empty, absolute, with `\`, NUL,
/// empty / `.` / `..` segments, or naming a `.meta` side file.
fn validate_key(key: &str) -> Result<(), StorageError> {
    let bad = |why: &str| Err(StorageError::InvalidKey(format!("{why}: {key:?}")));
    if key.is_empty() {
        return bad("empty key");
    }
    if key.contains('\0') || key.contains('\\') {
        return bad("forbidden character in key");
    }
    if key.starts_with('/') || key.contains(':') {
        return bad("absolute key");
    }
    if key
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return bad("invalid path segment in key");
    }
    if key.ends_with(".meta") {
        return bad("reserved key");
    }
    Ok(())
}

fn io_err(what: &str, e: std::io::Error) -> StorageError {
    StorageError::Backend {
        message: format!("{what}: {e}"),
        source: Some(Box::new(e)),
    }
}

fn meta_path(path: &Path) -> PathBuf {
    let mut os = path.as_os_str().to_owned();
    os.push(".meta");
    PathBuf::from(os)
}

#[async_trait]
impl AttachmentStorage for LocalDirStorage {
    async fn put(
        &self,
        ctx: &PutContext,
        file_name: &str,
        content_type: Option<&str>,
        data: Bytes,
    ) -> Result<String, StorageError> {
        let size = data.len() as u64;
        if size > self.max_bytes {
            return Err(StorageError::TooLarge {
                size,
                limit: self.max_bytes,
            });
        }
        let mut name = uuid::Uuid::new_v4().to_string();
        if let Some(ext) = sanitized_ext(file_name) {
            name.push('.');
            name.push_str(&ext);
        }
        let key = format!("attachments/{}/{}", org_segment(&ctx.organization_id), name);
        let path = self.path_of(&key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| io_err("cannot create the attachment directory", e))?;
        }
        let meta = Meta {
            content_type: content_type.map(str::to_owned),
            file_name: Some(file_name.to_owned()),
        };
        let meta_json = serde_json::to_vec(&meta).map_err(|e| StorageError::Backend {
            message: format!("cannot encode file metadata: {e}"),
            source: Some(Box::new(e)),
        })?;
        // Write to a temporary name, then rename: readers never see a partial file.
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, &data)
            .await
            .map_err(|e| io_err("cannot write the attachment file", e))?;
        tokio::fs::write(meta_path(&path), meta_json)
            .await
            .map_err(|e| io_err("cannot write the attachment metadata", e))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| io_err("cannot move the attachment file in place", e))?;
        Ok(self.url_for(&key))
    }

    async fn delete(&self, url_or_key: &str) -> Result<bool, StorageError> {
        let Some(key) = self.key_from_url(url_or_key) else {
            return Ok(false);
        };
        let path = self.path_of(key)?;
        let removed = match tokio::fs::remove_file(&path).await {
            Ok(()) => true,
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => return Err(io_err("cannot delete the attachment file", e)),
        };
        match tokio::fs::remove_file(meta_path(&path)).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io_err("cannot delete the attachment metadata", e)),
        }
        Ok(removed)
    }

    async fn delete_owned(&self, ctx: &PutContext, url_or_key: &str) -> Result<bool, StorageError> {
        let Some(key) = self.key_from_url(url_or_key) else {
            return Ok(false);
        };
        let prefix = format!("attachments/{}/", org_segment(&ctx.organization_id));
        if !key.starts_with(&prefix) {
            tracing::warn!("not deleting a file outside the organization's directory");
            return Ok(false);
        }
        self.delete(key).await
    }

    async fn get(&self, key: &str) -> Result<Option<StoredObject>, StorageError> {
        let path = self.path_of(key)?;
        let data = match tokio::fs::read(&path).await {
            Ok(d) => d,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            // A directory or other non-file.
            Err(e) if e.kind() == ErrorKind::IsADirectory => return Ok(None),
            Err(e) => return Err(io_err("cannot read the attachment file", e)),
        };
        let content_type = match tokio::fs::read(meta_path(&path)).await {
            Ok(bytes) => serde_json::from_slice::<Meta>(&bytes)
                .ok()
                .and_then(|m| m.content_type),
            Err(_) => None,
        };
        Ok(Some(StoredObject {
            data: Bytes::from(data),
            content_type,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_escape_the_root_are_rejected() {
        for key in [
            "",
            "../etc/passwd",
            "attachments/../../x",
            "/etc/passwd",
            "attachments\\..\\x",
            "a\0b",
            "attachments//x",
            "attachments/./x",
            "C:/x",
            "attachments/o/f.png.meta",
        ] {
            assert!(validate_key(key).is_err(), "{key:?} accepted");
        }
        assert!(validate_key("attachments/org-1/abc.png").is_ok());
    }

    #[test]
    fn org_segments_are_safe_and_distinct() {
        assert_eq!(org_segment("org-1"), "org-1");
        assert_eq!(org_segment(".."), "~2e2e");
        assert_eq!(org_segment("a/b"), "~612f62");
        assert_eq!(org_segment(""), "~");
        assert_ne!(org_segment("~61"), "~61");
    }

    #[test]
    fn extensions_are_sanitised() {
        assert_eq!(sanitized_ext("a.png").as_deref(), Some("png"));
        assert_eq!(sanitized_ext("a.tar.gz").as_deref(), Some("gz"));
        assert_eq!(sanitized_ext("noext"), None);
        assert_eq!(sanitized_ext("a."), None);
        assert_eq!(sanitized_ext("x./../../etc").as_deref(), Some("etc"));
        assert_eq!(sanitized_ext("a.p/n\\g").as_deref(), Some("png"));
    }
}
