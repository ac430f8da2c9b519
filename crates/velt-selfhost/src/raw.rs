//! Records as JSON text: what [`Store::find_raw`](crate::store::Store::find_raw)
//! returns, so a read can send stored records without building them.
//!
//! A database that keeps records as JSON text (SQLite's `doc` column,
//! PostgreSQL's `data::text`) hands the text back as a [`RawJson`]. The
//! store still applies the contract's filter ([`scope_matches`] and
//! [`selector_matches`]) to every row: it
//! builds a *projection* of the record holding only the fields the
//! predicates read (organization, API key, id, document or folder id, the
//! paths of [`Selector::AnyFieldIn`]), one scan of the text that allocates
//! nothing for the other fields, and runs the same functions on it. The scan
//! also proves the text is one valid JSON object, which is what a
//! [`RawJson`] guarantees.
//!
//! [`scope_matches`]: crate::store::scope_matches
//! [`selector_matches`]: crate::store::selector_matches

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::store::{
    Collection, Document, Scope, Selector, StoreError, UserOrgScope, record_matches,
};

/// The JSON text of one object (a stored record, or the `data` object of a
/// read's answer). It is always valid JSON and always an object: every
/// constructor checks it.
#[derive(Clone, PartialEq, Eq)]
pub struct RawJson(Box<str>);

impl RawJson {
    /// The text of `doc`.
    pub fn from_document(doc: &Document) -> Result<Self, StoreError> {
        serde_json::to_string(doc)
            .map(|s| RawJson(s.into_boxed_str()))
            .map_err(|e| StoreError::Backend {
                message: format!("record cannot be serialised: {e}"),
                source: None,
            })
    }

    /// Checks that `text` is one JSON object and wraps it.
    pub fn parse(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        let text = text.into();
        if project(&text, &[])?.is_none() {
            return Err(de::Error::custom("expected a JSON object"));
        }
        Ok(RawJson(text.into_boxed_str()))
    }

    /// Wraps text the caller has just produced or checked as one JSON object.
    pub(crate) fn trusted(text: String) -> Self {
        RawJson(text.into_boxed_str())
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }

    /// The object, parsed.
    pub fn to_document(&self) -> Result<Document, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

/// Shows only the length: a stored record can hold an API key.
impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({} bytes)", self.0.len())
    }
}

/// The stored JSON text of the rows a read may return, in one buffer (one
/// allocation for all of them): what
/// [`Store::find_raw_rows`](crate::store::Store::find_raw_rows) returns.
///
/// The texts are as the database returned them and not yet checked: a
/// reader scans each one (which also proves it is one JSON object) and,
/// unless [`RawRows::filter`] is `None`, applies the contract's filter
/// ([`scope_matches`] and [`selector_matches`]) to what it read, so that it
/// keeps exactly the records [`Store::find`](crate::store::Store::find)
/// returns.
///
/// [`scope_matches`]: crate::store::scope_matches
/// [`selector_matches`]: crate::store::selector_matches
#[derive(Clone, Default)]
pub struct RawRows {
    text: String,
    ends: Vec<usize>,
    filter: Option<UserOrgScope>,
}

impl RawRows {
    /// Rows still to be filtered by the reader, with the store's scoping of
    /// user records without an organization.
    pub fn unfiltered(users: UserOrgScope) -> Self {
        Self {
            filter: Some(users),
            ..Self::default()
        }
    }

    /// Rows that are already exactly the records of the read.
    pub fn filtered() -> Self {
        Self::default()
    }

    /// Appends one row's text.
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }

    /// `Some(users)` when the reader must apply the contract's filter (with
    /// that scoping of user records), `None` when the rows are filtered.
    pub fn filter(&self) -> Option<UserOrgScope> {
        self.filter
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The rows' texts, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            // `ends` are the lengths after each push: in bounds, on char
            // boundaries, increasing.
            let row = self.text.get(start..end).unwrap_or_default();
            start = end;
            row
        })
    }

    /// The rows [`Store::find_raw`](crate::store::Store::find_raw) returns:
    /// each checked as one JSON object and, unless already filtered, kept
    /// only when the contract's filter accepts it.
    pub(crate) fn into_records(
        self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Vec<RawJson> {
        let filter = RawFilter::new(collection, scope, self.filter.unwrap_or_default(), selector);
        let unfiltered = self.filter.is_some();
        self.iter()
            .filter_map(|text| {
                if unfiltered {
                    filter.keep(text.to_owned())
                } else {
                    RawJson::parse(text).ok()
                }
            })
            .collect()
    }
}

