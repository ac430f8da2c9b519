//! Reads served from the stored JSON text ([`Store::find_raw`]): what the
//! database returns goes out as it is, and says exactly what the parsing
//! read says.

use std::sync::Arc;

use serde_json::{Value, json};

use super::cases::same_answer;
use super::{Harness, js, obj, req};
use crate::store::{Collection, Scope, Store};

/// A comment annotation with odd but valid JSON: escapes of every kind in
/// keys and values, numbers at the edges of what every backend keeps
/// (64-bit signed integers: MongoDB has no unsigned 64-bit type and stores
/// larger integers as doubles, as pymongo does), and deeply nested custom
/// keys.
fn odd_record() -> Value {
    let text = r##"{
        "status": {"id": "OPEN", "label": "caf\u00e9 \ud83d\ude00 \u2028 \"q\" \\ \/ \t\u001f", "color": "#fff"},
        "k\u00e9y \u00fcml\u00e4ut": "\u65e5\u672c\u8a9e",
        "numbers": {
            "i64max": 9223372036854775807,
            "i64min": -9223372036854775808,
            "big": 1e22,
            "small": 0.1,
            "neg_exp": -2.5e-10,
            "frac": 12345.6789,
            "zero": 0,
            "neg": -42
        },
        "nested": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": [[[{"metadata": {"organizationId": "not-me"}}]]], "annotationId": "inner"}}}}}}}},
        "empty": {"o": {}, "a": [], "s": ""},
        "falsy": [false, null, 0, "", [], {}],
        "comments": {"c1": {"commentId": 1, "commentText": "line1\nline2", "from": {"userId": "u\u00e9"}}}
    }"##;
    serde_json::from_str(text).unwrap()
}

pub async fn raw_reads_send_odd_json_as_stored(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let record = odd_record();
    let r =
        h.sh.comments()
            .save_comments(&req(json!({
                "commentAnnotation": {"odd-\u{e9}": record.clone(), "plain": {"x": 1}},
                "metadata": {"organizationId": "org-raw", "documentId": "d1"}
            })))
            .await;
    assert_eq!(js(&r), json!({"success": true, "statusCode": 200}));

    let mut expected = record;
    expected["annotationId"] = json!("odd-\u{e9}");
    expected["metadata"] = json!({"organizationId": "org-raw", "documentId": "d1"});
    for body in [
        json!({"organizationId": "org-raw", "documentIds": ["d1"]}),
        json!({"organizationId": "org-raw", "commentAnnotationIds": ["odd-\u{e9}"]}),
    ] {
        let q = req(body);
        let raw = h.sh.comments().get_comments_raw(&q).await;
        assert_eq!(raw.status_code(), 200);
        let text = raw.into_json();
        let wire: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(wire["success"], true);
        assert_eq!(
            wire["data"]["odd-\u{e9}"], expected,
            "the record comes back with every value it was saved with"
        );
        // The numbers keep their JSON type and value.
        let n = &wire["data"]["odd-\u{e9}"]["numbers"];
        assert_eq!(n["i64max"].as_i64(), Some(i64::MAX));
        assert_eq!(n["i64min"].as_i64(), Some(i64::MIN));
        assert_eq!(n["big"].as_f64(), Some(1e22));
        assert_eq!(n["small"].as_f64(), Some(0.1));
        assert_eq!(n["neg_exp"].as_f64(), Some(-2.5e-10));
        assert_eq!(n["frac"].as_f64(), Some(12_345.678_9));
        assert_eq!(
            wire["data"]["odd-\u{e9}"]["status"]["label"],
            "caf\u{e9} \u{1f600} \u{2028} \"q\" \\ / \t\u{1f}"
        );
        // And the parsing read says exactly the same.
        let parsed = js(&h.sh.comments().get_comments(&q).await);
        same_answer(&text, &parsed);
    }
    // Only the organization's records, and not its nested look-alikes.
    let q = req(json!({"organizationId": "not-me"}));
    let raw = h.sh.comments().get_comments_raw(&q).await.into_json();
    assert_eq!(
        serde_json::from_str::<Value>(&raw).unwrap(),
        json!({"data": {}, "success": true, "statusCode": 200})
    );
}

