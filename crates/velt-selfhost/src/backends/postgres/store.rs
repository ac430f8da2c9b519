//! [`PostgresStore`]: the pool, the prepared SQL texts and the [`Store`]
//! operations.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use futures_util::TryStreamExt;
use futures_util::future::{join, join4};
use serde_json::Value;
use tokio_postgres::types::{ToSql, Type};

use crate::raw::RawRows;
use crate::store::{
    Collection, Document, RecordId, ScanCursor, ScanPage, Scope, Selector, Store, StoreError,
    merge_record, record_matches, stamp_batch, without_org_batch,
};

use super::config::{Resolved, redact_text};
use super::convert::{Param, lock_key, map_pg_error, read_filter, validate};
use super::schema::{SchemaReport, ensure_schema, path_literal, quote_ident};
use super::{PostgresConfig, PostgresStoreError, SslMode};

/// The PostgreSQL [`Store`]. Cheap to clone (a shared pool).
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

struct Inner {
    config: PostgresConfig,
    pool: Pool,
    sql: HashMap<Collection, CollectionSql>,
    schema_report: SchemaReport,
}

/// The SQL texts of one collection, built once.
struct CollectionSql {
    table: String,
    qualified: String,
    upsert: String,
    /// `upsert` matching stored records without an organization (no `$4`).
    upsert_without_org: String,
    delete: String,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Locks every key of a save in one statement, in hash order (so two
/// velt-rs saves sharing keys cannot deadlock).
const LOCK_SQL: &str = "SELECT count(pg_advisory_xact_lock(h)) FROM \
    (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS keys";

impl PostgresStore {
    /// Connects (a pool of [`PostgresConfig::pool_size`] connections; one
    /// is opened now so a bad URL or password fails here) and, with
    /// [`PostgresConfig::manage_schema`], creates the schema, tables and
    /// indexes.
    pub async fn connect(config: &PostgresConfig) -> Result<Self, PostgresStoreError> {
        let resolved = config.resolve()?;
        let pool = build_pool(config, resolved)?;
        let client = pool.get().await.map_err(|e| pool_error("connecting", e))?;
        let schema_report = if config.manage_schema {
            let report = ensure_schema(
                &client,
                &config.schema,
                &config.collections,
                &config.user_lookup_fields,
                config.ddl_lock_timeout,
            )
            .await;
            // The session advisory lock lives on this connection: never
            // hand it back to the pool (dropping it closes the session).
            let _ = deadpool_postgres::Object::take(client);
            report?
        } else {
            drop(client);
            SchemaReport::default()
        };
        let sql = Collection::ALL
            .iter()
            .map(|c| (*c, CollectionSql::new(config, *c)))
            .collect();
        Ok(Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                pool,
                sql,
                schema_report,
            }),
        })
    }

    /// What schema setup did when the store connected (empty without
    /// [`PostgresConfig::manage_schema`]).
    pub fn schema_report(&self) -> &SchemaReport {
        &self.inner.schema_report
    }

    /// The settings the store was built with.
    pub fn config(&self) -> &PostgresConfig {
        &self.inner.config
    }

    /// The connection pool (for tooling and tests).
    pub fn pool(&self) -> &Pool {
        &self.inner.pool
    }

    fn sql(&self, collection: Collection) -> Result<&CollectionSql, StoreError> {
        self.inner
            .sql
            .get(&collection)
            .ok_or_else(|| StoreError::Backend {
                message: format!("no SQL prepared for collection {collection}"),
                source: None,
            })
    }

    /// Writes a folded batch in one transaction and one round trip: the
    /// records of organization `org`, or (`None`) records without one.
    async fn write_pending(
        &self,
        collection: Collection,
        org: Option<&str>,
        pending: Vec<Pending>,
    ) -> Result<(), StoreError> {
        let sql = self.sql(collection)?;
        // Real organizations are never empty, so `""` keys no other record.
        let lock_org = org.unwrap_or_default();
        let keys: Vec<String> = pending
            .iter()
            .map(|p| {
                lock_key(
                    &self.inner.config.schema,
                    &sql.table,
                    collection,
                    lock_org,
                    &p.id,
                )
            })
            .collect();
        let mut ids = Vec::with_capacity(pending.len());
        let mut docs = Vec::with_capacity(pending.len());
        let mut flags = Vec::with_capacity(pending.len());
        for p in pending {
            ids.push(p.id.to_value());
            docs.push(Value::Object(p.doc));
            flags.push(p.replace_meta);
        }
        let org_param = org.map(str::to_owned);
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&ids, &docs, &flags];
        let (upsert_sql, upsert_types) = match &org_param {
            Some(org) => {
                params.push(org);
                (&sql.upsert, UPSERT_TYPES)
            }
            None => (&sql.upsert_without_org, &UPSERT_TYPES[..3]),
        };
        let client = self.client().await?;
        let (lock_stmt, upsert_stmt) = join(
            prepared(&client, LOCK_SQL, &[Type::TEXT_ARRAY], "locking records"),
            prepared(&client, upsert_sql, upsert_types, "saving records"),
        )
        .await;
        let (lock_stmt, upsert_stmt) = (lock_stmt?, upsert_stmt?);
        // One round trip: the four statements are written before any answer
        // is read (tokio-postgres pipelines requests of one connection).
        // A failure aborts the transaction, and COMMIT then rolls back.
        let (begin, lock, upsert, commit) = join4(
            client.batch_execute("BEGIN"),
            client.query(&lock_stmt, &[&keys]),
            client.query(&upsert_stmt, &params),
            client.batch_execute("COMMIT"),
        )
        .await;
        begin.map_err(|e| map_pg_error("starting a transaction", e))?;
        lock.map_err(|e| map_pg_error("locking records", e))?;
        upsert.map_err(|e| map_pg_error("saving records", e))?;
        commit.map_err(|e| map_pg_error("committing records", e))?;
        Ok(())
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.inner
            .pool
            .get()
            .await
            .map_err(|e| pool_error("getting a connection", e))
    }
}

