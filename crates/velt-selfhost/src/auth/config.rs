//! JWT verification settings and their checks at build time.

use std::fmt;
use std::time::Duration;

use jsonwebtoken::{Algorithm, AlgorithmFamily};

use super::Secret;

/// The claim holding the caller's organization unless configured otherwise.
pub const DEFAULT_ORG_CLAIM: &str = "organizationId";

/// Where the key verifying a JWT's signature comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum JwtKey {
    /// A shared HMAC secret (with `HS256`/`HS384`/`HS512` only). A PEM
    /// text is refused: it would let anyone holding the public key forge
    /// tokens.
    Secret(Secret),
    /// One public key in PEM form (RSA for `RS*`/`PS*`, EC for `ES*`,
    /// Ed25519 for `EdDSA`).
    PublicKeyPem(String),
    /// A JSON Web Key Set fetched over HTTPS (asymmetric algorithms only).
    Jwks(JwksConfig),
}

/// Where and how the key set of [`JwtKey::Jwks`] is fetched and cached.
#[derive(Clone)]
#[non_exhaustive]
pub struct JwksConfig {
    /// The key set's URL; must be `https://`. Redirects are never followed.
    pub url: String,
    /// PEM certificate(s) of a private CA; when set, only these are trusted
    /// for the JWKS endpoint (instead of the system's roots).
    pub ca_pem: Option<Vec<u8>>,
    /// How long a fetched key set is used before it is fetched again.
    pub ttl: Duration,
    /// Minimum time between two fetches triggered by a token whose `kid` is
    /// not in the key set, or by a failed fetch (bounds the load an attacker
    /// sending random `kid`s can put on the JWKS endpoint).
    pub min_refetch_interval: Duration,
    /// How long past its TTL the last key set is still used while the
    /// endpoint cannot be reached; after that, tokens are refused.
    pub max_stale: Duration,
    /// Deadline of one fetch.
    pub timeout: Duration,
    /// Largest key-set document accepted, in bytes.
    pub max_bytes: usize,
}

impl JwksConfig {
    /// Settings for `url` with the defaults: TTL 5 min, at most one
    /// refetch per 30 s, stale keys kept 1 h, 5 s timeout, 256 KiB.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ca_pem: None,
            ttl: Duration::from_secs(300),
            min_refetch_interval: Duration::from_secs(30),
            max_stale: Duration::from_secs(3600),
            timeout: Duration::from_secs(5),
            max_bytes: 256 * 1024,
        }
    }

    /// Trusts only the CA certificate(s) of this PEM for the endpoint.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Sets the cache TTL.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets the minimum interval between unscheduled refetches.
    pub fn min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    /// Sets how long stale keys are used while the endpoint is down.
    pub fn max_stale(mut self, max_stale: Duration) -> Self {
        self.max_stale = max_stale;
        self
    }

    /// Sets the fetch timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

impl fmt::Debug for JwksConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the origin: a URL may carry credentials in its path or query.
        let origin = reqwest::Url::parse(&self.url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| "<invalid URL>".to_owned());
        f.debug_struct("JwksConfig")
            .field("origin", &origin)
            .field("private_ca", &self.ca_pem.is_some())
            .field("ttl", &self.ttl)
            .field("min_refetch_interval", &self.min_refetch_interval)
            .field("max_stale", &self.max_stale)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// JWT verification settings (velt-py's `resolver_auth.jwt` block).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JwtConfig {
    /// The accepted `alg` values; required, never `none`, never HMAC mixed
    /// with asymmetric algorithms.
    pub algorithms: Vec<Algorithm>,
    /// The verification key.
    pub key: JwtKey,
    /// Required `iss`, when set.
    pub issuer: Option<String>,
    /// Required `aud` (one of the token's audiences), when set.
    pub audience: Option<String>,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    pub leeway_secs: u64,
    /// Claims every token must carry (default: `exp`). `exp` and `nbf` are
    /// checked whenever present.
    pub required_claims: Vec<String>,
    /// The claim holding the caller's organization id ([`DEFAULT_ORG_CLAIM`]).
    pub org_claim: String,
}

