//! [`migrate()`]: every record from one store to another, in batches, with
//! a checkpoint file to resume and a count check at the end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{CountMismatch, Counts, Progress, TransferError, group_by_org, record_org};
use crate::store::{Collection, Document, ScanCursor, Scope, Store};

/// Version of the checkpoint file layout.
///
/// - 1: written before records without an organization were copied (they
///   were all skipped and counted in `skippedWithoutOrg`).
/// - 2: the same fields; such records are copied when the target holds
///   them. A version-1 checkpoint is upgraded when resumed
///   ([`Checkpoint::upgrade_from_1`]).
const CHECKPOINT_VERSION: u32 = 2;

/// Settings of a [`migrate()`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MigrateOptions {
    /// Records read from the source and written to the target at once.
    pub batch_size: usize,
    /// The checkpoint file: created by a new migration, updated after every
    /// batch, read back to resume.
    pub checkpoint: PathBuf,
    /// Names the source in the checkpoint (a URL without its password); a
    /// resume with another source is refused.
    pub source_label: String,
    /// Names the target in the checkpoint, like `source_label`.
    pub target_label: String,
    /// Stop (resumably) after this many batches in this run: for runs in
    /// slices, and to test resumption.
    pub max_batches: Option<u64>,
}

impl MigrateOptions {
    /// Settings with a batch of 500 records and no batch limit.
    pub fn new(
        checkpoint: impl Into<PathBuf>,
        source_label: impl Into<String>,
        target_label: impl Into<String>,
    ) -> Self {
        Self {
            batch_size: 500,
            checkpoint: checkpoint.into(),
            source_label: source_label.into(),
            target_label: target_label.into(),
            max_batches: None,
        }
    }

    /// Sets [`MigrateOptions::batch_size`] (at least 1).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Sets [`MigrateOptions::max_batches`].
    pub fn max_batches(mut self, max: Option<u64>) -> Self {
        self.max_batches = max;
        self
    }
}

/// The counts of one collection compared at the end of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountCheck {
    /// The collection.
    pub collection: Collection,
    /// Records of the source a migration copies: those with an
    /// organization, and those without one when the target holds them
    /// ([`Store::holds_records_without_org`]).
    pub source: u64,
    /// Records of the source without an organization that are not copied
    /// (the target cannot hold them).
    pub source_without_org: u64,
    /// Records of the target.
    pub target: u64,
}

/// What a finished [`migrate()`] did, over all its runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrateReport {
    /// Records copied per collection.
    pub copied: Counts,
    /// Records of the source left out because they have no organization
    /// and the target cannot hold such records
    /// ([`Store::holds_records_without_org`]).
    pub skipped_without_org: Counts,
    /// The final count check, every collection (all equal).
    pub checks: Vec<CountCheck>,
}

