//! Payload structs of Velt's webhooks (docs.velt.dev data models
//! `WebhookV2Payload`, `CommentPayload`, `HuddlePayload`, `CRDTPayload`,
//! `RecorderPayload`, `WebhookV1Payload*`). Every field Velt documents is
//! optional here (Velt omits many per event), and every struct keeps the
//! fields it does not name in `extra`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user as Velt puts it in a webhook (`actionUser`, `from`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookUser {
    /// The customer's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Event context: document, organization, page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookMetadata {
    /// Velt API key of the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Velt's document id (basic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The customer's document id (basic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_document_id: Option<String>,
    /// The customer's organization id (basic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// `{documentId, documentName, …}` (advanced webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Value>,
    /// `{organizationId, …}` (advanced webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Value>,
    /// `{url, title, path, baseUrl, …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_info: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl WebhookMetadata {
    /// The customer's document id: `document.documentId`, else
    /// `clientDocumentId`, else `documentId`.
    pub fn document_id(&self) -> Option<&str> {
        self.document
            .as_ref()
            .and_then(|d| d.get("documentId"))
            .and_then(Value::as_str)
            .or(self.client_document_id.as_deref())
            .or(self.document_id.as_deref())
    }

    /// The customer's organization id: `organization.organizationId`, else `organizationId`.
    pub fn organization_id(&self) -> Option<&str> {
        self.organization
            .as_ref()
            .and_then(|o| o.get("organizationId"))
            .and_then(Value::as_str)
            .or(self.organization_id.as_deref())
    }
}

/// The comment thread an event is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommentAnnotationRef {
    /// The thread id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// The thread's comments, when Velt includes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<WebhookComment>>,
    /// Thread status (`{id, name, …}`) or a status word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A comment as Velt puts it in a webhook (`targetComment`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookComment {
    /// The comment id (a number in Velt's data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<Value>,
    /// Plain text (absent when the comment is self-hosted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_text: Option<String>,
    /// HTML (absent when the comment is self-hosted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_html: Option<String>,
    /// The author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<WebhookUser>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The visibility of a private comment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Visibility {
    /// `public`, `organizationPrivate` or `restricted`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Users allowed to see the comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Organizations allowed to see the comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
    /// Single organization allowed to see the comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data of `comment_annotation.*` and `comment.*` events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommentPayload {
    /// The thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_annotation: Option<CommentAnnotationRef>,
    /// The comment the event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_comment: Option<WebhookComment>,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_user: Option<WebhookUser>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<WebhookMetadata>,
    /// Previous status (status changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_status: Option<Value>,
    /// New status (status changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_status: Option<Value>,
    /// New priority (priority changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_priority: Option<Value>,
    /// Whether the thread is assigned (basic `assigned` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<bool>,
    /// Present only for private comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Users who do not receive this notification (basic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_denied_users: Option<Vec<String>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data of `huddle.*` events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HuddlePayload {
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_user: Option<WebhookUser>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<WebhookMetadata>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `crdtData` of a CRDT event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CrdtData {
    /// Editor / store id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The CRDT value (array, map, text, xml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Id of the user who made the update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<String>,
    /// Session id, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Time of the update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data of `crdt.*` events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CrdtPayload {
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_user: Option<WebhookUser>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<WebhookMetadata>,
    /// The CRDT update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crdt_data: Option<CrdtData>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One time-coded transcript segment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TranscriptSegment {
    /// Start, formatted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End, formatted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Start, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time_in_seconds: Option<f64>,
    /// End, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time_in_seconds: Option<f64>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A recording's transcription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecorderTranscription {
    /// Segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_segments: Option<Vec<TranscriptSegment>>,
    /// VTT subtitle file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vtt_file_url: Option<String>,
    /// AI summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_summary: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One processed asset of a recording.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecorderAsset {
    /// Asset version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Value>,
    /// Download URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size_in_bytes: Option<Value>,
    /// `mp3`, `mp4` or `webm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_format: Option<String>,
    /// Thumbnail URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    /// Transcription of this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<RecorderTranscription>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data of `recorder.*` events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecorderPayload {
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_user: Option<WebhookUser>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<WebhookMetadata>,
    /// The recorder instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder_id: Option<String>,
    /// Who recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<WebhookUser>,
    /// Latest processed assets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Vec<RecorderAsset>>,
    /// Every asset version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets_all_versions: Option<Vec<RecorderAsset>>,
    /// Top-level transcription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<RecorderTranscription>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data of Review Workflow Builder events. Velt's webhook docs do not list
/// their fields, so all of them are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorkflowPayload {
    /// Every field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Base64-encoded webhook body (`WebhookV1PayloadEncoded`, `WebhookV2PayloadEncoded`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EncodedPayload {
    /// Base64 of the JSON event.
    pub encoded_payload: String,
}

impl EncodedPayload {
    /// Wraps Base64 text.
    pub fn new(encoded_payload: impl Into<String>) -> Self {
        Self {
            encoded_payload: encoded_payload.into(),
        }
    }
}

/// An encrypted webhook body (`WebhookV1PayloadEncrypted`, `WebhookV2PayloadEncrypted`):
/// the event encrypted with AES-256-CBC, the AES key wrapped with
/// RSA-OAEP-SHA-256, all three fields Base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EncryptedPayload {
    /// AES-256-CBC ciphertext (PKCS#7 padded) of the JSON event.
    pub encrypted_data: String,
    /// The 32-byte AES key, RSA-OAEP-SHA-256 encrypted to the customer's public key.
    pub encrypted_key: String,
    /// The 16-byte CBC initialisation vector.
    pub iv: String,
}

impl EncryptedPayload {
    /// Builds an envelope from its three Base64 fields.
    pub fn new(
        encrypted_data: impl Into<String>,
        encrypted_key: impl Into<String>,
        iv: impl Into<String>,
    ) -> Self {
        Self {
            encrypted_data: encrypted_data.into(),
            encrypted_key: encrypted_key.into(),
            iv: iv.into(),
        }
    }
}
