//! Records without an organization (velt-py's user records): copied by
//! migrate and import into every backend, served there to every
//! organization, merged by id among themselves only; skipped and counted
//! for a store that cannot hold them (the trait's default).

use super::*;
use velt_selfhost::store::Selector;

fn user_ids(docs: &[Document]) -> Vec<String> {
    let mut ids: Vec<String> = docs.iter().map(|d| d["userId"].to_string()).collect();
    ids.sort();
    ids
}

/// The users count check of a migration: (source, source without an
/// organization left out, target).
fn users_check(report: &transfer::MigrateReport) -> (u64, u64, u64) {
    let c = report
        .checks
        .iter()
        .find(|c| c.collection == Collection::Users)
        .unwrap();
    (c.source, c.source_without_org, c.target)
}

async fn read_users(store: &dyn Store, org: &str) -> Vec<Document> {
    let selector = Selector::Ids(vec![
        RecordId::Str("legacy".into()),
        RecordId::Str("nullorg".into()),
        RecordId::Str("u1".into()),
    ]);
    store
        .find(Collection::Users, &scope(org), &selector)
        .await
        .unwrap()
}

#[tokio::test]
async fn velt_py_users_without_organization_are_migrated_and_stay_shared() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    // A velt-py database: users inserted by the customer, without an
    // organization (one with an explicit null), and one velt-rs user.
    let source = mongo().await;
    let users = source.database().collection::<bson::Document>("users");
    users
        .insert_one(bson::doc! {"userId": "legacy", "name": "Py"})
        .await
        .unwrap();
    users
        .insert_one(bson::doc! {"userId": "nullorg", "organizationId": null, "name": "N"})
        .await
        .unwrap();
    upsert(
        &source,
        Collection::Users,
        &scope("org-a"),
        vec![doc(json!({"userId": "u1", "name": "A"}))],
    )
    .await;

    let pg = postgres().await;
    assert!(pg.holds_records_without_org());
    let opts = MigrateOptions::new(dir.path().join("m.json"), "mongo", "pg").batch_size(2);
    let MigrateOutcome::Complete(report) =
        transfer::migrate(&source, &pg, &opts, &none).await.unwrap()
    else {
        panic!("not complete")
    };
    assert_eq!(report.copied.get(Collection::Users), 3);
    assert_eq!(report.skipped_without_org.total(), 0);
    assert_eq!(users_check(&report), (3, 0, 3));

    // Served to every organization, exactly as stored.
    let a = read_users(&pg, "org-a").await;
    assert_eq!(user_ids(&a), [r#""legacy""#, r#""nullorg""#, r#""u1""#]);
    let b = read_users(&pg, "org-b").await;
    assert_eq!(
        Value::Array(b.into_iter().map(Value::Object).collect()),
        json!([
            {"userId": "legacy", "name": "Py"},
            {"userId": "nullorg", "organizationId": null, "name": "N"}
        ])
    );

    // Export from PostgreSQL, import into MongoDB twice: written once,
    // nothing changed by the second import.
    let mut bytes = Vec::new();
    transfer::export(&pg, &mut bytes, &ExportOptions::default(), &none)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        // (JSONB's key order: shorter keys first.)
        text.contains(r#"{"collection":"users","organizationId":null,"record":{"name":"Py","userId":"legacy"}}"#),
        "{text}"
    );
    let mg = mongo().await;
    let first = transfer::import(&mg, &bytes[..], &ImportOptions::default(), &none)
        .await
        .unwrap();
    assert_eq!(first.written.get(Collection::Users), 3);
    assert_eq!(first.skipped_without_org.total(), 0);
    let once = scan_all(&mg, Collection::Users, 10).await;
    let second = transfer::import(&mg, &bytes[..], &ImportOptions::default(), &none)
        .await
        .unwrap();
    assert_eq!(second, first);
    assert_eq!(scan_all(&mg, Collection::Users, 10).await, once);
    assert_eq!(snapshot(&mg).await, snapshot(&pg).await);
    assert_eq!(
        user_ids(&read_users(&mg, "org-z").await),
        [r#""legacy""#, r#""nullorg""#]
    );

    // The embedded store and the memory store hold and serve them too.
    let sq = sqlite(&dir);
    let memory = MemoryStore::new();
    for (target, name) in [
        (&sq as &dyn Store, "sqlite"),
        (&memory as &dyn Store, "memory"),
    ] {
        assert!(target.holds_records_without_org(), "{name}");
        let summary = transfer::import(target, &bytes[..], &ImportOptions::default(), &none)
            .await
            .unwrap();
        assert_eq!(summary, first, "{name}");
        assert_eq!(snapshot(target).await, snapshot(&pg).await, "{name}");
        assert_eq!(
            user_ids(&read_users(target, "org-z").await),
            [r#""legacy""#, r#""nullorg""#],
            "{name}"
        );
        assert_eq!(read_users(target, "org-a").await.len(), 3, "{name}");
    }

    // A store that cannot hold them: counted as skipped, the rest written,
    // and the migration's count check leaves them out.
    let scoped_only = ScopedOnly(MemoryStore::new());
    let summary = transfer::import(&scoped_only, &bytes[..], &ImportOptions::default(), &none)
        .await
        .unwrap();
    assert_eq!(summary.written.get(Collection::Users), 1);
    assert_eq!(summary.skipped_without_org.get(Collection::Users), 2);
    let err = scoped_only
        .upsert_without_org(Collection::Users, vec![doc(json!({"userId": "x"}))])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unsupported { .. }), "{err:?}");
    let scoped_only = ScopedOnly(MemoryStore::new());
    let opts = MigrateOptions::new(dir.path().join("m2.json"), "pg", "scoped").batch_size(2);
    let MigrateOutcome::Complete(report) = transfer::migrate(&pg, &scoped_only, &opts, &none)
        .await
        .unwrap()
    else {
        panic!("not complete")
    };
    assert_eq!(report.skipped_without_org.get(Collection::Users), 2);
    assert_eq!(users_check(&report), (1, 2, 1));
}

/// A store with only the scoped writes (the trait's default for records
/// without an organization), over a memory store.
#[derive(Debug)]
struct ScopedOnly(MemoryStore);

#[async_trait::async_trait]
impl Store for ScopedOnly {
    async fn find(
        &self,
        collection: Collection,
        scope: &velt_selfhost::store::Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        self.0.find(collection, scope, selector).await
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &velt_selfhost::store::Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        self.0.upsert_many(collection, scope, records).await
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &velt_selfhost::store::Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        self.0.delete(collection, scope, id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.0.ping().await
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<velt_selfhost::store::ScanPage, StoreError> {
        self.0.scan(collection, after, limit).await
    }
}

#[tokio::test]
async fn records_without_organization_merge_by_id_among_themselves_only() {
    require_servers();
    let pg = postgres().await;
    let mg = mongo().await;
    for (store, name) in [
        (&pg as &dyn Store, "postgres"),
        (&mg as &dyn Store, "mongodb"),
    ] {
        // The same id in an organization is another record.
        upsert(
            store,
            Collection::Users,
            &scope("org-a"),
            vec![doc(json!({"userId": "legacy", "name": "A"}))],
        )
        .await;
        store
            .upsert_without_org(
                Collection::Users,
                vec![doc(json!({"userId": "legacy", "name": "Py"}))],
            )
            .await
            .unwrap();
        store
            .upsert_without_org(
                Collection::Users,
                vec![doc(json!({"userId": "legacy", "email": "py@example.com"}))],
            )
            .await
            .unwrap();
        let mut all = scan_all(store, Collection::Users, 10).await;
        all.sort_by_key(|d| key(Collection::Users, d));
        assert_eq!(
            Value::Array(all.into_iter().map(Value::Object).collect()),
            json!([
                {"userId": "legacy", "name": "Py", "email": "py@example.com"},
                {"userId": "legacy", "name": "A", "organizationId": "org-a"}
            ]),
            "{name}"
        );

        // Checked before anything is written: a record with an
        // organization, or without an id, refuses the whole batch.
        for bad in [
            json!({"userId": "other", "organizationId": "org-a"}),
            json!({"name": "no id"}),
        ] {
            let err = store
                .upsert_without_org(
                    Collection::Users,
                    vec![doc(json!({"userId": "first"})), doc(bad.clone())],
                )
                .await
                .unwrap_err();
            assert!(
                matches!(err, StoreError::InvalidRecord { .. }),
                "{name} {bad}: {err:?}"
            );
        }
        assert_eq!(
            scan_all(store, Collection::Users, 10).await.len(),
            2,
            "{name}"
        );
    }
}

/// A checkpoint written before records without an organization were
/// copied (layout version 1, which skipped them all) resumes without losing
/// them: the collections where it skipped some are scanned again, the
/// others are not, and the checkpoint is rewritten as version 2.
#[tokio::test]
async fn a_version_1_checkpoint_resumes_and_copies_the_records_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("m.json");
    let source = MemoryStore::new();
    seed(&source, &["org-a"], 3).await;
    let target = sqlite(&dir);
    let opts = MigrateOptions::new(state.clone(), "memory", "sqlite").batch_size(2);
    let MigrateOutcome::Complete(first) = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap()
    else {
        panic!("not complete")
    };

    // What a version-1 run over a source holding one user without an
    // organization left behind: that user skipped and counted, the
    // migration complete.
    source
        .upsert_without_org(
            Collection::Users,
            vec![doc(json!({"userId": "legacy", "name": "Py"}))],
        )
        .await
        .unwrap();
    let mut cp: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(cp["version"], json!(2));
    cp["version"] = json!(1);
    cp["collections"]["users"]["skippedWithoutOrg"] = json!(1);
    let comments_before = cp["collections"]["comments"].clone();
    std::fs::write(&state, serde_json::to_vec(&cp).unwrap()).unwrap();

    let MigrateOutcome::Complete(report) = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap()
    else {
        panic!("not complete")
    };
    // Users scanned again: the 3 of org-a merged into identical records,
    // the shared one copied; the other collections kept their counts.
    assert_eq!(
        report.copied.get(Collection::Users),
        first.copied.get(Collection::Users) + 1
    );
    assert_eq!(
        report.copied.get(Collection::Comments),
        first.copied.get(Collection::Comments)
    );
    assert_eq!(report.skipped_without_org.total(), 0);
    assert_eq!(users_check(&report), (4, 0, 4));
    assert_eq!(snapshot(&target).await, snapshot(&source).await);
    let cp: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(cp["version"], json!(2));
    assert_eq!(cp["complete"], json!(true));
    assert_eq!(cp["collections"]["users"]["skippedWithoutOrg"], json!(0));
    assert_eq!(cp["collections"]["comments"], comments_before);

    // A layout this build does not know is refused, naming its version.
    let mut cp = cp;
    cp["version"] = json!(3);
    std::fs::write(&state, serde_json::to_vec(&cp).unwrap()).unwrap();
    let err = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("has version 3 (this velt-server writes 2)"),
        "{err}"
    );
}
