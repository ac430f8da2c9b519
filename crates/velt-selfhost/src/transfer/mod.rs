//! Export, import and migration of every record of a [`Store`], across
//! organizations (the `velt-server export|import|migrate` subcommands).
//!
//! - [`export()`] writes every collection (or one organization) as JSON
//!   Lines, one [`ExportLine`] per line.
//! - [`import()`] reads such lines back into a store, batch by batch through
//!   [`Store::upsert_many`], so importing twice changes nothing; every line
//!   of a batch is validated before any of it is written, and
//!   [`validate()`] checks a whole input first.
//! - [`migrate()`] copies every collection from one store to another in
//!   bounded batches, with a checkpoint file to resume after an
//!   interruption, and checks the record counts at the end.
//!
//! All three read with [`Store::scan`], in the backend's stable key order.
//! The file format and the checkpoint are described in `docs/data-tools.md`.
//!
//! [`Store`]: crate::store::Store
//! [`Store::upsert_many`]: crate::store::Store::upsert_many
//! [`Store::scan`]: crate::store::Store::scan

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde_json::{Map, Value};

pub(crate) use crate::store::record_org;
use crate::store::{Collection, Document, StoreError, get_path};

mod export;
mod import;
mod migrate;

pub use export::{ExportOptions, export};
pub use import::{ImportOptions, ImportSummary, import, validate};
pub use migrate::{
    CountCheck, MigrateOptions, MigrateOutcome, MigrateReport, count_records, migrate,
    verify_counts,
};

/// Called after each batch with the collection and the number of records
/// the batch handled (drives a progress bar).
pub type Progress<'a> = &'a (dyn Fn(Collection, u64) + Send + Sync);

/// Records per collection, in [`Collection::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(BTreeMap<Collection, u64>);

impl Counts {
    /// Adds `n` records of `collection`.
    pub fn add(&mut self, collection: Collection, n: u64) {
        if n > 0 {
            *self.0.entry(collection).or_default() += n;
        }
    }

    /// The records counted for `collection`.
    pub fn get(&self, collection: Collection) -> u64 {
        self.0.get(&collection).copied().unwrap_or(0)
    }

    /// The records counted in every collection.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// `(collection, records)` for every collection with records.
    pub fn iter(&self) -> impl Iterator<Item = (Collection, u64)> + '_ {
        self.0.iter().map(|(c, n)| (*c, *n))
    }
}

/// `N records (comments: n, users: m)`; `0 records` when empty.
impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} records", self.total())?;
        let mut first = true;
        for (c, n) in self.iter() {
            f.write_str(if first { " (" } else { ", " })?;
            write!(f, "{c}: {n}")?;
            first = false;
        }
        if !first {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A bad line of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the input.
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Collection counts of a source and a target that differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountMismatch {
    /// The collection.
    pub collection: Collection,
    /// Records of the source that can be copied (those with an organization).
    pub source: u64,
    /// Records of the target.
    pub target: u64,
}

impl fmt::Display for CountMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: source {} records, target {}",
            self.collection, self.source, self.target
        )
    }
}

/// Errors of an export, import or migration. Never holds credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// A store operation failed.
    #[error("{collection}: {source}")]
    Store {
        /// The collection being read or written.
        collection: Collection,
        /// The store's error.
        #[source]
        source: StoreError,
    },
    /// Reading the input or writing the output or the checkpoint failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Import lines that are not valid export lines. Nothing of the batch
    /// holding them was written; `written_before` records of earlier
    /// batches were.
    #[error("{} bad input line(s) ({written_before} records written before them): {}", errors.len(), join(errors))]
    BadInput {
        /// The bad lines (at most [`MAX_LINE_ERRORS`]).
        errors: Vec<LineError>,
        /// Records written by earlier batches of the same import.
        written_before: u64,
    },
    /// The checkpoint file cannot be used.
    #[error("checkpoint {}: {message}", path.display())]
    Checkpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A new migration's target already holds records.
    #[error(
        "the target already holds {collection} records: a migration starts on an empty target \
         (or resumes with its checkpoint file)"
    )]
    TargetNotEmpty {
        /// The first non-empty collection found.
        collection: Collection,
    },
    /// The record counts of source and target differ after a migration.
    #[error("record counts differ after the migration: {}", join(mismatches))]
    CountMismatch {
        /// Every collection whose counts differ.
        mismatches: Vec<CountMismatch>,
    },
}

