//! Connection settings of a [`PostgresStore`](super::PostgresStore): a
//! `postgres://` URL, pool size, timeouts, TLS, schema management.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::backends::url::percent_decode;
use crate::store::{CollectionNames, UserOrgScope};

use super::PostgresStoreError;

/// velt-py 0.3.0's pool maximum (`pool_max_size`).
const DEFAULT_POOL_SIZE: usize = 5;
/// velt-py 0.3.0's `connect_timeout`.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long schema setup waits for another process holding the DDL lock
/// (velt-py: 60 s).
const DEFAULT_DDL_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// TLS use, as libpq's `sslmode` (also read from the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SslMode {
    /// Plain TCP only.
    Disable,
    /// TLS when the server offers it, plain TCP otherwise (libpq's default).
    /// As in libpq, the certificate is not verified unless a root
    /// certificate is configured (then its chain is).
    #[default]
    Prefer,
    /// TLS or fail. As in libpq, encryption only (no protection against an
    /// active attacker) unless a root certificate is configured, which makes
    /// it [`SslMode::VerifyCa`].
    Require,
    /// TLS with a certificate chain verified against the system roots and
    /// [`PostgresConfig::root_cert`]; the host name is not checked.
    VerifyCa,
    /// TLS with a verified certificate chain and host name.
    VerifyFull,
}

impl SslMode {
    /// Parses libpq's spelling (`disable`, `prefer`, `require`, `verify-ca`,
    /// `verify-full`). `allow` is read as `prefer`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

/// Everything a [`PostgresStore`](super::PostgresStore) needs. Build it with
/// [`PostgresConfig::from_url`] and the builder methods. `Debug` shows the URL
/// with its password replaced by `<redacted>`.
#[derive(Clone)]
#[non_exhaustive]
pub struct PostgresConfig {
    /// `postgres://` or `postgresql://` URL (libpq's URI form). `sslmode`,
    /// `sslrootcert` and `connect_timeout` in its query are honoured.
    pub url: String,
    /// The PostgreSQL schema holding the tables (velt-py: `public`).
    pub schema: String,
    /// Table names (velt-py's `collections` block).
    pub collections: CollectionNames,
    /// How user records without `organizationId` are scoped.
    pub users: UserOrgScope,
    /// Pooled connections at most.
    pub pool_size: usize,
    /// Upper bound for opening a connection (and for waiting for a free one).
    pub connect_timeout: Duration,
    /// Server-side `statement_timeout` of every pooled connection (none when
    /// `None`).
    pub statement_timeout: Option<Duration>,
    /// TLS use; overrides the URL's `sslmode` when set.
    pub ssl_mode: Option<SslMode>,
    /// A PEM file of extra trusted root certificates (also read from the
    /// URL's `sslrootcert`).
    pub root_cert: Option<PathBuf>,
    /// Create the schema, tables and indexes when the store connects (on by
    /// default). Off for roles that cannot run DDL: hand
    /// [`postgres_schema_sql`](super::postgres_schema_sql) to a DBA instead.
    pub manage_schema: bool,
    /// Extra user fields to index (the fields a `user_schema` maps `userId`
    /// to; velt-py indexes them).
    pub user_lookup_fields: Vec<String>,
    /// How long schema setup waits for another process doing it.
    pub ddl_lock_timeout: Duration,
}

impl fmt::Debug for PostgresConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresConfig")
            .field("url", &redact_url(&self.url))
            .field("schema", &self.schema)
            .field("collections", &self.collections)
            .field("users", &self.users)
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("ssl_mode", &self.ssl_mode)
            .field("root_cert", &self.root_cert)
            .field("manage_schema", &self.manage_schema)
            .field("user_lookup_fields", &self.user_lookup_fields)
            .finish_non_exhaustive()
    }
}

