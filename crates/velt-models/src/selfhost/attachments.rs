//! Attachment records (`attachments`) and their resolver requests.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::common::{
    AttachmentId, ResolverActions, ResolverDeleteMetadata, opt_attachment_id, opt_event,
};
use super::de;

/// `metadata` of attachments and attachment requests (velt-py
/// `AttachmentResolverMetadata`); unknown keys kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentResolverMetadata {
    /// Organization id (required on save).
    #[serde(
        default,
        deserialize_with = "de::opt_org_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<String>,
    /// Document id.
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// Folder id.
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<String>,
    /// Attachment id.
    #[serde(
        default,
        deserialize_with = "opt_attachment_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment_id: Option<AttachmentId>,
    /// The comment annotation the attachment belongs to.
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment_annotation_id: Option<String>,
    /// Velt API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An attachment as saved and stored (velt-py `ResolverAttachment`).
///
/// Unlike velt-py, unknown keys (`size`, `type`...) are kept in `extra`;
/// `base64Data` is never stored (files are uploaded to attachment storage).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverAttachment {
    /// The attachment id (required; `0` is a valid id).
    #[serde(
        default,
        deserialize_with = "opt_attachment_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment_id: Option<AttachmentId>,
    /// The file URL (set from the upload when bytes are given).
    #[serde(
        default,
        deserialize_with = "lenient_file",
        skip_serializing_if = "Option::is_none"
    )]
    pub file: Option<String>,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Scoping metadata.
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<AttachmentResolverMetadata>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `file` is a URL string; any other value (a browser `File` object
/// serialised as `{}`, `null`...) reads as absent.
fn lenient_file<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// `POST` body of the attachments `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveAttachmentResolverRequest {
    /// The attachment (required).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment: Option<ResolverAttachment>,
    /// Scoping metadata (`organizationId` required).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<AttachmentResolverMetadata>,
    /// The event (not acted on).
    #[serde(
        default,
        deserialize_with = "opt_event",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<ResolverActions>,
}

/// `data` of a successful attachment save: `{"url": ...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAttachmentResolverData {
    /// Where the file can be fetched.
    pub url: String,
}

/// `POST` body of the attachments `delete` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAttachmentResolverRequest {
    /// The attachment to delete (`0` is a valid id).
    #[serde(
        default,
        deserialize_with = "opt_attachment_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment_id: Option<AttachmentId>,
    /// Scoping metadata (`organizationId` required by velt-rs).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<ResolverDeleteMetadata>,
    /// The event (not acted on).
    #[serde(
        default,
        deserialize_with = "opt_event",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<ResolverActions>,
}

/// Arguments of `get_attachment` (velt-py took two plain arguments).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAttachmentRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// The attachment id (required; compared with its JSON type).
    #[serde(
        default,
        deserialize_with = "opt_attachment_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachment_id: Option<AttachmentId>,
}

impl GetAttachmentRequest {
    /// A request for one attachment of an organization.
    pub fn new(organization_id: impl Into<String>, attachment_id: impl Into<AttachmentId>) -> Self {
        Self {
            organization_id: organization_id.into(),
            attachment_id: Some(attachment_id.into()),
        }
    }
}
