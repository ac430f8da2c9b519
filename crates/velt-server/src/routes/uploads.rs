//! Multipart uploads (attachments and recording files) and the route
//! serving stored files.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;
use velt_models::selfhost::{SaveAttachmentResolverRequest, parse_request};
use velt_selfhost::Upload;

use super::{AppState, auth_error, record_event, resolver};
use crate::auth::{Principal, check_organization};
use crate::http::{error_response, parse_json, too_large};

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

pub(super) fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// `POST /v1/attachments/save` (and `/v1/recorders/storage/save`, the same
/// contract for recording files) as `multipart/form-data`: a `file` part (the
/// bytes, with its file name and content type) and a `request` part (the
/// resolver request JSON), in any order. Without a `file` part the request
/// is handled like the JSON form (the attachment's `file` must be a URL).
pub(super) async fn save_attachment_multipart(
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
    record_event(&body);
    let Ok(_permit) = state.inner.permits.acquire().await else {
        return error_response(503, "UNAVAILABLE", "the server is shutting down");
    };
    match parse_request::<SaveAttachmentResolverRequest>(body) {
        Ok(r) => resolver(
            state
                .inner
                .sh
                .attachments()
                .save_attachment(&r, upload)
                .await,
        ),
        Err(bad) => resolver(bad),
    }
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
pub(super) async fn serve_file(State(state): State<AppState>, Path(key): Path<String>) -> Response {
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
