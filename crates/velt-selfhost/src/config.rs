//! Self-hosting configuration, mirroring velt-py's config keys
//! (`apiKey`, `collections`, `user_schema`, `aws`, `database`).

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::store::{Collection, CollectionNames, Document, UserOrgScope, get_path};

/// The self-hosting part of a velt-py style config:
///
/// ```json
/// {"apiKey": "...", "collections": {"comments": "my_comments"},
///  "user_schema": {"userId": ["uid", "profile.id"], "name": "profile.fullName"},
///  "aws": {"bucket_name": "..."}, "database": {"host": "..."}}
/// ```
///
/// `aws` and `database` are kept as JSON for the S3 and MongoDB backends,
/// which parse them.
#[derive(Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelfHostConfig {
    /// The Velt API key (`apiKey`); falls back to `VELT_API_KEY`, see
    /// [`SelfHostConfig::resolved_api_key`].
    #[serde(rename = "apiKey", default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Collection name overrides (`comments`, `reactions`, `attachments`,
    /// `users`, `recorder_annotations`, `notifications`, `activities`).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub collections: Map<String, Value>,
    /// How user documents map to Velt's user fields.
    #[serde(default, skip_serializing_if = "UserSchema::is_empty")]
    pub user_schema: UserSchema,
    /// How user records without `organizationId` are scoped
    /// (`"shared_when_missing"`, the default, or `"strict"`; velt-rs addition).
    #[serde(
        default,
        deserialize_with = "de_user_org_scope",
        serialize_with = "ser_user_org_scope"
    )]
    pub user_org_scope: UserOrgScope,
    /// velt-py's `aws` block, parsed by the S3 storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<Value>,
    /// velt-py's `database` block, parsed by the MongoDB backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<Value>,
}

impl fmt::Debug for SelfHostConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelfHostConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("collections", &self.collections)
            .field("user_schema", &self.user_schema)
            .field("user_org_scope", &self.user_org_scope)
            .field("aws", &self.aws.as_ref().map(|_| "<set>"))
            .field("database", &self.database.as_ref().map(|_| "<set>"))
            .finish()
    }
}

fn de_user_org_scope<'de, D: Deserializer<'de>>(d: D) -> Result<UserOrgScope, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    match v.as_deref() {
        None | Some("shared_when_missing") | Some("sharedWhenMissing") => {
            Ok(UserOrgScope::SharedWhenMissing)
        }
        Some("strict") => Ok(UserOrgScope::Strict),
        Some(other) => Err(D::Error::custom(format!(
            "invalid user_org_scope `{other}` (expected `strict` or `shared_when_missing`)"
        ))),
    }
}

fn ser_user_org_scope<S: Serializer>(v: &UserOrgScope, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match v {
        UserOrgScope::Strict => "strict",
        _ => "shared_when_missing",
    })
}

impl SelfHostConfig {
    /// Parses a velt-py style config object (unknown keys ignored).
    pub fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(value)
    }

    /// The collection names: velt-py's defaults, overridden by each string
    /// entry of `collections`.
    pub fn collection_names(&self) -> CollectionNames {
        let mut names = CollectionNames::default();
        for c in Collection::ALL {
            if let Some(Value::String(n)) = self.collections.get(c.config_key())
                && !n.is_empty()
            {
                names.set(c, n.clone());
            }
        }
        names
    }

    /// The API key: `apiKey` when non-empty, else the `VELT_API_KEY`
    /// environment variable when non-empty (velt-py's lookup, without its
    /// "present but null disables the fallback" quirk).
    pub fn resolved_api_key(&self) -> Option<String> {
        self.api_key
            .clone()
            .filter(|k| !k.is_empty())
            .or_else(|| std::env::var("VELT_API_KEY").ok().filter(|k| !k.is_empty()))
    }
}

/// How one Velt user field is found in a user document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldMapping {
    /// One field name or dot path.
    Path(String),
    /// Names or dot paths tried in order.
    Paths(Vec<String>),
    /// Any other JSON value: ignored (the Velt field name is used).
    Invalid(Value),
}

