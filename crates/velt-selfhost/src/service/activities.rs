//! Activity records (velt-py `ActivityService`).

use serde_json::Value;
use velt_models::selfhost::{
    GetActivityResolverRequest, PartialActivityRecord, ResolverResponse,
    SaveActivityResolverRequest,
};

use super::{
    Inner, ORG_REQUIRED, find_response, keyed_documents, required_scope, stamp_metadata,
    upsert_response,
};
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
        let scope = match required_scope(&req.organization_id, ORG_REQUIRED, ACTION) {
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
        find_response::<PartialActivityRecord>(self.inner, COLLECTION, &scope, &selector, ACTION)
            .await
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
        let scope = match required_scope(org, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        if req.activity.is_empty() {
            return ResolverResponse::invalid_input("activity must be a non-empty dictionary");
        }
        let docs = keyed_documents(&req.activity, COLLECTION.id_field(), ACTION, |doc| {
            doc.insert("organizationId".to_owned(), Value::String(org.to_owned()));
            // velt-py: metadata absent or null becomes {}; a non-object value is kept as is.
            let stamp = match doc.get("metadata") {
                None | Some(Value::Null) => true,
                Some(v) => v.is_object(),
            };
            if stamp {
                stamp_metadata(
                    doc,
                    org,
                    md.and_then(|m| m.document_id.as_deref()),
                    md.and_then(|m| m.folder_id.as_deref()),
                    self.inner.api_key.as_deref(),
                    md.and_then(|m| m.api_key.as_deref()),
                );
            }
        });
        match docs {
            Ok(docs) => upsert_response(self.inner, COLLECTION, &scope, docs, ACTION).await,
            Err(r) => r,
        }
    }
}
