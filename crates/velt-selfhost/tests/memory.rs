//! The conformance suite against the in-memory store, plus MemoryStore
//! specifics.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use serde_json::json;
use velt_selfhost::backends::memory::MemoryStore;
use velt_selfhost::store::{Collection, Scope, Store, UserOrgScope};

use common::{doc, upsert};

velt_selfhost::conformance_tests!(async { Arc::new(MemoryStore::new()) as Arc<dyn Store> });

#[tokio::test]
async fn a_batch_with_an_invalid_record_writes_nothing() {
    let store = MemoryStore::new();
    let scope = Scope::new("org-a").unwrap();
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope,
            vec![
                doc(json!({"annotationId": "ok"})),
                doc(json!({"noId": true})),
            ],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, velt_selfhost::store::StoreError::InvalidRecord { .. }),
        "{err}"
    );
    assert!(store.all_records(Collection::Comments).is_empty());
}

#[tokio::test]
async fn clones_share_data_and_user_scope_is_configurable() {
    let strict = MemoryStore::with_user_org_scope(UserOrgScope::Strict);
    let shared = MemoryStore::new();
    // Neither can hold an org-less user through the Store API (records are
    // stamped), so check the scoping rule on what they hold.
    for store in [&strict, &shared] {
        let clone = store.clone();
        upsert(
            &clone,
            Collection::Users,
            &Scope::new("o").unwrap(),
            vec![doc(json!({"userId": "u"}))],
        )
        .await;
        assert_eq!(
            store.all_records(Collection::Users),
            vec![doc(json!({"userId": "u", "organizationId": "o"}))]
        );
    }
}
