//! Generated input: any JSON at any route gets a well-formed answer.

use proptest::prelude::*;
use serde_json::{Value, json};
use velt_server::PROVIDER_ROUTES;

use crate::common::start;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9 _.-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("org-a"),
            Just("doc-1"),
            Just("ann-1"),
            Just(""),
            Just("u1")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("organizationId".to_owned()),
            Just("metadata".to_owned()),
            Just("documentIds".to_owned()),
            Just("commentAnnotation".to_owned()),
            Just("commentAnnotationIds".to_owned()),
            Just("reactionAnnotation".to_owned()),
            Just("recorderAnnotation".to_owned()),
            Just("notifications".to_owned()),
            Just("activity".to_owned()),
            Just("attachment".to_owned()),
            Just("attachmentId".to_owned()),
            Just("users".to_owned()),
            Just("userIds".to_owned()),
            Just("documentId".to_owned()),
            Just("folderId".to_owned()),
            Just("allDocuments".to_owned()),
            Just("file".to_owned()),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[test]
fn any_json_at_any_route_gets_a_resolver_answer() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let s = rt.block_on(start());
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(body in json_value(), wrap in any::<bool>())| {
        // Half of the cases get an object body with the value inside.
        let body = if wrap { json!({"organizationId": "org-a", "metadata": {"organizationId": "org-a"}, "x": body}) } else { body };
        for route in PROVIDER_ROUTES {
            let (st, resp) = rt.block_on(s.post(route, &body));
            prop_assert!(st < 500, "{} {} -> {} {}", route, body, st, resp);
            prop_assert_eq!(&resp["statusCode"], &json!(st));
            prop_assert!(resp["success"].is_boolean());
            if st != 200 {
                prop_assert_eq!(&resp["success"], &json!(false));
                prop_assert!(resp["error"].is_string());
                prop_assert!(resp["errorCode"].is_string());
            }
        }
    });
}
