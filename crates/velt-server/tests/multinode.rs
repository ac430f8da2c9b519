//! Two `velt-server` processes (the real binary) on one shared database, with
//! attachment files on S3 and static tokens: 32 concurrent clients, alternating
//! between the nodes, save, re-save the same annotations (the same keys through
//! both nodes at once, so upserts of one key race) and delete; every request
//! must succeed, and afterwards every acknowledged write is there exactly once
//! — read back through both nodes and counted directly in the database — and
//! every deleted key is gone. Once on PostgreSQL, once on MongoDB.
//!
//! Also: a node on a shared database refuses to start without configured
//! authentication (no per-node token file), and warns when its attachment
//! files would live on its own disk.
//!
//! Servers: `VELT_TEST_POSTGRES_URL`, `VELT_TEST_MONGODB_URI`,
//! `VELT_TEST_S3_ENDPOINT` (`cargo xtask test` sets them). A missing one fails
//! the test under `VELT_TEST_REQUIRE_SERVERS`/`CI` and skips it (with a printed
//! reason) otherwise. Each run uses a database and a bucket of its own
//! (`twonode_<pid>_<n>`); a passing run drops its database, a failing one
//! leaves it for inspection.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

const TOKEN: &str = "multinode-test-token";
const ORG: &str = "org-mn";
/// Concurrent clients; client `c` talks to node `c % 2`.
const CLIENTS: usize = 32;
/// Rounds per client (each: one save, one re-save of the shared keys, one
/// save and one delete of a key of its own).
const ROUNDS: usize = 6;
/// Annotations every client re-saves every round, through both nodes.
const SHARED_KEYS: usize = 12;
const DOCS: usize = 4;

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The variable's value; `None` (skip, with the reason printed) when unset,
/// a failure when servers are required.
fn server_env(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("{name} is not set but VELT_TEST_REQUIRE_SERVERS/CI is")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP: {name} is not set (run `cargo xtask test`)"
            );
            None
        }
    }
}

/// A name unique to this process and moment (databases, buckets).
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

struct Node {
    child: Child,
    base: String,
    stderr: Option<ChildStderr>,
}

impl Node {
    /// Stops the node and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut logs = String::new();
        if let Some(mut e) = self.stderr.take() {
            let _ = e.read_to_string(&mut logs);
        }
        logs
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with no inherited configuration.
fn binary(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("VELT_SERVER_TOKENS")
        .env_remove("VELT_JWT_SECRET")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_MONGODB_DATABASE")
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("VELT_ATTACHMENTS_DIR")
        .env_remove("AWS_S3_BUCKET_NAME")
        .env_remove("AWS_S3_ENDPOINT_URL")
        // 32 clients on 127.0.0.1 exceed the default per-address rate limit.
        .env("VELT_RATE_LIMIT_PER_IP", "0");
    cmd
}

/// Starts a node and waits for its "listening" line.
fn start(data_dir: &Path, env: &[(&str, String)]) -> Node {
    let mut cmd = binary(data_dir);
    cmd.env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let Some(base) = line.trim().strip_prefix("velt-server listening on ") else {
        let mut logs = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut logs);
        }
        panic!("node did not start: {line:?}\n{logs}");
    };
    Node {
        base: base.to_owned(),
        child,
        stderr,
    }
}

/// A fresh S3 bucket on the test server, and the variables pointing a node at it.
async fn s3_env() -> Option<Vec<(&'static str, String)>> {
    let endpoint = server_env("VELT_TEST_S3_ENDPOINT")?;
    let endpoint = endpoint.trim_end_matches('/').to_owned();
    let bucket = unique("twonode").replace('_', "-");
    let r = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "cannot create bucket: {r:?}");
    Some(vec![
        ("AWS_S3_BUCKET_NAME", bucket),
        ("AWS_S3_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
    ])
}

/// `url` with its database (path) replaced by `db`, query kept.
fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = rest.split('/').next().unwrap();
    format!("{scheme}://{authority}/{db}{query}")
}

async fn post(client: &reqwest::Client, base: &str, path: &str, body: &Value) -> (u16, Value) {
    let r = client
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {status} {text}"));
    (status, body)
}

