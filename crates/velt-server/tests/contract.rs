//! The frontend contract over real HTTP: every request shape Velt's browser
//! SDK sends (`@veltdev/types` 6.0.6), one JSON fixture per case under
//! `tests/fixtures/frontend/`, named `<RequestType>.<variant>.json` after the
//! type it instantiates. Each case runs on a fresh server (SQLite file and
//! attachment directory) and asserts the exact status and body, the same
//! answer again when repeated, the exact records read back, stored files,
//! and the `event` recorded in the request's tracing span. Further tests
//! cover every event value, CORS preflights (with and without credentials)
//! and the startup refusal of `*` with credentials.
//!
//! Fixture fields: `description`; `route` (default: from the type name);
//! `auth` (`"static"` (default), `{"jwtOrganization": "org"}` or
//! `"jwt-without-organization"`); `contentType` (default
//! `application/json`; `null` sends none); `setup` (requests sent first:
//! `{route, body}`); `request` (the body); `file` (`{name, mimeType,
//! content}`: sends `multipart/form-data` with `file` and `request` parts);
//! `repeat` (send the request twice, same answer expected); `expect`
//! (`{status, body}`); `readBack` (`[{route, body, expect}]`). In expected
//! bodies the string `"$fileUrl"` matches a URL of the server's file route;
//! every such URL is then fetched and must serve the uploaded file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod contract_parts;

use std::path::PathBuf;

use common::{JWT_SECRET, TOKEN, TestServer, jwt, now, start};
use contract_parts::capture::{init_tracing, new_request_id, traced};
use serde_json::{Value, json};
use velt_server::FILES_ROUTE;

// ---------------------------------------------------------------------------
// Fixtures.

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frontend")
}

/// The route a request type is sent to.
fn route_of(type_name: &str) -> &'static str {
    match type_name {
        "GetCommentResolverRequest" => "/v1/comments/get",
        "SaveCommentResolverRequest" => "/v1/comments/save",
        "DeleteCommentResolverRequest" => "/v1/comments/delete",
        "GetReactionResolverRequest" => "/v1/reactions/get",
        "SaveReactionResolverRequest" => "/v1/reactions/save",
        "DeleteReactionResolverRequest" => "/v1/reactions/delete",
        "GetUserResolverRequest" => "/v1/users/get",
        "ResolveUserIdsByEmailRequest" => "/v1/users/resolve-by-email",
        "SaveAttachmentResolverRequest" => "/v1/attachments/save",
        "DeleteAttachmentResolverRequest" => "/v1/attachments/delete",
        "GetRecorderResolverRequest" => "/v1/recorders/get",
        "SaveRecorderResolverRequest" => "/v1/recorders/save",
        "DeleteRecorderResolverRequest" => "/v1/recorders/delete",
        "GetNotificationResolverRequest" => "/v1/notifications/get",
        "DeleteNotificationResolverRequest" => "/v1/notifications/delete",
        "GetActivityResolverRequest" => "/v1/activities/get",
        "SaveActivityResolverRequest" => "/v1/activities/save",
        other => panic!("fixture for unknown request type {other:?}"),
    }
}

struct Sent {
    status: u16,
    body: Value,
    request_id: String,
}

async fn send(
    s: &TestServer,
    route: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: &Value,
    file: Option<&Value>,
) -> Sent {
    let request_id = new_request_id();
    let mut req = s
        .client
        .post(s.url(route))
        .header("x-request-id", &request_id);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match file {
        Some(f) => {
            let part =
                reqwest::multipart::Part::bytes(f["content"].as_str().unwrap().as_bytes().to_vec())
                    .file_name(f["name"].as_str().unwrap().to_owned())
                    .mime_str(f["mimeType"].as_str().unwrap())
                    .unwrap();
            let form = reqwest::multipart::Form::new()
                .part("file", part)
                .text("request", body.to_string());
            req.multipart(form)
        }
        None => {
            let req = match content_type {
                Some(ct) => req.header("content-type", ct),
                None => req,
            };
            req.body(body.to_string())
        }
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("non-JSON answer ({status}) {text:?}: {e}"));
    Sent {
        status,
        body,
        request_id,
    }
}

/// Compares `actual` with `expected` exactly, except that the string
/// `"$fileUrl"` in `expected` matches a URL of the server's file route
/// (collected into `urls`).
fn matches(expected: &Value, actual: &Value, base: &str, urls: &mut Vec<String>) -> bool {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) if e == "$fileUrl" => {
            let ok = a.starts_with(&format!("{base}{FILES_ROUTE}"));
            if ok {
                urls.push(a.clone());
            }
            ok
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, ev)| a.get(k).is_some_and(|av| matches(ev, av, base, urls)))
        }
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| matches(ev, av, base, urls))
        }
        (e, a) => e == a,
    }
}