/// Parameter types of the upsert statements: ids, records, replace-metadata
/// flags, then the organization (absent from `upsert_without_org`).
const UPSERT_TYPES: &[Type] = &[
    Type::JSONB_ARRAY,
    Type::JSONB_ARRAY,
    Type::BOOL_ARRAY,
    Type::TEXT,
];

/// `sql` prepared on `client`'s connection, from the connection's cache
/// after its first use there: PostgreSQL then parses a statement once per
/// connection, not once per request, and plans it again only when its
/// generic plan is not good enough. A failed prepare (a missing table, for
/// instance) is not cached and reads as the statement's own error, with
/// `context`.
async fn prepared(
    client: &deadpool_postgres::Object,
    sql: &str,
    types: &[Type],
    context: &str,
) -> Result<tokio_postgres::Statement, StoreError> {
    client
        .prepare_typed_cached(sql, types)
        .await
        .map_err(|e| map_pg_error(context, e))
}

impl CollectionSql {
    fn new(config: &PostgresConfig, collection: Collection) -> Self {
        let table = config.collections.get(collection).to_owned();
        let qualified = format!("{}.{}", quote_ident(&config.schema), quote_ident(&table));
        let id = path_literal(collection.id_field());
        let org = path_literal(collection.org_path());
        let t = &qualified;
        // One statement for the whole batch. Each input finds its stored
        // row by a LATERAL probe of an id index (the first row by `id` if
        // velt-py ever left duplicates), so the cost is N index probes
        // whatever the table holds; a join on the organization's rows was
        // N × rows. The JSONB equality adds nothing to the text and type
        // tests but lets the planner use velt-rs's `_scoped` unique index
        // as well as velt-py's text ones. Matched rows are merged
        // (merge_record: top-level keys replace, metadata merged one level
        // deep unless a record of the batch replaced it) and written only
        // when the merge changes them (no new row version, index entries or
        // WAL for an unchanged re-save); the rest are inserted in input
        // order. The merge reads the target row itself (`t.data`), so a
        // concurrent unlocked UPDATE of the row is merged, not overwritten.
        let merged = "CASE \
               WHEN NOT input.replace_meta \
                AND jsonb_typeof(t.data -> 'metadata') = 'object' \
                AND jsonb_typeof(input.doc -> 'metadata') = 'object' \
               THEN t.data || input.doc || jsonb_build_object('metadata', (t.data -> 'metadata') || (input.doc -> 'metadata')) \
               ELSE t.data || input.doc END";
        let upsert_sql = |org_match: &str| {
            format!(
                "WITH input AS (\
               SELECT i.ord, i.rid, i.doc, i.replace_meta \
               FROM unnest($1::jsonb[], $2::jsonb[], $3::bool[]) WITH ORDINALITY AS i(rid, doc, replace_meta, ord)), \
             matched AS (\
               SELECT input.ord, m.row_id FROM input CROSS JOIN LATERAL (\
                 SELECT s.id AS row_id FROM {t} s \
                 WHERE (s.data #>> {id}) = (input.rid #>> '{{}}') \
                   AND jsonb_typeof(s.data #> {id}) = jsonb_typeof(input.rid) \
                   AND (s.data #> {id}) = input.rid \
                   AND {org_match} \
                 ORDER BY s.id LIMIT 1) AS m), \
             updated AS (\
               UPDATE {t} t SET data = {merged}, updated_at = now() \
               FROM matched JOIN input ON input.ord = matched.ord \
               WHERE t.id = matched.row_id AND t.data IS DISTINCT FROM ({merged}) \
               RETURNING t.id), \
             inserted AS (\
               INSERT INTO {t} (data) SELECT input.doc FROM input \
               WHERE NOT EXISTS (SELECT 1 FROM matched WHERE matched.ord = input.ord) \
               ORDER BY input.ord RETURNING id) \
             SELECT (SELECT count(*) FROM updated) AS updated, (SELECT count(*) FROM inserted) AS inserted"
            )
        };
        let upsert = upsert_sql(&format!(
            "(s.data #>> {org}) = $4 AND jsonb_typeof(s.data #> {org}) = 'string'"
        ));
        // No organization: not a string (absent included), or empty, as
        // `transfer::record_org` reads it.
        let upsert_without_org = upsert_sql(&format!(
            "(jsonb_typeof(s.data #> {org}) IS DISTINCT FROM 'string' OR (s.data #>> {org}) = '')"
        ));
        let delete = format!(
            "DELETE FROM {t} WHERE (data #>> {id}) = ($1::jsonb #>> '{{}}') \
             AND jsonb_typeof(data #> {id}) = jsonb_typeof($1::jsonb) \
             AND (data #>> {org}) = $2 AND jsonb_typeof(data #> {org}) = 'string' \
             RETURNING id, data"
        );
        Self {
            table,
            qualified,
            upsert,
            upsert_without_org,
            delete,
        }
    }
}

