//! User-group memberships: a grant to a group applies to its members.

use super::records::{self, MEMBER_OF_FIELD, Stored};
use super::{PermissionError, Permissions, check_id, scope};
use crate::store::Collection;

impl Permissions {
    /// Makes `users` members of `group` in `organization`, in one write
    /// (adding a member twice changes nothing).
    pub async fn add_members(
        &self,
        organization: &str,
        group: &str,
        users: &[String],
    ) -> Result<(), PermissionError> {
        let scope = scope(organization)?;
        check_id("groupId", group)?;
        for u in users {
            check_id("userIds[]", u)?;
        }
        let docs = users
            .iter()
            .map(|u| records::member_document(organization, group, u))
            .collect();
        self.store
            .upsert_many(Collection::Permissions, &scope, docs)
            .await?;
        Ok(())
    }

    /// Removes `users` from `group`; returns how many were members.
    pub async fn remove_members(
        &self,
        organization: &str,
        group: &str,
        users: &[String],
    ) -> Result<usize, PermissionError> {
        let scope = scope(organization)?;
        check_id("groupId", group)?;
        for u in users {
            check_id("userIds[]", u)?;
        }
        let ids = users.iter().map(|u| records::member_id(group, u));
        self.delete_ids(&scope, ids).await
    }

    /// The members of `group` in `organization`, sorted.
    pub async fn members(
        &self,
        organization: &str,
        group: &str,
    ) -> Result<Vec<String>, PermissionError> {
        let scope = scope(organization)?;
        check_id("groupId", group)?;
        let docs = self
            .store
            .find(
                Collection::Permissions,
                &scope,
                &records::by_field(MEMBER_OF_FIELD, [group]),
            )
            .await?;
        let mut users: Vec<String> = docs
            .iter()
            .filter_map(records::parse)
            .filter_map(|r| match r {
                Stored::Member { group: g, user } if g == group => Some(user),
                _ => None,
            })
            .collect();
        users.sort();
        users.dedup();
        Ok(users)
    }
}
