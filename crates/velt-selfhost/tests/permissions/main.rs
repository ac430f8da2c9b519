//! Permission grants on the memory and SQLite stores (MongoDB:
//! `tests/permissions_mongo.rs`), and the one-read-per-batch bound.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod suite;

use std::sync::Arc;

use velt_selfhost::auth::permissions::Permissions;
use velt_selfhost::backends::memory::MemoryStore;
use velt_selfhost::conformance::CountingStore;

#[tokio::test]
async fn memory_store_holds_and_resolves_grants() {
    suite::run(Arc::new(MemoryStore::new())).await;
    suite::run_groups(Arc::new(MemoryStore::new())).await;
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_store_holds_and_resolves_grants() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        velt_selfhost::backends::sqlite::SqliteStore::open(dir.path().join("velt.db")).unwrap();
    suite::run(Arc::new(store)).await;
    let store =
        velt_selfhost::backends::sqlite::SqliteStore::open(dir.path().join("groups.db")).unwrap();
    suite::run_groups(Arc::new(store)).await;
}

#[tokio::test]
async fn a_batch_is_one_store_read_per_organization() {
    use velt_selfhost::auth::permissions::{AccessRole, ResourceType};
    let store = Arc::new(CountingStore::new(Arc::new(MemoryStore::new())));
    let p = Permissions::new(store.clone());
    p.grant(
        "org-a",
        &[suite::grant(
            "u1",
            ResourceType::Folder,
            "f",
            AccessRole::Editor,
            None,
        )],
    )
    .await
    .unwrap();
    let batch: Vec<_> = (0..200)
        .map(|i| {
            suite::query(
                &format!("u{}", i % 7),
                "document",
                &format!("doc-{i}"),
                "org-a",
                Some("f"),
            )
        })
        .collect();
    let results = p.resolve(&batch, suite::NOW).await.unwrap();
    assert_eq!(store.counts().0, 1);
    assert_eq!(results.len(), 200);
    assert_eq!(results.iter().filter(|r| r.has_access).count(), 29); // u1 = i % 7 == 1
    let mut two_orgs = batch.clone();
    two_orgs.push(suite::query("u1", "document", "d", "org-b", None));
    p.resolve(&two_orgs, suite::NOW).await.unwrap();
    assert_eq!(store.counts().0, 3);
}

#[tokio::test]
async fn a_batch_with_group_members_is_two_store_reads_per_organization() {
    use velt_selfhost::auth::permissions::{AccessRole, ResourceType};
    let store = Arc::new(CountingStore::new(Arc::new(MemoryStore::new())));
    let p = Permissions::new(store.clone());
    let groups = ["g0", "g1", "g2"];
    p.grant(
        "org-a",
        &groups
            .iter()
            .map(|g| suite::group_grant(g, ResourceType::Folder, g, AccessRole::Viewer, None))
            .collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    for (i, g) in groups.iter().enumerate() {
        let members: Vec<String> = (0..7)
            .filter(|u| u % 3 == i)
            .map(|u| format!("u{u}"))
            .collect();
        p.add_members("org-a", g, &members).await.unwrap();
    }
    let batch: Vec<_> = (0..200)
        .map(|i| {
            suite::query(
                &format!("u{}", i % 7),
                "document",
                &format!("doc-{i}"),
                "org-a",
                Some(&format!("g{}", i % 3)),
            )
        })
        .collect();
    let before = store.counts().0;
    let results = p.resolve(&batch, suite::NOW).await.unwrap();
    assert_eq!(store.counts().0 - before, 2);
    // u{n} is in g{n % 3}; query i asks for folder g{i % 3} as u{i % 7}.
    let expected = (0..200).filter(|i| (i % 7) % 3 == i % 3).count();
    assert_eq!(results.iter().filter(|r| r.has_access).count(), expected);
}
