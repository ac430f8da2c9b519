//! Who a request is authenticated as, and which organizations it may name.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::Secret;
use super::config::AuthConfigError;
use super::error::VerifyError;

/// The organizations a credential may act for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OrgScope {
    /// Any organization (a bare static token, `token:*`, a JWT without an
    /// organization claim, or no authentication).
    #[default]
    Any,
    /// Only these (never empty).
    Only(BTreeSet<String>),
}

impl OrgScope {
    /// A scope of exactly these organizations (`Any` when the list is empty).
    pub fn only<I, S>(orgs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let set: BTreeSet<String> = orgs.into_iter().map(Into::into).collect();
        if set.is_empty() {
            OrgScope::Any
        } else {
            OrgScope::Only(set)
        }
    }

    /// Whether the scope includes `org`.
    pub fn allows(&self, org: &str) -> bool {
        match self {
            OrgScope::Any => true,
            OrgScope::Only(set) => set.contains(org),
        }
    }

    /// The organization, when the scope is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self {
            OrgScope::Only(set) if set.len() == 1 => set.iter().next().map(String::as_str),
            _ => None,
        }
    }
}

/// Who a request was authenticated as.
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Principal {
    /// The single organization the credential is bound to, when it is bound
    /// to exactly one (a JWT's organization claim, or a static token bound
    /// to one organization).
    pub organization_id: Option<String>,
    /// Every organization the credential may name.
    pub organizations: OrgScope,
    /// The verified claims, when the credential is a JWT.
    pub claims: Option<Map<String, Value>>,
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Claim values (e-mail addresses, names) are not printed.
        let claim_names: Option<Vec<&str>> = self
            .claims
            .as_ref()
            .map(|c| c.keys().map(String::as_str).collect());
        f.debug_struct("Principal")
            .field("organization_id", &self.organization_id)
            .field("organizations", &self.organizations)
            .field("claims", &claim_names)
            .finish()
    }
}

impl Principal {
    /// A principal that may name any organization.
    pub fn unrestricted() -> Self {
        Self::default()
    }

    /// A principal bound to `scope`.
    pub fn scoped(scope: OrgScope) -> Self {
        Self {
            organization_id: scope.single().map(str::to_owned),
            organizations: scope,
            claims: None,
        }
    }

    /// A principal authenticated by a JWT with `claims`, bound to
    /// `organization` when the token names one.
    pub fn from_jwt(claims: Map<String, Value>, organization: Option<String>) -> Self {
        let mut p = Self::scoped(organization.map_or(OrgScope::Any, |o| OrgScope::only([o])));
        p.claims = Some(claims);
        p
    }

    /// A string claim of the JWT, when authenticated by one.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        match self.claims.as_ref()?.get(name)? {
            Value::String(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

/// Static bearer tokens, each bound to an [`OrgScope`], compared in constant time.
#[derive(Clone, Default)]
pub struct StaticTokens {
    tokens: Vec<(Secret, OrgScope)>,
}

impl fmt::Debug for StaticTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticTokens")
            .field("count", &self.tokens.len())
            .finish()
    }
}

impl StaticTokens {
    /// No tokens.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `VELT_SERVER_TOKENS`: comma-separated entries, each
    /// `token` (any organization, as before organization binding existed),
    /// `token:*` (any organization) or `token:org-a|org-b` (only these).
    /// Empty entries are skipped; an empty token, an empty organization
    /// list or organization, and a token listed twice are refused.
    pub fn parse(spec: &str) -> Result<Self, AuthConfigError> {
        Self::parse_setting("VELT_SERVER_TOKENS", spec)
    }

    /// [`StaticTokens::parse`] for a list read from `setting` (named in errors).
    pub fn parse_setting(setting: &'static str, spec: &str) -> Result<Self, AuthConfigError> {
        let mut out = Self::new();
        for (i, entry) in spec.split(',').map(str::trim).enumerate() {
            let n = i + 1;
            if entry.is_empty() {
                continue;
            }
            let (token, scope) = match entry.split_once(':') {
                None => (entry, OrgScope::Any),
                Some((token, orgs)) => {
                    let orgs = orgs.trim();
                    if orgs == "*" {
                        (token.trim(), OrgScope::Any)
                    } else {
                        let list: Vec<&str> = orgs.split('|').map(str::trim).collect();
                        if list.iter().any(|o| o.is_empty()) {
                            return Err(AuthConfigError::TokenSpec(
                                setting,
                                n,
                                "empty organization after `:` (use `*` for any)",
                            ));
                        }
                        (token.trim(), OrgScope::only(list))
                    }
                }
            };
            if token.is_empty() {
                return Err(AuthConfigError::TokenSpec(setting, n, "empty token"));
            }
            if out.find(token).is_some() {
                return Err(AuthConfigError::TokenSpec(setting, n, "token listed twice"));
            }
            out.tokens.push((Secret::new(token), scope));
        }
        Ok(out)
    }

