//! Connection settings: velt-py's `database` block, a plain URI, pool and
//! timeout settings, and how the store behaves.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::backends::url::percent_decode;
use crate::store::{CollectionNames, UserOrgScope};

use super::MongoStoreError;

/// velt-py's pool and timeout defaults.
const DEFAULT_MAX_POOL_SIZE: u32 = 5;
const DEFAULT_MIN_POOL_SIZE: u32 = 1;
const DEFAULT_MAX_IDLE_TIME: Duration = Duration::from_secs(30);
const DEFAULT_SERVER_SELECTION_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_SOCKET_TIMEOUT: Duration = Duration::from_secs(45);

/// How to reach MongoDB: velt-py's `database` block (`host`, `username`,
/// `password`, `auth_database`, `database_name`, `connection_string`,
/// `use_srv`) or a plain `mongodb://` / `mongodb+srv://` URI, plus pool and
/// timeout settings (velt-py's values by default) and store options.
///
/// It deserialises from velt-py's `database` block as is (unknown keys such
/// as `type` are ignored; durations are given as `*_ms` integers).
/// `Debug` never shows the password, and URIs in it are redacted.
#[derive(Clone, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MongoConfig {
    /// Host (`localhost:27017`, `cluster0.x.mongodb.net`) or a URI whose
    /// hosts and options are kept (velt-py dropped the options).
    pub host: String,
    /// User name (no credentials in the URI when empty).
    pub username: String,
    /// Password. Never shown by `Debug` or in errors.
    pub password: String,
    /// Authentication database (`authSource`).
    pub auth_database: String,
    /// Database holding the collections. When empty, taken from the path of
    /// the connection string.
    pub database_name: String,
    /// A complete connection string, used as given instead of building one.
    pub connection_string: Option<String>,
    /// Use `mongodb+srv://` for a plain host (implied for `*.mongodb.net`).
    pub use_srv: bool,
    /// Connection pool maximum (velt-py: 5). Also read from `pool_max_size`.
    #[serde(alias = "pool_max_size")]
    pub max_pool_size: u32,
    /// Connection pool minimum (velt-py: 1). Also read from `pool_min_size`.
    #[serde(alias = "pool_min_size")]
    pub min_pool_size: u32,
    /// How long an idle pooled connection is kept (velt-py: 30 s).
    #[serde(rename = "max_idle_time_ms", deserialize_with = "de_millis")]
    pub max_idle_time: Duration,
    /// How long an operation waits for a reachable server before failing
    /// with [`StoreError::Unavailable`](crate::store::StoreError::Unavailable)
    /// (velt-py: 10 s).
    #[serde(rename = "server_selection_timeout_ms", deserialize_with = "de_millis")]
    pub server_selection_timeout: Duration,
    /// Upper bound for one store operation (velt-py's `socketTimeoutMS`:
    /// 45 s). The Rust driver has no socket timeout, so the store enforces
    /// it per operation; a `socketTimeoutMS` option in a connection string
    /// sets it too.
    #[serde(rename = "socket_timeout_ms", deserialize_with = "de_millis")]
    pub socket_timeout: Duration,
    /// How the store behaves (collections, user scoping, atomic saves...).
    #[serde(flatten)]
    pub options: MongoStoreOptions,
}

/// How a [`MongoStore`](super::MongoStore) behaves, whatever the connection.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MongoStoreOptions {
    /// Collection names (velt-py's `collections` block).
    #[serde(skip)]
    pub collections: CollectionNames,
    /// How user records without `organizationId` are scoped.
    #[serde(skip)]
    pub users: UserOrgScope,
    /// Run every save inside a multi-document transaction: all or nothing
    /// even when the server fails mid-save, at the cost of a second command
    /// (`commitTransaction`) per save; needs a replica set. Off by default:
    /// a save is then one `update` command, every record is validated before
    /// anything is sent (an input error never writes anything), and only a
    /// server-side failure can leave the records before the failing one
    /// written.
    pub transactional_saves: bool,
    /// Create the indexes of velt-py's layout (ids unique per organization)
    /// once when the store is built. On by default.
    pub create_indexes: bool,
    /// Extra user fields to index (non-unique) for lookups, e.g. the fields
    /// a `user_schema` maps `userId` to.
    pub user_lookup_fields: Vec<String>,
}

