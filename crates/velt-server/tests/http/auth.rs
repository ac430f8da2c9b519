//! Authentication and isolation.

use serde_json::{Value, json};
use velt_server::{Algorithm, AuthConfig, JwtConfig, JwtKey, PROVIDER_ROUTES, ServerOptions};

use crate::common::{JWT_SECRET, TOKEN, jwt, now, start, start_with};
use crate::{data, err, ok, upload};

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
    let key = include_str!("../fixtures/rs256-test-only.key.pem");
    let public = include_str!("../fixtures/rs256-test-only.pub.pem");
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
