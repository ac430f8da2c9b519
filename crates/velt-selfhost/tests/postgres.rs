//! The PostgreSQL backend against a real PostgreSQL: the shared conformance
//! suite (a fresh schema per test) plus PostgreSQL-specific behaviour: one
//! round trip per save (counted on the wire by a proxy), velt-py 0.3.0's
//! layout and index DDL, velt-py's advisory-lock keys, velt-py rows read
//! back, `manage_schema = false`, typed errors and redaction.
//!
//! The server comes from `VELT_TEST_POSTGRES_URL` (`cargo xtask test` sets
//! it). Without it the suite fails when `VELT_TEST_REQUIRE_SERVERS` or `CI`
//! is set, and is skipped (the binary exits early, reporting nothing as
//! passed) otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio_postgres::NoTls;
use velt_selfhost::backends::postgres::{
    PostgresConfig, PostgresStore, pg_index_specs, postgres_schema_sql,
};
use velt_selfhost::store::{Collection, Document, RecordId, Selector, Store, StoreError};

use common::{doc, find, ids, scope, upsert};

#[path = "postgres_support/settings.rs"]
mod settings;
#[path = "postgres_support/tls.rs"]
mod tls;
#[path = "postgres_support/wire.rs"]
mod wire;
#[path = "postgres_support/write_path.rs"]
mod write_path;

use wire::Proxy;

// ---------------------------------------------------------------- helpers

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn server_url() -> String {
    match std::env::var("VELT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => panic!(
            "VELT_TEST_POSTGRES_URL is not set but VELT_TEST_REQUIRE_SERVERS/CI is: the PostgreSQL suite must run (use `cargo xtask test`)"
        ),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP tests/postgres.rs: VELT_TEST_POSTGRES_URL is not set (run `cargo xtask test`)"
            );
            std::process::exit(0);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A schema name unique to this test (and run).
fn fresh_schema() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "vt_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn config(schema: &str) -> PostgresConfig {
    PostgresConfig::from_url(server_url()).schema(schema)
}

async fn store_in(schema: &str) -> PostgresStore {
    let store = PostgresStore::connect(&config(schema)).await.unwrap();
    assert!(
        store.schema_report().failed.is_empty(),
        "{:?}",
        store.schema_report()
    );
    store
}

async fn fresh_store() -> Arc<dyn Store> {
    Arc::new(store_in(&fresh_schema()).await)
}

/// A plain client, for looking at what the store wrote.
async fn sql_client() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&server_url(), NoTls).await.unwrap();
    tokio::spawn(conn);
    client
}

async fn rows_of(client: &tokio_postgres::Client, schema: &str, table: &str) -> Vec<Value> {
    client
        .query(
            &format!("SELECT data FROM \"{schema}\".\"{table}\" ORDER BY id"),
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<_, Value>(0))
        .collect()
}

fn comment(id: &str, document: &str) -> Document {
    doc(json!({
        "annotationId": id,
        "metadata": {"documentId": document},
        "comments": {"1": {"commentId": 1, "commentText": format!("text of {id}")}}
    }))
}

// ------------------------------------------------------ conformance suite

velt_selfhost::conformance_tests!(fresh_store());

// ------------------------------------------- round trips, counted on the wire

fn upstream_addr() -> std::net::SocketAddr {
    let cfg: tokio_postgres::Config = server_url().parse().unwrap();
    let host = match cfg.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".to_owned(),
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
        .unwrap()
        .next()
        .unwrap()
}

/// The server URL with host and port replaced by the proxy's.
fn via_proxy(port: u16) -> String {
    let url = server_url();
    let (scheme, rest) = url.split_once("://").unwrap();
    let at = rest.rfind('@').map(|i| i + 1).unwrap_or(0);
    let (userinfo, hostpart) = rest.split_at(at);
    let path = hostpart
        .find(['/', '?'])
        .map(|i| &hostpart[i..])
        .unwrap_or("");
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{scheme}://{userinfo}127.0.0.1:{port}{path}{sep}sslmode=disable")
}

