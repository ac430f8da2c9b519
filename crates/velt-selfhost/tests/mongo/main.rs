//! The MongoDB backend against a real MongoDB-protocol server: the shared
//! conformance suite (a fresh database per test) plus Mongo-specific
//! behaviour: one command per save (command monitoring), velt-py documents
//! read back unchanged, indexes, typed errors, a server stopped mid-run, and
//! concurrent saves.
//!
//! The server comes from `VELT_TEST_MONGODB_URI` (`cargo xtask test` sets it).
//! Without it the suite fails when `VELT_TEST_REQUIRE_SERVERS` or `CI` is
//! set, and is skipped (the binary exits early, reporting nothing as passed)
//! otherwise. The fault test starts its own `secantusd-py`, found through
//! `VELT_TEST_SECANTUSD`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;
mod faults;
mod indexes;
mod velt_py;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bson::doc;
use mongodb::event::EventHandler;
use mongodb::event::command::CommandEvent;
use serde_json::{Value, json};
use velt_selfhost::SelfHosting;
use velt_selfhost::backends::memory::MemoryStore;
use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore, MongoStoreOptions, index_specs};
use velt_selfhost::store::{
    Collection, Document, RecordId, Selector, Store, StoreError, merge_record, stamp_scope,
};

use common::{doc, find, ids, scope, upsert};

// ---------------------------------------------------------------- helpers

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn servers_required() -> bool {
    flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI")
}