/// How a [`migrate()`] run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MigrateOutcome {
    /// Every collection copied and the counts checked.
    Complete(MigrateReport),
    /// [`MigrateOptions::max_batches`] was reached; run again with the same
    /// checkpoint to go on.
    Interrupted {
        /// Batches written in this run.
        batches: u64,
        /// Records copied so far, over all runs.
        copied: Counts,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Checkpoint {
    version: u32,
    source: String,
    target: String,
    /// By [`Collection::config_key`].
    collections: BTreeMap<String, CollectionState>,
    complete: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CollectionState {
    /// The scan cursor after the last batch written.
    after: Option<ScanCursor>,
    done: bool,
    copied: u64,
    skipped_without_org: u64,
}

impl Checkpoint {
    /// A version-1 checkpoint resumed into a target that holds records
    /// without an organization: the collections where it skipped such
    /// records are scanned again from the start (the records already
    /// copied merge into identical ones), so none is lost; the others go
    /// on from their cursor. A run marked complete is no longer complete
    /// when a collection is scanned again.
    fn upgrade_from_1(&mut self, target_holds_without_org: bool) {
        if target_holds_without_org {
            for state in self.collections.values_mut() {
                if state.skipped_without_org > 0 {
                    *state = CollectionState::default();
                    self.complete = false;
                }
            }
        }
        self.version = CHECKPOINT_VERSION;
    }

    fn counts(&self) -> (Counts, Counts) {
        let mut copied = Counts::default();
        let mut skipped = Counts::default();
        for c in Collection::ALL {
            if let Some(s) = self.collections.get(c.config_key()) {
                copied.add(c, s.copied);
                skipped.add(c, s.skipped_without_org);
            }
        }
        (copied, skipped)
    }
}

fn checkpoint_error(path: &Path, message: impl Into<String>) -> TransferError {
    TransferError::Checkpoint {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn load_checkpoint(path: &Path) -> Result<Option<Checkpoint>, TransferError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(checkpoint_error(path, format!("cannot be read: {e}"))),
    };
    let cp: Checkpoint = serde_json::from_slice(&bytes)
        .map_err(|e| checkpoint_error(path, format!("is not a migration checkpoint: {e}")))?;
    if cp.version != CHECKPOINT_VERSION && cp.version != 1 {
        return Err(checkpoint_error(
            path,
            format!(
                "has version {} (this velt-server writes {CHECKPOINT_VERSION})",
                cp.version
            ),
        ));
    }
    Ok(Some(cp))
}

/// Writes the checkpoint to a temporary file next to it, syncs it and
/// renames it over the old one, so a crash leaves the old or the new
/// checkpoint, never a torn one.
fn save_checkpoint(path: &Path, cp: &Checkpoint) -> Result<(), TransferError> {
    let bytes = serde_json::to_vec_pretty(cp)
        .map_err(|e| checkpoint_error(path, format!("cannot be encoded: {e}")))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut f, &bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| checkpoint_error(path, format!("cannot be written: {e}")))
}

/// Counts the records of `collection` with [`Store::scan`]: `(with an
/// organization, without one)`.
pub async fn count_records(
    store: &dyn Store,
    collection: Collection,
    batch_size: usize,
) -> Result<(u64, u64), TransferError> {
    let (mut with, mut without) = (0, 0);
    let mut after: Option<ScanCursor> = None;
    loop {
        let page = store
            .scan(collection, after.as_ref(), batch_size)
            .await
            .map_err(TransferError::store(collection))?;
        for r in &page.records {
            if record_org(collection, r).is_some() {
                with += 1;
            } else {
                without += 1;
            }
        }
        match page.next {
            Some(n) => after = Some(n),
            None => return Ok((with, without)),
        }
    }
}

/// Compares, for every collection, the source's records a migration copies
/// (with an organization, and without one when `target` holds such
/// records) to all the target's records. Fails with
/// [`TransferError::CountMismatch`] naming every collection that differs.
pub async fn verify_counts(
    source: &dyn Store,
    target: &dyn Store,
    batch_size: usize,
) -> Result<Vec<CountCheck>, TransferError> {
    let mut checks = Vec::new();
    let mut mismatches = Vec::new();
    for collection in Collection::ALL {
        let (src, src_without) = count_records(source, collection, batch_size).await?;
        let (t_with, t_without) = count_records(target, collection, batch_size).await?;
        let (copied, left) = if target.holds_records_without_org() {
            (src + src_without, 0)
        } else {
            (src, src_without)
        };
        let check = CountCheck {
            collection,
            source: copied,
            source_without_org: left,
            target: t_with + t_without,
        };
        if check.source != check.target {
            mismatches.push(CountMismatch {
                collection,
                source: check.source,
                target: check.target,
            });
        }
        checks.push(check);
    }
    if mismatches.is_empty() {
        Ok(checks)
    } else {
        Err(TransferError::CountMismatch { mismatches })
    }
}

/// Copies every record of `source` into `target`.
///
/// Collections go in [`Collection::ALL`] order, each read with
/// [`Store::scan`] in batches of [`MigrateOptions::batch_size`] and written
/// with [`Store::upsert_many`] (one call per organization of a batch);
/// records without an organization go through
/// [`Store::upsert_without_org`] when the target holds such records, else
/// they are counted in [`MigrateReport::skipped_without_org`].
/// After every batch the checkpoint records the scan cursor, so a run that
/// stops (killed, [`MigrateOptions::max_batches`], a database error) is
/// resumed by running again with the same checkpoint: at most the last
/// batch is written twice, which merges it into identical records. A new
/// migration (no checkpoint file) needs an empty target
/// ([`TransferError::TargetNotEmpty`]); a checkpoint of another source or
/// target is refused. Once every collection is copied the counts are
/// compared ([`verify_counts`]) and the checkpoint marked complete; a run
/// on a complete checkpoint only compares the counts again.
pub async fn migrate(
    source: &dyn Store,
    target: &dyn Store,
    options: &MigrateOptions,
    progress: Progress<'_>,
) -> Result<MigrateOutcome, TransferError> {
    let path = options.checkpoint.as_path();
    let batch_size = options.batch_size.max(1);
    let mut cp = match load_checkpoint(path)? {
        Some(mut cp) => {
            if cp.source != options.source_label || cp.target != options.target_label {
                return Err(checkpoint_error(
                    path,
                    format!(
                        "belongs to a migration from {} to {}, not from {} to {}",
                        cp.source, cp.target, options.source_label, options.target_label
                    ),
                ));
            }
            if cp.version == 1 {
                cp.upgrade_from_1(target.holds_records_without_org());
                save_checkpoint(path, &cp)?;
            }
            cp
        }
        None => {
            for collection in Collection::ALL {
                let page = target
                    .scan(collection, None, 1)
                    .await
                    .map_err(TransferError::store(collection))?;
                if !page.records.is_empty() {
                    return Err(TransferError::TargetNotEmpty { collection });
                }
            }
            let cp = Checkpoint {
                version: CHECKPOINT_VERSION,
                source: options.source_label.clone(),
                target: options.target_label.clone(),
                collections: BTreeMap::new(),
                complete: false,
            };
            save_checkpoint(path, &cp)?;
            cp
        }
    };
    let mut batches = 0u64;
    for collection in Collection::ALL {
        loop {
            let state = cp
                .collections
                .entry(collection.config_key().to_owned())
                .or_default();
            if state.done {
                break;
            }
            if options.max_batches.is_some_and(|max| batches >= max) {
                let (copied, _) = cp.counts();
                return Ok(MigrateOutcome::Interrupted { batches, copied });
            }
            let page = source
                .scan(collection, state.after.as_ref(), batch_size)
                .await
                .map_err(TransferError::store(collection))?;
            let mut with_org: Vec<(String, Document)> = Vec::with_capacity(page.records.len());
            let mut without_org: Vec<Document> = Vec::new();
            for record in page.records {
                match record_org(collection, &record) {
                    Some(org) => with_org.push((org.to_owned(), record)),
                    None => without_org.push(record),
                }
            }
            let (mut copied, mut skipped) = (with_org.len() as u64, 0u64);
            if target.holds_records_without_org() {
                copied += without_org.len() as u64;
                target
                    .upsert_without_org(collection, without_org)
                    .await
                    .map_err(TransferError::store(collection))?;
            } else {
                skipped = without_org.len() as u64;
            }
            for (org, records) in group_by_org(with_org) {
                let scope = Scope::new(org).map_err(|e| TransferError::Store {
                    collection,
                    source: crate::store::StoreError::InvalidRecord {
                        message: e.to_string(),
                    },
                })?;
                target
                    .upsert_many(collection, &scope, records)
                    .await
                    .map_err(TransferError::store(collection))?;
            }
            state.copied += copied;
            state.skipped_without_org += skipped;
            state.done = page.next.is_none();
            state.after = page.next;
            save_checkpoint(path, &cp)?;
            batches += 1;
            progress(collection, copied + skipped);
        }
    }
    let checks = verify_counts(source, target, batch_size).await?;
    cp.complete = true;
    save_checkpoint(path, &cp)?;
    let (copied, skipped_without_org) = cp.counts();
    Ok(MigrateOutcome::Complete(MigrateReport {
        copied,
        skipped_without_org,
        checks,
    }))
}
