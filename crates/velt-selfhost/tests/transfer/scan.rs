//! `Store::scan` on every backend.

use super::*;

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
