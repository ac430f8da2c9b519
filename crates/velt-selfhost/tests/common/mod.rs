//! Helpers shared by the store test suites (`memory.rs`, `sqlite.rs`,
//! `mongo.rs`). Each suite uses only some of them.

#![allow(dead_code, clippy::panic, clippy::unwrap_used)]

use serde_json::Value;
use velt_selfhost::store::{Document, Scope};

/// A JSON object literal as a [`Document`]; panics on any other value.
pub fn doc(v: Value) -> Document {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// The scope of organization `org` (non-empty in every test).
pub fn scope(org: &str) -> Scope {
    Scope::new(org).unwrap()
}

/// The values of `field` in `docs`, in order.
pub fn ids(docs: &[Document], field: &str) -> Vec<Value> {
    docs.iter().map(|d| d[field].clone()).collect()
}
