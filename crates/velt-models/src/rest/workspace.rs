//! Request types of the `workspace` service (velt-py `sdk.api.workspace`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates a workspace.
///
/// velt-py: `sdk.api.workspace.createWorkspace(CreateWorkspaceRequest(...))`, `POST /v2/workspace/create`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceRequest {
    /// Email address of the owner.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// Display name of the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Name of the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
    /// URL of the workspace avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Lifetime of the verification email, in milliseconds.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_ms: Option<i64>,
}

/// Reads the workspace.
///
/// velt-py: `sdk.api.workspace.getWorkspace(GetWorkspaceRequest(...))`, `POST /v2/workspace/get`.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWorkspaceRequest {}

/// Creates an API key.
///
/// velt-py: `sdk.api.workspace.createApiKey(CreateApiKeyRequest(...))`, `POST /v2/workspace/apikey/create`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateApiKeyRequest {
    /// Email address of the key's owner.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// Key type: `testing` or `production`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Also create an auth token for the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_auth_token: Option<bool>,
    /// Display name of the API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_name: Option<String>,
    /// Plan information (the API ignores it; kept for compatibility).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_info: Option<Value>,
    /// Use a custom plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_plan_info: Option<bool>,
    /// Custom plan payload, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_plan_info_data: Option<Value>,
    /// Data-residency region of storage (production keys).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(
        rename = "persistenceDBRegion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub persistence_db_region: Option<String>,
    /// Region of the realtime database (production keys).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(
        rename = "realtimeDBRegion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub realtime_db_region: Option<String>,
    /// Workspace to attach the key to.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    /// Create the key for a super workspace.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_super_workspace: Option<bool>,
    /// Platform the key is for.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Domains allowed to use the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_domains: Option<Vec<String>>,
    /// Also allow `localhost`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_local_host_to_allowed_domains: Option<bool>,
    /// Turn the email service on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_email_service: Option<bool>,
    /// Turn the in-app notification service on.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_notification_service: Option<bool>,
    /// Install the default notification triggers.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_default_notification_triggers: Option<bool>,
    /// Install the default email triggers.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_default_email_triggers: Option<bool>,
    /// Turn the webhook service on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_webhook_service: Option<bool>,
    /// Create organization users automatically on first access.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_auto_org_user: Option<bool>,
    /// Turn the private-comments feature on.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_private_comments: Option<bool>,
    /// Email service settings, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_service_config: Option<Value>,
    /// Webhook service settings, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_service_config: Option<Value>,
}

/// Renames an API key.
///
/// velt-py: `sdk.api.workspace.updateApiKey(UpdateApiKeyRequest(...))`, `POST /v2/workspace/apikey/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateApiKeyRequest {
    /// The API key concerned.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// New display name of the API key.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_name: Option<String>,
}

/// Lists API keys.
///
/// velt-py: `sdk.api.workspace.getApiKeys(GetApiKeysRequest(...))`, `POST /v2/workspace/apikeys/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetApiKeysRequest {
    /// Only these API keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_keys: Option<Vec<String>>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

/// Reads the API key's configuration.
///
/// velt-py: `sdk.api.workspace.getApiKeyMetadata(GetApiKeyMetadataRequest(...))`, `POST /v2/workspace/apikeymetadata/get`.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetApiKeyMetadataRequest {}

/// Resets an API key's auth token.
///
/// velt-py: `sdk.api.workspace.resetAuthToken(ResetAuthTokenRequest(...))`, `POST /v2/workspace/authtoken/reset`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetAuthTokenRequest {
    /// The API key whose auth token is reset.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

/// Lists an API key's auth tokens.
///
/// velt-py: `sdk.api.workspace.getAuthTokens(GetAuthTokensRequest(...))`, `POST /v2/workspace/authtokens/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAuthTokensRequest {
    /// The API key whose auth tokens are listed.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

/// Adds allowed domains.
///
/// velt-py: `sdk.api.workspace.addDomains(AddDomainsRequest(...))`, `POST /v2/workspace/domains/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddDomainsRequest {
    /// Domain names (at most 100).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<String>>,
}

/// Removes allowed domains.
///
/// velt-py: `sdk.api.workspace.deleteDomains(DeleteDomainsRequest(...))`, `POST /v2/workspace/domains/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDomainsRequest {
    /// Domain names (at most 100).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<String>>,
}

/// Lists allowed domains.
///
/// velt-py: `sdk.api.workspace.getDomains(GetDomainsRequest(...))`, `POST /v2/workspace/domains/get`.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDomainsRequest {}

/// Reads an email address's verification state.
///
/// velt-py: `sdk.api.workspace.getEmailStatus(GetEmailStatusRequest(...))`, `POST /v2/workspace/email/status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetEmailStatusRequest {
    /// Email address whose verification status is checked.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
}

/// Emails a login link.
///
/// velt-py: `sdk.api.workspace.sendLoginLink(SendLoginLinkRequest(...))`, `POST /v2/workspace/email/send-login-link`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendLoginLinkRequest {
    /// Email address the login link is sent to.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Where to send the user after login.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_url: Option<String>,
}

/// Reads the email service settings.
///
/// velt-py: `sdk.api.workspace.getEmailConfig(GetEmailConfigRequest(...))`, `POST /v2/workspace/emailconfig/get`.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetEmailConfigRequest {}

/// Changes the email service settings.
///
/// velt-py: `sdk.api.workspace.updateEmailConfig(UpdateEmailConfigRequest(...))`, `POST /v2/workspace/emailconfig/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateEmailConfigRequest {
    /// Turn the email service on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_email_service: Option<bool>,
    /// Email service settings, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_service_config: Option<Value>,
}

/// Reads the webhook settings.
///
/// velt-py: `sdk.api.workspace.getWebhookConfig(GetWebhookConfigRequest(...))`, `POST /v2/workspace/webhookconfig/get`.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWebhookConfigRequest {}

/// Changes the webhook settings.
///
/// velt-py: `sdk.api.workspace.updateWebhookConfig(UpdateWebhookConfigRequest(...))`, `POST /v2/workspace/webhookconfig/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWebhookConfigRequest {
    /// Turn the webhook service on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_webhook_service: Option<bool>,
    /// Webhook service settings, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_service_config: Option<Value>,
}
