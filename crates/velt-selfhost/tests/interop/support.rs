//! Plumbing of `tests/interop.rs`: databases of its own per test, velt-py
//! in a subprocess, velt-rs's services over the same database, and the
//! documented velt-py ⇄ velt-rs differences.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use velt_models::selfhost::{ResolverResponse, parse_request};
use velt_selfhost::SelfHosting;
use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore};
use velt_selfhost::backends::postgres::{PostgresConfig, PostgresStore};
use velt_selfhost::store::Store;

/// The API key both SDKs are configured with (velt-py stamps it into
/// `metadata.apiKey` and filters comment/reaction/recorder reads on it).
pub const API_KEY: &str = "interop-api-key";

/// Which SDK writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// velt-py 0.3.0.
    VeltPy,
    /// velt-rs.
    VeltRs,
}

/// The database server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `VELT_TEST_POSTGRES_URL`; a `create database` per test.
    Postgres,
    /// `VELT_TEST_MONGODB_URI`; a database name per test.
    Mongo,
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The value of `var`; without it the suite fails when servers are required
/// (`VELT_TEST_REQUIRE_SERVERS`, `CI`), otherwise the binary prints why and
/// exits, reporting nothing as passed.
fn required_env(var: &str, what: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => v,
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => panic!(
            "{var} is not set but VELT_TEST_REQUIRE_SERVERS/CI is: the interop suite needs {what} (use `cargo xtask test`)"
        ),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP tests/interop.rs: {var} is not set ({what}; run `cargo xtask test`)"
            );
            std::process::exit(0);
        }
    }
}

fn python() -> PathBuf {
    let p = PathBuf::from(required_env(
        "VELT_TEST_VELT_PY_PYTHON",
        "a python with velt-py[postgres,mongodb]==0.3.0",
    ));
    assert!(
        p.exists(),
        "VELT_TEST_VELT_PY_PYTHON={} does not exist",
        p.display()
    );
    p
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn fresh_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "velt_interop_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with its database (path) replaced by `db`; the query is kept.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[authority_start..]
        .find('/')
        .map(|i| authority_start + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A database of the test's own on one server.
#[derive(Debug)]
pub struct Db {
    /// Which server.
    pub backend: Backend,
    /// The database name.
    pub name: String,
    /// The server URL as configured (PostgreSQL: its maintenance database).
    server: String,
}

/// Creates a fresh, empty database on `backend`'s server.
pub async fn fresh_db(backend: Backend) -> Db {
    // Checked first: a skipped run leaves no database behind.
    python();
    let name = fresh_name();
    let server = match backend {
        Backend::Postgres => {
            let server = required_env("VELT_TEST_POSTGRES_URL", "a PostgreSQL server");
            let client = pg_client(&server).await;
            client
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            server
        }
        // MongoDB creates the database on first write.
        Backend::Mongo => required_env("VELT_TEST_MONGODB_URI", "a MongoDB-protocol server"),
    };
    Db {
        backend,
        name,
        server,
    }
}

async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

impl Db {
    /// A plain SQL client on this database (PostgreSQL).
    pub async fn sql(&self) -> tokio_postgres::Client {
        pg_client(&self.pg_url()).await
    }

    /// This database's URL (PostgreSQL).
    fn pg_url(&self) -> String {
        with_database(&self.server, &self.name)
    }

    /// The `VeltSDK.initialize` config velt-py is given for this database.
    fn velt_py_config(&self) -> Value {
        let database = match self.backend {
            Backend::Postgres => json!({"type": "postgresql", "connection_string": self.pg_url()}),
            Backend::Mongo => json!({
                "type": "mongodb",
                "connection_string": self.server,
                "database_name": self.name,
            }),
        };
        json!({"database": database, "apiKey": API_KEY})
    }

    /// Drops the database (only reached when the test passed, so a failed
    /// test leaves its database for inspection).
    pub async fn drop(self) {
        match self.backend {
            Backend::Postgres => {
                let client = pg_client(&self.server).await;
                client
                    .batch_execute(&format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ))
                    .await
                    .unwrap();
            }
            Backend::Mongo => {
                let store = mongo_store(&self).await;
                store.database().drop().await.unwrap();
            }
        }
    }
}

/// A `MongoStore` on `db` (MongoDB only).
pub async fn mongo_store(db: &Db) -> MongoStore {
    MongoStore::connect(&MongoConfig::from_uri(db.server.clone()).database(db.name.clone()))
        .await
        .unwrap()
}

/// velt-rs's services over `db`, configured like velt-py (same API key,
/// default collection names).
pub async fn velt_rs(db: &Db) -> SelfHosting {
    let store: Arc<dyn Store> = match db.backend {
        Backend::Postgres => {
            let store = PostgresStore::connect(&PostgresConfig::from_url(db.pg_url()))
                .await
                .unwrap();
            assert!(
                store.schema_report().failed.is_empty(),
                "velt-rs could not set up its schema next to velt-py's: {:?}",
                store.schema_report().failed
            );
            Arc::new(store)
        }
        Backend::Mongo => {
            let store = mongo_store(db).await;
            // On a database velt-py set up, an index velt-rs asks for may
            // already exist under the same name and key, built by velt-py
            // with `background: true`; a server that compares that option
            // refuses the request (IndexKeySpecsConflict, code 86) and the
            // store logs it. Nothing else may fail.
            for (name, msg) in &store.index_report().failed {
                assert!(
                    msg.contains("IndexKeySpecsConflict") && msg.contains("background: true"),
                    "index {name} failed: {msg}"
                );
            }
            Arc::new(store)
        }
    };
    SelfHosting::builder()
        .store(store)
        .api_key(Some(API_KEY.to_owned()))
        .build()
}

/// Runs `calls` through velt-py 0.3.0 on `db`; one answer per call.
pub async fn run_velt_py(db: &Db, calls: &[Value]) -> Vec<Value> {
    let job = json!({"config": db.velt_py_config(), "calls": calls}).to_string();
    let python = python();
    let driver = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/velt_py_driver.py"
    );
    let out = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(&python)
            .arg(driver)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(job.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "velt-py driver failed: {stderr}");
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "velt-py driver printed no JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(answers.len(), calls.len(), "one answer per call");
    answers
}

