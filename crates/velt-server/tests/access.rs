//! Organization-bound static tokens, the token endpoint (`POST /v1/auth/token`)
//! against an httpmock Velt API, and the settings parsing — all over real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use clap::Parser;
use common::{JWT_SECRET, TOKEN, default_auth, jwt, now, start_with};
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_server::access::{AccessArgs, AccessOptions};
use velt_server::{AuthConfig, PROVIDER_ROUTES, ServerOptions, StaticTokens};

fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

fn forbidden() -> (u16, Value) {
    (
        403,
        err(
            403,
            "FORBIDDEN",
            "organizationId does not match the token's organization",
        ),
    )
}

#[tokio::test]
async fn org_bound_static_tokens_are_checked_on_every_route() {
    let tokens = StaticTokens::parse("two-orgs:org-a|org-b, one-org:org-c, any:*, bare").unwrap();
    let s = start_with(ServerOptions::new(
        AuthConfig::default().with_static_tokens(tokens),
    ))
    .await;
    for route in PROVIDER_ROUTES {
        for (token, org) in [
            ("two-orgs", "org-c"),
            ("one-org", "org-a"),
            ("one-org", "org-b"),
        ] {
            for body in [
                json!({"organizationId": org}),
                json!({"metadata": {"organizationId": org}}),
            ] {
                assert_eq!(
                    s.post_as(route, Some(token), &body).await,
                    forbidden(),
                    "{route} {token} {body}"
                );
            }
        }
        // Allowed organizations and unbound tokens pass authentication.
        for (token, org) in [
            ("two-orgs", "org-a"),
            ("two-orgs", "org-b"),
            ("one-org", "org-c"),
            ("any", "org-z"),
            ("bare", "org-z"),
        ] {
            let (status, body) = s
                .post_as(route, Some(token), &json!({"organizationId": org}))
                .await;
            assert!(
                status != 401 && status != 403,
                "{route} {token} {org}: {status} {body}"
            );
        }
    }
    // A write for an organization outside the scope stores nothing.
    let save = |org: &str| {
        json!({
            "commentAnnotation": {"ann-1": {"comments": {"1": {"commentText": org}}}},
            "metadata": {"organizationId": org, "documentId": "doc-1"}
        })
    };
    assert_eq!(
        s.post_as("/v1/comments/save", Some("one-org"), &save("org-a"))
            .await,
        forbidden()
    );
    assert_eq!(
        s.post_as("/v1/comments/save", Some("two-orgs"), &save("org-b"))
            .await
            .0,
        200
    );
    let get = |org: &str| json!({"organizationId": org, "commentAnnotationIds": ["ann-1"]});
    let (_, a) = s
        .post_as("/v1/comments/get", Some("any"), &get("org-a"))
        .await;
    assert_eq!(a["data"], json!({}));
    let (_, b) = s
        .post_as("/v1/comments/get", Some("two-orgs"), &get("org-b"))
        .await;
    assert_eq!(
        b["data"]["ann-1"]["comments"]["1"]["commentText"],
        json!("org-b")
    );
}

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

fn rest_client(api: &MockServer) -> velt_rest::VeltClient {
    velt_rest::VeltClient::builder()
        .api_key("api-key-1")
        .auth_token("auth-token-1")
        .base_url(api.base_url())
        .build()
        .unwrap()
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

// ---------------------------------------------------------------------------
// Settings

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    access: AccessArgs,
}

