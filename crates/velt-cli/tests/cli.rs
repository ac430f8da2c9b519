//! Runs the built `velt` binary against an httpmock server and checks the
//! exact requests it sends, what it prints and its exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use httpmock::prelude::*;
use serde_json::{Value, json};
use velt_rest::endpoints::ENDPOINTS;

use common::*;

const OK: &str = r#"{"result":{"status":"success","message":"done","data":{"n":1}}}"#;

#[test]
fn velt_py_names_send_the_exact_request_and_print_the_response() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/organizations/access/disablestate/update")
            .header("content-type", "application/json")
            .header("x-velt-api-key", API_KEY)
            .header("x-velt-auth-token", AUTH_TOKEN)
            .header_missing("x-velt-workspace-id")
            .json_body(json!({"data": {"organizationIds": [], "disabled": false}}));
        then.status(200)
            .header("content-type", "application/json")
            .body(OK);
    });
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "updateOrganizationDisableState",
        "--data",
        r#"{"organizationIds": [], "disabled": false}"#,
    ]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    mock.assert();
    assert_eq!(
        stdout_json(&out),
        serde_json::from_str::<Value>(OK).unwrap()
    );
    // pretty-printed
    assert!(
        stdout(&out).contains("\n  \"result\": {\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn snake_case_names_and_nested_nulls_are_sent_verbatim() {
    let server = MockServer::start();
    let body = json!({"data": {
        "organizationId": "org-1",
        "documentId": "doc-1",
        "commentAnnotations": [{"annotationId": "a1", "context": null,
            "commentData": [{"commentText": "hi", "from": {"userId": "u1", "name": null}}]}],
        "verifyUserPermissions": false
    }});
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/commentannotations/add")
            .header("x-velt-api-key", API_KEY)
            .header("x-velt-auth-token", AUTH_TOKEN)
            .json_body(body.clone());
        then.status(200).body(OK);
    });
    let data = body["data"].to_string();
    for (service, method) in [
        ("comment_annotations", "add_comment_annotations"),
        ("commentAnnotations", "addCommentAnnotations"),
    ] {
        let out = run(velt(&server.base_url()).args(["api", service, method, "--data", &data]));
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    }
    mock.assert_calls(2);
}

#[test]
fn no_data_sends_empty_request_and_workspace_headers() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/workspace/get")
            .header("x-velt-api-key", API_KEY)
            .header("x-velt-auth-token", "ws-token")
            .header("x-velt-workspace-id", "ws-1")
            .json_body(json!({"data": {}}));
        then.status(200)
            .body(r#"{"result":{"data":{"id":"ws-1"}}}"#);
    });
    let out = run(velt(&server.base_url())
        .env("VELT_WORKSPACE_ID", "ws-1")
        .env("VELT_WORKSPACE_AUTH_TOKEN", "ws-token")
        .args(["api", "workspace", "getWorkspace"]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    mock.assert();
    assert_eq!(
        stdout_json(&out),
        json!({"result": {"data": {"id": "ws-1"}}})
    );
}

#[test]
fn data_from_file_and_stdin() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/organizations/get")
            .json_body(json!({"data": {"organizationIds": ["o1"], "pageSize": 0}}));
        then.status(200).body(OK);
    });
    let dir = std::env::temp_dir().join(format!("velt-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("req.json");
    std::fs::write(&file, r#"{"organizationIds": ["o1"], "pageSize": 0}"#).unwrap();
    let at_file = format!("@{}", file.display());
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "get_organizations",
        "--data",
        &at_file,
    ]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));

    for arg in ["-", "@-"] {
        let out = run_with_stdin(
            velt(&server.base_url()).args([
                "api",
                "organizations",
                "getOrganizations",
                "--data",
                arg,
            ]),
            "{\"organizationIds\": [\"o1\"],\n \"pageSize\": 0}\n",
        );
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    }
    mock.assert_calls(3);

    let missing = format!("@{}", dir.join("nope.json").display());
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "getOrganizations",
        "--data",
        &missing,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read --data file"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_field_is_rejected_before_sending() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(OK);
    });
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "getOrganizations",
        "--data",
        r#"{"pageSize": 5, "organisationIds": ["o"]}"#,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: unknown field `organisationIds` for organizations.getOrganizations; \
         valid fields: organizationIds, pageSize, pageToken"
    );
    assert!(stdout(&out).is_empty());

    // snake_case keys get a hint; a body wrapped in "data" too
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "getOrganizations",
        "--data",
        r#"{"page_size": 5}"#,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `pageSize`?"),
        "{}",
        stderr(&out)
    );
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "getOrganizations",
        "--data",
        r#"{"data": {}}"#,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not wrapped in \"data\""),
        "{}",
        stderr(&out)
    );
    assert_eq!(mock.calls(), 0);
}

