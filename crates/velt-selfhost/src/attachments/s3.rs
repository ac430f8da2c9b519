//! S3 (and S3-compatible) attachment storage, with the object keys and URLs
//! that velt-py 0.1.10 builds, so records written by velt-py keep working.
//!
//! - Configuration: velt-py's `aws` block with `AWS_*` environment fallbacks
//!   ([`S3Config::from_velt_py_block`]) or the environment alone
//!   ([`S3Config::from_env`]).
//! - Object keys: `attachments/<apiKey>/<uuid4>.<ext>` (see [`object_key`]).
//! - URLs: `<endpoint_url>/<bucket>/<key>` with a custom endpoint, else
//!   `https://<bucket>.s3.<region>.amazonaws.com/<key>`.
//! - Deletes take a URL or a key (velt-py's rules), but never touch anything
//!   outside the `attachments/` prefix of the configured bucket.
//! - Reads (`get`) take a key or a URL, under the same rules. An object
//!   stored without a content type comes back with whatever the server
//!   reports for it (AWS: `binary/octet-stream`).
//! - Object keys are per API key, not per organization (velt-py's layout),
//!   so [`S3Storage::put`] records the owning organization as user metadata
//!   ([`OWNER_METADATA_KEY`], value [`owner_tag`]) and
//!   [`AttachmentStorage::delete_owned`] deletes only objects whose recorded
//!   owner is the caller's organization. Objects without that metadata
//!   (uploaded by velt-py) are never deleted by `delete_owned`.
//!
//! Unlike velt-py (a new boto3 client per call), one [`S3Storage`] holds one
//! pooled HTTP client for its whole life.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, AttributeValue, Attributes, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt,
    PutOptions, PutPayload, RetryConfig,
};

use super::{AttachmentStorage, PutContext, StorageError, StoredObject};

mod config;
mod keys;

pub use config::{S3Config, env_vars};
use keys::is_safe_key_char;
pub use keys::{file_extension, object_key, owner_tag};

/// The prefix every object this storage writes (and may delete) lives under.
pub const KEY_PREFIX: &str = "attachments";

/// The user-metadata name under which [`S3Storage::put`] records the owning
/// organization (sent as the `x-amz-meta-velt-organization-id` header).
pub const OWNER_METADATA_KEY: &str = "velt-organization-id";

/// The region used when neither the config nor `AWS_REGION` gives one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Typed S3 failures. They reach callers as the `source` of
/// [`StorageError::Backend`] (use [`S3Error::from_storage_error`] to get at
/// them). Messages never contain credentials or the API key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum S3Error {
    /// The configured bucket does not exist on the server.
    #[error("S3 bucket `{bucket}` does not exist")]
    NoSuchBucket {
        /// The configured bucket.
        bucket: String,
    },
    /// The server refused the operation (HTTP 403).
    #[error("S3 {operation} denied: {message}")]
    AccessDenied {
        /// `upload`, `download` or `delete`.
        operation: &'static str,
        /// The server's answer (redacted).
        message: String,
    },
    /// The credentials were rejected or could not be obtained (HTTP 401,
    /// no credential source).
    #[error("S3 {operation} not authenticated: {message}")]
    Unauthenticated {
        /// `upload`, `download` or `delete`.
        operation: &'static str,
        /// The server's answer (redacted).
        message: String,
    },
    /// Any other failure: network, timeouts, server errors.
    #[error("S3 {operation} failed: {message}")]
    Service {
        /// `upload`, `download` or `delete`.
        operation: &'static str,
        /// What went wrong (redacted).
        message: String,
    },
}

impl S3Error {
    /// The S3 error behind a [`StorageError::Backend`], if it is one.
    pub fn from_storage_error(err: &StorageError) -> Option<&S3Error> {
        match err {
            StorageError::Backend {
                source: Some(source),
                ..
            } => source.downcast_ref::<S3Error>(),
            _ => None,
        }
    }
}

impl From<S3Error> for StorageError {
    fn from(e: S3Error) -> Self {
        StorageError::Backend {
            message: e.to_string(),
            source: Some(Box::new(e)),
        }
    }
}

