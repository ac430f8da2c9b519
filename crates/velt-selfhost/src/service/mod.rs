//! [`SelfHosting`]: the self-hosting services over a [`Store`] and an
//! [`AttachmentStorage`].
//!
//! Every method answers with a [`ResolverResponse`] and never fails
//! otherwise: velt-py raised exceptions from some methods (saveComments,
//! saveReactions, saveAttachment, getAttachment) and returned error dicts
//! from the others; velt-rs returns the corresponding error response from
//! all of them, so a web handler can send the result unchanged.

mod activities;
mod annotations;
mod attachments;
mod comments;
mod notifications;
mod raw_read;
mod reactions;
mod recorders;
mod users;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use velt_models::selfhost::{RecordMap, ResolverErrorCode, ResolverResponse};

use crate::attachments::AttachmentStorage;
use crate::backends::memory::MemoryStore;
use crate::config::UserSchema;
use crate::store::{
    Collection, Document, RecordId, Scope, Selector, Store, StoreError, UserOrgScope,
};

pub use activities::Activities;
pub use attachments::Attachments;
pub use comments::Comments;
pub use notifications::Notifications;
pub use raw_read::{RawAnswer, RawResponse};
pub use reactions::Reactions;
pub use recorders::Recorders;
pub use users::Users;

/// A file uploaded with an attachment save (velt-py's `file_data`,
/// `file_name`, `mime_type` arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file's bytes.
    pub data: Bytes,
    /// The file name (else the attachment's `name`, else `attachment`).
    pub file_name: Option<String>,
    /// The MIME type (else the attachment's `mimeType`).
    pub mime_type: Option<String>,
}

impl Upload {
    /// An upload of `data` with no name or type.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: None,
            mime_type: None,
        }
    }

    /// Sets the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the MIME type.
    pub fn mime_type(mut self, mime: impl Into<String>) -> Self {
        self.mime_type = Some(mime.into());
        self
    }
}

pub(crate) struct Inner {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) storage: Option<Arc<dyn AttachmentStorage>>,
    pub(crate) api_key: Option<String>,
    pub(crate) user_schema: UserSchema,
    pub(crate) user_org_scope: UserOrgScope,
}

/// The self-hosting services. Cheap to clone (shared state).
///
/// ```no_run
/// # async fn demo() {
/// use velt_selfhost::SelfHosting;
/// use velt_models::selfhost::GetCommentResolverRequest;
/// let sh = SelfHosting::builder().build(); // in-memory store
/// let req = GetCommentResolverRequest { organization_id: "org-1".into(), ..Default::default() };
/// let resp = sh.comments().get_comments(&req).await;
/// assert!(resp.is_success());
/// # }
/// ```
#[derive(Clone)]
pub struct SelfHosting {
    inner: Arc<Inner>,
}

impl fmt::Debug for SelfHosting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelfHosting")
            .field("store", &self.inner.store)
            .field("storage", &self.inner.storage)
            .field(
                "api_key",
                &self.inner.api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("user_schema", &self.inner.user_schema)
            .field("user_org_scope", &self.inner.user_org_scope)
            .finish()
    }
}

impl SelfHosting {
    /// Starts building a [`SelfHosting`].
    pub fn builder() -> SelfHostingBuilder {
        SelfHostingBuilder::default()
    }

    /// Comment annotations.
    pub fn comments(&self) -> Comments<'_> {
        Comments { inner: &self.inner }
    }

    /// Reaction annotations.
    pub fn reactions(&self) -> Reactions<'_> {
        Reactions { inner: &self.inner }
    }

    /// Attachments (records and files).
    pub fn attachments(&self) -> Attachments<'_> {
        Attachments { inner: &self.inner }
    }

    /// Users.
    pub fn users(&self) -> Users<'_> {
        Users { inner: &self.inner }
    }

    /// Recorder annotations.
    pub fn recorders(&self) -> Recorders<'_> {
        Recorders { inner: &self.inner }
    }

    /// Notifications.
    pub fn notifications(&self) -> Notifications<'_> {
        Notifications { inner: &self.inner }
    }

    /// Activities.
    pub fn activities(&self) -> Activities<'_> {
        Activities { inner: &self.inner }
    }

    /// The store the services use.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The attachment storage, if one is configured.
    pub fn attachment_storage(&self) -> Option<&Arc<dyn AttachmentStorage>> {
        self.inner.storage.as_ref()
    }
}

/// Builds a [`SelfHosting`]; see [`SelfHosting::builder`].
#[derive(Default)]
pub struct SelfHostingBuilder {
    store: Option<Arc<dyn Store>>,
    storage: Option<Arc<dyn AttachmentStorage>>,
    api_key: Option<String>,
    user_schema: UserSchema,
    user_org_scope: UserOrgScope,
}

