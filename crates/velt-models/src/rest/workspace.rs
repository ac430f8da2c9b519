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

/// Request of `workspace.getRequestedDomains` (get requested domains).
///
/// velt-py: `sdk.api.workspace.getRequestedDomains(GetRequestedDomainsRequest(...))`, `POST /v2/workspace/requested/domains/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetRequestedDomainsRequest {}

/// Request of `workspace.createDomainRequest` (create domain request).
///
/// velt-py: `sdk.api.workspace.createDomainRequest(CreateDomainRequest(...))`, `POST /v2/workspace/domains/request`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDomainRequestRequest {
    /// `domain`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `clientDocumentId`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_document_id: Option<String>,
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
}

/// Request of `workspace.acceptRejectAdditionalUrlRequest` (accept reject additional url request).
///
/// velt-py: `sdk.api.workspace.acceptRejectAdditionalUrlRequest(AcceptRejectAdditionalUrlRequest(...))`, `POST /v2/workspace/additional-url-request`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptRejectAdditionalUrlRequestRequest {
    /// `action`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `id`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `clientDocId`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_doc_id: Option<String>,
}

/// Request of `workspace.copyApiKey` (copy api key).
///
/// velt-py: `sdk.api.workspace.copyApiKey(CopyApiKeyRequest(...))`, `POST /v2/workspace/apikey/copy`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyApiKeyRequest {
    /// `sourceApiKey`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_api_key: Option<String>,
    /// `targetApiKey`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_api_key: Option<String>,
}

/// Request of `workspace.updateApiKeyMetadata` (update api key metadata).
///
/// velt-py: `sdk.api.workspace.updateApiKeyMetadata(UpdateApiKeyMetadataRequest(...))`, `POST /v2/workspace/apikeyconfig/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateApiKeyMetadataRequest {
    /// `enablePrivateComments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_private_comments: Option<bool>,
    /// `requireJwtToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_jwt_token: Option<bool>,
    /// `requireAutoOrgUser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_auto_org_user: Option<bool>,
    /// `defaultDocumentAccessType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_document_access_type: Option<String>,
    /// `aiModelApiKey`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_model_api_key: Option<Vec<Value>>,
}

/// Request of `workspace.getNotificationConfig` (get notification config).
///
/// velt-py: `sdk.api.workspace.getNotificationConfig(GetWorkspaceNotificationConfigRequest(...))`, `POST /v2/workspace/notificationconfig/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWorkspaceNotificationConfigRequest {}

/// Request of `workspace.updateNotificationConfig` (update notification config).
///
/// velt-py: `sdk.api.workspace.updateNotificationConfig(UpdateWorkspaceNotificationConfigRequest(...))`, `POST /v2/workspace/notificationconfig/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateNotificationConfigRequest {
    /// `useNotificationService`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_notification_service: Option<bool>,
    /// `notificationServiceConfig`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_service_config: Option<Value>,
}

/// Request of `workspace.getPermissionProviderConfig` (get permission provider config).
///
/// velt-py: `sdk.api.workspace.getPermissionProviderConfig(GetPermissionProviderConfigRequest(...))`, `POST /v2/workspace/permissionproviderconfig/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetPermissionProviderConfigRequest {}

/// Request of `workspace.updatePermissionProviderConfig` (update permission provider config).
///
/// velt-py: `sdk.api.workspace.updatePermissionProviderConfig(UpdatePermissionProviderConfigRequest(...))`, `POST /v2/workspace/permissionproviderconfig/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePermissionProviderConfigRequest {
    /// `usePermissionProvider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_permission_provider: Option<bool>,
    /// `permissionProviderConfig`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_provider_config: Option<Value>,
}

/// Request of `workspace.getActivityConfig` (get activity config).
///
/// velt-py: `sdk.api.workspace.getActivityConfig(GetActivityConfigRequest(...))`, `POST /v2/workspace/activityconfig/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityConfigRequest {}