/// Bad lines reported at most by one [`TransferError::BadInput`].
pub const MAX_LINE_ERRORS: usize = 100;

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl TransferError {
    pub(crate) fn store(collection: Collection) -> impl FnOnce(StoreError) -> Self {
        move |source| TransferError::Store { collection, source }
    }

    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| TransferError::Io { context, source }
    }
}

/// One line of an export: a record with its collection and organization.
///
/// On the wire: `{"collection":"comments","organizationId":"org-1","record":{…}}`,
/// keys in that order, `collection` being [`Collection::config_key`]
/// (`comments`, `reactions`, `recorder_annotations`, `notifications`,
/// `activities`, `attachments`, `users`, `permissions`, `webhook_receipts`,
/// `webhook_outbox`), `organizationId` the record's organization (`null`
/// for a record without one, e.g. a velt-py user record) and `record` the
/// stored record, exactly as the store returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportLine {
    /// The collection.
    pub collection: Collection,
    /// The record's organization (`None`: a record without one).
    pub organization_id: Option<String>,
    /// The record.
    pub record: Document,
}

impl ExportLine {
    /// The line for a stored `record` of `collection` (organization read
    /// from [`Collection::org_path`]).
    pub fn new(collection: Collection, record: Document) -> Self {
        Self {
            collection,
            organization_id: record_org(collection, &record).map(str::to_owned),
            record,
        }
    }

    /// The line as JSON (no trailing newline).
    pub fn to_json(&self) -> String {
        let mut map = Map::new();
        map.insert(
            "collection".into(),
            Value::String(self.collection.config_key().to_owned()),
        );
        map.insert(
            "organizationId".into(),
            self.organization_id
                .clone()
                .map_or(Value::Null, Value::String),
        );
        map.insert("record".into(), Value::Object(self.record.clone()));
        Value::Object(map).to_string()
    }

