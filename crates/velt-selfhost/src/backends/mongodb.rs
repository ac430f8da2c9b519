//! MongoDB backend (feature `mongodb`): velt-py's collections, field layout
//! and indexes, so a database written by velt-py reads back unchanged and
//! the other way round.
//!
//! - **Reads** translate [`scope_matches`] and [`selector_matches`] to one
//!   `find` (indexed), then re-check every returned document with those
//!   functions, so edge cases (arrays, mixed types) behave exactly as in the
//!   other backends. Results come back in insertion order (`_id` order), and
//!   without `_id`. A document that cannot be decoded is skipped with a
//!   warning, never failing the whole read.
//! - **Saves** ([`Store::upsert_many`]) send **one** `update` command holding
//!   one upsert statement per record, whatever their number (velt-py sent one
//!   command per record). The filter is `(organization path, id field)`; the
//!   update `$set`s every top-level key, and `metadata.<key>` for each key of
//!   an incoming `metadata` object, which is [`merge_record`]. Every record is
//!   validated before anything is sent, so an input error never writes
//!   anything. A save is atomic only with
//!   [`MongoStoreOptions::transactional_saves`] (two commands: the update and
//!   `commitTransaction`); otherwise a server-side failure on record *k*
//!   leaves records before *k* written and none after. A duplicate key caused
//!   by two concurrent saves creating the same record is retried (the second
//!   save then merges), so concurrent saves lose no write.
//! - **Deletes** are one `findAndModify` scoped by (organization, id).
//! - **Indexes** (velt-py's, with ids unique per organization) are created
//!   once per store, each on its own: a failure is logged with
//!   `tracing::warn!` and the others are still created.
//! - **Errors**: an unreachable server gives [`StoreError::Unavailable`]
//!   within the server-selection timeout (10 s by default, as velt-py); a
//!   unique-index violation gives [`StoreError::DuplicateKey`].
//!
//! A record written by a save over a legacy velt-py database still meets
//! velt-py's *global* unique indexes (`annotationId_1`, `attachmentId_1`,
//! `userId_1`) until they are dropped
//! ([`MongoStore::drop_legacy_global_unique_indexes`]).
//!
//! [`scope_matches`]: crate::store::scope_matches
//! [`selector_matches`]: crate::store::selector_matches
//! [`merge_record`]: crate::store::merge_record

mod config;
mod convert;
mod indexes;
mod scan;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use bson::oid::ObjectId;
use bson::raw::{RawArrayBuf, RawBson, RawDocumentBuf};
use bson::{Bson, Document as BsonDocument, doc};
use mongodb::error::{Error as DriverError, ErrorKind};
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};
use serde_json::Value;

pub use config::{MongoConfig, MongoStoreOptions, redact_uri};
pub use indexes::{IndexReport, IndexSpec, index_specs};

use crate::store::{
    Collection, Document, RecordId, ScanCursor, ScanPage, Scope, Selector, Store, StoreError,
    UserOrgScope, record_matches, stamp_batch,
};

/// Errors building a [`MongoStore`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MongoStoreError {
    /// The configuration cannot be turned into a connection (bad URI,
    /// missing database name...). Never contains the password.
    #[error("invalid MongoDB configuration: {message}")]
    InvalidConfig {
        /// What is wrong.
        message: String,
    },
    /// The server could not be used (unreachable: [`StoreError::Unavailable`]).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MongoStoreError {
    /// True when the server could not be reached.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, MongoStoreError::Store(e) if e.is_unavailable())
    }
}

/// Most statements in one `update` command (the server's maxWriteBatchSize).
const MAX_STATEMENTS_PER_COMMAND: usize = 100_000;
/// Bytes of statements in one `update` command (16 MiB less some room for
/// the command's own fields, session and transaction ids).
const MAX_COMMAND_BYTES: usize = 16 * 1024 * 1024 - 64 * 1024;
/// Largest single statement (a document is at most 16 MiB).
const MAX_STATEMENT_BYTES: usize = 16 * 1024 * 1024;
/// Documents per cursor batch on reads (the server caps a batch at 16 MiB).
const FIND_BATCH_SIZE: u32 = 100_000;
/// Extra attempts after a duplicate key on a save (concurrent creation).
const DUPLICATE_RETRIES: u32 = 2;
/// Server error codes meaning "not reachable / not primary right now".
const UNAVAILABLE_CODES: &[i32] = &[
    6, 7, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436,
];
/// Server error codes of a unique-index violation.
const DUPLICATE_KEY_CODES: &[i32] = &[11000, 11001, 12582];
/// `Cannot create field 'x' in element {metadata: "..."}`.
const PATH_NOT_VIABLE: i32 = 28;

