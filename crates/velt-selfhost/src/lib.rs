//! Velt self-hosting data providers over pluggable stores.
//!
//! [`SelfHosting`] holds the services Velt's frontend data providers call
//! (comments, reactions, attachments, users, recorders, notifications,
//! activities). Each method takes a resolver request from
//! [`velt_models::selfhost`] and answers with a
//! [`ResolverResponse`](velt_models::selfhost::ResolverResponse) that
//! serialises to exactly velt-py's JSON.
//!
//! Records live in a [`Store`](store::Store) (in-memory always; MongoDB and
//! SQLite behind features), files in an
//! [`AttachmentStorage`](attachments::AttachmentStorage) (local directory;
//! S3 behind a feature).
//!
//! ```no_run
//! # async fn demo() {
//! use std::sync::Arc;
//! use velt_selfhost::{SelfHosting, backends::memory::MemoryStore, attachments::local::LocalDirStorage};
//! let sh = SelfHosting::builder()
//!     .store(Arc::new(MemoryStore::new()))
//!     .attachment_storage(Arc::new(LocalDirStorage::new("./velt-files")))
//!     .build();
//! let body = serde_json::json!({"organizationId": "org-1", "documentIds": ["doc-1"]});
//! let resp = match velt_models::selfhost::parse_request(body) {
//!     Ok(req) => sh.comments().get_comments(&req).await,
//!     Err(bad_request) => bad_request,
//! };
//! println!("{}", resp.to_json());
//! # }
//! ```

pub mod attachments;
#[cfg(feature = "auth")]
pub mod auth;
pub mod backends;
pub mod config;
pub mod gdpr;
pub mod raw;
mod service;
pub mod store;
pub mod transfer;

#[cfg(feature = "test-util")]
pub mod conformance;

pub use config::{FieldMapping, SelfHostConfig, UserSchema};
pub use service::{
    Activities, Attachments, Comments, Notifications, RawAnswer, RawResponse, Reactions, Recorders,
    SelfHosting, SelfHostingBuilder, Upload, Users,
};
pub use store::UserOrgScope;
