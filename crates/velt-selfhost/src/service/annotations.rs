//! The logic shared by comments, reactions and recorder annotations (velt-py
//! has three copies of it).

use serde::Serialize;
use serde::de::DeserializeOwned;
use velt_models::selfhost::{BaseMetadata, RecordMap, ResolverDeleteMetadata, ResolverResponse};

use super::raw_read::{Normalize, RawModel, RawResponse, find_raw_response};
use super::{
    Inner, ORG_REQUIRED, ORG_REQUIRED_IN_METADATA, delete_response, find_response, keyed_documents,
    required_scope, stamp_metadata, upsert_response,
};
use serde_json::Value;

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
    /// Rewrites a record to the stored layout, on save and on read (reactions:
    /// `user` → `from`), with the top-level keys whose presence makes it
    /// change a record.
    pub(crate) normalize: Option<Normalize>,
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
    let scope = match required_scope(org, ORG_REQUIRED, spec.get_action) {
        Ok(s) => s.with_api_key(inner.api_key.clone()),
        Err(r) => return r,
    };
    let mut resp =
        find_response::<T>(inner, spec.collection, &scope, &selector, spec.get_action).await;
    if let (Some((normalize, _)), Some(Value::Object(records))) =
        (spec.normalize, resp.data.as_mut())
    {
        for record in records.values_mut() {
            if let Value::Object(doc) = record {
                normalize(doc);
            }
        }
    }
    resp
}

/// The same read as [`get`], answered from the stored JSON text.
pub(crate) async fn get_raw<T: RawModel>(
    inner: &Inner,
    spec: &Spec,
    org: &str,
    selector: Selector,
) -> RawResponse {
    let scope = match required_scope(org, ORG_REQUIRED, spec.get_action) {
        Ok(s) => s.with_api_key(inner.api_key.clone()),
        Err(r) => return RawResponse::Resolver(r),
    };
    find_raw_response::<T>(
        inner,
        spec.collection,
        &scope,
        &selector,
        spec.normalize,
        spec.get_action,
    )
    .await
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
    let scope = match required_scope(org, ORG_REQUIRED_IN_METADATA, spec.save_action) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if records.is_empty() {
        return ResolverResponse::invalid_input(spec.empty_map);
    }
    let id_field = spec.collection.id_field();
    let docs = keyed_documents(records, id_field, spec.save_action, |doc| {
        if let Some((normalize, _)) = spec.normalize {
            normalize(doc);
        }
        stamp_metadata(
            doc,
            org,
            metadata.and_then(|m| m.document_id.as_deref()),
            metadata.and_then(|m| m.folder_id.as_deref()),
            inner.api_key.as_deref(),
            metadata.and_then(|m| m.api_key.as_deref()),
        );
    });
    match docs {
        Ok(docs) => upsert_response(inner, spec.collection, &scope, docs, spec.save_action).await,
        Err(r) => r,
    }
}

/// A delete, always scoped by the organization (velt-py fell back to an
/// unscoped delete); idempotent (`200` when nothing was stored).
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
    let scope = match required_scope(org, ORG_REQUIRED_IN_METADATA, spec.delete_action) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = RecordId::Str(id.to_owned());
    delete_response(inner, spec.collection, &scope, &id, spec.delete_action).await
}
