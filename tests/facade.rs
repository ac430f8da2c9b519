//! End-to-end tests through the `velt` facade: one `VeltSdk`, REST calls
//! against a real HTTP server (httpmock), and the self-hosting services on
//! real stores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt::prelude::*;

fn sdk_for(server: &MockServer) -> VeltSdk {
    VeltSdk::builder()
        .api_key("facade-key")
        .auth_token("facade-token")
        .base_url(server.base_url())
        .store(Arc::new(MemoryStore::new()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn rest_call_through_the_facade_is_wire_identical_to_velt_py() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/commentannotations/add")
                .header("content-type", "application/json")
                .header("x-velt-api-key", "facade-key")
                .header("x-velt-auth-token", "facade-token")
                .header_missing("x-velt-workspace-id")
                .json_body(json!({"data": {
                    "organizationId": "org-1",
                    "documentId": "doc-1",
                    "commentAnnotations": [{"comments": [{"commentText": "hi", "from": null}]}],
                    "verifyUserPermissions": false
                }}));
            then.status(200).json_body(json!({"result": {
                "status": "success",
                "message": "Comment annotations added successfully.",
                "data": {"ann-9": {"success": true}}
            }}));
        })
        .await;
    let sdk = sdk_for(&server);
    let req = AddCommentAnnotationsRequest {
        organization_id: Some("org-1".into()),
        document_id: Some("doc-1".into()),
        comment_annotations: Some(vec![
            json!({"comments": [{"commentText": "hi", "from": null}]}),
        ]),
        verify_user_permissions: Some(false),
        ..Default::default()
    };
    let resp = sdk
        .api()
        .comment_annotations()
        .add_comment_annotations(&req)
        .await
        .unwrap();
    assert_eq!(resp.status(), Some("success"));
    assert_eq!(
        resp.message(),
        Some("Comment annotations added successfully.")
    );
    assert_eq!(resp.data(), Some(&json!({"ann-9": {"success": true}})));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn api_errors_are_errors_not_data() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/delete");
            then.status(400).json_body(json!({"error": {
                "status": "INVALID_ARGUMENT",
                "message": "organizationIds is required"
            }}));
        })
        .await;
    let sdk = sdk_for(&server);
    let err = sdk
        .api()
        .organizations()
        .delete_organizations(&DeleteOrganizationsRequest::default())
        .await
        .unwrap_err();
    match err {
        velt::rest::Error::Api(api) => {
            assert_eq!(api.http_status, 400);
            assert_eq!(api.status.as_deref(), Some("INVALID_ARGUMENT"));
            assert_eq!(api.message.as_deref(), Some("organizationIds is required"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

// `VeltSdk::token` and `get_token` are deprecated (as in velt-py 0.3.0);
// this proves the deprecated path still works.
#[allow(deprecated)]
#[tokio::test]
async fn token_call_is_reachable_from_the_facade() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/auth/token/get").json_body(json!({
                "data": {"userId": "u-1", "userProperties": {"organizationId": "org-1", "isAdmin": true}}
            }));
            then.status(200)
                .json_body(json!({"result": {"data": {"token": "jwt-1"}}}));
        })
        .await;
    let sdk = sdk_for(&server);
    let res = sdk
        .token()
        .get_token("org-1", "u-1", None, Some(true))
        .await
        .unwrap();
    assert_eq!(
        res.to_json(),
        json!({"success": true, "data": {"token": "jwt-1"}})
    );
    assert_eq!(mock.calls_async().await, 1);
}

async fn save_and_get_comment(sdk: &VeltSdk) -> Value {
    let sh = sdk.self_hosting().unwrap();
    let save: SaveCommentResolverRequest = parse_request(json!({
        "commentAnnotation": {
            "ann-1": {"comments": {"1": {"commentId": 1, "commentText": "hello"}}, "status": {"id": "open"}}
        },
        "metadata": {"organizationId": "org-1", "documentId": "doc-1", "folderId": "f-1"}
    }))
    .unwrap();
    let saved = sh.comments().save_comments(&save).await;
    assert_eq!(saved.to_json(), json!({"success": true, "statusCode": 200}));
    let get: GetCommentResolverRequest =
        parse_request(json!({"organizationId": "org-1", "documentIds": ["doc-1"]})).unwrap();
    sh.comments().get_comments(&get).await.to_json()
}

#[tokio::test]
async fn self_hosting_stamps_the_sdk_api_key_like_velt_py() {
    let server = MockServer::start_async().await;
    let sdk = sdk_for(&server);
    let got = save_and_get_comment(&sdk).await;
    assert_eq!(got["success"], json!(true));
    assert_eq!(got["statusCode"], json!(200));
    let ann = &got["data"]["ann-1"];
    assert_eq!(ann["annotationId"], json!("ann-1"));
    assert_eq!(
        ann["metadata"],
        json!({"organizationId": "org-1", "documentId": "doc-1", "folderId": "f-1", "apiKey": "facade-key"})
    );
    assert_eq!(ann["comments"]["1"]["commentText"], json!("hello"));

    // Another organization sees nothing of it.
    let sh = sdk.self_hosting().unwrap();
    let other: GetCommentResolverRequest =
        parse_request(json!({"organizationId": "org-2", "documentIds": ["doc-1"]})).unwrap();
    assert_eq!(
        sh.comments().get_comments(&other).await.to_json(),
        json!({"data": {}, "success": true, "statusCode": 200})
    );
}

#[tokio::test]
async fn rest_only_sdk_needs_no_database() {
    let sdk = VeltSdk::builder()
        .api_key("k")
        .auth_token("t")
        .build()
        .unwrap();
    assert!(matches!(
        sdk.self_hosting(),
        Err(velt::Error::SelfHostingNotConfigured)
    ));
}

#[cfg(feature = "sqlite")]
#[tokio::test]
async fn sqlite_store_keeps_data_across_reopen() {
    use velt::selfhost::backends::sqlite::SqliteStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("velt.db");
    let server = MockServer::start_async().await;
    let build = |store: SqliteStore| {
        VeltSdk::builder()
            .api_key("facade-key")
            .base_url(server.base_url())
            .store(Arc::new(store))
            .build()
            .unwrap()
    };
    let first = save_and_get_comment(&build(SqliteStore::open(&path).unwrap())).await;
    let sdk = build(SqliteStore::open(&path).unwrap());
    let get: GetCommentResolverRequest =
        parse_request(json!({"organizationId": "org-1", "documentIds": ["doc-1"]})).unwrap();
    let again = sdk
        .self_hosting()
        .unwrap()
        .comments()
        .get_comments(&get)
        .await
        .to_json();
    assert_eq!(first, again);
}
