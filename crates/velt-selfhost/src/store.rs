//! The storage contract every self-hosting backend implements.
//!
//! Services never talk to a database driver: they call a [`Store`]. Every
//! operation takes a [`Scope`], which can only be built from a non-empty
//! organization id, so there is no way to read, write or delete a record
//! without naming the organization it belongs to (velt-py has several
//! unscoped queries; see `docs/migration-from-velt-py.md`).
//!
//! The exact semantics of matching and merging are defined once, as pure
//! functions over JSON ([`scope_matches`], [`selector_matches`],
//! [`merge_record`], [`stamp_scope`]). The in-memory backend uses them
//! directly; the other backends translate them to their query language and
//! are held to the same behaviour by the conformance suite.

use std::fmt;

use async_trait::async_trait;
use serde_json::{Map, Value};

mod records;
mod scan;
pub use crate::raw::{RawJson, RawRows};
pub use records::{get_path, merge_record, scope_matches, selector_matches, set_path, stamp_scope};
pub(crate) use records::{record_matches, record_org, stamp_batch, without_org_batch};
pub use scan::{ScanCursor, ScanPage};

/// A stored record: a JSON object, laid out exactly as velt-py stores it.
pub type Document = Map<String, Value>;

/// Declares [`Collection`] once: each row gives the variant, its doc, the
/// field holding the record id, the dot path of the organization id, the
/// default collection (table) name and the key in velt-py's `collections`
/// config block. Rows are in velt-py's index-creation order, which is the
/// order of [`Collection::ALL`].
macro_rules! collections {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident => id $id:literal, org $org:literal, name $name:literal, key $key:literal;
    )*) => {
        /// The kinds of records the self-hosting services keep.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Collection {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Collection {
            /// Every collection, in velt-py's index-creation order (velt-rs's own
            /// collections last).
            pub const ALL: [Collection; collections!(@count $($variant)*)] =
                [$(Collection::$variant),*];

            /// The field holding the record id (unique within an organization).
            pub fn id_field(self) -> &'static str {
                match self { $(Collection::$variant => $id,)* }
            }

            /// Dot path of the field holding the organization id.
            pub fn org_path(self) -> &'static str {
                match self { $(Collection::$variant => $org,)* }
            }

            /// velt-py's default collection name (velt-rs's own name for the
            /// collections velt-py does not have).
            pub fn default_name(self) -> &'static str {
                match self { $(Collection::$variant => $name,)* }
            }

            /// velt-py's key for this collection in its `collections` config block.
            pub fn config_key(self) -> &'static str {
                match self { $(Collection::$variant => $key,)* }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + collections!(@count $($tail)*) };
}

collections! {
    /// Comment annotations (`comment_annotations`).
    Comments => id "annotationId", org "metadata.organizationId", name "comment_annotations", key "comments";
    /// Reaction annotations (`reaction_annotations`).
    Reactions => id "annotationId", org "metadata.organizationId", name "reaction_annotations", key "reactions";
    /// Recorder annotations (`recorder_annotations`).
    Recorders => id "annotationId", org "metadata.organizationId", name "recorder_annotations", key "recorder_annotations";
    /// Notifications (`notifications`).
    Notifications => id "notificationId", org "organizationId", name "notifications", key "notifications";
    /// Activity records (`activities`).
    Activities => id "id", org "organizationId", name "activities", key "activities";
    /// Attachment records (`attachments`).
    Attachments => id "attachmentId", org "metadata.organizationId", name "attachments", key "attachments";
    /// User profiles (`users`).
    Users => id "userId", org "organizationId", name "users", key "users";
    /// Permission grants of the permission provider (`permissions`; not in velt-py).
    Permissions => id "permissionId", org "organizationId", name "permissions", key "permissions";
    /// Webhook deliveries already received, by `webhook-id` (velt-server's
    /// dedupe; `velt_webhook_receipts`).
    WebhookReceipts => id "webhookId", org "organizationId", name "velt_webhook_receipts", key "webhook_receipts";
    /// Webhook deliveries waiting to be forwarded (velt-server's durable
    /// outbox; `velt_webhook_outbox`).
    WebhookOutbox => id "deliveryId", org "organizationId", name "velt_webhook_outbox", key "webhook_outbox";
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.config_key())
    }
}

