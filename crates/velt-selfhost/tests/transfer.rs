//! `Store::scan` on every backend (memory, SQLite file, MongoDB, PostgreSQL)
//! and the `transfer` module over real servers: export → import into
//! another backend, import twice, bad lines, migration interrupted and
//! resumed, count verification.
//!
//! Servers: `VELT_TEST_MONGODB_URI` and `VELT_TEST_POSTGRES_URL` (`cargo
//! xtask test` sets both). Without them the suite fails when
//! `VELT_TEST_REQUIRE_SERVERS` or `CI` is set, and is skipped (the binary
//! exits early, reporting nothing as passed) otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use velt_selfhost::backends::memory::MemoryStore;
use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore};
use velt_selfhost::backends::postgres::{PostgresConfig, PostgresStore};
use velt_selfhost::backends::sqlite::SqliteStore;
use velt_selfhost::store::{Collection, Document, RecordId, ScanCursor, Store, StoreError};
use velt_selfhost::transfer::{
    self, CountMismatch, ExportOptions, ImportOptions, LineError, MigrateOptions, MigrateOutcome,
    TransferError,
};

use common::{doc, scope, upsert};

// ---------------------------------------------------------------- servers

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn server(var: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => v,
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("{var} is not set but VELT_TEST_REQUIRE_SERVERS/CI is (use `cargo xtask test`)")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP tests/transfer.rs: {var} is not set (run `cargo xtask test`)"
            );
            std::process::exit(0);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn fresh_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "vt_dt_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

async fn mongo() -> MongoStore {
    let config = MongoConfig::from_uri(server("VELT_TEST_MONGODB_URI"))
        .database(fresh_name())
        .server_selection_timeout(Duration::from_secs(20));
    MongoStore::connect(&config).await.unwrap()
}

async fn postgres() -> PostgresStore {
    let config = PostgresConfig::from_url(server("VELT_TEST_POSTGRES_URL")).schema(fresh_name());
    PostgresStore::connect(&config).await.unwrap()
}

fn sqlite(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(dir.path().join(format!("{}.db", fresh_name()))).unwrap()
}

/// Fails early (before any test work) when a server is missing.
fn require_servers() {
    server("VELT_TEST_MONGODB_URI");
    server("VELT_TEST_POSTGRES_URL");
}

fn none(_: Collection, _: u64) {}

// ---------------------------------------------------------------- data

/// A record of `collection` with id `id` (an integer for attachments).
fn record(collection: Collection, id: usize, extra: Value) -> Document {
    let mut r = doc(json!({}));
    let id_value = if collection == Collection::Attachments {
        json!(id)
    } else {
        json!(format!("{}-{id}", collection.config_key()))
    };
    r.insert(collection.id_field().to_owned(), id_value);
    r.insert("n".into(), json!(id));
    if collection.org_path().starts_with("metadata.") {
        r.insert(
            "metadata".into(),
            json!({"documentId": format!("doc-{}", id % 3), "apiKey": "k"}),
        );
    }
    r.insert("extra".into(), extra);
    r
}

/// Seeds every collection: `per_org` records in each of `orgs`, nested
/// values of every JSON type.
async fn seed(store: &dyn Store, orgs: &[&str], per_org: usize) {
    for collection in Collection::ALL {
        for (o, org) in orgs.iter().enumerate() {
            let records = (0..per_org)
                .map(|i| {
                    record(
                        collection,
                        o * 1000 + i,
                        json!({"s": "é ✓", "f": 1.5, "b": true, "z": null, "a": [1, {"x": "y"}]}),
                    )
                })
                .collect();
            upsert(store, collection, &scope(org), records).await;
        }
    }
}

