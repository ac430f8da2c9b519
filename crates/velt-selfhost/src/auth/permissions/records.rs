//! The stored form of grants and memberships (see the table in the module
//! docs of [`super`]).

use serde_json::{Map, Value, json};

use super::{AccessRole, Grant, GrantResource, Grantee, ResourceType};
use crate::store::{Document, Selector};

/// The field holding a user grant's or a membership's user.
pub(super) const USER_FIELD: &str = "userId";
/// The field holding a group grant's group.
pub(super) const GROUP_FIELD: &str = "groupId";
/// The field holding a membership's group (not `groupId`, so that reading a
/// group's grants does not read its members).
pub(super) const MEMBER_OF_FIELD: &str = "memberOfGroupId";

/// The record id of a grant: a JSON array, unambiguous whatever the ids
/// contain.
pub(super) fn grant_id(grantee: &Grantee, kind: ResourceType, resource: &str) -> String {
    match grantee {
        Grantee::User(u) => json!([u, kind.as_str(), resource]).to_string(),
        Grantee::Group(g) => json!(["group", g, kind.as_str(), resource]).to_string(),
    }
}

/// The record id of a membership.
pub(super) fn member_id(group: &str, user: &str) -> String {
    json!(["member", group, "user", user]).to_string()
}

/// Records whose `field` holds one of `values`.
pub(super) fn by_field<'a>(field: &str, values: impl IntoIterator<Item = &'a str>) -> Selector {
    Selector::AnyFieldIn {
        paths: vec![field.to_owned()],
        values: values.into_iter().map(|v| json!(v)).collect(),
    }
}

pub(super) fn grant_document(org: &str, g: &Grant) -> Document {
    let mut d = Map::new();
    d.insert(
        "permissionId".into(),
        json!(grant_id(&g.grantee, g.resource.kind, &g.resource.id)),
    );
    d.insert("organizationId".into(), json!(org));
    match &g.grantee {
        Grantee::User(u) => d.insert(USER_FIELD.into(), json!(u)),
        Grantee::Group(id) => d.insert(GROUP_FIELD.into(), json!(id)),
    };
    d.insert("resourceType".into(), json!(g.resource.kind));
    d.insert("resourceId".into(), json!(g.resource.id));
    d.insert("accessRole".into(), json!(g.access_role));
    // Written even when absent, so granting again without expiry clears it.
    d.insert("expiresAt".into(), json!(g.expires_at));
    d
}

pub(super) fn member_document(org: &str, group: &str, user: &str) -> Document {
    let mut d = Map::new();
    d.insert("permissionId".into(), json!(member_id(group, user)));
    d.insert("organizationId".into(), json!(org));
    d.insert(USER_FIELD.into(), json!(user));
    d.insert(MEMBER_OF_FIELD.into(), json!(group));
    d
}

/// A record of the permissions collection, read back.
#[derive(Debug)]
pub(super) enum Stored {
    Grant(Grant),
    Member { group: String, user: String },
}

impl Stored {
    pub(super) fn into_grant(self) -> Option<Grant> {
        match self {
            Stored::Grant(g) => Some(g),
            Stored::Member { .. } => None,
        }
    }
}

fn text(d: &Document, field: &str) -> Option<String> {
    Some(d.get(field)?.as_str()?.to_owned())
}

/// Reads a stored record; `None` for one that is neither a grant nor a
/// membership (written by something else: ignored, never an error).
pub(super) fn parse(d: &Document) -> Option<Stored> {
    if let Some(group) = text(d, MEMBER_OF_FIELD) {
        return Some(Stored::Member {
            group,
            user: text(d, USER_FIELD)?,
        });
    }
    let grantee = match (text(d, USER_FIELD), text(d, GROUP_FIELD)) {
        (Some(u), None) => Grantee::User(u),
        (None, Some(g)) => Grantee::Group(g),
        _ => return None,
    };
    Some(Stored::Grant(Grant {
        grantee,
        resource: GrantResource {
            kind: serde_json::from_value(d.get("resourceType")?.clone()).ok()?,
            id: text(d, "resourceId")?,
        },
        access_role: serde_json::from_value::<AccessRole>(d.get("accessRole")?.clone()).ok()?,
        expires_at: d.get("expiresAt").and_then(Value::as_u64),
    }))
}