/// Collection names, configurable the way velt-py's `collections` block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionNames {
    names: [(Collection, String); Collection::ALL.len()],
}

impl Default for CollectionNames {
    fn default() -> Self {
        Self {
            names: Collection::ALL.map(|c| (c, c.default_name().to_owned())),
        }
    }
}

impl CollectionNames {
    /// The name used for `collection`.
    pub fn get(&self, collection: Collection) -> &str {
        self.names
            .iter()
            .find(|(c, _)| *c == collection)
            .map(|(_, n)| n.as_str())
            .unwrap_or_else(|| collection.default_name())
    }

    /// Overrides the name of one collection.
    pub fn set(&mut self, collection: Collection, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        for (c, n) in &mut self.names {
            if *c == collection {
                *n = name.clone();
            }
        }
        self
    }

    /// Builder-style [`CollectionNames::set`].
    pub fn with(mut self, collection: Collection, name: impl Into<String>) -> Self {
        self.set(collection, name);
        self
    }
}

/// How user records are scoped by organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UserOrgScope {
    /// A user record is visible to the organization in its `organizationId`
    /// field; records without that field (customer-owned user collections,
    /// databases written by velt-py) are visible to every organization.
    #[default]
    SharedWhenMissing,
    /// Only records whose `organizationId` equals the scope are visible.
    Strict,
}

/// Error building a [`Scope`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// The organization id was empty.
    #[error("organizationId must be a non-empty string")]
    EmptyOrganization,
}

/// The mandatory organization scope of every store operation.
#[derive(Clone, PartialEq, Eq)]
pub struct Scope {
    organization_id: String,
    api_key: Option<String>,
}

impl Scope {
    /// A scope for one organization. Fails on an empty id.
    pub fn new(organization_id: impl Into<String>) -> Result<Self, ScopeError> {
        let organization_id = organization_id.into();
        if organization_id.is_empty() {
            return Err(ScopeError::EmptyOrganization);
        }
        Ok(Self {
            organization_id,
            api_key: None,
        })
    }

    /// Also restricts reads to records whose `metadata.apiKey` equals `api_key`
    /// (when `Some` and non-empty).
    pub fn with_api_key(mut self, api_key: Option<String>) -> Self {
        self.api_key = api_key.filter(|k| !k.is_empty());
        self
    }

    /// The organization id.
    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    /// The API key reads are restricted to, if any.
    pub fn api_key(&self) -> Option<&str> {
        self.api_key.as_deref()
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("organization_id", &self.organization_id)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A record id: a JSON string or integer. Ids compare with their JSON type
/// (`12` is not `"12"`), as in velt-py.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordId {
    /// A string id.
    Str(String),
    /// An integer id (attachment ids are usually numbers).
    Int(i64),
}

impl RecordId {
    /// The id as a JSON value.
    pub fn to_value(&self) -> Value {
        match self {
            RecordId::Str(s) => Value::String(s.clone()),
            RecordId::Int(i) => Value::from(*i),
        }
    }

    /// Reads an id from a JSON value (string or integer).
    pub fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(RecordId::Str(s.clone())),
            Value::Number(n) => n.as_i64().map(RecordId::Int),
            _ => None,
        }
    }

    /// The id as a map key (integers in decimal).
    pub fn as_key(&self) -> String {
        match self {
            RecordId::Str(s) => s.clone(),
            RecordId::Int(i) => i.to_string(),
        }
    }

    fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (RecordId::Str(s), Value::String(v)) => s == v,
            (RecordId::Int(i), Value::Number(n)) => n.as_i64() == Some(*i),
            _ => false,
        }
    }
}

impl From<&str> for RecordId {
    fn from(s: &str) -> Self {
        RecordId::Str(s.to_owned())
    }
}

impl From<String> for RecordId {
    fn from(s: String) -> Self {
        RecordId::Str(s)
    }
}

