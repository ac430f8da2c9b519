//! Request types of the `livestate` service (velt-py `sdk.api.livestate`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Broadcasts live state data to a document.
///
/// velt-py: `sdk.api.livestate.broadcastEvent(BroadcastEventRequest(...))`, `POST /v2/livestate/broadcast`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BroadcastEventRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Id of the live state entry.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_state_data_id: Option<String>,
    /// The data to broadcast, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Merge into the stored data instead of replacing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<bool>,
}
