//! The permission-grant checks every backend must pass.

use std::sync::Arc;

use serde_json::{Value, json};
use velt_selfhost::auth::permissions::{
    AccessRole, Grant, GrantKey, GrantResource, Grantee, PermissionQuery, Permissions, ResourceType,
};
use velt_selfhost::store::{Collection, Scope, Selector, Store};

pub const NOW: u64 = 1_800_000_000_000;

fn res(kind: ResourceType, id: &str) -> GrantResource {
    GrantResource {
        kind,
        id: id.to_owned(),
    }
}

pub fn grant(
    user: &str,
    kind: ResourceType,
    id: &str,
    role: AccessRole,
    exp: Option<u64>,
) -> Grant {
    Grant {
        grantee: Grantee::User(user.to_owned()),
        resource: res(kind, id),
        access_role: role,
        expires_at: exp,
    }
}

pub fn query(user: &str, kind: &str, id: &str, org: &str, parent: Option<&str>) -> PermissionQuery {
    let mut r = json!({"id": id, "type": kind, "source": "setDocuments", "organizationId": org});
    if let Some(p) = parent {
        r["parentFolderId"] = json!(p);
    }
    serde_json::from_value(json!({"userId": user, "resource": r})).unwrap()
}

/// Grants, hierarchy, expiry, revocation and organization isolation, with
/// the exact records stored.
pub async fn run(store: Arc<dyn Store>) {
    use AccessRole::*;
    use ResourceType::*;
    let p = Permissions::new(store.clone());
    p.grant(
        "org-a",
        &[
            grant("u1", Document, "doc-1", Viewer, None),
            grant("u1", Folder, "folder-1", Editor, Some(NOW + 60_000)),
            grant("u2", Organization, "org-a", Viewer, None),
            grant("u3", Document, "doc-1", Editor, Some(NOW - 1)),
        ],
    )
    .await
    .unwrap();
    p.grant("org-b", &[grant("u1", Organization, "org-b", Editor, None)])
        .await
        .unwrap();

    let records = raw_where(
        &store,
        "org-a",
        Selector::AnyFieldIn {
            paths: vec!["userId".into()],
            values: vec![json!("u1")],
        },
    )
    .await;
    assert_eq!(
        records,
        vec![
            json!({"permissionId": r#"["u1","document","doc-1"]"#, "organizationId": "org-a", "userId": "u1",
                   "resourceType": "document", "resourceId": "doc-1", "accessRole": "viewer", "expiresAt": null}),
            json!({"permissionId": r#"["u1","folder","folder-1"]"#, "organizationId": "org-a", "userId": "u1",
                   "resourceType": "folder", "resourceId": "folder-1", "accessRole": "editor", "expiresAt": NOW + 60_000}),
        ]
    );

    let queries = [
        // Direct document grant.
        query("u1", "document", "doc-1", "org-a", None),
        // Document in a folder granted as editor: the stronger role wins.
        query("u1", "document", "doc-1", "org-a", Some("folder-1")),
        // Another document of the folder, through parentFolderId.
        query("u1", "document", "doc-2", "org-a", Some("folder-1")),
        // The folder itself.
        query("u1", "folder", "folder-1", "org-a", None),
        // No grant.
        query("u1", "document", "doc-3", "org-a", None),
        // Organization-wide grant.
        query("u2", "document", "doc-9", "org-a", Some("folder-7")),
        // Expired grant.
        query("u3", "document", "doc-1", "org-a", None),
        // u1's org-b grant does not leak into org-a, and vice versa.
        query("u1", "organization", "org-b", "org-b", None),
        query("u2", "document", "doc-1", "org-b", None),
    ];
    let results = p.resolve(&queries, NOW).await.unwrap();
    assert_eq!(
        serde_json::to_value(&results).unwrap(),
        json!([
            {"userId": "u1", "resourceId": "doc-1", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "viewer"},
            {"userId": "u1", "resourceId": "doc-1", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "editor", "expiresAt": NOW + 60_000},
            {"userId": "u1", "resourceId": "doc-2", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "editor", "expiresAt": NOW + 60_000},
            {"userId": "u1", "resourceId": "folder-1", "organizationId": "org-a", "type": "folder", "hasAccess": true, "accessRole": "editor", "expiresAt": NOW + 60_000},
            {"userId": "u1", "resourceId": "doc-3", "organizationId": "org-a", "type": "document", "hasAccess": false},
            {"userId": "u2", "resourceId": "doc-9", "organizationId": "org-a", "type": "document", "hasAccess": true, "accessRole": "viewer"},
            {"userId": "u3", "resourceId": "doc-1", "organizationId": "org-a", "type": "document", "hasAccess": false},
            {"userId": "u1", "resourceId": "org-b", "organizationId": "org-b", "type": "organization", "hasAccess": true, "accessRole": "editor"},
            {"userId": "u2", "resourceId": "doc-1", "organizationId": "org-b", "type": "document", "hasAccess": false},
        ])
    );
    // Past the folder grant's expiry only the document grant is left.
    let later = p.resolve(&queries[1..3], NOW + 60_000).await.unwrap();
    assert_eq!(
        (later[0].access_role, later[1].has_access),
        (Some(Viewer), false)
    );

    // Granting again replaces role and expiry.
    p.grant("org-a", &[grant("u1", Folder, "folder-1", Viewer, None)])
        .await
        .unwrap();
    let listed = p
        .list("org-a", Some(&Grantee::User("u1".into())))
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&grant("u1", Folder, "folder-1", Viewer, None)));

    // Revocation: existing ones count, missing ones do not.
    let key = |u: &str, k, id: &str| GrantKey {
        grantee: Grantee::User(u.to_owned()),
        resource: res(k, id),
    };
    assert_eq!(
        p.revoke(
            "org-a",
            &[key("u1", Document, "doc-1"), key("u1", Document, "nope")]
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        p.list("org-a", Some(&Grantee::User("u1".into())))
            .await
            .unwrap(),
        vec![grant("u1", Folder, "folder-1", Viewer, None)]
    );
    // Revoking in org-b does not touch org-a.
    assert_eq!(
        p.revoke("org-b", &[key("u1", Folder, "folder-1")])
            .await
            .unwrap(),
        0
    );
    assert_eq!(p.list("org-a", None).await.unwrap().len(), 3);
    assert_eq!(
        p.list("org-b", None).await.unwrap(),
        vec![grant("u1", Organization, "org-b", Editor, None)]
    );
    // Empty ids are refused before anything is written.
    assert_eq!(
        p.grant("org-a", &[grant("", Document, "d", Viewer, None)])
            .await
            .unwrap_err()
            .to_string(),
        "userId must be a non-empty string"
    );
    assert_eq!(
        p.grant("", &[]).await.unwrap_err().to_string(),
        "organizationId must be a non-empty string"
    );
}

