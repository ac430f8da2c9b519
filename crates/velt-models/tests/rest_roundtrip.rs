//! Generated from rest-endpoints.tsv and velt-py 0.1.10/0.3.0 dataclasses: every
//! request type accepts every field velt-py has for it (JSON key spelled exactly as
//! velt-py's), with the Python type, and serialises it back unchanged, in
//! declaration order.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use velt_models::rest::*;

fn roundtrip<
    T: serde::de::DeserializeOwned + serde::Serialize + Default + PartialEq + std::fmt::Debug,
>(
    full: Value,
) {
    let text = serde_json::to_string(&full).unwrap();
    let req: T = serde_json::from_value(full).unwrap();
    assert_ne!(req, T::default(), "no field was read");
    assert_eq!(serde_json::to_string(&req).unwrap(), text);
    assert_eq!(serde_json::to_string(&T::default()).unwrap(), "{}");
}

#[test]
fn add_permissions_roundtrip() {
    roundtrip::<AddPermissionsRequest>(
        json!({"user": {"k": null, "n": {"x": 1}}, "permissions": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn get_permissions_roundtrip() {
    roundtrip::<GetPermissionsRequest>(
        json!({"organizationId": "organizationId-v", "userIds": ["userIds-1", "userIds-2"], "folderIds": ["folderIds-1", "folderIds-2"], "documentIds": ["documentIds-1", "documentIds-2"], "skipResourceExistenceValidation": true}),
    );
}

#[test]
fn remove_permissions_roundtrip() {
    roundtrip::<RemovePermissionsRequest>(
        json!({"userId": "userId-v", "permissions": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn generate_signature_roundtrip() {
    roundtrip::<GenerateSignatureRequest>(json!({"permissions": [{"id": "a", "k": null}]}));
}

#[test]
fn generate_token_roundtrip() {
    roundtrip::<GenerateTokenRequest>(
        json!({"userId": "userId-v", "userProperties": {"k": null, "n": {"x": 1}}, "permissions": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn add_activities_roundtrip() {
    roundtrip::<AddActivitiesRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "activities": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn get_activities_roundtrip() {
    roundtrip::<GetActivitiesRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "targetEntityId": "targetEntityId-v", "featureTypes": ["featureTypes-1", "featureTypes-2"], "actionTypes": ["actionTypes-1", "actionTypes-2"], "userId": "userId-v", "activityIds": ["activityIds-1", "activityIds-2"], "order": "order-v", "pageSize": 7, "pageToken": "pageToken-v"}),
    );
}

#[test]
fn update_activities_roundtrip() {
    roundtrip::<UpdateActivitiesRequest>(
        json!({"organizationId": "organizationId-v", "activities": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn delete_activities_roundtrip() {
    roundtrip::<DeleteActivitiesRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "activityIds": ["activityIds-1", "activityIds-2"], "targetEntityId": "targetEntityId-v"}),
    );
}

#[test]
fn add_comment_annotations_roundtrip() {
    roundtrip::<AddCommentAnnotationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "commentAnnotations": [{"id": "a", "k": null}], "verifyUserPermissions": true, "createDocument": true, "createOrganization": true}),
    );
}

#[test]
fn get_comment_annotations_roundtrip() {
    roundtrip::<GetCommentAnnotationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "documentIds": ["documentIds-1", "documentIds-2"], "groupByDocumentId": true, "locationIds": ["locationIds-1", "locationIds-2"], "folderId": "folderId-v", "annotationIds": ["annotationIds-1", "annotationIds-2"], "userIds": ["userIds-1", "userIds-2"], "statusIds": ["statusIds-1", "statusIds-2"], "updatedAfter": 7, "updatedBefore": 7, "createdAfter": 7, "createdBefore": 7, "pageSize": 7, "pageToken": "pageToken-v", "order": "order-v", "statusId": "statusId-v", "resolvedBy": "resolvedBy-v", "mentionedUserIds": ["mentionedUserIds-1", "mentionedUserIds-2"], "includeMetadata": true, "includePageInfo": true, "agentId": "agentId-v", "executionId": "executionId-v", "agentType": "agentType-v", "agentSource": "agentSource-v", "agentSuggestions": true, "agentComments": true}),
    );
}

#[test]
fn get_comment_annotations_count_roundtrip() {
    roundtrip::<GetCommentAnnotationsCountRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"], "userId": "userId-v", "statusIds": ["statusIds-1", "statusIds-2"]}),
    );
}

#[test]
fn update_comment_annotations_roundtrip() {
    roundtrip::<UpdateCommentAnnotationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "locationIds": ["locationIds-1", "locationIds-2"], "userIds": ["userIds-1", "userIds-2"], "annotationIds": ["annotationIds-1", "annotationIds-2"], "updatedData": {"k": null, "n": {"x": 1}}, "updateUsers": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn delete_comment_annotations_roundtrip() {
    roundtrip::<DeleteCommentAnnotationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "locationIds": ["locationIds-1", "locationIds-2"], "annotationIds": ["annotationIds-1", "annotationIds-2"], "userIds": ["userIds-1", "userIds-2"], "agentSuggestions": true, "agentId": "agentId-v", "agentUrls": ["agentUrls-1", "agentUrls-2"]}),
    );
}

#[test]
fn add_comments_roundtrip() {
    roundtrip::<AddCommentsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "annotationId": "annotationId-v", "commentData": [{"id": "a", "k": null}], "comments": [{"id": "a", "k": null}], "createOrganization": true, "createDocument": true, "verifyUserPermissions": true}),
    );
}

