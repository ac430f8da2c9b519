//! MongoDB backend (feature `mongodb`): velt-py's collections, field layout
//! and indexes, so a database written by velt-py reads back unchanged and
//! the other way round.
//!
//! - **Reads** translate [`scope_matches`] and [`selector_matches`] to one
//!   `find` (indexed), then re-check every returned document with those
//!   functions, so edge cases (arrays, mixed types) behave exactly as in the
//!   other backends. Results come back in insertion order (`_id` order), and
//!   without `_id`. A document that cannot be decoded is skipped with a
//!   warning, never failing the whole read. Reads answered from JSON text
//!   ([`Store::find_raw_rows`]) write each BSON document straight to JSON
//!   text, the same bytes as serializing what [`Store::find`] returns,
//!   without building a `serde_json::Value` in between.
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
mod filter;
mod indexes;
mod scan;
mod text;
mod write;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use bson::oid::ObjectId;
use bson::raw::{RawDocument, RawDocumentBuf};
use bson::{Bson, Document as BsonDocument, doc};
use mongodb::error::{Error as DriverError, ErrorKind};
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};

pub use config::{MongoConfig, MongoStoreOptions, redact_uri};
use filter::{build_filter, id_to_bson};
pub use indexes::{IndexReport, IndexSpec, index_specs};

use crate::raw::RawRows;
use crate::store::{
    Collection, Document, RecordId, ScanCursor, ScanPage, Scope, Selector, Store, StoreError,
    record_matches,
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

/// Documents per cursor batch on reads (the server caps a batch at 16 MiB).
const FIND_BATCH_SIZE: u32 = 100_000;
/// Server error codes meaning "not reachable / not primary right now".
const UNAVAILABLE_CODES: &[i32] = &[
    6, 7, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436,
];
/// Server error codes of a unique-index violation.
const DUPLICATE_KEY_CODES: &[i32] = &[11000, 11001, 12582];

/// The MongoDB [`Store`].
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    options: MongoStoreOptions,
    op_timeout: Duration,
    target: String,
    indexes: IndexReport,
    /// False for [`MongoStore::with_client`]: [`Store::close`] then leaves
    /// the caller's client alone.
    owns_client: bool,
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
        store.owns_client = false;
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
            owns_client: true,
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

    /// Runs a read's `find` (the scope and selector as one indexed filter:
    /// a superset of the read's records) and hands each document to `each`,
    /// in the server's order. Nothing is read when nothing can match.
    async fn for_each_found(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
        mut each: impl FnMut(&RawDocument),
    ) -> Result<(), StoreError> {
        let Some(filter) = build_filter(collection, scope, self.options.users, selector) else {
            return Ok(());
        };
        let coll = self
            .db
            .collection::<RawDocumentBuf>(self.options.collections.get(collection));
        let mut cursor = coll
            .find(filter)
            .batch_size(FIND_BATCH_SIZE)
            .await
            .map_err(|e| map_driver_error("reading records", e))?;
        while cursor
            .advance()
            .await
            .map_err(|e| map_driver_error("reading records", e))?
        {
            each(cursor.current());
        }
        Ok(())
    }

    async fn find_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let mut rows: Vec<(Option<ObjectId>, Document)> = Vec::new();
        self.for_each_found(collection, scope, selector, |raw| {
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
        })
        .await?;
        // Insertion order: ObjectIds grow with time; other `_id`s go last,
        // in the server's order (the sort is stable).
        rows.sort_by(|a, b| text::insertion_order(&a.0, &b.0));
        Ok(rows.into_iter().map(|(_, d)| d).collect())
    }

    /// [`Store::find_raw_rows`]: the same `find` as [`Store::find`], each
    /// document written straight to JSON text (no `Value` in between), in
    /// the same order; the reader applies the contract's filter in its scan.
    async fn find_raw_rows_inner(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let mut text = text::TextRows::default();
        self.for_each_found(collection, scope, selector, |raw| {
            text.push(collection, raw);
        })
        .await?;
        Ok(text.into_rows(RawRows::unfiltered(self.options.users)))
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

    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        self.timed(
            "reading records",
            self.find_raw_rows_inner(collection, scope, selector),
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

    fn holds_records_without_org(&self) -> bool {
        true
    }

    async fn upsert_without_org(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        self.timed(
            "saving records",
            self.upsert_without_org_inner(collection, records),
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

    /// Shuts the driver's client down (its sessions ended, its pools
    /// closed), unless the store was made [`MongoStore::with_client`].
    async fn close(&self) {
        if self.owns_client {
            self.client.clone().shutdown().await;
        }
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

fn bson_int(b: &Bson) -> Option<i64> {
    match b {
        Bson::Int32(i) => Some(i64::from(*i)),
        Bson::Int64(i) => Some(*i),
        Bson::Double(f) if f.fract() == 0.0 => Some(*f as i64),
        _ => None,
    }
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
