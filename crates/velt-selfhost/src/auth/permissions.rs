//! Stored permission grants and the real-time permission provider's
//! resolution (Velt's `PermissionQuery` → `PermissionResult`).
//!
//! A grant gives one user a role (`viewer` or `editor`, Velt's `accessRole`)
//! on an organization, a folder or a document, optionally until `expiresAt`
//! (milliseconds since the epoch). Grants live in
//! [`Collection::Permissions`] of any [`Store`], scoped by organization like
//! every other record, one record per (user, resource type, resource id), so
//! granting again replaces the role and expiry.
//!
//! A query is answered from the grants on its resource, on its
//! `parentFolderId` and on its organization: the strongest unexpired role
//! wins. Every query of a batch for one organization is answered from one
//! store read.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::store::{Collection, Document, RecordId, Scope, Selector, Store, StoreError};

/// The kind of resource a grant or a query names (Velt's `PermissionResourceType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ResourceType {
    /// The whole organization.
    Organization,
    /// A folder (and, through `parentFolderId`, the documents in it).
    Folder,
    /// One document.
    Document,
}

impl ResourceType {
    fn as_str(self) -> &'static str {
        match self {
            ResourceType::Organization => "organization",
            ResourceType::Folder => "folder",
            ResourceType::Document => "document",
        }
    }
}

/// A role (Velt's `accessRole`); `editor` includes `viewer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum AccessRole {
    /// May read.
    Viewer,
    /// May read and write.
    Editor,
}

/// The resource of a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantResource {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ResourceType,
    /// Its id (for an organization: the organization id).
    pub id: String,
}

/// One grant: `userId` has `accessRole` on `resource` until `expiresAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grant {
    /// The user.
    pub user_id: String,
    /// The resource.
    pub resource: GrantResource,
    /// The role.
    pub access_role: AccessRole,
    /// Expiry in milliseconds since the epoch; none = until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

/// Identifies a grant to revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantKey {
    /// The user.
    pub user_id: String,
    /// The resource.
    pub resource: GrantResource,
}

/// The resource of a [`PermissionQuery`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResource {
    /// Its id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ResourceType,
    /// Its organization.
    pub organization_id: String,
    /// The folder holding it, when Velt knows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_id: Option<String>,
    /// Why Velt asks (`setDocuments`, `identify`, ...); not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// Velt's access context; not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
}

/// One question of the permission provider: may `userId` access `resource`?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionQuery {
    /// The user.
    pub user_id: String,
    /// The resource.
    pub resource: QueryResource,
}

/// The answer to one [`PermissionQuery`] (Velt's `PermissionResult`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionResult {
    /// The user.
    pub user_id: String,
    /// The resource.
    pub resource_id: String,
    /// The resource's organization.
    pub organization_id: String,
    /// The resource's type.
    #[serde(rename = "type")]
    pub kind: ResourceType,
    /// Whether access is granted.
    pub has_access: bool,
    /// The role, when access is granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_role: Option<AccessRole>,
    /// When the granting grant expires (ms since the epoch), when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

