//! Signing and verification: Standard Webhooks (advanced webhooks) and
//! Basic tokens (basic webhooks).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::{constant_time, digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::VerifyError;
use crate::secret::{BasicToken, SigningSecret, WebhookSecret};

/// The message-id header.
pub const HEADER_ID: &str = "webhook-id";
/// The timestamp header (Unix seconds).
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// The signature header (space-separated `v1,<base64>` entries).
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// Default timestamp tolerance, both ways: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Read access to request headers by (lower-case) name.
pub trait Headers {
    /// The value of a header, if present and valid text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// `name`, falling back to the `svix-` spelling Svix also sends.
fn header<'h, H: Headers + ?Sized>(headers: &'h H, name: &'static str) -> Option<&'h str> {
    headers
        .header(name)
        .or_else(|| {
            let svix = name.replacen("webhook-", "svix-", 1);
            headers.header(&svix)
        })
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The Standard Webhooks `v1` signature of `id.timestamp.body`: `v1,<base64>`.
pub fn sign(secret: &SigningSecret, id: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1,{}", STANDARD.encode(mac(secret, id, timestamp, body)))
}

/// The three headers of a signed delivery, one `v1` signature per secret.
pub fn signed_headers(
    secrets: &[SigningSecret],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> [(&'static str, String); 3] {
    let signatures: Vec<String> = secrets
        .iter()
        .map(|s| sign(s, id, timestamp, body))
        .collect();
    [
        (HEADER_ID, id.to_owned()),
        (HEADER_TIMESTAMP, timestamp.to_string()),
        (HEADER_SIGNATURE, signatures.join(" ")),
    ]
}

fn mac(secret: &SigningSecret, id: &str, timestamp: i64, body: &[u8]) -> hmac::Tag {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.key());
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(id.as_bytes());
    ctx.update(b".");
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    ctx.sign()
}

/// What a verified delivery was.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verified {
    /// An advanced (Standard Webhooks) delivery.
    Signed {
        /// `webhook-id`: the idempotency key (the same on every retry).
        id: String,
        /// `webhook-timestamp`.
        timestamp: i64,
    },
    /// A basic delivery with an accepted token.
    Basic,
}

impl Verified {
    /// The `webhook-id` of a signed delivery.
    pub fn id(&self) -> Option<&str> {
        match self {
            Verified::Signed { id, .. } => Some(id),
            Verified::Basic => None,
        }
    }
}

/// Verifies deliveries against several secrets at once (rotation) and
/// several Basic tokens.
#[derive(Clone, Debug)]
pub struct Verifier {
    signing: Vec<SigningSecret>,
    tokens: Vec<BasicToken>,
    tolerance: Duration,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// A verifier with no secret yet and the default 5-minute tolerance.
    pub fn new() -> Self {
        Self {
            signing: Vec::new(),
            tokens: Vec::new(),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// A verifier accepting every entry of a parsed secret list.
    pub fn from_secrets(secrets: impl IntoIterator<Item = WebhookSecret>) -> Self {
        secrets.into_iter().fold(Self::new(), |v, s| match s {
            WebhookSecret::Signing(s) => v.signing_secret(s),
            WebhookSecret::Basic(t) => v.basic_token(t),
        })
    }

    /// Accepts signatures made with this secret.
    pub fn signing_secret(mut self, secret: SigningSecret) -> Self {
        self.signing.push(secret);
        self
    }

    /// Accepts this Basic token.
    pub fn basic_token(mut self, token: BasicToken) -> Self {
        self.tokens.push(token);
        self
    }

    /// Sets the timestamp tolerance (both past and future).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Whether any secret or token is configured.
    pub fn is_configured(&self) -> bool {
        !self.signing.is_empty() || !self.tokens.is_empty()
    }

    /// Verifies a delivery now: a request carrying `webhook-signature` is
    /// checked as an advanced webhook, any other as a basic one. `body` must
    /// be the raw bytes received.
    pub fn verify<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Verified, VerifyError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Verifier::verify`] at a given time.
    pub fn verify_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        if header(headers, HEADER_SIGNATURE).is_some() || self.tokens.is_empty() {
            self.verify_signed_at(headers, body, now)
        } else {
            self.verify_basic(headers.header("authorization"))
                .map(|()| Verified::Basic)
        }
    }

    /// Verifies an advanced (Standard Webhooks) delivery.
    pub fn verify_signed_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        if self.signing.is_empty() {
            return Err(VerifyError::NotConfigured("advanced"));
        }
        let id = header(headers, HEADER_ID).ok_or(VerifyError::MissingHeader(HEADER_ID))?;
        let ts = header(headers, HEADER_TIMESTAMP)
            .ok_or(VerifyError::MissingHeader(HEADER_TIMESTAMP))?;
        let signatures = header(headers, HEADER_SIGNATURE)
            .ok_or(VerifyError::MissingHeader(HEADER_SIGNATURE))?;
        let timestamp: i64 = ts.parse().map_err(|_| VerifyError::InvalidTimestamp)?;
        self.check_timestamp(timestamp, now)?;
        let candidates: Vec<Vec<u8>> = signatures
            .split(' ')
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|b64| STANDARD.decode(b64).ok())
            .collect();
        // Every secret against every candidate, each comparison constant-time.
        let mut matched = false;
        for secret in &self.signing {
            let expected = mac(secret, id, timestamp, body);
            for candidate in &candidates {
                matched |=
                    constant_time::verify_slices_are_equal(expected.as_ref(), candidate).is_ok();
            }
        }
        if matched {
            Ok(Verified::Signed {
                id: id.to_owned(),
                timestamp,
            })
        } else {
            Err(VerifyError::NoMatchingSignature)
        }
    }

    fn check_timestamp(&self, timestamp: i64, now: SystemTime) -> Result<(), VerifyError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        let tolerance = self.tolerance.as_secs();
        let delta = i128::from(now) - i128::from(timestamp);
        let secs = u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX);
        if delta > i128::from(tolerance) {
            Err(VerifyError::TimestampTooOld {
                age_secs: secs,
                tolerance_secs: tolerance,
            })
        } else if -delta > i128::from(tolerance) {
            Err(VerifyError::TimestampInFuture {
                ahead_secs: secs,
                tolerance_secs: tolerance,
            })
        } else {
            Ok(())
        }
    }

    /// Verifies a basic delivery's `Authorization` header value.
    pub fn verify_basic(&self, authorization: Option<&str>) -> Result<(), VerifyError> {
        if self.tokens.is_empty() {
            return Err(VerifyError::NotConfigured("basic"));
        }
        let value = authorization
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or(VerifyError::MissingHeader("authorization"))?;
        let (scheme, token) = value.split_once(' ').ok_or(VerifyError::NotBasic)?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(VerifyError::NotBasic);
        }
        // Compare SHA-256 digests so neither the content nor the length of a
        // configured token leaks through timing.
        let given = digest::digest(&digest::SHA256, token.trim().as_bytes());
        let mut matched = false;
        for t in &self.tokens {
            let want = digest::digest(&digest::SHA256, t.expose().as_bytes());
            matched |=
                constant_time::verify_slices_are_equal(given.as_ref(), want.as_ref()).is_ok();
        }
        if matched {
            Ok(())
        } else {
            Err(VerifyError::WrongToken)
        }
    }
}
