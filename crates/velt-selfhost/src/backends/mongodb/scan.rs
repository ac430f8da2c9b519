//! [`Store::scan`](crate::store::Store::scan) on MongoDB: pages by `_id`.

use bson::raw::RawDocumentBuf;
use bson::{Bson, Document as BsonDocument, doc};
use serde_json::Value;

use super::{MongoStore, convert, map_driver_error};
use crate::store::{Collection, ScanCursor, ScanPage, StoreError};

impl MongoStore {
    /// [`Store::scan`]: documents of one collection by `_id`, after the
    /// cursor's `_id` (canonical Extended JSON), one more than `limit` to
    /// know whether another page follows. `$gt` compares within one BSON
    /// type, so a collection whose `_id`s mix types (velt-py and velt-rs
    /// both use ObjectIds) is scanned only over the cursor's type; the
    /// migration's count check reports such a shortfall. A document that
    /// cannot be decoded is skipped with a warning, as in reads.
    pub(super) async fn scan_inner(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let filter = match after {
            None => BsonDocument::new(),
            Some(c) => {
                let json: Value =
                    serde_json::from_str(c.as_str()).map_err(|_| c.invalid("MongoDB"))?;
                let id = Bson::try_from(json).map_err(|_| c.invalid("MongoDB"))?;
                doc! {"_id": {"$gt": id}}
            }
        };
        let limit = limit.max(1);
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let coll = self
            .db
            .collection::<RawDocumentBuf>(self.options.collections.get(collection));
        let mut cursor = coll
            .find(filter)
            .sort(doc! {"_id": 1})
            .limit(fetch)
            .await
            .map_err(|e| map_driver_error("scanning records", e))?;
        let mut records = Vec::with_capacity(limit);
        let mut last: Option<Bson> = None;
        let mut more = false;
        while cursor
            .advance()
            .await
            .map_err(|e| map_driver_error("scanning records", e))?
        {
            if records.len() >= limit {
                more = true;
                break;
            }
            let raw = cursor.current();
            let id = raw
                .get("_id")
                .ok()
                .flatten()
                .and_then(|v| Bson::try_from(v).ok());
            let Some(id) = id else {
                return Err(StoreError::Backend {
                    message: format!("a {collection} document has no readable `_id`"),
                    source: None,
                });
            };
            last = Some(id);
            match convert::raw_to_document(raw) {
                Ok(doc) => records.push(doc),
                Err(e) => {
                    tracing::warn!(collection = %collection, error = %e, "skipping a stored document that cannot be decoded");
                }
            }
        }
        let next = match last {
            Some(id) if more => Some(ScanCursor::new(id.into_canonical_extjson().to_string())),
            _ => None,
        };
        Ok(ScanPage { records, next })
    }
}
