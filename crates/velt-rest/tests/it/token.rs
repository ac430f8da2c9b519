//! The token call: velt-py's body, checks, results and error codes.
//!
//! `get_token` / `get_token_for` are deprecated (as velt-py 0.3.0 deprecates
//! `getToken`); these tests prove the deprecated path still works.
#![allow(deprecated)]

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_models::rest::{GetTokenRequest, TokenUserProperties};
use velt_rest::{Error, TokenErrorCode, VeltClient};

use crate::common::{self, API_KEY, AUTH_TOKEN};

#[tokio::test]
async fn success_sends_velt_py_body_and_headers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/auth/token/get")
                .header("content-type", "application/json")
                .header("x-velt-api-key", API_KEY)
                .header("x-velt-auth-token", AUTH_TOKEN)
                .header_missing("x-velt-workspace-id")
                .json_body(json!({"data": {"userId": "u1", "userProperties": {"organizationId": "o1", "email": "a@b.c", "isAdmin": false}}}));
            then.status(200).json_body(json!({"result": {"status": "success", "data": {"token": "jwt"}}}));
        })
        .await;
    // A workspace id is configured, yet not sent (velt-py never sends it here).
    let client = common::client(&server);
    let res = client
        .token()
        .get_token("o1", "u1", Some("a@b.c"), Some(false))
        .await
        .unwrap();
    assert!(res.is_success());
    assert_eq!(res.token(), Some("jwt"));
    assert_eq!(
        serde_json::to_value(&res).unwrap(),
        json!({"success": true, "data": {"token": "jwt"}})
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn empty_email_and_unset_is_admin_are_not_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/auth/token/get").json_body(
                json!({"data": {"userId": "u1", "userProperties": {"organizationId": "o1"}}}),
            );
            then.status(200)
                .json_body(json!({"result": {"data": {"token": "jwt"}}}));
        })
        .await;
    let client = common::client(&server);
    let res = client
        .token()
        .get_token("o1", "u1", Some(""), None)
        .await
        .unwrap();
    assert_eq!(res.token(), Some("jwt"));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn get_token_for_sends_velt_py_0_3_body_with_name_and_permissions() {
    let server = MockServer::start_async().await;
    let permissions =
        json!({"resources": [{"type": "document", "id": "d1", "accessRole": "editor"}]});
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/auth/token/get")
                .header("x-velt-api-key", API_KEY)
                .header("x-velt-auth-token", AUTH_TOKEN)
                .header_missing("x-velt-workspace-id")
                .json_body(json!({"data": {
                    "userId": "u1",
                    "userProperties": {"organizationId": "o1", "isAdmin": true, "name": "Ann"},
                    "permissions": permissions.clone()
                }}));
            then.status(200)
                .json_body(json!({"result": {"data": {"token": "jwt-2"}}}));
        })
        .await;
    let client = common::client(&server);
    let req = GetTokenRequest {
        user_id: "u1".into(),
        user_properties: TokenUserProperties {
            organization_id: "o1".into(),
            // Empty email: left out, as velt-py's `if email:` does.
            email: Some(String::new()),
            is_admin: Some(true),
            name: Some("Ann".into()),
        },
        permissions: Some(permissions.clone()),
    };
    let res = client.token().get_token_for(&req).await.unwrap();
    assert_eq!(
        serde_json::to_value(&res).unwrap(),
        json!({"success": true, "data": {"token": "jwt-2"}})
    );
    assert_eq!(mock.calls_async().await, 1);

    // Same checks as get_token, in the same order, nothing sent.
    let mut bad = req.clone();
    bad.user_properties.organization_id.clear();
    bad.user_id.clear();
    let err = client.token().get_token_for(&bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { message } if message == "organizationId must be a non-empty string"),
        "{err:?}"
    );
    bad.user_properties.organization_id = "o1".into();
    assert_eq!(
        serde_json::to_value(client.token().get_token_for(&bad).await.unwrap()).unwrap(),
        json!({"success": false, "error": "userId is required", "errorCode": "INVALID_INPUT"})
    );
    assert_eq!(mock.calls_async().await, 1);
}

