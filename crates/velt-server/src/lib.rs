//! velt-server: the HTTP data-provider endpoints Velt's frontend calls,
//! backed by [`velt_selfhost`].
//!
//! [`router`] returns an [`axum::Router`] a Rust application can mount under
//! its own prefix and middleware; the `velt-server` binary serves it on its
//! own, on the embedded SQLite store by default.
//!
//! # Routes
//!
//! One `POST` per provider operation, at `/v1/<provider>/<operation>`
//! ([`PROVIDER_ROUTES`]). The body is the resolver request JSON the Velt
//! frontend sends; the answer is the resolver response JSON
//! (`success`, `statusCode`, `data`, `error`, `errorCode`) with the HTTP
//! status equal to `statusCode`. `/v1/attachments/save` and
//! `/v1/recorders/storage/save` (recording files) also take
//! `multipart/form-data` with a `file` part and a `request` part (the JSON).
//! Stored files are served by `GET /v1/attachments/files/<key>`.
//! `/v1/users/resolve-by-email` answers the anonymous-user provider's
//! `resolveUserIdsByEmail`. JSON bodies may come as `application/json`,
//! `text/plain` or without a content type; ids may be strings or numbers;
//! saves and deletes are idempotent (a repeated delete answers `200`).
//! `GET /healthz` answers while the process runs; `GET /readyz` checks the store.
//! [`access`] adds `POST /v1/auth/token` (Velt tokens for the frontend's
//! `authProvider`), the permission provider `POST /v1/permissions/resolve`
//! and its admin routes `POST /v1/admin/permissions/{grant,revoke,list}`.
//! [`ops`] keeps Prometheus metrics ([`ServerOptions::metrics()`], served by
//! [`ops::Metrics::router`] on a listener of its own) and applies rate
//! limits ([`ServerOptions::rate_limit()`]; per client address by default).
//!
//! Every provider route requires `Authorization: Bearer <token>` (a static
//! token, possibly bound to organizations, or a JWT verified with a secret,
//! a PEM key or a JWKS URL, see [`auth`]) unless the server was explicitly
//! built with [`AuthConfig::insecure`].
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use axum::body::Body;
//! use axum::http::{Request, StatusCode};
//! use tower::ServiceExt;
//! use velt_selfhost::{SelfHosting, backends::memory::MemoryStore};
//! use velt_server::{AuthConfig, ServerOptions, router};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sh = SelfHosting::builder().store(Arc::new(MemoryStore::new())).build();
//! let auth = AuthConfig::default().with_tokens(["s3cret-token"]);
//! let app = router(sh, ServerOptions::new(auth))?;
//! // Mount it in your own application: axum::Router::new().nest("/velt", app)
//!
//! let save = Request::post("/v1/comments/save")
//!     .header("authorization", "Bearer s3cret-token")
//!     .header("content-type", "application/json")
//!     .body(Body::from(
//!         r#"{"commentAnnotation": {"a-1": {"comments": {}}},
//!             "metadata": {"organizationId": "org-1", "documentId": "doc-1"}}"#,
//!     ))?;
//! let resp = app.clone().oneshot(save).await?;
//! assert_eq!(resp.status(), StatusCode::OK);
//!
//! let anonymous = Request::post("/v1/comments/get")
//!     .header("content-type", "application/json")
//!     .body(Body::from(r#"{"organizationId": "org-1"}"#))?;
//! assert_eq!(app.oneshot(anonymous).await?.status(), StatusCode::UNAUTHORIZED);
//! # Ok(()) }
//! ```

pub mod access;
pub mod auth;
mod http;
mod observe;
pub mod ops;
mod routes;
pub mod webhooks;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use velt_selfhost::SelfHosting;

pub use auth::{
    Algorithm, AuthConfig, AuthError, JwksConfig, JwtConfig, JwtKey, OrgScope, Principal, Secret,
    StaticTokens,
};
pub use routes::{FILES_ROUTE, PROVIDER_ROUTES};

