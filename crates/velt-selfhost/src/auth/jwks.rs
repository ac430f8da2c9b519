//! The JWKS key cache: HTTPS only, no redirects, a TTL, bounded refetches
//! on an unknown `kid`, stale keys for a bounded time while the endpoint is down.

use std::time::Instant;

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use serde_json::Value;

use super::config::{AuthConfigError, JwksConfig, parse_algorithm};
use super::error::VerifyError;

/// One usable key of the set.
struct CachedKey {
    kid: Option<String>,
    /// The JWK's `alg`, when it names one: the token's `alg` must then be it.
    alg: Option<Algorithm>,
    family: AlgorithmFamily,
    key: DecodingKey,
}

#[derive(Default)]
struct State {
    keys: Vec<CachedKey>,
    /// The last successful fetch.
    fetched_at: Option<Instant>,
    /// The last fetch attempt, successful or not.
    attempted_at: Option<Instant>,
}

impl State {
    /// The key for a token with `kid` and `alg`: `Ok(None)` when the set has
    /// none; a key under that `kid` of another type is an algorithm mismatch.
    /// Without a `kid`, the only compatible key of the set (none when several).
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Result<Option<DecodingKey>, VerifyError> {
        let compatible = |k: &CachedKey| k.family == alg.family() && k.alg.is_none_or(|a| a == alg);
        match kid {
            Some(kid) => match self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)) {
                Some(k) if compatible(k) => Ok(Some(k.key.clone())),
                Some(_) => Err(VerifyError::AlgorithmNotAllowed),
                None => Ok(None),
            },
            None => {
                let mut it = self.keys.iter().filter(|k| compatible(k));
                match (it.next(), it.next()) {
                    (Some(k), None) => Ok(Some(k.key.clone())),
                    _ => Ok(None),
                }
            }
        }
    }
}

/// A fetched, cached key set. Cheap to share behind an `Arc`.
pub(crate) struct JwksCache {
    config: JwksConfig,
    client: reqwest::Client,
    origin: String,
    // Held across a fetch on purpose: concurrent requests wait for the one
    // fetch instead of each fetching.
    state: tokio::sync::Mutex<State>,
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Why a fetch failed (logged without the URL's path or the body).
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("request failed: {0}")]
    Http(reqwest::Error),
    #[error("answered HTTP {0} (redirects are not followed)")]
    Status(u16),
    #[error("key set larger than {0} bytes")]
    TooLarge(usize),
    #[error("not a JSON Web Key Set")]
    NotJwks,
    #[error("no usable signing key in the set")]
    NoKeys,
}

impl JwksCache {
    pub(crate) fn new(config: JwksConfig) -> Result<Self, AuthConfigError> {
        let url = reqwest::Url::parse(config.url.trim())
            .map_err(|_| AuthConfigError::JwksUrl("not a URL"))?;
        if url.scheme() != "https" {
            return Err(AuthConfigError::JwksUrl("only https:// is accepted"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(AuthConfigError::JwksUrl("no host"));
        }
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .https_only(true)
            .timeout(config.timeout)
            .connect_timeout(config.timeout);
        if let Some(pem) = &config.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|_| AuthConfigError::InvalidCa)?;
            if certs.is_empty() {
                return Err(AuthConfigError::InvalidCa);
            }
            builder = builder.tls_certs_only(certs);
        }
        let client = builder.build().map_err(|_| AuthConfigError::HttpClient)?;
        Ok(Self {
            origin: url.origin().ascii_serialization(),
            config,
            client,
            state: tokio::sync::Mutex::new(State::default()),
        })
    }

