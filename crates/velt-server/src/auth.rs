//! Authentication of provider requests: static bearer tokens (compared in
//! constant time) and/or JWTs (HS256 secret or RS256/ES256 public key, with
//! issuer, audience and expiry checked).
//!
//! A JWT may carry the caller's organization (claim `organizationId` by
//! default); the organization named in the request must then equal it.

use std::fmt;

use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

/// A secret string that never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value.
    pub fn expose(&self) -> &str {
        &self.0
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

/// The key a JWT signature is checked with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum JwtKey {
    /// A shared HS256 secret.
    Hs256(Secret),
    /// An RS256 public key (PEM).
    Rs256Pem(String),
    /// An ES256 public key (PEM).
    Es256Pem(String),
}

/// JWT verification settings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JwtConfig {
    /// The verification key (and thereby the only accepted algorithm).
    pub key: JwtKey,
    /// Required `iss`, when set.
    pub issuer: Option<String>,
    /// Required `aud` (one of the token's audiences), when set.
    pub audience: Option<String>,
    /// The claim holding the caller's organization id.
    pub org_claim: String,
    /// Clock skew tolerated on `exp`/`nbf`, in seconds.
    pub leeway_secs: u64,
}

impl JwtConfig {
    /// Settings for `key`, no issuer/audience check, org claim `organizationId`.
    pub fn new(key: JwtKey) -> Self {
        Self {
            key,
            issuer: None,
            audience: None,
            org_claim: "organizationId".to_owned(),
            leeway_secs: 0,
        }
    }

    /// Requires this `iss`.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Requires this `aud`.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Uses `claim` as the organization claim.
    pub fn org_claim(mut self, claim: impl Into<String>) -> Self {
        self.org_claim = claim.into();
        self
    }

    /// Tolerates this much clock skew.
    pub fn leeway_secs(mut self, secs: u64) -> Self {
        self.leeway_secs = secs;
        self
    }
}

/// How provider requests are authenticated.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct AuthConfig {
    /// Accepted static bearer tokens.
    pub tokens: Vec<Secret>,
    /// JWT verification, when configured.
    pub jwt: Option<JwtConfig>,
    /// Accept every request without credentials (development only).
    pub insecure_no_auth: bool,
}

impl AuthConfig {
    /// No authentication at all (`--insecure-no-auth`).
    pub fn insecure() -> Self {
        Self {
            insecure_no_auth: true,
            ..Self::default()
        }
    }

    /// Accepts these static bearer tokens (empty entries are ignored).
    pub fn with_tokens<I, S>(mut self, tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Secret>,
    {
        self.tokens.extend(
            tokens
                .into_iter()
                .map(Into::into)
                .filter(|t| !t.0.is_empty()),
        );
        self
    }

    /// Also accepts JWTs verified with `jwt`.
    pub fn with_jwt(mut self, jwt: JwtConfig) -> Self {
        self.jwt = Some(jwt);
        self
    }

    /// True when some credential is configured or auth is explicitly off.
    pub fn is_usable(&self) -> bool {
        self.insecure_no_auth || !self.tokens.is_empty() || self.jwt.is_some()
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No `Authorization: Bearer` header.
    #[error("missing bearer token")]
    MissingToken,
    /// The token matches nothing configured.
    #[error("invalid token")]
    InvalidToken,
    /// The JWT has expired.
    #[error("token expired")]
    Expired,
    /// The JWT's issuer or audience is not the configured one.
    #[error("token claims do not match ({0})")]
    ClaimMismatch(&'static str),
    /// The request names an organization other than the token's.
    #[error("organizationId does not match the token's organization")]
    OrganizationMismatch,
    /// Nothing is configured (server started without credentials).
    #[error("authentication is not configured")]
    NotConfigured,
}

impl AuthError {
    /// The HTTP status for this refusal (401, or 403 for a cross-organization request).
    pub fn status(&self) -> u16 {
        match self {
            AuthError::OrganizationMismatch => 403,
            AuthError::NotConfigured => 500,
            _ => 401,
        }
    }

    /// The resolver `errorCode`.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::MissingToken => "MISSING_TOKEN",
            AuthError::InvalidToken => "UNAUTHORIZED",
            AuthError::Expired => "EXPIRED",
            AuthError::ClaimMismatch(_) => "CLAIM_MISMATCH",
            AuthError::OrganizationMismatch => "FORBIDDEN",
            AuthError::NotConfigured => "NOT_CONFIGURED",
        }
    }
}

/// Who a request was authenticated as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    /// The organization the credential is bound to, when it names one.
    pub organization_id: Option<String>,
}

/// A ready-to-use verifier built from [`AuthConfig`].
#[derive(Clone)]
pub struct Authenticator {
    config: AuthConfig,
    jwt: Option<(DecodingKey, Validation)>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("tokens", &self.config.tokens.len())
            .field("jwt", &self.config.jwt.is_some())
            .field("insecure_no_auth", &self.config.insecure_no_auth)
            .finish()
    }
}

/// Error building an [`Authenticator`] (an unreadable key).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthConfigError {
    /// The public key is not a valid PEM key of the expected type.
    #[error("invalid JWT public key: {0}")]
    InvalidKey(String),
}

