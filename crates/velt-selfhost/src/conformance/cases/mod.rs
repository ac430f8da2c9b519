//! The conformance cases; see [`crate::conformance_tests!`]. Each takes a
//! fresh, empty store.

mod attachments;
mod comments;
mod notifications_activities;
mod reactions_recorders;
mod users;

pub use attachments::*;
pub use comments::*;
pub use notifications_activities::*;
pub use reactions_recorders::*;
pub use users::*;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use velt_models::selfhost::parse_request;

use super::{Harness, js, req};
use crate::SelfHosting;
use crate::store::{Collection, Scope, Selector, Store};

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

/// Every record of `org` in `collection`, straight from the store.
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
