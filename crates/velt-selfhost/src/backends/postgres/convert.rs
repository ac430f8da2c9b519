//! Conversions between the store contract and SQL: error mapping, record
//! validation, velt-py's advisory-lock keys, and the read filters.

use serde_json::Value;
use tokio_postgres::error::SqlState;

use crate::store::{Collection, Document, RecordId, Scope, Selector, StoreError, UserOrgScope};

use super::config::redact_text;
use super::schema::path_literal;

/// Maps a driver error to the contract's kinds; the message is redacted.
pub(crate) fn map_pg_error(action: &str, e: tokio_postgres::Error) -> StoreError {
    let detail = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{}: {} ({d})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => match std::error::Error::source(&e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    };
    let message = redact_text(&format!("PostgreSQL error while {action}: {detail}"));
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::DuplicateKey { message },
        Some(code) => {
            let c = code.code();
            if c.starts_with("08")
                || c.starts_with("53")
                || c.starts_with("57P")
                || c.starts_with("28")
                || *code == SqlState::QUERY_CANCELED
                || *code == SqlState::LOCK_NOT_AVAILABLE
            {
                StoreError::Unavailable {
                    message,
                    source: Some(Box::new(e)),
                }
            } else {
                StoreError::Backend {
                    message,
                    source: Some(Box::new(e)),
                }
            }
        }
        None => {
            let text = e.to_string();
            let local = text.starts_with("error serializing")
                || text.starts_with("error deserializing")
                || text.starts_with("invalid column")
                || text.starts_with("unexpected message");
            if local && !e.is_closed() {
                StoreError::Backend {
                    message,
                    source: Some(Box::new(e)),
                }
            } else {
                StoreError::Unavailable {
                    message,
                    source: Some(Box::new(e)),
                }
            }
        }
    }
}

/// Rejects what JSONB cannot hold: a NUL character in a string or a key.
pub(crate) fn validate(
    collection: Collection,
    id: &RecordId,
    doc: &Document,
) -> Result<(), StoreError> {
    fn bad(v: &Value) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(a) => a.iter().any(bad),
            Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || bad(v)),
            _ => false,
        }
    }
    if doc.iter().any(|(k, v)| k.contains('\0') || bad(v)) {
        return Err(StoreError::InvalidRecord {
            message: format!(
                "{collection} record {id} holds a NUL character (\\u0000), which PostgreSQL JSONB cannot store"
            ),
        });
    }
    Ok(())
}

/// Python's `json.dumps(s)` of a string (`ensure_ascii=True`).
fn py_json_str(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut buf = [0u16; 2];
                for unit in ch.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// velt-py 0.3.0's advisory-lock key for an upsert: `<schema>.<table>:` and
/// `json.dumps(filter, sort_keys=True)` of the filter its services use,
/// `{<id field>: id, <organization path>: org}`. Both SDKs hash it with
/// `hashtextextended(key, 0)`, so they serialise each other's writes of one
/// record.
pub(crate) fn lock_key(
    schema: &str,
    table: &str,
    collection: Collection,
    org: &str,
    id: &RecordId,
) -> String {
    let mut pairs = [
        (collection.id_field(), Some(id)),
        (collection.org_path(), None),
    ];
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = format!("{schema}.{table}:{{");
    for (n, (key, value)) in pairs.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        py_json_str(key, &mut out);
        out.push_str(": ");
        match value {
            Some(RecordId::Int(i)) => out.push_str(&i.to_string()),
            Some(RecordId::Str(s)) => py_json_str(s, &mut out),
            None => py_json_str(org, &mut out),
        }
    }
    out.push('}');
    out
}

/// A bound parameter of a read.
pub(crate) enum Param {
    Text(String),
    TextArray(Vec<String>),
    JsonbArray(Vec<Value>),
}

