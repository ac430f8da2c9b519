//! The logic shared by comments, reactions and recorder annotations (velt-py
//! has three copies of it).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use velt_models::selfhost::{BaseMetadata, RecordMap, ResolverDeleteMetadata, ResolverResponse};

use super::{Inner, collect_records, scope_of, stamp_metadata, store_error, to_document};
use crate::store::{Collection, RecordId, Selector};

/// Names and messages of one annotation kind.
pub(crate) struct Spec {
    pub(crate) collection: Collection,
    /// e.g. `getting comments`.
    pub(crate) get_action: &'static str,
    /// e.g. `saving comments`.
    pub(crate) save_action: &'static str,
    /// e.g. `deleting comment`.
    pub(crate) delete_action: &'static str,
    /// e.g. `commentAnnotation must be a non-empty dictionary`.
    pub(crate) empty_map: &'static str,
    /// e.g. `commentAnnotationId is required`.
    pub(crate) id_required: &'static str,
    /// e.g. `Comment annotation not found`.
    pub(crate) not_found: &'static str,
}

/// velt-py's query precedence: `documentIds` > annotation ids >
/// `folderId` with `allDocuments: true` > the whole organization.
pub(crate) fn selector(
    document_ids: Option<&Vec<String>>,
    ids: Option<&Vec<String>>,
    folder: Option<&str>,
    all_documents: Option<bool>,
) -> Selector {
    if let Some(d) = document_ids.filter(|d| !d.is_empty()) {
        Selector::DocumentIds(d.clone())
    } else if let Some(i) = ids.filter(|i| !i.is_empty()) {
        Selector::Ids(i.iter().map(|s| RecordId::Str(s.clone())).collect())
    } else if let (Some(f), Some(true)) = (folder.filter(|f| !f.is_empty()), all_documents) {
        Selector::Folder(f.to_owned())
    } else {
        Selector::All
    }
}

/// A read of an organization's annotations (reads are scoped by the
/// configured API key too, as in velt-py).
pub(crate) async fn get<T: DeserializeOwned>(
    inner: &Inner,
    spec: &Spec,
    org: &str,
    selector: Selector,
) -> ResolverResponse {
    if org.is_empty() {
        return ResolverResponse::invalid_input("organizationId is required");
    }
    let scope = match scope_of(org, spec.get_action) {
        Ok(s) => s.with_api_key(inner.api_key.clone()),
        Err(r) => return r,
    };
    match inner.store.find(spec.collection, &scope, &selector).await {
        Ok(docs) => ResolverResponse::with_data(collect_records::<T>(spec.collection, docs)),
        Err(e) => store_error(spec.get_action, &e),
    }
}

/// A save of annotations in one store round trip, stamped like velt-py
/// (`folderId` too for every kind: velt-py forgot it for recorders).
pub(crate) async fn save<T: Serialize>(
    inner: &Inner,
    spec: &Spec,
    metadata: Option<&BaseMetadata>,
    records: &RecordMap<T>,
) -> ResolverResponse {
    let org = metadata
        .and_then(|m| m.organization_id.as_deref())
        .unwrap_or_default();
    if org.is_empty() {
        return ResolverResponse::invalid_input("organizationId is required in metadata");
    }
    if records.is_empty() {
        return ResolverResponse::invalid_input(spec.empty_map);
    }
    let scope = match scope_of(org, spec.save_action) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut docs = Vec::with_capacity(records.len());
    for (id, record) in records.iter() {
        if id.is_empty() {
            continue;
        }
        let mut doc = match to_document(record, spec.save_action) {
            Ok(d) => d,
            Err(r) => return r,
        };
        doc.insert("annotationId".to_owned(), Value::String(id.to_owned()));
        stamp_metadata(
            &mut doc,
            org,
            metadata.and_then(|m| m.document_id.as_deref()),
            metadata.and_then(|m| m.folder_id.as_deref()),
            inner.api_key.as_deref(),
            metadata.and_then(|m| m.api_key.as_deref()),
        );
        docs.push(doc);
    }
    if docs.is_empty() {
        return ResolverResponse::ok();
    }
    match inner.store.upsert_many(spec.collection, &scope, docs).await {
        Ok(()) => ResolverResponse::ok(),
        Err(e) => store_error(spec.save_action, &e),
    }
}

/// A delete, always scoped by the organization (velt-py fell back to an
/// unscoped delete).
pub(crate) async fn delete(
    inner: &Inner,
    spec: &Spec,
    id: &str,
    metadata: Option<&ResolverDeleteMetadata>,
) -> ResolverResponse {
    if id.is_empty() {
        return ResolverResponse::invalid_input(spec.id_required);
    }
    let org = metadata
        .and_then(|m| m.organization_id.as_deref())
        .unwrap_or_default();
    if org.is_empty() {
        return ResolverResponse::invalid_input("organizationId is required in metadata");
    }
    let scope = match scope_of(org, spec.delete_action) {
        Ok(s) => s,
        Err(r) => return r,
    };
    match inner
        .store
        .delete(spec.collection, &scope, &RecordId::Str(id.to_owned()))
        .await
    {
        Ok(Some(_)) => ResolverResponse::ok(),
        Ok(None) => ResolverResponse::not_found(spec.not_found),
        Err(e) => store_error(spec.delete_action, &e),
    }
}
