//! velt-py's indexes (§12 of the reference), with ids unique per
//! organization instead of globally.

use bson::{Document as BsonDocument, doc};
use mongodb::options::IndexOptions;
use mongodb::{Database, IndexModel};

use crate::store::{Collection, CollectionNames};

/// One index the store creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    /// The collection kind.
    pub collection: Collection,
    /// Key paths, all ascending, in order.
    pub keys: Vec<String>,
    /// Whether the index is unique.
    pub unique: bool,
    /// Only documents having this field are indexed (a partial index on
    /// `$exists`), so documents lacking it never collide.
    pub partial_on_field: Option<String>,
}

impl IndexSpec {
    fn new(collection: Collection, keys: &[&str], unique: bool) -> Self {
        Self {
            collection,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            unique,
            partial_on_field: None,
        }
    }

    /// The index's name: MongoDB's default (`a_1_b_1`).
    pub fn name(&self) -> String {
        self.keys
            .iter()
            .map(|k| format!("{k}_1"))
            .collect::<Vec<_>>()
            .join("_")
    }

    /// The key document.
    pub fn key_document(&self) -> BsonDocument {
        let mut d = BsonDocument::new();
        for k in &self.keys {
            d.insert(k.clone(), 1_i32);
        }
        d
    }

    fn model(&self) -> IndexModel {
        let mut options = IndexOptions::builder().name(self.name()).build();
        if self.unique {
            options.unique = Some(true);
        }
        if let Some(field) = &self.partial_on_field {
            let mut filter = BsonDocument::new();
            filter.insert(field.clone(), doc! {"$exists": true});
            options.partial_filter_expression = Some(filter);
        }
        IndexModel::builder()
            .keys(self.key_document())
            .options(options)
            .build()
    }
}

/// The indexes a store creates, in velt-py's order.
///
/// Differences from velt-py: the globally unique `annotationId`,
/// `attachmentId` and `userId` indexes are replaced by unique
/// `(organization path, id)` indexes; the user one is partial (only documents
/// with a `userId`), so user collections with documents lacking it still get
/// their index; fields in `user_lookup_fields` get non-unique indexes.
pub fn index_specs(user_lookup_fields: &[String]) -> Vec<IndexSpec> {
    use Collection::*;
    const ORG: &str = "metadata.organizationId";
    const DOC: &str = "metadata.documentId";
    const KEY: &str = "metadata.apiKey";
    const FOLDER: &str = "metadata.folderId";
    let mut specs = Vec::new();
    for c in [Comments, Reactions] {
        specs.push(IndexSpec::new(c, &[ORG, "annotationId"], true));
        for k in [DOC, ORG, KEY, FOLDER] {
            specs.push(IndexSpec::new(c, &[k], false));
        }
        specs.push(IndexSpec::new(c, &[ORG, DOC], false));
        specs.push(IndexSpec::new(c, &[ORG, KEY, DOC], false));
        specs.push(IndexSpec::new(c, &[ORG, KEY, "annotationId"], false));
        specs.push(IndexSpec::new(c, &[ORG, KEY, FOLDER], false));
    }
    specs.push(IndexSpec::new(Recorders, &[ORG, "annotationId"], true));
    for k in [DOC, ORG, KEY] {
        specs.push(IndexSpec::new(Recorders, &[k], false));
    }
    specs.push(IndexSpec::new(Recorders, &[ORG, DOC], false));
    specs.push(IndexSpec::new(Recorders, &[ORG, KEY, DOC], false));
    specs.push(IndexSpec::new(
        Recorders,
        &[ORG, KEY, "annotationId"],
        false,
    ));

    specs.push(IndexSpec::new(Notifications, &["notificationId"], false));
    specs.push(IndexSpec::new(Notifications, &["organizationId"], false));
    specs.push(IndexSpec::new(
        Notifications,
        &["organizationId", "notificationId"],
        true,
    ));

    specs.push(IndexSpec::new(Activities, &["id"], false));
    specs.push(IndexSpec::new(Activities, &["organizationId"], false));
    specs.push(IndexSpec::new(Activities, &["organizationId", "id"], true));
    specs.push(IndexSpec::new(Activities, &[DOC], false));
    specs.push(IndexSpec::new(Activities, &["organizationId", DOC], false));

    specs.push(IndexSpec::new(
        Permissions,
        &["organizationId", "permissionId"],
        true,
    ));
    specs.push(IndexSpec::new(
        Permissions,
        &["organizationId", "userId"],
        false,
    ));
    specs.push(IndexSpec::new(Attachments, &[ORG, "attachmentId"], true));
    specs.push(IndexSpec::new(Attachments, &[DOC], false));

    // Only documents that have a userId: customer user collections may hold
    // documents without one (velt-py's non-sparse unique index failed there).
    let mut users = IndexSpec::new(Users, &["organizationId", "userId"], true);
    users.partial_on_field = Some("userId".to_owned());
    specs.push(users);
    for field in user_lookup_fields {
        if field != "userId" && !field.is_empty() {
            specs.push(IndexSpec::new(Users, &[field.as_str()], false));
        }
    }
    specs
}

/// What index creation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexReport {
    /// `collection.index` names created (or already present).
    pub created: Vec<String>,
    /// `collection.index` names that failed, with the server's message.
    pub failed: Vec<(String, String)>,
}

/// Creates every index independently: one failure is logged and the rest
/// are still created.
pub(crate) async fn create_all(
    db: &Database,
    names: &CollectionNames,
    specs: &[IndexSpec],
) -> IndexReport {
    let mut report = IndexReport::default();
    for spec in specs {
        let coll_name = names.get(spec.collection);
        let label = format!("{coll_name}.{}", spec.name());
        let coll = db.collection::<BsonDocument>(coll_name);
        match coll.create_index(spec.model()).await {
            Ok(_) => {
                tracing::debug!(index = %label, "index ready");
                report.created.push(label);
            }
            Err(e) => {
                let message = e.to_string();
                tracing::warn!(index = %label, error = %message, "index creation failed; continuing with the others");
                report.failed.push((label, message));
            }
        }
    }
    report
}
