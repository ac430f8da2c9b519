//! Enrichment: the event Velt sent, plus the self-hosted content it refers
//! to (which Velt no longer has).

use serde_json::{Map, Value, json};
use velt_models::selfhost::{GetCommentResolverRequest, GetUserResolverRequest};
use velt_models::webhooks::{Event, EventData};
use velt_selfhost::SelfHosting;

/// The `type` of the enriched envelope, for the customer's endpoint.
pub const ENRICHED_TYPE: &str = "velt.webhook.enriched";

/// Builds the enriched event forwarded to the customer:
///
/// ```json
/// {"type": "velt.webhook.enriched", "event": "comment.add", "webhookId": "…",
///  "organizationId": "org-1", "documentId": "doc-1",
///  "comment": {"annotationId", "commentId", "text", "html",
///              "author": {userId, name, email}, "mentions": [{userId, name, email}]},
///  "annotation": { stored annotation, or null },
///  "velt": { the event exactly as Velt sent it }}
/// ```
///
/// Lookups that fail (store down, record gone) leave the field `null`
/// rather than losing the event; `enrichmentErrors` says what was missing.
pub async fn enrich(sh: &SelfHosting, event: &Event, webhook_id: &str) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(ENRICHED_TYPE));
    out.insert("event".into(), json!(event.kind.as_str()));
    out.insert("webhookId".into(), json!(webhook_id));
    let org = event.organization_id().map(str::to_owned);
    out.insert("organizationId".into(), json!(org));
    let mut errors: Vec<String> = Vec::new();

    let mut document_id = None;
    if let EventData::Comment(data) = &event.data {
        document_id = data
            .metadata
            .as_ref()
            .and_then(|m| m.document_id())
            .map(str::to_owned);
        let annotation_id = data
            .comment_annotation
            .as_ref()
            .and_then(|a| a.annotation_id.clone());
        let comment_id = data
            .target_comment
            .as_ref()
            .and_then(|c| c.comment_id.clone());
        let mut annotation = Value::Null;
        let mut comment = Value::Null;
        match (&org, &annotation_id) {
            (Some(org), Some(ann)) => match load_annotation(sh, org, ann).await {
                Ok(Some(stored)) => {
                    if document_id.is_none() {
                        document_id = stored
                            .pointer("/metadata/documentId")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                    }
                    comment =
                        comment_view(sh, org, ann, &stored, comment_id.as_ref(), &mut errors).await;
                    annotation = stored;
                }
                Ok(None) => errors.push(format!("annotation {ann} is not stored")),
                Err(e) => errors.push(e),
            },
            (None, _) => errors.push("the event names no organization".into()),
            (_, None) => errors.push("the event names no annotation".into()),
        }
        out.insert("comment".into(), comment);
        out.insert("annotation".into(), annotation);
    }
    out.insert("documentId".into(), json!(document_id));
    if !errors.is_empty() {
        out.insert("enrichmentErrors".into(), json!(errors));
    }
    out.insert("velt".into(), event.raw.clone());
    Value::Object(out)
}

async fn load_annotation(
    sh: &SelfHosting,
    org: &str,
    annotation_id: &str,
) -> Result<Option<Value>, String> {
    let req = GetCommentResolverRequest {
        organization_id: org.to_owned(),
        comment_annotation_ids: Some(vec![annotation_id.to_owned()]),
        ..Default::default()
    };
    let resp = sh.comments().get_comments(&req).await;
    if !resp.is_success() {
        return Err(format!(
            "comments lookup failed: {}",
            resp.error_message().unwrap_or("unknown error")
        ));
    }
    Ok(resp.data().and_then(|d| d.get(annotation_id)).cloned())
}

/// The comment the event is about: `targetComment.commentId`, else the
/// thread's last comment.
async fn comment_view(
    sh: &SelfHosting,
    org: &str,
    annotation_id: &str,
    annotation: &Value,
    comment_id: Option<&Value>,
    errors: &mut Vec<String>,
) -> Value {
    let comments = annotation.get("comments").and_then(Value::as_object);
    let chosen = comments.and_then(|c| match comment_id {
        Some(id) => {
            let key = match id {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            c.get(&key).or_else(|| {
                c.values()
                    .find(|v| v.get("commentId").is_some_and(|x| same_id(x, id)))
            })
        }
        None => c.values().next_back(),
    });
    let Some(stored) = chosen else {
        errors.push(format!("no stored comment in annotation {annotation_id}"));
        return Value::Null;
    };
    let author_id = stored
        .pointer("/from/userId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut mention_ids: Vec<String> = Vec::new();
    for tagged in stored
        .get("taggedUserContacts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = tagged
            .get("userId")
            .or_else(|| tagged.pointer("/contact/userId"))
            .and_then(Value::as_str);
        if let Some(id) = id
            && !mention_ids.iter().any(|m| m == id)
        {
            mention_ids.push(id.to_owned());
        }
    }
    let mut wanted: Vec<String> = mention_ids.clone();
    if let Some(a) = &author_id {
        wanted.push(a.clone());
    }
    let users = if wanted.is_empty() {
        Map::new()
    } else {
        let resp = sh
            .users()
            .get_users(&GetUserResolverRequest {
                organization_id: org.to_owned(),
                user_ids: wanted,
            })
            .await;
        if !resp.is_success() {
            errors.push(format!(
                "users lookup failed: {}",
                resp.error_message().unwrap_or("unknown error")
            ));
        }
        resp.data()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let person = |id: &str, fallback: Option<&Value>| {
        let stored_user = users.get(id);
        let pick = |k: &str| {
            stored_user
                .and_then(|u| u.get(k))
                .or_else(|| fallback.and_then(|f| f.get(k)))
                .cloned()
                .unwrap_or(Value::Null)
        };
        json!({"userId": id, "name": pick("name"), "email": pick("email")})
    };
    let author = author_id
        .as_deref()
        .map_or(Value::Null, |id| person(id, stored.get("from")));
    let mentions: Vec<Value> = mention_ids.iter().map(|id| person(id, None)).collect();
    json!({
        "annotationId": annotation_id,
        "commentId": stored.get("commentId").cloned().unwrap_or(Value::Null),
        "text": stored.get("commentText").cloned().unwrap_or(Value::Null),
        "html": stored.get("commentHtml").cloned().unwrap_or(Value::Null),
        "author": author,
        "mentions": mentions,
    })
}

fn same_id(a: &Value, b: &Value) -> bool {
    a == b
        || match (a, b) {
            (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
                *s == n.to_string()
            }
            _ => false,
        }
}
