//! Group commit on the SQLite store: concurrent writes share one
//! transaction and one commit, each in its own savepoint.
//!
//! To make a group form deterministically, a test holds the database's
//! write lock from a second connection (`BEGIN IMMEDIATE`): the writer
//! takes the first queued call and waits for the lock, every later call
//! queues behind it, and releasing the lock lets the whole queue commit as
//! one group. `writes_in_flight` tells when a call has been queued, so
//! calls can be started in a known order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use velt_selfhost::backends::sqlite::SqliteStore;
use velt_selfhost::store::{Collection, Document, Selector, Store, StoreError};

use common::{doc, find, scope};

fn fresh() -> (tempfile::TempDir, SqliteStore) {
    // On disk (cargo's target dir), so commits pay a real fsync.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = SqliteStore::open(dir.path().join("velt.db")).unwrap();
    (dir, store)
}

fn note(id: &str, text: &str) -> Document {
    doc(json!({"annotationId": id, "metadata": {"documentId": "d"}, "text": text}))
}

/// What the store holds for `note(id, text)` saved in organization `o`.
fn stored(id: &str, text: &str) -> Value {
    json!({"annotationId": id, "metadata": {"documentId": "d", "organizationId": "o"}, "text": text})
}

/// All comment records of organization `o`, sorted by id.
async fn all_sorted(store: &SqliteStore) -> Vec<Value> {
    let mut got: Vec<Value> = find(store, Collection::Comments, &scope("o"), &Selector::All)
        .await
        .into_iter()
        .map(Value::Object)
        .collect();
    got.sort_by(|a, b| a["annotationId"].as_str().cmp(&b["annotationId"].as_str()));
    got
}

