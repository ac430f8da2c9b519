//! `velt_selfhost::gdpr` on every backend (memory, SQLite, MongoDB,
//! PostgreSQL), on one seeded multi-user, multi-organization data set:
//! the export lists exactly the user's records in that organization, the
//! deletion leaves exactly the expected data set (every record of both
//! organizations compared), the same user id in another organization is
//! untouched, and a second run changes nothing.
//!
//! MongoDB and PostgreSQL come from `VELT_TEST_MONGODB_URI` and
//! `VELT_TEST_POSTGRES_URL` (`cargo xtask test` sets them). Without one, its
//! test fails when `VELT_TEST_REQUIRE_SERVERS` or `CI` is set, and otherwise
//! prints a SKIP line and returns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use velt_selfhost::backends::memory::MemoryStore;
use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore};
use velt_selfhost::backends::postgres::{PostgresConfig, PostgresStore};
use velt_selfhost::backends::sqlite::SqliteStore;
use velt_selfhost::gdpr::{DeleteOptions, DeleteReport, delete_user, export_user};
use velt_selfhost::store::{Collection, Document, Scope, Selector, Store};

const ORGS: [&str; 2] = ["o1", "o2"];

/// Collections the data set fills (and compares).
const COLLECTIONS: [Collection; 8] = [
    Collection::Users,
    Collection::Comments,
    Collection::Reactions,
    Collection::Recorders,
    Collection::Notifications,
    Collection::Activities,
    Collection::Permissions,
    Collection::Attachments,
];

fn u(id: &str) -> Value {
    json!({"userId": id, "name": format!("name of {id}")})
}

fn meta(org: &str, doc: &str) -> Value {
    json!({"organizationId": org, "documentId": doc})
}

fn comment(id: u64, user: &str, text: &str) -> Value {
    json!({"commentId": id, "commentText": text, "from": u(user)})
}

/// The seeded data set: (collection, org, records), org already stamped.
fn seed() -> Vec<(Collection, &'static str, Vec<Value>)> {
    let mut with_file = comment(2, "ann", "ann replies to bob");
    with_file["attachments"] = json!({"501": {"attachmentId": 501, "name": "a.png"}});
    let mut tagging = comment(7, "cat", "@ann look");
    tagging["taggedUserContacts"] = json!([{"userId": "ann"}]);
    vec![
        (
            Collection::Users,
            "o1",
            vec![
                json!({"userId": "ann", "name": "Ann", "email": "ann@example.com", "organizationId": "o1"}),
                json!({"userId": "bob", "name": "Bob", "organizationId": "o1"}),
            ],
        ),
        (
            Collection::Users,
            "o2",
            vec![json!({"userId": "ann", "name": "Ann (o2)", "organizationId": "o2"})],
        ),
        (
            Collection::Comments,
            "o1",
            vec![
                json!({"annotationId": "a1", "metadata": meta("o1", "d1"), "from": u("bob"),
                       "comments": {"1": comment(1, "bob", "bob opens"), "2": with_file}}),
                json!({"annotationId": "a2", "metadata": meta("o1", "d1"), "from": u("ann"),
                       "comments": {"3": comment(3, "ann", "ann alone")}}),
                json!({"annotationId": "a3", "metadata": meta("o1", "d2"), "from": u("ann"),
                       "status": "open",
                       "comments": {"4": comment(4, "ann", "ann opens"), "5": comment(5, "bob", "bob answers")}}),
                json!({"annotationId": "a4", "metadata": meta("o1", "d2"), "from": u("bob"),
                       "assignedTo": u("ann"), "resolvedByUserId": "ann",
                       "comments": {"6": comment(6, "bob", "bob assigns ann")}}),
                json!({"annotationId": "a5", "metadata": meta("o1", "d3"), "from": u("cat"),
                       "comments": {"7": tagging}}),
            ],
        ),
        (
            Collection::Comments,
            "o2",
            vec![
                json!({"annotationId": "a2", "metadata": meta("o2", "d1"), "from": u("ann"),
                        "comments": {"3": comment(3, "ann", "ann in o2")}}),
            ],
        ),
        (
            Collection::Reactions,
            "o1",
            vec![
                json!({"annotationId": "r1", "metadata": meta("o1", "d1"), "icon": "👍", "from": u("ann")}),
                json!({"annotationId": "r2", "metadata": meta("o1", "d1"), "icon": "👍", "from": u("bob")}),
                json!({"annotationId": "r3", "metadata": meta("o1", "d1"), "icon": "🎉", "user": u("ann")}),
            ],
        ),
        (
            Collection::Reactions,
            "o2",
            vec![
                json!({"annotationId": "r1", "metadata": meta("o2", "d1"), "icon": "👍", "from": u("ann")}),
            ],
        ),
        (
            Collection::Recorders,
            "o1",
            vec![
                json!({"annotationId": "rec1", "metadata": meta("o1", "d1"), "from": u("ann"),
                       "attachment": {"attachmentId": 601, "url": "https://f/601"}}),
                json!({"annotationId": "rec2", "metadata": meta("o1", "d1"), "from": u("bob")}),
            ],
        ),
        (
            Collection::Notifications,
            "o1",
            vec![
                json!({"notificationId": "n1", "organizationId": "o1", "actionUser": u("ann")}),
                json!({"notificationId": "n2", "organizationId": "o1",
                       "displayHeadlineMessageTemplateData": {"actionUser": u("bob"), "recipientUser": u("ann")}}),
                json!({"notificationId": "n3", "organizationId": "o1", "actionUser": u("bob")}),
            ],
        ),
        (
            Collection::Notifications,
            "o2",
            vec![json!({"notificationId": "n1", "organizationId": "o2", "actionUser": u("ann")})],
        ),
        (
            Collection::Activities,
            "o1",
            vec![
                json!({"id": "act1", "organizationId": "o1", "actionUser": u("ann"), "actionType": "add"}),
                json!({"id": "act2", "organizationId": "o1", "actionUser": u("bob"), "actionType": "add"}),
            ],
        ),
        (
            Collection::Activities,
            "o2",
            vec![json!({"id": "act1", "organizationId": "o2", "actionUser": u("ann")})],
        ),
        (
            Collection::Permissions,
            "o1",
            vec![
                json!({"permissionId": "p1", "organizationId": "o1", "userId": "ann", "resourceId": "d1"}),
                json!({"permissionId": "p2", "organizationId": "o1", "userId": "bob", "resourceId": "d1"}),
            ],
        ),
        (
            Collection::Attachments,
            "o1",
            vec![
                json!({"attachmentId": 501, "metadata": {"organizationId": "o1"}, "name": "a.png"}),
                json!({"attachmentId": 601, "metadata": {"organizationId": "o1"}, "name": "rec.webm"}),
                json!({"attachmentId": 502, "metadata": {"organizationId": "o1"}, "name": "bob.png"}),
            ],
        ),
        (
            Collection::Attachments,
            "o2",
            vec![
                json!({"attachmentId": 501, "metadata": {"organizationId": "o2"}, "name": "a.png"}),
            ],
        ),
    ]
}

