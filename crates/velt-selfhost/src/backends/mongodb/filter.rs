//! The queries of a [`MongoStore`](super::MongoStore)'s reads and deletes:
//! the scope and selector as one indexed `find` filter on velt-py's fields
//! (a superset: every returned document is re-checked with the contract's
//! own matching), and ids with their BSON type.

use bson::{Bson, Document as BsonDocument, doc};
use serde_json::Value;

use super::convert;
use crate::store::{Collection, RecordId, Scope, Selector, UserOrgScope};

pub(super) fn id_to_bson(id: &RecordId) -> Bson {
    match id {
        RecordId::Str(s) => Bson::String(s.clone()),
        RecordId::Int(i) => match i32::try_from(*i) {
            Ok(small) => Bson::Int32(small),
            Err(_) => Bson::Int64(*i),
        },
    }
}

fn json_to_bson(v: &Value) -> Bson {
    match convert::json_to_raw(v).try_into() {
        Ok(b) => b,
        Err(_) => Bson::Null,
    }
}

/// The query for a read: `None` when nothing can match (empty id lists).
/// Every backend's semantics are re-checked on the results, so this only
/// needs to select a superset, using the indexes.
pub(super) fn build_filter(
    collection: Collection,
    scope: &Scope,
    users: UserOrgScope,
    selector: &Selector,
) -> Option<BsonDocument> {
    let mut conds: Vec<(String, Bson)> = Vec::new();
    let org = scope.organization_id();
    let org_path = collection.org_path();
    if collection == Collection::Users && users == UserOrgScope::SharedWhenMissing {
        conds.push((
            "$or".into(),
            Bson::Array(vec![
                Bson::Document(doc! { org_path: org }),
                Bson::Document(doc! { org_path: Bson::Null }),
            ]),
        ));
    } else {
        conds.push((org_path.into(), Bson::String(org.to_owned())));
    }
    if let Some(key) = scope.api_key() {
        conds.push(("metadata.apiKey".into(), Bson::String(key.to_owned())));
    }
    match selector {
        Selector::All => {}
        Selector::Ids(ids) => {
            if ids.is_empty() {
                return None;
            }
            let list = ids.iter().map(id_to_bson).collect();
            conds.push((collection.id_field().into(), doc_in(list)));
        }
        Selector::DocumentIds(ids) => {
            if ids.is_empty() {
                return None;
            }
            let list = ids.iter().map(|i| Bson::String(i.clone())).collect();
            conds.push(("metadata.documentId".into(), doc_in(list)));
        }
        Selector::Folder(folder) => {
            conds.push(("metadata.folderId".into(), Bson::String(folder.clone())));
        }
        Selector::AnyFieldIn { paths, values } => {
            let list: Vec<Bson> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(json_to_bson)
                .collect();
            if list.is_empty() || paths.is_empty() {
                return None;
            }
            if let [path] = paths.as_slice() {
                conds.push((path.clone(), doc_in(list)));
            } else {
                let alternatives = paths
                    .iter()
                    .map(|p| {
                        let mut d = BsonDocument::new();
                        d.insert(p.clone(), doc_in(list.clone()));
                        Bson::Document(d)
                    })
                    .collect();
                conds.push(("$or".into(), Bson::Array(alternatives)));
            }
        }
        // Future selectors: select the whole scope, the re-check filters.
        #[allow(unreachable_patterns)]
        _ => {}
    }
    let mut merged = BsonDocument::new();
    let distinct = {
        let mut keys: Vec<&str> = conds.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2).all(|w| w.first() != w.get(1))
    };
    if distinct {
        for (k, v) in conds {
            merged.insert(k, v);
        }
    } else {
        let all = conds
            .into_iter()
            .map(|(k, v)| {
                let mut d = BsonDocument::new();
                d.insert(k, v);
                Bson::Document(d)
            })
            .collect::<Vec<_>>();
        merged.insert("$and", all);
    }
    Some(merged)
}

fn doc_in(list: Vec<Bson>) -> Bson {
    Bson::Document(doc! { "$in": list })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_use_velt_py_fields() {
        let s = Scope::new("o1").unwrap().with_api_key(Some("k".into()));
        let f = build_filter(
            Collection::Comments,
            &s,
            UserOrgScope::default(),
            &Selector::DocumentIds(vec!["d1".into()]),
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"metadata.organizationId": "o1", "metadata.apiKey": "k",
            "metadata.documentId": {"$in": ["d1"]}}
        );
        let s = Scope::new("o1").unwrap();
        let f = build_filter(
            Collection::Users,
            &s,
            UserOrgScope::SharedWhenMissing,
            &Selector::AnyFieldIn {
                paths: vec!["userId".into(), "profile.uid".into()],
                values: vec![json!("u1"), Value::Null, json!(7)],
            },
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"$and": [
                {"$or": [{"organizationId": "o1"}, {"organizationId": null}]},
                {"$or": [{"userId": {"$in": ["u1", 7]}}, {"profile.uid": {"$in": ["u1", 7]}}]},
            ]}
        );
        let f = build_filter(
            Collection::Attachments,
            &s,
            UserOrgScope::Strict,
            &Selector::Ids(vec![RecordId::Int(12), "x".into()]),
        )
        .unwrap();
        assert_eq!(
            f,
            doc! {"metadata.organizationId": "o1", "attachmentId": {"$in": [12, "x"]}}
        );
        assert!(
            build_filter(
                Collection::Comments,
                &s,
                UserOrgScope::Strict,
                &Selector::Ids(vec![])
            )
            .is_none()
        );
    }
}