impl Default for MongoStoreOptions {
    fn default() -> Self {
        Self {
            collections: CollectionNames::default(),
            users: UserOrgScope::default(),
            transactional_saves: false,
            create_indexes: true,
            user_lookup_fields: Vec::new(),
        }
    }
}

impl Default for MongoConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            username: String::new(),
            password: String::new(),
            auth_database: String::new(),
            database_name: String::new(),
            connection_string: None,
            use_srv: false,
            max_pool_size: DEFAULT_MAX_POOL_SIZE,
            min_pool_size: DEFAULT_MIN_POOL_SIZE,
            max_idle_time: DEFAULT_MAX_IDLE_TIME,
            server_selection_timeout: DEFAULT_SERVER_SELECTION_TIMEOUT,
            socket_timeout: DEFAULT_SOCKET_TIMEOUT,
            options: MongoStoreOptions::default(),
        }
    }
}

fn de_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_millis)
}

impl fmt::Debug for MongoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MongoConfig")
            .field("host", &redact_uri(&self.host))
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("auth_database", &self.auth_database)
            .field("database_name", &self.database_name)
            .field(
                "connection_string",
                &self.connection_string.as_deref().map(redact_uri),
            )
            .field("use_srv", &self.use_srv)
            .field("max_pool_size", &self.max_pool_size)
            .field("min_pool_size", &self.min_pool_size)
            .field("max_idle_time", &self.max_idle_time)
            .field("server_selection_timeout", &self.server_selection_timeout)
            .field("socket_timeout", &self.socket_timeout)
            .field("options", &self.options)
            .finish()
    }
}

impl MongoConfig {
    /// Settings from a plain `mongodb://` or `mongodb+srv://` URI, used as
    /// given (all its options kept). The database is the URI's path unless
    /// [`MongoConfig::database`] names one.
    pub fn from_uri(uri: impl Into<String>) -> Self {
        Self {
            connection_string: Some(uri.into()),
            ..Self::default()
        }
    }

    /// Settings from velt-py's `database` block fields.
    pub fn from_parts(
        host: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
        auth_database: impl Into<String>,
        database_name: impl Into<String>,
    ) -> Self {
        Self {
            host: host.into(),
            username: username.into(),
            password: password.into(),
            auth_database: auth_database.into(),
            database_name: database_name.into(),
            ..Self::default()
        }
    }

    /// Sets the database name.
    pub fn database(mut self, name: impl Into<String>) -> Self {
        self.database_name = name.into();
        self
    }

    /// Sets the server-selection timeout.
    pub fn server_selection_timeout(mut self, timeout: Duration) -> Self {
        self.server_selection_timeout = timeout;
        self
    }

    /// Sets the per-operation timeout (velt-py's socket timeout).
    pub fn socket_timeout(mut self, timeout: Duration) -> Self {
        self.socket_timeout = timeout;
        self
    }

    /// Sets the pool bounds.
    pub fn pool_size(mut self, min: u32, max: u32) -> Self {
        self.min_pool_size = min;
        self.max_pool_size = max;
        self
    }

    /// Sets the store options.
    pub fn options(mut self, options: MongoStoreOptions) -> Self {
        self.options = options;
        self
    }

    /// The connection string this configuration resolves to, with the
    /// password replaced by `<redacted>` (for logs and diagnostics).
    pub fn redacted_uri(&self) -> Result<String, MongoStoreError> {
        self.resolve().map(|r| redact_uri(&r.uri))
    }

    /// Builds the URI (§9 of velt-py's rules, without its defects), extracts
    /// `socketTimeoutMS` (unsupported by the Rust driver) and finds the
    /// database name.
    pub(crate) fn resolve(&self) -> Result<Resolved, MongoStoreError> {
        let built = match self.connection_string.as_deref().filter(|s| !s.is_empty()) {
            Some(cs) => cs.to_owned(),
            None => self.build_uri()?,
        };
        let mut uri = ParsedUri::parse(&built)?;
        let socket_timeout =
            match uri.take_option("socketTimeoutMS") {
                Some(v) => Some(v.parse::<u64>().map(Duration::from_millis).map_err(|_| {
                    invalid(format!("socketTimeoutMS must be an integer, got `{v}`"))
                })?),
                None => None,
            };
        let database = if self.database_name.is_empty() {
            percent_decode(&uri.path)
        } else {
            self.database_name.clone()
        };
        if database.is_empty() {
            return Err(invalid(
                "database_name is required (or a database in the connection string's path)",
            ));
        }
        Ok(Resolved {
            uri: uri.to_uri(),
            database,
            socket_timeout: socket_timeout.unwrap_or(self.socket_timeout),
        })
    }