impl JwtConfig {
    /// Settings accepting `algorithms` with `key`; no issuer or audience
    /// check, `exp` required, organization claim `organizationId`.
    pub fn new(algorithms: impl IntoIterator<Item = Algorithm>, key: JwtKey) -> Self {
        Self {
            algorithms: algorithms.into_iter().collect(),
            key,
            issuer: None,
            audience: None,
            leeway_secs: 0,
            required_claims: vec!["exp".to_owned()],
            org_claim: DEFAULT_ORG_CLAIM.to_owned(),
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

    /// Tolerates this much clock skew.
    pub fn leeway_secs(mut self, secs: u64) -> Self {
        self.leeway_secs = secs;
        self
    }

    /// Replaces the required claims (an empty list requires none, as velt-py's default).
    pub fn required_claims<I, S>(mut self, claims: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.required_claims = claims
            .into_iter()
            .map(Into::into)
            .filter(|c| !c.is_empty())
            .collect();
        self
    }

    /// Uses `claim` as the organization claim.
    pub fn org_claim(mut self, claim: impl Into<String>) -> Self {
        self.org_claim = claim.into();
        self
    }
}

/// A JWT setting that cannot be used; the server refuses to start with it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthConfigError {
    /// The allowlist is empty.
    #[error("the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)")]
    NoAlgorithms,
    /// `none` was listed: an unsigned token must never authenticate.
    #[error("the JWT algorithm `none` is never allowed")]
    NoneAlgorithm,
    /// A name that is not a JWT signature algorithm.
    #[error(
        "unknown JWT algorithm {0:?} (expected HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA)"
    )]
    UnknownAlgorithm(String),
    /// HMAC and asymmetric algorithms in one allowlist (algorithm confusion).
    #[error("the JWT algorithm allowlist must not mix HS* with asymmetric algorithms")]
    MixedFamilies,
    /// The key cannot be used with the listed algorithms.
    #[error("JWT key and algorithms do not match: {0}")]
    KeyMismatch(&'static str),
    /// A PEM block given as the HMAC secret.
    #[error(
        "the JWT HMAC secret looks like a PEM key; give public keys as a PEM file and an asymmetric algorithm"
    )]
    PemAsSecret,
    /// The public key is not a PEM key of the algorithms' family.
    #[error("invalid JWT public key: expected a PEM {0} public key")]
    InvalidPublicKey(&'static str),
    /// The JWKS URL is unusable.
    #[error("invalid JWKS URL: {0}")]
    JwksUrl(&'static str),
    /// The CA file has no usable certificate.
    #[error("invalid JWKS CA certificate file (expected PEM certificates)")]
    InvalidCa,
    /// An entry of a static-token list is unusable (numbered from 1; the
    /// token itself is never shown).
    #[error("{0} entry {1}: {2}")]
    TokenSpec(&'static str, usize, &'static str),
    /// The HTTP client for the JWKS endpoint could not be built.
    #[error("cannot build the JWKS HTTP client")]
    HttpClient,
}

/// Parses an algorithm name (case-insensitive); `none` and unknown names are refused.
pub(crate) fn parse_algorithm(name: &str) -> Result<Algorithm, AuthConfigError> {
    use Algorithm::*;
    let n = name.trim();
    Ok(match n.to_ascii_uppercase().as_str() {
        "NONE" => return Err(AuthConfigError::NoneAlgorithm),
        "HS256" => HS256,
        "HS384" => HS384,
        "HS512" => HS512,
        "RS256" => RS256,
        "RS384" => RS384,
        "RS512" => RS512,
        "PS256" => PS256,
        "PS384" => PS384,
        "PS512" => PS512,
        "ES256" => ES256,
        "ES384" => ES384,
        "EDDSA" => EdDSA,
        _ => return Err(AuthConfigError::UnknownAlgorithm(n.to_owned())),
    })
}

/// Parses a comma-separated allowlist (`VELT_JWT_ALGORITHMS`, e.g.
/// `RS256,PS256`): refuses an empty list, `none`, unknown names and HMAC
/// mixed with asymmetric algorithms. Duplicates are dropped.
pub fn parse_algorithms(list: &str) -> Result<Vec<Algorithm>, AuthConfigError> {
    let mut out = Vec::new();
    for name in list.split(',').filter(|n| !n.trim().is_empty()) {
        let alg = parse_algorithm(name)?;
        if !out.contains(&alg) {
            out.push(alg);
        }
    }
    check_allowlist(&out)?;
    Ok(out)
}

/// The allowlist's family rule: non-empty, and HMAC or asymmetric, not both.
pub(crate) fn check_allowlist(algs: &[Algorithm]) -> Result<(), AuthConfigError> {
    if algs.is_empty() {
        return Err(AuthConfigError::NoAlgorithms);
    }
    let hmac = algs
        .iter()
        .filter(|a| a.family() == AlgorithmFamily::Hmac)
        .count();
    if hmac != 0 && hmac != algs.len() {
        return Err(AuthConfigError::MixedFamilies);
    }
    Ok(())
}
