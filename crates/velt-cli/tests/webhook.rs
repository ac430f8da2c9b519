//! Runs the built `velt` binary: `velt webhook verify`, `send` and `events`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use velt_webhooks::{PrivateKey, SigningSecret, Verified, Verifier, sign};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &str = r#"{"event":"comment.add","actionType":"add","source":"comment","webhookId":"wh-1","data":{"commentAnnotation":{"annotationId":"a-1"}}}"#;
const TS: i64 = 1_800_000_000;

fn velt(secrets: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt"));
    cmd.env_clear()
        .env("VELT_WEBHOOK_SECRETS", secrets)
        .stdin(Stdio::null());
    cmd
}

fn out_str(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn write_tmp(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn verify_cmd(dir: &tempfile::TempDir, body: &[u8], headers: &[(&str, String)]) -> Output {
    let body_path = write_tmp(dir, "body.json", body);
    let mut cmd = velt(SECRET);
    cmd.args([
        "webhook",
        "verify",
        "--body",
        &body_path,
        "--now",
        &TS.to_string(),
    ]);
    for (k, v) in headers {
        cmd.args(["-H", &format!("{k}: {v}")]);
    }
    cmd.output().unwrap()
}

fn signed_headers(body: &[u8], ts: i64) -> Vec<(&'static str, String)> {
    let s = SigningSecret::parse(SECRET).unwrap();
    vec![
        ("webhook-id", "msg_1".into()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", sign(&s, "msg_1", ts, body)),
    ]
}

#[test]
fn verify_prints_the_event_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let out = verify_cmd(&dir, BODY.as_bytes(), &signed_headers(BODY.as_bytes(), TS));
    assert!(out.status.success(), "{}", out_str(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, serde_json::from_str::<Value>(BODY).unwrap());
    assert_eq!(
        out_str(&out.stderr),
        "verified: advanced webhook msg_1 (comment.add)\n"
    );
}

#[test]
fn verify_reads_a_curl_style_headers_file() {
    let dir = tempfile::tempdir().unwrap();
    let h = signed_headers(BODY.as_bytes(), TS);
    let file = format!(
        "HTTP/1.1 POST\r\nContent-Type: application/json\r\nWebhook-Id: {}\r\nWebhook-Timestamp: {}\r\nWebhook-Signature: {}\r\n",
        h[0].1, h[1].1, h[2].1
    );
    let headers = write_tmp(&dir, "headers.txt", file.as_bytes());
    let body = write_tmp(&dir, "body.json", BODY.as_bytes());
    let out = velt(SECRET)
        .args(["webhook", "verify", "--body", &body, "--headers", &headers])
        .args(["--now", &TS.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_str(&out.stderr));
}

#[test]
fn verify_refusals_exit_1_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let headers = signed_headers(BODY.as_bytes(), TS);
    let tampered = BODY.replace("a-1", "a-2");
    let out = verify_cmd(&dir, tampered.as_bytes(), &headers);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        out_str(&out.stderr),
        "error: refused: no webhook signature matches\n"
    );
    assert!(out.stdout.is_empty());

    let stale = signed_headers(BODY.as_bytes(), TS - 301);
    let out = verify_cmd(&dir, BODY.as_bytes(), &stale);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        out_str(&out.stderr),
        "error: refused: the webhook timestamp is 301 s old (tolerance 300 s)\n"
    );

    let out = verify_cmd(&dir, BODY.as_bytes(), &headers[1..]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        out_str(&out.stderr),
        "error: refused: the `webhook-id` header is missing\n"
    );

    // A correctly signed body that is not a Velt event.
    let junk = br#"{"hello": "world"}"#;
    let out = verify_cmd(&dir, junk, &signed_headers(junk, TS));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out_str(&out.stderr).starts_with("error: verified, but the body is not an event"),
        "{}",
        out_str(&out.stderr)
    );
}

#[test]
fn verify_basic_token_and_wrong_token() {
    let dir = tempfile::tempdir().unwrap();
    let body = write_tmp(&dir, "body.json", BODY.as_bytes());
    let ok = velt("tok-1,tok-2")
        .args([
            "webhook",
            "verify",
            "--body",
            &body,
            "-H",
            "Authorization: Basic tok-2",
        ])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", out_str(&ok.stderr));
    assert_eq!(
        out_str(&ok.stderr),
        "verified: basic webhook (comment.add)\n"
    );
    let bad = velt("tok-1,tok-2")
        .args([
            "webhook",
            "verify",
            "--body",
            &body,
            "-H",
            "Authorization: Basic tok-3",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        out_str(&bad.stderr),
        "error: refused: the Basic token is not accepted\n"
    );
    assert!(!out_str(&bad.stderr).contains("tok-1"));
}

#[test]
fn verify_decrypts_with_the_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::generate().unwrap();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64_encode(&key.to_pkcs8_der().unwrap())
    );
    let key_path = write_tmp(&dir, "key.pem", pem.as_bytes());
    let envelope = velt_webhooks::encrypt(BODY.as_bytes(), &key.public_key()).unwrap();
    let wire = serde_json::to_vec(&envelope).unwrap();
    let body_path = write_tmp(&dir, "body.json", &wire);
    let h = signed_headers(&wire, TS);
    let mut cmd = velt(SECRET);
    cmd.args([
        "webhook",
        "verify",
        "--body",
        &body_path,
        "--now",
        &TS.to_string(),
    ])
    .args(["--private-key", &key_path]);
    for (k, v) in &h {
        cmd.args(["-H", &format!("{k}: {v}")]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", out_str(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, serde_json::from_str::<Value>(BODY).unwrap());

    // Without the key: verified, but unreadable.
    let mut cmd = velt(SECRET);
    cmd.args([
        "webhook",
        "verify",
        "--body",
        &body_path,
        "--now",
        &TS.to_string(),
    ]);
    for (k, v) in &h {
        cmd.args(["-H", &format!("{k}: {v}")]);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out_str(&out.stderr).contains("encrypted and no private key"));
}

#[test]
fn missing_secrets_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let body = write_tmp(&dir, "body.json", BODY.as_bytes());
    let out = velt("")
        .args(["webhook", "verify", "--body", &body])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        out_str(&out.stderr),
        "error: VELT_WEBHOOK_SECRETS is not set\n"
    );
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The headers and body a server received.
type Received = (Vec<(String, String)>, Vec<u8>);

