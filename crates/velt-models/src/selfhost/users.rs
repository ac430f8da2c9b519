//! Users (`users`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::de;

/// A user as returned by the users resolver (velt-py `User`): the standard
/// fields plus every custom field at top level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user id.
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub user_id: String,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Avatar border and cursor color.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Avatar text color.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_color: Option<String>,
    /// Admin flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_admin: Option<bool>,
    /// Initial character.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<String>,
    /// Custom fields, merged at top level.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the users `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetUserResolverRequest {
    /// The organization (velt-rs scopes users by it; see `UserOrgScope`).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// The users to read; a missing or non-list value reads as empty.
    #[serde(default, deserialize_with = "de::lenient_string_list")]
    pub user_ids: Vec<String>,
}

/// Body of `save_users` (velt-rs addition: velt-py's README promised a
/// `saveUser` that never shipped). Each user object needs a `userId`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveUserResolverRequest {
    /// The organization the users belong to (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// The users to insert or update.
    #[serde(default)]
    pub users: Vec<User>,
}

/// Body of the anonymous-user provider's `resolveUserIdsByEmail` callback
/// (`@veltdev/types` `ResolveUserIdsByEmailRequest`, velt-py 0.3.0):
/// answered with `data: {email: userId}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveUserIdsByEmailRequest {
    /// The organization (required; users are looked up within it).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// The emails to resolve; a missing or non-list value reads as empty.
    #[serde(default, deserialize_with = "de::lenient_string_list")]
    pub emails: Vec<String>,
    /// The document the lookup happens in (context only, as in velt-py).
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// The folder the lookup happens in (context only, as in velt-py).
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<String>,
}