/// Attachment storage in an S3 bucket (AWS or any S3-compatible service).
pub struct S3Storage {
    store: AmazonS3,
    config: S3Config,
}

impl fmt::Debug for S3Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Storage")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl S3Storage {
    /// Creates the storage and its HTTP client. No request is sent.
    ///
    /// Credentials: the config's static keys when given. With neither key
    /// given, object_store's environment chain is used
    /// (`AmazonS3Builder::from_env`: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/
    /// `AWS_SESSION_TOKEN`, web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` +
    /// `AWS_ROLE_ARN`), ECS/EKS container credentials, then the EC2 instance
    /// metadata service). Shared config/credential files (`~/.aws`) are not
    /// read, unlike boto3.
    ///
    /// Addressing: with `endpoint_url`, path-style requests to
    /// `<endpoint_url>/<bucket>` (plain `http://` is allowed for such
    /// endpoints); on AWS, virtual-hosted `https://<bucket>.s3.<region>.amazonaws.com`
    /// (path-style when the bucket name contains a `.`). Requests are retried
    /// at most 3 times within 30 s; connecting times out after 5 s and a
    /// request after 120 s.
    ///
    /// Errors with [`StorageError::NotConfigured`] for an empty or malformed
    /// bucket, region or endpoint, or only one of the two keys.
    pub fn new(config: S3Config) -> Result<Self, StorageError> {
        let bucket = config.bucket_name.as_str();
        if bucket.is_empty() || !bucket.chars().all(|c| is_safe_key_char(c) && c != ':') {
            return Err(StorageError::NotConfigured(
                "S3 bucket name is empty or malformed".to_owned(),
            ));
        }
        if config.region.is_empty() || !config.region.chars().all(is_safe_key_char) {
            return Err(StorageError::NotConfigured(
                "S3 region is empty or malformed".to_owned(),
            ));
        }
        if config.access_key_id.is_some() != config.secret_access_key.is_some() {
            return Err(StorageError::NotConfigured(
                "S3 access_key_id and secret_access_key must be given together".to_owned(),
            ));
        }
        let (endpoint, virtual_hosted, allow_http) = match &config.endpoint_url {
            Some(url) => {
                let http = url.starts_with("http://");
                if !(http || url.starts_with("https://")) {
                    return Err(StorageError::NotConfigured(
                        "S3 endpoint_url must start with http:// or https://".to_owned(),
                    ));
                }
                (url.clone(), false, http)
            }
            None if bucket.contains('.') => (
                format!("https://s3.{}.amazonaws.com", config.region),
                false,
                false,
            ),
            None => (
                format!("https://{bucket}.s3.{}.amazonaws.com", config.region),
                true,
                false,
            ),
        };

        let mut builder = match (&config.access_key_id, &config.secret_access_key) {
            (Some(id), Some(secret)) => {
                let b = AmazonS3Builder::new()
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
                match &config.session_token {
                    Some(token) => b.with_token(token),
                    None => b,
                }
            }
            _ => AmazonS3Builder::from_env(),
        };
        let retry = RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(30),
            ..RetryConfig::default()
        };
        builder = builder
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(120)),
            )
            // Both endpoint keys: an `AWS_ENDPOINT_URL_S3` from the environment
            // must not silently send requests elsewhere than the URLs we return.
            .with_config(AmazonS3ConfigKey::Endpoint, endpoint.clone())
            .with_config(AmazonS3ConfigKey::S3Endpoint, endpoint)
            .with_virtual_hosted_style_request(virtual_hosted)
            .with_allow_http(allow_http)
            .with_bucket_name(bucket)
            .with_region(&config.region)
            .with_disable_bulk_delete(true)
            .with_retry(retry);
        let store = builder
            .build()
            .map_err(|e| StorageError::NotConfigured(format!("invalid S3 configuration: {e}")))?;
        Ok(Self { store, config })
    }

    /// The configuration in use.
    pub fn config(&self) -> &S3Config {
        &self.config
    }

    /// The URL velt-py returns for `key`: `<endpoint_url>/<bucket>/<key>`
    /// with a custom endpoint, else `https://<bucket>.s3.<region>.amazonaws.com/<key>`.
    pub fn url_for_key(&self, key: &str) -> String {
        let c = &self.config;
        match &c.endpoint_url {
            Some(endpoint) => format!("{endpoint}/{}/{key}", c.bucket_name),
            None => format!(
                "https://{}.s3.{}.amazonaws.com/{key}",
                c.bucket_name, c.region
            ),
        }
    }

    /// The object key a stored `file`/`url` value (or a bare key) names in
    /// this bucket, following velt-py's rules with two safety additions.
    ///
    /// - A value not starting with `http://`/`https://` is the key itself.
    /// - A URL on an `amazonaws.com` host: velt-py takes everything after
    ///   `.amazonaws.com/`; we also require the host or first path segment to
    ///   be this bucket (`<bucket>.s3….amazonaws.com/<key>` or
    ///   `s3….amazonaws.com/<bucket>/<key>`), otherwise `None`.
    /// - Any other URL: the path after the first segment equal to the bucket
    ///   name (velt-py), otherwise `None`. Query and fragment are ignored.
    ///
    /// `Ok(None)`: the value names nothing in this bucket (or is empty).
    /// `Err(InvalidKey)`: it names a key outside `attachments/` or a malformed
    /// one (`..`, empty segments, control characters): refused for safety.
    pub fn key_for_reference(&self, url_or_key: &str) -> Result<Option<String>, StorageError> {
        let key = if let Some(rest) = url_or_key
            .strip_prefix("https://")
            .or_else(|| url_or_key.strip_prefix("http://"))
        {
            match self.key_from_url(rest) {
                Some(key) => key,
                None => return Ok(None),
            }
        } else {
            url_or_key.to_owned()
        };
        if key.trim().is_empty() {
            return Ok(None);
        }
        validate_key(&key)?;
        Ok(Some(key))
    }

    /// `rest` is the URL without its scheme.
    fn key_from_url(&self, rest: &str) -> Option<String> {
        let bucket = self.config.bucket_name.as_str();
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = host_port
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let key = if host == "amazonaws.com" || host.ends_with(".amazonaws.com") {
            let virtual_prefix = format!("{}.s3", bucket.to_ascii_lowercase());
            if host.starts_with(&virtual_prefix)
                && matches!(host.as_bytes().get(virtual_prefix.len()), Some(b'.' | b'-'))
            {
                path
            } else if host.starts_with("s3.") || host.starts_with("s3-") {
                let (first, key) = path.split_once('/')?;
                if first != bucket {
                    return None;
                }
                key
            } else {
                return None;
            }
        } else {
            let mut segments = path.splitn(2, '/');
            loop {
                let first = segments.next()?;
                let remainder = segments.next()?;
                if first == bucket {
                    break remainder;
                }
                segments = remainder.splitn(2, '/');
            }
        };
        (!key.is_empty()).then(|| key.to_owned())
    }

    /// Maps an object_store error to a typed, redacted storage error.
    fn backend_error(
        &self,
        operation: &'static str,
        err: &object_store::Error,
        key: &str,
        api_key: Option<&str>,
    ) -> StorageError {
        let mut message = err.to_string();
        // The API key is a key segment and appears in request URIs; scrub it.
        let mut secrets: Vec<&str> = Vec::new();
        if let Some(k) = api_key.filter(|k| !k.is_empty()) {
            secrets.push(k);
        }
        let mut segments = key.split('/');
        if let (Some(_), Some(seg), Some(_)) = (segments.next(), segments.next(), segments.next()) {
            secrets.push(seg);
        }
        for secret in secrets {
            message = message.replace(secret, "<redacted>");
        }
        let s3 = if message.contains("NoSuchBucket") {
            S3Error::NoSuchBucket {
                bucket: self.config.bucket_name.clone(),
            }
        } else {
            match err {
                object_store::Error::PermissionDenied { .. } => {
                    S3Error::AccessDenied { operation, message }
                }
                object_store::Error::Unauthenticated { .. } => {
                    S3Error::Unauthenticated { operation, message }
                }
                _ => S3Error::Service { operation, message },
            }
        };
        s3.into()
    }
}