/// A grant or query that cannot be used, or a store failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PermissionError {
    /// An empty organization, user or resource id.
    #[error("{0} must be a non-empty string")]
    Empty(&'static str),
    /// The store failed; nothing was answered.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The grant service over a [`Store`].
#[derive(Debug, Clone)]
pub struct Permissions {
    store: Arc<dyn Store>,
}

fn record_id(user: &str, kind: ResourceType, resource: &str) -> String {
    // A JSON array: unambiguous whatever the ids contain.
    json!([user, kind.as_str(), resource]).to_string()
}

fn scope(org: &str) -> Result<Scope, PermissionError> {
    Scope::new(org).map_err(|_| PermissionError::Empty("organizationId"))
}

fn check(user: &str, resource: &GrantResource) -> Result<(), PermissionError> {
    if user.is_empty() {
        return Err(PermissionError::Empty("userId"));
    }
    if resource.id.is_empty() {
        return Err(PermissionError::Empty("resource.id"));
    }
    Ok(())
}

fn to_document(org: &str, g: &Grant) -> Document {
    let mut d = Map::new();
    d.insert(
        "permissionId".into(),
        json!(record_id(&g.user_id, g.resource.kind, &g.resource.id)),
    );
    d.insert("organizationId".into(), json!(org));
    d.insert("userId".into(), json!(g.user_id));
    d.insert("resourceType".into(), json!(g.resource.kind));
    d.insert("resourceId".into(), json!(g.resource.id));
    d.insert("accessRole".into(), json!(g.access_role));
    // Written even when absent, so granting again without expiry clears it.
    d.insert("expiresAt".into(), json!(g.expires_at));
    d
}

fn from_document(d: &Document) -> Option<Grant> {
    Some(Grant {
        user_id: d.get("userId")?.as_str()?.to_owned(),
        resource: GrantResource {
            kind: serde_json::from_value(d.get("resourceType")?.clone()).ok()?,
            id: d.get("resourceId")?.as_str()?.to_owned(),
        },
        access_role: serde_json::from_value(d.get("accessRole")?.clone()).ok()?,
        expires_at: d.get("expiresAt").and_then(Value::as_u64),
    })
}

impl Permissions {
    /// The service over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Stores `grants` for `organization` in one write (a grant of the same
    /// user, resource type and id is replaced).
    pub async fn grant(&self, organization: &str, grants: &[Grant]) -> Result<(), PermissionError> {
        let scope = scope(organization)?;
        for g in grants {
            check(&g.user_id, &g.resource)?;
        }
        let docs = grants
            .iter()
            .map(|g| to_document(organization, g))
            .collect();
        self.store
            .upsert_many(Collection::Permissions, &scope, docs)
            .await?;
        Ok(())
    }

    /// Removes these grants; returns how many existed.
    pub async fn revoke(
        &self,
        organization: &str,
        keys: &[GrantKey],
    ) -> Result<usize, PermissionError> {
        let scope = scope(organization)?;
        for k in keys {
            check(&k.user_id, &k.resource)?;
        }
        let mut removed = 0;
        for k in keys {
            let id = RecordId::Str(record_id(&k.user_id, k.resource.kind, &k.resource.id));
            if self
                .store
                .delete(Collection::Permissions, &scope, &id)
                .await?
                .is_some()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The grants of `organization` (of one user when `user_id` is set),
    /// expired ones included.
    pub async fn list(
        &self,
        organization: &str,
        user_id: Option<&str>,
    ) -> Result<Vec<Grant>, PermissionError> {
        let scope = scope(organization)?;
        let selector = match user_id {
            Some(u) => Selector::AnyFieldIn {
                paths: vec!["userId".into()],
                values: vec![json!(u)],
            },
            None => Selector::All,
        };
        let docs = self
            .store
            .find(Collection::Permissions, &scope, &selector)
            .await?;
        Ok(docs.iter().filter_map(from_document).collect())
    }

    /// Answers every query, in order: one store read per organization of
    /// the batch. `now_ms` is the current time (grants with `expiresAt <=
    /// now_ms` are ignored).
    pub async fn resolve(
        &self,
        queries: &[PermissionQuery],
        now_ms: u64,
    ) -> Result<Vec<PermissionResult>, PermissionError> {
        let mut by_org: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for q in queries {
            if q.resource.organization_id.is_empty() {
                return Err(PermissionError::Empty("resource.organizationId"));
            }
            let users = by_org.entry(&q.resource.organization_id).or_default();
            let u = json!(q.user_id);
            if !users.contains(&u) {
                users.push(u);
            }
        }
        let mut grants: BTreeMap<&str, Vec<Grant>> = BTreeMap::new();
        for (org, users) in by_org {
            let docs = self
                .store
                .find(
                    Collection::Permissions,
                    &scope(org)?,
                    &Selector::AnyFieldIn {
                        paths: vec!["userId".into()],
                        values: users,
                    },
                )
                .await?;
            grants.insert(org, docs.iter().filter_map(from_document).collect());
        }
        Ok(queries
            .iter()
            .map(|q| {
                let org = q.resource.organization_id.as_str();
                let held = grants.get(org).map(Vec::as_slice).unwrap_or_default();
                answer(q, held, now_ms)
            })
            .collect())
    }
}

/// Whether grant `g` covers the query's resource.
fn covers(g: &Grant, q: &PermissionQuery) -> bool {
    let r = &q.resource;
    match g.resource.kind {
        ResourceType::Organization => g.resource.id == r.organization_id,
        ResourceType::Folder => {
            (r.kind == ResourceType::Folder && g.resource.id == r.id)
                || r.parent_folder_id.as_deref() == Some(g.resource.id.as_str())
        }
        ResourceType::Document => r.kind == ResourceType::Document && g.resource.id == r.id,
    }
}

fn answer(q: &PermissionQuery, held: &[Grant], now_ms: u64) -> PermissionResult {
    // The strongest role; among grants of that role the latest expiry
    // (none = never).
    let mut best: Option<(AccessRole, Option<u64>)> = None;
    for g in held.iter().filter(|g| {
        g.user_id == q.user_id && covers(g, q) && g.expires_at.is_none_or(|e| e > now_ms)
    }) {
        best = match best {
            None => Some((g.access_role, g.expires_at)),
            Some((role, _)) if g.access_role > role => Some((g.access_role, g.expires_at)),
            Some((role, exp)) if g.access_role == role => Some((
                role,
                match (exp, g.expires_at) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                },
            )),
            keep => keep,
        };
    }
    PermissionResult {
        user_id: q.user_id.clone(),
        resource_id: q.resource.id.clone(),
        organization_id: q.resource.organization_id.clone(),
        kind: q.resource.kind,
        has_access: best.is_some(),
        access_role: best.map(|(r, _)| r),
        expires_at: best.and_then(|(_, e)| e),
    }
}
