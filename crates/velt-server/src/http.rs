//! Response helpers and request-body handling shared by the routes.

// The `Err` of these helpers is the response to send back, as is.
#![allow(clippy::result_large_err)]

use axum::Json;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A resolver-shaped error response:
/// `{"success": false, "statusCode": N, "error": "...", "errorCode": "..."}`.
pub(crate) fn error_response(status: u16, code: &str, message: impl Into<String>) -> Response {
    let message: String = message.into();
    let mut resp = json_response(
        status,
        json!({
            "success": false,
            "statusCode": status,
            "error": message,
            "errorCode": code,
        }),
    );
    // For the metrics' rejection counts (`velt_server_rejections_total`).
    if let Some(reason) = crate::ops::Rejection::from_code(code) {
        resp.extensions_mut().insert(reason);
    }
    resp
}

/// Sends `body` with HTTP status `status` (500 if `status` is not a valid code).
pub(crate) fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(body)).into_response()
}

/// Limits applied to JSON request bodies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    pub(crate) max_bytes: usize,
    pub(crate) max_array_len: usize,
    pub(crate) max_depth: usize,
}

/// Reads a body of at most `max` bytes (413 otherwise).
pub(crate) async fn read_bytes(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> Result<bytes::Bytes, Response> {
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > max as u64
    {
        return Err(too_large(max));
    }
    axum::body::to_bytes(body, max).await.map_err(|e| {
        if is_length_limit(&e) {
            too_large(max)
        } else {
            error_response(400, "INVALID_INPUT", "could not read the request body")
        }
    })
}

/// True when reading stopped at the length limit (`http_body_util`'s
/// `LengthLimitError`, seen through its message to avoid a direct dependency).
fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.to_string().contains("length limit exceeded") {
            return true;
        }
        source = s.source();
    }
    false
}

pub(crate) fn too_large(max: usize) -> Response {
    error_response(
        413,
        "PAYLOAD_TOO_LARGE",
        format!("request body exceeds the limit of {max} bytes"),
    )
}

/// Parses JSON text into an object value, enforcing the shape limits.
pub(crate) fn parse_json(bytes: &[u8], limits: BodyLimits) -> Result<Value, Response> {
    let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(bytes).map_err(|e| {
            let msg = if e.to_string().contains("recursion limit") {
                "invalid JSON: nested too deeply".to_owned()
            } else {
                format!("invalid JSON: {e}")
            };
            error_response(400, "VALIDATION_ERROR", msg)
        })?
    };
    if !value.is_object() {
        return Err(error_response(
            400,
            "VALIDATION_ERROR",
            "request body must be a JSON object",
        ));
    }
    check_shape(&value, limits, 0)?;
    Ok(value)
}

fn check_shape(value: &Value, limits: BodyLimits, depth: usize) -> Result<(), Response> {
    if depth > limits.max_depth {
        return Err(error_response(
            400,
            "VALIDATION_ERROR",
            format!(
                "invalid JSON: nested deeper than {} levels",
                limits.max_depth
            ),
        ));
    }
    match value {
        Value::Array(items) => {
            if items.len() > limits.max_array_len {
                return Err(error_response(
                    413,
                    "PAYLOAD_TOO_LARGE",
                    format!(
                        "an array in the request has {} elements (limit {})",
                        items.len(),
                        limits.max_array_len
                    ),
                ));
            }
            items
                .iter()
                .try_for_each(|v| check_shape(v, limits, depth + 1))
        }
        Value::Object(map) => {
            if map.len() > limits.max_array_len {
                return Err(error_response(
                    413,
                    "PAYLOAD_TOO_LARGE",
                    format!(
                        "an object in the request has {} keys (limit {})",
                        map.len(),
                        limits.max_array_len
                    ),
                ));
            }
            map.values()
                .try_for_each(|v| check_shape(v, limits, depth + 1))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: BodyLimits = BodyLimits {
        max_bytes: 1000,
        max_array_len: 3,
        max_depth: 4,
    };

    #[test]
    fn shapes() {
        assert!(parse_json(br#"{"a": [1, 2, 3]}"#, L).is_ok());
        assert_eq!(parse_json(b"  ", L).unwrap(), json!({}));
        assert_eq!(
            parse_json(br#"{"a": [1, 2, 3, 4]}"#, L)
                .unwrap_err()
                .status(),
            413
        );
        assert_eq!(
            parse_json(br#"{"a": {"b": {"c": {"d": {"e": 1}}}}}"#, L)
                .unwrap_err()
                .status(),
            400
        );
        assert_eq!(parse_json(b"[1]", L).unwrap_err().status(), 400);
        assert_eq!(parse_json(b"{", L).unwrap_err().status(), 400);
        let deep = "[".repeat(10_000);
        assert_eq!(parse_json(deep.as_bytes(), L).unwrap_err().status(), 400);
    }
}
