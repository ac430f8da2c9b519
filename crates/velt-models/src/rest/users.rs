//! Request types of the `users` service (velt-py `sdk.api.users`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Adds users to an organization, document or folder.
///
/// velt-py: `sdk.api.users.addUsers(AddUsersRequest(...))`, `POST /v2/users/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddUsersRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Users, one JSON object each, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Create the document when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_document: Option<bool>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Create the folder when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_folder: Option<bool>,
    /// Parent of a folder created by this call.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_id: Option<String>,
    /// Free-form context object, sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
}

/// Lists users.
///
/// velt-py: `sdk.api.users.getUsers(GetUsersRequest(...))`, `POST /v2/users/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetUsersRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// User ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// User group ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_group_ids: Option<Vec<String>>,
    /// Include the users of every document of the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_documents: Option<bool>,
    /// Group the results by document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by_document_id: Option<bool>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Include the documents each user is involved in.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_involved_documents: Option<bool>,
    /// Include how many documents each user is involved in.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_involved_documents_count: Option<bool>,
    /// Free-text search over users.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_key: Option<String>,
}

/// Changes users.
///
/// velt-py: `sdk.api.users.updateUsers(UpdateUsersRequest(...))`, `POST /v2/users/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUsersRequest {
    /// The organization id (may be omitted when `options.all` is true).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Users, one JSON object each, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Value>>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Bulk options (`all`, `allDocuments`), sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Value>,
}

/// Removes users.
///
/// velt-py: `sdk.api.users.deleteUsers(DeleteUsersRequest(...))`, `POST /v2/users/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteUsersRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Users to delete.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Free-form context object, sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
}
