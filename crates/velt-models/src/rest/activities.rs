//! Request types of the `activities` service (velt-py `sdk.api.activities`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Records activities on a document.
///
/// velt-py: `sdk.api.activities.addActivities(AddActivitiesRequest(...))`, `POST /v2/activities/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddActivitiesRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Activity records, one JSON object each.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<Value>>,
}

/// Lists activities.
///
/// velt-py: `sdk.api.activities.getActivities(GetActivitiesRequest(...))`, `POST /v2/activities/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetActivitiesRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Only activities of this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Only activities about this entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_entity_id: Option<String>,
    /// Only activities of these feature types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_types: Option<Vec<String>>,
    /// Only activities with one of these action types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_types: Option<Vec<String>>,
    /// Only activities performed by this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Activity ids to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_ids: Option<Vec<String>>,
    /// Sort order by time: `asc` or `desc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

/// Changes activities.
///
/// velt-py: `sdk.api.activities.updateActivities(UpdateActivitiesRequest(...))`, `POST /v2/activities/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateActivitiesRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Activity changes, one JSON object each with its `id`, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<Value>>,
}

/// Deletes activities (give a document, entity or activity ids).
///
/// velt-py: `sdk.api.activities.deleteActivities(DeleteActivitiesRequest(...))`, `POST /v2/activities/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteActivitiesRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Delete every activity of this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Delete these activities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_ids: Option<Vec<String>>,
    /// Delete every activity about this entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_entity_id: Option<String>,
}
