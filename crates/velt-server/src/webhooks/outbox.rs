//! The durable outbox: one record per (event, forward URL) in
//! [`Collection::WebhookOutbox`], written before Velt gets its 2xx, and a
//! worker that delivers due records with retries and exponential backoff.
//!
//! Records live under the internal organization [`INTERNAL_ORG`]. The store
//! has no query on arbitrary fields, so the record's state is kept in
//! `metadata.documentId` (`pending` or `dead`), the secondary field every
//! backend indexes, and the worker reads `Selector::DocumentIds(["pending"])`.
//!
//! Several nodes may share the store: a node leases a record
//! (`leaseOwner`, `leaseUntil`) before sending it and re-reads it to check
//! it won. The store has no compare-and-set, so two nodes racing on the same
//! record can both send it: delivery is at least once, and every delivery
//! of an event carries the same `webhook-id` for the customer to dedupe.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt as _;
use serde_json::{Map, Value, json};
use tokio::sync::Notify;
use velt_selfhost::store::{Collection, Document, RecordId, Scope, Selector, Store, StoreError};
use velt_webhooks::SigningSecret;

/// The organization id under which velt-server keeps its webhook records.
pub const INTERNAL_ORG: &str = "_velt_webhooks";
const PENDING: &str = "pending";
const DEAD: &str = "dead";

pub(crate) fn scope() -> Scope {
    // INTERNAL_ORG is a non-empty constant, the only way `Scope::new` fails.
    Scope::new(INTERNAL_ORG).unwrap_or_else(|_| unreachable!())
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Retry policy of the outbox.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Delay after the first failure; doubled after each further one.
    pub base: Duration,
    /// Longest delay between two attempts.
    pub max_delay: Duration,
    /// Attempts before a record is marked dead.
    pub max_attempts: u32,
    /// Timeout of one delivery request.
    pub request_timeout: Duration,
    /// How often the worker looks for due records when not woken.
    pub poll_interval: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(1),
            max_delay: Duration::from_secs(3600),
            max_attempts: 20,
            request_timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Delay before attempt `attempts + 1`, after `attempts` failures (≥ 1).
    pub fn delay(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(31));
        self.base.saturating_mul(factor).min(self.max_delay)
    }

    fn lease(&self) -> Duration {
        self.request_timeout + Duration::from_secs(5)
    }
}

/// `url` with any `user:password@` part replaced, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// The id of the delivery of `webhook_id` to `url`.
pub(crate) fn delivery_id(webhook_id: &str, url: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{webhook_id}\n{url}").as_bytes(),
    );
    digest
        .as_ref()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new pending outbox record.
pub(crate) fn record(webhook_id: &str, url: &str, body: &Value) -> Document {
    let mut doc = Map::new();
    doc.insert("deliveryId".into(), json!(delivery_id(webhook_id, url)));
    doc.insert("webhookId".into(), json!(webhook_id));
    doc.insert("url".into(), json!(url));
    doc.insert("body".into(), body.clone());
    doc.insert("attempts".into(), json!(0));
    doc.insert("nextAttemptAt".into(), json!(0));
    doc.insert("leaseUntil".into(), json!(0));
    doc.insert("createdAt".into(), json!(now_ms()));
    doc.insert("metadata".into(), json!({"documentId": PENDING}));
    doc
}

/// Delivers the outbox.
#[derive(Debug)]
pub(crate) struct Worker {
    pub store: Arc<dyn Store>,
    pub secrets: Vec<SigningSecret>,
    pub policy: RetryPolicy,
    pub client: reqwest::Client,
    pub wake: Arc<Notify>,
    pub node: String,
}

fn int(doc: &Document, key: &str) -> i64 {
    doc.get(key).and_then(Value::as_i64).unwrap_or(0)
}

