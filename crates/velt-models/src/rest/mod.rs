//! Request types of the Velt REST API, one module per service.
//!
//! Every type is named after the velt-py method it belongs to plus `Request`
//! (`addOrganizations` → [`organizations::AddOrganizationsRequest`]) and is
//! re-exported here. Field names are the snake_case of velt-py's (camelCase)
//! keys; on the wire the keys are exactly velt-py's.
//!
//! Serialisation follows velt-py's body rules: an unset (`None`) field is
//! left out, a set value is sent even when it is falsy (`false`, `0`, `""`,
//! `[]`, `{}`), and free-form parts given as [`serde_json::Value`] are sent
//! verbatim, nested `null`s included. Build a request with struct-update
//! syntax:
//!
//! ```
//! use velt_models::rest::GetOrganizationsRequest;
//!
//! let req = GetOrganizationsRequest {
//!     page_size: Some(50),
//!     ..Default::default()
//! };
//! assert_eq!(serde_json::to_string(&req).unwrap(), r#"{"pageSize":50}"#);
//! ```

pub mod access_control;
pub mod activities;
pub mod agents;
pub mod comment_annotations;
pub mod crdt;
pub mod documents;
pub mod folders;
pub mod gdpr;
pub mod livestate;
pub mod memory;
pub mod notifications;
pub mod organizations;
pub mod presence;
pub mod recordings;
pub mod rewriter;
pub mod token;
pub mod user_groups;
pub mod users;
pub mod workflow;
pub mod workspace;

pub use access_control::*;
pub use activities::*;
pub use agents::*;
pub use comment_annotations::*;
pub use crdt::*;
pub use documents::*;
pub use folders::*;
pub use gdpr::*;
pub use livestate::*;
pub use memory::*;
pub use notifications::*;
pub use organizations::*;
pub use presence::*;
pub use recordings::*;
pub use rewriter::*;
pub use token::*;
pub use user_groups::*;
pub use users::*;
pub use workflow::*;
pub use workspace::*;
