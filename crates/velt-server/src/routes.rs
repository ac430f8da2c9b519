//! The routes: provider operations, the attachment file route, health checks.

use std::any::Any;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::OwnedSemaphorePermit;

use axum::body::Body;
use axum::extract::{Extension, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart};
use velt_models::selfhost::{
    DeleteAttachmentResolverRequest, DeleteCommentResolverRequest,
    DeleteNotificationResolverRequest, DeleteReactionResolverRequest,
    DeleteRecorderResolverRequest, GetActivityResolverRequest, GetAttachmentRequest,
    GetCommentResolverRequest, GetNotificationResolverRequest, GetReactionResolverRequest,
    GetRecorderResolverRequest, GetUserResolverRequest, ResolverResponse,
    SaveActivityResolverRequest, SaveAttachmentResolverRequest, SaveCommentResolverRequest,
    SaveNotificationResolverRequest, SaveReactionResolverRequest, SaveRecorderResolverRequest,
    SaveUserResolverRequest, parse_request,
};
use velt_selfhost::{SelfHosting, Upload};

use crate::ServerOptions;
use crate::auth::{AuthError, Authenticator, Principal, check_organization};
use crate::http::{BodyLimits, error_response, json_response, parse_json, read_bytes, too_large};

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
    let providers = providers
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_auth,
        ))
        // Only the multipart extractor reads this; JSON bodies have their own limit.
        .layer(DefaultBodyLimit::max(state.inner.upload_limit));
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
    match state.inner.auth.authenticate(header).await {
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
    if op == Op::AttachmentsSave && is_multipart(&req) {
        return save_attachment_multipart(&state, &principal, req).await;
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
    match parse_json(&bytes, state.inner.limits) {
        Ok(value) => match check_organization(&principal, &value) {
            Ok(()) => dispatch(&state, op, value).await,
            Err(e) => auth_error(&e),
        },
        Err(resp) => resp,
    }
}

/// Keeps `permit` until the response body has been sent (or dropped), so
/// the concurrency limit also bounds the memory of files being served.
fn hold_until_sent(resp: Response, permit: OwnedSemaphorePermit) -> Response {
    resp.map(|body| {
        Body::new(PermitBody {
            inner: body,
            _permit: permit,
        })
    })
}

struct PermitBody {
    inner: Body,
    _permit: OwnedSemaphorePermit,
}

impl http_body::Body for PermitBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Sends a service's answer with HTTP status = its `statusCode`.
fn resolver(resp: ResolverResponse) -> Response {
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

/// Parses `$body` as `$ty` (400 `VALIDATION_ERROR` on a wrong shape) and
/// answers with the service call `$call` made with the parsed `$req`.
macro_rules! call {
    ($body:expr, $ty:ty, |$req:ident| $call:expr) => {
        match parse_request::<$ty>($body) {
            Ok($req) => resolver($call.await),
            Err(bad) => resolver(bad),
        }
    };
}

/// Runs one provider operation on a parsed JSON body.
async fn dispatch(state: &AppState, op: Op, body: Value) -> Response {
    let sh = &state.inner.sh;
    match op {
        Op::CommentsGet => call!(body, GetCommentResolverRequest, |r| sh
            .comments()
            .get_comments(&r)),
        Op::CommentsSave => call!(body, SaveCommentResolverRequest, |r| sh
            .comments()
            .save_comments(&r)),
        Op::CommentsDelete => call!(body, DeleteCommentResolverRequest, |r| sh
            .comments()
            .delete_comment(&r)),
        Op::ReactionsGet => call!(body, GetReactionResolverRequest, |r| sh
            .reactions()
            .get_reactions(&r)),
        Op::ReactionsSave => call!(body, SaveReactionResolverRequest, |r| sh
            .reactions()
            .save_reactions(&r)),
        Op::ReactionsDelete => call!(body, DeleteReactionResolverRequest, |r| sh
            .reactions()
            .delete_reaction(&r)),
        Op::UsersGet => call!(body, GetUserResolverRequest, |r| sh.users().get_users(&r)),
        Op::UsersSave => call!(body, SaveUserResolverRequest, |r| sh.users().save_users(&r)),
        Op::AttachmentsGet => call!(body, GetAttachmentRequest, |r| sh
            .attachments()
            .get_attachment(&r)),
        Op::AttachmentsSave => call!(body, SaveAttachmentResolverRequest, |r| sh
            .attachments()
            .save_attachment(&r, None)),
        Op::AttachmentsDelete => call!(body, DeleteAttachmentResolverRequest, |r| sh
            .attachments()
            .delete_attachment(&r)),
        Op::RecordersGet => call!(body, GetRecorderResolverRequest, |r| sh
            .recorders()
            .get_recorder_annotations(&r)),
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

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// `POST /v1/attachments/save` as `multipart/form-data`: a `file` part (the
/// bytes, with its file name and content type) and a `request` part (the
/// resolver request JSON), in any order. Without a `file` part the request
/// is handled like the JSON form (the attachment's `file` must be a URL).
async fn save_attachment_multipart(
    state: &AppState,
    principal: &Principal,
    req: Request,
) -> Response {
    let mut multipart = match Multipart::from_request(req, state).await {
        Ok(m) => m,
        Err(e) => return error_response(400, "INVALID_INPUT", e.body_text()),
    };
    let mut request: Option<Value> = None;
    let mut upload: Option<Upload> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return multipart_error(&e, state.inner.upload_limit),
        };
        match field.name() {
            Some("request") => {
                let text = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) => return multipart_error(&e, state.inner.upload_limit),
                };
                if text.len() > state.inner.limits.max_bytes {
                    return too_large(state.inner.limits.max_bytes);
                }
                match parse_json(&text, state.inner.limits) {
                    Ok(v) => request = Some(v),
                    Err(resp) => return resp,
                }
            }
            Some("file") => {
                let file_name = field.file_name().map(str::to_owned);
                let mime = field.content_type().map(str::to_owned);
                let data = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) => return multipart_error(&e, state.inner.upload_limit),
                };
                let mut u = Upload::new(data);
                u.file_name = file_name.filter(|n| !n.is_empty());
                u.mime_type = mime.filter(|m| !m.is_empty());
                upload = Some(u);
            }
            _ => {
                // Unknown parts are read and ignored.
                if let Err(e) = field.bytes().await {
                    return multipart_error(&e, state.inner.upload_limit);
                }
            }
        }
    }
    let Some(body) = request else {
        return error_response(
            400,
            "INVALID_INPUT",
            "multipart upload needs a `request` part with the resolver request JSON",
        );
    };
    if let Err(e) = check_organization(principal, &body) {
        return auth_error(&e);
    }
    let Ok(_permit) = state.inner.permits.acquire().await else {
        return error_response(503, "UNAVAILABLE", "the server is shutting down");
    };
    call!(body, SaveAttachmentResolverRequest, |r| state
        .inner
        .sh
        .attachments()
        .save_attachment(&r, upload))
}

fn multipart_error(e: &axum::extract::multipart::MultipartError, limit: usize) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limit)
    } else {
        error_response(
            400,
            "INVALID_INPUT",
            format!("invalid multipart body: {}", e.body_text()),
        )
    }
}

/// `GET /v1/attachments/files/<key>`: a stored file with its content type.
async fn serve_file(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let Ok(permit) = Arc::clone(&state.inner.permits).acquire_owned().await else {
        return error_response(503, "UNAVAILABLE", "the server is shutting down");
    };
    hold_until_sent(read_file(&state, &key).await, permit)
}

async fn read_file(state: &AppState, key: &str) -> Response {
    let Some(files) = state.inner.sh.attachment_storage() else {
        return error_response(404, "NOT_FOUND", "file not found");
    };
    match files.get(key).await {
        Ok(Some(obj)) => {
            let content_type = obj
                .content_type
                .clone()
                .filter(|c| HeaderValue::from_str(c).is_ok())
                .unwrap_or_else(|| {
                    mime_guess::from_path(key)
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
