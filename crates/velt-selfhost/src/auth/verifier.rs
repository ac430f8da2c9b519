//! The JWT verifier: allowlist first, then the key, then signature and claims.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, Validation};
use serde_json::{Map, Value};

use super::config::{AuthConfigError, JwtConfig, JwtKey, check_allowlist};
use super::error::{VerifyError, VerifyTokenResult};
use super::jwks::JwksCache;
use super::principal::Principal;

/// Claims `jsonwebtoken` checks itself when listed as required.
const SPEC_CLAIMS: [&str; 5] = ["exp", "nbf", "aud", "iss", "sub"];

enum Keys {
    /// A secret or one PEM key, parsed once.
    Fixed(DecodingKey),
    /// A JWKS endpoint.
    Jwks(JwksCache),
}

struct Inner {
    config: JwtConfig,
    keys: Keys,
    /// Spec claims `jsonwebtoken` must find.
    spec_required: HashSet<String>,
    /// Other claims checked after decoding.
    other_required: Vec<String>,
}

/// Verifies JWT bearer tokens; fails closed. Cheap to clone (shared state,
/// including the JWKS cache).
#[derive(Clone)]
pub struct TokenVerifier {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.inner.config.key {
            JwtKey::Secret(_) => "secret",
            JwtKey::PublicKeyPem(_) => "public key",
            JwtKey::Jwks(_) => "JWKS",
        };
        f.debug_struct("TokenVerifier")
            .field("algorithms", &self.inner.config.algorithms)
            .field("key", &key)
            .field("issuer", &self.inner.config.issuer)
            .field("audience", &self.inner.config.audience)
            .finish_non_exhaustive()
    }
}

