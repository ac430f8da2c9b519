//! The error type of the REST client.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Everything that can go wrong with a REST call.
///
/// No variant ever carries a credential: headers are not part of any error,
/// and [`Error::MissingCredential`] names the setting, not its value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status, or with a 2xx body holding an
    /// `{"error": ...}` envelope.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The per-attempt deadline passed before a complete response arrived.
    #[error("request timed out after {timeout:?}")]
    Timeout {
        /// The deadline that was exceeded.
        timeout: Duration,
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The request could not be sent or the response could not be read
    /// (connection refused, DNS, TLS, connection reset, ...).
    #[error("network error: {}", chain(source))]
    Network {
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
    },

    /// A 2xx response whose body is not JSON.
    #[error("response body is not JSON (HTTP {http_status}): {source}")]
    Decode {
        /// HTTP status of the response.
        http_status: u16,
        /// The raw body, lossily decoded as UTF-8.
        body: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },

    /// A credential the call needs is not configured. Nothing was sent.
    #[error(
        "missing credential: `{setting}` is not set (set it on the client builder or in the \
         {env_var} environment variable)"
    )]
    MissingCredential {
        /// The builder setting, e.g. `api_key`.
        setting: &'static str,
        /// The environment variable read by `from_env`, e.g. `VELT_API_KEY`.
        env_var: &'static str,
    },

    /// The client configuration is invalid (malformed base URL, a credential
    /// that is not a valid header value, ...).
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong. Never contains a credential.
        message: String,
    },

    /// The request was rejected before sending: an unknown field, a value of
    /// the wrong type, or an invalid argument (the token call's
    /// `organizationId must be a non-empty string`).
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
}

/// A Velt API error: HTTP status, Velt's error status and message, raw body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub http_status: u16,
    /// Velt's error status (`error.status`, e.g. `"INVALID_ARGUMENT"`), when given.
    pub status: Option<String>,
    /// Velt's error message (`error.message`), when given.
    pub message: Option<String>,
    /// The response body: the parsed JSON, or the raw text as a JSON string
    /// when the body is not JSON, or `null` when it is empty.
    pub body: Value,
}

impl ApiError {
    /// Builds an error from an HTTP status and a response body.
    pub fn from_body(http_status: u16, body: Value) -> Self {
        let (status, message) = match body.get("error") {
            Some(Value::Object(err)) => (
                err.get("status").and_then(value_text),
                err.get("message").and_then(value_text),
            ),
            Some(Value::String(msg)) => (None, Some(msg.clone())),
            _ => (None, None),
        };
        Self {
            http_status,
            status,
            message,
            body,
        }
    }

    /// `error.details`, when the body has it.
    pub fn details(&self) -> Option<&Value> {
        self.body.get("error").and_then(|e| e.get("details"))
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Velt API error (HTTP {}", self.http_status)?;
        if let Some(status) = &self.status {
            write!(f, ", {status}")?;
        }
        f.write_str(")")?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None => match reqwest::StatusCode::from_u16(self.http_status)
                .ok()
                .and_then(|s| s.canonical_reason())
            {
                Some(reason) => write!(f, ": {reason}"),
                None => Ok(()),
            },
        }
    }
}

impl StdError for ApiError {}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.http_status),
            Error::Decode { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// The API error, when this is [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether trying again may succeed: connection failures (nothing was
    /// sent), connect timeouts, HTTP 429, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.http_status, 429 | 502 | 503 | 504),
            Error::Network { source } => source.is_connect(),
            Error::Timeout { source, .. } => source.is_connect(),
            _ => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether a credential was missing (nothing was sent).
    pub fn is_missing_credential(&self) -> bool {
        matches!(self, Error::MissingCredential { .. })
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// Formats an error with its sources: `a: b: c`.
fn chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = e.source();
    }
    out
}
