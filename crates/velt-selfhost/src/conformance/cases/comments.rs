//! Comment cases, and the save cases run over every service.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    Kind, annotations_error_responses, annotations_isolation, annotations_precedence, keys, ok,
    raw, set,
};
use crate::conformance::{Harness, js, req};
use crate::store::{Collection, Store};

pub async fn comments_save_then_get_exact_records(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let ann1 = json!({
        "annotationId": "ignored",
        "comments": {"c1": {
            "commentId": 1, "commentText": "Hello", "commentHtml": "<p>Hello</p>",
            "from": {"userId": "u1", "name": "Ann", "email": "ann@x.test"},
            "to": [{"userId": "u2", "name": "Bo"}],
            "attachments": {
                "12": {"attachmentId": 12, "url": "https://cdn.test/a.png", "name": "a.png", "size": 3, "mimeType": "image/png"},
                "not-a-number": {"attachmentId": 13}
            }
        }},
        "from": {"userId": "u1", "name": "Ann"},
        "assignedTo": {"userId": "u3", "email": "c@x.test"},
        "status": {"id": "OPEN", "name": "Open"},
        "resolvedByUserId": null,
        "context": {"k": "v"},
        "metadata": {"pageInfo": {"url": "https://app.test/x"}, "custom": 1}
    });
    let body = json!({
        "commentAnnotation": {"ann-1": ann1, "ann-2": {"comments": {}, "metadata": {"documentId": "own-doc"}}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1", "apiKey": "req-key", "clientOrganizationId": "c-org"},
        "event": "comment_annotation.add",
        "commentId": "c1"
    });
    let request = req(body.clone());
    let before = format!("{request:?}");
    let r = h.sh.comments().save_comments(&request).await;
    assert_eq!(js(&r), ok());
    assert_eq!(
        format!("{request:?}"),
        before,
        "the caller's request is not changed"
    );
    assert_eq!(
        h.store.counts(),
        (0, 1, 0),
        "one store call per save, no read"
    );

    let mut expected1 = ann1.clone();
    expected1["annotationId"] = json!("ann-1");
    expected1["metadata"] = json!({"pageInfo": {"url": "https://app.test/x"}, "custom": 1,
        "organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1", "apiKey": "req-key"});
    let expected2 = json!({"annotationId": "ann-2", "comments": {},
        "metadata": {"documentId": "doc-1", "organizationId": "org-a", "folderId": "f-1", "apiKey": "req-key"}});
    let r =
        h.sh.comments()
            .get_comments(&req(
                json!({"organizationId": "org-a", "documentIds": ["doc-1"]}),
            ))
            .await;
    assert_eq!(
        js(&r),
        json!({"data": {"ann-1": expected1, "ann-2": expected2}, "success": true, "statusCode": 200})
    );
    // Stored exactly so (the layout velt-py reads).
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(stored, vec![expected1, expected2]);
}

pub async fn comments_query_precedence(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    annotations_precedence(Kind::Comments, &h, "org-a").await;
}

pub async fn comments_stamping_rules(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let keyed = h.reconfigured(|b| b.api_key(Some("cfg-key".into())));
    // Request documentId/folderId override the annotation's own; config key wins.
    let r = keyed
        .comments()
        .save_comments(&req(json!({
            "commentAnnotation": {"a1": {"annotationId": "other", "metadata": {"documentId": "own", "folderId": "own-f", "apiKey": "own-k", "organizationId": "evil-org"}}},
            "metadata": {"organizationId": "org-a", "documentId": "req-doc", "folderId": "req-f", "apiKey": "req-key"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    // Without request values the annotation's own are kept; request apiKey used without config key.
    let r = h
        .sh
        .comments()
        .save_comments(&req(json!({
            "commentAnnotation": {"a2": {"metadata": {"documentId": "own", "folderId": "own-f"}}, "a3": {}},
            "metadata": {"organizationId": "org-a", "apiKey": "req-key"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    // No API key anywhere: none stamped.
    h.sh.comments()
        .save_comments(&req(
            json!({"commentAnnotation": {"a4": {}}, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(
        stored,
        vec![
            json!({"annotationId": "a1", "metadata": {"documentId": "req-doc", "folderId": "req-f", "apiKey": "cfg-key", "organizationId": "org-a"}}),
            json!({"annotationId": "a2", "metadata": {"documentId": "own", "folderId": "own-f", "organizationId": "org-a", "apiKey": "req-key"}}),
            json!({"annotationId": "a3", "metadata": {"organizationId": "org-a", "apiKey": "req-key"}}),
            json!({"annotationId": "a4", "metadata": {"organizationId": "org-a"}}),
        ]
    );
    assert!(raw(&h, Collection::Comments, "evil-org").await.is_empty());
}

pub async fn comments_api_key_scopes_reads_not_deletes(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let keyed = h.reconfigured(|b| b.api_key(Some("k1".into())));
    Kind::Comments
        .save_one(&keyed, "org-a", "d", "a1", json!({}))
        .await;
    h.put(
        Collection::Comments,
        "org-a",
        vec![
            json!({"annotationId": "a2", "metadata": {"organizationId": "org-a", "apiKey": "k2"}}),
            json!({"annotationId": "a3", "metadata": {"organizationId": "org-a"}}),
        ],
    )
    .await;
    let r = Kind::Comments
        .get(&keyed, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1"]));
    assert_eq!(r["data"]["a1"]["metadata"]["apiKey"], "k1");
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a2", "a3"]));
    // Deletes are not scoped by API key (velt-py).
    assert_eq!(Kind::Comments.delete_one(&keyed, "org-a", "a2").await, ok());
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a3"]));
}

pub async fn comments_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Comments, store).await;
}

pub async fn comments_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    Kind::Comments
        .save_one(&h.sh, "org-a", "d", "a1", json!({}))
        .await;
    Kind::Comments
        .save_one(&h.sh, "org-a", "d", "a2", json!({}))
        .await;
    h.store.reset();
    assert_eq!(Kind::Comments.delete_one(&h.sh, "org-a", "a1").await, ok());
    assert_eq!(h.store.counts(), (0, 0, 1));
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a2"]));
    assert_eq!(Kind::Comments.delete_one(&h.sh, "org-a", "a1").await, ok());
}

pub async fn comments_metadata_merge_keeps_keys(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let r = Kind::Comments
        .save(
            &h.sh,
            json!({"commentAnnotation": {"a1": {"status": "open", "metadata": {"custom": 1, "documentId": "d-own"}}},
                   "metadata": {"organizationId": "org-a", "folderId": "f1"}}),
        )
        .await;
    assert_eq!(r, ok());
    let r = Kind::Comments
        .save(
            &h.sh,
            json!({"commentAnnotation": {"a1": {"priority": "high", "metadata": {"other": 2}}},
                   "metadata": {"organizationId": "org-a"}}),
        )
        .await;
    assert_eq!(r, ok());
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(stored.len(), 1);
    let rec = &stored[0];
    assert_eq!(
        rec["status"], "open",
        "top-level keys not in the update are kept"
    );
    assert_eq!(rec["priority"], "high");
    assert_eq!(
        rec["metadata"],
        json!({"custom": 1, "documentId": "d-own", "organizationId": "org-a", "folderId": "f1", "other": 2}),
        "metadata keys are merged, not replaced (velt-py lost them)"
    );
}

/// Documents exactly as velt-py 0.1.10 writes them (model-reduced users,
/// integer-keyed comment attachments, BaseMetadata keys only).
fn velt_py_comment() -> Value {
    json!({
        "annotationId": "vp-1",
        "metadata": {"apiKey": "k", "documentId": "d1", "organizationId": "org-a", "folderId": "f1"},
        "comments": {"c1": {
            "commentId": "c1", "commentHtml": "<p>x</p>", "commentText": "x",
            "attachments": {"5": {"url": "https://bucket.s3.us-east-1.amazonaws.com/attachments/k/u.png", "name": "x.png", "attachmentId": 5}},
            "from": {"userId": "u1"}, "to": [{"userId": "u2"}],
            "taggedUserContacts": [{"userId": "u2", "contact": {"userId": "u2"}, "text": "@Bo"}]
        }, "c2": {"commentId": 2, "commentText": "y", "from": {"userId": "u2"}}},
        "from": {"userId": "u1"},
        "assignedTo": {"userId": "u3"},
        "targetTextRange": {"text": "selected"},
        "resolvedByUserId": null,
        "status": {"id": "OPEN", "color": "#fff"},
        "location": {"id": "loc"}
    })
}

pub async fn comments_velt_py_documents_read_back(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let doc = velt_py_comment();
    h.put(Collection::Comments, "org-a", vec![doc.clone()])
        .await;
    let keyed = h.reconfigured(|b| b.api_key(Some("k".into())));
    for sh in [&h.sh, &keyed] {
        let r = Kind::Comments
            .get(
                sh,
                json!({"organizationId": "org-a", "documentIds": ["d1"]}),
            )
            .await;
        assert_eq!(
            r,
            json!({"data": {"vp-1": doc}, "success": true, "statusCode": 200})
        );
    }
    // And a velt-rs save over it keeps what it does not touch.
    Kind::Comments
        .save(
            &keyed,
            json!({"commentAnnotation": {"vp-1": {"status": {"id": "RESOLVED"}}}, "metadata": {"organizationId": "org-a"}}),
        )
        .await;
    let r = Kind::Comments.get_ids(&keyed, "org-a", &["vp-1"]).await;
    let mut expected = doc.clone();
    expected["status"] = json!({"id": "RESOLVED"});
    assert_eq!(r["data"]["vp-1"], expected);
}

pub async fn comments_malformed_record_is_skipped(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    h.put(
        Collection::Comments,
        "org-a",
        vec![
            json!({"annotationId": "good", "metadata": {"organizationId": "org-a"}, "comments": {"c": {"attachments": {"x-not-int": {"url": "u"}}}}}),
            json!({"annotationId": "bad-from", "from": "u1"}),
            json!({"annotationId": "bad-comments", "comments": [1, 2]}),
            json!({"annotationId": "bad-meta", "metadata": {"documentId": 5}}),
            json!({"annotationId": 7}),
        ],
    )
    .await;
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(r["success"], true, "{r}");
    // Ids (and document ids) may be numbers: Velt sends them so.
    assert_eq!(keys(&r["data"]), set(&["good", "bad-meta", "7"]));
}

pub async fn comments_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Comments, store).await;
}

pub async fn saves_are_one_store_call(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    for n in [1usize, 10, 100] {
        let map: serde_json::Map<String, Value> = (0..n)
            .map(|i| (format!("id-{n}-{i}"), json!({"n": i})))
            .collect();
        let md = json!({"organizationId": "org-a", "documentId": "d"});
        let calls: Vec<Value> = vec![
            js(&h
                .sh
                .comments()
                .save_comments(&req(json!({"commentAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .reactions()
                .save_reactions(&req(json!({"reactionAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .recorders()
                .save_recorder_annotation(&req(json!({"recorderAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .notifications()
                .save_notifications(&req(
                    json!({"notifications": map, "organizationId": "org-a"}),
                ))
                .await),
            js(&h
                .sh
                .activities()
                .save_activities(&req(json!({"activity": map, "organizationId": "org-a"})))
                .await),
        ];
        for (i, c) in calls.iter().enumerate() {
            assert_eq!(*c, ok(), "service #{i}, n={n}");
        }
        assert_eq!(
            h.store.counts(),
            (0, 5, 0),
            "one store call per save (n={n})"
        );
        h.store.reset();
    }
    let users: Vec<Value> = (0..100)
        .map(|i| json!({"userId": format!("u{i}")}))
        .collect();
    let r =
        h.sh.users()
            .save_users(&req(json!({"organizationId": "org-a", "users": users})))
            .await;
    assert_eq!(js(&r), ok());
    assert_eq!(h.store.counts(), (0, 1, 0));
    let r = Kind::Comments
        .get(
            &h.sh,
            json!({"organizationId": "org-a", "documentIds": ["d"]}),
        )
        .await;
    assert_eq!(keys(&r["data"]).len(), 111);
}

pub async fn concurrent_saves_lose_no_write(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let sh = h.sh.clone();
        tasks.push(tokio::spawn(async move {
            Kind::Comments
                .save_one(&sh, "org-a", "d", &format!("c{i}"), json!({"n": i}))
                .await
        }));
    }
    for i in 0..16 {
        let sh = h.sh.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"commentAnnotation": {"shared": {format!("f{i}"): i, "metadata": {format!("m{i}"): i}}},
                              "metadata": {"organizationId": "org-a"}});
            Kind::Comments.save(&sh, body).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), ok());
    }
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]).len(), 17);
    let shared = &r["data"]["shared"];
    for i in 0..16 {
        assert_eq!(
            shared[format!("f{i}")],
            json!(i),
            "field f{i} lost: {shared}"
        );
        assert_eq!(
            shared["metadata"][format!("m{i}")],
            json!(i),
            "metadata m{i} lost: {shared}"
        );
    }
}
