//! Unit tests of the raw read path: field checks against the models,
//! answers assembled from stored text.

use super::*;
use crate::store::{RecordId, UserOrgScope};
use serde_json::json;

/// Paths through every field the samples hold.
const ALL_PATHS: &[&str] = &[
    "annotationId",
    "metadata.organizationId",
    "comments.c",
    "from.userId",
    "assignedTo",
    "user.userId",
    "icon",
    "status",
];

/// Field checks accept exactly what the models accept.
fn agrees<T: RawModel>(records: &[Value]) {
    for rec in records {
        let model = T::deserialize(rec).is_ok();
        let text = rec.to_string();
        let skimmed = skim::<T>(&text, "annotationId", &[], &[]).is_ok();
        assert_eq!(skimmed, model, "{rec}");
        // The same check when the filter reads the field (parsed and
        // checked as a value).
        let projected = skim::<T>(&text, "annotationId", &[], ALL_PATHS).is_ok();
        assert_eq!(projected, model, "{rec} (projected)");
    }
}

fn samples() -> Vec<Value> {
    let mut out = vec![
        json!({}),
        json!({"annotationId": "a"}),
        json!({"annotationId": 7}),
        json!({"annotationId": 1.5}),
        json!({"annotationId": null}),
        json!({"annotationId": true}),
        json!({"annotationId": ["a"]}),
        json!({"annotationId": {"a": 1}}),
        json!({"metadata": null}),
        json!({"metadata": {"documentId": 5, "organizationId": "o"}}),
        json!({"metadata": {"documentId": [5]}}),
        json!({"metadata": {"apiKey": 5}}),
        json!({"metadata": {"organizationId": 5}}),
        json!({"metadata": {"organizationId": ""}}),
        json!({"metadata": {"folderId": {}}}),
        json!({"metadata": {"custom": [1, {"x": null}]}}),
        json!({"metadata": "m"}),
        json!({"metadata": []}),
        json!({"comments": null}),
        json!({"comments": {"c": {"attachments": {"x": 1}}}}),
        json!({"comments": [1, 2]}),
        json!({"comments": "c"}),
        json!({"icon": "x"}),
        json!({"icon": 1}),
        json!({"icon": null}),
        json!({"status": {"id": "OPEN"}, "anything": [1, "2", null]}),
    ];
    for user_key in ["from", "assignedTo", "user"] {
        for v in [
            json!(null),
            json!({"userId": "u"}),
            json!({"userId": 5, "name": "n"}),
            json!({"userId": {}}),
            json!({}),
            json!("u1"),
            json!([]),
        ] {
            out.push(json!({ user_key: v }));
        }
    }
    out
}

#[test]
fn field_checks_agree_with_the_models() {
    let s = samples();
    agrees::<PartialCommentAnnotation>(&s);
    agrees::<PartialReactionAnnotation>(&s);
    agrees::<PartialRecorderAnnotation>(&s);
}

#[test]
fn skim_reads_the_id_and_flags_fallback_keys() {
    let t = r#"{"x":{"annotationId":"inner"},"annotationId":"a\u00e9"}"#;
    assert_eq!(
        skim::<PartialCommentAnnotation>(t, "annotationId", &["_id"], &[]).unwrap(),
        Skimmed::Fits(Some(json!("aé")), Document::new())
    );
    let t = r#"{"_id":1,"annotationId":"a"}"#;
    assert_eq!(
        skim::<PartialCommentAnnotation>(t, "annotationId", &["_id"], &[]).unwrap(),
        Skimmed::Fallback
    );
}

