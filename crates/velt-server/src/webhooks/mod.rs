//! Receiving Velt's webhooks: `POST /v1/webhooks/velt`.
//!
//! 1. **Verify** with `VELT_WEBHOOK_SECRETS` (advanced: Standard Webhooks
//!    signature and timestamp; basic: `Authorization: Basic <token>`), on the
//!    raw body; decode or decrypt it (`VELT_WEBHOOK_PRIVATE_KEY_FILE`).
//! 2. **Dedupe** by `webhook-id` (basic webhooks: the body's `webhookId`,
//!    else a hash of the body), stored in [`Collection::WebhookReceipts`] of
//!    the configured store, so a retry is processed once even across
//!    restarts and nodes sharing the database.
//! 3. **Enrich** the event with the self-hosted content ([`enrich`]).
//! 4. **Queue** one record per `VELT_WEBHOOK_FORWARD_URLS` entry in the
//!    durable outbox ([`outbox`]) *before* answering, then answer 200. A
//!    worker delivers the outbox, signed with `VELT_WEBHOOK_FORWARD_SECRET`,
//!    with retries and backoff; the answer to Velt never waits for it.
//!
//! Answers: 200 `{"status":"accepted"}`; 200 `{"status":"duplicate"}` for a
//! `webhook-id` already received (a 2xx, so that Velt stops retrying a
//! delivery it thinks failed; nothing is delivered again); 400 missing or
//! malformed headers or body; 401 bad signature, stale or future timestamp,
//! wrong token; 503 store unavailable or too slow (Velt retries).

pub mod enrich;
pub mod outbox;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use tokio::sync::Notify;
use velt_selfhost::SelfHosting;
use velt_selfhost::store::{Collection, RecordId, Selector};
use velt_webhooks::{
    PayloadError, PrivateKey, SigningSecret, Verified, Verifier, VerifyError, WebhookSecret,
};

pub use outbox::{INTERNAL_ORG, RetryPolicy};

/// The receiving route.
pub const WEBHOOK_ROUTE: &str = "/v1/webhooks/velt";

/// How long the handler may take before answering 503 (Velt allows 15 s).
const ANSWER_DEADLINE: Duration = Duration::from_secs(10);

/// Configuration of webhook receipt and forwarding (`Debug` redacts
/// secrets, keys and credentials in URLs).
#[derive(Clone)]
#[non_exhaustive]
pub struct WebhookConfig {
    /// Verifies Velt's deliveries.
    pub verifier: Verifier,
    /// Unwraps encrypted bodies.
    pub private_key: Option<Arc<PrivateKey>>,
    /// Where enriched events go.
    pub forward_urls: Vec<String>,
    /// Signs forwarded events (several: one signature each, for rotation).
    pub forward_secrets: Vec<SigningSecret>,
    /// Outbox retries.
    pub retry: RetryPolicy,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let urls: Vec<String> = self
            .forward_urls
            .iter()
            .map(|u| outbox::redact_url(u))
            .collect();
        f.debug_struct("WebhookConfig")
            .field("verifier", &self.verifier)
            .field("private_key", &self.private_key)
            .field("forward_urls", &urls)
            .field("forward_secrets", &self.forward_secrets)
            .field("retry", &self.retry)
            .finish()
    }
}

