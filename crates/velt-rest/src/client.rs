//! [`VeltClient`] and the one generic request path every endpoint uses.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_AUTH_TOKEN,
    ENV_WORKSPACE_AUTH_TOKEN, ENV_WORKSPACE_ID, RetryPolicy,
};
use crate::endpoints::{AuthKind, Endpoint};
use crate::error::{ApiError, Error};
use crate::response::ApiResponse;
use crate::secret::Secret;

const HEADER_API_KEY: HeaderName = HeaderName::from_static("x-velt-api-key");
const HEADER_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-velt-auth-token");
const HEADER_WORKSPACE_ID: HeaderName = HeaderName::from_static("x-velt-workspace-id");

/// The Velt REST client.
///
/// Cheap to clone (an `Arc` inside); every clone and every service handle
/// shares one pooled HTTP client. Service handles are borrowed:
/// `client.organizations().add_organizations(&req).await`.
///
/// ```no_run
/// # async fn run() -> Result<(), velt_rest::Error> {
/// use velt_rest::VeltClient;
/// use velt_models::rest::GetOrganizationsRequest;
///
/// let client = VeltClient::builder().api_key("key").auth_token("token").build()?;
/// let page = client
///     .organizations()
///     .get_organizations(&GetOrganizationsRequest::default())
///     .await?;
/// println!("{:?} next={:?}", page.data(), page.next_page_token());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct VeltClient {
    pub(crate) inner: Arc<Inner>,
    /// velt-py 0.3.0's `filter_unknown_fields`, for this handle.
    filter_unknown_fields: bool,
}

pub(crate) struct Inner {
    http: reqwest::Client,
    /// `{base}/v2`.
    base: String,
    api_key: Option<Secret>,
    auth_token: Option<Secret>,
    workspace_id: Option<String>,
    workspace_auth_token: Option<Secret>,
    /// Headers per call kind, prepared once (credential values marked sensitive).
    headers_plain: HeaderMap,
    headers_workspace: HeaderMap,
    headers_workspace_auth: HeaderMap,
    /// Full URL of every endpoint, parsed once.
    urls: HashMap<&'static str, reqwest::Url>,
    timeout: Duration,
    retry: RetryPolicy,
}

fn header_value(value: Option<&str>, setting: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value.unwrap_or("")).map_err(|_| {
        Error::config(format!(
            "`{setting}` contains characters that are not allowed in an HTTP header"
        ))
    })?;
    v.set_sensitive(true);
    Ok(v)
}

fn present(s: &Option<Secret>) -> Option<&str> {
    s.as_ref()
        .map(Secret::expose_secret)
        .filter(|v| !v.is_empty())
}