// A current-thread runtime: the store's connection task runs only when the
// save yields, so what the wire shows is what the store sends.
#[tokio::test]
async fn save_is_one_round_trip_for_1_10_100_records() {
    let proxy = Proxy::start(upstream_addr());
    let schema = fresh_schema();
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(via_proxy(proxy.port))
            .schema(&schema)
            .pool_size(1),
    )
    .await
    .unwrap();
    let s = scope("org1");
    // Warm the pool's one connection.
    store.ping().await.unwrap();
    proxy.take();
    for n in [1usize, 10, 100] {
        let records = (0..n)
            .map(|i| comment(&format!("n{n}-{i}"), "d1"))
            .collect();
        upsert(&store, Collection::Comments, &s, records).await;
        // The connection's first save prepares its two statements (one
        // round trip for both), then the transaction is one more; every
        // later save on that connection reuses them, whatever its size.
        let first = if n == 1 { 2 } else { 1 };
        assert_eq!(
            proxy.take(),
            (first, 4),
            "save of {n} new records: (round trips, statements)"
        );
        let records = (0..n)
            .map(|i| comment(&format!("n{n}-{i}"), "d2"))
            .collect();
        upsert(&store, Collection::Comments, &s, records).await;
        assert_eq!(proxy.take(), (1, 4), "re-save of {n} records");
    }
    let by_document = Selector::DocumentIds(vec!["d2".into()]);
    let all = find(&store, Collection::Comments, &s, &by_document).await;
    assert_eq!(
        proxy.take(),
        (2, 1),
        "a first read: prepare, then one statement"
    );
    let again = find(&store, Collection::Comments, &s, &by_document).await;
    assert_eq!(proxy.take(), (1, 1), "a read is one statement");
    assert_eq!(again, all);
    assert_eq!(all.len(), 111);
    assert_eq!(all[0]["annotationId"], json!("n1-0"));
    assert_eq!(all[1]["annotationId"], json!("n10-0"));
    assert_eq!(all[110]["annotationId"], json!("n100-99"));
    assert_eq!(
        proxy.connections.load(Ordering::SeqCst),
        2,
        "schema setup + one pooled"
    );

    // Every record is checked before anything is sent.
    let err = store
        .upsert_many(
            Collection::Comments,
            &s,
            vec![
                comment("ok", "d"),
                doc(json!({"annotationId": "bad", "t": "nul\u{0}"})),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err:?}");
    let err = store
        .upsert_many(
            Collection::Comments,
            &s,
            vec![comment("ok", "d"), doc(json!({"x": 1}))],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err:?}");
    assert_eq!(proxy.take(), (0, 0), "nothing was sent");

    let rows = rows_of(&sql_client().await, &schema, "comment_annotations").await;
    assert_eq!(rows.len(), 111, "exactly one row per record, no duplicates");
}

// ------------------------------------------------------- velt-py's layout

#[tokio::test]
async fn layout_and_index_ddl_are_velt_py_0_3_0s() {
    let schema = fresh_schema();
    let store = store_in(&schema).await;
    let client = sql_client().await;
    // velt-py 0.3.0's own generate_schema_sql() output for the default
    // config, with the schema swapped in.
    let velt_py = include_str!("../src/backends/postgres/velt_py_0_3_0_schema.sql")
        .replace("\"public\"", &format!("\"{schema}\""));
    let globally_unique = [
        "ix_comment_annotations_annotationid",
        "ix_reaction_annotations_annotationid",
        "ix_recorder_annotations_annotationid",
        "ix_attachments_attachmentid",
        "ix_users_userid",
    ];
    let ours = postgres_schema_sql(store.config());
    let mut velt_py_indexes = 0;
    for line in velt_py.lines().filter(|l| l.starts_with("CREATE ")) {
        if line.contains(" INDEX ") {
            velt_py_indexes += 1;
            let name = line.split('"').nth(1).unwrap();
            let expected = if globally_unique.contains(&name) {
                line.replace("CREATE UNIQUE INDEX", "CREATE INDEX")
            } else {
                line.to_owned()
            };
            assert!(ours.contains(&expected), "missing: {expected}");
        }
    }
    assert_eq!(velt_py_indexes, 37);
    // Tables: byte-identical statements.
    for table_stmt in velt_py
        .split("\n\n")
        .filter(|b| b.starts_with("CREATE TABLE"))
    {
        assert!(ours.contains(table_stmt), "missing: {table_stmt}");
    }

    // What the server holds: the columns, and every index valid, under
    // velt-py's names and (for theirs) velt-py's definitions.
    let cols: Vec<(String, String)> = client
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = 'comment_annotations' ORDER BY ordinal_position",
            &[&schema],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        cols,
        vec![
            ("id".into(), "bigint".into()),
            ("data".into(), "jsonb".into()),
            ("created_at".into(), "timestamp with time zone".into()),
            ("updated_at".into(), "timestamp with time zone".into()),
        ]
    );
    let identity: String = client
        .query_one(
            "SELECT is_identity || identity_generation FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = 'comment_annotations' AND column_name = 'id'",
            &[&schema],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(identity, "YESALWAYS");
    let rows = client
        .query(
            "SELECT c.relname::text, i.indisvalid, i.indisunique FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relname LIKE 'ix\\_%'",
            &[&schema],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), pg_index_specs(&[]).len());
    assert_eq!(rows.len(), 42);
    for r in &rows {
        let name: String = r.get(0);
        assert!(r.get::<_, bool>(1), "{name} is not valid");
    }
    let unique: Vec<String> = rows
        .iter()
        .filter(|r| r.get::<_, bool>(2))
        .map(|r| r.get::<_, String>(0))
        .collect();
    assert_eq!(unique.len(), 2 + 5, "{unique:?}");
    // A record with the same id in two organizations is two rows.
    for org in ["a", "b"] {
        upsert(
            &store,
            Collection::Comments,
            &scope(org),
            vec![comment("same", "d")],
        )
        .await;
    }
    assert_eq!(
        rows_of(&client, &schema, "comment_annotations").await.len(),
        2
    );
    // Connecting again (a second process) finds everything in place.
    let again = store_in(&schema).await;
    assert_eq!(again.schema_report().indexes.len(), 42);
}