fn assert_answer(
    case: &str,
    step: &str,
    sent: &Sent,
    expect: &Value,
    base: &str,
    urls: &mut Vec<String>,
) {
    let status = expect["status"].as_u64().unwrap() as u16;
    assert_eq!(
        sent.status, status,
        "{case} {step}: status; body {}",
        sent.body
    );
    assert!(
        matches(&expect["body"], &sent.body, base, urls),
        "{case} {step}: body\n  expected {}\n  actual   {}",
        expect["body"],
        sent.body
    );
    // The resolver envelope Velt checks: success and a numeric statusCode.
    assert_eq!(sent.body["statusCode"], json!(status), "{case} {step}");
    assert_eq!(sent.body["success"], json!(status == 200), "{case} {step}");
}

async fn run_fixture(name: &str, fixture: &Value) {
    let type_name = name.split('.').next().unwrap();
    let route = fixture
        .get("route")
        .and_then(Value::as_str)
        .unwrap_or_else(|| route_of(type_name));
    let s = start().await;
    let base = s.base.clone();
    for (i, step) in fixture["setup"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let sent = send(
            &s,
            step["route"].as_str().unwrap(),
            Some(TOKEN),
            Some("application/json"),
            &step["body"],
            None,
        )
        .await;
        assert_eq!(
            (sent.status, &sent.body["success"]),
            (200, &json!(true)),
            "{name}: setup step {i} failed: {}",
            sent.body
        );
    }
    let token = match &fixture["auth"] {
        Value::Null => TOKEN.to_owned(),
        Value::String(s) if s == "static" => TOKEN.to_owned(),
        Value::String(s) if s == "jwt-without-organization" => jwt(
            &json!({"exp": now() + 300, "iss": "velt-test", "aud": "velt-server", "sub": "u-1"}),
            JWT_SECRET,
        ),
        Value::Object(o) => jwt(
            &json!({"exp": now() + 300, "iss": "velt-test", "aud": "velt-server",
                    "organizationId": o["jwtOrganization"]}),
            JWT_SECRET,
        ),
        other => panic!("{name}: unknown auth {other}"),
    };
    let content_type = match fixture.get("contentType") {
        None => Some("application/json"),
        Some(Value::Null) => None,
        Some(Value::String(ct)) => Some(ct.as_str()),
        Some(other) => panic!("{name}: bad contentType {other}"),
    };
    let request = &fixture["request"];
    let file = fixture.get("file");
    let mut urls = Vec::new();
    let times = if fixture["repeat"] == json!(true) {
        2
    } else {
        1
    };
    for attempt in 0..times {
        let sent = send(&s, route, Some(&token), content_type, request, file).await;
        let step = if attempt == 0 {
            "request"
        } else {
            "repeated request"
        };
        assert_answer(name, step, &sent, &fixture["expect"], &base, &mut urls);
        let traced = traced(&sent.request_id);
        let sent_event = request
            .get("event")
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty());
        assert_eq!(
            traced.as_deref(),
            sent_event,
            "{name}: the request's span must record its event"
        );
    }
    for (i, rb) in fixture["readBack"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let sent = send(
            &s,
            rb["route"].as_str().unwrap(),
            Some(TOKEN),
            Some("application/json"),
            &rb["body"],
            None,
        )
        .await;
        assert_answer(
            name,
            &format!("readBack {i}"),
            &sent,
            &rb["expect"],
            &base,
            &mut urls,
        );
    }
    // Every file URL handed out serves the uploaded bytes, without the
    // resolver's headers (the browser loads it directly).
    if let Some(f) = file {
        assert!(
            !urls.is_empty(),
            "{name}: an upload must answer with a file URL"
        );
        for url in &urls {
            let resp = s.client.get(url).send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 200, "{name}: GET {url}");
            assert_eq!(
                resp.headers()["content-type"].to_str().unwrap(),
                f["mimeType"].as_str().unwrap(),
                "{name}: content type of {url}"
            );
            assert_eq!(
                resp.text().await.unwrap(),
                f["content"].as_str().unwrap(),
                "{name}: bytes of {url}"
            );
        }
    }
}

#[tokio::test]
async fn every_frontend_fixture() {
    init_tracing();
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 30,
        "the fixture directory must hold the contract's cases, found {}",
        names.len()
    );
    for name in &names {
        let text = std::fs::read_to_string(fixture_dir().join(name)).unwrap();
        let fixture: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: invalid JSON: {e}"));
        assert!(
            fixture["description"].is_string() && fixture["expect"].is_object(),
            "{name}: a fixture needs a description and an expectation"
        );
        run_fixture(name, &fixture).await;
    }
    // Every request type of the contract has at least one case.
    for t in [
        "GetCommentResolverRequest",
        "SaveCommentResolverRequest",
        "DeleteCommentResolverRequest",
        "GetReactionResolverRequest",
        "SaveReactionResolverRequest",
        "DeleteReactionResolverRequest",
        "GetUserResolverRequest",
        "ResolveUserIdsByEmailRequest",
        "SaveAttachmentResolverRequest",
        "DeleteAttachmentResolverRequest",
        "GetRecorderResolverRequest",
        "SaveRecorderResolverRequest",
        "DeleteRecorderResolverRequest",
        "GetNotificationResolverRequest",
        "DeleteNotificationResolverRequest",
        "GetActivityResolverRequest",
        "SaveActivityResolverRequest",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{t}."))),
            "no fixture for {t}"
        );
    }
}