/// Writes to the real stderr (not captured by the test harness).
fn notice(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// The server's URI. Without one: fails when servers are required, else
/// prints a skip notice and ends the test binary (nothing counted as passed).
fn server_uri() -> String {
    match std::env::var("VELT_TEST_MONGODB_URI") {
        Ok(uri) if !uri.is_empty() => uri,
        _ if servers_required() => {
            panic!(
                "VELT_TEST_MONGODB_URI is not set but VELT_TEST_REQUIRE_SERVERS/CI is: the Mongo suite must run (use `cargo xtask test`)"
            )
        }
        _ => {
            notice(
                "SKIP tests/mongo/main.rs: VELT_TEST_MONGODB_URI is not set (run `cargo xtask test`, \
                 or point it at a MongoDB-protocol server)",
            );
            std::process::exit(0);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database name unique to this test (and run).
fn fresh_db_name() -> String {
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

fn config(db: &str) -> MongoConfig {
    MongoConfig::from_uri(server_uri())
        .database(db)
        .server_selection_timeout(Duration::from_secs(20))
}

/// Command names the client started, recorded by command monitoring.
#[derive(Clone, Default)]
struct Commands(Arc<Mutex<Vec<String>>>);

impl Commands {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

async fn mongo_with(options: MongoStoreOptions) -> (MongoStore, Commands) {
    let commands = Commands::default();
    let sink = commands.clone();
    let store = MongoStore::connect_with(&config(&fresh_db_name()).options(options), |opts| {
        opts.command_event_handler = Some(EventHandler::callback(move |ev: CommandEvent| {
            if let CommandEvent::Started(s) = ev {
                sink.0.lock().unwrap().push(s.command_name.clone());
            }
        }));
    })
    .await
    .unwrap();
    commands.take();
    (store, commands)
}

async fn mongo() -> (MongoStore, Commands) {
    mongo_with(MongoStoreOptions::default()).await
}

/// A store on a fresh database, for the conformance suite.
async fn fresh_store() -> Arc<dyn Store> {
    let store = MongoStore::connect(&config(&fresh_db_name()))
        .await
        .unwrap();
    Arc::new(store)
}

fn comment(id: &str, document: &str) -> Document {
    doc(json!({
        "annotationId": id,
        "metadata": {"documentId": document},
        "comments": {"1": {"commentId": 1, "commentText": format!("text of {id}")}}
    }))
}

/// velt-py's legacy global unique index on `field`.
async fn legacy_global_index(store: &MongoStore, coll: &str, field: &str) {
    store
        .database()
        .run_command(doc! {
            "createIndexes": coll,
            "indexes": [{"key": {field: 1}, "name": format!("{field}_1"), "unique": true}]
        })
        .await
        .unwrap();
}

// ------------------------------------------------------ conformance suite

velt_selfhost::conformance_tests!(fresh_store());

// ------------------------------------------------- one command per save

#[tokio::test]
async fn save_is_one_database_command_for_1_10_100_records() {
    let (store, commands) = mongo().await;
    let s = scope("org1");
    for n in [1usize, 10, 100] {
        let records = (0..n)
            .map(|i| comment(&format!("n{n}-{i}"), "d1"))
            .collect();
        upsert(&store, Collection::Comments, &s, records).await;
        assert_eq!(commands.take(), vec!["update"], "save of {n} records");
        // Saving the same records again (all updates) is one command too.
        let records = (0..n)
            .map(|i| comment(&format!("n{n}-{i}"), "d2"))
            .collect();
        upsert(&store, Collection::Comments, &s, records).await;
        assert_eq!(commands.take(), vec!["update"], "re-save of {n} records");
    }
    let all = find(
        &store,
        Collection::Comments,
        &s,
        &Selector::DocumentIds(vec!["d2".into()]),
    )
    .await;
    assert_eq!(all.len(), 111);
    assert_eq!(commands.take(), vec!["find"]);
    // Insertion order.
    assert_eq!(all[0]["annotationId"], json!("n1-0"));
    assert_eq!(all[1]["annotationId"], json!("n10-0"));
    assert_eq!(all[110]["annotationId"], json!("n100-99"));
    // A delete is one command.
    let gone = store
        .delete(Collection::Comments, &s, &RecordId::from("n1-0"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone["annotationId"], json!("n1-0"));
    assert_eq!(commands.take(), vec!["findAndModify"]);
}

#[tokio::test]
async fn service_save_of_100_comments_is_one_command() {
    let (store, commands) = mongo().await;
    let sh = SelfHosting::builder().store(Arc::new(store)).build();
    let mut map = serde_json::Map::new();
    for i in 0..100 {
        map.insert(
            format!("c{i}"),
            json!({"comments": {i.to_string(): {"commentId": i, "commentText": "hi"}}}),
        );
    }
    let req = velt_models::selfhost::parse_request(json!({
        "commentAnnotation": map,
        "metadata": {"organizationId": "org1", "documentId": "doc1"}
    }))
    .unwrap();
    let resp = sh.comments().save_comments(&req).await;
    assert_eq!(resp.to_json(), json!({"success": true, "statusCode": 200}));
    assert_eq!(commands.take(), vec!["update"]);
    let req = velt_models::selfhost::parse_request(json!({
        "organizationId": "org1", "documentIds": ["doc1"]
    }))
    .unwrap();
    let resp = sh.comments().get_comments(&req).await.to_json();
    assert_eq!(resp["data"].as_object().unwrap().len(), 100);
    assert_eq!(commands.take(), vec!["find"]);
}

#[tokio::test]
async fn transactional_saves_are_all_or_nothing_in_two_commands() {
    let mut options = MongoStoreOptions::default();
    options.transactional_saves = true;
    let (store, commands) = mongo_with(options).await;
    let s = scope("org1");
    let records = (0..10).map(|i| comment(&format!("t{i}"), "d1")).collect();
    upsert(&store, Collection::Comments, &s, records).await;
    assert_eq!(commands.take(), vec!["update", "commitTransaction"]);

    // velt-py's global unique index: org2 cannot reuse org1's "t5".
    legacy_global_index(&store, "comment_annotations", "annotationId").await;
    commands.take();
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope("org2"),
            vec![
                comment("new1", "d"),
                comment("t5", "d"),
                comment("new2", "d"),
            ],
        )
        .await
        .unwrap_err();
    assert!(err.is_duplicate_key(), "{err:?}");
    let org2 = find(&store, Collection::Comments, &scope("org2"), &Selector::All).await;
    assert!(
        org2.is_empty(),
        "nothing of a failed transactional save is written: {org2:?}"
    );
}