/// The MongoDB [`Store`].
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    options: MongoStoreOptions,
    op_timeout: Duration,
    target: String,
    indexes: IndexReport,
}

impl fmt::Debug for MongoStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MongoStore")
            .field("target", &self.target)
            .field("database", &self.db.name())
            .field("options", &self.options)
            .field("op_timeout", &self.op_timeout)
            .finish_non_exhaustive()
    }
}

impl MongoStore {
    /// Connects with `config`, checks the server answers (failing with
    /// [`StoreError::Unavailable`] within the server-selection timeout) and
    /// creates the indexes (unless disabled).
    pub async fn connect(config: &MongoConfig) -> Result<Self, MongoStoreError> {
        Self::connect_with(config, |_| {}).await
    }

    /// [`MongoStore::connect`], letting `customize` adjust the driver's
    /// options first (event handlers, TLS, app name...).
    pub async fn connect_with(
        config: &MongoConfig,
        customize: impl FnOnce(&mut ClientOptions),
    ) -> Result<Self, MongoStoreError> {
        let resolved = config.resolve()?;
        let target = redact_uri(&resolved.uri);
        let mut opts = ClientOptions::parse(&resolved.uri).await.map_err(|e| {
            let message = scrub(&e.to_string(), config);
            match e.kind.as_ref() {
                ErrorKind::DnsResolve { .. } | ErrorKind::Io(_) => {
                    MongoStoreError::Store(StoreError::Unavailable {
                        message: format!("resolving {target}: {message}"),
                        source: None,
                    })
                }
                _ => MongoStoreError::InvalidConfig { message },
            }
        })?;
        opts.max_pool_size = Some(config.max_pool_size);
        opts.min_pool_size = Some(config.min_pool_size);
        opts.max_idle_time = Some(config.max_idle_time);
        opts.server_selection_timeout = Some(config.server_selection_timeout);
        if opts.app_name.is_none() {
            opts.app_name = Some(format!("velt-rs/{}", env!("CARGO_PKG_VERSION")));
        }
        customize(&mut opts);
        let client = Client::with_options(opts).map_err(|e| MongoStoreError::InvalidConfig {
            message: scrub(&e.to_string(), config),
        })?;
        let mut store = Self::assemble(
            client,
            &resolved.database,
            config.options.clone(),
            resolved.socket_timeout,
            target,
        );
        store.ping().await?;
        if store.options.create_indexes {
            store.indexes = store.ensure_indexes().await;
        }
        Ok(store)
    }

    /// A store over an existing client (shared pool): checks the server
    /// answers and creates the indexes (unless disabled). Operations time out
    /// after 45 s unless [`MongoStore::with_operation_timeout`] says otherwise.
    pub async fn with_client(
        client: Client,
        database: &str,
        options: MongoStoreOptions,
    ) -> Result<Self, MongoStoreError> {
        if database.is_empty() {
            return Err(MongoStoreError::InvalidConfig {
                message: "database name is empty".into(),
            });
        }
        let mut store = Self::assemble(
            client,
            database,
            options,
            MongoConfig::default().socket_timeout,
            "<client>".into(),
        );
        store.ping().await?;
        if store.options.create_indexes {
            store.indexes = store.ensure_indexes().await;
        }
        Ok(store)
    }

    fn assemble(
        client: Client,
        database: &str,
        options: MongoStoreOptions,
        op_timeout: Duration,
        target: String,
    ) -> Self {
        let db = client.database(database);
        Self {
            client,
            db,
            options,
            op_timeout,
            target,
            indexes: IndexReport::default(),
        }
    }

    /// Sets the upper bound of one store operation.
    pub fn with_operation_timeout(mut self, timeout: Duration) -> Self {
        self.op_timeout = timeout;
        self
    }

    /// What index creation did when the store was built.
    pub fn index_report(&self) -> &IndexReport {
        &self.indexes
    }

