//! The routes: provider operations, the attachment file route, health checks.

use std::any::Any;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Extension, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::{AuthError, Authenticator, Principal, check_organization};
use crate::http::{BodyLimits, error_response, json_response, read_json};
use crate::{Backend, ServerOptions};

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
    AttachmentsGet,
    AttachmentsSave,
    AttachmentsDelete,
    RecordersGet,
    RecordersSave,
    RecordersDelete,
    NotificationsGet,
    NotificationsSave,
    NotificationsDelete,
    ActivitiesGet,
    ActivitiesSave,
}

const ROUTES: [(&str, Op); 19] = [
    ("/v1/comments/get", Op::CommentsGet),
    ("/v1/comments/save", Op::CommentsSave),
    ("/v1/comments/delete", Op::CommentsDelete),
    ("/v1/reactions/get", Op::ReactionsGet),
    ("/v1/reactions/save", Op::ReactionsSave),
    ("/v1/reactions/delete", Op::ReactionsDelete),
    ("/v1/users/get", Op::UsersGet),
    ("/v1/users/save", Op::UsersSave),
    ("/v1/attachments/get", Op::AttachmentsGet),
    ("/v1/attachments/save", Op::AttachmentsSave),
    ("/v1/attachments/delete", Op::AttachmentsDelete),
    ("/v1/recorders/get", Op::RecordersGet),
    ("/v1/recorders/save", Op::RecordersSave),
    ("/v1/recorders/delete", Op::RecordersDelete),
    ("/v1/notifications/get", Op::NotificationsGet),
    ("/v1/notifications/save", Op::NotificationsSave),
    ("/v1/notifications/delete", Op::NotificationsDelete),
    ("/v1/activities/get", Op::ActivitiesGet),
    ("/v1/activities/save", Op::ActivitiesSave),
];

/// Every provider route (all `POST`).
pub const PROVIDER_ROUTES: [&str; 19] = {
    let mut out = [""; 19];
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
    backend: Backend,
    auth: Authenticator,
    limits: BodyLimits,
    upload_limit: usize,
}

impl AppState {
    pub(crate) fn new(backend: Backend, auth: Authenticator, options: &ServerOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                backend,
                auth,
                limits: BodyLimits {
                    max_bytes: options.body_limit,
                    max_array_len: options.max_array_len,
                    max_depth: options.max_depth,
                },
                upload_limit: options.upload_limit,
            }),
        }
    }
}

pub(crate) fn build(state: AppState) -> Router {
    let mut providers = Router::new();
    for (path, op) in ROUTES {
        providers = providers.route(
            path,
            post(
                move |st: State<AppState>, p: Extension<Principal>, req: Request| {
                    handle(st, p, op, req)
                },
            ),
        );
    }
    let providers = providers.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        require_auth,
    ));
    Router::new()
        .merge(providers)
        .route(&format!("{FILES_ROUTE}{{*key}}"), get(serve_file))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Authenticates provider requests; stores the [`Principal`] for the handler.
async fn require_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match state.inner.auth.authenticate(header) {
        Ok(principal) => {
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
        Err(e) => auth_error(&e),
    }
}

fn auth_error(e: &AuthError) -> Response {
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
    let (parts, body) = req.into_parts();
    let value = match read_json(&parts.headers, body, state.inner.limits).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Err(e) = check_organization(&principal, &value) {
        return auth_error(&e);
    }
    dispatch(&state, op, value).await
}

/// Runs one provider operation.
async fn dispatch(_state: &AppState, op: Op, _body: Value) -> Response {
    error_response(
        501,
        "NOT_IMPLEMENTED",
        format!("{op:?} is not available yet"),
    )
}

/// `GET /v1/attachments/files/<key>`: a stored file with its content type.
async fn serve_file(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let Some(files) = &state.inner.backend.files else {
        return error_response(404, "NOT_FOUND", "file not found");
    };
    match files.get(&key).await {
        Ok(Some(obj)) => {
            let content_type = obj
                .content_type
                .clone()
                .filter(|c| HeaderValue::from_str(c).is_ok())
                .unwrap_or_else(|| {
                    mime_guess::from_path(&key)
                        .first_or_octet_stream()
                        .essence_str()
                        .to_owned()
                });
            let inline = [
                "image/",
                "video/",
                "audio/",
                "application/pdf",
                "text/plain",
            ]
            .iter()
            .any(|p| content_type.starts_with(p))
                && !content_type.starts_with("image/svg");
            let mut resp = Response::new(Body::from(obj.data));
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            if !inline {
                h.insert(
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment"),
                );
            }
            resp
        }
        Ok(None) => error_response(404, "NOT_FOUND", "file not found"),
        Err(e) => {
            tracing::warn!(error = %e, "reading an attachment file failed");
            match e {
                velt_selfhost::attachments::StorageError::InvalidKey(_) => {
                    error_response(404, "NOT_FOUND", "file not found")
                }
                _ => error_response(500, "STORAGE_ERROR", "could not read the file"),
            }
        }
    }
}

async fn healthz() -> Response {
    (StatusCode::OK, Json(json!({"status": "ok"}))).into_response()
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.inner.backend.store.ping().await {
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
