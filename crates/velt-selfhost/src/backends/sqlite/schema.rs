//! The table and indexes of a [`SqliteStore`](super::SqliteStore), their
//! version (`PRAGMA user_version`) and the upgrade of older files.
//!
//! - Version 1: `velt_records` with a unique index on
//!   `(collection, org, id_key)` and plain indexes on
//!   `(collection, org, document_id)` and `(collection, org, folder_id)`.
//! - Version 2: the document and folder indexes are partial
//!   (`WHERE … IS NOT NULL`). A record without a folder (most comments) or
//!   without a document (users, for instance) has no entry in them, so its
//!   insert touches one B-tree fewer: about a sixth fewer WAL pages per
//!   save of comments without folders. Reads are unchanged: every query on
//!   these columns compares them with `=` or `IN`, which implies
//!   `IS NOT NULL`, so SQLite still answers it from the index (checked by
//!   `reads_use_the_partial_indexes` below).
//!
//! Opening a version-1 file upgrades it in one transaction (the two indexes
//! are rebuilt, which reads the table once; tested through the store in
//! `tests/sqlite.rs`, `a_version_1_file_opens_and_reads_the_same`). A file
//! of a newer version is refused rather than written with an older layout.

use rusqlite::{Connection, TransactionBehavior};

use super::map_err;
use crate::store::StoreError;

/// Schema version this build writes, in `PRAGMA user_version`.
pub(super) const SCHEMA_VERSION: i64 = 2;

/// The table and the indexes of version 2 (`IF NOT EXISTS`: also what an
/// upgrade runs after dropping the plain indexes of version 1).
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS velt_records (
    seq         INTEGER PRIMARY KEY,
    collection  TEXT NOT NULL,
    org         TEXT NOT NULL,
    id_key      TEXT NOT NULL,
    document_id TEXT,
    folder_id   TEXT,
    doc         TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS velt_records_id ON velt_records (collection, org, id_key);
CREATE INDEX IF NOT EXISTS velt_records_document ON velt_records (collection, org, document_id)
    WHERE document_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS velt_records_folder ON velt_records (collection, org, folder_id)
    WHERE folder_id IS NOT NULL;
";

/// One read of `for_each_row`: the rows of collection `?1` whose `org` is
/// as `$org` says (`= ?2`, or `IN (?2, '')` when user records without an
/// organization, stored with the empty `org`, are shared), then `$rest`, in
/// insertion order.
macro_rules! select {
    ($org:literal, $rest:literal) => {
        concat!(
            "SELECT doc FROM velt_records WHERE collection = ?1 AND ",
            $org,
            $rest,
            " ORDER BY seq"
        )
    };
}

/// The reads of `for_each_row` by selector (the whole scope, id keys,
/// document ids as a JSON array in `?3`, folder id `?3`): `[organization
/// only, organization or none]`.
pub(super) const SELECT_ALL: [&str; 2] = [select!("org = ?2", ""), select!("org IN (?2, '')", "")];
/// See [`SELECT_ALL`].
pub(super) const SELECT_BY_IDS: [&str; 2] = [
    select!(
        "org = ?2",
        " AND id_key IN (SELECT value FROM json_each(?3))"
    ),
    select!(
        "org IN (?2, '')",
        " AND id_key IN (SELECT value FROM json_each(?3))"
    ),
];
/// See [`SELECT_ALL`].
pub(super) const SELECT_BY_DOCUMENTS: [&str; 2] = [
    select!(
        "org = ?2",
        " AND document_id IN (SELECT value FROM json_each(?3))"
    ),
    select!(
        "org IN (?2, '')",
        " AND document_id IN (SELECT value FROM json_each(?3))"
    ),
];
/// See [`SELECT_ALL`].
pub(super) const SELECT_BY_FOLDER: [&str; 2] = [
    select!("org = ?2", " AND folder_id = ?3"),
    select!("org IN (?2, '')", " AND folder_id = ?3"),
];

/// Creates the schema in a new file, or upgrades an older one, in one
/// `IMMEDIATE` transaction (so two processes opening the same new file do
/// not both create or upgrade it). A file already at this version is not
/// written to, so a read-only copy of it still opens.
pub(super) fn prepare(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| map_err("creating schema", e))?;
    match version_of(&tx)? {
        SCHEMA_VERSION => return Ok(()),
        // 0: a new file (or one created before versions were written,
        // whose plain indexes are replaced like those of version 1).
        0 | 1 => {
            tx.execute_batch(
                "DROP INDEX IF EXISTS velt_records_document;
                 DROP INDEX IF EXISTS velt_records_folder;",
            )
            .map_err(|e| map_err("upgrading schema", e))?;
            tx.execute_batch(SCHEMA)
                .map_err(|e| map_err("creating schema", e))?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(|e| map_err("writing schema version", e))?;
        }
        other => {
            return Err(StoreError::Backend {
                message: format!(
                    "unsupported velt-rs SQLite schema version {other} (this build reads \
                     versions up to {SCHEMA_VERSION})"
                ),
                source: None,
            });
        }
    }
    tx.commit().map_err(|e| map_err("creating schema", e))
}

fn version_of(conn: &Connection) -> Result<i64, StoreError> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| map_err("reading schema version", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_sql(conn: &Connection, name: &str) -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    }

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(["comments", "org", "[\"d\"]"], |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn a_new_file_gets_the_partial_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        prepare(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
        assert!(
            index_sql(&conn, "velt_records_document").ends_with("WHERE document_id IS NOT NULL")
        );
        assert!(index_sql(&conn, "velt_records_folder").ends_with("WHERE folder_id IS NOT NULL"));
        // Preparing again changes nothing.
        prepare(&mut conn).unwrap();
    }

    #[test]
    fn a_current_file_opened_read_only_needs_no_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        prepare(&mut Connection::open(&path).unwrap()).unwrap();
        let mut ro =
            Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        prepare(&mut ro).unwrap();
    }

    #[test]
    fn a_newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 3;").unwrap();
        let err = prepare(&mut conn).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported velt-rs SQLite schema version 3 (this build reads versions up to 2)"
        );
    }

    #[test]
    fn reads_use_the_partial_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        prepare(&mut conn).unwrap();
        // Both forms: one organization, and one or none (shared users).
        for form in 0..2 {
            let ids = plan(&conn, SELECT_BY_IDS[form]);
            assert!(ids.contains("USING INDEX velt_records_id"), "{ids}");
            let documents = plan(&conn, SELECT_BY_DOCUMENTS[form]);
            assert!(
                documents.contains("USING INDEX velt_records_document"),
                "{documents}"
            );
            let folder = plan(&conn, SELECT_BY_FOLDER[form]);
            assert!(
                folder.contains("USING INDEX velt_records_folder"),
                "{folder}"
            );
        }
    }
}