/// Request of `workspace.updateActivityConfig` (update activity config).
///
/// velt-py: `sdk.api.workspace.updateActivityConfig(UpdateActivityConfigRequest(...))`, `POST /v2/workspace/activityconfig/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateActivityConfigRequest {
    /// `activityServiceConfig`. Free-form JSON, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_service_config: Option<Value>,
}

/// Request of `workspace.getAdvancedWebhookConfig` (get advanced webhook config).
///
/// velt-py: `sdk.api.workspace.getAdvancedWebhookConfig(GetAdvancedWebhookConfigRequest(...))`, `POST /v2/workspace/advancedwebhookconfig/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAdvancedWebhookConfigRequest {}

/// Request of `workspace.updateAdvancedWebhookConfig` (update advanced webhook config).
///
/// velt-py: `sdk.api.workspace.updateAdvancedWebhookConfig(UpdateAdvancedWebhookConfigRequest(...))`, `POST /v2/workspace/advancedwebhookconfig/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAdvancedWebhookConfigRequest {
    /// `isEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enabled: Option<bool>,
    /// `encryptData`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypt_data: Option<bool>,
    /// `encodeData`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encode_data: Option<bool>,
    /// `publicKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// `enableDataProtection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_data_protection: Option<bool>,
}

/// Request of `workspace.getAdvancedWebhookEndpoints` (get advanced webhook endpoints).
///
/// velt-py: `sdk.api.workspace.getAdvancedWebhookEndpoints(GetAdvancedWebhookEndpointsRequest(...))`, `POST /v2/workspace/advancedwebhook/endpoints/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAdvancedWebhookEndpointsRequest {
    /// Maximum number of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `iterator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterator: Option<String>,
}

/// Request of `workspace.createAdvancedWebhookEndpoint` (create advanced webhook endpoint).
///
/// velt-py: `sdk.api.workspace.createAdvancedWebhookEndpoint(CreateAdvancedWebhookEndpointRequest(...))`, `POST /v2/workspace/advancedwebhook/endpoints/create`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAdvancedWebhookEndpointRequest {
    /// `url`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `filterTypes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_types: Option<Vec<String>>,
    /// `channels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    /// `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// `rateLimit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<i64>,
    /// `uid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Free-form metadata. Sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// Request of `workspace.updateAdvancedWebhookEndpoint` (update advanced webhook endpoint).
///
/// velt-py: `sdk.api.workspace.updateAdvancedWebhookEndpoint(UpdateAdvancedWebhookEndpointRequest(...))`, `POST /v2/workspace/advancedwebhook/endpoints/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAdvancedWebhookEndpointRequest {
    /// The webhook endpoint id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    /// `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `filterTypes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_types: Option<Vec<String>>,
    /// `channels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    /// `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// `rateLimit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<i64>,
    /// Free-form metadata. Sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// Request of `workspace.deleteAdvancedWebhookEndpoint` (delete advanced webhook endpoint).
///
/// velt-py: `sdk.api.workspace.deleteAdvancedWebhookEndpoint(DeleteAdvancedWebhookEndpointRequest(...))`, `POST /v2/workspace/advancedwebhook/endpoints/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAdvancedWebhookEndpointRequest {
    /// The webhook endpoint id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

/// Request of `workspace.getAdvancedWebhookEndpointSecret` (get advanced webhook endpoint secret).
///
/// velt-py: `sdk.api.workspace.getAdvancedWebhookEndpointSecret(GetAdvancedWebhookEndpointSecretRequest(...))`, `POST /v2/workspace/advancedwebhook/endpoints/secret/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAdvancedWebhookEndpointSecretRequest {
    /// The webhook endpoint id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

/// Request of `workspace.ensureWorkspaceAuthToken` (ensure workspace auth token).
///
/// velt-py: `sdk.api.workspace.ensureWorkspaceAuthToken(EnsureWorkspaceAuthTokenRequest(...))`, `POST /v2/workspace/authtoken/ensure`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnsureWorkspaceAuthTokenRequest {}
