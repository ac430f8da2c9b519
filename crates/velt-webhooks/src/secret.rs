//! Secrets: Standard Webhooks signing keys (`whsec_…`) and Basic tokens.
//! Neither ever appears in `Debug`, `Display` or an error message.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::SecretError;

/// The prefix of a Standard Webhooks symmetric signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A Standard Webhooks signing secret: the key bytes behind `whsec_<base64>`.
#[derive(Clone)]
pub struct SigningSecret {
    key: Vec<u8>,
}

impl SigningSecret {
    /// Parses `whsec_<base64>` (the prefix is optional, as in the Standard
    /// Webhooks libraries). An empty or non-Base64 secret is an error.
    pub fn parse(secret: &str) -> Result<Self, SecretError> {
        let b64 = secret.trim();
        let b64 = b64.strip_prefix(SECRET_PREFIX).unwrap_or(b64);
        if b64.is_empty() {
            return Err(SecretError::Empty);
        }
        let key = STANDARD.decode(b64).map_err(|_| SecretError::NotBase64)?;
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self { key })
    }

    /// A secret from raw key bytes (non-empty).
    pub fn from_bytes(key: impl Into<Vec<u8>>) -> Result<Self, SecretError> {
        let key = key.into();
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self { key })
    }

    /// The key bytes.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// The `whsec_<base64>` form, to hand to the receiving side.
    pub fn to_whsec(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

/// A Basic-webhook auth token (sent by Velt as `Authorization: Basic <token>`).
#[derive(Clone)]
pub struct BasicToken(String);

impl BasicToken {
    /// Wraps a non-empty token.
    pub fn new(token: impl Into<String>) -> Result<Self, SecretError> {
        let token = token.into();
        if token.trim().is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self(token.trim().to_owned()))
    }

    /// The token text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BasicToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BasicToken(<redacted>)")
    }
}

/// One entry of a comma-separated secret list such as `VELT_WEBHOOK_SECRETS`.
#[derive(Clone, Debug)]
pub enum WebhookSecret {
    /// `whsec_…`: an advanced-webhook signing secret.
    Signing(SigningSecret),
    /// Anything else: a basic-webhook token.
    Basic(BasicToken),
}

/// Parses a comma-separated list: `whsec_…` entries are signing secrets,
/// other entries Basic tokens; blank entries are skipped.
pub fn parse_secret_list(list: &str) -> Result<Vec<WebhookSecret>, SecretError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with(SECRET_PREFIX) {
                SigningSecret::parse(s).map(WebhookSecret::Signing)
            } else {
                BasicToken::new(s).map(WebhookSecret::Basic)
            }
        })
        .collect()
}
