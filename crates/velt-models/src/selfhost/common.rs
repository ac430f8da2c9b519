//! Types shared by several resolvers: metadata blocks, user references,
//! the `event` actions and attachment ids.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::de;
use super::extra::deserialize_with_extra;

/// `metadata` of annotations, activities and save requests (velt-py
/// `BaseMetadata`). Unknown keys are kept in [`BaseMetadata::extra`] (velt-py
/// dropped them).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseMetadata {
    /// Velt API key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Document id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Client document id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_document_id: Option<String>,
    /// Organization id (the tenant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Client organization id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_organization_id: Option<String>,
    /// Folder id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Velt folder id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub velt_folder_id: Option<String>,
    /// Free-form document metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_metadata: Option<Value>,
    /// Velt SDK version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk_version: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

deserialize_with_extra!(BaseMetadata, "struct BaseMetadata", {
    api_key: Option<String> = "apiKey",
    document_id: Option<String> = "documentId" with de::opt_id,
    client_document_id: Option<String> = "clientDocumentId" with de::opt_id,
    organization_id: Option<String> = "organizationId" with de::opt_org_id,
    client_organization_id: Option<String> = "clientOrganizationId",
    folder_id: Option<String> = "folderId" with de::opt_id,
    velt_folder_id: Option<String> = "veltFolderId" with de::opt_id,
    document_metadata: Option<Value> = "documentMetadata",
    sdk_version: Option<String> = "sdkVersion",
});

/// `metadata` of delete requests (velt-py `ResolverDeleteMetadata`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverDeleteMetadata {
    /// Velt API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Document id.
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_id: Option<String>,
    /// Organization id (required by velt-rs to delete anything).
    #[serde(
        default,
        deserialize_with = "de::opt_org_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<String>,
    /// Folder id.
    #[serde(
        default,
        deserialize_with = "de::opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub folder_id: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to a user inside a record (`from`, `to`, `assignedTo`,
/// `user`, `contact`). velt-py reduced these to `{userId}`; every key is kept
/// here.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialUser {
    /// The user id.
    pub user_id: String,
    /// Every other key (name, email, photoUrl...), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

deserialize_with_extra!(PartialUser, "struct PartialUser", {
    user_id: String = "userId" with de::id_or_empty,
});

impl PartialUser {
    /// A reference carrying only a user id.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            extra: Map::new(),
        }
    }
}

/// An id kept with its JSON type: Velt's runtime ids (attachment ids,
/// comment ids) are usually numbers, sometimes strings; ids compare with
/// their JSON type (`12` is not `"12"`), as in velt-py.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Id {
    /// A numeric id (the usual case).
    Int(i64),
    /// A string id.
    Str(String),
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(i) => write!(f, "{i}"),
            Id::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for Id {
    fn from(i: i64) -> Self {
        Id::Int(i)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::Str(s.to_owned())
    }
}

/// An attachment id (a number or a string; see [`Id`]).
pub type AttachmentId = Id;

macro_rules! actions {
    ($( $(#[$doc:meta])* $name:ident => $value:literal, )*) => {
        /// The `event` of a resolver request (velt-py `ResolverActions`).
        /// Unknown strings are kept verbatim in [`ResolverActions::Other`].
        /// The services never act on it.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ResolverActions {
            $( $(#[$doc])* $name, )*
            /// Any other event string, kept as sent.
            Other(String),
        }

        impl ResolverActions {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ResolverActions::$name => $value, )*
                    ResolverActions::Other(s) => s,
                }
            }

            /// Every known value, in the order of `@veltdev/types`' `ResolverActions`
            /// (plus `notification.delete`, which velt-py defines).
            pub const ALL: &'static [ResolverActions] = &[$( ResolverActions::$name, )*];

            /// Parses a wire string (unknown strings become [`ResolverActions::Other`]).
            pub fn parse(s: &str) -> Self {
                match s {
                    $( $value => ResolverActions::$name, )*
                    other => ResolverActions::Other(other.to_owned()),
                }
            }
        }
    };
}

actions! {
    /// `comment_annotation.add`
    CommentAnnotationAdd => "comment_annotation.add",
    /// `comment_annotation.delete`
    CommentAnnotationDelete => "comment_annotation.delete",
    /// `comment.add`
    CommentAdd => "comment.add",
    /// `comment.delete`
    CommentDelete => "comment.delete",
    /// `comment.update`
    CommentUpdate => "comment.update",
    /// `reaction.add`
    ReactionAdd => "reaction.add",
    /// `reaction.delete`
    ReactionDelete => "reaction.delete",
    /// `attachment.add`
    AttachmentAdd => "attachment.add",
    /// `attachment.delete`
    AttachmentDelete => "attachment.delete",
    /// `recorder_annotation.add`
    RecorderAnnotationAdd => "recorder_annotation.add",
    /// `recorder_annotation.update`
    RecorderAnnotationUpdate => "recorder_annotation.update",
    /// `recorder_annotation.delete`
    RecorderAnnotationDelete => "recorder_annotation.delete",
    /// `notification.delete`
    NotificationDelete => "notification.delete",
    /// `activity.save`
    ActivitySave => "activity.save",
}

impl fmt::Display for ResolverActions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ResolverActions {
    fn from(s: &str) -> Self {
        ResolverActions::parse(s)
    }
}

impl Serialize for ResolverActions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResolverActions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ResolverActions::parse(&s))
    }
}

