//! Helpers shared by the store test suites (`memory.rs`, `sqlite.rs`,
//! `mongo/main.rs`; all need the `test-util` feature). Each suite uses only some
//! of them.

#![allow(dead_code, clippy::unwrap_used)]

use serde_json::Value;
use velt_selfhost::store::{Collection, Document, Scope, Selector, Store};

/// A JSON object literal as a [`Document`] (the conformance suite's helper;
/// panics on any other value).
pub use velt_selfhost::conformance::obj as doc;

/// The scope of organization `org` (non-empty in every test).
pub fn scope(org: &str) -> Scope {
    Scope::new(org).unwrap()
}

/// The values of `field` in `docs`, in order.
pub fn ids(docs: &[Document], field: &str) -> Vec<Value> {
    docs.iter().map(|d| d[field].clone()).collect()
}

/// The records `store` returns for `scope` and `selector` (panics on a store
/// error).
pub async fn find(
    store: &dyn Store,
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
) -> Vec<Document> {
    store.find(collection, scope, selector).await.unwrap()
}

/// Writes `records` with [`Store::upsert_many`] (panics on a store error).
pub async fn upsert(
    store: &dyn Store,
    collection: Collection,
    scope: &Scope,
    records: Vec<Document>,
) {
    store.upsert_many(collection, scope, records).await.unwrap();
}