/// velt-py's `user_schema`: Velt user field → where it lives in the
/// customer's user documents. Order is kept (it is the order custom fields
/// are emitted in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSchema {
    fields: Vec<(String, FieldMapping)>,
}

/// The standard Velt user fields, in velt-py's lookup order.
const STANDARD_FIELDS: [&str; 9] = [
    "userId",
    "name",
    "photoUrl",
    "email",
    "color",
    "textColor",
    "isAdmin",
    "initial",
    "organizationId",
];

impl UserSchema {
    /// An empty schema: documents are returned as stored.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no field is mapped.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Maps `field` to one name or dot path.
    pub fn with_path(mut self, field: impl Into<String>, path: impl Into<String>) -> Self {
        self.set(field.into(), FieldMapping::Path(path.into()));
        self
    }

    /// Maps `field` to several names or dot paths, tried in order.
    pub fn with_paths<I, S>(mut self, field: impl Into<String>, paths: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set(
            field.into(),
            FieldMapping::Paths(paths.into_iter().map(Into::into).collect()),
        );
        self
    }

    fn set(&mut self, field: String, mapping: FieldMapping) {
        if let Some(slot) = self.fields.iter_mut().find(|(f, _)| *f == field) {
            slot.1 = mapping;
        } else {
            self.fields.push((field, mapping));
        }
    }

    /// The mapping of `field`, if any.
    pub fn mapping(&self, field: &str) -> Option<&FieldMapping> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }

    /// Every dot path that can hold the user id: each `userId` mapping entry
    /// (velt-py queried only the first of a list), then `userId` itself (the
    /// lookup falls back to it).
    pub fn user_id_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = match self.mapping("userId") {
            Some(FieldMapping::Path(p)) => vec![p.clone()],
            Some(FieldMapping::Paths(ps)) => ps.clone(),
            _ => Vec::new(),
        };
        if !paths.iter().any(|p| p == "userId") {
            paths.push("userId".to_owned());
        }
        paths
    }

    /// Looks up Velt field `field` in `doc` (velt-py `_get_field_value`):
    /// the mapping first (dot paths allowed; with a list, the first entry
    /// holding a non-null value), then the Velt field name itself. `null`
    /// counts as missing.
    pub fn field_value<'a>(&self, doc: &'a Document, field: &str) -> Option<&'a Value> {
        let by_name = || lookup(doc, field);
        match self.mapping(field) {
            None | Some(FieldMapping::Invalid(_)) => by_name(),
            Some(FieldMapping::Path(p)) => lookup(doc, p).or_else(by_name),
            // velt-py stopped at a plain name present with a null value;
            // velt-rs skips nulls and keeps searching.
            Some(FieldMapping::Paths(ps)) => {
                ps.iter().find_map(|p| lookup(doc, p)).or_else(by_name)
            }
        }
    }

    /// Transforms a stored user document into the user Velt receives
    /// (velt-py `_transform_user` + `User.from_dict/to_dict`):
    /// without a schema, every stored field except `_id`, `organizationId`
    /// and `isAdmin` handling below; with a schema, the standard fields and
    /// the custom fields named in the schema. `organizationId` is never
    /// returned; `isAdmin` is (velt-py 0.1.10 dropped it).
    pub fn transform(&self, doc: &Document) -> Document {
        let mut source = Document::new();
        if self.is_empty() {
            for (k, v) in doc {
                if k != "_id" {
                    source.insert(k.clone(), v.clone());
                }
            }
        } else {
            for f in STANDARD_FIELDS {
                if let Some(v) = self.field_value(doc, f) {
                    source.insert(f.to_owned(), v.clone());
                }
            }
            for (f, _) in &self.fields {
                if !STANDARD_FIELDS.contains(&f.as_str())
                    && let Some(v) = self.field_value(doc, f)
                {
                    source.insert(f.clone(), v.clone());
                }
            }
        }
        // The `User` model: standard keys in order, then custom fields.
        let mut out = Document::new();
        out.insert(
            "userId".to_owned(),
            source
                .get("userId")
                .cloned()
                .unwrap_or_else(|| Value::String(String::new())),
        );
        for f in [
            "name",
            "photoUrl",
            "email",
            "color",
            "textColor",
            "isAdmin",
            "initial",
        ] {
            if let Some(v) = source.get(f).filter(|v| !v.is_null()) {
                out.insert(f.to_owned(), v.clone());
            }
        }
        for (k, v) in source {
            if !STANDARD_FIELDS.contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
        out
    }
}

