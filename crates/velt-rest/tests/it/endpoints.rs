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
fn the_table_has_80_endpoints_and_every_one_has_a_case() {
    assert_eq!(ENDPOINTS.len(), 80);
    let cases = cases();
    assert_eq!(cases.len(), 80);
    let covered: BTreeSet<_> = cases
        .iter()
        .map(|c| (endpoint_of(c).service, endpoint_of(c).method))
        .collect();
    let all: BTreeSet<_> = ENDPOINTS.iter().map(|e| (e.service, e.method)).collect();
    assert_eq!(covered, all);
    let paths: BTreeSet<_> = ENDPOINTS.iter().map(|e| e.path).collect();
    assert_eq!(paths.len(), 80, "paths are unique");
    assert_eq!(
        ENDPOINTS
            .iter()
            .filter(|e| e.auth == AuthKind::WorkspaceAuth)
            .count(),
        6
    );
    let py: BTreeSet<_> = ENDPOINTS.iter().map(|e| e.service_py).collect();
    assert_eq!(py.len(), 17);
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
