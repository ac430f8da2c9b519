//! Request types of the `memory` service (velt-py `sdk.api.memory`), added in velt-py 0.3.0.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Request of `memory.search` (search).
///
/// velt-py: `sdk.api.memory.search(MemorySearchRequest(...))`, `POST /v2/memory/search`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    /// Search query.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// `embeddingType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding_type: Option<String>,
    /// `scope`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Maximum number of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Filters. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
    /// `recencyDays`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recency_days: Option<i64>,
}

/// Request of `memory.queryJudgments` (query judgments).
///
/// velt-py: `sdk.api.memory.queryJudgments(QueryJudgmentsRequest(...))`, `POST /v2/memory/judgments/query`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryJudgmentsRequest {
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// `decision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// `judgeType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_type: Option<String>,
    /// `contentType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `reviewerId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_id: Option<String>,
    /// `annotationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// Maximum number of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// Request of `memory.suggest` (suggest).
///
/// velt-py: `sdk.api.memory.suggest(MemorySuggestRequest(...))`, `POST /v2/memory/suggest`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestRequest {
    /// Search query.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `memory.ask` (ask).
///
/// velt-py: `sdk.api.memory.ask(MemoryAskRequest(...))`, `POST /v2/memory/ask`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AskRequest {
    /// `question`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Filters. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
    /// `recencyDays`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recency_days: Option<i64>,
}

/// Request of `memory.getReviewerProfile` (get reviewer profile).
///
/// velt-py: `sdk.api.memory.getReviewerProfile(GetReviewerProfileRequest(...))`, `POST /v2/memory/profiles/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetReviewerProfileRequest {
    /// `targetUserId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user_id: Option<String>,
}

/// Request of `memory.getPatterns` (get patterns).
///
/// velt-py: `sdk.api.memory.getPatterns(GetPatternsRequest(...))`, `POST /v2/memory/patterns/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetPatternsRequest {}

/// Request of `memory.getStats` (get stats).
///
/// velt-py: `sdk.api.memory.getStats(GetStatsRequest(...))`, `POST /v2/memory/stats/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetStatsRequest {}

/// Request of `memory.ingestKnowledge` (ingest knowledge).
///
/// velt-py: `sdk.api.memory.ingestKnowledge(IngestKnowledgeRequest(...))`, `POST /v2/memory/knowledge/ingest`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestKnowledgeRequest {
    /// `source`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `file`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Value>,
    /// `fileRef`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_ref: Option<String>,
    /// `mimeType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `memory.getUploadUrl` (get upload url).
///
/// velt-py: `sdk.api.memory.getUploadUrl(GetUploadUrlRequest(...))`, `POST /v2/memory/knowledge/upload-url`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetUploadUrlRequest {
    /// `mimeType`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// `fileSize`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<i64>,
    /// `fileName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `memory.getIngestStatus` (get ingest status).
///
/// velt-py: `sdk.api.memory.getIngestStatus(GetIngestStatusRequest(...))`, `POST /v2/memory/knowledge/ingest-status`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetIngestStatusRequest {
    /// The knowledge source id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// Request of `memory.updateKnowledge` (update knowledge).
///
/// velt-py: `sdk.api.memory.updateKnowledge(UpdateKnowledgeRequest(...))`, `POST /v2/memory/knowledge/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateKnowledgeRequest {
    /// The knowledge source id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// `newContent`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_content: Option<String>,
}

/// Request of `memory.deleteKnowledge` (delete knowledge).
///
/// velt-py: `sdk.api.memory.deleteKnowledge(DeleteKnowledgeRequest(...))`, `POST /v2/memory/knowledge/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteKnowledgeRequest {
    /// The knowledge source id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// Request of `memory.searchKnowledge` (search knowledge).
///
/// velt-py: `sdk.api.memory.searchKnowledge(SearchKnowledgeRequest(...))`, `POST /v2/memory/knowledge/search`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchKnowledgeRequest {
    /// Search query.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The knowledge source id. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<Value>,
    /// Maximum number of results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `includeRules`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_rules: Option<bool>,
}

/// Request of `memory.listKnowledgeSources` (list knowledge sources).
///
/// velt-py: `sdk.api.memory.listKnowledgeSources(ListKnowledgeSourcesRequest(...))`, `POST /v2/memory/knowledge/list`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListKnowledgeSourcesRequest {}

/// Request of `memory.downloadCanonicalMarkdown` (download canonical markdown).
///
/// velt-py: `sdk.api.memory.downloadCanonicalMarkdown(DownloadCanonicalMarkdownRequest(...))`, `POST /v2/memory/knowledge/download`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadCanonicalMarkdownRequest {
    /// The knowledge source id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// Request of `memory.listExtractedRules` (list extracted rules).
///
/// velt-py: `sdk.api.memory.listExtractedRules(ListExtractedRulesRequest(...))`, `POST /v2/memory/knowledge/rules`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListExtractedRulesRequest {
    /// The knowledge source id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// Request of `memory.listAlerts` (list alerts).
///
/// velt-py: `sdk.api.memory.listAlerts(ListAlertsRequest(...))`, `POST /v2/memory/alerts/list`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAlertsRequest {}

/// Request of `memory.dismissAlert` (dismiss alert).
///
/// velt-py: `sdk.api.memory.dismissAlert(DismissAlertRequest(...))`, `POST /v2/memory/alerts/dismiss`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DismissAlertRequest {
    /// The alert id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<String>,
}

/// Request of `memory.markAlertActioned` (mark alert actioned).
///
/// velt-py: `sdk.api.memory.markAlertActioned(MarkAlertActionedRequest(...))`, `POST /v2/memory/alerts/action`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkAlertActionedRequest {
    /// The alert id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<String>,
}

/// Request of `memory.updateAlertConfig` (update alert config).
///
/// velt-py: `sdk.api.memory.updateAlertConfig(UpdateAlertConfigRequest(...))`, `POST /v2/memory/alerts/config/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAlertConfigRequest {
    /// `config`. Free-form JSON, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
}

/// Request of `memory.getAlertConfig` (get alert config).
///
/// velt-py: `sdk.api.memory.getAlertConfig(GetAlertConfigRequest(...))`, `POST /v2/memory/alerts/config/get`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAlertConfigRequest {}

/// Request of `memory.triggerConsolidation` (trigger consolidation).
///
/// velt-py: `sdk.api.memory.triggerConsolidation(TriggerConsolidationRequest(...))`, `POST /v2/memory/consolidation/trigger`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerConsolidationRequest {
    /// Run even when not needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Request of `memory.seedActiveApiKeys` (seed active api keys).
///
/// velt-py: `sdk.api.memory.seedActiveApiKeys(SeedActiveApiKeysRequest(...))`, `POST /v2/memory/consolidation/seed-active-api-keys`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedActiveApiKeysRequest {}

/// Request of `memory.backfillJudgments` (backfill judgments).
///
/// velt-py: `sdk.api.memory.backfillJudgments(BackfillJudgmentsRequest(...))`, `POST /v2/memory/backfill/judgments`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackfillJudgmentsRequest {
    /// `storeDbId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_db_id: Option<String>,
    /// `resumeFrom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_from: Option<String>,
    /// `batchSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
    /// `timestampLowerBoundMs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_lower_bound_ms: Option<i64>,
    /// `timestampUpperBoundMs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_upper_bound_ms: Option<i64>,
    /// Run even when not needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
    /// `allApiKeysInStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_api_keys_in_store: Option<bool>,
    /// `migrateOldSdk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate_old_sdk: Option<bool>,
}
