//! [`export()`]: every record of a store as JSON Lines.

use std::io::Write;

use super::{Counts, ExportLine, Progress, TransferError, record_org};
use crate::store::{Collection, ScanCursor, Store};

/// Settings of an [`export()`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// Export only the records of this organization (records without an
    /// organization are then left out).
    pub organization_id: Option<String>,
    /// Records read per [`Store::scan`] call.
    pub batch_size: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            organization_id: None,
            batch_size: 1000,
        }
    }
}

impl ExportOptions {
    /// Sets [`ExportOptions::organization_id`].
    pub fn organization(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// Sets [`ExportOptions::batch_size`] (at least 1).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }
}

/// Writes every record of `store` to `out`, one [`ExportLine`] per line
/// (collections in [`Collection::ALL`] order, records in scan order), and
/// flushes it. Returns the records written per collection.
pub async fn export(
    store: &dyn Store,
    out: &mut (dyn Write + Send),
    options: &ExportOptions,
    progress: Progress<'_>,
) -> Result<Counts, TransferError> {
    let mut counts = Counts::default();
    for collection in Collection::ALL {
        let mut after: Option<ScanCursor> = None;
        loop {
            let page = store
                .scan(collection, after.as_ref(), options.batch_size)
                .await
                .map_err(TransferError::store(collection))?;
            let mut written = 0;
            for record in page.records {
                if let Some(org) = &options.organization_id
                    && record_org(collection, &record) != Some(org.as_str())
                {
                    continue;
                }
                let mut text = ExportLine::new(collection, record).to_json();
                text.push('\n');
                out.write_all(text.as_bytes())
                    .map_err(TransferError::io("writing the export"))?;
                written += 1;
            }
            counts.add(collection, written);
            progress(collection, written);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    out.flush()
        .map_err(TransferError::io("writing the export"))?;
    Ok(counts)
}
