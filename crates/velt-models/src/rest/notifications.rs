//! Request types of the `notifications` service (velt-py `sdk.api.notifications`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Sends a notification.
///
/// velt-py: `sdk.api.notifications.addNotifications(AddNotificationsRequest(...))`, `POST /v2/notifications/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddNotificationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The user who performed the action (a user object).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_user: Option<Value>,
    /// Template of the headline.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_headline_message_template: Option<String>,
    /// Body text of the notification.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_body_message: Option<String>,
    /// Users to notify, one JSON object each.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_users: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
    /// Create the document when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_document: Option<bool>,
    /// Check that the user may access the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_user_permissions: Option<bool>,
    /// Id to give the notification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_id: Option<String>,
    /// Values substituted into the headline template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_headline_message_template_data: Option<Value>,
    /// Template of the body text.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_body_message_template: Option<String>,
    /// Values substituted into the body template.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_body_message_template_data: Option<Value>,
    /// Notify every user (the API's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_all: Option<bool>,
    /// Custom data carried by the notification, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_source_data: Option<Value>,
    /// Location object, sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    /// Free-form metadata, sent verbatim.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// The notification content is served by a self-hosted resolver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_notification_resolver_used: Option<bool>,
    /// Allow notifying users of other organizations.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_cross_organization_enabled: Option<bool>,
    /// Free-form context object, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
}

/// Lists notifications (give a document or a user).
///
/// velt-py: `sdk.api.notifications.getNotifications(GetNotificationsRequest(...))`, `POST /v2/notifications/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetNotificationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only this location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// Notification ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_ids: Option<Vec<String>>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Sort order by time: `asc` or `desc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

/// Changes notifications.
///
/// velt-py: `sdk.api.notifications.updateNotifications(UpdateNotificationsRequest(...))`, `POST /v2/notifications/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateNotificationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Notification changes, one JSON object each with its `id`, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Vec<Value>>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Only this location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Check that the user may access the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_user_permissions: Option<bool>,
}

/// Deletes notifications.
///
/// velt-py: `sdk.api.notifications.deleteNotifications(DeleteNotificationsRequest(...))`, `POST /v2/notifications/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteNotificationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Only this location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Notification ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_ids: Option<Vec<String>>,
}

/// Reads notification settings.
///
/// velt-py: `sdk.api.notifications.getNotificationConfig(GetNotificationConfigRequest(...))`, `POST /v2/notifications/config/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetNotificationConfigRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The user whose settings are read.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Document ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// Return the organization-level settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_organization_config: Option<bool>,
}

/// Sets notification settings of users.
///
/// velt-py: `sdk.api.notifications.setNotificationConfig(SetNotificationConfigRequest(...))`, `POST /v2/notifications/config/set`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetNotificationConfigRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Users whose settings are set.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Per-channel settings (for example inbox, email, slack: `ALL`, `MINE` or `NONE`).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
    /// Limit the settings to these documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
}
