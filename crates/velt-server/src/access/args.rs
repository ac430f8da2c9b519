//! Command-line and environment settings of authentication and the token endpoint.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::{
    AuthConfig, AuthConfigError, JwksConfig, JwtConfig, JwtKey, Secret, StaticTokens,
    parse_algorithms,
};

use super::AccessOptions;

/// The settings of authentication (static tokens, JWTs) and of the token
/// endpoint, for `#[command(flatten)]` in a `clap` parser. Secrets
/// (`VELT_SERVER_TOKENS`, `VELT_JWT_SECRET`, `VELT_API_KEY`,
/// `VELT_AUTH_TOKEN`) are read from the environment only, never from flags.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct AccessArgs {
    /// Accepted JWT signature algorithms, comma-separated; required with any
    /// JWT key: HS256/HS384/HS512 with VELT_JWT_SECRET, RS*/PS*/ES256/ES384/EdDSA
    /// with a public key file or a JWKS URL. `none` and HS* mixed with others are refused.
    #[arg(long, env = "VELT_JWT_ALGORITHMS")]
    pub jwt_algorithms: Option<String>,

    /// PEM file with the public key verifying JWT bearer tokens.
    #[arg(long, env = "VELT_JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<PathBuf>,

    /// HTTPS URL of the JSON Web Key Set verifying JWT bearer tokens
    /// (redirects are not followed).
    #[arg(long, env = "VELT_JWT_JWKS_URL")]
    pub jwt_jwks_url: Option<String>,

    /// PEM file of a private CA: the only certificates trusted for the JWKS URL.
    #[arg(long, env = "VELT_JWT_JWKS_CA_FILE")]
    pub jwt_jwks_ca_file: Option<PathBuf>,

    /// Seconds a fetched JWKS is used before it is fetched again.
    #[arg(long, env = "VELT_JWT_JWKS_TTL_SECS", default_value_t = 300)]
    pub jwt_jwks_ttl_secs: u64,

    /// Minimum seconds between two JWKS fetches caused by an unknown `kid` or a failed fetch.
    #[arg(long, env = "VELT_JWT_JWKS_REFETCH_SECS", default_value_t = 30)]
    pub jwt_jwks_refetch_secs: u64,

    /// Seconds past its TTL the last JWKS is still used while the endpoint is down.
    #[arg(long, env = "VELT_JWT_JWKS_MAX_STALE_SECS", default_value_t = 3600)]
    pub jwt_jwks_max_stale_secs: u64,

    /// Required `iss` claim of JWTs.
    #[arg(long, env = "VELT_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,

    /// Required `aud` claim of JWTs.
    #[arg(long, env = "VELT_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,

    /// Claims every JWT must carry, comma-separated (empty: none).
    #[arg(long, env = "VELT_JWT_REQUIRED_CLAIMS", default_value = "exp")]
    pub jwt_required_claims: String,

    /// JWT claim holding the caller's organization; requests for any other organization are refused (403).
    #[arg(long, env = "VELT_JWT_ORG_CLAIM", default_value = "organizationId")]
    pub jwt_org_claim: String,

    /// Clock skew tolerated on JWT expiry, in seconds.
    #[arg(long, env = "VELT_JWT_LEEWAY_SECS", default_value_t = 0)]
    pub jwt_leeway_secs: u64,

    /// JWT claim holding the user id, for POST /v1/auth/token.
    #[arg(long, env = "VELT_JWT_USER_CLAIM", default_value = "sub")]
    pub jwt_user_claim: String,

    /// JWT claim holding the user's e-mail address, for POST /v1/auth/token.
    #[arg(long, env = "VELT_JWT_EMAIL_CLAIM", default_value = "email")]
    pub jwt_email_claim: String,

    /// JWT claim holding the user's display name, for POST /v1/auth/token.
    #[arg(long, env = "VELT_JWT_NAME_CLAIM", default_value = "name")]
    pub jwt_name_claim: String,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// A JWT or static-token setting is invalid.
    #[error(transparent)]
    Auth(#[from] AuthConfigError),
    /// A file named by a setting cannot be read.
    #[error("cannot read {setting} {path}: {source}")]
    ReadFile {
        /// The setting naming the file.
        setting: &'static str,
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Settings that contradict each other or are incomplete.
    #[error("{0}")]
    Conflict(&'static str),
    /// The Velt REST client cannot be built from VELT_API_KEY / VELT_AUTH_TOKEN / VELT_API_BASE_URL.
    #[error("invalid Velt REST settings: {0}")]
    Rest(String),
}

fn read(setting: &'static str, path: &PathBuf) -> Result<Vec<u8>, SetupError> {
    std::fs::read(path).map_err(|source| SetupError::ReadFile {
        setting,
        path: path.display().to_string(),
        source,
    })
}

impl AccessArgs {
    /// The authentication settings; `env` looks up the secret variables
    /// (`VELT_SERVER_TOKENS`, `VELT_JWT_SECRET`). With `insecure_no_auth`
    /// nothing else is read.
    pub fn auth_config(
        &self,
        insecure_no_auth: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<AuthConfig, SetupError> {
        if insecure_no_auth {
            return Ok(AuthConfig::insecure());
        }
        let get = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let mut auth = AuthConfig::default();
        if let Some(spec) = get("VELT_SERVER_TOKENS") {
            auth = auth.with_static_tokens(StaticTokens::parse(&spec)?);
        }
        let secret = get("VELT_JWT_SECRET");
        // Empty settings count as unset.
        let key_file = self
            .jwt_public_key_file
            .as_ref()
            .filter(|p| !p.as_os_str().is_empty());
        let jwks_url = self
            .jwt_jwks_url
            .as_deref()
            .filter(|u| !u.trim().is_empty());
        let ca_file = self
            .jwt_jwks_ca_file
            .as_ref()
            .filter(|p| !p.as_os_str().is_empty());
        let algorithms = self
            .jwt_algorithms
            .as_deref()
            .filter(|a| !a.trim().is_empty());
        let sources = [secret.is_some(), key_file.is_some(), jwks_url.is_some()];
        let key = match sources {
            [false, false, false] => None,
            [true, false, false] => secret.map(|s| JwtKey::Secret(Secret::new(s))),
            [false, true, false] => match key_file {
                Some(path) => {
                    let pem = read("VELT_JWT_PUBLIC_KEY_FILE", path)?;
                    Some(JwtKey::PublicKeyPem(
                        String::from_utf8_lossy(&pem).into_owned(),
                    ))
                }
                None => None,
            },
            [false, false, true] => match jwks_url {
                Some(url) => {
                    let mut jwks = JwksConfig::new(url)
                        .ttl(Duration::from_secs(self.jwt_jwks_ttl_secs))
                        .min_refetch_interval(Duration::from_secs(self.jwt_jwks_refetch_secs))
                        .max_stale(Duration::from_secs(self.jwt_jwks_max_stale_secs));
                    if let Some(ca) = ca_file {
                        jwks = jwks.ca_pem(read("VELT_JWT_JWKS_CA_FILE", ca)?);
                    }
                    Some(JwtKey::Jwks(jwks))
                }
                None => None,
            },
            _ => {
                return Err(SetupError::Conflict(
                    "set only one JWT key: VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
                ));
            }
        };
        if ca_file.is_some() && jwks_url.is_none() {
            return Err(SetupError::Conflict(
                "VELT_JWT_JWKS_CA_FILE is set without VELT_JWT_JWKS_URL",
            ));
        }
        let Some(key) = key else {
            if algorithms.is_some() {
                return Err(SetupError::Conflict(
                    "VELT_JWT_ALGORITHMS is set but no JWT key: set VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
                ));
            }
            return Ok(auth);
        };
        let algorithms = parse_algorithms(algorithms.unwrap_or(""))?;
        let mut jwt = JwtConfig::new(algorithms, key)
            .org_claim(self.jwt_org_claim.clone())
            .leeway_secs(self.jwt_leeway_secs)
            .required_claims(
                self.jwt_required_claims
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty()),
            );
        if let Some(iss) = self.jwt_issuer.as_ref().filter(|i| !i.is_empty()) {
            jwt = jwt.issuer(iss.clone());
        }
        if let Some(aud) = self.jwt_audience.as_ref().filter(|a| !a.is_empty()) {
            jwt = jwt.audience(aud.clone());
        }
        Ok(auth.with_jwt(jwt))
    }

    /// The access routes' settings, looked up through `env`: a Velt REST
    /// client when both `VELT_API_KEY` and `VELT_AUTH_TOKEN` are set
    /// (`VELT_API_BASE_URL` overrides the API's URL), and the permission
    /// admin tokens of `VELT_ADMIN_TOKENS` (same syntax as `VELT_SERVER_TOKENS`).
    pub fn access_options(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<AccessOptions, SetupError> {
        let has = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        let rest = if has("VELT_API_KEY") && has("VELT_AUTH_TOKEN") {
            Some(
                velt_rest::VeltClient::builder()
                    .from_env_with(&env)
                    .build()
                    .map_err(|e| SetupError::Rest(e.to_string()))?,
            )
        } else {
            None
        };
        let admin_tokens = match env("VELT_ADMIN_TOKENS").filter(|v| !v.trim().is_empty()) {
            Some(spec) => StaticTokens::parse_setting("VELT_ADMIN_TOKENS", &spec)?,
            None => StaticTokens::new(),
        };
        Ok(AccessOptions {
            rest,
            admin_tokens,
            user_claim: self.jwt_user_claim.clone(),
            email_claim: self.jwt_email_claim.clone(),
            name_claim: self.jwt_name_claim.clone(),
            ..AccessOptions::default()
        })
    }
}
