//! The routes: provider operations, the attachment file route, health checks.
//! Uploads and file serving are in [`uploads`].

mod uploads;

use std::any::Any;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Extension, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use velt_models::selfhost::{
    DeleteAttachmentResolverRequest, DeleteCommentResolverRequest,
    DeleteNotificationResolverRequest, DeleteReactionResolverRequest,
    DeleteRecorderResolverRequest, GetActivityResolverRequest, GetAttachmentRequest,
    GetCommentResolverRequest, GetNotificationResolverRequest, GetReactionResolverRequest,
    GetRecorderResolverRequest, GetUserResolverRequest, ResolveUserIdsByEmailRequest,
    ResolverResponse, SaveActivityResolverRequest, SaveAttachmentResolverRequest,
    SaveCommentResolverRequest, SaveNotificationResolverRequest, SaveReactionResolverRequest,
    SaveRecorderResolverRequest, SaveUserResolverRequest, parse_request,
};
use velt_selfhost::{RawResponse, SelfHosting};

use crate::ServerOptions;
use crate::auth::{AuthError, Authenticator, Principal, check_organization};
use crate::http::{BodyLimits, error_response, json_response, parse_json, read_bytes};

/// Prefix of the route serving stored attachment files
/// (`GET /v1/attachments/files/<key>`).
pub const FILES_ROUTE: &str = "/v1/attachments/files/";

/// A provider operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    CommentsGet,
    CommentsSave,
    CommentsDelete,
    ReactionsGet,
    ReactionsSave,
    ReactionsDelete,
    UsersGet,
    UsersSave,
    UsersResolveByEmail,
    AttachmentsGet,
    AttachmentsSave,
    AttachmentsDelete,
    RecordersGet,
    RecordersSave,
    RecordersDelete,
    RecorderStorageSave,
    RecorderStorageDelete,
    NotificationsGet,
    NotificationsSave,
    NotificationsDelete,
    ActivitiesGet,
    ActivitiesSave,
}

impl Op {
    /// True for the operations that also take `multipart/form-data` (a file
    /// upload with the resolver request in a `request` part).
    fn takes_uploads(self) -> bool {
        matches!(self, Op::AttachmentsSave | Op::RecorderStorageSave)
    }
}

/// The route table: every provider route (all `POST`) and its operation.
const ROUTES: &[(&str, Op)] = &[
    ("/v1/comments/get", Op::CommentsGet),
    ("/v1/comments/save", Op::CommentsSave),
    ("/v1/comments/delete", Op::CommentsDelete),
    ("/v1/reactions/get", Op::ReactionsGet),
    ("/v1/reactions/save", Op::ReactionsSave),
    ("/v1/reactions/delete", Op::ReactionsDelete),
    ("/v1/users/get", Op::UsersGet),
    ("/v1/users/save", Op::UsersSave),
    ("/v1/users/resolve-by-email", Op::UsersResolveByEmail),
    ("/v1/attachments/get", Op::AttachmentsGet),
    ("/v1/attachments/save", Op::AttachmentsSave),
    ("/v1/attachments/delete", Op::AttachmentsDelete),
    ("/v1/recorders/get", Op::RecordersGet),
    ("/v1/recorders/save", Op::RecordersSave),
    ("/v1/recorders/delete", Op::RecordersDelete),
    ("/v1/recorders/storage/save", Op::RecorderStorageSave),
    ("/v1/recorders/storage/delete", Op::RecorderStorageDelete),
    ("/v1/notifications/get", Op::NotificationsGet),
    ("/v1/notifications/save", Op::NotificationsSave),
    ("/v1/notifications/delete", Op::NotificationsDelete),
    ("/v1/activities/get", Op::ActivitiesGet),
    ("/v1/activities/save", Op::ActivitiesSave),
];

/// Every provider route (all `POST`), derived from the route table.
pub const PROVIDER_ROUTES: [&str; ROUTES.len()] = {
    let mut out = [""; ROUTES.len()];
    let mut i = 0;
    while i < ROUTES.len() {
        out[i] = ROUTES[i].0;
        i += 1;
    }
    out
};

/// Shared state of the routes.
#[derive(Clone, Debug)]
pub(crate) struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    sh: SelfHosting,
    auth: Authenticator,
    limits: BodyLimits,
    upload_limit: usize,
    permits: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub(crate) fn new(sh: SelfHosting, auth: Authenticator, options: &ServerOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                sh,
                auth,
                limits: BodyLimits {
                    max_bytes: options.body_limit,
                    max_array_len: options.max_array_len,
                    max_depth: options.max_depth,
                },
                upload_limit: options.upload_limit,
                permits: Arc::new(tokio::sync::Semaphore::new(
                    options.max_concurrent_requests.max(1),
                )),
            }),
        }
    }
}

