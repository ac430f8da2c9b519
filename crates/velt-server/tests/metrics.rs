//! Prometheus metrics over real HTTP: scrape, act, scrape, and compare the
//! exact changes of each series with its labels. `/metrics` answers on its
//! own listener only, in-process and in the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
mod ops_common;

use std::collections::BTreeMap;
use std::io::BufReader;
use std::process::{Command, Stdio};
use std::time::Duration;

use binary_common::{Server, prefixed_line};
use ops_common::{TOKEN, auth, parse, start};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use velt_server::ServerOptions;
use velt_server::ops::{Limit, Metrics, RateLimitOptions};

fn deltas(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// Only the counters (and histogram counts) of a delta: sums move by
/// amounts that depend on timing.
fn counts(d: BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    d.into_iter()
        .filter(|(k, _)| !k.contains("_sum{") && !k.contains("_bucket{"))
        .collect()
}

#[tokio::test]
async fn requests_are_counted_by_route_template_status_and_store_operation() {
    let server = start(
        ServerOptions::new(auth()).rate_limit(RateLimitOptions::off()),
        Some(Metrics::new()),
    )
    .await;
    let before = server.scrape().await;

    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
    assert_eq!(server.get_comments(None, &[]).await.status(), 401);
    let file = server
        .client
        .get(server.url("/v1/attachments/files/org-1/secret-name.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 404);
    let stray = server
        .client
        .get(server.url("/wp-admin/x.php"))
        .send()
        .await
        .unwrap();
    assert_eq!(stray.status(), 404);

    let after = server.scrape().await;
    let get = r#"route="/v1/comments/get",method="POST""#;
    let files = r#"route="/v1/attachments/files/{*key}",method="GET""#;
    let stray = r#"route="unmatched",method="GET""#;
    let find = r#"backend="sqlite",operation="find_raw",collection="comments""#;
    assert_eq!(
        counts(after.delta(&before)),
        deltas(&[
            (
                &format!(r#"velt_server_requests_total{{{get},status="200"}}"#),
                2.0
            ),
            (
                &format!(r#"velt_server_requests_total{{{get},status="401"}}"#),
                1.0
            ),
            (
                &format!(r#"velt_server_requests_total{{{files},status="404"}}"#),
                1.0
            ),
            (
                &format!(r#"velt_server_requests_total{{{stray},status="404"}}"#),
                1.0
            ),
            (
                &format!("velt_server_request_duration_seconds_count{{{get}}}"),
                3.0
            ),
            (
                &format!("velt_server_request_duration_seconds_count{{{files}}}"),
                1.0
            ),
            (
                &format!("velt_server_request_duration_seconds_count{{{stray}}}"),
                1.0
            ),
            (r#"velt_server_rejections_total{reason="auth"}"#, 1.0),
            (
                &format!("velt_server_store_operation_duration_seconds_count{{{find}}}"),
                2.0
            ),
        ])
    );
    // Latencies land in buckets: each of the three gets is under 30 s.
    assert_eq!(
        after.get(&format!(
            r#"velt_server_request_duration_seconds_bucket{{{get},le="30"}}"#
        )) - before.get(&format!(
            r#"velt_server_request_duration_seconds_bucket{{{get},le="30"}}"#
        )),
        3.0
    );
    assert!(
        after.get(&format!(
            "velt_server_store_operation_duration_seconds_sum{{{find}}}"
        )) > 0.0
    );
    // Nothing is in flight between requests, and no raw path is a label.
    assert_eq!(after.get("velt_server_requests_in_flight"), 0.0);
    assert!(
        after
            .0
            .keys()
            .all(|k| !k.contains("secret-name") && !k.contains("wp-admin"))
    );
}

#[tokio::test]
async fn rejections_are_counted_by_reason() {
    let options = ServerOptions::new(auth())
        .body_limit(100)
        .request_timeout(Duration::from_millis(300))
        .rate_limit(RateLimitOptions::off().per_token(Limit::new(0.5, 1)));
    let server = start(options, Some(Metrics::new())).await;
    let before = server.scrape().await;

    // body_too_large: a 200-byte body over a 100-byte limit.
    let big = json!({"organizationId": "org-1", "pad": "x".repeat(200)});
    let resp = server
        .client
        .post(server.url("/v1/comments/get"))
        .bearer_auth(TOKEN)
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    // rate_limit: the token's only token was taken by the request above.
    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 429);
    // auth: a wrong token (its own bucket, so not rate limited).
    assert_eq!(server.get_comments(Some("wrong"), &[]).await.status(), 401);

    // timeout, with the in-flight gauge seen while the request waits: a
    // body announced as 50 bytes of which 10 arrive.
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(
        b"POST /v1/comments/get HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ops-other-token-9876543210\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"organiza",
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let during = server.scrape().await;
    assert_eq!(during.get("velt_server_requests_in_flight"), 1.0);
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), async {
            use tokio::io::AsyncReadExt;
            slow.read(&mut buf).await.unwrap()
        })
        .await
        .unwrap();
        answer.extend_from_slice(&buf[..n]);
        if n == 0 || String::from_utf8_lossy(&answer).contains("\"errorCode\":\"TIMEOUT\"") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");

    let after = server.scrape().await;
    assert_eq!(after.get("velt_server_requests_in_flight"), 0.0);
    let d = after.delta(&before);
    let reasons: BTreeMap<String, f64> = d
        .into_iter()
        .filter(|(k, _)| k.starts_with("velt_server_rejections_total"))
        .collect();
    assert_eq!(
        reasons,
        deltas(&[
            (r#"velt_server_rejections_total{reason="auth"}"#, 1.0),
            (
                r#"velt_server_rejections_total{reason="body_too_large"}"#,
                1.0
            ),
            (r#"velt_server_rejections_total{reason="rate_limit"}"#, 1.0),
            (r#"velt_server_rejections_total{reason="timeout"}"#, 1.0),
        ])
    );
    let get = r#"route="/v1/comments/get",method="POST""#;
    for status in ["413", "429", "401", "503"] {
        assert_eq!(
            after.get(&format!(
                r#"velt_server_requests_total{{{get},status="{status}"}}"#
            )),
            1.0,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn metrics_are_not_served_on_the_provider_listener() {
    let server = start(ServerOptions::new(auth()), Some(Metrics::new())).await;
    let resp = server
        .client
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"success": false, "statusCode": 404, "error": "no such route", "errorCode": "NOT_FOUND"})
    );
    let scraped = server.scrape().await;
    assert!(!scraped.0.is_empty());
}

/// The binary with `--metrics-bind`: metrics on that listener, not on the
/// provider's; the store's series carry the backend it opened.
#[tokio::test]
async fn the_binary_serves_metrics_on_metrics_bind_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args([
        "--bind",
        "127.0.0.1:0",
        "--metrics-bind",
        "127.0.0.1:0",
        "--data-dir",
    ])
    .arg(dir.path())
    .env_remove("VELT_MONGODB_URI")
    .env_remove("VELT_POSTGRES_URL")
    .env_remove("AWS_S3_BUCKET_NAME")
    .env("VELT_SERVER_TOKENS", TOKEN)
    .env("RUST_LOG", "warn")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut server = Server {
        child: cmd.spawn().unwrap(),
        base: String::new(),
    };
    let mut out = BufReader::new(server.child.stdout.take().unwrap());
    server.base = prefixed_line(&mut out, "velt-server listening on ");
    let metrics = prefixed_line(&mut out, "velt-server metrics on ");
    let base = server.base.clone();
    assert_ne!(base, metrics);
    let client = reqwest::Client::new();
    let scrape = || async {
        let r = client
            .get(format!("{metrics}/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        parse(&r.text().await.unwrap())
    };
    let before = scrape().await;
    let save = json!({
        "commentAnnotation": {"a-1": {"comments": {}}},
        "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
    });
    let r = client
        .post(format!("{base}/v1/comments/save"))
        .bearer_auth(TOKEN)
        .json(&save)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = scrape().await;
    let upsert = r#"backend="sqlite",operation="upsert_many",collection="comments""#;
    assert_eq!(
        after.get(&format!(
            "velt_server_store_operation_duration_seconds_count{{{upsert}}}"
        )) - before.get(&format!(
            "velt_server_store_operation_duration_seconds_count{{{upsert}}}"
        )),
        1.0
    );
    assert_eq!(
        after.get(
            r#"velt_server_requests_total{route="/v1/comments/save",method="POST",status="200"}"#
        ) - before.get(
            r#"velt_server_requests_total{route="/v1/comments/save",method="POST",status="200"}"#
        ),
        1.0
    );
    // The provider listener has no /metrics; the metrics listener has nothing else.
    let r = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = client
        .post(format!("{metrics}/v1/comments/save"))
        .bearer_auth(TOKEN)
        .json(&save)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
