//! Stored permission grants and the real-time permission provider's
//! resolution (Velt's `PermissionQuery` → `PermissionResult`).
//!
//! A grant gives a user, or every member of a user group, a role (`viewer`
//! or `editor`, Velt's `accessRole`) on an organization, a folder or a
//! document, optionally until `expiresAt` (milliseconds since the epoch).
//! Grants and group memberships live in [`Collection::Permissions`] of any
//! [`Store`], scoped by organization like every other record: one record per
//! (grantee, resource type, resource id), so granting again replaces the
//! role and expiry, and one per (group, member).
//!
//! A query is answered from the grants on its resource, on its
//! `parentFolderId` and on its organization, made to the user or to a group
//! the user is a member of: the strongest unexpired role wins. The queries
//! of a batch are answered from one store read per organization when none of
//! their users belongs to a group, and from two (the users' grants and
//! memberships, then their groups' grants) when some do, whatever the batch
//! size.
//!
//! The records, as stored (the JSON array ids cannot collide: a user's has
//! three elements, a group's and a membership's four):
//!
//! | record | `permissionId` | other fields |
//! |---|---|---|
//! | user grant | `["u1","document","doc-1"]` | `userId`, `resourceType`, `resourceId`, `accessRole`, `expiresAt` |
//! | group grant | `["group","g1","folder","f-1"]` | `groupId`, `resourceType`, `resourceId`, `accessRole`, `expiresAt` |
//! | membership | `["member","g1","user","u1"]` | `userId`, `memberOfGroupId` |
//!
//! ```
//! # use std::sync::Arc;
//! # use velt_selfhost::backends::memory::MemoryStore;
//! use velt_selfhost::auth::permissions::*;
//! # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! # rt.block_on(async {
//! let p = Permissions::new(Arc::new(MemoryStore::new()));
//! let grant: Grant = serde_json::from_value(serde_json::json!({
//!     "groupId": "designers",
//!     "resource": {"type": "folder", "id": "f-1"},
//!     "accessRole": "editor"
//! }))?;
//! p.grant("org-a", &[grant]).await?;
//! p.add_members("org-a", "designers", &["u1".to_owned()]).await?;
//! let query: PermissionQuery = serde_json::from_value(serde_json::json!({
//!     "userId": "u1",
//!     "resource": {"id": "doc-9", "type": "document", "organizationId": "org-a",
//!                  "parentFolderId": "f-1", "source": "setDocuments"}
//! }))?;
//! let answer = p.resolve(&[query], 0).await?;
//! assert!(answer[0].has_access);
//! assert_eq!(answer[0].access_role, Some(AccessRole::Editor));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::{Collection, RecordId, Scope, Selector, Store, StoreError};

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

/// Who a grant is for: one user, or every member of a user group.
///
/// On the wire (admin routes, [`Grant`]'s JSON) it is `"userId": "…"` or
/// `"groupId": "…"`, exactly one of the two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Grantee {
    /// A user id.
    User(String),
    /// A user group id; its members are stored with
    /// [`Permissions::add_members`].
    Group(String),
}

impl Grantee {
    /// The user or group id.
    pub fn id(&self) -> &str {
        match self {
            Grantee::User(id) | Grantee::Group(id) => id,
        }
    }
}

impl TryFrom<(Option<String>, Option<String>)> for Grantee {
    type Error = &'static str;
    fn try_from((user, group): (Option<String>, Option<String>)) -> Result<Self, Self::Error> {
        match (user, group) {
            (Some(u), None) => Ok(Grantee::User(u)),
            (None, Some(g)) => Ok(Grantee::Group(g)),
            (Some(_), Some(_)) => Err("a grant names either userId or groupId, not both"),
            (None, None) => Err("a grant needs userId or groupId"),
        }
    }
}

fn grantee_fields(g: &Grantee) -> (Option<String>, Option<String>) {
    match g {
        Grantee::User(u) => (Some(u.clone()), None),
        Grantee::Group(id) => (None, Some(id.clone())),
    }
}

