//! Authentication of provider requests: a thin layer over
//! [`velt_selfhost::auth`].
//!
//! A request carries `Authorization: Bearer <token>`; the token is first
//! compared (in constant time) with the static tokens, then verified as a JWT
//! when JWT verification is configured. A static token may be bound to
//! organizations (`VELT_SERVER_TOKENS=token1:org-a|org-b,token2:*`); a JWT is
//! bound to the organization of its organization claim (`organizationId` by
//! default). Every organization a request names must then be one of the
//! credential's ([`check_organization`]), or it is refused with 403.

use std::fmt;

pub use velt_selfhost::auth::{
    Algorithm, AuthConfigError, JwksConfig, JwtConfig, JwtKey, OrgScope, Principal, Secret,
    StaticTokens, TokenVerifier, VerifyError as AuthError, bearer, check_organization,
    parse_algorithms, request_organizations,
};

/// How provider requests are authenticated.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct AuthConfig {
    /// Accepted static bearer tokens, each with its organizations.
    pub tokens: StaticTokens,
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

    /// Accepts these static bearer tokens for any organization (empty
    /// entries are ignored).
    pub fn with_tokens<I, S>(mut self, tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Secret>,
    {
        for t in tokens {
            self.tokens.add(t, OrgScope::Any);
        }
        self
    }

    /// Accepts `token` for the organizations of `scope` only.
    pub fn with_token(mut self, token: impl Into<Secret>, scope: OrgScope) -> Self {
        self.tokens.add(token, scope);
        self
    }

    /// Accepts these static tokens (e.g. from [`StaticTokens::parse`]).
    pub fn with_static_tokens(mut self, tokens: StaticTokens) -> Self {
        self.tokens.extend(tokens);
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

/// A ready-to-use verifier built from [`AuthConfig`]. Cheap to clone.
#[derive(Clone)]
pub struct Authenticator {
    tokens: StaticTokens,
    jwt: Option<TokenVerifier>,
    insecure_no_auth: bool,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("tokens", &self.tokens.len())
            .field("jwt", &self.jwt)
            .field("insecure_no_auth", &self.insecure_no_auth)
            .finish()
    }
}

impl Authenticator {
    /// Prepares the verifier: checks the JWT settings and parses the key once.
    pub fn new(config: AuthConfig) -> Result<Self, AuthConfigError> {
        let jwt = config.jwt.map(TokenVerifier::new).transpose()?;
        Ok(Self {
            tokens: config.tokens,
            jwt,
            insecure_no_auth: config.insecure_no_auth,
        })
    }

    /// True when auth is switched off.
    pub fn is_insecure(&self) -> bool {
        self.insecure_no_auth
    }

    /// The JWT verifier, when JWTs are accepted.
    pub fn jwt(&self) -> Option<&TokenVerifier> {
        self.jwt.as_ref()
    }

    /// Checks the `Authorization` header value.
    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthError> {
        if self.insecure_no_auth {
            return Ok(Principal::unrestricted());
        }
        if self.tokens.is_empty() && self.jwt.is_none() {
            return Err(AuthError::NotConfigured);
        }
        let token = authorization
            .and_then(bearer)
            .ok_or(AuthError::MissingToken)?;
        if let Some(principal) = self.tokens.authenticate(token) {
            return Ok(principal);
        }
        match &self.jwt {
            Some(verifier) => verifier.verify(token).await,
            None => Err(AuthError::InvalidToken),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_tokens() {
        let a = Authenticator::new(
            AuthConfig::default()
                .with_tokens(["t1", "second"])
                .with_token("bound", OrgScope::only(["org-a"])),
        )
        .unwrap();
        assert_eq!(
            a.authenticate(Some("Bearer t1")).await,
            Ok(Principal::unrestricted())
        );
        assert!(a.authenticate(Some("Bearer second")).await.is_ok());
        let bound = a.authenticate(Some("Bearer bound")).await.unwrap();
        assert_eq!(bound.organization_id.as_deref(), Some("org-a"));
        assert_eq!(
            a.authenticate(Some("Bearer t2")).await,
            Err(AuthError::InvalidToken)
        );
        assert_eq!(a.authenticate(None).await, Err(AuthError::MissingToken));
        assert!(!format!("{a:?}").contains("t1"));
    }
}
