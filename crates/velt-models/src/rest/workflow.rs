//! Request types of the `workflow` service (velt-py `sdk.api.workflow`), added in velt-py 0.3.0.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Request of `workflow.createDefinition` (create definition).
///
/// velt-py: `sdk.api.workflow.createDefinition(CreateWorkflowDefinitionRequest(...))`, `POST /v2/workflow/definitions/create`.
///
/// Added in velt-py 0.3.0.
///
/// velt-py's deprecated `loops` field is not here: velt-py never sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDefinitionRequest {
    /// The workflow definition id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// Name.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `nodes`. Items are free-form JSON objects, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<Value>>,
    /// `edges`. Items are free-form JSON objects, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<Value>>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `scope`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Value>,
    /// `groups`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Value>>,
    /// `triggers`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers: Option<Vec<Value>>,
    /// `tags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// `custom`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// `webhookConfig`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_config: Option<Value>,
}

/// Request of `workflow.updateDefinition` (update definition).
///
/// velt-py: `sdk.api.workflow.updateDefinition(UpdateWorkflowDefinitionRequest(...))`, `POST /v2/workflow/definitions/update`.
///
/// Added in velt-py 0.3.0.
///
/// velt-py's deprecated `loops` field is not here: velt-py never sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDefinitionRequest {
    /// The workflow definition id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// Name.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `nodes`. Items are free-form JSON objects, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<Value>>,
    /// `edges`. Items are free-form JSON objects, sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<Value>>,
    /// `ifVersion`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_version: Option<i64>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `scope`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Value>,
    /// `groups`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Value>>,
    /// `triggers`. Items are free-form JSON objects, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers: Option<Vec<Value>>,
    /// `tags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// `custom`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// `webhookConfig`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_config: Option<Value>,
}

/// Request of `workflow.deleteDefinition` (delete definition).
///
/// velt-py: `sdk.api.workflow.deleteDefinition(DeleteWorkflowDefinitionRequest(...))`, `POST /v2/workflow/definitions/delete`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDefinitionRequest {
    /// The workflow definition id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// `purge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge: Option<bool>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `workflow.getDefinition` (get definition).
///
/// velt-py: `sdk.api.workflow.getDefinition(GetWorkflowDefinitionRequest(...))`, `POST /v2/workflow/definitions/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDefinitionRequest {
    /// The workflow definition id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `workflow.listDefinitions` (list definitions).
///
/// velt-py: `sdk.api.workflow.listDefinitions(ListWorkflowDefinitionsRequest(...))`, `POST /v2/workflow/definitions/list`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDefinitionsRequest {
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Cursor of the page to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<i64>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// Request of `workflow.dispatchExecution` (dispatch execution).
///
/// velt-py: `sdk.api.workflow.dispatchExecution(DispatchExecutionRequest(...))`, `POST /v2/workflow/executions/dispatch`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchExecutionRequest {
    /// The workflow definition id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// `idempotencyKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// `triggerContext`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_context: Option<Value>,
    /// `correlationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// `webhookUrl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `webhookSecret`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

/// Request of `workflow.cancelExecution` (cancel execution).
///
/// velt-py: `sdk.api.workflow.cancelExecution(CancelExecutionRequest(...))`, `POST /v2/workflow/executions/cancel`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelExecutionRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// Reason, recorded with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Request of `workflow.getExecution` (get execution).
///
/// velt-py: `sdk.api.workflow.getExecution(GetExecutionRequest(...))`, `POST /v2/workflow/executions/get`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetExecutionRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
}

/// Request of `workflow.getExecutionEvents` (get execution events).
///
/// velt-py: `sdk.api.workflow.getExecutionEvents(GetExecutionEventsRequest(...))`, `POST /v2/workflow/executions/getEvents`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetExecutionEventsRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// `sinceSeq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_seq: Option<i64>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// Request of `workflow.listExecutions` (list executions).
///
/// velt-py: `sdk.api.workflow.listExecutions(ListExecutionsRequest(...))`, `POST /v2/workflow/executions/list`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListExecutionsRequest {
    /// The workflow definition id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Cursor of the page to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// Request of `workflow.cancelStep` (cancel step).
///
/// velt-py: `sdk.api.workflow.cancelStep(CancelStepRequest(...))`, `POST /v2/workflow/steps/cancel`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelStepRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// The step id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// Id of the user acting.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// Reason, recorded with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Request of `workflow.resolveStep` (resolve step).
///
/// velt-py: `sdk.api.workflow.resolveStep(ResolveStepRequest(...))`, `POST /v2/workflow/steps/resolve`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveStepRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// The step id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// `action`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Id of the user acting.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// `output`. Free-form JSON, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// Reason, recorded with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Request of `workflow.recordAgentResolution` (record agent resolution).
///
/// velt-py: `sdk.api.workflow.recordAgentResolution(RecordAgentResolutionRequest(...))`, `POST /v2/workflow/steps/recordAgentResolution`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordAgentResolutionRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// The step id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// `responseId`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<String>,
    /// `resolution`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Id of the user acting.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// Reason, recorded with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Request of `workflow.recordReviewerDecision` (record reviewer decision).
///
/// velt-py: `sdk.api.workflow.recordReviewerDecision(RecordReviewerDecisionRequest(...))`, `POST /v2/workflow/steps/recordReviewerDecision`.
///
/// Added in velt-py 0.3.0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordReviewerDecisionRequest {
    /// The execution id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// The step id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// `reviewerId`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_id: Option<String>,
    /// `decision`.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Reason, recorded with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
