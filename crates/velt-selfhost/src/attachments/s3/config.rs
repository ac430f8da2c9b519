//! [`S3Config`]: velt-py's `aws` block, with the `AWS_*` environment as
//! fallback, or the environment alone.

use std::fmt;

use serde_json::{Map, Value};

use super::DEFAULT_REGION;

/// Environment variable names read as fallbacks (velt-py's, plus the session token).
pub mod env_vars {
    /// Access key id fallback.
    pub const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
    /// Secret access key fallback.
    pub const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
    /// Session token fallback (not read by velt-py; needed for temporary credentials).
    pub const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
    /// Bucket fallback; without a bucket S3 is disabled.
    pub const BUCKET_NAME: &str = "AWS_S3_BUCKET_NAME";
    /// Region fallback.
    pub const REGION: &str = "AWS_REGION";
    /// Custom endpoint fallback (MinIO, DigitalOcean Spaces, moto, ...).
    pub const ENDPOINT_URL: &str = "AWS_S3_ENDPOINT_URL";
}

/// Connection settings for [`S3Storage`](super::S3Storage).
///
/// Build it from velt-py's `aws` config block ([`S3Config::from_velt_py_block`]),
/// from the environment ([`S3Config::from_env`]) or with [`S3Config::new`] and
/// the `with_*` methods. `Debug` never shows the credentials.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct S3Config {
    /// Access key id. With neither key set, credentials come from the
    /// environment's default chain (see [`S3Storage::new`](super::S3Storage::new)).
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
    /// Session token for temporary credentials (an addition to velt-py).
    pub session_token: Option<String>,
    /// The bucket. Must exist: the storage never creates it.
    pub bucket_name: String,
    /// The region (default `us-east-1`).
    pub region: String,
    /// Endpoint of an S3-compatible service, e.g. `http://127.0.0.1:9000`
    /// (trailing `/` removed). `None` means AWS itself.
    pub endpoint_url: Option<String>,
    /// Largest accepted upload in bytes; `None` means no limit of our own
    /// (S3 itself refuses single uploads over 5 GiB).
    pub max_file_size: Option<u64>,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("S3Config")
            .field("access_key_id", &redact(&self.access_key_id))
            .field("secret_access_key", &redact(&self.secret_access_key))
            .field("session_token", &redact(&self.session_token))
            .field("bucket_name", &self.bucket_name)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("max_file_size", &self.max_file_size)
            .finish()
    }
}

impl S3Config {
    /// A config for `bucket_name` in `us-east-1` on AWS, with credentials
    /// from the default chain.
    pub fn new(bucket_name: impl Into<String>) -> Self {
        Self {
            access_key_id: None,
            secret_access_key: None,
            session_token: None,
            bucket_name: bucket_name.into(),
            region: DEFAULT_REGION.to_owned(),
            endpoint_url: None,
            max_file_size: None,
        }
    }

