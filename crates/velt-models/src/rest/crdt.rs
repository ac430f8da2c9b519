//! Request types of the `crdt` service (velt-py `sdk.api.crdt`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Stores CRDT editor content.
///
/// velt-py: `sdk.api.crdt.addCrdtData(AddCrdtDataRequest(...))`, `POST /v2/crdt/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddCrdtDataRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The CRDT editor instance.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor_id: Option<String>,
    /// The CRDT content, any JSON value matching `type`, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// CRDT type: `text`, `map`, `array`, `xml` or `xmltext`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Yjs content key (the API defaults to `content`; TipTap uses `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_key: Option<String>,
    /// The organization and document ids are already server-side (hashed) ids.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_server_ids: Option<bool>,
}

/// Reads CRDT editor content.
///
/// velt-py: `sdk.api.crdt.getCrdtData(GetCrdtDataRequest(...))`, `POST /v2/crdt/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCrdtDataRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The CRDT editor instance; all editors of the document when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor_id: Option<String>,
    /// CRDT type hint: `text`, `map`, `array`, `xml` or `xmltext`.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The organization and document ids are already server-side (hashed) ids.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_server_ids: Option<bool>,
}

/// Replaces CRDT editor content.
///
/// velt-py: `sdk.api.crdt.updateCrdtData(UpdateCrdtDataRequest(...))`, `POST /v2/crdt/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCrdtDataRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The CRDT editor instance.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor_id: Option<String>,
    /// The new CRDT content, any JSON value matching `type`, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// CRDT type: `text`, `map`, `array`, `xml` or `xmltext`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Yjs content key (the API defaults to `content`; TipTap uses `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_key: Option<String>,
    /// The organization and document ids are already server-side (hashed) ids.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_server_ids: Option<bool>,
}

/// Request of `crdt.deleteCrdtData` (delete crdt data).
///
/// velt-py: `sdk.api.crdt.deleteCrdtData(DeleteCrdtDataRequest(...))`, `POST /v2/crdt/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCrdtDataRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// `editorIds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor_ids: Option<Vec<String>>,
    /// `isServerIds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_server_ids: Option<bool>,
}
