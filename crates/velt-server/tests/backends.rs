//! The binary switched to MongoDB (`VELT_MONGODB_URI`, feature `mongodb`) and
//! to S3 attachments (`AWS_*`, feature `s3`), against the servers `cargo
//! xtask test` provides (`VELT_TEST_MONGODB_URI`, `VELT_TEST_S3_ENDPOINT` /
//! `VELT_TEST_S3_BUCKET`). Without them the tests skip, unless
//! `VELT_TEST_REQUIRE_SERVERS` or `CI` is set, where they fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unused_imports
)]

mod binary_common;
use binary_common::Server;

use std::process::{Command, Stdio};

use serde_json::{Value, json};

const TOKEN: &str = "backend-test-token";

fn env_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The value of `var`, or `None` (skip) when absent and not required.
fn required(var: &str) -> Option<String> {
    match std::env::var(var).ok().filter(|v| !v.is_empty()) {
        Some(v) => Some(v),
        None if env_set("VELT_TEST_REQUIRE_SERVERS") || env_set("CI") => {
            panic!("{var} is not set but servers are required; run `cargo xtask test`")
        }
        None => {
            eprintln!("SKIP: {var} not set; run `cargo xtask test`");
            None
        }
    }
}

fn spawn(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(args)
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env("RUST_LOG", "warn")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("AWS_S3_BUCKET_NAME")
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Server::start(cmd)
}

async fn post(base: &str, path: &str, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[cfg(feature = "mongodb")]
#[tokio::test]
async fn velt_mongodb_uri_switches_the_store_to_mongodb() {
    let Some(uri) = required("VELT_TEST_MONGODB_URI") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("velt_server_test_{}", std::process::id());
    let server = spawn(
        dir.path(),
        &[("VELT_MONGODB_URI", &uri)],
        &["--mongodb-database", &db],
    );
    let r = reqwest::get(format!("{}/readyz", server.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let save = json!({
        "commentAnnotation": {"m-1": {"comments": {"1": {"commentText": "in mongo"}}}},
        "metadata": {"organizationId": "org-m", "documentId": "doc-m"}
    });
    assert_eq!(
        post(&server.base, "/v1/comments/save", &save).await,
        (200, json!({"success": true, "statusCode": 200}))
    );
    let (st, body) = post(
        &server.base,
        "/v1/comments/get",
        &json!({"organizationId": "org-m", "documentIds": ["doc-m"]}),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(
        body["data"]["m-1"]["comments"]["1"]["commentText"],
        json!("in mongo")
    );
    // Nothing went to SQLite.
    assert!(!dir.path().join("velt.db").exists());
}

/// The routes added for the frontend contract (recording files, users by
/// email, idempotent deletes, numeric comment ids) on the MongoDB store.
#[cfg(feature = "mongodb")]
#[tokio::test]
async fn contract_routes_on_mongodb() {
    let Some(uri) = required("VELT_TEST_MONGODB_URI") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("velt_server_contract_{}", std::process::id());
    let server = spawn(
        dir.path(),
        &[("VELT_MONGODB_URI", &uri)],
        &["--mongodb-database", &db],
    );
    let ok = json!({"success": true, "statusCode": 200});
    // A recording file, uploaded as multipart, served, deleted twice.
    let form = reqwest::multipart::Form::new()
        .text(
            "request",
            json!({"attachment": {"attachmentId": 5150, "name": "rec.webm"},
                   "metadata": {"organizationId": "org-m", "documentId": "doc-m"},
                   "event": "attachment.add"})
            .to_string(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"webm bytes".to_vec())
                .file_name("rec.webm")
                .mime_str("video/webm")
                .unwrap(),
        );
    let r = reqwest::Client::new()
        .post(format!("{}/v1/recorders/storage/save", server.base))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let url = body["data"]["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{}/v1/attachments/files/", server.base)),
        "{url}"
    );
    let file = reqwest::get(&url).await.unwrap();
    assert_eq!(file.headers()["content-type"], "video/webm");
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"webm bytes");
    let del = json!({"attachmentId": 5150, "metadata": {"organizationId": "org-m"}, "event": "attachment.delete"});
    for _ in 0..2 {
        assert_eq!(
            post(&server.base, "/v1/recorders/storage/delete", &del).await,
            (200, ok.clone())
        );
    }
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);

    // Users resolved by email, scoped to the organization.
    let users = json!({"organizationId": "org-m", "users": [
        {"userId": "u-1", "email": "ada@example.com"}, {"userId": "u-2", "email": "bob@example.com"}]});
    assert_eq!(
        post(&server.base, "/v1/users/save", &users).await,
        (200, ok.clone())
    );
    let other = json!({"organizationId": "org-x", "users": [{"userId": "u-x", "email": "eve@example.com"}]});
    assert_eq!(
        post(&server.base, "/v1/users/save", &other).await,
        (200, ok.clone())
    );
    assert_eq!(
        post(
            &server.base,
            "/v1/users/resolve-by-email",
            &json!({"organizationId": "org-m", "documentId": "doc-m",
                    "emails": ["ada@example.com", "eve@example.com", "ada@example.com"]})
        )
        .await,
        (
            200,
            json!({"data": {"ada@example.com": "u-1"}, "success": true, "statusCode": 200})
        )
    );

    // A comment save with a numeric commentId, deleted twice.
    let save = json!({"commentAnnotation": {"c-1": {"comments": {"184639": {"commentId": 184639}}}},
                      "commentId": 184639, "event": "comment_annotation.status_change",
                      "metadata": {"organizationId": "org-m", "documentId": "doc-m"}});
    assert_eq!(
        post(&server.base, "/v1/comments/save", &save).await,
        (200, ok.clone())
    );
    let del = json!({"commentAnnotationId": "c-1", "metadata": {"organizationId": "org-m"}});
    for _ in 0..2 {
        assert_eq!(
            post(&server.base, "/v1/comments/delete", &del).await,
            (200, ok.clone())
        );
    }
    assert_eq!(
        post(
            &server.base,
            "/v1/comments/get",
            &json!({"organizationId": "org-m"})
        )
        .await,
        (200, json!({"data": {}, "success": true, "statusCode": 200}))
    );
    assert!(!dir.path().join("velt.db").exists());
}

