//! Request types of the `agents` service (velt-py `sdk.api.agents`), added in velt-py 0.3.0.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Request of `agents.createAgent` (create agent).
///
/// velt-py: `sdk.api.agents.createAgent(CreateAgentRequest(...))`, `POST /v2/agents/create`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAgentRequest {
    /// Name.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `rawInstructions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_instructions: Option<String>,
    /// `instructions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Whether it is enabled.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Free-form metadata. Sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// `contextGathering`. Free-form JSON, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_gathering: Option<Value>,
    /// `execution`. Free-form JSON, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<Value>,
    /// `response`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// `postProcess`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_process: Option<Value>,
    /// `input`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// `scope`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Value>,
    /// `setup`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<Value>,
}

/// Request of `agents.getAgent` (get agent).
///
/// velt-py: `sdk.api.agents.getAgent(GetAgentRequest(...))`, `POST /v2/agents/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAgentRequest {
    /// The agent id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// `filter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The agent group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

/// Request of `agents.updateAgent` (update agent).
///
/// velt-py: `sdk.api.agents.updateAgent(UpdateAgentRequest(...))`, `POST /v2/agents/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAgentRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Request of `agents.updateAgentVersion` (update agent version).
///
/// velt-py: `sdk.api.agents.updateAgentVersion(UpdateAgentVersionRequest(...))`, `POST /v2/agents/version/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAgentVersionRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// `rawInstructions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_instructions: Option<String>,
    /// `instructions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// `phaseTimeoutMs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase_timeout_ms: Option<i64>,
    /// `contextGathering`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_gathering: Option<Value>,
    /// `execution`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<Value>,
    /// `response`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// `postProcess`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_process: Option<Value>,
    /// `input`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// `scope`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Value>,
    /// `setup`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<Value>,
}

/// Request of `agents.deleteAgent` (delete agent).
///
/// velt-py: `sdk.api.agents.deleteAgent(DeleteAgentRequest(...))`, `POST /v2/agents/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAgentRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// Request of `agents.listAgentVersions` (list agent versions).
///
/// velt-py: `sdk.api.agents.listAgentVersions(ListAgentVersionsRequest(...))`, `POST /v2/agents/versions/list`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAgentVersionsRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// Request of `agents.restoreAgentVersion` (restore agent version).
///
/// velt-py: `sdk.api.agents.restoreAgentVersion(RestoreAgentVersionRequest(...))`, `POST /v2/agents/versions/restore`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreAgentVersionRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// Request of `agents.getAgentAnalytics` (get agent analytics).
///
/// velt-py: `sdk.api.agents.getAgentAnalytics(GetAgentAnalyticsRequest(...))`, `POST /v2/agents/analytics/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAgentAnalyticsRequest {
    /// The agent id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    /// `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// Request of `agents.runAgentExecution` (run agent execution).
///
/// velt-py: `sdk.api.agents.runAgentExecution(RunAgentExecutionRequest(...))`, `POST /v2/agents/execution/run`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunAgentExecutionRequest {
    /// The agent id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// `url`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `crossPageExecute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_page_execute: Option<bool>,
    /// `maxUrlsToProcess`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_urls_to_process: Option<i64>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// `trigger`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// `workflowExecutionId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_execution_id: Option<String>,
    /// `ranBy`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ran_by: Option<Value>,
    /// `userContext`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context: Option<Value>,
    /// `deviceType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    /// `annotationVisibility`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_visibility: Option<String>,
    /// `aiConfig`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_config: Option<Value>,
}

/// Request of `agents.getAgentExecution` (get agent execution).
///
/// velt-py: `sdk.api.agents.getAgentExecution(GetAgentExecutionRequest(...))`, `POST /v2/agents/execution/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAgentExecutionRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// `includeResults`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_results: Option<bool>,
}

/// Request of `agents.listAgentExecutions` (list agent executions).
///
/// velt-py: `sdk.api.agents.listAgentExecutions(ListAgentExecutionsRequest(...))`, `POST /v2/agents/execution/list`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAgentExecutionsRequest {
    /// The agent id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to read (`nextPageToken` of the previous response).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

