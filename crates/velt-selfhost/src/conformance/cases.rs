//! The conformance cases; see [`crate::conformance_tests!`]. Each takes a
//! fresh, empty store.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use velt_models::selfhost::{
    DeleteAttachmentResolverRequest, GetAttachmentRequest, GetUserResolverRequest,
    SaveAttachmentResolverRequest, parse_request,
};

use super::{FILES_BASE, Harness, data, js, req};
use crate::attachments::AttachmentStorage;
use crate::config::UserSchema;
use crate::store::{Collection, Scope, Selector, Store, UserOrgScope};
use crate::{SelfHosting, Upload};

fn ok() -> Value {
    json!({"success": true, "statusCode": 200})
}

fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Every record of `org` in `collection`, straight from the store.
/// Asserts that the body `raw` of a raw read says exactly what the parsed
/// read's answer says: same values, same key order.
pub(crate) fn same_answer(raw: &str, parsed: &Value) {
    let raw: Value = serde_json::from_str(raw).unwrap();
    assert_eq!(
        serde_json::to_string(&raw).unwrap(),
        serde_json::to_string(parsed).unwrap(),
        "the raw read answers what the parsing read answers"
    );
}

async fn raw(h: &Harness, collection: Collection, org: &str) -> Vec<Value> {
    h.store
        .inner()
        .find(collection, &Scope::new(org).unwrap(), &Selector::All)
        .await
        .unwrap()
        .into_iter()
        .map(|mut d| {
            d.remove("_id");
            Value::Object(d)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The three annotation kinds share their rules; the cases are written once.

#[derive(Clone, Copy, Debug)]
enum Kind {
    Comments,
    Reactions,
    Recorders,
}

impl Kind {
    fn map_field(self) -> &'static str {
        match self {
            Kind::Comments => "commentAnnotation",
            Kind::Reactions => "reactionAnnotation",
            Kind::Recorders => "recorderAnnotation",
        }
    }
    fn ids_field(self) -> &'static str {
        match self {
            Kind::Comments => "commentAnnotationIds",
            Kind::Reactions => "reactionAnnotationIds",
            Kind::Recorders => "recorderAnnotationIds",
        }
    }
    fn id_field(self) -> &'static str {
        match self {
            Kind::Comments => "commentAnnotationId",
            Kind::Reactions => "reactionAnnotationId",
            Kind::Recorders => "recorderAnnotationId",
        }
    }
    /// Reads through both read paths and checks they answer the same
    /// (same JSON, same key order); returns the answer.
    async fn get(self, sh: &SelfHosting, body: Value) -> Value {
        let (parsed, raw) = match self {
            Kind::Comments => {
                let q = req(body);
                let c = sh.comments();
                (c.get_comments(&q).await, c.get_comments_raw(&q).await)
            }
            Kind::Reactions => {
                let q = req(body);
                let r = sh.reactions();
                (r.get_reactions(&q).await, r.get_reactions_raw(&q).await)
            }
            Kind::Recorders => {
                let q = req(body);
                let r = sh.recorders();
                (
                    r.get_recorder_annotations(&q).await,
                    r.get_recorder_annotations_raw(&q).await,
                )
            }
        };
        let parsed = js(&parsed);
        same_answer(&raw.into_json(), &parsed);
        parsed
    }

    async fn save(self, sh: &SelfHosting, body: Value) -> Value {
        let r = match self {
            Kind::Comments => sh.comments().save_comments(&req(body)).await,
            Kind::Reactions => sh.reactions().save_reactions(&req(body)).await,
            Kind::Recorders => sh.recorders().save_recorder_annotation(&req(body)).await,
        };
        js(&r)
    }

    async fn delete(self, sh: &SelfHosting, body: Value) -> Value {
        let r = match self {
            Kind::Comments => sh.comments().delete_comment(&req(body)).await,
            Kind::Reactions => sh.reactions().delete_reaction(&req(body)).await,
            Kind::Recorders => sh.recorders().delete_recorder_annotation(&req(body)).await,
        };
        js(&r)
    }

    /// Saves one annotation `id` (with `record`) in `org`, document `doc`.
    async fn save_one(
        self,
        sh: &SelfHosting,
        org: &str,
        doc: &str,
        id: &str,
        record: Value,
    ) -> Value {
        self.save(
            sh,
            json!({self.map_field(): {id: record}, "metadata": {"organizationId": org, "documentId": doc}}),
        )
        .await
    }

    async fn get_ids(self, sh: &SelfHosting, org: &str, ids: &[&str]) -> Value {
        self.get(sh, json!({"organizationId": org, self.ids_field(): ids}))
            .await
    }

    async fn delete_one(self, sh: &SelfHosting, org: &str, id: &str) -> Value {
        self.delete(
            sh,
            json!({self.id_field(): id, "metadata": {"organizationId": org}}),
        )
        .await
    }
}

async fn annotations_error_responses(kind: Kind, store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let sh = &h.sh;
    let map = kind.map_field();
    assert_eq!(
        kind.get(sh, json!({})).await,
        err(400, "INVALID_INPUT", "organizationId is required")
    );
    assert_eq!(
        kind.get(sh, json!({"organizationId": "", "documentIds": ["d"]}))
            .await,
        err(400, "INVALID_INPUT", "organizationId is required")
    );
    let no_org = err(
        400,
        "INVALID_INPUT",
        "organizationId is required in metadata",
    );
    assert_eq!(kind.save(sh, json!({map: {"a": {}}})).await, no_org);
    assert_eq!(
        kind.save(sh, json!({map: {"a": {}}, "metadata": {}})).await,
        no_org
    );
    assert_eq!(
        kind.save(
            sh,
            json!({map: {"a": {}}, "metadata": {"organizationId": ""}})
        )
        .await,
        no_org
    );
    let empty = err(
        400,
        "INVALID_INPUT",
        &format!("{map} must be a non-empty dictionary"),
    );
    let md = json!({"organizationId": "org-a"});
    assert_eq!(kind.save(sh, json!({map: {}, "metadata": md})).await, empty);
    assert_eq!(kind.save(sh, json!({"metadata": md})).await, empty);
    assert_eq!(
        kind.save(sh, json!({map: [1, 2], "metadata": md})).await,
        empty
    );
    assert_eq!(
        kind.save(sh, json!({map: {"a": "text"}, "metadata": md}))
            .await,
        empty
    );
    let id_field = kind.id_field();
    assert_eq!(
        kind.delete(sh, json!({"metadata": md})).await,
        err(400, "INVALID_INPUT", &format!("{id_field} is required"))
    );
    assert_eq!(
        kind.delete(sh, json!({id_field: "x"})).await,
        no_org,
        "a delete without organization must be refused (velt-py deleted unscoped)"
    );
    assert_eq!(
        h.store.counts(),
        (0, 0, 0),
        "invalid input must not reach the store"
    );
    assert_eq!(
        kind.delete(sh, json!({id_field: "x", "metadata": md}))
            .await,
        ok()
    );
}