impl VeltClient {
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment only
    /// (`VeltClient::builder().from_env().build()`).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::new().from_env().build()
    }

    pub(crate) fn from_builder(b: ClientBuilder) -> Result<Self, Error> {
        let base = b.resolved_base()?;
        let timeout = b.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match b.http_client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(b.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(
                    b.user_agent
                        .unwrap_or_else(|| concat!("velt-rs/", env!("CARGO_PKG_VERSION")).into()),
                )
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };

        let api_key = header_value(b.api_key.as_ref().map(Secret::expose_secret), "api_key")?;
        let auth = header_value(
            b.auth_token.as_ref().map(Secret::expose_secret),
            "auth_token",
        )?;
        let ws_auth = header_value(
            b.workspace_auth_token.as_ref().map(Secret::expose_secret),
            "workspace_auth_token",
        )?;
        let workspace_id = b.workspace_id.filter(|w| !w.is_empty());
        let ws_id = match &workspace_id {
            Some(id) => Some(HeaderValue::from_str(id).map_err(|_| {
                Error::config(
                    "`workspace_id` contains characters that are not allowed in an HTTP header",
                )
            })?),
            None => None,
        };

        let mut plain = HeaderMap::with_capacity(4);
        plain.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        plain.insert(HEADER_API_KEY, api_key);
        let mut workspace_auth = plain.clone();
        plain.insert(HEADER_AUTH_TOKEN, auth);
        workspace_auth.insert(HEADER_AUTH_TOKEN, ws_auth);
        let mut workspace = plain.clone();
        if let Some(id) = ws_id {
            workspace.insert(HEADER_WORKSPACE_ID, id.clone());
            workspace_auth.insert(HEADER_WORKSPACE_ID, id);
        }

        let urls = crate::endpoints::ENDPOINTS
            .iter()
            .filter_map(|e| {
                let url = reqwest::Url::parse(&format!("{base}{}", e.path)).ok()?;
                Some((e.path, url))
            })
            .collect();

        Ok(Self {
            filter_unknown_fields: b.filter_unknown_fields,
            inner: Arc::new(Inner {
                http,
                urls,
                base,
                api_key: b.api_key,
                auth_token: b.auth_token,
                workspace_id,
                workspace_auth_token: b.workspace_auth_token,
                headers_plain: plain,
                headers_workspace: workspace,
                headers_workspace_auth: workspace_auth,
                timeout,
                retry: b.retry.unwrap_or_default(),
            }),
        })
    }

    /// The URL prefix calls go to (`{base}/v2`).
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The per-attempt deadline.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Whether this handle filters unknown fields out of the requests of the
    /// methods that have an allowlist (velt-py 0.3.0's
    /// `filter_unknown_fields=True`; see [`crate::allowlist`]). Off unless
    /// [`ClientBuilder::filter_unknown_fields`] or
    /// [`with_filter_unknown_fields`](Self::with_filter_unknown_fields) turned it on.
    pub fn filters_unknown_fields(&self) -> bool {
        self.filter_unknown_fields
    }

    /// A handle sharing this client's connections and settings, with
    /// unknown-field filtering on or off: the per-call form of velt-py's
    /// `filter_unknown_fields` flag.
    ///
    /// Only the methods whose [`Endpoint::field_filter`] is set are affected
    /// (`add_comment_annotations`, `update_comment_annotations`,
    /// `add_comments`, `update_comments`, `add_activities`,
    /// `update_activities`, `update_notifications`); every other body is sent
    /// as it is. With filtering off (the default) bodies are never changed.
    ///
    /// ```no_run
    /// # async fn run(client: velt_rest::VeltClient) -> Result<(), velt_rest::Error> {
    /// use velt_models::rest::AddActivitiesRequest;
    ///
    /// let req = AddActivitiesRequest {
    ///     organization_id: Some("org-1".into()),
    ///     document_id: Some("doc-1".into()),
    ///     // `myCustomKey` is not accepted by the API: dropped before sending.
    ///     activities: Some(vec![serde_json::json!({"featureType": "comment", "myCustomKey": 1})]),
    /// };
    /// client.with_filter_unknown_fields(true).activities().add_activities(&req).await?;
    /// # Ok(()) }
    /// ```
    pub fn with_filter_unknown_fields(&self, on: bool) -> VeltClient {
        VeltClient {
            inner: Arc::clone(&self.inner),
            filter_unknown_fields: on,
        }
    }

    /// Encodes `{"data": request}`, filtered by the endpoint's allowlist
    /// when this handle filters unknown fields.
    fn body_for<R: Serialize + ?Sized>(
        &self,
        endpoint: &Endpoint,
        request: &R,
    ) -> Result<Bytes, Error> {
        match endpoint.field_filter {
            Some(filter) if self.filter_unknown_fields => {
                let mut data = serde_json::to_value(request)
                    .map_err(|e| Error::invalid(format!("cannot encode the request: {e}")))?;
                filter.apply(&mut data);
                encode_body(&data)
            }
            _ => encode_body(request),
        }
    }

    pub(crate) fn api_key_set(&self) -> bool {
        present(&self.inner.api_key).is_some()
    }

    pub(crate) fn auth_token_set(&self) -> bool {
        present(&self.inner.auth_token).is_some()
    }

    /// Fails with [`Error::MissingCredential`] when a credential the call
    /// kind needs is absent or empty.
    pub(crate) fn check_credentials(&self, auth: AuthKind) -> Result<(), Error> {
        let i = &self.inner;
        let missing = |setting, env_var| Err(Error::MissingCredential { setting, env_var });
        match auth {
            AuthKind::Normal | AuthKind::Workspace => {
                if present(&i.api_key).is_none() {
                    return missing("api_key", ENV_API_KEY);
                }
                if present(&i.auth_token).is_none() {
                    return missing("auth_token", ENV_AUTH_TOKEN);
                }
            }
            AuthKind::WorkspaceAuth => {
                if i.workspace_id.is_none() {
                    return missing("workspace_id", ENV_WORKSPACE_ID);
                }
                if present(&i.workspace_auth_token).is_none() {
                    return missing("workspace_auth_token", ENV_WORKSPACE_AUTH_TOKEN);
                }
            }
            AuthKind::WorkspacePublic => {}
        }
        Ok(())
    }

    fn headers_for(&self, auth: AuthKind) -> &HeaderMap {
        match auth {
            AuthKind::Normal => &self.inner.headers_plain,
            AuthKind::Workspace | AuthKind::WorkspacePublic => &self.inner.headers_workspace,
            AuthKind::WorkspaceAuth => &self.inner.headers_workspace_auth,
        }
    }

    /// The typed entry point of every generated method: checks credentials,
    /// encodes `{"data": request}` and sends it.
    pub(crate) async fn post<R: Serialize + ?Sized>(
        &self,
        endpoint: &Endpoint,
        request: &R,
    ) -> Result<ApiResponse, Error> {
        self.check_credentials(endpoint.auth)?;
        let body = self.body_for(endpoint, request)?;
        self.send(endpoint, body).await
    }

    /// Calls any endpoint with a JSON request object (the request's fields,
    /// not wrapped in `data`). The object is checked against the endpoint's
    /// fields (an unknown field is an error naming it) and normalised
    /// through the typed request (deserialise, serialise), so the body is
    /// exactly what the typed method would send (filtered, too, when this
    /// handle [filters unknown fields](Self::filters_unknown_fields)).
    pub async fn call_endpoint(
        &self,
        endpoint: &Endpoint,
        request: Value,
    ) -> Result<ApiResponse, Error> {
        let normalized = endpoint.normalize(request)?;
        self.check_credentials(endpoint.auth)?;
        let body = self.body_for(endpoint, &normalized)?;
        self.send(endpoint, body).await
    }

    /// Sends an encoded body and interprets the response.
    pub(crate) async fn send(
        &self,
        endpoint: &Endpoint,
        body: Bytes,
    ) -> Result<ApiResponse, Error> {
        let (status, bytes) = self.send_raw(endpoint, body, None).await?;
        interpret(status, &bytes)
    }

    /// Sends an encoded body with retries; returns the final status and body.
    /// Non-generic on purpose: one copy of the HTTP code for all endpoints.
    pub(crate) async fn send_raw(
        &self,
        endpoint: &Endpoint,
        body: Bytes,
        timeout: Option<Duration>,
    ) -> Result<(u16, Bytes), Error> {
        let span = tracing::info_span!(
            "velt_rest.call",
            service = endpoint.service,
            method = endpoint.method,
            path = endpoint.path,
            http_status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(endpoint, body, timeout.unwrap_or(self.inner.timeout))
            .instrument(span.clone())
            .await;
        let latency = started.elapsed();
        span.record("latency_ms", latency.as_secs_f64() * 1000.0);
        match &result {
            Ok((status, _, attempts)) => {
                span.record("http_status", status);
                span.record("attempts", attempts);
                tracing::debug!(parent: &span, http_status = status, "velt call finished");
            }
            Err(e) => {
                tracing::debug!(parent: &span, error = %e, "velt call failed");
            }
        }
        result.map(|(status, bytes, _)| (status, bytes))
    }

    async fn attempts(
        &self,
        endpoint: &Endpoint,
        body: Bytes,
        timeout: Duration,
    ) -> Result<(u16, Bytes, u32), Error> {
        let policy = &self.inner.retry;
        let max_attempts = policy.max_attempts.max(1);
        let status_retry_allowed = endpoint.read_only || policy.retry_writes;
        let headers = self.headers_for(endpoint.auth);
        let url = match self.inner.urls.get(endpoint.path) {
            Some(url) => url.clone(),
            None => reqwest::Url::parse(&format!("{}{}", self.inner.base, endpoint.path))
                .map_err(|e| Error::config(format!("invalid endpoint URL: {e}")))?,
        };

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let last = attempt >= max_attempts;
            let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
            *request.headers_mut() = headers.clone();
            *request.body_mut() = Some(body.clone().into());
            *request.timeout_mut() = Some(timeout);
            let sent = self.inner.http.execute(request).await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    let err = transport_error(e, timeout);
                    if !last && err.is_retryable() {
                        let wait = policy.backoff(attempt);
                        tracing::debug!(attempt, ?wait, error = %err, "retrying after a connection error");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = response.status().as_u16();
            if !last && status_retry_allowed && matches!(status, 429 | 502 | 503 | 504) {
                let wait = retry_after(response.headers(), policy.max_retry_after)
                    .unwrap_or_else(|| policy.backoff(attempt));
                tracing::debug!(attempt, http_status = status, ?wait, "retrying");
                drop(response);
                tokio::time::sleep(wait).await;
                continue;
            }
            let bytes = response
                .bytes()
                .await
                .map_err(|e| transport_error(e, timeout))?;
            return Ok((status, bytes, attempt));
        }
    }
}