impl PostgresConfig {
    /// Settings for the database at `url`, everything else velt-py's
    /// defaults (schema `public`, pool of 5, 10 s connect timeout, schema
    /// managed).
    pub fn from_url(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            schema: "public".to_owned(),
            collections: CollectionNames::default(),
            users: UserOrgScope::default(),
            pool_size: DEFAULT_POOL_SIZE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            statement_timeout: None,
            ssl_mode: None,
            root_cert: None,
            manage_schema: true,
            user_lookup_fields: Vec::new(),
            ddl_lock_timeout: DEFAULT_DDL_LOCK_TIMEOUT,
        }
    }

    /// Sets [`PostgresConfig::schema`].
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// Sets [`PostgresConfig::collections`].
    pub fn collections(mut self, collections: CollectionNames) -> Self {
        self.collections = collections;
        self
    }

    /// Sets [`PostgresConfig::users`].
    pub fn users(mut self, users: UserOrgScope) -> Self {
        self.users = users;
        self
    }

    /// Sets [`PostgresConfig::pool_size`] (at least 1).
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// Sets [`PostgresConfig::connect_timeout`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`PostgresConfig::statement_timeout`].
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout);
        self
    }

    /// Sets [`PostgresConfig::ssl_mode`].
    pub fn ssl_mode(mut self, mode: SslMode) -> Self {
        self.ssl_mode = Some(mode);
        self
    }

    /// Sets [`PostgresConfig::root_cert`].
    pub fn root_cert(mut self, path: impl Into<PathBuf>) -> Self {
        self.root_cert = Some(path.into());
        self
    }

    /// Sets [`PostgresConfig::manage_schema`].
    pub fn manage_schema(mut self, manage: bool) -> Self {
        self.manage_schema = manage;
        self
    }

    /// Sets [`PostgresConfig::user_lookup_fields`].
    pub fn user_lookup_fields(mut self, fields: Vec<String>) -> Self {
        self.user_lookup_fields = fields;
        self
    }

    /// Sets [`PostgresConfig::ddl_lock_timeout`].
    pub fn ddl_lock_timeout(mut self, timeout: Duration) -> Self {
        self.ddl_lock_timeout = timeout;
        self
    }

    /// The URL with its password replaced by `<redacted>`.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.url)
    }

    /// Turns the settings into a driver configuration and the TLS choice.
    pub(crate) fn resolve(&self) -> Result<Resolved, PostgresStoreError> {
        if !(self.url.starts_with("postgres://") || self.url.starts_with("postgresql://")) {
            return Err(invalid(format!(
                "the URL must start with postgres:// or postgresql:// (got {})",
                redact_url(&self.url)
            )));
        }
        // sslmode / sslrootcert are handled here (tokio-postgres knows only
        // three modes and no root certificate); the rest goes to the driver.
        let (base, query) = match self.url.split_once('?') {
            Some((b, q)) => (b, q),
            None => (self.url.as_str(), ""),
        };
        let mut ssl_mode = None;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "sslmode" => {
                    ssl_mode = Some(
                        SslMode::parse(v)
                            .ok_or_else(|| invalid(format!("unknown sslmode `{v}` in the URL")))?,
                    );
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(v))),
                _ => kept.push(pair),
            }
        }
        let driver_url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut pg: tokio_postgres::Config =
            driver_url.parse().map_err(|e: tokio_postgres::Error| {
                invalid(format!(
                    "cannot parse {}: {}",
                    redact_url(&self.url),
                    redact_text(&e.to_string())
                ))
            })?;
        if pg.get_connect_timeout().is_none() {
            pg.connect_timeout(self.connect_timeout);
        }
        if pg.get_application_name().is_none() {
            pg.application_name("velt-rs");
        }
        if let Some(t) = self.statement_timeout {
            let mut options = pg.get_options().unwrap_or("").to_owned();
            if !options.is_empty() {
                options.push(' ');
            }
            options.push_str(&format!("-c statement_timeout={}", t.as_millis()));
            pg.options(&options);
        }
        let ssl_mode = self.ssl_mode.or(ssl_mode).unwrap_or_default();
        pg.ssl_mode(match ssl_mode {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                tokio_postgres::config::SslMode::Require
            }
        });
        if self.schema.is_empty() {
            return Err(invalid("the schema name must not be empty"));
        }
        Ok(Resolved {
            pg,
            ssl_mode,
            root_cert: self.root_cert.clone().or(root_cert),
        })
    }
}

/// What [`PostgresConfig::resolve`] produced.
pub(crate) struct Resolved {
    pub pg: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    pub root_cert: Option<PathBuf>,
}

fn invalid(message: impl Into<String>) -> PostgresStoreError {
    PostgresStoreError::InvalidConfig {
        message: message.into(),
    }
}

