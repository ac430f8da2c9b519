//! velt-server over real HTTP: every route, auth, CORS, bad input,
//! generated input, concurrency. The server runs in-process on an
//! ephemeral port, on a real SQLite file and a real attachment directory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{JWT_SECRET, TOKEN, jwt, now, start, start_with};
use serde_json::{Value, json};
use velt_server::{Algorithm, AuthConfig, JwtConfig, JwtKey, PROVIDER_ROUTES, ServerOptions};

fn ok() -> Value {
    json!({"success": true, "statusCode": 200})
}

fn data(d: Value) -> Value {
    json!({"data": d, "success": true, "statusCode": 200})
}

fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

// ---------------------------------------------------------------------------
// Happy paths, provider by provider.

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

#[tokio::test]
async fn attachments_by_url_save_get_delete() {
    let s = start().await;
    let save = json!({
        "attachment": {"attachmentId": 4711, "file": "https://cdn.example.com/a.png", "name": "a.png", "mimeType": "image/png"},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"},
        "event": "attachment.add"
    });
    assert_eq!(
        s.post("/v1/attachments/save", &save).await,
        (200, data(json!({"url": "https://cdn.example.com/a.png"})))
    );
    assert_eq!(
        s.post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": 4711})
        )
        .await,
        (
            200,
            data(json!({
                "attachmentId": 4711, "file": "https://cdn.example.com/a.png", "name": "a.png",
                "mimeType": "image/png", "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
            }))
        )
    );
    // Ids compare with their JSON type.
    assert_eq!(
        s.post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": "4711"})
        )
        .await,
        (
            404,
            err(
                404,
                "NOT_FOUND",
                "Attachment not found or does not belong to organization"
            )
        )
    );
    let del = json!({"attachmentId": 4711, "metadata": {"organizationId": "org-a"}});
    assert_eq!(s.post("/v1/attachments/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/attachments/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
    assert_eq!(
        s.post(
            "/v1/attachments/save",
            &json!({"attachment": {"attachmentId": 1, "file": "ftp://x"}, "metadata": {"organizationId": "org-a"}})
        )
        .await,
        (
            400,
            err(
                400,
                "INVALID_INPUT",
                "attachment.file must be a valid URL (http:// or https://)"
            )
        )
    );
}

async fn upload(
    s: &common::TestServer,
    token: Option<&str>,
    request: &Value,
    file: Option<(&str, &str, Vec<u8>)>,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new().text("request", request.to_string());
    if let Some((name, mime, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str(mime)
                .unwrap(),
        );
    }
    let mut req = s.client.post(s.url("/v1/attachments/save")).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn attachment_upload_is_stored_served_and_deleted() {
    let s = start().await;
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\nfake image bytes".to_vec();
    let request = json!({
        "attachment": {"attachmentId": 99, "name": "photo.png", "mimeType": "image/png"},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "attachmentId": 99, "commentAnnotationId": "ann-1"},
        "event": "attachment.add"
    });
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("photo.png", "image/png", png.clone())),
    )
    .await;
    assert_eq!(st, 200, "{body}");
    let url = body["data"]["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{}/v1/attachments/files/", s.base)),
        "{url}"
    );
    assert!(url.ends_with(".png"), "{url}");
    assert_eq!(body, data(json!({"url": url})));

    // The file is served back with its content type.
    let resp = s.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), png);

    // The record points at it.
    let (_, rec) = s
        .post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": 99}),
        )
        .await;
    assert_eq!(rec["data"]["file"], json!(url));
    assert_eq!(rec["data"]["name"], json!("photo.png"));
    assert_eq!(rec["data"]["mimeType"], json!("image/png"));

    // Deleting the attachment deletes the file.
    assert_eq!(
        s.post(
            "/v1/attachments/delete",
            &json!({"attachmentId": 99, "metadata": {"organizationId": "org-a"}})
        )
        .await,
        (200, ok())
    );
    let resp = s.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn html_uploads_are_not_served_inline() {
    let s = start().await;
    let request =
        json!({"attachment": {"attachmentId": 5}, "metadata": {"organizationId": "org-a"}});
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("x.html", "text/html", b"<script>alert(1)</script>".to_vec())),
    )
    .await;
    assert_eq!(st, 200);
    let resp = s
        .client
        .get(body["data"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-disposition"], "attachment");
    assert_eq!(
        resp.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
}

#[tokio::test]
async fn upload_errors() {
    let s = start_with(ServerOptions::new(common::default_auth()).upload_limit(64 * 1024)).await;
    let request =
        json!({"attachment": {"attachmentId": 5}, "metadata": {"organizationId": "org-a"}});
    // No token.
    let (st, body) = upload(
        &s,
        None,
        &request,
        Some(("a.txt", "text/plain", b"x".to_vec())),
    )
    .await;
    assert_eq!(
        (st, body["errorCode"].clone()),
        (401, json!("MISSING_TOKEN"))
    );
    // Too large.
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("a.bin", "application/octet-stream", vec![0u8; 200 * 1024])),
    )
    .await;
    assert_eq!(st, 413, "{body}");
    assert_eq!(body["statusCode"], json!(413));
    assert_eq!(body["success"], json!(false));
    // Missing request part.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"),
    );
    let resp = s
        .client
        .post(s.url("/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        err(
            400,
            "INVALID_INPUT",
            "multipart upload needs a `request` part with the resolver request JSON"
        )
    );
    // Malformed request part.
    let form = reqwest::multipart::Form::new().text("request", "{not json");
    let resp = s
        .client
        .post(s.url("/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // Missing attachment id.
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &json!({"attachment": {"name": "a"}, "metadata": {"organizationId": "org-a"}}),
        Some(("a.txt", "text/plain", b"x".to_vec())),
    )
    .await;
    assert_eq!(
        (st, body),
        (
            400,
            err(400, "INVALID_INPUT", "attachment.attachmentId is required")
        )
    );
}