    /// Creates the indexes now (idempotent), each independently.
    pub async fn ensure_indexes(&self) -> IndexReport {
        let specs = index_specs(&self.options.user_lookup_fields);
        indexes::create_all(&self.db, &self.options.collections, &specs).await
    }

    /// Drops velt-py's globally unique id indexes (`annotationId_1` on
    /// comments, reactions and recorders, `attachmentId_1`, `userId_1`) when
    /// present and unique; they stop a second organization from using an id
    /// that another one uses. Returns the `collection.index` names dropped.
    pub async fn drop_legacy_global_unique_indexes(&self) -> Result<Vec<String>, StoreError> {
        let mut dropped = Vec::new();
        for collection in [
            Collection::Comments,
            Collection::Reactions,
            Collection::Recorders,
            Collection::Attachments,
            Collection::Users,
        ] {
            let name = self.options.collections.get(collection);
            let coll = self.db.collection::<BsonDocument>(name);
            let wanted = doc! { collection.id_field(): 1 };
            let listed = coll.list_indexes().await;
            let mut cursor = match listed {
                Ok(c) => c,
                Err(e) if is_ns_not_found(&e) => continue,
                Err(e) => return Err(map_driver_error("listing indexes", e)),
            };
            while cursor
                .advance()
                .await
                .map_err(|e| map_driver_error("listing indexes", e))?
            {
                let model = cursor
                    .deserialize_current()
                    .map_err(|e| map_driver_error("listing indexes", e))?;
                let unique = model
                    .options
                    .as_ref()
                    .and_then(|o| o.unique)
                    .unwrap_or(false);
                let index_name = model.options.as_ref().and_then(|o| o.name.clone());
                if unique
                    && key_equals(&model.keys, &wanted)
                    && let Some(index_name) = index_name
                {
                    coll.drop_index(index_name.clone())
                        .await
                        .map_err(|e| map_driver_error("dropping an index", e))?;
                    tracing::info!(index = %format!("{name}.{index_name}"), "dropped velt-py global unique index");
                    dropped.push(format!("{name}.{index_name}"));
                }
            }
        }
        Ok(dropped)
    }

    /// The driver client (shared connection pool).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The database holding the collections.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The store options.
    pub fn options(&self) -> &MongoStoreOptions {
        &self.options
    }

    async fn timed<T>(
        &self,
        what: &str,
        fut: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.op_timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err(StoreError::Unavailable {
                message: format!(
                    "{what}: no answer from {} within {:?}",
                    self.target, self.op_timeout
                ),
                source: None,
            }),
        }
    }

    async fn find_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let Some(filter) = build_filter(collection, scope, self.options.users, selector) else {
            return Ok(Vec::new());
        };
        let coll = self
            .db
            .collection::<RawDocumentBuf>(self.options.collections.get(collection));
        let mut cursor = coll
            .find(filter)
            .batch_size(FIND_BATCH_SIZE)
            .await
            .map_err(|e| map_driver_error("reading records", e))?;
        let mut rows: Vec<(Option<ObjectId>, Document)> = Vec::new();
        while cursor
            .advance()
            .await
            .map_err(|e| map_driver_error("reading records", e))?
        {
            let raw = cursor.current();
            let oid = raw.get_object_id("_id").ok();
            match convert::raw_to_document(raw) {
                Ok(doc) => {
                    if record_matches(collection, scope, self.options.users, selector, &doc) {
                        rows.push((oid, doc));
                    }
                }
                Err(e) => {
                    tracing::warn!(collection = %collection, error = %e, "skipping a stored document that cannot be decoded");
                }
            }
        }
        // Insertion order: ObjectIds grow with time; other `_id`s go last,
        // in the server's order (the sort is stable).
        rows.sort_by(|a, b| match (&a.0, &b.0) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        Ok(rows.into_iter().map(|(_, d)| d).collect())
    }

    async fn upsert_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let mut stmts = stamp_batch(collection, scope, records, |id, record| {
            Statement::from_stamped(collection, scope, &id, &record)
        })?;
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

    async fn delete_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        let coll = self
            .db
            .collection::<RawDocumentBuf>(self.options.collections.get(collection));
        let mut filter = BsonDocument::new();
        filter.insert(collection.org_path(), scope.organization_id());
        filter.insert(collection.id_field(), id_to_bson(id));
        let deleted = coll
            .find_one_and_delete(filter)
            .await
            .map_err(|e| map_driver_error("deleting a record", e))?;
        match deleted {
            None => Ok(None),
            Some(raw) => {
                convert::raw_to_document(&raw)
                    .map(Some)
                    .map_err(|e| StoreError::Backend {
                        message: format!("the deleted record cannot be decoded: {e}"),
                        source: None,
                    })
            }
        }
    }
}

