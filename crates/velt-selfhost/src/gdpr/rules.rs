//! Which part of a stored record holds a user, and what deleting the user
//! does to it. Pure functions over JSON; `super` runs them over a store.

use serde_json::{Map, Value};

use crate::store::{Collection, Document, RecordId, get_path};

/// What deleting the user does to one record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// The whole record goes.
    Delete(RecordId),
    /// The record stays; these top-level keys replace the stored ones
    /// (an upsert: [`crate::store::merge_record`] replaces top-level keys).
    Rewrite(Document),
    /// The record is exported but kept (a user record without an
    /// organization, shared by every organization).
    Keep,
}

/// One record that holds the user.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// The user's part of the record, as exported.
    pub(crate) export: Document,
    /// What deleting the user does.
    pub(crate) action: Action,
    /// Number of comments of the user removed from the record (comments only).
    pub(crate) comments: usize,
}

/// Annotation-level keys of a comment annotation that name one user
/// (`{userId, ...}` objects).
const ANNOTATION_USER_KEYS: [&str; 2] = ["from", "assignedTo"];

/// Dot paths of a notification that name the acting or the addressed user.
const NOTIFICATION_USER_PATHS: [&str; 4] = [
    "actionUser",
    "recipientUser",
    "displayHeadlineMessageTemplateData.actionUser",
    "displayHeadlineMessageTemplateData.recipientUser",
];

/// True when `value` is a user object (`{userId, ...}`) of `user`.
fn is_user(value: Option<&Value>, user: &str) -> bool {
    matches!(value.and_then(|v| v.get("userId")), Some(Value::String(u)) if u == user)
}

fn id_of(collection: Collection, doc: &Document) -> Option<RecordId> {
    doc.get(collection.id_field())
        .and_then(RecordId::from_value)
}

/// The finding for a record that belongs to the user as a whole.
fn whole(collection: Collection, doc: &Document) -> Option<Finding> {
    Some(Finding {
        export: doc.clone(),
        action: Action::Delete(id_of(collection, doc)?),
        comments: 0,
    })
}

/// Decides whether `doc` of `collection` (in the organization `org`) holds
/// `user`, and what deleting the user does to it. `attachments` are the ids
/// of attachments referenced by the user's comments and recordings (filled
/// from those collections before attachments are classified).
pub(crate) fn classify(
    collection: Collection,
    doc: &Document,
    org: &str,
    user: &str,
    attachments: &[RecordId],
) -> Option<Finding> {
    match collection {
        Collection::Comments => comment_annotation(doc, user),
        Collection::Reactions => (is_user(doc.get("from"), user) || is_user(doc.get("user"), user))
            .then(|| whole(collection, doc))
            .flatten(),
        Collection::Recorders | Collection::Activities => {
            let key = if collection == Collection::Recorders {
                "from"
            } else {
                "actionUser"
            };
            is_user(doc.get(key), user)
                .then(|| whole(collection, doc))
                .flatten()
        }
        Collection::Notifications => NOTIFICATION_USER_PATHS
            .iter()
            .any(|p| is_user(get_path(doc, p), user))
            .then(|| whole(collection, doc))
            .flatten(),
        Collection::Users | Collection::Permissions => {
            if !matches!(doc.get("userId"), Some(Value::String(u)) if u == user) {
                return None;
            }
            let own = matches!(doc.get("organizationId"), Some(Value::String(o)) if o == org);
            if own {
                whole(collection, doc)
            } else {
                Some(Finding {
                    export: doc.clone(),
                    action: Action::Keep,
                    comments: 0,
                })
            }
        }
        Collection::Attachments => {
            let id = id_of(collection, doc)?;
            attachments
                .contains(&id)
                .then(|| whole(collection, doc))
                .flatten()
        }
        // velt-server's own delivery bookkeeping: no user data.
        _ => None,
    }
}

/// A comment annotation: the user's comments, and the annotation-level keys
/// naming them (`from`, `assignedTo`, `resolvedByUserId`).
///
/// Rule: the annotation is deleted as a whole when no comment of another
/// user remains and the user either wrote a comment of it or opened it
/// (`from`); otherwise it is rewritten with the user's comments removed and
/// the keys naming them set to `null` (the store merges top-level keys and
/// cannot remove one).
fn comment_annotation(doc: &Document, user: &str) -> Option<Finding> {
    let id = id_of(Collection::Comments, doc)?;
    let (mine, others, count) = match doc.get("comments") {
        Some(Value::Object(map)) => {
            let (mut mine, mut others) = (Map::new(), Map::new());
            for (k, c) in map {
                if is_user(c.get("from"), user) {
                    mine.insert(k.clone(), c.clone());
                } else {
                    others.insert(k.clone(), c.clone());
                }
            }
            let n = mine.len();
            let rest = (!others.is_empty()).then_some(Value::Object(others));
            (Value::Object(mine), rest, n)
        }
        Some(Value::Array(list)) => {
            let (mine, others): (Vec<Value>, Vec<Value>) = list
                .iter()
                .cloned()
                .partition(|c| is_user(c.get("from"), user));
            let n = mine.len();
            let rest = (!others.is_empty()).then_some(Value::Array(others));
            (Value::Array(mine), rest, n)
        }
        _ => (Value::Object(Map::new()), None, 0),
    };
    let mut refs: Vec<&str> = ANNOTATION_USER_KEYS
        .into_iter()
        .filter(|k| is_user(doc.get(*k), user))
        .collect();
    if matches!(doc.get("resolvedByUserId"), Some(Value::String(u)) if u == user) {
        refs.push("resolvedByUserId");
    }
    if count == 0 && refs.is_empty() {
        return None;
    }
    let mut export = Document::new();
    export.insert("annotationId".into(), id.to_value());
    if let Some(m) = doc.get("metadata") {
        export.insert("metadata".into(), m.clone());
    }
    export.insert("comments".into(), mine);
    for k in &refs {
        if let Some(v) = doc.get(*k) {
            export.insert((*k).to_owned(), v.clone());
        }
    }
    let authored = count > 0 || refs.contains(&"from");
    let action = match others {
        None if authored => Action::Delete(id),
        rest => {
            let mut patch = Document::new();
            patch.insert("annotationId".into(), id.to_value());
            if count > 0 {
                // Another user's comment remains (else the annotation goes),
                // so `rest` holds it.
                patch.insert("comments".into(), rest.unwrap_or(Value::Null));
            }
            for k in refs {
                patch.insert(k.to_owned(), Value::Null);
            }
            Action::Rewrite(patch)
        }
    };
    Some(Finding {
        export,
        action,
        comments: count,
    })
}

