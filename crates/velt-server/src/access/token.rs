//! `POST /v1/auth/token`: mints a Velt token for the caller's verified
//! identity through the REST call `/v2/auth/generate_token`, cached until
//! shortly before it expires.
//!
//! The caller authenticates with its per-user JWT; the Velt user is the
//! JWT's user claim (`sub` by default), with its e-mail and name claims, in
//! the JWT's organization (or, for a JWT without organization claim, the
//! body's `organizationId`). A static token names no user and is refused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::post;
use base64::Engine;
use serde_json::{Map, Value, json};
use velt_models::rest::GenerateTokenRequest;

use super::refuse;
use crate::ServerOptions;
use crate::auth::{AuthError, Authenticator, check_organization};
use crate::http::{BodyLimits, error_response, json_response, parse_json, read_bytes};

/// The token endpoint's path.
pub const TOKEN_ROUTE: &str = "/v1/auth/token";

/// Who a token is minted for (the cache key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Identity {
    user_id: String,
    organization_id: String,
    email: Option<String>,
    name: Option<String>,
}

struct Cached {
    token: String,
    expires_at_ms: u64,
    refresh_at: Instant,
}

struct TokenState {
    auth: Authenticator,
    rest: Option<velt_rest::VeltClient>,
    user_claim: String,
    email_claim: String,
    name_claim: String,
    capacity: usize,
    margin: Duration,
    limits: BodyLimits,
    cache: Mutex<HashMap<Identity, Cached>>,
}

pub(super) fn router(auth: Authenticator, options: &ServerOptions) -> Router {
    let a = &options.access;
    let state = Arc::new(TokenState {
        auth,
        rest: a.rest.clone(),
        user_claim: a.user_claim.clone(),
        email_claim: a.email_claim.clone(),
        name_claim: a.name_claim.clone(),
        capacity: a.token_cache_capacity.max(1),
        margin: a.token_refresh_margin,
        limits: BodyLimits {
            max_bytes: options.body_limit,
            max_array_len: options.max_array_len,
            max_depth: options.max_depth,
        },
        cache: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route(TOKEN_ROUTE, post(issue))
        .with_state(state)
}

fn not_configured() -> Response {
    tracing::error!(
        "POST /v1/auth/token refused: VELT_API_KEY and VELT_AUTH_TOKEN are not both set"
    );
    error_response(
        503,
        "NOT_CONFIGURED",
        "the token endpoint needs Velt REST credentials: set VELT_API_KEY and VELT_AUTH_TOKEN \
         (VELT_API_BASE_URL overrides the API's URL)",
    )
}

async fn issue(State(st): State<Arc<TokenState>>, headers: HeaderMap, body: Body) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let principal = match st.auth.authenticate(authorization).await {
        Ok(p) => p,
        Err(e) => return refuse(&e),
    };
    if principal.claims.is_none() {
        return error_response(
            403,
            "JWT_REQUIRED",
            "the token endpoint needs the user's JWT (a static token names no user)",
        );
    }
    let Some(rest) = &st.rest else {
        return not_configured();
    };
    let bytes = match read_bytes(&headers, body, st.limits.max_bytes).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    let body = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        match parse_json(&bytes, st.limits) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                return error_response(
                    400,
                    "VALIDATION_ERROR",
                    "request body must be a JSON object",
                );
            }
            Err(resp) => return resp,
        }
    };
    if let Err(e) = check_organization(&principal, &body) {
        return refuse(&e);
    }
    let Some(user_id) = principal.claim_str(&st.user_claim) else {
        return refuse(&AuthError::ClaimMismatch(st.user_claim.clone()));
    };
    let organization_id = match (&principal.organization_id, body.get("organizationId")) {
        (Some(org), _) => org.clone(),
        (None, Some(Value::String(org))) if !org.is_empty() => org.clone(),
        _ => {
            return error_response(
                400,
                "INVALID_INPUT",
                "organizationId is required (the token's organization claim or the body's organizationId)",
            );
        }
    };
    let identity = Identity {
        user_id: user_id.to_owned(),
        organization_id,
        email: principal.claim_str(&st.email_claim).map(str::to_owned),
        name: principal.claim_str(&st.name_claim).map(str::to_owned),
    };
    if let Some(hit) = st.cached(&identity) {
        return answer(&hit.0, hit.1);
    }
    // `/v2/auth/generate_token`'s shape: the user's properties, and the
    // organization as a resource of the token's permissions (Velt's default
    // role applies).
    let mut props = Map::new();
    if let Some(email) = &identity.email {
        props.insert("email".into(), json!(email));
    }
    if let Some(name) = &identity.name {
        props.insert("name".into(), json!(name));
    }
    let req = GenerateTokenRequest {
        user_id: Some(identity.user_id.clone()),
        user_properties: Some(Value::Object(props)),
        permissions: Some(json!({
            "resources": [{"type": "organization", "id": identity.organization_id}]
        })),
    };
    let resp = match rest.access_control().generate_token(&req).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "Velt generate_token failed");
            return error_response(502, "VELT_API_ERROR", format!("Velt API error: {e}"));
        }
    };
    let Some(token) = resp
        .data()
        .and_then(|d| d.get("token"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    else {
        return error_response(502, "NO_TOKEN", "no token received from the Velt API");
    };
    let expires_at_ms = jwt_exp_secs(token).map(|s| s.saturating_mul(1000));
    if let Some(exp) = expires_at_ms {
        st.store(identity, token, exp);
    }
    answer(token, expires_at_ms)
}

fn answer(token: &str, expires_at_ms: Option<u64>) -> Response {
    let mut data = Map::new();
    data.insert("token".into(), json!(token));
    if let Some(ms) = expires_at_ms {
        data.insert("expiresAt".into(), json!(ms));
    }
    json_response(
        200,
        json!({"success": true, "statusCode": 200, "data": data}),
    )
}

impl TokenState {
    fn cached(&self, identity: &Identity) -> Option<(String, Option<u64>)> {
        let cache = self.cache.lock().ok()?;
        let hit = cache.get(identity)?;
        (Instant::now() < hit.refresh_at).then(|| (hit.token.clone(), Some(hit.expires_at_ms)))
    }

    /// Caches a token until `margin` before `expires_at_ms` (not at all
    /// when it expires sooner than that).
    fn store(&self, identity: Identity, token: &str, expires_at_ms: u64) {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let left = Duration::from_millis(expires_at_ms.saturating_sub(now_ms));
        let Some(keep) = left.checked_sub(self.margin).filter(|d| !d.is_zero()) else {
            return;
        };
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        if cache.len() >= self.capacity {
            let now = Instant::now();
            cache.retain(|_, c| c.refresh_at > now);
            if cache.len() >= self.capacity {
                cache.clear();
            }
        }
        cache.insert(
            identity,
            Cached {
                token: token.to_owned(),
                expires_at_ms,
                refresh_at: Instant::now() + keep,
            },
        );
    }
}

/// The `exp` of a JWT, read without verification (only to know how long
/// the token Velt issued may be cached).
fn jwt_exp_secs(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Map<String, Value> = serde_json::from_slice(&raw).ok()?;
    match claims.get("exp")? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        _ => None,
    }
}