pub(crate) fn build(state: AppState) -> Router {
    let mut providers = Router::new();
    for &(path, op) in ROUTES {
        providers = providers.route(
            path,
            post(
                move |st: State<AppState>, p: Extension<Principal>, req: Request| {
                    handle(st, p, op, req)
                },
            ),
        );
    }
    let providers = providers
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_auth,
        ))
        // Only the multipart extractor reads this; JSON bodies have their own limit.
        .layer(DefaultBodyLimit::max(state.inner.upload_limit));
    Router::new()
        .merge(providers)
        .route(&format!("{FILES_ROUTE}{{*key}}"), get(uploads::serve_file))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// The health checks (kept out of the rate limits).
pub(crate) fn health(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
}

/// Authenticates provider requests; stores the [`Principal`] for the handler.
async fn require_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match state.inner.auth.authenticate(header).await {
        Ok(principal) => {
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
        Err(e) => auth_error(&e),
    }
}

pub(super) fn auth_error(e: &AuthError) -> Response {
    if matches!(e, AuthError::NotConfigured) {
        tracing::error!("provider request refused: authentication is not configured");
    } else {
        tracing::info!(reason = %e, "provider request refused");
    }
    let mut resp = error_response(e.status(), e.code(), e.to_string());
    if e.status() == 401 {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    resp
}

async fn handle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    op: Op,
    req: Request,
) -> Response {
    if op.takes_uploads() && uploads::is_multipart(&req) {
        return uploads::save_attachment_multipart(&state, &principal, req).await;
    }
    // The raw body is read before taking a processing slot, so slow
    // clients cannot hold the slots; parsing and the service call run
    // under the concurrency limit (they hold the JSON values in memory).
    let (parts, body) = req.into_parts();
    let bytes = match read_bytes(&parts.headers, body, state.inner.limits.max_bytes).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    let Ok(_permit) = state.inner.permits.acquire().await else {
        return error_response(503, "UNAVAILABLE", "the server is shutting down");
    };
    let mut value = match parse_json(&bytes, state.inner.limits) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Err(e) = check_organization(&principal, &value) {
        return auth_error(&e);
    }
    record_event(&value);
    if op == Op::ActivitiesGet
        && let Err(resp) = default_organization(&mut value, &principal)
    {
        return resp;
    }
    dispatch(&state, op, value).await
}

/// Records the request's `event` (any string: a `ResolverActions` value,
/// a `CommentResolverSaveEvent` value or a future one) in the request's
/// tracing span (field `event`, declared by the access-log middleware).
pub(super) fn record_event(body: &Value) {
    if let Some(event) = body.get("event").and_then(Value::as_str) {
        tracing::Span::current().record("event", event);
    }
}

/// An activity get may omit `organizationId` (optional in `@veltdev/types`):
/// it is then answered for the organization the caller's token is bound to.
/// Without one, `400 INVALID_INPUT`; never an unscoped read.
#[allow(clippy::result_large_err)] // the error is the response to send back
fn default_organization(body: &mut Value, principal: &Principal) -> Result<(), Response> {
    let named = body.get("organizationId").is_some_and(|o| !is_falsy(o));
    if named {
        return Ok(());
    }
    match (&principal.organization_id, body.as_object_mut()) {
        (Some(org), Some(map)) if !org.is_empty() => {
            map.insert("organizationId".to_owned(), Value::String(org.clone()));
            Ok(())
        }
        _ => Err(error_response(
            400,
            "INVALID_INPUT",
            "organizationId is required: the request names none and the token is not bound to an organization",
        )),
    }
}

/// `null`, `""`, `false`, `0`, `[]`, `{}`: what the models read as an absent
/// organization.
fn is_falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// Sends a service's answer with HTTP status = its `statusCode`.
pub(super) fn resolver(resp: ResolverResponse) -> Response {
    let status =
        StatusCode::from_u16(resp.status_code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        tracing::warn!(
            status = resp.status_code,
            error_code = resp.error_code.as_ref().map(|c| c.as_str()),
            "provider operation failed"
        );
    }
    (status, Json(resp)).into_response()
}

/// Sends a read answered from stored JSON text: the records go into the
/// body as the store returned them (same bytes as [`resolver`] would send
/// for the parsed answer, up to the stored text's own spacing).
fn raw_resolver(resp: RawResponse) -> Response {
    match resp {
        RawResponse::Resolver(r) => resolver(r),
        data => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            data.into_json(),
        )
            .into_response(),
    }
}