/// Checks that `key` is a well-formed key under `attachments/`.
fn validate_key(key: &str) -> Result<ObjectPath, StorageError> {
    let inside = key
        .strip_prefix(KEY_PREFIX)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| !rest.is_empty());
    if !inside {
        return Err(StorageError::InvalidKey(format!(
            "refusing an S3 key outside the `{KEY_PREFIX}/` prefix"
        )));
    }
    let well_formed = key.split('/').all(|seg| {
        !seg.is_empty() && seg != "." && seg != ".." && !seg.chars().any(char::is_control)
    });
    if !well_formed {
        return Err(StorageError::InvalidKey(
            "refusing a malformed S3 key (empty, `.` or `..` segments, or control characters)"
                .to_owned(),
        ));
    }
    let path = ObjectPath::parse(key)
        .map_err(|_| StorageError::InvalidKey("refusing a malformed S3 key".to_owned()))?;
    if path.as_ref() != key {
        return Err(StorageError::InvalidKey(
            "refusing a malformed S3 key".to_owned(),
        ));
    }
    Ok(path)
}

#[async_trait]
impl AttachmentStorage for S3Storage {
    async fn put(
        &self,
        ctx: &PutContext,
        file_name: &str,
        content_type: Option<&str>,
        data: Bytes,
    ) -> Result<String, StorageError> {
        let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if let Some(limit) = self.config.max_file_size
            && size > limit
        {
            return Err(StorageError::TooLarge { size, limit });
        }
        let id = uuid::Uuid::new_v4().to_string();
        let key = object_key(ctx.api_key.as_deref(), file_name, &id)?;
        let path = validate_key(&key)?;
        let mut attributes = Attributes::new();
        if let Some(ct) = content_type.filter(|ct| !ct.is_empty()) {
            attributes.insert(Attribute::ContentType, AttributeValue::from(ct.to_owned()));
        }
        attributes.insert(
            Attribute::Metadata(OWNER_METADATA_KEY.into()),
            AttributeValue::from(owner_tag(&ctx.organization_id)),
        );
        let options = PutOptions::from(attributes);
        self.store
            .put_opts(&path, PutPayload::from(data), options)
            .await
            .map_err(|e| self.backend_error("upload", &e, &key, ctx.api_key.as_deref()))?;
        tracing::debug!(bucket = %self.config.bucket_name, size, "uploaded attachment to S3");
        Ok(self.url_for_key(&key))
    }

