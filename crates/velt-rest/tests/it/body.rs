//! Body rules: unset fields omitted, falsy values kept, nested nulls sent,
//! `call_endpoint` checks and normalises.

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_models::rest::{
    AddOrganizationsRequest, GetOrganizationsRequest, UpdateOrganizationDisableStateRequest,
};
use velt_rest::{Endpoint, Error};

use crate::common;

async fn expect_body<'a>(server: &'a MockServer, path: &str, body: Value) -> httpmock::Mock<'a> {
    let path = format!("/v2{path}");
    server
        .mock_async(|when, then| {
            when.method(POST).path(path.as_str()).json_body(body);
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await
}

#[tokio::test]
async fn unset_fields_are_omitted() {
    let server = MockServer::start_async().await;
    let mock = expect_body(&server, "/organizations/get", json!({"data": {}})).await;
    let client = common::client(&server);
    client
        .organizations()
        .get_organizations(&GetOrganizationsRequest::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    // The matcher is exact: one extra key and the mock does not answer.
    let extra = GetOrganizationsRequest {
        page_size: Some(1),
        ..Default::default()
    };
    let err = client
        .organizations()
        .get_organizations(&extra)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn falsy_values_are_kept() {
    let server = MockServer::start_async().await;
    let mock = expect_body(
        &server,
        "/organizations/access/disablestate/update",
        json!({"data": {"organizationIds": [], "disabled": false}}),
    )
    .await;
    let client = common::client(&server);
    let req = UpdateOrganizationDisableStateRequest {
        organization_ids: Some(vec![]),
        disabled: Some(false),
    };
    client
        .organizations()
        .update_organization_disable_state(&req)
        .await
        .unwrap();
    let page = GetOrganizationsRequest {
        page_size: Some(0),
        page_token: Some(String::new()),
        ..Default::default()
    };
    let mock2 = expect_body(
        &server,
        "/organizations/get",
        json!({"data": {"pageSize": 0, "pageToken": ""}}),
    )
    .await;
    client
        .organizations()
        .get_organizations(&page)
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(mock2.calls_async().await, 1);
}

#[tokio::test]
async fn nested_nulls_are_sent_verbatim() {
    let server = MockServer::start_async().await;
    let orgs = json!([{"organizationId": "o", "organizationName": null, "meta": {"a": null, "b": [null, {}]}}]);
    let mock = expect_body(
        &server,
        "/organizations/add",
        json!({"data": {"organizations": orgs.clone()}}),
    )
    .await;
    let client = common::client(&server);
    let req = AddOrganizationsRequest {
        organizations: Some(orgs.as_array().unwrap().clone()),
    };
    client
        .organizations()
        .add_organizations(&req)
        .await
        .unwrap();
    // The same through call_endpoint (what the CLI sends).
    let ep = Endpoint::find("organizations", "addOrganizations").unwrap();
    client
        .call_endpoint(ep, json!({"organizations": orgs}))
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn call_endpoint_drops_top_level_nulls_like_velt_py() {
    // velt-py drops top-level None; a JSON null maps to None.
    let server = MockServer::start_async().await;
    let mock = expect_body(
        &server,
        "/organizations/get",
        json!({"data": {"pageSize": 5}}),
    )
    .await;
    let client = common::client(&server);
    let ep = Endpoint::find("organizations", "get_organizations").unwrap();
    client
        .call_endpoint(ep, json!({"pageSize": 5, "pageToken": null}))
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn call_endpoint_rejects_unknown_fields_and_wrong_types_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = common::client(&server);
    let ep = Endpoint::find("organizations", "getOrganizations").unwrap();

    let err = client
        .call_endpoint(ep, json!({"pageSize": 5, "organizationID": ["x"]}))
        .await
        .unwrap_err();
    let Error::InvalidRequest { message } = &err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("unknown field `organizationID`"),
        "{message}"
    );
    assert!(
        message.contains("organizationIds, pageSize, pageToken"),
        "{message}"
    );

    let err = client
        .call_endpoint(ep, json!({"pageSize": "ten"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");

    let err = client.call_endpoint(ep, json!([1])).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");

    let empty = Endpoint::find("workspace", "getDomains").unwrap();
    let err = client
        .call_endpoint(empty, json!({"x": 1}))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("(accepted: none)"), "{err}");

    assert_eq!(mock.calls_async().await, 0);
}
