//! Velt webhook events: the event types of Velt's basic and advanced
//! webhooks, their payloads, and the encoded / encrypted envelopes.
//!
//! Velt sends two kinds of webhook (docs.velt.dev `webhooks/basic` and
//! `webhooks/advanced`):
//!
//! - **advanced** (Standard Webhooks, signed): `{"event": "comment.add",
//!   "actionType": "add", "source": "comment", "webhookId": "…", "data": {…}}`;
//! - **basic** (`Authorization: Basic <token>`): a flat object keyed by
//!   `actionType` and `notificationSource` (`{"actionType": "newlyAdded",
//!   "notificationSource": "comment", "commentAnnotation": {…}, …}`).
//!
//! [`Event::from_json`] reads both into one typed [`Event`]. Every event type
//! of Velt's docs is an [`EventKind`] (declared once, in one table, with its
//! advanced name, its source and its basic `actionType`); any other event is
//! [`EventType::Unknown`] and its data stays raw JSON, so a new event type
//! never fails to parse. Every payload struct keeps unknown fields in a
//! flattened `extra` map and [`Event::raw`] keeps the whole body, so nothing
//! is dropped.
//!
//! ```
//! use velt_models::webhooks::{Event, EventData, EventKind, EventType};
//!
//! let body = br#"{"event":"comment.add","actionType":"add","source":"comment",
//!   "webhookId":"wh-1","data":{"commentAnnotation":{"annotationId":"a-1"}}}"#;
//! let event = Event::from_json(body).unwrap();
//! assert_eq!(event.kind, EventType::Known(EventKind::CommentAdd));
//! let EventData::Comment(data) = &event.data else { panic!() };
//! assert_eq!(data.comment_annotation.as_ref().unwrap().annotation_id.as_deref(), Some("a-1"));
//!
//! // A type Velt adds tomorrow still parses, with its data kept as-is.
//! let new = Event::from_json(br#"{"event":"poll.vote","data":{"x":1}}"#).unwrap();
//! assert_eq!(new.kind, EventType::Unknown("poll.vote".into()));
//! assert_eq!(new.data, EventData::Unknown(serde_json::json!({"x": 1})));
//! ```

mod payloads;

pub use payloads::{
    CommentAnnotationRef, CommentPayload, CrdtData, CrdtPayload, EncodedPayload, EncryptedPayload,
    HuddlePayload, RecorderAsset, RecorderPayload, RecorderTranscription, TranscriptSegment,
    Visibility, WebhookComment, WebhookMetadata, WebhookUser, WorkflowPayload,
};

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// The feature an event comes from (`source` in advanced webhooks,
/// `notificationSource` in basic ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventSource {
    /// Comment threads and comments.
    Comment,
    /// Huddles.
    Huddle,
    /// CRDT (multiplayer editing) data.
    Crdt,
    /// Recordings.
    Recorder,
    /// Review Workflow Builder executions.
    Workflow,
}

impl EventSource {
    /// The wire name (`comment`, `huddle`, `crdt`, `recorder`, `workflow`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Comment => "comment",
            EventSource::Huddle => "huddle",
            EventSource::Crdt => "crdt",
            EventSource::Recorder => "recorder",
            EventSource::Workflow => "workflow",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            EventSource::Comment,
            EventSource::Huddle,
            EventSource::Crdt,
            EventSource::Recorder,
            EventSource::Workflow,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// Declares [`EventKind`] and everything derived from it from one table:
/// variant, advanced (`event`) name, source, basic (`actionType`) name, doc.
macro_rules! webhook_events {
    ($( $variant:ident = $name:literal, $source:ident, $basic:expr, $doc:literal; )*) => {
        /// Every event type in Velt's webhook docs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EventKind {
            $( #[doc = $doc] $variant, )*
        }

        impl EventKind {
            /// Every known event type, in the order of Velt's docs.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),*];

            /// The advanced-webhook name (`comment.add`).
            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $name,)* }
            }

            /// The feature the event comes from.
            pub fn source(self) -> EventSource {
                match self { $(EventKind::$variant => EventSource::$source,)* }
            }

            /// The basic-webhook `actionType` of this event, if basic webhooks send it.
            pub fn basic_action_type(self) -> Option<&'static str> {
                match self { $(EventKind::$variant => $basic,)* }
            }

            /// What the event means, as Velt's docs say.
            pub fn description(self) -> &'static str {
                match self { $(EventKind::$variant => $doc,)* }
            }
        }
    };
}

