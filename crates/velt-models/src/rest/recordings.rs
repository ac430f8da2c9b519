//! Request types of the `recordings` service (velt-py `sdk.api.recordings`).

use serde::{Deserialize, Serialize};

/// Lists recordings.
///
/// velt-py: `sdk.api.recordings.getRecordings(GetRecordingsRequest(...))`, `POST /v2/recordings/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetRecordingsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Recording ids to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_ids: Option<Vec<String>>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}
