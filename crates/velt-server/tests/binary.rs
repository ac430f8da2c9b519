//! The `velt-server` binary: durability across SIGKILL, graceful shutdown,
//! the generated token, `--help`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
use binary_common::Server;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const TOKEN: &str = "binary-test-token";

/// The binary on an ephemeral port, with none of the environment's
/// settings, `RUST_LOG` at `log` and `extra_env` set.
fn command(data_dir: &Path, log: &str, extra_env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args(args)
        .env_remove("VELT_SERVER_TOKENS")
        .env_remove("VELT_JWT_SECRET")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("AWS_S3_BUCKET_NAME")
        .env("RUST_LOG", log);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd
}

/// Starts the binary on an ephemeral port and waits for its "listening" line.
fn spawn(data_dir: &Path, extra_env: &[(&str, &str)], args: &[&str]) -> Server {
    let mut cmd = command(data_dir, "warn", extra_env, args);
    cmd.stderr(Stdio::null());
    Server::start(cmd)
}

/// [`spawn`] with `RUST_LOG` at `log` and stderr kept, for
/// [`Server::stop_and_read_stderr`].
fn spawn_logging(data_dir: &Path, log: &str, extra_env: &[(&str, &str)], args: &[&str]) -> Server {
    let mut cmd = command(data_dir, log, extra_env, args);
    cmd.stderr(Stdio::piped());
    Server::start(cmd)
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
    body: &Value,
) -> (u16, Value) {
    let r = client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    {
        let mut server = spawn(dir.path(), &[("VELT_SERVER_TOKENS", TOKEN)], &[]);
        for i in 0..40 {
            let save = json!({
                "commentAnnotation": {format!("ann-{i}"): {"comments": {"1": {"commentText": format!("text {i}")}}}},
                "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
            });
            let (st, body) = post(&client, &server.base, "/v1/comments/save", TOKEN, &save).await;
            assert_eq!(
                (st, body),
                (200, json!({"success": true, "statusCode": 200}))
            );
            acknowledged.push(format!("ann-{i}"));
        }
        // An upload too: record and file.
        let form = reqwest::multipart::Form::new()
            .text(
                "request",
                json!({"attachment": {"attachmentId": 7}, "metadata": {"organizationId": "org-a"}})
                    .to_string(),
            )
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"file body".to_vec())
                    .file_name("n.txt")
                    .mime_str("text/plain")
                    .unwrap(),
            );
        let r = client
            .post(format!("{}/v1/attachments/save", server.base))
            .bearer_auth(TOKEN)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        // SIGKILL: no chance to flush or checkpoint anything.
        server.child.kill().unwrap();
        let status = server.child.wait().unwrap();
        assert!(!status.success());
    }
    let server = spawn(dir.path(), &[("VELT_SERVER_TOKENS", TOKEN)], &[]);
    let (st, body) = post(
        &client,
        &server.base,
        "/v1/comments/get",
        TOKEN,
        &json!({"organizationId": "org-a", "documentIds": ["doc-1"]}),
    )
    .await;
    assert_eq!(st, 200);
    let got = body["data"].as_object().unwrap();
    assert_eq!(got.len(), acknowledged.len());
    for (i, id) in acknowledged.iter().enumerate() {
        assert_eq!(
            got[id]["comments"]["1"]["commentText"],
            json!(format!("text {i}"))
        );
    }
    let (st, rec) = post(
        &client,
        &server.base,
        "/v1/attachments/get",
        TOKEN,
        &json!({"organizationId": "org-a", "attachmentId": 7}),
    )
    .await;
    assert_eq!(st, 200);
    // The URL names the old port; the key is what matters.
    let url = rec["data"]["file"].as_str().unwrap();
    let key = url.split("/v1/attachments/files/").nth(1).unwrap();
    let r = client
        .get(format!("{}/v1/attachments/files/{key}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "file body");
}

#[tokio::test]
async fn sigterm_shuts_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = spawn(dir.path(), &[("VELT_SERVER_TOKENS", TOKEN)], &[]);
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pid = server.child.id().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(kill.success());
    let mut waited = Duration::ZERO;
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(waited < Duration::from_secs(10), "no exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    };
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn without_credentials_a_token_file_is_generated() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(dir.path(), &[], &[]);
    let path = dir.path().join("server-token");
    let token = std::fs::read_to_string(&path).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let client = reqwest::Client::new();
    let body = json!({"organizationId": "o", "documentIds": ["d"]});
    let (st, _) = post(&client, &server.base, "/v1/comments/get", &token, &body).await;
    assert_eq!(st, 200);
    let (st, _) = post(&client, &server.base, "/v1/comments/get", "nope", &body).await;
    assert_eq!(st, 401);
    drop(server);
    // The same token is reused on the next start.
    let again = spawn(dir.path(), &[], &[]);
    let (st, _) = post(&client, &again.base, "/v1/comments/get", &token, &body).await;
    assert_eq!(st, 200);
}

#[tokio::test]
async fn insecure_flag_serves_without_token_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_logging(dir.path(), "warn", &[], &["--insecure-no-auth"]);
    let base = server.base.clone();
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/comments/get"))
        .json(&json!({"organizationId": "o", "documentIds": ["d"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let stderr = server.stop_and_read_stderr();
    assert!(stderr.contains("authentication is DISABLED"), "{stderr}");
    assert!(!dir.path().join("server-token").exists());
}

#[test]
fn secrets_never_reach_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = spawn_logging(
        dir.path(),
        "debug",
        &[
            ("VELT_SERVER_TOKENS", "super-secret-token-value"),
            ("VELT_API_KEY", "secret-api-key-value"),
        ],
        &[],
    );
    let base = server.base.clone();
    rt.block_on(async {
        let client = reqwest::Client::new();
        for token in ["super-secret-token-value", "wrong-token-value"] {
            let _ = post(
                &client,
                &base,
                "/v1/comments/save",
                token,
                &json!({"commentAnnotation": {"a": {"comments": {"1": {"commentText": "private words"}}}}, "metadata": {"organizationId": "o"}}),
            )
            .await;
        }
    });
    let stderr = server.stop_and_read_stderr();
    assert!(stderr.contains("request finished"), "{stderr}");
    for secret in [
        "super-secret-token-value",
        "wrong-token-value",
        "secret-api-key-value",
        "private words",
    ] {
        assert!(
            !stderr.contains(secret),
            "{secret} leaked into the logs:\n{stderr}"
        );
    }
}

/// The access log line of each provider request names its `event`: read
/// from the body as sent (the last one when a body names two), for saves,
/// gets and the activity get (which may take its organization from the
/// token) alike.
#[test]
fn the_access_log_names_each_requests_event() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = spawn_logging(dir.path(), "info", &[("VELT_SERVER_TOKENS", TOKEN)], &[]);
    let base = server.base.clone();
    let statuses = rt.block_on(async {
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for (path, body) in [
            (
                "/v1/comments/save",
                r#"{"event": "addComment", "commentAnnotation": {"a": {"annotationId": "a", "comments": {"1": {"commentId": 1, "commentText": "hi"}}}}, "metadata": {"organizationId": "o", "documentId": "d"}}"#,
            ),
            (
                "/v1/comments/get",
                r#"{"event": "first-of-two", "organizationId": "o", "documentIds": ["d"], "event": "second-of-two"}"#,
            ),
            (
                "/v1/activities/get",
                r#"{"event": "activities-event", "organizationId": "o"}"#,
            ),
        ] {
            let r = client
                .post(format!("{base}{path}"))
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            statuses.push(r.status().as_u16());
        }
        statuses
    });
    let stderr = server.stop_and_read_stderr();
    assert_eq!(statuses, [200, 200, 200], "{stderr}");
    let finished: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("request finished"))
        .collect();
    assert_eq!(finished.len(), 3, "{stderr}");
    for (line, event) in finished
        .iter()
        .zip(["addComment", "second-of-two", "activities-event"])
    {
        assert!(
            line.contains(&format!("event=\"{event}\"")),
            "{event}: {line}"
        );
    }
    assert!(!stderr.contains("first-of-two"), "{stderr}");
}

#[test]
fn help_documents_every_flag_and_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_velt-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--bind",
        "VELT_SERVER_BIND",
        "127.0.0.1:8080",
        "--data-dir",
        "VELT_DATA_DIR",
        "--sqlite-path",
        "--sqlite-synchronous",
        "--attachments-dir",
        "--public-url",
        "--cors-origins",
        "VELT_CORS_ORIGINS",
        "--cors-allow-credentials",
        "VELT_CORS_ALLOW_CREDENTIALS",
        "--body-limit",
        "--upload-limit",
        "--max-array-len",
        "--request-timeout-secs",
        "--jwt-public-key-file",
        "--jwt-algorithm",
        "--jwt-issuer",
        "--jwt-audience",
        "--jwt-org-claim",
        "--jwt-leeway-secs",
        "--mongodb-database",
        "--insecure-no-auth",
        "--log-format",
        "VELT_SERVER_TOKENS",
        "VELT_JWT_SECRET",
        "VELT_API_KEY",
        "VELT_MONGODB_URI",
        "AWS_S3_BUCKET_NAME",
        "AWS_ACCESS_KEY_ID",
        "AWS_S3_ENDPOINT_URL",
        "RUST_LOG",
        "/healthz",
        "/readyz",
    ] {
        assert!(help.contains(needle), "--help does not mention {needle}");
    }
}

#[test]
fn cors_credentials_with_a_wildcard_origin_is_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_velt-server"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .args(["--cors-origins", "*", "--insecure-no-auth"])
        .env("VELT_CORS_ALLOW_CREDENTIALS", "true")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the server must not start");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CORS credentials") && stderr.contains("not `*`"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}