webhook_events! {
    CommentAnnotationAdd = "comment_annotation.add", Comment, Some("newlyAdded"),
        "A new comment thread is created with its first comment.";
    CommentAnnotationAssign = "comment_annotation.assign", Comment, Some("assigned"),
        "A comment thread is assigned to a user.";
    CommentAnnotationStatusChange = "comment_annotation.status_change", Comment, Some("statusChanged"),
        "A comment thread's status changes (open, in progress, resolved).";
    CommentAnnotationPriorityChange = "comment_annotation.priority_change", Comment, Some("priorityChanged"),
        "A comment thread's priority changes.";
    CommentAnnotationCustomListChange = "comment_annotation.custom_list_change", Comment, None,
        "A custom list item is added to or changed on a comment thread.";
    CommentAnnotationAccessModeChange = "comment_annotation.access_mode_change", Comment, Some("accessModeChanged"),
        "A comment thread changes between private and public.";
    CommentAnnotationSubscribe = "comment_annotation.subscribe", Comment, Some("subscribed"),
        "A user subscribes to a comment thread.";
    CommentAnnotationUnsubscribe = "comment_annotation.unsubscribe", Comment, Some("unsubscribed"),
        "A user unsubscribes from a comment thread.";
    CommentAnnotationAccept = "comment_annotation.accept", Comment, Some("accepted"),
        "A moderator accepts a comment thread (Moderator Mode).";
    CommentAnnotationReject = "comment_annotation.reject", Comment, Some("rejected"),
        "A moderator rejects a comment thread (Moderator Mode).";
    CommentAnnotationApprove = "comment_annotation.approve", Comment, Some("approved"),
        "A moderator approves a comment thread (Moderator Mode).";
    CommentAnnotationSuggestionAccept = "comment_annotation.suggestion_accept", Comment, Some("suggestionAccepted"),
        "A suggestion is accepted (opt-in).";
    CommentAnnotationSuggestionReject = "comment_annotation.suggestion_reject", Comment, Some("suggestionRejected"),
        "A suggestion is rejected (opt-in).";
    CommentAdd = "comment.add", Comment, Some("added"),
        "A comment is added to an existing thread.";
    CommentUpdate = "comment.update", Comment, Some("updated"),
        "A comment's content or metadata changes.";
    CommentDelete = "comment.delete", Comment, Some("deleted"),
        "A comment is removed from a thread.";
    CommentReactionAdd = "comment.reaction_add", Comment, Some("reactionAdded"),
        "A user adds an emoji reaction to a comment.";
    CommentReactionDelete = "comment.reaction_delete", Comment, Some("reactionDeleted"),
        "A user removes an emoji reaction from a comment.";
    HuddleCreate = "huddle.create", Huddle, Some("created"),
        "A user creates a huddle.";
    HuddleJoin = "huddle.join", Huddle, Some("join"),
        "A user joins a huddle.";
    CrdtUpdateData = "crdt.update_data", Crdt, Some("updateData"),
        "CRDT data is updated (5-second debounce).";
    RecorderDone = "recorder.done", Recorder, None,
        "A recording finishes processing.";
    ExecutionDispatched = "execution.dispatched", Workflow, None,
        "A workflow execution is created and its first steps scheduled.";
    ExecutionCompleted = "execution.completed", Workflow, None,
        "A workflow execution completes with no unhandled failure.";
    ExecutionFailed = "execution.failed", Workflow, None,
        "A blocking workflow step fails or breaches without a recovery edge.";
    ExecutionCancelled = "execution.cancelled", Workflow, None,
        "A workflow execution is cancelled.";
    StepAwaitingApproval = "step.awaiting-approval", Workflow, None,
        "A workflow step starts waiting (human, agent or async webhook step).";
    StepCompleted = "step.completed", Workflow, None,
        "A workflow step completes.";
    StepFailed = "step.failed", Workflow, None,
        "A workflow step fails (retry budget exhausted).";
    StepBreached = "step.breached", Workflow, None,
        "A workflow step exceeds its SLA before completing.";
    StepCancelled = "step.cancelled", Workflow, None,
        "A workflow step is cancelled.";
    GroupQuorumMet = "group.quorum-met", Workflow, None,
        "A parallel group's approval threshold is first met.";
    LoopIterationStarted = "loop.iteration-started", Workflow, None,
        "A rejected iteration spawns the next one.";
    LoopExhausted = "loop.exhausted", Workflow, None,
        "A loop region reaches its iteration cap.";
}

impl EventKind {
    /// The kind with this advanced-webhook name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// The kind of a basic webhook, from its `notificationSource` and `actionType`.
    pub fn from_basic(source: &str, action_type: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.source().as_str() == source && k.basic_action_type() == Some(action_type))
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a received event: a known [`EventKind`] or a name this
/// version does not know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventType {
    /// One of the documented event types.
    Known(EventKind),
    /// Any other name (advanced: the `event` field; basic:
    /// `<notificationSource>.<actionType>`).
    Unknown(String),
}

impl EventType {
    /// The advanced-webhook name of the event.
    pub fn as_str(&self) -> &str {
        match self {
            EventType::Known(k) => k.as_str(),
            EventType::Unknown(s) => s,
        }
    }