#[test]
fn get_comments_roundtrip() {
    roundtrip::<GetCommentsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "annotationId": "annotationId-v", "userIds": ["userIds-1", "userIds-2"], "commentIds": [1, 2]}),
    );
}

#[test]
fn update_comments_roundtrip() {
    roundtrip::<UpdateCommentsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "annotationId": "annotationId-v", "commentIds": [1, 2], "userIds": ["userIds-1", "userIds-2"], "triggerNotification": true, "updatedData": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn delete_comments_roundtrip() {
    roundtrip::<DeleteCommentsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "annotationId": "annotationId-v", "commentIds": [1, 2], "userIds": ["userIds-1", "userIds-2"]}),
    );
}

#[test]
fn add_crdt_data_roundtrip() {
    roundtrip::<AddCrdtDataRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "editorId": "editorId-v", "data": {"k": [1, null]}, "type": "type-v", "contentKey": "contentKey-v", "isServerIds": true}),
    );
}

#[test]
fn get_crdt_data_roundtrip() {
    roundtrip::<GetCrdtDataRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "editorId": "editorId-v", "type": "type-v", "isServerIds": true}),
    );
}

#[test]
fn update_crdt_data_roundtrip() {
    roundtrip::<UpdateCrdtDataRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "editorId": "editorId-v", "data": {"k": [1, null]}, "type": "type-v", "contentKey": "contentKey-v", "isServerIds": true}),
    );
}

#[test]
fn add_documents_roundtrip() {
    roundtrip::<AddDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documents": [{"id": "a", "k": null}], "createOrganization": true, "folderId": "folderId-v", "createFolder": true}),
    );
}

#[test]
fn get_documents_roundtrip() {
    roundtrip::<GetDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"], "folderId": "folderId-v", "pageSize": 7, "pageToken": "pageToken-v", "filters": [{"id": "a", "k": null}], "orderByCommentViews": true}),
    );
}

#[test]
fn update_documents_roundtrip() {
    roundtrip::<UpdateDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documents": [{"id": "a", "k": null}], "merge": true}),
    );
}

#[test]
fn delete_documents_roundtrip() {
    roundtrip::<DeleteDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"]}),
    );
}

#[test]
fn move_documents_roundtrip() {
    roundtrip::<MoveDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"], "folderId": "folderId-v"}),
    );
}

#[test]
fn update_document_access_roundtrip() {
    roundtrip::<UpdateDocumentAccessRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"], "accessType": "accessType-v"}),
    );
}

#[test]
fn update_document_disable_state_roundtrip() {
    roundtrip::<UpdateDocumentDisableStateRequest>(
        json!({"organizationId": "organizationId-v", "documentIds": ["documentIds-1", "documentIds-2"], "disabled": true}),
    );
}

#[test]
fn migrate_documents_roundtrip() {
    roundtrip::<MigrateDocumentsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "newDocumentId": "newDocumentId-v"}),
    );
}

#[test]
fn migrate_documents_status_roundtrip() {
    roundtrip::<MigrateDocumentsStatusRequest>(
        json!({"organizationId": "organizationId-v", "migrationId": "migrationId-v"}),
    );
}

#[test]
fn add_folder_roundtrip() {
    roundtrip::<AddFolderRequest>(
        json!({"organizationId": "organizationId-v", "folders": [{"id": "a", "k": null}], "createOrganization": true}),
    );
}

