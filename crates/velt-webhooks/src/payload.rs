//! Encoded and encrypted bodies: `decode`, `decrypt`, `encrypt`, and
//! [`open`] which takes any body Velt sends to the event inside.
//!
//! Encryption as Velt documents it: the JSON event is encrypted with
//! AES-256-CBC (PKCS#7 padding) under a random 32-byte key and a random
//! 16-byte IV; the key is encrypted with RSA-OAEP (SHA-256, MGF1-SHA-256) to
//! the public key the customer gave Velt's console; the body is
//! `{"encryptedData", "encryptedKey", "iv"}`, each Base64.

use aws_lc_rs::cipher::{
    AES_256, DecryptionContext, PaddedBlockDecryptingKey, PaddedBlockEncryptingKey,
    UnboundCipherKey,
};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
    PrivateDecryptingKey, PublicEncryptingKey,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use velt_models::webhooks::{EncodedPayload, EncryptedPayload, Event};

use crate::error::{KeyError, PayloadError};

/// The customer's RSA private key, which unwraps the AES key of encrypted bodies.
pub struct PrivateKey(PrivateDecryptingKey);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(RSA-{}, <redacted>)", self.0.key_size_bits())
    }
}

/// DER of `AlgorithmIdentifier { rsaEncryption, NULL }` inside PKCS#8.
const PKCS8_RSA_PREFIX: [u8; 18] = [
    0x02, 0x01, 0x00, // version 0
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05,
    0x00, // rsaEncryption, NULL
];

fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8]; // < 0x80: fits in one byte
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8]; // at most 8 length bytes
    out.extend(bytes);
    out
}

/// Wraps a PKCS#1 `RSAPrivateKey` DER in a PKCS#8 `PrivateKeyInfo`.
pub fn pkcs1_to_pkcs8(pkcs1: &[u8]) -> Vec<u8> {
    let mut octet = vec![0x04];
    octet.extend(der_len(pkcs1.len()));
    octet.extend_from_slice(pkcs1);
    let inner_len = PKCS8_RSA_PREFIX.len() + octet.len();
    let mut out = vec![0x30];
    out.extend(der_len(inner_len));
    out.extend_from_slice(&PKCS8_RSA_PREFIX);
    out.extend(octet);
    out
}

/// Base64 DER from PEM text (any `-----BEGIN …-----` armour) or bare Base64.
fn pem_or_base64(text: &str) -> Result<(Vec<u8>, Option<String>), KeyError> {
    let label = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .map(str::to_owned);
    let b64: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = STANDARD.decode(b64).map_err(|_| KeyError::NotBase64)?;
    Ok((der, label))
}

impl PrivateKey {
    /// Reads a key as PEM (`PRIVATE KEY` = PKCS#8, `RSA PRIVATE KEY` =
    /// PKCS#1) or as bare Base64 DER of either format.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let (der, label) = pem_or_base64(text)?;
        match label.as_deref() {
            Some("RSA PRIVATE KEY") => Self::from_pkcs1_der(&der),
            Some("PRIVATE KEY") => Self::from_pkcs8_der(&der),
            _ => Self::from_pkcs8_der(&der).or_else(|_| Self::from_pkcs1_der(&der)),
        }
    }

    /// A PKCS#8 DER key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        PrivateDecryptingKey::from_pkcs8(der)
            .map(Self)
            .map_err(|_| KeyError::Rejected("PKCS#8"))
    }

    /// A PKCS#1 DER key.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        PrivateDecryptingKey::from_pkcs8(&pkcs1_to_pkcs8(der))
            .map(Self)
            .map_err(|_| KeyError::Rejected("PKCS#1"))
    }

    /// A new random RSA-2048 key (for tests and `velt webhook send`).
    pub fn generate() -> Result<Self, KeyError> {
        PrivateDecryptingKey::generate(KeySize::Rsa2048)
            .map(Self)
            .map_err(|_| KeyError::Generate)
    }

    /// The PKCS#8 DER of this key.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        self.0
            .as_der()
            .map(|d| d.as_ref().to_vec())
            .map_err(|_| KeyError::Rejected("PKCS#8"))
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.public_key())
    }
}

/// The public key Velt encrypts to (the customer pastes it into Velt's
/// console as Base64 `SubjectPublicKeyInfo` DER, without PEM armour).
pub struct PublicKey(PublicEncryptingKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey(RSA-{})", self.0.key_size_bits())
    }
}

impl PublicKey {
    /// Reads PEM (`PUBLIC KEY`) or bare Base64 of `SubjectPublicKeyInfo` DER.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let (der, _) = pem_or_base64(text)?;
        PublicEncryptingKey::from_der(&der)
            .map(Self)
            .map_err(|_| KeyError::Rejected("SubjectPublicKeyInfo"))
    }

    /// The Base64 DER form Velt's console takes.
    pub fn to_base64_der(&self) -> Result<String, KeyError> {
        self.0
            .as_der()
            .map(|d| STANDARD.encode(d.as_ref()))
            .map_err(|_| KeyError::Rejected("SubjectPublicKeyInfo"))
    }
}

/// Decodes an `{"encodedPayload": "<base64>"}` body to the JSON bytes inside.
pub fn decode(envelope: &EncodedPayload) -> Result<Vec<u8>, PayloadError> {
    STANDARD
        .decode(envelope.encoded_payload.trim())
        .map_err(|_| PayloadError::NotBase64)
}

