//! The endpoint table: every REST method, declared once.
//!
//! One macro line per endpoint (Rust name, velt-py name, path, request type,
//! request fields, auth kind, read/write, pagination helper) generates the
//! service method, its documentation and its entry in [`ENDPOINTS`], which
//! the CLI and the tests iterate.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;

/// Which credentials a call sends and needs.
///
/// Headers are always those velt-py sends (a missing credential would go out
/// as an empty header there); here a call whose required credential is
/// missing fails with [`Error::MissingCredential`] before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthKind {
    /// API-key-level call: `x-velt-api-key` + `x-velt-auth-token`; needs
    /// the API key and the auth token.
    Normal,
    /// API-key-level call of the workspace service: as [`Normal`](Self::Normal),
    /// plus `x-velt-workspace-id` when a workspace id is configured.
    Workspace,
    /// Workspace-level call: `x-velt-auth-token` carries the workspace auth
    /// token (never the normal auth token) and `x-velt-workspace-id` the
    /// workspace id; needs both. The API key header is sent as configured.
    WorkspaceAuth,
    /// Public workspace call (`createWorkspace`): headers as
    /// [`Workspace`](Self::Workspace), but no credential is required.
    WorkspacePublic,
}

/// One REST endpoint.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Endpoint {
    /// Rust service name (`comment_annotations`), the `VeltClient` method.
    pub service: &'static str,
    /// velt-py service name (`commentAnnotations`).
    pub service_py: &'static str,
    /// Rust method name (`add_comment_annotations`).
    pub method: &'static str,
    /// velt-py method name (`addCommentAnnotations`).
    pub method_py: &'static str,
    /// Path after `/v2` (`/commentannotations/add`).
    pub path: &'static str,
    /// Name of the request type in `velt_models::rest`.
    pub request_type: &'static str,
    /// JSON keys the request accepts, in wire order.
    pub fields: &'static [&'static str],
    /// Credentials sent and required.
    pub auth: AuthKind,
    /// Read-only (retried on 429/502/503/504 by default).
    pub read_only: bool,
    /// The request has `pageToken`: pages can be followed.
    pub paginated: bool,
    normalizer: fn(Value) -> Result<Value, serde_json::Error>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("service", &self.service)
            .field("service_py", &self.service_py)
            .field("method", &self.method)
            .field("method_py", &self.method_py)
            .field("path", &self.path)
            .field("request_type", &self.request_type)
            .field("fields", &self.fields)
            .field("auth", &self.auth)
            .field("read_only", &self.read_only)
            .field("paginated", &self.paginated)
            .finish()
    }
}

impl Endpoint {
    /// Finds an endpoint by service and method, each given either as the
    /// velt-py name (`commentAnnotations`, `addCommentAnnotations`) or the
    /// Rust name (`comment_annotations`, `add_comment_annotations`).
    pub fn find(service: &str, method: &str) -> Option<&'static Endpoint> {
        ENDPOINTS.iter().find(|e| {
            (e.service == service || e.service_py == service)
                && (e.method == method || e.method_py == method)
        })
    }

    /// The endpoints of one service (Rust or velt-py name).
    pub fn of_service(service: &str) -> impl Iterator<Item = &'static Endpoint> {
        ENDPOINTS
            .iter()
            .filter(move |e| e.service == service || e.service_py == service)
    }

    /// Validates and normalises a JSON request object through the typed
    /// request (deserialise, then serialise): an unknown key is an error
    /// naming it, a value of the wrong type is an error, and the result is
    /// exactly the `data` object the typed method sends (unset fields
    /// omitted, keys in wire order).
    pub fn normalize(&self, request: Value) -> Result<Value, Error> {
        let Value::Object(map) = &request else {
            return Err(Error::invalid(format!(
                "{}.{}: the request must be a JSON object",
                self.service_py, self.method_py
            )));
        };
        if let Some(unknown) = map.keys().find(|k| !self.fields.contains(&k.as_str())) {
            let accepted = if self.fields.is_empty() {
                "none".to_owned()
            } else {
                self.fields.join(", ")
            };
            return Err(Error::invalid(format!(
                "{}.{}: unknown field `{unknown}` (accepted: {accepted})",
                self.service_py, self.method_py
            )));
        }
        (self.normalizer)(request)
            .map_err(|e| Error::invalid(format!("{}.{}: {e}", self.service_py, self.method_py)))
    }
}