/// The ids of the attachments a user's comment or recording references:
/// `attachments` of each exported comment (values' `attachmentId`, else the
/// map key), and `attachment` / `attachments` of a recording and of its
/// `recordingEditVersions`.
pub(crate) fn referenced_attachments(collection: Collection, export: &Document) -> Vec<RecordId> {
    let mut out = Vec::new();
    match collection {
        Collection::Comments => {
            let comments: Vec<&Value> = match export.get("comments") {
                Some(Value::Object(m)) => m.values().collect(),
                Some(Value::Array(l)) => l.iter().collect(),
                _ => Vec::new(),
            };
            for c in comments {
                attachments_in(c.get("attachments"), &mut out);
            }
        }
        Collection::Recorders => {
            recording_attachments(export, &mut out);
            if let Some(Value::Object(versions)) = export.get("recordingEditVersions") {
                for v in versions.values().filter_map(Value::as_object) {
                    recording_attachments(v, &mut out);
                }
            }
        }
        _ => {}
    }
    out
}

fn recording_attachments(doc: &Map<String, Value>, out: &mut Vec<RecordId>) {
    if let Some(id) = doc
        .get("attachment")
        .and_then(|a| a.get("attachmentId"))
        .and_then(RecordId::from_value)
    {
        out.push(id);
    }
    attachments_in(doc.get("attachments"), out);
}

/// Attachment ids of an `attachments` map (keyed by id) or list.
fn attachments_in(value: Option<&Value>, out: &mut Vec<RecordId>) {
    let from_value = |v: &Value| v.get("attachmentId").and_then(RecordId::from_value);
    match value {
        Some(Value::Object(map)) => {
            for (k, v) in map {
                let id = from_value(v).unwrap_or_else(|| match k.parse::<i64>() {
                    Ok(i) => RecordId::Int(i),
                    Err(_) => RecordId::Str(k.clone()),
                });
                out.push(id);
            }
        }
        Some(Value::Array(list)) => out.extend(list.iter().filter_map(from_value)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Document {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn comment_of_the_user_in_another_thread_is_cut_out() {
        let a = doc(json!({
            "annotationId": "a1", "from": {"userId": "bob"},
            "comments": {
                "1": {"commentId": 1, "from": {"userId": "bob"}},
                "2": {"commentId": 2, "from": {"userId": "ann"}, "attachments": {"77": {"attachmentId": 77}}}
            }
        }));
        let f = classify(Collection::Comments, &a, "o", "ann", &[]).unwrap();
        assert_eq!(f.comments, 1);
        assert_eq!(
            f.action,
            Action::Rewrite(doc(json!({
                "annotationId": "a1",
                "comments": {"1": {"commentId": 1, "from": {"userId": "bob"}}}
            })))
        );
        assert_eq!(
            referenced_attachments(Collection::Comments, &f.export),
            vec![RecordId::Int(77)]
        );
    }

    #[test]
    fn thread_with_only_the_users_content_goes_and_assignee_only_stays() {
        let a = doc(json!({
            "annotationId": "a1", "from": {"userId": "ann"},
            "comments": [{"commentId": 1, "from": {"userId": "ann"}}]
        }));
        let f = classify(Collection::Comments, &a, "o", "ann", &[]).unwrap();
        assert_eq!(f.action, Action::Delete("a1".into()));
        let assigned =
            doc(json!({"annotationId": "a2", "assignedTo": {"userId": "ann"}, "comments": {}}));
        let f = classify(Collection::Comments, &assigned, "o", "ann", &[]).unwrap();
        assert_eq!(
            f.action,
            Action::Rewrite(doc(json!({"annotationId": "a2", "assignedTo": null})))
        );
        assert_eq!(classify(Collection::Comments, &a, "o", "bob", &[]), None);
    }

    #[test]
    fn shared_user_record_is_exported_but_kept() {
        let u = doc(json!({"userId": "ann", "name": "Ann"}));
        let f = classify(Collection::Users, &u, "o", "ann", &[]).unwrap();
        assert_eq!(f.action, Action::Keep);
    }
}
