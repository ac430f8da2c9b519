//! The Velt SDK for Rust: the Velt REST API and self-hosted data providers
//! behind one facade.
//!
//! [`VeltSdk`] is built from one configuration and gives
//! - [`VeltSdk::api`]: the REST client ([`velt_rest::VeltClient`]), with a
//!   handle per velt-py service and one method per velt-py method
//!   (`sdk.api().organizations().add_organizations(&req)`). Tokens are minted with `sdk.api().access_control().generate_token(&req)`
//!   ([`GenerateTokenRequest`](velt_models::rest::GenerateTokenRequest),
//!   velt-py's `accessControl.generateToken`); [`VeltSdk::token`]
//!   (velt-py's `selfHosting.token.getToken`) is kept but deprecated, as in
//!   velt-py 0.3.0;
//! - [`VeltSdk::self_hosting`] (feature `selfhost`): the data-provider
//!   services that keep comments, reactions, users, attachments, recordings,
//!   notifications and activity in your own database
//!   (`sdk.self_hosting()?.comments().get_comments(&req)`).
//!
//! ```
//! use std::sync::Arc;
//! use velt::prelude::*;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), velt::Error> {
//! let sdk = VeltSdk::builder()
//!     .api_key("my-api-key")
//!     .auth_token("my-auth-token")
//!     .store(Arc::new(MemoryStore::new()))
//!     .build()?;
//!
//! // Self-hosting: what Velt's frontend data providers call.
//! let save = serde_json::json!({
//!     "commentAnnotation": {"ann-1": {"comments": {"1": {"commentId": 1, "commentText": "hi"}}}},
//!     "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
//! });
//! let resp = match parse_request::<SaveCommentResolverRequest>(save) {
//!     Ok(req) => sdk.self_hosting()?.comments().save_comments(&req).await,
//!     Err(bad_request) => bad_request,
//! };
//! assert_eq!(resp.to_json(), serde_json::json!({"success": true, "statusCode": 200}));
//!
//! let get = GetCommentResolverRequest {
//!     organization_id: "org-1".into(),
//!     document_ids: Some(vec!["doc-1".into()]),
//!     ..Default::default()
//! };
//! let found = sdk.self_hosting()?.comments().get_comments(&get).await;
//! assert_eq!(found.to_json()["data"]["ann-1"]["metadata"]["documentId"], "doc-1");
//!
//! // REST: every velt-py `sdk.api.*` method (not called here: it needs the network).
//! let _orgs = sdk.api().organizations();
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `rest` | yes | the REST client (always compiled; the flag exists for symmetry) |
//! | `selfhost` | yes | self-hosting services with the in-memory store and local attachment storage |
//! | `mongodb` | no | [`MongoStore`](velt_selfhost::backends::mongodb::MongoStore): velt-py's MongoDB layout |
//! | `sqlite` | no | the embedded persistent SQLite store |
//! | `s3` | no | S3 (and S3-compatible) attachment storage |
//!
//! A REST-only user can depend on `velt-rest` alone; a self-hosting-only
//! user on `velt-selfhost` with the backend feature they use.

use std::fmt;
#[cfg(feature = "selfhost")]
use std::sync::Arc;
use std::time::Duration;

#[doc(inline)]
pub use velt_models as models;
#[doc(inline)]
pub use velt_rest as rest;
#[cfg(feature = "selfhost")]
#[doc(inline)]
pub use velt_selfhost as selfhost;

pub use velt_rest::{ApiResponse, RetryPolicy, VeltClient};

#[cfg(feature = "selfhost")]
use velt_selfhost::{
    SelfHosting, UserOrgScope, UserSchema, attachments::AttachmentStorage, store::Store,
};

/// Everything most programs need, in one `use velt::prelude::*`.
pub mod prelude {
    pub use crate::{Error, VeltSdk, VeltSdkBuilder};
    pub use velt_models::rest::*;
    pub use velt_rest::{ApiResponse, RetryPolicy, TokenResult, VeltClient};