#[test]
fn wrong_type_names_the_field() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(OK);
    });
    let out = run(velt(&server.base_url()).args([
        "api",
        "comment_annotations",
        "get_comments",
        "--data",
        r#"{"organizationId": "o", "documentId": "d", "annotationId": "a", "commentIds": ["x"]}"#,
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: commentAnnotations.getComments: field `commentIds`: invalid type: string \"x\", expected i64"
    );
    assert_eq!(mock.calls(), 0);
}

#[test]
fn bad_json_is_a_usage_error() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(OK);
    });
    for (data, expected) in [
        ("{\"pageSize\": ", "is not valid JSON"),
        (
            "[1, 2]",
            "must be a JSON object of the request's fields, got an array",
        ),
        ("", "is empty"),
    ] {
        let out = run(velt(&server.base_url()).args([
            "api",
            "organizations",
            "getOrganizations",
            "--data",
            data,
        ]));
        assert_eq!(out.status.code(), Some(2), "{data}");
        assert!(stderr(&out).contains(expected), "{data}: {}", stderr(&out));
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn api_error_goes_to_stderr_with_exit_code_1() {
    let server = MockServer::start();
    let error = json!({"error": {"message": "Organization not found", "status": "NOT_FOUND", "details": {"id": "o"}}});
    let mock = server.mock(|when, then| {
        when.method(POST).path("/v2/organizations/delete");
        then.status(404).json_body(error.clone());
    });
    let out = run(velt(&server.base_url()).args([
        "api",
        "organizations",
        "deleteOrganizations",
        "--data",
        r#"{"organizationIds": ["o"]}"#,
    ]));
    mock.assert();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    let (first, rest) = err.split_once('\n').unwrap();
    assert_eq!(
        first,
        "Velt API error (HTTP 404, NOT_FOUND): Organization not found"
    );
    assert_eq!(serde_json::from_str::<Value>(rest).unwrap(), error);
}

#[test]
fn network_error_has_its_own_exit_code() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = run(velt(&base).args(["api", "organizations", "getOrganizations"]));
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: network error"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_service_or_method_is_a_usage_error() {
    let out = run(velt("http://127.0.0.1:9").args(["api", "organisations", "getOrganizations"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("organisations"), "{}", stderr(&out));
    let out = run(velt("http://127.0.0.1:9").args(["api", "organizations", "getOrganisations"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("getOrganisations"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_lists_every_service_and_method() {
    assert_eq!(ENDPOINTS.len(), 171);
    let out = run(velt("http://127.0.0.1:9").arg("--help"));
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for ep in ENDPOINTS {
        let line = if ep.method == ep.method_py {
            format!("\n    {}\n", ep.method)
        } else {
            format!("\n    {} ({})\n", ep.method, ep.method_py)
        };
        assert!(help.contains(&line), "--help lacks {line:?}");
        let service = if ep.service == ep.service_py {
            format!("\n  {}\n", ep.service)
        } else {
            format!("\n  {} ({})\n", ep.service, ep.service_py)
        };
        assert!(help.contains(&service), "--help lacks {service:?}");
    }
}

#[test]
fn list_and_service_help_show_fields() {
    let out = run(velt("http://127.0.0.1:9").args(["api", "list"]));
    assert_eq!(out.status.code(), Some(0));
    let list = stdout(&out);
    for ep in ENDPOINTS {
        assert!(
            list.contains(&format!("POST /v2{}\n", ep.path)),
            "list lacks {}",
            ep.path
        );
    }
    assert!(list.contains(
        "\n  get_organizations (getOrganizations)\n      POST /v2/organizations/get\n      fields: organizationIds, pageSize, pageToken\n"
    ), "{list}");

    let out = run(velt("http://127.0.0.1:9").args(["api", "list", "userGroups"]));
    assert_eq!(out.status.code(), Some(0));
    let list = stdout(&out);
    assert!(list.starts_with("user_groups (userGroups)\n"), "{list}");
    assert_eq!(list.matches("POST /v2").count(), 3, "{list}");

    let out = run(velt("http://127.0.0.1:9").args(["api", "organizations", "--help"]));
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for method in [
        "add_organizations",
        "get_organizations",
        "update_organization_disable_state",
    ] {
        assert!(help.contains(method), "{help}");
    }
    assert!(
        help.contains("organizationIds, pageSize, pageToken"),
        "{help}"
    );
}

#[test]
fn dry_run_prints_the_body_without_sending() {
    let out = run(velt("http://127.0.0.1:9").args([
        "api",
        "users",
        "deleteUsers",
        "--dry-run",
        "--data",
        r#"{"organizationId": "o", "userIds": [], "documentId": null}"#,
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout_json(&out),
        json!({"data": {"organizationId": "o", "userIds": []}})
    );
    assert_eq!(stderr(&out).trim_end(), "POST /v2/users/delete");
}

#[test]
fn missing_credential_is_a_configuration_error() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200).body(OK);
    });
    let out = run(velt(&server.base_url()).env_remove("VELT_API_KEY").args([
        "api",
        "organizations",
        "getOrganizations",
    ]));
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert!(err.contains("VELT_API_KEY"), "{err}");
    assert!(!err.contains(AUTH_TOKEN), "{err}");
    assert_eq!(mock.calls(), 0);
}
