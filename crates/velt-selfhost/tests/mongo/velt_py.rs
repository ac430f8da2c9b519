//! velt-py documents (and its global indexes) read back unchanged.

use super::*;

// ---------------------------------------------------- velt-py documents

fn velt_py_fixtures() -> Vec<(&'static str, Value)> {
    vec![
        (
            "comment_annotations",
            json!({
                "annotationId": "ann-1",
                "comments": {"101": {
                    "commentId": 101, "commentText": "First!", "commentHtml": "<p>First!</p>",
                    "from": {"userId": "u1", "name": "Ann", "email": "ann@example.com"},
                    "lastUpdated": 1700000000000_i64, "type": "text",
                    "attachments": {"12": {"attachmentId": 12, "name": "a.png", "url": "https://x/a.png"}}
                }},
                "status": {"id": "OPEN", "name": "Open", "type": "default"},
                "from": {"userId": "u1"},
                "metadata": {"organizationId": "org-A", "documentId": "doc-1", "folderId": "f-1",
                             "apiKey": "key-1", "customField": "kept"}
            }),
        ),
        (
            "comment_annotations",
            json!({
                "annotationId": "ann-2",
                "comments": {},
                "metadata": {"organizationId": "org-A", "documentId": "doc-2", "apiKey": "key-1"}
            }),
        ),
        (
            "comment_annotations",
            json!({
                "annotationId": "ann-other-org",
                "comments": {},
                "metadata": {"organizationId": "org-B", "documentId": "doc-1", "apiKey": "key-1"}
            }),
        ),
        (
            "reaction_annotations",
            json!({
                "annotationId": "r-1", "icon": "thumbsup",
                "user": {"userId": "u1"},
                "metadata": {"organizationId": "org-A", "documentId": "doc-1", "apiKey": "key-1"}
            }),
        ),
        (
            "users",
            json!({"userId": "u1", "name": "Ann", "email": "ann@example.com",
                   "photoUrl": "https://x/u1.png", "department": "R&D"}),
        ),
        (
            "users",
            json!({"userId": "u2", "name": "Bob", "organizationId": "org-B"}),
        ),
        (
            "notifications",
            json!({"notificationId": "n-1", "organizationId": "org-A",
                   "notificationSource": "custom", "displayHeadlineMessageTemplate": "Hi",
                   "metadata": {"documentId": "doc-1"}}),
        ),
        (
            "activities",
            json!({"id": "act-1", "organizationId": "org-A", "action": "added",
                   "metadata": {"organizationId": "org-A", "documentId": "doc-1"}}),
        ),
        (
            "attachments",
            json!({"attachmentId": 12, "name": "a.png", "url": "https://x/a.png",
                   "mimeType": "image/png",
                   "metadata": {"organizationId": "org-A", "documentId": "doc-1"}}),
        ),
    ]
}

fn collection_of(name: &str) -> Collection {
    Collection::ALL
        .into_iter()
        .find(|c| c.default_name() == name)
        .unwrap()
}

#[tokio::test]
async fn velt_py_documents_read_back_unchanged() {
    let (store, _) = mongo().await;
    let memory = MemoryStore::new();
    for (coll, fixture) in velt_py_fixtures() {
        // As velt-py/pymongo writes them: with an ObjectId _id, ints as int32/int64.
        let mut raw = bson::to_document(&fixture).unwrap();
        raw.insert("_id", bson::oid::ObjectId::new());
        store
            .database()
            .collection::<bson::Document>(coll)
            .insert_one(raw)
            .await
            .unwrap();
        // The same records in memory, as the reference.
        let c = collection_of(coll);
        let mut rec = doc(fixture.clone());
        let org = rec
            .get(c.id_field())
            .and(velt_selfhost::store::get_path(&rec, c.org_path()).cloned())
            .and_then(|o| o.as_str().map(str::to_owned));
        match org {
            Some(org) => {
                stamp_scope(c, &scope(&org), &mut rec).unwrap();
                upsert(&memory, c, &scope(&org), vec![rec]).await;
            }
            None => {
                // A user without organizationId: visible to every org.
                upsert(&memory, c, &scope("org-A"), vec![rec]).await;
            }
        }
    }
    // Store level: exactly the stored documents, minus _id.
    let got = find(
        &store,
        Collection::Comments,
        &scope("org-A"),
        &Selector::All,
    )
    .await;
    let fixtures = velt_py_fixtures();
    assert_eq!(Value::Object(got[0].clone()), fixtures[0].1);
    assert_eq!(Value::Object(got[1].clone()), fixtures[1].1);
    assert_eq!(got.len(), 2);
    let got = find(
        &store,
        Collection::Attachments,
        &scope("org-A"),
        &Selector::Ids(vec![RecordId::Int(12)]),
    )
    .await;
    assert_eq!(got.len(), 1);
    assert_eq!(Value::Object(got[0].clone()), fixtures[8].1);
    let got = find(
        &store,
        Collection::Attachments,
        &scope("org-A"),
        &Selector::Ids(vec![RecordId::from("12")]),
    )
    .await;
    assert!(got.is_empty(), "ids compare with their JSON type");

    // Services over Mongo answer exactly as the same services over memory.
    let api_key = Some("key-1".to_owned());
    let over_mongo = SelfHosting::builder()
        .store(Arc::new(store))
        .api_key(api_key.clone())
        .build();
    let over_memory = SelfHosting::builder()
        .store(Arc::new(memory))
        .api_key(api_key)
        .build();
    macro_rules! same {
        ($svc:ident . $method:ident ( $body:expr )) => {{
            let req = velt_models::selfhost::parse_request($body).unwrap();
            let a = over_mongo.$svc().$method(&req).await.to_json();
            let b = over_memory.$svc().$method(&req).await.to_json();
            assert_eq!(a, b, "{}", stringify!($svc.$method));
            a
        }};
    }
    let comments = same!(
        comments
            .get_comments(json!({"organizationId": "org-A", "documentIds": ["doc-1", "doc-2"]}))
    );
    assert_eq!(comments["statusCode"], json!(200));
    let data = comments["data"].as_object().unwrap();
    assert_eq!(data.keys().collect::<Vec<_>>(), vec!["ann-1", "ann-2"]);
    assert_eq!(
        data["ann-1"]["comments"]["101"]["commentText"],
        json!("First!")
    );
    same!(comments.get_comments(json!({"organizationId": "org-A"})));
    same!(
        comments
            .get_comments(json!({"organizationId": "org-A", "commentAnnotationIds": ["ann-2"]}))
    );
    same!(
        comments.get_comments(
            json!({"organizationId": "org-A", "folderId": "f-1", "allDocuments": true})
        )
    );
    let reactions = same!(
        reactions.get_reactions(json!({"organizationId": "org-A", "documentIds": ["doc-1"]}))
    );
    assert_eq!(reactions["data"]["r-1"]["icon"], json!("thumbsup"));
    let users = same!(users.get_users(json!({"organizationId": "org-A", "userIds": ["u1", "u2"]})));
    assert_eq!(users["data"]["u1"]["name"], json!("Ann"));
    assert!(
        users["data"].get("u2").is_none(),
        "org-B's user is not visible to org-A"
    );
    let notifications = same!(notifications.get_notifications(json!({"organizationId": "org-A"})));
    assert_eq!(notifications["statusCode"], json!(200));
    same!(activities.get_activities(json!({"organizationId": "org-A", "documentIds": ["doc-1"]})));
}