pub async fn raw_reads_skip_and_rewrite_like_parsed_reads(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    h.put(
        Collection::Comments,
        "org-a",
        vec![
            json!({"annotationId": "good", "metadata": {"organizationId": "org-a"}, "comments": {"c": {"x": 1}}}),
            json!({"annotationId": "bad-from", "from": "u1"}),
            json!({"annotationId": "bad-comments", "comments": [1, 2]}),
            json!({"annotationId": "bad-meta-type", "metadata": {"apiKey": 5}}),
            json!({"annotationId": "bad-assignee", "assignedTo": {"userId": {"no": 1}}}),
            json!({"annotationId": 7, "numeric": true}),
        ],
    )
    .await;
    // A stored `_id` is never sent (the SQL stores can hold one; MongoDB
    // refuses the field name on write, which is fine too).
    let with_id = h
        .store
        .inner()
        .upsert_many(
            Collection::Comments,
            &Scope::new("org-a").unwrap(),
            vec![obj(json!({"annotationId": "has-id", "_id": "x", "v": 1}))],
        )
        .await;
    let expected_id_record = with_id.is_ok().then(
        || json!({"annotationId": "has-id", "v": 1, "metadata": {"organizationId": "org-a"}}),
    );

    let q = req(json!({"organizationId": "org-a"}));
    let text = h.sh.comments().get_comments_raw(&q).await.into_json();
    let parsed = js(&h.sh.comments().get_comments(&q).await);
    same_answer(&text, &parsed);
    let data = &parsed["data"];
    let mut keys: Vec<&str> = data
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut want = vec!["7", "good"];
    if expected_id_record.is_some() {
        want.push("has-id");
    }
    want.sort_unstable();
    assert_eq!(keys, want, "{parsed}");
    assert_eq!(
        data["7"],
        json!({"annotationId": 7, "numeric": true, "metadata": {"organizationId": "org-a"}})
    );
    if let Some(rec) = expected_id_record {
        assert_eq!(data["has-id"], rec);
    }

    // A reaction stored under velt-py 0.1.10's `user` key reads back as `from`.
    h.put(
        Collection::Reactions,
        "org-a",
        vec![
            json!({"annotationId": "r-old", "icon": "x", "user": {"userId": "u1", "name": "N"}}),
            json!({"annotationId": "r-both", "user": {"userId": "u2"}, "from": {"userId": "u3"}}),
            json!({"annotationId": "r-new", "from": {"userId": "u4"}}),
            json!({"annotationId": "r-bad", "icon": 5}),
        ],
    )
    .await;
    let q = req(json!({"organizationId": "org-a"}));
    let text = h.sh.reactions().get_reactions_raw(&q).await.into_json();
    let parsed = js(&h.sh.reactions().get_reactions(&q).await);
    same_answer(&text, &parsed);
    let org = json!({"organizationId": "org-a"});
    assert_eq!(
        parsed["data"],
        json!({
            "r-old": {"annotationId": "r-old", "icon": "x", "metadata": org, "from": {"userId": "u1", "name": "N"}},
            "r-both": {"annotationId": "r-both", "from": {"userId": "u3"}, "metadata": org},
            "r-new": {"annotationId": "r-new", "from": {"userId": "u4"}, "metadata": org},
        })
    );
}

/// Reads choose records by the JSON types the contract's filter compares:
/// a numeric `metadata.documentId` or `folderId` never matches the string
/// of its digits, an integer id never matches a string id, another
/// organization's record with the same ids is never read — on the parsing
/// read and on the raw read alike (a SQL store answering from its indexed
/// columns must agree with the filter exactly).
pub async fn reads_match_ids_with_their_json_types(store: Arc<dyn Store>) {
    use crate::store::{RecordId, Selector};
    let h = Harness::new(store);
    h.put(
        Collection::Comments,
        "org-t",
        vec![
            json!({"annotationId": "str-doc", "metadata": {"documentId": "5", "folderId": "f1"}}),
            json!({"annotationId": "num-doc", "metadata": {"documentId": 5, "folderId": 1}}),
            json!({"annotationId": "no-meta"}),
            json!({"annotationId": 7, "metadata": {"documentId": "d7"}}),
            json!({"annotationId": "7", "metadata": {"documentId": "d7"}}),
        ],
    )
    .await;
    h.put(
        Collection::Comments,
        "org-other",
        vec![
            json!({"annotationId": "str-doc", "metadata": {"documentId": "5", "folderId": "f1"}}),
            json!({"annotationId": 7, "metadata": {"documentId": "d7"}}),
        ],
    )
    .await;
    let scope = Scope::new("org-t").unwrap();
    let cases: Vec<(Selector, Vec<Value>)> = vec![
        (
            Selector::DocumentIds(vec!["5".into()]),
            vec![json!("str-doc")],
        ),
        (Selector::Folder("f1".into()), vec![json!("str-doc")]),
        (Selector::Folder("1".into()), vec![]),
        (
            Selector::Ids(vec![RecordId::Str("7".into())]),
            vec![json!("7")],
        ),
        (Selector::Ids(vec![RecordId::Int(7)]), vec![json!(7)]),
        (
            Selector::DocumentIds(vec!["d7".into()]),
            vec![json!(7), json!("7")],
        ),
        (
            Selector::All,
            vec![
                json!("str-doc"),
                json!("num-doc"),
                json!("no-meta"),
                json!(7),
                json!("7"),
            ],
        ),
    ];
    for (selector, want) in cases {
        let parsed: Vec<Value> = h
            .store
            .inner()
            .find(Collection::Comments, &scope, &selector)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d["annotationId"].clone())
            .collect();
        assert_eq!(parsed, want, "find {selector:?}");
        let raw: Vec<Value> = h
            .store
            .inner()
            .find_raw(Collection::Comments, &scope, &selector)
            .await
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str::<Value>(r.get()).unwrap()["annotationId"].clone())
            .collect();
        assert_eq!(raw, want, "find_raw {selector:?}");
    }
}
