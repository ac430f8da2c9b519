//! Known-answer tests from published sources.
//!
//! Standard Webhooks vectors: repository standard-webhooks/standard-webhooks,
//! snapshot commit b2fa7b8719fb75d326b591077f5d1b385cfcdfae:
//! - `libraries/go/webhook_test.go` `TestWebhookSign` (the same vector is in
//!   `libraries/javascript/src/webhook.test.ts`, `libraries/php/tests/WebhookTest.php`
//!   and `libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs`);
//! - `libraries/rust/src/lib.rs` `test_sign`;
//! - `libraries/python/tests/test_webhooks.py` `test_invalid_signature_throws_error`
//!   (the signature with its last character changed).
//!
//! Velt's documented examples: repository velt-js/docs, commit
//! 76d9325bc6689dc3406f3082336110db94734944, `webhooks/advanced.mdx`
//! ("Example signatures", "Payload Encoding", "Payload Encryption").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, UNIX_EPOCH};

use velt_webhooks::events::{EncryptedPayload, EventData, EventKind, EventType};
use velt_webhooks::{
    PayloadError, PrivateKey, SigningSecret, Verified, Verifier, VerifyError, Wrapping, decode,
    decrypt, sign, unwrap_body,
};

struct Vector {
    source: &'static str,
    secret: &'static str,
    id: &'static str,
    timestamp: i64,
    body: &'static str,
    signature: &'static str,
}

const VECTORS: &[Vector] = &[
    Vector {
        source: "standard-webhooks libraries/go/webhook_test.go TestWebhookSign",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: 1614265330,
        body: r#"{"test": 2432232314}"#,
        signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    },
    Vector {
        source: "standard-webhooks libraries/rust/src/lib.rs test_sign",
        secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        timestamp: 1649367553,
        body: r#"{"email":"test@example.com","username":"test_user"}"#,
        signature: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    },
    Vector {
        source: "Velt docs webhooks/advanced.mdx, Example signatures",
        secret: "whsec_plJ3nmyCDGBKInavdOK15jsl",
        id: "msg_loFOjxBNrRLzqYUf",
        timestamp: 1731705121,
        body: r#"{"event_type":"ping","data":{"success":true}}"#,
        signature: "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0=",
    },
];

fn headers(id: &str, ts: i64, sig: &str) -> Vec<(&'static str, String)> {
    vec![
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", sig.to_owned()),
    ]
}

#[test]
fn sign_reproduces_every_published_signature() {
    for v in VECTORS {
        let secret = SigningSecret::parse(v.secret).unwrap();
        assert_eq!(
            sign(&secret, v.id, v.timestamp, v.body.as_bytes()),
            v.signature,
            "{}",
            v.source
        );
    }
}

#[test]
fn verify_accepts_every_published_signature_at_its_time() {
    for v in VECTORS {
        let at = UNIX_EPOCH + Duration::from_secs(v.timestamp as u64);
        let verifier = Verifier::new().signing_secret(SigningSecret::parse(v.secret).unwrap());
        assert_eq!(
            verifier.verify_at(
                &headers(v.id, v.timestamp, v.signature),
                v.body.as_bytes(),
                at
            ),
            Ok(Verified::Signed {
                id: v.id.to_owned(),
                timestamp: v.timestamp
            }),
            "{}",
            v.source
        );
        // Five minutes later it is still inside the default tolerance…
        let later = at + Duration::from_secs(300);
        assert!(
            verifier
                .verify_at(
                    &headers(v.id, v.timestamp, v.signature),
                    v.body.as_bytes(),
                    later
                )
                .is_ok()
        );
        // …one second more and it is stale.
        assert_eq!(
            verifier.verify_at(
                &headers(v.id, v.timestamp, v.signature),
                v.body.as_bytes(),
                later + Duration::from_secs(1)
            ),
            Err(VerifyError::TimestampTooOld {
                age_secs: 301,
                tolerance_secs: 300
            })
        );
    }
}

#[test]
fn python_librarys_altered_signature_is_refused() {
    // test_webhooks.py: the Go vector's signature with its last base64 digit changed.
    let v = &VECTORS[0];
    let at = UNIX_EPOCH + Duration::from_secs(v.timestamp as u64);
    let verifier = Verifier::new().signing_secret(SigningSecret::parse(v.secret).unwrap());
    assert_eq!(
        verifier.verify_at(
            &headers(
                v.id,
                v.timestamp,
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
            ),
            v.body.as_bytes(),
            at
        ),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn velt_docs_multi_signature_header_verifies_with_the_first_entry() {
    // The header example of webhooks/advanced.mdx: one real v1 signature,
    // one v1 that does not match, one v2 entry that is ignored.
    let v = &VECTORS[0];
    let at = UNIX_EPOCH + Duration::from_secs(v.timestamp as u64);
    let header = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= \
                  v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo= \
                  v2,MzJsNDk4MzI0K2VvdSMjMTEjQEBAQDEyMzMzMzEyMwo=";
    let verifier = Verifier::new().signing_secret(SigningSecret::parse(v.secret).unwrap());
    assert!(
        verifier
            .verify_at(&headers(v.id, v.timestamp, header), v.body.as_bytes(), at)
            .is_ok()
    );
}

#[test]
fn velt_docs_base64_example_decodes() {
    let body = br#"{"encodedPayload": "eyJ0ZXN0IjoxLCJ0ZXN0MSI6IjxkaXY+PC9kaXY+In0="}"#;
    let (json, wrapping) = unwrap_body(body, None).unwrap();
    assert_eq!(wrapping, Wrapping::Encoded);
    assert_eq!(json, br#"{"test":1,"test1":"<div></div>"}"#);
    let direct = decode(&velt_webhooks::events::EncodedPayload::new(
        "eyJ0ZXN0IjoxLCJ0ZXN0MSI6IjxkaXY+PC9kaXY+In0=",
    ))
    .unwrap();
    assert_eq!(direct, json);
}

#[test]
fn velt_docs_encoded_event_opens_to_a_typed_event() {
    let event =
        br#"{"event":"huddle.join","source":"huddle","data":{"actionUser":{"userId":"1"}}}"#;
    let encoded = serde_json::to_vec(&velt_webhooks::encode(event)).unwrap();
    let opened = velt_webhooks::open(&encoded, None).unwrap();
    assert_eq!(opened.kind, EventType::Known(EventKind::HuddleJoin));
    assert!(matches!(opened.data, EventData::Huddle(_)));
}

#[test]
fn velt_docs_encrypted_sample_has_the_documented_shape_and_refuses_a_wrong_key() {
    let raw = include_str!("fixtures/velt-docs-encrypted-sample.json");
    let envelope: EncryptedPayload = serde_json::from_str(raw).unwrap();
    // The documented IV is Base64 of 16 bytes.
    assert_eq!(envelope.iv, "SHM0UHU5WXoyTG03TnExWA==");
    // Velt never published the private key: a key that is not the right one
    // is refused with a typed error (OAEP fails to unwrap), not a panic.
    let wrong = PrivateKey::generate().unwrap();
    assert!(matches!(
        decrypt(&envelope, &wrong),
        Err(PayloadError::KeyUnwrap)
    ));
    // And without any key, the body is recognised as encrypted.
    assert!(matches!(
        unwrap_body(raw.as_bytes(), None),
        Err(PayloadError::NoPrivateKey)
    ));
}
