//! Notification and activity cases.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{err, keys, ok, raw, set};
use crate::conformance::{Harness, data, js, req};
use crate::store::{Collection, Store};

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