fn normalize_as<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, serde_json::Error> {
    let typed: T = serde_json::from_value(value)?;
    serde_json::to_value(&typed)
}

macro_rules! read_only {
    (read) => {
        true
    };
    (write) => {
        false
    };
}

macro_rules! paginated {
    () => {
        false
    };
    ($pages:ident) => {
        true
    };
}

macro_rules! velt_endpoints {
    ( $(
        $service:ident $service_py:literal $Service:ident {
            $(
                $fn_name:ident => $method:ident $method_py:literal $path:literal $Req:ident
                [ $( $field:literal ),* ] $auth:ident $access:ident $( pages $pages:ident )? ;
            )*
        }
    )* ) => {
        /// One constant per endpoint, grouped by service.
        #[allow(non_upper_case_globals)]
        pub(crate) mod defs {
            $(
                pub(crate) mod $service {
                    $(
                        pub(crate) const $method: $crate::endpoints::Endpoint = $crate::endpoints::Endpoint {
                            service: stringify!($service),
                            service_py: $service_py,
                            method: stringify!($method),
                            method_py: $method_py,
                            path: $path,
                            request_type: stringify!($Req),
                            fields: &[$($field),*],
                            auth: $crate::endpoints::AuthKind::$auth,
                            read_only: read_only!($access),
                            paginated: paginated!($($pages)?),
                            normalizer: $crate::endpoints::normalize_as::<velt_models::rest::$service::$Req>,
                        };
                    )*
                }
            )*
        }

        /// Every endpoint: the 79 `sdk.api` methods of velt-py 0.1.10 and the
        /// token call (`token.get_token`, `/auth/token/get`).
        pub static ENDPOINTS: &[Endpoint] = &[ $( $( defs::$service::$method, )* )* ];

        /// Service handles, one per velt-py service (`client.organizations()`, ...).
        pub mod services {
            use $crate::client::VeltClient;
            use $crate::error::Error;
            use $crate::pagination::Pages;
            use $crate::response::ApiResponse;

            $(
                #[doc = concat!("The `", $service_py, "` service (velt-py `sdk.api.", $service_py,
                    "`). Obtain it with [`VeltClient::", stringify!($service), "`].")]
                #[derive(Debug, Clone, Copy)]
                pub struct $Service<'c> {
                    pub(crate) client: &'c VeltClient,
                }

                impl<'c> $Service<'c> {
                    $(
                        #[doc = concat!("`", $service_py, ".", $method_py, "`: `POST /v2", $path, "` with `{\"data\": request}`.\n\n",
                            "Request type: [`", stringify!($Req), "`](velt_models::rest::", stringify!($service), "::", stringify!($Req), ").",
                            " Credentials: [`AuthKind::", stringify!($auth), "`](crate::AuthKind::", stringify!($auth), ").\n\n",
                            "# Errors\n\n[`Error::MissingCredential`] before sending when a required credential is unset; ",
                            "[`Error::Api`] for a non-2xx status or an `{\"error\": ...}` body; ",
                            "[`Error::Timeout`], [`Error::Network`], [`Error::Decode`] otherwise.")]
                        #[doc(alias = $method_py)]
                        pub async fn $fn_name(
                            &self,
                            request: &velt_models::rest::$service::$Req,
                        ) -> Result<ApiResponse, Error> {
                            self.client.post(&super::defs::$service::$method, request).await
                        }

                        $(
                            #[doc = concat!("Every page of [`", stringify!($fn_name), "`](Self::", stringify!($fn_name),
                                "), following `nextPageToken` from the given request on. ",
                                "The stream ends when a response has no token, or a token repeats.")]
                            pub fn $pages(
                                &self,
                                request: &velt_models::rest::$service::$Req,
                            ) -> Pages {
                                self.client.paginate_typed(&super::defs::$service::$method, request)
                            }
                        )?
                    )*
                }

                impl VeltClient {
                    #[doc = concat!("The `", $service_py, "` service.")]
                    pub fn $service(&self) -> $Service<'_> {
                        $Service { client: self }
                    }
                }
            )*
        }
    };
}

