//! Reads answered from the stored JSON text
//! ([`Store::find_raw`](crate::store::Store::find_raw)): the
//! records go into the answer as the database returned them, with no
//! `serde_json::Value` built for them.
//!
//! What the parsing read path ([`super::collect_records`]) does to each
//! record, and how this path does the same without building it:
//! - *checks it against the record model* and skips it when it does not fit:
//!   one scan of the record in which only the fields the model types
//!   (ids, `metadata`, users, `icon`) are deserialized, with the model's
//!   own types ([`RawModel::field`]); other fields are only scanned.
//! - *keys it by its id field* (a non-empty string, or a number as text):
//!   read in the same scan.
//! - *removes `_id`* and, for reactions, *moves `user` to `from`*: a record
//!   holding one of those top-level keys takes the parsing path, alone
//!   (MongoDB's `_id` never reaches a read; the SQL stores can only hold one
//!   if a caller saved a record with such a key).
//!
//! Nothing else is taken out of a stored record before it is sent, on either
//! path: `metadata.apiKey` is sent as velt-py sends it (reads are already
//! scoped to the configured key, so it is the caller's own key).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use velt_models::selfhost::{
    BaseMetadata, PartialCommentAnnotation, PartialReactionAnnotation, PartialRecorderAnnotation,
    PartialUser, ResolverResponse,
};

use super::{Inner, internal_error, record_entry, store_error};
use crate::raw::{Key, RawFilter, RawJson, RawRows, project_value, split_paths};
use crate::store::{Collection, Document, Scope, Selector};

/// The answer of a read served from stored JSON text: see
/// [`Comments::get_comments_raw`](crate::Comments::get_comments_raw).
#[derive(Debug)]
#[non_exhaustive]
pub enum RawResponse {
    /// A successful read: the whole answer's text, its `data` object
    /// (`{id: record}`) built in place.
    Data(RawAnswer),
    /// Any other answer (an error).
    Resolver(ResolverResponse),
}

/// The text of a successful raw read, exactly as the [`ResolverResponse`]
/// of the same read serializes (`{"data":…,"success":true,"statusCode":200}`),
/// written once: the records are copied from the store's rows straight
/// into it.
#[derive(Debug)]
pub struct RawAnswer {
    text: String,
    data: std::ops::Range<usize>,
}

const ANSWER_HEAD: &str = r#"{"data":"#;
const ANSWER_TAIL: &str = r#","success":true,"statusCode":200}"#;

impl RawAnswer {
    /// The answer around `data` (a JSON object's text).
    pub fn new(data: &RawJson) -> Self {
        let mut text =
            String::with_capacity(ANSWER_HEAD.len() + data.get().len() + ANSWER_TAIL.len());
        text.push_str(ANSWER_HEAD);
        text.push_str(data.get());
        Self::finish(text)
    }

    /// Ends an answer whose text holds [`ANSWER_HEAD`] then the data.
    fn finish(mut text: String) -> Self {
        let data = ANSWER_HEAD.len()..text.len();
        text.push_str(ANSWER_TAIL);
        RawAnswer { text, data }
    }

    /// The `data` object's text.
    pub fn data(&self) -> &str {
        self.text.get(self.data.clone()).unwrap_or_default()
    }

    /// The whole answer's text.
    pub fn into_json(self) -> String {
        self.text
    }
}

impl RawResponse {
    /// The answer's `statusCode`.
    pub fn status_code(&self) -> u16 {
        match self {
            RawResponse::Data(_) => 200,
            RawResponse::Resolver(r) => r.status_code,
        }
    }

    /// The whole answer as JSON text, exactly as the [`ResolverResponse`]
    /// of the same read serializes (`{"data":…,"success":true,"statusCode":200}`).
    pub fn into_json(self) -> String {
        match self {
            RawResponse::Data(answer) => answer.into_json(),
            RawResponse::Resolver(r) => match serde_json::to_string(&r) {
                Ok(s) => s,
                // Unreachable: a ResolverResponse is plain data; answer
                // with a resolver-shaped error rather than nothing.
                Err(_) => r#"{"success":false,"statusCode":500,"error":"response could not be serialised","errorCode":"INTERNAL_ERROR"}"#.to_owned(),
            },
        }
    }

    /// The same answer as a [`ResolverResponse`] (its `data` parsed).
    pub fn into_resolver(self) -> ResolverResponse {
        match self {
            RawResponse::Data(answer) => match serde_json::from_str::<Value>(answer.data()) {
                Ok(v) => ResolverResponse::with_data(v),
                Err(e) => internal_error("reading records", e),
            },
            RawResponse::Resolver(r) => r,
        }
    }
}

/// How the record model types one top-level field of a stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// An id (`de::id_or_empty`): `null`, a string or a number.
    Id,
    /// `Option<BaseMetadata>`.
    Metadata,
    /// `Option<Map<String, Value>>`: `null` or any object.
    Object,
    /// `Option<PartialUser>`.
    User,
    /// `Option<String>`.
    Text,
    /// Not a field of the model: it lands in the model's `extra` map, which
    /// takes any value.
    Extra,
}