    /// Parses an advanced-webhook name; never fails.
    pub fn parse(name: &str) -> Self {
        EventKind::from_name(name).map_or_else(|| EventType::Unknown(name.to_owned()), Self::Known)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which kind of webhook delivered the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookFormat {
    /// Advanced webhooks: `{event, actionType, source, webhookId, data}`.
    Advanced,
    /// Basic webhooks: a flat object with `actionType` and `notificationSource`.
    Basic,
}

/// The typed payload of an event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// `comment_annotation.*` and `comment.*`.
    Comment(Box<CommentPayload>),
    /// `huddle.*`.
    Huddle(Box<HuddlePayload>),
    /// `crdt.*`.
    Crdt(Box<CrdtPayload>),
    /// `recorder.*`.
    Recorder(Box<RecorderPayload>),
    /// Review Workflow Builder events.
    Workflow(Box<WorkflowPayload>),
    /// An event type this version does not know: its data as received.
    Unknown(Value),
}

/// A webhook event as received: its type, typed data and the original JSON.
///
/// It serialises back to exactly [`Event::raw`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event type.
    pub kind: EventType,
    /// Which kind of webhook carried it.
    pub format: WebhookFormat,
    /// Velt's `webhookId` field (not the `webhook-id` header).
    pub webhook_id: Option<String>,
    /// The `actionType` field (`add`, `newlyAdded`, …).
    pub action_type: Option<String>,
    /// `source` (advanced) or `notificationSource` (basic).
    pub source: Option<String>,
    /// The typed payload.
    pub data: EventData,
    /// The whole body as received.
    pub raw: Value,
}

/// Why a body is not a webhook event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The body is not JSON.
    #[error("the webhook body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The body is JSON but not an object.
    #[error("the webhook body is not a JSON object")]
    NotObject,
    /// Neither `event` (advanced) nor `actionType` + `notificationSource` (basic) is a string.
    #[error(
        "the webhook body has neither `event` nor `actionType` and `notificationSource` strings"
    )]
    NoEventType,
    /// The data of a known event type does not have the documented shape.
    #[error("the data of a `{kind}` event is malformed: {source}")]
    BadData {
        /// The event type.
        kind: EventKind,
        /// The field error.
        #[source]
        source: serde_json::Error,
    },
}

fn str_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl Event {
    /// Parses a webhook body (already decoded / decrypted) of either kind.
    pub fn from_json(body: &[u8]) -> Result<Self, EventError> {
        let value: Value = serde_json::from_slice(body).map_err(EventError::NotJson)?;
        Self::from_value(value)
    }

    /// Parses a webhook body already read as JSON.
    pub fn from_value(raw: Value) -> Result<Self, EventError> {
        let obj = raw.as_object().ok_or(EventError::NotObject)?;
        let action_type = str_field(obj, "actionType");
        let webhook_id = str_field(obj, "webhookId");
        let (kind, format, source, data) = if let Some(name) = str_field(obj, "event") {
            let data = obj.get("data").cloned().unwrap_or(Value::Null);
            (
                EventType::parse(&name),
                WebhookFormat::Advanced,
                str_field(obj, "source"),
                data,
            )
        } else if let (Some(src), Some(action)) =
            (str_field(obj, "notificationSource"), action_type.as_deref())
        {
            let kind = EventKind::from_basic(&src, action).map_or_else(
                || EventType::Unknown(format!("{src}.{action}")),
                EventType::Known,
            );
            (kind, WebhookFormat::Basic, Some(src), raw.clone())
        } else {
            return Err(EventError::NoEventType);
        };
        let data = typed_data(&kind, data)?;
        Ok(Event {
            kind,
            format,
            webhook_id,
            action_type,
            source,
            data,
            raw,
        })
    }

    /// The organization the event belongs to, from the payload's metadata
    /// or its action user.
    pub fn organization_id(&self) -> Option<&str> {
        let (metadata, user) = match &self.data {
            EventData::Comment(d) => (d.metadata.as_ref(), d.action_user.as_ref()),
            EventData::Huddle(d) => (d.metadata.as_ref(), d.action_user.as_ref()),
            EventData::Crdt(d) => (d.metadata.as_ref(), d.action_user.as_ref()),
            EventData::Recorder(d) => (d.metadata.as_ref(), d.action_user.as_ref()),
            EventData::Workflow(_) | EventData::Unknown(_) => (None, None),
        };
        metadata
            .and_then(WebhookMetadata::organization_id)
            .or_else(|| user.and_then(|u| u.organization_id.as_deref()))
    }
}

fn typed_data(kind: &EventType, data: Value) -> Result<EventData, EventError> {
    let EventType::Known(kind) = *kind else {
        return Ok(EventData::Unknown(data));
    };
    // A missing `data` is an empty payload, not an error: every field is optional.
    let data = if data.is_null() {
        Value::Object(Map::new())
    } else {
        data
    };
    let bad = |source| EventError::BadData { kind, source };
    Ok(match kind.source() {
        EventSource::Comment => EventData::Comment(serde_json::from_value(data).map_err(bad)?),
        EventSource::Huddle => EventData::Huddle(serde_json::from_value(data).map_err(bad)?),
        EventSource::Crdt => EventData::Crdt(serde_json::from_value(data).map_err(bad)?),
        EventSource::Recorder => EventData::Recorder(serde_json::from_value(data).map_err(bad)?),
        EventSource::Workflow => EventData::Workflow(serde_json::from_value(data).map_err(bad)?),
    })
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Event::from_value(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