/// Every record of `collection` in scan order, pages of `limit`.
async fn scan_all(store: &dyn Store, collection: Collection, limit: usize) -> Vec<Document> {
    let mut out = Vec::new();
    let mut after: Option<ScanCursor> = None;
    loop {
        let page = store.scan(collection, after.as_ref(), limit).await.unwrap();
        assert!(page.records.len() <= limit.max(1));
        out.extend(page.records);
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

fn key(collection: Collection, d: &Document) -> (String, String) {
    let org = velt_selfhost::store::get_path(d, collection.org_path())
        .map(|v| v.to_string())
        .unwrap_or_default();
    let id = RecordId::from_value(&d[collection.id_field()]).unwrap();
    (org, format!("{id:?}"))
}

/// Every collection's records, sorted by (organization, id): what two
/// stores holding the same data have in common whatever their key order.
async fn snapshot(store: &dyn Store) -> Vec<(Collection, Vec<Document>)> {
    let mut out = Vec::new();
    for c in Collection::ALL {
        let mut docs = scan_all(store, c, 7).await;
        docs.sort_by_key(|d| key(c, d));
        out.push((c, docs));
    }
    out
}

fn total(snap: &[(Collection, Vec<Document>)]) -> usize {
    snap.iter().map(|(_, d)| d.len()).sum()
}

// ---------------------------------------------------------------- scan

/// Pagination over several pages, every organization, no record twice,
/// insertion order for the database backends, the same order twice, a
/// saved cursor text resumes, a foreign cursor is refused.
async fn check_scan(store: &dyn Store, name: &str, insertion_order: bool) {
    let c = Collection::Comments;
    let orgs = ["org-a", "org-b", "org-c"];
    let mut inserted = Vec::new();
    for round in 0..3 {
        for (o, org) in orgs.iter().enumerate() {
            let records: Vec<Document> = (0..(o + 1))
                .map(|i| record(c, round * 100 + o * 10 + i, json!(null)))
                .collect();
            for r in &records {
                let mut r = r.clone();
                velt_selfhost::store::set_path(&mut r, c.org_path(), json!(org));
                inserted.push(r);
            }
            upsert(store, c, &scope(org), records).await;
        }
    }
    // Another collection is not part of the scan.
    upsert(
        store,
        Collection::Users,
        &scope("org-a"),
        vec![record(Collection::Users, 1, json!(null))],
    )
    .await;
    assert_eq!(inserted.len(), 18);

    let mut pages = 0;
    let mut seen = Vec::new();
    let mut after: Option<ScanCursor> = None;
    let mut cursors = Vec::new();
    loop {
        let page = store.scan(c, after.as_ref(), 4).await.unwrap();
        pages += 1;
        match &page.next {
            Some(n) => {
                assert_eq!(
                    page.records.len(),
                    4,
                    "{name}: a page before the last is full"
                );
                cursors.push(n.clone());
            }
            None => assert_eq!(
                page.records.len(),
                2,
                "{name}: the last page holds the rest"
            ),
        }
        seen.extend(page.records);
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(pages, 5, "{name}: 18 records in pages of 4");
    let mut keys: Vec<_> = seen.iter().map(|d| key(c, d)).collect();
    if insertion_order {
        assert_eq!(seen, inserted, "{name}: scan order is insertion order");
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 18, "{name}: every record once");
    let mut want: Vec<_> = inserted.iter().map(|d| key(c, d)).collect();
    want.sort();
    assert_eq!(keys, want, "{name}: all organizations");
    let mut sorted_seen = seen.clone();
    sorted_seen.sort_by_key(|d| key(c, d));
    let mut sorted_inserted = inserted.clone();
    sorted_inserted.sort_by_key(|d| key(c, d));
    assert_eq!(sorted_seen, sorted_inserted, "{name}: exact documents");

    // Stable: the same sequence again, and from a saved cursor's text.
    assert_eq!(scan_all(store, c, 4).await, seen, "{name}: stable order");
    let resumed = ScanCursor::new(cursors[1].as_str().to_owned());
    let rest = scan_all_from(store, c, resumed, 5).await;
    assert_eq!(rest, seen[8..].to_vec(), "{name}: resumes after the cursor");

    // limit 0 reads one record.
    let one = store.scan(c, None, 0).await.unwrap();
    assert_eq!(one.records.len(), 1);
    assert!(one.next.is_some());

    // An empty collection: one empty last page.
    let empty = store.scan(Collection::Activities, None, 10).await.unwrap();
    assert!(empty.records.is_empty() && empty.next.is_none(), "{name}");

    let err = store
        .scan(c, Some(&ScanCursor::new("not a cursor {")), 3)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidRecord { message } if message.contains("scan cursor `not a cursor {`")),
        "{name}: {err}"
    );
}

async fn scan_all_from(
    store: &dyn Store,
    c: Collection,
    start: ScanCursor,
    limit: usize,
) -> Vec<Document> {
    let mut out = Vec::new();
    let mut after = Some(start);
    loop {
        let page = store.scan(c, after.as_ref(), limit).await.unwrap();
        out.extend(page.records);
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

#[tokio::test]
async fn scan_pages_over_every_organization_on_every_backend() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    check_scan(&MemoryStore::new(), "memory", false).await;
    check_scan(&sqlite(&dir), "sqlite", true).await;
    check_scan(&mongo().await, "mongodb", true).await;
    check_scan(&postgres().await, "postgres", true).await;
}

#[tokio::test]
async fn postgres_scan_of_a_table_that_does_not_exist_is_empty() {
    require_servers();
    // A velt-py database opened without schema management has no tables
    // for velt-rs's own collections: they scan as empty, not as an error.
    let config = PostgresConfig::from_url(server("VELT_TEST_POSTGRES_URL"))
        .schema(fresh_name())
        .manage_schema(false);
    let store = PostgresStore::connect(&config).await.unwrap();
    let page = store.scan(Collection::Permissions, None, 10).await.unwrap();
    assert!(page.records.is_empty() && page.next.is_none());
    // Other errors still fail: a cursor that is not an id.
    let err = store
        .scan(Collection::Permissions, Some(&ScanCursor::new("x")), 10)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err}");
}

#[tokio::test]
async fn mongo_scan_returns_velt_py_records_without_organization() {
    require_servers();
    let store = mongo().await;
    store
        .database()
        .collection::<bson::Document>("users")
        .insert_one(bson::doc! {"userId": "legacy", "name": "Py"})
        .await
        .unwrap();
    upsert(
        &store,
        Collection::Users,
        &scope("org-a"),
        vec![doc(json!({"userId": "u1"}))],
    )
    .await;
    // `_id` order: the driver made one ObjectId and the server the other,
    // so within one second their order is arbitrary; compare by user id.
    let mut all = scan_all(&store, Collection::Users, 1).await;
    all.sort_by_key(|d| d["userId"].to_string());
    assert_eq!(
        Value::Array(all.into_iter().map(Value::Object).collect()),
        json!([{"userId": "legacy", "name": "Py"}, {"userId": "u1", "organizationId": "org-a"}])
    );
}

// ---------------------------------------------------------------- export / import

async fn export_to_vec(store: &dyn Store, options: &ExportOptions) -> (Vec<u8>, transfer::Counts) {
    let mut out = Vec::new();
    let counts = transfer::export(store, &mut out, options, &none)
        .await
        .unwrap();
    (out, counts)
}

#[tokio::test]
async fn export_then_import_into_other_backends_gives_identical_records() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir);
    seed(&source, &["org-a", "org-b"], 3).await;
    let (bytes, counts) = export_to_vec(&source, &ExportOptions::default().batch_size(4)).await;
    assert_eq!(counts.total(), 60);
    assert_eq!(
        counts.to_string(),
        "60 records (comments: 6, reactions: 6, recorder_annotations: 6, notifications: 6, \
         activities: 6, attachments: 6, users: 6, permissions: 6, webhook_receipts: 6, \
         webhook_outbox: 6)"
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 60);
    assert_eq!(
        lines[0],
        r#"{"collection":"comments","organizationId":"org-a","record":{"annotationId":"comments-0","n":0,"metadata":{"documentId":"doc-0","apiKey":"k","organizationId":"org-a"},"extra":{"s":"é ✓","f":1.5,"b":true,"z":null,"a":[1,{"x":"y"}]}}}"#
    );
    assert!(lines[59].starts_with(
        r#"{"collection":"webhook_outbox","organizationId":"org-b","record":{"deliveryId":"webhook_outbox-1002","n":1002,"#
    ));

    let want = snapshot(&source).await;
    assert_eq!(total(&want), 60);
    let pg = postgres().await;
    let mg = mongo().await;
    for (target, name) in [
        (&pg as &dyn Store, "postgres"),
        (&mg as &dyn Store, "mongodb"),
    ] {
        let summary = transfer::import(
            target,
            &bytes[..],
            &ImportOptions::default().batch_size(7),
            &none,
        )
        .await
        .unwrap();
        assert_eq!(summary.written, counts, "{name}");
        assert_eq!(summary.skipped_without_org.total(), 0);
        assert_eq!(snapshot(target).await, want, "{name}: identical records");
    }

    // One organization only.
    let (org_b, counts_b) =
        export_to_vec(&pg, &ExportOptions::default().organization("org-b")).await;
    assert_eq!(counts_b.total(), 30);
    let text = String::from_utf8(org_b).unwrap();
    assert!(
        text.lines()
            .all(|l| l.contains(r#""organizationId":"org-b","record""#))
    );
}

#[tokio::test]
async fn importing_twice_leaves_the_records_of_one_import() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = MemoryStore::new();
    seed(&source, &["org-a", "org-b", "org-c"], 2).await;
    let (bytes, _) = export_to_vec(&source, &ExportOptions::default()).await;
    let sq = sqlite(&dir);
    let mg = mongo().await;
    let pg = postgres().await;
    for (target, name) in [
        (&sq as &dyn Store, "sqlite"),
        (&mg as &dyn Store, "mongodb"),
        (&pg as &dyn Store, "postgres"),
    ] {
        let first = transfer::import(target, &bytes[..], &ImportOptions::default(), &none)
            .await
            .unwrap();
        let mut after_one = Vec::new();
        for c in Collection::ALL {
            after_one.push(scan_all(target, c, 1000).await);
        }
        let second = transfer::import(target, &bytes[..], &ImportOptions::default(), &none)
            .await
            .unwrap();
        assert_eq!(first, second, "{name}");
        let mut after_two = Vec::new();
        for c in Collection::ALL {
            after_two.push(scan_all(target, c, 1000).await);
        }
        // Exact: same records, same order, no duplicate.
        assert_eq!(after_one, after_two, "{name}");
        assert_eq!(after_two.iter().map(Vec::len).sum::<usize>(), 60, "{name}");
        assert_eq!(snapshot(target).await, snapshot(&source).await, "{name}");
    }
}