/// A one-request HTTP server on loopback: returns (url, handle giving the
/// request's headers and body).
fn one_shot(status: &'static str) -> (String, std::thread::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut headers = Vec::new();
        let mut line = String::new();
        reader.read_line(&mut line).unwrap(); // request line
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap();
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
        )
        .unwrap();
        (headers, body)
    });
    (url, handle)
}

#[test]
fn send_posts_a_sample_the_library_verifies() {
    let (url, server) = one_shot("200 OK");
    let out = velt(SECRET)
        .args([
            "webhook",
            "send",
            "--url",
            &url,
            "--event",
            "comment_annotation.add",
        ])
        .args(["--id", "msg_test"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_str(&out.stderr));
    assert_eq!(out_str(&out.stderr), "200 OK\n");
    let (headers, body) = server.join().unwrap();
    let verifier = Verifier::new().signing_secret(SigningSecret::parse(SECRET).unwrap());
    assert_eq!(
        verifier.verify(&headers, &body).unwrap().id(),
        Some("msg_test")
    );
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["event"], "comment_annotation.add");
    assert_eq!(event["source"], "comment");
    assert_eq!(event["webhookId"], "msg_test");
    assert_eq!(
        event["data"]["commentAnnotation"]["annotationId"],
        "annotation-1"
    );
    let parsed = velt_webhooks::open(&body, None).unwrap();
    assert_eq!(parsed.kind.as_str(), "comment_annotation.add");
}

#[test]
fn send_given_data_as_basic_webhook() {
    let (url, server) = one_shot("204 No Content");
    let out = velt("tok-9")
        .args(["webhook", "send", "--url", &url, "--basic", "--data", BODY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_str(&out.stderr));
    let (headers, body) = server.join().unwrap();
    assert_eq!(body, BODY.as_bytes());
    let verifier = Verifier::new().basic_token(velt_webhooks::BasicToken::new("tok-9").unwrap());
    assert_eq!(verifier.verify(&headers, &body), Ok(Verified::Basic));
}

#[test]
fn send_reports_a_failing_endpoint_and_a_dead_one() {
    let (url, server) = one_shot("500 Internal Server Error");
    let out = velt(SECRET)
        .args(["webhook", "send", "--url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out_str(&out.stderr).contains("the endpoint answered 500"));
    server.join().unwrap();

    // Nothing listens on this port any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = velt(SECRET)
        .args([
            "webhook",
            "send",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn send_dry_run_is_deterministic_and_redacts_basic_tokens() {
    // The Standard Webhooks Go vector, reproduced through the CLI.
    let out = velt(SECRET)
        .args([
            "webhook",
            "send",
            "--url",
            "http://127.0.0.1:9/",
            "--dry-run",
        ])
        .args([
            "--id",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "--timestamp",
            "1614265330",
        ])
        .args(["--data", r#"{"test": 2432232314}"#])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out_str(&out.stderr)
            .contains("webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n"),
        "{}",
        out_str(&out.stderr)
    );
    assert_eq!(out_str(&out.stdout), "{\"test\": 2432232314}\n");

    let out = velt("secret-token")
        .args([
            "webhook",
            "send",
            "--url",
            "http://127.0.0.1:9/",
            "--dry-run",
            "--basic",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out_str(&out.stderr).contains("authorization: Basic <redacted>"));
    assert!(!out_str(&out.stderr).contains("secret-token"));
}

#[test]
fn events_lists_every_kind_and_unknown_sample_types_are_usage_errors() {
    let out = velt("").args(["webhook", "events"]).output().unwrap();
    assert!(out.status.success());
    let text = out_str(&out.stdout);
    assert_eq!(
        text.lines().count(),
        velt_webhooks::events::EventKind::ALL.len()
    );
    assert!(text.contains("comment.add"));
    assert!(text.contains("(basic: comment/newlyAdded)"));

    let out = velt(SECRET)
        .args([
            "webhook",
            "send",
            "--url",
            "http://127.0.0.1:9/",
            "--event",
            "nope.nope",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