// ---------------------------------------------------------------------------
// Error codes of every route.

#[tokio::test]
async fn every_route_reports_its_input_errors() {
    let s = start().await;
    let cases: [(&str, Value, u16, &str, &str); 19] = [
        (
            "/v1/comments/get",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/comments/save",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required in metadata",
        ),
        (
            "/v1/comments/delete",
            json!({}),
            400,
            "INVALID_INPUT",
            "commentAnnotationId is required",
        ),
        (
            "/v1/reactions/get",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/reactions/save",
            json!({"metadata": {"organizationId": "o"}}),
            400,
            "INVALID_INPUT",
            "reactionAnnotation must be a non-empty dictionary",
        ),
        (
            "/v1/reactions/delete",
            json!({}),
            400,
            "INVALID_INPUT",
            "reactionAnnotationId is required",
        ),
        (
            "/v1/users/get",
            json!({"userIds": ["u"]}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/users/save",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/attachments/get",
            json!({"organizationId": "o"}),
            400,
            "INVALID_INPUT",
            "attachmentId is required",
        ),
        (
            "/v1/attachments/save",
            json!({"metadata": {"organizationId": "o"}}),
            400,
            "INVALID_INPUT",
            "attachment is required",
        ),
        (
            "/v1/attachments/delete",
            json!({}),
            400,
            "INVALID_INPUT",
            "attachmentId is required",
        ),
        (
            "/v1/recorders/get",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/recorders/save",
            json!({"metadata": {"organizationId": "o"}}),
            400,
            "INVALID_INPUT",
            "recorderAnnotation must be a non-empty dictionary",
        ),
        (
            "/v1/recorders/delete",
            json!({}),
            400,
            "INVALID_INPUT",
            "recorderAnnotationId is required",
        ),
        (
            "/v1/notifications/get",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required",
        ),
        (
            "/v1/notifications/save",
            json!({"organizationId": "o"}),
            400,
            "INVALID_INPUT",
            "notifications must be a non-empty dictionary",
        ),
        (
            "/v1/notifications/delete",
            json!({}),
            400,
            "INVALID_INPUT",
            "notificationId is required",
        ),
        (
            "/v1/activities/get",
            json!({}),
            400,
            "INVALID_INPUT",
            "organizationId is required: the request names none and the token is not bound to an organization",
        ),
        (
            "/v1/activities/save",
            json!({"organizationId": "o"}),
            400,
            "INVALID_INPUT",
            "activity must be a non-empty dictionary",
        ),
    ];
    for (route, body, status, code, msg) in cases {
        assert_eq!(
            s.post(route, &body).await,
            (status, err(status, code, msg)),
            "{route}"
        );
    }
    // Wrong types: 400 VALIDATION_ERROR on every route that reads an organization.
    for route in PROVIDER_ROUTES {
        let (st, body) = s
            .post(
                route,
                &json!({"organizationId": 42, "metadata": {"organizationId": 42}}),
            )
            .await;
        assert_eq!(st, 400, "{route}: {body}");
        assert_eq!(body["statusCode"], json!(400), "{route}");
        assert_eq!(body["success"], json!(false), "{route}");
        assert!(body["errorCode"].is_string(), "{route}");
    }
    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "o", "commentAnnotationIds": "not-a-list"}),
        )
        .await;
    assert_eq!(
        (st, body["errorCode"].clone()),
        (400, json!("VALIDATION_ERROR"))
    );
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let s = start().await;
    let (st, body) = s.post("/v1/comments/nope", &json!({})).await;
    assert_eq!((st, body), (404, err(404, "NOT_FOUND", "no such route")));
    let resp = s
        .client
        .get(s.url("/v1/comments/get"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        err(
            405,
            "METHOD_NOT_ALLOWED",
            "method not allowed on this route"
        )
    );
    let resp = s
        .client
        .get(s.url("/v1/attachments/files/attachments/org-a/none.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    for bad in [
        "/v1/attachments/files/..%2F..%2Fvelt.db",
        "/v1/attachments/files/attachments/../../velt.db",
        "/v1/attachments/files/%2Fetc%2Fpasswd",
    ] {
        let resp = s.client.get(s.url(bad)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{bad}");
    }
}

// ---------------------------------------------------------------------------
// Authentication and isolation.

#[tokio::test]
async fn every_route_requires_a_valid_token() {
    let s = start().await;
    for route in PROVIDER_ROUTES {
        assert_eq!(
            s.post_as(route, None, &json!({"organizationId": "o"}))
                .await,
            (401, err(401, "MISSING_TOKEN", "missing bearer token")),
            "{route}"
        );
        assert_eq!(
            s.post_as(route, Some("wrong-token"), &json!({"organizationId": "o"}))
                .await,
            (
                401,
                err(401, "INVALID_SIGNATURE", "token is not a well-formed JWT")
            ),
            "{route}"
        );
    }
    let resp = s
        .client
        .post(s.url("/v1/comments/get"))
        .header("authorization", format!("Basic {TOKEN}"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    // A prefix of a valid token is not valid.
    let (st, _) = s
        .post_as("/v1/comments/get", Some(&TOKEN[..10]), &json!({}))
        .await;
    assert_eq!(st, 401);
}

#[tokio::test]
async fn jwt_checks_signature_expiry_issuer_audience() {
    let s = start().await;
    let claims = |extra: Value| {
        let mut c =
            json!({"iss": "velt-test", "aud": "velt-server", "exp": now() + 600, "sub": "u1"});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let body = json!({"organizationId": "org-a", "documentIds": ["d"]});
    let good = jwt(&claims(json!({})), JWT_SECRET);
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&good), &body).await,
        (200, data(json!({})))
    );
    let expired = jwt(&claims(json!({"exp": now() - 120})), JWT_SECRET);
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&expired), &body).await,
        (401, err(401, "EXPIRED", "token expired"))
    );
    let wrong_key = jwt(&claims(json!({})), "another-secret-another-secret");
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&wrong_key), &body).await,
        (
            401,
            err(401, "INVALID_SIGNATURE", "token signature is invalid")
        )
    );
    let wrong_iss = jwt(&claims(json!({"iss": "evil"})), JWT_SECRET);
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&wrong_iss), &body).await,
        (
            401,
            err(401, "CLAIM_MISMATCH", "token claims do not match (iss)")
        )
    );
    let wrong_aud = jwt(&claims(json!({"aud": "other"})), JWT_SECRET);
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&wrong_aud), &body).await,
        (
            401,
            err(401, "CLAIM_MISMATCH", "token claims do not match (aud)")
        )
    );
    let no_exp = jwt(
        &json!({"iss": "velt-test", "aud": "velt-server"}),
        JWT_SECRET,
    );
    let (st, _) = s.post_as("/v1/comments/get", Some(&no_exp), &body).await;
    assert_eq!(st, 401);
    // alg=none is refused.
    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(json!({})).to_string().as_bytes())
    );
    let (st, _) = s.post_as("/v1/comments/get", Some(&none), &body).await;
    assert_eq!(st, 401);
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn rs256_public_key() {
    let key = include_str!("fixtures/rs256-test-only.key.pem");
    let public = include_str!("fixtures/rs256-test-only.pub.pem");
    let s = start_with(ServerOptions::new(AuthConfig::default().with_jwt(
        JwtConfig::new([Algorithm::RS256], JwtKey::PublicKeyPem(public.to_owned())),
    )))
    .await;
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &json!({"exp": now() + 60, "organizationId": "org-a"}),
        &jsonwebtoken::EncodingKey::from_rsa_pem(key.as_bytes()).unwrap(),
    )
    .unwrap();
    let body = json!({"organizationId": "org-a", "documentIds": ["d"]});
    assert_eq!(
        s.post_as("/v1/comments/get", Some(&token), &body).await,
        (200, data(json!({})))
    );
    // An HS256 token signed with the public key text (algorithm confusion) is refused.
    let confused = jwt(&json!({"exp": now() + 60}), public);
    let (st, _) = s.post_as("/v1/comments/get", Some(&confused), &body).await;
    assert_eq!(st, 401);
}

