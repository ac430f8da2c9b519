//! Receive Velt webhooks safely, without a server framework.
//!
//! - [`Verifier`]: advanced webhooks (Standard Webhooks: `webhook-id`,
//!   `webhook-timestamp`, `webhook-signature` with one or more `v1,<base64>`
//!   HMAC-SHA256 signatures; several `whsec_` secrets at once for rotation;
//!   a timestamp tolerance of 5 minutes by default) and basic webhooks
//!   (`Authorization: Basic <token>`, several tokens). Every comparison is
//!   constant-time, and the body is the raw bytes received (`&[u8]`): a
//!   re-serialised JSON value would not match the signature.
//! - [`decode`] / [`decrypt`] / [`open`]: Base64-encoded and encrypted bodies
//!   (AES-256-CBC payload, key wrapped with RSA-OAEP-SHA-256).
//! - [`sign`] / [`signed_headers`] / [`encrypt`] / [`encode`]: the sending side,
//!   for tests, `velt webhook send` and velt-server's forwarding.
//!
//! Secrets, tokens and private keys never appear in `Debug` output or errors.
//!
//! ```
//! use velt_webhooks::{SigningSecret, Verifier, VerifyError, sign};
//!
//! let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"event":"comment.add","data":{}}"#;
//! let now = std::time::SystemTime::now();
//! let ts = now.duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
//! let headers = vec![
//!     ("webhook-id", "msg_1".to_string()),
//!     ("webhook-timestamp", ts.to_string()),
//!     ("webhook-signature", sign(&secret, "msg_1", ts, body)),
//! ];
//! let verifier = Verifier::new().signing_secret(secret);
//! assert_eq!(verifier.verify_at(&headers, body, now)?.id(), Some("msg_1"));
//! // One changed byte and the delivery is refused.
//! assert_eq!(
//!     verifier.verify_at(&headers, br#"{"event":"comment.add","data":{ }}"#, now),
//!     Err(VerifyError::NoMatchingSignature)
//! );
//! let event = velt_webhooks::open(body, None)?;
//! assert_eq!(event.kind.as_str(), "comment.add");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod payload;
mod secret;
mod verify;

pub use error::{KeyError, PayloadError, SecretError, VerifyError};
pub use payload::{
    PrivateKey, PublicKey, Wrapping, decode, decrypt, encode, encrypt, open, pkcs1_to_pkcs8,
    unwrap_body,
};
pub use secret::{BasicToken, SECRET_PREFIX, SigningSecret, WebhookSecret, parse_secret_list};
pub use velt_models::webhooks as events;
pub use verify::{
    DEFAULT_TOLERANCE, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Headers, Verified, Verifier,
    sign, signed_headers,
};
