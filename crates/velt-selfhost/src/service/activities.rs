//! Activity records (velt-py `ActivityService`).

use serde_json::Value;
use velt_models::selfhost::{
    GetActivityResolverRequest, PartialActivityRecord, ResolverResponse,
    SaveActivityResolverRequest,
};

use super::{Inner, collect_records, scope_of, stamp_metadata, store_error, to_document};
use crate::store::{Collection, RecordId, Selector};

const COLLECTION: Collection = Collection::Activities;

/// Activity records; from [`SelfHosting::activities`](super::SelfHosting::activities).
#[derive(Clone, Copy)]
pub struct Activities<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Activities<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Activities")
    }
}

impl Activities<'_> {
    /// By `activityIds`, else `documentIds`, else the whole organization;
    /// `data` = `{id: activity}`. Not scoped by API key, as in velt-py.
    pub async fn get_activities(&self, req: &GetActivityResolverRequest) -> ResolverResponse {
        const ACTION: &str = "getting activities";
        if req.organization_id.is_empty() {
            return ResolverResponse::invalid_input("organizationId is required");
        }
        let scope = match scope_of(&req.organization_id, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let selector = if let Some(ids) = req.activity_ids.as_ref().filter(|i| !i.is_empty()) {
            Selector::Ids(ids.iter().map(|s| RecordId::Str(s.clone())).collect())
        } else if let Some(d) = req.document_ids.as_ref().filter(|d| !d.is_empty()) {
            Selector::DocumentIds(d.clone())
        } else {
            Selector::All
        };
        match self.inner.store.find(COLLECTION, &scope, &selector).await {
            Ok(docs) => ResolverResponse::with_data(collect_records::<PartialActivityRecord>(
                COLLECTION, docs,
            )),
            Err(e) => store_error(ACTION, &e),
        }
    }

    /// Inserts or updates the activities in one store round trip. Stamps
    /// `id`, top-level `organizationId` and, when `metadata` is an object
    /// (created when absent), `metadata.organizationId`, `metadata.apiKey`
    /// and the request's `documentId`/`folderId` (velt-py stamped neither, so
    /// document reads missed such activities).
    pub async fn save_activities(&self, req: &SaveActivityResolverRequest) -> ResolverResponse {
        const ACTION: &str = "saving activities";
        let md = req.metadata.as_ref();
        let org = if req.organization_id.is_empty() {
            md.and_then(|m| m.organization_id.as_deref())
                .unwrap_or_default()
        } else {
            req.organization_id.as_str()
        };
        if org.is_empty() {
            return ResolverResponse::invalid_input("organizationId is required");
        }
        if req.activity.is_empty() {
            return ResolverResponse::invalid_input("activity must be a non-empty dictionary");
        }
        let scope = match scope_of(org, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let mut docs = Vec::with_capacity(req.activity.len());
        for (id, record) in req.activity.iter() {
            if id.is_empty() {
                continue;
            }
            let mut doc = match to_document(record, ACTION) {
                Ok(d) => d,
                Err(r) => return r,
            };
            doc.insert("id".to_owned(), Value::String(id.to_owned()));
            doc.insert("organizationId".to_owned(), Value::String(org.to_owned()));
            // velt-py: metadata absent or null becomes {}; a non-object value is kept as is.
            let stamp = match doc.get("metadata") {
                None | Some(Value::Null) => true,
                Some(v) => v.is_object(),
            };
            if stamp {
                stamp_metadata(
                    &mut doc,
                    org,
                    md.and_then(|m| m.document_id.as_deref()),
                    md.and_then(|m| m.folder_id.as_deref()),
                    self.inner.api_key.as_deref(),
                    md.and_then(|m| m.api_key.as_deref()),
                );
            }
            docs.push(doc);
        }
        if docs.is_empty() {
            return ResolverResponse::ok();
        }
        match self.inner.store.upsert_many(COLLECTION, &scope, docs).await {
            Ok(()) => ResolverResponse::ok(),
            Err(e) => store_error(ACTION, &e),
        }
    }
}