fn line(c: &str, org: &str, record: Value) -> String {
    json!({"collection": c, "organizationId": org, "record": record}).to_string()
}

#[tokio::test]
async fn a_bad_line_is_reported_with_its_number_and_nothing_of_its_batch_is_written() {
    require_servers();
    let good = |i: usize| line("users", "org-a", json!({"userId": format!("u{i}")}));
    let input = [
        good(1),
        good(2),
        String::new(),
        r#"{"collection":"users","organizationId":"org-a","record":{"name":"no id"}}"#.into(),
        good(3),
        r#"{"collection":"comments","#.into(),
        good(4),
    ]
    .join("\n");

    let err = transfer::validate(input.as_bytes()).unwrap_err();
    let TransferError::BadInput {
        errors,
        written_before,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*written_before, 0);
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0],
        LineError {
            line: 4,
            message: "users record without a string or integer `userId`".into()
        }
    );
    assert_eq!(errors[1].line, 6);
    assert!(
        errors[1].message.starts_with("not valid JSON: "),
        "{}",
        errors[1].message
    );
    assert!(err.to_string().starts_with(
        "2 bad input line(s) (0 records written before them): line 4: users record without a string or integer `userId`; line 6: not valid JSON"
    ), "{err}");

    let pg = postgres().await;
    // One batch holds everything: nothing is written.
    let err = transfer::import(&pg, input.as_bytes(), &ImportOptions::default(), &none)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, TransferError::BadInput { errors, written_before: 0 } if errors.len() == 2),
        "{err}"
    );
    assert_eq!(total(&snapshot(&pg).await), 0);

    // Batches of 2 records: the first batch (lines 1-2) is written, the
    // second (lines 4-5) holds the bad line and writes nothing, even its
    // good line 5.
    let err = transfer::import(
        &pg,
        input.as_bytes(),
        &ImportOptions::default().batch_size(2),
        &none,
    )
    .await
    .unwrap_err();
    let TransferError::BadInput {
        errors,
        written_before,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*written_before, 2);
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![4]);
    let users = scan_all(&pg, Collection::Users, 10).await;
    assert_eq!(
        Value::Array(users.into_iter().map(Value::Object).collect()),
        json!([{"userId": "u1", "organizationId": "org-a"}, {"userId": "u2", "organizationId": "org-a"}])
    );
}

