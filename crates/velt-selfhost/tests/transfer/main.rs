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

#[path = "../common/mod.rs"]
mod common;
mod export_import;
mod migrate;
mod scan;
mod without_org;

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