async fn annotations_isolation(kind: Kind, store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let sh = &h.sh;
    assert_eq!(
        kind.save_one(sh, "org-a", "doc-1", "x", json!({"text": "A's"}))
            .await,
        ok()
    );
    kind.save_one(sh, "org-a", "doc-1", "only-a", json!({"text": "A's"}))
        .await;
    // Org B sees nothing of A, whatever the query.
    for body in [
        json!({"organizationId": "org-b"}),
        json!({"organizationId": "org-b", "documentIds": ["doc-1"]}),
        json!({"organizationId": "org-b", kind.ids_field(): ["x", "only-a"]}),
    ] {
        assert_eq!(
            kind.get(sh, body).await,
            json!({"data": {}, "success": true, "statusCode": 200})
        );
    }
    // B saving the same id creates B's own record (ids are unique per org).
    assert_eq!(
        kind.save_one(sh, "org-b", "doc-1", "x", json!({"text": "B's"}))
            .await,
        ok()
    );
    let a = kind.get_ids(sh, "org-a", &["x"]).await;
    assert_eq!(a["data"]["x"]["text"], "A's");
    assert_eq!(a["data"]["x"]["metadata"]["organizationId"], "org-a");
    let b = kind.get_ids(sh, "org-b", &["x", "only-a"]).await;
    assert_eq!(keys(&b["data"]), set(&["x"]));
    assert_eq!(b["data"]["x"]["text"], "B's");
    // B cannot delete A's record; deleting its own leaves A's.
    assert_eq!(kind.delete_one(sh, "org-b", "only-a").await, ok());
    assert_eq!(kind.delete_one(sh, "org-b", "x").await, ok());
    let a = kind.get(sh, json!({"organizationId": "org-a"})).await;
    assert_eq!(keys(&a["data"]), set(&["only-a", "x"]));
    assert_eq!(a["data"]["x"]["text"], "A's");
}

async fn annotations_precedence(kind: Kind, h: &Harness, org: &str) {
    let sh = &h.sh;
    for (id, doc, folder) in [("a1", "d1", "f1"), ("a2", "d2", "f1"), ("a3", "d3", "f2")] {
        let r = kind
            .save(
                sh,
                json!({kind.map_field(): {id: {}}, "metadata": {"organizationId": org, "documentId": doc, "folderId": folder}}),
            )
            .await;
        assert_eq!(r, ok());
    }
    let ids = kind.ids_field();
    let q = |body: Value| async move { keys(&kind.get(&h.sh, body).await["data"]) };
    assert_eq!(
        q(json!({"organizationId": org, "documentIds": ["d1"], ids: ["a2"]})).await,
        set(&["a1"]),
        "documentIds win over annotation ids"
    );
    assert_eq!(
        q(json!({"organizationId": org, "documentIds": ["d1", "d3", "nope"]})).await,
        set(&["a1", "a3"])
    );
    assert_eq!(
        q(json!({"organizationId": org, ids: ["a2", "a3", "zz"]})).await,
        set(&["a2", "a3"])
    );
    assert_eq!(
        q(json!({"organizationId": org, "documentIds": [], ids: ["a2"]})).await,
        set(&["a2"])
    );
    assert_eq!(
        q(json!({"organizationId": org})).await,
        set(&["a1", "a2", "a3"])
    );
    assert_eq!(
        q(json!({"organizationId": org, "documentIds": [], ids: []})).await,
        set(&["a1", "a2", "a3"])
    );
    if matches!(kind, Kind::Recorders) {
        return;
    }
    assert_eq!(
        q(json!({"organizationId": org, "folderId": "f1", "allDocuments": true})).await,
        set(&["a1", "a2"])
    );
    assert_eq!(
        q(json!({"organizationId": org, "folderId": "f1"})).await,
        set(&["a1", "a2", "a3"]),
        "folderId without allDocuments reads the whole organization (velt-py)"
    );
    assert_eq!(
        q(json!({"organizationId": org, "folderId": "f1", "allDocuments": false})).await,
        set(&["a1", "a2", "a3"])
    );
    assert_eq!(
        q(json!({"organizationId": org, ids: ["a3"], "folderId": "f1", "allDocuments": true}))
            .await,
        set(&["a3"]),
        "annotation ids win over the folder"
    );
}

// ---------------------------------------------------------------------------
// Comments

