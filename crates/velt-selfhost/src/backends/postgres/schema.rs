//! velt-py 0.3.0's PostgreSQL layout: one table per collection, JSONB
//! `data`, and the `ix_…` expression indexes, with byte-identical DDL text
//! (so both SDKs see each other's indexes as their own), created the way
//! velt-py creates them.

use std::time::{Duration, Instant};

use sha1::{Digest, Sha1};
use tokio_postgres::Client;
use tokio_postgres::types::Type;

use crate::store::{Collection, CollectionNames};

use super::PostgresConfig;
use super::convert::map_pg_error;
use crate::store::StoreError;

/// PostgreSQL's identifier limit (`NAMEDATALEN - 1`).
const MAX_IDENTIFIER_LENGTH: usize = 63;
/// velt-py's DDL advisory-lock key (`hashtextextended(key, 0)`).
const DDL_LOCK_KEY: &str = "velt_py:ddl:";
/// velt-py polls the DDL lock every 250 ms.
const DDL_LOCK_POLL: Duration = Duration::from_millis(250);

/// `"name"` with `"` doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// velt-py's canonical text of a JSON path: `'{"a","b"}'::text[]`.
pub fn path_literal(path: &str) -> String {
    let elements: Vec<String> = path
        .split('.')
        .map(|seg| format!("\"{}\"", seg.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    let array = format!("{{{}}}", elements.join(","));
    format!("'{}'::text[]", array.replace('\'', "''"))
}

/// velt-py's index name: `ix_<table>_<paths><suffix>` lowercased, dots as
/// `_`; when longer than 63 characters, its first 54 characters, `_`, and 8
/// hex digits of the SHA-1 of the full name.
pub fn index_name(table: &str, keys: &[String], suffix: &str) -> String {
    let paths: Vec<String> = keys.iter().map(|k| k.replace('.', "_")).collect();
    let full = format!("ix_{table}_{}{suffix}", paths.join("_")).to_lowercase();
    if full.len() <= MAX_IDENTIFIER_LENGTH {
        return full;
    }
    let digest = Sha1::digest(full.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let head: String = full.chars().take(54).collect();
    format!("{head}_{}", hex.get(..8).unwrap_or(""))
}

/// `CREATE TABLE IF NOT EXISTS` of one collection, as velt-py writes it.
pub fn table_ddl(schema: &str, table: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {}.{} (\n    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    data        JSONB       NOT NULL CHECK (jsonb_typeof(data) = 'object'),\n    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),\n    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()\n);",
        quote_ident(schema),
        quote_ident(table)
    )
}

/// Which expression an index is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IndexExpression {
    /// `data #>> path` for every key (velt-py's text indexes).
    Text,
    /// `data #> path` for every key (velt-py's `_jsonb` indexes; name suffix
    /// `_jsonb`).
    Jsonb,
    /// velt-rs's per-organization unique index: the organization as text,
    /// the id as JSONB (so `12` and `"12"` stay distinct); suffix `_scoped`.
    Scoped,
}

/// One index of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgIndexSpec {
    /// The collection kind.
    pub collection: Collection,
    /// Key paths, in order.
    pub keys: Vec<String>,
    /// Whether the index is unique.
    pub unique: bool,
    /// The indexed expression.
    pub expression: IndexExpression,
}

impl PgIndexSpec {
    fn new(collection: Collection, keys: &[&str], unique: bool) -> Self {
        Self {
            collection,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            unique,
            expression: IndexExpression::Text,
        }
    }

