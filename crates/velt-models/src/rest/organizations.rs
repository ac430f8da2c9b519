//! Request types of the `organizations` service (velt-py `sdk.api.organizations`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates organizations.
///
/// velt-py: `sdk.api.organizations.addOrganizations(AddOrganizationsRequest(...))`, `POST /v2/organizations/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddOrganizationsRequest {
    /// Organizations, one JSON object each (`organizationId`, optional `organizationName`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<Value>>,
}

/// Lists organizations.
///
/// velt-py: `sdk.api.organizations.getOrganizations(GetOrganizationsRequest(...))`, `POST /v2/organizations/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetOrganizationsRequest {
    /// Organizations to fetch (at most 30); all when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

/// Changes organizations.
///
/// velt-py: `sdk.api.organizations.updateOrganizations(UpdateOrganizationsRequest(...))`, `POST /v2/organizations/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOrganizationsRequest {
    /// Organizations, one JSON object each (`organizationId`, optional `organizationName`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<Value>>,
}

/// Deletes organizations.
///
/// velt-py: `sdk.api.organizations.deleteOrganizations(DeleteOrganizationsRequest(...))`, `POST /v2/organizations/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOrganizationsRequest {
    /// Organizations to delete.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
}

/// Disables or re-enables organizations.
///
/// velt-py: `sdk.api.organizations.updateOrganizationDisableState(UpdateOrganizationDisableStateRequest(...))`, `POST /v2/organizations/access/disablestate/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOrganizationDisableStateRequest {
    /// Organization ids.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
    /// `true` blocks read and write access, `false` restores it.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}
