//! User cases.

use std::sync::Arc;

use serde_json::json;
use velt_models::selfhost::GetUserResolverRequest;

use super::{err, ok, raw};
use crate::config::UserSchema;
use crate::conformance::{Harness, data, js, req};
use crate::store::{Collection, Store, UserOrgScope};

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