impl TokenVerifier {
    /// Checks the settings (allowlist rules, key type against the
    /// algorithms, a PEM refused as an HMAC secret, an HTTPS JWKS URL) and
    /// prepares the key.
    pub fn new(config: JwtConfig) -> Result<Self, AuthConfigError> {
        check_allowlist(&config.algorithms)?;
        let mut families: Vec<AlgorithmFamily> = Vec::new();
        for a in &config.algorithms {
            if !families.contains(&a.family()) {
                families.push(a.family());
            }
        }
        let hmac = families.contains(&AlgorithmFamily::Hmac);
        let keys = match &config.key {
            JwtKey::Secret(secret) => {
                if !hmac {
                    return Err(AuthConfigError::KeyMismatch(
                        "a shared secret verifies HS256, HS384 or HS512 only",
                    ));
                }
                if secret.expose().contains("-----BEGIN") {
                    return Err(AuthConfigError::PemAsSecret);
                }
                if secret.is_empty() {
                    return Err(AuthConfigError::KeyMismatch("the HMAC secret is empty"));
                }
                Keys::Fixed(DecodingKey::from_secret(secret.expose().as_bytes()))
            }
            JwtKey::PublicKeyPem(pem) => {
                if hmac {
                    return Err(AuthConfigError::KeyMismatch(
                        "a public key verifies RS*, PS*, ES* or EdDSA, not HS*",
                    ));
                }
                if families.len() != 1 {
                    return Err(AuthConfigError::KeyMismatch(
                        "one PEM key has one type: list only RS*/PS*, only ES* or only EdDSA",
                    ));
                }
                let pem = pem.as_bytes();
                let key = match families.first() {
                    Some(AlgorithmFamily::Rsa) => DecodingKey::from_rsa_pem(pem)
                        .map_err(|_| AuthConfigError::InvalidPublicKey("RSA"))?,
                    Some(AlgorithmFamily::Ec) => DecodingKey::from_ec_pem(pem)
                        .map_err(|_| AuthConfigError::InvalidPublicKey("EC"))?,
                    _ => DecodingKey::from_ed_pem(pem)
                        .map_err(|_| AuthConfigError::InvalidPublicKey("Ed25519"))?,
                };
                Keys::Fixed(key)
            }
            JwtKey::Jwks(jwks) => {
                if hmac {
                    return Err(AuthConfigError::KeyMismatch(
                        "a JWKS URL serves public keys: list RS*, PS*, ES* or EdDSA algorithms",
                    ));
                }
                Keys::Jwks(JwksCache::new(jwks.clone())?)
            }
        };
        let mut spec_required: HashSet<String> = HashSet::new();
        let mut other_required = Vec::new();
        for c in &config.required_claims {
            if SPEC_CLAIMS.contains(&c.as_str()) {
                spec_required.insert(c.clone());
            } else if !other_required.contains(c) {
                other_required.push(c.clone());
            }
        }
        // A configured issuer or audience must be present, not just right when present.
        if config.issuer.is_some() {
            spec_required.insert("iss".to_owned());
        }
        if config.audience.is_some() {
            spec_required.insert("aud".to_owned());
        }
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                keys,
                spec_required,
                other_required,
            }),
        })
    }

    /// The settings in use.
    pub fn config(&self) -> &JwtConfig {
        &self.inner.config
    }

    /// Verifies `token` and returns its claims.
    pub async fn verify_claims(&self, token: &str) -> Result<Map<String, Value>, VerifyError> {
        let inner = &*self.inner;
        // The allowlist is checked on the unverified header before any key
        // is looked up, so a refused algorithm never triggers a JWKS fetch.
        let (alg, kid) = header_of(token)?;
        if !inner.config.algorithms.contains(&alg) {
            return Err(VerifyError::AlgorithmNotAllowed);
        }
        let fetched;
        let key = match &inner.keys {
            Keys::Fixed(k) => k,
            Keys::Jwks(cache) => {
                fetched = cache.key(kid.as_deref(), alg).await?;
                &fetched
            }
        };
        let mut validation = Validation::new(alg);
        validation.algorithms = vec![alg];
        validation.leeway = inner.config.leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.required_spec_claims = inner.spec_required.clone();
        if let Some(iss) = &inner.config.issuer {
            validation.set_issuer(&[iss]);
        }
        match &inner.config.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation)
            .map_err(|e| map_error(e.kind()))?
            .claims;
        for c in &inner.other_required {
            if claims.get(c).is_none_or(Value::is_null) {
                return Err(VerifyError::ClaimMismatch(c.clone()));
            }
        }
        Ok(claims)
    }

    /// Verifies `token` and returns who it authenticates: bound to the
    /// organization of the organization claim when the token has one. An
    /// organization claim that is not a non-empty string is refused.
    pub async fn verify(&self, token: &str) -> Result<Principal, VerifyError> {
        let claims = self.verify_claims(token).await?;
        let org_claim = &self.inner.config.org_claim;
        let org = match claims.get(org_claim) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => return Err(VerifyError::ClaimMismatch(org_claim.clone())),
        };
        Ok(Principal::from_jwt(claims, org))
    }

    /// velt-py's `verify_token(headers=...)`: takes the `Authorization`
    /// header value and answers with a [`VerifyTokenResult`].
    pub async fn verify_token(&self, authorization: Option<&str>) -> VerifyTokenResult {
        let Some(token) = authorization.and_then(bearer) else {
            return VerifyTokenResult::refused(&VerifyError::MissingToken);
        };
        match self.verify_claims(token).await {
            Ok(claims) => VerifyTokenResult::verified(claims),
            Err(e) => VerifyTokenResult::refused(&e),
        }
    }
}

/// The `alg` and `kid` of the unverified header; `none` and unknown
/// algorithms are refused here.
fn header_of(token: &str) -> Result<(Algorithm, Option<String>), VerifyError> {
    let mut parts = token.split('.');
    let (Some(head), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed);
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(head.trim_end_matches('='))
        .map_err(|_| VerifyError::Malformed)?;
    let header: Map<String, Value> =
        serde_json::from_slice(&raw).map_err(|_| VerifyError::Malformed)?;
    let Some(Value::String(alg)) = header.get("alg") else {
        return Err(VerifyError::Malformed);
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(VerifyError::AlgorithmNotAllowed);
    }
    let alg: Algorithm = alg.parse().map_err(|_| VerifyError::AlgorithmNotAllowed)?;
    let kid = match header.get("kid") {
        Some(Value::String(k)) => Some(k.clone()),
        _ => None,
    };
    Ok((alg, kid))
}

