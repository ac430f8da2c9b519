//! Right of access and right to erasure for one user of one organization,
//! over any [`Store`].
//!
//! [`export_user`] collects every self-hosted record that holds the user;
//! [`delete_user`] removes them. Velt keeps its own copy of the same data:
//! its REST GDPR calls (`velt-rest`) cover that copy, these functions cover
//! the customer's database. See `docs/gdpr.md` for the rules per collection:
//!
//! - comment annotations: the comments whose `from.userId` is the user; an
//!   annotation where no other user's comment remains (and that the user
//!   opened or commented in) is deleted whole, otherwise only the user's
//!   comments are removed and `from` / `assignedTo` / `resolvedByUserId`
//!   naming the user are set to `null`;
//! - reactions (`from` or `user`), recordings (`from`), activities
//!   (`actionUser`), notifications (acting or addressed user), the user
//!   record and permission grants (`userId`): whole records;
//! - attachments referenced by the user's comments and recordings: the
//!   records, and their files when an [`AttachmentStorage`] is given.
//!
//! Records are read with [`Selector::All`] in the organization's scope, so
//! the same user id in another organization is never touched.

mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::attachments::{AttachmentStorage, PutContext};
use crate::store::{
    Collection, Document, RecordId, Scope, ScopeError, Selector, Store, StoreError,
};
use rules::{Action, Finding, classify, referenced_attachments};

/// Collections searched, in this order: comments and recordings come
/// before attachments, whose matching uses the ids they reference.
const ORDER: [Collection; 8] = [
    Collection::Users,
    Collection::Comments,
    Collection::Reactions,
    Collection::Recorders,
    Collection::Notifications,
    Collection::Activities,
    Collection::Permissions,
    Collection::Attachments,
];

/// Errors of [`export_user`] and [`delete_user`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GdprError {
    /// The organization id was empty.
    #[error(transparent)]
    Scope(#[from] ScopeError),
    /// The user id was empty.
    #[error("userId must be a non-empty string")]
    EmptyUser,
    /// The store failed; records of earlier collections may already be
    /// deleted (running the deletion again finishes it).
    #[error("{collection}: {source}")]
    Store {
        /// The collection being read or written.
        collection: Collection,
        /// The store's error.
        #[source]
        source: StoreError,
    },
}

/// Everything the self-hosted store holds about one user of one
/// organization (the JSON that `velt-server gdpr export-user` writes).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserExport {
    /// The organization.
    pub organization_id: String,
    /// The user.
    pub user_id: String,
    /// The user's records, by collection (`users`, `comments`, ...; see
    /// [`Collection::config_key`]), in store order. Comment annotations hold
    /// only the user's part: `annotationId`, `metadata`, the user's
    /// `comments` and the annotation keys naming the user.
    pub records: BTreeMap<String, Vec<Document>>,
}

impl UserExport {
    /// Number of records in the export.
    pub fn len(&self) -> usize {
        self.records.values().map(Vec::len).sum()
    }

    /// True when the store holds nothing about the user.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What [`delete_user`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteReport {
    /// Whole records deleted, by collection.
    pub deleted: BTreeMap<String, usize>,
    /// Comment annotations kept with the user's part removed.
    pub annotations_rewritten: usize,
    /// The user's comments removed (from deleted and rewritten annotations).
    pub comments_removed: usize,
    /// User records without an organization (visible to every organization
    /// with [`crate::UserOrgScope::SharedWhenMissing`]): exported, not deleted.
    pub shared_records_kept: usize,
    /// Attachment files deleted from storage.
    pub files_deleted: usize,
    /// Attachment files that could not be deleted (logged; the records are gone).
    pub file_errors: usize,
    /// Attachment records whose file the storage does not own for the
    /// organization (another storage, another public URL, another
    /// organization's file): the records are gone, the files were left.
    pub files_skipped: usize,
}

impl DeleteReport {
    /// Total number of whole records deleted.
    pub fn records_deleted(&self) -> usize {
        self.deleted.values().sum()
    }

    /// True when nothing was changed (a second run).
    pub fn is_noop(&self) -> bool {
        self.records_deleted() == 0 && self.annotations_rewritten == 0
    }
}

/// Settings of [`delete_user`].
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct DeleteOptions<'a> {
    /// Where attachment files live; without it only records are deleted.
    pub storage: Option<&'a dyn AttachmentStorage>,
    /// The API key attachment files were uploaded with (part of S3 keys).
    pub api_key: Option<&'a str>,
}

impl<'a> DeleteOptions<'a> {
    /// Also deletes the attachment files from `storage`.
    pub fn storage(mut self, storage: &'a dyn AttachmentStorage) -> Self {
        self.storage = Some(storage);
        self
    }