/// A record model whose stored form can be checked field by field (the
/// models of the annotation kinds).
pub(crate) trait RawModel: DeserializeOwned {
    /// How the model types the top-level field `key`: exactly its typed
    /// fields, with their serde names.
    fn field(key: &str) -> Field;
}

impl RawModel for PartialCommentAnnotation {
    fn field(key: &str) -> Field {
        match key {
            "annotationId" => Field::Id,
            "metadata" => Field::Metadata,
            "comments" => Field::Object,
            "from" | "assignedTo" => Field::User,
            _ => Field::Extra,
        }
    }
}

impl RawModel for PartialReactionAnnotation {
    fn field(key: &str) -> Field {
        match key {
            "annotationId" => Field::Id,
            "metadata" => Field::Metadata,
            "icon" => Field::Text,
            "user" | "from" => Field::User,
            _ => Field::Extra,
        }
    }
}

impl RawModel for PartialRecorderAnnotation {
    fn field(key: &str) -> Field {
        match key {
            "annotationId" => Field::Id,
            "metadata" => Field::Metadata,
            _ => Field::Extra,
        }
    }
}

/// Any JSON object, only scanned (`deserialize_map` refuses other values).
struct AnyObject;

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyObject)
            }
        }
        d.deserialize_map(V)
    }
}

/// Checks one field's value as the model types it (`field`), failing as the
/// model would, and returns it when `keep` (the id field). A seed, so the
/// same check runs on the record's text (streamed) and on a field already
/// parsed into a `Value`.
#[derive(Clone, Copy)]
struct FieldCheck {
    field: Field,
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for FieldCheck {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        match self.field {
            Field::Id => match Value::deserialize(d)? {
                v @ (Value::Null | Value::String(_) | Value::Number(_)) => {
                    return Ok(self.keep.then_some(v));
                }
                other => {
                    return Err(D::Error::custom(format!(
                        "invalid id {other}: expected a string or a number"
                    )));
                }
            },
            Field::Metadata => {
                Option::<BaseMetadata>::deserialize(d)?;
            }
            Field::Object => {
                Option::<AnyObject>::deserialize(d)?;
            }
            Field::User => {
                Option::<PartialUser>::deserialize(d)?;
            }
            Field::Text => {
                Option::<String>::deserialize(d)?;
            }
            Field::Extra if self.keep => return Value::deserialize(d).map(Some),
            Field::Extra => {
                IgnoredAny::deserialize(d)?;
            }
        }
        Ok(None)
    }
}

/// What one scan of a stored record found.
#[derive(Debug, PartialEq)]
enum Skimmed {
    /// It fits the model: its id field (`None` when absent) and its
    /// projection on the filter's paths.
    Fits(Option<Value>, Document),
    /// It holds a key that only the parsing path handles.
    Fallback,
}

/// Scans `text` (one JSON object) once: `Err` when it does not fit `T`;
/// else its id and its projection on `paths` (see [`crate::raw::project`]).
fn skim<T: RawModel>(
    text: &str,
    id_field: &str,
    fallback_keys: &[&str],
    paths: &[&str],
) -> Result<Skimmed, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let out = (&mut de).deserialize_map(SkimVisitor::<T> {
        id_field,
        fallback_keys,
        paths,
        model: PhantomData,
    })?;
    de.end()?;
    Ok(out)
}

struct SkimVisitor<'a, T> {
    id_field: &'a str,
    fallback_keys: &'a [&'a str],
    paths: &'a [&'a str],
    model: PhantomData<T>,
}

impl<'de, T: RawModel> Visitor<'de> for SkimVisitor<'_, T> {
    type Value = Skimmed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a stored record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skimmed, A::Error> {
        let mut id = None;
        let mut fallback = false;
        let mut projection = Document::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if self.fallback_keys.contains(&&*key) {
                map.next_value::<IgnoredAny>()?;
                fallback = true;
                continue;
            }
            let is_id = key == self.id_field;
            let field = T::field(&key);
            let (whole, rests) = split_paths(self.paths, &key);
            if whole || !rests.is_empty() {
                // The filter reads this field: parsed once, checked and
                // projected from the value.
                let value: Value = map.next_value()?;
                let check = FieldCheck { field, keep: false };
                check.deserialize(&value).map_err(A::Error::custom)?;
                if is_id {
                    id = Some(value.clone());
                }
                let projected = if whole {
                    value
                } else {
                    project_value(value, &rests)
                };
                projection.insert(key.into_owned(), projected);
            } else if let Some(v) = map.next_value_seed(FieldCheck { field, keep: is_id })? {
                id = Some(v);
            }
        }
        Ok(if fallback {
            Skimmed::Fallback
        } else {
            Skimmed::Fits(id, projection)
        })
    }
}

