//! Health, CORS, request ids, timeouts and processing slots.

use std::time::Duration;

use serde_json::{Value, json};
use velt_server::ServerOptions;

use crate::common::{self, TOKEN, start, start_with};
use crate::{data, err};

#[tokio::test]
async fn health_and_readiness() {
    let s = start().await;
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    let r = s.client.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ready"}));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let s = start().await;
    // Warm the reader pool: its connections outlive the file.
    for _ in 0..4 {
        let r = s.client.get(s.url("/readyz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    std::fs::remove_file(s.dir.path().join("velt.db")).unwrap();
    let r = s.client.get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"status": "unavailable", "error": "the database is not reachable"})
    );
    // /healthz only says the process is up.
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let s = start_with(
        ServerOptions::new(common::default_auth()).cors_origins(["https://app.example.com"]),
    )
    .await;
    let pre = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/v1/comments/get"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 200);
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let allowed = pre.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    let evil = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/v1/comments/get"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        evil.headers().get("access-control-allow-origin").is_none(),
        "{:?}",
        evil.headers()
    );
    // Without configured origins, no CORS headers at all.
    let plain = start().await;
    let r = plain
        .client
        .post(plain.url("/v1/comments/get"))
        .bearer_auth(TOKEN)
        .header("origin", "https://app.example.com")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let s = start().await;
    let r = s
        .client
        .get(s.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = s
        .client
        .get(s.url("/healthz"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id.is_empty() && id != "bad id with spaces");
}

#[tokio::test]
async fn slow_requests_time_out_with_a_resolver_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = start_with(
        ServerOptions::new(common::default_auth()).request_timeout(Duration::from_millis(200)),
    )
    .await;
    // A client that announces 100 bytes and sends 18 of them, then stalls.
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/comments/get HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"organizationId\":"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut chunk))
            .await
            .expect("no answer within 10 s")
            .unwrap();
        buf.extend_from_slice(&chunk[..n]);
        if n == 0 || buf.windows(4).any(|w| w == b"}}}}") || buf.ends_with(b"}") {
            break;
        }
    }
    let text = String::from_utf8(buf).unwrap();
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    let json_start = text.find("\r\n\r\n").unwrap() + 4;
    let body: Value = serde_json::from_str(&text[json_start..]).unwrap();
    assert_eq!(
        body,
        err(503, "TIMEOUT", "the request did not complete within 200 ms")
    );
}

#[tokio::test]
async fn stalled_uploads_do_not_hold_processing_slots() {
    use tokio::io::AsyncWriteExt;
    let s = start_with(ServerOptions::new(common::default_auth()).max_concurrent_requests(1)).await;
    // Three clients announce a body and stall mid-way.
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /v1/comments/get HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\ncontent-length: 100\r\n\r\n{{"
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        stalled.push(conn);
    }
    // A normal request is still served.
    let (st, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "o", "documentIds": ["d"]}),
        )
        .await;
    assert_eq!((st, body), (200, data(json!({}))));
    drop(stalled);
}