pub async fn comments_save_then_get_exact_records(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let ann1 = json!({
        "annotationId": "ignored",
        "comments": {"c1": {
            "commentId": 1, "commentText": "Hello", "commentHtml": "<p>Hello</p>",
            "from": {"userId": "u1", "name": "Ann", "email": "ann@x.test"},
            "to": [{"userId": "u2", "name": "Bo"}],
            "attachments": {
                "12": {"attachmentId": 12, "url": "https://cdn.test/a.png", "name": "a.png", "size": 3, "mimeType": "image/png"},
                "not-a-number": {"attachmentId": 13}
            }
        }},
        "from": {"userId": "u1", "name": "Ann"},
        "assignedTo": {"userId": "u3", "email": "c@x.test"},
        "status": {"id": "OPEN", "name": "Open"},
        "resolvedByUserId": null,
        "context": {"k": "v"},
        "metadata": {"pageInfo": {"url": "https://app.test/x"}, "custom": 1}
    });
    let body = json!({
        "commentAnnotation": {"ann-1": ann1, "ann-2": {"comments": {}, "metadata": {"documentId": "own-doc"}}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1", "apiKey": "req-key", "clientOrganizationId": "c-org"},
        "event": "comment_annotation.add",
        "commentId": "c1"
    });
    let request = req(body.clone());
    let before = format!("{request:?}");
    let r = h.sh.comments().save_comments(&request).await;
    assert_eq!(js(&r), ok());
    assert_eq!(
        format!("{request:?}"),
        before,
        "the caller's request is not changed"
    );
    assert_eq!(
        h.store.counts(),
        (0, 1, 0),
        "one store call per save, no read"
    );

    let mut expected1 = ann1.clone();
    expected1["annotationId"] = json!("ann-1");
    expected1["metadata"] = json!({"pageInfo": {"url": "https://app.test/x"}, "custom": 1,
        "organizationId": "org-a", "documentId": "doc-1", "folderId": "f-1", "apiKey": "req-key"});
    let expected2 = json!({"annotationId": "ann-2", "comments": {},
        "metadata": {"documentId": "doc-1", "organizationId": "org-a", "folderId": "f-1", "apiKey": "req-key"}});
    let r =
        h.sh.comments()
            .get_comments(&req(
                json!({"organizationId": "org-a", "documentIds": ["doc-1"]}),
            ))
            .await;
    assert_eq!(
        js(&r),
        json!({"data": {"ann-1": expected1, "ann-2": expected2}, "success": true, "statusCode": 200})
    );
    // Stored exactly so (the layout velt-py reads).
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(stored, vec![expected1, expected2]);
}

pub async fn comments_query_precedence(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    annotations_precedence(Kind::Comments, &h, "org-a").await;
}

pub async fn comments_stamping_rules(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let keyed = h.reconfigured(|b| b.api_key(Some("cfg-key".into())));
    // Request documentId/folderId override the annotation's own; config key wins.
    let r = keyed
        .comments()
        .save_comments(&req(json!({
            "commentAnnotation": {"a1": {"annotationId": "other", "metadata": {"documentId": "own", "folderId": "own-f", "apiKey": "own-k", "organizationId": "evil-org"}}},
            "metadata": {"organizationId": "org-a", "documentId": "req-doc", "folderId": "req-f", "apiKey": "req-key"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    // Without request values the annotation's own are kept; request apiKey used without config key.
    let r = h
        .sh
        .comments()
        .save_comments(&req(json!({
            "commentAnnotation": {"a2": {"metadata": {"documentId": "own", "folderId": "own-f"}}, "a3": {}},
            "metadata": {"organizationId": "org-a", "apiKey": "req-key"}
        })))
        .await;
    assert_eq!(js(&r), ok());
    // No API key anywhere: none stamped.
    h.sh.comments()
        .save_comments(&req(
            json!({"commentAnnotation": {"a4": {}}, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(
        stored,
        vec![
            json!({"annotationId": "a1", "metadata": {"documentId": "req-doc", "folderId": "req-f", "apiKey": "cfg-key", "organizationId": "org-a"}}),
            json!({"annotationId": "a2", "metadata": {"documentId": "own", "folderId": "own-f", "organizationId": "org-a", "apiKey": "req-key"}}),
            json!({"annotationId": "a3", "metadata": {"organizationId": "org-a", "apiKey": "req-key"}}),
            json!({"annotationId": "a4", "metadata": {"organizationId": "org-a"}}),
        ]
    );
    assert!(raw(&h, Collection::Comments, "evil-org").await.is_empty());
}

pub async fn comments_api_key_scopes_reads_not_deletes(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let keyed = h.reconfigured(|b| b.api_key(Some("k1".into())));
    Kind::Comments
        .save_one(&keyed, "org-a", "d", "a1", json!({}))
        .await;
    h.put(
        Collection::Comments,
        "org-a",
        vec![
            json!({"annotationId": "a2", "metadata": {"organizationId": "org-a", "apiKey": "k2"}}),
            json!({"annotationId": "a3", "metadata": {"organizationId": "org-a"}}),
        ],
    )
    .await;
    let r = Kind::Comments
        .get(&keyed, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1"]));
    assert_eq!(r["data"]["a1"]["metadata"]["apiKey"], "k1");
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a2", "a3"]));
    // Deletes are not scoped by API key (velt-py).
    assert_eq!(Kind::Comments.delete_one(&keyed, "org-a", "a2").await, ok());
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a3"]));
}

pub async fn comments_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Comments, store).await;
}

pub async fn comments_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    Kind::Comments
        .save_one(&h.sh, "org-a", "d", "a1", json!({}))
        .await;
    Kind::Comments
        .save_one(&h.sh, "org-a", "d", "a2", json!({}))
        .await;
    h.store.reset();
    assert_eq!(Kind::Comments.delete_one(&h.sh, "org-a", "a1").await, ok());
    assert_eq!(h.store.counts(), (0, 0, 1));
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]), set(&["a2"]));
    assert_eq!(Kind::Comments.delete_one(&h.sh, "org-a", "a1").await, ok());
}

pub async fn comments_metadata_merge_keeps_keys(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let r = Kind::Comments
        .save(
            &h.sh,
            json!({"commentAnnotation": {"a1": {"status": "open", "metadata": {"custom": 1, "documentId": "d-own"}}},
                   "metadata": {"organizationId": "org-a", "folderId": "f1"}}),
        )
        .await;
    assert_eq!(r, ok());
    let r = Kind::Comments
        .save(
            &h.sh,
            json!({"commentAnnotation": {"a1": {"priority": "high", "metadata": {"other": 2}}},
                   "metadata": {"organizationId": "org-a"}}),
        )
        .await;
    assert_eq!(r, ok());
    let stored = raw(&h, Collection::Comments, "org-a").await;
    assert_eq!(stored.len(), 1);
    let rec = &stored[0];
    assert_eq!(
        rec["status"], "open",
        "top-level keys not in the update are kept"
    );
    assert_eq!(rec["priority"], "high");
    assert_eq!(
        rec["metadata"],
        json!({"custom": 1, "documentId": "d-own", "organizationId": "org-a", "folderId": "f1", "other": 2}),
        "metadata keys are merged, not replaced (velt-py lost them)"
    );
}

/// Documents exactly as velt-py 0.1.10 writes them (model-reduced users,
/// integer-keyed comment attachments, BaseMetadata keys only).
fn velt_py_comment() -> Value {
    json!({
        "annotationId": "vp-1",
        "metadata": {"apiKey": "k", "documentId": "d1", "organizationId": "org-a", "folderId": "f1"},
        "comments": {"c1": {
            "commentId": "c1", "commentHtml": "<p>x</p>", "commentText": "x",
            "attachments": {"5": {"url": "https://bucket.s3.us-east-1.amazonaws.com/attachments/k/u.png", "name": "x.png", "attachmentId": 5}},
            "from": {"userId": "u1"}, "to": [{"userId": "u2"}],
            "taggedUserContacts": [{"userId": "u2", "contact": {"userId": "u2"}, "text": "@Bo"}]
        }, "c2": {"commentId": 2, "commentText": "y", "from": {"userId": "u2"}}},
        "from": {"userId": "u1"},
        "assignedTo": {"userId": "u3"},
        "targetTextRange": {"text": "selected"},
        "resolvedByUserId": null,
        "status": {"id": "OPEN", "color": "#fff"},
        "location": {"id": "loc"}
    })
}

pub async fn comments_velt_py_documents_read_back(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let doc = velt_py_comment();
    h.put(Collection::Comments, "org-a", vec![doc.clone()])
        .await;
    let keyed = h.reconfigured(|b| b.api_key(Some("k".into())));
    for sh in [&h.sh, &keyed] {
        let r = Kind::Comments
            .get(
                sh,
                json!({"organizationId": "org-a", "documentIds": ["d1"]}),
            )
            .await;
        assert_eq!(
            r,
            json!({"data": {"vp-1": doc}, "success": true, "statusCode": 200})
        );
    }
    // And a velt-rs save over it keeps what it does not touch.
    Kind::Comments
        .save(
            &keyed,
            json!({"commentAnnotation": {"vp-1": {"status": {"id": "RESOLVED"}}}, "metadata": {"organizationId": "org-a"}}),
        )
        .await;
    let r = Kind::Comments.get_ids(&keyed, "org-a", &["vp-1"]).await;
    let mut expected = doc.clone();
    expected["status"] = json!({"id": "RESOLVED"});
    assert_eq!(r["data"]["vp-1"], expected);
}

pub async fn comments_malformed_record_is_skipped(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    h.put(
        Collection::Comments,
        "org-a",
        vec![
            json!({"annotationId": "good", "metadata": {"organizationId": "org-a"}, "comments": {"c": {"attachments": {"x-not-int": {"url": "u"}}}}}),
            json!({"annotationId": "bad-from", "from": "u1"}),
            json!({"annotationId": "bad-comments", "comments": [1, 2]}),
            json!({"annotationId": "bad-meta", "metadata": {"documentId": 5}}),
            json!({"annotationId": 7}),
        ],
    )
    .await;
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(r["success"], true, "{r}");
    // Ids (and document ids) may be numbers: Velt sends them so.
    assert_eq!(keys(&r["data"]), set(&["good", "bad-meta", "7"]));
}

pub async fn comments_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Comments, store).await;
}

pub async fn saves_are_one_store_call(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    for n in [1usize, 10, 100] {
        let map: serde_json::Map<String, Value> = (0..n)
            .map(|i| (format!("id-{n}-{i}"), json!({"n": i})))
            .collect();
        let md = json!({"organizationId": "org-a", "documentId": "d"});
        let calls: Vec<Value> = vec![
            js(&h
                .sh
                .comments()
                .save_comments(&req(json!({"commentAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .reactions()
                .save_reactions(&req(json!({"reactionAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .recorders()
                .save_recorder_annotation(&req(json!({"recorderAnnotation": map, "metadata": md})))
                .await),
            js(&h
                .sh
                .notifications()
                .save_notifications(&req(
                    json!({"notifications": map, "organizationId": "org-a"}),
                ))
                .await),
            js(&h
                .sh
                .activities()
                .save_activities(&req(json!({"activity": map, "organizationId": "org-a"})))
                .await),
        ];
        for (i, c) in calls.iter().enumerate() {
            assert_eq!(*c, ok(), "service #{i}, n={n}");
        }
        assert_eq!(
            h.store.counts(),
            (0, 5, 0),
            "one store call per save (n={n})"
        );
        h.store.reset();
    }
    let users: Vec<Value> = (0..100)
        .map(|i| json!({"userId": format!("u{i}")}))
        .collect();
    let r =
        h.sh.users()
            .save_users(&req(json!({"organizationId": "org-a", "users": users})))
            .await;
    assert_eq!(js(&r), ok());
    assert_eq!(h.store.counts(), (0, 1, 0));
    let r = Kind::Comments
        .get(
            &h.sh,
            json!({"organizationId": "org-a", "documentIds": ["d"]}),
        )
        .await;
    assert_eq!(keys(&r["data"]).len(), 111);
}

pub async fn concurrent_saves_lose_no_write(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let sh = h.sh.clone();
        tasks.push(tokio::spawn(async move {
            Kind::Comments
                .save_one(&sh, "org-a", "d", &format!("c{i}"), json!({"n": i}))
                .await
        }));
    }
    for i in 0..16 {
        let sh = h.sh.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"commentAnnotation": {"shared": {format!("f{i}"): i, "metadata": {format!("m{i}"): i}}},
                              "metadata": {"organizationId": "org-a"}});
            Kind::Comments.save(&sh, body).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), ok());
    }
    let r = Kind::Comments
        .get(&h.sh, json!({"organizationId": "org-a"}))
        .await;
    assert_eq!(keys(&r["data"]).len(), 17);
    let shared = &r["data"]["shared"];
    for i in 0..16 {
        assert_eq!(
            shared[format!("f{i}")],
            json!(i),
            "field f{i} lost: {shared}"
        );
        assert_eq!(
            shared["metadata"][format!("m{i}")],
            json!(i),
            "metadata m{i} lost: {shared}"
        );
    }
}

// ---------------------------------------------------------------------------
// Reactions

pub async fn reactions_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let r = Kind::Reactions
        .save(
            &h.sh,
            json!({"reactionAnnotation": {"r1": {"icon": "👍", "user": {"userId": "u1", "name": "Ann"}, "count": 2}},
                   "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}, "event": "reaction.add"}),
        )
        .await;
    assert_eq!(r, ok());
    // velt-py 0.3.0: the reacting user is stored and returned as `from`.
    let expected = json!({"annotationId": "r1", "icon": "👍", "from": {"userId": "u1", "name": "Ann"}, "count": 2,
        "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}});
    assert_eq!(
        Kind::Reactions.get_ids(&h.sh, "org-a", &["r1"]).await,
        json!({"data": {"r1": expected}, "success": true, "statusCode": 200})
    );
    // velt-py 0.1.10 (`user`) and 0.3.0 (`from`) layouts both read back as `from`.
    let v01 = json!({"annotationId": "vp-r1", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "user": {"userId": "u9"}});
    let v03 = json!({"annotationId": "vp-r2", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "from": {"userId": "u9"}});
    h.put(
        Collection::Reactions,
        "org-a",
        vec![v01.clone(), v03.clone()],
    )
    .await;
    assert_eq!(
        Kind::Reactions
            .get(
                &h.sh,
                json!({"organizationId": "org-a", "documentIds": ["d2"]})
            )
            .await["data"],
        json!({"vp-r1": {"annotationId": "vp-r1", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "from": {"userId": "u9"}}, "vp-r2": v03})
    );
    assert_eq!(Kind::Reactions.delete_one(&h.sh, "org-a", "r1").await, ok());
    assert_eq!(Kind::Reactions.delete_one(&h.sh, "org-a", "r1").await, ok());
    annotations_precedence(Kind::Reactions, &h, "org-p").await;
}

pub async fn reactions_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Reactions, store).await;
}

pub async fn reactions_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Reactions, store).await;
}

// ---------------------------------------------------------------------------
// Recorders

pub async fn recorders_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let rec = json!({
        "from": {"userId": "u1", "name": "Ann"},
        "transcription": {"text": "hi"},
        "attachment": {"url": "https://cdn.test/v.webm"},
        "chunkUrls": {"0": "https://cdn.test/0"},
        "recordingEditVersions": {"1": {"from": {"userId": "u1"}, "extraKey": true}}
    });
    let r = Kind::Recorders
        .save(
            &h.sh,
            json!({"recorderAnnotation": {"rec-1": rec}, "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}}),
        )
        .await;
    assert_eq!(r, ok());
    let mut expected = rec.clone();
    expected["annotationId"] = json!("rec-1");
    expected["metadata"] = json!({"organizationId": "org-a", "documentId": "d1", "folderId": "f1"});
    assert_eq!(
        Kind::Recorders
            .get(
                &h.sh,
                json!({"organizationId": "org-a", "documentIds": ["d1"]})
            )
            .await,
        json!({"data": {"rec-1": expected}, "success": true, "statusCode": 200}),
        "every key kept; folderId stamped (velt-py did not)"
    );
    // A velt-py document (edit versions reduced to four keys) reads back unchanged.
    let vp = json!({"annotationId": "vp-rec", "metadata": {"organizationId": "org-v", "documentId": "d"},
        "from": {"userId": "u1", "email": "e"}, "recordingEditVersions": {"0": {"attachment": {"url": "https://x"}}}});
    h.put(Collection::Recorders, "org-v", vec![vp.clone()])
        .await;
    assert_eq!(
        data(
            &h.sh
                .recorders()
                .get_recorder_annotations(&req(json!({"organizationId": "org-v"})))
                .await
        ),
        json!({"vp-rec": vp})
    );
    assert_eq!(
        Kind::Recorders.delete_one(&h.sh, "org-a", "rec-1").await,
        ok()
    );
    assert_eq!(
        Kind::Recorders.delete_one(&h.sh, "org-a", "rec-1").await,
        ok()
    );
    annotations_precedence(Kind::Recorders, &h, "org-a").await;
    // Recorders have no folder query: folderId + allDocuments reads the organization.
    let r = Kind::Recorders
        .get(
            &h.sh,
            json!({"organizationId": "org-a", "folderId": "f1", "allDocuments": true}),
        )
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a2", "a3"]));
}

pub async fn recorders_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Recorders, store).await;
}

pub async fn recorders_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Recorders, store).await;
}

// ---------------------------------------------------------------------------
// Notifications

pub async fn notifications_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let n1 = json!({"displayHeadlineMessageTemplate": "{user} commented", "displayHeadlineMessageTemplateData": {"user": "Ann"},
        "displayBodyMessage": "Hello", "notificationSourceData": {"x": 1}, "custom": true, "organizationId": "evil"});
    let r = h
        .sh
        .notifications()
        .save_notifications(&req(json!({"notifications": {"n1": n1, "n2": {"displayBodyMessage": "2"}}, "organizationId": "org-a"})))
        .await;
    assert_eq!(js(&r), ok());
    let mut e1 = n1.clone();
    e1["notificationId"] = json!("n1");
    e1["organizationId"] = json!("org-a");
    let e2 = json!({"notificationId": "n2", "displayBodyMessage": "2", "organizationId": "org-a"});
    let r =
        h.sh.notifications()
            .get_notifications(&req(json!({"organizationId": "org-a"})))
            .await;
    assert_eq!(
        js(&r),
        json!({"data": {"n1": e1, "n2": e2}, "success": true, "statusCode": 200})
    );
    let r =
        h.sh.notifications()
            .get_notifications(&req(
                json!({"organizationId": "org-a", "notificationIds": ["n2", "zz"]}),
            ))
            .await;
    assert_eq!(data(&r), json!({"n2": e2}));
    // A velt-py document reads back unchanged.
    let vp = json!({"notificationId": "vp-n", "organizationId": "org-a", "displayHeadlineMessageTemplate": "t", "notificationSourceData": [1, 2]});
    h.put(Collection::Notifications, "org-a", vec![vp.clone()])
        .await;
    let r =
        h.sh.notifications()
            .get_notifications(&req(
                json!({"organizationId": "org-a", "notificationIds": ["vp-n"]}),
            ))
            .await;
    assert_eq!(data(&r), json!({"vp-n": vp}));
    let del = |id: &str| json!({"notificationId": id, "organizationId": "org-a"});
    assert_eq!(
        js(&h
            .sh
            .notifications()
            .delete_notification(&req(del("n1")))
            .await),
        ok()
    );
    assert_eq!(
        js(&h
            .sh
            .notifications()
            .delete_notification(&req(del("n1")))
            .await),
        ok()
    );
    let r =
        h.sh.notifications()
            .get_notifications(&req(json!({"organizationId": "org-a"})))
            .await;
    assert_eq!(keys(&data(&r)), set(&["n2", "vp-n"]));
}

pub async fn notifications_error_responses(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let n = h.sh.notifications();
    let no_org = err(400, "INVALID_INPUT", "organizationId is required");
    assert_eq!(
        js(&n
            .get_notifications(&req(json!({"notificationIds": ["a"]})))
            .await),
        no_org
    );
    assert_eq!(
        js(&n
            .save_notifications(&req(json!({"notifications": {"a": {}}})))
            .await),
        no_org
    );
    assert_eq!(
        js(&n
            .save_notifications(&req(json!({"notifications": {}, "organizationId": "o"})))
            .await),
        err(
            400,
            "INVALID_INPUT",
            "notifications must be a non-empty dictionary"
        )
    );
    assert_eq!(
        js(&n
            .delete_notification(&req(json!({"organizationId": "o"})))
            .await),
        err(400, "INVALID_INPUT", "notificationId is required")
    );
    assert_eq!(
        js(&n
            .delete_notification(&req(json!({"notificationId": "a"})))
            .await),
        no_org
    );
    assert_eq!(h.store.counts(), (0, 0, 0));
    assert_eq!(
        js(&n
            .delete_notification(&req(json!({"notificationId": "a", "organizationId": "o"})))
            .await),
        ok()
    );
}

pub async fn notifications_isolation(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let n = h.sh.notifications();
    let save = |org: &str, text: &str| json!({"notifications": {"x": {"displayBodyMessage": text}, format!("only-{org}"): {}}, "organizationId": org});
    assert_eq!(
        js(&n.save_notifications(&req(save("org-a", "A"))).await),
        ok()
    );
    let b_get = n
        .get_notifications(&req(
            json!({"organizationId": "org-b", "notificationIds": ["x", "only-org-a"]}),
        ))
        .await;
    assert_eq!(data(&b_get), json!({}));
    assert_eq!(
        js(&n.save_notifications(&req(save("org-b", "B"))).await),
        ok()
    );
    assert_eq!(
        js(&n
            .delete_notification(&req(
                json!({"notificationId": "only-org-a", "organizationId": "org-b"})
            ))
            .await),
        ok()
    );
    assert_eq!(
        js(&n
            .delete_notification(&req(
                json!({"notificationId": "x", "organizationId": "org-b"})
            ))
            .await),
        ok()
    );
    let a = data(
        &n.get_notifications(&req(json!({"organizationId": "org-a"})))
            .await,
    );
    assert_eq!(keys(&a), set(&["only-org-a", "x"]));
    assert_eq!(a["x"]["displayBodyMessage"], "A");
    let b = data(
        &n.get_notifications(&req(json!({"organizationId": "org-b"})))
            .await,
    );
    assert_eq!(keys(&b), set(&["only-org-b"]));
}

// ---------------------------------------------------------------------------
// Activities

pub async fn activities_save_get(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let a1 = json!({"actionType": "comment.add", "featureType": "comment", "actionUser": {"userId": "u1", "name": "Ann"},
        "changes": {"status": {"from": "open", "to": "done"}}, "metadata": {"custom": 1}});
    let r =
        h.sh.activities()
            .save_activities(&req(json!({
                "activity": {"a1": a1, "a2": {"metadata": null}, "a3": {"metadata": "raw"}},
                "metadata": {"organizationId": "org-a", "documentId": "doc-1", "apiKey": "req-key"},
                "event": {"type": "anything"}
            })))
            .await;
    assert_eq!(js(&r), ok());
    let md = json!({"organizationId": "org-a", "documentId": "doc-1", "apiKey": "req-key"});
    let mut e1 = a1.clone();
    e1["id"] = json!("a1");
    e1["metadata"] =
        json!({"custom": 1, "organizationId": "org-a", "documentId": "doc-1", "apiKey": "req-key"});
    e1["organizationId"] = json!("org-a");
    let e2 = json!({"id": "a2", "metadata": md, "organizationId": "org-a"});
    let e3 = json!({"id": "a3", "metadata": "raw", "organizationId": "org-a"});
    let get = |body: Value| {
        let sh = h.sh.clone();
        async move { js(&sh.activities().get_activities(&req(body)).await) }
    };
    assert_eq!(
        get(json!({"organizationId": "org-a"})).await,
        json!({"data": {"a1": e1, "a2": e2, "a3": e3}, "success": true, "statusCode": 200})
    );
    assert_eq!(
        keys(&get(json!({"organizationId": "org-a", "documentIds": ["doc-1"]})).await["data"]),
        set(&["a1", "a2"]),
        "documentId is stamped from the request (velt-py did not)"
    );
    assert_eq!(
        keys(
            &get(
                json!({"organizationId": "org-a", "activityIds": ["a3"], "documentIds": ["doc-1"]})
            )
            .await["data"]
        ),
        set(&["a3"]),
        "activityIds win over documentIds"
    );
    // Top-level organizationId wins over metadata's; config API key wins.
    let keyed = h.reconfigured(|b| b.api_key(Some("cfg".into())));
    keyed
        .activities()
        .save_activities(&req(json!({"activity": {"b1": {}}, "organizationId": "org-b", "metadata": {"organizationId": "org-a"}})))
        .await;
    let b = raw(&h, Collection::Activities, "org-b").await;
    assert_eq!(
        b,
        vec![
            json!({"id": "b1", "metadata": {"organizationId": "org-b", "apiKey": "cfg"}, "organizationId": "org-b"})
        ]
    );
    // velt-py documents read back unchanged.
    let vp = json!({"id": "vp-a", "organizationId": "org-a", "actionType": "x", "metadata": {"organizationId": "org-a", "documentId": "d9", "pageInfo": {}}});
    h.put(Collection::Activities, "org-a", vec![vp.clone()])
        .await;
    assert_eq!(
        get(json!({"organizationId": "org-a", "documentIds": ["d9"]})).await["data"],
        json!({"vp-a": vp})
    );
}

pub async fn activities_error_responses(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let a = h.sh.activities();
    let no_org = err(400, "INVALID_INPUT", "organizationId is required");
    assert_eq!(js(&a.get_activities(&req(json!({}))).await), no_org);
    assert_eq!(
        js(&a
            .save_activities(&req(json!({"activity": {"x": {}}})))
            .await),
        no_org
    );
    assert_eq!(
        js(&a
            .save_activities(&req(
                json!({"activity": {"x": {}}, "metadata": {"documentId": "d"}})
            ))
            .await),
        no_org
    );
    assert_eq!(
        js(&a
            .save_activities(&req(json!({"activity": {}, "organizationId": "o"})))
            .await),
        err(
            400,
            "INVALID_INPUT",
            "activity must be a non-empty dictionary"
        )
    );
    assert_eq!(h.store.counts(), (0, 0, 0));
}

pub async fn activities_isolation(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let a = h.sh.activities();
    let save = |org: &str, v: &str| json!({"activity": {"x": {"v": v}, format!("only-{org}"): {}}, "organizationId": org, "metadata": {"documentId": "d"}});
    assert_eq!(js(&a.save_activities(&req(save("org-a", "A"))).await), ok());
    for body in [
        json!({"organizationId": "org-b"}),
        json!({"organizationId": "org-b", "activityIds": ["x", "only-org-a"]}),
        json!({"organizationId": "org-b", "documentIds": ["d"]}),
    ] {
        assert_eq!(data(&a.get_activities(&req(body)).await), json!({}));
    }
    assert_eq!(js(&a.save_activities(&req(save("org-b", "B"))).await), ok());
    let ra = data(
        &a.get_activities(&req(json!({"organizationId": "org-a"})))
            .await,
    );
    assert_eq!(keys(&ra), set(&["only-org-a", "x"]));
    assert_eq!(ra["x"]["v"], "A");
    let rb = data(
        &a.get_activities(&req(json!({"organizationId": "org-b"})))
            .await,
    );
    assert_eq!(keys(&rb), set(&["only-org-b", "x"]));
    assert_eq!(rb["x"]["v"], "B");
}

// ---------------------------------------------------------------------------
// Attachments

fn save_req(v: Value) -> SaveAttachmentResolverRequest {
    req(v)
}

fn del_req(v: Value) -> DeleteAttachmentResolverRequest {
    req(v)
}

pub async fn attachments_url_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let body = json!({
        "attachment": {"attachmentId": 0, "file": "https://cdn.test/a.png", "name": "a.png", "mimeType": "image/png",
                        "size": 10, "base64Data": "AAAA", "metadata": {"commentAnnotationId": "ann-1"}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "attachmentId": 0},
        "event": "attachment.add"
    });
    let r = at.save_attachment(&save_req(body), None).await;
    assert_eq!(
        js(&r),
        json!({"data": {"url": "https://cdn.test/a.png"}, "success": true, "statusCode": 200})
    );
    let stored = json!({"attachmentId": 0, "file": "https://cdn.test/a.png", "name": "a.png",
        "metadata": {"commentAnnotationId": "ann-1", "organizationId": "org-a", "documentId": "doc-1"},
        "mimeType": "image/png", "size": 10});
    assert_eq!(
        raw(&h, Collection::Attachments, "org-a").await,
        vec![stored.clone()]
    );
    let r = at
        .get_attachment(&GetAttachmentRequest::new("org-a", 0))
        .await;
    assert_eq!(
        js(&r),
        json!({"data": stored, "success": true, "statusCode": 200}),
        "id 0 is valid"
    );
    // Ids compare with their JSON type.
    let r = at
        .get_attachment(&GetAttachmentRequest::new("org-a", "0"))
        .await;
    assert_eq!(
        js(&r),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    // velt-py documents read back unchanged.
    let vp = json!({"attachmentId": 77, "file": "https://b.s3.us-east-1.amazonaws.com/attachments/k/u.png", "name": "x.png",
        "metadata": {"organizationId": "org-a", "documentId": "d", "apiKey": "k"}, "mimeType": "image/png"});
    h.put(Collection::Attachments, "org-a", vec![vp.clone()])
        .await;
    let r = at
        .get_attachment(&req(json!({"organizationId": "org-a", "attachmentId": 77})))
        .await;
    assert_eq!(data(&r), vp);
    // Delete (an external URL: nothing to remove from storage).
    let r = at
        .delete_attachment(&del_req(
            json!({"attachmentId": 0, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert_eq!(
        js(&at
            .get_attachment(&GetAttachmentRequest::new("org-a", 0))
            .await),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(
                json!({"attachmentId": 0, "metadata": {"organizationId": "org-a"}})
            ))
            .await),
        ok()
    );
}

/// The storage key of a URL returned by the suite's local storage.
fn key_of(url: &str) -> String {
    url.strip_prefix(&format!("{FILES_BASE}/"))
        .unwrap_or_else(|| panic!("{url} is not under {FILES_BASE}"))
        .to_owned()
}

pub async fn attachments_upload_and_file_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let body = json!({"attachment": {"attachmentId": 5, "name": "orig.png", "mimeType": "image/x-orig"},
                      "metadata": {"organizationId": "org-a", "documentId": "doc-1"}});
    let upload = Upload::new(&b"PNGDATA"[..])
        .file_name("pic.PNG")
        .mime_type("image/png");
    h.store.reset();
    let r = at
        .save_attachment(&save_req(body.clone()), Some(upload))
        .await;
    let url = data(&r)["url"].as_str().unwrap().to_owned();
    assert_eq!(h.store.counts(), (0, 1, 0));
    let key = key_of(&url);
    assert!(key.starts_with("attachments/org-a/"), "{key}");
    assert!(key.ends_with(".PNG"), "{key}");
    let obj = h.storage.get(&key).await.unwrap().unwrap();
    assert_eq!(&obj.data[..], b"PNGDATA");
    assert_eq!(obj.content_type.as_deref(), Some("image/png"));
    assert!(h.dir.path().join(&key).is_file());
    let stored = data(
        &at.get_attachment(&GetAttachmentRequest::new("org-a", 5))
            .await,
    );
    assert_eq!(
        stored,
        json!({"attachmentId": 5, "file": url, "name": "pic.PNG", "metadata": {"organizationId": "org-a", "documentId": "doc-1"}, "mimeType": "image/png"})
    );
    // Name and type fall back to the attachment's, then to "attachment".
    let r = at
        .save_attachment(&save_req(body.clone()), Some(Upload::new(&b"x"[..])))
        .await;
    let url2 = data(&r)["url"].as_str().unwrap().to_owned();
    assert!(url2.ends_with(".png"), "{url2}");
    assert_eq!(
        h.storage
            .get(&key_of(&url2))
            .await
            .unwrap()
            .unwrap()
            .content_type
            .as_deref(),
        Some("image/x-orig")
    );
    let r = at
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 6}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(&b"y"[..])),
        )
        .await;
    let url3 = data(&r)["url"].as_str().unwrap().to_owned();
    let name3 = url3.rsplit('/').next().unwrap();
    assert!(!name3.contains('.'), "no extension without a name: {url3}");
    // Delete removes the record and the file.
    let r = at
        .delete_attachment(&del_req(
            json!({"attachmentId": 6, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert!(h.storage.get(&key_of(&url3)).await.unwrap().is_none());
    assert!(!h.dir.path().join(key_of(&url3)).exists());
    // Too large: 413, nothing stored.
    let r = at
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 9}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(vec![0u8; 2048])),
        )
        .await;
    assert_eq!(
        js(&r),
        err(
            413,
            "FILE_TOO_LARGE",
            "File too large: 2048 bytes (limit 1024 bytes)"
        )
    );
    assert!(
        !at.get_attachment(&GetAttachmentRequest::new("org-a", 9))
            .await
            .success
    );
    // No storage configured: velt-py's configuration error.
    let bare = SelfHosting::builder()
        .store(h.store.clone() as Arc<dyn Store>)
        .build();
    let r = bare
        .attachments()
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 9}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(&b"z"[..])),
        )
        .await;
    assert_eq!(
        js(&r),
        err(
            500,
            "CONFIGURATION_ERROR",
            "S3 configuration is required for file uploads"
        )
    );
    // URL saves and deletes still work without storage.
    let r = bare
        .attachments()
        .delete_attachment(&del_req(
            json!({"attachmentId": 5, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert!(
        h.storage.get(&key).await.unwrap().is_some(),
        "no storage configured: file untouched"
    );
}

pub async fn attachments_error_responses(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    assert_eq!(
        js(&at.get_attachment(&GetAttachmentRequest::new("", 1)).await),
        err(
            400,
            "VALIDATION_ERROR",
            "organizationId must be a non-empty string"
        )
    );
    assert_eq!(
        js(&at
            .get_attachment(&req(json!({"organizationId": "org-a"})))
            .await),
        err(400, "INVALID_INPUT", "attachmentId is required")
    );
    let md = json!({"organizationId": "org-a"});
    let cases = [
        (
            json!({"attachment": {"attachmentId": 1, "file": "https://x"}}),
            "organizationId is required in metadata",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "https://x"}, "metadata": {}}),
            "organizationId is required in metadata",
        ),
        (json!({"metadata": md}), "attachment is required"),
        (
            json!({"attachment": {}, "metadata": md}),
            "attachment is required",
        ),
        (
            json!({"attachment": {"file": "https://x"}, "metadata": md}),
            "attachment.attachmentId is required",
        ),
        (
            json!({"attachment": {"attachmentId": null, "file": "https://x"}, "metadata": md}),
            "attachment.attachmentId is required",
        ),
        (
            json!({"attachment": {"attachmentId": 1}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": {}}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": ""}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "ftp://x/y"}, "metadata": md}),
            "attachment.file must be a valid URL (http:// or https://)",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "/etc/passwd"}, "metadata": md}),
            "attachment.file must be a valid URL (http:// or https://)",
        ),
    ];
    for (body, msg) in cases {
        let r = at.save_attachment(&save_req(body.clone()), None).await;
        assert_eq!(js(&r), err(400, "INVALID_INPUT", msg), "{body}");
    }
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(json!({"metadata": md})))
            .await),
        err(400, "INVALID_INPUT", "attachmentId is required")
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(json!({"attachmentId": 1})))
            .await),
        err(
            400,
            "INVALID_INPUT",
            "organizationId is required in metadata"
        )
    );
    assert_eq!(h.store.counts(), (0, 0, 0));
}

