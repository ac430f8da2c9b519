//! The SQLite backend: the shared conformance suite plus SQLite-specific
//! behaviour (persistence across reopen, WAL, typed and per-org ids, bad rows).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use serde_json::{Value, json};
use velt_selfhost::backends::sqlite::{SqliteConfig, SqliteStore, Synchronous};
use velt_selfhost::store::{Collection, Document, RecordId, Selector, Store};

use common::{doc, find, ids, scope, upsert};

// The shared conformance suite, each case on a fresh database file under
// cargo's per-target temporary directory.
velt_selfhost::conformance_tests!(async {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sqlite-conformance")
        .join(uuid::Uuid::new_v4().simple().to_string());
    Arc::new(SqliteStore::open(dir.join("velt.db")).unwrap()) as Arc<dyn Store>
});

/// A store on a fresh file in a temporary directory (kept alive by the caller).
fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("velt.db")).unwrap();
    (dir, store)
}

fn comment(id: &str, document: &str) -> Document {
    doc(json!({
        "annotationId": id,
        "metadata": {"documentId": document, "folderId": "f1"},
        "comments": [{"commentId": 1, "commentText": format!("text of {id}")}]
    }))
}

#[tokio::test]
async fn records_survive_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/data/velt.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        upsert(
            &store,
            Collection::Comments,
            &scope("org1"),
            vec![comment("a1", "d1"), comment("a2", "d1")],
        )
        .await;
        upsert(
            &store,
            Collection::Attachments,
            &scope("org1"),
            vec![doc(json!({"attachmentId": 7, "file": "http://x/y.png"}))],
        )
        .await;
    }
    let store = SqliteStore::open(&path).unwrap();
    let got = find(
        &store,
        Collection::Comments,
        &scope("org1"),
        &Selector::DocumentIds(vec!["d1".into()]),
    )
    .await;
    assert_eq!(
        Value::Array(got.into_iter().map(Value::Object).collect()),
        json!([
            {"annotationId": "a1", "metadata": {"documentId": "d1", "folderId": "f1", "organizationId": "org1"},
             "comments": [{"commentId": 1, "commentText": "text of a1"}]},
            {"annotationId": "a2", "metadata": {"documentId": "d1", "folderId": "f1", "organizationId": "org1"},
             "comments": [{"commentId": 1, "commentText": "text of a2"}]}
        ])
    );
    let att = find(
        &store,
        Collection::Attachments,
        &scope("org1"),
        &Selector::Ids(vec![RecordId::Int(7)]),
    )
    .await;
    assert_eq!(
        Value::Object(att[0].clone()),
        json!({"attachmentId": 7, "file": "http://x/y.png", "metadata": {"organizationId": "org1"}})
    );
}

#[tokio::test]
async fn database_runs_in_wal_mode_with_full_sync_by_default() {
    let (dir, store) = fresh();
    store.ping().await.unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("velt.db")).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(dir.path().join("velt.db-wal").exists());
    let _ = SqliteStore::open_with(
        SqliteConfig::new(dir.path().join("other.db")).synchronous(Synchronous::Normal),
    )
    .unwrap();
}