async fn failure(client: &VeltClient, org: &str, user: &str) -> Value {
    let res = client
        .token()
        .get_token(org, user, None, None)
        .await
        .unwrap();
    assert!(!res.is_success());
    serde_json::to_value(&res).unwrap()
}

#[tokio::test]
async fn input_and_config_checks_come_first_and_send_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;

    let client = common::client(&server);
    let err = client
        .token()
        .get_token("", "u", None, None)
        .await
        .unwrap_err();
    let Error::InvalidRequest { message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "organizationId must be a non-empty string");

    assert_eq!(
        failure(&client, "o", "").await,
        json!({"success": false, "error": "userId is required", "errorCode": "INVALID_INPUT"})
    );

    // The auth token is checked before the API key, as in velt-py.
    let none = VeltClient::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    assert_eq!(
        failure(&none, "o", "u").await,
        json!({"success": false, "error": "Velt auth token is required. Set it in config or VELT_AUTH_TOKEN environment variable", "errorCode": "CONFIG_ERROR"})
    );
    let no_key = VeltClient::builder()
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .build()
        .unwrap();
    assert_eq!(
        failure(&no_key, "o", "u").await,
        json!({"success": false, "error": "Velt API key is required. Set it in config or VELT_API_KEY environment variable", "errorCode": "CONFIG_ERROR"})
    );
    assert_eq!(mock.calls_async().await, 0);
}

async fn answered(status: u16, body: &str) -> Result<Value, Error> {
    let server = MockServer::start_async().await;
    let body = body.to_owned();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/auth/token/get");
            then.status(status).body(body);
        })
        .await;
    let client = common::client(&server);
    let res = client.token().get_token("o", "u", None, None).await?;
    Ok(serde_json::to_value(&res).unwrap())
}

fn api_error(message: &str) -> Value {
    json!({"success": false, "error": format!("Velt API error: {message}"), "errorCode": "VELT_API_ERROR"})
}

#[tokio::test]
async fn api_errors_become_velt_api_error() {
    assert_eq!(
        answered(
            401,
            r#"{"error":{"message":"Invalid auth token","status":"UNAUTHENTICATED"}}"#
        )
        .await
        .unwrap(),
        api_error("Invalid auth token")
    );
    assert_eq!(
        answered(500, "").await.unwrap(),
        api_error("Failed to generate token")
    );
    assert_eq!(
        answered(400, r#"{"error":{}}"#).await.unwrap(),
        api_error("Failed to generate token")
    );
    assert_eq!(
        answered(400, r#"{"error":"plain"}"#).await.unwrap(),
        api_error("plain")
    );
}

#[tokio::test]
async fn a_response_without_token_is_no_token() {
    let no_token = json!({"success": false, "error": "No token received from Velt API", "errorCode": "NO_TOKEN"});
    for body in [
        r#"{"result":{"data":{}}}"#,
        r#"{"result":{"data":{"token":""}}}"#,
        "{}",
        "",
    ] {
        assert_eq!(answered(200, body).await.unwrap(), no_token, "{body:?}");
    }
}

#[tokio::test]
async fn transport_failures_are_typed_errors() {
    let err = answered(200, "<html>").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    let addr = common::refused_addr().await;
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(format!("http://{addr}"))
        .retry(velt_rest::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .token()
        .get_token("o", "u", None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { .. }), "{err:?}");
}

#[test]
fn error_codes_have_velt_py_names() {
    let all = [
        (TokenErrorCode::InvalidInput, "INVALID_INPUT"),
        (TokenErrorCode::ConfigError, "CONFIG_ERROR"),
        (TokenErrorCode::VeltApiError, "VELT_API_ERROR"),
        (TokenErrorCode::NoToken, "NO_TOKEN"),
    ];
    for (code, name) in all {
        assert_eq!(code.as_str(), name);
        assert_eq!(serde_json::to_value(code).unwrap(), json!(name));
    }
}
