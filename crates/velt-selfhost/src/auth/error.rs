//! Why a token was refused, with velt-py's stable error codes.

use serde::Serialize;
use serde_json::{Map, Value};

/// Why a request's credential was refused.
///
/// Messages are generic: they never contain the token, the secret or the
/// key (a configured claim name may appear, e.g. `(aud)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `Authorization: Bearer` header (velt-py `MISSING_TOKEN`).
    #[error("missing bearer token")]
    MissingToken,
    /// Only static tokens are configured and the token is none of them.
    #[error("invalid token")]
    InvalidToken,
    /// The token is not a well-formed JWT (velt-py `INVALID_SIGNATURE`).
    #[error("token is not a well-formed JWT")]
    Malformed,
    /// The signature does not verify with the key (velt-py `INVALID_SIGNATURE`).
    #[error("token signature is invalid")]
    InvalidSignature,
    /// `exp` is in the past, beyond the leeway (velt-py `EXPIRED`).
    #[error("token expired")]
    Expired,
    /// A configured claim check failed: issuer, audience, not-before, a
    /// required claim, or a malformed organization claim (velt-py
    /// `CLAIM_MISMATCH`). Holds the claim's name.
    #[error("token claims do not match ({0})")]
    ClaimMismatch(String),
    /// The token's `alg` is `none`, unknown or outside the allowlist
    /// (velt-py `ALGORITHM_NOT_ALLOWED`).
    #[error("token algorithm is not allowed")]
    AlgorithmNotAllowed,
    /// The key set has no key for the token's `kid` (velt-py `KEY_RESOLUTION_FAILED`).
    #[error("no verification key for this token")]
    UnknownKey,
    /// The JWKS endpoint cannot be reached and the cached keys are older than
    /// the stale bound (velt-py `KEY_RESOLUTION_FAILED`; HTTP 503).
    #[error("the verification key set is unavailable")]
    KeysUnavailable,
    /// Any other failure; verification fails closed (velt-py `VERIFICATION_FAILED`).
    #[error("token verification failed")]
    VerificationFailed,
    /// The request names an organization the credential is not bound to.
    #[error("organizationId does not match the token's organization")]
    OrganizationMismatch,
    /// Nothing is configured to verify tokens with (velt-py `NOT_CONFIGURED`).
    #[error("authentication is not configured")]
    NotConfigured,
}

impl VerifyError {
    /// The stable `errorCode`: velt-py 0.3.0's codes, plus `UNAUTHORIZED`
    /// (no static token matches) and `FORBIDDEN` (organization mismatch).
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingToken => "MISSING_TOKEN",
            VerifyError::InvalidToken => "UNAUTHORIZED",
            VerifyError::Malformed | VerifyError::InvalidSignature => "INVALID_SIGNATURE",
            VerifyError::Expired => "EXPIRED",
            VerifyError::ClaimMismatch(_) => "CLAIM_MISMATCH",
            VerifyError::AlgorithmNotAllowed => "ALGORITHM_NOT_ALLOWED",
            VerifyError::UnknownKey | VerifyError::KeysUnavailable => "KEY_RESOLUTION_FAILED",
            VerifyError::VerificationFailed => "VERIFICATION_FAILED",
            VerifyError::OrganizationMismatch => "FORBIDDEN",
            VerifyError::NotConfigured => "NOT_CONFIGURED",
        }
    }

    /// The HTTP status to answer with: 401, except 403 for an organization
    /// mismatch, 503 while the key set is unavailable and 500 when nothing
    /// is configured.
    pub fn status(&self) -> u16 {
        match self {
            VerifyError::OrganizationMismatch => 403,
            VerifyError::KeysUnavailable => 503,
            VerifyError::NotConfigured => 500,
            _ => 401,
        }
    }
}

/// velt-py's `VerifyTokenResult`, serialising to its `to_dict()` JSON:
/// `{"verified": true, "claims": {...}}` or
/// `{"verified": false, "error": "...", "errorCode": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct VerifyTokenResult {
    /// True only when the token was present and fully verified.
    pub verified: bool,
    /// The verified token's claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    /// A generic message (never the token or key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The stable code ([`VerifyError::code`]).
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

impl VerifyTokenResult {
    /// A verified result.
    pub fn verified(claims: Map<String, Value>) -> Self {
        Self {
            verified: true,
            claims: Some(claims),
            error: None,
            error_code: None,
        }
    }

    /// A refusal.
    pub fn refused(e: &VerifyError) -> Self {
        Self {
            verified: false,
            claims: None,
            error: Some(e.to_string()),
            error_code: Some(e.code().to_owned()),
        }
    }
}