fn build_pool(config: &PostgresConfig, resolved: Resolved) -> Result<Pool, PostgresStoreError> {
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match resolved.ssl_mode {
        SslMode::Disable => {
            Manager::from_config(resolved.pg, tokio_postgres::NoTls, manager_config)
        }
        _ => {
            let tls = super::tls::client_config(resolved.ssl_mode, resolved.root_cert.as_deref())?;
            Manager::from_config(
                resolved.pg,
                tokio_postgres_rustls::MakeRustlsConnect::new(tls),
                manager_config,
            )
        }
    };
    Pool::builder(manager)
        .max_size(config.pool_size.max(1))
        .wait_timeout(Some(config.connect_timeout))
        .create_timeout(Some(config.connect_timeout))
        .recycle_timeout(Some(config.connect_timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| PostgresStoreError::InvalidConfig {
            message: format!("cannot build the connection pool: {e}"),
        })
}

fn pool_error(action: &str, e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => map_pg_error(action, e),
        other => StoreError::Unavailable {
            message: redact_text(&format!("PostgreSQL pool error while {action}: {other}")),
            source: None,
        },
    }
}

/// One record of a save after folding the batch's records with the same id.
struct Pending {
    id: RecordId,
    doc: Document,
    /// A record of the batch replaced `metadata` by a non-object: stored
    /// metadata is then replaced, not merged.
    replace_meta: bool,
}

