//! Every refusal of `Verifier`, and rotation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use velt_webhooks::{
    BasicToken, SecretError, SigningSecret, Verified, Verifier, VerifyError, WebhookSecret,
    parse_secret_list, sign,
};

const OLD: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NEW: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const BODY: &[u8] = br#"{"event":"comment.add","data":{"commentAnnotation":{"annotationId":"a"}}}"#;

fn now() -> (SystemTime, i64) {
    let t = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    (t, 1_800_000_000)
}

fn signed(secret: &str, ts: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    let s = SigningSecret::parse(secret).unwrap();
    vec![
        ("webhook-id", "msg_1".to_owned()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", sign(&s, "msg_1", ts, body)),
    ]
}

fn verifier(secrets: &[&str]) -> Verifier {
    secrets.iter().fold(Verifier::new(), |v, s| {
        v.signing_secret(SigningSecret::parse(s).unwrap())
    })
}

#[test]
fn rotation_accepts_any_configured_secret_and_any_listed_signature() {
    let (at, ts) = now();
    let both = verifier(&[OLD, NEW]);
    assert!(both.verify_at(&signed(OLD, ts, BODY), BODY, at).is_ok());
    assert!(both.verify_at(&signed(NEW, ts, BODY), BODY, at).is_ok());
    // A sender signing with both keys during rotation: a receiver with only the new one accepts.
    let dual = velt_webhooks::signed_headers(
        &[
            SigningSecret::parse(OLD).unwrap(),
            SigningSecret::parse(NEW).unwrap(),
        ],
        "msg_1",
        ts,
        BODY,
    );
    assert_eq!(dual[2].1.split(' ').count(), 2);
    assert!(verifier(&[NEW]).verify_at(&dual[..], BODY, at).is_ok());
    // Only the old key configured, signed only with the new: refused.
    assert_eq!(
        verifier(&[OLD]).verify_at(&signed(NEW, ts, BODY), BODY, at),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn tampered_body_is_refused() {
    let (at, ts) = now();
    let mut tampered = BODY.to_vec();
    tampered[30] ^= 1;
    assert_eq!(
        verifier(&[OLD]).verify_at(&signed(OLD, ts, BODY), &tampered, at),
        Err(VerifyError::NoMatchingSignature)
    );
    // Re-serialised JSON (same value, other bytes) is also refused: the raw body is required.
    let reserialised =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(BODY).unwrap())
            .unwrap();
    assert_eq!(
        verifier(&[OLD]).verify_at(&signed(OLD, ts, BODY), &reserialised, at),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn tampered_id_or_timestamp_is_refused() {
    let (at, ts) = now();
    let mut h = signed(OLD, ts, BODY);
    h[0].1 = "msg_2".into();
    assert_eq!(
        verifier(&[OLD]).verify_at(&h, BODY, at),
        Err(VerifyError::NoMatchingSignature)
    );
    let mut h = signed(OLD, ts, BODY);
    h[1].1 = (ts - 1).to_string();
    assert_eq!(
        verifier(&[OLD]).verify_at(&h, BODY, at),
        Err(VerifyError::NoMatchingSignature)
    );
}

#[test]
fn stale_and_future_timestamps_are_refused_and_tolerance_is_configurable() {
    let (at, ts) = now();
    let v = verifier(&[OLD]);
    assert_eq!(
        v.verify_at(&signed(OLD, ts - 301, BODY), BODY, at),
        Err(VerifyError::TimestampTooOld {
            age_secs: 301,
            tolerance_secs: 300
        })
    );
    assert_eq!(
        v.verify_at(&signed(OLD, ts + 301, BODY), BODY, at),
        Err(VerifyError::TimestampInFuture {
            ahead_secs: 301,
            tolerance_secs: 300
        })
    );
    assert!(v.verify_at(&signed(OLD, ts + 300, BODY), BODY, at).is_ok());
    let wide = v.clone().tolerance(Duration::from_secs(3600));
    assert!(
        wide.verify_at(&signed(OLD, ts - 3000, BODY), BODY, at)
            .is_ok()
    );
    let narrow = v.tolerance(Duration::from_secs(10));
    assert!(matches!(
        narrow.verify_at(&signed(OLD, ts - 11, BODY), BODY, at),
        Err(VerifyError::TimestampTooOld { .. })
    ));
}

#[test]
fn missing_or_malformed_headers_are_refused() {
    let (at, ts) = now();
    let v = verifier(&[OLD]);
    for (i, name) in ["webhook-id", "webhook-timestamp", "webhook-signature"]
        .into_iter()
        .enumerate()
    {
        let mut h = signed(OLD, ts, BODY);
        h.remove(i);
        assert_eq!(
            v.verify_at(&h, BODY, at),
            Err(VerifyError::MissingHeader(name))
        );
    }
    let mut h = signed(OLD, ts, BODY);
    h[1].1 = "hello".into();
    assert_eq!(
        v.verify_at(&h, BODY, at),
        Err(VerifyError::InvalidTimestamp)
    );
    for bad in [
        "v1,",
        "v1,!!!notbase64",
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "garbage",
    ] {
        let mut h = signed(OLD, ts, BODY);
        h[2].1 = bad.into();
        assert_eq!(
            v.verify_at(&h, BODY, at),
            Err(VerifyError::NoMatchingSignature),
            "{bad}"
        );
    }
}

#[test]
fn svix_header_names_are_accepted_too() {
    let (at, ts) = now();
    let h: Vec<(String, String)> = signed(OLD, ts, BODY)
        .into_iter()
        .map(|(k, v)| (k.replace("webhook-", "svix-"), v))
        .collect();
    assert!(verifier(&[OLD]).verify_at(&h, BODY, at).is_ok());
}

#[test]
fn works_with_http_header_maps() {
    let (at, ts) = now();
    let mut map = http::HeaderMap::new();
    for (k, v) in signed(OLD, ts, BODY) {
        map.insert(k, v.parse().unwrap());
    }
    assert!(verifier(&[OLD]).verify_at(&map, BODY, at).is_ok());
}

#[test]
fn basic_tokens() {
    let v = Verifier::new()
        .basic_token(BasicToken::new("tok-one").unwrap())
        .basic_token(BasicToken::new("tok-two").unwrap());
    assert_eq!(v.verify_basic(Some("Basic tok-one")), Ok(()));
    assert_eq!(v.verify_basic(Some("basic tok-two")), Ok(()));
    assert_eq!(
        v.verify_basic(Some("Basic tok-three")),
        Err(VerifyError::WrongToken)
    );
    assert_eq!(
        v.verify_basic(Some("Basic tok-on")),
        Err(VerifyError::WrongToken)
    );
    assert_eq!(
        v.verify_basic(Some("Bearer tok-one")),
        Err(VerifyError::NotBasic)
    );
    assert_eq!(v.verify_basic(Some("tok-one")), Err(VerifyError::NotBasic));
    assert_eq!(
        v.verify_basic(None),
        Err(VerifyError::MissingHeader("authorization"))
    );
    // Through `verify`: no signature header, so the Basic path is taken.
    let h = vec![("Authorization", "Basic tok-two")];
    assert_eq!(v.verify(&h, BODY), Ok(Verified::Basic));
    let h = vec![("Authorization", "Basic nope")];
    assert_eq!(v.verify(&h, BODY), Err(VerifyError::WrongToken));
}

#[test]
fn unconfigured_kinds_are_refused() {
    let (at, ts) = now();
    let only_basic = Verifier::new().basic_token(BasicToken::new("t").unwrap());
    assert_eq!(
        only_basic.verify_at(&signed(OLD, ts, BODY), BODY, at),
        Err(VerifyError::NotConfigured("advanced"))
    );
    assert_eq!(
        verifier(&[OLD]).verify_basic(Some("Basic t")),
        Err(VerifyError::NotConfigured("basic"))
    );
    // No signature and no basic token configured: the missing header is named.
    assert_eq!(
        verifier(&[OLD]).verify_at(&vec![("authorization", "Basic t")], BODY, at),
        Err(VerifyError::MissingHeader("webhook-id"))
    );
}

#[test]
fn secret_lists_and_redaction() {
    let list = parse_secret_list(&format!(" {OLD} , plain-token,, {NEW}")).unwrap();
    assert_eq!(list.len(), 3);
    assert!(matches!(list[1], WebhookSecret::Basic(_)));
    let v = Verifier::from_secrets(list);
    let (at, ts) = now();
    assert!(v.verify_at(&signed(NEW, ts, BODY), BODY, at).is_ok());
    assert_eq!(v.verify_basic(Some("Basic plain-token")), Ok(()));
    let debug = format!("{v:?}");
    assert!(!debug.contains("MfKQ9r8G"), "{debug}");
    assert!(!debug.contains("plain-token"), "{debug}");
    assert!(debug.contains("<redacted>"));

    assert_eq!(
        SigningSecret::parse("whsec_").unwrap_err(),
        SecretError::Empty
    );
    assert_eq!(
        SigningSecret::parse("whsec_not base64!").unwrap_err(),
        SecretError::NotBase64
    );
    assert_eq!(
        SigningSecret::parse(OLD).unwrap().to_whsec(),
        OLD,
        "whsec round trip"
    );
    // The prefix is optional, as in the Standard Webhooks libraries.
    assert_eq!(
        SigningSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap()
            .key(),
        SigningSecret::parse(OLD).unwrap().key()
    );
}