impl WebhookConfig {
    /// A configuration verifying with `verifier` and forwarding nowhere yet.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            private_key: None,
            forward_urls: Vec::new(),
            forward_secrets: Vec::new(),
            retry: RetryPolicy::default(),
        }
    }

    /// Forwards enriched events to these URLs, signed with these secrets.
    pub fn forward(mut self, urls: Vec<String>, secrets: Vec<SigningSecret>) -> Self {
        self.forward_urls = urls;
        self.forward_secrets = secrets;
        self
    }

    /// Decrypts encrypted bodies with this key.
    pub fn private_key(mut self, key: PrivateKey) -> Self {
        self.private_key = Some(Arc::new(key));
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// Errors in the webhook settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookConfigError {
    /// `VELT_WEBHOOK_SECRETS` has a bad entry.
    #[error("VELT_WEBHOOK_SECRETS: {0}")]
    Secrets(velt_webhooks::SecretError),
    /// `VELT_WEBHOOK_FORWARD_SECRET` is missing or not a `whsec_` secret.
    #[error(
        "VELT_WEBHOOK_FORWARD_SECRET must be set to whsec_… secret(s) when forward URLs are set"
    )]
    ForwardSecret,
    /// A forward URL is not http(s).
    #[error("VELT_WEBHOOK_FORWARD_URLS: {0:?} is not an http:// or https:// URL")]
    ForwardUrl(String),
    /// The private key cannot be read or used.
    #[error("VELT_WEBHOOK_PRIVATE_KEY_FILE: {0}")]
    PrivateKey(String),
    /// No Tokio runtime to run the outbox worker on.
    #[error("the webhook outbox worker needs a Tokio runtime")]
    NoRuntime,
    /// The HTTP client cannot be built.
    #[error("cannot build the webhook HTTP client: {0}")]
    Client(String),
}

/// `velt-server` flags of the webhook receiver (flattened into its CLI).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Webhooks (POST /v1/webhooks/velt; docs/webhooks.md)")]
pub struct Args {
    /// RSA private key (PEM or Base64 DER) decrypting encrypted webhook payloads. The route is
    /// on when VELT_WEBHOOK_SECRETS is set (environment only: comma-separated `whsec_…` and
    /// Basic tokens); VELT_WEBHOOK_FORWARD_URLS and VELT_WEBHOOK_FORWARD_SECRET (environment
    /// only) say where enriched events go and how they are signed.
    #[arg(long, env = "VELT_WEBHOOK_PRIVATE_KEY_FILE")]
    pub webhook_private_key_file: Option<PathBuf>,
    /// Accepted age of a webhook timestamp, both ways, in seconds.
    #[arg(long, env = "VELT_WEBHOOK_TOLERANCE_SECS", default_value_t = 300)]
    pub webhook_tolerance_secs: u64,
    /// Delay after the first failed forward, in milliseconds (doubled after each failure).
    #[arg(long, env = "VELT_WEBHOOK_RETRY_BASE_MS", default_value_t = 1000)]
    pub webhook_retry_base_ms: u64,
    /// Longest delay between two forward attempts, in seconds.
    #[arg(long, env = "VELT_WEBHOOK_RETRY_MAX_SECS", default_value_t = 3600)]
    pub webhook_retry_max_secs: u64,
    /// Forward attempts before an event is marked dead.
    #[arg(long, env = "VELT_WEBHOOK_MAX_ATTEMPTS", default_value_t = 20)]
    pub webhook_max_attempts: u32,
    /// Timeout of one forward request, in seconds.
    #[arg(long, env = "VELT_WEBHOOK_FORWARD_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_forward_timeout_secs: u64,
}

impl Args {
    /// The configuration from these flags and the secret environment
    /// variables (`VELT_WEBHOOK_SECRETS`, `VELT_WEBHOOK_FORWARD_URLS`,
    /// `VELT_WEBHOOK_FORWARD_SECRET`); `None` when `VELT_WEBHOOK_SECRETS` is unset.
    pub fn config(&self) -> Result<Option<WebhookConfig>, WebhookConfigError> {
        self.config_with(|k| std::env::var(k).ok())
    }

