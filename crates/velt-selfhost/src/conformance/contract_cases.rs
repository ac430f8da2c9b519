//! Conformance cases for the frontend contract (`@veltdev/types` 6.0.6,
//! velt-py 0.3.0): ids sent as numbers, custom keys with falsy values,
//! request context that is never stored, idempotent saves and deletes,
//! reactions' `from`, users resolved by email. Each takes a fresh store.

use std::sync::Arc;

use serde_json::{Value, json};
use velt_models::selfhost::{ResolverResponse, SaveAttachmentResolverRequest};

use super::{FILES_BASE, Harness, data, js, req};
use crate::config::UserSchema;
use crate::store::{Collection, Scope, Selector, Store, UserOrgScope};
use crate::{SelfHosting, Upload};

fn ok() -> Value {
    json!({"success": true, "statusCode": 200})
}

/// Every record of `org` in `collection`, straight from the store.
async fn raw(h: &Harness, collection: Collection, org: &str) -> Vec<Value> {
    h.store
        .inner()
        .find(collection, &Scope::new(org).unwrap(), &Selector::All)
        .await
        .unwrap()
        .into_iter()
        .map(|mut d| {
            d.remove("_id");
            Value::Object(d)
        })
        .collect()
}

/// Custom keys as the customer's `fieldsToRemove` / `additionalFields` send
/// them, falsy values included.
fn custom_keys() -> Value {
    json!({
        "customZero": 0, "customEmpty": "", "customFalse": false, "customNull": null,
        "customList": [], "customObject": {}, "customNested": {"a": [0, "", false, null]},
        "customFloat": 1.5, "customText": "kept"
    })
}

fn with_custom(mut record: Value) -> Value {
    if let (Some(r), Value::Object(c)) = (record.as_object_mut(), custom_keys()) {
        r.extend(c);
    }
    record
}

/// A comment save shaped like the frontend's: numeric `commentId`, the
/// `targetComment` acted on, a numeric comment id inside the thread, a
/// numeric attachment id in the comment's attachment map.
pub async fn contract_numeric_ids_and_request_context(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let comment = json!({
        "commentId": 184639, "commentHtml": "<p>hi</p>", "commentText": "hi",
        "from": {"userId": "u-1"},
        "attachments": {"758336": {"attachmentId": 758336, "name": "a.png", "url": "https://cdn.test/a.png"}}
    });
    let body = json!({
        "commentAnnotation": {"ann-184639": {
            "annotationId": "ann-184639",
            "comments": {"184639": comment},
            "from": {"userId": "u-1"},
            "resolvedByUserId": null
        }},
        "event": "comment.add",
        "commentId": 184639,
        "targetComment": comment,
        "metadata": {"apiKey": "key-1", "documentId": "doc-1", "organizationId": "org-a", "sdkVersion": "6.0.6"}
    });
    let r = h.sh.comments().save_comments(&req(body.clone())).await;
    assert_eq!(js(&r), ok());
    // Stamped like velt-py: organizationId, documentId, apiKey from the request.
    let expected = json!({
        "annotationId": "ann-184639",
        "comments": {"184639": comment},
        "from": {"userId": "u-1"},
        "resolvedByUserId": null,
        "metadata": {"apiKey": "key-1", "documentId": "doc-1", "organizationId": "org-a"}
    });
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(stored.len(), 1);
    for forbidden in ["commentId", "targetComment", "event"] {
        assert!(
            stored[0].get(forbidden).is_none(),
            "{forbidden} is request context and must not be stored: {}",
            stored[0]
        );
    }
    let got =
        h.sh.comments()
            .get_comments(&req(
                json!({"organizationId": "org-a", "commentAnnotationIds": ["ann-184639"]}),
            ))
            .await;
    assert_eq!(data(&got), json!({"ann-184639": expected.clone()}));

    // Numeric annotation ids: the map key is the id (`String(id)`), and a
    // numeric id in a get or delete finds it.
    let r =
        h.sh.comments()
            .save_comments(&req(json!({
                "commentAnnotation": {"42": {"annotationId": 42, "comments": {}}},
                "commentId": "not-a-number-either",
                "metadata": {"organizationId": "org-a", "documentId": 7}
            })))
            .await;
    assert_eq!(js(&r), ok());
    let got =
        h.sh.comments()
            .get_comments(&req(
                json!({"organizationId": "org-a", "commentAnnotationIds": [42]}),
            ))
            .await;
    assert_eq!(
        data(&got),
        json!({"42": {"annotationId": "42", "comments": {},
                      "metadata": {"organizationId": "org-a", "documentId": "7"}}})
    );
    let got =
        h.sh.comments()
            .get_comments(&req(json!({"organizationId": "org-a", "documentIds": [7]})))
            .await;
    assert_eq!(
        data(&got).as_object().unwrap().keys().collect::<Vec<_>>(),
        ["42"]
    );
    let r =
        h.sh.comments()
            .delete_comment(&req(
                json!({"commentAnnotationId": 42, "metadata": {"organizationId": "org-a"}}),
            ))
            .await;
    assert_eq!((js(&r), r.removed()), (ok(), Some(true)));
    assert_eq!(raw(&h, Collection::Comments, "org-a").await.len(), 1);
}