/// The checkpoint thread copies committed writes from the WAL into the
/// database file soon after they commit (well below SQLite's automatic
/// checkpoint at 1,000 pages); with it turned off they stay in the WAL.
#[tokio::test]
async fn a_thread_of_its_own_checkpoints_the_wal() {
    for (interval, checkpoints) in [
        (std::time::Duration::from_millis(20), true),
        (std::time::Duration::ZERO, false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("velt.db");
        let store =
            SqliteStore::open_with(SqliteConfig::new(&path).checkpoint_interval(interval)).unwrap();
        store.ping().await.unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        let s = scope("o");
        let records = (0..40).map(|i| comment(&format!("c{i}"), "d")).collect();
        upsert(&store, Collection::Comments, &s, records).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let after = std::fs::metadata(&path).unwrap().len();
        assert_eq!(store.checkpoints_run() > 0, checkpoints, "{interval:?}");
        assert_eq!(
            after > before,
            checkpoints,
            "{interval:?}: {before} -> {after} bytes"
        );
        // Every record reads back either way.
        let got = find(&store, Collection::Comments, &s, &Selector::All).await;
        assert_eq!(got.len(), 40);
    }
}

#[tokio::test]
async fn same_id_in_two_organizations_is_two_records() {
    let (_dir, store) = fresh();
    upsert(
        &store,
        Collection::Comments,
        &scope("a"),
        vec![comment("x", "d")],
    )
    .await;
    upsert(
        &store,
        Collection::Comments,
        &scope("b"),
        vec![comment("x", "d")],
    )
    .await;
    for org in ["a", "b"] {
        let got = find(&store, Collection::Comments, &scope(org), &Selector::All).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["metadata"]["organizationId"], json!(org));
    }
    // Deleting in one organization leaves the other's record alone.
    let deleted = store
        .delete(Collection::Comments, &scope("a"), &"x".into())
        .await
        .unwrap();
    assert_eq!(deleted.unwrap()["metadata"]["organizationId"], json!("a"));
    assert_eq!(
        find(&store, Collection::Comments, &scope("b"), &Selector::All)
            .await
            .len(),
        1
    );
    assert!(
        store
            .delete(Collection::Comments, &scope("a"), &"x".into())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn integer_and_string_ids_are_distinct() {
    let (_dir, store) = fresh();
    upsert(
        &store,
        Collection::Attachments,
        &scope("o"),
        vec![
            doc(json!({"attachmentId": 12, "name": "int"})),
            doc(json!({"attachmentId": "12", "name": "str"})),
        ],
    )
    .await;
    let by_int = find(
        &store,
        Collection::Attachments,
        &scope("o"),
        &Selector::Ids(vec![RecordId::Int(12)]),
    )
    .await;
    assert_eq!(ids(&by_int, "name"), vec![json!("int")]);
    let by_str = find(
        &store,
        Collection::Attachments,
        &scope("o"),
        &Selector::Ids(vec!["12".into()]),
    )
    .await;
    assert_eq!(ids(&by_str, "name"), vec![json!("str")]);
}

#[tokio::test]
async fn existing_records_are_merged_in_place_keeping_order() {
    let (_dir, store) = fresh();
    let s = scope("o");
    upsert(
        &store,
        Collection::Comments,
        &s,
        vec![comment("a", "d"), comment("b", "d"), comment("c", "d")],
    )
    .await;
    upsert(
        &store,
        Collection::Comments,
        &s,
        vec![doc(json!({
            "annotationId": "a",
            "status": "resolved",
            "metadata": {"documentId": "d2", "extra": true}
        }))],
    )
    .await;
    let all = find(&store, Collection::Comments, &s, &Selector::All).await;
    assert_eq!(
        ids(&all, "annotationId"),
        vec![json!("a"), json!("b"), json!("c")]
    );
    assert_eq!(
        Value::Object(all[0].clone()),
        json!({
            "annotationId": "a",
            "metadata": {"documentId": "d2", "folderId": "f1", "organizationId": "o", "extra": true},
            "comments": [{"commentId": 1, "commentText": "text of a"}],
            "status": "resolved"
        })
    );
    // The indexed documentId column follows the merged record.
    let d2 = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::DocumentIds(vec!["d2".into()]),
    )
    .await;
    assert_eq!(ids(&d2, "annotationId"), vec![json!("a")]);
    let d = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::DocumentIds(vec!["d".into()]),
    )
    .await;
    assert_eq!(ids(&d, "annotationId"), vec![json!("b"), json!("c")]);
}

