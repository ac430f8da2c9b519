//! Retries, Retry-After, and the shared connection pool.

use std::time::Duration;

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use velt_models::rest::{AddOrganizationsRequest, GetDocumentsRequest, GetOrganizationsRequest};
use velt_rest::{RetryPolicy, VeltClient};

use crate::common::{self, API_KEY, AUTH_TOKEN};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_once_after_the_wait() {
    // Raw server: records when each request arrived.
    let server = common::scripted(vec![
        common::http(
            429,
            &[("retry-after", "1")],
            r#"{"error":{"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#,
        ),
        common::http(
            200,
            &[],
            r#"{"result":{"status":"success","message":"ok","data":[]}}"#,
        ),
    ])
    .await;
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let resp = client
        .organizations()
        .get_organizations(&GetOrganizationsRequest::default())
        .await
        .unwrap();
    assert_eq!(resp.message(), Some("ok"));
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "exactly one retry");
    let gap = seen[1].at - seen[0].at;
    // The 1 s Retry-After replaced the 1-5 ms backoff.
    assert!(gap >= Duration::from_millis(950), "waited {gap:?}");
    assert_eq!(
        seen[0].body, seen[1].body,
        "the retry resends the same body"
    );
    assert!(
        seen[1]
            .head
            .starts_with("POST /v2/organizations/get HTTP/1.1"),
        "{}",
        seen[1].head
    );
}

#[tokio::test]
async fn a_429_with_retry_after_via_httpmock() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/get");
            then.status(429)
                .header("retry-after", "0")
                .json_body(json!({"error": {"message": "later"}}));
        })
        .await;
    first.up_to_n_times_async(1).await;
    let second = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/get");
            then.status(200).json_body(common::ok_body("second"));
        })
        .await;
    let client = common::builder(&server)
        .retry(fast_retries())
        .build()
        .unwrap();
    let resp = client
        .organizations()
        .get_organizations(&GetOrganizationsRequest::default())
        .await
        .unwrap();
    assert_eq!(resp.message(), Some("second"));
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
}

#[tokio::test]
async fn a_503_on_a_write_is_not_retried_by_default() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/add");
            then.status(503)
                .json_body(json!({"error": {"message": "unavailable", "status": "UNAVAILABLE"}}));
        })
        .await;
    let client = common::builder(&server)
        .retry(fast_retries())
        .build()
        .unwrap();
    let req = AddOrganizationsRequest {
        organizations: Some(vec![json!({"organizationId": "o"})]),
    };
    let err = client
        .organizations()
        .add_organizations(&req)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(mock.calls_async().await, 1);

    // ... unless writes are opted in.
    let client = common::builder(&server)
        .retry(fast_retries().with_retry_writes(true))
        .build()
        .unwrap();
    let err = client
        .organizations()
        .add_organizations(&req)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(mock.calls_async().await, 1 + 3);
}

#[tokio::test]
async fn reads_are_retried_up_to_max_attempts_on_502_503_504() {
    for status in [502u16, 503, 504] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/v2/organizations/documents/get");
                then.status(status).body("<html>down</html>");
            })
            .await;
        let client = common::builder(&server)
            .retry(fast_retries())
            .build()
            .unwrap();
        let err = client
            .documents()
            .get_documents(&GetDocumentsRequest::default())
            .await
            .unwrap_err();
        assert_eq!(err.http_status(), Some(status));
        assert_eq!(mock.calls_async().await, 3, "status {status}");
    }
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/get");
            then.status(500)
                .json_body(json!({"error": {"message": "internal"}}));
        })
        .await;
    let client = common::builder(&server)
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = client
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/get");
            then.status(503);
        })
        .await;
    let client = common::builder(&server)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn all_services_and_clones_share_one_pooled_connection() {
    let ok = || common::http(200, &[], r#"{"result":{"status":"success"}}"#);
    let server = common::scripted((0..6).map(|_| ok()).collect()).await;
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let clone = client.clone();
    for _ in 0..2 {
        client
            .organizations()
            .get_organizations(&Default::default())
            .await
            .unwrap();
        clone
            .documents()
            .get_documents(&Default::default())
            .await
            .unwrap();
        client.users().get_users(&Default::default()).await.unwrap();
    }
    assert_eq!(server.seen().len(), 6);
    assert_eq!(
        server.connections(),
        1,
        "velt-py opens one connection per call; we reuse one"
    );
}