pub async fn attachments_isolation(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 1, "name": "a.txt"}, "metadata": {"organizationId": "org-a"}})),
            Some(Upload::new(&b"secret-a"[..]).mime_type("text/plain")),
        )
        .await;
    let url_a = data(&r)["url"].as_str().unwrap().to_owned();
    let key_a = key_of(&url_a);
    let a_record = data(
        &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
            .await,
    );
    // B cannot read or delete A's record.
    assert_eq!(
        js(&at
            .get_attachment(&GetAttachmentRequest::new("org-b", 1))
            .await),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(
                json!({"attachmentId": 1, "metadata": {"organizationId": "org-b"}})
            ))
            .await),
        ok()
    );
    // B saving the same id does not overwrite A's.
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 1, "file": "https://cdn.test/b.png"}, "metadata": {"organizationId": "org-b"}})),
            None,
        )
        .await;
    assert_eq!(data(&r), json!({"url": "https://cdn.test/b.png"}));
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
                .await
        ),
        a_record
    );
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-b", 1))
                .await
        )["file"],
        "https://cdn.test/b.png"
    );
    // B pointing a record at A's file and deleting it does not delete A's file.
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 2, "file": url_a}, "metadata": {"organizationId": "org-b"}})),
            None,
        )
        .await;
    assert!(r.success);
    for id in [1, 2] {
        let r = at
            .delete_attachment(&del_req(
                json!({"attachmentId": id, "metadata": {"organizationId": "org-b"}}),
            ))
            .await;
        assert_eq!(js(&r), ok());
    }
    let file = h
        .storage
        .get(&key_a)
        .await
        .unwrap()
        .expect("A's file survives B's deletes");
    assert_eq!(&file.data[..], b"secret-a");
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
                .await
        ),
        a_record
    );
}

