//! The record rules every backend shares, as pure functions over JSON:
//! paths, the contract's matching, stamping and merging (see the parent
//! module's docs).

use serde_json::{Map, Value};

use super::{Collection, Document, RecordId, Scope, Selector, StoreError, UserOrgScope};

/// Looks up a dot path (`metadata.documentId`) in a document.
pub fn get_path<'a>(doc: &'a Document, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut cur = doc.get(first)?;
    for part in parts {
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

/// Sets a dot path, creating (or replacing non-object) intermediate objects.
pub fn set_path(doc: &mut Document, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            doc.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let entry = doc
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                set_path(inner, rest, value);
            }
        }
    }
}

/// True when `doc` belongs to `scope` in `collection` (organization, and API
/// key when the scope carries one). `users` says how user records without an
/// organization are treated.
pub fn scope_matches(
    collection: Collection,
    scope: &Scope,
    users: UserOrgScope,
    doc: &Document,
) -> bool {
    let org = get_path(doc, collection.org_path());
    let org_ok = match org {
        Some(Value::String(o)) => o == scope.organization_id(),
        None | Some(Value::Null) => {
            collection == Collection::Users && users == UserOrgScope::SharedWhenMissing
        }
        Some(_) => false,
    };
    if !org_ok {
        return false;
    }
    match scope.api_key() {
        None => true,
        Some(key) => matches!(get_path(doc, "metadata.apiKey"), Some(Value::String(k)) if k == key),
    }
}

/// True when `doc` is chosen by `selector` in `collection`.
pub fn selector_matches(collection: Collection, selector: &Selector, doc: &Document) -> bool {
    match selector {
        Selector::All => true,
        Selector::Ids(ids) => match doc.get(collection.id_field()) {
            Some(v) => ids.iter().any(|id| id.matches(v)),
            None => false,
        },
        Selector::DocumentIds(ids) => matches!(
            get_path(doc, "metadata.documentId"),
            Some(Value::String(d)) if ids.iter().any(|i| i == d)
        ),
        Selector::Folder(folder) => matches!(
            get_path(doc, "metadata.folderId"),
            Some(Value::String(f)) if f == folder
        ),
        Selector::AnyFieldIn { paths, values } => paths.iter().any(|p| {
            get_path(doc, p).is_some_and(|v| !v.is_null() && values.iter().any(|x| x == v))
        }),
    }
}

/// Stamps the scope's organization into `record` (at
/// [`Collection::org_path`]) and returns the record's id.
pub fn stamp_scope(
    collection: Collection,
    scope: &Scope,
    record: &mut Document,
) -> Result<RecordId, StoreError> {
    let id = record_id(collection, record)?;
    set_path(
        record,
        collection.org_path(),
        Value::String(scope.organization_id().to_owned()),
    );
    Ok(id)
}

/// The id of a record to write: a string or integer at
/// [`Collection::id_field`].
fn record_id(collection: Collection, record: &Document) -> Result<RecordId, StoreError> {
    record
        .get(collection.id_field())
        .and_then(RecordId::from_value)
        .ok_or_else(|| StoreError::InvalidRecord {
            message: format!(
                "{} record without a string or integer `{}`",
                collection,
                collection.id_field()
            ),
        })
}

/// True when a read of `scope` with `selector` returns `doc`: both
/// [`scope_matches`] and [`selector_matches`] hold. Every backend filters
/// its read results with this.
pub(crate) fn record_matches(
    collection: Collection,
    scope: &Scope,
    users: UserOrgScope,
    selector: &Selector,
    doc: &Document,
) -> bool {
    scope_matches(collection, scope, users, doc) && selector_matches(collection, selector, doc)
}

/// Validates and stamps a whole upsert batch before a backend writes
/// anything: each record goes through [`stamp_scope`], then `prepare` turns
/// its id and the stamped record into what the backend writes. Stops at the
/// first error (records are handled in order), so a batch holding an
/// invalid record writes nothing.
pub(crate) fn stamp_batch<T>(
    collection: Collection,
    scope: &Scope,
    records: Vec<Document>,
    mut prepare: impl FnMut(RecordId, Document) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::with_capacity(records.len());
    for mut record in records {
        let id = stamp_scope(collection, scope, &mut record)?;
        out.push(prepare(id, record)?);
    }
    Ok(out)
}

/// The organization of a stored record (`None` when its organization field
/// is missing, not a string or empty).
pub(crate) fn record_org(collection: Collection, record: &Document) -> Option<&str> {
    match get_path(record, collection.org_path()) {
        Some(Value::String(o)) if !o.is_empty() => Some(o),
        _ => None,
    }
}

/// Checks a batch of [`Store::upsert_without_org`] before a backend writes
/// anything: each record needs an id and must have no organization; then
/// `prepare` turns its id and the record into what the backend writes.
/// Stops at the first error, so such a batch writes nothing.
pub(crate) fn without_org_batch<T>(
    collection: Collection,
    records: Vec<Document>,
    mut prepare: impl FnMut(RecordId, Document) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        let id = record_id(collection, &record)?;
        if record_org(collection, &record).is_some() {
            return Err(StoreError::InvalidRecord {
                message: format!(
                    "{collection} record `{id}` has an organization (`{}`): save it in its organization's scope",
                    collection.org_path()
                ),
            });
        }
        out.push(prepare(id, record)?);
    }
    Ok(out)
}

/// Merges an incoming record into a stored one: every top-level key of
/// `incoming` replaces the stored value, except `metadata`, whose keys are
/// merged one level deep when both sides are objects (velt-py replaced the
/// whole metadata object, losing keys; see the migration guide).
pub fn merge_record(existing: &mut Document, incoming: Document) {
    for (key, value) in incoming {
        if key == "metadata"
            && let (Some(Value::Object(stored)), Value::Object(new)) =
                (existing.get_mut("metadata"), &value)
        {
            for (k, v) in new {
                stored.insert(k.clone(), v.clone());
            }
            continue;
        }
        existing.insert(key, value);
    }
}