    /// velt-py's `_build_mongodb_uri` from the block fields, keeping the
    /// options of a URI-shaped host and honouring `use_srv` for it.
    fn build_uri(&self) -> Result<String, MongoStoreError> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err(invalid("database.host (or connection_string) is required"));
        }
        let atlas = host.contains(".mongodb.net");
        let (given_srv, rest) = if let Some(r) = host.strip_prefix("mongodb+srv://") {
            (Some(true), r)
        } else if let Some(r) = host.strip_prefix("mongodb://") {
            (Some(false), r)
        } else {
            (None, host)
        };
        // Host part, and the options of a URI-shaped host (kept, unlike velt-py).
        let (authority, query) = match rest.split_once('/') {
            Some((a, after)) => (a, after.split_once('?').map(|(_, q)| q).unwrap_or("")),
            None => match rest.split_once('?') {
                Some((a, q)) => (a, q),
                None => (rest, ""),
            },
        };
        // Credentials come from the block; drop any in the host.
        let hosts = authority
            .rsplit_once('@')
            .map(|(_, h)| h)
            .unwrap_or(authority);
        if hosts.is_empty() {
            return Err(invalid("database.host has no host name"));
        }
        let srv_capable = !hosts.contains(',') && !hosts.contains(':');
        let wants_srv = match given_srv {
            Some(true) => true,
            Some(false) | None => self.use_srv || atlas,
        };
        let srv = if wants_srv && !srv_capable {
            if given_srv == Some(true) || (self.use_srv && !atlas) {
                return Err(invalid(
                    "mongodb+srv:// needs a single host name without a port",
                ));
            }
            // An Atlas host given with a port or several hosts: velt-py made
            // an invalid SRV URI of it; connect directly over TLS instead.
            false
        } else {
            wants_srv
        };
        let mut options: Vec<(String, String)> = parse_query(query);
        let mut set_default = |k: &str, v: &str| {
            if !options.iter().any(|(ok, _)| ok.eq_ignore_ascii_case(k)) {
                options.push((k.to_owned(), v.to_owned()));
            }
        };
        // velt-py adds these for Atlas and SRV hosts it builds (not for a
        // host already given as mongodb+srv://).
        if given_srv != Some(true) && (atlas || self.use_srv) {
            set_default("retryWrites", "true");
            set_default("w", "majority");
        }
        // velt-py's client turns TLS on for a non-SRV Atlas connection.
        if atlas && !srv {
            set_default("tls", "true");
        }
        // authSource from the block replaces one in the host (velt-py always
        // wrote the block's value), and comes first like velt-py's.
        if !self.username.is_empty() && !self.auth_database.is_empty() {
            options.retain(|(k, _)| !k.eq_ignore_ascii_case("authSource"));
            options.insert(0, ("authSource".to_owned(), self.auth_database.clone()));
        }
        let credentials = if self.username.is_empty() {
            String::new()
        } else {
            format!(
                "{}:{}@",
                percent_encode(&self.username),
                percent_encode(&self.password)
            )
        };
        let scheme = if srv { "mongodb+srv" } else { "mongodb" };
        let mut uri = format!(
            "{scheme}://{credentials}{hosts}/{}",
            percent_encode_path(&self.database_name)
        );
        if !options.is_empty() {
            uri.push('?');
            uri.push_str(&join_query(&options));
        }
        Ok(uri)
    }
}

/// A configuration resolved to what the driver is given.
#[derive(Clone)]
pub(crate) struct Resolved {
    /// The URI for the driver (contains the password: never log it).
    pub(crate) uri: String,
    /// The database name.
    pub(crate) database: String,
    /// The per-operation timeout.
    pub(crate) socket_timeout: Duration,
}

impl fmt::Debug for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolved")
            .field("uri", &redact_uri(&self.uri))
            .field("database", &self.database)
            .field("socket_timeout", &self.socket_timeout)
            .finish()
    }
}

fn invalid(message: impl Into<String>) -> MongoStoreError {
    MongoStoreError::InvalidConfig {
        message: message.into(),
    }
}

/// A connection string split into its parts (not validated beyond that).
struct ParsedUri {
    scheme: String,
    authority: String,
    path: String,
    options: Vec<(String, String)>,
}

