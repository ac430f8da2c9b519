//! The built `velt` binary against httpmock: `token getToken` in velt-py's
//! argument form and in the REST body form, `accessControl generateToken`,
//! and `--filter-unknown-fields`. Exact bodies, exact output, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use httpmock::prelude::*;
use serde_json::{Value, json};
use velt_rest::endpoints::Endpoint;

use common::*;

const TOKEN_OK: &str = r#"{"result":{"status":"success","message":"ok","data":{"token":"jwt-1"}}}"#;

/// The warning every `token getToken` call prints first on stderr.
fn deprecation_warning() -> String {
    let note = Endpoint::find("token", "getToken")
        .unwrap()
        .deprecated
        .expect("token.getToken is deprecated in the table");
    assert!(note.contains("accessControl.generateToken"), "{note}");
    format!("warning: token.getToken is deprecated: {note}")
}

fn token_mock<'a>(server: &'a MockServer, body: Value) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path("/v2/auth/token/get")
            .header("content-type", "application/json")
            .header("x-velt-api-key", API_KEY)
            .header("x-velt-auth-token", AUTH_TOKEN)
            .header_missing("x-velt-workspace-id")
            .json_body(body);
        then.status(200).body(TOKEN_OK);
    })
}

#[test]
fn velt_py_arguments_send_velt_py_body_and_print_velt_py_result() {
    let server = MockServer::start();
    let mock = token_mock(
        &server,
        json!({"data": {"userId": "u1", "userProperties": {"organizationId": "org-1", "email": "a@b.c", "isAdmin": false}}}),
    );
    let data = r#"{"organizationId": "org-1", "userId": "u1", "email": "a@b.c", "isAdmin": false}"#;
    for method in ["getToken", "get_token"] {
        let out = run(velt(&server.base_url())
            .env("VELT_WORKSPACE_ID", "ws-1")
            .args(["api", "token", method, "--data", data]));
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
        assert_eq!(
            stdout_json(&out),
            json!({"success": true, "data": {"token": "jwt-1"}})
        );
        assert_eq!(stderr(&out).trim_end(), deprecation_warning());
    }
    mock.assert_calls(2);
}