// ---------------------------------------------------------------------------
// Users

fn users_req(org: &str, ids: &[&str]) -> GetUserResolverRequest {
    req(json!({"organizationId": org, "userIds": ids}))
}

pub async fn users_without_schema(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let u1 = json!({"userId": "u1", "name": "Ann", "email": "a@x.test", "photoUrl": "https://p/1", "isAdmin": true,
        "department": "R&D", "profile": {"title": "Eng"}, "textColor": null});
    h.put(
        Collection::Users,
        "org-a",
        vec![u1, json!({"userId": "u2", "name": "Bo"})],
    )
    .await;
    let r =
        h.sh.users()
            .get_users(&users_req("org-a", &["u1", "u3"]))
            .await;
    assert_eq!(
        js(&r),
        json!({"data": {"u1": {"userId": "u1", "name": "Ann", "email": "a@x.test", "photoUrl": "https://p/1", "isAdmin": true,
            "department": "R&D", "profile": {"title": "Eng"}}}, "success": true, "statusCode": 200}),
        "every stored field but organizationId (isAdmin too: velt-py dropped it)"
    );
    let empty = json!({"data": {}, "success": true, "statusCode": 200});
    for body in [
        json!({"organizationId": "org-a", "userIds": []}),
        json!({"organizationId": "org-a"}),
        json!({"organizationId": "org-a", "userIds": "u1"}),
        json!({"userIds": []}),
    ] {
        assert_eq!(js(&h.sh.users().get_users(&req(body)).await), empty);
    }
}

