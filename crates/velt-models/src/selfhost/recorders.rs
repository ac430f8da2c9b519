//! Recorder annotations (`recorder_annotations`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{BaseMetadata, ResolverActions, ResolverDeleteMetadata, opt_event};
use super::de;
use super::records::RecordMap;

/// One recorder annotation as stored and returned (velt-py
/// `PartialRecorderAnnotation`); every key (`from`, `transcription`,
/// `attachment(s)`, `chunkUrls`, `recordingEditVersions`...) is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialRecorderAnnotation {
    /// The annotation id (on save, overwritten by the map key).
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub annotation_id: String,
    /// Scoping metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BaseMetadata>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the recorders `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetRecorderResolverRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// Annotation ids (used when `documentIds` is empty).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub recorder_annotation_ids: Option<Vec<String>>,
    /// Document ids (take precedence over annotation ids).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_ids: Option<Vec<String>>,
}

/// `POST` body of the recorders `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveRecorderResolverRequest {
    /// The annotations to save, by annotation id.
    #[serde(default)]
    pub recorder_annotation: RecordMap<PartialRecorderAnnotation>,
    /// Scoping metadata (`organizationId` required).
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<BaseMetadata>,
    /// The event (not acted on).
    #[serde(
        default,
        deserialize_with = "opt_event",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<ResolverActions>,
}

/// `POST` body of the recorders `delete` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteRecorderResolverRequest {
    /// The annotation to delete.
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub recorder_annotation_id: String,
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