impl Authenticator {
    /// Prepares the verifier (parses the JWT key once).
    pub fn new(config: AuthConfig) -> Result<Self, AuthConfigError> {
        let jwt = match &config.jwt {
            None => None,
            Some(j) => {
                let (key, alg) = match &j.key {
                    JwtKey::Hs256(s) => (
                        DecodingKey::from_secret(s.expose().as_bytes()),
                        Algorithm::HS256,
                    ),
                    JwtKey::Rs256Pem(pem) => (
                        DecodingKey::from_rsa_pem(pem.as_bytes())
                            .map_err(|e| AuthConfigError::InvalidKey(e.to_string()))?,
                        Algorithm::RS256,
                    ),
                    JwtKey::Es256Pem(pem) => (
                        DecodingKey::from_ec_pem(pem.as_bytes())
                            .map_err(|e| AuthConfigError::InvalidKey(e.to_string()))?,
                        Algorithm::ES256,
                    ),
                };
                let mut v = Validation::new(alg);
                v.leeway = j.leeway_secs;
                v.validate_exp = true;
                v.set_required_spec_claims(&["exp"]);
                if let Some(iss) = &j.issuer {
                    v.set_issuer(&[iss]);
                }
                match &j.audience {
                    Some(aud) => v.set_audience(&[aud]),
                    None => v.validate_aud = false,
                }
                Some((key, v))
            }
        };
        Ok(Self { config, jwt })
    }

    /// True when auth is switched off.
    pub fn is_insecure(&self) -> bool {
        self.config.insecure_no_auth
    }

    /// Checks the `Authorization` header value.
    pub fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthError> {
        if self.config.insecure_no_auth {
            return Ok(Principal::default());
        }
        if self.config.tokens.is_empty() && self.jwt.is_none() {
            return Err(AuthError::NotConfigured);
        }
        let token = authorization
            .and_then(bearer)
            .ok_or(AuthError::MissingToken)?;
        if self.matches_static(token) {
            return Ok(Principal::default());
        }
        let Some((key, validation)) = &self.jwt else {
            return Err(AuthError::InvalidToken);
        };
        match jsonwebtoken::decode::<Map<String, Value>>(token, key, validation) {
            Ok(data) => {
                let org_claim = self
                    .config
                    .jwt
                    .as_ref()
                    .map(|j| j.org_claim.as_str())
                    .unwrap_or("organizationId");
                let organization_id = match data.claims.get(org_claim) {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                };
                Ok(Principal { organization_id })
            }
            Err(e) => Err(match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                ErrorKind::InvalidIssuer => AuthError::ClaimMismatch("iss"),
                ErrorKind::InvalidAudience => AuthError::ClaimMismatch("aud"),
                ErrorKind::MissingRequiredClaim(_) => AuthError::ClaimMismatch("exp"),
                _ => AuthError::InvalidToken,
            }),
        }
    }

    /// Constant-time comparison against every configured token (no early exit).
    fn matches_static(&self, token: &str) -> bool {
        let mut found = subtle::Choice::from(0u8);
        for t in &self.config.tokens {
            found |= t.expose().as_bytes().ct_eq(token.as_bytes());
        }
        found.into()
    }
}

/// Extracts the token from `Bearer <token>` (scheme case-insensitive).
fn bearer(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim();
    (!token.is_empty()).then_some(token)
}

/// The organization ids a resolver request names: top-level
/// `organizationId` and `metadata.organizationId` (string values only).
pub fn request_organizations(body: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(Value::String(s)) = body.get("organizationId") {
        out.push(s.as_str());
    }
    if let Some(Value::String(s)) = body.get("metadata").and_then(|m| m.get("organizationId")) {
        out.push(s.as_str());
    }
    out
}

/// Checks that every organization the request names is the principal's.
pub fn check_organization(principal: &Principal, body: &Value) -> Result<(), AuthError> {
    let Some(org) = &principal.organization_id else {
        return Ok(());
    };
    if request_organizations(body)
        .into_iter()
        .all(|o| o.is_empty() || o == org)
    {
        Ok(())
    } else {
        Err(AuthError::OrganizationMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }

    #[test]
    fn static_tokens() {
        let a = Authenticator::new(AuthConfig::default().with_tokens(["t1", "second"])).unwrap();
        assert!(a.authenticate(Some("Bearer t1")).is_ok());
        assert!(a.authenticate(Some("Bearer second")).is_ok());
        assert_eq!(
            a.authenticate(Some("Bearer t2")),
            Err(AuthError::InvalidToken)
        );
        assert_eq!(a.authenticate(None), Err(AuthError::MissingToken));
        assert!(!format!("{a:?}").contains("t1"));
    }

    #[test]
    fn organization_check() {
        let p = Principal {
            organization_id: Some("o1".into()),
        };
        assert!(check_organization(&p, &json!({"organizationId": "o1"})).is_ok());
        assert!(check_organization(&p, &json!({"metadata": {"organizationId": "o1"}})).is_ok());
        assert_eq!(
            check_organization(&p, &json!({"metadata": {"organizationId": "o2"}})),
            Err(AuthError::OrganizationMismatch)
        );
        assert_eq!(
            check_organization(
                &p,
                &json!({"organizationId": "o1", "metadata": {"organizationId": "o2"}})
            ),
            Err(AuthError::OrganizationMismatch)
        );
        assert!(check_organization(&Principal::default(), &json!({"organizationId": "x"})).is_ok());
    }
}
