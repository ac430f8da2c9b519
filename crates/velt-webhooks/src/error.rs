//! Typed errors. None of them carries a secret, a token or a key.

/// A secret or token that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// Empty (or only the `whsec_` prefix).
    #[error("the webhook secret is empty")]
    Empty,
    /// The part after `whsec_` is not Base64.
    #[error("the webhook secret is not Base64 after its `whsec_` prefix")]
    NotBase64,
}

/// Why a delivery is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The verifier has no secret or token of the kind the request needs.
    #[error("no webhook secret is configured for {0} webhooks")]
    NotConfigured(&'static str),
    /// A required header is absent (or not visible ASCII).
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not an integer number of seconds.
    #[error("the `webhook-timestamp` header is not a Unix timestamp")]
    InvalidTimestamp,
    /// The timestamp is older than the tolerance.
    #[error("the webhook timestamp is {age_secs} s old (tolerance {tolerance_secs} s)")]
    TimestampTooOld {
        /// How old, in seconds.
        age_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("the webhook timestamp is {ahead_secs} s in the future (tolerance {tolerance_secs} s)")]
    TimestampInFuture {
        /// How far ahead, in seconds.
        ahead_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// No `v1` signature of the header matches any configured secret.
    #[error("no webhook signature matches")]
    NoMatchingSignature,
    /// `Authorization` is not `Basic <token>`.
    #[error("the `authorization` header is not `Basic <token>`")]
    NotBasic,
    /// The Basic token matches no configured token.
    #[error("the Basic token is not accepted")]
    WrongToken,
}

/// Why a body cannot be read as an event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The body is not JSON.
    #[error("the webhook body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// `encodedPayload` is not Base64.
    #[error("`encodedPayload` is not Base64")]
    NotBase64,
    /// A field of an encrypted envelope is not Base64.
    #[error("`{0}` of the encrypted payload is not Base64")]
    FieldNotBase64(&'static str),
    /// The IV is not 16 bytes.
    #[error("`iv` is {0} bytes, AES-CBC needs 16")]
    BadIvLength(usize),
    /// The body is encrypted and no private key was given.
    #[error("the webhook body is encrypted and no private key is configured")]
    NoPrivateKey,
    /// RSA-OAEP-SHA-256 could not unwrap the key (wrong private key, or tampered).
    #[error("cannot unwrap `encryptedKey` with this private key (RSA-OAEP-SHA-256)")]
    KeyUnwrap,
    /// The unwrapped key is not 32 bytes.
    #[error("the unwrapped AES key is {0} bytes, AES-256 needs 32")]
    BadKeyLength(usize),
    /// AES-256-CBC decryption or its PKCS#7 padding failed (tampered data or wrong key).
    #[error("cannot decrypt `encryptedData` (AES-256-CBC): wrong key or tampered data")]
    Decrypt,
    /// Encryption failed (sending side).
    #[error("cannot encrypt the payload")]
    Encrypt,
    /// The decoded / decrypted body is not a webhook event.
    #[error(transparent)]
    Event(#[from] velt_models::webhooks::EventError),
}

/// An RSA key that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not PEM and not Base64 DER.
    #[error("the RSA key is neither PEM nor Base64 DER")]
    NotBase64,
    /// The DER is not an RSA key of 2048 to 8192 bits in the expected format.
    #[error("the RSA key is not a usable {0} RSA key (2048 to 8192 bits)")]
    Rejected(&'static str),
    /// Key generation failed.
    #[error("cannot generate an RSA key")]
    Generate,
}
