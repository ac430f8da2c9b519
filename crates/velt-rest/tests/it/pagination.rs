//! Following nextPageToken.

use futures_util::TryStreamExt;
use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use velt_models::rest::{GetCommentAnnotationsRequest, GetOrganizationsRequest};
use velt_rest::{Endpoint, Error};

use crate::common;

async fn page<'a>(
    server: &'a MockServer,
    path: &str,
    data: serde_json::Value,
    items: serde_json::Value,
    next: Option<&str>,
) -> httpmock::Mock<'a> {
    let mut result = json!({"status": "success", "message": "ok", "data": items});
    if let Some(next) = next {
        result["nextPageToken"] = json!(next);
    }
    let path = format!("/v2{path}");
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path.as_str())
                .json_body(json!({"data": data}));
            then.status(200).json_body(json!({"result": result}));
        })
        .await
}

#[tokio::test]
async fn follows_tokens_across_three_pages() {
    let server = MockServer::start_async().await;
    let p = "/organizations/get";
    let m1 = page(
        &server,
        p,
        json!({"pageSize": 2}),
        json!([{"id": "a"}, {"id": "b"}]),
        Some("t2"),
    )
    .await;
    let m2 = page(
        &server,
        p,
        json!({"pageSize": 2, "pageToken": "t2"}),
        json!([{"id": "c"}, {"id": "d"}]),
        Some("t3"),
    )
    .await;
    let m3 = page(
        &server,
        p,
        json!({"pageSize": 2, "pageToken": "t3"}),
        json!([{"id": "e"}]),
        None,
    )
    .await;
    let client = common::client(&server);
    let req = GetOrganizationsRequest {
        page_size: Some(2),
        ..Default::default()
    };
    let pages: Vec<_> = client
        .organizations()
        .get_organizations_pages(&req)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| {
            p.data()
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(pages[0].next_page_token(), Some("t2"));
    assert_eq!(pages[2].next_page_token(), None);
    for m in [m1, m2, m3] {
        assert_eq!(m.calls_async().await, 1);
    }
}

#[tokio::test]
async fn stops_when_the_token_does_not_advance() {
    let server = MockServer::start_async().await;
    let p = "/commentannotations/get";
    let m1 = page(
        &server,
        p,
        json!({"organizationId": "o"}),
        json!([1]),
        Some("same"),
    )
    .await;
    let m2 = page(
        &server,
        p,
        json!({"organizationId": "o", "pageToken": "same"}),
        json!([2]),
        Some("same"),
    )
    .await;
    let client = common::client(&server);
    let req = GetCommentAnnotationsRequest {
        organization_id: Some("o".into()),
        ..Default::default()
    };
    let pages: Vec<_> = client
        .comment_annotations()
        .get_comment_annotations_pages(&req)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(m1.calls_async().await, 1);
    assert_eq!(m2.calls_async().await, 1);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_yielding_it() {
    let server = MockServer::start_async().await;
    let p = "/organizations/get";
    page(&server, p, json!({}), json!([1]), Some("t2")).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/organizations/get")
                .json_body(json!({"data": {"pageToken": "t2"}}));
            then.status(400).json_body(
                json!({"error": {"message": "bad token", "status": "INVALID_ARGUMENT"}}),
            );
        })
        .await;
    let client = common::client(&server);
    let results: Vec<Result<_, Error>> = futures_util::StreamExt::collect(
        client
            .organizations()
            .get_organizations_pages(&Default::default()),
    )
    .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().http_status(), Some(400));
    assert_eq!(failing.calls_async().await, 1);
}

#[tokio::test]
async fn generic_paginate_works_from_json() {
    let server = MockServer::start_async().await;
    let p = "/users/get";
    let m1 = page(
        &server,
        p,
        json!({"organizationId": "o"}),
        json!([1]),
        Some("n"),
    )
    .await;
    let m2 = page(
        &server,
        p,
        json!({"organizationId": "o", "pageToken": "n"}),
        json!([2]),
        Some(""),
    )
    .await;
    let client = common::client(&server);
    let ep = Endpoint::find("users", "getUsers").unwrap();
    assert!(ep.paginated);
    let pages: Vec<_> = client
        .paginate(ep, json!({"organizationId": "o"}))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2, "an empty token ends the stream");
    assert_eq!(m1.calls_async().await + m2.calls_async().await, 2);

    let not_paged = Endpoint::find("organizations", "addOrganizations").unwrap();
    let err = client
        .paginate(not_paged, json!({}))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
}

#[test]
fn the_paginated_endpoints_are_the_ones_with_page_token() {
    let paged: Vec<_> = velt_rest::ENDPOINTS
        .iter()
        .filter(|e| e.paginated)
        .map(|e| format!("{}.{}", e.service, e.method))
        .collect();
    for e in velt_rest::ENDPOINTS {
        assert_eq!(e.paginated, e.fields.contains(&"pageToken"), "{}", e.method);
    }
    assert!(paged.contains(&"organizations.get_organizations".to_owned()));
    assert_eq!(paged.len(), 14, "{paged:?}");
}