/// Parses `$body` as `$ty` (400 `VALIDATION_ERROR` on a wrong shape) and
/// answers with the service call `$call` made with the parsed `$req`
/// (`raw`: a call answering a [`RawResponse`]).
macro_rules! call {
    ($body:expr, $ty:ty, |$req:ident| $call:expr) => {
        match parse_request::<$ty>($body) {
            Ok($req) => resolver($call.await),
            Err(bad) => resolver(bad),
        }
    };
    (raw $body:expr, $ty:ty, |$req:ident| $call:expr) => {
        match parse_request::<$ty>($body) {
            Ok($req) => raw_resolver($call.await),
            Err(bad) => resolver(bad),
        }
    };
}

/// Runs one provider operation on a parsed JSON body.
async fn dispatch(state: &AppState, op: Op, body: Value) -> Response {
    let sh = &state.inner.sh;
    match op {
        Op::CommentsGet => call!(raw body, GetCommentResolverRequest, |r| sh
            .comments()
            .get_comments_raw(&r)),
        Op::CommentsSave => call!(body, SaveCommentResolverRequest, |r| sh
            .comments()
            .save_comments(&r)),
        Op::CommentsDelete => call!(body, DeleteCommentResolverRequest, |r| sh
            .comments()
            .delete_comment(&r)),
        Op::ReactionsGet => call!(raw body, GetReactionResolverRequest, |r| sh
            .reactions()
            .get_reactions_raw(&r)),
        Op::ReactionsSave => call!(body, SaveReactionResolverRequest, |r| sh
            .reactions()
            .save_reactions(&r)),
        Op::ReactionsDelete => call!(body, DeleteReactionResolverRequest, |r| sh
            .reactions()
            .delete_reaction(&r)),
        Op::UsersGet => call!(body, GetUserResolverRequest, |r| sh.users().get_users(&r)),
        Op::UsersSave => call!(body, SaveUserResolverRequest, |r| sh.users().save_users(&r)),
        Op::UsersResolveByEmail => call!(body, ResolveUserIdsByEmailRequest, |r| sh
            .users()
            .resolve_user_ids_by_email(&r)),
        Op::AttachmentsGet => call!(body, GetAttachmentRequest, |r| sh
            .attachments()
            .get_attachment(&r)),
        Op::AttachmentsSave | Op::RecorderStorageSave => {
            call!(body, SaveAttachmentResolverRequest, |r| sh
                .attachments()
                .save_attachment(&r, None))
        }
        Op::AttachmentsDelete | Op::RecorderStorageDelete => {
            call!(body, DeleteAttachmentResolverRequest, |r| sh
                .attachments()
                .delete_attachment(&r))
        }
        Op::RecordersGet => call!(raw body, GetRecorderResolverRequest, |r| sh
            .recorders()
            .get_recorder_annotations_raw(&r)),
        Op::RecordersSave => call!(body, SaveRecorderResolverRequest, |r| sh
            .recorders()
            .save_recorder_annotation(&r)),
        Op::RecordersDelete => call!(body, DeleteRecorderResolverRequest, |r| sh
            .recorders()
            .delete_recorder_annotation(&r)),
        Op::NotificationsGet => call!(body, GetNotificationResolverRequest, |r| sh
            .notifications()
            .get_notifications(&r)),
        Op::NotificationsSave => call!(body, SaveNotificationResolverRequest, |r| sh
            .notifications()
            .save_notifications(&r)),
        Op::NotificationsDelete => call!(body, DeleteNotificationResolverRequest, |r| sh
            .notifications()
            .delete_notification(&r)),
        Op::ActivitiesGet => call!(body, GetActivityResolverRequest, |r| sh
            .activities()
            .get_activities(&r)),
        Op::ActivitiesSave => call!(body, SaveActivityResolverRequest, |r| sh
            .activities()
            .save_activities(&r)),
    }
}

async fn healthz() -> Response {
    (StatusCode::OK, Json(json!({"status": "ok"}))).into_response()
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.inner.sh.store().ping().await {
        Ok(()) => json_response(200, json!({"status": "ready"})),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            json_response(
                503,
                json!({"status": "unavailable", "error": "the database is not reachable"}),
            )
        }
    }
}

async fn not_found() -> Response {
    error_response(404, "NOT_FOUND", "no such route")
}

/// The answer when a handler panicked (it should not): a resolver-shaped 500.
pub(crate) fn panic_response(_err: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(500, "INTERNAL_ERROR", "internal server error")
}

async fn method_not_allowed() -> Response {
    error_response(
        405,
        "METHOD_NOT_ALLOWED",
        "method not allowed on this route",
    )
}
