//! Round trips of Velt's encryption scheme with an RSA key pair made here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use velt_webhooks::events::{EventData, EventKind, EventType};
use velt_webhooks::{
    KeyError, PayloadError, PrivateKey, PublicKey, Wrapping, decrypt, encrypt, pkcs1_to_pkcs8,
    unwrap_body,
};

const EVENT: &[u8] = br#"{"event":"comment_annotation.add","actionType":"add","source":"comment","webhookId":"w1","data":{"commentAnnotation":{"annotationId":"a-1"},"actionUser":{"userId":"u1","email":"u1@example.com"}}}"#;

#[test]
fn encrypt_then_decrypt_returns_the_exact_bytes() {
    let key = PrivateKey::generate().unwrap();
    let envelope = encrypt(EVENT, &key.public_key()).unwrap();
    // The documented envelope: 256-byte wrapped key, 16-byte IV, block-aligned data.
    assert_eq!(STANDARD.decode(&envelope.encrypted_key).unwrap().len(), 256);
    assert_eq!(STANDARD.decode(&envelope.iv).unwrap().len(), 16);
    assert_eq!(
        STANDARD.decode(&envelope.encrypted_data).unwrap().len() % 16,
        0
    );
    assert_eq!(decrypt(&envelope, &key).unwrap(), EVENT);

    // And through the body path: JSON on the wire → the typed event.
    let body = serde_json::to_vec(&envelope).unwrap();
    let (json, wrapping) = unwrap_body(&body, Some(&key)).unwrap();
    assert_eq!((json.as_slice(), wrapping), (EVENT, Wrapping::Encrypted));
    let event = velt_webhooks::open(&body, Some(&key)).unwrap();
    assert_eq!(
        event.kind,
        EventType::Known(EventKind::CommentAnnotationAdd)
    );
    assert!(matches!(event.data, EventData::Comment(_)));
}

#[test]
fn two_encryptions_use_fresh_keys_and_ivs() {
    let key = PrivateKey::generate().unwrap();
    let a = encrypt(EVENT, &key.public_key()).unwrap();
    let b = encrypt(EVENT, &key.public_key()).unwrap();
    assert_ne!(a.iv, b.iv);
    assert_ne!(a.encrypted_key, b.encrypted_key);
    assert_ne!(a.encrypted_data, b.encrypted_data);
}

#[test]
fn keys_load_from_pem_pkcs8_pkcs1_and_bare_base64() {
    let key = PrivateKey::generate().unwrap();
    let pkcs8 = key.to_pkcs8_der().unwrap();
    // An RSA PKCS#8 `PrivateKeyInfo` is a 26-byte header around the PKCS#1 key:
    // wrapping the inner key again gives the same DER.
    let pkcs1 = &pkcs8[26..];
    assert_eq!(pkcs1_to_pkcs8(pkcs1), pkcs8);

    let envelope = encrypt(EVENT, &key.public_key()).unwrap();
    let b64 = |d: &[u8]| STANDARD.encode(d);
    let pem = |label: &str, d: &[u8]| {
        let body = b64(d)
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    };
    for text in [
        pem("PRIVATE KEY", &pkcs8),
        pem("RSA PRIVATE KEY", pkcs1),
        b64(&pkcs8),
        // Velt's Node example: the bare Base64 of a PKCS#1 key.
        b64(pkcs1),
    ] {
        let loaded = PrivateKey::parse(&text).unwrap();
        assert_eq!(decrypt(&envelope, &loaded).unwrap(), EVENT);
    }
    // The public key in the form Velt's console takes.
    let public = PublicKey::parse(&key.public_key().to_base64_der().unwrap()).unwrap();
    let again = encrypt(EVENT, &public).unwrap();
    assert_eq!(decrypt(&again, &key).unwrap(), EVENT);

    assert_eq!(
        PrivateKey::parse("not a key!").unwrap_err(),
        KeyError::NotBase64
    );
    assert!(matches!(
        PrivateKey::parse("AAAA").unwrap_err(),
        KeyError::Rejected(_)
    ));
    assert!(!format!("{key:?}").contains(&b64(&pkcs8)[..20]));
}

#[test]
fn tampering_and_wrong_keys_are_typed_errors() {
    let key = PrivateKey::generate().unwrap();
    let other = PrivateKey::generate().unwrap();
    let envelope = encrypt(EVENT, &key.public_key()).unwrap();

    assert!(matches!(
        decrypt(&envelope, &other),
        Err(PayloadError::KeyUnwrap)
    ));

    let mut wrapped = STANDARD.decode(&envelope.encrypted_key).unwrap();
    wrapped[10] ^= 0x40;
    let mut bad = envelope.clone();
    bad.encrypted_key = STANDARD.encode(&wrapped);
    assert!(matches!(decrypt(&bad, &key), Err(PayloadError::KeyUnwrap)));

    // Flipping a bit of the last block breaks the PKCS#7 padding (or the JSON).
    let mut data = STANDARD.decode(&envelope.encrypted_data).unwrap();
    let n = data.len();
    data[n - 1] ^= 0x01;
    let mut bad = envelope.clone();
    bad.encrypted_data = STANDARD.encode(&data);
    match decrypt(&bad, &key) {
        Err(PayloadError::Decrypt) => {}
        Ok(plain) => assert_ne!(plain, EVENT),
        Err(e) => panic!("unexpected {e}"),
    }

    let mut bad = envelope.clone();
    bad.iv = STANDARD.encode([0u8; 8]);
    assert!(matches!(
        decrypt(&bad, &key),
        Err(PayloadError::BadIvLength(8))
    ));
    let mut bad = envelope.clone();
    bad.encrypted_data = "***".into();
    assert!(matches!(
        decrypt(&bad, &key),
        Err(PayloadError::FieldNotBase64("encryptedData"))
    ));

    // A decrypted body that is not an event.
    let not_event = encrypt(b"[1,2,3]", &key.public_key()).unwrap();
    let body = serde_json::to_vec(&not_event).unwrap();
    assert!(matches!(
        velt_webhooks::open(&body, Some(&key)),
        Err(PayloadError::Event(_))
    ));
}

#[test]
fn malformed_bodies_are_typed_errors() {
    assert!(matches!(
        unwrap_body(b"{oops", None),
        Err(PayloadError::NotJson(_))
    ));
    assert!(matches!(
        unwrap_body(br#"{"encodedPayload":"%%%"}"#, None),
        Err(PayloadError::NotBase64)
    ));
    // A plain event that merely has an `encodedPayload` field among others stays plain.
    let (json, w) = unwrap_body(br#"{"event":"x","encodedPayload":"e30="}"#, None).unwrap();
    assert_eq!(w, Wrapping::Plain);
    assert_eq!(json, br#"{"event":"x","encodedPayload":"e30="}"#);
}
