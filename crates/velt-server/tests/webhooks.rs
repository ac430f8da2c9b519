//! `POST /v1/webhooks/velt` over real HTTP, against the real `velt-server`
//! binary (SQLite in a temporary directory) and a real receiving endpoint:
//! verification, dedupe, enrichment, signed forwarding, retries, restarts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
use binary_common::Server;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use velt_webhooks::{SigningSecret, Verifier, sign};

const TOKEN: &str = "webhook-test-token";
const VELT_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BASIC_TOKEN: &str = "velt-basic-token";
const FORWARD_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn spawn(data_dir: &Path, forward_urls: &str) -> Server {
    spawn_with(data_dir, forward_urls, &[])
}

fn spawn_with(data_dir: &Path, forward_urls: &str, extra_env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args([
            "--webhook-retry-base-ms",
            "100",
            "--webhook-retry-max-secs",
            "1",
        ])
        .args(["--webhook-forward-timeout-secs", "1"])
        .env_remove("VELT_JWT_SECRET")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("AWS_S3_BUCKET_NAME")
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env(
            "VELT_WEBHOOK_SECRETS",
            format!("{VELT_SECRET},{BASIC_TOKEN}"),
        )
        .env("VELT_WEBHOOK_FORWARD_URLS", forward_urls)
        .env("VELT_WEBHOOK_FORWARD_SECRET", FORWARD_SECRET)
        .env("RUST_LOG", "warn")
        .stderr(Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    Server::start(cmd)
}

/// What the customer's endpoint received.
#[derive(Default)]
struct Received {
    requests: Mutex<Vec<(HeaderMap, Bytes)>>,
    /// Answer 500 to this many requests first.
    fail_first: AtomicUsize,
}

async fn receiver_handler(
    State(r): State<Arc<Received>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    r.requests.lock().unwrap().push((headers, body));
    let failing = r
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn receiver_on(
    listener: tokio::net::TcpListener,
    fail_first: usize,
) -> (String, Arc<Received>) {
    let addr: SocketAddr = listener.local_addr().unwrap();
    let received = Arc::new(Received::default());
    received.fail_first.store(fail_first, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receiver_handler))
        .with_state(received.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/hook"), received)
}

async fn receiver(fail_first: usize) -> (String, Arc<Received>) {
    receiver_on(
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        fail_first,
    )
    .await
}

/// Waits until `r` holds at least `n` requests (at most 20 s).
async fn wait_for(r: &Received, n: usize) {
    for _ in 0..200 {
        if r.requests.lock().unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "expected {n} deliveries, got {}",
        r.requests.lock().unwrap().len()
    );
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn velt_event(webhook_id: &str) -> Value {
    json!({
        "event": "comment.add", "actionType": "add", "source": "comment",
        "webhookId": webhook_id, "platform": "sdk",
        "data": {
            "actionUser": {"userId": "u1", "organizationId": "org-1"},
            "commentAnnotation": {"annotationId": "ann-1", "isCommentTextAvailable": false},
            "targetComment": {"commentId": 1},
            "metadata": {"document": {"documentId": "doc-1"},
                         "organization": {"organizationId": "org-1"}}
        }
    })
}

async fn send_signed(base: &str, id: &str, ts: i64, body: &[u8], secret: &str) -> (u16, Value) {
    let s = SigningSecret::parse(secret).unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/webhooks/velt"))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sign(&s, id, ts, body))
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn provider(base: &str, path: &str, body: Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "{path}: {}",
        r.text().await.unwrap()
    );
}

async fn seed(base: &str) {
    provider(
        base,
        "/v1/users/save",
        json!({"organizationId": "org-1", "users": [
            {"userId": "u1", "name": "Ada Lovelace", "email": "ada@example.com"},
            {"userId": "u2", "name": "Bob Babbage", "email": "bob@example.com"}
        ]}),
    )
    .await;
    provider(
        base,
        "/v1/comments/save",
        json!({
            "commentAnnotation": {"ann-1": {
                "annotationId": "ann-1",
                "comments": {"1": {
                    "commentId": 1,
                    "commentText": "Hi @Bob, look at this",
                    "commentHtml": "<p>Hi <b>@Bob</b>, look at this</p>",
                    "from": {"userId": "u1"},
                    "taggedUserContacts": [{"userId": "u2", "contact": {"userId": "u2"}}]
                }},
                "from": {"userId": "u1"}
            }},
            "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
        }),
    )
    .await;
}

fn forward_verifier() -> Verifier {
    Verifier::new().signing_secret(SigningSecret::parse(FORWARD_SECRET).unwrap())
}

fn header_pairs(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn valid_delivery_is_enriched_and_forwarded_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (url, received) = receiver(0).await;
    let server = spawn(dir.path(), &url);
    seed(&server.base).await;

    let event = velt_event("velt-wh-1");
    let body = serde_json::to_vec(&event).unwrap();
    let (status, answer) = send_signed(&server.base, "msg_1", now(), &body, VELT_SECRET).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({"status": "accepted", "webhookId": "msg_1", "event": "comment.add", "deliveries": 1})
    );

    wait_for(&received, 1).await;
    let (headers, fwd) = received.requests.lock().unwrap()[0].clone();
    // Signed with the customer's forward secret, same webhook-id as Velt's delivery.
    let verified = forward_verifier()
        .verify(&header_pairs(&headers), &fwd)
        .unwrap();
    assert_eq!(verified.id(), Some("msg_1"));
    let fwd: Value = serde_json::from_slice(&fwd).unwrap();
    assert_eq!(
        fwd,
        json!({
            "type": "velt.webhook.enriched",
            "event": "comment.add",
            "webhookId": "msg_1",
            "organizationId": "org-1",
            "comment": {
                "annotationId": "ann-1",
                "commentId": 1,
                "text": "Hi @Bob, look at this",
                "html": "<p>Hi <b>@Bob</b>, look at this</p>",
                "author": {"userId": "u1", "name": "Ada Lovelace", "email": "ada@example.com"},
                "mentions": [{"userId": "u2", "name": "Bob Babbage", "email": "bob@example.com"}]
            },
            "annotation": {
                "annotationId": "ann-1",
                "comments": {"1": {
                    "commentId": 1,
                    "commentText": "Hi @Bob, look at this",
                    "commentHtml": "<p>Hi <b>@Bob</b>, look at this</p>",
                    "from": {"userId": "u1"},
                    "taggedUserContacts": [{"userId": "u2", "contact": {"userId": "u2"}}]
                }},
                "from": {"userId": "u1"},
                "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
            },
            "documentId": "doc-1",
            "velt": event
        })
    );
    // Exactly one delivery.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(received.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn refusals_have_the_right_status_and_deliver_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (url, received) = receiver(0).await;
    let server = spawn(dir.path(), &url);
    let body = serde_json::to_vec(&velt_event("w")).unwrap();
    let client = reqwest::Client::new();
    let hook = format!("{}/v1/webhooks/velt", server.base);

    // Bad signature: signed with another secret.
    let (s, a) = send_signed(&server.base, "msg_bad", now(), &body, FORWARD_SECRET).await;
    assert_eq!(
        (s, a["errorCode"].as_str()),
        (401, Some("INVALID_SIGNATURE"))
    );
    assert_eq!(a["error"], "no webhook signature matches");

    // Tampered body.
    let s_ = SigningSecret::parse(VELT_SECRET).unwrap();
    let ts = now();
    let r = client
        .post(&hook)
        .header("webhook-id", "msg_t")
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sign(&s_, "msg_t", ts, &body))
        .body([&body[..], b" "].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    // Stale and future timestamps.
    let (s, a) = send_signed(&server.base, "msg_old", now() - 600, &body, VELT_SECRET).await;
    assert_eq!((s, a["errorCode"].as_str()), (401, Some("STALE_TIMESTAMP")));
    let (s, a) = send_signed(&server.base, "msg_new", now() + 600, &body, VELT_SECRET).await;
    assert_eq!((s, a["errorCode"].as_str()), (401, Some("STALE_TIMESTAMP")));

    // Missing headers.
    let r = client.post(&hook).body(body.clone()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["errorCode"], "INVALID_HEADERS");

    // Wrong Basic token, then the right one.
    let r = client
        .post(&hook)
        .header("authorization", "Basic not-the-token")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["errorCode"], "INVALID_TOKEN");
    assert!(!a.to_string().contains(BASIC_TOKEN));

    // Malformed bodies, correctly signed.
    for bad in [
        &b"{not json"[..],
        br#"{"no": "event"}"#,
        br#"{"event":"comment.add","data":{"actionUser":7}}"#,
    ] {
        let (s, a) = send_signed(&server.base, "msg_m", now(), bad, VELT_SECRET).await;
        assert_eq!(
            (s, a["errorCode"].as_str()),
            (400, Some("INVALID_BODY")),
            "{a}"
        );
    }

    // Nothing got through so far.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(received.requests.lock().unwrap().is_empty());

    // A valid delivery, then the same webhook-id again (Velt retrying, or a replay).
    let (s, a) = send_signed(&server.base, "msg_once", now(), &body, VELT_SECRET).await;
    assert_eq!((s, a["status"].as_str()), (200, Some("accepted")));
    let (s, a) = send_signed(&server.base, "msg_once", now(), &body, VELT_SECRET).await;
    assert_eq!(
        (s, a),
        (200, json!({"status": "duplicate", "webhookId": "msg_once"}))
    );
    // Basic webhook with the right token: accepted, deduped by its webhookId.
    let basic = |b: Vec<u8>| {
        client
            .post(&hook)
            .header("authorization", format!("Basic {BASIC_TOKEN}"))
            .body(b)
            .send()
    };
    let flat = serde_json::to_vec(&json!({"webhookId": "basic-1", "actionType": "join",
        "notificationSource": "huddle", "actionUser": {"userId": "u1"}}))
    .unwrap();
    let a: Value = basic(flat.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(a["status"], "accepted");
    assert_eq!(a["event"], "huddle.join");
    let a: Value = basic(flat).await.unwrap().json().await.unwrap();
    assert_eq!(a["status"], "duplicate");

    wait_for(&received, 2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = received.requests.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "one delivery per accepted event");
    let ids: Vec<Value> = got
        .iter()
        .map(|(_, b)| serde_json::from_slice::<Value>(b).unwrap()["webhookId"].clone())
        .collect();
    assert_eq!(ids, [json!("msg_once"), json!("basic-1")]);
}

#[tokio::test]
async fn failing_downstream_gets_the_event_exactly_once_after_recovering() {
    let dir = tempfile::tempdir().unwrap();
    let (url, received) = receiver(2).await;
    // A second endpoint that never answers: it must not hold the first one up.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("http://127.0.0.1:{port}/dead")
    };
    let server = spawn(dir.path(), &format!("{dead},{url}"));
    let body = serde_json::to_vec(&velt_event("w-2")).unwrap();
    let (s, a) = send_signed(&server.base, "msg_retry", now(), &body, VELT_SECRET).await;
    assert_eq!((s, a["deliveries"].clone()), (200, json!(2)));

    wait_for(&received, 3).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = received.requests.lock().unwrap().clone();
    // Two failures (500), then one success; no delivery after the success.
    assert_eq!(got.len(), 3);
    for (h, b) in got.iter() {
        let v = forward_verifier().verify(&header_pairs(h), b).unwrap();
        assert_eq!(v.id(), Some("msg_retry"));
    }
}

#[tokio::test]
async fn server_killed_between_receipt_and_delivery_delivers_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    // Reserve a port with nothing listening yet.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/hook");
    let body = serde_json::to_vec(&velt_event("w-3")).unwrap();
    {
        let mut server = spawn(dir.path(), &url);
        let (s, _) = send_signed(&server.base, "msg_crash", now(), &body, VELT_SECRET).await;
        assert_eq!(s, 200);
        // SIGKILL: no graceful shutdown, the endpoint never saw the event.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let (_, received) = receiver_on(listener, 0).await;
    let server = spawn(dir.path(), &url);
    wait_for(&received, 1).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = received.requests.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let fwd: Value = serde_json::from_slice(&got[0].1).unwrap();
    assert_eq!(fwd["webhookId"], "msg_crash");
    assert_eq!(fwd["velt"], velt_event("w-3"));

    // And Velt retrying the same delivery to the restarted server is a duplicate.
    let (s, a) = send_signed(&server.base, "msg_crash", now(), &body, VELT_SECRET).await;
    assert_eq!((s, a["status"].as_str()), (200, Some("duplicate")));
}

/// The MongoDB URI of `cargo xtask test`, or `None` (skip) when absent and
/// not required (`VELT_TEST_REQUIRE_SERVERS` or `CI`).
#[cfg(feature = "mongodb")]
fn mongo_uri() -> Option<String> {
    let set = |n: &str| std::env::var(n).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    match std::env::var("VELT_TEST_MONGODB_URI")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(v),
        None if set("VELT_TEST_REQUIRE_SERVERS") || set("CI") => {
            panic!("VELT_TEST_MONGODB_URI is not set but servers are required")
        }
        None => {
            eprintln!("SKIP: VELT_TEST_MONGODB_URI not set; run `cargo xtask test`");
            None
        }
    }
}