/// Request of `agents.countAgentExecutions` (count agent executions).
///
/// velt-py: `sdk.api.agents.countAgentExecutions(CountAgentExecutionsRequest(...))`, `POST /v2/agents/execution/count`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountAgentExecutionsRequest {
    /// Agent ids. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_ids: Option<Value>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// Request of `agents.enhancePrompt` (enhance prompt).
///
/// velt-py: `sdk.api.agents.enhancePrompt(EnhancePromptRequest(...))`, `POST /v2/agents/prompt/enhance`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnhancePromptRequest {
    /// `prompt`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// AI provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `userContextFields`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_fields: Option<Vec<Value>>,
}

/// Request of `agents.validatePrompt` (validate prompt).
///
/// velt-py: `sdk.api.agents.validatePrompt(ValidatePromptRequest(...))`, `POST /v2/agents/prompt/validate`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatePromptRequest {
    /// `prompt`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// AI provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `userContextFields`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_context_fields: Option<Vec<Value>>,
}

/// Request of `agents.refinePrompt` (refine prompt).
///
/// velt-py: `sdk.api.agents.refinePrompt(RefinePromptRequest(...))`, `POST /v2/agents/prompt/refine`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefinePromptRequest {
    /// `analysisPrompt`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_prompt: Option<String>,
    /// `demoFeedback`. Items are free-form JSON objects, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_feedback: Option<Vec<Value>>,
    /// AI provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

/// Request of `agents.resolveConfig` (resolve config).
///
/// velt-py: `sdk.api.agents.resolveConfig(ResolveConfigRequest(...))`, `POST /v2/agents/config/resolve`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveConfigRequest {
    /// `instructions`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// `rawInstructions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_instructions: Option<String>,
    /// AI provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

/// Request of `agents.extractAgents` (extract agents).
///
/// velt-py: `sdk.api.agents.extractAgents(ExtractAgentsRequest(...))`, `POST /v2/agents/extract`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractAgentsRequest {
    /// `fileBase64`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_base64: Option<String>,
    /// `mimeType`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// AI provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `fileName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// Request of `agents.createAgentGroup` (create agent group).
///
/// velt-py: `sdk.api.agents.createAgentGroup(CreateAgentGroupRequest(...))`, `POST /v2/agents/groups/create`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAgentGroupRequest {
    /// Name.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Agent ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_ids: Option<Vec<String>>,
    /// Free-form metadata. Sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// Request of `agents.getAgentGroup` (get agent group).
///
/// velt-py: `sdk.api.agents.getAgentGroup(GetAgentGroupRequest(...))`, `POST /v2/agents/groups/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAgentGroupRequest {
    /// The agent group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

/// Request of `agents.listAgentGroups` (list agent groups).
///
/// velt-py: `sdk.api.agents.listAgentGroups(ListAgentGroupsRequest(...))`, `POST /v2/agents/groups/list`.
///
/// Added in velt-py 0.3.0.
///
/// Has no fields: the body is `{"data": {}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAgentGroupsRequest {}

/// Request of `agents.updateAgentGroup` (update agent group).
///
/// velt-py: `sdk.api.agents.updateAgentGroup(UpdateAgentGroupRequest(...))`, `POST /v2/agents/groups/update`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAgentGroupRequest {
    /// The agent group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Request of `agents.deleteAgentGroup` (delete agent group).
///
/// velt-py: `sdk.api.agents.deleteAgentGroup(DeleteAgentGroupRequest(...))`, `POST /v2/agents/groups/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAgentGroupRequest {
    /// The agent group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

/// Request of `agents.addAgentsToGroup` (add agents to group).
///
/// velt-py: `sdk.api.agents.addAgentsToGroup(AddAgentsToGroupRequest(...))`, `POST /v2/agents/groups/add-agents`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddAgentsToGroupRequest {
    /// The agent group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Agent ids.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_ids: Option<Vec<String>>,
}

/// Request of `agents.removeAgentsFromGroup` (remove agents from group).
///
/// velt-py: `sdk.api.agents.removeAgentsFromGroup(RemoveAgentsFromGroupRequest(...))`, `POST /v2/agents/groups/remove-agents`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveAgentsFromGroupRequest {
    /// The agent group id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Agent ids.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_ids: Option<Vec<String>>,
}
