//! Request types of the `folders` service (velt-py `sdk.api.folders`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates folders.
///
/// velt-py: `sdk.api.folders.addFolder(AddFolderRequest(...))`, `POST /v2/organizations/folders/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddFolderRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Folders, one JSON object each (`folderId`, optional `folderName`, `parentFolderId`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
}

/// Lists folders.
///
/// velt-py: `sdk.api.folders.getFolders(GetFoldersRequest(...))`, `POST /v2/organizations/folders/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetFoldersRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Return this folder and its subfolders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Only top-level folders (not with `folder_id`).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_folders_only: Option<bool>,
    /// Page size.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// How many levels of subfolders to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<i64>,
}

/// Changes folders.
///
/// velt-py: `sdk.api.folders.updateFolder(UpdateFolderRequest(...))`, `POST /v2/organizations/folders/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateFolderRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Folders, one JSON object each (`folderId`, optional `folderName`, `parentFolderId`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<Value>>,
}

/// Deletes a folder.
///
/// velt-py: `sdk.api.folders.deleteFolder(DeleteFolderRequest(...))`, `POST /v2/organizations/folders/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteFolderRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The folder to delete.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
}

/// Sets the access type of folders.
///
/// velt-py: `sdk.api.folders.updateFolderAccess(UpdateFolderAccessRequest(...))`, `POST /v2/organizations/folders/access/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateFolderAccessRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Folder ids.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_ids: Option<Vec<String>>,
    /// Access level: `organizationPrivate`, `restricted` or `public`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_type: Option<String>,
    /// Take the access settings of the parent folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherit_from_parent: Option<bool>,
}