/// Runs `calls` (velt-py service and method names) through velt-rs's
/// services; one answer per call, as JSON.
pub async fn run_velt_rs(sh: &SelfHosting, calls: &[Value]) -> Vec<Value> {
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        out.push(velt_rs_call(sh, c).await.to_json());
    }
    out
}

async fn velt_rs_call(sh: &SelfHosting, c: &Value) -> ResolverResponse {
    let body = c["request"].clone();
    macro_rules! req {
        () => {
            match parse_request(body) {
                Ok(r) => r,
                Err(bad) => return bad,
            }
        };
    }
    let service = c["service"].as_str().unwrap_or_default();
    let method = c["method"].as_str().unwrap_or_default();
    match (service, method) {
        ("comments", "getComments") => sh.comments().get_comments(&req!()).await,
        ("comments", "saveComments") => sh.comments().save_comments(&req!()).await,
        ("comments", "deleteComment") => sh.comments().delete_comment(&req!()).await,
        ("reactions", "getReactions") => sh.reactions().get_reactions(&req!()).await,
        ("reactions", "saveReactions") => sh.reactions().save_reactions(&req!()).await,
        ("attachments", "getAttachment") => sh.attachments().get_attachment(&req!()).await,
        ("attachments", "saveAttachment") => sh.attachments().save_attachment(&req!(), None).await,
        ("recorders", "getRecorderAnnotations") => {
            sh.recorders().get_recorder_annotations(&req!()).await
        }
        ("recorders", "saveRecorderAnnotation") => {
            sh.recorders().save_recorder_annotation(&req!()).await
        }
        ("notifications", "getNotifications") => {
            sh.notifications().get_notifications(&req!()).await
        }
        ("notifications", "saveNotifications") => {
            sh.notifications().save_notifications(&req!()).await
        }
        ("activities", "getActivities") => sh.activities().get_activities(&req!()).await,
        ("activities", "saveActivities") => sh.activities().save_activities(&req!()).await,
        ("users", "getUsers") => sh.users().get_users(&req!()).await,
        ("users", "saveUsers") => sh.users().save_users(&req!()).await,
        other => panic!("no velt-rs call for {other:?}"),
    }
}

fn method(read: &Value) -> (&str, &str) {
    (
        read["service"].as_str().unwrap_or_default(),
        read["method"].as_str().unwrap_or_default(),
    )
}

/// What velt-rs answers to `read` on data velt-py wrote, given velt-py's
/// answer `py`: the same, except for the one documented change of response
/// shape. `getAttachment` carries `statusCode` like every other method
/// (velt-py omits it there; "Contract" in `docs/migration-from-velt-py.md`,
/// reference §13 defect 18: one error contract).
pub fn velt_rs_answer_to(read: &Value, mut py: Value) -> Value {
    if method(read) == ("attachments", "getAttachment") {
        let status = match py["errorCode"].as_str() {
            None => 200,
            Some("NOT_FOUND") => 404,
            Some(_) => 400,
        };
        py["statusCode"] = json!(status);
    }
    py
}

