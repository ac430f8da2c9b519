//! Table-driven: every endpoint, a representative request (every field set,
//! falsy values and nested nulls included), exact method, path, headers and
//! body — through the typed method and through `call_endpoint`.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::{Value, json};
use velt_rest::{ApiResponse, AuthKind, ENDPOINTS, Endpoint, Error, VeltClient};

use crate::common::{self, API_KEY, AUTH_TOKEN, WORKSPACE_AUTH_TOKEN, WORKSPACE_ID};

type Call =
    fn(VeltClient, Value) -> Pin<Box<dyn Future<Output = Result<ApiResponse, Error>> + Send>>;

struct Case {
    service: &'static str,
    method: &'static str,
    request: Value,
    call: Call,
}

macro_rules! case {
    ($svc:ident :: $fn:ident, $json:tt) => {
        Case {
            service: stringify!($svc),
            method: stringify!($fn),
            request: json!($json),
            call: |client, value| {
                Box::pin(async move {
                    let request = serde_json::from_value(value).expect("typed request");
                    client.$svc().$fn(&request).await
                })
            },
        }
    };
}

// `token.get_token_raw` is deprecated; its case proves it still sends the same body.
#[allow(deprecated)]
fn cases() -> Vec<Case> {
    vec![
        case!(access_control::add_permissions, {"user": {"k": "v1", "nested": null, "list": [0, false, ""]}, "permissions": {"k": "v2", "nested": null, "list": [0, false, ""]}}),
        case!(access_control::get_permissions, {"organizationId": "organizationId-3", "userIds": ["userIds-a", "userIds-b"], "folderIds": ["folderIds-a", "folderIds-b"], "documentIds": ["documentIds-a", "documentIds-b"], "skipResourceExistenceValidation": false}),
        case!(access_control::remove_permissions, {"userId": "userId-8", "permissions": {"k": "v9", "nested": null, "list": [0, false, ""]}}),
        case!(access_control::generate_signature, {"permissions": [{"id": "permissions-10", "name": null, "meta": {"deep": null}}, {}]}),
        case!(access_control::generate_token, {"userId": "userId-11", "userProperties": {"k": "v12", "nested": null, "list": [0, false, ""]}, "permissions": {"k": "v13", "nested": null, "list": [0, false, ""]}}),
        case!(activities::add_activities, {"organizationId": "organizationId-14", "documentId": "documentId-15", "activities": [{"id": "activities-16", "name": null, "meta": {"deep": null}}, {}]}),
        case!(activities::get_activities, {"organizationId": "organizationId-17", "documentId": "documentId-18", "targetEntityId": "targetEntityId-19", "featureTypes": ["featureTypes-a", "featureTypes-b"], "actionTypes": ["actionTypes-a", "actionTypes-b"], "userId": "userId-22", "activityIds": ["activityIds-a", "activityIds-b"], "order": "order-24", "pageSize": 25, "pageToken": "pageToken-26"}),
        case!(activities::update_activities, {"organizationId": "organizationId-27", "activities": [{"id": "activities-28", "name": null, "meta": {"deep": null}}, {}]}),
        case!(activities::delete_activities, {"organizationId": "organizationId-29", "documentId": "documentId-30", "activityIds": ["activityIds-a", "activityIds-b"], "targetEntityId": "targetEntityId-32"}),
        case!(comment_annotations::add_comment_annotations, {"organizationId": "organizationId-33", "documentId": "documentId-34", "commentAnnotations": [{"id": "commentAnnotations-35", "name": null, "meta": {"deep": null}}, {}], "verifyUserPermissions": true, "createDocument": false, "createOrganization": true}),
        case!(comment_annotations::get_comment_annotations, {"organizationId": "organizationId-39", "documentId": "documentId-40", "documentIds": ["documentIds-a", "documentIds-b"], "groupByDocumentId": true, "locationIds": ["locationIds-a", "locationIds-b"], "folderId": "folderId-44", "annotationIds": ["annotationIds-a", "annotationIds-b"], "userIds": ["userIds-a", "userIds-b"], "statusIds": ["statusIds-a", "statusIds-b"], "updatedAfter": 0, "updatedBefore": 25, "createdAfter": 25, "createdBefore": 0, "pageSize": 25, "pageToken": "pageToken-53", "order": "order-54", "statusId": "statusId-55", "resolvedBy": "resolvedBy-56", "mentionedUserIds": ["mentionedUserIds-a", "mentionedUserIds-b"], "includeMetadata": true, "includePageInfo": false, "agentId": "agentId-60", "executionId": "executionId-61", "agentType": "agentType-62", "agentSource": "agentSource-63", "agentSuggestions": true, "agentComments": false}),
        case!(comment_annotations::get_comment_annotations_count, {"organizationId": "organizationId-66", "documentIds": ["documentIds-a", "documentIds-b"], "userId": "userId-68", "statusIds": ["statusIds-a", "statusIds-b"]}),
        case!(comment_annotations::update_comment_annotations, {"organizationId": "organizationId-70", "documentId": "documentId-71", "locationIds": ["locationIds-a", "locationIds-b"], "userIds": ["userIds-a", "userIds-b"], "annotationIds": ["annotationIds-a", "annotationIds-b"], "updatedData": {"k": "v75", "nested": null, "list": [0, false, ""]}, "updateUsers": [{"id": "updateUsers-76", "name": null, "meta": {"deep": null}}, {}]}),
        case!(comment_annotations::delete_comment_annotations, {"organizationId": "organizationId-77", "documentId": "documentId-78", "locationIds": ["locationIds-a", "locationIds-b"], "annotationIds": ["annotationIds-a", "annotationIds-b"], "userIds": ["userIds-a", "userIds-b"], "agentSuggestions": true, "agentId": "agentId-83", "agentUrls": ["agentUrls-a", "agentUrls-b"]}),
        case!(comment_annotations::add_comments, {"organizationId": "organizationId-85", "documentId": "documentId-86", "annotationId": "annotationId-87", "commentData": [{"id": "commentData-88", "name": null, "meta": {"deep": null}}, {}], "comments": [{"id": "comments-89", "name": null, "meta": {"deep": null}}, {}], "createOrganization": true, "createDocument": false, "verifyUserPermissions": true}),
        case!(comment_annotations::get_comments, {"organizationId": "organizationId-93", "documentId": "documentId-94", "annotationId": "annotationId-95", "userIds": ["userIds-a", "userIds-b"], "commentIds": [1, 2]}),
        case!(comment_annotations::update_comments, {"organizationId": "organizationId-98", "documentId": "documentId-99", "annotationId": "annotationId-100", "commentIds": [1, 2], "userIds": ["userIds-a", "userIds-b"], "triggerNotification": false, "updatedData": {"k": "v104", "nested": null, "list": [0, false, ""]}}),
        case!(comment_annotations::delete_comments, {"organizationId": "organizationId-105", "documentId": "documentId-106", "annotationId": "annotationId-107", "commentIds": [1, 2], "userIds": ["userIds-a", "userIds-b"]}),
        case!(crdt::add_crdt_data, {"organizationId": "organizationId-110", "documentId": "documentId-111", "editorId": "editorId-112", "data": {"k": "v113", "nested": null, "list": [0, false, ""]}, "type": "type-114", "contentKey": "contentKey-115", "isServerIds": true}),
        case!(crdt::get_crdt_data, {"organizationId": "organizationId-117", "documentId": "documentId-118", "editorId": "editorId-119", "type": "type-120", "isServerIds": false}),
        case!(crdt::update_crdt_data, {"organizationId": "organizationId-122", "documentId": "documentId-123", "editorId": "editorId-124", "data": {"k": "v125", "nested": null, "list": [0, false, ""]}, "type": "type-126", "contentKey": "contentKey-127", "isServerIds": true}),
        case!(documents::add_documents, {"organizationId": "organizationId-129", "documents": [{"id": "documents-130", "name": null, "meta": {"deep": null}}, {}], "createOrganization": false, "folderId": "folderId-132", "createFolder": false}),
        case!(documents::get_documents, {"organizationId": "organizationId-134", "documentIds": ["documentIds-a", "documentIds-b"], "folderId": "folderId-136", "pageSize": 25, "pageToken": "pageToken-138", "filters": [{"id": "filters-139", "name": null, "meta": {"deep": null}}, {}], "orderByCommentViews": true}),
        case!(documents::update_documents, {"organizationId": "organizationId-141", "documents": [{"id": "documents-142", "name": null, "meta": {"deep": null}}, {}], "merge": false}),
        case!(documents::delete_documents, {"organizationId": "organizationId-144", "documentIds": ["documentIds-a", "documentIds-b"]}),
        case!(documents::move_documents, {"organizationId": "organizationId-146", "documentIds": ["documentIds-a", "documentIds-b"], "folderId": "folderId-148"}),
        case!(documents::update_document_access, {"organizationId": "organizationId-149", "documentIds": ["documentIds-a", "documentIds-b"], "accessType": "accessType-151"}),
        case!(documents::update_document_disable_state, {"organizationId": "organizationId-152", "documentIds": ["documentIds-a", "documentIds-b"], "disabled": true}),
        case!(documents::migrate_documents, {"organizationId": "organizationId-155", "documentId": "documentId-156", "newDocumentId": "newDocumentId-157"}),
        case!(documents::migrate_documents_status, {"organizationId": "organizationId-158", "migrationId": "migrationId-159"}),
        case!(folders::add_folder, {"organizationId": "organizationId-160", "folders": [{"id": "folders-161", "name": null, "meta": {"deep": null}}, {}], "createOrganization": true}),
        case!(folders::get_folders, {"organizationId": "organizationId-163", "folderId": "folderId-164", "rootFoldersOnly": false, "pageSize": 25, "pageToken": "pageToken-167", "maxDepth": 0}),
        case!(folders::update_folder, {"organizationId": "organizationId-169", "folders": [{"id": "folders-170", "name": null, "meta": {"deep": null}}, {}]}),
        case!(folders::delete_folder, {"organizationId": "organizationId-171", "folderId": "folderId-172"}),
        case!(folders::update_folder_access, {"organizationId": "organizationId-173", "folderIds": ["folderIds-a", "folderIds-b"], "accessType": "accessType-175", "inheritFromParent": true}),
        case!(gdpr::delete_all_user_data, {"userIds": ["userIds-a", "userIds-b"], "organizationIds": ["organizationIds-a", "organizationIds-b"]}),
        case!(gdpr::get_all_user_data, {"organizationId": "organizationId-179", "userId": "userId-180", "pageToken": "pageToken-181", "veltUserIds": ["veltUserIds-a", "veltUserIds-b"], "veltAllOrganizations": false, "uniqueId": "uniqueId-184"}),
        case!(gdpr::get_delete_user_data_status, {"jobId": "jobId-185"}),
        case!(livestate::broadcast_event, {"organizationId": "organizationId-186", "documentId": "documentId-187", "liveStateDataId": "liveStateDataId-188", "data": {"k": "v189", "nested": null, "list": [0, false, ""]}, "merge": true}),
        case!(notifications::add_notifications, {"organizationId": "organizationId-191", "documentId": "documentId-192", "actionUser": {"k": "v193", "nested": null, "list": [0, false, ""]}, "displayHeadlineMessageTemplate": "displayHeadlineMessageTemplate-194", "displayBodyMessage": "displayBodyMessage-195", "notifyUsers": [{"id": "notifyUsers-196", "name": null, "meta": {"deep": null}}, {}], "createOrganization": false, "createDocument": true, "verifyUserPermissions": false, "notificationId": "notificationId-200", "displayHeadlineMessageTemplateData": {"k": "v201", "nested": null, "list": [0, false, ""]}, "displayBodyMessageTemplate": "displayBodyMessageTemplate-202", "displayBodyMessageTemplateData": {"k": "v203", "nested": null, "list": [0, false, ""]}, "notifyAll": true, "notificationSourceData": {"k": "v205", "nested": null, "list": [0, false, ""]}, "location": {"k": "v206", "nested": null, "list": [0, false, ""]}, "metadata": {"k": "v207", "nested": null, "list": [0, false, ""]}, "isNotificationResolverUsed": true, "isCrossOrganizationEnabled": false, "context": {"k": "v210", "nested": null, "list": [0, false, ""]}}),
        case!(notifications::get_notifications, {"organizationId": "organizationId-211", "documentId": "documentId-212", "userId": "userId-213", "locationId": "locationId-214", "notificationIds": ["notificationIds-a", "notificationIds-b"], "pageSize": 0, "pageToken": "pageToken-217", "order": "order-218"}),
        case!(notifications::update_notifications, {"organizationId": "organizationId-219", "notifications": [{"id": "notifications-220", "name": null, "meta": {"deep": null}}, {}], "documentId": "documentId-221", "locationId": "locationId-222", "userId": "userId-223", "verifyUserPermissions": true}),
        case!(notifications::delete_notifications, {"organizationId": "organizationId-225", "documentId": "documentId-226", "locationId": "locationId-227", "userId": "userId-228", "notificationIds": ["notificationIds-a", "notificationIds-b"]}),
        case!(notifications::get_notification_config, {"organizationId": "organizationId-230", "userId": "userId-231", "documentIds": ["documentIds-a", "documentIds-b"], "getOrganizationConfig": false}),
        case!(notifications::set_notification_config, {"organizationId": "organizationId-234", "userIds": ["userIds-a", "userIds-b"], "config": {"k": "v236", "nested": null, "list": [0, false, ""]}, "documentIds": ["documentIds-a", "documentIds-b"]}),
        case!(organizations::add_organizations, {"organizations": [{"id": "organizations-238", "name": null, "meta": {"deep": null}}, {}]}),
        case!(organizations::get_organizations, {"organizationIds": ["organizationIds-a", "organizationIds-b"], "pageSize": 0, "pageToken": "pageToken-241"}),
        case!(organizations::update_organizations, {"organizations": [{"id": "organizations-242", "name": null, "meta": {"deep": null}}, {}]}),
        case!(organizations::delete_organizations, {"organizationIds": ["organizationIds-a", "organizationIds-b"]}),
        case!(organizations::update_organization_disable_state, {"organizationIds": ["organizationIds-a", "organizationIds-b"], "disabled": false}),
        case!(presence::add_presence, {"organizationId": "organizationId-246", "documentId": "documentId-247", "users": [{"id": "users-248", "name": null, "meta": {"deep": null}}, {}]}),
        case!(presence::update_presence, {"organizationId": "organizationId-249", "documentId": "documentId-250", "users": [{"id": "users-251", "name": null, "meta": {"deep": null}}, {}]}),
        case!(presence::delete_presence, {"organizationId": "organizationId-252", "documentId": "documentId-253", "userIds": ["userIds-a", "userIds-b"]}),
        case!(recordings::get_recordings, {"organizationId": "organizationId-255", "documentId": "documentId-256", "recordingIds": ["recordingIds-a", "recordingIds-b"], "pageSize": 0, "pageToken": "pageToken-259"}),
        case!(rewriter::ask_ai, {"model": "model-260", "prompt": "prompt-261", "text": "text-262"}),
        case!(user_groups::add_user_groups, {"organizationId": "organizationId-263", "organizationUserGroups": [{"id": "organizationUserGroups-264", "name": null, "meta": {"deep": null}}, {}], "createOrganization": false}),
        case!(user_groups::add_users_to_group, {"organizationId": "organizationId-266", "organizationUserGroupId": "organizationUserGroupId-267", "userIds": ["userIds-a", "userIds-b"]}),
        case!(user_groups::delete_users_from_group, {"organizationId": "organizationId-269", "organizationUserGroupId": "organizationUserGroupId-270", "userIds": ["userIds-a", "userIds-b"], "deleteAll": true}),
        case!(users::add_users, {"organizationId": "organizationId-273", "users": [{"id": "users-274", "name": null, "meta": {"deep": null}}, {}], "createOrganization": false, "documentId": "documentId-276", "createDocument": false, "folderId": "folderId-278", "createFolder": false, "parentFolderId": "parentFolderId-280", "context": {"k": "v281", "nested": null, "list": [0, false, ""]}}),
        case!(users::get_users, {"organizationId": "organizationId-282", "documentId": "documentId-283", "folderId": "folderId-284", "userIds": ["userIds-a", "userIds-b"], "organizationUserGroupIds": ["organizationUserGroupIds-a", "organizationUserGroupIds-b"], "allDocuments": false, "groupByDocumentId": true, "pageSize": 25, "pageToken": "pageToken-290", "includeInvolvedDocuments": false, "includeInvolvedDocumentsCount": true, "searchKey": "searchKey-293"}),
        case!(users::update_users, {"organizationId": "organizationId-294", "users": [{"id": "users-295", "name": null, "meta": {"deep": null}}, {}], "documentId": "documentId-296", "folderId": "folderId-297", "options": {"k": "v298", "nested": null, "list": [0, false, ""]}}),
        case!(users::delete_users, {"organizationId": "organizationId-299", "userIds": ["userIds-a", "userIds-b"], "documentId": "documentId-301", "folderId": "folderId-302", "context": {"k": "v303", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::create_workspace, {"ownerEmail": "ownerEmail-304", "name": "name-305", "workspaceName": "workspaceName-306", "avatar": "avatar-307", "expiresInMs": 25}),
        case!(workspace::get_workspace, {}),
        case!(workspace::create_api_key, {"ownerEmail": "ownerEmail-309", "type": "type-310", "createAuthToken": false, "apiKeyName": "apiKeyName-312", "planInfo": {"k": "v313", "nested": null, "list": [0, false, ""]}, "customPlanInfo": true, "customPlanInfoData": {"k": "v315", "nested": null, "list": [0, false, ""]}, "persistenceDBRegion": "persistenceDBRegion-316", "realtimeDBRegion": "realtimeDBRegion-317", "workspaceId": "workspaceId-318", "isSuperWorkspace": false, "platform": "platform-320", "allowedDomains": ["allowedDomains-a", "allowedDomains-b"], "addLocalHostToAllowedDomains": true, "useEmailService": false, "useNotificationService": true, "setDefaultNotificationTriggers": false, "setDefaultEmailTriggers": true, "useWebhookService": false, "requireAutoOrgUser": true, "enablePrivateComments": false, "emailServiceConfig": {"k": "v330", "nested": null, "list": [0, false, ""]}, "webhookServiceConfig": {"k": "v331", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::update_api_key, {"apiKey": "apiKey-332", "apiKeyName": "apiKeyName-333"}),
        case!(workspace::get_api_keys, {"apiKeys": ["apiKeys-a", "apiKeys-b"], "pageSize": 25, "pageToken": "pageToken-336"}),
        case!(workspace::get_api_key_metadata, {}),
        case!(workspace::reset_auth_token, {"apiKey": "apiKey-337"}),
        case!(workspace::get_auth_tokens, {"apiKey": "apiKey-338"}),
        case!(workspace::add_domains, {"domains": ["domains-a", "domains-b"]}),
        case!(workspace::delete_domains, {"domains": ["domains-a", "domains-b"]}),
        case!(workspace::get_domains, {}),
        case!(workspace::get_email_status, {"ownerEmail": "ownerEmail-341"}),
        case!(workspace::send_login_link, {"email": "email-342", "continueUrl": "continueUrl-343"}),
        case!(workspace::get_email_config, {}),
        case!(workspace::update_email_config, {"useEmailService": true, "emailServiceConfig": {"k": "v345", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::get_webhook_config, {}),
        case!(workspace::update_webhook_config, {"useWebhookService": true, "webhookServiceConfig": {"k": "v347", "nested": null, "list": [0, false, ""]}}),
        case!(agents::create_agent, {"name": "name-401", "description": "description-402", "rawInstructions": "rawInstructions-403", "instructions": "instructions-404", "enabled": false, "metadata": {"k": "v406", "nested": null, "list": [0, false, ""]}, "contextGathering": {"k": "v407", "nested": null, "list": [0, false, ""]}, "execution": {"k": "v408", "nested": null, "list": [0, false, ""]}, "response": {"k": "v409", "nested": null, "list": [0, false, ""]}, "postProcess": {"k": "v410", "nested": null, "list": [0, false, ""]}, "input": {"k": "v411", "nested": null, "list": [0, false, ""]}, "scope": {"k": "v412", "nested": null, "list": [0, false, ""]}, "setup": {"k": "v413", "nested": null, "list": [0, false, ""]}}),
        case!(agents::get_agent, {"agentId": "agentId-414", "filter": "filter-415", "groupId": "groupId-416"}),
        case!(agents::update_agent, {"agentId": "agentId-417", "name": "name-418", "description": "description-419", "enabled": true}),
        case!(agents::update_agent_version, {"agentId": "agentId-421", "rawInstructions": "rawInstructions-422", "instructions": "instructions-423", "phaseTimeoutMs": 0, "contextGathering": {"k": "v425", "nested": null, "list": [0, false, ""]}, "execution": {"k": "v426", "nested": null, "list": [0, false, ""]}, "response": {"k": "v427", "nested": null, "list": [0, false, ""]}, "postProcess": {"k": "v428", "nested": null, "list": [0, false, ""]}, "input": {"k": "v429", "nested": null, "list": [0, false, ""]}, "scope": {"k": "v430", "nested": null, "list": [0, false, ""]}, "setup": {"k": "v431", "nested": null, "list": [0, false, ""]}}),
        case!(agents::delete_agent, {"agentId": "agentId-432"}),
        case!(agents::list_agent_versions, {"agentId": "agentId-433"}),
        case!(agents::restore_agent_version, {"agentId": "agentId-434"}),
        case!(agents::get_agent_analytics, {"agentId": "agentId-435", "year": "year-436", "month": "month-437", "model": "model-438"}),
        case!(agents::run_agent_execution, {"agentId": "agentId-439", "url": "url-440", "crossPageExecute": false, "maxUrlsToProcess": 0, "organizationId": "organizationId-443", "documentId": "documentId-444", "trigger": "trigger-445", "workflowExecutionId": "workflowExecutionId-446", "ranBy": {"k": "v447", "nested": null, "list": [0, false, ""]}, "userContext": {"k": "v448", "nested": null, "list": [0, false, ""]}, "deviceType": "deviceType-449", "annotationVisibility": "annotationVisibility-450", "aiConfig": {"k": "v451", "nested": null, "list": [0, false, ""]}}),
        case!(agents::get_agent_execution, {"executionId": "executionId-452", "includeResults": false}),
        case!(agents::list_agent_executions, {"agentId": "agentId-454", "organizationId": "organizationId-455", "documentId": "documentId-456", "pageSize": 25, "pageToken": "pageToken-458"}),
        case!(agents::count_agent_executions, {"agentIds": {"k": "v459", "nested": null, "list": [0, false, ""]}, "status": "status-460"}),
        case!(agents::enhance_prompt, {"prompt": "prompt-461", "provider": "provider-462", "userContextFields": [{"id": "userContextFields-463", "name": null, "meta": {"deep": null}}, {}]}),
        case!(agents::validate_prompt, {"prompt": "prompt-464", "provider": "provider-465", "userContextFields": [{"id": "userContextFields-466", "name": null, "meta": {"deep": null}}, {}]}),
        case!(agents::refine_prompt, {"analysisPrompt": "analysisPrompt-467", "demoFeedback": [{"id": "demoFeedback-468", "name": null, "meta": {"deep": null}}, {}], "provider": "provider-469"}),
        case!(agents::resolve_config, {"instructions": "instructions-470", "rawInstructions": "rawInstructions-471", "provider": "provider-472"}),
        case!(agents::extract_agents, {"fileBase64": "fileBase64-473", "mimeType": "mimeType-474", "provider": "provider-475", "fileName": "fileName-476"}),
        case!(agents::create_agent_group, {"name": "name-477", "description": "description-478", "agentIds": ["agentIds-a", "agentIds-b"], "metadata": {"k": "v480", "nested": null, "list": [0, false, ""]}}),
        case!(agents::get_agent_group, {"groupId": "groupId-481"}),
        case!(agents::list_agent_groups, {}),
        case!(agents::update_agent_group, {"groupId": "groupId-482", "name": "name-483", "description": "description-484"}),
        case!(agents::delete_agent_group, {"groupId": "groupId-485"}),
        case!(agents::add_agents_to_group, {"groupId": "groupId-486", "agentIds": ["agentIds-a", "agentIds-b"]}),
        case!(agents::remove_agents_from_group, {"groupId": "groupId-488", "agentIds": ["agentIds-a", "agentIds-b"]}),
        case!(crdt::delete_crdt_data, {"organizationId": "organizationId-490", "documentId": "documentId-491", "editorIds": ["editorIds-a", "editorIds-b"], "isServerIds": false}),
        case!(documents::get_documents_count, {"organizationId": "organizationId-494", "excludeFolderDocs": false, "folderId": "folderId-496", "filters": [{"id": "filters-497", "name": null, "meta": {"deep": null}}, {}]}),
        case!(memory::search_memory, {"query": "query-498", "embeddingType": "embeddingType-499", "scope": "scope-500", "organizationId": "organizationId-501", "documentId": "documentId-502", "limit": 25, "filters": {"k": "v504", "nested": null, "list": [0, false, ""]}, "recencyDays": 25}),
        case!(memory::query_judgments, {"organizationId": "organizationId-506", "documentId": "documentId-507", "decision": "decision-508", "judgeType": "judgeType-509", "contentType": "contentType-510", "reviewerId": "reviewerId-511", "annotationId": "annotationId-512", "limit": 25}),
        case!(memory::suggest_memory, {"query": "query-514", "organizationId": "organizationId-515", "documentId": "documentId-516"}),
        case!(memory::ask_memory, {"question": "question-517", "organizationId": "organizationId-518", "documentId": "documentId-519", "filters": {"k": "v520", "nested": null, "list": [0, false, ""]}, "recencyDays": 25}),
        case!(memory::get_reviewer_profile, {"targetUserId": "targetUserId-522"}),
        case!(memory::get_patterns, {}),
        case!(memory::get_stats, {}),
        case!(memory::ingest_knowledge, {"source": "source-523", "file": {"k": "v524", "nested": null, "list": [0, false, ""]}, "fileRef": "fileRef-525", "mimeType": "mimeType-526", "organizationId": "organizationId-527", "documentId": "documentId-528"}),
        case!(memory::get_upload_url, {"mimeType": "mimeType-529", "fileSize": 0, "fileName": "fileName-531", "organizationId": "organizationId-532", "documentId": "documentId-533"}),
        case!(memory::get_ingest_status, {"sourceId": "sourceId-534"}),
        case!(memory::update_knowledge, {"sourceId": "sourceId-535", "newContent": "newContent-536"}),
        case!(memory::delete_knowledge, {"sourceId": "sourceId-537"}),
        case!(memory::search_knowledge, {"query": "query-538", "sourceId": {"k": "v539", "nested": null, "list": [0, false, ""]}, "limit": 0, "includeRules": false}),
        case!(memory::list_knowledge_sources, {}),
        case!(memory::download_canonical_markdown, {"sourceId": "sourceId-542"}),
        case!(memory::list_extracted_rules, {"sourceId": "sourceId-543"}),
        case!(memory::list_alerts, {}),
        case!(memory::dismiss_alert, {"alertId": "alertId-544"}),
        case!(memory::mark_alert_actioned, {"alertId": "alertId-545"}),
        case!(memory::update_alert_config, {"config": {"k": "v546", "nested": null, "list": [0, false, ""]}}),
        case!(memory::get_alert_config, {}),
        case!(memory::trigger_consolidation, {"force": false}),
        case!(memory::seed_active_api_keys, {}),
        case!(memory::backfill_judgments, {"storeDbId": "storeDbId-548", "resumeFrom": "resumeFrom-549", "batchSize": 0, "timestampLowerBoundMs": 25, "timestampUpperBoundMs": 0, "force": false, "allApiKeysInStore": true, "migrateOldSdk": false}),
        case!(users::get_users_count, {"organizationId": "organizationId-556", "documentId": "documentId-557", "userId": "userId-558", "allDocuments": false}),
        case!(users::get_doc_users, {"organizationId": "organizationId-560", "userIds": ["userIds-a", "userIds-b"], "includeInvolvedDocuments": true, "pageSize": 25, "pageToken": "pageToken-564"}),
        case!(users::add_user_invite, {"email": "email-565", "organizationId": "organizationId-566", "type": "type-567", "organizationName": "organizationName-568", "documentId": "documentId-569", "documentName": "documentName-570", "folderId": "folderId-571", "folderName": "folderName-572", "invitedBy": {"k": "v573", "nested": null, "list": [0, false, ""]}}),
        case!(users::respond_to_invite, {"email": "email-574", "organizationId": "organizationId-575", "status": "status-576", "type": "type-577", "documentId": "documentId-578", "folderId": "folderId-579", "user": {"k": "v580", "nested": null, "list": [0, false, ""]}, "authToken": "authToken-581"}),
        case!(users::get_invited_users, {"organizationId": "organizationId-582", "email": "email-583", "pageSize": 0, "pageToken": "pageToken-585", "isPendingUsersOnly": true}),
        case!(users::get_user_invitations, {"organizationId": "organizationId-587", "email": "email-588", "pageSize": 25, "pageToken": "pageToken-590", "status": "status-591", "type": "type-592"}),
        case!(users::get_invited_pending_users_count, {"organizationId": "organizationId-593", "type": "type-594"}),
        case!(workflow::create_definition, {"definitionId": "definitionId-595", "name": "name-596", "nodes": [{"id": "nodes-597", "name": null, "meta": {"deep": null}}, {}], "edges": [{"id": "edges-598", "name": null, "meta": {"deep": null}}, {}], "description": "description-599", "scope": {"k": "v600", "nested": null, "list": [0, false, ""]}, "groups": [{"id": "groups-601", "name": null, "meta": {"deep": null}}, {}], "triggers": [{"id": "triggers-602", "name": null, "meta": {"deep": null}}, {}], "tags": ["tags-a", "tags-b"], "custom": {"k": "v604", "nested": null, "list": [0, false, ""]}, "organizationId": "organizationId-605", "documentId": "documentId-606", "webhookConfig": {"k": "v607", "nested": null, "list": [0, false, ""]}}),
        case!(workflow::update_definition, {"definitionId": "definitionId-608", "name": "name-609", "nodes": [{"id": "nodes-610", "name": null, "meta": {"deep": null}}, {}], "edges": [{"id": "edges-611", "name": null, "meta": {"deep": null}}, {}], "ifVersion": 0, "description": "description-613", "scope": {"k": "v614", "nested": null, "list": [0, false, ""]}, "groups": [{"id": "groups-615", "name": null, "meta": {"deep": null}}, {}], "triggers": [{"id": "triggers-616", "name": null, "meta": {"deep": null}}, {}], "tags": ["tags-a", "tags-b"], "custom": {"k": "v618", "nested": null, "list": [0, false, ""]}, "organizationId": "organizationId-619", "documentId": "documentId-620", "webhookConfig": {"k": "v621", "nested": null, "list": [0, false, ""]}}),
        case!(workflow::delete_definition, {"definitionId": "definitionId-622", "purge": false, "organizationId": "organizationId-624", "documentId": "documentId-625"}),
        case!(workflow::get_definition, {"definitionId": "definitionId-626", "organizationId": "organizationId-627", "documentId": "documentId-628"}),
        case!(workflow::list_definitions, {"pageSize": 25, "cursor": 0, "organizationId": "organizationId-631", "documentId": "documentId-632"}),
        case!(workflow::dispatch_execution, {"definitionId": "definitionId-633", "idempotencyKey": "idempotencyKey-634", "triggerContext": {"k": "v635", "nested": null, "list": [0, false, ""]}, "correlationId": "correlationId-636", "organizationId": "organizationId-637", "documentId": "documentId-638", "folderId": "folderId-639", "webhookUrl": "webhookUrl-640", "webhookSecret": "webhookSecret-641"}),
        case!(workflow::cancel_execution, {"executionId": "executionId-642", "reason": "reason-643"}),
        case!(workflow::get_execution, {"executionId": "executionId-644"}),
        case!(workflow::get_execution_events, {"executionId": "executionId-645", "sinceSeq": 0, "pageSize": 25}),
        case!(workflow::list_executions, {"definitionId": "definitionId-648", "status": "status-649", "pageSize": 0, "cursor": "cursor-651"}),
        case!(workflow::cancel_step, {"executionId": "executionId-652", "stepId": "stepId-653", "actorId": "actorId-654", "reason": "reason-655"}),
        case!(workflow::resolve_step, {"executionId": "executionId-656", "stepId": "stepId-657", "action": "action-658", "actorId": "actorId-659", "output": {"k": "v660", "nested": null, "list": [0, false, ""]}, "reason": "reason-661"}),
        case!(workflow::record_agent_resolution, {"executionId": "executionId-662", "stepId": "stepId-663", "responseId": "responseId-664", "resolution": "resolution-665", "actorId": "actorId-666", "reason": "reason-667"}),
        case!(workflow::record_reviewer_decision, {"executionId": "executionId-668", "stepId": "stepId-669", "reviewerId": "reviewerId-670", "decision": "decision-671", "reason": "reason-672"}),
        case!(workspace::get_api_key_config, {}),
        case!(workspace::get_requested_domains, {}),
        case!(workspace::create_domain_request, {"domain": "domain-673", "clientDocumentId": "clientDocumentId-674", "organizationId": "organizationId-675"}),
        case!(workspace::accept_reject_additional_url_request, {"action": "action-676", "id": "id-677", "clientDocId": "clientDocId-678"}),
        case!(workspace::copy_api_key, {"sourceApiKey": "sourceApiKey-679", "targetApiKey": "targetApiKey-680"}),
        case!(workspace::update_api_key_metadata, {"enablePrivateComments": false, "requireJwtToken": true, "requireAutoOrgUser": false, "defaultDocumentAccessType": "defaultDocumentAccessType-684", "aiModelApiKey": [{"id": "aiModelApiKey-685", "name": null, "meta": {"deep": null}}, {}]}),
        case!(workspace::get_notification_config, {}),
        case!(workspace::update_notification_config, {"useNotificationService": true, "notificationServiceConfig": {"k": "v687", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::get_permission_provider_config, {}),
        case!(workspace::update_permission_provider_config, {"usePermissionProvider": true, "permissionProviderConfig": {"k": "v689", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::get_activity_config, {}),
        case!(workspace::update_activity_config, {"activityServiceConfig": {"k": "v690", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::get_advanced_webhook_config, {}),
        case!(workspace::update_advanced_webhook_config, {"isEnabled": false, "encryptData": true, "encodeData": false, "publicKey": "publicKey-694", "enableDataProtection": false}),
        case!(workspace::get_advanced_webhook_endpoints, {"limit": 0, "iterator": "iterator-697"}),
        case!(workspace::create_advanced_webhook_endpoint, {"url": "url-698", "description": "description-699", "filterTypes": ["filterTypes-a", "filterTypes-b"], "channels": ["channels-a", "channels-b"], "disabled": true, "rateLimit": 25, "uid": "uid-704", "metadata": {"k": "v705", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::update_advanced_webhook_endpoint, {"endpointId": "endpointId-706", "url": "url-707", "description": "description-708", "filterTypes": ["filterTypes-a", "filterTypes-b"], "channels": ["channels-a", "channels-b"], "disabled": false, "rateLimit": 0, "metadata": {"k": "v713", "nested": null, "list": [0, false, ""]}}),
        case!(workspace::delete_advanced_webhook_endpoint, {"endpointId": "endpointId-714"}),
        case!(workspace::get_advanced_webhook_endpoint_secret, {"endpointId": "endpointId-715"}),
        case!(workspace::ensure_workspace_auth_token, {}),
        case!(token::get_token_raw, {"userId": "userId-348", "userProperties": {"organizationId": "org-1", "email": "a@b.c", "isAdmin": false, "name": "Ann"}, "permissions": {"k": "v350", "nested": null, "list": [0, false, ""]}}),
    ]
}

fn endpoint_of(case: &Case) -> &'static Endpoint {
    let method = case.method.trim_end_matches("_raw");
    Endpoint::find(case.service, method)
        .unwrap_or_else(|| panic!("no endpoint {}.{}", case.service, method))
}

/// The `x-velt-auth-token` a call of this kind must carry.
fn expected_auth(auth: AuthKind) -> &'static str {
    match auth {
        AuthKind::WorkspaceAuth => WORKSPACE_AUTH_TOKEN,
        _ => AUTH_TOKEN,
    }
}

#[test]
fn the_table_has_171_endpoints_and_every_one_has_a_case() {
    assert_eq!(ENDPOINTS.len(), 171);
    let cases = cases();
    assert_eq!(cases.len(), 171);
    let covered: BTreeSet<_> = cases
        .iter()
        .map(|c| (endpoint_of(c).service, endpoint_of(c).method))
        .collect();
    let all: BTreeSet<_> = ENDPOINTS.iter().map(|e| (e.service, e.method)).collect();
    assert_eq!(covered, all);
    let paths: BTreeSet<_> = ENDPOINTS.iter().map(|e| e.path).collect();
    assert_eq!(paths.len(), 171, "paths are unique");
    assert_eq!(
        ENDPOINTS
            .iter()
            .filter(|e| e.auth == AuthKind::WorkspaceAuth)
            .count(),
        8
    );
    let py: BTreeSet<_> = ENDPOINTS.iter().map(|e| e.service_py).collect();
    assert_eq!(py.len(), 20);
}

#[test]
fn fields_match_the_typed_requests() {
    for case in cases() {
        let ep = endpoint_of(&case);
        let keys: Vec<&str> = case
            .request
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(ep.fields, keys.as_slice(), "{}.{}", ep.service, ep.method);
        // The sample is already in normal form: nothing dropped, nothing added.
        assert_eq!(
            ep.normalize(case.request.clone()).unwrap(),
            case.request,
            "{}.{}",
            ep.service,
            ep.method
        );
    }
}

#[tokio::test]
async fn every_endpoint_sends_the_exact_request() {
    let server = MockServer::start_async().await;
    let client = common::client(&server);
    for case in cases() {
        let ep = endpoint_of(&case);
        let is_workspace = ep.service == "workspace";
        let body = json!({"data": case.request.clone()});
        let auth = expected_auth(ep.auth);
        let path = format!("/v2{}", ep.path);
        let mock = server
            .mock_async(|when, then| {
                let when = when
                    .method(POST)
                    .path(path.as_str())
                    .header("content-type", "application/json")
                    .header("x-velt-api-key", API_KEY)
                    .header("x-velt-auth-token", auth)
                    .json_body(body.clone());
                if is_workspace {
                    when.header("x-velt-workspace-id", WORKSPACE_ID);
                } else {
                    when.header_missing("x-velt-workspace-id");
                }
                then.status(200).json_body(json!({
                    "result": {"status": "success", "message": ep.method_py, "data": {"path": ep.path}}
                }));
            })
            .await;

        let typed = (case.call)(client.clone(), case.request.clone())
            .await
            .unwrap_or_else(|e| panic!("{}.{} (typed): {e}", ep.service, ep.method));
        assert_eq!(typed.message(), Some(ep.method_py));
        assert_eq!(typed.data(), Some(&json!({"path": ep.path})));
        assert_eq!(mock.calls_async().await, 1, "{}.{}", ep.service, ep.method);

        let dynamic = client
            .call_endpoint(ep, case.request.clone())
            .await
            .unwrap_or_else(|e| panic!("{}.{} (call_endpoint): {e}", ep.service, ep.method));
        assert_eq!(dynamic, typed);
        assert_eq!(mock.calls_async().await, 2, "{}.{}", ep.service, ep.method);
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn workspace_calls_omit_the_workspace_header_when_no_id_is_configured() {
    let server = MockServer::start_async().await;
    let client = VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/workspace/domains/get")
                .header("x-velt-auth-token", AUTH_TOKEN)
                .header_missing("x-velt-workspace-id")
                .json_body(json!({"data": {}}));
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    client
        .workspace()
        .get_domains(&Default::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn workspace_auth_calls_send_an_empty_api_key_header_when_none_is_configured() {
    // velt-py always sends x-velt-api-key (empty when unset); the
    // workspace-level methods need only the workspace id and its token.
    let server = MockServer::start_async().await;
    let client = VeltClient::builder()
        .workspace_id(WORKSPACE_ID)
        .workspace_auth_token(WORKSPACE_AUTH_TOKEN)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/workspace/get")
                .header("x-velt-api-key", "")
                .header("x-velt-auth-token", WORKSPACE_AUTH_TOKEN)
                .header("x-velt-workspace-id", WORKSPACE_ID)
                .json_body(json!({"data": {}}));
            then.status(200).json_body(common::ok_body("ok"));
        })
        .await;
    client
        .workspace()
        .get_workspace(&Default::default())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn find_accepts_python_and_rust_names() {
    let a = Endpoint::find("commentAnnotations", "addCommentAnnotations").unwrap();
    let b = Endpoint::find("comment_annotations", "add_comment_annotations").unwrap();
    assert_eq!(a.path, "/commentannotations/add");
    assert_eq!(b.path, a.path);
    assert_eq!(
        Endpoint::find("token", "getToken").unwrap().path,
        "/auth/token/get"
    );
    assert!(Endpoint::find("organizations", "nope").is_none());
    assert_eq!(Endpoint::of_service("userGroups").count(), 3);
}