#[tokio::test]
async fn jwt_organization_claim_is_enforced_on_every_route() {
    let s = start().await;
    let token_a = jwt(
        &json!({"iss": "velt-test", "aud": "velt-server", "exp": now() + 600, "organizationId": "org-a"}),
        JWT_SECRET,
    );
    // org-a saves through its token.
    let save = json!({
        "commentAnnotation": {"ann-1": {"comments": {}}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
    });
    assert_eq!(
        s.post_as("/v1/comments/save", Some(&token_a), &save).await,
        (200, ok())
    );
    // Every route refuses a request naming org-b.
    for route in PROVIDER_ROUTES {
        for body in [
            json!({"organizationId": "org-b"}),
            json!({"metadata": {"organizationId": "org-b"}}),
            json!({"organizationId": "org-a", "metadata": {"organizationId": "org-b"}}),
        ] {
            assert_eq!(
                s.post_as(route, Some(&token_a), &body).await,
                (
                    403,
                    err(
                        403,
                        "FORBIDDEN",
                        "organizationId does not match the token's organization"
                    )
                ),
                "{route} {body}"
            );
        }
    }
    // Nothing of org-b was written, and org-a cannot delete as org-b.
    let save_b = json!({
        "commentAnnotation": {"ann-1": {"comments": {"x": 1}}},
        "metadata": {"organizationId": "org-b", "documentId": "doc-1"}
    });
    assert_eq!(
        s.post_as("/v1/comments/save", Some(&token_a), &save_b)
            .await
            .0,
        403
    );
    let (_, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-b", "documentIds": ["doc-1"]}),
        )
        .await;
    assert_eq!(body, data(json!({})));
    // Multipart uploads are checked too.
    let (st, _) = upload(
        &s,
        Some(&token_a),
        &json!({"attachment": {"attachmentId": 1}, "metadata": {"organizationId": "org-b"}}),
        Some(("a.txt", "text/plain", b"x".to_vec())),
    )
    .await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn organizations_are_isolated_with_static_tokens() {
    let s = start().await;
    for org in ["org-a", "org-b"] {
        let save = json!({
            "commentAnnotation": {"same-id": {"comments": {"1": {"commentText": org}}}},
            "metadata": {"organizationId": org, "documentId": "doc-1"}
        });
        assert_eq!(s.post("/v1/comments/save", &save).await, (200, ok()));
    }
    let (_, a) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "commentAnnotationIds": ["same-id"]}),
        )
        .await;
    assert_eq!(
        a["data"]["same-id"]["comments"]["1"]["commentText"],
        json!("org-a")
    );
    // org-b deleting "same-id" removes only its own.
    assert_eq!(
        s.post(
            "/v1/comments/delete",
            &json!({"commentAnnotationId": "same-id", "metadata": {"organizationId": "org-b"}})
        )
        .await,
        (200, ok())
    );
    let (_, a) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "commentAnnotationIds": ["same-id"]}),
        )
        .await;
    assert_eq!(a["data"].as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn insecure_mode_needs_no_token_and_no_auth_is_refused() {
    let s = start_with(ServerOptions::new(AuthConfig::insecure())).await;
    assert_eq!(
        s.post_as(
            "/v1/comments/get",
            None,
            &json!({"organizationId": "o", "documentIds": ["d"]})
        )
        .await,
        (200, data(json!({})))
    );
    let sh = velt_selfhost::SelfHosting::builder().build();
    let e = velt_server::router(sh, ServerOptions::new(AuthConfig::default())).unwrap_err();
    assert!(matches!(e, velt_server::BuildError::NoAuth), "{e}");
}

// ---------------------------------------------------------------------------
// Health, CORS, request ids.

#[tokio::test]
async fn health_and_readiness() {
    let s = start().await;
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    let r = s.client.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ready"}));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let s = start().await;
    // Warm the reader pool: its connections outlive the file.
    for _ in 0..4 {
        let r = s.client.get(s.url("/readyz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    std::fs::remove_file(s.dir.path().join("velt.db")).unwrap();
    let r = s.client.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"status": "unavailable", "error": "the database is not reachable"})
    );
    // /healthz only says the process is up.
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let s = start_with(
        ServerOptions::new(common::default_auth()).cors_origins(["https://app.example.com"]),
    )
    .await;
    let pre = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/v1/comments/get"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 200);
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let allowed = pre.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    let evil = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/v1/comments/get"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        evil.headers().get("access-control-allow-origin").is_none(),
        "{:?}",
        evil.headers()
    );
    // Without configured origins, no CORS headers at all.
    let plain = start().await;
    let r = plain
        .client
        .post(plain.url("/v1/comments/get"))
        .bearer_auth(TOKEN)
        .header("origin", "https://app.example.com")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let s = start().await;
    let r = s
        .client
        .get(s.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = s
        .client
        .get(s.url("/healthz"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id.is_empty() && id != "bad id with spaces");
}

#[tokio::test]
async fn slow_requests_time_out_with_a_resolver_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = start_with(
        ServerOptions::new(common::default_auth()).request_timeout(Duration::from_millis(200)),
    )
    .await;
    // A client that announces 100 bytes and sends 18 of them, then stalls.
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/comments/get HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"organizationId\":"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut chunk))
            .await
            .expect("no answer within 10 s")
            .unwrap();
        buf.extend_from_slice(&chunk[..n]);
        if n == 0 || buf.windows(4).any(|w| w == b"}}}}") || buf.ends_with(b"}") {
            break;
        }
    }
    let text = String::from_utf8(buf).unwrap();
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    let json_start = text.find("\r\n\r\n").unwrap() + 4;
    let body: Value = serde_json::from_str(&text[json_start..]).unwrap();
    assert_eq!(
        body,
        err(503, "TIMEOUT", "the request did not complete within 200 ms")
    );
}