/// velt-py 0.3.0's `BaseMetadata` keys: its read models drop every other
/// key of a record's `metadata`.
const BASE_METADATA: [&str; 9] = [
    "apiKey",
    "documentId",
    "clientDocumentId",
    "organizationId",
    "clientOrganizationId",
    "folderId",
    "veltFolderId",
    "documentMetadata",
    "sdkVersion",
];

/// What velt-py answers to `read` on data velt-rs wrote, given velt-rs's
/// answer `rs`, and the paths velt-py loses. velt-py passes every record it
/// reads through its models (reference §13 defect 10, "Data kept" in
/// `docs/migration-from-velt-py.md`; velt-rs returns records as stored):
/// user objects (`from`, `assignedTo`, a comment's `from` / `to[]`) become
/// `{userId}`, `metadata` keeps the `BaseMetadata` keys only. And
/// `getAttachment` has no `statusCode` ([`velt_rs_answer_to`]).
pub fn velt_py_view_of(read: &Value, mut rs: Value) -> (Value, Vec<String>) {
    let mut lost = Vec::new();
    let (service, m) = method(read);
    if (service, m) == ("attachments", "getAttachment")
        && let Some(o) = rs.as_object_mut()
    {
        o.remove("statusCode");
    }
    let user_keys: &[&str] = match service {
        "comments" => &["from", "assignedTo"],
        "reactions" => &["from"],
        _ => &[],
    };
    let has_base_metadata = matches!(
        service,
        "comments" | "reactions" | "recorders" | "activities"
    );
    if let Some(records) = rs.get_mut("data").and_then(Value::as_object_mut) {
        for (id, record) in records.iter_mut() {
            let at = format!("data.{id}");
            for k in user_keys {
                if let Some(user) = record.get_mut(*k) {
                    reduce_user(user, &format!("{at}.{k}"), &mut lost);
                }
            }
            if has_base_metadata
                && let Some(md) = record.get_mut("metadata").and_then(Value::as_object_mut)
            {
                md.retain(|k, _| {
                    let keep = BASE_METADATA.contains(&k.as_str());
                    if !keep {
                        lost.push(format!("{at}.metadata.{k}"));
                    }
                    keep
                });
            }
            if service != "comments" {
                continue;
            }
            if let Some(comments) = record.get_mut("comments").and_then(Value::as_object_mut) {
                for (cid, c) in comments.iter_mut() {
                    let at = format!("{at}.comments.{cid}");
                    if let Some(from) = c.get_mut("from") {
                        reduce_user(from, &format!("{at}.from"), &mut lost);
                    }
                    if let Some(to) = c.get_mut("to").and_then(Value::as_array_mut) {
                        for (n, u) in to.iter_mut().enumerate() {
                            reduce_user(u, &format!("{at}.to.{n}"), &mut lost);
                        }
                    }
                }
            }
        }
    }
    lost.sort();
    (rs, lost)
}

/// `user` (when an object) reduced to `{userId}`, as velt-py's
/// `PartialUser`; what is dropped is recorded in `lost`.
fn reduce_user(user: &mut Value, at: &str, lost: &mut Vec<String>) {
    if let Some(o) = user.as_object_mut() {
        o.retain(|k, _| {
            let keep = k == "userId";
            if !keep {
                lost.push(format!("{at}.{k}"));
            }
            keep
        });
    }
}

/// Every difference between `a` and `b`, as `path: a-value | b-value`
/// lines (`-` for absent).
pub fn json_diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}.{k}");
                match y.get(k) {
                    Some(w) => json_diff(v, w, &p, out),
                    None => out.push(format!("{p}: {v} | -")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    out.push(format!("{path}.{k}: - | {w}"));
                }
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a} | {b}")),
    }
}

/// Asserts velt-rs's answer to every read equals the expected one; the
/// message lists every difference of every read.
pub fn assert_same_answers(reads: &[Value], expected: &[Value], got: &[Value]) {
    let mut report = Vec::new();
    for ((read, want), have) in reads.iter().zip(expected).zip(got) {
        let mut diff = Vec::new();
        json_diff(have, want, "", &mut diff);
        if !diff.is_empty() {
            report.push(format!(
                "{} {} {}: (velt-rs | expected)\n  {}",
                read["service"],
                read["method"],
                read["request"],
                diff.join("\n  ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "velt-rs and velt-py disagree:\n{}",
        report.join("\n")
    );
}