#[tokio::test]
async fn a_batch_with_an_invalid_record_writes_nothing() {
    let (_dir, store) = fresh();
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope("o"),
            vec![comment("ok", "d"), doc(json!({"noId": true}))],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, velt_selfhost::store::StoreError::InvalidRecord { .. }),
        "{err:?}"
    );
    assert!(
        find(&store, Collection::Comments, &scope("o"), &Selector::All)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_malformed_row_does_not_fail_the_read() {
    let (dir, store) = fresh();
    upsert(
        &store,
        Collection::Comments,
        &scope("o"),
        vec![comment("good", "d")],
    )
    .await;
    let conn = rusqlite::Connection::open(dir.path().join("velt.db")).unwrap();
    conn.execute(
        "INSERT INTO velt_records (collection, org, id_key, document_id, doc) \
         VALUES ('comment_annotations', 'o', 's:bad', 'd', '{not json')",
        [],
    )
    .unwrap();
    let got = find(
        &store,
        Collection::Comments,
        &scope("o"),
        &Selector::DocumentIds(vec!["d".into()]),
    )
    .await;
    assert_eq!(ids(&got, "annotationId"), vec![json!("good")]);
}

#[tokio::test]
async fn api_key_scope_restricts_reads_and_folder_selector_works() {
    let (_dir, store) = fresh();
    let s = scope("o");
    let mut keyed = comment("k", "d");
    keyed["metadata"]["apiKey"] = json!("key1");
    let mut other = comment("n", "d");
    other["metadata"]["folderId"] = json!("f2");
    upsert(&store, Collection::Comments, &s, vec![keyed, other]).await;
    let with_key = s.clone().with_api_key(Some("key1".into()));
    let got = find(&store, Collection::Comments, &with_key, &Selector::All).await;
    assert_eq!(ids(&got, "annotationId"), vec![json!("k")]);
    let f2 = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::Folder("f2".into()),
    )
    .await;
    assert_eq!(ids(&f2, "annotationId"), vec![json!("n")]);
}