pub async fn users_with_schema(store: Arc<dyn Store>) {
    let schema: UserSchema = serde_json::from_value(json!({
        "userId": ["uid", "account.id"],
        "name": "profile.fullName",
        "email": ["mail", "emails.primary"],
        "photoUrl": "avatar",
        "department": "org.dept",
        "title": "profile.title",
        "color": 5
    }))
    .unwrap();
    let h = Harness::with(store, |b| b.user_schema(schema));
    h.put(
        Collection::Users,
        "org-a",
        vec![
            json!({"userId": "sys-1", "uid": "ext-1", "profile": {"fullName": "Ann A", "title": "Eng"}, "mail": null,
                   "emails": {"primary": "ann@x.test"}, "avatar": "https://p/1", "org": {"dept": "R&D"}, "secret": "s", "color": "red"}),
            json!({"userId": "sys-2", "account": {"id": "ext-2"}, "name": "Bo", "isAdmin": false}),
            json!({"userId": "ext-3"}),
        ],
    )
    .await;
    let r =
        h.sh.users()
            .get_users(&users_req("org-a", &["ext-1", "ext-2", "ext-3", "nope"]))
            .await;
    assert_eq!(
        data(&r),
        json!({
            "ext-1": {"userId": "ext-1", "name": "Ann A", "photoUrl": "https://p/1", "email": "ann@x.test", "color": "red",
                      "department": "R&D", "title": "Eng"},
            "ext-2": {"userId": "ext-2", "name": "Bo", "isAdmin": false},
            "ext-3": {"userId": "ext-3"}
        }),
        "found by every listed id field; null list entries skipped; fields outside the schema hidden"
    );
}