/// Replaces the password of a `postgres://` URL with `<redacted>` (the user
/// info ends at the *last* `@` of the authority, so an unencoded `@` in the
/// password cannot leak its tail), and every `password=` of the query or of
/// a libpq key/value string.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return redact_kv(url);
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    // The authority may contain '/' or '?' inside an unencoded password:
    // take the last '@' before the first '/' that follows it.
    let (authority, tail) = match rest.rfind('@') {
        Some(at) => {
            let after = rest.get(at..).unwrap_or("");
            let cut = after.find(['/', '?']).map(|p| p + at).unwrap_or(rest.len());
            (
                rest.get(..cut).unwrap_or(rest),
                rest.get(cut..).unwrap_or(""),
            )
        }
        None => (
            rest.get(..end).unwrap_or(rest),
            rest.get(end..).unwrap_or(""),
        ),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map(|(u, _)| u).unwrap_or(userinfo);
            if userinfo.contains(':') {
                format!("{user}:<redacted>@{host}")
            } else {
                format!("{user}@{host}")
            }
        }
        None => authority.to_owned(),
    };
    format!("{scheme}://{authority}{}", redact_kv(tail))
}

/// Hides `password=<value>` (query parameters and key/value strings).
fn redact_kv(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(pos) = lower.get(i..).and_then(|s| s.find("password=")) {
        let start = i + pos + "password=".len();
        out.push_str(text.get(i..start).unwrap_or(""));
        out.push_str("<redacted>");
        let rest = text.get(start..).unwrap_or("");
        let len = if rest.starts_with('\'') {
            rest.get(1..)
                .and_then(|r| r.find('\''))
                .map(|p| p + 2)
                .unwrap_or(rest.len())
        } else {
            rest.find(['&', ' ']).unwrap_or(rest.len())
        };
        i = start + len;
    }
    out.push_str(text.get(i..).unwrap_or(""));
    out
}

/// Redacts every URL and `password=` found in a free-form message.
pub(crate) fn redact_text(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if w.contains("://") {
                redact_url(w)
            } else {
                w.to_owned()
            }
        })
        .collect();
    redact_kv(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:s3cret@h:5432/db?sslmode=require"),
            "postgres://u:<redacted>@h:5432/db?sslmode=require"
        );
        assert_eq!(
            redact_url("postgresql://u:p@ss/w?rd@h/db"),
            "postgresql://u:<redacted>@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=s3cret&x=1"),
            "postgres://h/db?user=u&password=<redacted>&x=1"
        );
        assert_eq!(
            redact_text("host=h password='a b' user=u"),
            "host=h password=<redacted> user=u"
        );
        assert_eq!(
            redact_text("error connecting to postgres://u:pw@h/db: refused"),
            "error connecting to postgres://u:<redacted>@h/db: refused"
        );
    }

    #[test]
    fn debug_hides_the_password() {
        let c = PostgresConfig::from_url("postgres://velt:hunter2@db:5432/velt");
        let d = format!("{c:?}");
        assert!(!d.contains("hunter2"), "{d}");
        assert!(d.contains("velt:<redacted>@db:5432"), "{d}");
    }

    #[test]
    fn url_options_are_read() {
        let c = PostgresConfig::from_url(
            "postgres://u:p@h:1/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x",
        )
        .statement_timeout(Duration::from_millis(1500));
        let r = c.resolve().unwrap();
        assert_eq!(r.ssl_mode, SslMode::VerifyFull);
        assert_eq!(r.root_cert, Some(PathBuf::from("/tmp/ca.pem")));
        assert_eq!(r.pg.get_application_name(), Some("x"));
        assert_eq!(r.pg.get_options(), Some("-c statement_timeout=1500"));
        assert_eq!(r.pg.get_connect_timeout(), Some(&DEFAULT_CONNECT_TIMEOUT));
        let bad = PostgresConfig::from_url("postgres://u:p@h/db?sslmode=sometimes")
            .resolve()
            .err()
            .unwrap();
        assert!(bad.to_string().contains("sslmode"), "{bad}");
        let bad = PostgresConfig::from_url("mysql://u:hunter2@h/db")
            .resolve()
            .err()
            .unwrap();
        assert!(!bad.to_string().contains("hunter2"), "{bad}");
    }
}