#[test]
fn get_folders_roundtrip() {
    roundtrip::<GetFoldersRequest>(
        json!({"organizationId": "organizationId-v", "folderId": "folderId-v", "rootFoldersOnly": true, "pageSize": 7, "pageToken": "pageToken-v", "maxDepth": 7}),
    );
}

#[test]
fn update_folder_roundtrip() {
    roundtrip::<UpdateFolderRequest>(
        json!({"organizationId": "organizationId-v", "folders": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn delete_folder_roundtrip() {
    roundtrip::<DeleteFolderRequest>(
        json!({"organizationId": "organizationId-v", "folderId": "folderId-v"}),
    );
}

#[test]
fn update_folder_access_roundtrip() {
    roundtrip::<UpdateFolderAccessRequest>(
        json!({"organizationId": "organizationId-v", "folderIds": ["folderIds-1", "folderIds-2"], "accessType": "accessType-v", "inheritFromParent": true}),
    );
}

#[test]
fn delete_all_user_data_roundtrip() {
    roundtrip::<DeleteAllUserDataRequest>(
        json!({"userIds": ["userIds-1", "userIds-2"], "organizationIds": ["organizationIds-1", "organizationIds-2"]}),
    );
}

#[test]
fn get_all_user_data_roundtrip() {
    roundtrip::<GetAllUserDataRequest>(
        json!({"organizationId": "organizationId-v", "userId": "userId-v", "pageToken": "pageToken-v", "veltUserIds": ["veltUserIds-1", "veltUserIds-2"], "veltAllOrganizations": true, "uniqueId": "uniqueId-v"}),
    );
}

#[test]
fn get_delete_user_data_status_roundtrip() {
    roundtrip::<GetDeleteUserDataStatusRequest>(json!({"jobId": "jobId-v"}));
}

#[test]
fn broadcast_event_roundtrip() {
    roundtrip::<BroadcastEventRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "liveStateDataId": "liveStateDataId-v", "data": {"k": null, "n": {"x": 1}}, "merge": true}),
    );
}

#[test]
fn add_notifications_roundtrip() {
    roundtrip::<AddNotificationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "actionUser": {"k": null, "n": {"x": 1}}, "displayHeadlineMessageTemplate": "displayHeadlineMessageTemplate-v", "displayBodyMessage": "displayBodyMessage-v", "notifyUsers": [{"id": "a", "k": null}], "createOrganization": true, "createDocument": true, "verifyUserPermissions": true, "notificationId": "notificationId-v", "displayHeadlineMessageTemplateData": {"k": null, "n": {"x": 1}}, "displayBodyMessageTemplate": "displayBodyMessageTemplate-v", "displayBodyMessageTemplateData": {"k": null, "n": {"x": 1}}, "notifyAll": true, "notificationSourceData": {"k": null, "n": {"x": 1}}, "location": {"k": null, "n": {"x": 1}}, "metadata": {"k": null, "n": {"x": 1}}, "isNotificationResolverUsed": true, "isCrossOrganizationEnabled": true, "context": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn get_notifications_roundtrip() {
    roundtrip::<GetNotificationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "userId": "userId-v", "locationId": "locationId-v", "notificationIds": ["notificationIds-1", "notificationIds-2"], "pageSize": 7, "pageToken": "pageToken-v", "order": "order-v"}),
    );
}

#[test]
fn update_notifications_roundtrip() {
    roundtrip::<UpdateNotificationsRequest>(
        json!({"organizationId": "organizationId-v", "notifications": [{"id": "a", "k": null}], "documentId": "documentId-v", "locationId": "locationId-v", "userId": "userId-v", "verifyUserPermissions": true}),
    );
}

#[test]
fn delete_notifications_roundtrip() {
    roundtrip::<DeleteNotificationsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "locationId": "locationId-v", "userId": "userId-v", "notificationIds": ["notificationIds-1", "notificationIds-2"]}),
    );
}

#[test]
fn get_notification_config_roundtrip() {
    roundtrip::<GetNotificationConfigRequest>(
        json!({"organizationId": "organizationId-v", "userId": "userId-v", "documentIds": ["documentIds-1", "documentIds-2"], "getOrganizationConfig": true}),
    );
}

#[test]
fn set_notification_config_roundtrip() {
    roundtrip::<SetNotificationConfigRequest>(
        json!({"organizationId": "organizationId-v", "userIds": ["userIds-1", "userIds-2"], "config": {"k": null, "n": {"x": 1}}, "documentIds": ["documentIds-1", "documentIds-2"]}),
    );
}

