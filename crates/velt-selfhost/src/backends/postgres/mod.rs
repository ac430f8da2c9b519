//! PostgreSQL backend (feature `postgres`): velt-py 0.3.0's tables, JSONB
//! layout and `ix_…` indexes, so one database serves both SDKs, in both
//! directions.
//!
//! # Layout
//!
//! One table per collection, named like the MongoDB collections
//! (configurable), each `id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//! data JSONB NOT NULL CHECK (jsonb_typeof(data) = 'object'), created_at,
//! updated_at`, the record being `data`. The indexes are velt-py's
//! expression indexes with velt-py's names and byte-identical definitions
//! ([`pg_index_specs`]); ids are unique per organization (`_scoped`
//! indexes) instead of globally. Schema setup runs under velt-py's DDL
//! advisory lock with `CREATE INDEX CONCURRENTLY`, as velt-py does; with
//! [`PostgresConfig::manage_schema`] off it is left to a DBA, who gets the
//! DDL from [`postgres_schema_sql`].
//!
//! # Operations
//!
//! - **Reads** are one `SELECT data … ORDER BY id` (insertion order) written
//!   against the index expressions; every row is re-checked with the
//!   contract's `scope_matches` / `selector_matches`.
//! - **Saves** are **one round trip whatever the number of records**: a
//!   pipelined transaction (`BEGIN`, the advisory locks, one upsert
//!   statement for every record, `COMMIT`) sent in one go, all or nothing.
//!   Every record is validated before anything is sent. The advisory-lock
//!   keys are velt-py's for the same record, so velt-py and velt-rs writing
//!   one database serialise each other's upserts of a record and cannot
//!   create duplicates. Existing records are merged with `merge_record`
//!   inside the statement.
//! - **Deletes** are one `DELETE … RETURNING`, scoped by (organization, id).
//! - **Errors**: unreachable server, authentication failure, timeouts →
//!   [`StoreError::Unavailable`]; unique violation →
//!   [`StoreError::DuplicateKey`]. Messages never hold the password.

mod config;
mod convert;
mod schema;
mod store;
mod tls;

pub use config::{PostgresConfig, SslMode, redact_url};
pub use schema::{
    IndexExpression, PgIndexSpec, SchemaReport, index_name, path_literal, pg_index_specs,
    postgres_schema_sql, quote_ident, table_ddl,
};
pub use store::PostgresStore;

use crate::store::StoreError;

/// Errors building a [`PostgresStore`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PostgresStoreError {
    /// The configuration cannot be used (bad URL, unknown `sslmode`,
    /// unreadable root certificate...). Never contains the password.
    #[error("invalid PostgreSQL configuration: {message}")]
    InvalidConfig {
        /// What is wrong.
        message: String,
    },
    /// The server could not be used (unreachable:
    /// [`StoreError::Unavailable`]).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PostgresStoreError {
    /// True when the database could not be reached.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, PostgresStoreError::Store(e) if e.is_unavailable())
    }
}
