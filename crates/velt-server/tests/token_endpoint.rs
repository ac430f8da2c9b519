//! `POST /v1/auth/token` over real HTTP against an httpmock Velt API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_common;
mod common;

use access_common::{err, forbidden, rest_client};
use common::{JWT_SECRET, TOKEN, default_auth, jwt, now, start_with};
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_server::ServerOptions;
use velt_server::access::AccessOptions;

// ---------------------------------------------------------------------------
// POST /v1/auth/token

/// A Velt-issued token (any JWT) expiring at `exp`.
fn velt_token(user: &str, exp: u64) -> String {
    jwt(&json!({"userId": user, "exp": exp}), "velt-side-secret")
}

fn user_jwt(extra: Value) -> String {
    let mut c = json!({
        "iss": "velt-test", "aud": "velt-server", "exp": now() + 600,
        "sub": "u1", "organizationId": "org-a", "email": "u1@example.com", "name": "User One"
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    jwt(&c, JWT_SECRET)
}

async fn token_server(api: Option<&MockServer>) -> common::TestServer {
    let mut access = AccessOptions::default();
    if let Some(api) = api {
        access = access.rest(rest_client(api));
    }
    start_with(ServerOptions::new(default_auth()).access(access)).await
}

async fn mock_generate(
    api: &MockServer,
    expected_data: Value,
    answer_status: u16,
    answer: Value,
) -> httpmock::Mock<'_> {
    api.mock_async(move |when, then| {
        when.method(POST)
            .path("/v2/auth/generate_token")
            .header("x-velt-api-key", "api-key-1")
            .header("x-velt-auth-token", "auth-token-1")
            .json_body(json!({"data": expected_data}));
        then.status(answer_status).json_body(answer);
    })
    .await
}

fn minted(token: &str) -> Value {
    json!({"result": {"status": "success", "message": "Token generated successfully.", "data": {"token": token}}})
}

#[tokio::test]
async fn token_endpoint_mints_for_the_jwt_identity_and_caches_it() {
    let api = MockServer::start_async().await;
    let exp = now() + 3600;
    let t1 = velt_token("u1", exp);
    let m1 = mock_generate(
        &api,
        json!({"userId": "u1", "userProperties": {"email": "u1@example.com", "name": "User One"}, "permissions": {"resources": [{"type": "organization", "id": "org-a"}]}}),
        200,
        minted(&t1),
    )
    .await;
    let s = token_server(Some(&api)).await;
    let expected = (
        200,
        json!({"success": true, "statusCode": 200, "data": {"token": t1, "expiresAt": exp * 1000}}),
    );
    let me = user_jwt(json!({}));
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&me), Vec::new()).await,
        expected
    );
    assert_eq!(
        s.post_as(
            "/v1/auth/token",
            Some(&me),
            &json!({"organizationId": "org-a"})
        )
        .await,
        expected
    );
    assert_eq!(
        m1.calls_async().await,
        1,
        "the second answer came from the cache"
    );
    // Another user is minted separately; no e-mail/name claims → none sent.
    let t2 = velt_token("u2", exp);
    let m2 = mock_generate(
        &api,
        json!({"userId": "u2", "userProperties": {}, "permissions": {"resources": [{"type": "organization", "id": "org-a"}]}}),
        200,
        minted(&t2),
    )
    .await;
    let u2 = user_jwt(json!({"sub": "u2", "email": null, "name": null}));
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&u2), Vec::new()).await.1["data"]["token"],
        json!(t2)
    );
    assert_eq!(m2.calls_async().await, 1);
    // Another organization than the token's is refused without an API call.
    assert_eq!(
        s.post_as(
            "/v1/auth/token",
            Some(&me),
            &json!({"organizationId": "org-b"})
        )
        .await,
        forbidden()
    );
    assert_eq!(m1.calls_async().await, 1);
}