#[test]
fn velt_py_0_3_arguments_name_and_permissions() {
    let server = MockServer::start();
    let permissions =
        json!({"resources": [{"type": "document", "id": "d1", "accessRole": "viewer"}]});
    // Empty email and null isAdmin are left out, as velt-py does; name and
    // permissions are sent.
    let mock = token_mock(
        &server,
        json!({"data": {"userId": "u1", "userProperties": {"organizationId": "org-1", "name": "Ann"}, "permissions": permissions}}),
    );
    let data = json!({"organizationId": "org-1", "userId": "u1", "email": "", "isAdmin": null,
                      "name": "Ann", "permissions": permissions})
    .to_string();
    let out = run(velt(&server.base_url()).args(["api", "token", "getToken", "--data", &data]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout_json(&out),
        json!({"success": true, "data": {"token": "jwt-1"}})
    );
    mock.assert();
}

#[test]
fn velt_py_arguments_dry_run_prints_the_body() {
    let out = run(velt("http://127.0.0.1:9").args([
        "api",
        "token",
        "getToken",
        "--dry-run",
        "--data",
        r#"{"organizationId": "o", "userId": "u", "isAdmin": true}"#,
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout_json(&out),
        json!({"data": {"userId": "u", "userProperties": {"organizationId": "o", "isAdmin": true}}})
    );
    assert_eq!(
        stderr(&out).trim_end(),
        format!("{}\nPOST /v2/auth/token/get", deprecation_warning())
    );
}

/// Runs `token getToken` against a server answering `status`/`body`.
fn failing(status: u16, body: &str, data: &str) -> (Option<i32>, String, String, usize) {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/v2/auth/token/get");
        then.status(status).body(body);
    });
    let out = run(velt(&server.base_url()).args(["api", "token", "getToken", "--data", data]));
    (out.status.code(), stdout(&out), stderr(&out), mock.calls())
}

fn result_on_stderr(stderr: &str) -> Value {
    let json = stderr
        .strip_prefix(&deprecation_warning())
        .unwrap_or_else(|| panic!("no warning first: {stderr}"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

#[test]
fn velt_py_failures_print_velt_py_result_on_stderr_with_exit_codes() {
    let args = r#"{"organizationId": "o", "userId": "u"}"#;

    let (code, out, err, calls) = failing(
        401,
        r#"{"error":{"message":"Invalid auth token","status":"UNAUTHENTICATED"}}"#,
        args,
    );
    assert_eq!((code, out.as_str(), calls), (Some(1), "", 1));
    assert_eq!(
        result_on_stderr(&err),
        json!({"success": false, "error": "Velt API error: Invalid auth token", "errorCode": "VELT_API_ERROR"})
    );

    let (code, out, err, calls) = failing(200, r#"{"result":{"data":{}}}"#, args);
    assert_eq!((code, out.as_str(), calls), (Some(1), "", 1));
    assert_eq!(
        result_on_stderr(&err),
        json!({"success": false, "error": "No token received from Velt API", "errorCode": "NO_TOKEN"})
    );

    // Empty userId: velt-py's INVALID_INPUT, a usage error, nothing sent.
    let (code, out, err, calls) =
        failing(200, TOKEN_OK, r#"{"organizationId": "o", "userId": ""}"#);
    assert_eq!((code, out.as_str(), calls), (Some(2), "", 0));
    assert_eq!(
        result_on_stderr(&err),
        json!({"success": false, "error": "userId is required", "errorCode": "INVALID_INPUT"})
    );

    // Empty organizationId: velt-py raises; here a usage error, nothing sent.
    let (code, _, err, calls) = failing(200, TOKEN_OK, r#"{"organizationId": "", "userId": "u"}"#);
    assert_eq!((code, calls), (Some(2), 0));
    assert_eq!(
        err.trim_end(),
        format!(
            "{}\nerror: invalid request: organizationId must be a non-empty string",
            deprecation_warning()
        )
    );
}

#[test]
fn velt_py_missing_auth_token_is_config_error() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(TOKEN_OK);
    });
    let out = run(velt(&server.base_url())
        .env_remove("VELT_AUTH_TOKEN")
        .args([
            "api",
            "token",
            "getToken",
            "--data",
            r#"{"organizationId": "o", "userId": "u"}"#,
        ]));
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        result_on_stderr(&stderr(&out)),
        json!({"success": false, "error": "Velt auth token is required. Set it in config or VELT_AUTH_TOKEN environment variable", "errorCode": "CONFIG_ERROR"})
    );
    assert_eq!(mock.calls(), 0);
}

#[test]
fn bad_velt_py_arguments_are_usage_errors() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(TOKEN_OK);
    });
    for (data, message) in [
        (
            r#"{"organizationId": "o"}"#,
            "token.getToken: missing field `userId`".to_owned(),
        ),
        (
            r#"{"userId": "u"}"#,
            "token.getToken: missing field `organizationId`".to_owned(),
        ),
        (
            r#"{"organizationId": "o", "userId": "u", "isAdmin": "yes"}"#,
            "token.getToken: field `isAdmin` must be a boolean".to_owned(),
        ),
        (
            r#"{"organizationId": "o", "userId": "u", "emial": "a@b.c"}"#,
            "unknown field `emial` for token.getToken; valid fields: organizationId, userId, \
             email, isAdmin, name, permissions"
                .to_owned(),
        ),
        (
            r#"{"organizationId": "o", "userId": "u", "userProperties": {"organizationId": "o"}}"#,
            "token.getToken: `organizationId` is one of velt-py's getToken arguments but \
             `userProperties` belongs to the REST body; give either velt-py's arguments \
             (organizationId, userId, email, isAdmin, name, permissions) or the REST body \
             (userId, userProperties, permissions), not both"
                .to_owned(),
        ),
    ] {
        let out = run(velt(&server.base_url()).args(["api", "token", "getToken", "--data", data]));
        assert_eq!(out.status.code(), Some(2), "{data}");
        assert_eq!(
            stderr(&out).trim_end(),
            format!("{}\nerror: {message}", deprecation_warning()),
            "{data}"
        );
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn rest_body_form_still_sends_the_body_and_prints_the_raw_response() {
    let server = MockServer::start();
    let mock = token_mock(
        &server,
        json!({"data": {"userId": "u1", "userProperties": {"organizationId": "org-1", "isAdmin": false}}}),
    );
    // An empty email is left out, as velt-py does; isAdmin false is sent.
    let data = r#"{"userId": "u1", "userProperties": {"organizationId": "org-1", "email": "", "isAdmin": false}}"#;
    let out = run(velt(&server.base_url())
        .env("VELT_WORKSPACE_ID", "ws-1")
        .args(["api", "token", "getToken", "--data", data]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout_json(&out),
        serde_json::from_str::<Value>(TOKEN_OK).unwrap()
    );
    assert_eq!(stderr(&out).trim_end(), deprecation_warning());
    mock.assert();

    for (data, message) in [
        (
            r#"{"userId": "u", "userProperties": {"organizationId": "o", "emial": "a@b.c"}}"#,
            "token.getToken: unknown field `userProperties.emial`",
        ),
        (
            r#"{"userProperties": {"organizationId": "o"}}"#,
            "token.getToken: missing field `userId`",
        ),
    ] {
        let out = run(velt(&server.base_url()).args(["api", "token", "getToken", "--data", data]));
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out).trim_end(),
            format!("{}\nerror: {message}", deprecation_warning())
        );
    }
    mock.assert_calls(1);
}

#[test]
fn generate_token_is_not_deprecated_and_prints_the_raw_response() {
    let server = MockServer::start();
    let body = json!({"data": {"userId": "u1", "userProperties": {"organizationId": "org-1", "email": "a@b.c"},
                               "permissions": {"resources": []}}});
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/auth/generate_token")
            .header("x-velt-api-key", API_KEY)
            .header("x-velt-auth-token", AUTH_TOKEN)
            .json_body(body.clone());
        then.status(200).body(TOKEN_OK);
    });
    let data = body["data"].to_string();
    let out = run(velt(&server.base_url()).args([
        "api",
        "accessControl",
        "generateToken",
        "--data",
        &data,
    ]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout_json(&out),
        serde_json::from_str::<Value>(TOKEN_OK).unwrap()
    );
    assert_eq!(stderr(&out), "");
    mock.assert();
}