/// Shows only the counts: a stored record can hold an API key.
impl fmt::Debug for RawRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRows")
            .field("rows", &self.ends.len())
            .field("bytes", &self.text.len())
            .field("filter", &self.filter)
            .finish()
    }
}

/// The contract's filter of one read ([`record_matches`] for `scope` and
/// `selector`), applied to stored text through its projection.
pub(crate) struct RawFilter<'a> {
    collection: Collection,
    scope: &'a Scope,
    users: UserOrgScope,
    selector: &'a Selector,
    paths: Vec<&'a str>,
}

impl<'a> RawFilter<'a> {
    /// The filter of a read of `scope` with `selector`.
    pub(crate) fn new(
        collection: Collection,
        scope: &'a Scope,
        users: UserOrgScope,
        selector: &'a Selector,
    ) -> Self {
        let mut paths: Vec<&str> = vec![collection.org_path()];
        if scope.api_key().is_some() {
            paths.push("metadata.apiKey");
        }
        match selector {
            Selector::All => {}
            Selector::Ids(_) => paths.push(collection.id_field()),
            Selector::DocumentIds(_) => paths.push("metadata.documentId"),
            Selector::Folder(_) => paths.push("metadata.folderId"),
            Selector::AnyFieldIn { paths: p, .. } => paths.extend(p.iter().map(String::as_str)),
        }
        Self {
            collection,
            scope,
            users,
            selector,
            paths,
        }
    }

    /// The dot paths the filter reads: what a projection must hold.
    pub(crate) fn paths(&self) -> &[&'a str] {
        &self.paths
    }

    /// The contract's filter on a projection holding [`RawFilter::paths`].
    pub(crate) fn matches(&self, projection: &Document) -> bool {
        record_matches(
            self.collection,
            self.scope,
            self.users,
            self.selector,
            projection,
        )
    }

    /// The row's text when the read returns it; `None` when it does not
    /// match. A row that is not one JSON object is skipped with a warning,
    /// as the parsing read path does.
    pub(crate) fn keep(&self, text: String) -> Option<RawJson> {
        let collection = self.collection;
        match project(&text, &self.paths) {
            Ok(Some(doc)) => self.matches(&doc).then(|| RawJson::trusted(text)),
            Ok(None) => {
                tracing::warn!(%collection, "skipping a stored record that is not a JSON object");
                None
            }
            Err(e) => {
                tracing::warn!(%collection, error = %e, "skipping a stored record that is not valid JSON");
                None
            }
        }
    }
}

/// Reads `text` (which must be exactly one JSON value) and returns, when it
/// is an object, the object reduced to the dot `paths` it holds
/// (intermediate objects keep only what leads to a path). Every other field
/// is only scanned. `Ok(None)` when the value is not an object.
pub(crate) fn project(text: &str, paths: &[&str]) -> Result<Option<Document>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let out = Project { paths }.deserialize(&mut de)?;
    de.end()?;
    Ok(out)
}

/// [`project`] on a parsed value: the value reduced to the dot `paths`
/// (`Null` when it is not an object), as the projection of its text is.
pub(crate) fn project_value(value: Value, paths: &[&str]) -> Value {
    let Value::Object(map) = value else {
        return Value::Null;
    };
    let mut out = Document::new();
    for (key, v) in map {
        let (whole, rests) = split_paths(paths, &key);
        if whole {
            out.insert(key, v);
        } else if !rests.is_empty() {
            let inner = project_value(v, &rests);
            out.insert(key, inner);
        }
    }
    Value::Object(out)
}

/// Of the dot `paths`, whether one is `key` itself, and the rests of those
/// that go through `key`.
pub(crate) fn split_paths<'p>(paths: &[&'p str], key: &str) -> (bool, Vec<&'p str>) {
    let mut whole = false;
    let mut rests = Vec::new();
    for path in paths {
        match path.split_once('.') {
            None if *path == key => whole = true,
            Some((head, rest)) if head == key => rests.push(rest),
            _ => {}
        }
    }
    (whole, rests)
}