    /// [`Args::config`] with `lookup` as the environment (a configuration file).
    pub fn config_with(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<WebhookConfig>, WebhookConfigError> {
        let env = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());
        let Some(list) = env("VELT_WEBHOOK_SECRETS") else {
            return Ok(None);
        };
        let secrets =
            velt_webhooks::parse_secret_list(&list).map_err(WebhookConfigError::Secrets)?;
        let verifier = Verifier::from_secrets(secrets)
            .tolerance(Duration::from_secs(self.webhook_tolerance_secs));
        let urls: Vec<String> = env("VELT_WEBHOOK_FORWARD_URLS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(bad) = urls
            .iter()
            .find(|u| !(u.starts_with("http://") || u.starts_with("https://")))
        {
            return Err(WebhookConfigError::ForwardUrl(bad.clone()));
        }
        let forward_secrets: Vec<SigningSecret> = match env("VELT_WEBHOOK_FORWARD_SECRET") {
            None => Vec::new(),
            Some(list) => velt_webhooks::parse_secret_list(&list)
                .map_err(|_| WebhookConfigError::ForwardSecret)?
                .into_iter()
                .map(|s| match s {
                    WebhookSecret::Signing(s) => Ok(s),
                    _ => Err(WebhookConfigError::ForwardSecret),
                })
                .collect::<Result<_, _>>()?,
        };
        if !urls.is_empty() && forward_secrets.is_empty() {
            return Err(WebhookConfigError::ForwardSecret);
        }
        let mut config = WebhookConfig::new(verifier)
            .forward(urls, forward_secrets)
            .retry(RetryPolicy {
                base: Duration::from_millis(self.webhook_retry_base_ms.max(1)),
                max_delay: Duration::from_secs(self.webhook_retry_max_secs.max(1)),
                max_attempts: self.webhook_max_attempts.max(1),
                request_timeout: Duration::from_secs(self.webhook_forward_timeout_secs.max(1)),
                ..RetryPolicy::default()
            });
        if let Some(path) = &self.webhook_private_key_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| WebhookConfigError::PrivateKey(format!("{}: {e}", path.display())))?;
            let key = PrivateKey::parse(&text)
                .map_err(|e| WebhookConfigError::PrivateKey(format!("{}: {e}", path.display())))?;
            config = config.private_key(key);
        }
        Ok(Some(config))
    }
}

#[derive(Debug)]
struct Inner {
    sh: SelfHosting,
    config: WebhookConfig,
    wake: Arc<Notify>,
}

/// The webhook router; also starts the outbox worker on the current Tokio
/// runtime (it runs until the runtime stops).
pub fn router(sh: SelfHosting, config: WebhookConfig) -> Result<Router, WebhookConfigError> {
    let handle =
        tokio::runtime::Handle::try_current().map_err(|_| WebhookConfigError::NoRuntime)?;
    let wake = Arc::new(Notify::new());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| WebhookConfigError::Client(e.to_string()))?;
    let worker = outbox::Worker {
        store: sh.store().clone(),
        secrets: config.forward_secrets.clone(),
        policy: config.retry.clone(),
        client,
        wake: wake.clone(),
        node: uuid::Uuid::new_v4().simple().to_string(),
    };
    if !config.forward_urls.is_empty() {
        handle.spawn(worker.run());
    }
    let inner = Arc::new(Inner { sh, config, wake });
    Ok(Router::new()
        .route(WEBHOOK_ROUTE, post(receive))
        .with_state(inner))
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn refusal(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    answer(
        status,
        json!({"error": message.to_string(), "errorCode": code}),
    )
}

fn verify_refusal(e: &VerifyError) -> Response {
    let (status, code) = match e {
        VerifyError::MissingHeader(_) | VerifyError::InvalidTimestamp | VerifyError::NotBasic => {
            (StatusCode::BAD_REQUEST, "INVALID_HEADERS")
        }
        VerifyError::TimestampTooOld { .. } | VerifyError::TimestampInFuture { .. } => {
            (StatusCode::UNAUTHORIZED, "STALE_TIMESTAMP")
        }
        VerifyError::WrongToken => (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"),
        _ => (StatusCode::UNAUTHORIZED, "INVALID_SIGNATURE"),
    };
    refusal(status, code, e)
}

async fn receive(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    match tokio::time::timeout(ANSWER_DEADLINE, process(&inner, &headers, &body)).await {
        Ok(r) => r,
        Err(_) => refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            "the store did not answer in time; retry",
        ),
    }
}

