//! Request types of the `commentAnnotations` service (velt-py `sdk.api.commentAnnotations`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Creates comment annotations on a document.
///
/// velt-py: `sdk.api.commentAnnotations.addCommentAnnotations(AddCommentAnnotationsRequest(...))`, `POST /v2/commentannotations/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddCommentAnnotationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Comment annotations to create, one JSON object each (sent verbatim).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_annotations: Option<Vec<Value>>,
    /// Check that the user may access the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_user_permissions: Option<bool>,
    /// Create the document when it does not exist.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_document: Option<bool>,
    /// Create the organization when it does not exist.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
}

/// Lists comment annotations.
///
/// velt-py: `sdk.api.commentAnnotations.getCommentAnnotations(GetCommentAnnotationsRequest(...))`, `POST /v2/commentannotations/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCommentAnnotationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Document ids (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// Group the results by document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by_document_id: Option<bool>,
    /// Location ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_ids: Option<Vec<String>>,
    /// The folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Annotation ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_ids: Option<Vec<String>>,
    /// User ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Only annotations with one of these statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_ids: Option<Vec<String>>,
    /// Only items updated after this time (epoch milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_after: Option<i64>,
    /// Only items updated before this time (epoch milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_before: Option<i64>,
    /// Only items created after this time (epoch milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_after: Option<i64>,
    /// Only items created before this time (epoch milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_before: Option<i64>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// Token of the page to fetch, from the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Sort order by time: `asc` or `desc`.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Only annotations with this status.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_id: Option<String>,
    /// Only annotations resolved by this user.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// Only annotations that mention one of these users.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_user_ids: Option<Vec<String>>,
    /// Include annotation metadata in the response.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_metadata: Option<bool>,
    /// Include page information in the response.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_page_info: Option<bool>,
    /// Only annotations from this agent.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Only annotations from this agent execution.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// Only annotations with this agent type.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    /// Only annotations with this agent source.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_source: Option<String>,
    /// Only agent suggestions that were not yet accepted.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_suggestions: Option<bool>,
    /// Return every agent comment, whatever its status.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_comments: Option<bool>,
}

/// Counts comment annotations per document.
///
/// velt-py: `sdk.api.commentAnnotations.getCommentAnnotationsCount(GetCommentAnnotationsCountRequest(...))`, `POST /v2/commentannotations/count/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCommentAnnotationsCountRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Document ids (at most 30).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_ids: Option<Vec<String>>,
    /// The user asking for the counts.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only annotations with one of these statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_ids: Option<Vec<String>>,
}

/// Changes every matching comment annotation.
///
/// velt-py: `sdk.api.commentAnnotations.updateCommentAnnotations(UpdateCommentAnnotationsRequest(...))`, `POST /v2/commentannotations/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCommentAnnotationsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Location ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_ids: Option<Vec<String>>,
    /// User ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Annotation ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_ids: Option<Vec<String>>,
    /// Fields to change on every matching annotation, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_data: Option<Value>,
    /// Old-user to new-user mappings, sent verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_users: Option<Vec<Value>>,
}

/// Deletes comment annotations.
///
/// velt-py: `sdk.api.commentAnnotations.deleteCommentAnnotations(DeleteCommentAnnotationsRequest(...))`, `POST /v2/commentannotations/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCommentAnnotationsRequest {
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Location ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_ids: Option<Vec<String>>,
    /// Annotation ids to match (at most 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_ids: Option<Vec<String>>,
    /// User ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Only agent suggestions that were not yet accepted.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_suggestions: Option<bool>,
    /// Only annotations from this agent.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Page URLs; matches annotations on any of these pages.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_urls: Option<Vec<String>>,
}

/// Adds comments to an annotation.
///
/// velt-py: `sdk.api.commentAnnotations.addComments(AddCommentsRequest(...))`, `POST /v2/commentannotations/comments/add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddCommentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The comment annotation (thread) id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// Comments to add, one JSON object each (sent verbatim).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_data: Option<Vec<Value>>,
    /// Alternative to `comment_data`: comments to add, one JSON object each.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<Value>>,
    /// Create the organization when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organization: Option<bool>,
    /// Create the document when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_document: Option<bool>,
    /// Check that the user may access the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_user_permissions: Option<bool>,
}

/// Lists the comments of an annotation.
///
/// velt-py: `sdk.api.commentAnnotations.getComments(GetCommentsRequest(...))`, `POST /v2/commentannotations/comments/get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCommentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The comment annotation (thread) id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// Only comments by these users.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Only these comments (numeric ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_ids: Option<Vec<i64>>,
}

/// Changes comments of an annotation.
///
/// velt-py: `sdk.api.commentAnnotations.updateComments(UpdateCommentsRequest(...))`, `POST /v2/commentannotations/comments/update`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCommentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The comment annotation (thread) id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// Comments to change (numeric ids); every comment of the thread when unset.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_ids: Option<Vec<i64>>,
    /// User ids.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
    /// Send the completion notification (top level, not inside `updated_data`).
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_notification: Option<bool>,
    /// Fields to change on the matching comments (whole-value replace), sent verbatim.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_data: Option<Value>,
}

/// Deletes comments of an annotation.
///
/// velt-py: `sdk.api.commentAnnotations.deleteComments(DeleteCommentsRequest(...))`, `POST /v2/commentannotations/comments/delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCommentsRequest {
    /// The organization id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The document id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The comment annotation (thread) id.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<String>,
    /// Comments to delete (numeric ids); every comment of the thread when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_ids: Option<Vec<i64>>,
    /// User ids.
    ///
    /// Added in velt-py 0.3.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_ids: Option<Vec<String>>,
}