impl Worker {
    /// Runs forever: delivers due records, then sleeps until woken or the
    /// poll interval passes.
    pub async fn run(self) {
        loop {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "webhook outbox: cannot read the store; retrying");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.policy.poll_interval) => {}
            }
        }
    }

    /// One pass: claims every due record and delivers them concurrently.
    pub async fn tick(&self) -> Result<usize, StoreError> {
        let scope = scope();
        let now = now_ms();
        let due: Vec<Document> = self
            .store
            .find(
                Collection::WebhookOutbox,
                &scope,
                &Selector::DocumentIds(vec![PENDING.into()]),
            )
            .await?
            .into_iter()
            .filter(|d| int(d, "nextAttemptAt") <= now && int(d, "leaseUntil") <= now)
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let lease_until = now + i64::try_from(self.policy.lease().as_millis()).unwrap_or(30_000);
        let claims: Vec<Document> = due
            .iter()
            .filter_map(|d| {
                let id = d.get("deliveryId")?.clone();
                let mut claim = Map::new();
                claim.insert("deliveryId".into(), id);
                claim.insert("leaseOwner".into(), json!(self.node));
                claim.insert("leaseUntil".into(), json!(lease_until));
                Some(claim)
            })
            .collect();
        let ids: Vec<RecordId> = claims
            .iter()
            .filter_map(|c| c.get("deliveryId").and_then(RecordId::from_value))
            .collect();
        self.store
            .upsert_many(Collection::WebhookOutbox, &scope, claims)
            .await?;
        // Re-read: a node that wrote its lease after ours owns the record.
        let owned: Vec<Document> = self
            .store
            .find(Collection::WebhookOutbox, &scope, &Selector::Ids(ids))
            .await?
            .into_iter()
            .filter(|d| d.get("leaseOwner").and_then(Value::as_str) == Some(self.node.as_str()))
            .collect();
        let n = owned.len();
        // Each record on its own: a slow or dead endpoint holds only its own slot.
        futures_util::stream::iter(owned)
            .for_each_concurrent(16, |doc| async move {
                if let Err(e) = self.deliver(doc).await {
                    tracing::warn!(error = %e, "webhook outbox: cannot record a delivery result");
                }
            })
            .await;
        Ok(n)
    }

    async fn deliver(&self, doc: Document) -> Result<(), StoreError> {
        let scope = scope();
        let Some(id) = doc.get("deliveryId").and_then(RecordId::from_value) else {
            return Ok(());
        };
        let url = doc.get("url").and_then(Value::as_str).unwrap_or_default();
        let shown = redact_url(url);
        let webhook_id = doc
            .get("webhookId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let body = serde_json::to_vec(doc.get("body").unwrap_or(&Value::Null))
            .unwrap_or_else(|_| b"null".to_vec());
        let ts = now_ms() / 1000;
        let mut request = self
            .client
            .post(url)
            .timeout(self.policy.request_timeout)
            .header("content-type", "application/json");
        for (k, v) in velt_webhooks::signed_headers(&self.secrets, webhook_id, ts, &body) {
            request = request.header(k, v);
        }
        let outcome = match request.body(body).send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("answered {}", r.status())),
            Err(e) if e.is_timeout() => Err("timed out".to_owned()),
            Err(e) if e.is_connect() => Err("connection failed".to_owned()),
            Err(_) => Err("request failed".to_owned()),
        };
        match outcome {
            Ok(()) => {
                tracing::info!(%webhook_id, url = %shown, "webhook forwarded");
                self.store
                    .delete(Collection::WebhookOutbox, &scope, &id)
                    .await?;
            }
            Err(reason) => {
                let attempts = u32::try_from(int(&doc, "attempts")).unwrap_or(0) + 1;
                let mut update = Map::new();
                update.insert("deliveryId".into(), id.to_value());
                update.insert("attempts".into(), json!(attempts));
                update.insert("lastError".into(), json!(reason));
                update.insert("leaseUntil".into(), json!(0));
                if attempts >= self.policy.max_attempts {
                    tracing::error!(%webhook_id, url = %shown, attempts, %reason, "webhook delivery abandoned");
                    update.insert("metadata".into(), json!({"documentId": DEAD}));
                } else {
                    let delay = self.policy.delay(attempts);
                    tracing::warn!(%webhook_id, url = %shown, attempts, %reason, retry_in_ms = delay.as_millis() as u64, "webhook delivery failed");
                    let next = now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
                    update.insert("nextAttemptAt".into(), json!(next));
                }
                self.store
                    .upsert_many(Collection::WebhookOutbox, &scope, vec![update])
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials_in_logs() {
        assert_eq!(
            redact_url("https://user:pa55@hooks.example.com/a@b?x=1"),
            "https://<redacted>@hooks.example.com/a@b?x=1"
        );
        assert_eq!(redact_url("http://127.0.0.1:9/h"), "http://127.0.0.1:9/h");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        let delays: Vec<u128> = (1..=6).map(|a| p.delay(a).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.delay(500), Duration::from_secs(1));
    }
}
