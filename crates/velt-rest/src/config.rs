//! Client configuration: [`ClientBuilder`] and [`RetryPolicy`].

use std::fmt;
use std::time::Duration;

use crate::client::VeltClient;
use crate::error::Error;
use crate::secret::Secret;

/// Default API origin (velt-py's `VELT_API_BASE_URL`). The version path
/// [`API_VERSION_PATH`] is appended to it.
pub const DEFAULT_BASE_URL: &str = "https://api.velt.dev";
/// Version path appended to the base URL.
pub const API_VERSION_PATH: &str = "/v2";
/// Default per-attempt deadline (velt-py has none and can hang forever).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect deadline.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Deadline of the token call (`/auth/token/get`), as in velt-py.
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(10);

/// Environment variable of the API key.
pub const ENV_API_KEY: &str = "VELT_API_KEY";
/// Environment variable of the auth token.
pub const ENV_AUTH_TOKEN: &str = "VELT_AUTH_TOKEN";
/// Environment variable of the workspace id.
pub const ENV_WORKSPACE_ID: &str = "VELT_WORKSPACE_ID";
/// Environment variable of the workspace auth token.
pub const ENV_WORKSPACE_AUTH_TOKEN: &str = "VELT_WORKSPACE_AUTH_TOKEN";
/// Environment variable of the base URL override.
pub const ENV_BASE_URL: &str = "VELT_API_BASE_URL";

