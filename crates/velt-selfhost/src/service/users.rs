//! Users (velt-py `UserService`, plus the `save_users` its README promised).

use serde_json::{Map, Value};
use velt_models::selfhost::{
    GetUserResolverRequest, ResolveUserIdsByEmailRequest, ResolverResponse, SaveUserResolverRequest,
};

use super::{Inner, ORG_REQUIRED, required_scope, store_error, to_document, upsert_response};
use crate::config::FieldMapping;
use crate::store::{Collection, Selector, UserOrgScope, scope_matches, set_path};

const COLLECTION: Collection = Collection::Users;

/// Users; from [`SelfHosting::users`](super::SelfHosting::users).
#[derive(Clone, Copy)]
pub struct Users<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Users<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Users")
    }
}

impl Users<'_> {
    /// The users in `userIds` visible to `organizationId`, looked up by
    /// every `user_schema.userId` field (and `userId`), transformed through
    /// `user_schema`; `data` = `{userId: user}`. An empty or missing
    /// `userIds` answers `{}` as in velt-py.
    pub async fn get_users(&self, req: &GetUserResolverRequest) -> ResolverResponse {
        const ACTION: &str = "getting users";
        if req.user_ids.is_empty() {
            return ResolverResponse::with_data(Value::Object(Map::new()));
        }
        let scope = match required_scope(&req.organization_id, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let schema = &self.inner.user_schema;
        let selector = Selector::AnyFieldIn {
            paths: schema.user_id_paths(),
            values: req
                .user_ids
                .iter()
                .map(|u| Value::String(u.clone()))
                .collect(),
        };
        let docs = match self.inner.store.find(COLLECTION, &scope, &selector).await {
            Ok(d) => d,
            Err(e) => return store_error(ACTION, &e),
        };
        let mut out = Map::new();
        for doc in docs {
            // The service's own scoping on top of the store's.
            if self.inner.user_org_scope == UserOrgScope::Strict
                && !scope_matches(COLLECTION, &scope, UserOrgScope::Strict, &doc)
            {
                continue;
            }
            let user = schema.transform(&doc);
            let key = match user.get("userId") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    tracing::warn!("skipping a stored user without a usable userId");
                    continue;
                }
            };
            // A record of the organization wins over a shared one with the same id.
            let own = matches!(doc.get("organizationId"), Some(Value::String(o)) if o == &req.organization_id);
            if own || !out.contains_key(&key) {
                out.insert(key, Value::Object(user));
            }
        }
        ResolverResponse::with_data(Value::Object(out))
    }

    /// Inserts or updates users of `organizationId` in one store round trip
    /// (velt-rs addition). Each user needs a non-empty `userId`; records are
    /// stored in Velt's layout with a top-level `organizationId`, and the id
    /// is also written to the first `user_schema.userId` path when that
    /// differs from `userId`.
    pub async fn save_users(&self, req: &SaveUserResolverRequest) -> ResolverResponse {
        const ACTION: &str = "saving users";
        let org = req.organization_id.as_str();
        let scope = match required_scope(org, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        if req.users.is_empty() {
            return ResolverResponse::invalid_input("users must be a non-empty list");
        }
        let first_path = self
            .inner
            .user_schema
            .user_id_paths()
            .into_iter()
            .next()
            .filter(|p| p != "userId");
        let mut docs = Vec::with_capacity(req.users.len());
        for user in &req.users {
            if user.user_id.is_empty() {
                return ResolverResponse::invalid_input("every user needs a non-empty userId");
            }
            let mut doc = match to_document(user, ACTION) {
                Ok(d) => d,
                Err(r) => return r,
            };
            doc.insert("organizationId".to_owned(), Value::String(org.to_owned()));
            if let Some(p) = &first_path {
                set_path(&mut doc, p, Value::String(user.user_id.clone()));
            }
            docs.push(doc);
        }
        upsert_response(self.inner, COLLECTION, &scope, docs, ACTION).await
    }

    /// velt-py 0.3.0 `resolveUserIdsByEmail` (the frontend's anonymous-user
    /// provider): the users of `organizationId` whose email is in `emails`,
    /// looked up by every `user_schema.email` path (and `email`) and read
    /// through `user_schema`; `data` = `{email: userId}`. Emails are
    /// deduplicated and empty ones dropped; an empty `emails` answers `{}`
    /// (velt-py). Unlike velt-py, the lookup is scoped to the organization
    /// (the same rules as [`Users::get_users`]) and tries every mapped email
    /// path, not only the first. `documentId` and `folderId` are context only.
    pub async fn resolve_user_ids_by_email(
        &self,
        req: &ResolveUserIdsByEmailRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "resolving user IDs by email";
        let mut emails: Vec<String> = Vec::new();
        for e in &req.emails {
            if !e.is_empty() && !emails.contains(e) {
                emails.push(e.clone());
            }
        }
        if emails.is_empty() {
            return ResolverResponse::with_data(Value::Object(Map::new()));
        }
        let scope = match required_scope(&req.organization_id, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let schema = &self.inner.user_schema;
        let mut paths: Vec<String> = match schema.mapping("email") {
            Some(FieldMapping::Path(p)) => vec![p.clone()],
            Some(FieldMapping::Paths(ps)) => ps.clone(),
            _ => Vec::new(),
        };
        if !paths.iter().any(|p| p == "email") {
            paths.push("email".to_owned());
        }
        let selector = Selector::AnyFieldIn {
            paths,
            values: emails.iter().map(|e| Value::String(e.clone())).collect(),
        };
        let docs = match self.inner.store.find(COLLECTION, &scope, &selector).await {
            Ok(d) => d,
            Err(e) => return store_error(ACTION, &e),
        };
        let mut out = Map::new();
        for doc in docs {
            if self.inner.user_org_scope == UserOrgScope::Strict
                && !scope_matches(COLLECTION, &scope, UserOrgScope::Strict, &doc)
            {
                continue;
            }
            let user = schema.transform(&doc);
            let (Some(Value::String(email)), Some(user_id)) =
                (user.get("email"), user.get("userId"))
            else {
                continue;
            };
            // The transformed email must be one that was asked for (a
            // document can match by another mapped path).
            if !emails.contains(email) {
                continue;
            }
            let user_id = match user_id {
                Value::String(s) if !s.is_empty() => Value::String(s.clone()),
                Value::Number(n) => Value::String(n.to_string()),
                _ => continue,
            };
            // A record of the organization wins over a shared one.
            let own = matches!(doc.get("organizationId"), Some(Value::String(o)) if o == &req.organization_id);
            if own || !out.contains_key(email) {
                out.insert(email.clone(), user_id);
            }
        }
        ResolverResponse::with_data(Value::Object(out))
    }
}
