//! Serde types for velt-rs, with no I/O.
//!
//! - [`rest`]: request types of every Velt REST method velt-py 0.1.10 has
//!   (`velt_models::rest::<service>::<Method>Request`, also re-exported flat
//!   from [`rest`]).
//! - [`selfhost`]: self-hosting records and resolver requests/responses.
//!
//! ```
//! use velt_models::rest::UpdateOrganizationDisableStateRequest;
//! use velt_models::selfhost::{GetCommentResolverRequest, ResolverResponse, parse_request};
//!
//! // REST: unset fields are omitted, falsy values are sent, as velt-py does.
//! let req = UpdateOrganizationDisableStateRequest {
//!     organization_ids: Some(vec![]),
//!     disabled: Some(false),
//! };
//! assert_eq!(
//!     serde_json::to_value(&req).unwrap(),
//!     serde_json::json!({"organizationIds": [], "disabled": false})
//! );
//!
//! // Self-hosting: a frontend body with a wrong type becomes a 400 resolver answer.
//! let bad = parse_request::<GetCommentResolverRequest>(serde_json::json!({"documentIds": "d1"}));
//! let answer: ResolverResponse = bad.unwrap_err();
//! assert_eq!(answer.status_code(), 400);
//! assert_eq!(answer.to_json()["errorCode"], "VALIDATION_ERROR");
//! ```

pub mod rest;
pub mod selfhost;
pub mod webhooks;