/// When and how often a call is tried again.
///
/// Retried: connection failures (nothing reached the server, so every call,
/// reads and writes alike), and HTTP 429, 502, 503, 504 on read-only calls
/// (`get*` methods, `migrateDocumentsStatus`, the token call) — or on every
/// call when [`retry_writes`](Self::retry_writes) is set. The wait is
/// exponential with jitter (`initial_backoff * 2^n`, capped at
/// `max_backoff`, half of it randomised); a `Retry-After` header (seconds or
/// HTTP date) replaces it, capped at `max_retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (`1` = no retry).
    pub max_attempts: u32,
    /// Wait before the first retry (before jitter).
    pub initial_backoff: Duration,
    /// Upper bound of the exponential wait.
    pub max_backoff: Duration,
    /// Also retry non-read-only calls on 429/502/503/504.
    pub retry_writes: bool,
    /// Upper bound of a wait requested by `Retry-After`.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            retry_writes: false,
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff) and [`max_backoff`](Self::max_backoff).
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Sets [`retry_writes`](Self::retry_writes).
    pub fn with_retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = retry_writes;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The jittered exponential wait before retry number `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let nanos = u64::try_from(base.as_nanos()).unwrap_or(u64::MAX);
        let half = nanos / 2;
        Duration::from_nanos(half + fastrand::u64(0..=nanos - half))
    }
}

#[derive(Clone)]
pub(crate) enum BaseUrlSource {
    Builder,
    Env,
}

/// Builds a [`VeltClient`]. Obtain it with [`VeltClient::builder`].
///
/// | setting | builder | environment (`from_env`) |
/// |---|---|---|
/// | API key | [`api_key`](Self::api_key) | `VELT_API_KEY` |
/// | auth token | [`auth_token`](Self::auth_token) | `VELT_AUTH_TOKEN` |
/// | workspace id | [`workspace_id`](Self::workspace_id) | `VELT_WORKSPACE_ID` |
/// | workspace auth token | [`workspace_auth_token`](Self::workspace_auth_token) | `VELT_WORKSPACE_AUTH_TOKEN` |
/// | base URL (default `https://api.velt.dev`) | [`base_url`](Self::base_url) | `VELT_API_BASE_URL` |
///
/// `Debug` shows only whether each credential is set.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    pub(crate) api_key: Option<Secret>,
    pub(crate) auth_token: Option<Secret>,
    pub(crate) workspace_id: Option<String>,
    pub(crate) workspace_auth_token: Option<Secret>,
    pub(crate) base_url: Option<(String, BaseUrlSource)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) user_agent: Option<String>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) filter_unknown_fields: bool,
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API key (`x-velt-api-key`).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(api_key));
        self
    }

    /// Filter unknown fields out of the requests of the methods that have an
    /// allowlist, on every call of the client (velt-py 0.3.0's
    /// `filter_unknown_fields=True`, there a per-call flag; here also per
    /// handle with [`VeltClient::with_filter_unknown_fields`]). Default:
    /// off, bodies are sent unchanged. See [`crate::allowlist`].
    ///
    /// [`VeltClient::with_filter_unknown_fields`]: crate::VeltClient::with_filter_unknown_fields
    pub fn filter_unknown_fields(mut self, on: bool) -> Self {
        self.filter_unknown_fields = on;
        self
    }

    /// The auth token (`x-velt-auth-token`).
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.auth_token = Some(Secret::new(auth_token));
        self
    }

    /// The workspace id (`x-velt-workspace-id`, sent on workspace calls only).
    pub fn workspace_id(mut self, workspace_id: impl Into<String>) -> Self {
        self.workspace_id = Some(workspace_id.into());
        self
    }

    /// The workspace auth token, sent as `x-velt-auth-token` by the
    /// workspace-level methods (`getWorkspace`, `createApiKey`,
    /// `updateApiKey`, `getApiKeys`, `resetAuthToken`, `getAuthTokens`).
    pub fn workspace_auth_token(mut self, token: impl Into<String>) -> Self {
        self.workspace_auth_token = Some(Secret::new(token));
        self
    }

    /// The API origin (default `https://api.velt.dev`); `/v2` is appended.
    /// May carry a path prefix (`http://proxy/velt`). Validated by
    /// [`build`](Self::build).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some((base_url.into(), BaseUrlSource::Builder));
        self
    }

    /// Per-attempt deadline, from connecting until the whole response body is
    /// read (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Deadline for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The `User-Agent` header (default `velt-rs/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this `reqwest::Client` instead of building one; `timeout` still
    /// applies per attempt, `connect_timeout` and `user_agent` do not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Fills every setting left unset from the environment: `VELT_API_KEY`,
    /// `VELT_AUTH_TOKEN`, `VELT_WORKSPACE_ID`, `VELT_WORKSPACE_AUTH_TOKEN`,
    /// `VELT_API_BASE_URL`. Empty variables count as unset. A malformed
    /// `VELT_API_BASE_URL` makes [`build`](Self::build) fail.
    pub fn from_env(self) -> Self {
        self.from_env_with(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with a custom variable lookup (tests,
    /// configuration files).
    pub fn from_env_with(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        if self.api_key.is_none() {
            self.api_key = get(ENV_API_KEY).map(Secret::new);
        }
        if self.auth_token.is_none() {
            self.auth_token = get(ENV_AUTH_TOKEN).map(Secret::new);
        }
        if self.workspace_id.is_none() {
            self.workspace_id = get(ENV_WORKSPACE_ID);
        }
        if self.workspace_auth_token.is_none() {
            self.workspace_auth_token = get(ENV_WORKSPACE_AUTH_TOKEN).map(Secret::new);
        }
        if self.base_url.is_none() {
            self.base_url = get(ENV_BASE_URL).map(|u| (u, BaseUrlSource::Env));
        }
        self
    }

    /// Builds the client: validates the base URL and the credentials' header
    /// syntax and creates the pooled HTTP client. Missing credentials are not
    /// an error here; a call that needs one fails before sending.
    pub fn build(self) -> Result<VeltClient, Error> {
        VeltClient::from_builder(self)
    }

    pub(crate) fn resolved_base(&self) -> Result<String, Error> {
        let Some((raw, source)) = &self.base_url else {
            return Ok(format!("{DEFAULT_BASE_URL}{API_VERSION_PATH}"));
        };
        let origin = match source {
            BaseUrlSource::Builder => "base URL",
            BaseUrlSource::Env => "base URL from VELT_API_BASE_URL",
        };
        // The URL is not echoed: it may carry proxy credentials.
        let url = reqwest::Url::parse(raw.trim())
            .map_err(|e| Error::config(format!("invalid {origin}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "invalid {origin}: scheme must be http or https"
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::config(format!("invalid {origin}: no host")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config(format!(
                "invalid {origin}: a query string or fragment is not allowed"
            )));
        }
        let s = url.as_str().trim_end_matches('/');
        Ok(format!("{s}{API_VERSION_PATH}"))
    }
}

fn set(v: bool) -> &'static str {
    if v { "set" } else { "unset" }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &set(self.api_key.is_some()))
            .field("auth_token", &set(self.auth_token.is_some()))
            .field("workspace_id", &self.workspace_id)
            .field(
                "workspace_auth_token",
                &set(self.workspace_auth_token.is_some()),
            )
            .field("base_url", &set(self.base_url.is_some()))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("filter_unknown_fields", &self.filter_unknown_fields)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p =
            RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400));
            let b10 = p.backoff(10);
            assert!(b10 >= Duration::from_millis(500) && b10 <= Duration::from_secs(1));
        }
    }

    #[test]
    fn base_url_rules() {
        let b = |u: &str| ClientBuilder::new().base_url(u).resolved_base();
        assert_eq!(
            ClientBuilder::new().resolved_base().unwrap(),
            "https://api.velt.dev/v2"
        );
        assert_eq!(
            b("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/v2"
        );
        assert_eq!(b("http://proxy/velt/").unwrap(), "http://proxy/velt/v2");
        assert!(b("not a url").is_err());
        assert!(b("ftp://x").is_err());
        assert!(b("http://x/?a=1").is_err());
    }
}
