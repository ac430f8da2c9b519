//! Per-request middleware: request id, structured access log, timeout.
//!
//! The access log records the request id, method, path, status and latency.
//! Bodies, headers and tokens are never logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header::HeaderName};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::http::error_response;

/// The request-id header read from clients and echoed in responses.
pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// Middleware state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ObserveConfig {
    pub(crate) timeout: Duration,
}

/// Accepts a client's request id when it is short and printable.
fn client_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    (!s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
    .then(|| s.to_owned())
}

fn new_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    format!("{pid:x}-{n:x}")
}

/// Request id, access log and timeout around every request.
pub(crate) async fn observe(
    State(cfg): State<ObserveConfig>,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(client_id)
        .unwrap_or_else(new_id);
    if let Ok(v) = HeaderValue::from_str(&id) {
        req.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %path, event = tracing::field::Empty);
    let fut = next.run(req);
    let mut response = match tokio::time::timeout(cfg.timeout, fut.instrument(span.clone())).await {
        Ok(r) => r,
        Err(_) => error_response(
            503,
            "TIMEOUT",
            format!(
                "the request did not complete within {} ms",
                cfg.timeout.as_millis()
            ),
        ),
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, latency_ms, "request finished");
        } else {
            tracing::info!(status, latency_ms, "request finished");
        }
    });
    response
}