/// Takes the database's write lock from another connection.
fn hold_write_lock(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

/// Waits until `n` write calls are queued or being applied.
async fn wait_in_flight(store: &SqliteStore, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.writes_in_flight() != n {
        assert!(
            Instant::now() < deadline,
            "expected {n} writes in flight, have {}",
            store.writes_in_flight()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

type Call = tokio::task::JoinHandle<Result<Option<Document>, StoreError>>;

/// Starts a save of `records` and waits until it is queued (the `n`-th).
async fn start_save(store: &SqliteStore, n: usize, records: Vec<Document>) -> Call {
    let s = store.clone();
    let call = tokio::spawn(async move {
        s.upsert_many(Collection::Comments, &scope("o"), records)
            .await
            .map(|()| None)
    });
    wait_in_flight(store, n).await;
    call
}

/// Starts a delete of `id` and waits until it is queued (the `n`-th).
async fn start_delete(store: &SqliteStore, n: usize, id: &str) -> Call {
    let s = store.clone();
    let id = id.to_owned();
    let call = tokio::spawn(async move {
        s.delete(Collection::Comments, &scope("o"), &id.as_str().into())
            .await
    });
    wait_in_flight(store, n).await;
    call
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_saves_all_land_exactly() {
    let (_dir, store) = fresh();
    let mut calls = Vec::new();
    for t in 0..64 {
        let store = store.clone();
        calls.push(tokio::spawn(async move {
            for i in 0..4 {
                let records = (0..3)
                    .map(|k| note(&format!("t{t:02}-{i}-{k}"), &format!("v{t}.{i}.{k}")))
                    .collect();
                store
                    .upsert_many(Collection::Comments, &scope("o"), records)
                    .await
                    .unwrap();
            }
            // A second save of an existing record merges into it.
            store
                .upsert_many(
                    Collection::Comments,
                    &scope("o"),
                    vec![note(&format!("t{t:02}-0-0"), "updated")],
                )
                .await
                .unwrap();
        }));
    }
    for c in calls {
        c.await.unwrap();
    }
    let mut expected = Vec::new();
    for t in 0..64 {
        for i in 0..4 {
            for k in 0..3 {
                let id = format!("t{t:02}-{i}-{k}");
                let text = if i == 0 && k == 0 {
                    "updated".to_owned()
                } else {
                    format!("v{t}.{i}.{k}")
                };
                expected.push(stored(&id, &text));
            }
        }
    }
    assert_eq!(all_sorted(&store).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_queued_saves_share_one_commit_and_reads_go_on() {
    let (dir, store) = fresh();
    store
        .upsert_many(Collection::Comments, &scope("o"), vec![note("old", "x")])
        .await
        .unwrap();
    let before = store.group_commits();
    assert_eq!(before, 1);

    let lock = hold_write_lock(&dir.path().join("velt.db"));
    let mut calls = Vec::new();
    for n in 1..=32 {
        calls.push(start_save(&store, n, vec![note(&format!("n{n:02}"), "new")]).await);
    }
    // The writer is stuck on the lock with 32 saves pending; reads are not.
    let read = tokio::time::timeout(Duration::from_secs(2), all_sorted(&store))
        .await
        .expect("a read waited for the writer");
    assert_eq!(read, vec![stored("old", "x")]);
    assert_eq!(store.group_commits(), before);
    assert!(
        calls.iter().all(|c| !c.is_finished()),
        "answered before commit"
    );

    lock.execute_batch("COMMIT").unwrap();
    for c in calls {
        assert_eq!(c.await.unwrap().unwrap(), None);
    }
    assert_eq!(store.group_commits(), before + 1, "32 saves, one commit");
    let mut expected: Vec<Value> = (1..=32)
        .map(|n| stored(&format!("n{n:02}"), "new"))
        .collect();
    expected.push(stored("old", "x"));
    assert_eq!(all_sorted(&store).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_without_a_held_lock_use_fewer_commits_than_calls() {
    let (_dir, store) = fresh();
    let mut calls = Vec::new();
    for n in 0..32 {
        let store = store.clone();
        calls.push(tokio::spawn(async move {
            store
                .upsert_many(
                    Collection::Comments,
                    &scope("o"),
                    vec![note(&format!("c{n:02}"), "v")],
                )
                .await
        }));
    }
    for c in calls {
        c.await.unwrap().unwrap();
    }
    let commits = store.group_commits();
    assert!(
        (1..32).contains(&commits),
        "32 concurrent saves took {commits} commits"
    );
    let expected: Vec<Value> = (0..32).map(|n| stored(&format!("c{n:02}"), "v")).collect();
    assert_eq!(all_sorted(&store).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_batch_in_a_group_fails_alone_with_its_own_error() {
    let (dir, store) = fresh();
    let path = dir.path().join("velt.db");
    // A stored row that cannot be parsed: merging a save into it fails
    // inside the writer, after the batch's first record was written.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO velt_records (collection, org, id_key, document_id, doc) \
             VALUES ('comment_annotations', 'o', 's:bad', 'd', '{not json')",
            [],
        )
        .unwrap();
    let before = store.group_commits();

    let lock = hold_write_lock(&path);
    let first = start_save(&store, 1, vec![note("a1", "a")]).await;
    let failing = start_save(&store, 2, vec![note("c1", "c"), note("bad", "c")]).await;
    let last = start_save(&store, 3, vec![note("b1", "b"), note("b2", "b")]).await;
    lock.execute_batch("COMMIT").unwrap();

    assert_eq!(first.await.unwrap().unwrap(), None);
    assert_eq!(last.await.unwrap().unwrap(), None);
    match failing.await.unwrap() {
        Err(StoreError::Backend { message, .. }) => {
            assert_eq!(
                message.split(": ").next(),
                Some("stored comments record s:bad is not valid JSON"),
                "{message}"
            );
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    assert_eq!(store.group_commits(), before + 1, "one group");
    // c1 (written before the failure in the same batch) was rolled back;
    // the bad row is untouched (and skipped by reads).
    assert_eq!(
        all_sorted(&store).await,
        vec![stored("a1", "a"), stored("b1", "b"), stored("b2", "b")]
    );
    let raw: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT doc FROM velt_records WHERE id_key = 's:bad'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(raw, "{not json");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deletes_and_saves_of_one_key_in_a_group_apply_in_arrival_order() {
    let (dir, store) = fresh();
    let mut old = note("k", "old");
    old.insert("extra".into(), json!(true));
    store
        .upsert_many(Collection::Comments, &scope("o"), vec![old])
        .await
        .unwrap();
    let before = store.group_commits();

    let lock = hold_write_lock(&dir.path().join("velt.db"));
    let unrelated = start_save(&store, 1, vec![note("z", "z")]).await;
    // k: delete, then save anew -> only the new record, no merged "extra".
    let del_k = start_delete(&store, 2, "k").await;
    let save_k = start_save(&store, 3, vec![note("k", "new")]).await;
    // j: save, then delete -> gone; the delete returns what was saved.
    let save_j = start_save(&store, 4, vec![note("j", "short-lived")]).await;
    let del_j = start_delete(&store, 5, "j").await;
    // A delete of what is not there answers None.
    let del_none = start_delete(&store, 6, "never").await;
    lock.execute_batch("COMMIT").unwrap();

    assert_eq!(unrelated.await.unwrap().unwrap(), None);
    let deleted_k = del_k.await.unwrap().unwrap().map(Value::Object);
    assert_eq!(
        deleted_k,
        Some(
            json!({"annotationId": "k", "metadata": {"documentId": "d", "organizationId": "o"},
                    "text": "old", "extra": true})
        )
    );
    assert_eq!(save_k.await.unwrap().unwrap(), None);
    assert_eq!(save_j.await.unwrap().unwrap(), None);
    assert_eq!(
        del_j.await.unwrap().unwrap().map(Value::Object),
        Some(stored("j", "short-lived"))
    );
    assert_eq!(del_none.await.unwrap().unwrap(), None);
    assert_eq!(store.group_commits(), before + 1, "one group");
    assert_eq!(
        all_sorted(&store).await,
        vec![stored("k", "new"), stored("z", "z")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropping_the_store_applies_every_queued_write_and_does_not_hang() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("velt.db");
    let store = SqliteStore::open(&path).unwrap();
    let lock = hold_write_lock(&path);
    let mut calls = Vec::new();
    for n in 1..=10 {
        calls.push(start_save(&store, n, vec![note(&format!("q{n:02}"), "queued")]).await);
    }
    // The callers go away (requests cancelled); their writes are queued.
    for c in &calls {
        c.abort();
    }
    for c in calls {
        assert!(c.await.unwrap_err().is_cancelled());
    }
    // Release the lock a little later, from another thread, while the
    // last handle of the store is being dropped.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        lock.execute_batch("COMMIT").unwrap();
    });
    let dropped = tokio::task::spawn_blocking(move || drop(store));
    tokio::time::timeout(Duration::from_secs(20), dropped)
        .await
        .expect("dropping the store hung")
        .unwrap();
    release.join().unwrap();

    let reopened = SqliteStore::open(&path).unwrap();
    let expected: Vec<Value> = (1..=10)
        .map(|n| stored(&format!("q{n:02}"), "queued"))
        .collect();
    assert_eq!(all_sorted(&reopened).await, expected);
}

#[tokio::test]
async fn an_invalid_record_is_refused_before_it_reaches_the_writer() {
    let (_dir, store) = fresh();
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope("o"),
            vec![note("fine", "x"), doc(json!({"no": "id"}))],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err:?}");
    assert_eq!(store.group_commits(), 0);
    assert!(all_sorted(&store).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn groups_and_the_queue_are_bounded() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("velt.db");
    let store = SqliteStore::open_with(
        velt_selfhost::backends::sqlite::SqliteConfig::new(&path)
            .max_group(4)
            .write_queue(6),
    )
    .unwrap();
    let lock = hold_write_lock(&path);
    // The writer holds call 1 (waiting for the lock); six more fill the queue.
    let mut calls = Vec::new();
    for n in 1..=7 {
        calls.push(start_save(&store, n, vec![note(&format!("b{n:02}"), "v")]).await);
    }
    // Three more wait for room: they are not queued (not in flight).
    let mut waiting = Vec::new();
    for n in 8..=10 {
        let s = store.clone();
        waiting.push(tokio::spawn(async move {
            s.upsert_many(
                Collection::Comments,
                &scope("o"),
                vec![note(&format!("b{n:02}"), "v")],
            )
            .await
            .map(|()| None)
        }));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(store.writes_in_flight(), 7, "a full queue takes no more");
    assert!(waiting.iter().all(|c| !c.is_finished()));

    lock.execute_batch("COMMIT").unwrap();
    for c in calls.into_iter().chain(waiting) {
        assert_eq!(c.await.unwrap().unwrap(), None);
    }
    // At most 4 calls per commit: 10 calls need at least 3 commits (the
    // first 4 together, since they were all queued when the lock freed).
    let commits = store.group_commits();
    assert!((3..=7).contains(&commits), "{commits} commits");
    let expected: Vec<Value> = (1..=10).map(|n| stored(&format!("b{n:02}"), "v")).collect();
    assert_eq!(all_sorted(&store).await, expected);
}