#[async_trait]
impl Store for MongoStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        self.timed(
            "reading records",
            self.find_inner(collection, scope, selector),
        )
        .await
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        self.timed(
            "saving records",
            self.upsert_inner(collection, scope, records),
        )
        .await
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        self.timed(
            "deleting a record",
            self.delete_inner(collection, scope, id),
        )
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.timed("ping", async {
            self.db
                .run_command(doc! {"ping": 1})
                .await
                .map(|_| ())
                .map_err(|e| map_driver_error("ping", e))
        })
        .await
    }
    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        self.timed(
            "scanning records",
            self.scan_inner(collection, after, limit),
        )
        .await
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
        Self::from_stamped(collection, scope, &id, &record)
    }

    /// The statement for a record already stamped by [`stamp_batch`], whose
    /// id is `id`.
    fn from_stamped(
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
        record: &Document,
    ) -> Result<Self, StoreError> {
        let mut q = RawDocumentBuf::new();
        q.append(collection.org_path(), scope.organization_id());
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

fn bson_int(b: &Bson) -> Option<i64> {
    match b {
        Bson::Int32(i) => Some(i64::from(*i)),
        Bson::Int64(i) => Some(*i),
        Bson::Double(f) if f.fract() == 0.0 => Some(*f as i64),
        _ => None,
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

fn id_to_bson(id: &RecordId) -> Bson {
    match id {
        RecordId::Str(s) => Bson::String(s.clone()),
        RecordId::Int(i) => match i32::try_from(*i) {
            Ok(small) => Bson::Int32(small),
            Err(_) => Bson::Int64(*i),
        },
    }
}

fn json_to_bson(v: &Value) -> Bson {
    match convert::json_to_raw(v).try_into() {
        Ok(b) => b,
        Err(_) => Bson::Null,
    }
}

/// The query for a read: `None` when nothing can match (empty id lists).
/// Every backend's semantics are re-checked on the results, so this only
/// needs to select a superset, using the indexes.
fn build_filter(
    collection: Collection,
    scope: &Scope,
    users: UserOrgScope,
    selector: &Selector,
) -> Option<BsonDocument> {
    let mut conds: Vec<(String, Bson)> = Vec::new();
    let org = scope.organization_id();
    let org_path = collection.org_path();
    if collection == Collection::Users && users == UserOrgScope::SharedWhenMissing {
        conds.push((
            "$or".into(),
            Bson::Array(vec![
                Bson::Document(doc! { org_path: org }),
                Bson::Document(doc! { org_path: Bson::Null }),
            ]),
        ));
    } else {
        conds.push((org_path.into(), Bson::String(org.to_owned())));
    }
    if let Some(key) = scope.api_key() {
        conds.push(("metadata.apiKey".into(), Bson::String(key.to_owned())));
    }
    match selector {
        Selector::All => {}
        Selector::Ids(ids) => {
            if ids.is_empty() {
                return None;
            }
            let list = ids.iter().map(id_to_bson).collect();
            conds.push((collection.id_field().into(), doc_in(list)));
        }
        Selector::DocumentIds(ids) => {
            if ids.is_empty() {
                return None;
            }
            let list = ids.iter().map(|i| Bson::String(i.clone())).collect();
            conds.push(("metadata.documentId".into(), doc_in(list)));
        }
        Selector::Folder(folder) => {
            conds.push(("metadata.folderId".into(), Bson::String(folder.clone())));
        }
        Selector::AnyFieldIn { paths, values } => {
            let list: Vec<Bson> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(json_to_bson)
                .collect();
            if list.is_empty() || paths.is_empty() {
                return None;
            }
            if let [path] = paths.as_slice() {
                conds.push((path.clone(), doc_in(list)));
            } else {
                let alternatives = paths
                    .iter()
                    .map(|p| {
                        let mut d = BsonDocument::new();
                        d.insert(p.clone(), doc_in(list.clone()));
                        Bson::Document(d)
                    })
                    .collect();
                conds.push(("$or".into(), Bson::Array(alternatives)));
            }
        }
        // Future selectors: select the whole scope, the re-check filters.
        #[allow(unreachable_patterns)]
        _ => {}
    }
    let mut merged = BsonDocument::new();
    let distinct = {
        let mut keys: Vec<&str> = conds.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2).all(|w| w.first() != w.get(1))
    };
    if distinct {
        for (k, v) in conds {
            merged.insert(k, v);
        }
    } else {
        let all = conds
            .into_iter()
            .map(|(k, v)| {
                let mut d = BsonDocument::new();
                d.insert(k, v);
                Bson::Document(d)
            })
            .collect::<Vec<_>>();
        merged.insert("$and", all);
    }
    Some(merged)
}

fn doc_in(list: Vec<Bson>) -> Bson {
    Bson::Document(doc! { "$in": list })
}

fn key_equals(a: &BsonDocument, b: &BsonDocument) -> bool {
    a.len() == b.len()
        && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| {
            ka == kb && bson_int(va).is_some() && bson_int(va) == bson_int(vb)
        })
}

fn is_ns_not_found(e: &DriverError) -> bool {
    matches!(e.kind.as_ref(), ErrorKind::Command(c) if c.code == 26)
}

/// Maps a driver error to the store's typed errors.
fn map_driver_error(what: &str, e: DriverError) -> StoreError {
    let message = format!("{what}: {e}");
    let unavailable = match e.kind.as_ref() {
        ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. }
        | ErrorKind::ServerSelection { .. }
        | ErrorKind::DnsResolve { .. }
        | ErrorKind::Shutdown => true,
        ErrorKind::Command(c) => UNAVAILABLE_CODES.contains(&c.code),
        _ => false,
    };
    if unavailable {
        return StoreError::Unavailable {
            message,
            source: Some(Box::new(e)),
        };
    }
    let dup = match e.kind.as_ref() {
        ErrorKind::Command(c) => DUPLICATE_KEY_CODES.contains(&c.code),
        ErrorKind::Write(mongodb::error::WriteFailure::WriteError(w)) => {
            DUPLICATE_KEY_CODES.contains(&w.code)
        }
        _ => false,
    };
    if dup {
        return StoreError::DuplicateKey { message };
    }
    StoreError::Backend {
        message,
        source: Some(Box::new(e)),
    }
}