fn transport_error(e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        Error::Timeout { timeout, source: e }
    } else {
        Error::Network { source: e }
    }
}

/// Parses `Retry-After` (delta seconds or HTTP date), capped at `max`.
fn retry_after(headers: &HeaderMap, max: Duration) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match raw.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = httpdate::parse_http_date(raw).ok()?;
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(max))
}

#[derive(Serialize)]
struct Envelope<'a, R: ?Sized> {
    data: &'a R,
}

thread_local! {
    /// Size of the last body encoded on this thread: the next buffer starts
    /// that large, so a big body is written without a chain of reallocations
    /// and handed to the HTTP layer without a copy.
    static LAST_BODY_LEN: Cell<usize> = const { Cell::new(256) };
}

/// Largest initial buffer taken from the hint.
const BODY_HINT_MAX: usize = 1 << 20;

/// Encodes `{"data": request}`.
pub(crate) fn encode_body<R: Serialize + ?Sized>(request: &R) -> Result<Bytes, Error> {
    let hint = LAST_BODY_LEN.with(Cell::get).min(BODY_HINT_MAX);
    let mut buf = Vec::with_capacity(hint + hint / 8 + 64);
    serde_json::to_writer(&mut buf, &Envelope { data: request })
        .map_err(|e| Error::invalid(format!("cannot encode the request: {e}")))?;
    LAST_BODY_LEN.with(|c| c.set(buf.len()));
    Ok(Bytes::from(buf))
}

