//! Error codes of every route, unknown routes and methods, and bad input.

use serde_json::{Value, json};
use velt_server::PROVIDER_ROUTES;

use crate::common::{TOKEN, start};
use crate::err;

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
