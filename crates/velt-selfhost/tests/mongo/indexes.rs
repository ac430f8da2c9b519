//! Indexes per organization and write merging.

use super::*;

// ---------------------------------------------------------------- indexes

#[tokio::test]
async fn indexes_are_created_with_per_org_uniqueness() {
    // A user collection with documents lacking userId (velt-py's non-sparse
    // unique userId index could not be built on it).
    let db_name = fresh_db_name();
    let setup = MongoStore::connect(&config(&db_name).options({
        let mut o = MongoStoreOptions::default();
        o.create_indexes = false;
        o
    }))
    .await
    .unwrap();
    setup
        .database()
        .collection::<bson::Document>("users")
        .insert_many(vec![doc! {"name": "no id 1"}, doc! {"name": "no id 2"}])
        .await
        .unwrap();

    let mut options = MongoStoreOptions::default();
    options.user_lookup_fields = vec!["externalId".into()];
    let store = MongoStore::connect(&config(&db_name).options(options))
        .await
        .unwrap();
    assert!(
        store.index_report().failed.is_empty(),
        "{:?}",
        store.index_report().failed
    );
    let specs = index_specs(&["externalId".to_owned()]);
    assert_eq!(store.index_report().created.len(), specs.len());
    for spec in &specs {
        let name = Collection::ALL
            .into_iter()
            .find(|c| *c == spec.collection)
            .unwrap()
            .default_name();
        let mut cursor = store
            .database()
            .collection::<bson::Document>(name)
            .list_indexes()
            .await
            .unwrap();
        let mut found = None;
        while cursor.advance().await.unwrap() {
            let m = cursor.deserialize_current().unwrap();
            if m.keys == spec.key_document() {
                found = Some(m);
            }
        }
        let found = found.unwrap_or_else(|| panic!("missing index {name}.{}", spec.name()));
        let unique = found
            .options
            .as_ref()
            .and_then(|o| o.unique)
            .unwrap_or(false);
        assert_eq!(unique, spec.unique, "{name}.{}", spec.name());
    }
    let unique: Vec<String> = specs
        .iter()
        .filter(|s| s.unique)
        .map(|s| format!("{}:{}", s.collection, s.name()))
        .collect();
    assert_eq!(
        unique,
        vec![
            "comments:metadata.organizationId_1_annotationId_1",
            "reactions:metadata.organizationId_1_annotationId_1",
            "recorder_annotations:metadata.organizationId_1_annotationId_1",
            "notifications:organizationId_1_notificationId_1",
            "activities:organizationId_1_id_1",
            "permissions:organizationId_1_permissionId_1",
            "attachments:metadata.organizationId_1_attachmentId_1",
            "users:organizationId_1_userId_1",
        ]
    );
    // The per-org user index is enforced (raw insert of a duplicate).
    let users = store.database().collection::<bson::Document>("users");
    users
        .insert_one(doc! {"userId": "u", "organizationId": "o"})
        .await
        .unwrap();
    users
        .insert_one(doc! {"userId": "u", "organizationId": "other"})
        .await
        .unwrap();
    assert!(
        users
            .insert_one(doc! {"userId": "u", "organizationId": "o"})
            .await
            .is_err()
    );
}

