//! Reaction annotations (`reaction_annotations`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{
    BaseMetadata, PartialUser, ResolverActions, ResolverDeleteMetadata, opt_event,
};
use super::de;
use super::records::RecordMap;

/// One reaction annotation as stored and returned (velt-py
/// `PartialReactionAnnotation`); every key is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialReactionAnnotation {
    /// The annotation id (on save, overwritten by the map key).
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub annotation_id: String,
    /// Scoping metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BaseMetadata>,
    /// The reaction icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Who reacted (velt-py 0.1.10 key; the services store and return it
    /// as `from`, as velt-py 0.3.0 does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<PartialUser>,
    /// Who reacted (velt-py 0.3.0 key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PartialUser>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the reactions `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetReactionResolverRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// Annotation ids (used when `documentIds` is empty).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub reaction_annotation_ids: Option<Vec<String>>,
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

/// `POST` body of the reactions `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveReactionResolverRequest {
    /// The annotations to save, by annotation id.
    #[serde(default)]
    pub reaction_annotation: RecordMap<PartialReactionAnnotation>,
    /// The event (not acted on).
    #[serde(
        default,
        deserialize_with = "opt_event",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<ResolverActions>,
    /// Scoping metadata (`organizationId` required).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<BaseMetadata>,
}

/// `POST` body of the reactions `delete` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteReactionResolverRequest {
    /// The annotation to delete.
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub reaction_annotation_id: String,
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