    #[cfg(feature = "selfhost")]
    pub use velt_models::selfhost::*;
    #[cfg(feature = "selfhost")]
    pub use velt_selfhost::{
        SelfHosting, Upload, UserOrgScope, UserSchema,
        attachments::{AttachmentStorage, local::LocalDirStorage},
        backends::memory::MemoryStore,
        store::{Scope, Store},
    };
}

/// Errors of the facade.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The REST client could not be built, or a REST call failed.
    #[error(transparent)]
    Rest(#[from] velt_rest::Error),
    /// `self_hosting()` was called on an SDK built without a store.
    #[error(
        "self-hosting is not configured: give the builder a store (VeltSdkBuilder::store), \
         e.g. MemoryStore, SqliteStore or MongoStore"
    )]
    SelfHostingNotConfigured,
}

/// The SDK: the REST client and, when a store is configured, the
/// self-hosting services. Cheap to clone (shared connection pools).
#[derive(Clone)]
pub struct VeltSdk {
    api: VeltClient,
    #[cfg(feature = "selfhost")]
    self_hosting: Option<SelfHosting>,
}

impl fmt::Debug for VeltSdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("VeltSdk");
        d.field("api", &self.api);
        #[cfg(feature = "selfhost")]
        d.field("self_hosting", &self.self_hosting);
        d.finish()
    }
}

impl VeltSdk {
    /// A builder; nothing is read from the environment unless
    /// [`VeltSdkBuilder::from_env`] is called.
    pub fn builder() -> VeltSdkBuilder {
        VeltSdkBuilder::default()
    }

    /// An SDK configured from `VELT_API_KEY`, `VELT_AUTH_TOKEN`,
    /// `VELT_WORKSPACE_ID`, `VELT_WORKSPACE_AUTH_TOKEN` and
    /// `VELT_API_BASE_URL`, without self-hosting.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env().build()
    }

    /// The REST API client (velt-py's `sdk.api`).
    pub fn api(&self) -> &VeltClient {
        &self.api
    }

    /// The self-hosting services (velt-py's `sdk.selfHosting`), or
    /// [`Error::SelfHostingNotConfigured`] when the SDK was built without a
    /// store.
    #[cfg(feature = "selfhost")]
    pub fn self_hosting(&self) -> Result<&SelfHosting, Error> {
        self.self_hosting
            .as_ref()
            .ok_or(Error::SelfHostingNotConfigured)
    }

    /// velt-py's `sdk.selfHosting.token`: the token call of the REST client
    /// (`sdk.token().get_token(org, user, email, is_admin)`, velt-py's
    /// `{"success", "data"}` result).
    ///
    /// Deprecated, as velt-py 0.3.0 deprecates `getToken`: mint tokens with
    /// `sdk.api().access_control().generate_token(&req)`
    /// ([`velt_rest::services::AccessControlService::generate_token`]).
    #[deprecated(
        note = "velt-py 0.3.0 deprecates getToken: use `sdk.api().access_control().generate_token(&GenerateTokenRequest { .. })`"
    )]
    pub fn token(&self) -> velt_rest::services::TokenService<'_> {
        self.api.token()
    }
}

/// Builds a [`VeltSdk`]. Settings given explicitly win over the
/// environment.
#[derive(Default)]
pub struct VeltSdkBuilder {
    rest: velt_rest::ClientBuilder,
    api_key: Option<String>,
    read_env: bool,
    #[cfg(feature = "selfhost")]
    store: Option<Arc<dyn Store>>,
    #[cfg(feature = "selfhost")]
    attachments: Option<Arc<dyn AttachmentStorage>>,
    #[cfg(feature = "selfhost")]
    user_schema: Option<UserSchema>,
    #[cfg(feature = "selfhost")]
    user_org_scope: Option<UserOrgScope>,
}

impl fmt::Debug for VeltSdkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("VeltSdkBuilder");
        d.field("rest", &self.rest);
        d.field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"));
        d.field("read_env", &self.read_env);
        #[cfg(feature = "selfhost")]
        d.field("store", &self.store);
        d.finish()
    }
}