impl ParsedUri {
    fn parse(uri: &str) -> Result<Self, MongoStoreError> {
        let (scheme, rest) = uri
            .split_once("://")
            .filter(|(s, _)| *s == "mongodb" || *s == "mongodb+srv")
            .ok_or_else(|| {
                invalid("the connection string must start with mongodb:// or mongodb+srv://")
            })?;
        // The authority ends at the first '/' or '?' after the userinfo.
        let after_at = rest.rfind('@').map(|i| i + 1).unwrap_or(0);
        let end = rest
            .get(after_at..)
            .and_then(|s| s.find(['/', '?']))
            .map(|i| i + after_at)
            .unwrap_or(rest.len());
        let authority = rest.get(..end).unwrap_or(rest).to_owned();
        let tail = rest.get(end..).unwrap_or("");
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, q),
            None => (tail, ""),
        };
        Ok(Self {
            scheme: scheme.to_owned(),
            authority,
            path: path.trim_start_matches('/').to_owned(),
            options: parse_query(query),
        })
    }

    fn take_option(&mut self, name: &str) -> Option<String> {
        let pos = self
            .options
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))?;
        let (_, v) = self.options.remove(pos);
        // A repeated option: the last one wins; drop the others too.
        let mut last = v;
        while let Some(p) = self
            .options
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            last = self.options.remove(p).1;
        }
        Some(last)
    }

    fn to_uri(&self) -> String {
        let mut s = format!("{}://{}/{}", self.scheme, self.authority, self.path);
        if !self.options.is_empty() {
            s.push('?');
            s.push_str(&join_query(&self.options));
        }
        s
    }
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect()
}

fn join_query(options: &[(String, String)]) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes user info like Python's `quote_plus` (letters, digits and
/// `_.-~` kept), except that a space becomes `%20`: the Rust driver decodes
/// user info per RFC 3986, where `+` is a literal plus.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Encodes a database name for the URI path (`/`, `?`, `%`, ... escaped).
fn percent_encode_path(s: &str) -> String {
    percent_encode(s)
}