/// The map key of a record's id value, as [`record_entry`] computes it.
fn key_of(id: Option<Value>) -> Option<String> {
    match id {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// How a read rewrites records: `normalize`, which changes only records
/// holding one of the top-level keys `touches`.
pub(crate) type Normalize = (fn(&mut Document), &'static [&'static str]);

/// [`write_data`] into a new text.
#[cfg(test)]
pub(crate) fn assemble<T: RawModel>(
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
    rows: &RawRows,
    normalize: Option<Normalize>,
) -> RawJson {
    let mut out = String::new();
    write_data::<T>(&mut out, 0, collection, scope, selector, rows, normalize);
    // Built from JSON strings and JSON object texts (each row was scanned
    // as one object).
    RawJson::trusted(out)
}

/// Appends the `data` object of a read from stored rows, with the semantics of
/// [`Store::find`](crate::store::Store::find) then
/// [`super::collect_records`] (then `normalize`): the records the
/// contract's filter keeps (unless the rows are already filtered), with the
/// same keys, in the same order (a repeated id keeps its first place and
/// its last record), with the same values. One scan of each row checks it
/// against the model, reads its id and projects it for the filter.
///
/// Reserves room for `tail` more bytes after it (the rest of the answer).
fn write_data<T: RawModel>(
    out: &mut String,
    tail: usize,
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
    rows: &RawRows,
    normalize: Option<Normalize>,
) {
    let id_field = collection.id_field();
    let mut fallback_keys: Vec<&str> = vec!["_id"];
    if let Some((_, touches)) = normalize {
        fallback_keys.extend_from_slice(touches);
    }
    let filter = rows
        .filter()
        .map(|users| RawFilter::new(collection, scope, users, selector));
    let paths: &[&str] = filter.as_ref().map(RawFilter::paths).unwrap_or_default();
    let mut entries: Vec<(String, Cow<'_, str>)> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for text in rows.iter() {
        let entry = match skim::<T>(text, id_field, &fallback_keys, paths) {
            Ok(Skimmed::Fits(id, projection)) => {
                if filter.as_ref().is_some_and(|f| !f.matches(&projection)) {
                    continue;
                }
                match key_of(id) {
                    Some(key) => Some((key, Cow::Borrowed(text))),
                    None => {
                        tracing::warn!(collection = %collection, "skipping a stored record without an id");
                        None
                    }
                }
            }
            Ok(Skimmed::Fallback) => {
                parsed_entry::<T>(collection, text, filter.as_ref(), normalize)
                    .map(|(k, r)| (k, Cow::Owned(r)))
            }
            Err(e) => {
                tracing::warn!(collection = %collection, error = %e, "skipping a malformed stored record");
                None
            }
        };
        if let Some((key, raw)) = entry {
            match index.get(&key) {
                Some(&i) => entries[i].1 = raw,
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push((key, raw));
                }
            }
        }
    }
    drop(index);
    let len: usize = entries.iter().map(|(k, r)| k.len() + r.len() + 8).sum();
    out.reserve(len + 2 + tail);
    out.push('{');
    for (i, (key, raw)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, &key);
        out.push(':');
        out.push_str(&raw);
    }
    out.push('}');
}

/// One record through the parsing path (`_id` removed, filtered, checked
/// against `T`, keyed, normalized), written back as text.
fn parsed_entry<T: RawModel>(
    collection: Collection,
    text: &str,
    filter: Option<&RawFilter<'_>>,
    normalize: Option<Normalize>,
) -> Option<(String, String)> {
    let doc: Document = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(collection = %collection, error = %e, "skipping a malformed stored record");
            return None;
        }
    };
    if filter.is_some_and(|f| !f.matches(&doc)) {
        return None;
    }
    let (key, mut doc) = record_entry::<T>(collection, doc)?;
    if let Some((f, _)) = normalize {
        f(&mut doc);
    }
    match serde_json::to_string(&doc) {
        Ok(r) => Some((key, r)),
        Err(e) => {
            tracing::warn!(collection = %collection, error = %e, "skipping a stored record");
            None
        }
    }
}

/// Appends `s` as a JSON string.
fn push_json_string(out: &mut String, s: &str) {
    // Serializing a `&str` cannot fail; `Value::String` prints the same.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str(&Value::String(s.to_owned()).to_string()),
    }
}

/// A read answered from the stored text (`{id: record}` with model `T`,
/// then `normalize`), or the store error.
pub(crate) async fn find_raw_response<T: RawModel>(
    inner: &Inner,
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
    normalize: Option<Normalize>,
    action: &str,
) -> RawResponse {
    match inner.store.find_raw_rows(collection, scope, selector).await {
        Ok(rows) => {
            let mut text = String::from(ANSWER_HEAD);
            write_data::<T>(
                &mut text,
                ANSWER_TAIL.len(),
                collection,
                scope,
                selector,
                &rows,
                normalize,
            );
            RawResponse::Data(RawAnswer::finish(text))
        }
        Err(e) => RawResponse::Resolver(store_error(action, &e)),
    }
}

#[cfg(test)]
mod tests;
