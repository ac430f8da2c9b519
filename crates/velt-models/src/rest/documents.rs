//! Request types of the `documents` service (velt-py `sdk.api.documents`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates documents in an organization.
///
/// velt-py: `sdk.api.documents.addDocuments(AddDocumentsRequest(...))`, `POST /v2/organizations/documents/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Documents, one JSON object each (`documentId`, optional `documentName`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Create the folder when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_folder: Option<bool>,
}

/// Lists documents.
///
/// velt-py: `sdk.api.documents.getDocuments(GetDocumentsRequest(...))`, `POST /v2/organizations/documents/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Document ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Metadata filters (`key`, `operator`, `value` objects, at most 10).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Value>>,
    /// Sort by most recent comment view.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by_comment_views: Option<bool>,
}

/// Changes documents.
///
/// velt-py: `sdk.api.documents.updateDocuments(UpdateDocumentsRequest(...))`, `POST /v2/organizations/documents/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Documents, one JSON object each (`documentId`, optional `documentName`, ...), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<Value>>,
    /// Merge into the stored data instead of replacing it.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<bool>,
}

/// Deletes documents.
///
/// velt-py: `sdk.api.documents.deleteDocuments(DeleteDocumentsRequest(...))`, `POST /v2/organizations/documents/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Documents to delete.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
}

/// Moves documents to a folder.
///
/// velt-py: `sdk.api.documents.moveDocuments(MoveDocumentsRequest(...))`, `POST /v2/organizations/documents/move`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Documents to move (at most 30).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// The destination folder.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
}

/// Sets the access type of documents.
///
/// velt-py: `sdk.api.documents.updateDocumentAccess(UpdateDocumentAccessRequest(...))`, `POST /v2/organizations/documents/access/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDocumentAccessRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Document ids (at most 30).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// Access level: `organizationPrivate`, `restricted` or `public`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_type: Option<String>,
}

/// Disables or re-enables documents.
///
/// velt-py: `sdk.api.documents.updateDocumentDisableState(UpdateDocumentDisableStateRequest(...))`, `POST /v2/organizations/documents/access/disablestate/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDocumentDisableStateRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Document ids (at most 30).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// `true` blocks read and write access, `false` restores it.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Starts moving a document's data to a new document id.
///
/// velt-py: `sdk.api.documents.migrateDocuments(MigrateDocumentsRequest(...))`, `POST /v2/organizations/documents/migrate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrateDocumentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document to migrate.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The id the document gets.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_document_id: Option<String>,
}

/// Reads the state of a document migration.
///
/// velt-py: `sdk.api.documents.migrateDocumentsStatus(MigrateDocumentsStatusRequest(...))`, `POST /v2/organizations/documents/migrate/status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrateDocumentsStatusRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Id returned by `migrate_documents`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration_id: Option<String>,
}

/// Request of `documents.getDocumentsCount` (get documents count).
///
/// velt-py: `sdk.api.documents.getDocumentsCount(GetDocumentsCountRequest(...))`, `POST /v2/organizations/documents/count/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDocumentsCountRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// `excludeFolderDocs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_folder_docs: Option<bool>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Filters. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Value>>,
}
