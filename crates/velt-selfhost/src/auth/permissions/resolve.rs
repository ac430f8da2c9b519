//! Answering the permission provider's queries from stored grants.

use std::collections::{BTreeMap, BTreeSet};

use super::records::{self, GROUP_FIELD, Stored, USER_FIELD};
use super::{
    AccessRole, Grant, Grantee, PermissionError, PermissionQuery, PermissionResult, Permissions,
    ResourceType, scope,
};
use crate::store::Collection;

/// What one organization's reads returned.
#[derive(Default)]
struct Held {
    grants: Vec<Grant>,
    /// user → the groups it is a member of.
    groups: BTreeMap<String, BTreeSet<String>>,
}

impl Permissions {
    /// Answers every query, in order. Per organization of the batch: one
    /// store read (the users' grants and memberships), plus one more (the
    /// grants of their groups) when any of the users is in a group.
    /// `now_ms` is the current time (grants with `expiresAt <= now_ms` are
    /// ignored).
    pub async fn resolve(
        &self,
        queries: &[PermissionQuery],
        now_ms: u64,
    ) -> Result<Vec<PermissionResult>, PermissionError> {
        let mut by_org: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for q in queries {
            if q.resource.organization_id.is_empty() {
                return Err(PermissionError::Empty("resource.organizationId"));
            }
            by_org
                .entry(&q.resource.organization_id)
                .or_default()
                .insert(&q.user_id);
        }
        let mut held: BTreeMap<&str, Held> = BTreeMap::new();
        for (org, users) in by_org {
            held.insert(org, self.held(org, users).await?);
        }
        Ok(queries
            .iter()
            .map(|q| {
                let org = q.resource.organization_id.as_str();
                answer(q, held.get(org), now_ms)
            })
            .collect())
    }

    async fn held(&self, org: &str, users: BTreeSet<&str>) -> Result<Held, PermissionError> {
        let scope = scope(org)?;
        let docs = self
            .store
            .find(
                Collection::Permissions,
                &scope,
                &records::by_field(USER_FIELD, users),
            )
            .await?;
        let mut held = Held::default();
        for r in docs.iter().filter_map(records::parse) {
            match r {
                Stored::Grant(g) => held.grants.push(g),
                Stored::Member { group, user } => {
                    held.groups.entry(user).or_default().insert(group);
                }
            }
        }
        let groups: BTreeSet<&str> = held.groups.values().flatten().map(String::as_str).collect();
        if groups.is_empty() {
            return Ok(held);
        }
        let docs = self
            .store
            .find(
                Collection::Permissions,
                &scope,
                &records::by_field(GROUP_FIELD, groups),
            )
            .await?;
        held.grants.extend(
            docs.iter()
                .filter_map(records::parse)
                .filter_map(Stored::into_grant),
        );
        Ok(held)
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

/// Whether grant `g` is made to the query's user, directly or through one of
/// its groups.
fn applies(g: &Grant, q: &PermissionQuery, held: &Held) -> bool {
    match &g.grantee {
        Grantee::User(u) => *u == q.user_id,
        Grantee::Group(group) => held
            .groups
            .get(&q.user_id)
            .is_some_and(|gs| gs.contains(group)),
    }
}

fn answer(q: &PermissionQuery, held: Option<&Held>, now_ms: u64) -> PermissionResult {
    // The strongest role; among grants of that role the latest expiry
    // (none = never).
    let mut best: Option<(AccessRole, Option<u64>)> = None;
    let grants = held.map(|h| h.grants.as_slice()).unwrap_or_default();
    for g in grants.iter().filter(|g| {
        held.is_some_and(|h| applies(g, q, h))
            && covers(g, q)
            && g.expires_at.is_none_or(|e| e > now_ms)
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