fn fold_batch(stamped: Vec<(RecordId, Document)>) -> Vec<Pending> {
    let mut out: Vec<Pending> = Vec::with_capacity(stamped.len());
    let mut index: HashMap<RecordId, usize> = HashMap::new();
    for (id, doc) in stamped {
        let non_object_meta = doc.get("metadata").is_some_and(|m| !m.is_object());
        match index.get(&id).and_then(|&i| out.get_mut(i)) {
            Some(p) => {
                p.replace_meta |= non_object_meta;
                merge_record(&mut p.doc, doc);
            }
            None => {
                index.insert(id.clone(), out.len());
                out.push(Pending {
                    id,
                    doc,
                    replace_meta: non_object_meta,
                });
            }
        }
    }
    out
}

#[async_trait]
impl Store for PostgresStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let users = self.inner.config.users;
        let mut out = Vec::new();
        read_rows(self, collection, scope, selector, "data", |row, table| {
            match row.try_get::<_, Value>(0) {
                Ok(Value::Object(doc)) => {
                    if record_matches(collection, scope, users, selector, &doc) {
                        out.push(doc);
                    }
                }
                Ok(_) => {
                    tracing::warn!(%collection, %table, "skipping a stored record that is not a JSON object");
                }
                Err(e) => {
                    tracing::warn!(%collection, %table, error = %e, "skipping a stored record that cannot be decoded");
                }
            }
        })
        .await?;
        Ok(out)
    }

    /// `data::text` of the rows the query selects, unfiltered (the reader
    /// applies the contract's filter in its own scan of each record).
    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let mut out = RawRows::unfiltered(self.inner.config.users);
        read_rows(self, collection, scope, selector, "data::text", |row, table| {
            match row.try_get::<_, &str>(0) {
                Ok(text) => out.push(text),
                Err(e) => {
                    tracing::warn!(%collection, %table, error = %e, "skipping a stored record that cannot be decoded");
                }
            }
        })
        .await?;
        Ok(out)
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        // Validate and stamp everything before anything is sent.
        let stamped = stamp_batch(collection, scope, records, |id, record| {
            validate(collection, &id, &record)?;
            Ok((id, record))
        })?;
        if stamped.is_empty() {
            return Ok(());
        }
        self.write_pending(
            collection,
            Some(scope.organization_id()),
            fold_batch(stamped),
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
        let checked = without_org_batch(collection, records, |id, record| {
            validate(collection, &id, &record)?;
            Ok((id, record))
        })?;
        if checked.is_empty() {
            return Ok(());
        }
        self.write_pending(collection, None, fold_batch(checked))
            .await
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        let sql = self.sql(collection)?;
        let id = id.to_value();
        let org = scope.organization_id().to_owned();
        let client = self.client().await?;
        let rows = client
            .query_typed(&sql.delete, &[(&id, Type::JSONB), (&org, Type::TEXT)])
            .await
            .map_err(|e| map_pg_error("deleting a record", e))?;
        let mut first: Option<(i64, Value)> = None;
        for row in rows {
            let row_id: i64 = row
                .try_get(0)
                .map_err(|e| map_pg_error("deleting a record", e))?;
            let data: Value = row
                .try_get(1)
                .map_err(|e| map_pg_error("deleting a record", e))?;
            if first.as_ref().is_none_or(|(i, _)| row_id < *i) {
                first = Some((row_id, data));
            }
        }
        Ok(first.map(|(_, data)| match data {
            Value::Object(doc) => doc,
            _ => Document::new(),
        }))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .batch_execute("SELECT 1")
            .await
            .map_err(|e| map_pg_error("pinging", e))
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        self.scan_rows(collection, after, limit).await
    }
}

