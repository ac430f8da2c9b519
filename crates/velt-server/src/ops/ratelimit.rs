//! Rate limits: token buckets per client address and per bearer token.
//!
//! Over a limit the answer is `429` with `Retry-After` (whole seconds, at
//! least 1) and the resolver error body with `errorCode` `RATE_LIMITED`.
//! The client address is the TCP peer, or — only when the peer is a
//! trusted proxy — the first address of `X-Forwarded-For` read from the
//! right that is not a trusted proxy.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use super::bucket::{KeyedBuckets, Rate};
use crate::http::error_response;

/// The `errorCode` of a `429` answer.
pub const RATE_LIMITED: &str = "RATE_LIMITED";

/// One limit: `per_second` sustained, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Requests per second refilled (> 0).
    pub per_second: f64,
    /// Requests allowed at once after an idle period (>= 1).
    pub burst: u32,
}

impl Limit {
    /// A limit of `per_second` requests per second with bursts of `burst`;
    /// `None` (no limit) when `per_second` is not a positive number.
    pub fn new(per_second: f64, burst: u32) -> Option<Self> {
        (per_second.is_finite() && per_second > 0.0).then_some(Self {
            per_second,
            burst: burst.max(1),
        })
    }

    fn rate(self) -> Rate {
        Rate {
            per_second: self.per_second,
            burst: f64::from(self.burst.max(1)),
        }
    }
}

/// Rate-limit settings of the router.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RateLimitOptions {
    /// Limit per client address; `None` = none.
    pub per_ip: Option<Limit>,
    /// Limit per bearer credential (the `Authorization` header's value);
    /// `None` = none.
    pub per_token: Option<Limit>,
    /// Proxies whose `X-Forwarded-For` is believed. Empty: the header is ignored.
    pub trusted_proxies: Vec<IpNet>,
    /// Keys (addresses, tokens) held at most by each limit.
    pub max_keys: usize,
}

impl Default for RateLimitOptions {
    /// 100 requests/s with bursts of 200 per client address, no limit per
    /// token, no trusted proxy, 100,000 keys per limit.
    fn default() -> Self {
        Self {
            per_ip: Limit::new(100.0, 200),
            per_token: None,
            trusted_proxies: Vec::new(),
            max_keys: 100_000,
        }
    }
}

impl RateLimitOptions {
    /// No limit at all.
    pub fn off() -> Self {
        Self {
            per_ip: None,
            per_token: None,
            ..Self::default()
        }
    }

    /// Sets the per-address limit (`None` = none).
    pub fn per_ip(mut self, limit: Option<Limit>) -> Self {
        self.per_ip = limit;
        self
    }

    /// Sets the per-token limit (`None` = none).
    pub fn per_token(mut self, limit: Option<Limit>) -> Self {
        self.per_token = limit;
        self
    }

    /// Sets the trusted proxies.
    pub fn trusted_proxies(mut self, proxies: Vec<IpNet>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// True when no limit is set (the middleware is then not installed).
    pub fn is_off(&self) -> bool {
        self.per_ip.is_none() && self.per_token.is_none()
    }
}

/// The limiter shared by every request of a router.
#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    per_ip: Option<KeyedBuckets<IpAddr>>,
    per_token: Option<KeyedBuckets<u64>>,
    trusted: Vec<IpNet>,
    /// Keys the token buckets by a hash of the credential, so no token is
    /// kept in memory; the random seed makes collisions unpredictable.
    token_hasher: RandomState,
    warned_no_peer: AtomicBool,
}

impl Limiter {
    pub(crate) fn new(options: &RateLimitOptions) -> Self {
        let max = options.max_keys.max(1);
        Self {
            inner: Arc::new(Inner {
                per_ip: options.per_ip.map(|l| KeyedBuckets::new(l.rate(), max)),
                per_token: options.per_token.map(|l| KeyedBuckets::new(l.rate(), max)),
                trusted: options.trusted_proxies.clone(),
                token_hasher: RandomState::new(),
                warned_no_peer: AtomicBool::new(false),
            }),
        }
    }

