//! Saves of a [`MongoStore`](super::MongoStore): one upsert statement per
//! record, validated before anything is sent, in as few `update` commands
//! as the server's limits allow (one unless the records exceed 16 MiB),
//! optionally inside a transaction; duplicate keys of concurrent creation
//! retried, non-object stored `metadata` replaced as [`merge_record`] does.
//!
//! [`merge_record`]: crate::store::merge_record

use bson::Document as BsonDocument;
use bson::raw::{RawArrayBuf, RawBson, RawDocumentBuf};
use mongodb::error::Error as DriverError;
use serde_json::Value;

use super::{DUPLICATE_KEY_CODES, MongoStore, bson_int, convert, map_driver_error};
use crate::store::{
    Collection, Document, RecordId, Scope, StoreError, stamp_batch, without_org_batch,
};

/// Most statements in one `update` command (the server's maxWriteBatchSize).
const MAX_STATEMENTS_PER_COMMAND: usize = 100_000;
/// Bytes of statements in one `update` command (16 MiB less some room for
/// the command's own fields, session and transaction ids).
const MAX_COMMAND_BYTES: usize = 16 * 1024 * 1024 - 64 * 1024;
/// Largest single statement (a document is at most 16 MiB).
const MAX_STATEMENT_BYTES: usize = 16 * 1024 * 1024;
/// Extra attempts after a duplicate key on a save (concurrent creation).
const DUPLICATE_RETRIES: u32 = 2;
/// `Cannot create field 'x' in element {metadata: "..."}`.
const PATH_NOT_VIABLE: i32 = 28;

impl MongoStore {
    pub(super) async fn upsert_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let stmts = stamp_batch(collection, scope, records, |id, record| {
            Statement::from_stamped(collection, Some(scope.organization_id()), &id, &record)
        })?;
        self.write_statements(collection, stmts).await
    }

    /// [`Store::upsert_without_org`](crate::store::Store::upsert_without_org):
    /// each statement finds the record by id among those without an
    /// organization (absent, not a string, or empty: as
    /// `transfer::record_org` reads it) and stamps none.
    pub(super) async fn upsert_without_org_inner(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let stmts = without_org_batch(collection, records, |id, record| {
            Statement::from_stamped(collection, None, &id, &record)
        })?;
        self.write_statements(collection, stmts).await
    }

    async fn write_statements(
        &self,
        collection: Collection,
        mut stmts: Vec<Statement>,
    ) -> Result<(), StoreError> {
        let coll_name = self.options.collections.get(collection);
        if self.options.transactional_saves {
            self.write_transaction(coll_name, &mut stmts).await
        } else {
            self.write_plain(coll_name, &mut stmts).await
        }
    }

    /// Non-transactional save: one ordered `update` command (more only when
    /// the records exceed one command's 16 MiB).
    async fn write_plain(&self, coll: &str, stmts: &mut [Statement]) -> Result<(), StoreError> {
        let mut start = 0;
        let mut dup_retries = 0;
        while start < stmts.len() {
            let end = chunk_end(stmts, start);
            let reply = self
                .db
                .run_raw_command(update_command(coll, stmts.get(start..end).unwrap_or(&[])))
                .await
                .map_err(|e| map_driver_error("saving records", e))?;
            check_write_concern(&reply)?;
            match first_write_error(&reply) {
                None => start = end,
                Some(we) => {
                    let global = start + we.index;
                    start = global;
                    self.handle_write_error(we, stmts, global, &mut dup_retries)?;
                }
            }
        }
        Ok(())
    }

    /// Decides whether a failed statement can be sent again; `Err` when not.
    fn handle_write_error(
        &self,
        we: WriteErr,
        stmts: &mut [Statement],
        global: usize,
        dup_retries: &mut u32,
    ) -> Result<(), StoreError> {
        if we.code == PATH_NOT_VIABLE
            && let Some(stmt) = stmts.get_mut(global)
            && stmt.replace_metadata.is_some()
            && !stmt.use_replace
        {
            // Stored metadata is not an object: merge_record replaces it.
            stmt.use_replace = true;
            return Ok(());
        }
        if DUPLICATE_KEY_CODES.contains(&we.code) {
            if *dup_retries < DUPLICATE_RETRIES {
                *dup_retries += 1;
                return Ok(());
            }
            return Err(StoreError::DuplicateKey {
                message: we.message,
            });
        }
        Err(StoreError::Backend {
            message: format!("saving records: {} (code {})", we.message, we.code),
            source: None,
        })
    }

    /// Transactional save: the same command(s) inside a transaction, then
    /// `commitTransaction`.
    async fn write_transaction(
        &self,
        coll: &str,
        stmts: &mut [Statement],
    ) -> Result<(), StoreError> {
        let mut session = self
            .client
            .start_session()
            .await
            .map_err(|e| map_driver_error("starting a session", e))?;
        let mut dup_retries = 0;
        let mut transient_retries = 0;
        loop {
            session
                .start_transaction()
                .await
                .map_err(|e| map_driver_error("starting a transaction", e))?;
            let mut failure: Option<(WriteErr, usize)> = None;
            let mut start = 0;
            let mut sent: Result<(), DriverError> = Ok(());
            while start < stmts.len() {
                let end = chunk_end(stmts, start);
                let reply = self
                    .db
                    .run_raw_command(update_command(coll, stmts.get(start..end).unwrap_or(&[])))
                    .session(&mut session)
                    .await;
                match reply {
                    Err(e) => {
                        sent = Err(e);
                        break;
                    }
                    Ok(reply) => {
                        if let Err(e) = check_write_concern(&reply) {
                            let _ = session.abort_transaction().await;
                            return Err(e);
                        }
                        if let Some(we) = first_write_error(&reply) {
                            let global = start + we.index;
                            failure = Some((we, global));
                            break;
                        }
                        start = end;
                    }
                }
            }
            if let Err(e) = sent {
                let _ = session.abort_transaction().await;
                if e.contains_label("TransientTransactionError") && transient_retries < 3 {
                    transient_retries += 1;
                    continue;
                }
                return Err(map_driver_error("saving records", e));
            }
            if let Some((we, global)) = failure {
                let _ = session.abort_transaction().await;
                self.handle_write_error(we, stmts, global, &mut dup_retries)?;
                continue;
            }
            let mut commit = session.commit_transaction().await;
            if let Err(e) = &commit
                && e.contains_label("UnknownTransactionCommitResult")
            {
                commit = session.commit_transaction().await;
            }
            match commit {
                Ok(()) => return Ok(()),
                Err(e)
                    if e.contains_label("TransientTransactionError") && transient_retries < 3 =>
                {
                    transient_retries += 1;
                }
                Err(e) => return Err(map_driver_error("committing records", e)),
            }
        }
    }
}