/// Custom keys with falsy values come back byte-for-byte from every kind
/// of record, and are stored as sent.
pub async fn contract_custom_keys_keep_falsy_values(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let sh = &h.sh;
    let md = json!({"organizationId": "org-a", "documentId": "doc-1"});
    let stored_md = md.clone();

    let r = sh
        .comments()
        .save_comments(&req(json!({
            "commentAnnotation": {"c1": with_custom(json!({"annotationId": "c1", "comments": {}}))},
            "metadata": md
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got = sh
        .comments()
        .get_comments(&req(json!({"organizationId": "org-a"})))
        .await;
    let mut expected = with_custom(json!({"annotationId": "c1", "comments": {}}));
    expected["metadata"] = stored_md.clone();
    assert_eq!(data(&got), json!({"c1": expected}));

    let r = sh
        .reactions()
        .save_reactions(&req(json!({
            "reactionAnnotation": {"r1": with_custom(json!({"annotationId": "r1", "icon": "", "from": {"userId": "u"}}))},
            "metadata": md
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got = sh
        .reactions()
        .get_reactions(&req(json!({"organizationId": "org-a"})))
        .await;
    let mut expected =
        with_custom(json!({"annotationId": "r1", "icon": "", "from": {"userId": "u"}}));
    expected["metadata"] = stored_md.clone();
    assert_eq!(data(&got), json!({"r1": expected}));

    let r = sh
        .recorders()
        .save_recorder_annotation(&req(json!({
            "recorderAnnotation": {"rec1": with_custom(json!({"annotationId": "rec1", "chunkUrls": {"0": "https://cdn.test/0"}}))},
            "event": "recorder_annotation.add",
            "metadata": md
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got = sh
        .recorders()
        .get_recorder_annotations(&req(json!({"organizationId": "org-a"})))
        .await;
    let mut expected =
        with_custom(json!({"annotationId": "rec1", "chunkUrls": {"0": "https://cdn.test/0"}}));
    expected["metadata"] = stored_md.clone();
    assert_eq!(data(&got), json!({"rec1": expected}));

    let r = sh
        .activities()
        .save_activities(&req(json!({
            "activity": {"act1": with_custom(json!({"id": "act1", "actionType": "comment.add", "changes": {}}))},
            "event": "activity.save",
            "metadata": md
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got = sh
        .activities()
        .get_activities(&req(json!({"organizationId": "org-a"})))
        .await;
    let mut expected =
        with_custom(json!({"id": "act1", "actionType": "comment.add", "changes": {}}));
    expected["metadata"] = stored_md.clone();
    expected["organizationId"] = json!("org-a");
    assert_eq!(data(&got), json!({"act1": expected}));

    let r = sh
        .notifications()
        .save_notifications(&req(json!({
            "notifications": {"n1": with_custom(json!({"notificationId": "n1", "displayBodyMessage": ""}))},
            "organizationId": "org-a"
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got = sh
        .notifications()
        .get_notifications(&req(
            json!({"organizationId": "org-a", "notificationIds": ["n1"]}),
        ))
        .await;
    let mut expected = with_custom(json!({"notificationId": "n1", "displayBodyMessage": ""}));
    expected["organizationId"] = json!("org-a");
    assert_eq!(data(&got), json!({"n1": expected}));

    // And in the database, as sent (the falsy values are not dropped).
    let stored = raw(&h, Collection::Reactions, "org-a").await;
    for (k, v) in custom_keys().as_object().unwrap() {
        assert_eq!(stored[0].get(k), Some(v), "stored reaction key {k}");
    }
}

/// Every save repeated with the same body answers the same success and
/// leaves the same single record; every delete repeated answers `200`,
/// `removed()` telling whether a record was there.
pub async fn contract_saves_and_deletes_are_idempotent(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let sh = &h.sh;
    let md = json!({"organizationId": "org-a", "documentId": "doc-1"});
    let saves: Vec<(Collection, Value)> = vec![
        (
            Collection::Comments,
            json!({"commentAnnotation": {"a1": {"comments": {"1": {"commentId": 1}}}}, "metadata": md, "commentId": 1, "event": "comment.add"}),
        ),
        (
            Collection::Reactions,
            json!({"reactionAnnotation": {"a1": {"icon": "x", "from": {"userId": "u"}}}, "metadata": md, "event": "reaction.add"}),
        ),
        (
            Collection::Recorders,
            json!({"recorderAnnotation": {"a1": {"from": {"userId": "u"}}}, "metadata": md, "event": "recorder_annotation.add"}),
        ),
        (
            Collection::Activities,
            json!({"activity": {"a1": {"actionType": "x"}}, "metadata": md, "event": "activity.save"}),
        ),
        (
            Collection::Notifications,
            json!({"notifications": {"a1": {"displayHeadlineMessageTemplate": "x"}}, "organizationId": "org-a"}),
        ),
    ];
    for (collection, body) in &saves {
        let mut answers = Vec::new();
        let mut snapshots = Vec::new();
        for _ in 0..2 {
            let r = save(sh, *collection, body.clone()).await;
            answers.push(js(&r));
            snapshots.push(raw(&h, *collection, "org-a").await);
        }
        assert_eq!(answers, [ok(), ok()], "{collection}");
        assert_eq!(snapshots[0].len(), 1, "{collection}");
        assert_eq!(
            snapshots[0], snapshots[1],
            "{collection}: a repeated save changed the record"
        );
    }
    // Attachments by URL.
    let att = json!({"attachment": {"attachmentId": 758336, "file": "https://cdn.test/a.png", "name": "a.png"}, "metadata": md, "event": "attachment.add"});
    for _ in 0..2 {
        let r = sh
            .attachments()
            .save_attachment(&req::<SaveAttachmentResolverRequest>(att.clone()), None)
            .await;
        assert_eq!(
            js(&r),
            json!({"data": {"url": "https://cdn.test/a.png"}, "success": true, "statusCode": 200})
        );
    }
    assert_eq!(raw(&h, Collection::Attachments, "org-a").await.len(), 1);

    let del_md = json!({"organizationId": "org-a", "documentId": "doc-1", "apiKey": "k"});
    let deletes: Vec<(Collection, Value)> = vec![
        (
            Collection::Comments,
            json!({"commentAnnotationId": "a1", "metadata": del_md, "event": "comment_annotation.delete"}),
        ),
        (
            Collection::Reactions,
            json!({"reactionAnnotationId": "a1", "metadata": del_md, "event": "reaction.delete"}),
        ),
        (
            Collection::Recorders,
            json!({"recorderAnnotationId": "a1", "metadata": del_md, "event": "recorder_annotation.delete"}),
        ),
        (
            Collection::Notifications,
            json!({"notificationId": "a1", "organizationId": "org-a"}),
        ),
        (
            Collection::Attachments,
            json!({"attachmentId": 758336, "metadata": del_md, "event": "attachment.delete"}),
        ),
    ];
    for (collection, body) in &deletes {
        let first = delete(sh, *collection, body.clone()).await;
        let second = delete(sh, *collection, body.clone()).await;
        assert_eq!(
            (js(&first), first.removed(), js(&second), second.removed()),
            (ok(), Some(true), ok(), Some(false)),
            "{collection}"
        );
        assert!(
            raw(&h, *collection, "org-a").await.is_empty(),
            "{collection}"
        );
    }
    // A delete of a record that never existed (a thread whose content never
    // reached the database) succeeds too.
    let r = sh
        .comments()
        .delete_comment(&req(
            json!({"commentAnnotationId": "never", "metadata": {"organizationId": "org-b"}}),
        ))
        .await;
    assert_eq!((js(&r), r.removed()), (ok(), Some(false)));
}

async fn save(sh: &SelfHosting, collection: Collection, body: Value) -> ResolverResponse {
    match collection {
        Collection::Comments => sh.comments().save_comments(&req(body)).await,
        Collection::Reactions => sh.reactions().save_reactions(&req(body)).await,
        Collection::Recorders => sh.recorders().save_recorder_annotation(&req(body)).await,
        Collection::Activities => sh.activities().save_activities(&req(body)).await,
        Collection::Notifications => sh.notifications().save_notifications(&req(body)).await,
        other => panic!("no save for {other}"),
    }
}

async fn delete(sh: &SelfHosting, collection: Collection, body: Value) -> ResolverResponse {
    match collection {
        Collection::Comments => sh.comments().delete_comment(&req(body)).await,
        Collection::Reactions => sh.reactions().delete_reaction(&req(body)).await,
        Collection::Recorders => sh.recorders().delete_recorder_annotation(&req(body)).await,
        Collection::Notifications => sh.notifications().delete_notification(&req(body)).await,
        Collection::Attachments => sh.attachments().delete_attachment(&req(body)).await,
        other => panic!("no delete for {other}"),
    }
}

/// An uploaded file deleted twice: the record and the file go the first
/// time, the second delete succeeds with nothing removed.
pub async fn contract_upload_delete_is_idempotent(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let body = json!({"attachment": {"attachmentId": 991, "name": "rec.webm", "mimeType": "video/webm"},
                      "metadata": {"organizationId": "org-a", "documentId": "doc-1", "attachmentId": 991,
                                   "commentAnnotationId": null, "apiKey": null, "folderId": null},
                      "event": "attachment.add"});
    let upload = Upload::new(b"webm-bytes".to_vec())
        .file_name("rec.webm")
        .mime_type("video/webm");
    let r = at.save_attachment(&req(body), Some(upload)).await;
    let url = data(&r)["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(FILES_BASE), "{url}");
    let key = url.trim_start_matches(&format!("{FILES_BASE}/")).to_owned();
    assert!(
        crate::attachments::AttachmentStorage::get(h.storage.as_ref(), &key)
            .await
            .unwrap()
            .is_some()
    );
    let del = json!({"attachmentId": 991, "metadata": {"organizationId": "org-a", "documentId": "doc-1"}});
    let first = at.delete_attachment(&req(del.clone())).await;
    let second = at.delete_attachment(&req(del)).await;
    assert_eq!(
        (js(&first), first.removed(), js(&second), second.removed()),
        (ok(), Some(true), ok(), Some(false))
    );
    assert!(
        crate::attachments::AttachmentStorage::get(h.storage.as_ref(), &key)
            .await
            .unwrap()
            .is_none()
    );
}

/// velt-py 0.3.0: the reacting user is stored and returned as `from`; a
/// request or a stored record naming it `user` (0.1.10) is read as `from`.
pub async fn contract_reactions_from_and_user(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let r = h
        .sh
        .reactions()
        .save_reactions(&req(json!({
            "reactionAnnotation": {"legacy": {"icon": "x", "user": {"userId": "u-old", "name": "Old"}}},
            "metadata": {"organizationId": "org-a", "documentId": "d"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    let stored = raw(&h, Collection::Reactions, "org-a").await;
    assert_eq!(
        stored,
        [
            json!({"annotationId": "legacy", "icon": "x", "from": {"userId": "u-old", "name": "Old"},
                "metadata": {"organizationId": "org-a", "documentId": "d"}})
        ]
    );
    // A record written by velt-py 0.1.10.
    h.put(
        Collection::Reactions,
        "org-a",
        vec![
            json!({"annotationId": "vp", "icon": "y", "user": {"userId": "u-vp"},
                    "metadata": {"organizationId": "org-a", "documentId": "d"}}),
        ],
    )
    .await;
    let got =
        h.sh.reactions()
            .get_reactions(&req(
                json!({"organizationId": "org-a", "reactionAnnotationIds": ["vp", "legacy"]}),
            ))
            .await;
    assert_eq!(
        data(&got),
        json!({
            "legacy": {"annotationId": "legacy", "icon": "x", "from": {"userId": "u-old", "name": "Old"},
                       "metadata": {"organizationId": "org-a", "documentId": "d"}},
            "vp": {"annotationId": "vp", "icon": "y", "from": {"userId": "u-vp"},
                   "metadata": {"organizationId": "org-a", "documentId": "d"}}
        })
    );
    // Both keys: `from` wins.
    let r = h
        .sh
        .reactions()
        .save_reactions(&req(json!({
            "reactionAnnotation": {"both": {"from": {"userId": "new"}, "user": {"userId": "old"}}},
            "metadata": {"organizationId": "org-a"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    let got =
        h.sh.reactions()
            .get_reactions(&req(
                json!({"organizationId": "org-a", "reactionAnnotationIds": ["both"]}),
            ))
            .await;
    assert_eq!(
        data(&got),
        json!({"both": {"annotationId": "both", "from": {"userId": "new"}, "metadata": {"organizationId": "org-a"}}})
    );
}

/// `folderId` + `allDocuments` reads every document of the folder, for
/// comments and reactions.
pub async fn contract_folder_reads(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    for (doc, folder) in [("d1", "f1"), ("d2", "f1"), ("d3", "f2")] {
        let md = json!({"organizationId": "org-a", "documentId": doc, "folderId": folder});
        let r = h
            .sh
            .comments()
            .save_comments(&req(json!({"commentAnnotation": {format!("c-{doc}"): {"comments": {}}}, "metadata": md})))
            .await;
        assert_eq!(js(&r), ok());
        let r = h
            .sh
            .reactions()
            .save_reactions(&req(
                json!({"reactionAnnotation": {format!("r-{doc}"): {"icon": "x"}}, "metadata": md}),
            ))
            .await;
        assert_eq!(js(&r), ok());
    }
    let body = json!({"organizationId": "org-a", "folderId": "f1", "allDocuments": true});
    let c = h.sh.comments().get_comments(&req(body.clone())).await;
    let mut ids: Vec<String> = data(&c).as_object().unwrap().keys().cloned().collect();
    ids.sort();
    assert_eq!(ids, ["c-d1", "c-d2"]);
    let r = h.sh.reactions().get_reactions(&req(body)).await;
    let mut ids: Vec<String> = data(&r).as_object().unwrap().keys().cloned().collect();
    ids.sort();
    assert_eq!(ids, ["r-d1", "r-d2"]);
}

/// `resolve_user_ids_by_email` (velt-py 0.3.0): `{email: userId}` for the
/// organization's users, through `user_schema`, deduplicated, empty emails
/// dropped, other organizations' users invisible.
pub async fn contract_resolve_user_ids_by_email(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    h.put(
        Collection::Users,
        "org-a",
        vec![
            json!({"userId": "u-1", "email": "ada@example.com", "organizationId": "org-a"}),
            json!({"userId": "u-2", "email": "bob@example.com", "organizationId": "org-a"}),
            json!({"userId": "u-nomail", "organizationId": "org-a"}),
        ],
    )
    .await;
    h.put(
        Collection::Users,
        "org-b",
        vec![json!({"userId": "u-b", "email": "eve@example.com", "organizationId": "org-b"})],
    )
    .await;
    let users = h.sh.users();
    let r = users
        .resolve_user_ids_by_email(&req(json!({
            "organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1",
            "emails": ["ada@example.com", "ada@example.com", "", "eve@example.com", "nobody@example.com", "bob@example.com"]
        })))
        .await;
    assert_eq!(
        js(&r),
        json!({"data": {"ada@example.com": "u-1", "bob@example.com": "u-2"}, "success": true, "statusCode": 200})
    );
    let r = users
        .resolve_user_ids_by_email(&req(json!({"organizationId": "org-a", "emails": []})))
        .await;
    assert_eq!(
        js(&r),
        json!({"data": {}, "success": true, "statusCode": 200})
    );
    let r = users
        .resolve_user_ids_by_email(&req(json!({"emails": ["ada@example.com"]})))
        .await;
    assert_eq!(
        js(&r),
        json!({"success": false, "statusCode": 400, "error": "organizationId is required", "errorCode": "INVALID_INPUT"})
    );

    // A customer collection with its own field names, mapped by user_schema.
    h.put(
        Collection::Users,
        "org-c",
        vec![
            json!({"userId": "sys-1", "uid": "c-1", "contact": {"mail": "cy@example.com"}, "organizationId": "org-c"}),
            json!({"userId": "sys-2", "uid": "c-2", "altMail": "dee@example.com", "organizationId": "org-c"}),
        ],
    )
    .await;
    let sh = h.reconfigured(|b| {
        b.user_schema(
            UserSchema::new()
                .with_path("userId", "uid")
                .with_paths("email", ["contact.mail", "altMail"]),
        )
        .user_org_scope(UserOrgScope::Strict)
    });
    let r = sh
        .users()
        .resolve_user_ids_by_email(&req(json!({
            "organizationId": "org-c", "emails": ["cy@example.com", "dee@example.com", "ada@example.com"]
        })))
        .await;
    assert_eq!(
        data(&r),
        json!({"cy@example.com": "c-1", "dee@example.com": "c-2"})
    );
}
