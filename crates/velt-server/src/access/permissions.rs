//! The permission provider (`POST /v1/permissions/resolve`, called by
//! Velt's servers with the provider token configured in Velt's console) and
//! its admin routes (`POST /v1/admin/permissions/{grant,revoke,list}` and
//! `POST /v1/admin/permissions/members/{add,remove,list}`, authenticated by
//! `VELT_ADMIN_TOKENS`). With Velt REST credentials the
//! results are signed through `/v2/auth/generate_signature` and the
//! signature is sent as the answer's top-level `signature`.

// The `Err` of these helpers is the response to send back, as is.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use velt_models::rest::GenerateSignatureRequest;
use velt_selfhost::auth::permissions::{
    Grant, GrantKey, Grantee, PermissionError, PermissionQuery, Permissions,
};
use velt_selfhost::store::Store;

use super::refuse;
use crate::ServerOptions;
use crate::auth::{AuthError, Authenticator, Principal, StaticTokens, bearer, check_organization};
use crate::http::{BodyLimits, error_response, json_response, parse_json, read_bytes};

/// The permission provider's path.
pub const RESOLVE_ROUTE: &str = "/v1/permissions/resolve";

struct PermState {
    auth: Authenticator,
    rest: Option<velt_rest::VeltClient>,
    admin: StaticTokens,
    service: Permissions,
    limits: BodyLimits,
}