/// One upsert statement, built and validated before anything is sent.
struct Statement {
    q: RawDocumentBuf,
    u: RawDocumentBuf,
    /// The update with `metadata` `$set` as a whole, for a stored record
    /// whose `metadata` is not an object (only when the incoming metadata
    /// is a non-empty object).
    replace_metadata: Option<RawDocumentBuf>,
    use_replace: bool,
    size: usize,
}

impl Statement {
    /// Stamps `record` ([`stamp_scope`](crate::store::stamp_scope)) and builds its statement.
    #[cfg(test)]
    fn build(
        collection: Collection,
        scope: &Scope,
        mut record: Document,
    ) -> Result<Self, StoreError> {
        let id = crate::store::stamp_scope(collection, scope, &mut record)?;
        Self::from_stamped(collection, Some(scope.organization_id()), &id, &record)
    }

    /// The statement for a record whose id is `id`, already stamped by
    /// [`stamp_batch`] with organization `org`, or checked by
    /// [`without_org_batch`] (`org` is `None`: the query matches a stored
    /// record without an organization).
    fn from_stamped(
        collection: Collection,
        org: Option<&str>,
        id: &RecordId,
        record: &Document,
    ) -> Result<Self, StoreError> {
        let mut q = RawDocumentBuf::new();
        match org {
            Some(org) => q.append(collection.org_path(), org),
            None => {
                // Not a string (absent included), or the empty string.
                let mut not_string = RawDocumentBuf::new();
                not_string.append(
                    "$not",
                    rawdoc_one("$type", RawBson::String("string".into())),
                );
                let mut alternatives = RawArrayBuf::new();
                alternatives.push(rawdoc_one(
                    collection.org_path(),
                    RawBson::Document(not_string),
                ));
                alternatives.push(rawdoc_one(
                    collection.org_path(),
                    RawBson::String(String::new()),
                ));
                q.append("$or", alternatives);
            }
        }
        q.append(collection.id_field(), id_to_raw(id));

        let mut set = RawDocumentBuf::new();
        let mut set_whole = RawDocumentBuf::new();
        let mut empty_metadata = false;
        let mut metadata_object = false;
        for (key, value) in record {
            check_path_key(key, "the record")?;
            convert::check_nested_keys(value, key)?;
            match (key.as_str(), value) {
                ("metadata", Value::Object(meta)) if meta.is_empty() => {
                    empty_metadata = true;
                }
                ("metadata", Value::Object(meta)) => {
                    metadata_object = true;
                    for (mk, mv) in meta {
                        check_path_key(mk, "metadata")?;
                        set.append(format!("metadata.{mk}"), convert::json_to_raw(mv));
                    }
                    set_whole.append(key, convert::json_to_raw(value));
                }
                _ => {
                    let v = convert::json_to_raw(value);
                    set.append(key, v.clone());
                    set_whole.append(key, v);
                }
            }
        }
        let make_update = |set: RawDocumentBuf| {
            let mut u = RawDocumentBuf::new();
            u.append("$set", set);
            if empty_metadata {
                // `{}` merged into stored metadata changes nothing, and
                // creates it when absent (or not an object): `$max` does
                // exactly that, as any object sorts above null, numbers and
                // strings, and `{}` below every non-empty object.
                u.append(
                    "$max",
                    rawdoc_one("metadata", RawBson::Document(RawDocumentBuf::new())),
                );
            }
            u
        };
        let u = make_update(set);
        let replace_metadata = metadata_object.then(|| make_update(set_whole));
        let size = q.as_bytes().len()
            + u.as_bytes().len().max(
                replace_metadata
                    .as_ref()
                    .map(|r| r.as_bytes().len())
                    .unwrap_or(0),
            )
            + 64;
        if size > MAX_STATEMENT_BYTES {
            return Err(StoreError::InvalidRecord {
                message: format!(
                    "{collection} record `{id}` is {size} bytes; MongoDB stores at most 16 MiB per document"
                ),
            });
        }
        Ok(Self {
            q,
            u,
            replace_metadata,
            use_replace: false,
            size,
        })
    }