// ---------------------------------------------------------------------------
// Events.

/// `ResolverActions` (13 values) and `CommentResolverSaveEvent` (14 values)
/// of `@veltdev/types` 6.0.6 `app/utils/enums.d.ts`, and a future value.
const EVENTS_OF_THE_TYPES: [&str; 28] = [
    "comment_annotation.add",
    "comment_annotation.delete",
    "comment.add",
    "comment.delete",
    "comment.update",
    "reaction.add",
    "reaction.delete",
    "attachment.add",
    "attachment.delete",
    "recorder_annotation.add",
    "recorder_annotation.update",
    "recorder_annotation.delete",
    "activity.save",
    "comment_annotation.status_change",
    "comment_annotation.priority_change",
    "comment_annotation.assign",
    "comment_annotation.access_mode_change",
    "comment_annotation.custom_list_change",
    "comment_annotation.approve",
    "comment.accept",
    "comment.reject",
    "comment_annotation.suggestion_accept",
    "comment_annotation.suggestion_reject",
    "comment.reaction_add",
    "comment.reaction_delete",
    "comment_annotation.subscribe",
    "comment_annotation.unsubscribe",
    "comment_annotation.some_future_event",
];

#[tokio::test]
async fn every_event_value_is_accepted_and_traced() {
    init_tracing();
    let s = start().await;
    let thread = |text: &str| {
        json!({"ann-1": {"annotationId": "ann-1",
                         "comments": {"184639": {"commentId": 184639, "commentText": text}}}})
    };
    let md = json!({"organizationId": "org-a", "documentId": "doc-1"});
    for event in EVENTS_OF_THE_TYPES {
        let body = json!({"commentAnnotation": thread(event), "event": event, "metadata": md,
                          "commentId": 184639,
                          "targetComment": {"commentId": 184639, "commentText": event}});
        let sent = send(
            &s,
            "/v1/comments/save",
            Some(TOKEN),
            Some("application/json"),
            &body,
            None,
        )
        .await;
        assert_eq!(
            (sent.status, &sent.body),
            (200, &json!({"success": true, "statusCode": 200})),
            "comment save with event {event}"
        );
        assert_eq!(
            traced(&sent.request_id).as_deref(),
            Some(event),
            "event {event} must be recorded in the request span"
        );
        let del = json!({"commentAnnotationId": "gone", "metadata": md, "event": event});
        let sent = send(
            &s,
            "/v1/comments/delete",
            Some(TOKEN),
            Some("application/json"),
            &del,
            None,
        )
        .await;
        assert_eq!(
            (sent.status, &sent.body["success"]),
            (200, &json!(true)),
            "delete with {event}"
        );
        for (route, body) in [
            (
                "/v1/reactions/save",
                json!({"reactionAnnotation": {"r": {"icon": "x"}}, "metadata": md, "event": event}),
            ),
            (
                "/v1/recorders/save",
                json!({"recorderAnnotation": {"r": {}}, "metadata": md, "event": event}),
            ),
            (
                "/v1/activities/save",
                json!({"activity": {"a": {}}, "metadata": md, "event": event}),
            ),
            (
                "/v1/attachments/delete",
                json!({"attachmentId": 1, "metadata": md, "event": event}),
            ),
        ] {
            let sent = send(
                &s,
                route,
                Some(TOKEN),
                Some("application/json"),
                &body,
                None,
            )
            .await;
            assert_eq!(
                (sent.status, &sent.body["success"]),
                (200, &json!(true)),
                "{route} with {event}"
            );
            assert_eq!(
                traced(&sent.request_id).as_deref(),
                Some(event),
                "{route}: event {event} traced"
            );
        }
    }
    // The last save wins and the stored thread has no request context.
    let got = send(
        &s,
        "/v1/comments/get",
        Some(TOKEN),
        Some("application/json"),
        &json!({"organizationId": "org-a"}),
        None,
    )
    .await;
    assert_eq!(
        got.body,
        json!({"data": {"ann-1": {"annotationId": "ann-1",
            "comments": {"184639": {"commentId": 184639, "commentText": "comment_annotation.some_future_event"}},
            "metadata": md}}, "success": true, "statusCode": 200})
    );
}