#[cfg(feature = "s3")]
#[tokio::test]
async fn aws_settings_switch_attachments_to_s3() {
    let Some(endpoint) = required("VELT_TEST_S3_ENDPOINT") else {
        return;
    };
    let bucket = std::env::var("VELT_TEST_S3_BUCKET")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "velt-test-attachments".to_owned());
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(
        dir.path(),
        &[
            ("AWS_S3_BUCKET_NAME", &bucket),
            ("AWS_S3_ENDPOINT_URL", &endpoint),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", "us-east-1"),
        ],
        &[],
    );
    let form = reqwest::multipart::Form::new()
        .text(
            "request",
            json!({"attachment": {"attachmentId": 31}, "metadata": {"organizationId": "org-s3"}})
                .to_string(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"s3 bytes".to_vec())
                .file_name("doc.txt")
                .mime_str("text/plain")
                .unwrap(),
        );
    let r = reqwest::Client::new()
        .post(format!("{}/v1/attachments/save", server.base))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let url = body["data"]["url"].as_str().unwrap().to_owned();
    let prefix = format!("{}/{bucket}/attachments/", endpoint.trim_end_matches('/'));
    assert!(
        url.starts_with(&prefix),
        "{url} does not start with {prefix}"
    );
    assert!(url.ends_with(".txt"), "{url}");
    // Nothing went to the local directory.
    assert!(!dir.path().join("attachments").exists());
    // Deleting the attachment removes the record (and the object).
    assert_eq!(
        post(
            &server.base,
            "/v1/attachments/delete",
            &json!({"attachmentId": 31, "metadata": {"organizationId": "org-s3"}})
        )
        .await,
        (200, json!({"success": true, "statusCode": 200}))
    );
}