pub async fn users_save_then_get(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let u = h.sh.users();
    let r = u
        .save_users(&req(json!({"organizationId": "org-a", "users": [{"userId": "u1", "name": "Ann", "email": "a@x.test", "custom": 1}]})))
        .await;
    assert_eq!(js(&r), ok());
    assert_eq!(
        raw(&h, Collection::Users, "org-a").await,
        vec![
            json!({"userId": "u1", "name": "Ann", "email": "a@x.test", "custom": 1, "organizationId": "org-a"})
        ]
    );
    u.save_users(&req(json!({"organizationId": "org-a", "users": [{"userId": "u1", "name": "Ann B", "isAdmin": true}]})))
        .await;
    assert_eq!(
        data(&u.get_users(&users_req("org-a", &["u1"])).await),
        json!({"u1": {"userId": "u1", "name": "Ann B", "email": "a@x.test", "isAdmin": true, "custom": 1}})
    );
    // With a schema, the id is also written where the schema reads it.
    let mapped =
        h.reconfigured(|b| b.user_schema(UserSchema::new().with_path("userId", "externalId")));
    mapped
        .users()
        .save_users(&req(
            json!({"organizationId": "org-a", "users": [{"userId": "u9"}]}),
        ))
        .await;
    let stored = raw(&h, Collection::Users, "org-a").await;
    assert_eq!(
        stored[1],
        json!({"userId": "u9", "organizationId": "org-a", "externalId": "u9"})
    );
    assert_eq!(
        data(&mapped.users().get_users(&users_req("org-a", &["u9"])).await),
        json!({"u9": {"userId": "u9"}})
    );
}

