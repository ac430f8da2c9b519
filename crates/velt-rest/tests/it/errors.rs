//! Error paths: API errors, undecodable bodies, empty bodies, network
//! failures, deadlines, missing credentials.

use std::time::{Duration, Instant};

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_models::rest::{AddOrganizationsRequest, GetOrganizationsRequest};
use velt_rest::{Error, RetryPolicy, VeltClient};

use crate::common::{self, API_KEY, AUTH_TOKEN};

fn add_req() -> AddOrganizationsRequest {
    AddOrganizationsRequest {
        organizations: Some(vec![json!({"organizationId": "o1"})]),
    }
}

async fn answer(status: u16, body: &str) -> (MockServer, VeltClient) {
    let server = MockServer::start_async().await;
    let body = body.to_owned();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/add");
            then.status(status).body(body);
        })
        .await;
    let client = common::client(&server);
    (server, client)
}

#[tokio::test]
async fn error_json_on_4xx_is_an_api_error() {
    let body = r#"{"error":{"message":"organizations is required","status":"INVALID_ARGUMENT","details":{"f":1}}}"#;
    let (_s, client) = answer(400, body).await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(400));
    assert!(!err.is_retryable());
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.http_status, 400);
    assert_eq!(api.status.as_deref(), Some("INVALID_ARGUMENT"));
    assert_eq!(api.message.as_deref(), Some("organizations is required"));
    assert_eq!(api.body, serde_json::from_str::<Value>(body).unwrap());
    assert_eq!(api.details(), Some(&json!({"f": 1})));
    assert_eq!(
        err.to_string(),
        "Velt API error (HTTP 400, INVALID_ARGUMENT): organizations is required"
    );
}

#[tokio::test]
async fn error_json_on_5xx_is_an_api_error() {
    let (_s, client) = answer(500, r#"{"error":{"message":"boom","status":"INTERNAL"}}"#).await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(
        (
            api.http_status,
            api.status.as_deref(),
            api.message.as_deref()
        ),
        (500, Some("INTERNAL"), Some("boom"))
    );
}

#[tokio::test]
async fn error_envelope_on_200_is_an_api_error() {
    // velt-py returns this as data; here it is an error, status kept.
    let (_s, client) = answer(
        200,
        r#"{"error":{"message":"Skipped existing domains.","status":"INTERNAL"}}"#,
    )
    .await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.http_status, 200);
    assert_eq!(api.status.as_deref(), Some("INTERNAL"));
    assert_eq!(api.message.as_deref(), Some("Skipped existing domains."));
}

#[tokio::test]
async fn html_on_200_is_a_decode_error_with_the_body() {
    let (_s, client) = answer(200, "<html>gateway</html>").await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let Error::Decode {
        http_status, body, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*http_status, 200);
    assert_eq!(body, "<html>gateway</html>");
    assert!(
        err.to_string()
            .starts_with("response body is not JSON (HTTP 200)"),
        "{err}"
    );
}

#[tokio::test]
async fn html_on_502_is_an_api_error_with_the_raw_body() {
    let (server, client) = answer(502, "<html>bad gateway</html>").await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.http_status, 502);
    assert_eq!(api.message, None);
    assert_eq!(api.body, json!("<html>bad gateway</html>"));
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "Velt API error (HTTP 502): Bad Gateway");
    drop(server);
}

#[tokio::test]
async fn empty_2xx_body_is_an_empty_object() {
    for status in [200, 204] {
        let (_s, client) = answer(status, "").await;
        let resp = client
            .organizations()
            .add_organizations(&add_req())
            .await
            .unwrap();
        assert_eq!(resp.http_status(), status);
        assert_eq!(resp.json(), &json!({}));
        assert_eq!(resp.status(), None);
    }
}

#[tokio::test]
async fn empty_error_body_is_an_api_error_with_null_body() {
    let (_s, client) = answer(404, "").await;
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!((api.http_status, &api.body), (404, &Value::Null));
}

#[tokio::test]
async fn non_object_json_is_returned_as_is() {
    let (_s, client) = answer(200, "[1, 2]").await;
    let resp = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap();
    assert_eq!(resp.into_json(), json!([1, 2]));
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    let addr = common::refused_addr().await;
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(err.http_status(), None);
    assert!(err.to_string().starts_with("network error:"), "{err}");
}

#[tokio::test]
async fn a_silent_server_ends_at_the_deadline() {
    let addr = common::silent_server().await;
    let deadline = Duration::from_millis(400);
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(format!("http://{addr}"))
        .timeout(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    // A write: not retried, so the call ends at the first deadline.
    let err = client
        .organizations()
        .add_organizations(&add_req())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(!err.is_retryable());
    let Error::Timeout { timeout, .. } = err else {
        unreachable!()
    };
    assert_eq!(timeout, deadline);
    assert!(elapsed >= deadline, "{elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(20),
        "the call must end near its deadline: {elapsed:?}"
    );
}

#[tokio::test]
async fn the_default_deadline_is_finite() {
    let client = VeltClient::builder().build().unwrap();
    assert_eq!(client.timeout(), Duration::from_secs(30));
}

async fn missing(client: VeltClient, server: &MockServer) -> Error {
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    let err = client
        .organizations()
        .get_organizations(&GetOrganizationsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 0, "nothing may be sent");
    mock.delete_async().await;
    err
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = MockServer::start_async().await;
    let base = server.base_url();

    let err = missing(
        VeltClient::builder()
            .auth_token(AUTH_TOKEN)
            .base_url(&base)
            .build()
            .unwrap(),
        &server,
    )
    .await;
    assert!(
        matches!(
            err,
            Error::MissingCredential {
                setting: "api_key",
                env_var: "VELT_API_KEY"
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("`api_key`") && err.to_string().contains("VELT_API_KEY"),
        "{err}"
    );

    let err = missing(
        VeltClient::builder()
            .api_key(API_KEY)
            .base_url(&base)
            .build()
            .unwrap(),
        &server,
    )
    .await;
    assert!(
        matches!(
            err,
            Error::MissingCredential {
                setting: "auth_token",
                env_var: "VELT_AUTH_TOKEN"
            }
        ),
        "{err:?}"
    );

    // An empty value counts as missing.
    let err = missing(
        VeltClient::builder()
            .api_key(API_KEY)
            .auth_token("")
            .base_url(&base)
            .build()
            .unwrap(),
        &server,
    )
    .await;
    assert!(err.is_missing_credential(), "{err:?}");

    // call_endpoint checks too.
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = VeltClient::builder().base_url(&base).build().unwrap();
    let ep = velt_rest::Endpoint::find("organizations", "getOrganizations").unwrap();
    let err = client.call_endpoint(ep, json!({})).await.unwrap_err();
    assert!(err.is_missing_credential());
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn workspace_level_calls_need_the_workspace_credentials() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    // Normal credentials are not enough: the workspace auth token is never replaced by the auth token.
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .workspace_id("w")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client
        .workspace()
        .get_workspace(&Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingCredential {
                setting: "workspace_auth_token",
                env_var: "VELT_WORKSPACE_AUTH_TOKEN"
            }
        ),
        "{err:?}"
    );
    let client = VeltClient::builder()
        .workspace_auth_token("t")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client
        .workspace()
        .get_api_keys(&Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingCredential {
                setting: "workspace_id",
                env_var: "VELT_WORKSPACE_ID"
            }
        ),
        "{err:?}"
    );
    assert_eq!(mock.calls_async().await, 0);

    // createWorkspace is public: it goes out with no credential at all.
    let client = VeltClient::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    client
        .workspace()
        .create_workspace(&Default::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}