    /// The index's name in `table`.
    pub fn name(&self, table: &str) -> String {
        let suffix = match self.expression {
            IndexExpression::Text => "",
            IndexExpression::Jsonb => "_jsonb",
            IndexExpression::Scoped => "_scoped",
        };
        index_name(table, &self.keys, suffix)
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS …`, velt-py's text.
    pub fn ddl(&self, schema: &str, table: &str, concurrently: bool) -> String {
        let exprs: Vec<String> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let op = match self.expression {
                    IndexExpression::Text => "#>>",
                    IndexExpression::Jsonb => "#>",
                    IndexExpression::Scoped if i == 0 => "#>>",
                    IndexExpression::Scoped => "#>",
                };
                format!("(data {op} {})", path_literal(k))
            })
            .collect();
        format!(
            "CREATE {}INDEX {}IF NOT EXISTS {} ON {}.{} ({});",
            if self.unique { "UNIQUE " } else { "" },
            if concurrently { "CONCURRENTLY " } else { "" },
            quote_ident(&self.name(table)),
            quote_ident(schema),
            quote_ident(table),
            exprs.join(", ")
        )
    }
}

/// Every index, in velt-py 0.3.0's creation order (its text indexes, then
/// its `_jsonb` index), then velt-rs's per-organization unique indexes.
///
/// Same names and expressions as velt-py. One difference: velt-py's five
/// *globally* unique id indexes (`annotationId` of comments, reactions and
/// recorders, `attachmentId`, `userId`) are created non-unique, and the
/// `_scoped` indexes make ids unique per organization instead (velt-py's
/// defect 3). Fields in `user_lookup_fields` get (non-unique) indexes, as
/// velt-py's `user_schema` mapping does (velt-py's are unique).
pub fn pg_index_specs(user_lookup_fields: &[String]) -> Vec<PgIndexSpec> {
    use Collection::*;
    const ORG: &str = "metadata.organizationId";
    const DOC: &str = "metadata.documentId";
    const KEY: &str = "metadata.apiKey";
    const FOLDER: &str = "metadata.folderId";
    const AID: &str = "annotationId";
    let mut specs = Vec::new();
    for c in [Comments, Reactions] {
        specs.push(PgIndexSpec::new(c, &[AID], false));
        for k in [DOC, ORG, KEY, FOLDER] {
            specs.push(PgIndexSpec::new(c, &[k], false));
        }
        specs.push(PgIndexSpec::new(c, &[ORG, DOC], false));
        specs.push(PgIndexSpec::new(c, &[ORG, KEY, DOC], false));
        specs.push(PgIndexSpec::new(c, &[ORG, KEY, AID], false));
        specs.push(PgIndexSpec::new(c, &[ORG, KEY, FOLDER], false));
    }
    specs.push(PgIndexSpec::new(Recorders, &[AID], false));
    for k in [DOC, ORG, KEY] {
        specs.push(PgIndexSpec::new(Recorders, &[k], false));
    }
    specs.push(PgIndexSpec::new(Recorders, &[ORG, DOC], false));
    specs.push(PgIndexSpec::new(Recorders, &[ORG, KEY, DOC], false));
    specs.push(PgIndexSpec::new(Recorders, &[ORG, KEY, AID], false));
    specs.push(PgIndexSpec::new(Notifications, &["notificationId"], false));
    specs.push(PgIndexSpec::new(Notifications, &["organizationId"], false));
    specs.push(PgIndexSpec::new(
        Notifications,
        &["organizationId", "notificationId"],
        true,
    ));
    specs.push(PgIndexSpec::new(Activities, &["id"], false));
    specs.push(PgIndexSpec::new(Activities, &["organizationId"], false));
    specs.push(PgIndexSpec::new(
        Activities,
        &["organizationId", "id"],
        true,
    ));
    specs.push(PgIndexSpec::new(Activities, &[DOC], false));
    specs.push(PgIndexSpec::new(
        Activities,
        &["organizationId", DOC],
        false,
    ));
    specs.push(PgIndexSpec::new(Attachments, &["attachmentId"], false));
    specs.push(PgIndexSpec::new(Attachments, &[DOC], false));
    specs.push(PgIndexSpec::new(Users, &["userId"], false));
    for field in user_lookup_fields {
        if field != "userId" && !field.is_empty() {
            specs.push(PgIndexSpec::new(Users, &[field.as_str()], false));
        }
    }
    let mut jsonb = PgIndexSpec::new(Attachments, &["attachmentId"], false);
    jsonb.expression = IndexExpression::Jsonb;
    specs.push(jsonb);
    for c in [Comments, Reactions, Recorders, Attachments, Users] {
        let mut scoped = PgIndexSpec::new(c, &[c.org_path(), c.id_field()], true);
        scoped.expression = IndexExpression::Scoped;
        specs.push(scoped);
    }
    specs
}

/// The DDL of the whole layout, to hand to a DBA when the store runs with
/// `manage_schema = false` (velt-py's `postgres_schema_sql()`): every table,
/// then every index, in creation order, as plain (not `CONCURRENTLY`)
/// statements so the text can run inside a transaction.
pub fn postgres_schema_sql(config: &PostgresConfig) -> String {
    let mut lines = vec![
        "-- Velt self-hosting schema for PostgreSQL (velt-py 0.3.0 layout).".to_owned(),
        "-- Generated by velt-rs; run it when the store's `manage_schema` is false.".to_owned(),
        String::new(),
    ];
    if config.schema != "public" {
        lines.push(format!(
            "CREATE SCHEMA IF NOT EXISTS {};",
            quote_ident(&config.schema)
        ));
        lines.push(String::new());
    }
    for c in Collection::ALL {
        lines.push(table_ddl(&config.schema, config.collections.get(c)));
        lines.push(String::new());
    }
    for spec in pg_index_specs(&config.user_lookup_fields) {
        lines.push(spec.ddl(
            &config.schema,
            config.collections.get(spec.collection),
            false,
        ));
    }
    lines.push(String::new());
    lines.join("\n")
}

/// What schema setup did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchemaReport {
    /// Index names created (or already present and valid).
    pub indexes: Vec<String>,
    /// What failed (a table or an index), with the server's message. Each
    /// failure is logged; the other statements still ran.
    pub failed: Vec<(String, String)>,
}

/// Creates the schema, tables and indexes on `client` (autocommit), under
/// velt-py's session advisory lock for the schema, polled as velt-py does
/// (a blocked `pg_advisory_lock` would hold a snapshot that the holder's
/// `CREATE INDEX CONCURRENTLY` waits for).
pub(crate) async fn ensure_schema(
    client: &Client,
    schema: &str,
    names: &CollectionNames,
    user_lookup_fields: &[String],
    lock_timeout: Duration,
) -> Result<SchemaReport, StoreError> {
    let key = format!("{DDL_LOCK_KEY}{schema}");
    let deadline = Instant::now() + lock_timeout;
    loop {
        let row = client
            .query_typed_one(
                "SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                &[(&key, Type::TEXT)],
            )
            .await
            .map_err(|e| map_pg_error("taking the schema lock", e))?;
        if row.try_get::<_, bool>(0).unwrap_or(false) {
            break;
        }
        if Instant::now() >= deadline {
            return Err(StoreError::Unavailable {
                message: format!(
                    "timed out after {lock_timeout:?} waiting for another process to finish schema setup for schema '{schema}'"
                ),
                source: None,
            });
        }
        tokio::time::sleep(DDL_LOCK_POLL).await;
    }
    let report = run_ddl(client, schema, names, user_lookup_fields).await;
    // The lock dies with the session anyway; an error here is harmless.
    let _ = client
        .query_typed(
            "SELECT pg_advisory_unlock(hashtextextended($1, 0))",
            &[(&key, Type::TEXT)],
        )
        .await;
    Ok(report)
}

async fn run_ddl(
    client: &Client,
    schema: &str,
    names: &CollectionNames,
    user_lookup_fields: &[String],
) -> SchemaReport {
    let mut report = SchemaReport::default();
    let fail = |what: String, e: tokio_postgres::Error, report: &mut SchemaReport| {
        let message = map_pg_error("schema setup", e).to_string();
        tracing::warn!(object = %what, error = %message, "PostgreSQL schema setup step failed; continuing");
        report.failed.push((what, message));
    };
    if schema != "public"
        && let Err(e) = client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {};",
                quote_ident(schema)
            ))
            .await
    {
        fail(format!("schema {schema}"), e, &mut report);
    }
    for c in Collection::ALL {
        let table = names.get(c);
        if let Err(e) = client.batch_execute(&table_ddl(schema, table)).await {
            fail(format!("table {table}"), e, &mut report);
        }
    }
    for spec in pg_index_specs(user_lookup_fields) {
        let table = names.get(spec.collection);
        let name = spec.name(table);
        let ddl = spec.ddl(schema, table, true);
        if let Err(e) = client.batch_execute(&ddl).await {
            fail(format!("index {name}"), e, &mut report);
            continue;
        }
        // A failed CONCURRENTLY build leaves an INVALID index that IF NOT
        // EXISTS would skip forever: drop it and build it again.
        match index_is_valid(client, schema, &name).await {
            Ok(true) => report.indexes.push(name),
            Ok(false) => {
                let drop = format!(
                    "DROP INDEX CONCURRENTLY IF EXISTS {}.{};",
                    quote_ident(schema),
                    quote_ident(&name)
                );
                let rebuilt = async {
                    client.batch_execute(&drop).await?;
                    client.batch_execute(&ddl).await
                }
                .await;
                match rebuilt {
                    Ok(()) => report.indexes.push(name),
                    Err(e) => fail(format!("index {name}"), e, &mut report),
                }
            }
            Err(e) => fail(format!("index {name}"), e, &mut report),
        }
    }
    report
}

async fn index_is_valid(
    client: &Client,
    schema: &str,
    name: &str,
) -> Result<bool, tokio_postgres::Error> {
    let rows = client
        .query_typed(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
            &[(&schema, Type::TEXT), (&name, Type::TEXT)],
        )
        .await?;
    Ok(rows
        .first()
        .and_then(|r| r.try_get::<_, bool>(0).ok())
        .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names_match_velt_py() {
        assert_eq!(
            path_literal("metadata.documentId"),
            r#"'{"metadata","documentId"}'::text[]"#
        );
        assert_eq!(path_literal("it's"), r#"'{"it''s"}'::text[]"#);
        assert_eq!(path_literal(r#"a"b"#), r#"'{"a\"b"}'::text[]"#);
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            index_name("comment_annotations", &keys(&["annotationId"]), ""),
            "ix_comment_annotations_annotationid"
        );
        // Values computed with velt-py 0.3.0's index_name().
        let long = index_name(
            "comment_annotations",
            &keys(&[
                "metadata.organizationId",
                "metadata.apiKey",
                "metadata.documentId",
            ]),
            "",
        );
        // velt-py 0.3.0: full[:54] + '_' + sha1(full)[:8].
        assert_eq!(
            long,
            "ix_comment_annotations_metadata_organizationid_metadat_b2638d09"
        );
        assert_eq!(long.len(), 63);
    }

    /// velt-py 0.3.0's `postgres_schema_sql()` output for the default config
    /// (generated with velt-py itself): every table statement is ours byte
    /// for byte, every index statement too, except the five globally unique
    /// ones, which are ours without `UNIQUE`.
    #[test]
    fn ddl_text_is_velt_py_s() {
        let velt_py = include_str!("velt_py_0_3_0_schema.sql");
        let ours = postgres_schema_sql(&PostgresConfig::from_url("postgres://h/db"));
        let relaxed = [
            "ix_comment_annotations_annotationid",
            "ix_reaction_annotations_annotationid",
            "ix_recorder_annotations_annotationid",
            "ix_attachments_attachmentid",
            "ix_users_userid",
        ];
        let mut indexes = 0;
        for line in velt_py.lines().filter(|l| l.contains(" INDEX ")) {
            indexes += 1;
            let name = line.split('"').nth(1).unwrap_or_default();
            let expected = if relaxed.contains(&name) {
                line.replace("CREATE UNIQUE INDEX", "CREATE INDEX")
            } else {
                line.to_owned()
            };
            assert!(ours.lines().any(|l| l == expected), "missing: {expected}");
        }
        assert_eq!(indexes, 37);
        let tables: Vec<&str> = velt_py
            .split("\n\n")
            .filter(|b| b.starts_with("CREATE TABLE"))
            .collect();
        assert_eq!(tables.len(), 7);
        for t in tables {
            assert!(ours.contains(t), "missing: {t}");
        }
    }

    #[test]
    fn velt_py_has_37_indexes_and_we_add_five() {
        let specs = pg_index_specs(&[]);
        assert_eq!(specs.len(), 37 + 5);
        let scoped = specs
            .iter()
            .filter(|s| s.expression == IndexExpression::Scoped)
            .count();
        assert_eq!(scoped, 5);
    }
}