pub async fn users_error_responses(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let u = h.sh.users();
    let no_org = err(400, "INVALID_INPUT", "organizationId is required");
    assert_eq!(
        js(&u.get_users(&req(json!({"userIds": ["u1"]}))).await),
        no_org
    );
    assert_eq!(
        js(&u
            .save_users(&req(json!({"users": [{"userId": "u1"}]})))
            .await),
        no_org
    );
    assert_eq!(
        js(&u
            .save_users(&req(json!({"organizationId": "o", "users": []})))
            .await),
        err(400, "INVALID_INPUT", "users must be a non-empty list")
    );
    assert_eq!(
        js(&u
            .save_users(&req(
                json!({"organizationId": "o", "users": [{"userId": "a"}, {"name": "x"}]})
            ))
            .await),
        err(400, "INVALID_INPUT", "every user needs a non-empty userId")
    );
    assert_eq!(h.store.counts(), (0, 0, 0));
}

pub async fn users_isolation(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let services = [
        h.sh.clone(),
        h.reconfigured(|b| b.user_org_scope(UserOrgScope::Strict)),
    ];
    for (i, sh) in services.iter().enumerate() {
        let (org_a, org_b) = (format!("org-a{i}"), format!("org-b{i}"));
        let u = sh.users();
        u.save_users(&req(json!({"organizationId": org_a, "users": [{"userId": "u1", "name": "A"}, {"userId": "only-a"}]})))
            .await;
        assert_eq!(
            data(&u.get_users(&users_req(&org_b, &["u1", "only-a"])).await),
            json!({})
        );
        u.save_users(&req(
            json!({"organizationId": org_b, "users": [{"userId": "u1", "name": "B"}]}),
        ))
        .await;
        assert_eq!(
            data(&u.get_users(&users_req(&org_a, &["u1", "only-a"])).await),
            json!({"u1": {"userId": "u1", "name": "A"}, "only-a": {"userId": "only-a"}})
        );
        assert_eq!(
            data(&u.get_users(&users_req(&org_b, &["u1", "only-a"])).await),
            json!({"u1": {"userId": "u1", "name": "B"}})
        );
    }
}

// ---------------------------------------------------------------------------

pub async fn requests_of_the_wrong_shape_are_400(store: Arc<dyn Store>) {
    let _h = Harness::new(store);
    type G = velt_models::selfhost::GetCommentResolverRequest;
    type S = velt_models::selfhost::SaveCommentResolverRequest;
    let bad = |v: Value| -> Value {
        match parse_request::<G>(v) {
            Ok(r) => panic!("parsed: {r:?}"),
            Err(e) => js(&e),
        }
    };
    assert_eq!(
        bad(json!({"organizationId": 5})),
        err(
            400,
            "VALIDATION_ERROR",
            "organizationId must be a non-empty string"
        )
    );
    let r = bad(json!({"organizationId": "o", "documentIds": "d1"}));
    assert_eq!(r["statusCode"], 400);
    assert_eq!(r["errorCode"], "VALIDATION_ERROR");
    assert_eq!(
        bad(json!([1, 2])),
        err(
            400,
            "VALIDATION_ERROR",
            "request body must be a JSON object"
        )
    );
    let r = parse_request::<S>(
        json!({"commentAnnotation": {"a": {}}, "metadata": {"organizationId": ["x"]}}),
    );
    assert_eq!(
        js(&r.unwrap_err()),
        err(
            400,
            "VALIDATION_ERROR",
            "organizationId must be a non-empty string"
        )
    );
    // Falsy organization ids read as missing (velt-py's `if not organizationId`).
    let g: G = parse_request(json!({"organizationId": null})).unwrap();
    assert_eq!(g.organization_id, "");
    let g: G = parse_request(json!({"organizationId": false})).unwrap();
    assert_eq!(g.organization_id, "");
}