pub(super) fn router(
    auth: Authenticator,
    store: Arc<dyn Store>,
    options: &ServerOptions,
) -> Router {
    let state = Arc::new(PermState {
        auth,
        rest: options.access.rest.clone(),
        admin: options.access.admin_tokens.clone(),
        service: Permissions::new(store),
        limits: BodyLimits {
            max_bytes: options.body_limit,
            max_array_len: options.max_array_len,
            max_depth: options.max_depth,
        },
    });
    Router::new()
        .route(RESOLVE_ROUTE, post(resolve))
        .route("/v1/admin/permissions/grant", post(grant))
        .route("/v1/admin/permissions/revoke", post(revoke))
        .route("/v1/admin/permissions/list", post(list))
        .route("/v1/admin/permissions/members/add", post(add_members))
        .route("/v1/admin/permissions/members/remove", post(remove_members))
        .route("/v1/admin/permissions/members/list", post(list_members))
        .with_state(state)
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

/// Reads the body as JSON (limits of the provider routes) and as `T`.
async fn body_as<T: DeserializeOwned>(
    st: &PermState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Value, T), Response> {
    let bytes = read_bytes(headers, body, st.limits.max_bytes).await?;
    let value = parse_json(&bytes, st.limits)?;
    match serde_json::from_value::<T>(value.clone()) {
        Ok(t) => Ok((value, t)),
        Err(e) => Err(error_response(400, "VALIDATION_ERROR", e.to_string())),
    }
}

fn failed(e: &PermissionError) -> Response {
    match e {
        PermissionError::Empty(_) => error_response(400, "VALIDATION_ERROR", e.to_string()),
        PermissionError::Store(s) => {
            tracing::warn!(error = %s, "permission store operation failed");
            let status = if s.is_unavailable() { 503 } else { 500 };
            error_response(status, "DATABASE_ERROR", "the permission store failed")
        }
        _ => error_response(500, "INTERNAL_ERROR", "permission operation failed"),
    }
}

fn ok(data: Value) -> Response {
    json_response(
        200,
        json!({"data": data, "success": true, "statusCode": 200}),
    )
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[derive(Deserialize)]
struct ResolveBody {
    data: ResolveData,
}

#[derive(Deserialize)]
struct ResolveData {
    requests: Vec<PermissionQuery>,
}

async fn resolve(State(st): State<Arc<PermState>>, headers: HeaderMap, body: Body) -> Response {
    let principal = match st.auth.authenticate(authorization(&headers)).await {
        Ok(p) => p,
        Err(e) => return refuse(&e),
    };
    let (_, req) = match body_as::<ResolveBody>(&st, &headers, body).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    // Every query's organization must be the credential's.
    if let Some(q) = req
        .data
        .requests
        .iter()
        .find(|q| !principal.organizations.allows(&q.resource.organization_id))
    {
        tracing::info!(organization = %q.resource.organization_id, "permission query for another organization refused");
        return refuse(&AuthError::OrganizationMismatch);
    }
    let results = match st.service.resolve(&req.data.requests, now_ms()).await {
        Ok(results) => json!(results),
        Err(e) => return failed(&e),
    };
    let Some(rest) = &st.rest else {
        return ok(results);
    };
    // With Velt REST credentials the results are signed, as sent.
    let sign = GenerateSignatureRequest {
        permissions: results.as_array().cloned(),
    };
    let signature = match rest.access_control().generate_signature(&sign).await {
        Ok(resp) => resp
            .data()
            .and_then(|d| d.get("signature"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        Err(e) => {
            tracing::warn!(error = %e, "Velt generate_signature failed");
            return error_response(502, "VELT_API_ERROR", format!("Velt API error: {e}"));
        }
    };
    match signature {
        Some(sig) => json_response(
            200,
            json!({"data": results, "success": true, "statusCode": 200, "signature": sig}),
        ),
        None => error_response(
            502,
            "NO_SIGNATURE",
            "no signature received from the Velt API",
        ),
    }
}

/// Authenticates an admin request (before its body is read).
fn admin(st: &PermState, headers: &HeaderMap) -> Result<Principal, Response> {
    if st.admin.is_empty() {
        return Err(error_response(
            503,
            "NOT_CONFIGURED",
            "the permission admin routes need VELT_ADMIN_TOKENS",
        ));
    }
    let token = authorization(headers)
        .and_then(bearer)
        .ok_or_else(|| refuse(&AuthError::MissingToken))?;
    let principal = st
        .admin
        .authenticate(token)
        .ok_or_else(|| refuse(&AuthError::InvalidToken))?;
    Ok(principal)
}

/// An admin request's body, once its organization is checked against the token's.
async fn admin_body<T: DeserializeOwned>(
    st: &PermState,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, Response> {
    let principal = admin(st, headers)?;
    let (value, req) = body_as::<T>(st, headers, body).await?;
    check_organization(&principal, &value).map_err(|e| refuse(&e))?;
    Ok(req)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantBody {
    organization_id: String,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RevokeBody {
    organization_id: String,
    grants: Vec<GrantKey>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListBody {
    organization_id: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    group_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MembersBody {
    organization_id: String,
    group_id: String,
    user_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MembersListBody {
    organization_id: String,
    group_id: String,
}

async fn grant(State(st): State<Arc<PermState>>, headers: HeaderMap, body: Body) -> Response {
    let req = match admin_body::<GrantBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match st.service.grant(&req.organization_id, &req.grants).await {
        Ok(()) => ok(json!({"granted": req.grants.len()})),
        Err(e) => failed(&e),
    }
}

async fn revoke(State(st): State<Arc<PermState>>, headers: HeaderMap, body: Body) -> Response {
    let req = match admin_body::<RevokeBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match st.service.revoke(&req.organization_id, &req.grants).await {
        Ok(n) => ok(json!({"revoked": n})),
        Err(e) => failed(&e),
    }
}

async fn list(State(st): State<Arc<PermState>>, headers: HeaderMap, body: Body) -> Response {
    let req = match admin_body::<ListBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let grantee = match (req.user_id, req.group_id) {
        (None, None) => None,
        (user, group) => match Grantee::try_from((user, group)) {
            Ok(g) => Some(g),
            Err(msg) => return error_response(400, "VALIDATION_ERROR", msg),
        },
    };
    match st
        .service
        .list(&req.organization_id, grantee.as_ref())
        .await
    {
        Ok(grants) => ok(json!(grants)),
        Err(e) => failed(&e),
    }
}

async fn add_members(State(st): State<Arc<PermState>>, headers: HeaderMap, body: Body) -> Response {
    let req = match admin_body::<MembersBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match st
        .service
        .add_members(&req.organization_id, &req.group_id, &req.user_ids)
        .await
    {
        Ok(()) => ok(json!({"added": req.user_ids.len()})),
        Err(e) => failed(&e),
    }
}

async fn remove_members(
    State(st): State<Arc<PermState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = match admin_body::<MembersBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match st
        .service
        .remove_members(&req.organization_id, &req.group_id, &req.user_ids)
        .await
    {
        Ok(n) => ok(json!({"removed": n})),
        Err(e) => failed(&e),
    }
}

async fn list_members(
    State(st): State<Arc<PermState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let req = match admin_body::<MembersListBody>(&st, &headers, body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match st
        .service
        .members(&req.organization_id, &req.group_id)
        .await
    {
        Ok(users) => ok(json!(users)),
        Err(e) => failed(&e),
    }
}