impl PostgresStore {
    /// [`Store::scan`]: rows of one table by `id` (the identity primary
    /// key), after the cursor's `id`, one more than `limit` to know whether
    /// another page follows. A row whose `data` is not a JSON object is
    /// skipped with a warning, as in reads; a missing table scans empty.
    async fn scan_rows(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let after: i64 = match after {
            None => 0,
            Some(c) => c.as_str().parse().map_err(|_| c.invalid("PostgreSQL"))?,
        };
        let limit = limit.max(1);
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let sql = self.sql(collection)?;
        let text = format!(
            "SELECT id, data FROM {} WHERE id > $1 ORDER BY id LIMIT $2",
            sql.qualified
        );
        let client = self.client().await?;
        let rows = match client
            .query_typed(&text, &[(&after, Type::INT8), (&fetch, Type::INT8)])
            .await
        {
            Ok(rows) => rows,
            // A table that does not exist holds no records: a velt-py
            // database opened without schema management has no tables for
            // velt-rs's own collections.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_TABLE) => {
                return Ok(ScanPage::default());
            }
            Err(e) => return Err(map_pg_error("scanning records", e)),
        };
        let more = rows.len() > limit;
        let mut records = Vec::with_capacity(rows.len().min(limit));
        let mut last = after;
        for row in rows.into_iter().take(limit) {
            last = row
                .try_get(0)
                .map_err(|e| map_pg_error("scanning records", e))?;
            match row.try_get::<_, Value>(1) {
                Ok(Value::Object(doc)) => records.push(doc),
                Ok(_) => {
                    tracing::warn!(%collection, table = %sql.table, id = last, "skipping a stored record that is not a JSON object");
                }
                Err(e) => {
                    tracing::warn!(%collection, table = %sql.table, id = last, error = %e, "skipping a stored record that cannot be decoded");
                }
            }
        }
        Ok(ScanPage {
            records,
            next: more.then(|| ScanCursor::new(last.to_string())),
        })
    }
}

/// The rows of a read: `column` (an expression over `data`) of the records
/// the SQL filter selects, handed to `each` in insertion order as they
/// arrive, with the table's name.
async fn read_rows(
    store: &PostgresStore,
    collection: Collection,
    scope: &Scope,
    selector: &Selector,
    column: &str,
    mut each: impl FnMut(tokio_postgres::Row, &str) + Send,
) -> Result<(), StoreError> {
    let sql = store.sql(collection)?;
    let users = store.inner.config.users;
    let (filter, params) = read_filter(collection, scope, users, selector);
    let text = format!(
        "SELECT {column} FROM {} WHERE {filter} ORDER BY id",
        sql.qualified
    );
    let (values, types): (Vec<&(dyn ToSql + Sync)>, Vec<Type>) = params
        .iter()
        .map(|p| match p {
            Param::Text(s) => (s as &(dyn ToSql + Sync), Type::TEXT),
            Param::TextArray(a) => (a as &(dyn ToSql + Sync), Type::TEXT_ARRAY),
            Param::JsonbArray(a) => (a as &(dyn ToSql + Sync), Type::JSONB_ARRAY),
        })
        .unzip();
    let client = store.client().await?;
    // Each row is handed on as it arrives and dropped: the result set is
    // never held whole next to what the caller builds from it. The texts
    // of these selectors come from a fixed set (collection, selector kind,
    // id types), so they are prepared once per connection; one that names
    // caller-given paths is not, so the cache stays bounded.
    let rows = if matches!(selector, Selector::AnyFieldIn { .. }) {
        client
            .query_typed_raw(&text, values.into_iter().zip(types))
            .await
    } else {
        let statement = prepared(&client, &text, &types, "reading records").await?;
        client.query_raw(&statement, values).await
    }
    .map_err(|e| map_pg_error("reading records", e))?;
    let mut rows = std::pin::pin!(rows);
    while let Some(row) = rows
        .try_next()
        .await
        .map_err(|e| map_pg_error("reading records", e))?
    {
        each(row, sql.table.as_str());
    }
    Ok(())
}