    /// Sets [`DeleteOptions::api_key`].
    pub fn api_key(mut self, api_key: Option<&'a str>) -> Self {
        self.api_key = api_key;
        self
    }
}

/// The findings of every collection, in [`ORDER`].
async fn survey(
    store: &dyn Store,
    scope: &Scope,
    user: &str,
) -> Result<Vec<(Collection, Vec<Finding>)>, GdprError> {
    if user.is_empty() {
        return Err(GdprError::EmptyUser);
    }
    let mut attachments: Vec<RecordId> = Vec::new();
    let mut out = Vec::with_capacity(ORDER.len());
    for collection in ORDER {
        let docs = store
            .find(collection, scope, &Selector::All)
            .await
            .map_err(|source| GdprError::Store { collection, source })?;
        let found: Vec<Finding> = docs
            .iter()
            .filter_map(|d| classify(collection, d, scope.organization_id(), user, &attachments))
            .collect();
        for f in &found {
            attachments.extend(referenced_attachments(collection, &f.export));
        }
        out.push((collection, found));
    }
    Ok(out)
}

/// Every record of organization `org` that holds `user`.
pub async fn export_user(
    store: &dyn Store,
    org: &str,
    user: &str,
) -> Result<UserExport, GdprError> {
    let scope = Scope::new(org)?;
    let mut export = UserExport {
        organization_id: org.to_owned(),
        user_id: user.to_owned(),
        records: BTreeMap::new(),
    };
    for (collection, found) in survey(store, &scope, user).await? {
        if !found.is_empty() {
            export.records.insert(
                collection.config_key().to_owned(),
                found.into_iter().map(|f| f.export).collect(),
            );
        }
    }
    Ok(export)
}

/// Deletes every record of organization `org` that holds `user` (see the
/// module docs for the rules). Idempotent: a second run finds nothing and
/// changes nothing. Rewritten annotations are written in one
/// [`Store::upsert_many`] call before any record is deleted.
///
/// The store has no compare-and-set: a save of the same comment thread
/// arriving while this runs can bring back what it removed (the frontend
/// sends whole threads). Delete the user in Velt too (REST) so no client
/// holds their comments, then run this.
pub async fn delete_user(
    store: &dyn Store,
    org: &str,
    user: &str,
    options: DeleteOptions<'_>,
) -> Result<DeleteReport, GdprError> {
    let scope = Scope::new(org)?;
    let mut report = DeleteReport::default();
    let survey = survey(store, &scope, user).await?;
    let mut rewrites = Vec::new();
    for (_, found) in &survey {
        for f in found {
            report.comments_removed += f.comments;
            match &f.action {
                Action::Rewrite(patch) => rewrites.push(patch.clone()),
                Action::Keep => report.shared_records_kept += 1,
                Action::Delete(_) => {}
            }
        }
    }
    if !rewrites.is_empty() {
        report.annotations_rewritten = rewrites.len();
        store
            .upsert_many(Collection::Comments, &scope, rewrites)
            .await
            .map_err(|source| GdprError::Store {
                collection: Collection::Comments,
                source,
            })?;
    }
    for (collection, found) in survey {
        for f in found {
            let Action::Delete(id) = f.action else {
                continue;
            };
            let deleted = store
                .delete(collection, &scope, &id)
                .await
                .map_err(|source| GdprError::Store { collection, source })?;
            let Some(doc) = deleted else { continue };
            *report
                .deleted
                .entry(collection.config_key().to_owned())
                .or_default() += 1;
            if collection == Collection::Attachments {
                delete_file(&doc, org, &options, &mut report).await;
            }
        }
    }
    Ok(report)
}

/// Deletes the file of a deleted attachment record, when storage is given
/// and owns it for `org`.
async fn delete_file(
    doc: &Document,
    org: &str,
    options: &DeleteOptions<'_>,
    report: &mut DeleteReport,
) {
    let Some(storage) = options.storage else {
        return;
    };
    let file = [doc.get("file"), doc.get("url")]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().filter(|s| !s.is_empty()));
    let Some(file) = file else { return };
    let ctx = PutContext {
        organization_id: org.to_owned(),
        api_key: options.api_key.map(str::to_owned),
    };
    match storage.delete_owned(&ctx, file).await {
        Ok(true) => report.files_deleted += 1,
        Ok(false) => {
            report.files_skipped += 1;
            tracing::warn!(
                file,
                "gdpr: attachment file not owned by the configured storage for this organization: left in place"
            );
        }
        Err(e) => {
            report.file_errors += 1;
            tracing::warn!(error = %e, "gdpr: could not delete an attachment file");
        }
    }
}