fn store_unavailable(e: &velt_selfhost::store::StoreError) -> Response {
    tracing::warn!(error = %e, "webhook receipt: store error");
    refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        "STORE_UNAVAILABLE",
        "the store is unavailable; retry",
    )
}

async fn process(inner: &Inner, headers: &HeaderMap, body: &[u8]) -> Response {
    let verified = match inner.config.verifier.verify(headers, body) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "webhook refused");
            return verify_refusal(&e);
        }
    };
    let event = match velt_webhooks::open(body, inner.config.private_key.as_deref()) {
        Ok(e) => e,
        Err(PayloadError::NoPrivateKey) => {
            return refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "NOT_CONFIGURED",
                "the body is encrypted and VELT_WEBHOOK_PRIVATE_KEY_FILE is not set",
            );
        }
        Err(e) => return refusal(StatusCode::BAD_REQUEST, "INVALID_BODY", e),
    };
    let webhook_id = match &verified {
        Verified::Signed { id, .. } => id.clone(),
        _ => event.webhook_id.clone().unwrap_or_else(|| {
            let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body);
            let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
            format!("sha256:{hex}")
        }),
    };
    let store = inner.sh.store();
    let scope = outbox::scope();
    let id = RecordId::Str(webhook_id.clone());
    match store
        .find(
            Collection::WebhookReceipts,
            &scope,
            &Selector::Ids(vec![id.clone()]),
        )
        .await
    {
        Ok(found) if !found.is_empty() => {
            tracing::info!(%webhook_id, "duplicate webhook ignored");
            return answer(
                StatusCode::OK,
                json!({"status": "duplicate", "webhookId": webhook_id}),
            );
        }
        Ok(_) => {}
        Err(e) => return store_unavailable(&e),
    }

    let urls = &inner.config.forward_urls;
    if !urls.is_empty() {
        let enriched = enrich::enrich(&inner.sh, &event, &webhook_id).await;
        // A crash after an earlier attempt wrote some deliveries: keep those
        // (one may already be delivered and deleted, or retrying).
        let ids: Vec<RecordId> = urls
            .iter()
            .map(|u| RecordId::Str(outbox::delivery_id(&webhook_id, u)))
            .collect();
        let existing = match store
            .find(Collection::WebhookOutbox, &scope, &Selector::Ids(ids))
            .await
        {
            Ok(found) => found,
            Err(e) => return store_unavailable(&e),
        };
        let records: Vec<_> = urls
            .iter()
            .filter(|u| {
                let d = outbox::delivery_id(&webhook_id, u);
                !existing
                    .iter()
                    .any(|r| r.get("deliveryId").and_then(Value::as_str) == Some(d.as_str()))
            })
            .map(|u| outbox::record(&webhook_id, u, &enriched))
            .collect();
        if !records.is_empty()
            && let Err(e) = store
                .upsert_many(Collection::WebhookOutbox, &scope, records)
                .await
        {
            return store_unavailable(&e);
        }
    }
    let mut receipt = Map::new();
    receipt.insert("webhookId".into(), json!(webhook_id));
    receipt.insert("event".into(), json!(event.kind.as_str()));
    receipt.insert("eventOrganizationId".into(), json!(event.organization_id()));
    receipt.insert("receivedAt".into(), json!(outbox::now_ms()));
    if let Err(e) = store
        .upsert_many(Collection::WebhookReceipts, &scope, vec![receipt])
        .await
    {
        return store_unavailable(&e);
    }
    inner.wake.notify_one();
    tracing::info!(%webhook_id, event = %event.kind, deliveries = urls.len(), "webhook accepted");
    answer(
        StatusCode::OK,
        json!({"status": "accepted", "webhookId": webhook_id, "event": event.kind.as_str(),
               "deliveries": urls.len()}),
    )
}
