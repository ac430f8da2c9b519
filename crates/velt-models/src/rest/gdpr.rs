//! Request types of the `gdpr` service (velt-py `sdk.api.gdpr`).

use serde::{Deserialize, Serialize};

/// Deletes all data of users (GDPR).
///
/// velt-py: `sdk.api.gdpr.deleteAllUserData(DeleteAllUserDataRequest(...))`, `POST /v2/users/data/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAllUserDataRequest {
    /// Users whose data is deleted (the API takes at most 30).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Limit the deletion to these organizations (unset: every organization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
}

/// Exports all data of a user (GDPR).
///
/// velt-py: `sdk.api.gdpr.getAllUserData(GetAllUserDataRequest(...))`, `POST /v2/users/data/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAllUserDataRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The user whose data is fetched.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Velt user ids to fetch instead of `user_id`.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velt_user_ids: Option<Vec<String>>,
    /// Fetch the user's data across every organization.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velt_all_organizations: Option<bool>,
    /// Ignored by the API (kept for compatibility).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
}

/// Reads the state of a user-data deletion job.
///
/// velt-py: `sdk.api.gdpr.getDeleteUserDataStatus(GetDeleteUserDataStatusRequest(...))`, `POST /v2/users/data/delete/status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDeleteUserDataStatusRequest {
    /// Id of the deletion job.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}