fn obj(v: Value) -> Document {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// Every record of both organizations: `{org: {collection: {id: record}}}`
/// (keyed, so the comparison does not depend on a backend's order).
async fn snapshot(store: &dyn Store) -> Value {
    let mut out = serde_json::Map::new();
    for org in ORGS {
        let scope = Scope::new(org).unwrap();
        let mut per = serde_json::Map::new();
        for c in COLLECTIONS {
            let docs = store.find(c, &scope, &Selector::All).await.unwrap();
            let keyed: serde_json::Map<String, Value> = docs
                .into_iter()
                .map(|d| (d[c.id_field()].to_string(), Value::Object(d)))
                .collect();
            if !keyed.is_empty() {
                per.insert(c.config_key().to_owned(), Value::Object(keyed));
            }
        }
        out.insert(org.to_owned(), Value::Object(per));
    }
    Value::Object(out)
}

/// The snapshot of a store holding `records`.
fn keyed(records: Vec<(Collection, &'static str, Vec<Value>)>) -> Value {
    let mut out = json!({"o1": {}, "o2": {}});
    for (c, org, docs) in records {
        for d in docs {
            let id = d[c.id_field()].to_string();
            out[org][c.config_key()][id] = d;
        }
    }
    out
}

/// What the data set must be after deleting ann from o1.
fn expected_after() -> Value {
    let mut all = keyed(seed());
    let o1 = &mut all["o1"];
    for (c, id) in [
        ("users", "\"ann\""),
        ("comments", "\"a2\""),
        ("reactions", "\"r1\""),
        ("reactions", "\"r3\""),
        ("recorder_annotations", "\"rec1\""),
        ("notifications", "\"n1\""),
        ("notifications", "\"n2\""),
        ("activities", "\"act1\""),
        ("permissions", "\"p1\""),
        ("attachments", "501"),
        ("attachments", "601"),
    ] {
        assert!(
            o1[c].as_object_mut().unwrap().remove(id).is_some(),
            "{c} {id}"
        );
    }
    let comments = &mut o1["comments"];
    comments["\"a1\""]["comments"]
        .as_object_mut()
        .unwrap()
        .remove("2");
    comments["\"a3\""]["comments"]
        .as_object_mut()
        .unwrap()
        .remove("4");
    comments["\"a3\""]["from"] = Value::Null;
    comments["\"a4\""]["assignedTo"] = Value::Null;
    comments["\"a4\""]["resolvedByUserId"] = Value::Null;
    all
}

/// The export of ann in o1, exactly.
fn expected_export() -> Value {
    let mut with_file = comment(2, "ann", "ann replies to bob");
    with_file["attachments"] = json!({"501": {"attachmentId": 501, "name": "a.png"}});
    let seeded = keyed(seed());
    let o1 = &seeded["o1"];
    json!({
        "organizationId": "o1",
        "userId": "ann",
        "records": {
            "users": [o1["users"]["\"ann\""]],
            "comments": [
                {"annotationId": "a1", "metadata": meta("o1", "d1"), "comments": {"2": with_file}},
                {"annotationId": "a2", "metadata": meta("o1", "d1"),
                 "comments": {"3": comment(3, "ann", "ann alone")}, "from": u("ann")},
                {"annotationId": "a3", "metadata": meta("o1", "d2"),
                 "comments": {"4": comment(4, "ann", "ann opens")}, "from": u("ann")},
                {"annotationId": "a4", "metadata": meta("o1", "d2"), "comments": {},
                 "assignedTo": u("ann"), "resolvedByUserId": "ann"},
            ],
            "reactions": [o1["reactions"]["\"r1\""], o1["reactions"]["\"r3\""]],
            "recorder_annotations": [o1["recorder_annotations"]["\"rec1\""]],
            "notifications": [o1["notifications"]["\"n1\""], o1["notifications"]["\"n2\""]],
            "activities": [o1["activities"]["\"act1\""]],
            "permissions": [o1["permissions"]["\"p1\""]],
            "attachments": [o1["attachments"]["501"], o1["attachments"]["601"]],
        }
    })
}

/// Seeds, exports, deletes twice and checks everything on `store`.
async fn scenario(store: Arc<dyn Store>) {
    for (c, org, docs) in seed() {
        let scope = Scope::new(org).unwrap();
        store
            .upsert_many(c, &scope, docs.into_iter().map(obj).collect())
            .await
            .unwrap();
    }
    let before = snapshot(&*store).await;
    assert_eq!(before, keyed(seed()), "the store holds the seed as given");

    let export = export_user(&*store, "o1", "ann").await.unwrap();
    let mut got = serde_json::to_value(&export).unwrap();
    // Store order is insertion order; sort each list by id for the comparison.
    for (c, list) in got["records"].as_object_mut().unwrap() {
        let field = COLLECTIONS
            .iter()
            .find(|x| x.config_key() == c)
            .unwrap()
            .id_field();
        list.as_array_mut()
            .unwrap()
            .sort_by_key(|d| d[field].to_string());
    }
    assert_eq!(got, expected_export());
    assert_eq!(export.len(), 14);
    assert_eq!(snapshot(&*store).await, before, "an export changes nothing");

    let report = delete_user(&*store, "o1", "ann", DeleteOptions::default())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        json!({
            "deleted": {"activities": 1, "attachments": 2, "comments": 1, "notifications": 2,
                        "permissions": 1, "reactions": 2, "recorder_annotations": 1, "users": 1},
            "annotationsRewritten": 3,
            "commentsRemoved": 3,
            "sharedRecordsKept": 0,
            "filesDeleted": 0,
            "fileErrors": 0,
            "filesSkipped": 0
        })
    );
    assert_eq!(snapshot(&*store).await, expected_after());

    let again = delete_user(&*store, "o1", "ann", DeleteOptions::default())
        .await
        .unwrap();
    assert!(again.is_noop(), "{again:?}");
    assert_eq!(again, DeleteReport::default());
    assert_eq!(snapshot(&*store).await, expected_after());
    assert!(
        export_user(&*store, "o1", "ann").await.unwrap().is_empty(),
        "nothing of ann is left in o1"
    );
    // The same user id in o2 still has every record.
    assert_eq!(export_user(&*store, "o2", "ann").await.unwrap().len(), 5);

    // Bad input is a typed error.
    assert!(export_user(&*store, "", "ann").await.is_err());
    assert!(matches!(
        delete_user(&*store, "o1", "", DeleteOptions::default()).await,
        Err(velt_selfhost::gdpr::GdprError::EmptyUser)
    ));
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The server URL in `var`; `None` (after a SKIP line) when it is unset and
/// servers are not required.
fn server(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("{var} is not set but VELT_TEST_REQUIRE_SERVERS/CI is (use `cargo xtask test`)")
        }
        _ => {
            let _ = writeln!(std::io::stderr(), "SKIP tests/gdpr.rs: {var} is not set");
            None
        }
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn memory_store() {
    scenario(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn sqlite_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("velt.db")).unwrap();
    scenario(Arc::new(store)).await;
}

#[tokio::test]
async fn mongodb_store() {
    let Some(uri) = server("VELT_TEST_MONGODB_URI") else {
        return;
    };
    let config = MongoConfig::from_uri(uri)
        .database(unique("gdpr"))
        .server_selection_timeout(Duration::from_secs(20));
    let store = MongoStore::connect(&config).await.unwrap();
    scenario(Arc::new(store)).await;
}

#[tokio::test]
async fn postgres_store() {
    let Some(url) = server("VELT_TEST_POSTGRES_URL") else {
        return;
    };
    let schema = unique("gdpr");
    let store = PostgresStore::connect(&PostgresConfig::from_url(url.clone()).schema(&schema))
        .await
        .unwrap();
    scenario(Arc::new(store)).await;
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await
        .unwrap();
}
