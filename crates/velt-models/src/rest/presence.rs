//! Request types of the `presence` service (velt-py `sdk.api.presence`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Marks users present on a document.
///
/// velt-py: `sdk.api.presence.addPresence(AddPresenceRequest(...))`, `POST /v2/presence/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddPresenceRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Users to mark present (`userId`, optional `name`, `email`, `status`), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Value>>,
}

/// Changes users' presence on a document.
///
/// velt-py: `sdk.api.presence.updatePresence(UpdatePresenceRequest(...))`, `POST /v2/presence/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePresenceRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Presence changes (`userId`, optional `name`, `email`, `status`), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Value>>,
}

/// Removes users' presence from a document.
///
/// velt-py: `sdk.api.presence.deletePresence(DeletePresenceRequest(...))`, `POST /v2/presence/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletePresenceRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Users to remove from presence.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
}