/// A file written by a build with schema version 1 (plain document and
/// folder indexes) opens with this build: its indexes become partial, and
/// every read and write answers as before, from those indexes.
#[tokio::test]
async fn a_version_1_file_opens_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("velt.db");
    let stored = |id: &str, document: &str, folder: Option<&str>| {
        let mut c = comment(id, document);
        c["metadata"]["organizationId"] = json!("o");
        match folder {
            Some(f) => c["metadata"]["folderId"] = json!(f),
            None => {
                c["metadata"].as_object_mut().unwrap().remove("folderId");
            }
        }
        c
    };
    let records = [
        ("s:a", stored("a", "d1", Some("f1"))),
        ("s:b", stored("b", "d1", None)),
        ("s:c", stored("c", "d2", Some("f1"))),
    ];
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE velt_records (
                 seq INTEGER PRIMARY KEY, collection TEXT NOT NULL, org TEXT NOT NULL,
                 id_key TEXT NOT NULL, document_id TEXT, folder_id TEXT, doc TEXT NOT NULL);
             CREATE UNIQUE INDEX velt_records_id ON velt_records (collection, org, id_key);
             CREATE INDEX velt_records_document ON velt_records (collection, org, document_id);
             CREATE INDEX velt_records_folder ON velt_records (collection, org, folder_id);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        for (key, record) in &records {
            conn.execute(
                "INSERT INTO velt_records (collection, org, id_key, document_id, folder_id, doc) \
                 VALUES ('comment_annotations', 'o', ?1, ?2, ?3, ?4)",
                rusqlite::params![
                    key,
                    record["metadata"]["documentId"].as_str(),
                    record["metadata"]["folderId"].as_str(),
                    serde_json::to_string(record).unwrap()
                ],
            )
            .unwrap();
        }
    }
    let store = SqliteStore::open(&path).unwrap();
    let s = scope("o");
    let d1 = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::DocumentIds(vec!["d1".into()]),
    )
    .await;
    assert_eq!(d1, vec![records[0].1.clone(), records[1].1.clone()]);
    let f1 = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::Folder("f1".into()),
    )
    .await;
    assert_eq!(f1, vec![records[0].1.clone(), records[2].1.clone()]);
    // A write after the upgrade lands in the partial index too.
    upsert(&store, Collection::Comments, &s, vec![comment("e", "d2")]).await;
    let f1 = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::Folder("f1".into()),
    )
    .await;
    assert_eq!(
        ids(&f1, "annotationId"),
        vec![json!("a"), json!("c"), json!("e")]
    );
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let folder_sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'velt_records_folder'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        folder_sql.ends_with("WHERE folder_id IS NOT NULL"),
        "{folder_sql}"
    );
    // The rebuilt indexes hold exactly the rows with a value.
    let entries = |index: &str, column: &str| -> i64 {
        conn.query_row(
            &format!(
                "SELECT count(*) FROM velt_records INDEXED BY {index} WHERE {column} IS NOT NULL"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(entries("velt_records_document", "document_id"), 4);
    assert_eq!(entries("velt_records_folder", "folder_id"), 3);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// Reads the indexed columns decide come back marked filtered (the reader
/// skips the contract's filter: the conformance case
/// `reads_match_ids_with_their_json_types` checks they agree); an API key,
/// which no column holds, leaves the filter to the reader.
#[tokio::test]
async fn column_reads_are_marked_filtered_unless_an_api_key_scopes_them() {
    let (_dir, store) = fresh();
    let s = scope("o");
    let mut keyed = comment("k", "d");
    keyed["metadata"]["apiKey"] = json!("key1");
    upsert(
        &store,
        Collection::Comments,
        &s,
        vec![keyed, comment("n", "d")],
    )
    .await;
    for selector in [
        Selector::All,
        Selector::Ids(vec![RecordId::Str("k".into())]),
        Selector::DocumentIds(vec!["d".into()]),
        Selector::Folder("f1".into()),
    ] {
        let rows = store
            .find_raw_rows(Collection::Comments, &s, &selector)
            .await
            .unwrap();
        assert!(rows.filter().is_none(), "{selector:?}");
        let keyed_scope = s.clone().with_api_key(Some("key1".into()));
        let keyed_rows = store
            .find_raw_rows(Collection::Comments, &keyed_scope, &selector)
            .await
            .unwrap();
        assert!(keyed_rows.filter().is_some(), "{selector:?} with a key");
        let keyed = store
            .find_raw(Collection::Comments, &keyed_scope, &selector)
            .await
            .unwrap();
        assert_eq!(keyed.len(), 1, "{selector:?} with a key");
    }
}

#[tokio::test]
async fn huge_id_lists_are_fine() {
    let (_dir, store) = fresh();
    let s = scope("o");
    upsert(
        &store,
        Collection::Comments,
        &s,
        (0..100).map(|i| comment(&format!("a{i}"), "d")).collect(),
    )
    .await;
    let wanted: Vec<RecordId> = (0..50_000)
        .map(|i| RecordId::from(format!("a{i}")))
        .collect();
    let got = find(&store, Collection::Comments, &s, &Selector::Ids(wanted)).await;
    assert_eq!(got.len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing() {
    let (_dir, store) = fresh();
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for t in 0..16 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                upsert(
                    &*store,
                    Collection::Comments,
                    &scope("o"),
                    vec![comment(&format!("t{t}-{i}"), "shared")],
                )
                .await;
                let seen = find(
                    &*store,
                    Collection::Comments,
                    &scope("o"),
                    &Selector::DocumentIds(vec!["shared".into()]),
                )
                .await;
                assert!(seen.len() > i);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let all = find(
        &*store,
        Collection::Comments,
        &scope("o"),
        &Selector::DocumentIds(vec!["shared".into()]),
    )
    .await;
    assert_eq!(all.len(), 160);
}
