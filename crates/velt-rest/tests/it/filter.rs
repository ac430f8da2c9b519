//! velt-py 0.3.0's opt-in `filter_unknown_fields`: off by default (body
//! unchanged, byte for byte as before), on → exactly the allowlisted keys are
//! sent, for the seven methods that have an allowlist; other methods never
//! filtered. Exact bodies, checked by httpmock's exact JSON matcher.

use std::future::Future;
use std::pin::Pin;

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_models::rest::AddOrganizationsRequest;
use velt_rest::{ApiResponse, ENDPOINTS, Endpoint, Error, VeltClient};

use crate::common;

type Call =
    fn(VeltClient, Value) -> Pin<Box<dyn Future<Output = Result<ApiResponse, Error>> + Send>>;

struct Case {
    service: &'static str,
    method: &'static str,
    /// The request's `data`, with unknown keys.
    request: Value,
    /// The `data` velt-py sends with `filter_unknown_fields=True`.
    filtered: Value,
    call: Call,
}

macro_rules! case {
    ($svc:ident :: $fn:ident, $request:tt => $filtered:tt) => {
        Case {
            service: stringify!($svc),
            method: stringify!($fn),
            request: json!($request),
            filtered: json!($filtered),
            call: |client, value| {
                Box::pin(async move {
                    let request = serde_json::from_value(value).expect("typed request");
                    client.$svc().$fn(&request).await
                })
            },
        }
    };
}