/// An object key, borrowed from the text when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The seed and visitor of [`project`].
struct Project<'p> {
    paths: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for Project<'_> {
    type Value = Option<Document>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Project<'_> {
    type Value = Option<Document>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Document::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let (whole, rests) = split_paths(self.paths, &key);
            if whole {
                let value: Value = map.next_value()?;
                out.insert(key.into_owned(), value);
            } else if !rests.is_empty() {
                // A non-object here holds none of the paths: `Null` reads
                // the same as absent for every nested path.
                let inner = map.next_value_seed(Project { paths: &rests })?;
                out.insert(
                    key.into_owned(),
                    inner.map(Value::Object).unwrap_or(Value::Null),
                );
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Some(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RecordId;
    use serde_json::json;

    #[test]
    fn projection_keeps_only_the_paths() {
        let text = r#"{"annotationId":"a","big":{"x":[1,2,{"y":"z"}]},"metadata":{"organizationId":"o","apiKey":"k","documentId":"d"},"n":1}"#;
        let p = project(text, &["metadata.organizationId", "annotationId"])
            .unwrap()
            .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"annotationId": "a", "metadata": {"organizationId": "o"}})
        );
        assert_eq!(project("[1]", &[]).unwrap(), None);
        assert!(project(r#"{"a":1} x"#, &[]).is_err());
        assert!(project(r#"{"a":"\x"}"#, &[]).is_err());
        // A non-object where a path goes through holds nothing.
        let p = project(r#"{"metadata":"m"}"#, &["metadata.organizationId"]).unwrap();
        assert_eq!(p.map(Value::Object), Some(json!({"metadata": null})));
        // Escaped keys are unescaped before they are compared.
        let p = project(r#"{"\u0061nnotationId":"a"}"#, &["annotationId"]).unwrap();
        assert_eq!(p.map(Value::Object), Some(json!({"annotationId": "a"})));
    }

    /// The projection decides exactly as the whole record does.
    #[test]
    fn filter_agrees_with_the_whole_record() {
        let records = [
            json!({"annotationId": "a", "metadata": {"organizationId": "o", "apiKey": "k", "documentId": "d", "folderId": "f"}}),
            json!({"annotationId": "a", "metadata": {"organizationId": "o2"}}),
            json!({"annotationId": 3, "metadata": {"organizationId": "o", "apiKey": "other"}}),
            json!({"annotationId": "b", "metadata": "not an object"}),
            json!({"annotationId": "c", "metadata": {"organizationId": "o", "documentId": 4}}),
        ];
        let plain = Scope::new("o").unwrap();
        let keyed = plain.clone().with_api_key(Some("k".into()));
        let selectors = [
            Selector::All,
            Selector::Ids(vec!["a".into(), RecordId::Int(3)]),
            Selector::DocumentIds(vec!["d".into()]),
            Selector::Folder("f".into()),
            Selector::AnyFieldIn {
                paths: vec!["metadata.documentId".into(), "annotationId".into()],
                values: vec![json!(4), json!("b")],
            },
        ];
        for rec in &records {
            let doc = rec.as_object().unwrap();
            for scope in [&plain, &keyed] {
                for sel in &selectors {
                    let want = record_matches(
                        Collection::Comments,
                        scope,
                        UserOrgScope::default(),
                        sel,
                        doc,
                    );
                    let got =
                        RawFilter::new(Collection::Comments, scope, UserOrgScope::default(), sel)
                            .keep(rec.to_string());
                    assert_eq!(got.is_some(), want, "{rec} {scope:?} {sel:?}");
                }
            }
        }
    }

    #[test]
    fn raw_json_accepts_objects_only_and_hides_its_text() {
        assert!(RawJson::parse("[]").is_err());
        assert!(RawJson::parse("{").is_err());
        let r = RawJson::parse(r#"{"metadata":{"apiKey":"secret"}}"#).unwrap();
        assert!(!format!("{r:?}").contains("secret"));
        assert_eq!(r.to_document().unwrap()["metadata"]["apiKey"], "secret");
    }
}