    /// The key verifying a token with header `kid` and `alg`.
    pub(crate) async fn key(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<DecodingKey, VerifyError> {
        let mut st = self.state.lock().await;
        let now = Instant::now();
        let fresh = st
            .fetched_at
            .is_some_and(|t| now.duration_since(t) < self.config.ttl);
        let may_fetch = st
            .attempted_at
            .is_none_or(|t| now.duration_since(t) >= self.config.min_refetch_interval);
        if fresh {
            if let Some(k) = st.find(kid, alg)? {
                return Ok(k);
            }
            // An unknown kid: maybe a rotation; refetch, at a bounded rate.
            if may_fetch && self.refresh(&mut st, now).await {
                return st.find(kid, alg)?.ok_or(VerifyError::UnknownKey);
            }
            return Err(VerifyError::UnknownKey);
        }
        if may_fetch && self.refresh(&mut st, now).await {
            return st.find(kid, alg)?.ok_or(VerifyError::UnknownKey);
        }
        // The endpoint is down (or was just tried): the last set serves
        // until `ttl + max_stale` after it was fetched.
        let usable = st.fetched_at.is_some_and(|t| {
            now.duration_since(t) < self.config.ttl.saturating_add(self.config.max_stale)
        });
        if !usable {
            return Err(VerifyError::KeysUnavailable);
        }
        st.find(kid, alg)?.ok_or(VerifyError::UnknownKey)
    }

    /// Fetches the set; on success replaces the cached keys (keys no longer
    /// published are dropped). Returns whether it succeeded.
    async fn refresh(&self, st: &mut State, now: Instant) -> bool {
        st.attempted_at = Some(now);
        match self.fetch().await {
            Ok(keys) => {
                tracing::debug!(origin = %self.origin, keys = keys.len(), "JWKS fetched");
                st.keys = keys;
                st.fetched_at = Some(Instant::now());
                true
            }
            Err(e) => {
                tracing::warn!(origin = %self.origin, error = %e, "JWKS fetch failed");
                false
            }
        }
    }

    async fn fetch(&self) -> Result<Vec<CachedKey>, FetchError> {
        let mut resp = self
            .client
            .get(self.config.url.trim())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| FetchError::Http(e.without_url()))?;
        if !resp.status().is_success() {
            return Err(FetchError::Status(resp.status().as_u16()));
        }
        let max = self.config.max_bytes;
        if resp.content_length().is_some_and(|n| n > max as u64) {
            return Err(FetchError::TooLarge(max));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| FetchError::Http(e.without_url()))?
        {
            if body.len() + chunk.len() > max {
                return Err(FetchError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        let doc: Value = serde_json::from_slice(&body).map_err(|_| FetchError::NotJwks)?;
        let Some(entries) = doc.get("keys").and_then(Value::as_array) else {
            return Err(FetchError::NotJwks);
        };
        let keys: Vec<CachedKey> = entries.iter().filter_map(usable_key).collect();
        if keys.is_empty() {
            return Err(FetchError::NoKeys);
        }
        Ok(keys)
    }
}

/// A signing key of the set; encryption keys, symmetric keys and keys of
/// unsupported types or algorithms are skipped.
fn usable_key(entry: &Value) -> Option<CachedKey> {
    if entry
        .get("use")
        .and_then(Value::as_str)
        .is_some_and(|u| u != "sig")
    {
        return None;
    }
    let alg = match entry.get("alg") {
        None | Some(Value::Null) => None,
        Some(Value::String(a)) => Some(parse_algorithm(a).ok()?),
        Some(_) => return None,
    };
    let kid = match entry.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(k)) => Some(k.clone()),
        Some(_) => return None,
    };
    let mut entry = entry.clone();
    if let Some(obj) = entry.as_object_mut() {
        // Parsed above; removed so an algorithm jsonwebtoken's JWK type does
        // not know cannot make the whole key unreadable.
        obj.remove("alg");
    }
    let jwk: Jwk = serde_json::from_value(entry).ok()?;
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    let family = key.family();
    if family == AlgorithmFamily::Hmac || alg.is_some_and(|a| a.family() != family) {
        return None;
    }
    Some(CachedKey {
        kid,
        alg,
        family,
        key,
    })
}