    /// Parses and checks one line: a JSON object with exactly `collection`
    /// (a known name), `organizationId` (a non-empty string or `null`) and
    /// `record` (an object with a string or integer id field whose
    /// organization field, when present, agrees with `organizationId`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        let Value::Object(mut map) = value else {
            return Err("not a JSON object".into());
        };
        if let Some(extra) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "collection" | "organizationId" | "record"))
        {
            return Err(format!("unknown key `{}`", extra.escape_debug()));
        }
        let collection = match map.get("collection") {
            Some(Value::String(name)) => collection_by_key(name).ok_or_else(|| {
                format!(
                    "unknown collection `{}` (expected one of {})",
                    name.escape_debug(),
                    Collection::ALL
                        .iter()
                        .map(|c| c.config_key())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?,
            Some(_) => return Err("`collection` is not a string".into()),
            None => return Err("missing `collection`".into()),
        };
        let organization_id = match map.get("organizationId") {
            Some(Value::String(o)) if !o.is_empty() => Some(o.clone()),
            Some(Value::Null) => None,
            Some(_) => return Err("`organizationId` must be a non-empty string or null".into()),
            None => return Err("missing `organizationId`".into()),
        };
        let record = match map.remove("record") {
            Some(Value::Object(r)) => r,
            Some(_) => return Err("`record` is not a JSON object".into()),
            None => return Err("missing `record`".into()),
        };
        match record.get(collection.id_field()) {
            Some(Value::String(_)) => {}
            Some(Value::Number(n)) if n.as_i64().is_some() => {}
            _ => {
                return Err(format!(
                    "{collection} record without a string or integer `{}`",
                    collection.id_field()
                ));
            }
        }
        match get_path(&record, collection.org_path()) {
            None | Some(Value::Null) => {}
            Some(Value::String(o)) if Some(o) == organization_id.as_ref() => {}
            Some(other) => {
                return Err(format!(
                    "the record's `{}` ({other}) differs from `organizationId`",
                    collection.org_path()
                ));
            }
        }
        Ok(Self {
            collection,
            organization_id,
            record,
        })
    }
}

/// The collection whose [`Collection::config_key`] is `key`.
pub fn collection_by_key(key: &str) -> Option<Collection> {
    Collection::ALL.into_iter().find(|c| c.config_key() == key)
}

/// Groups records by collection, in [`Collection::ALL`] order, input order
/// within each.
pub(crate) fn group_by_collection(
    records: Vec<(Collection, Document)>,
) -> Vec<(Collection, Vec<Document>)> {
    let mut groups: Vec<(Collection, Vec<Document>)> = Vec::new();
    for (collection, record) in records {
        match groups.iter_mut().find(|(c, _)| *c == collection) {
            Some((_, list)) => list.push(record),
            None => groups.push((collection, vec![record])),
        }
    }
    groups.sort_by_key(|(c, _)| *c);
    groups
}

/// Groups records by organization, keeping first-appearance order of the
/// organizations and input order within each.
pub(crate) fn group_by_org(records: Vec<(String, Document)>) -> Vec<(String, Vec<Document>)> {
    let mut groups: Vec<(String, Vec<Document>)> = Vec::new();
    for (org, record) in records {
        match groups.iter_mut().find(|(o, _)| *o == org) {
            Some((_, list)) => list.push(record),
            None => groups.push((org, vec![record])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_line_round_trips_with_its_key_order() {
        let Value::Object(record) =
            json!({"annotationId": "c1", "metadata": {"organizationId": "o1"}, "z": 1})
        else {
            unreachable!()
        };
        let line = ExportLine::new(Collection::Comments, record);
        let text = line.to_json();
        assert_eq!(
            text,
            r#"{"collection":"comments","organizationId":"o1","record":{"annotationId":"c1","metadata":{"organizationId":"o1"},"z":1}}"#
        );
        assert_eq!(ExportLine::parse(&text).unwrap(), line);
    }

    #[test]
    fn bad_lines_are_named() {
        let cases = [
            ("[]", "not a JSON object"),
            ("{", "not valid JSON"),
            (
                r#"{"collection":"nope","organizationId":"o","record":{}}"#,
                "unknown collection `nope`",
            ),
            (
                r#"{"collection":"users","organizationId":"","record":{"userId":"u"}}"#,
                "`organizationId` must be a non-empty string or null",
            ),
            (
                r#"{"collection":"users","organizationId":"o","record":{"id":"u"}}"#,
                "users record without a string or integer `userId`",
            ),
            (
                r#"{"collection":"users","organizationId":"o","record":{"userId":"u","organizationId":"p"}}"#,
                "the record's `organizationId` (\"p\") differs from `organizationId`",
            ),
            (
                r#"{"collection":"users","organizationId":"o","record":{"userId":"u"},"x":1}"#,
                "unknown key `x`",
            ),
        ];
        for (text, want) in cases {
            let err = ExportLine::parse(text).unwrap_err();
            assert!(err.starts_with(want), "{text}: {err}");
        }
    }

    #[test]
    fn counts_print_in_collection_order() {
        let mut c = Counts::default();
        c.add(Collection::Users, 2);
        c.add(Collection::Comments, 3);
        c.add(Collection::Reactions, 0);
        assert_eq!(c.to_string(), "5 records (comments: 3, users: 2)");
        assert_eq!(Counts::default().to_string(), "0 records");
    }
}