    /// Sets static credentials.
    pub fn with_credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        self.access_key_id = Some(access_key_id.into());
        self.secret_access_key = Some(secret_access_key.into());
        self
    }

    /// Sets a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Sets the endpoint of an S3-compatible service (a trailing `/` is removed).
    pub fn with_endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(trim_endpoint(endpoint_url.into()));
        self
    }

    /// Sets the largest accepted upload in bytes.
    pub fn with_max_file_size(mut self, max: u64) -> Self {
        self.max_file_size = Some(max);
        self
    }

    /// Reads velt-py's `aws` config block, with the process environment as
    /// fallback. See [`S3Config::from_velt_py_block_with`].
    pub fn from_velt_py_block(block: &Value) -> Option<Self> {
        Self::from_velt_py_block_with(block, |name| std::env::var(name).ok())
    }

    /// Reads velt-py's `aws` config block with `env` as the environment.
    ///
    /// As velt-py: the block must be a non-empty object, otherwise S3 is off
    /// (`None`) whatever the environment says. Each key (`access_key_id`,
    /// `secret_access_key`, `bucket_name`, `region`, `endpoint_url`, and our
    /// addition `session_token`) falls back to its `AWS_*` variable
    /// ([`env_vars`]) when missing or falsy; the region defaults to
    /// `us-east-1`. Without a bucket, S3 is off (`None`). Only non-empty
    /// strings count as values: other JSON values are treated as missing
    /// (and logged).
    pub fn from_velt_py_block_with(
        block: &Value,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<Self> {
        let map = block.as_object()?;
        if map.is_empty() {
            return None;
        }
        Self::resolve(map, &env)
    }

    /// S3 settings from the `AWS_*` environment variables alone (no `aws`
    /// block needed); `None` without `AWS_S3_BUCKET_NAME`.
    pub fn from_env() -> Option<Self> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// [`S3Config::from_env`] with `env` as the environment.
    pub fn from_env_with(env: impl Fn(&str) -> Option<String>) -> Option<Self> {
        Self::resolve(&Map::new(), &env)
    }

    fn resolve(map: &Map<String, Value>, env: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        let get = |key: &str, var: &str| -> Option<String> {
            let from_block = match map.get(key) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(v) if is_truthy_non_string(v) => {
                    tracing::warn!(
                        key,
                        "aws config value is not a string; ignored (falling back to {var})"
                    );
                    None
                }
                _ => None,
            };
            from_block.or_else(|| env(var).filter(|s| !s.is_empty()))
        };
        let bucket_name = get("bucket_name", env_vars::BUCKET_NAME)?;
        Some(Self {
            access_key_id: get("access_key_id", env_vars::ACCESS_KEY_ID),
            secret_access_key: get("secret_access_key", env_vars::SECRET_ACCESS_KEY),
            session_token: get("session_token", env_vars::SESSION_TOKEN),
            bucket_name,
            region: get("region", env_vars::REGION).unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            endpoint_url: get("endpoint_url", env_vars::ENDPOINT_URL).map(trim_endpoint),
            max_file_size: None,
        })
    }
}