// ---------------------------------------------------------------- migrate

async fn seeded_mongo_source() -> MongoStore {
    let source = mongo().await;
    seed(&source, &["org-a", "org-b"], 4).await;
    // A velt-py user record without an organization: not copied, counted.
    source
        .database()
        .collection::<bson::Document>("users")
        .insert_one(bson::doc! {"userId": "legacy"})
        .await
        .unwrap();
    source
}

fn checkpoint_json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_migration_interrupted_half_way_and_resumed_equals_an_uninterrupted_one() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = seeded_mongo_source().await;
    let want = snapshot(&source).await;

    // Uninterrupted: MongoDB -> PostgreSQL.
    let straight = postgres().await;
    let opts =
        MigrateOptions::new(dir.path().join("straight.json"), "mongo-src", "pg-1").batch_size(3);
    let MigrateOutcome::Complete(report) = transfer::migrate(&source, &straight, &opts, &none)
        .await
        .unwrap()
    else {
        panic!("not complete")
    };
    assert_eq!(report.copied.total(), 80);
    assert_eq!(report.skipped_without_org.get(Collection::Users), 1);
    assert_eq!(report.checks.len(), Collection::ALL.len());
    let users = report
        .checks
        .iter()
        .find(|c| c.collection == Collection::Users)
        .unwrap();
    assert_eq!(
        (users.source, users.source_without_org, users.target),
        (8, 1, 8)
    );

    // Interrupted after 5 batches of 3 (comments: 3 batches, reactions: 2),
    // then resumed.
    let resumed = postgres().await;
    let state = dir.path().join("resumed.json");
    let opts = MigrateOptions::new(&state, "mongo-src", "pg-2")
        .batch_size(3)
        .max_batches(Some(5));
    let out = transfer::migrate(&source, &resumed, &opts, &none)
        .await
        .unwrap();
    let MigrateOutcome::Interrupted { batches, copied } = out else {
        panic!("{out:?}")
    };
    assert_eq!(batches, 5);
    assert_eq!(copied.get(Collection::Comments), 8);
    assert_eq!(copied.get(Collection::Reactions), 6);
    assert_eq!(copied.total(), 14);
    assert_eq!(scan_all(&resumed, Collection::Comments, 100).await.len(), 8);
    assert_eq!(
        scan_all(&resumed, Collection::Reactions, 100).await.len(),
        6
    );
    assert_eq!(scan_all(&resumed, Collection::Users, 100).await.len(), 0);
    let cp = checkpoint_json(&state);
    assert_eq!(cp["complete"], json!(false));
    assert_eq!(cp["source"], json!("mongo-src"));
    assert_eq!(cp["collections"]["comments"]["done"], json!(true));
    assert_eq!(cp["collections"]["comments"]["copied"], json!(8));
    assert_eq!(cp["collections"]["reactions"]["done"], json!(false));
    assert!(cp["collections"]["reactions"]["after"].is_string());

    // A checkpoint of another migration is refused.
    let wrong = MigrateOptions::new(&state, "mongo-src", "pg-other").batch_size(3);
    let err = transfer::migrate(&source, &resumed, &wrong, &none)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "belongs to a migration from mongo-src to pg-2, not from mongo-src to pg-other"
        ),
        "{err}"
    );

    // The resumed run goes on from the checkpoint: 25 of the 30 batches
    // (3 per collection) are left, holding 67 of the 81 source records.
    let opts = opts.max_batches(None);
    let calls = AtomicU64::new(0);
    let records = AtomicU64::new(0);
    let count = |_: Collection, n: u64| {
        calls.fetch_add(1, Ordering::SeqCst);
        records.fetch_add(n, Ordering::SeqCst);
    };
    let out = transfer::migrate(&source, &resumed, &opts, &count)
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 25);
    assert_eq!(records.load(Ordering::SeqCst), 81 - 14);
    let MigrateOutcome::Complete(report2) = out else {
        panic!("{out:?}")
    };
    assert_eq!(report2.copied, report.copied);
    assert_eq!(report2.checks, report.checks);
    assert_eq!(checkpoint_json(&state)["complete"], json!(true));

    let got_straight = snapshot(&straight).await;
    let got_resumed = snapshot(&resumed).await;
    assert_eq!(got_resumed, got_straight, "resumed == uninterrupted");
    // And both are the source without its record that has no organization.
    let mut want = want;
    for (c, docs) in &mut want {
        docs.retain(|d| velt_selfhost::store::get_path(d, c.org_path()).is_some());
    }
    assert_eq!(got_straight, want);
    assert_eq!(total(&want), 80);
}

