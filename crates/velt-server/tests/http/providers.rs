//! Happy paths, provider by provider (attachments are in `attachments.rs`).

use serde_json::json;

use crate::common::start;
use crate::{data, err, ok};

#[tokio::test]
async fn comments_save_get_delete() {
    let s = start().await;
    let save = json!({
        "commentAnnotation": {
            "ann-1": {
                "annotationId": "ann-1",
                "comments": {"1": {"commentId": 1, "commentText": "hello", "from": {"userId": "u1", "name": "Ada"}}},
                "from": {"userId": "u1", "email": "ada@example.com"},
                "status": {"id": "OPEN"}
            },
            "ann-2": {"comments": {"2": {"commentId": 2, "commentHtml": "<b>x</b>"}}}
        },
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1"},
        "event": "comment.add",
        "commentId": "1"
    });
    assert_eq!(s.post("/v1/comments/save", &save).await, (200, ok()));

    let expected_1 = json!({
        "annotationId": "ann-1",
        "comments": {"1": {"commentId": 1, "commentText": "hello", "from": {"userId": "u1", "name": "Ada"}}},
        "from": {"userId": "u1", "email": "ada@example.com"},
        "status": {"id": "OPEN"},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1"}
    });
    let expected_2 = json!({
        "comments": {"2": {"commentId": 2, "commentHtml": "<b>x</b>"}},
        "annotationId": "ann-2",
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1"}
    });
    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-1"]}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        body,
        data(json!({"ann-1": expected_1.clone(), "ann-2": expected_2}))
    );

    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "commentAnnotationIds": ["ann-1"]}),
        )
        .await;
    assert_eq!((st, body), (200, data(json!({"ann-1": expected_1}))));

    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "folderId": "f-1", "allDocuments": true}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(body["data"].as_object().unwrap().len(), 2);

    let del = json!({"commentAnnotationId": "ann-1", "metadata": {"organizationId": "org-a", "documentId": "doc-1"}});
    assert_eq!(s.post("/v1/comments/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/comments/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
    let (_, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-1"]}),
        )
        .await;
    assert_eq!(
        body["data"].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["ann-2"]
    );
}

#[tokio::test]
async fn reactions_save_get_delete() {
    let s = start().await;
    let save = json!({
        "reactionAnnotation": {"re-1": {"icon": "heart", "from": {"userId": "u1"}}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
    });
    assert_eq!(s.post("/v1/reactions/save", &save).await, (200, ok()));
    assert_eq!(
        s.post(
            "/v1/reactions/get",
            &json!({"organizationId": "org-a", "reactionAnnotationIds": ["re-1"]})
        )
        .await,
        (
            200,
            data(json!({"re-1": {
                "annotationId": "re-1", "icon": "heart", "from": {"userId": "u1"},
                "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
            }}))
        )
    );
    let del = json!({"reactionAnnotationId": "re-1", "metadata": {"organizationId": "org-a"}});
    assert_eq!(s.post("/v1/reactions/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/reactions/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
}

#[tokio::test]
async fn users_save_get() {
    let s = start().await;
    let save = json!({"organizationId": "org-a", "users": [
        {"userId": "u1", "name": "Ada", "email": "ada@example.com", "isAdmin": true},
        {"userId": "u2", "name": "Bob"}
    ]});
    assert_eq!(s.post("/v1/users/save", &save).await, (200, ok()));
    assert_eq!(
        s.post(
            "/v1/users/get",
            &json!({"organizationId": "org-a", "userIds": ["u1", "u2", "nobody"]})
        )
        .await,
        (
            200,
            data(json!({
                "u1": {"userId": "u1", "name": "Ada", "email": "ada@example.com", "isAdmin": true},
                "u2": {"userId": "u2", "name": "Bob"}
            }))
        )
    );
    // Another organization does not see them.
    assert_eq!(
        s.post(
            "/v1/users/get",
            &json!({"organizationId": "org-b", "userIds": ["u1"]})
        )
        .await,
        (200, data(json!({})))
    );
    assert_eq!(
        s.post(
            "/v1/users/save",
            &json!({"organizationId": "org-a", "users": []})
        )
        .await,
        (
            400,
            err(400, "INVALID_INPUT", "users must be a non-empty list")
        )
    );
}

#[tokio::test]
async fn recorders_save_get_delete() {
    let s = start().await;
    let save = json!({
        "recorderAnnotation": {"rec-1": {"from": {"userId": "u1"}, "transcription": "hi"}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
    });
    assert_eq!(s.post("/v1/recorders/save", &save).await, (200, ok()));
    assert_eq!(
        s.post(
            "/v1/recorders/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-1"]})
        )
        .await,
        (
            200,
            data(json!({"rec-1": {
                "annotationId": "rec-1", "from": {"userId": "u1"}, "transcription": "hi",
                "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
            }}))
        )
    );
    let del = json!({"recorderAnnotationId": "rec-1", "metadata": {"organizationId": "org-a"}});
    assert_eq!(s.post("/v1/recorders/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/recorders/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
}

#[tokio::test]
async fn notifications_save_get_delete() {
    let s = start().await;
    let save = json!({
        "organizationId": "org-a",
        "notifications": {"n-1": {"displayHeadlineMessageTemplate": "{user} replied", "metadata": {"documentId": "doc-1"}}}
    });
    assert_eq!(s.post("/v1/notifications/save", &save).await, (200, ok()));
    assert_eq!(
        s.post(
            "/v1/notifications/get",
            &json!({"organizationId": "org-a", "notificationIds": ["n-1"]})
        )
        .await,
        (
            200,
            data(json!({"n-1": {
                "notificationId": "n-1",
                "displayHeadlineMessageTemplate": "{user} replied",
                "metadata": {"documentId": "doc-1"},
                "organizationId": "org-a"
            }}))
        )
    );
    let del = json!({"organizationId": "org-a", "notificationId": "n-1"});
    assert_eq!(s.post("/v1/notifications/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/notifications/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
}

#[tokio::test]
async fn activities_save_get() {
    let s = start().await;
    let save = json!({
        "organizationId": "org-a",
        "activity": {"act-1": {"actionType": "comment.add", "metadata": {"documentId": "doc-1"}}}
    });
    assert_eq!(s.post("/v1/activities/save", &save).await, (200, ok()));
    assert_eq!(
        s.post(
            "/v1/activities/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-1"]})
        )
        .await,
        (
            200,
            data(json!({"act-1": {
                "id": "act-1",
                "metadata": {"documentId": "doc-1", "organizationId": "org-a"},
                "actionType": "comment.add",
                "organizationId": "org-a"
            }}))
        )
    );
}