fn is_truthy_non_string(v: &Value) -> bool {
    match v {
        Value::Null | Value::String(_) => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn trim_endpoint(mut s: String) -> String {
    while s.ends_with('/') {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachments::s3::S3Storage;
    use serde_json::json;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn block_must_be_a_non_empty_object() {
        let env = env_of(&[("AWS_S3_BUCKET_NAME", "from-env")]);
        assert_eq!(S3Config::from_velt_py_block_with(&json!({}), &env), None);
        assert_eq!(S3Config::from_velt_py_block_with(&Value::Null, &env), None);
        assert_eq!(S3Config::from_velt_py_block_with(&json!("x"), &env), None);
        assert_eq!(S3Config::from_velt_py_block_with(&json!([1]), &env), None);
        // A non-empty block with only falsy values still enables env fallbacks.
        let c = S3Config::from_velt_py_block_with(&json!({"bucket_name": ""}), &env).unwrap();
        assert_eq!(c.bucket_name, "from-env");
    }

    #[test]
    fn block_values_win_over_env() {
        let env = env_of(&[
            ("AWS_ACCESS_KEY_ID", "env-id"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_S3_BUCKET_NAME", "env-bucket"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_S3_ENDPOINT_URL", "http://env:9000"),
            ("AWS_SESSION_TOKEN", "env-token"),
        ]);
        let block = json!({
            "access_key_id": "id",
            "secret_access_key": "secret",
            "bucket_name": "b",
            "region": "ap-south-1",
            "endpoint_url": "http://127.0.0.1:5000/",
        });
        let c = S3Config::from_velt_py_block_with(&block, &env).unwrap();
        assert_eq!(c.access_key_id.as_deref(), Some("id"));
        assert_eq!(c.secret_access_key.as_deref(), Some("secret"));
        assert_eq!(c.session_token.as_deref(), Some("env-token"));
        assert_eq!(c.bucket_name, "b");
        assert_eq!(c.region, "ap-south-1");
        assert_eq!(c.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(c.max_file_size, None);
    }

    #[test]
    fn missing_or_falsy_keys_fall_back_to_env() {
        let env = env_of(&[
            ("AWS_ACCESS_KEY_ID", "env-id"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_S3_BUCKET_NAME", "env-bucket"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_S3_ENDPOINT_URL", "http://env:9000"),
        ]);
        let block = json!({
            "access_key_id": null,
            "secret_access_key": "",
            "bucket_name": false,
            "region": 0,
            "unrelated": "x",
        });
        let c = S3Config::from_velt_py_block_with(&block, &env).unwrap();
        assert_eq!(c.access_key_id.as_deref(), Some("env-id"));
        assert_eq!(c.secret_access_key.as_deref(), Some("env-secret"));
        assert_eq!(c.bucket_name, "env-bucket");
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(c.endpoint_url.as_deref(), Some("http://env:9000"));
    }

    #[test]
    fn non_string_truthy_values_are_ignored() {
        let env = env_of(&[("AWS_S3_BUCKET_NAME", "env-bucket")]);
        let c = S3Config::from_velt_py_block_with(&json!({"bucket_name": 12}), &env).unwrap();
        assert_eq!(c.bucket_name, "env-bucket");
        assert_eq!(
            S3Config::from_velt_py_block_with(&json!({"bucket_name": 12}), no_env),
            None
        );
    }

    #[test]
    fn defaults_and_disabled() {
        let c = S3Config::from_velt_py_block_with(&json!({"bucket_name": "b"}), no_env).unwrap();
        assert_eq!(c, S3Config::new("b"));
        assert_eq!(c.region, "us-east-1");
        assert_eq!(c.access_key_id, None);
        assert_eq!(c.endpoint_url, None);
        // Empty region in the environment -> default.
        let env = env_of(&[("AWS_REGION", "")]);
        let c = S3Config::from_velt_py_block_with(&json!({"bucket_name": "b"}), &env).unwrap();
        assert_eq!(c.region, "us-east-1");
        // No bucket anywhere -> S3 off.
        let block = json!({"access_key_id": "id", "secret_access_key": "s"});
        assert_eq!(S3Config::from_velt_py_block_with(&block, no_env), None);
        let env = env_of(&[("AWS_S3_BUCKET_NAME", "")]);
        assert_eq!(S3Config::from_velt_py_block_with(&block, &env), None);
    }

    #[test]
    fn from_env_alone() {
        assert_eq!(S3Config::from_env_with(no_env), None);
        let env = env_of(&[
            ("AWS_S3_BUCKET_NAME", "b"),
            ("AWS_ACCESS_KEY_ID", "id"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_S3_ENDPOINT_URL", "http://h:1//"),
        ]);
        let c = S3Config::from_env_with(&env).unwrap();
        assert_eq!(
            c,
            S3Config::new("b")
                .with_credentials("id", "secret")
                .with_endpoint_url("http://h:1")
        );
    }

    #[test]
    fn debug_redacts_secrets() {
        let c = S3Config::new("bucket-x")
            .with_credentials("AKIAEXAMPLEID", "very-secret-key")
            .with_session_token("session-tok");
        let s = format!("{c:?}");
        assert!(!s.contains("AKIAEXAMPLEID"), "{s}");
        assert!(!s.contains("very-secret-key"), "{s}");
        assert!(!s.contains("session-tok"), "{s}");
        assert!(s.contains("bucket-x"), "{s}");
        let storage = S3Storage::new(c).unwrap();
        let s = format!("{storage:?}");
        assert!(
            !s.contains("very-secret-key") && !s.contains("AKIAEXAMPLEID"),
            "{s}"
        );
    }
}
