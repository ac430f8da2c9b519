//! [`ResolverResponse`]: the JSON every self-hosting service answers with.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The `errorCode` of a failed resolver response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResolverErrorCode {
    /// `INVALID_INPUT` (400): a required value is missing or empty.
    InvalidInput,
    /// `VALIDATION_ERROR` (400): a value has the wrong type or shape.
    ValidationError,
    /// `NOT_FOUND` (404).
    NotFound,
    /// `DATABASE_ERROR` (500): the store failed.
    DatabaseError,
    /// `INTERNAL_ERROR` (500): anything else.
    InternalError,
    /// `CONFIGURATION_ERROR` (500): e.g. an upload without attachment storage.
    ConfigurationError,
    /// `S3_UPLOAD_ERROR` (500): the attachment storage failed to store a file.
    S3UploadError,
    /// `FILE_TOO_LARGE` (413): an upload over the storage's size limit (velt-rs addition).
    FileTooLarge,
    /// Any other code, kept as received.
    Other(String),
}

impl ResolverErrorCode {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            ResolverErrorCode::InvalidInput => "INVALID_INPUT",
            ResolverErrorCode::ValidationError => "VALIDATION_ERROR",
            ResolverErrorCode::NotFound => "NOT_FOUND",
            ResolverErrorCode::DatabaseError => "DATABASE_ERROR",
            ResolverErrorCode::InternalError => "INTERNAL_ERROR",
            ResolverErrorCode::ConfigurationError => "CONFIGURATION_ERROR",
            ResolverErrorCode::S3UploadError => "S3_UPLOAD_ERROR",
            ResolverErrorCode::FileTooLarge => "FILE_TOO_LARGE",
            ResolverErrorCode::Other(s) => s,
        }
    }

    /// Parses a wire string.
    pub fn parse(s: &str) -> Self {
        match s {
            "INVALID_INPUT" => ResolverErrorCode::InvalidInput,
            "VALIDATION_ERROR" => ResolverErrorCode::ValidationError,
            "NOT_FOUND" => ResolverErrorCode::NotFound,
            "DATABASE_ERROR" => ResolverErrorCode::DatabaseError,
            "INTERNAL_ERROR" => ResolverErrorCode::InternalError,
            "CONFIGURATION_ERROR" => ResolverErrorCode::ConfigurationError,
            "S3_UPLOAD_ERROR" => ResolverErrorCode::S3UploadError,
            "FILE_TOO_LARGE" => ResolverErrorCode::FileTooLarge,
            other => ResolverErrorCode::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for ResolverErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResolverErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResolverErrorCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ResolverErrorCode::parse(&String::deserialize(d)?))
    }
}

/// The answer of every self-hosting service method, serialising to exactly
/// the JSON velt-py returns:
///
/// - get success: `{"data": {...}, "success": true, "statusCode": 200}`
/// - save/delete success: `{"success": true, "statusCode": 200}`
/// - error: `{"success": false, "statusCode": N, "error": "...", "errorCode": "..."}`
///
/// A web handler can send it unchanged, with [`ResolverResponse::status_code`]
/// as the HTTP status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolverResponse {
    /// The result of a read (`{id: record}`), or `{"url": ...}` for a saved attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// True on success.
    pub success: bool,
    /// 200 on success, else 400/404/413/500.
    pub status_code: u16,
    /// Human-readable message of a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Machine-readable code of a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ResolverErrorCode>,
    /// On a successful delete: whether a stored record was removed (`false`
    /// when there was none, e.g. a retried delete). Never on the wire: Velt
    /// sees the same `200` either way; see [`ResolverResponse::removed`].
    #[serde(skip)]
    pub removed: Option<bool>,
}

impl ResolverResponse {
    /// `{"success": true, "statusCode": 200}` (save and delete).
    pub fn ok() -> Self {
        Self {
            data: None,
            success: true,
            status_code: 200,
            error: None,
            error_code: None,
            removed: None,
        }
    }

    /// The answer of a delete: `{"success": true, "statusCode": 200}`
    /// whether or not a record existed (deletes are idempotent, so a retried
    /// delete succeeds again), with [`ResolverResponse::removed`] telling
    /// the caller which it was.
    pub fn deleted(removed: bool) -> Self {
        Self {
            removed: Some(removed),
            ..Self::ok()
        }
    }

    /// `{"data": data, "success": true, "statusCode": 200}` (reads).
    pub fn with_data(data: Value) -> Self {
        Self {
            data: Some(data),
            ..Self::ok()
        }
    }

    /// `{"success": false, "statusCode": status, "error": message, "errorCode": code}`.
    pub fn error(status: u16, code: ResolverErrorCode, message: impl Into<String>) -> Self {
        Self {
            data: None,
            success: false,
            status_code: status,
            error: Some(message.into()),
            error_code: Some(code),
            removed: None,
        }
    }

    /// `400 INVALID_INPUT`.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::error(400, ResolverErrorCode::InvalidInput, message)
    }

    /// `400 VALIDATION_ERROR`.
    pub fn validation_error(message: impl Into<String>) -> Self {
        Self::error(400, ResolverErrorCode::ValidationError, message)
    }

    /// `404 NOT_FOUND`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::error(404, ResolverErrorCode::NotFound, message)
    }

    /// True on success.
    pub fn is_success(&self) -> bool {
        self.success
    }

    /// The HTTP status to answer with.
    pub fn status_code(&self) -> u16 {
        self.status_code
    }

    /// For a successful delete: `Some(true)` when a stored record was
    /// removed, `Some(false)` when there was none; `None` for every other
    /// answer.
    pub fn removed(&self) -> Option<bool> {
        self.removed
    }

    /// The data of a successful read.
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// The error message of a failure.
    pub fn error_message(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The error code of a failure.
    pub fn error_code(&self) -> Option<&ResolverErrorCode> {
        self.error_code.as_ref()
    }

    /// The response as a JSON value (what a handler sends).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Parses a resolver request from the JSON a frontend posted. A body of the
/// wrong shape (a list where ids are expected, a non-string
/// `organizationId`...) becomes `400 VALIDATION_ERROR` with serde's message,
/// never a panic.
#[allow(clippy::result_large_err)] // the error is the response to send back
pub fn parse_request<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ResolverResponse> {
    let body = match body {
        Value::Null => Value::Object(serde_json::Map::new()),
        other => other,
    };
    if !body.is_object() {
        return Err(ResolverResponse::validation_error(
            "request body must be a JSON object",
        ));
    }
    serde_json::from_value(body).map_err(|e| ResolverResponse::validation_error(e.to_string()))
}

/// [`parse_request`] from JSON text.
#[allow(clippy::result_large_err)] // the error is the response to send back
pub fn parse_request_str<T: serde::de::DeserializeOwned>(
    body: &str,
) -> Result<T, ResolverResponse> {
    let value: Value = serde_json::from_str(body)
        .map_err(|e| ResolverResponse::validation_error(format!("invalid JSON: {e}")))?;
    parse_request(value)
}
