//! Access routes beyond the data providers: `POST /v1/auth/token`, the
//! token endpoint behind the frontend's `authProvider`; the real-time
//! permission provider `POST /v1/permissions/resolve` over stored grants,
//! and its admin routes `POST /v1/admin/permissions/{grant,revoke,list}`
//! and `POST /v1/admin/permissions/members/{add,remove,list}`.
//!
//! Settings come from [`AccessArgs`] (the binary's flags and environment)
//! or are built directly as [`AccessOptions`].

mod args;
mod permissions;
mod token;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;

pub use args::{AccessArgs, SetupError};
pub use permissions::RESOLVE_ROUTE;
pub use token::TOKEN_ROUTE;

use crate::ServerOptions;
use velt_selfhost::store::Store;

use crate::auth::{AuthError, Authenticator, StaticTokens};
use crate::http::error_response;

/// Settings of the access routes.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AccessOptions {
    /// The Velt REST client minting tokens (needs the API key and auth
    /// token); without it `POST /v1/auth/token` answers 503 `NOT_CONFIGURED`.
    pub rest: Option<velt_rest::VeltClient>,
    /// The JWT claim holding the user id (default `sub`).
    pub user_claim: String,
    /// The JWT claim holding the user's e-mail address (default `email`).
    pub email_claim: String,
    /// The JWT claim holding the user's name (default `name`).
    pub name_claim: String,
    /// Most minted tokens kept in the cache.
    pub token_cache_capacity: usize,
    /// A cached token is minted anew this long before it expires.
    pub token_refresh_margin: Duration,
    /// Tokens of the permission admin routes (`VELT_ADMIN_TOKENS`); none =
    /// the admin routes answer 503 `NOT_CONFIGURED`.
    pub admin_tokens: StaticTokens,
}

impl Default for AccessOptions {
    fn default() -> Self {
        Self {
            rest: None,
            user_claim: "sub".to_owned(),
            email_claim: "email".to_owned(),
            name_claim: "name".to_owned(),
            token_cache_capacity: 10_000,
            token_refresh_margin: Duration::from_secs(300),
            admin_tokens: StaticTokens::new(),
        }
    }
}

impl AccessOptions {
    /// Mints tokens through `client`.
    pub fn rest(mut self, client: velt_rest::VeltClient) -> Self {
        self.rest = Some(client);
        self
    }

    /// Accepts these tokens on the permission admin routes.
    pub fn admin_tokens(mut self, tokens: StaticTokens) -> Self {
        self.admin_tokens = tokens;
        self
    }

    /// Reads the user id from `claim`.
    pub fn user_claim(mut self, claim: impl Into<String>) -> Self {
        self.user_claim = claim.into();
        self
    }
}

/// The access routes, authenticated by `auth`, with grants in `store`.
pub(crate) fn router(
    auth: Authenticator,
    store: Arc<dyn Store>,
    options: &ServerOptions,
) -> Router {
    token::router(auth.clone(), options).merge(permissions::router(auth, store, options))
}

/// The response refusing a credential (as on the provider routes).
pub(crate) fn refuse(e: &AuthError) -> Response {
    tracing::info!(reason = %e, "access request refused");
    let mut resp = error_response(e.status(), e.code(), e.to_string());
    if e.status() == 401 {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    resp
}