    async fn delete(&self, url_or_key: &str) -> Result<bool, StorageError> {
        let Some(key) = self.key_for_reference(url_or_key)? else {
            return Ok(false);
        };
        let path = validate_key(&key)?;
        match self.store.delete(&path).await {
            Ok(()) => Ok(true),
            Err(e) => {
                let err = self.backend_error("delete", &e, &key, None);
                // S3 deletes are idempotent; a plain 404 (not a missing bucket)
                // means the object is already gone.
                if matches!(e, object_store::Error::NotFound { .. })
                    && S3Error::from_storage_error(&err)
                        .is_some_and(|s| !matches!(s, S3Error::NoSuchBucket { .. }))
                {
                    Ok(true)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Deletes the object only when its [`OWNER_METADATA_KEY`] metadata
    /// (read with a HEAD request) equals [`owner_tag`]`(ctx.organization_id)`.
    ///
    /// `Ok(false)`, object kept, when the reference names nothing in this
    /// bucket, the object does not exist, it belongs to another
    /// organization, or it has no owner metadata (uploaded by velt-py or by
    /// another tool): the last two are logged as warnings. Keys are
    /// refused as by [`AttachmentStorage::delete`].
    async fn delete_owned(&self, ctx: &PutContext, url_or_key: &str) -> Result<bool, StorageError> {
        let Some(key) = self.key_for_reference(url_or_key)? else {
            return Ok(false);
        };
        let path = validate_key(&key)?;
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        let owner = match self.store.get_opts(&path, head).await {
            Ok(r) => r
                .attributes
                .get(&Attribute::Metadata(OWNER_METADATA_KEY.into()))
                .map(|v| v.as_ref().to_owned()),
            Err(object_store::Error::NotFound { .. }) => {
                // A HEAD answer has no body, so a missing bucket looks like a
                // missing object: ask again with a GET, whose error names it.
                return match self.store.get(&path).await {
                    Err(e) => {
                        let err = self.backend_error("delete", &e, &key, ctx.api_key.as_deref());
                        let missing_object = matches!(e, object_store::Error::NotFound { .. })
                            && S3Error::from_storage_error(&err)
                                .is_some_and(|s| !matches!(s, S3Error::NoSuchBucket { .. }));
                        if missing_object { Ok(false) } else { Err(err) }
                    }
                    // Created in between (the body is not read): still not ours to judge now.
                    Ok(_) => Ok(false),
                };
            }
            Err(e) => {
                return Err(self.backend_error("delete", &e, &key, ctx.api_key.as_deref()));
            }
        };
        match owner {
            Some(owner) if owner == owner_tag(&ctx.organization_id) => self.delete(&key).await,
            Some(_) => {
                tracing::warn!(
                    bucket = %self.config.bucket_name,
                    organization_id = %ctx.organization_id,
                    "not deleting an S3 attachment owned by another organization"
                );
                Ok(false)
            }
            None => {
                tracing::warn!(
                    bucket = %self.config.bucket_name,
                    "not deleting an S3 attachment without owner metadata \
                     (uploaded by velt-py or another tool); the file is left in the bucket"
                );
                Ok(false)
            }
        }
    }

    async fn get(&self, key: &str) -> Result<Option<StoredObject>, StorageError> {
        let Some(key) = self.key_for_reference(key)? else {
            return Ok(None);
        };
        let path = validate_key(&key)?;
        let result = match self.store.get(&path).await {
            Ok(r) => r,
            Err(e) => {
                let err = self.backend_error("download", &e, &key, None);
                let missing_object = matches!(e, object_store::Error::NotFound { .. })
                    && S3Error::from_storage_error(&err)
                        .is_some_and(|s| !matches!(s, S3Error::NoSuchBucket { .. }));
                return if missing_object { Ok(None) } else { Err(err) };
            }
        };
        let content_type = result
            .attributes
            .get(&Attribute::ContentType)
            .map(|v| v.as_ref().to_owned());
        let data = result
            .bytes()
            .await
            .map_err(|e| self.backend_error("download", &e, &key, None))?;
        Ok(Some(StoredObject { data, content_type }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(bucket: &str) -> S3Storage {
        S3Storage::new(
            S3Config::new(bucket)
                .with_credentials("id", "secret")
                .with_region("eu-west-1"),
        )
        .unwrap()
    }

    fn custom(bucket: &str) -> S3Storage {
        S3Storage::new(
            S3Config::new(bucket)
                .with_credentials("id", "secret")
                .with_endpoint_url("http://127.0.0.1:9000/"),
        )
        .unwrap()
    }

    #[test]
    fn urls_match_velt_py() {
        assert_eq!(
            aws("my-bucket").url_for_key("attachments/K/u.png"),
            "https://my-bucket.s3.eu-west-1.amazonaws.com/attachments/K/u.png"
        );
        assert_eq!(
            custom("my-bucket").url_for_key("attachments/K/u.png"),
            "http://127.0.0.1:9000/my-bucket/attachments/K/u.png"
        );
    }

    fn key(s: &S3Storage, v: &str) -> Option<String> {
        s.key_for_reference(v).unwrap()
    }

    #[test]
    fn references_resolve_like_velt_py() {
        let a = aws("my-bucket");
        let c = custom("my-bucket");
        let k = "attachments/K/u.png";
        // Bare keys.
        assert_eq!(key(&a, k).as_deref(), Some(k));
        assert_eq!(key(&c, k).as_deref(), Some(k));
        assert_eq!(key(&a, ""), None);
        // Our own URLs round-trip.
        assert_eq!(key(&a, &a.url_for_key(k)).as_deref(), Some(k));
        assert_eq!(key(&c, &c.url_for_key(k)).as_deref(), Some(k));
        // Other AWS URL shapes for the same bucket.
        for url in [
            "https://my-bucket.s3.amazonaws.com/attachments/K/u.png",
            "https://my-bucket.s3-eu-west-1.amazonaws.com/attachments/K/u.png",
            "https://my-bucket.s3.dualstack.eu-west-1.amazonaws.com/attachments/K/u.png",
            "https://s3.eu-west-1.amazonaws.com/my-bucket/attachments/K/u.png",
            "https://MY-BUCKET.s3.eu-west-1.amazonaws.com/attachments/K/u.png?x=1#f",
            "http://my-bucket.s3.eu-west-1.amazonaws.com:443/attachments/K/u.png",
        ] {
            assert_eq!(key(&a, url).as_deref(), Some(k), "{url}");
        }
        // Non-AWS URLs: the path after the bucket segment, any host (CDN, proxy).
        for url in [
            "http://127.0.0.1:9000/my-bucket/attachments/K/u.png",
            "https://cdn.example.com/prefix/my-bucket/attachments/K/u.png",
        ] {
            assert_eq!(key(&c, url).as_deref(), Some(k), "{url}");
            assert_eq!(key(&a, url).as_deref(), Some(k), "{url}");
        }
        // Nothing of ours.
        for url in [
            "https://other-bucket.s3.eu-west-1.amazonaws.com/attachments/K/u.png",
            "https://my-bucket-2.s3.eu-west-1.amazonaws.com/attachments/K/u.png",
            "https://s3.eu-west-1.amazonaws.com/other/attachments/K/u.png",
            "https://example.amazonaws.com/attachments/K/u.png",
            "https://cdn.example.com/attachments/K/u.png",
            "https://cdn.example.com/my-bucket",
            "https://cdn.example.com/my-bucket/",
            "http://127.0.0.1:9000/my-bucket/",
        ] {
            assert_eq!(key(&a, url), None, "{url}");
            assert_eq!(key(&c, url), None, "{url}");
        }
    }

    #[test]
    fn references_outside_attachments_are_refused() {
        let a = aws("my-bucket");
        for v in [
            "secrets/x.txt",
            "attachments",
            "attachments/",
            "/attachments/K/u.png",
            "attachments//u.png",
            "attachments/../secrets/x",
            "attachments/K/../../x",
            "attachments/./x",
            "attachments/K/u.png/",
            "attachmentsX/u.png",
            "https://my-bucket.s3.eu-west-1.amazonaws.com/secrets/x.txt",
            "https://s3.eu-west-1.amazonaws.com/my-bucket/attachments/../x",
            "http://127.0.0.1:9000/my-bucket/other/x",
        ] {
            let err = a.key_for_reference(v).unwrap_err();
            assert!(matches!(err, StorageError::InvalidKey(_)), "{v}: {err:?}");
        }
    }

    #[test]
    fn bad_configs_are_typed_errors() {
        let cases = [
            S3Config::new(""),
            S3Config::new("a/b"),
            S3Config::new("b").with_region(""),
            S3Config::new("b").with_endpoint_url("ftp://x"),
            S3Config {
                access_key_id: Some("id".into()),
                ..S3Config::new("b")
            },
        ];
        for c in cases {
            let err = S3Storage::new(c.clone()).unwrap_err();
            assert!(
                matches!(err, StorageError::NotConfigured(_)),
                "{c:?}: {err:?}"
            );
        }
    }

    #[test]
    fn s3_errors_are_reachable_through_storage_error() {
        let e: StorageError = S3Error::NoSuchBucket { bucket: "b".into() }.into();
        assert_eq!(e.to_string(), "S3 bucket `b` does not exist");
        assert_eq!(
            S3Error::from_storage_error(&e),
            Some(&S3Error::NoSuchBucket { bucket: "b".into() })
        );
        assert_eq!(
            S3Error::from_storage_error(&StorageError::InvalidKey("x".into())),
            None
        );
    }
}