pub fn group_grant(
    group: &str,
    kind: ResourceType,
    id: &str,
    role: AccessRole,
    exp: Option<u64>,
) -> Grant {
    Grant {
        grantee: Grantee::Group(group.to_owned()),
        resource: res(kind, id),
        access_role: role,
        expires_at: exp,
    }
}

fn users(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// Raw records of the permissions collection of `org` chosen by
/// `selector`, without `_id`, sorted by `permissionId`.
async fn raw_where(store: &Arc<dyn Store>, org: &str, selector: Selector) -> Vec<Value> {
    let mut records: Vec<Value> = store
        .find(
            Collection::Permissions,
            &Scope::new(org).unwrap(),
            &selector,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|mut d| {
            d.remove("_id");
            Value::Object(d)
        })
        .collect();
    records.sort_by_key(|r| r["permissionId"].to_string());
    records
}

async fn raw(store: &Arc<dyn Store>, org: &str) -> Vec<Value> {
    raw_where(store, org, Selector::All).await
}

/// Grants to user groups: memberships, resolution through a group, the
/// strongest of direct and group roles, revocation, removal of a member,
/// organization isolation, with the exact records stored.
pub async fn run_groups(store: Arc<dyn Store>) {
    use AccessRole::*;
    use ResourceType::*;
    let p = Permissions::new(store.clone());
    p.grant(
        "org-g",
        &[
            group_grant("designers", Folder, "f-1", Editor, Some(NOW + 60_000)),
            group_grant("everyone", Organization, "org-g", Viewer, None),
            group_grant("gone", Document, "doc-1", Editor, Some(NOW - 1)),
            grant("u2", Document, "doc-1", Editor, None),
        ],
    )
    .await
    .unwrap();
    p.add_members("org-g", "designers", &users(&["u1", "u2"]))
        .await
        .unwrap();
    p.add_members("org-g", "everyone", &users(&["u1", "u2", "u3"]))
        .await
        .unwrap();
    p.add_members("org-g", "gone", &users(&["u3"]))
        .await
        .unwrap();
    // Adding again changes nothing.
    p.add_members("org-g", "designers", &users(&["u1"]))
        .await
        .unwrap();
    // The same group name in another organization, with u1 in it.
    p.add_members("org-h", "designers", &users(&["u9"]))
        .await
        .unwrap();
    p.grant(
        "org-h",
        &[group_grant(
            "designers",
            Organization,
            "org-h",
            Editor,
            None,
        )],
    )
    .await
    .unwrap();

    let stored = raw(&store, "org-g").await;
    assert_eq!(stored.len(), 10);
    assert_eq!(
        stored[..2],
        [
            json!({"permissionId": r#"["group","designers","folder","f-1"]"#, "organizationId": "org-g",
                   "groupId": "designers", "resourceType": "folder", "resourceId": "f-1",
                   "accessRole": "editor", "expiresAt": NOW + 60_000}),
            json!({"permissionId": r#"["group","everyone","organization","org-g"]"#, "organizationId": "org-g",
                   "groupId": "everyone", "resourceType": "organization", "resourceId": "org-g",
                   "accessRole": "viewer", "expiresAt": null}),
        ]
    );
    assert!(stored.contains(
        &json!({"permissionId": r#"["member","designers","user","u1"]"#,
        "organizationId": "org-g", "userId": "u1", "memberOfGroupId": "designers"})
    ));
    assert_eq!(
        p.members("org-g", "designers").await.unwrap(),
        users(&["u1", "u2"])
    );
    assert_eq!(
        p.members("org-h", "designers").await.unwrap(),
        users(&["u9"])
    );

    let queries = [
        // Through "designers" (folder, editor) beats "everyone" (viewer).
        query("u1", "document", "doc-5", "org-g", Some("f-1")),
        // Only "everyone" applies outside the folder.
        query("u1", "document", "doc-6", "org-g", None),
        // u2: a direct editor grant without expiry beats the group's expiring one.
        query("u2", "document", "doc-1", "org-g", Some("f-1")),
        // u3 is in "everyone" and in "gone", whose grant expired.
        query("u3", "document", "doc-1", "org-g", None),
        // u4 is in no group.
        query("u4", "document", "doc-1", "org-g", Some("f-1")),
        // A member of org-h's "designers" has nothing in org-g...
        query("u9", "folder", "f-1", "org-g", None),
        // ...and u1 nothing in org-h.
        query("u1", "document", "doc-1", "org-h", None),
        query("u9", "document", "doc-1", "org-h", None),
    ];
    let results = p.resolve(&queries, NOW).await.unwrap();
    assert_eq!(
        serde_json::to_value(&results).unwrap(),
        json!([
            {"userId": "u1", "resourceId": "doc-5", "organizationId": "org-g", "type": "document", "hasAccess": true, "accessRole": "editor", "expiresAt": NOW + 60_000},
            {"userId": "u1", "resourceId": "doc-6", "organizationId": "org-g", "type": "document", "hasAccess": true, "accessRole": "viewer"},
            {"userId": "u2", "resourceId": "doc-1", "organizationId": "org-g", "type": "document", "hasAccess": true, "accessRole": "editor"},
            {"userId": "u3", "resourceId": "doc-1", "organizationId": "org-g", "type": "document", "hasAccess": true, "accessRole": "viewer"},
            {"userId": "u4", "resourceId": "doc-1", "organizationId": "org-g", "type": "document", "hasAccess": false},
            {"userId": "u9", "resourceId": "f-1", "organizationId": "org-g", "type": "folder", "hasAccess": false},
            {"userId": "u1", "resourceId": "doc-1", "organizationId": "org-h", "type": "document", "hasAccess": false},
            {"userId": "u9", "resourceId": "doc-1", "organizationId": "org-h", "type": "document", "hasAccess": true, "accessRole": "editor"},
        ])
    );

    // Lists: a group's grants; a user's holds only its direct grants; all.
    assert_eq!(
        p.list("org-g", Some(&Grantee::Group("designers".into())))
            .await
            .unwrap(),
        vec![group_grant(
            "designers",
            Folder,
            "f-1",
            Editor,
            Some(NOW + 60_000)
        )]
    );
    assert_eq!(
        p.list("org-g", Some(&Grantee::User("u2".into())))
            .await
            .unwrap(),
        vec![grant("u2", Document, "doc-1", Editor, None)]
    );
    assert_eq!(p.list("org-g", None).await.unwrap().len(), 4);

    // Removing u1 from "designers" leaves it the organization-wide viewer role.
    assert_eq!(
        p.remove_members("org-g", "designers", &users(&["u1", "u7"]))
            .await
            .unwrap(),
        1
    );
    let after = p.resolve(&queries[..1], NOW).await.unwrap();
    assert_eq!(after[0].access_role, Some(Viewer));
    // Revoking the "everyone" grant leaves u1 without access.
    let key = GrantKey {
        grantee: Grantee::Group("everyone".into()),
        resource: res(Organization, "org-g"),
    };
    assert_eq!(
        p.revoke("org-g", std::slice::from_ref(&key)).await.unwrap(),
        1
    );
    assert_eq!(p.revoke("org-g", &[key]).await.unwrap(), 0);
    let after = p.resolve(&queries[..2], NOW).await.unwrap();
    assert_eq!((after[0].has_access, after[1].has_access), (false, false));
    // org-h untouched.
    assert_eq!(raw(&store, "org-h").await.len(), 2);

    // Bad input is refused before anything is written.
    assert_eq!(
        p.add_members("org-g", "", &users(&["u1"]))
            .await
            .unwrap_err()
            .to_string(),
        "groupId must be a non-empty string"
    );
    assert_eq!(
        p.add_members("org-g", "g", &users(&["u1", ""]))
            .await
            .unwrap_err()
            .to_string(),
        "userIds[] must be a non-empty string"
    );
    assert_eq!(
        p.grant("org-g", &[group_grant("", Document, "d", Viewer, None)])
            .await
            .unwrap_err()
            .to_string(),
        "groupId must be a non-empty string"
    );
    assert_eq!(raw(&store, "org-g").await.len(), 8);
}
