//! [`import()`] and [`validate()`]: JSON Lines back into a store.

use std::io::BufRead;

use super::{
    Counts, ExportLine, LineError, MAX_LINE_ERRORS, Progress, TransferError, group_by_collection,
    group_by_org,
};
use crate::store::{Collection, Document, Scope, Store};

/// Settings of an [`import()`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Lines validated together and then written (bounded memory).
    pub batch_size: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { batch_size: 1000 }
    }
}

impl ImportOptions {
    /// Sets [`ImportOptions::batch_size`] (at least 1).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }
}

/// What an [`import()`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportSummary {
    /// Records written (inserted or merged) per collection.
    pub written: Counts,
    /// Records left out because they have no organization
    /// (`"organizationId": null`) and the store cannot hold such records
    /// ([`Store::holds_records_without_org`]; PostgreSQL and MongoDB write
    /// them with [`Store::upsert_without_org`], and they count as written).
    pub skipped_without_org: Counts,
}

/// One parsed batch: the lines of each (collection, organization), and
/// the records without an organization.
struct Batch {
    lines: Vec<(Collection, String, Document)>,
    without_org: Vec<(Collection, Document)>,
    errors: Vec<LineError>,
}

/// Reads lines into batches of at most `batch_size` records; blank lines
/// are ignored; line numbers start at 1.
struct Reader<R> {
    input: R,
    line_no: u64,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    fn new(input: R) -> Self {
        Self {
            input,
            line_no: 0,
            done: false,
        }
    }

    fn next_batch(&mut self, batch_size: usize) -> Result<Option<Batch>, TransferError> {
        if self.done {
            return Ok(None);
        }
        let mut batch = Batch {
            lines: Vec::new(),
            without_org: Vec::new(),
            errors: Vec::new(),
        };
        let mut taken = 0;
        let mut buf = String::new();
        while taken < batch_size {
            buf.clear();
            let read = self
                .input
                .read_line(&mut buf)
                .map_err(TransferError::io("reading the import"))?;
            if read == 0 {
                self.done = true;
                break;
            }
            self.line_no += 1;
            let text = buf.trim();
            if text.is_empty() {
                continue;
            }
            taken += 1;
            match ExportLine::parse(text) {
                Ok(line) => match line.organization_id {
                    Some(org) => batch.lines.push((line.collection, org, line.record)),
                    None => batch.without_org.push((line.collection, line.record)),
                },
                Err(message) => {
                    if batch.errors.len() < MAX_LINE_ERRORS {
                        batch.errors.push(LineError {
                            line: self.line_no,
                            message,
                        });
                    }
                }
            }
        }
        if taken == 0 && self.done {
            return Ok(None);
        }
        Ok(Some(batch))
    }
}

/// Checks every line of `input` without writing anything. Returns the
/// number of records (non-blank lines), or [`TransferError::BadInput`]
/// listing the bad lines (the first [`MAX_LINE_ERRORS`]).
pub fn validate(input: impl BufRead) -> Result<u64, TransferError> {
    let mut reader = Reader::new(input);
    let mut records = 0u64;
    let mut errors = Vec::new();
    while let Some(batch) = reader.next_batch(1000)? {
        records +=
            batch.lines.len() as u64 + batch.without_org.len() as u64 + batch.errors.len() as u64;
        for e in batch.errors {
            if errors.len() < MAX_LINE_ERRORS {
                errors.push(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(TransferError::BadInput {
            errors,
            written_before: 0,
        })
    }
}

/// Writes the records without an organization of one batch, one
/// [`Store::upsert_without_org`] per collection, or counts them as skipped
/// when the store cannot hold them.
async fn write_without_org(
    store: &dyn Store,
    records: Vec<(Collection, Document)>,
    summary: &mut ImportSummary,
    progress: Progress<'_>,
) -> Result<(), TransferError> {
    for (collection, records) in group_by_collection(records) {
        let n = records.len() as u64;
        if store.holds_records_without_org() {
            store
                .upsert_without_org(collection, records)
                .await
                .map_err(TransferError::store(collection))?;
            summary.written.add(collection, n);
            progress(collection, n);
        } else {
            summary.skipped_without_org.add(collection, n);
        }
    }
    Ok(())
}

/// Writes the records of `input` (lines of [`super::export()`]) into
/// `store` with [`Store::upsert_many`], one call per (collection,
/// organization) of each batch (records without an organization: see
/// [`ImportSummary::skipped_without_org`]): a record is inserted, or merged into the
/// stored record with the same id, so importing the same input twice
/// leaves the store as one import does. Every line of a batch is validated
/// before any of it is written; a batch with a bad line writes nothing and
/// ends the import with [`TransferError::BadInput`] (earlier batches stay
/// written: call [`validate()`] first to check the whole input).
pub async fn import(
    store: &dyn Store,
    input: impl BufRead,
    options: &ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportSummary, TransferError> {
    let mut reader = Reader::new(input);
    let mut summary = ImportSummary::default();
    while let Some(batch) = reader.next_batch(options.batch_size.max(1))? {
        if !batch.errors.is_empty() {
            return Err(TransferError::BadInput {
                errors: batch.errors,
                written_before: summary.written.total(),
            });
        }
        write_without_org(store, batch.without_org, &mut summary, progress).await?;
        // Stable sort: collections in `Collection::ALL` order, input order
        // within each.
        let mut lines = batch.lines;
        lines.sort_by_key(|(c, _, _)| *c);
        let mut lines = lines.into_iter().peekable();
        while let Some((collection, org, record)) = lines.next() {
            let mut records = vec![(org, record)];
            while let Some((_, org, record)) = lines.next_if(|(c, _, _)| *c == collection) {
                records.push((org, record));
            }
            for (org, records) in group_by_org(records) {
                let n = records.len() as u64;
                let scope = Scope::new(org).map_err(|e| TransferError::BadInput {
                    errors: vec![LineError {
                        line: reader.line_no,
                        message: e.to_string(),
                    }],
                    written_before: summary.written.total(),
                })?;
                store
                    .upsert_many(collection, &scope, records)
                    .await
                    .map_err(TransferError::store(collection))?;
                summary.written.add(collection, n);
                progress(collection, n);
            }
        }
    }
    Ok(summary)
}
