//! The permission provider and its admin routes over real HTTP (the
//! signature against an httpmock Velt API).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_common;
mod common;

use access_common::{err, forbidden, ok_data, rest_client};
use common::{TOKEN, default_auth, now, start_with};
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use velt_server::access::AccessOptions;
use velt_server::{AuthConfig, ServerOptions, StaticTokens};

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
async fn group_grants_resolve_for_members_over_http() {
    let s = permission_server().await;
    let admin = |route: &str, body: serde_json::Value| {
        let s = &s;
        let route = route.to_owned();
        async move { s.post_as(&route, Some("admin-all"), &body).await }
    };
    assert_eq!(
        admin(
            "/v1/admin/permissions/grant",
            json!({"organizationId": "org-a", "grants": [
                {"groupId": "design", "resource": {"type": "folder", "id": "f1"}, "accessRole": "editor"},
                {"userId": "u2", "resource": {"type": "document", "id": "d1"}, "accessRole": "viewer"}
            ]})
        )
        .await,
        ok_data(json!({"granted": 2}))
    );
    assert_eq!(
        admin(
            "/v1/admin/permissions/members/add",
            json!({"organizationId": "org-a", "groupId": "design", "userIds": ["u1", "u3"]})
        )
        .await,
        ok_data(json!({"added": 2}))
    );
    assert_eq!(
        admin(
            "/v1/admin/permissions/members/list",
            json!({"organizationId": "org-a", "groupId": "design"})
        )
        .await,
        ok_data(json!(["u1", "u3"]))
    );
    let request = json!({"data": {"requests": [
        {"userId": "u1", "resource": {"id": "d1", "type": "document", "source": "setDocuments", "organizationId": "org-a", "parentFolderId": "f1"}},
        {"userId": "u2", "resource": {"id": "d1", "type": "document", "source": "setDocuments", "organizationId": "org-a", "parentFolderId": "f1"}},
        {"userId": "u3", "resource": {"id": "f1", "type": "folder", "source": "setDocuments", "organizationId": "org-a"}},
    ]}});
    assert_eq!(
        s.post_as("/v1/permissions/resolve", Some(TOKEN), &request)
            .await,
        ok_data(json!([
            {"userId": "u1", "resourceId": "d1", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "editor"},
            {"userId": "u2", "resourceId": "d1", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "viewer"},
            {"userId": "u3", "resourceId": "f1", "organizationId": "org-a", "type": "folder", "hasAccess": true, "accessRole": "editor"},
        ]))
    );
    // A group's grants are listed by groupId; userId and groupId together are refused.
    assert_eq!(
        admin(
            "/v1/admin/permissions/list",
            json!({"organizationId": "org-a", "groupId": "design"})
        )
        .await,
        ok_data(json!([
            {"groupId": "design", "resource": {"type": "folder", "id": "f1"}, "accessRole": "editor"}
        ]))
    );
    let (status, resp) = admin(
        "/v1/admin/permissions/list",
        json!({"organizationId": "org-a", "groupId": "design", "userId": "u1"}),
    )
    .await;
    assert_eq!(
        (status, resp),
        (
            400,
            err(
                400,
                "VALIDATION_ERROR",
                "a grant names either userId or groupId, not both"
            )
        )
    );
    let (status, resp) = admin(
        "/v1/admin/permissions/grant",
        json!({"organizationId": "org-a", "grants": [
            {"resource": {"type": "folder", "id": "f1"}, "accessRole": "editor"}
        ]}),
    )
    .await;
    assert_eq!(
        (status, &resp["errorCode"]),
        (400, &json!("VALIDATION_ERROR"))
    );
    assert!(
        resp["error"]
            .as_str()
            .unwrap()
            .contains("a grant needs userId or groupId"),
        "{resp}"
    );
    // Removing u1 from the group takes its access away; u3 keeps it.
    assert_eq!(
        admin(
            "/v1/admin/permissions/members/remove",
            json!({"organizationId": "org-a", "groupId": "design", "userIds": ["u1"]})
        )
        .await,
        ok_data(json!({"removed": 1}))
    );
    let (_, after) = s
        .post_as("/v1/permissions/resolve", Some(TOKEN), &request)
        .await;
    assert_eq!(
        (
            &after["data"][0]["hasAccess"],
            &after["data"][2]["hasAccess"]
        ),
        (&json!(false), &json!(true))
    );
    // The member routes need an admin token for the organization.
    let members = json!({"organizationId": "org-a", "groupId": "design", "userIds": ["u9"]});
    assert_eq!(
        s.post_as("/v1/admin/permissions/members/add", Some(TOKEN), &members)
            .await,
        (401, err(401, "UNAUTHORIZED", "invalid token"))
    );
    assert_eq!(
        s.post_as(
            "/v1/admin/permissions/members/add",
            Some("admin-b"),
            &members
        )
        .await,
        forbidden()
    );
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