impl fmt::Debug for SelfHostingBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelfHostingBuilder")
            .field("store", &self.store)
            .field("storage", &self.storage)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl SelfHostingBuilder {
    /// The store (default: a new, empty [`MemoryStore`]).
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// Where uploaded files go (default: none; uploads then fail with
    /// `500 CONFIGURATION_ERROR` as in velt-py without S3).
    pub fn attachment_storage(mut self, storage: Arc<dyn AttachmentStorage>) -> Self {
        self.storage = Some(storage);
        self
    }

    /// The Velt API key: stamped into saved records' `metadata.apiKey` and
    /// used to scope comment, reaction and recorder reads, as velt-py does.
    pub fn api_key(mut self, api_key: Option<String>) -> Self {
        self.api_key = api_key.filter(|k| !k.is_empty());
        self
    }

    /// How user documents map to Velt user fields.
    pub fn user_schema(mut self, schema: UserSchema) -> Self {
        self.user_schema = schema;
        self
    }

    /// How user records without `organizationId` are scoped (applied on top
    /// of the store's own setting; the stricter one wins).
    pub fn user_org_scope(mut self, scope: UserOrgScope) -> Self {
        self.user_org_scope = scope;
        self
    }

    /// Applies a velt-py style [`SelfHostConfig`](crate::SelfHostConfig):
    /// its API key (with the `VELT_API_KEY` fallback), `user_schema` and
    /// `user_org_scope`. The store and attachment storage are set separately.
    pub fn config(self, config: &crate::SelfHostConfig) -> Self {
        self.api_key(config.resolved_api_key())
            .user_schema(config.user_schema.clone())
            .user_org_scope(config.user_org_scope)
    }

    /// Builds the services.
    pub fn build(self) -> SelfHosting {
        SelfHosting {
            inner: Arc::new(Inner {
                store: self
                    .store
                    .unwrap_or_else(|| Arc::new(MemoryStore::new()) as Arc<dyn Store>),
                storage: self.storage,
                api_key: self.api_key,
                user_schema: self.user_schema,
                user_org_scope: self.user_org_scope,
            }),
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers shared by the services.

/// `500 DATABASE_ERROR "Database error while <action>: <msg>"`; a record the
/// store refuses (`InvalidRecord`) is the caller's fault: `400 VALIDATION_ERROR`.
pub(crate) fn store_error(action: &str, e: &StoreError) -> ResolverResponse {
    match e {
        StoreError::InvalidRecord { message } => {
            ResolverResponse::validation_error(format!("Invalid record while {action}: {message}"))
        }
        other => ResolverResponse::error(
            500,
            ResolverErrorCode::DatabaseError,
            format!("Database error while {action}: {other}"),
        ),
    }
}

/// `500 INTERNAL_ERROR "Unexpected error while <action>: <msg>"`.
pub(crate) fn internal_error(action: &str, msg: impl fmt::Display) -> ResolverResponse {
    ResolverResponse::error(
        500,
        ResolverErrorCode::InternalError,
        format!("Unexpected error while {action}: {msg}"),
    )
}

/// The scope of an organization (`org` must be non-empty).
#[allow(clippy::result_large_err)] // the error is the response to send back
pub(crate) fn scope_of(org: &str, action: &str) -> Result<Scope, ResolverResponse> {
    Scope::new(org).map_err(|e| ResolverResponse::validation_error(format!("{e} ({action})")))
}

/// `organizationId is required`: the answer when a request names no organization.
pub(crate) const ORG_REQUIRED: &str = "organizationId is required";

/// `organizationId is required in metadata`: the same, for requests that
/// carry the organization in their `metadata`.
pub(crate) const ORG_REQUIRED_IN_METADATA: &str = "organizationId is required in metadata";

/// The scope of a request's organization: `400 INVALID_INPUT <missing>` when
/// `org` is empty (`missing` is [`ORG_REQUIRED`] or
/// [`ORG_REQUIRED_IN_METADATA`]).
#[allow(clippy::result_large_err)] // the error is the response to send back
pub(crate) fn required_scope(
    org: &str,
    missing: &str,
    action: &str,
) -> Result<Scope, ResolverResponse> {
    if org.is_empty() {
        return Err(ResolverResponse::invalid_input(missing));
    }
    scope_of(org, action)
}

/// The documents of a save from its `{id: record}` map: entries with an
/// empty id are skipped; each record is converted with [`to_document`], its
/// id written to `id_field`, then `stamp` adds the service's own fields.
#[allow(clippy::result_large_err)] // the error is the response to send back
pub(crate) fn keyed_documents<T: Serialize>(
    records: &RecordMap<T>,
    id_field: &str,
    action: &str,
    mut stamp: impl FnMut(&mut Document),
) -> Result<Vec<Document>, ResolverResponse> {
    let mut docs = Vec::with_capacity(records.len());
    for (id, record) in records.iter() {
        if id.is_empty() {
            continue;
        }
        let mut doc = to_document(record, action)?;
        doc.insert(id_field.to_owned(), Value::String(id.to_owned()));
        stamp(&mut doc);
        docs.push(doc);
    }
    Ok(docs)
}

/// A read answered as `{id: record}` ([`collect_records`] with model `T`),
/// or the store error.
pub(crate) async fn find_response<T: DeserializeOwned>(
    inner: &Inner,
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
    action: &str,
) -> ResolverResponse {
    match inner.store.find(collection, scope, selector).await {
        Ok(docs) => ResolverResponse::with_data(collect_records::<T>(collection, docs)),
        Err(e) => store_error(action, &e),
    }
}

/// Saves `docs` in one store round trip: `200` (also when there is nothing
/// to save, without calling the store) or the store error.
pub(crate) async fn upsert_response(
    inner: &Inner,
    collection: Collection,
    scope: &Scope,
    docs: Vec<Document>,
    action: &str,
) -> ResolverResponse {
    if docs.is_empty() {
        return ResolverResponse::ok();
    }
    match inner.store.upsert_many(collection, scope, docs).await {
        Ok(()) => ResolverResponse::ok(),
        Err(e) => store_error(action, &e),
    }
}

/// Deletes one record: `200` whether it existed or not (idempotent; the
/// response's `removed()` says which), or the store error. velt-py answered
/// `404` for a missing record, which made Velt's retried deletes fail.
pub(crate) async fn delete_response(
    inner: &Inner,
    collection: Collection,
    scope: &Scope,
    id: &RecordId,
    action: &str,
) -> ResolverResponse {
    match inner.store.delete(collection, scope, id).await {
        Ok(found) => ResolverResponse::deleted(found.is_some()),
        Err(e) => store_error(action, &e),
    }
}

/// A record as a JSON object (records are structs with flattened extras).
#[allow(clippy::result_large_err)] // the error is the response to send back
pub(crate) fn to_document<T: Serialize>(
    record: &T,
    action: &str,
) -> Result<Document, ResolverResponse> {
    match serde_json::to_value(record) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(internal_error(action, "record is not a JSON object")),
        Err(e) => Err(internal_error(action, e)),
    }
}

/// Makes `doc.metadata` an object (creating it, or replacing a non-object),
/// keeping its position, and returns it.
pub(crate) fn metadata_mut(doc: &mut Document) -> Option<&mut Map<String, Value>> {
    if !matches!(doc.get("metadata"), Some(Value::Object(_))) {
        doc.insert("metadata".to_owned(), Value::Object(Map::new()));
    }
    match doc.get_mut("metadata") {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// velt-py's stamping of `metadata` on save: `organizationId` always;
/// `documentId` / `folderId` from the request when non-empty (else the
/// record's own are kept); `apiKey` from config, else from the request.
pub(crate) fn stamp_metadata(
    doc: &mut Document,
    org: &str,
    document_id: Option<&str>,
    folder_id: Option<&str>,
    config_api_key: Option<&str>,
    request_api_key: Option<&str>,
) {
    let Some(md) = metadata_mut(doc) else { return };
    md.insert("organizationId".to_owned(), Value::String(org.to_owned()));
    if let Some(d) = document_id.filter(|d| !d.is_empty()) {
        md.insert("documentId".to_owned(), Value::String(d.to_owned()));
    }
    if let Some(f) = folder_id.filter(|f| !f.is_empty()) {
        md.insert("folderId".to_owned(), Value::String(f.to_owned()));
    }
    if let Some(k) = config_api_key
        .filter(|k| !k.is_empty())
        .or(request_api_key.filter(|k| !k.is_empty()))
    {
        md.insert("apiKey".to_owned(), Value::String(k.to_owned()));
    }
}

/// Builds the `{id: record}` answer of a read: each stored document goes
/// through [`record_entry`]; a repeated id keeps its first place and its
/// last record.
pub(crate) fn collect_records<T: DeserializeOwned>(
    collection: Collection,
    docs: Vec<Document>,
) -> Value {
    let mut out = Map::new();
    for doc in docs {
        if let Some((key, doc)) = record_entry::<T>(collection, doc) {
            out.insert(key, Value::Object(doc));
        }
    }
    Value::Object(out)
}

/// One stored document (minus `_id`) as an entry of a read's answer, keyed
/// by its id: it is checked against the record model `T`; a document that
/// does not fit, or has no usable id, is skipped with a warning instead of
/// failing the whole read (velt-py failed the call).
pub(crate) fn record_entry<T: DeserializeOwned>(
    collection: Collection,
    mut doc: Document,
) -> Option<(String, Document)> {
    doc.remove("_id");
    let value = Value::Object(doc);
    if let Err(e) = T::deserialize(&value) {
        tracing::warn!(
            collection = %collection,
            error = %e,
            "skipping a malformed stored record"
        );
        return None;
    }
    let Value::Object(doc) = value else {
        return None;
    };
    let key = match doc.get(collection.id_field()) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            tracing::warn!(collection = %collection, "skipping a stored record without an id");
            return None;
        }
    };
    Some((key, doc))
}