impl From<i64> for RecordId {
    fn from(i: i64) -> Self {
        RecordId::Int(i)
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_key())
    }
}

/// Which records of a scope a read returns.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Selector {
    /// Every record of the scope.
    All,
    /// Records whose id field ([`Collection::id_field`]) is one of these.
    Ids(Vec<RecordId>),
    /// Records whose `metadata.documentId` is one of these.
    DocumentIds(Vec<String>),
    /// Records whose `metadata.folderId` equals this.
    Folder(String),
    /// Records where any of the dot `paths` holds one of `values` (user
    /// lookups through a `user_schema` mapping with several id fields).
    AnyFieldIn {
        /// Dot paths tried, any of which may match.
        paths: Vec<String>,
        /// Accepted values (compared as JSON, type included).
        values: Vec<Value>,
    },
}

/// Errors a store reports. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be reached (connection refused, server
    /// selection timeout, pool closed...). Retrying later may succeed.
    #[error("database unavailable: {message}")]
    Unavailable {
        /// What went wrong.
        message: String,
        /// The driver's error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A unique index refused the write.
    #[error("duplicate key: {message}")]
    DuplicateKey {
        /// The database's message.
        message: String,
    },
    /// A record handed to the store cannot be stored (no id, not an object,
    /// a field name the backend cannot hold...). Nothing was written.
    #[error("invalid record: {message}")]
    InvalidRecord {
        /// What is wrong with it.
        message: String,
    },
    /// The store cannot do this (for instance hold records without an
    /// organization: [`Store::upsert_without_org`]). Nothing was written.
    #[error("not supported: {message}")]
    Unsupported {
        /// What the store cannot do.
        message: String,
    },
    /// Any other database failure.
    #[error("{message}")]
    Backend {
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl StoreError {
    /// True when the database could not be reached.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }

    /// True when a unique index refused the write.
    pub fn is_duplicate_key(&self) -> bool {
        matches!(self, StoreError::DuplicateKey { .. })
    }
}

/// The operations the self-hosting services need, always under a [`Scope`].
///
/// Semantics (every backend, checked by the conformance suite):
/// - [`Store::find`] returns the records of `collection` that satisfy
///   [`scope_matches`] and [`selector_matches`], in insertion order.
/// - [`Store::upsert_many`] writes every record in one database round trip
///   and, where the backend can, atomically (all or nothing). A record is
///   identified by (organization, id field); the organization field is
///   stamped from the scope ([`stamp_scope`]); a new record is inserted as
///   given, an existing one is merged with [`merge_record`]. The API key of
///   the scope does not take part in matching writes.
/// - [`Store::delete`] removes the record identified by (organization, id)
///   and returns it, or `None` when there was none.
#[async_trait]
pub trait Store: Send + Sync + fmt::Debug {
    /// Reads the records of a scope chosen by `selector`.
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError>;

    /// Reads the same records as [`Store::find`] (same filter, same order)
    /// as JSON text, so a read can send them without building them. The
    /// default takes [`Store::find_raw_rows`] and applies the contract's
    /// filter ([`scope_matches`] and [`selector_matches`], see
    /// [`crate::raw`]) where the rows are not filtered yet; a backend
    /// overrides `find_raw_rows`, not this.
    async fn find_raw(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<RawJson>, StoreError> {
        let rows = self.find_raw_rows(collection, scope, selector).await?;
        Ok(rows.into_records(collection, scope, selector))
    }

    /// The stored JSON text of the rows a read may return, unchecked, for a
    /// reader that scans each record anyway and applies the contract's
    /// filter in that same scan (one scan per record instead of two: see
    /// [`RawRows`]). A backend may return more rows than the read's records
    /// (its indexes narrow them, the filter decides) but never fewer, in
    /// insertion order. The default serializes what [`Store::find`]
    /// returns, marked as filtered; a backend whose database holds JSON
    /// text returns that text.
    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let docs = self.find(collection, scope, selector).await?;
        let mut rows = RawRows::filtered();
        for doc in &docs {
            rows.push(RawJson::from_document(doc)?.get());
        }
        Ok(rows)
    }

    /// Inserts or merges `records` in one round trip.
    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError>;

    /// Deletes one record of the scope; returns it when it existed.
    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Ends the store's background work and closes its connections, for a
    /// program about to stop its runtime: a driver that cleans up when its
    /// last handle is dropped (MongoDB's ends its server sessions) would
    /// otherwise race the runtime's shutdown. Operations after it fail.
    /// The default does nothing.
    async fn close(&self) {}

    /// Reads up to `limit` records of `collection` across **every**
    /// organization (records without an organization included), in the
    /// order of a stable key of the backend, starting after `after` (from
    /// the start with `None`). [`ScanPage::next`] is the cursor of the next
    /// page, `None` once the last record has been returned. A `limit` of 0
    /// reads one record. For tooling (export, migration); the services
    /// never call it. See [`ScanCursor`].
    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError>;

    /// True when [`Store::upsert_without_org`] writes: every backend of
    /// this crate; false by default, for a store that only holds records
    /// of organizations (import and migration then count such records as
    /// skipped).
    fn holds_records_without_org(&self) -> bool {
        false
    }

    /// For import and migration: writes records that belong to no
    /// organization (no non-empty string at [`Collection::org_path`]), such
    /// as the user records of a velt-py database, which reads of users serve
    /// to every organization ([`UserOrgScope::SharedWhenMissing`]). Each is
    /// inserted, or merged ([`merge_record`]) into the stored record with
    /// the same id and no organization; no organization is stamped. Every
    /// record is checked (an id, no organization) before anything is
    /// written. The default returns [`StoreError::Unsupported`]: see
    /// [`Store::holds_records_without_org`].
    async fn upsert_without_org(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        let _ = records;
        Err(StoreError::Unsupported {
            message: format!("this store cannot hold {collection} records without an organization"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Document {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn scope_rejects_empty_org_and_redacts_key() {
        assert_eq!(Scope::new(""), Err(ScopeError::EmptyOrganization));
        let s = Scope::new("o")
            .unwrap()
            .with_api_key(Some("secret-key".into()));
        assert!(!format!("{s:?}").contains("secret-key"));
    }

    #[test]
    fn scope_matching_rules() {
        let s = Scope::new("o1").unwrap();
        let c = doc(json!({"annotationId": "a", "metadata": {"organizationId": "o1"}}));
        assert!(scope_matches(
            Collection::Comments,
            &s,
            UserOrgScope::default(),
            &c
        ));
        let other = doc(json!({"annotationId": "a", "metadata": {"organizationId": "o2"}}));
        assert!(!scope_matches(
            Collection::Comments,
            &s,
            UserOrgScope::default(),
            &other
        ));
        let user = doc(json!({"userId": "u"}));
        assert!(scope_matches(
            Collection::Users,
            &s,
            UserOrgScope::SharedWhenMissing,
            &user
        ));
        assert!(!scope_matches(
            Collection::Users,
            &s,
            UserOrgScope::Strict,
            &user
        ));
        let keyed = s.clone().with_api_key(Some("k".into()));
        assert!(!scope_matches(
            Collection::Comments,
            &keyed,
            UserOrgScope::default(),
            &c
        ));
    }

    #[test]
    fn ids_compare_with_their_json_type() {
        let d = doc(json!({"attachmentId": 12}));
        assert!(selector_matches(
            Collection::Attachments,
            &Selector::Ids(vec![RecordId::Int(12)]),
            &d
        ));
        assert!(!selector_matches(
            Collection::Attachments,
            &Selector::Ids(vec!["12".into()]),
            &d
        ));
    }

    #[test]
    fn merge_keeps_metadata_keys() {
        let mut stored = doc(json!({"a": 1, "metadata": {"x": 1, "y": 2}}));
        merge_record(&mut stored, doc(json!({"b": 2, "metadata": {"y": 3}})));
        assert_eq!(
            Value::Object(stored),
            json!({"a": 1, "metadata": {"x": 1, "y": 3}, "b": 2})
        );
    }
}