    /// Adds a token (an empty one is ignored).
    pub fn add(&mut self, token: impl Into<Secret>, scope: OrgScope) {
        let token = token.into();
        if !token.is_empty() {
            self.tokens.push((token, scope));
        }
    }

    /// Adds every token of `other`.
    pub fn extend(&mut self, other: StaticTokens) {
        self.tokens.extend(other.tokens);
    }

    /// Whether no token is configured.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The scope of `token`, when it is one of the configured tokens. Every
    /// configured token is compared, without an early exit.
    pub fn find(&self, token: &str) -> Option<&OrgScope> {
        let mut found = Choice::from(0u8);
        let mut index = 0u64;
        for (i, (t, _)) in self.tokens.iter().enumerate() {
            let eq = t.expose().as_bytes().ct_eq(token.as_bytes());
            index.conditional_assign(&(i as u64), eq);
            found |= eq;
        }
        if bool::from(found) {
            usize::try_from(index)
                .ok()
                .and_then(|i| self.tokens.get(i))
                .map(|(_, scope)| scope)
        } else {
            None
        }
    }

    /// The principal of `token`, when it is a configured token.
    pub fn authenticate(&self, token: &str) -> Option<Principal> {
        self.find(token).cloned().map(Principal::scoped)
    }
}

/// The organization ids a resolver request names: top-level
/// `organizationId` and `metadata.organizationId` (string values only).
pub fn request_organizations(body: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(Value::String(s)) = body.get("organizationId") {
        out.push(s.as_str());
    }
    if let Some(Value::String(s)) = body.get("metadata").and_then(|m| m.get("organizationId")) {
        out.push(s.as_str());
    }
    out
}

/// Checks that every organization the request names is in the principal's scope.
pub fn check_organization(principal: &Principal, body: &Value) -> Result<(), VerifyError> {
    if request_organizations(body)
        .into_iter()
        .all(|o| o.is_empty() || principal.organizations.allows(o))
    {
        Ok(())
    } else {
        Err(VerifyError::OrganizationMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_spec_parsing() {
        let t = StaticTokens::parse(" legacy , all:*, two:org-a|org-b ,one:org-c,,").unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(t.find("legacy"), Some(&OrgScope::Any));
        assert_eq!(t.find("all"), Some(&OrgScope::Any));
        assert_eq!(t.find("two"), Some(&OrgScope::only(["org-a", "org-b"])));
        assert_eq!(t.find("one"), Some(&OrgScope::only(["org-c"])));
        assert_eq!(t.find("tw"), None);
        assert_eq!(t.find("two:org-a|org-b"), None);
        let one = t.authenticate("one").unwrap();
        assert_eq!(one.organization_id.as_deref(), Some("org-c"));
        assert_eq!(t.authenticate("two").unwrap().organization_id, None);
        assert!(!format!("{t:?}").contains("legacy"));
        for (bad, msg) in [
            ("a,:org", "VELT_SERVER_TOKENS entry 2: empty token"),
            (
                "a:",
                "VELT_SERVER_TOKENS entry 1: empty organization after `:` (use `*` for any)",
            ),
            (
                "a:x||y",
                "VELT_SERVER_TOKENS entry 1: empty organization after `:` (use `*` for any)",
            ),
            (
                "s3cret:x,s3cret:y",
                "VELT_SERVER_TOKENS entry 2: token listed twice",
            ),
        ] {
            assert_eq!(StaticTokens::parse(bad).unwrap_err().to_string(), msg);
        }
    }

    #[test]
    fn organization_check() {
        let p = Principal::scoped(OrgScope::only(["o1"]));
        assert!(check_organization(&p, &json!({"organizationId": "o1"})).is_ok());
        assert!(check_organization(&p, &json!({"metadata": {"organizationId": "o1"}})).is_ok());
        assert_eq!(
            check_organization(&p, &json!({"metadata": {"organizationId": "o2"}})),
            Err(VerifyError::OrganizationMismatch)
        );
        assert_eq!(
            check_organization(
                &p,
                &json!({"organizationId": "o1", "metadata": {"organizationId": "o2"}})
            ),
            Err(VerifyError::OrganizationMismatch)
        );
        let two = Principal::scoped(OrgScope::only(["o1", "o2"]));
        assert!(
            check_organization(
                &two,
                &json!({"organizationId": "o1", "metadata": {"organizationId": "o2"}})
            )
            .is_ok()
        );
        assert_eq!(
            check_organization(&two, &json!({"organizationId": "o3"})),
            Err(VerifyError::OrganizationMismatch)
        );
        assert!(check_organization(&Principal::default(), &json!({"organizationId": "x"})).is_ok());
    }
}