velt_endpoints! {
    access_control "accessControl" AccessControlService {
        add_permissions => add_permissions "addPermissions" "/auth/permissions/add" AddPermissionsRequest ["user", "permissions"] Normal write;
        get_permissions => get_permissions "getPermissions" "/auth/permissions/get" GetPermissionsRequest ["organizationId", "userIds", "folderIds", "documentIds", "skipResourceExistenceValidation"] Normal read;
        remove_permissions => remove_permissions "removePermissions" "/auth/permissions/remove" RemovePermissionsRequest ["userId", "permissions"] Normal write;
        generate_signature => generate_signature "generateSignature" "/auth/generate_signature" GenerateSignatureRequest ["permissions"] Normal write;
        generate_token => generate_token "generateToken" "/auth/generate_token" GenerateTokenRequest ["userId", "userProperties", "permissions"] Normal write;
    }
    activities "activities" ActivitiesService {
        add_activities => add_activities "addActivities" "/activities/add" AddActivitiesRequest ["organizationId", "documentId", "activities"] Normal write;
        get_activities => get_activities "getActivities" "/activities/get" GetActivitiesRequest ["organizationId", "documentId", "targetEntityId", "featureTypes", "actionTypes", "userId", "activityIds", "order", "pageSize", "pageToken"] Normal read pages get_activities_pages;
        update_activities => update_activities "updateActivities" "/activities/update" UpdateActivitiesRequest ["organizationId", "activities"] Normal write;
        delete_activities => delete_activities "deleteActivities" "/activities/delete" DeleteActivitiesRequest ["organizationId", "documentId", "activityIds", "targetEntityId"] Normal write;
    }
    comment_annotations "commentAnnotations" CommentAnnotationsService {
        add_comment_annotations => add_comment_annotations "addCommentAnnotations" "/commentannotations/add" AddCommentAnnotationsRequest ["organizationId", "documentId", "commentAnnotations", "verifyUserPermissions", "createDocument", "createOrganization"] Normal write;
        get_comment_annotations => get_comment_annotations "getCommentAnnotations" "/commentannotations/get" GetCommentAnnotationsRequest ["organizationId", "documentId", "documentIds", "groupByDocumentId", "locationIds", "folderId", "annotationIds", "userIds", "statusIds", "updatedAfter", "updatedBefore", "createdAfter", "createdBefore", "pageSize", "pageToken", "order", "statusId", "resolvedBy", "mentionedUserIds", "includeMetadata", "includePageInfo", "agentId", "executionId", "agentType", "agentSource", "agentSuggestions", "agentComments"] Normal read pages get_comment_annotations_pages;
        get_comment_annotations_count => get_comment_annotations_count "getCommentAnnotationsCount" "/commentannotations/count/get" GetCommentAnnotationsCountRequest ["organizationId", "documentIds", "userId", "statusIds"] Normal read;
        update_comment_annotations => update_comment_annotations "updateCommentAnnotations" "/commentannotations/update" UpdateCommentAnnotationsRequest ["organizationId", "documentId", "locationIds", "userIds", "annotationIds", "updatedData", "updateUsers"] Normal write;
        delete_comment_annotations => delete_comment_annotations "deleteCommentAnnotations" "/commentannotations/delete" DeleteCommentAnnotationsRequest ["organizationId", "documentId", "locationIds", "annotationIds", "userIds", "agentSuggestions", "agentId", "agentUrls"] Normal write;
        add_comments => add_comments "addComments" "/commentannotations/comments/add" AddCommentsRequest ["organizationId", "documentId", "annotationId", "commentData", "comments", "createOrganization", "createDocument", "verifyUserPermissions"] Normal write;
        get_comments => get_comments "getComments" "/commentannotations/comments/get" GetCommentsRequest ["organizationId", "documentId", "annotationId", "userIds", "commentIds"] Normal read;
        update_comments => update_comments "updateComments" "/commentannotations/comments/update" UpdateCommentsRequest ["organizationId", "documentId", "annotationId", "commentIds", "userIds", "triggerNotification", "updatedData"] Normal write;
        delete_comments => delete_comments "deleteComments" "/commentannotations/comments/delete" DeleteCommentsRequest ["organizationId", "documentId", "annotationId", "commentIds", "userIds"] Normal write;
    }
    crdt "crdt" CrdtService {
        add_crdt_data => add_crdt_data "addCrdtData" "/crdt/add" AddCrdtDataRequest ["organizationId", "documentId", "editorId", "data", "type", "contentKey", "isServerIds"] Normal write;
        get_crdt_data => get_crdt_data "getCrdtData" "/crdt/get" GetCrdtDataRequest ["organizationId", "documentId", "editorId", "type", "isServerIds"] Normal read;
        update_crdt_data => update_crdt_data "updateCrdtData" "/crdt/update" UpdateCrdtDataRequest ["organizationId", "documentId", "editorId", "data", "type", "contentKey", "isServerIds"] Normal write;
    }
    documents "documents" DocumentsService {
        add_documents => add_documents "addDocuments" "/organizations/documents/add" AddDocumentsRequest ["organizationId", "documents", "createOrganization", "folderId", "createFolder"] Normal write;
        get_documents => get_documents "getDocuments" "/organizations/documents/get" GetDocumentsRequest ["organizationId", "documentIds", "folderId", "pageSize", "pageToken", "filters", "orderByCommentViews"] Normal read pages get_documents_pages;
        update_documents => update_documents "updateDocuments" "/organizations/documents/update" UpdateDocumentsRequest ["organizationId", "documents", "merge"] Normal write;
        delete_documents => delete_documents "deleteDocuments" "/organizations/documents/delete" DeleteDocumentsRequest ["organizationId", "documentIds"] Normal write;
        move_documents => move_documents "moveDocuments" "/organizations/documents/move" MoveDocumentsRequest ["organizationId", "documentIds", "folderId"] Normal write;
        update_document_access => update_document_access "updateDocumentAccess" "/organizations/documents/access/update" UpdateDocumentAccessRequest ["organizationId", "documentIds", "accessType"] Normal write;
        update_document_disable_state => update_document_disable_state "updateDocumentDisableState" "/organizations/documents/access/disablestate/update" UpdateDocumentDisableStateRequest ["organizationId", "documentIds", "disabled"] Normal write;
        migrate_documents => migrate_documents "migrateDocuments" "/organizations/documents/migrate" MigrateDocumentsRequest ["organizationId", "documentId", "newDocumentId"] Normal write;
        migrate_documents_status => migrate_documents_status "migrateDocumentsStatus" "/organizations/documents/migrate/status" MigrateDocumentsStatusRequest ["organizationId", "migrationId"] Normal read;
    }
    folders "folders" FoldersService {
        add_folder => add_folder "addFolder" "/organizations/folders/add" AddFolderRequest ["organizationId", "folders", "createOrganization"] Normal write;
        get_folders => get_folders "getFolders" "/organizations/folders/get" GetFoldersRequest ["organizationId", "folderId", "rootFoldersOnly", "pageSize", "pageToken", "maxDepth"] Normal read pages get_folders_pages;
        update_folder => update_folder "updateFolder" "/organizations/folders/update" UpdateFolderRequest ["organizationId", "folders"] Normal write;
        delete_folder => delete_folder "deleteFolder" "/organizations/folders/delete" DeleteFolderRequest ["organizationId", "folderId"] Normal write;
        update_folder_access => update_folder_access "updateFolderAccess" "/organizations/folders/access/update" UpdateFolderAccessRequest ["organizationId", "folderIds", "accessType", "inheritFromParent"] Normal write;
    }
    gdpr "gdpr" GdprService {
        delete_all_user_data => delete_all_user_data "deleteAllUserData" "/users/data/delete" DeleteAllUserDataRequest ["userIds", "organizationIds"] Normal write;
        get_all_user_data => get_all_user_data "getAllUserData" "/users/data/get" GetAllUserDataRequest ["organizationId", "userId", "pageToken", "veltUserIds", "veltAllOrganizations", "uniqueId"] Normal read pages get_all_user_data_pages;
        get_delete_user_data_status => get_delete_user_data_status "getDeleteUserDataStatus" "/users/data/delete/status" GetDeleteUserDataStatusRequest ["jobId"] Normal read;
    }
    livestate "livestate" LivestateService {
        broadcast_event => broadcast_event "broadcastEvent" "/livestate/broadcast" BroadcastEventRequest ["organizationId", "documentId", "liveStateDataId", "data", "merge"] Normal write;
    }
    notifications "notifications" NotificationsService {
        add_notifications => add_notifications "addNotifications" "/notifications/add" AddNotificationsRequest ["organizationId", "documentId", "actionUser", "displayHeadlineMessageTemplate", "displayBodyMessage", "notifyUsers", "createOrganization", "createDocument", "verifyUserPermissions", "notificationId", "displayHeadlineMessageTemplateData", "displayBodyMessageTemplate", "displayBodyMessageTemplateData", "notifyAll", "notificationSourceData", "location", "metadata", "isNotificationResolverUsed", "isCrossOrganizationEnabled", "context"] Normal write;
        get_notifications => get_notifications "getNotifications" "/notifications/get" GetNotificationsRequest ["organizationId", "documentId", "userId", "locationId", "notificationIds", "pageSize", "pageToken", "order"] Normal read pages get_notifications_pages;
        update_notifications => update_notifications "updateNotifications" "/notifications/update" UpdateNotificationsRequest ["organizationId", "notifications", "documentId", "locationId", "userId", "verifyUserPermissions"] Normal write;
        delete_notifications => delete_notifications "deleteNotifications" "/notifications/delete" DeleteNotificationsRequest ["organizationId", "documentId", "locationId", "userId", "notificationIds"] Normal write;
        get_notification_config => get_notification_config "getNotificationConfig" "/notifications/config/get" GetNotificationConfigRequest ["organizationId", "userId", "documentIds", "getOrganizationConfig"] Normal read;
        set_notification_config => set_notification_config "setNotificationConfig" "/notifications/config/set" SetNotificationConfigRequest ["organizationId", "userIds", "config", "documentIds"] Normal write;
    }
    organizations "organizations" OrganizationsService {
        add_organizations => add_organizations "addOrganizations" "/organizations/add" AddOrganizationsRequest ["organizations"] Normal write;
        get_organizations => get_organizations "getOrganizations" "/organizations/get" GetOrganizationsRequest ["organizationIds", "pageSize", "pageToken"] Normal read pages get_organizations_pages;
        update_organizations => update_organizations "updateOrganizations" "/organizations/update" UpdateOrganizationsRequest ["organizations"] Normal write;
        delete_organizations => delete_organizations "deleteOrganizations" "/organizations/delete" DeleteOrganizationsRequest ["organizationIds"] Normal write;
        update_organization_disable_state => update_organization_disable_state "updateOrganizationDisableState" "/organizations/access/disablestate/update" UpdateOrganizationDisableStateRequest ["organizationIds", "disabled"] Normal write;
    }
    presence "presence" PresenceService {
        add_presence => add_presence "addPresence" "/presence/add" AddPresenceRequest ["organizationId", "documentId", "users"] Normal write;
        update_presence => update_presence "updatePresence" "/presence/update" UpdatePresenceRequest ["organizationId", "documentId", "users"] Normal write;
        delete_presence => delete_presence "deletePresence" "/presence/delete" DeletePresenceRequest ["organizationId", "documentId", "userIds"] Normal write;
    }
    recordings "recordings" RecordingsService {
        get_recordings => get_recordings "getRecordings" "/recordings/get" GetRecordingsRequest ["organizationId", "documentId", "recordingIds", "pageSize", "pageToken"] Normal read pages get_recordings_pages;
    }
    rewriter "rewriter" RewriterService {
        ask_ai => ask_ai "askAi" "/rewriter/ask-ai" AskAiRequest ["model", "prompt", "text"] Normal write;
    }
    user_groups "userGroups" UserGroupsService {
        add_user_groups => add_user_groups "addUserGroups" "/organizations/usergroups/add" AddUserGroupsRequest ["organizationId", "organizationUserGroups", "createOrganization"] Normal write;
        add_users_to_group => add_users_to_group "addUsersToGroup" "/organizations/usergroups/users/add" AddUsersToGroupRequest ["organizationId", "organizationUserGroupId", "userIds"] Normal write;
        delete_users_from_group => delete_users_from_group "deleteUsersFromGroup" "/organizations/usergroups/users/delete" DeleteUsersFromGroupRequest ["organizationId", "organizationUserGroupId", "userIds", "deleteAll"] Normal write;
    }
    users "users" UsersService {
        add_users => add_users "addUsers" "/users/add" AddUsersRequest ["organizationId", "users", "createOrganization", "documentId", "createDocument", "folderId", "createFolder", "parentFolderId", "context"] Normal write;
        get_users => get_users "getUsers" "/users/get" GetUsersRequest ["organizationId", "documentId", "folderId", "userIds", "organizationUserGroupIds", "allDocuments", "groupByDocumentId", "pageSize", "pageToken", "includeInvolvedDocuments", "includeInvolvedDocumentsCount", "searchKey"] Normal read pages get_users_pages;
        update_users => update_users "updateUsers" "/users/update" UpdateUsersRequest ["organizationId", "users", "documentId", "folderId", "options"] Normal write;
        delete_users => delete_users "deleteUsers" "/users/delete" DeleteUsersRequest ["organizationId", "userIds", "documentId", "folderId", "context"] Normal write;
    }
    workspace "workspace" WorkspaceService {
        create_workspace => create_workspace "createWorkspace" "/workspace/create" CreateWorkspaceRequest ["ownerEmail", "name", "workspaceName", "avatar", "expiresInMs"] WorkspacePublic write;
        get_workspace => get_workspace "getWorkspace" "/workspace/get" GetWorkspaceRequest [] WorkspaceAuth read;
        create_api_key => create_api_key "createApiKey" "/workspace/apikey/create" CreateApiKeyRequest ["ownerEmail", "type", "createAuthToken", "apiKeyName", "planInfo", "customPlanInfo", "customPlanInfoData", "persistenceDBRegion", "realtimeDBRegion", "workspaceId", "isSuperWorkspace", "platform", "allowedDomains", "addLocalHostToAllowedDomains", "useEmailService", "useNotificationService", "setDefaultNotificationTriggers", "setDefaultEmailTriggers", "useWebhookService", "requireAutoOrgUser", "enablePrivateComments", "emailServiceConfig", "webhookServiceConfig"] WorkspaceAuth write;
        update_api_key => update_api_key "updateApiKey" "/workspace/apikey/update" UpdateApiKeyRequest ["apiKey", "apiKeyName"] WorkspaceAuth write;
        get_api_keys => get_api_keys "getApiKeys" "/workspace/apikeys/get" GetApiKeysRequest ["apiKeys", "pageSize", "pageToken"] WorkspaceAuth read pages get_api_keys_pages;
        get_api_key_metadata => get_api_key_metadata "getApiKeyMetadata" "/workspace/apikeymetadata/get" GetApiKeyMetadataRequest [] Workspace read;
        reset_auth_token => reset_auth_token "resetAuthToken" "/workspace/authtoken/reset" ResetAuthTokenRequest ["apiKey"] WorkspaceAuth write;
        get_auth_tokens => get_auth_tokens "getAuthTokens" "/workspace/authtokens/get" GetAuthTokensRequest ["apiKey"] WorkspaceAuth read;
        add_domains => add_domains "addDomains" "/workspace/domains/add" AddDomainsRequest ["domains"] Workspace write;
        delete_domains => delete_domains "deleteDomains" "/workspace/domains/delete" DeleteDomainsRequest ["domains"] Workspace write;
        get_domains => get_domains "getDomains" "/workspace/domains/get" GetDomainsRequest [] Workspace read;
        get_email_status => get_email_status "getEmailStatus" "/workspace/email/status" GetEmailStatusRequest ["ownerEmail"] Workspace read;
        send_login_link => send_login_link "sendLoginLink" "/workspace/email/send-login-link" SendLoginLinkRequest ["email", "continueUrl"] Workspace write;
        get_email_config => get_email_config "getEmailConfig" "/workspace/emailconfig/get" GetEmailConfigRequest [] Workspace read;
        update_email_config => update_email_config "updateEmailConfig" "/workspace/emailconfig/update" UpdateEmailConfigRequest ["useEmailService", "emailServiceConfig"] Workspace write;
        get_webhook_config => get_webhook_config "getWebhookConfig" "/workspace/webhookconfig/get" GetWebhookConfigRequest [] Workspace read;
        update_webhook_config => update_webhook_config "updateWebhookConfig" "/workspace/webhookconfig/update" UpdateWebhookConfigRequest ["useWebhookService", "webhookServiceConfig"] Workspace write;
    }
    token "token" TokenService {
        get_token_raw => get_token "getToken" "/auth/token/get" GetTokenRequest ["userId", "userProperties", "permissions"] Normal read;
    }
}