#[test]
fn add_organizations_roundtrip() {
    roundtrip::<AddOrganizationsRequest>(json!({"organizations": [{"id": "a", "k": null}]}));
}

#[test]
fn get_organizations_roundtrip() {
    roundtrip::<GetOrganizationsRequest>(
        json!({"organizationIds": ["organizationIds-1", "organizationIds-2"], "pageSize": 7, "pageToken": "pageToken-v"}),
    );
}

#[test]
fn update_organizations_roundtrip() {
    roundtrip::<UpdateOrganizationsRequest>(json!({"organizations": [{"id": "a", "k": null}]}));
}

#[test]
fn delete_organizations_roundtrip() {
    roundtrip::<DeleteOrganizationsRequest>(
        json!({"organizationIds": ["organizationIds-1", "organizationIds-2"]}),
    );
}

#[test]
fn update_organization_disable_state_roundtrip() {
    roundtrip::<UpdateOrganizationDisableStateRequest>(
        json!({"organizationIds": ["organizationIds-1", "organizationIds-2"], "disabled": true}),
    );
}

#[test]
fn add_presence_roundtrip() {
    roundtrip::<AddPresenceRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "users": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn update_presence_roundtrip() {
    roundtrip::<UpdatePresenceRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "users": [{"id": "a", "k": null}]}),
    );
}

#[test]
fn delete_presence_roundtrip() {
    roundtrip::<DeletePresenceRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "userIds": ["userIds-1", "userIds-2"]}),
    );
}

#[test]
fn get_recordings_roundtrip() {
    roundtrip::<GetRecordingsRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "recordingIds": ["recordingIds-1", "recordingIds-2"], "pageSize": 7, "pageToken": "pageToken-v"}),
    );
}

#[test]
fn ask_ai_roundtrip() {
    roundtrip::<AskAiRequest>(json!({"model": "model-v", "prompt": "prompt-v", "text": "text-v"}));
}

#[test]
fn add_user_groups_roundtrip() {
    roundtrip::<AddUserGroupsRequest>(
        json!({"organizationId": "organizationId-v", "organizationUserGroups": [{"id": "a", "k": null}], "createOrganization": true}),
    );
}

#[test]
fn add_users_to_group_roundtrip() {
    roundtrip::<AddUsersToGroupRequest>(
        json!({"organizationId": "organizationId-v", "organizationUserGroupId": "organizationUserGroupId-v", "userIds": ["userIds-1", "userIds-2"]}),
    );
}

#[test]
fn delete_users_from_group_roundtrip() {
    roundtrip::<DeleteUsersFromGroupRequest>(
        json!({"organizationId": "organizationId-v", "organizationUserGroupId": "organizationUserGroupId-v", "userIds": ["userIds-1", "userIds-2"], "deleteAll": true}),
    );
}