#[tokio::test]
async fn ids_are_unique_per_organization_and_legacy_global_indexes_can_be_dropped() {
    let (store, _) = mongo().await;
    upsert(
        &store,
        Collection::Comments,
        &scope("org1"),
        vec![comment("same", "d")],
    )
    .await;
    upsert(
        &store,
        Collection::Comments,
        &scope("org2"),
        vec![comment("same", "d")],
    )
    .await;
    upsert(
        &store,
        Collection::Attachments,
        &scope("org2"),
        vec![doc(json!({"attachmentId": 1, "url": "u"}))],
    )
    .await;

    // A database created by velt-py keeps its global unique index until dropped.
    legacy_global_index(&store, "reaction_annotations", "annotationId").await;
    let r = |id: &str| doc(json!({"annotationId": id, "icon": "x"}));
    upsert(&store, Collection::Reactions, &scope("org1"), vec![r("rx")]).await;
    // Without transactions, records before the failing one are written,
    // none after it.
    let err = store
        .upsert_many(
            Collection::Reactions,
            &scope("org2"),
            vec![r("before"), r("rx"), r("after")],
        )
        .await
        .unwrap_err();
    match &err {
        StoreError::DuplicateKey { message } => assert!(message.contains("E11000"), "{message}"),
        other => panic!("expected DuplicateKey, got {other:?}"),
    }
    let org2 = find(
        &store,
        Collection::Reactions,
        &scope("org2"),
        &Selector::All,
    )
    .await;
    assert_eq!(ids(&org2, "annotationId"), vec![json!("before")]);

    let dropped = store.drop_legacy_global_unique_indexes().await.unwrap();
    assert_eq!(dropped, vec!["reaction_annotations.annotationId_1"]);
    upsert(
        &store,
        Collection::Reactions,
        &scope("org2"),
        vec![r("rx"), r("after")],
    )
    .await;
    let org2 = find(
        &store,
        Collection::Reactions,
        &scope("org2"),
        &Selector::All,
    )
    .await;
    assert_eq!(
        ids(&org2, "annotationId"),
        vec![json!("before"), json!("rx"), json!("after")]
    );
}

// ---------------------------------------------------------- write merging

#[tokio::test]
async fn merges_match_merge_record_including_odd_stored_metadata() {
    let (store, _) = mongo().await;
    let s = scope("o");
    let cases = vec![
        (
            json!({"metadata": {"x": 1, "y": 2}, "a": 1}),
            json!({"metadata": {"y": 3}, "b": 2}),
        ),
        (
            json!({"metadata": "legacy string"}),
            json!({"metadata": {"a": 1}}),
        ),
        (json!({"metadata": null}), json!({"metadata": {"a": 1}})),
        (json!({"a": 1}), json!({"metadata": {}})),
        (json!({"metadata": {"x": 1}}), json!({"metadata": {}})),
        (json!({"metadata": null}), json!({"metadata": {}})),
        (
            json!({"metadata": {"x": 1}}),
            json!({"metadata": "now a string"}),
        ),
        (
            json!({"a": {"deep": 1}, "b": [1, 2]}),
            json!({"a": {"other": 2}, "c": null}),
        ),
    ];
    let coll = store
        .database()
        .collection::<bson::Document>("notifications");
    for (i, (existing, incoming)) in cases.into_iter().enumerate() {
        let id = format!("n{i}");
        let mut stored = doc(existing);
        stored.insert("notificationId".into(), json!(id));
        stored.insert("organizationId".into(), json!("o"));
        coll.insert_one(bson::to_document(&stored).unwrap())
            .await
            .unwrap();
        let mut incoming = doc(incoming);
        incoming.insert("notificationId".into(), json!(id));
        let mut expected = stored.clone();
        let mut stamped = incoming.clone();
        stamp_scope(Collection::Notifications, &s, &mut stamped).unwrap();
        merge_record(&mut expected, stamped);

        upsert(&store, Collection::Notifications, &s, vec![incoming]).await;
        let got = find(
            &store,
            Collection::Notifications,
            &s,
            &Selector::Ids(vec![RecordId::from(id.as_str())]),
        )
        .await;
        assert_eq!(got, vec![expected], "case {i}");
    }
}

#[tokio::test]
async fn invalid_records_write_nothing() {
    let (store, commands) = mongo().await;
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope("o"),
            vec![
                comment("ok1", "d"),
                doc(json!({"annotationId": "bad", "a.b": 1})),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err:?}");
    let err = store
        .upsert_many(
            Collection::Comments,
            &scope("o"),
            vec![comment("ok1", "d"), doc(json!({"noId": 1}))],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidRecord { .. }), "{err:?}");
    assert!(commands.take().is_empty(), "nothing was sent");
    let all = find(&store, Collection::Comments, &scope("o"), &Selector::All).await;
    assert!(all.is_empty());
}
