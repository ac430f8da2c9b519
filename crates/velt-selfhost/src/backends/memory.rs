//! [`MemoryStore`]: an in-process [`Store`] (tests, demos, examples).
//!
//! Implements the contract with the pure functions of [`crate::store`]:
//! every upsert batch is applied under one lock (atomic: a batch with an
//! invalid record changes nothing), and ids are unique per
//! (collection, organization).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use serde_json::Value;

use crate::store::{
    Collection, Document, RecordId, ScanCursor, ScanPage, Scope, Selector, Store, StoreError,
    UserOrgScope, get_path, merge_record, record_matches, record_org, stamp_batch,
    without_org_batch,
};

/// An in-memory [`Store`]. Clones share the same data.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    data: Arc<Mutex<HashMap<Collection, Vec<Document>>>>,
    users: UserOrgScope,
}

impl MemoryStore {
    /// An empty store; user records without `organizationId` are visible to
    /// every organization ([`UserOrgScope::SharedWhenMissing`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with the given user scoping.
    pub fn with_user_org_scope(users: UserOrgScope) -> Self {
        Self {
            data: Arc::default(),
            users,
        }
    }

    /// Every record of `collection`, of every organization, in insertion
    /// order (for tests and debugging; the services never call this).
    pub fn all_records(&self, collection: Collection) -> Vec<Document> {
        self.lock().get(&collection).cloned().unwrap_or_default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Collection, Vec<Document>>> {
        // Nothing under the lock can panic half-way through a batch, so a
        // poisoned lock still guards consistent data.
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// True when `doc` is the record `id` of `org` in `collection`.
/// True when `doc` is the record `id` of organization `org`, or with `org`
/// `None`, the record `id` without an organization.
fn is_record(collection: Collection, org: Option<&str>, id: &RecordId, doc: &Document) -> bool {
    let org_ok = match org {
        Some(org) => {
            matches!(get_path(doc, collection.org_path()), Some(Value::String(o)) if o == org)
        }
        None => record_org(collection, doc).is_none(),
    };
    org_ok
        && doc
            .get(collection.id_field())
            .and_then(RecordId::from_value)
            .is_some_and(|d| d == *id)
}

#[async_trait]
impl Store for MemoryStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let data = self.lock();
        Ok(data
            .get(&collection)
            .map(|docs| {
                docs.iter()
                    .filter(|d| record_matches(collection, scope, self.users, selector, d))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        // Validate and stamp every record before touching the data.
        let stamped = stamp_batch(collection, scope, records, |id, record| Ok((id, record)))?;
        self.write(collection, Some(scope.organization_id()), stamped);
        Ok(())
    }

    fn holds_records_without_org(&self) -> bool {
        true
    }

    async fn upsert_without_org(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        let checked = without_org_batch(collection, records, |id, record| Ok((id, record)))?;
        self.write(collection, None, checked);
        Ok(())
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        let org = scope.organization_id();
        let mut data = self.lock();
        let Some(docs) = data.get_mut(&collection) else {
            return Ok(None);
        };
        Ok(docs
            .iter()
            .position(|d| is_record(collection, Some(org), id, d))
            .map(|i| docs.remove(i)))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        self.scan_records(collection, after, limit)
    }
}

/// The memory store's scan key: (organization, typed id), as JSON text
/// (`["org-1","s:c1"]`), so cursors survive deletes and inserts.
fn scan_key(collection: Collection, doc: &Document) -> (String, String) {
    let org = match get_path(doc, collection.org_path()) {
        Some(Value::String(o)) => o.clone(),
        _ => String::new(),
    };
    let id = match doc
        .get(collection.id_field())
        .and_then(RecordId::from_value)
    {
        Some(RecordId::Str(s)) => format!("s:{s}"),
        Some(RecordId::Int(i)) => format!("i:{i:+021}"),
        None => String::new(),
    };
    (org, id)
}

impl MemoryStore {
    /// Inserts checked records, or merges each into the stored record with
    /// its id in organization `org` (`None`: without an organization).
    fn write(&self, collection: Collection, org: Option<&str>, records: Vec<(RecordId, Document)>) {
        let mut data = self.lock();
        let docs = data.entry(collection).or_default();
        for (id, record) in records {
            match docs.iter_mut().find(|d| is_record(collection, org, &id, d)) {
                Some(existing) => merge_record(existing, record),
                None => docs.push(record),
            }
        }
    }

    /// [`Store::scan`]: every record of `collection` sorted by
    /// [`scan_key`], from after `after`.
    fn scan_records(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let after = match after {
            None => None,
            Some(c) => Some(
                serde_json::from_str::<(String, String)>(c.as_str())
                    .map_err(|_| c.invalid("memory"))?,
            ),
        };
        let data = self.lock();
        let mut rows: Vec<((String, String), &Document)> = data
            .get(&collection)
            .map(|docs| {
                docs.iter()
                    .map(|d| (scan_key(collection, d), d))
                    .filter(|(k, _)| after.as_ref().is_none_or(|a| k > a))
                    .collect()
            })
            .unwrap_or_default();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let limit = limit.max(1);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = match rows.last() {
            Some((key, _)) if more => Some(ScanCursor::new(serde_json::to_string(key).map_err(
                |e| StoreError::Backend {
                    message: format!("cannot encode a scan cursor: {e}"),
                    source: None,
                },
            )?)),
            _ => None,
        };
        Ok(ScanPage {
            records: rows.into_iter().map(|(_, d)| d.clone()).collect(),
            next,
        })
    }
}