fn settings(args: &[&str], env: &[(&str, &str)]) -> Result<AuthConfig, String> {
    let cli = Cli::try_parse_from(std::iter::once("velt-server").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    cli.access
        .auth_config(false, |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .map_err(|e| e.to_string())
}

#[test]
fn settings_are_checked_and_errors_name_them() {
    let auth = settings(&[], &[("VELT_SERVER_TOKENS", "a:org-1|org-2,b")]).unwrap();
    assert_eq!(auth.tokens.len(), 2);
    assert!(auth.jwt.is_none());
    for (args, env, expected) in [
        (
            &[][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)",
        ),
        (
            &["--jwt-algorithms", "HS256,none"][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm `none` is never allowed",
        ),
        (
            &["--jwt-algorithms", "HS256,RS256"][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm allowlist must not mix HS* with asymmetric algorithms",
        ),
        (
            &[
                "--jwt-algorithms",
                "RS256",
                "--jwt-jwks-url",
                "https://idp.test/jwks",
            ][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "set only one JWT key: VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
        ),
        (
            &["--jwt-algorithms", "RS256"][..],
            &[][..],
            "VELT_JWT_ALGORITHMS is set but no JWT key: set VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
        ),
        (
            &["--jwt-jwks-ca-file", "/nonexistent"][..],
            &[][..],
            "VELT_JWT_JWKS_CA_FILE is set without VELT_JWT_JWKS_URL",
        ),
        (
            &[][..],
            &[("VELT_SERVER_TOKENS", "ok,secret-value:")][..],
            "VELT_SERVER_TOKENS entry 2: empty organization after `:` (use `*` for any)",
        ),
    ] {
        assert_eq!(settings(args, env).unwrap_err(), expected, "{args:?}");
    }
    let auth = settings(
        &[
            "--jwt-algorithms",
            "RS256,ES256",
            "--jwt-jwks-url",
            "https://idp.test/.well-known/jwks.json",
            "--jwt-required-claims",
            "exp, sub,email",
            "--jwt-issuer",
            "https://idp.test",
        ],
        &[],
    )
    .unwrap();
    let jwt = auth.jwt.unwrap();
    assert_eq!(jwt.required_claims, ["exp", "sub", "email"]);
    assert_eq!(jwt.issuer.as_deref(), Some("https://idp.test"));
    // Building the router checks the key: an HTTP JWKS URL is refused.
    let auth = settings(
        &[
            "--jwt-algorithms",
            "RS256",
            "--jwt-jwks-url",
            "http://idp.test/jwks",
        ],
        &[],
    )
    .unwrap();
    let sh = velt_selfhost::SelfHosting::builder()
        .store(std::sync::Arc::new(
            velt_selfhost::backends::memory::MemoryStore::new(),
        ))
        .build();
    assert_eq!(
        velt_server::router(sh, ServerOptions::new(auth))
            .unwrap_err()
            .to_string(),
        "invalid JWKS URL: only https:// is accepted"
    );
    // Secrets never show in the settings' Debug output.
    let auth = settings(
        &["--jwt-algorithms", "HS256"],
        &[
            ("VELT_JWT_SECRET", "a-secret-of-enough-length"),
            ("VELT_SERVER_TOKENS", "static-secret:org-1"),
        ],
    )
    .unwrap();
    let debug = format!("{auth:?}");
    assert!(
        !debug.contains("a-secret-of-enough-length") && !debug.contains("static-secret"),
        "{debug}"
    );
}

// ---------------------------------------------------------------------------
// Permission provider and its admin routes

async fn permission_server() -> common::TestServer {
    let admin =
        StaticTokens::parse_setting("VELT_ADMIN_TOKENS", "admin-all:*,admin-b:org-b").unwrap();
    let auth = AuthConfig::default()
        .with_tokens([TOKEN])
        .with_token("provider-b", velt_server::OrgScope::only(["org-b"]));
    start_with(ServerOptions::new(auth).access(AccessOptions::default().admin_tokens(admin))).await
}

fn ok_data(data: Value) -> (u16, Value) {
    (
        200,
        json!({"data": data, "success": true, "statusCode": 200}),
    )
}

#[tokio::test]
async fn permission_grants_resolve_over_http() {
    let s = permission_server().await;
    let far = (now() + 3600) * 1000;
    let grants = json!({
        "organizationId": "org-a",
        "grants": [
            {"userId": "u1", "resource": {"type": "folder", "id": "f1"}, "accessRole": "editor", "expiresAt": far},
            {"userId": "u1", "resource": {"type": "document", "id": "d9"}, "accessRole": "viewer"},
            {"userId": "u2", "resource": {"type": "organization", "id": "org-a"}, "accessRole": "viewer"},
            {"userId": "u3", "resource": {"type": "document", "id": "d1"}, "accessRole": "editor", "expiresAt": 1000},
        ]
    });
    assert_eq!(
        s.post_as("/v1/admin/permissions/grant", Some("admin-all"), &grants)
            .await,
        ok_data(json!({"granted": 4}))
    );
    // Velt's request shape, authenticated with the provider token.
    let q = |user: &str, kind: &str, id: &str, parent: Option<&str>| {
        let mut r =
            json!({"id": id, "type": kind, "source": "setDocuments", "organizationId": "org-a"});
        if let Some(p) = parent {
            r["parentFolderId"] = json!(p);
        }
        json!({"userId": user, "resource": r})
    };
    let request = json!({"data": {"requests": [
        q("u1", "document", "d1", Some("f1")),
        q("u1", "document", "d9", None),
        q("u1", "document", "d2", None),
        q("u2", "folder", "f5", None),
        q("u3", "document", "d1", None),
    ]}});
    let r = |user: &str, kind: &str, id: &str, access: Option<(&str, Option<u64>)>| {
        let mut v = json!({"userId": user, "resourceId": id, "organizationId": "org-a", "type": kind, "hasAccess": access.is_some()});
        if let Some((role, exp)) = access {
            v["accessRole"] = json!(role);
            if let Some(e) = exp {
                v["expiresAt"] = json!(e);
            }
        }
        v
    };
    assert_eq!(
        s.post_as("/v1/permissions/resolve", Some(TOKEN), &request)
            .await,
        ok_data(json!([
            r("u1", "document", "d1", Some(("editor", Some(far)))),
            r("u1", "document", "d9", Some(("viewer", None))),
            r("u1", "document", "d2", None),
            r("u2", "folder", "f5", Some(("viewer", None))),
            r("u3", "document", "d1", None),
        ]))
    );
    // The provider route needs the provider token, and an org-bound one
    // cannot ask about another organization.
    assert_eq!(
        s.post_as("/v1/permissions/resolve", None, &request).await,
        (401, err(401, "MISSING_TOKEN", "missing bearer token"))
    );
    assert_eq!(
        s.post_as("/v1/permissions/resolve", Some("provider-b"), &request)
            .await,
        forbidden()
    );
    assert_eq!(
        s.post_as(
            "/v1/permissions/resolve",
            Some(TOKEN),
            &json!({"data": {"requests": [{"userId": "u1"}]}})
        )
        .await
        .0,
        400
    );
    // List and revoke.
    let (status, listed) = s
        .post_as(
            "/v1/admin/permissions/list",
            Some("admin-all"),
            &json!({"organizationId": "org-a", "userId": "u1"}),
        )
        .await;
    assert_eq!(status, 200);
    let mut items = listed["data"].as_array().unwrap().clone();
    items.sort_by_key(|g| g["resource"]["id"].to_string());
    assert_eq!(
        items,
        vec![
            json!({"userId": "u1", "resource": {"type": "document", "id": "d9"}, "accessRole": "viewer"}),
            json!({"userId": "u1", "resource": {"type": "folder", "id": "f1"}, "accessRole": "editor", "expiresAt": far}),
        ]
    );
    assert_eq!(
        s.post_as(
            "/v1/admin/permissions/revoke",
            Some("admin-all"),
            &json!({"organizationId": "org-a", "grants": [
                {"userId": "u1", "resource": {"type": "folder", "id": "f1"}},
                {"userId": "u1", "resource": {"type": "folder", "id": "missing"}}
            ]})
        )
        .await,
        ok_data(json!({"revoked": 1}))
    );
    let (_, after) = s
        .post_as("/v1/permissions/resolve", Some(TOKEN), &request)
        .await;
    assert_eq!(after["data"][0]["hasAccess"], json!(false));
}

#[tokio::test]
async fn permission_admin_routes_need_an_admin_token_for_the_organization() {
    let s = permission_server().await;
    let body = json!({"organizationId": "org-a", "grants": [
        {"userId": "u1", "resource": {"type": "document", "id": "d1"}, "accessRole": "viewer"}
    ]});
    for route in [
        "/v1/admin/permissions/grant",
        "/v1/admin/permissions/revoke",
        "/v1/admin/permissions/list",
    ] {
        let body = if route.ends_with("list") {
            json!({"organizationId": "org-a"})
        } else if route.ends_with("revoke") {
            json!({"organizationId": "org-a", "grants": [{"userId": "u1", "resource": {"type": "document", "id": "d1"}}]})
        } else {
            body.clone()
        };
        assert_eq!(
            s.post_as(route, None, &body).await,
            (401, err(401, "MISSING_TOKEN", "missing bearer token")),
            "{route}"
        );
        // The provider token is not an admin token.
        assert_eq!(
            s.post_as(route, Some(TOKEN), &body).await,
            (401, err(401, "UNAUTHORIZED", "invalid token")),
            "{route}"
        );
        assert_eq!(
            s.post_as(route, Some("admin-b"), &body).await,
            forbidden(),
            "{route}"
        );
    }
    // Bad grants are refused with the field named; nothing is stored.
    let (status, resp) = s
        .post_as(
            "/v1/admin/permissions/grant",
            Some("admin-all"),
            &json!({"organizationId": "org-a", "grants": [
                {"userId": "u1", "resource": {"type": "document", "id": "d1"}, "accessRole": "owner"}
            ]}),
        )
        .await;
    assert_eq!(
        (status, &resp["errorCode"]),
        (400, &json!("VALIDATION_ERROR"))
    );
    assert!(resp["error"].as_str().unwrap().contains("owner"), "{resp}");
    assert_eq!(
        s.post_as(
            "/v1/admin/permissions/list",
            Some("admin-all"),
            &json!({"organizationId": "org-a"})
        )
        .await,
        ok_data(json!([]))
    );
    // Without VELT_ADMIN_TOKENS the admin routes are off.
    let off = start_with(ServerOptions::new(default_auth())).await;
    assert_eq!(
        off.post_as(
            "/v1/admin/permissions/list",
            Some(TOKEN),
            &json!({"organizationId": "org-a"})
        )
        .await,
        (
            503,
            err(
                503,
                "NOT_CONFIGURED",
                "the permission admin routes need VELT_ADMIN_TOKENS"
            )
        )
    );
}

// ---------------------------------------------------------------------------
// The binary reads the settings from its environment

fn binary(dir: &std::path::Path, env: &[(&str, &str)]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "warn");
    for var in [
        "VELT_SERVER_TOKENS",
        "VELT_JWT_SECRET",
        "VELT_JWT_ALGORITHMS",
        "VELT_JWT_JWKS_URL",
        "VELT_JWT_PUBLIC_KEY_FILE",
        "VELT_ADMIN_TOKENS",
        "VELT_API_KEY",
        "VELT_AUTH_TOKEN",
        "VELT_MONGODB_URI",
        "AWS_S3_BUCKET_NAME",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

#[test]
fn the_binary_refuses_bad_access_settings_without_echoing_secrets() {
    for (env, expected, secret) in [
        (
            &[("VELT_SERVER_TOKENS", "fine,super-secret-value:")][..],
            "VELT_SERVER_TOKENS entry 2: empty organization after `:` (use `*` for any)",
            "super-secret-value",
        ),
        (
            &[("VELT_JWT_SECRET", "hmac-secret-value-1234567890")][..],
            "the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)",
            "hmac-secret-value-1234567890",
        ),
        (
            &[
                ("VELT_JWT_SECRET", "-----BEGIN PUBLIC KEY----- hmac-secret"),
                ("VELT_JWT_ALGORITHMS", "HS256"),
            ][..],
            "the JWT HMAC secret looks like a PEM key",
            "hmac-secret",
        ),
        (
            &[
                ("VELT_JWT_JWKS_URL", "http://idp.test/jwks.json"),
                ("VELT_JWT_ALGORITHMS", "RS256"),
            ][..],
            "invalid JWKS URL: only https:// is accepted",
            "idp.test",
        ),
        (
            &[("VELT_ADMIN_TOKENS", "admin-secret:")][..],
            "VELT_ADMIN_TOKENS entry 1: empty organization after `:` (use `*` for any)",
            "admin-secret",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = binary(dir.path(), env).output().unwrap();
        assert!(!out.status.success(), "{env:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{env:?}: {stderr}");
        assert!(!stderr.contains(secret), "{env:?}: {stderr}");
    }
}

#[tokio::test]
async fn the_binary_binds_static_tokens_to_organizations() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = binary(dir.path(), &[("VELT_SERVER_TOKENS", "tok-a:org-a")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("velt-server listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let client = reqwest::Client::new();
    let post = |org: &str| {
        client
            .post(format!("{base}/v1/comments/get"))
            .bearer_auth("tok-a")
            .json(&json!({"organizationId": org, "documentIds": ["d"]}))
            .send()
    };
    let a = post("org-a").await.unwrap();
    assert_eq!(a.status(), 200);
    let b = post("org-b").await.unwrap();
    assert_eq!(b.status(), 403);
    assert_eq!(b.json::<Value>().await.unwrap(), forbidden().1);
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn permission_results_are_signed_when_rest_credentials_are_set() {
    let api = MockServer::start_async().await;
    let expected = json!([
        {"userId": "u1", "resourceId": "d1", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "editor"},
        {"userId": "u2", "resourceId": "d1", "organizationId": "org-a", "type": "document", "hasAccess": false},
    ]);
    let sign = api
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/auth/generate_signature")
                .header("x-velt-api-key", "api-key-1")
                .header("x-velt-auth-token", "auth-token-1")
                .json_body(json!({"data": {"permissions": expected}}));
            then.status(200).json_body(
                json!({"result": {"status": "success", "data": {"signature": "sig-0123"}}}),
            );
        })
        .await;
    let admin = StaticTokens::parse_setting("VELT_ADMIN_TOKENS", "admin-all:*").unwrap();
    let s = start_with(
        ServerOptions::new(default_auth()).access(
            AccessOptions::default()
                .admin_tokens(admin)
                .rest(rest_client(&api)),
        ),
    )
    .await;
    assert_eq!(
        s.post_as(
            "/v1/admin/permissions/grant",
            Some("admin-all"),
            &json!({"organizationId": "org-a", "grants": [
                {"userId": "u1", "resource": {"type": "organization", "id": "org-a"}, "accessRole": "editor"}
            ]})
        )
        .await
        .0,
        200
    );
    let q = |user: &str| json!({"userId": user, "resource": {"id": "d1", "type": "document", "source": "identify", "organizationId": "org-a"}});
    let request = json!({"data": {"requests": [q("u1"), q("u2")]}});
    assert_eq!(
        s.post_as("/v1/permissions/resolve", Some(TOKEN), &request)
            .await,
        (
            200,
            json!({"data": expected, "success": true, "statusCode": 200, "signature": "sig-0123"})
        )
    );
    assert_eq!(sign.calls_async().await, 1);
    // The signing call failing fails the answer (no unsigned results).
    sign.delete_async().await;
    api.mock_async(|when, then| {
        when.method(POST).path("/v2/auth/generate_signature");
        then.status(401)
            .json_body(json!({"error": {"status": "UNAUTHENTICATED", "message": "bad token"}}));
    })
    .await;
    let (status, body) = s
        .post_as("/v1/permissions/resolve", Some(TOKEN), &request)
        .await;
    assert_eq!(
        (status, &body["errorCode"]),
        (502, &json!("VELT_API_ERROR")),
        "{body}"
    );
}