/// `WHERE` text (without the keyword) and its parameters for a read,
/// written against velt-py's index expressions. Backends re-check every row
/// with the contract's functions, so this only has to be a superset.
pub(crate) fn read_filter(
    collection: Collection,
    scope: &Scope,
    users: UserOrgScope,
    selector: &Selector,
) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let mut parts = Vec::new();
    let bind = |p: Param, params: &mut Vec<Param>| {
        params.push(p);
        format!("${}", params.len())
    };
    let text = |path: &str| format!("(data #>> {})", path_literal(path));
    let json = |path: &str| format!("(data #> {})", path_literal(path));
    let org_path = collection.org_path();
    let org = bind(Param::Text(scope.organization_id().to_owned()), &mut params);
    let org_eq = format!("{} = {org}", text(org_path));
    if collection == Collection::Users && users == UserOrgScope::SharedWhenMissing {
        parts.push(format!(
            "({org_eq} OR {j} IS NULL OR {j} = 'null'::jsonb)",
            j = json(org_path)
        ));
    } else {
        parts.push(org_eq);
    }
    if let Some(key) = scope.api_key() {
        let k = bind(Param::Text(key.to_owned()), &mut params);
        parts.push(format!("{} = {k}", text("metadata.apiKey")));
    }
    match selector {
        Selector::All => {}
        Selector::Ids(ids) => {
            let id_field = collection.id_field();
            let strs: Vec<String> = ids
                .iter()
                .filter_map(|i| match i {
                    RecordId::Str(s) => Some(s.clone()),
                    RecordId::Int(_) => None,
                })
                .collect();
            let ints: Vec<Value> = ids
                .iter()
                .filter_map(|i| match i {
                    RecordId::Int(n) => Some(Value::from(*n)),
                    RecordId::Str(_) => None,
                })
                .collect();
            let mut any = Vec::new();
            if !strs.is_empty() {
                let p = bind(Param::TextArray(strs), &mut params);
                any.push(format!("{} = ANY({p}::text[])", text(id_field)));
            }
            if !ints.is_empty() {
                let p = bind(Param::JsonbArray(ints), &mut params);
                any.push(format!("{} = ANY({p}::jsonb[])", json(id_field)));
            }
            if any.is_empty() {
                parts.push("FALSE".to_owned());
            } else {
                parts.push(format!("({})", any.join(" OR ")));
            }
        }
        Selector::DocumentIds(ids) => {
            let p = bind(Param::TextArray(ids.clone()), &mut params);
            parts.push(format!(
                "{} = ANY({p}::text[])",
                text("metadata.documentId")
            ));
        }
        Selector::Folder(folder) => {
            let p = bind(Param::Text(folder.clone()), &mut params);
            parts.push(format!("{} = {p}", text("metadata.folderId")));
        }
        Selector::AnyFieldIn { paths, values } => {
            let p = bind(Param::JsonbArray(values.clone()), &mut params);
            let any: Vec<String> = paths
                .iter()
                .map(|path| format!("{} = ANY({p}::jsonb[])", json(path)))
                .collect();
            if any.is_empty() {
                parts.push("FALSE".to_owned());
            } else {
                parts.push(format!("({})", any.join(" OR ")));
            }
        }
    }
    (parts.join(" AND "), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_are_velt_py_json_dumps() {
        // Expected strings printed by CPython 3.11's json.dumps(..., sort_keys=True).
        assert_eq!(
            lock_key(
                "public",
                "comment_annotations",
                Collection::Comments,
                "o",
                &RecordId::from("a\u{e9}\"\u{7f}\n")
            ),
            r#"public.comment_annotations:{"annotationId": "a\u00e9\"\u007f\n", "metadata.organizationId": "o"}"#
        );
        assert_eq!(
            lock_key(
                "s",
                "attachments",
                Collection::Attachments,
                "org",
                &RecordId::Int(12)
            ),
            r#"s.attachments:{"attachmentId": 12, "metadata.organizationId": "org"}"#
        );
        assert_eq!(
            lock_key(
                "public",
                "notifications",
                Collection::Notifications,
                "o",
                &RecordId::from("n\u{1f600}")
            ),
            r#"public.notifications:{"notificationId": "n\ud83d\ude00", "organizationId": "o"}"#
        );
        assert_eq!(
            lock_key(
                "public",
                "activities",
                Collection::Activities,
                "o",
                &RecordId::from("x")
            ),
            r#"public.activities:{"id": "x", "organizationId": "o"}"#
        );
    }

    #[test]
    fn nul_characters_are_invalid() {
        let id = RecordId::from("a");
        let mut d = Document::new();
        d.insert("x".into(), serde_json::json!({"y": ["ok", "b\u{0}d"]}));
        assert!(matches!(
            validate(Collection::Comments, &id, &d),
            Err(StoreError::InvalidRecord { .. })
        ));
        let mut d = Document::new();
        d.insert("k\u{0}".into(), Value::Null);
        assert!(validate(Collection::Comments, &id, &d).is_err());
        let mut d = Document::new();
        d.insert("fine".into(), serde_json::json!({"é": "\u{1}"}));
        assert!(validate(Collection::Comments, &id, &d).is_ok());
    }
}