/// Turns a final HTTP status and body into the call's result.
///
/// - 2xx, empty body: `Ok({})` (velt-py's contract).
/// - 2xx, JSON without an `error` member: `Ok(json)`.
/// - 2xx, JSON with a non-null `error` member: [`Error::Api`].
/// - 2xx, not JSON: [`Error::Decode`].
/// - non-2xx: [`Error::Api`] with whatever body there is.
pub(crate) fn interpret(status: u16, bytes: &[u8]) -> Result<ApiResponse, Error> {
    let ok = (200..300).contains(&status);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if ok {
            Ok(ApiResponse::new(status, Value::Object(Default::default())))
        } else {
            Err(ApiError::from_body(status, Value::Null).into())
        };
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(json) => {
            let has_error = json.get("error").is_some_and(|e| !e.is_null());
            if ok && !has_error {
                Ok(ApiResponse::new(status, json))
            } else {
                Err(ApiError::from_body(status, json).into())
            }
        }
        Err(source) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            if ok {
                Err(Error::Decode {
                    http_status: status,
                    body: text,
                    source,
                })
            } else {
                Err(ApiError::from_body(status, Value::String(text)).into())
            }
        }
    }
}

impl fmt::Debug for VeltClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let set = |v: bool| if v { "set" } else { "unset" };
        f.debug_struct("VeltClient")
            .field("base_url", &i.base)
            .field("api_key", &set(present(&i.api_key).is_some()))
            .field("auth_token", &set(present(&i.auth_token).is_some()))
            .field("workspace_id", &i.workspace_id)
            .field(
                "workspace_auth_token",
                &set(present(&i.workspace_auth_token).is_some()),
            )
            .field("timeout", &i.timeout)
            .field("retry", &i.retry)
            .field("filter_unknown_fields", &self.filter_unknown_fields)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn interpret_rules() {
        assert_eq!(interpret(204, b"").unwrap().json(), &json!({}));
        assert_eq!(interpret(200, b"[1,2]").unwrap().json(), &json!([1, 2]));
        let e = interpret(200, br#"{"error":{"status":"INTERNAL","message":"m"}}"#).unwrap_err();
        let api = e.api_error().unwrap();
        assert_eq!(
            (
                api.http_status,
                api.status.as_deref(),
                api.message.as_deref()
            ),
            (200, Some("INTERNAL"), Some("m"))
        );
        assert!(matches!(
            interpret(200, b"<html>"),
            Err(Error::Decode {
                http_status: 200,
                ..
            })
        ));
        let e = interpret(502, b"<html>bad</html>").unwrap_err();
        assert_eq!(e.api_error().unwrap().body, json!("<html>bad</html>"));
        assert_eq!(e.to_string(), "Velt API error (HTTP 502): Bad Gateway");
        let e = interpret(500, b"").unwrap_err();
        assert_eq!(e.api_error().unwrap().body, Value::Null);
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        let max = Duration::from_secs(30);
        h.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h, max), Some(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("9999"));
        assert_eq!(retry_after(&h, max), Some(max));
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&soon).unwrap());
        let w = retry_after(&h, max).unwrap();
        assert!(
            w <= Duration::from_secs(5) && w >= Duration::from_secs(3),
            "{w:?}"
        );
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"),
        );
        assert_eq!(retry_after(&h, max), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, max), None);
    }
}
