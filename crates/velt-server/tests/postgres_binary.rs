//! The `velt-server` binary on PostgreSQL (`VELT_POSTGRES_URL`): a save and
//! a get over real HTTP land in velt-py's table, the password never reaches
//! the logs, and `velt-server schema-sql` prints the library's DDL.
//!
//! The server comes from `VELT_TEST_POSTGRES_URL` (`cargo xtask test` sets
//! it); without it the tests fail under `VELT_TEST_REQUIRE_SERVERS`/`CI`
//! and are skipped otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
use binary_common::Server;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio_postgres::NoTls;
use velt_selfhost::backends::postgres::{PostgresConfig, postgres_schema_sql};

const TOKEN: &str = "pg-binary-test-token";
const PASSWORD: &str = "s3cret-pg-pass";

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn server_url() -> Option<String> {
    match std::env::var("VELT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("VELT_TEST_POSTGRES_URL is not set but VELT_TEST_REQUIRE_SERVERS/CI is")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP: VELT_TEST_POSTGRES_URL is not set (run `cargo xtask test`)"
            );
            None
        }
    }
}

/// The URL with a password added (the test servers use trust authentication,
/// so it is accepted and ignored).
fn with_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap();
            format!("{scheme}://{user}:{PASSWORD}@{host}")
        }
        None => format!("{scheme}://postgres:{PASSWORD}@{rest}"),
    }
}

fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.env_remove("VELT_SERVER_TOKENS")
        .env_remove("VELT_JWT_SECRET")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("AWS_S3_BUCKET_NAME");
    cmd
}

#[tokio::test]
async fn server_on_postgres_round_trips_a_save_over_http() {
    let Some(url) = server_url() else { return };
    let schema = format!(
        "vbin_{}_{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut child = binary()
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env("VELT_POSTGRES_URL", with_password(&url))
        .env("VELT_POSTGRES_SCHEMA", &schema)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let base = binary_common::listening(&mut child);
    let server = Server { child, base };

    let client = reqwest::Client::new();
    let save = json!({
        "commentAnnotation": {"ann-1": {"comments": {"1": {"commentText": "hello"}}}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
    });
    let r = client
        .post(format!("{}/v1/comments/save", server.base))
        .bearer_auth(TOKEN)
        .json(&save)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"success": true, "statusCode": 200})
    );
    let r = client
        .post(format!("{}/v1/comments/get", server.base))
        .bearer_auth(TOKEN)
        .json(&json!({"organizationId": "org-a", "documentIds": ["doc-1"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["success"], json!(true), "{body}");
    assert_eq!(
        body["data"]["ann-1"]["comments"]["1"]["commentText"],
        json!("hello"),
        "{body}"
    );
    assert_eq!(body["data"]["ann-1"]["annotationId"], json!("ann-1"));

    // The record is in velt-py's table, in the configured schema.
    let (pg, conn) = tokio_postgres::connect(&url, NoTls).await.unwrap();
    tokio::spawn(conn);
    let rows = pg
        .query(
            &format!("SELECT data FROM \"{schema}\".\"comment_annotations\""),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let data: Value = rows[0].get(0);
    assert_eq!(data["annotationId"], json!("ann-1"));
    assert_eq!(
        data["metadata"],
        json!({"organizationId": "org-a", "documentId": "doc-1"})
    );

    drop(server);
    let mut logs = String::new();
    stderr.read_to_string(&mut logs).unwrap();
    assert!(logs.contains("using PostgreSQL"), "{logs}");
    assert!(!logs.contains(PASSWORD), "password in the logs: {logs}");
}

#[test]
fn unreachable_postgres_fails_startup_without_the_password() {
    if server_url().is_none() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let out = binary()
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env(
            "VELT_POSTGRES_URL",
            format!("postgres://velt:{PASSWORD}@127.0.0.1:{port}/velt?sslmode=disable"),
        )
        .env("VELT_POSTGRES_CONNECT_TIMEOUT_SECS", "2")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("database unavailable"), "{text}");
    assert!(!text.contains(PASSWORD), "password leaked: {text}");
}

#[test]
fn schema_sql_prints_the_library_ddl() {
    let out = binary()
        .args(["--postgres-schema", "velt", "schema-sql"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    let expected = postgres_schema_sql(&PostgresConfig::from_url("postgres://x/y").schema("velt"));
    assert_eq!(printed, expected);
    assert!(printed.contains("CREATE SCHEMA IF NOT EXISTS \"velt\";"));
    // velt-py's 7 tables, plus velt-rs's own: permissions and the two webhook tables.
    assert_eq!(printed.matches("CREATE TABLE IF NOT EXISTS").count(), 10);
    for table in [
        "comment_annotations",
        "reaction_annotations",
        "recorder_annotations",
        "notifications",
        "activities",
        "attachments",
        "users",
        "permissions",
        "velt_webhook_receipts",
        "velt_webhook_outbox",
    ] {
        assert!(
            printed.contains(&format!("CREATE TABLE IF NOT EXISTS \"velt\".\"{table}\"")),
            "no table {table}: {printed}"
        );
    }
    assert_eq!(printed.matches(" INDEX IF NOT EXISTS \"ix_").count(), 42);
}