/// One grant: the grantee (a user or a group) has `accessRole` on
/// `resource` until `expiresAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GrantWire", into = "GrantWire")]
pub struct Grant {
    /// The user or group.
    pub grantee: Grantee,
    /// The resource.
    pub resource: GrantResource,
    /// The role.
    pub access_role: AccessRole,
    /// Expiry in milliseconds since the epoch; none = until revoked.
    pub expires_at: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrantWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    resource: GrantResource,
    access_role: AccessRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

impl TryFrom<GrantWire> for Grant {
    type Error = &'static str;
    fn try_from(w: GrantWire) -> Result<Self, Self::Error> {
        Ok(Grant {
            grantee: Grantee::try_from((w.user_id, w.group_id))?,
            resource: w.resource,
            access_role: w.access_role,
            expires_at: w.expires_at,
        })
    }
}

impl From<Grant> for GrantWire {
    fn from(g: Grant) -> Self {
        let (user_id, group_id) = grantee_fields(&g.grantee);
        GrantWire {
            user_id,
            group_id,
            resource: g.resource,
            access_role: g.access_role,
            expires_at: g.expires_at,
        }
    }
}

/// Identifies a grant to revoke: its grantee and resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GrantKeyWire", into = "GrantKeyWire")]
pub struct GrantKey {
    /// The user or group.
    pub grantee: Grantee,
    /// The resource.
    pub resource: GrantResource,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrantKeyWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    resource: GrantResource,
}

impl TryFrom<GrantKeyWire> for GrantKey {
    type Error = &'static str;
    fn try_from(w: GrantKeyWire) -> Result<Self, Self::Error> {
        Ok(GrantKey {
            grantee: Grantee::try_from((w.user_id, w.group_id))?,
            resource: w.resource,
        })
    }
}

impl From<GrantKey> for GrantKeyWire {
    fn from(k: GrantKey) -> Self {
        let (user_id, group_id) = grantee_fields(&k.grantee);
        GrantKeyWire {
            user_id,
            group_id,
            resource: k.resource,
        }
    }
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

mod groups;
mod records;
mod resolve;

/// The grant service over a [`Store`].
#[derive(Debug, Clone)]
pub struct Permissions {
    store: Arc<dyn Store>,
}

fn scope(org: &str) -> Result<Scope, PermissionError> {
    Scope::new(org).map_err(|_| PermissionError::Empty("organizationId"))
}

fn check_id(name: &'static str, id: &str) -> Result<(), PermissionError> {
    if id.is_empty() {
        return Err(PermissionError::Empty(name));
    }
    Ok(())
}

fn check(grantee: &Grantee, resource: &GrantResource) -> Result<(), PermissionError> {
    match grantee {
        Grantee::User(u) => check_id("userId", u)?,
        Grantee::Group(g) => check_id("groupId", g)?,
    }
    check_id("resource.id", &resource.id)
}

impl Permissions {
    /// The service over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Stores `grants` for `organization` in one write (a grant of the same
    /// grantee, resource type and id is replaced).
    pub async fn grant(&self, organization: &str, grants: &[Grant]) -> Result<(), PermissionError> {
        let scope = scope(organization)?;
        for g in grants {
            check(&g.grantee, &g.resource)?;
        }
        let docs = grants
            .iter()
            .map(|g| records::grant_document(organization, g))
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
            check(&k.grantee, &k.resource)?;
        }
        let ids = keys
            .iter()
            .map(|k| records::grant_id(&k.grantee, k.resource.kind, &k.resource.id));
        self.delete_ids(&scope, ids).await
    }

    /// Deletes these records; returns how many existed.
    async fn delete_ids(
        &self,
        scope: &Scope,
        ids: impl Iterator<Item = String>,
    ) -> Result<usize, PermissionError> {
        let mut removed = 0;
        for id in ids {
            let id = RecordId::Str(id);
            if self
                .store
                .delete(Collection::Permissions, scope, &id)
                .await?
                .is_some()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The grants of `organization` (of one user or group when `grantee`
    /// is set; a user's list holds only the grants made to that user, not
    /// those of its groups), expired ones included.
    pub async fn list(
        &self,
        organization: &str,
        grantee: Option<&Grantee>,
    ) -> Result<Vec<Grant>, PermissionError> {
        let scope = scope(organization)?;
        let selector = match grantee {
            Some(Grantee::User(u)) => records::by_field(records::USER_FIELD, [u.as_str()]),
            Some(Grantee::Group(g)) => records::by_field(records::GROUP_FIELD, [g.as_str()]),
            None => Selector::All,
        };
        let docs = self
            .store
            .find(Collection::Permissions, &scope, &selector)
            .await?;
        Ok(docs
            .iter()
            .filter_map(records::parse)
            .filter_map(records::Stored::into_grant)
            .collect())
    }
}