    fn to_raw(&self) -> RawDocumentBuf {
        let mut s = RawDocumentBuf::new();
        s.append("q", self.q.clone());
        let u = match (&self.replace_metadata, self.use_replace) {
            (Some(r), true) => r.clone(),
            _ => self.u.clone(),
        };
        s.append("u", u);
        s.append("upsert", true);
        s.append("multi", false);
        s
    }
}

fn rawdoc_one(key: &str, value: RawBson) -> RawDocumentBuf {
    let mut d = RawDocumentBuf::new();
    d.append(key, value);
    d
}

/// A key used as an update path: not empty, no `.`, no leading `$`, no NUL,
/// and not `_id`.
fn check_path_key(key: &str, what: &str) -> Result<(), StoreError> {
    let bad = key.is_empty()
        || key.contains('.')
        || key.starts_with('$')
        || key.contains('\0')
        || (what == "the record" && key == "_id");
    if bad {
        return Err(StoreError::InvalidRecord {
            message: format!(
                "field name `{}` in {what} cannot be stored in MongoDB (empty, `_id`, a `.`, a leading `$` or a NUL byte)",
                key.escape_debug()
            ),
        });
    }
    Ok(())
}

fn chunk_end(stmts: &[Statement], start: usize) -> usize {
    let mut bytes = 0;
    let mut end = start;
    for stmt in stmts.iter().skip(start) {
        if end > start
            && (end - start >= MAX_STATEMENTS_PER_COMMAND || bytes + stmt.size > MAX_COMMAND_BYTES)
        {
            break;
        }
        bytes += stmt.size;
        end += 1;
    }
    end
}

fn update_command(coll: &str, stmts: &[Statement]) -> RawDocumentBuf {
    let mut updates = RawArrayBuf::new();
    for s in stmts {
        updates.push(s.to_raw());
    }
    let mut cmd = RawDocumentBuf::new();
    cmd.append("update", coll);
    cmd.append("updates", updates);
    cmd.append("ordered", true);
    cmd
}

