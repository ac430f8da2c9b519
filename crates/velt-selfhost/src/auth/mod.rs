//! Bearer-token verification for the data-provider endpoints (feature `auth`).
//!
//! The same checks velt-py 0.3.0's `verifyToken` makes, usable by any Rust
//! application mounting its own handlers (velt-server is a thin layer over
//! this module):
//!
//! - [`StaticTokens`]: shared bearer tokens, compared in constant time, each
//!   optionally bound to a set of organizations
//!   (`token1:org-a|org-b,token2:*`, see [`StaticTokens::parse`]).
//! - [`TokenVerifier`]: JWTs checked against a required algorithm allowlist
//!   with a key from a secret, a PEM public key or an HTTPS **JWKS** URL
//!   ([`JwksConfig`]: cached with a TTL, refetched on an unknown `kid` at a
//!   bounded rate, stale keys kept for a bounded time while the endpoint is
//!   down), plus issuer, audience, leeway and required claims. The token's
//!   organization claim becomes the [`Principal`]'s organization.
//! - [`check_organization`]: every organization a resolver request names
//!   must be one the principal is bound to.
//!
//! Errors carry velt-py's stable codes ([`VerifyError::code`]) and never the
//! key, the secret or the token.
//!
//! ```
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use velt_selfhost::auth::{Algorithm, JwtConfig, JwtKey, TokenVerifier};
//! let verifier = TokenVerifier::new(
//!     JwtConfig::new([Algorithm::HS256], JwtKey::Secret("a-long-random-shared-secret".into()))
//!         .issuer("https://auth.example.com")
//!         .required_claims(["exp", "sub"]),
//! )?;
//! let result = verifier.verify_token(Some("Bearer not-a-jwt")).await;
//! assert!(!result.verified);
//! assert_eq!(result.error_code.as_deref(), Some("INVALID_SIGNATURE"));
//! # Ok(()) }
//! ```

mod config;
mod error;
mod jwks;
pub mod permissions;
mod principal;
mod verifier;

pub use config::{
    AuthConfigError, DEFAULT_ORG_CLAIM, JwksConfig, JwtConfig, JwtKey, parse_algorithms,
};
pub use error::{VerifyError, VerifyTokenResult};
pub use jsonwebtoken::Algorithm;
pub use principal::{OrgScope, Principal, StaticTokens, check_organization, request_organizations};
pub use verifier::{TokenVerifier, bearer};

use std::fmt;

/// A secret string (shared token, HMAC secret) that never appears in
/// `Debug` output; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Use it only where the value is compared or sent.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}