#[tokio::test]
async fn tokens_expiring_within_the_margin_are_not_cached() {
    let api = MockServer::start_async().await;
    let exp = now() + 60;
    let m = mock_generate(
        &api,
        json!({"userId": "u1", "userProperties": {"email": "u1@example.com", "name": "User One"}, "permissions": {"resources": [{"type": "organization", "id": "org-a"}]}}),
        200,
        minted(&velt_token("u1", exp)),
    )
    .await;
    let s = token_server(Some(&api)).await;
    let me = user_jwt(json!({}));
    for _ in 0..2 {
        let (status, body) = s.post_raw("/v1/auth/token", Some(&me), Vec::new()).await;
        assert_eq!(
            (status, &body["data"]["expiresAt"]),
            (200, &json!(exp * 1000))
        );
    }
    assert_eq!(m.calls_async().await, 2);
}

#[tokio::test]
async fn a_jwt_without_organization_claim_names_it_in_the_body() {
    let api = MockServer::start_async().await;
    let t = velt_token("u1", now() + 3600);
    let m = mock_generate(
        &api,
        json!({"userId": "u1", "userProperties": {"email": "u1@example.com", "name": "User One"}, "permissions": {"resources": [{"type": "organization", "id": "org-z"}]}}),
        200,
        minted(&t),
    )
    .await;
    let s = token_server(Some(&api)).await;
    let no_org = user_jwt(json!({"organizationId": null}));
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&no_org), Vec::new())
            .await,
        (
            400,
            err(
                400,
                "INVALID_INPUT",
                "organizationId is required (the token's organization claim or the body's organizationId)"
            )
        )
    );
    let (status, body) = s
        .post_as(
            "/v1/auth/token",
            Some(&no_org),
            &json!({"organizationId": "org-z"}),
        )
        .await;
    assert_eq!((status, &body["data"]["token"]), (200, &json!(t)));
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn token_endpoint_refusals() {
    // Without REST credentials: refused, naming the settings.
    let s = token_server(None).await;
    let me = user_jwt(json!({}));
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&me), Vec::new()).await,
        (
            503,
            err(
                503,
                "NOT_CONFIGURED",
                "the token endpoint needs Velt REST credentials: set VELT_API_KEY and VELT_AUTH_TOKEN (VELT_API_BASE_URL overrides the API's URL)"
            )
        )
    );
    let api = MockServer::start_async().await;
    let s = token_server(Some(&api)).await;
    assert_eq!(
        s.post_raw("/v1/auth/token", None, Vec::new()).await,
        (401, err(401, "MISSING_TOKEN", "missing bearer token"))
    );
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(TOKEN), Vec::new()).await,
        (
            403,
            err(
                403,
                "JWT_REQUIRED",
                "the token endpoint needs the user's JWT (a static token names no user)"
            )
        )
    );
    assert_eq!(
        s.post_raw(
            "/v1/auth/token",
            Some(&user_jwt(json!({"sub": null}))),
            Vec::new()
        )
        .await,
        (
            401,
            err(401, "CLAIM_MISMATCH", "token claims do not match (sub)")
        )
    );
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&me), b"[1]".to_vec())
            .await,
        (
            400,
            err(
                400,
                "VALIDATION_ERROR",
                "request body must be a JSON object"
            )
        )
    );
    // The Velt API refusing, or answering without a token.
    let refused = api
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/auth/generate_token")
                .json_body_includes(r#"{"data": {"userId": "u1"}}"#);
            then.status(403).json_body(
                json!({"error": {"status": "PERMISSION_DENIED", "message": "bad auth token"}}),
            );
        })
        .await;
    let (status, body) = s.post_raw("/v1/auth/token", Some(&me), Vec::new()).await;
    assert_eq!(
        (status, &body["errorCode"]),
        (502, &json!("VELT_API_ERROR")),
        "{body}"
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Velt API error: "),
        "{body}"
    );
    assert!(!body.to_string().contains("auth-token-1"), "{body}");
    assert_eq!(refused.calls_async().await, 1);
    let empty = mock_generate(
        &api,
        json!({"userId": "u3", "userProperties": {}, "permissions": {"resources": [{"type": "organization", "id": "org-a"}]}}),
        200,
        json!({"result": {"status": "success", "data": {}}}),
    )
    .await;
    let u3 = user_jwt(json!({"sub": "u3", "email": null, "name": null}));
    assert_eq!(
        s.post_raw("/v1/auth/token", Some(&u3), Vec::new()).await,
        (
            502,
            err(502, "NO_TOKEN", "no token received from the Velt API")
        )
    );
    assert_eq!(empty.calls_async().await, 1);
}
