//! Activity records (`activities`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::BaseMetadata;
use super::de;
use super::records::RecordMap;

/// One activity record as stored and returned (velt-py
/// `PartialActivityRecord`); every key is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialActivityRecord {
    /// The activity id (on save, overwritten by the map key).
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub id: String,
    /// Metadata (normally an object; velt-py accepted any value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Every other key (`changes`, `entityData`, `actionType`,
    /// `featureType`, `actionUser`...), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the activities `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityResolverRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// Activity ids (take precedence over document ids).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_ids: Option<Vec<String>>,
    /// Document ids.
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_ids: Option<Vec<String>>,
}

/// `POST` body of the activities `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveActivityResolverRequest {
    /// The activities to save, by id.
    #[serde(default)]
    pub activity: RecordMap<PartialActivityRecord>,
    /// The event, kept raw (not acted on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Value>,
    /// Metadata; its `organizationId` is used when the top-level one is empty.
    #[serde(
        default,
        deserialize_with = "de::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<BaseMetadata>,
    /// The organization (top level).
    #[serde(
        default,
        deserialize_with = "de::org_id",
        skip_serializing_if = "String::is_empty"
    )]
    pub organization_id: String,
}