#[tokio::test]
async fn the_count_check_catches_a_mismatch_and_a_new_migration_needs_an_empty_target() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir);
    seed(&source, &["org-a", "org-b"], 2).await;
    let target = postgres().await;
    let state = dir.path().join("state.json");
    let opts = MigrateOptions::new(&state, "sqlite-src", "pg").batch_size(3);
    let out = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap();
    assert!(matches!(out, MigrateOutcome::Complete(_)), "{out:?}");

    // A record lost in the target, one added to the source.
    let gone = target
        .delete(
            Collection::Attachments,
            &scope("org-b"),
            &RecordId::Int(1001),
        )
        .await
        .unwrap();
    assert!(gone.is_some());
    upsert(
        &source,
        Collection::Users,
        &scope("org-z"),
        vec![record(Collection::Users, 9, json!(1))],
    )
    .await;
    let err = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap_err();
    let TransferError::CountMismatch { mismatches } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        mismatches,
        &vec![
            CountMismatch {
                collection: Collection::Attachments,
                source: 4,
                target: 3
            },
            CountMismatch {
                collection: Collection::Users,
                source: 5,
                target: 4
            },
        ]
    );
    assert_eq!(
        err.to_string(),
        "record counts differ after the migration: attachments: source 4 records, target 3; \
         users: source 5 records, target 4"
    );

    // A new migration (no checkpoint) into a target holding records.
    let fresh = MigrateOptions::new(dir.path().join("other.json"), "sqlite-src", "pg");
    let err = transfer::migrate(&source, &target, &fresh, &none)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TransferError::TargetNotEmpty {
                collection: Collection::Comments
            }
        ),
        "{err}"
    );
    assert!(!dir.path().join("other.json").exists());
}
