//! Helpers shared by the access test files.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use httpmock::MockServer;
use serde_json::{Value, json};

pub fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

pub fn forbidden() -> (u16, Value) {
    (
        403,
        err(
            403,
            "FORBIDDEN",
            "organizationId does not match the token's organization",
        ),
    )
}

pub fn ok_data(data: Value) -> (u16, Value) {
    (
        200,
        json!({"data": data, "success": true, "statusCode": 200}),
    )
}

/// A Velt REST client for the httpmock Velt API.
pub fn rest_client(api: &MockServer) -> velt_rest::VeltClient {
    velt_rest::VeltClient::builder()
        .api_key("api-key-1")
        .auth_token("auth-token-1")
        .base_url(api.base_url())
        .build()
        .unwrap()
}
