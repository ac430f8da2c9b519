//! [`Store::scan`](crate::store::Store::scan) on SQLite: pages by `seq`.

use rusqlite::params;

use super::{Inner, map_err};
use crate::store::{Collection, Document, ScanCursor, ScanPage, StoreError};

impl Inner {
    /// [`Store::scan`]: rows of one collection (every organization) by
    /// `seq`, after the cursor's `seq`, one more than `limit` to know
    /// whether another page follows. A row that is not valid JSON is
    /// skipped with a warning, as in reads.
    pub(super) fn scan_rows(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let after = match after {
            None => 0,
            Some(c) => c.as_str().parse::<i64>().map_err(|_| c.invalid("SQLite"))?,
        };
        let limit = limit.max(1);
        let name = self.config.collections.get(collection).to_owned();
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let rows: Vec<(i64, String)> = self.with_reader(|conn| {
            let mut stmt = conn
                // `+collection` keeps SQLite off the (collection, …)
                // indexes: with them it sorts the whole collection for every
                // page (a temporary B-tree); without, each page is a range
                // of the rowid from the cursor on.
                .prepare_cached(
                    "SELECT seq, doc FROM velt_records WHERE +collection = ?1 AND seq > ?2 \
                     ORDER BY seq LIMIT ?3",
                )
                .map_err(|e| map_err("scanning records", e))?;
            let mapped = stmt
                .query_map(params![name, after, fetch], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| map_err("scanning records", e))?;
            mapped
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| map_err("scanning records", e))
        })?;
        let more = rows.len() > limit;
        let mut records = Vec::with_capacity(rows.len().min(limit));
        let mut last = after;
        for (seq, text) in rows.into_iter().take(limit) {
            last = seq;
            match serde_json::from_str::<Document>(&text) {
                Ok(doc) => records.push(doc),
                Err(e) => {
                    tracing::warn!(%collection, seq, error = %e, "skipping a stored record that is not valid JSON");
                }
            }
        }
        Ok(ScanPage {
            records,
            next: more.then(|| ScanCursor::new(last.to_string())),
        })
    }
}
