//! Comment annotations (`comment_annotations`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use serde::Deserializer;

use super::common::{
    BaseMetadata, CommentSaveEvent, Id, PartialUser, ResolverActions, ResolverDeleteMetadata,
    opt_comment_event, opt_context_id, opt_event,
};
use super::de;
use super::extra::deserialize_with_extra;
use super::records::RecordMap;

/// One comment annotation as stored and returned (velt-py
/// `PartialCommentAnnotation`). Every key is kept: known keys are typed,
/// all others (`status`, `priority`, `context`, `targetTextRange`,
/// `resolvedByUserId`...) are in [`PartialCommentAnnotation::extra`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialCommentAnnotation {
    /// The annotation id (on save, overwritten by the map key).
    pub annotation_id: String,
    /// Scoping metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BaseMetadata>,
    /// The comments of the thread, by comment id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Map<String, Value>>,
    /// Author of the thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<PartialUser>,
    /// Assignee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<PartialUser>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

deserialize_with_extra!(PartialCommentAnnotation, "struct PartialCommentAnnotation", {
    annotation_id: String = "annotationId" with de::id_or_empty,
    metadata: Option<BaseMetadata> = "metadata",
    comments: Option<Map<String, Value>> = "comments",
    from: Option<PartialUser> = "from",
    assigned_to: Option<PartialUser> = "assignedTo",
});

/// One comment of a thread (values of `comments`; velt-py `PartialComment`).
/// Provided for callers that want typed access; records keep comments as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialComment {
    /// Comment id (string or number).
    #[serde(default)]
    pub comment_id: Value,
    /// HTML body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_html: Option<String>,
    /// Text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_text: Option<String>,
    /// Attachments by attachment id (every key kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Map<String, Value>>,
    /// Author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PartialUser>,
    /// Recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<PartialUser>>,
    /// Tagged users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagged_user_contacts: Option<Vec<Value>>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the comments `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCommentResolverRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// Annotation ids (used when `documentIds` is empty).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment_annotation_ids: Option<Vec<String>>,
    /// Document ids (take precedence over annotation ids).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_ids: Option<Vec<String>>,
    /// Folder id (used only with `allDocuments: true`).
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<String>,
    /// Read the whole folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_documents: Option<bool>,
}

/// `POST` body of the comments `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveCommentResolverRequest {
    /// The annotations to save, by annotation id.
    #[serde(default)]
    pub comment_annotation: RecordMap<PartialCommentAnnotation>,
    /// The event that caused the save: a core action, one of the 14 opt-in
    /// save events, or any future string (not acted on; the server records it
    /// in the request's tracing span).
    #[serde(
        default,
        deserialize_with = "opt_comment_event",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<CommentSaveEvent>,
    /// Scoping metadata (`organizationId` required).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<BaseMetadata>,
    /// The comment acted on, a number or a string as Velt sends it
    /// (request context: never stored; another type reads as absent).
    #[serde(
        default,
        deserialize_with = "opt_context_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment_id: Option<Id>,
    /// The comment acted on, resolved by the frontend from `commentId`
    /// (velt-py 0.3.0; request context: never stored, the comment is in
    /// the annotation's `comments`). A value that is not a comment object
    /// reads as absent instead of failing the save.
    #[serde(
        default,
        deserialize_with = "lenient_comment",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_comment: Option<PartialComment>,
}

/// `targetComment`: a comment object, else absent (fail-open, as velt-py 0.3.0).
fn lenient_comment<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PartialComment>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Object(m) if !m.is_empty() => serde_json::from_value(Value::Object(m)).ok(),
        _ => None,
    })
}

/// `POST` body of the comments `delete` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCommentResolverRequest {
    /// The annotation to delete.
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub comment_annotation_id: String,
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