    /// The client address of a request from `peer`.
    pub(crate) fn client_addr(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        client_addr(peer, headers, &self.inner.trusted)
    }

    /// Checks a request; `Err(wait)` when a limit refuses it.
    fn check(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), (Duration, &str)> {
        let now = Instant::now();
        if let Some(buckets) = &self.inner.per_ip {
            match peer {
                Some(peer) => {
                    let client = bucket_key(self.client_addr(peer, headers));
                    buckets
                        .take(&client, now)
                        .map_err(|w| (w, "this client address"))?;
                }
                None => {
                    if !self.inner.warned_no_peer.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            "the per-address rate limit is not applied: the server was not started \
                             with into_make_service_with_connect_info::<SocketAddr>()"
                        );
                    }
                }
            }
        }
        if let Some(buckets) = &self.inner.per_token
            && let Some(credential) = headers.get(header::AUTHORIZATION)
        {
            let key = self.inner.token_hasher.hash_one(credential.as_bytes());
            buckets.take(&key, now).map_err(|w| (w, "this token"))?;
        }
        Ok(())
    }

    #[cfg(test)]
    fn keys(&self) -> (usize, usize) {
        (
            self.inner.per_ip.as_ref().map_or(0, KeyedBuckets::len),
            self.inner.per_token.as_ref().map_or(0, KeyedBuckets::len),
        )
    }
}

/// The client's address: `peer` unless it is a trusted proxy; then
/// `X-Forwarded-For` is read from its last entry backwards, each trusted
/// hop skipped, and the first untrusted address is the client. An entry
/// that is not an address stops the walk at the hop that added it.
pub(crate) fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer = canonical(peer);
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let entries = headers
        .get_all("x-forwarded-for")
        .iter()
        .collect::<Vec<&HeaderValue>>();
    for value in entries.iter().rev() {
        let Ok(text) = value.to_str() else {
            return client;
        };
        for entry in text.rsplit(',') {
            let Some(ip) = parse_entry(entry.trim()) else {
                return client;
            };
            client = ip;
            if !is_trusted(&ip) {
                return client;
            }
        }
    }
    client
}

/// The per-address bucket of a client: its IPv4 address, or the /64 of its
/// IPv6 address (the usual allocation of one subscriber, inside which a
/// client can pick any address).
fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port
/// (`1.2.3.4:5678`, `[::1]:5678`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    entry.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

/// IPv4-mapped IPv6 addresses count as their IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Parses trusted proxies: CIDRs (`10.0.0.0/8`) or single addresses.
pub fn parse_trusted_proxies<S: AsRef<str>>(items: &[S]) -> Result<Vec<IpNet>, String> {
    items
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("invalid trusted proxy `{s}` (expected a CIDR such as 10.0.0.0/8, or an address)"))
        })
        .collect()
}

/// The middleware: refuses a request over a limit with `429`.
pub(crate) async fn limit(State(limiter): State<Limiter>, req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    match limiter.check(peer, req.headers()) {
        Ok(()) => next.run(req).await,
        Err((wait, what)) => too_many(wait, what),
    }
}

