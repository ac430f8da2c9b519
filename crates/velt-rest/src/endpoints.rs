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

use crate::allowlist::FieldFilter;
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
    /// The opt-in unknown-field filter of velt-py 0.3.0 for this method
    /// (`filter_unknown_fields=True`), if it has one. Applied only when the
    /// client's [`filters_unknown_fields`](crate::VeltClient::filters_unknown_fields) is on.
    pub field_filter: Option<&'static FieldFilter>,
    /// Why the method is deprecated and what replaces it, if it is.
    pub deprecated: Option<&'static str>,
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
            .field("field_filter", &self.field_filter.map(|f| f.name))
            .field("deprecated", &self.deprecated)
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

macro_rules! field_filter {
    () => {
        None
    };
    ($filter:ident) => {
        Some(&$crate::allowlist::$filter)
    };
}

macro_rules! deprecated {
    () => {
        None
    };
    ($note:literal) => {
        Some($note)
    };
}

macro_rules! velt_endpoints {
    ( $(
        $service:ident $service_py:literal $Service:ident {
            $(
                $fn_name:ident => $method:ident $method_py:literal $path:literal $Req:ident
                [ $( $field:literal ),* ] $auth:ident $access:ident $( pages $pages:ident )?
                $( filter $filter:ident )? $( deprecated $note:literal )? ;
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
                            field_filter: field_filter!($($filter)?),
                            deprecated: deprecated!($($note)?),
                            normalizer: $crate::endpoints::normalize_as::<velt_models::rest::$service::$Req>,
                        };
                    )*
                }
            )*
        }

        /// Every endpoint: the 79 `sdk.api` methods of velt-py 0.1.10, the
        /// token call (`token.get_token`, `/auth/token/get`) and the 91
        /// endpoints added in velt-py 0.3.0.
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
                        $(
                            #[doc = concat!("\n\nUnknown-field filter (opt-in, off by default): with ",
                                "[`VeltClient::with_filter_unknown_fields`] or ",
                                "[`ClientBuilder::filter_unknown_fields`](crate::ClientBuilder::filter_unknown_fields) on, ",
                                "the request is filtered by [`allowlist::", stringify!($filter), "`](crate::allowlist::", stringify!($filter),
                                ") (velt-py's `filter_unknown_fields=True`).")]
                        )?
                        $( #[deprecated(note = $note)] )?
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
        add_activities => add_activities "addActivities" "/activities/add" AddActivitiesRequest ["organizationId", "documentId", "activities"] Normal write filter ADD_ACTIVITIES;
        get_activities => get_activities "getActivities" "/activities/get" GetActivitiesRequest ["organizationId", "documentId", "targetEntityId", "featureTypes", "actionTypes", "userId", "activityIds", "order", "pageSize", "pageToken"] Normal read pages get_activities_pages;
        update_activities => update_activities "updateActivities" "/activities/update" UpdateActivitiesRequest ["organizationId", "activities"] Normal write filter UPDATE_ACTIVITIES;
        delete_activities => delete_activities "deleteActivities" "/activities/delete" DeleteActivitiesRequest ["organizationId", "documentId", "activityIds", "targetEntityId"] Normal write;
    }
    agents "agents" AgentsService {
        create_agent => create_agent "createAgent" "/agents/create" CreateAgentRequest ["name", "description", "rawInstructions", "instructions", "enabled", "metadata", "contextGathering", "execution", "response", "postProcess", "input", "scope", "setup"] Normal write;
        get_agent => get_agent "getAgent" "/agents/get" GetAgentRequest ["agentId", "filter", "groupId"] Normal read;
        update_agent => update_agent "updateAgent" "/agents/update" UpdateAgentRequest ["agentId", "name", "description", "enabled"] Normal write;
        update_agent_version => update_agent_version "updateAgentVersion" "/agents/version/update" UpdateAgentVersionRequest ["agentId", "rawInstructions", "instructions", "phaseTimeoutMs", "contextGathering", "execution", "response", "postProcess", "input", "scope", "setup"] Normal write;
        delete_agent => delete_agent "deleteAgent" "/agents/delete" DeleteAgentRequest ["agentId"] Normal write;
        list_agent_versions => list_agent_versions "listAgentVersions" "/agents/versions/list" ListAgentVersionsRequest ["agentId"] Normal read;
        restore_agent_version => restore_agent_version "restoreAgentVersion" "/agents/versions/restore" RestoreAgentVersionRequest ["agentId"] Normal write;
        get_agent_analytics => get_agent_analytics "getAgentAnalytics" "/agents/analytics/get" GetAgentAnalyticsRequest ["agentId", "year", "month", "model"] Normal read;
        run_agent_execution => run_agent_execution "runAgentExecution" "/agents/execution/run" RunAgentExecutionRequest ["agentId", "url", "crossPageExecute", "maxUrlsToProcess", "organizationId", "documentId", "trigger", "workflowExecutionId", "ranBy", "userContext", "deviceType", "annotationVisibility", "aiConfig"] Normal write;
        get_agent_execution => get_agent_execution "getAgentExecution" "/agents/execution/get" GetAgentExecutionRequest ["executionId", "includeResults"] Normal read;
        list_agent_executions => list_agent_executions "listAgentExecutions" "/agents/execution/list" ListAgentExecutionsRequest ["agentId", "organizationId", "documentId", "pageSize", "pageToken"] Normal read pages list_agent_executions_pages;
        count_agent_executions => count_agent_executions "countAgentExecutions" "/agents/execution/count" CountAgentExecutionsRequest ["agentIds", "status"] Normal read;
        enhance_prompt => enhance_prompt "enhancePrompt" "/agents/prompt/enhance" EnhancePromptRequest ["prompt", "provider", "userContextFields"] Normal write;
        validate_prompt => validate_prompt "validatePrompt" "/agents/prompt/validate" ValidatePromptRequest ["prompt", "provider", "userContextFields"] Normal write;
        refine_prompt => refine_prompt "refinePrompt" "/agents/prompt/refine" RefinePromptRequest ["analysisPrompt", "demoFeedback", "provider"] Normal write;
        resolve_config => resolve_config "resolveConfig" "/agents/config/resolve" ResolveConfigRequest ["instructions", "rawInstructions", "provider"] Normal write;
        extract_agents => extract_agents "extractAgents" "/agents/extract" ExtractAgentsRequest ["fileBase64", "mimeType", "provider", "fileName"] Normal write;
        create_agent_group => create_agent_group "createAgentGroup" "/agents/groups/create" CreateAgentGroupRequest ["name", "description", "agentIds", "metadata"] Normal write;
        get_agent_group => get_agent_group "getAgentGroup" "/agents/groups/get" GetAgentGroupRequest ["groupId"] Normal read;
        list_agent_groups => list_agent_groups "listAgentGroups" "/agents/groups/list" ListAgentGroupsRequest [] Normal read;
        update_agent_group => update_agent_group "updateAgentGroup" "/agents/groups/update" UpdateAgentGroupRequest ["groupId", "name", "description"] Normal write;
        delete_agent_group => delete_agent_group "deleteAgentGroup" "/agents/groups/delete" DeleteAgentGroupRequest ["groupId"] Normal write;
        add_agents_to_group => add_agents_to_group "addAgentsToGroup" "/agents/groups/add-agents" AddAgentsToGroupRequest ["groupId", "agentIds"] Normal write;
        remove_agents_from_group => remove_agents_from_group "removeAgentsFromGroup" "/agents/groups/remove-agents" RemoveAgentsFromGroupRequest ["groupId", "agentIds"] Normal write;
    }
    comment_annotations "commentAnnotations" CommentAnnotationsService {
        add_comment_annotations => add_comment_annotations "addCommentAnnotations" "/commentannotations/add" AddCommentAnnotationsRequest ["organizationId", "documentId", "commentAnnotations", "verifyUserPermissions", "createDocument", "createOrganization"] Normal write filter ADD_COMMENT_ANNOTATIONS;
        get_comment_annotations => get_comment_annotations "getCommentAnnotations" "/commentannotations/get" GetCommentAnnotationsRequest ["organizationId", "documentId", "documentIds", "groupByDocumentId", "locationIds", "folderId", "annotationIds", "userIds", "statusIds", "updatedAfter", "updatedBefore", "createdAfter", "createdBefore", "pageSize", "pageToken", "order", "statusId", "resolvedBy", "mentionedUserIds", "includeMetadata", "includePageInfo", "agentId", "executionId", "agentType", "agentSource", "agentSuggestions", "agentComments"] Normal read pages get_comment_annotations_pages;
        get_comment_annotations_count => get_comment_annotations_count "getCommentAnnotationsCount" "/commentannotations/count/get" GetCommentAnnotationsCountRequest ["organizationId", "documentIds", "userId", "statusIds"] Normal read;
        update_comment_annotations => update_comment_annotations "updateCommentAnnotations" "/commentannotations/update" UpdateCommentAnnotationsRequest ["organizationId", "documentId", "locationIds", "userIds", "annotationIds", "updatedData", "updateUsers"] Normal write filter UPDATE_COMMENT_ANNOTATIONS;
        delete_comment_annotations => delete_comment_annotations "deleteCommentAnnotations" "/commentannotations/delete" DeleteCommentAnnotationsRequest ["organizationId", "documentId", "locationIds", "annotationIds", "userIds", "agentSuggestions", "agentId", "agentUrls"] Normal write;
        add_comments => add_comments "addComments" "/commentannotations/comments/add" AddCommentsRequest ["organizationId", "documentId", "annotationId", "commentData", "comments", "createOrganization", "createDocument", "verifyUserPermissions"] Normal write filter ADD_COMMENTS;
        get_comments => get_comments "getComments" "/commentannotations/comments/get" GetCommentsRequest ["organizationId", "documentId", "annotationId", "userIds", "commentIds"] Normal read;
        update_comments => update_comments "updateComments" "/commentannotations/comments/update" UpdateCommentsRequest ["organizationId", "documentId", "annotationId", "commentIds", "userIds", "triggerNotification", "updatedData"] Normal write filter UPDATE_COMMENTS;
        delete_comments => delete_comments "deleteComments" "/commentannotations/comments/delete" DeleteCommentsRequest ["organizationId", "documentId", "annotationId", "commentIds", "userIds"] Normal write;
    }
    crdt "crdt" CrdtService {
        add_crdt_data => add_crdt_data "addCrdtData" "/crdt/add" AddCrdtDataRequest ["organizationId", "documentId", "editorId", "data", "type", "contentKey", "isServerIds"] Normal write;
        get_crdt_data => get_crdt_data "getCrdtData" "/crdt/get" GetCrdtDataRequest ["organizationId", "documentId", "editorId", "type", "isServerIds"] Normal read;
        update_crdt_data => update_crdt_data "updateCrdtData" "/crdt/update" UpdateCrdtDataRequest ["organizationId", "documentId", "editorId", "data", "type", "contentKey", "isServerIds"] Normal write;
        delete_crdt_data => delete_crdt_data "deleteCrdtData" "/crdt/delete" DeleteCrdtDataRequest ["organizationId", "documentId", "editorIds", "isServerIds"] Normal write;
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
        get_documents_count => get_documents_count "getDocumentsCount" "/organizations/documents/count/get" GetDocumentsCountRequest ["organizationId", "excludeFolderDocs", "folderId", "filters"] Normal read;
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
    memory "memory" MemoryService {
        search_memory => search_memory "search" "/memory/search" SearchRequest ["query", "embeddingType", "scope", "organizationId", "documentId", "limit", "filters", "recencyDays"] Normal read;
        query_judgments => query_judgments "queryJudgments" "/memory/judgments/query" QueryJudgmentsRequest ["organizationId", "documentId", "decision", "judgeType", "contentType", "reviewerId", "annotationId", "limit"] Normal read;
        suggest_memory => suggest_memory "suggest" "/memory/suggest" SuggestRequest ["query", "organizationId", "documentId"] Normal write;
        ask_memory => ask_memory "ask" "/memory/ask" AskRequest ["question", "organizationId", "documentId", "filters", "recencyDays"] Normal write;
        get_reviewer_profile => get_reviewer_profile "getReviewerProfile" "/memory/profiles/get" GetReviewerProfileRequest ["targetUserId"] Normal read;
        get_patterns => get_patterns "getPatterns" "/memory/patterns/get" GetPatternsRequest [] Normal read;
        get_stats => get_stats "getStats" "/memory/stats/get" GetStatsRequest [] Normal read;
        ingest_knowledge => ingest_knowledge "ingestKnowledge" "/memory/knowledge/ingest" IngestKnowledgeRequest ["source", "file", "fileRef", "mimeType", "organizationId", "documentId"] Normal write;
        get_upload_url => get_upload_url "getUploadUrl" "/memory/knowledge/upload-url" GetUploadUrlRequest ["mimeType", "fileSize", "fileName", "organizationId", "documentId"] Normal read;
        get_ingest_status => get_ingest_status "getIngestStatus" "/memory/knowledge/ingest-status" GetIngestStatusRequest ["sourceId"] Normal read;
        update_knowledge => update_knowledge "updateKnowledge" "/memory/knowledge/update" UpdateKnowledgeRequest ["sourceId", "newContent"] Normal write;
        delete_knowledge => delete_knowledge "deleteKnowledge" "/memory/knowledge/delete" DeleteKnowledgeRequest ["sourceId"] Normal write;
        search_knowledge => search_knowledge "searchKnowledge" "/memory/knowledge/search" SearchKnowledgeRequest ["query", "sourceId", "limit", "includeRules"] Normal read;
        list_knowledge_sources => list_knowledge_sources "listKnowledgeSources" "/memory/knowledge/list" ListKnowledgeSourcesRequest [] Normal read;
        download_canonical_markdown => download_canonical_markdown "downloadCanonicalMarkdown" "/memory/knowledge/download" DownloadCanonicalMarkdownRequest ["sourceId"] Normal read;
        list_extracted_rules => list_extracted_rules "listExtractedRules" "/memory/knowledge/rules" ListExtractedRulesRequest ["sourceId"] Normal read;
        list_alerts => list_alerts "listAlerts" "/memory/alerts/list" ListAlertsRequest [] Normal read;
        dismiss_alert => dismiss_alert "dismissAlert" "/memory/alerts/dismiss" DismissAlertRequest ["alertId"] Normal write;
        mark_alert_actioned => mark_alert_actioned "markAlertActioned" "/memory/alerts/action" MarkAlertActionedRequest ["alertId"] Normal write;
        update_alert_config => update_alert_config "updateAlertConfig" "/memory/alerts/config/update" UpdateAlertConfigRequest ["config"] Normal write;
        get_alert_config => get_alert_config "getAlertConfig" "/memory/alerts/config/get" GetAlertConfigRequest [] Normal read;
        trigger_consolidation => trigger_consolidation "triggerConsolidation" "/memory/consolidation/trigger" TriggerConsolidationRequest ["force"] Normal write;
        seed_active_api_keys => seed_active_api_keys "seedActiveApiKeys" "/memory/consolidation/seed-active-api-keys" SeedActiveApiKeysRequest [] Normal write;
        backfill_judgments => backfill_judgments "backfillJudgments" "/memory/backfill/judgments" BackfillJudgmentsRequest ["storeDbId", "resumeFrom", "batchSize", "timestampLowerBoundMs", "timestampUpperBoundMs", "force", "allApiKeysInStore", "migrateOldSdk"] Normal write;
    }
    notifications "notifications" NotificationsService {
        add_notifications => add_notifications "addNotifications" "/notifications/add" AddNotificationsRequest ["organizationId", "documentId", "actionUser", "displayHeadlineMessageTemplate", "displayBodyMessage", "notifyUsers", "createOrganization", "createDocument", "verifyUserPermissions", "notificationId", "displayHeadlineMessageTemplateData", "displayBodyMessageTemplate", "displayBodyMessageTemplateData", "notifyAll", "notificationSourceData", "location", "metadata", "isNotificationResolverUsed", "isCrossOrganizationEnabled", "context"] Normal write;
        get_notifications => get_notifications "getNotifications" "/notifications/get" GetNotificationsRequest ["organizationId", "documentId", "userId", "locationId", "notificationIds", "pageSize", "pageToken", "order"] Normal read pages get_notifications_pages;
        update_notifications => update_notifications "updateNotifications" "/notifications/update" UpdateNotificationsRequest ["organizationId", "notifications", "documentId", "locationId", "userId", "verifyUserPermissions"] Normal write filter UPDATE_NOTIFICATIONS;
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
        get_users_count => get_users_count "getUsersCount" "/users/count/get" GetUsersCountRequest ["organizationId", "documentId", "userId", "allDocuments"] Normal read;
        get_doc_users => get_doc_users "getDocUsers" "/users/doc/get" GetDocUsersRequest ["organizationId", "userIds", "includeInvolvedDocuments", "pageSize", "pageToken"] Normal read pages get_doc_users_pages;
        add_user_invite => add_user_invite "addUserInvite" "/users/invite/add" AddUserInviteRequest ["email", "organizationId", "type", "organizationName", "documentId", "documentName", "folderId", "folderName", "invitedBy"] Normal write;
        respond_to_invite => respond_to_invite "respondToInvite" "/users/invite/respond" RespondToInviteRequest ["email", "organizationId", "status", "type", "documentId", "folderId", "user", "authToken"] Normal write;
        get_invited_users => get_invited_users "getInvitedUsers" "/users/invite/get" GetInvitedUsersRequest ["organizationId", "email", "pageSize", "pageToken", "isPendingUsersOnly"] Normal read pages get_invited_users_pages;
        get_user_invitations => get_user_invitations "getUserInvitations" "/users/invitations/get" GetUserInvitationsRequest ["organizationId", "email", "pageSize", "pageToken", "status", "type"] Normal read pages get_user_invitations_pages;
        get_invited_pending_users_count => get_invited_pending_users_count "getInvitedPendingUsersCount" "/users/invite/pending/count" GetInvitedPendingUsersCountRequest ["organizationId", "type"] Normal read;
    }
    workflow "workflow" WorkflowService {
        create_definition => create_definition "createDefinition" "/workflow/definitions/create" CreateDefinitionRequest ["definitionId", "name", "nodes", "edges", "description", "scope", "groups", "triggers", "tags", "custom", "organizationId", "documentId", "webhookConfig"] Normal write;
        update_definition => update_definition "updateDefinition" "/workflow/definitions/update" UpdateDefinitionRequest ["definitionId", "name", "nodes", "edges", "ifVersion", "description", "scope", "groups", "triggers", "tags", "custom", "organizationId", "documentId", "webhookConfig"] Normal write;
        delete_definition => delete_definition "deleteDefinition" "/workflow/definitions/delete" DeleteDefinitionRequest ["definitionId", "purge", "organizationId", "documentId"] Normal write;
        get_definition => get_definition "getDefinition" "/workflow/definitions/get" GetDefinitionRequest ["definitionId", "organizationId", "documentId"] Normal read;
        list_definitions => list_definitions "listDefinitions" "/workflow/definitions/list" ListDefinitionsRequest ["pageSize", "cursor", "organizationId", "documentId"] Normal read;
        dispatch_execution => dispatch_execution "dispatchExecution" "/workflow/executions/dispatch" DispatchExecutionRequest ["definitionId", "idempotencyKey", "triggerContext", "correlationId", "organizationId", "documentId", "folderId", "webhookUrl", "webhookSecret"] Normal write;
        cancel_execution => cancel_execution "cancelExecution" "/workflow/executions/cancel" CancelExecutionRequest ["executionId", "reason"] Normal write;
        get_execution => get_execution "getExecution" "/workflow/executions/get" GetExecutionRequest ["executionId"] Normal read;
        get_execution_events => get_execution_events "getExecutionEvents" "/workflow/executions/getEvents" GetExecutionEventsRequest ["executionId", "sinceSeq", "pageSize"] Normal read;
        list_executions => list_executions "listExecutions" "/workflow/executions/list" ListExecutionsRequest ["definitionId", "status", "pageSize", "cursor"] Normal read;
        cancel_step => cancel_step "cancelStep" "/workflow/steps/cancel" CancelStepRequest ["executionId", "stepId", "actorId", "reason"] Normal write;
        resolve_step => resolve_step "resolveStep" "/workflow/steps/resolve" ResolveStepRequest ["executionId", "stepId", "action", "actorId", "output", "reason"] Normal write;
        record_agent_resolution => record_agent_resolution "recordAgentResolution" "/workflow/steps/recordAgentResolution" RecordAgentResolutionRequest ["executionId", "stepId", "responseId", "resolution", "actorId", "reason"] Normal write;
        record_reviewer_decision => record_reviewer_decision "recordReviewerDecision" "/workflow/steps/recordReviewerDecision" RecordReviewerDecisionRequest ["executionId", "stepId", "reviewerId", "decision", "reason"] Normal write;
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
        get_api_key_config => get_api_key_config "getApiKeyConfig" "/workspace/apikeyconfig/get" GetApiKeyMetadataRequest [] Workspace read;
        get_requested_domains => get_requested_domains "getRequestedDomains" "/workspace/requested/domains/get" GetRequestedDomainsRequest [] Workspace read;
        create_domain_request => create_domain_request "createDomainRequest" "/workspace/domains/request" CreateDomainRequestRequest ["domain", "clientDocumentId", "organizationId"] Workspace write;
        accept_reject_additional_url_request => accept_reject_additional_url_request "acceptRejectAdditionalUrlRequest" "/workspace/additional-url-request" AcceptRejectAdditionalUrlRequestRequest ["action", "id", "clientDocId"] Workspace write;
        copy_api_key => copy_api_key "copyApiKey" "/workspace/apikey/copy" CopyApiKeyRequest ["sourceApiKey", "targetApiKey"] WorkspaceAuth write;
        update_api_key_metadata => update_api_key_metadata "updateApiKeyMetadata" "/workspace/apikeyconfig/update" UpdateApiKeyMetadataRequest ["enablePrivateComments", "requireJwtToken", "requireAutoOrgUser", "defaultDocumentAccessType", "aiModelApiKey"] Workspace write;
        get_notification_config => get_notification_config "getNotificationConfig" "/workspace/notificationconfig/get" GetWorkspaceNotificationConfigRequest [] Workspace read;
        update_notification_config => update_notification_config "updateNotificationConfig" "/workspace/notificationconfig/update" UpdateNotificationConfigRequest ["useNotificationService", "notificationServiceConfig"] Workspace write;
        get_permission_provider_config => get_permission_provider_config "getPermissionProviderConfig" "/workspace/permissionproviderconfig/get" GetPermissionProviderConfigRequest [] Workspace read;
        update_permission_provider_config => update_permission_provider_config "updatePermissionProviderConfig" "/workspace/permissionproviderconfig/update" UpdatePermissionProviderConfigRequest ["usePermissionProvider", "permissionProviderConfig"] Workspace write;
        get_activity_config => get_activity_config "getActivityConfig" "/workspace/activityconfig/get" GetActivityConfigRequest [] Workspace read;
        update_activity_config => update_activity_config "updateActivityConfig" "/workspace/activityconfig/update" UpdateActivityConfigRequest ["activityServiceConfig"] Workspace write;
        get_advanced_webhook_config => get_advanced_webhook_config "getAdvancedWebhookConfig" "/workspace/advancedwebhookconfig/get" GetAdvancedWebhookConfigRequest [] Workspace read;
        update_advanced_webhook_config => update_advanced_webhook_config "updateAdvancedWebhookConfig" "/workspace/advancedwebhookconfig/update" UpdateAdvancedWebhookConfigRequest ["isEnabled", "encryptData", "encodeData", "publicKey", "enableDataProtection"] Workspace write;
        get_advanced_webhook_endpoints => get_advanced_webhook_endpoints "getAdvancedWebhookEndpoints" "/workspace/advancedwebhook/endpoints/get" GetAdvancedWebhookEndpointsRequest ["limit", "iterator"] Workspace read;
        create_advanced_webhook_endpoint => create_advanced_webhook_endpoint "createAdvancedWebhookEndpoint" "/workspace/advancedwebhook/endpoints/create" CreateAdvancedWebhookEndpointRequest ["url", "description", "filterTypes", "channels", "disabled", "rateLimit", "uid", "metadata"] Workspace write;
        update_advanced_webhook_endpoint => update_advanced_webhook_endpoint "updateAdvancedWebhookEndpoint" "/workspace/advancedwebhook/endpoints/update" UpdateAdvancedWebhookEndpointRequest ["endpointId", "url", "description", "filterTypes", "channels", "disabled", "rateLimit", "metadata"] Workspace write;
        delete_advanced_webhook_endpoint => delete_advanced_webhook_endpoint "deleteAdvancedWebhookEndpoint" "/workspace/advancedwebhook/endpoints/delete" DeleteAdvancedWebhookEndpointRequest ["endpointId"] Workspace write;
        get_advanced_webhook_endpoint_secret => get_advanced_webhook_endpoint_secret "getAdvancedWebhookEndpointSecret" "/workspace/advancedwebhook/endpoints/secret/get" GetAdvancedWebhookEndpointSecretRequest ["endpointId"] Workspace read;
        ensure_workspace_auth_token => ensure_workspace_auth_token "ensureWorkspaceAuthToken" "/workspace/authtoken/ensure" EnsureWorkspaceAuthTokenRequest [] WorkspaceAuth write;
    }
    token "token" TokenService {
        get_token_raw => get_token "getToken" "/auth/token/get" GetTokenRequest ["userId", "userProperties", "permissions"] Normal read
            deprecated "velt-py 0.3.0 deprecates getToken; mint tokens with accessControl.generateToken (POST /v2/auth/generate_token; Rust: `access_control().generate_token`, CLI: `velt api accessControl generateToken`)";
    }
}
