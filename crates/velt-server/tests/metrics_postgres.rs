//! The binary on PostgreSQL with `--metrics-bind`: the pool gauges and the
//! store series carry `backend="postgres"`.
//!
//! The server comes from `VELT_TEST_POSTGRES_URL` (`cargo xtask test` sets
//! it); without it the test fails under `VELT_TEST_REQUIRE_SERVERS`/`CI`
//! and is skipped otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ops_common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use ops_common::{TOKEN, parse};
use serde_json::json;
use tokio_postgres::NoTls;

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

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn pool_usage_and_store_series_on_postgres() {
    let Some(url) = server_url() else { return };
    let schema = format!("vops_{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_velt-server"))
            .args(["--bind", "127.0.0.1:0", "--metrics-bind", "127.0.0.1:0"])
            .args(["--postgres-pool-size", "5", "--data-dir"])
            .arg(dir.path())
            .env_remove("VELT_MONGODB_URI")
            .env_remove("AWS_S3_BUCKET_NAME")
            .env("VELT_SERVER_TOKENS", TOKEN)
            .env("VELT_POSTGRES_URL", &url)
            .env("VELT_POSTGRES_SCHEMA", &schema)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("velt-server listening on ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    line.clear();
    out.read_line(&mut line).unwrap();
    let metrics = line
        .trim()
        .strip_prefix("velt-server metrics on ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/v1/comments/get"))
        .bearer_auth(TOKEN)
        .json(&json!({"organizationId": "org-1", "documentIds": ["doc-1"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let s = parse(&text);
    assert_eq!(
        s.get(r#"velt_server_store_pool_connections{backend="postgres",state="max"}"#),
        5.0,
        "{text}"
    );
    let open = s.get(r#"velt_server_store_pool_connections{backend="postgres",state="open"}"#);
    let idle = s.get(r#"velt_server_store_pool_connections{backend="postgres",state="idle"}"#);
    // The request is answered: its connection went back to the pool.
    assert!((1.0..=5.0).contains(&open), "{text}");
    assert_eq!(idle, open, "{text}");
    assert_eq!(
        s.get(r#"velt_server_store_pool_waiting{backend="postgres"}"#),
        0.0
    );
    assert_eq!(
        s.get(r#"velt_server_store_operation_duration_seconds_count{backend="postgres",operation="find_raw",collection="comments"}"#),
        1.0,
        "{text}"
    );
    drop(child);
    let (pg, conn) = tokio_postgres::connect(&url, NoTls).await.unwrap();
    tokio::spawn(conn);
    pg.execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"), &[])
        .await
        .unwrap();
}