/// Two nodes on one MongoDB database: node A accepts an event and dies
/// before delivering it; node B (another data directory, same database)
/// delivers A's outbox record and treats Velt's retry as a duplicate.
#[cfg(feature = "mongodb")]
#[tokio::test]
async fn nodes_sharing_a_mongodb_database_share_dedupe_and_outbox() {
    let Some(uri) = mongo_uri() else { return };
    let db = format!(
        "velt_webhooks_test_{}_{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let env = [
        ("VELT_MONGODB_URI", uri.as_str()),
        ("VELT_MONGODB_DATABASE", db.as_str()),
    ];
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/hook");
    let body = serde_json::to_vec(&velt_event("w-4")).unwrap();
    let dir_a = tempfile::tempdir().unwrap();
    {
        let mut a = spawn_with(dir_a.path(), &url, &env);
        seed(&a.base).await;
        let (s, _) = send_signed(&a.base, "msg_nodes", now(), &body, VELT_SECRET).await;
        assert_eq!(s, 200);
        a.child.kill().unwrap();
        a.child.wait().unwrap();
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let (_, received) = receiver_on(listener, 0).await;
    let dir_b = tempfile::tempdir().unwrap();
    let b = spawn_with(dir_b.path(), &url, &env);
    let (s, a) = send_signed(&b.base, "msg_nodes", now(), &body, VELT_SECRET).await;
    assert_eq!((s, a["status"].as_str()), (200, Some("duplicate")));
    wait_for(&received, 1).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = received.requests.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let fwd: Value = serde_json::from_slice(&got[0].1).unwrap();
    assert_eq!(fwd["webhookId"], "msg_nodes");
    assert_eq!(fwd["comment"]["text"], "Hi @Bob, look at this");
    assert_eq!(fwd["comment"]["author"]["email"], "ada@example.com");
}

#[tokio::test]
async fn encrypted_and_encoded_deliveries_are_opened_before_enrichment() {
    let dir = tempfile::tempdir().unwrap();
    let key = velt_webhooks::PrivateKey::generate().unwrap();
    let key_path = dir.path().join("velt-webhook.key");
    let pem = {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(key.to_pkcs8_der().unwrap());
        format!("-----BEGIN PRIVATE KEY-----\n{b64}\n-----END PRIVATE KEY-----\n")
    };
    std::fs::write(&key_path, pem).unwrap();
    let (url, received) = receiver(0).await;
    let server = spawn_with(
        dir.path(),
        &url,
        &[("VELT_WEBHOOK_PRIVATE_KEY_FILE", key_path.to_str().unwrap())],
    );
    seed(&server.base).await;

    let event = velt_event("w-5");
    let plain = serde_json::to_vec(&event).unwrap();
    let encrypted =
        serde_json::to_vec(&velt_webhooks::encrypt(&plain, &key.public_key()).unwrap()).unwrap();
    let (s, a) = send_signed(&server.base, "msg_enc", now(), &encrypted, VELT_SECRET).await;
    assert_eq!((s, a["status"].as_str()), (200, Some("accepted")), "{a}");
    let encoded = serde_json::to_vec(&velt_webhooks::encode(&plain)).unwrap();
    let (s, a) = send_signed(&server.base, "msg_b64", now(), &encoded, VELT_SECRET).await;
    assert_eq!((s, a["status"].as_str()), (200, Some("accepted")), "{a}");

    // Encrypted to another key: verified, but refused as undecryptable.
    let other = velt_webhooks::PrivateKey::generate().unwrap();
    let wrong =
        serde_json::to_vec(&velt_webhooks::encrypt(&plain, &other.public_key()).unwrap()).unwrap();
    let (s, a) = send_signed(&server.base, "msg_wrong", now(), &wrong, VELT_SECRET).await;
    assert_eq!((s, a["errorCode"].as_str()), (400, Some("INVALID_BODY")));

    wait_for(&received, 2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = received.requests.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    for (_, b) in &got {
        let fwd: Value = serde_json::from_slice(b).unwrap();
        assert_eq!(fwd["velt"], event);
        assert_eq!(fwd["comment"]["text"], "Hi @Bob, look at this");
    }
}
