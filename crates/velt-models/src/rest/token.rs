//! Request type of the token endpoint (velt-py `TokenService.getToken`,
//! exposed as `sdk.selfHosting.token`, and in 0.3.0 also as `sdk.api.token`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Gets a Velt auth token for a user.
///
/// velt-py: `sdk.selfHosting.token.getToken(organizationId, userId, email=None, isAdmin=None)`,
/// `POST /v2/auth/token/get`. velt-py builds the body from positional arguments; here the
/// same body is a struct: `{"userId": .., "userProperties": {"organizationId": .., "email"?: ..,
/// "isAdmin"?: ..}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTokenRequest {
    /// The user the token is for. Required (must not be empty).
    pub user_id: String,
    /// Properties of the user.
    pub user_properties: TokenUserProperties,
    /// Permissions applied while minting the token (a `resources` list), sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
}

/// The `userProperties` object of [`GetTokenRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenUserProperties {
    /// The organization the user belongs to. Required (must not be empty).
    pub organization_id: String,
    /// Email address of the user. Like velt-py, an empty string is not sent.
    #[serde(default, skip_serializing_if = "is_none_or_empty")]
    pub email: Option<String>,
    /// Whether the user is an admin. `false` is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_admin: Option<bool>,
    /// Display name of the user. Like velt-py, an empty string is not sent.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "is_none_or_empty")]
    pub name: Option<String>,
}

fn is_none_or_empty(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}