#[tokio::test]
async fn stalled_uploads_do_not_hold_processing_slots() {
    use tokio::io::AsyncWriteExt;
    let s = start_with(ServerOptions::new(common::default_auth()).max_concurrent_requests(1)).await;
    // Three clients announce a body and stall mid-way.
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /v1/comments/get HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\ncontent-length: 100\r\n\r\n{{"
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        stalled.push(conn);
    }
    // A normal request is still served.
    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "o", "documentIds": ["d"]}),
        )
        .await;
    assert_eq!((st, body), (200, data(json!({}))));
    drop(stalled);
}

// ---------------------------------------------------------------------------
// Bad input.

#[tokio::test]
async fn bad_input_gets_4xx_resolver_errors() {
    let s = start().await;
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("malformed", b"{\"organizationId\": ".to_vec(), 400),
        ("not an object", b"[1, 2, 3]".to_vec(), 400),
        ("a string", b"\"hello\"".to_vec(), 400),
        ("not utf-8", vec![0xff, 0xfe, 0x00], 400),
        ("trailing garbage", b"{} {}".to_vec(), 400),
        (
            "deep nesting",
            {
                let mut v = b"{\"organizationId\": \"o\", \"x\": ".to_vec();
                v.extend(std::iter::repeat_n(b'[', 100_000));
                v
            },
            400,
        ),
        (
            "moderately deep nesting",
            {
                let mut v = b"{\"organizationId\": \"o\", \"x\": ".to_vec();
                v.extend(std::iter::repeat_n(b'[', 100));
                v.extend(std::iter::repeat_n(b']', 100));
                v.push(b'}');
                v
            },
            400,
        ),
        (
            "oversized",
            {
                let mut v = b"{\"organizationId\": \"o\", \"pad\": \"".to_vec();
                v.extend(std::iter::repeat_n(b'a', 3 * 1024 * 1024));
                v.extend_from_slice(b"\"}");
                v
            },
            413,
        ),
        (
            "huge array",
            {
                let ids: Vec<String> = (0..20_000).map(|i| format!("id{i}")).collect();
                json!({"organizationId": "o", "commentAnnotationIds": ids})
                    .to_string()
                    .into_bytes()
            },
            413,
        ),
    ];
    for route in ["/v1/comments/get", "/v1/comments/save", "/v1/users/get"] {
        for (name, body, status) in &cases {
            let (st, resp) = s.post_raw(route, Some(TOKEN), body.clone()).await;
            assert_eq!(st, *status, "{route} {name}: {resp}");
            assert_eq!(resp["statusCode"], json!(status), "{route} {name}");
            assert_eq!(resp["success"], json!(false), "{route} {name}");
            assert!(resp["error"].is_string(), "{route} {name}");
            assert!(resp["errorCode"].is_string(), "{route} {name}");
        }
    }
    // Empty body = empty object.
    let (st, resp) = s
        .post_raw("/v1/comments/get", Some(TOKEN), Vec::new())
        .await;
    assert_eq!(
        (st, resp),
        (400, err(400, "INVALID_INPUT", "organizationId is required"))
    );
    // The server is still fine.
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