fn ok() -> Value {
    json!({"success": true, "statusCode": 200})
}

fn doc_of(key: &str) -> String {
    let n: usize = key.bytes().map(usize::from).sum();
    format!("doc-{}", n % DOCS)
}

fn save_body(key: &str, text: &str) -> Value {
    json!({
        "commentAnnotation": {key: {"comments": {"1": {"commentText": text}}}},
        "metadata": {"organizationId": ORG, "documentId": doc_of(key)}
    })
}

/// What the workload acknowledged.
#[derive(Default)]
struct Acked {
    /// Every text acknowledged for each key that must remain.
    texts: BTreeMap<String, BTreeSet<String>>,
    /// Keys saved and then deleted (acknowledged both times).
    deleted: BTreeSet<String>,
    /// Attachment ids and the bytes uploaded for them.
    files: BTreeMap<i64, Vec<u8>>,
}

/// One client's fixed sequence of requests against `nodes[c % 2]` (and the
/// other node for its deletes and attachment reads); panics on any answer
/// but success.
async fn client_run(c: usize, nodes: [String; 2]) -> Acked {
    let client = reqwest::Client::new();
    let mine = &nodes[c % 2];
    let other = &nodes[(c + 1) % 2];
    let mut acked = Acked::default();
    for r in 0..ROUNDS {
        // A key of its own, saved twice (the second save overwrites it).
        let own = format!("own-{c}-{r}");
        for version in 0..2 {
            let text = format!("own {c} {r} v{version}");
            let (st, body) =
                post(&client, mine, "/v1/comments/save", &save_body(&own, &text)).await;
            assert_eq!((st, &body), (200, &ok()), "client {c} save {own}");
            if version == 1 {
                acked.texts.entry(own.clone()).or_default().insert(text);
            }
        }
        // The shared keys, all clients at once, through both nodes: batches of
        // a few overlapping keys per request.
        let mut batch = serde_json::Map::new();
        for i in 0..4 {
            let key = format!("shared-{}", (c + r + i * 3) % SHARED_KEYS);
            let text = format!("shared by {c} in {r}");
            batch.insert(
                key.clone(),
                json!({"comments": {"1": {"commentText": text}}}),
            );
            acked.texts.entry(key).or_default().insert(text);
        }
        let body = json!({
            "commentAnnotation": Value::Object(batch),
            "metadata": {"organizationId": ORG, "documentId": "doc-shared"}
        });
        let (st, body) = post(&client, mine, "/v1/comments/save", &body).await;
        assert_eq!((st, &body), (200, &ok()), "client {c} shared save");
        // Saved through this node, deleted through the other.
        let gone = format!("gone-{c}-{r}");
        let (st, body) = post(&client, mine, "/v1/comments/save", &save_body(&gone, "x")).await;
        assert_eq!((st, &body), (200, &ok()), "client {c} save {gone}");
        let del = json!({
            "commentAnnotationId": gone,
            "metadata": {"organizationId": ORG, "documentId": doc_of(&gone)}
        });
        let (st, body) = post(&client, other, "/v1/comments/delete", &del).await;
        assert_eq!((st, &body), (200, &ok()), "client {c} delete {gone}");
        acked.deleted.insert(gone);
    }
    // One upload through this node, its record and file read through the other.
    let id = 5000 + i64::try_from(c).unwrap();
    let bytes = format!("file of client {c}").into_bytes();
    let form = reqwest::multipart::Form::new()
        .text(
            "request",
            json!({"attachment": {"attachmentId": id}, "metadata": {"organizationId": ORG}})
                .to_string(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone())
                .file_name(format!("c{c}.txt"))
                .mime_str("text/plain")
                .unwrap(),
        );
    let r = client
        .post(format!("{mine}/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert_eq!(status, 200, "client {c} upload: {text}");
    acked.files.insert(id, bytes);
    acked
}

/// Runs the whole two-node scenario; `count_in_db` returns, for every
/// `annotationId` in the comments collection, how many rows/documents hold it.
async fn two_nodes<F, Fut>(store_env: Vec<(&'static str, String)>, label: &str, count_in_db: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = BTreeMap<String, u64>>,
{
    let Some(s3) = s3_env().await else { return };
    let s3_var = |name: &str| s3.iter().find(|(k, _)| *k == name).unwrap().1.clone();
    let (s3_endpoint, s3_bucket) = (s3_var("AWS_S3_ENDPOINT_URL"), s3_var("AWS_S3_BUCKET_NAME"));
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut env = store_env;
    env.extend(s3);
    env.push(("VELT_SERVER_TOKENS", TOKEN.to_owned()));
    let nodes = [start(dirs[0].path(), &env), start(dirs[1].path(), &env)];
    let bases = [nodes[0].base.clone(), nodes[1].base.clone()];

    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| tokio::spawn(client_run(c, bases.clone())))
        .collect();
    let mut acked = Acked::default();
    for t in tasks {
        let a = t.await.unwrap();
        for (k, v) in a.texts {
            acked.texts.entry(k).or_default().extend(v);
        }
        acked.deleted.extend(a.deleted);
        acked.files.extend(a.files);
    }
    assert_eq!(acked.texts.len(), CLIENTS * ROUNDS + SHARED_KEYS);
    assert_eq!(acked.deleted.len(), CLIENTS * ROUNDS);

    // Read back through both nodes: the same records, every acknowledged key
    // once with one of the texts acknowledged for it, no deleted key.
    let client = reqwest::Client::new();
    let mut docs: Vec<String> = (0..DOCS).map(|d| format!("doc-{d}")).collect();
    docs.push("doc-shared".to_owned());
    let mut seen = Vec::new();
    for base in &bases {
        let (st, body) = post(
            &client,
            base,
            "/v1/comments/get",
            &json!({"organizationId": ORG, "documentIds": docs}),
        )
        .await;
        assert_eq!(st, 200, "{body}");
        let data = body["data"].as_object().unwrap().clone();
        let keys: BTreeSet<String> = data.keys().cloned().collect();
        let expected: BTreeSet<String> = acked.texts.keys().cloned().collect();
        assert_eq!(keys, expected, "{label}: keys read through {base}");
        for (key, texts) in &acked.texts {
            let text = data[key]["comments"]["1"]["commentText"].as_str().unwrap();
            assert!(texts.contains(text), "{label}: {key} holds {text:?}");
            if key.starts_with("own-") {
                assert!(text.ends_with(" v1"), "{label}: {key} lost its re-save");
            }
        }
        for (id, bytes) in &acked.files {
            let (st, rec) = post(
                &client,
                base,
                "/v1/attachments/get",
                &json!({"organizationId": ORG, "attachmentId": id}),
            )
            .await;
            assert_eq!(st, 200, "{rec}");
            // The record names the object in the shared bucket; every node
            // serves it from there.
            let url = rec["data"]["file"].as_str().unwrap();
            let prefix = format!("{}/{}/", s3_endpoint, s3_bucket);
            let key = url
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("{label}: file URL {url} is not in {prefix}"));
            let got = client
                .get(format!("{base}/v1/attachments/files/{key}"))
                .send()
                .await
                .unwrap();
            assert_eq!(got.status(), 200, "{label}: file {key} through {base}");
            assert_eq!(&got.bytes().await.unwrap()[..], &bytes[..], "{key}");
        }
        seen.push(data);
    }
    assert_eq!(seen[0], seen[1], "{label}: the nodes disagree");

    // Directly in the database: exactly one row per acknowledged key.
    let counts = count_in_db().await;
    let expected: BTreeMap<String, u64> = acked.texts.keys().map(|k| (k.clone(), 1)).collect();
    assert_eq!(counts, expected, "{label}: rows per annotationId");
    assert!(acked.deleted.iter().all(|k| !counts.contains_key(k)));

    for node in nodes {
        let logs = node.stop();
        assert!(
            !logs.contains(" ERROR "),
            "{label}: node logged an error: {logs}"
        );
        assert!(!logs.contains(TOKEN), "{label}: token in the logs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_on_postgres_keep_every_acknowledged_write_once() {
    let Some(url) = server_env("VELT_TEST_POSTGRES_URL") else {
        return;
    };
    let db = unique("twonode");
    let (admin, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    admin
        .batch_execute(&format!("CREATE DATABASE \"{db}\""))
        .await
        .unwrap();
    let db_url = with_database(&url, &db);
    let env = vec![("VELT_POSTGRES_URL", db_url.clone())];
    let count = move || async move {
        let (pg, conn) = tokio_postgres::connect(&db_url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let rows = pg
            .query(
                "SELECT data->>'annotationId', count(*) FROM comment_annotations \
                 WHERE data->'metadata'->>'organizationId' = $1 GROUP BY 1",
                &[&ORG],
            )
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                let n: i64 = r.get(1);
                (r.get::<_, String>(0), u64::try_from(n).unwrap())
            })
            .collect()
    };
    two_nodes(env, "postgres", count).await;
    let _ = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_on_mongodb_keep_every_acknowledged_write_once() {
    let Some(uri) = server_env("VELT_TEST_MONGODB_URI") else {
        return;
    };
    let db = unique("twonode");
    let env = vec![
        ("VELT_MONGODB_URI", uri.clone()),
        ("VELT_MONGODB_DATABASE", db.clone()),
    ];
    let client = mongodb::Client::with_uri_str(&uri).await.unwrap();
    let database = client.database(&db);
    let counted = database.clone();
    let count = move || async move {
        use mongodb::bson::{Document, doc};
        let coll = counted.collection::<Document>("comment_annotations");
        let mut cursor = coll
            .aggregate([
                doc! {"$match": {"metadata.organizationId": ORG}},
                doc! {"$group": {"_id": "$annotationId", "n": {"$sum": 1}}},
            ])
            .await
            .unwrap();
        let mut counts = BTreeMap::new();
        while cursor.advance().await.unwrap() {
            let d = cursor.deserialize_current().unwrap();
            let n = match d.get("n").unwrap() {
                mongodb::bson::Bson::Int32(n) => u64::try_from(*n).unwrap(),
                mongodb::bson::Bson::Int64(n) => u64::try_from(*n).unwrap(),
                other => panic!("count {other:?}"),
            };
            counts.insert(d.get_str("_id").unwrap().to_owned(), n);
        }
        counts
    };
    two_nodes(env, "mongodb", count).await;
    let _ = database.drop().await;
}

/// Without configured auth, a node on a shared database refuses to start
/// (and writes no token file) instead of generating a token of its own. Auth
/// is checked before the database is contacted, so no server is needed.
#[test]
fn shared_database_without_auth_refuses_to_start() {
    for (var, url) in [
        ("VELT_POSTGRES_URL", "postgres://velt@127.0.0.1:1/velt"),
        ("VELT_MONGODB_URI", "mongodb://127.0.0.1:1/velt"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = binary(dir.path()).env(var, url).output().unwrap();
        assert!(!out.status.success(), "{var}: started without auth");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "velt-server: {var} is set (a database shared by every node) but no \
                 authentication is configured: set VELT_SERVER_TOKENS or a JWT key"
            )),
            "{var}: {stderr}"
        );
        assert!(
            !dir.path().join("server-token").exists(),
            "{var}: a token file was written"
        );
    }
}

/// A node on a shared database whose files would go to its own directory
/// starts (one node on a managed database is valid) but warns.
#[tokio::test]
async fn shared_database_with_local_attachment_dir_warns() {
    let Some(url) = server_env("VELT_TEST_POSTGRES_URL") else {
        return;
    };
    let schema = unique("twonode_warn");
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("VELT_POSTGRES_URL", url.clone()),
        ("VELT_POSTGRES_SCHEMA", schema.clone()),
        ("VELT_SERVER_TOKENS", TOKEN.to_owned()),
    ];
    let node = start(dir.path(), &env);
    let r = reqwest::get(format!("{}/readyz", node.base)).await.unwrap();
    assert_eq!(r.status(), 200);
    let logs = node.stop();
    assert!(
        logs.contains(
            "attachment files are stored in a local directory while the database is shared"
        ),
        "{logs}"
    );
    let (pg, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let _ = pg
        .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await;
}