macro_rules! save_events {
    ($( $(#[$doc:meta])* $name:ident => $value:literal, )*) => {
        /// The opt-in additional comment save events (`@veltdev/types`
        /// `CommentResolverSaveEvent`, velt-py 0.3.0): sent to the comments
        /// `save` endpoint when the customer lists them in
        /// `additionalSaveEvents`. Not acted on by the services.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommentResolverSaveEvent {
            $( $(#[$doc])* $name, )*
        }

        impl CommentResolverSaveEvent {
            /// Every value, in the order of `@veltdev/types`.
            pub const ALL: &'static [CommentResolverSaveEvent] =
                &[$( CommentResolverSaveEvent::$name, )*];

            /// The wire string.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( CommentResolverSaveEvent::$name => $value, )*
                }
            }

            /// Parses a wire string (`None` for any other string).
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $value => Some(CommentResolverSaveEvent::$name), )*
                    _ => None,
                }
            }
        }
    };
}

save_events! {
    /// `comment_annotation.status_change`
    StatusChange => "comment_annotation.status_change",
    /// `comment_annotation.priority_change`
    PriorityChange => "comment_annotation.priority_change",
    /// `comment_annotation.assign`
    Assign => "comment_annotation.assign",
    /// `comment_annotation.access_mode_change`
    AccessModeChange => "comment_annotation.access_mode_change",
    /// `comment_annotation.custom_list_change`
    CustomListChange => "comment_annotation.custom_list_change",
    /// `comment_annotation.approve`
    Approve => "comment_annotation.approve",
    /// `comment.accept`
    Accept => "comment.accept",
    /// `comment.reject`
    Reject => "comment.reject",
    /// `comment_annotation.suggestion_accept`
    SuggestionAccept => "comment_annotation.suggestion_accept",
    /// `comment_annotation.suggestion_reject`
    SuggestionReject => "comment_annotation.suggestion_reject",
    /// `comment.reaction_add` (a reaction on a comment; not the reactions
    /// resolver's `reaction.add`)
    ReactionAdd => "comment.reaction_add",
    /// `comment.reaction_delete`
    ReactionDelete => "comment.reaction_delete",
    /// `comment_annotation.subscribe`
    Subscribe => "comment_annotation.subscribe",
    /// `comment_annotation.unsubscribe`
    Unsubscribe => "comment_annotation.unsubscribe",
}

impl fmt::Display for CommentResolverSaveEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `event` of a comment save (`ResolverActions | CommentResolverSaveEvent`
/// in `@veltdev/types`), parsed as velt-py 0.3.0 does: a core
/// [`ResolverActions`] value first, then a [`CommentResolverSaveEvent`], else
/// the raw string (a future event is accepted, never refused).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CommentSaveEvent {
    /// A core resolver action (`comment.add`, ...).
    Action(ResolverActions),
    /// An opt-in additional save event (`comment_annotation.status_change`, ...).
    Additional(CommentResolverSaveEvent),
    /// Any other string, kept as sent.
    Unknown(String),
}

impl CommentSaveEvent {
    /// Parses a wire string.
    pub fn parse(s: &str) -> Self {
        match ResolverActions::parse(s) {
            ResolverActions::Other(other) => match CommentResolverSaveEvent::parse(&other) {
                Some(e) => CommentSaveEvent::Additional(e),
                None => CommentSaveEvent::Unknown(other),
            },
            known => CommentSaveEvent::Action(known),
        }
    }

    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            CommentSaveEvent::Action(a) => a.as_str(),
            CommentSaveEvent::Additional(e) => e.as_str(),
            CommentSaveEvent::Unknown(s) => s,
        }
    }
}

impl fmt::Display for CommentSaveEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CommentSaveEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CommentSaveEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(CommentSaveEvent::parse(&s))
    }
}

/// A comment save's `event`: like [`opt_event`], parsed as a [`CommentSaveEvent`].
pub(crate) fn opt_comment_event<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<CommentSaveEvent>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::String(s) if !s.is_empty() => Ok(Some(CommentSaveEvent::parse(&s))),
        _ => Ok(None),
    }
}

/// `event` fields: a string becomes a [`ResolverActions`]; falsy or
/// non-string values are ignored (velt-py never reads them).
pub(crate) fn opt_event<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<ResolverActions>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::String(s) if !s.is_empty() => Ok(Some(ResolverActions::parse(&s))),
        _ => Ok(None),
    }
}

/// Optional id kept with its JSON type (a comment's `commentId`): like
/// [`opt_attachment_id`], but a value of another type reads as absent
/// (it is request context, never worth refusing a save for).
pub(crate) fn opt_context_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(opt_attachment_id(v).ok().flatten())
}

/// Optional attachment id: `null`/missing → `None`; a number or string.
pub(crate) fn opt_attachment_id<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<AttachmentId>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(Id::Str(s))),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(Id::Int(i))),
            // Integral floats (e.g. `12.0` from some JSON encoders) are accepted.
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 =>
                {
                    #[allow(clippy::cast_possible_truncation)]
                    Ok(Some(Id::Int(f as i64)))
                }
                _ => Err(D::Error::custom(format!(
                    "invalid attachmentId {n}: expected an integer"
                ))),
            },
        },
        other => Err(D::Error::custom(format!(
            "invalid attachmentId {other}: expected an integer or a string"
        ))),
    }
}