/// The assembled object equals what the parsing path builds.
#[test]
fn assemble_matches_collect_records() {
    let records = [
        json!({"annotationId": "a", "v": 1}),
        json!({"annotationId": "b", "from": "bad"}),
        json!({"annotationId": 12, "_id": "x", "v": 2}),
        json!({"annotationId": "", "v": 3}),
        json!({"v": 4}),
        json!({"annotationId": "a", "v": 5}),
        json!({"annotationId": "k\"\u{1}é", "n": 18446744073709551615u64, "f": -1.5e-300}),
    ];
    let docs: Vec<Document> = records
        .iter()
        .map(|r| r.as_object().unwrap().clone())
        .collect();
    let want = super::super::collect_records::<PartialCommentAnnotation>(
        Collection::Comments,
        docs.clone(),
    );
    let mut rows = RawRows::filtered();
    for d in &docs {
        rows.push(RawJson::from_document(d).unwrap().get());
    }
    let scope = Scope::new("o").unwrap();
    let got = assemble::<PartialCommentAnnotation>(
        Collection::Comments,
        &scope,
        &Selector::All,
        &rows,
        None,
    );
    // Compared as text: same keys, order, values and number digits
    // (parsing the text back would round `-1.5e-300`: serde_json's
    // default float parser is not exact for every literal).
    assert_eq!(got.get(), serde_json::to_string(&want).unwrap());
}

/// One scan (filter, model check and id together) keeps what the
/// store's filter then the model check kept, for every scope and
/// selector.
#[test]
fn fused_filter_agrees_with_filter_then_check() {
    let records = [
        json!({"annotationId": "a", "metadata": {"organizationId": "o", "apiKey": "k", "documentId": "d", "folderId": "f"}}),
        json!({"annotationId": "a2", "metadata": {"organizationId": "o2"}}),
        json!({"annotationId": 3, "metadata": {"organizationId": "o", "apiKey": "other"}}),
        json!({"annotationId": "b", "metadata": "not an object"}),
        json!({"annotationId": "c", "metadata": {"organizationId": "o", "documentId": 4}}),
        json!({"annotationId": "e", "metadata": {"organizationId": "o", "documentId": "d"}, "from": "bad"}),
        json!({"annotationId": "g", "metadata": {"organizationId": "o", "documentId": ["d"]}}),
        json!({"annotationId": "h", "_id": 1, "metadata": {"organizationId": "o", "documentId": "d", "apiKey": "k"}}),
        json!({"annotationId": ["x"], "metadata": {"organizationId": "o"}}),
        json!({"metadata": {"organizationId": "o", "documentId": "d"}}),
        json!({"annotationId": "i", "metadata": {"organizationId": "o", "folderId": "f"}, "comments": [1]}),
    ];
    let plain = Scope::new("o").unwrap();
    let keyed = plain.clone().with_api_key(Some("k".into()));
    let selectors = [
        Selector::All,
        Selector::Ids(vec!["a".into(), RecordId::Int(3), "b".into(), "h".into()]),
        Selector::DocumentIds(vec!["d".into()]),
        Selector::Folder("f".into()),
        Selector::AnyFieldIn {
            paths: vec!["metadata.documentId".into(), "annotationId".into()],
            values: vec![json!(4), json!("b"), json!("e")],
        },
    ];
    let mut rows = RawRows::unfiltered(UserOrgScope::default());
    for r in &records {
        rows.push(&r.to_string());
    }
    for scope in [&plain, &keyed] {
        for sel in &selectors {
            let mut two_step = RawRows::filtered();
            for r in rows.clone().into_records(Collection::Comments, scope, sel) {
                two_step.push(r.get());
            }
            let want = assemble::<PartialCommentAnnotation>(
                Collection::Comments,
                scope,
                sel,
                &two_step,
                None,
            );
            let got =
                assemble::<PartialCommentAnnotation>(Collection::Comments, scope, sel, &rows, None);
            assert_eq!(got.get(), want.get(), "{scope:?} {sel:?}");
        }
    }
}

#[test]
fn into_json_is_the_resolver_serialization() {
    let data = RawJson::parse(r#"{"a":{"x":1}}"#).unwrap();
    let want = serde_json::to_string(&ResolverResponse::with_data(json!({"a": {"x": 1}}))).unwrap();
    assert_eq!(RawResponse::Data(RawAnswer::new(&data)).into_json(), want);
    let err = ResolverResponse::invalid_input("x");
    assert_eq!(
        RawResponse::Resolver(err.clone()).into_json(),
        serde_json::to_string(&err).unwrap()
    );
}