/// Replaces the password of a connection string with `<redacted>`.
pub fn redact_uri(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_owned();
    };
    // The userinfo ends at the last '@' before the path.
    let path_start = rest
        .rfind('@')
        .and_then(|at| rest.get(at..).and_then(|s| s.find('/')).map(|p| p + at))
        .unwrap_or_else(|| rest.find('/').unwrap_or(rest.len()));
    let authority = rest.get(..path_start).unwrap_or(rest);
    let tail = rest.get(path_start..).unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let user = userinfo.split_once(':').map(|(u, _)| u).unwrap_or(userinfo);
            let redacted = if userinfo.contains(':') {
                format!("{user}:<redacted>")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{redacted}@{hosts}{tail}")
        }
        None => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(host: &str, user: &str, pass: &str) -> MongoConfig {
        MongoConfig::from_parts(host, user, pass, "admin", "d")
    }

    fn uri(c: &MongoConfig) -> String {
        c.resolve().unwrap().uri
    }

    #[test]
    fn velt_py_verified_examples() {
        // velt-py: mongodb://u%40x:p%3Aa%2Fss+w@localhost:27017/d?authSource=admin
        // (space as %20: the Rust driver does not decode '+' in user info).
        assert_eq!(
            uri(&block("localhost:27017", "u@x", "p:a/ss w")),
            "mongodb://u%40x:p%3Aa%2Fss%20w@localhost:27017/d?authSource=admin"
        );
        // velt-py dropped `replicaSet=rs`; it is kept.
        assert_eq!(
            uri(&block(
                "mongodb://h1:27017,h2:27017/foo?replicaSet=rs",
                "u",
                "p"
            )),
            "mongodb://u:p@h1:27017,h2:27017/d?authSource=admin&replicaSet=rs"
        );
    }

    #[test]
    fn srv_and_atlas_rules() {
        assert_eq!(
            uri(&block("cluster0.ab.mongodb.net", "u", "p")),
            "mongodb+srv://u:p@cluster0.ab.mongodb.net/d?authSource=admin&retryWrites=true&w=majority"
        );
        let mut c = block("db.example.com", "u", "p");
        c.use_srv = true;
        assert_eq!(
            uri(&c),
            "mongodb+srv://u:p@db.example.com/d?authSource=admin&retryWrites=true&w=majority"
        );
        // use_srv is honoured for a URI-shaped host too (velt-py ignored it).
        let mut c = block("mongodb://db.example.com/?tls=true", "u", "p");
        c.use_srv = true;
        assert_eq!(
            uri(&c),
            "mongodb+srv://u:p@db.example.com/d?authSource=admin&tls=true&retryWrites=true&w=majority"
        );
        assert_eq!(
            uri(&block(
                "mongodb+srv://c.ab.mongodb.net/x?appName=a",
                "u",
                "p"
            )),
            "mongodb+srv://u:p@c.ab.mongodb.net/d?authSource=admin&appName=a"
        );
        // An Atlas host with a port cannot be SRV (velt-py built an invalid
        // URI): direct connection over TLS.
        assert_eq!(
            uri(&block(
                "mongodb://c-shard-00.ab.mongodb.net:27017",
                "u",
                "p"
            )),
            "mongodb://u:p@c-shard-00.ab.mongodb.net:27017/d?authSource=admin&retryWrites=true&w=majority&tls=true"
        );
        let mut c = block("h1:1,h2:2", "u", "p");
        c.use_srv = true;
        assert!(matches!(
            c.resolve(),
            Err(MongoStoreError::InvalidConfig { .. })
        ));
    }

    #[test]
    fn no_credentials_without_username() {
        assert_eq!(
            uri(&block("localhost:27017", "", "")),
            "mongodb://localhost:27017/d"
        );
    }

    #[test]
    fn connection_string_is_used_as_given() {
        let c = MongoConfig::from_uri("mongodb://u:p%40ss@h:1/app?replicaSet=rs&tls=false");
        let r = c.resolve().unwrap();
        assert_eq!(r.uri, "mongodb://u:p%40ss@h:1/app?replicaSet=rs&tls=false");
        assert_eq!(r.database, "app");
        assert_eq!(r.socket_timeout, Duration::from_secs(45));
        // An explicit database name wins over the path.
        let r = c.clone().database("other").resolve().unwrap();
        assert_eq!(r.database, "other");
        // socketTimeoutMS is taken out (the Rust driver rejects it) and used.
        let r = MongoConfig::from_uri("mongodb://h/db?socketTimeoutMS=1500&w=1")
            .resolve()
            .unwrap();
        assert_eq!(r.uri, "mongodb://h/db?w=1");
        assert_eq!(r.socket_timeout, Duration::from_millis(1500));
        assert!(matches!(
            MongoConfig::from_uri("mongodb://h/").resolve(),
            Err(MongoStoreError::InvalidConfig { .. })
        ));
        assert!(matches!(
            MongoConfig::from_uri("http://h/db").resolve(),
            Err(MongoStoreError::InvalidConfig { .. })
        ));
    }

    #[test]
    fn password_never_shown() {
        let c = block("localhost", "user", "hunter2 secret");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        let red = c.redacted_uri().unwrap();
        assert_eq!(
            red,
            "mongodb://user:<redacted>@localhost/d?authSource=admin"
        );
        let c = MongoConfig::from_uri("mongodb://user:s3cr%40t@h1,h2/db?x=1");
        assert!(!format!("{c:?}").contains("s3cr"));
        assert_eq!(
            redact_uri("mongodb://user:s3cr%40t@h1,h2/db?x=1"),
            "mongodb://user:<redacted>@h1,h2/db?x=1"
        );
        assert_eq!(redact_uri("mongodb://h1/db"), "mongodb://h1/db");
    }

    #[test]
    fn deserialises_velt_py_block() {
        let c: MongoConfig = serde_json::from_value(serde_json::json!({
            "type": "mongodb",
            "host": "localhost:27017",
            "username": "u",
            "password": "p",
            "auth_database": "admin",
            "database_name": "velt",
            "pool_max_size": 20,
            "server_selection_timeout_ms": 2000,
            "transactional_saves": true
        }))
        .unwrap();
        assert_eq!(c.max_pool_size, 20);
        assert_eq!(c.min_pool_size, 1);
        assert_eq!(c.server_selection_timeout, Duration::from_secs(2));
        assert_eq!(c.max_idle_time, Duration::from_secs(30));
        assert!(c.options.transactional_saves);
        assert!(c.options.create_indexes);
        assert_eq!(
            uri(&c),
            "mongodb://u:p@localhost:27017/velt?authSource=admin"
        );
    }
}