impl VeltSdkBuilder {
    /// Velt API key (`x-velt-api-key`; also stamped into self-hosted
    /// records as `metadata.apiKey`, as velt-py does).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        let key = api_key.into();
        self.rest = self.rest.api_key(key.clone());
        self.api_key = Some(key);
        self
    }

    /// Velt auth token (`x-velt-auth-token`).
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.rest = self.rest.auth_token(auth_token);
        self
    }

    /// Workspace id, sent on workspace calls.
    pub fn workspace_id(mut self, workspace_id: impl Into<String>) -> Self {
        self.rest = self.rest.workspace_id(workspace_id);
        self
    }

    /// Workspace auth token, sent by the workspace-level methods.
    pub fn workspace_auth_token(mut self, token: impl Into<String>) -> Self {
        self.rest = self.rest.workspace_auth_token(token);
        self
    }

    /// Overrides `https://api.velt.dev` (proxies, tests).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.rest = self.rest.base_url(base_url);
        self
    }

    /// Deadline of each REST attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.rest = self.rest.timeout(timeout);
        self
    }

    /// Retry policy of REST calls.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.rest = self.rest.retry(policy);
        self
    }

    /// Replaces the REST builder wholesale (every `velt_rest::ClientBuilder`
    /// option). The API key given here is not stamped into self-hosted
    /// records; use [`VeltSdkBuilder::api_key`] for that.
    pub fn rest(mut self, rest: velt_rest::ClientBuilder) -> Self {
        self.rest = rest;
        self
    }

    /// Fills every setting left unset from the environment (`VELT_*`).
    pub fn from_env(mut self) -> Self {
        self.rest = self.rest.from_env();
        self.read_env = true;
        self
    }

    /// The store of self-hosted records; enables [`VeltSdk::self_hosting`].
    #[cfg(feature = "selfhost")]
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// Where uploaded attachment files go (local directory, S3...).
    #[cfg(feature = "selfhost")]
    pub fn attachment_storage(mut self, storage: Arc<dyn AttachmentStorage>) -> Self {
        self.attachments = Some(storage);
        self
    }

    /// velt-py's `user_schema`: how your user documents map to Velt users.
    #[cfg(feature = "selfhost")]
    pub fn user_schema(mut self, schema: UserSchema) -> Self {
        self.user_schema = Some(schema);
        self
    }

    /// How user records are scoped by organization.
    #[cfg(feature = "selfhost")]
    pub fn user_org_scope(mut self, scope: UserOrgScope) -> Self {
        self.user_org_scope = Some(scope);
        self
    }

    /// Builds the SDK. Fails only on invalid REST settings (for example a
    /// malformed base URL); missing credentials are reported by the calls
    /// that need them.
    pub fn build(self) -> Result<VeltSdk, Error> {
        #[cfg(feature = "selfhost")]
        let api_key = self.api_key.clone().or_else(|| {
            if self.read_env {
                std::env::var(velt_rest::ENV_API_KEY)
                    .ok()
                    .filter(|k| !k.is_empty())
            } else {
                None
            }
        });
        let api = self.rest.build()?;
        #[cfg(feature = "selfhost")]
        let self_hosting = self.store.map(|store| {
            let mut b = SelfHosting::builder().store(store).api_key(api_key);
            if let Some(a) = self.attachments {
                b = b.attachment_storage(a);
            }
            if let Some(s) = self.user_schema {
                b = b.user_schema(s);
            }
            if let Some(s) = self.user_org_scope {
                b = b.user_org_scope(s);
            }
            b.build()
        });
        Ok(VeltSdk {
            api,
            #[cfg(feature = "selfhost")]
            self_hosting,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_credentials() {
        let b = VeltSdk::builder()
            .api_key("key-123456")
            .auth_token("tok-abcdef");
        assert!(!format!("{b:?}").contains("key-123456"));
        let sdk = b.build().unwrap();
        let s = format!("{sdk:?}");
        assert!(
            !s.contains("key-123456") && !s.contains("tok-abcdef"),
            "{s}"
        );
    }

    #[cfg(feature = "selfhost")]
    #[test]
    fn self_hosting_requires_a_store() {
        let sdk = VeltSdk::builder().build().unwrap();
        assert!(matches!(
            sdk.self_hosting(),
            Err(Error::SelfHostingNotConfigured)
        ));
    }
}

/// The README's Rust snippets, compiled as doctests so they never rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme_doctests {}
