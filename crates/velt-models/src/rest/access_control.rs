//! Request types of the `accessControl` service (velt-py `sdk.api.accessControl`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Grants a user access to resources.
///
/// velt-py: `sdk.api.accessControl.addPermissions(AddPermissionsRequest(...))`, `POST /v2/auth/permissions/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddPermissionsRequest {
    /// The user object (with `userId`), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Value>,
    /// Permissions object (a `resources` list), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
}

/// Reads users' permissions on folders and documents.
///
/// velt-py: `sdk.api.accessControl.getPermissions(GetPermissionsRequest(...))`, `POST /v2/auth/permissions/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetPermissionsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// User ids.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Folder ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_ids: Option<Vec<String>>,
    /// Document ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// Do not check that the folders, documents and organization exist.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_resource_existence_validation: Option<bool>,
}

/// Revokes a user's access to resources.
///
/// velt-py: `sdk.api.accessControl.removePermissions(RemovePermissionsRequest(...))`, `POST /v2/auth/permissions/remove`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovePermissionsRequest {
    /// The user losing the permissions.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Permissions object (a `resources` list), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
}

/// Signs a list of permissions.
///
/// velt-py: `sdk.api.accessControl.generateSignature(GenerateSignatureRequest(...))`, `POST /v2/auth/generate_signature`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateSignatureRequest {
    /// Permissions to sign, one JSON object each, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Value>>,
}

/// Mints a Velt auth token for a user.
///
/// velt-py: `sdk.api.accessControl.generateToken(GenerateTokenRequest(...))`, `POST /v2/auth/generate_token`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateTokenRequest {
    /// The user the token is for.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// User properties (`name`, `email`, `isAdmin`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_properties: Option<Value>,
    /// Permissions object (a `resources` list), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Value>,
}