/// `429` with `Retry-After` in whole seconds (rounded up, at least 1).
fn too_many(wait: Duration, what: &str) -> Response {
    let secs = wait.as_secs_f64().ceil().max(1.0);
    // At most u64::MAX by the cast's saturation; rates are > 0 so this is finite.
    let secs = secs as u64;
    let mut resp = error_response(
        429,
        RATE_LIMITED,
        format!("too many requests from {what}: retry after {secs} s"),
    );
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies() {
        let trusted = parse_trusted_proxies(&["10.0.0.0/8", "192.168.1.1"]).unwrap();
        let h = headers(&["203.0.113.9, 10.1.1.1"]);
        // An untrusted peer: its header is ignored.
        assert_eq!(
            client_addr(ip("198.51.100.7"), &h, &trusted),
            ip("198.51.100.7")
        );
        // No trusted proxies at all: ignored too.
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &[]), ip("10.0.0.2"));
        // Trusted peer: trusted hops skipped from the right.
        assert_eq!(client_addr(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // A client cannot hide behind a forged leftmost entry.
        let forged = headers(&["1.1.1.1, 203.0.113.9"]);
        assert_eq!(
            client_addr(ip("192.168.1.1"), &forged, &trusted),
            ip("203.0.113.9")
        );
        // Several headers are one list, in order.
        let split = headers(&["203.0.113.9", "10.2.2.2"]);
        assert_eq!(
            client_addr(ip("10.0.0.2"), &split, &trusted),
            ip("203.0.113.9")
        );
        // Ports and IPv6 brackets, mapped IPv4.
        let ported = headers(&["[2001:db8::1]:443, 10.3.3.3:80"]);
        assert_eq!(
            client_addr(ip("::ffff:10.0.0.2"), &ported, &trusted),
            ip("2001:db8::1")
        );
        // Garbage stops at the last trusted hop.
        let junk = headers(&["evil, 10.4.4.4"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &junk, &trusted), ip("10.4.4.4"));
        // Only trusted hops: the leftmost.
        let all = headers(&["10.5.5.5, 10.6.6.6"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &all, &trusted), ip("10.5.5.5"));
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let limiter = Limiter::new(&RateLimitOptions::off().per_ip(Limit::new(0.001, 1)));
        let h = HeaderMap::new();
        assert!(limiter.check(Some(ip("2001:db8:1:2::1")), &h).is_ok());
        assert!(limiter.check(Some(ip("2001:db8:1:2:ffff::9")), &h).is_err());
        assert!(limiter.check(Some(ip("2001:db8:1:3::1")), &h).is_ok());
        assert!(limiter.check(Some(ip("192.0.2.1")), &h).is_ok());
        assert!(limiter.check(Some(ip("192.0.2.2")), &h).is_ok());
        assert!(limiter.check(Some(ip("::ffff:192.0.2.2")), &h).is_err());
    }

    #[test]
    fn trusted_proxy_parsing() {
        assert_eq!(
            parse_trusted_proxies(&["10.0.0.0/8", " ::1 ", ""]).unwrap(),
            vec![
                "10.0.0.0/8".parse::<IpNet>().unwrap(),
                "::1/128".parse::<IpNet>().unwrap()
            ]
        );
        let err = parse_trusted_proxies(&["10.0.0.0/33"]).unwrap_err();
        assert!(err.contains("10.0.0.0/33"), "{err}");
    }

    #[test]
    fn limits_reject_non_positive_rates() {
        assert_eq!(Limit::new(0.0, 10), None);
        assert_eq!(Limit::new(-1.0, 10), None);
        assert_eq!(Limit::new(f64::NAN, 10), None);
        assert_eq!(Limit::new(2.0, 0).unwrap().burst, 1);
    }

    #[test]
    fn tokens_are_keyed_by_a_hash_and_bounded() {
        let options = RateLimitOptions::off().per_token(Limit::new(1.0, 1));
        let limiter = Limiter::new(&RateLimitOptions {
            max_keys: 100,
            ..options
        });
        for i in 0..10_000 {
            let mut h = HeaderMap::new();
            h.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer t-{i}")).unwrap(),
            );
            assert!(limiter.check(None, &h).is_ok());
        }
        let (ips, tokens) = limiter.keys();
        assert_eq!(ips, 0);
        assert!(tokens <= 100 + 16, "{tokens} token keys held");
    }

    #[test]
    fn retry_after_is_whole_seconds_at_least_one() {
        let r = too_many(Duration::from_millis(10), "x");
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()[header::RETRY_AFTER], "1");
        let r = too_many(Duration::from_millis(2_100), "x");
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
    }
}