fn cases() -> Vec<Case> {
    vec![
        // Each annotation, then the comments in it (annotation-comment
        // allowlist: `triggerActivities` kept, `attachments`/`context`
        // dropped). Kept values pass whole (`status.custom`, `from.extra`);
        // items that are not objects pass untouched.
        case!(comment_annotations::add_comment_annotations, {
            "organizationId": "org-1", "documentId": "doc-1", "verifyUserPermissions": false,
            "commentAnnotations": [
                {"annotationId": "a1", "status": {"id": "OPEN", "custom": 1},
                 "context": {"anything": {"deep": true}}, "myCustom": "x", "__proto__": {"polluted": true},
                 "comments": [{"commentId": 1, "commentText": "hi", "from": {"userId": "u1", "extra": 1},
                               "triggerActivities": true, "attachments": [], "context": {"c": 1}, "bogus": 2}],
                 "commentData": [{"commentId": 2, "commentHtml": "<b>x</b>", "isDraft": true}, "not-an-object"]},
                {"positionX": 1.5, "screenScrollTop": 0, "pageInfo": {"url": "u"}, "extra": null},
                "string-item"
            ]
        } => {
            "organizationId": "org-1", "documentId": "doc-1", "verifyUserPermissions": false,
            "commentAnnotations": [
                {"annotationId": "a1", "status": {"id": "OPEN", "custom": 1},
                 "context": {"anything": {"deep": true}},
                 "comments": [{"commentId": 1, "commentText": "hi", "from": {"userId": "u1", "extra": 1},
                               "triggerActivities": true}],
                 "commentData": [{"commentId": 2, "commentHtml": "<b>x</b>"}, "not-an-object"]},
                {"positionX": 1.5, "screenScrollTop": 0, "pageInfo": {"url": "u"}},
                "string-item"
            ]
        }),
        case!(comment_annotations::update_comment_annotations, {
            "organizationId": "org-1", "documentId": "doc-1", "annotationIds": ["a1"],
            "updatedData": {"status": {"id": "RESOLVED"}, "resolvedByUserId": "u2", "suggestion": {"s": 1},
                            "comments": [1], "annotationId": "a9", "custom": true}
        } => {
            "organizationId": "org-1", "documentId": "doc-1", "annotationIds": ["a1"],
            "updatedData": {"status": {"id": "RESOLVED"}, "resolvedByUserId": "u2", "suggestion": {"s": 1}}
        }),
        // Both `commentData` and its alias `comments`, comments-endpoint
        // allowlist: `attachments`, `context`, `triggerNotification` kept,
        // `triggerActivities` dropped.
        case!(comment_annotations::add_comments, {
            "organizationId": "org-1", "documentId": "doc-1", "annotationId": "a1",
            "commentData": [{"commentText": "t", "attachments": [{"id": 1}], "context": {"k": "v"},
                             "triggerNotification": true, "triggerActivities": true, "x": 1}],
            "comments": [{"commentId": 5, "progress": {"p": 1}, "unknown": {}}]
        } => {
            "organizationId": "org-1", "documentId": "doc-1", "annotationId": "a1",
            "commentData": [{"commentText": "t", "attachments": [{"id": 1}], "context": {"k": "v"},
                             "triggerNotification": true}],
            "comments": [{"commentId": 5, "progress": {"p": 1}}]
        }),
        // `triggerNotification` belongs to the root here: kept there, dropped
        // from `updatedData`.
        case!(comment_annotations::update_comments, {
            "organizationId": "org-1", "documentId": "doc-1", "annotationId": "a1", "commentIds": [1],
            "triggerNotification": true,
            "updatedData": {"commentText": "new", "triggerNotification": true, "commentId": 9,
                            "attachments": [], "bogus": "b"}
        } => {
            "organizationId": "org-1", "documentId": "doc-1", "annotationId": "a1", "commentIds": [1],
            "triggerNotification": true,
            "updatedData": {"commentText": "new", "attachments": []}
        }),
        case!(activities::add_activities, {
            "organizationId": "org-1", "documentId": "doc-1",
            "activities": [{"id": "act-1", "featureType": "comment", "actionType": "added",
                            "actionUser": {"userId": "u1", "custom": 1}, "entityData": {"any": [1, {"x": null}]},
                            "actionIcon": "i", "createdAt": 123, "myField": "m"}]
        } => {
            "organizationId": "org-1", "documentId": "doc-1",
            "activities": [{"id": "act-1", "featureType": "comment", "actionType": "added",
                            "actionUser": {"userId": "u1", "custom": 1}, "entityData": {"any": [1, {"x": null}]},
                            "actionIcon": "i"}]
        }),
        case!(activities::update_activities, {
            "organizationId": "org-1",
            "activities": [{"id": "act-1", "changes": {"a": 1}, "featureType": "comment",
                            "actionUser": {"userId": "u"}}, {}]
        } => {
            "organizationId": "org-1",
            "activities": [{"id": "act-1", "changes": {"a": 1}}, {}]
        }),
        // `isRead` / `isArchived` are not accepted by /notifications/update.
        case!(notifications::update_notifications, {
            "organizationId": "org-1", "verifyUserPermissions": true,
            "notifications": [{"id": "n1", "isRead": true, "isArchived": false, "readByUserIds": ["u1"],
                               "metadata": {"m": 1}, "persistReadForUsers": true, "custom": "c"}]
        } => {
            "organizationId": "org-1", "verifyUserPermissions": true,
            "notifications": [{"id": "n1", "readByUserIds": ["u1"], "metadata": {"m": 1},
                               "persistReadForUsers": true}]
        }),
    ]
}

fn endpoint(case: &Case) -> &'static Endpoint {
    Endpoint::find(case.service, case.method).expect("endpoint in the table")
}