/// Removes the password (raw and percent-encoded) from a message.
fn scrub(message: &str, config: &MongoConfig) -> String {
    let mut out = message.to_owned();
    if !config.password.is_empty() {
        out = out.replace(&config.password, "<redacted>");
        out = out.replace(&config::percent_encode(&config.password), "<redacted>");
    }
    if let Some(cs) = &config.connection_string {
        out = out.replace(cs.as_str(), &redact_uri(cs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: Value) -> Document {
        match v {
            Value::Object(m) => m,
            _ => Document::new(),
        }
    }

    #[test]
    fn filters_use_velt_py_fields() {
        let s = Scope::new("o1").unwrap().with_api_key(Some("k".into()));
        let f = build_filter(
            Collection::Comments,
            &s,
            UserOrgScope::default(),
            &Selector::DocumentIds(vec!["d1".into()]),
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"metadata.organizationId": "o1", "metadata.apiKey": "k",
            "metadata.documentId": {"$in": ["d1"]}}
        );
        let s = Scope::new("o1").unwrap();
        let f = build_filter(
            Collection::Users,
            &s,
            UserOrgScope::SharedWhenMissing,
            &Selector::AnyFieldIn {
                paths: vec!["userId".into(), "profile.uid".into()],
                values: vec![json!("u1"), Value::Null, json!(7)],
            },
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"$and": [
                {"$or": [{"organizationId": "o1"}, {"organizationId": null}]},
                {"$or": [{"userId": {"$in": ["u1", 7]}}, {"profile.uid": {"$in": ["u1", 7]}}]},
            ]}
        );
        let f = build_filter(
            Collection::Attachments,
            &s,
            UserOrgScope::Strict,
            &Selector::Ids(vec![RecordId::Int(12), "x".into()]),
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"metadata.organizationId": "o1", "attachmentId": {"$in": [12, "x"]}}
        );
        assert!(
            build_filter(
                Collection::Comments,
                &s,
                UserOrgScope::Strict,
                &Selector::Ids(vec![])
            )
            .is_none()
        );
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