// ---------------------------------------------------------------------------
// Concurrency: 32 clients on the same documents.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_clients_lose_no_update() {
    let s = Arc::new(start().await);
    let mut tasks = Vec::new();
    for c in 0..32 {
        let s = Arc::clone(&s);
        tasks.push(tokio::spawn(async move {
            for i in 0..8 {
                let doc = format!("doc-{}", i % 2);
                // Each client adds its own annotations to the shared documents...
                let save = json!({
                    "commentAnnotation": {format!("c{c}-{i}"): {"comments": {"1": {"commentText": format!("{c}/{i}")}}}},
                    "metadata": {"organizationId": "org-a", "documentId": doc}
                });
                let (st, body) = s.post("/v1/comments/save", &save).await;
                assert_eq!((st, body), (200, ok()));
                // ...and all of them update the same annotation, each with
                // its own key: merges must not lose any of them.
                let shared = json!({
                    "commentAnnotation": {"shared": {format!("client{c}x{i}"): true}},
                    "metadata": {"organizationId": "org-a", "documentId": "doc-0"}
                });
                let (st, _) = s.post("/v1/comments/save", &shared).await;
                assert_eq!(st, 200);
                let (st, body) = s
                    .post(
                        "/v1/comments/get",
                        &json!({"organizationId": "org-a", "documentIds": [doc]}),
                    )
                    .await;
                assert_eq!(st, 200);
                let got = body["data"].as_object().unwrap();
                for j in (i % 2..=i).step_by(2) {
                    assert!(
                        got.contains_key(&format!("c{c}-{j}")),
                        "client {c} lost c{c}-{j}"
                    );
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (_, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-0", "doc-1"]}),
        )
        .await;
    let got = body["data"].as_object().unwrap();
    assert_eq!(got.len(), 32 * 8 + 1);
    let shared = got["shared"].as_object().unwrap();
    for c in 0..32 {
        for i in 0..8 {
            assert_eq!(shared[&format!("client{c}x{i}")], json!(true));
        }
    }
}

// ---------------------------------------------------------------------------
// Generated input: any JSON at any route gets a well-formed answer.

mod generated {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[a-zA-Z0-9 _.-]{0,12}".prop_map(Value::String),
            prop_oneof![
                Just("org-a"),
                Just("doc-1"),
                Just("ann-1"),
                Just(""),
                Just("u1")
            ]
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let key = prop_oneof![
                Just("organizationId".to_owned()),
                Just("metadata".to_owned()),
                Just("documentIds".to_owned()),
                Just("commentAnnotation".to_owned()),
                Just("commentAnnotationIds".to_owned()),
                Just("reactionAnnotation".to_owned()),
                Just("recorderAnnotation".to_owned()),
                Just("notifications".to_owned()),
                Just("activity".to_owned()),
                Just("attachment".to_owned()),
                Just("attachmentId".to_owned()),
                Just("users".to_owned()),
                Just("userIds".to_owned()),
                Just("documentId".to_owned()),
                Just("folderId".to_owned()),
                Just("allDocuments".to_owned()),
                Just("file".to_owned()),
                "[a-zA-Z]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key, inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn any_json_at_any_route_gets_a_resolver_answer() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let s = rt.block_on(start());
        let config = ProptestConfig {
            cases: 48,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        proptest!(config, |(body in json_value(), wrap in any::<bool>())| {
            // Half of the cases get an object body with the value inside.
            let body = if wrap { json!({"organizationId": "org-a", "metadata": {"organizationId": "org-a"}, "x": body}) } else { body };
            for route in PROVIDER_ROUTES {
                let (st, resp) = rt.block_on(s.post(route, &body));
                prop_assert!(st < 500, "{} {} -> {} {}", route, body, st, resp);
                prop_assert_eq!(&resp["statusCode"], &json!(st));
                prop_assert!(resp["success"].is_boolean());
                if st != 200 {
                    prop_assert_eq!(&resp["success"], &json!(false));
                    prop_assert!(resp["error"].is_string());
                    prop_assert!(resp["errorCode"].is_string());
                }
            }
        });
    }
}