/// A field name or dot path, `null` treated as missing.
fn lookup<'a>(doc: &'a Document, path: &str) -> Option<&'a Value> {
    get_path(doc, path).filter(|v| !v.is_null())
}

impl Serialize for UserSchema {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        for (f, mapping) in &self.fields {
            let v = match mapping {
                FieldMapping::Path(p) => Value::String(p.clone()),
                FieldMapping::Paths(ps) => Value::from(ps.clone()),
                FieldMapping::Invalid(v) => v.clone(),
            };
            m.insert(f.clone(), v);
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for UserSchema {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
        let mut schema = UserSchema::new();
        for (field, mapping) in v {
            let m = match mapping {
                Value::String(s) => FieldMapping::Path(s),
                Value::Array(items) => FieldMapping::Paths(
                    items
                        .into_iter()
                        .filter_map(|i| match i {
                            Value::String(s) => Some(s),
                            _ => None,
                        })
                        .collect(),
                ),
                other => FieldMapping::Invalid(other),
            };
            schema.set(field, m);
        }
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn velt_py_config_keys_are_read() {
        let c = SelfHostConfig::from_json(json!({
            "apiKey": "k",
            "collections": {"comments": "my_comments", "recorder_annotations": "recs", "users": ""},
            "user_schema": {"userId": ["uid", "a.b"], "name": "profile.name", "bad": 3},
            "aws": {"bucket_name": "b"},
            "database": {"host": "localhost"},
            "user_org_scope": "strict",
            "somethingElse": 1
        }))
        .unwrap();
        assert_eq!(c.resolved_api_key().as_deref(), Some("k"));
        let names = c.collection_names();
        assert_eq!(names.get(Collection::Comments), "my_comments");
        assert_eq!(names.get(Collection::Recorders), "recs");
        assert_eq!(names.get(Collection::Users), "users");
        assert_eq!(names.get(Collection::Reactions), "reaction_annotations");
        assert_eq!(c.user_schema.user_id_paths(), ["uid", "a.b", "userId"]);
        assert_eq!(
            c.user_schema.mapping("bad"),
            Some(&FieldMapping::Invalid(json!(3)))
        );
        assert_eq!(c.user_org_scope, UserOrgScope::Strict);
        assert_eq!(c.aws, Some(json!({"bucket_name": "b"})));
        assert!(!format!("{c:?}").contains("\"k\""), "api key redacted");
        assert!(SelfHostConfig::from_json(json!({"user_org_scope": "nope"})).is_err());
    }

    #[test]
    fn field_lookup_follows_velt_py_rules() {
        let schema = UserSchema::new()
            .with_path("name", "profile.name")
            .with_paths("email", ["mail", "emails.0", "contact.email"]);
        let doc: Document = serde_json::from_value(json!({
            "name": "fallback", "profile": {"name": null},
            "mail": null, "emails": ["x"], "contact": {"email": "c@x"}
        }))
        .unwrap();
        // Mapped path null → the Velt name.
        assert_eq!(schema.field_value(&doc, "name"), Some(&json!("fallback")));
        // Null entries and non-object steps are skipped; the next entry wins.
        assert_eq!(schema.field_value(&doc, "email"), Some(&json!("c@x")));
        // Unmapped dot path.
        assert_eq!(
            schema.field_value(&doc, "contact.email"),
            Some(&json!("c@x"))
        );
        assert_eq!(schema.field_value(&doc, "missing"), None);
    }
}
