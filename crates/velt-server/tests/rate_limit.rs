//! Rate limits over real HTTP: `429` with `Retry-After` and the resolver
//! error body, recovery after waiting, keys per token and per client
//! address, `X-Forwarded-For` believed only from trusted proxies, health
//! routes never limited.
//!
//! Rates are tiny (one token every 2 s) so that a loaded machine cannot
//! refill a bucket between two requests of a test, and waits follow the
//! server's own `Retry-After`, which is rounded up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ops_common;

use std::time::Duration;

use ops_common::{OTHER_TOKEN, TOKEN, auth, start};
use serde_json::{Value, json};
use velt_server::ServerOptions;
use velt_server::ops::{Limit, RateLimitOptions, parse_trusted_proxies};

/// Half a request per second: a bucket takes 2 s to regain one token.
fn slow(burst: u32) -> Option<Limit> {
    Limit::new(0.5, burst)
}

/// Asserts a 429 answer; returns its `Retry-After` in seconds.
async fn assert_limited(resp: reqwest::Response, what: &str) -> u64 {
    assert_eq!(resp.status(), 429);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "success": false,
            "statusCode": 429,
            "error": format!("too many requests from {what}: retry after {retry} s"),
            "errorCode": "RATE_LIMITED",
        })
    );
    retry
}

#[tokio::test]
async fn over_the_limit_answers_429_with_retry_after_then_recovers() {
    let limits = RateLimitOptions::off().per_ip(slow(2));
    let server = start(ServerOptions::new(auth()).rate_limit(limits), None).await;
    for _ in 0..2 {
        assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
    }
    let retry = assert_limited(
        server.get_comments(Some(TOKEN), &[]).await,
        "this client address",
    )
    .await;
    // Refused requests do not reach the routes, whatever they are.
    let resp = server
        .client
        .get(server.url("/no/such/route"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    // Health checks are never limited.
    for path in ["/healthz", "/readyz"] {
        for _ in 0..3 {
            let resp = server.client.get(server.url(path)).send().await.unwrap();
            assert_eq!(resp.status(), 200, "{path}");
        }
    }
    // After Retry-After (rounded up by the server), one request passes again.
    tokio::time::sleep(Duration::from_secs(retry) + Duration::from_millis(50)).await;
    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
}

#[tokio::test]
async fn tokens_have_buckets_of_their_own() {
    let limits = RateLimitOptions::off().per_token(slow(1));
    let server = start(ServerOptions::new(auth()).rate_limit(limits), None).await;
    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
    assert_limited(server.get_comments(Some(TOKEN), &[]).await, "this token").await;
    // The same address with another token is not limited...
    assert_eq!(
        server.get_comments(Some(OTHER_TOKEN), &[]).await.status(),
        200
    );
    // ...nor a request without a token (refused by authentication instead).
    for _ in 0..3 {
        assert_eq!(server.get_comments(None, &[]).await.status(), 401);
    }
}

#[tokio::test]
async fn addresses_from_a_trusted_proxy_are_read_from_x_forwarded_for() {
    let limits = RateLimitOptions::off()
        .per_ip(slow(1))
        .trusted_proxies(parse_trusted_proxies(&["127.0.0.1/32"]).unwrap());
    let server = start(ServerOptions::new(auth()).rate_limit(limits), None).await;
    let a = [("x-forwarded-for", "203.0.113.1")];
    let b = [("x-forwarded-for", "203.0.113.2")];
    assert_eq!(server.get_comments(Some(TOKEN), &a).await.status(), 200);
    assert_limited(
        server.get_comments(Some(TOKEN), &a).await,
        "this client address",
    )
    .await;
    // Another client behind the same proxy has its own bucket.
    assert_eq!(server.get_comments(Some(TOKEN), &b).await.status(), 200);
    // A client cannot pick a fresh address by prepending one: the proxy's
    // hop (the rightmost entry) is what counts.
    let forged = [("x-forwarded-for", "198.51.100.77, 203.0.113.1")];
    assert_limited(
        server.get_comments(Some(TOKEN), &forged).await,
        "this client address",
    )
    .await;
    // The proxy itself, without the header, is a client of its own.
    assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_unless_the_peer_is_trusted() {
    for trusted in [vec![], parse_trusted_proxies(&["10.0.0.0/8"]).unwrap()] {
        let limits = RateLimitOptions::off()
            .per_ip(slow(1))
            .trusted_proxies(trusted.clone());
        let server = start(ServerOptions::new(auth()).rate_limit(limits), None).await;
        let a = [("x-forwarded-for", "203.0.113.1")];
        let b = [("x-forwarded-for", "203.0.113.2")];
        assert_eq!(server.get_comments(Some(TOKEN), &a).await.status(), 200);
        // The header names another client, but the peer (127.0.0.1) is not a
        // trusted proxy: same bucket, refused.
        assert_limited(
            server.get_comments(Some(TOKEN), &b).await,
            "this client address",
        )
        .await;
    }
}

#[tokio::test]
async fn no_limit_when_off() {
    let server = start(
        ServerOptions::new(auth()).rate_limit(RateLimitOptions::off()),
        None,
    )
    .await;
    for _ in 0..50 {
        assert_eq!(server.get_comments(Some(TOKEN), &[]).await.status(), 200);
    }
}

#[test]
fn help_lists_the_flags_and_variables() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_velt-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--metrics-bind",
        "VELT_METRICS_BIND",
        "--rate-limit-per-ip",
        "VELT_RATE_LIMIT_PER_IP",
        "--rate-limit-per-ip-burst",
        "VELT_RATE_LIMIT_PER_IP_BURST",
        "--rate-limit-per-token",
        "VELT_RATE_LIMIT_PER_TOKEN",
        "--rate-limit-per-token-burst",
        "VELT_RATE_LIMIT_PER_TOKEN_BURST",
        "--rate-limit-max-keys",
        "VELT_RATE_LIMIT_MAX_KEYS",
        "--trusted-proxies",
        "VELT_TRUSTED_PROXIES",
    ] {
        assert!(help.contains(needle), "--help does not mention {needle}");
    }
}

#[test]
fn bad_settings_stop_the_binary_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["--trusted-proxies", "10.0.0.0/40"][..],
            "invalid trusted proxy `10.0.0.0/40`",
        ),
        (
            &["--rate-limit-per-ip=-5"][..],
            "--rate-limit-per-ip must be a number of requests per second >= 0",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_velt-server"))
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(args)
            .env("VELT_SERVER_TOKENS", TOKEN)
            .env_remove("VELT_MONGODB_URI")
            .env_remove("VELT_POSTGRES_URL")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} started");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