/// HTTP-level settings of the router.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerOptions {
    /// Authentication of provider routes.
    pub auth: AuthConfig,
    /// Origins allowed by CORS (exact `scheme://host[:port]`, or the single
    /// entry `*` for any origin); none = no CORS headers.
    pub cors_origins: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true` with the echoed origin,
    /// for resolvers configured with `credentials: 'include'`. Refused with
    /// a `*` origin ([`BuildError::WildcardWithCredentials`]).
    pub cors_allow_credentials: bool,
    /// Maximum size of a JSON request body, in bytes.
    pub body_limit: usize,
    /// Maximum size of a multipart attachment upload, in bytes.
    pub upload_limit: usize,
    /// Maximum number of elements of any array (or keys of any object) in a request.
    pub max_array_len: usize,
    /// Maximum nesting depth of a request's JSON.
    pub max_depth: usize,
    /// Time after which a request is answered with 503 `TIMEOUT`.
    pub request_timeout: Duration,
    /// Provider requests processed at once; more wait (bounding memory:
    /// a request's body and answer are held only while it is processed).
    pub max_concurrent_requests: usize,
    /// Settings of the access routes (`POST /v1/auth/token`).
    pub access: access::AccessOptions,
    /// Receipt of Velt's webhooks at `POST /v1/webhooks/velt` ([`webhooks`]); off when `None`.
    pub webhooks: Option<webhooks::WebhookConfig>,
    /// Prometheus metrics of the requests ([`ops::Metrics`]; serve
    /// [`ops::Metrics::router`] on a listener of its own); none kept when `None`.
    pub metrics: Option<ops::Metrics>,
    /// Rate limits ([`ops::RateLimitOptions`]; per client address by default).
    pub rate_limit: ops::RateLimitOptions,
}

impl ServerOptions {
    /// Defaults (2 MiB JSON bodies, 25 MiB uploads, 10,000-element arrays,
    /// depth 64, 30 s timeout, 2 concurrent requests per CPU core (at least 4), no CORS)
    /// with the given authentication.
    pub fn new(auth: AuthConfig) -> Self {
        Self {
            auth,
            cors_origins: Vec::new(),
            cors_allow_credentials: false,
            body_limit: 2 * 1024 * 1024,
            upload_limit: 25 * 1024 * 1024,
            max_array_len: 10_000,
            max_depth: 64,
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: default_concurrency(),
            access: access::AccessOptions::default(),
            webhooks: None,
            metrics: None,
            rate_limit: ops::RateLimitOptions::default(),
        }
    }

    /// Keeps these metrics of the requests.
    pub fn metrics(mut self, metrics: ops::Metrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Sets the rate limits.
    pub fn rate_limit(mut self, limits: ops::RateLimitOptions) -> Self {
        self.rate_limit = limits;
        self
    }

    /// Receives Velt's webhooks with this configuration.
    pub fn webhooks(mut self, config: webhooks::WebhookConfig) -> Self {
        self.webhooks = Some(config);
        self
    }

    /// Allows these CORS origins.
    pub fn cors_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cors_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Sends `Access-Control-Allow-Credentials: true` to configured origins.
    pub fn cors_allow_credentials(mut self, allow: bool) -> Self {
        self.cors_allow_credentials = allow;
        self
    }

    /// Sets the JSON body limit.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets the upload limit.
    pub fn upload_limit(mut self, bytes: usize) -> Self {
        self.upload_limit = bytes;
        self
    }

    /// Sets the array-length (and object-size) limit.
    pub fn max_array_len(mut self, len: usize) -> Self {
        self.max_array_len = len;
        self
    }

    /// Sets how many provider requests are processed at once (at least 1).
    pub fn max_concurrent_requests(mut self, n: usize) -> Self {
        self.max_concurrent_requests = n.max(1);
        self
    }

    /// Sets the access routes' settings.
    pub fn access(mut self, access: access::AccessOptions) -> Self {
        self.access = access;
        self
    }

    /// Sets the per-request timeout.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
}

/// Default concurrency: two requests per CPU core (at least 4). Requests
/// are CPU-bound (JSON, SQLite in the page cache), so more in flight only
/// add memory. The binary sizes its blocking thread pool the same way.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() * 2)
        .unwrap_or(4)
        .max(4)
}

/// Errors building the router from its settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A CORS origin is not a valid header value.
    #[error("invalid CORS origin {0:?}")]
    InvalidOrigin(String),
    /// `*` was given as a CORS origin together with other origins.
    #[error("the CORS origin `*` (any origin) cannot be combined with other origins")]
    WildcardAmongOrigins,
    /// `*` was given as the CORS origin while credentials are allowed:
    /// browsers refuse credentials with a wildcard origin, and echoing any
    /// origin with credentials would let every site act as the user.
    #[error(
        "CORS credentials (VELT_CORS_ALLOW_CREDENTIALS / --cors-allow-credentials) need explicit origins, not `*`"
    )]
    WildcardWithCredentials,
    /// The JWT key cannot be used.
    #[error(transparent)]
    Auth(#[from] auth::AuthConfigError),
    /// The webhook receiver cannot start.
    #[error(transparent)]
    Webhooks(#[from] webhooks::WebhookConfigError),
    /// No credentials are configured and auth was not explicitly disabled.
    #[error(
        "no authentication configured: set VELT_SERVER_TOKENS or a JWT key, or pass --insecure-no-auth"
    )]
    NoAuth,
}

/// Builds the router serving every provider route, the file route and the
/// health checks, over the services of `self_hosting` (whose store is
/// pinged by `/readyz` and whose attachment storage receives uploads and
/// serves the file route).
pub fn router(self_hosting: SelfHosting, options: ServerOptions) -> Result<Router, BuildError> {
    if !options.auth.is_usable() {
        return Err(BuildError::NoAuth);
    }
    let cors = cors_layer(&options.cors_origins, options.cors_allow_credentials)?;
    let authenticator = auth::Authenticator::new(options.auth.clone())?;
    if authenticator.is_insecure() {
        tracing::warn!(
            "authentication is DISABLED (--insecure-no-auth): anyone who can reach this server can read and write every organization's data"
        );
    }
    let access = access::router(
        authenticator.clone(),
        self_hosting.store().clone(),
        &options,
    );
    let hooks = options.webhooks.clone();
    let hooks = hooks.map(|w| webhooks::router(self_hosting.clone(), w));
    let state = routes::AppState::new(self_hosting, authenticator, &options);
    let health = routes::health(state.clone());
    let mut limited = routes::build(state).merge(access);
    if !options.rate_limit.is_off() {
        limited = limited.layer(axum::middleware::from_fn_with_state(
            ops::Limiter::new(&options.rate_limit),
            ops::limit,
        ));
    }
    let mut app = limited
        .merge(health)
        .layer(axum::middleware::from_fn_with_state(
            observe::ObserveConfig {
                timeout: options.request_timeout,
            },
            observe::observe,
        ));
    app = app.merge(hooks.transpose()?.unwrap_or_default());
    if let Some(metrics) = options.metrics.clone() {
        app = app.layer(axum::middleware::from_fn_with_state(metrics, ops::track));
    }
    if let Some(cors) = cors {
        app = app.layer(cors);
    }
    Ok(app.layer(tower_http::catch_panic::CatchPanicLayer::custom(
        routes::panic_response,
    )))
}

/// The CORS layer: configured origins echoed, `GET`/`POST`/`OPTIONS`, any
/// request header allowed for them (the customer's resolver `headers` are
/// free-form), credentials when enabled.
fn cors_layer(origins: &[String], credentials: bool) -> Result<Option<CorsLayer>, BuildError> {
    let origins: Vec<&str> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return Ok(None);
    }
    let allow_origin = if origins.contains(&"*") {
        if credentials {
            return Err(BuildError::WildcardWithCredentials);
        }
        if origins.len() > 1 {
            return Err(BuildError::WildcardAmongOrigins);
        }
        AllowOrigin::any()
    } else {
        let list = origins
            .iter()
            .map(|o| {
                HeaderValue::from_str(o).map_err(|_| BuildError::InvalidOrigin((*o).to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(list)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers(AllowHeaders::mirror_request())
            .allow_credentials(credentials)
            .expose_headers([HeaderName::from_static("x-request-id")])
            .max_age(Duration::from_secs(600)),
    ))
}