#[test]
fn filter_unknown_fields_flag_sends_only_allowlisted_keys() {
    let server = MockServer::start();
    let request = json!({"organizationId": "o", "activities": [
        {"id": "a1", "changes": {"x": {"custom": 1}}, "featureType": "comment", "mine": true}]});
    let unfiltered = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/activities/update")
            .json_body(json!({"data": request.clone()}));
        then.status(200).body(TOKEN_OK);
    });
    let filtered_body = json!({"data": {"organizationId": "o", "activities": [
        {"id": "a1", "changes": {"x": {"custom": 1}}}]}});
    let filtered = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/activities/update")
            .json_body(filtered_body.clone());
        then.status(200).body(TOKEN_OK);
    });
    let data = request.to_string();
    let base = ["api", "activities", "updateActivities", "--data", &data];

    let out = run(velt(&server.base_url()).args(base));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let out = run(velt(&server.base_url())
        .args(base)
        .arg("--filter-unknown-fields"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    unfiltered.assert_calls(1);
    filtered.assert_calls(1);

    let out = run(velt("http://127.0.0.1:9")
        .args(base)
        .args(["--filter-unknown-fields", "--dry-run"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out), filtered_body);

    // Only the methods with an allowlist take the flag.
    let out = run(velt("http://127.0.0.1:9").args([
        "api",
        "organizations",
        "getOrganizations",
        "--filter-unknown-fields",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--filter-unknown-fields"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn list_shows_the_velt_py_form_deprecation_and_filters() {
    let out = run(velt("http://127.0.0.1:9").args(["api", "list", "token"]));
    assert_eq!(out.status.code(), Some(0));
    let note = Endpoint::find("token", "getToken")
        .unwrap()
        .deprecated
        .unwrap();
    assert_eq!(
        stdout(&out),
        format!(
            "token\n  get_token (getToken)\n      POST /v2/auth/token/get\n      \
             fields: userId, userProperties, permissions\n      \
             or velt-py's getToken arguments: organizationId, userId, email, isAdmin, name, permissions\n      \
             deprecated: {note}\n"
        )
    );
    let out = run(velt("http://127.0.0.1:9").args(["api", "list", "activities"]));
    let list = stdout(&out);
    assert!(
        list.contains("\n      POST /v2/activities/add\n      fields: organizationId, documentId, activities\n      --filter-unknown-fields: drop keys the API does not accept (velt-py filter_activities_add)\n"),
        "{list}"
    );
    assert_eq!(list.matches("--filter-unknown-fields").count(), 2, "{list}");
}