/// Base64-encodes a body the way Velt's "payload encoding" does.
pub fn encode(body: &[u8]) -> EncodedPayload {
    EncodedPayload::new(STANDARD.encode(body))
}

fn field(name: &'static str, b64: &str) -> Result<Vec<u8>, PayloadError> {
    STANDARD
        .decode(b64.trim())
        .map_err(|_| PayloadError::FieldNotBase64(name))
}

/// Decrypts an `{"encryptedData", "encryptedKey", "iv"}` body to the JSON bytes inside.
pub fn decrypt(envelope: &EncryptedPayload, key: &PrivateKey) -> Result<Vec<u8>, PayloadError> {
    let wrapped = field("encryptedKey", &envelope.encrypted_key)?;
    let iv = field("iv", &envelope.iv)?;
    let mut data = field("encryptedData", &envelope.encrypted_data)?;
    let iv: [u8; 16] = iv
        .as_slice()
        .try_into()
        .map_err(|_| PayloadError::BadIvLength(iv.len()))?;

    let oaep = OaepPrivateDecryptingKey::new(key.0.clone()).map_err(|_| PayloadError::KeyUnwrap)?;
    let mut aes_key = vec![0u8; oaep.min_output_size()];
    let aes_key = oaep
        .decrypt(&OAEP_SHA256_MGF1SHA256, &wrapped, &mut aes_key, None)
        .map_err(|_| PayloadError::KeyUnwrap)?;
    if aes_key.len() != 32 {
        return Err(PayloadError::BadKeyLength(aes_key.len()));
    }
    let cipher = UnboundCipherKey::new(&AES_256, aes_key)
        .and_then(PaddedBlockDecryptingKey::cbc_pkcs7)
        .map_err(|_| PayloadError::Decrypt)?;
    let plain = cipher
        .decrypt(&mut data, DecryptionContext::Iv128(FixedLength::from(iv)))
        .map_err(|_| PayloadError::Decrypt)?;
    Ok(plain.to_vec())
}

/// Encrypts a body the way Velt's "payload encryption" does (sending side).
pub fn encrypt(body: &[u8], key: &PublicKey) -> Result<EncryptedPayload, PayloadError> {
    let mut aes_key = [0u8; 32];
    aws_lc_rs::rand::fill(&mut aes_key).map_err(|_| PayloadError::Encrypt)?;
    let cipher = UnboundCipherKey::new(&AES_256, &aes_key)
        .and_then(PaddedBlockEncryptingKey::cbc_pkcs7)
        .map_err(|_| PayloadError::Encrypt)?;
    let mut data = body.to_vec();
    let context = cipher
        .encrypt(&mut data)
        .map_err(|_| PayloadError::Encrypt)?;
    let iv: &[u8] = (&context).try_into().map_err(|_| PayloadError::Encrypt)?;
    let oaep = OaepPublicEncryptingKey::new(key.0.clone()).map_err(|_| PayloadError::Encrypt)?;
    let mut wrapped = vec![0u8; oaep.ciphertext_size()];
    let wrapped = oaep
        .encrypt(&OAEP_SHA256_MGF1SHA256, &aes_key, &mut wrapped, None)
        .map_err(|_| PayloadError::Encrypt)?;
    Ok(EncryptedPayload::new(
        STANDARD.encode(&data),
        STANDARD.encode(wrapped),
        STANDARD.encode(iv),
    ))
}

/// How a received body was wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wrapping {
    /// Plain JSON.
    Plain,
    /// `{"encodedPayload"}`.
    Encoded,
    /// `{"encryptedData", "encryptedKey", "iv"}`.
    Encrypted,
}

/// Takes a verified body (plain, Base64-encoded or encrypted) to the JSON
/// bytes of the event, and says how it was wrapped.
pub fn unwrap_body(
    body: &[u8],
    key: Option<&PrivateKey>,
) -> Result<(Vec<u8>, Wrapping), PayloadError> {
    let value: Value = serde_json::from_slice(body).map_err(PayloadError::NotJson)?;
    let obj = value.as_object();
    let has = |k: &str| obj.is_some_and(|o| o.get(k).is_some_and(Value::is_string));
    if has("encryptedData") && has("encryptedKey") && has("iv") {
        let envelope: EncryptedPayload =
            serde_json::from_value(value).map_err(PayloadError::NotJson)?;
        let key = key.ok_or(PayloadError::NoPrivateKey)?;
        return Ok((decrypt(&envelope, key)?, Wrapping::Encrypted));
    }
    if has("encodedPayload") && obj.is_some_and(|o| o.len() == 1) {
        let envelope: EncodedPayload =
            serde_json::from_value(value).map_err(PayloadError::NotJson)?;
        return Ok((decode(&envelope)?, Wrapping::Encoded));
    }
    Ok((body.to_vec(), Wrapping::Plain))
}

/// [`unwrap_body`] then [`Event::from_json`]: any body Velt sends to the typed event.
pub fn open(body: &[u8], key: Option<&PrivateKey>) -> Result<Event, PayloadError> {
    let (json, _) = unwrap_body(body, key)?;
    Ok(Event::from_json(&json)?)
}
