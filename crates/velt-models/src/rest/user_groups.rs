//! Request types of the `userGroups` service (velt-py `sdk.api.userGroups`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates user groups.
///
/// velt-py: `sdk.api.userGroups.addUserGroups(AddUserGroupsRequest(...))`, `POST /v2/organizations/usergroups/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddUserGroupsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Groups to create (`groupId`, `groupName` objects), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_groups: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
}

/// Adds users to a user group.
///
/// velt-py: `sdk.api.userGroups.addUsersToGroup(AddUsersToGroupRequest(...))`, `POST /v2/organizations/usergroups/users/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddUsersToGroupRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The user group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_group_id: Option<String>,
    /// Users to add to the group.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
}

/// Removes users from a user group (give user ids or `delete_all`).
///
/// velt-py: `sdk.api.userGroups.deleteUsersFromGroup(DeleteUsersFromGroupRequest(...))`, `POST /v2/organizations/usergroups/users/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteUsersFromGroupRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The user group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_group_id: Option<String>,
    /// Users to remove from the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Remove every user from the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_all: Option<bool>,
}