/// Mounts a mock that answers only the exact body `{"data": data}`.
async fn expect<'a>(server: &'a MockServer, ep: &Endpoint, data: &Value) -> httpmock::Mock<'a> {
    let path = format!("/v2{}", ep.path);
    let body = json!({ "data": data });
    server
        .mock_async(|when, then| {
            when.method(POST).path(path.as_str()).json_body(body);
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await
}

/// Calls the case with `client` and asserts that exactly `data` was sent.
async fn assert_sends(
    case: &Case,
    client: VeltClient,
    server: &MockServer,
    data: &Value,
    how: &str,
) {
    let mock = expect(server, endpoint(case), data).await;
    let res = (case.call)(client, case.request.clone()).await;
    assert!(
        res.is_ok(),
        "{}.{} ({how}): {res:?}",
        case.service,
        case.method
    );
    assert_eq!(
        mock.calls_async().await,
        1,
        "{}.{} ({how})",
        case.service,
        case.method
    );
    mock.delete_async().await;
}

#[tokio::test]
async fn off_by_default_the_body_is_unchanged() {
    let server = MockServer::start_async().await;
    let client = common::client(&server);
    assert!(!client.filters_unknown_fields());
    for case in cases() {
        assert_ne!(
            case.request, case.filtered,
            "the case must have something to drop"
        );
        assert_sends(&case, client.clone(), &server, &case.request, "default").await;
        // Turned on and off again: still unchanged.
        let off = common::builder(&server)
            .filter_unknown_fields(true)
            .build()
            .unwrap()
            .with_filter_unknown_fields(false);
        assert_sends(&case, off, &server, &case.request, "off per call").await;
    }
}

#[tokio::test]
async fn on_for_the_client_exactly_the_allowlisted_fields_are_sent() {
    let server = MockServer::start_async().await;
    let client = common::builder(&server)
        .filter_unknown_fields(true)
        .build()
        .unwrap();
    assert!(client.filters_unknown_fields());
    for case in cases() {
        assert_sends(&case, client.clone(), &server, &case.filtered, "builder").await;
    }
}

#[tokio::test]
async fn on_per_call_exactly_the_allowlisted_fields_are_sent() {
    let server = MockServer::start_async().await;
    let client = common::client(&server);
    for case in cases() {
        let on = client.with_filter_unknown_fields(true);
        assert_sends(&case, on, &server, &case.filtered, "per call").await;
    }
    // The per-call handle leaves the original alone.
    assert!(!client.filters_unknown_fields());
}

#[tokio::test]
async fn call_endpoint_filters_when_on_and_not_when_off() {
    let server = MockServer::start_async().await;
    let client = common::client(&server);
    for case in cases() {
        let ep = endpoint(&case);
        for (handle, data) in [
            (client.clone(), &case.request),
            (client.with_filter_unknown_fields(true), &case.filtered),
        ] {
            let mock = expect(&server, ep, data).await;
            handle
                .call_endpoint(ep, case.request.clone())
                .await
                .unwrap_or_else(|e| panic!("{}.{}: {e}", case.service, case.method));
            assert_eq!(
                mock.calls_async().await,
                1,
                "{}.{}",
                case.service,
                case.method
            );
            mock.delete_async().await;
        }
    }
}

#[tokio::test]
async fn methods_without_an_allowlist_are_never_filtered() {
    let server = MockServer::start_async().await;
    let data =
        json!({"organizations": [{"organizationId": "o1", "custom": {"x": 1}, "anything": true}]});
    let mock = expect(
        &server,
        Endpoint::find("organizations", "addOrganizations").unwrap(),
        &data,
    )
    .await;
    let req: AddOrganizationsRequest = serde_json::from_value(data.clone()).unwrap();
    let client = common::client(&server).with_filter_unknown_fields(true);
    client
        .organizations()
        .add_organizations(&req)
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn the_table_has_velt_py_s_seven_filters() {
    let mut got: Vec<(&str, &str, &str)> = ENDPOINTS
        .iter()
        .filter_map(|e| e.field_filter.map(|f| (e.service_py, e.method_py, f.name)))
        .collect();
    got.sort_unstable();
    assert_eq!(
        got,
        vec![
            ("activities", "addActivities", "filter_activities_add"),
            ("activities", "updateActivities", "filter_activities_update"),
            (
                "commentAnnotations",
                "addCommentAnnotations",
                "filter_comment_annotations_add"
            ),
            ("commentAnnotations", "addComments", "filter_comments_add"),
            (
                "commentAnnotations",
                "updateCommentAnnotations",
                "filter_comment_annotations_update"
            ),
            (
                "commentAnnotations",
                "updateComments",
                "filter_comments_update"
            ),
            (
                "notifications",
                "updateNotifications",
                "filter_notifications_update"
            ),
        ]
    );
    // Every case above covers one of them.
    let covered: Vec<_> = cases().iter().map(|c| endpoint(c).method_py).collect();
    assert_eq!(covered.len(), got.len());
    assert!(got.iter().all(|(_, m, _)| covered.contains(m)));
}