fn map_error(kind: &ErrorKind) -> VerifyError {
    match kind {
        ErrorKind::ExpiredSignature => VerifyError::Expired,
        ErrorKind::InvalidSignature => VerifyError::InvalidSignature,
        ErrorKind::InvalidIssuer => VerifyError::ClaimMismatch("iss".to_owned()),
        ErrorKind::InvalidAudience => VerifyError::ClaimMismatch("aud".to_owned()),
        ErrorKind::InvalidSubject => VerifyError::ClaimMismatch("sub".to_owned()),
        ErrorKind::ImmatureSignature => VerifyError::ClaimMismatch("nbf".to_owned()),
        ErrorKind::MissingRequiredClaim(c) | ErrorKind::InvalidClaimFormat(c) => {
            VerifyError::ClaimMismatch(c.clone())
        }
        ErrorKind::InvalidAlgorithm
        | ErrorKind::MissingAlgorithm
        | ErrorKind::InvalidAlgorithmName => VerifyError::AlgorithmNotAllowed,
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_) => VerifyError::Malformed,
        _ => VerifyError::VerificationFailed,
    }
}

/// Extracts the token from an `Authorization: Bearer <token>` value
/// (scheme case-insensitive).
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{JwksConfig, Secret, parse_algorithms};
    use serde_json::json;

    const SECRET: &str = "unit-test-secret-unit-test-secret";

    fn hs(claims: &Value) -> String {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(Algorithm::HS256),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    }

    fn now() -> u64 {
        jsonwebtoken::get_current_timestamp()
    }

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }

    #[test]
    fn config_is_checked_at_build_time() {
        let secret = || JwtKey::Secret(Secret::new(SECRET));
        let err = |algs: Vec<Algorithm>, key: JwtKey| {
            TokenVerifier::new(JwtConfig::new(algs, key))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(vec![], secret()),
            "the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)"
        );
        assert_eq!(
            err(vec![Algorithm::HS256, Algorithm::RS256], secret()),
            "the JWT algorithm allowlist must not mix HS* with asymmetric algorithms"
        );
        assert_eq!(
            err(vec![Algorithm::RS256], secret()),
            "JWT key and algorithms do not match: a shared secret verifies HS256, HS384 or HS512 only"
        );
        let pem = include_str!("../../../velt-server/tests/fixtures/rs256-test-only.pub.pem");
        assert_eq!(
            err(vec![Algorithm::HS256], JwtKey::Secret(Secret::new(pem))),
            "the JWT HMAC secret looks like a PEM key; give public keys as a PEM file and an asymmetric algorithm"
        );
        assert_eq!(
            err(vec![Algorithm::HS256], JwtKey::PublicKeyPem(pem.into())),
            "JWT key and algorithms do not match: a public key verifies RS*, PS*, ES* or EdDSA, not HS*"
        );
        assert_eq!(
            err(
                vec![Algorithm::RS256, Algorithm::ES256],
                JwtKey::PublicKeyPem(pem.into())
            ),
            "JWT key and algorithms do not match: one PEM key has one type: list only RS*/PS*, only ES* or only EdDSA"
        );
        assert_eq!(
            err(vec![Algorithm::ES256], JwtKey::PublicKeyPem(pem.into())),
            "invalid JWT public key: expected a PEM EC public key"
        );
        assert!(
            TokenVerifier::new(JwtConfig::new(
                [Algorithm::RS256, Algorithm::PS256],
                JwtKey::PublicKeyPem(pem.into())
            ))
            .is_ok()
        );
        for url in ["http://127.0.0.1:1/jwks.json", "ftp://x/jwks", "not a url"] {
            let e = err(vec![Algorithm::RS256], JwtKey::Jwks(JwksConfig::new(url)));
            assert!(e.starts_with("invalid JWKS URL"), "{url}: {e}");
        }
        assert_eq!(
            err(
                vec![Algorithm::HS256],
                JwtKey::Jwks(JwksConfig::new("https://x/jwks"))
            ),
            "JWT key and algorithms do not match: a JWKS URL serves public keys: list RS*, PS*, ES* or EdDSA algorithms"
        );
        assert_eq!(
            err(
                vec![Algorithm::RS256],
                JwtKey::Jwks(JwksConfig::new("https://x/jwks").ca_pem(b"nonsense".to_vec()))
            ),
            "invalid JWKS CA certificate file (expected PEM certificates)"
        );
        assert_eq!(
            parse_algorithms("RS256, ps256,EdDSA,RS256").unwrap(),
            vec![Algorithm::RS256, Algorithm::PS256, Algorithm::EdDSA]
        );
        assert_eq!(
            parse_algorithms("RS256,none").unwrap_err().to_string(),
            "the JWT algorithm `none` is never allowed"
        );
        assert!(parse_algorithms("HS256,ES256").is_err());
        assert!(parse_algorithms("RS1024").is_err());
        assert!(parse_algorithms(" , ").is_err());
    }

    #[tokio::test]
    async fn claims_and_codes() {
        let v = TokenVerifier::new(
            JwtConfig::new([Algorithm::HS256], JwtKey::Secret(SECRET.into()))
                .issuer("iss-1")
                .audience("aud-1")
                .required_claims(["exp", "email"]),
        )
        .unwrap();
        let base = json!({"iss": "iss-1", "aud": "aud-1", "exp": now() + 60, "email": "a@b.c"});
        let with = |k: &str, val: Value| {
            let mut c = base.clone();
            c[k] = val;
            hs(&c)
        };
        let without = |k: &str| {
            let mut c = base.clone();
            c.as_object_mut().unwrap().remove(k);
            hs(&c)
        };
        assert!(v.verify_claims(&hs(&base)).await.is_ok());
        let code = |t: String| {
            let v = v.clone();
            async move { v.verify_token(Some(&format!("Bearer {t}"))).await }
        };
        for (token, expected) in [
            (with("exp", json!(now() - 100)), "EXPIRED"),
            (with("iss", json!("other")), "CLAIM_MISMATCH"),
            (without("iss"), "CLAIM_MISMATCH"),
            (with("aud", json!("other")), "CLAIM_MISMATCH"),
            (without("aud"), "CLAIM_MISMATCH"),
            (without("exp"), "CLAIM_MISMATCH"),
            (without("email"), "CLAIM_MISMATCH"),
            (with("nbf", json!(now() + 600)), "CLAIM_MISMATCH"),
            ("a.b".to_owned(), "INVALID_SIGNATURE"),
            ("not-a-jwt".to_owned(), "INVALID_SIGNATURE"),
        ] {
            let r = code(token.clone()).await;
            assert!(!r.verified);
            assert_eq!(r.error_code.as_deref(), Some(expected), "{token}");
            let text = serde_json::to_string(&r).unwrap();
            assert!(!text.contains(SECRET) && !text.contains(&token), "{text}");
        }
        let ok = code(hs(&base)).await;
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            json!({"verified": true, "claims": base})
        );
        let r = v.verify_token(None).await;
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"verified": false, "error": "missing bearer token", "errorCode": "MISSING_TOKEN"})
        );
        // A non-string organization claim is refused rather than ignored.
        assert_eq!(
            v.verify(&with("organizationId", json!(["a", "b"]))).await,
            Err(VerifyError::ClaimMismatch("organizationId".into()))
        );
        let p = v
            .verify(&with("organizationId", json!("org-1")))
            .await
            .unwrap();
        assert_eq!(p.organization_id.as_deref(), Some("org-1"));
        assert_eq!(p.claim_str("email"), Some("a@b.c"));
        assert!(!format!("{p:?}").contains("a@b.c"));
    }
}