#[tokio::test]
async fn rows_written_like_velt_py_read_back_and_merge() {
    let schema = fresh_schema();
    let store = store_in(&schema).await;
    let client = sql_client().await;
    // velt-py's insert branch: filter equalities seeded, then $set.
    let velt_py_row = json!({
        "annotationId": "vp-1",
        "metadata": {"organizationId": "org1", "documentId": "doc-1", "apiKey": "k"},
        "comments": [{"commentId": 1, "commentText": "hi"}],
        "status": {"id": "OPEN"}
    });
    client
        .execute(
            &format!("INSERT INTO \"{schema}\".\"comment_annotations\" (data) VALUES ($1)"),
            &[&velt_py_row],
        )
        .await
        .unwrap();
    let got = find(
        &store,
        Collection::Comments,
        &scope("org1"),
        &Selector::Ids(vec![RecordId::from("vp-1")]),
    )
    .await;
    assert_eq!(got, vec![doc(velt_py_row.clone())]);
    // velt-rs merges into velt-py's row (metadata keys kept) instead of
    // adding a second one.
    upsert(
        &store,
        Collection::Comments,
        &scope("org1"),
        vec![doc(
            json!({"annotationId": "vp-1", "metadata": {"folderId": "f"}, "x": 1}),
        )],
    )
    .await;
    let rows = rows_of(&client, &schema, "comment_annotations").await;
    assert_eq!(
        rows,
        vec![json!({
            "annotationId": "vp-1",
            "metadata": {"organizationId": "org1", "documentId": "doc-1", "apiKey": "k", "folderId": "f"},
            "comments": [{"commentId": 1, "commentText": "hi"}],
            "status": {"id": "OPEN"},
            "x": 1
        })]
    );
    // velt-py's own read filter finds what velt-rs wrote.
    upsert(
        &store,
        Collection::Comments,
        &scope("org1"),
        vec![comment("rs-1", "doc-1")],
    )
    .await;
    let n: i64 = client
        .query_one(
            &format!(
                "SELECT count(*) FROM \"{schema}\".\"comment_annotations\" WHERE \
                 ((data #>> '{{\"metadata\",\"organizationId\"}}'::text[] = $1 AND jsonb_typeof(data #> '{{\"metadata\",\"organizationId\"}}'::text[]) = 'string')) \
                 AND ((data #>> '{{\"annotationId\"}}'::text[] = $2 AND jsonb_typeof(data #> '{{\"annotationId\"}}'::text[]) = 'string'))"
            ),
            &[&"org1", &"rs-1"],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    // Integer attachment ids keep their type.
    upsert(
        &store,
        Collection::Attachments,
        &scope("org1"),
        vec![
            doc(json!({"attachmentId": 12, "name": "int"})),
            doc(json!({"attachmentId": "12", "name": "str"})),
        ],
    )
    .await;
    let got = find(
        &store,
        Collection::Attachments,
        &scope("org1"),
        &Selector::Ids(vec![RecordId::Int(12)]),
    )
    .await;
    assert_eq!(ids(&got, "name"), vec![json!("int")]);
    let deleted = store
        .delete(
            Collection::Attachments,
            &scope("org1"),
            &RecordId::from("12"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(deleted["name"], json!("str"));
    assert_eq!(rows_of(&client, &schema, "attachments").await.len(), 1);
}

/// velt-py's transaction-scoped advisory lock for a record blocks a velt-rs
/// save of that record until velt-py commits; the save then merges into
/// velt-py's row: one row, not two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn velt_py_upsert_lock_serialises_velt_rs_saves() {
    let schema = fresh_schema();
    let store = Arc::new(store_in(&schema).await);
    let mut velt_py = sql_client().await;
    let tx = velt_py.transaction().await.unwrap();
    // Exactly the key velt-py 0.3.0 builds for this upsert:
    // f"{schema}.{collection}:" + json.dumps(filter, sort_keys=True)
    let key = format!(
        "{schema}.comment_annotations:{{\"annotationId\": \"c\\u00e9-1\", \"metadata.organizationId\": \"org1\"}}"
    );
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&key],
    )
    .await
    .unwrap();
    let saver = {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .upsert_many(
                    Collection::Comments,
                    &scope("org1"),
                    vec![doc(json!({"annotationId": "c\u{e9}-1", "fromRs": true}))],
                )
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        !saver.is_finished(),
        "the save did not wait for velt-py's lock"
    );
    tx.execute(
        &format!("INSERT INTO \"{schema}\".\"comment_annotations\" (data) VALUES ($1)"),
        &[&json!({"annotationId": "c\u{e9}-1", "metadata": {"organizationId": "org1"}, "fromPy": true})],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    saver.await.unwrap().unwrap();
    let rows = rows_of(&sql_client().await, &schema, "comment_annotations").await;
    assert_eq!(
        rows,
        vec![
            json!({"annotationId": "c\u{e9}-1", "metadata": {"organizationId": "org1"}, "fromPy": true, "fromRs": true})
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_concurrent_saves_of_one_record_make_one_row() {
    let schema = fresh_schema();
    let store = Arc::new(store_in(&schema).await);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let shared = doc(json!({
                "annotationId": "shared",
                format!("field{i}"): i,
                "metadata": {format!("key{i}"): i}
            }));
            store
                .upsert_many(
                    Collection::Comments,
                    &scope("org1"),
                    vec![comment(&format!("own{i}"), "d"), shared],
                )
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let rows = rows_of(&sql_client().await, &schema, "comment_annotations").await;
    assert_eq!(rows.len(), 17);
    let shared: Vec<&Value> = rows
        .iter()
        .filter(|r| r["annotationId"] == json!("shared"))
        .collect();
    assert_eq!(shared.len(), 1);
    for i in 0..16 {
        assert_eq!(shared[0][&format!("field{i}")], json!(i));
        assert_eq!(shared[0]["metadata"][&format!("key{i}")], json!(i));
    }
}

#[tokio::test]
async fn one_batch_repeating_an_id_is_applied_in_order() {
    let schema = fresh_schema();
    let store = store_in(&schema).await;
    let s = scope("o");
    upsert(
        &store,
        Collection::Notifications,
        &s,
        vec![doc(json!({"notificationId": "n", "metadata": {"x": 1}}))],
    )
    .await;
    // Sequential merge_record: the string wipes the stored metadata, then
    // the object replaces the string.
    upsert(
        &store,
        Collection::Notifications,
        &s,
        vec![
            doc(json!({"notificationId": "n", "metadata": "s", "a": 1})),
            doc(json!({"notificationId": "n", "metadata": {"y": 2}, "b": 2})),
            doc(json!({"notificationId": "new", "v": 1})),
            doc(json!({"notificationId": "new", "v": 2})),
        ],
    )
    .await;
    let rows = rows_of(&sql_client().await, &schema, "notifications").await;
    assert_eq!(
        rows,
        vec![
            json!({"notificationId": "n", "organizationId": "o", "metadata": {"y": 2}, "a": 1, "b": 2}),
            json!({"notificationId": "new", "organizationId": "o", "v": 2}),
        ]
    );
}

// ---------------------------------------------------------------- permissions

#[cfg(feature = "auth")]
#[path = "permissions/suite.rs"]
mod permissions_suite;

#[cfg(feature = "auth")]
#[tokio::test]
async fn permission_grants_and_groups_on_postgres() {
    permissions_suite::run(fresh_store().await).await;
    permissions_suite::run_groups(fresh_store().await).await;
}
