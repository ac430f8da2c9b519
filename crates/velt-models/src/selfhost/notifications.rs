//! Notifications (`notifications`) and their resolver requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::de;
use super::records::RecordMap;

/// One notification as stored and returned (velt-py `PartialNotification`);
/// every key is kept (the stored top-level `organizationId` too).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialNotification {
    /// The notification id (on save, overwritten by the map key).
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub notification_id: String,
    /// Every other key (`displayHeadlineMessageTemplate`,
    /// `notificationSourceData`...), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST` body of the notifications `get` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetNotificationResolverRequest {
    /// The organization (required).
    #[serde(default, deserialize_with = "de::org_id")]
    pub organization_id: String,
    /// Notification ids (all of the organization when empty).
    #[serde(
        default,
        deserialize_with = "de::opt_id_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub notification_ids: Option<Vec<String>>,
}

/// `POST` body of the notifications `save` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveNotificationResolverRequest {
    /// The notifications to save, by notification id.
    #[serde(default)]
    pub notifications: RecordMap<PartialNotification>,
    /// The organization (required; top level, not in metadata).
    #[serde(
        default,
        deserialize_with = "de::org_id",
        skip_serializing_if = "String::is_empty"
    )]
    pub organization_id: String,
}

/// `POST` body of the notifications `delete` resolver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteNotificationResolverRequest {
    /// The notification to delete.
    #[serde(default, deserialize_with = "de::id_or_empty")]
    pub notification_id: String,
    /// The organization (required by velt-rs).
    #[serde(
        default,
        deserialize_with = "de::org_id",
        skip_serializing_if = "String::is_empty"
    )]
    pub organization_id: String,
}
