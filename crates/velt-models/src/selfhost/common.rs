//! Types shared by several resolvers: metadata blocks, user references,
//! the `event` actions and attachment ids.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::de;

/// `metadata` of annotations, activities and save requests (velt-py
/// `BaseMetadata`). Unknown keys are kept in [`BaseMetadata::extra`] (velt-py
/// dropped them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseMetadata {
    /// Velt API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Client document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_document_id: Option<String>,
    /// Organization id (the tenant).
    #[serde(
        default,
        deserialize_with = "de::opt_org_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<String>,
    /// Client organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_organization_id: Option<String>,
    /// Folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Velt folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velt_folder_id: Option<String>,
    /// Free-form document metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_metadata: Option<Value>,
    /// Velt SDK version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_version: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata` of delete requests (velt-py `ResolverDeleteMetadata`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverDeleteMetadata {
    /// Velt API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Organization id (required by velt-rs to delete anything).
    #[serde(
        default,
        deserialize_with = "de::opt_org_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<String>,
    /// Folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to a user inside a record (`from`, `to`, `assignedTo`,
/// `user`, `contact`). velt-py reduced these to `{userId}`; every key is kept
/// here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialUser {
    /// The user id.
    #[serde(default, deserialize_with = "de::string_or_empty")]
    pub user_id: String,
    /// Every other key (name, email, photoUrl...), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PartialUser {
    /// A reference carrying only a user id.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            extra: Map::new(),
        }
    }
}

/// An attachment id: Velt uses numbers; ids compare with their JSON type
/// (`12` is not `"12"`), as in velt-py.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttachmentId {
    /// A numeric id (the usual case).
    Int(i64),
    /// A string id.
    Str(String),
}

impl fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttachmentId::Int(i) => write!(f, "{i}"),
            AttachmentId::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for AttachmentId {
    fn from(i: i64) -> Self {
        AttachmentId::Int(i)
    }
}

impl From<&str> for AttachmentId {
    fn from(s: &str) -> Self {
        AttachmentId::Str(s.to_owned())
    }
}

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

/// Optional attachment id: `null`/missing → `None`; a number or string.
pub(crate) fn opt_attachment_id<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<AttachmentId>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(AttachmentId::Str(s))),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(AttachmentId::Int(i))),
            // Integral floats (e.g. `12.0` from some JSON encoders) are accepted.
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 =>
                {
                    #[allow(clippy::cast_possible_truncation)]
                    Ok(Some(AttachmentId::Int(f as i64)))
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
