//! Async client for the Velt REST API: every endpoint of velt-py 0.1.10,
//! wire-identical, with typed requests, timeouts, retries, pagination and
//! redacted credentials.
//!
//! ```no_run
//! use velt_models::rest::{AddOrganizationsRequest, GetOrganizationsRequest};
//! use velt_rest::{Error, VeltClient};
//!
//! # async fn run() -> Result<(), Error> {
//! // VELT_API_KEY, VELT_AUTH_TOKEN, ... fill whatever the builder leaves unset.
//! let client = VeltClient::builder().from_env().build()?;
//!
//! let req = AddOrganizationsRequest {
//!     organizations: Some(vec![serde_json::json!({
//!         "organizationId": "org-1",
//!         "organizationName": "Acme",
//!     })]),
//! };
//! match client.organizations().add_organizations(&req).await {
//!     Ok(resp) => println!("{:?}: {:?}", resp.status(), resp.message()),
//!     Err(Error::Api(e)) => eprintln!("HTTP {}: {:?}", e.http_status, e.message),
//!     Err(e) => return Err(e),
//! }
//!
//! let orgs = client
//!     .organizations()
//!     .get_organizations(&GetOrganizationsRequest::default())
//!     .await?;
//! println!("{}", orgs.json());
//! # Ok(()) }
//! ```
//!
//! # Shape
//!
//! - [`VeltClient`] (cheap `Clone`, one pooled HTTP client) → a service
//!   handle per velt-py service (`client.comment_annotations()`) → one method
//!   per velt-py method, snake_case (`add_comment_annotations`), taking the
//!   request type of [`velt_models::rest`] and returning [`ApiResponse`].
//! - Every call is `POST {base}/v2{path}` with `{"data": request}` and the
//!   headers velt-py sends: `x-velt-api-key`, `x-velt-auth-token` (the
//!   workspace auth token on the workspace-level methods) and, on workspace
//!   calls only, `x-velt-workspace-id` when configured. See [`AuthKind`].
//! - [`endpoints::ENDPOINTS`] lists every endpoint;
//!   [`VeltClient::call_endpoint`] calls one with a JSON request (the CLI
//!   uses this).
//! - `*_pages` methods and [`VeltClient::paginate`] follow `nextPageToken`.
//! - Tokens are minted with [`AccessControlService::generate_token`]
//!   (`client.access_control().generate_token(&req)`, velt-py's
//!   `accessControl.generateToken`, `POST /v2/auth/generate_token`); see
//!   [Minting tokens](#minting-tokens).
//! - [`crate::allowlist`]: velt-py 0.3.0's opt-in `filter_unknown_fields`,
//!   on with [`ClientBuilder::filter_unknown_fields`] or per call with
//!   [`VeltClient::with_filter_unknown_fields`].
//!
//! # Minting tokens
//!
//! ```no_run
//! use velt_models::rest::GenerateTokenRequest;
//! use velt_rest::{Error, VeltClient};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = VeltClient::builder().from_env().build()?;
//! let req = GenerateTokenRequest {
//!     user_id: Some("user-1".into()),
//!     user_properties: Some(serde_json::json!({"organizationId": "org-1", "email": "a@b.c"})),
//!     permissions: None,
//! };
//! let resp = client.access_control().generate_token(&req).await?;
//! // The API's response as it is: {"result": {"status", "message", "data": {"token"}}}.
//! let token = resp.json()["result"]["data"]["token"].as_str();
//! # let _ = token;
//! # Ok(()) }
//! ```
//!
//! [`TokenService::get_token`] (velt-py's `selfHosting.token.getToken`, with
//! its `{"success", "data"}` result) and [`TokenService::get_token_for`] are
//! kept and work unchanged, but are deprecated, as velt-py 0.3.0 deprecates
//! `getToken`.
//!
//! # Better than velt-py
//!
//! A default per-attempt deadline (30 s, configurable); retries with
//! exponential backoff and jitter ([`RetryPolicy`]); non-2xx and
//! `{"error": ...}` bodies are errors ([`Error::Api`]) instead of data;
//! network errors, timeouts and undecodable bodies are separate variants;
//! a missing credential fails before sending ([`Error::MissingCredential`]);
//! credentials never appear in `Debug`, errors or logs; a `tracing` span
//! (`velt_rest.call`: service, method, path, http_status, attempts,
//! latency_ms) per call.

pub mod allowlist;
mod client;
mod config;
pub mod endpoints;
mod error;
mod pagination;
mod response;
mod secret;
mod token;

pub use client::VeltClient;
pub use config::{
    API_VERSION_PATH, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
    ENV_API_KEY, ENV_AUTH_TOKEN, ENV_BASE_URL, ENV_WORKSPACE_AUTH_TOKEN, ENV_WORKSPACE_ID,
    RetryPolicy, TOKEN_TIMEOUT,
};
pub use endpoints::services::{self, *};
pub use endpoints::{AuthKind, ENDPOINTS, Endpoint};
pub use error::{ApiError, Error};
pub use pagination::Pages;
pub use response::ApiResponse;
pub use secret::Secret;
pub use token::{TokenErrorCode, TokenResult};

/// Re-export of the request types.
pub use velt_models::rest as models;

/// Internals exposed for the benchmark program only; not part of the API.
#[doc(hidden)]
pub mod __bench {
    /// Encodes `{"data": request}` as a call does (velt-rest's writer).
    pub fn encode_body<R: serde::Serialize + ?Sized>(request: &R) -> Option<usize> {
        crate::client::encode_body(request).ok().map(|b| b.len())
    }
}
