//! Builder and environment configuration.

use std::collections::HashMap;

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use velt_rest::{Error, VeltClient};

use crate::common;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[tokio::test]
async fn from_env_fills_every_setting_and_the_wire_shows_it() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/workspace/apikeys/get")
                .header("x-velt-api-key", "env-key")
                .header("x-velt-auth-token", "env-ws-auth")
                .header("x-velt-workspace-id", "env-ws");
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    let client = VeltClient::builder()
        .from_env_with(env(&[
            ("VELT_API_KEY", "env-key"),
            ("VELT_AUTH_TOKEN", "env-auth"),
            ("VELT_WORKSPACE_ID", "env-ws"),
            ("VELT_WORKSPACE_AUTH_TOKEN", "env-ws-auth"),
            ("VELT_API_BASE_URL", &server.base_url()),
        ]))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/v2", server.base_url()));
    client
        .workspace()
        .get_api_keys(&Default::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn builder_settings_win_over_the_environment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/organizations/get")
                .header("x-velt-api-key", "mine")
                .header("x-velt-auth-token", "env-auth");
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    let client = VeltClient::builder()
        .api_key("mine")
        .base_url(server.base_url())
        .from_env_with(env(&[
            ("VELT_API_KEY", "env-key"),
            ("VELT_AUTH_TOKEN", "env-auth"),
            ("VELT_API_BASE_URL", "http://127.0.0.1:1"),
        ]))
        .build()
        .unwrap();
    client
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn empty_variables_count_as_unset() {
    let client = VeltClient::builder()
        .from_env_with(env(&[("VELT_API_KEY", ""), ("VELT_API_BASE_URL", "")]))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.velt.dev/v2");
    assert!(format!("{client:?}").contains("api_key: \"unset\""));
}

#[test]
fn a_malformed_base_url_is_an_error_naming_its_source() {
    let err = VeltClient::builder()
        .from_env_with(env(&[("VELT_API_BASE_URL", "api.velt.dev")]))
        .build()
        .unwrap_err();
    let Error::Config { message } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("VELT_API_BASE_URL"), "{message}");
    let err = VeltClient::builder()
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_kept() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/proxy/velt/v2/rewriter/ask-ai")
                .json_body(json!({"data": {"model": "m"}}));
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    let client = common::builder(&server)
        .base_url(format!("{}/proxy/velt/", server.base_url()))
        .build()
        .unwrap();
    let req = velt_models::rest::AskAiRequest {
        model: Some("m".into()),
        ..Default::default()
    };
    client.rewriter().ask_ai(&req).await.unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn the_user_agent_names_the_sdk_and_can_be_replaced() {
    let server = MockServer::start_async().await;
    let default_ua = format!("velt-rs/{}", env!("CARGO_PKG_VERSION"));
    let m1 = server
        .mock_async(|when, then| {
            when.method(POST).header("user-agent", default_ua.as_str());
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    common::client(&server)
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap();
    assert_eq!(m1.calls_async().await, 1);
    let m2 = server
        .mock_async(|when, then| {
            when.method(POST).header("user-agent", "my-app/1");
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    common::builder(&server)
        .user_agent("my-app/1")
        .build()
        .unwrap()
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap();
    assert_eq!(m2.calls_async().await, 1);
}