#[test]
fn add_users_roundtrip() {
    roundtrip::<AddUsersRequest>(
        json!({"organizationId": "organizationId-v", "users": [{"id": "a", "k": null}], "createOrganization": true, "documentId": "documentId-v", "createDocument": true, "folderId": "folderId-v", "createFolder": true, "parentFolderId": "parentFolderId-v", "context": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn get_users_roundtrip() {
    roundtrip::<GetUsersRequest>(
        json!({"organizationId": "organizationId-v", "documentId": "documentId-v", "folderId": "folderId-v", "userIds": ["userIds-1", "userIds-2"], "organizationUserGroupIds": ["organizationUserGroupIds-1", "organizationUserGroupIds-2"], "allDocuments": true, "groupByDocumentId": true, "pageSize": 7, "pageToken": "pageToken-v", "includeInvolvedDocuments": true, "includeInvolvedDocumentsCount": true, "searchKey": "searchKey-v"}),
    );
}

#[test]
fn update_users_roundtrip() {
    roundtrip::<UpdateUsersRequest>(
        json!({"organizationId": "organizationId-v", "users": [{"id": "a", "k": null}], "documentId": "documentId-v", "folderId": "folderId-v", "options": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn delete_users_roundtrip() {
    roundtrip::<DeleteUsersRequest>(
        json!({"organizationId": "organizationId-v", "userIds": ["userIds-1", "userIds-2"], "documentId": "documentId-v", "folderId": "folderId-v", "context": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn create_workspace_roundtrip() {
    roundtrip::<CreateWorkspaceRequest>(
        json!({"ownerEmail": "ownerEmail-v", "name": "name-v", "workspaceName": "workspaceName-v", "avatar": "avatar-v", "expiresInMs": 7}),
    );
}

#[test]
fn get_workspace_roundtrip() {
    assert_eq!(
        serde_json::to_string(&GetWorkspaceRequest::default()).unwrap(),
        "{}"
    );
    let _: GetWorkspaceRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn create_api_key_roundtrip() {
    roundtrip::<CreateApiKeyRequest>(
        json!({"ownerEmail": "ownerEmail-v", "type": "type-v", "createAuthToken": true, "apiKeyName": "apiKeyName-v", "planInfo": {"k": null, "n": {"x": 1}}, "customPlanInfo": true, "customPlanInfoData": {"k": null, "n": {"x": 1}}, "persistenceDBRegion": "persistenceDBRegion-v", "realtimeDBRegion": "realtimeDBRegion-v", "workspaceId": "workspaceId-v", "isSuperWorkspace": true, "platform": "platform-v", "allowedDomains": ["allowedDomains-1", "allowedDomains-2"], "addLocalHostToAllowedDomains": true, "useEmailService": true, "useNotificationService": true, "setDefaultNotificationTriggers": true, "setDefaultEmailTriggers": true, "useWebhookService": true, "requireAutoOrgUser": true, "enablePrivateComments": true, "emailServiceConfig": {"k": null, "n": {"x": 1}}, "webhookServiceConfig": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn update_api_key_roundtrip() {
    roundtrip::<UpdateApiKeyRequest>(json!({"apiKey": "apiKey-v", "apiKeyName": "apiKeyName-v"}));
}

#[test]
fn get_api_keys_roundtrip() {
    roundtrip::<GetApiKeysRequest>(
        json!({"apiKeys": ["apiKeys-1", "apiKeys-2"], "pageSize": 7, "pageToken": "pageToken-v"}),
    );
}

#[test]
fn get_api_key_metadata_roundtrip() {
    assert_eq!(
        serde_json::to_string(&GetApiKeyMetadataRequest::default()).unwrap(),
        "{}"
    );
    let _: GetApiKeyMetadataRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn reset_auth_token_roundtrip() {
    roundtrip::<ResetAuthTokenRequest>(json!({"apiKey": "apiKey-v"}));
}

#[test]
fn get_auth_tokens_roundtrip() {
    roundtrip::<GetAuthTokensRequest>(json!({"apiKey": "apiKey-v"}));
}

#[test]
fn add_domains_roundtrip() {
    roundtrip::<AddDomainsRequest>(json!({"domains": ["domains-1", "domains-2"]}));
}

#[test]
fn delete_domains_roundtrip() {
    roundtrip::<DeleteDomainsRequest>(json!({"domains": ["domains-1", "domains-2"]}));
}

#[test]
fn get_domains_roundtrip() {
    assert_eq!(
        serde_json::to_string(&GetDomainsRequest::default()).unwrap(),
        "{}"
    );
    let _: GetDomainsRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn get_email_status_roundtrip() {
    roundtrip::<GetEmailStatusRequest>(json!({"ownerEmail": "ownerEmail-v"}));
}

#[test]
fn send_login_link_roundtrip() {
    roundtrip::<SendLoginLinkRequest>(json!({"email": "email-v", "continueUrl": "continueUrl-v"}));
}

#[test]
fn get_email_config_roundtrip() {
    assert_eq!(
        serde_json::to_string(&GetEmailConfigRequest::default()).unwrap(),
        "{}"
    );
    let _: GetEmailConfigRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn update_email_config_roundtrip() {
    roundtrip::<UpdateEmailConfigRequest>(
        json!({"useEmailService": true, "emailServiceConfig": {"k": null, "n": {"x": 1}}}),
    );
}

#[test]
fn get_webhook_config_roundtrip() {
    assert_eq!(
        serde_json::to_string(&GetWebhookConfigRequest::default()).unwrap(),
        "{}"
    );
    let _: GetWebhookConfigRequest = serde_json::from_value(json!({})).unwrap();
}

#[test]
fn update_webhook_config_roundtrip() {
    roundtrip::<UpdateWebhookConfigRequest>(
        json!({"useWebhookService": true, "webhookServiceConfig": {"k": null, "n": {"x": 1}}}),
    );
}