struct WriteErr {
    index: usize,
    code: i32,
    message: String,
}

fn first_write_error(reply: &BsonDocument) -> Option<WriteErr> {
    let errors = reply.get_array("writeErrors").ok()?;
    errors
        .iter()
        .filter_map(|e| e.as_document())
        .map(|e| WriteErr {
            index: e
                .get("index")
                .and_then(bson_int)
                .and_then(|i| usize::try_from(i).ok())
                .unwrap_or(0),
            code: e.get("code").and_then(bson_int).unwrap_or(0) as i32,
            message: e.get_str("errmsg").unwrap_or("write error").to_owned(),
        })
        .min_by_key(|e| e.index)
}

fn check_write_concern(reply: &BsonDocument) -> Result<(), StoreError> {
    match reply.get_document("writeConcernError") {
        Ok(wce) => Err(StoreError::Backend {
            message: format!(
                "write concern not satisfied: {} (code {})",
                wce.get_str("errmsg").unwrap_or("unknown"),
                wce.get("code").and_then(bson_int).unwrap_or(0)
            ),
            source: None,
        }),
        Err(_) => Ok(()),
    }
}

fn id_to_raw(id: &RecordId) -> RawBson {
    match id {
        RecordId::Str(s) => RawBson::String(s.clone()),
        RecordId::Int(i) => match i32::try_from(*i) {
            Ok(small) => RawBson::Int32(small),
            Err(_) => RawBson::Int64(*i),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;
    use serde_json::{Value, json};

    fn rec(v: Value) -> Document {
        match v {
            Value::Object(m) => m,
            _ => Document::new(),
        }
    }

    #[test]
    fn statements_merge_metadata_per_key() {
        let s = Scope::new("o1").unwrap();
        let st = Statement::build(
            Collection::Comments,
            &s,
            rec(json!({"annotationId": "a1", "comments": [], "metadata": {"documentId": "d"}})),
        )
        .unwrap();
        assert_eq!(
            st.q.to_document().unwrap(),
            doc! {"metadata.organizationId": "o1", "annotationId": "a1"}
        );
        assert_eq!(
            st.u.to_document().unwrap(),
            doc! {"$set": {"annotationId": "a1", "comments": [],
            "metadata.documentId": "d", "metadata.organizationId": "o1"}}
        );
        assert_eq!(
            st.replace_metadata.unwrap().to_document().unwrap(),
            doc! {"$set": {"annotationId": "a1", "comments": [],
            "metadata": {"documentId": "d", "organizationId": "o1"}}}
        );
        let st = Statement::build(
            Collection::Notifications,
            &s,
            rec(json!({"notificationId": 5, "metadata": {}})),
        )
        .unwrap();
        assert_eq!(
            st.u.to_document().unwrap(),
            doc! {"$set": {"notificationId": 5, "organizationId": "o1"}, "$max": {"metadata": {}}}
        );
        assert_eq!(
            st.q.to_document().unwrap(),
            doc! {"organizationId": "o1", "notificationId": 5}
        );
    }

    #[test]
    fn statements_reject_unstorable_records() {
        let s = Scope::new("o1").unwrap();
        for bad in [
            json!({"annotationId": "a", "a.b": 1}),
            json!({"annotationId": "a", "$x": 1}),
            json!({"annotationId": "a", "_id": 1}),
            json!({"annotationId": "a", "metadata": {"x.y": 1}}),
            json!({"annotationId": "a", "c": [{"$bad": 1}]}),
            json!({"nope": "a"}),
        ] {
            let r = Statement::build(Collection::Comments, &s, rec(bad.clone()));
            assert!(matches!(r, Err(StoreError::InvalidRecord { .. })), "{bad}");
        }
    }

    #[test]
    fn chunks_split_by_size() {
        let s = Scope::new("o").unwrap();
        let big = "x".repeat(6 * 1024 * 1024);
        let stmts: Vec<Statement> = (0..5)
            .map(|i| {
                Statement::build(
                    Collection::Comments,
                    &s,
                    rec(json!({"annotationId": format!("a{i}"), "blob": big})),
                )
                .unwrap()
            })
            .collect();
        assert_eq!(chunk_end(&stmts, 0), 2);
        assert_eq!(chunk_end(&stmts, 2), 4);
        assert_eq!(chunk_end(&stmts, 4), 5);
    }
}
