//! Operations: Prometheus metrics and rate limits.
//!
//! - [`Metrics`]: the `velt_server_*` series (requests by route template
//!   and status, latency histograms, in-flight requests, rejections by
//!   reason, store latency and errors by backend through
//!   [`InstrumentedStore`], pool usage), rendered by [`Metrics::router`]'s
//!   `GET /metrics`. The binary serves it on its own listener
//!   (`--metrics-bind`), never on the provider listener.
//! - [`RateLimitOptions`]: token buckets per client address (on by default:
//!   100 requests/s, bursts of 200) and per bearer token (off by default);
//!   `429` with `Retry-After` and `errorCode` `RATE_LIMITED` over a limit.
//!   `X-Forwarded-For` is believed only from [`RateLimitOptions::trusted_proxies()`].
//!   `/healthz` and `/readyz` are never limited.
//!
//! The per-address limit needs the peer address: serve the router with
//! `into_make_service_with_connect_info::<SocketAddr>()` (the binary does).
//!
//! See `docs/operations.md`.

mod bucket;
mod metrics;
mod ratelimit;
mod store;

use std::net::SocketAddr;

pub(crate) use self::metrics::track;
pub use self::metrics::{Kind, Metrics, PoolStatus, Rejection, SERIES};
pub use self::ratelimit::{Limit, RATE_LIMITED, RateLimitOptions, parse_trusted_proxies};
pub(crate) use self::ratelimit::{Limiter, limit};
pub use self::store::InstrumentedStore;

/// Errors in the operations settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpsConfigError {
    /// A `--trusted-proxies` entry is not a CIDR or an address.
    #[error("{0}")]
    TrustedProxy(String),
    /// A rate is negative or not a number.
    #[error("{flag} must be a number of requests per second >= 0 (0 = no limit), not {value}")]
    Rate {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: f64,
    },
}

/// `velt-server` flags of metrics and rate limits (flattened into its CLI).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Metrics and rate limits (docs/operations.md)")]
// `Args` is also the name of the webhook flags' struct: the group needs its own id.
#[group(id = "ops_args")]
#[non_exhaustive]
pub struct Args {
    /// Address of the Prometheus listener serving GET /metrics (e.g. 127.0.0.1:9464), separate
    /// from the provider routes, which never serve /metrics. Without it no metrics are kept.
    #[arg(long, env = "VELT_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Requests per second allowed per client address (0 = no limit).
    #[arg(long, env = "VELT_RATE_LIMIT_PER_IP", default_value_t = 100.0)]
    pub rate_limit_per_ip: f64,

    /// Requests a client address may send at once after an idle period.
    #[arg(long, env = "VELT_RATE_LIMIT_PER_IP_BURST", default_value_t = 200)]
    pub rate_limit_per_ip_burst: u32,

    /// Requests per second allowed per bearer token (0 = no limit).
    #[arg(long, env = "VELT_RATE_LIMIT_PER_TOKEN", default_value_t = 0.0)]
    pub rate_limit_per_token: f64,

    /// Requests a bearer token may send at once after an idle period
    /// [default: twice the per-token rate, at least 1].
    #[arg(long, env = "VELT_RATE_LIMIT_PER_TOKEN_BURST")]
    pub rate_limit_per_token_burst: Option<u32>,

    /// Client addresses (or tokens) tracked at most by each limit; beyond it the least
    /// recently seen are forgotten.
    #[arg(long, env = "VELT_RATE_LIMIT_MAX_KEYS", default_value_t = 100_000)]
    pub rate_limit_max_keys: usize,

    /// Proxies whose X-Forwarded-For names the client, comma-separated CIDRs or addresses
    /// (e.g. 10.0.0.0/8). Only hops from these are skipped; without it the header is ignored.
    #[arg(long, env = "VELT_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
}

impl Args {
    /// The rate-limit settings these flags describe.
    pub fn rate_limit_options(&self) -> Result<RateLimitOptions, OpsConfigError> {
        let rate = |flag: &'static str, value: f64| {
            if value.is_nan() || value < 0.0 {
                Err(OpsConfigError::Rate { flag, value })
            } else {
                Ok(value)
            }
        };
        let per_ip = rate("--rate-limit-per-ip", self.rate_limit_per_ip)?;
        let per_token = rate("--rate-limit-per-token", self.rate_limit_per_token)?;
        let token_burst = self
            .rate_limit_per_token_burst
            .unwrap_or_else(|| default_burst(per_token));
        Ok(RateLimitOptions {
            per_ip: Limit::new(per_ip, self.rate_limit_per_ip_burst),
            per_token: Limit::new(per_token, token_burst),
            trusted_proxies: parse_trusted_proxies(&self.trusted_proxies)
                .map_err(OpsConfigError::TrustedProxy)?,
            max_keys: self.rate_limit_max_keys.max(1),
        })
    }

    /// Metrics to keep: `Some` when `--metrics-bind` is set.
    pub fn metrics(&self) -> Option<Metrics> {
        self.metrics_bind.map(|_| Metrics::new())
    }
}

/// Twice the rate, rounded up, at least 1.
fn default_burst(rate: f64) -> u32 {
    let b = (rate * 2.0).ceil();
    // Saturating float-to-int cast; `rate` was checked to be >= 0.
    (b as u32).max(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        ops: Args,
    }

    #[test]
    fn defaults_limit_addresses_not_tokens() {
        let cli = Cli::try_parse_from(["x"]).unwrap();
        let o = cli.ops.rate_limit_options().unwrap();
        assert_eq!(o, RateLimitOptions::default());
        assert_eq!(o.per_ip, Limit::new(100.0, 200));
        assert_eq!(o.per_token, None);
        assert!(cli.ops.metrics().is_none());
    }

    #[test]
    fn flags_parse_and_bad_values_are_named() {
        let cli = Cli::try_parse_from([
            "x",
            "--rate-limit-per-ip",
            "0",
            "--rate-limit-per-token",
            "2.5",
            "--trusted-proxies",
            "10.0.0.0/8,127.0.0.1",
            "--metrics-bind",
            "127.0.0.1:0",
        ])
        .unwrap();
        let o = cli.ops.rate_limit_options().unwrap();
        assert_eq!(o.per_ip, None);
        assert_eq!(o.per_token, Limit::new(2.5, 5));
        assert_eq!(o.trusted_proxies.len(), 2);
        assert!(cli.ops.metrics().is_some());

        let cli = Cli::try_parse_from(["x", "--trusted-proxies", "10.0.0.0/99"]).unwrap();
        let err = cli.ops.rate_limit_options().unwrap_err().to_string();
        assert!(err.contains("10.0.0.0/99"), "{err}");
        let cli = Cli::try_parse_from(["x", "--rate-limit-per-ip=-1"]).unwrap();
        let err = cli.ops.rate_limit_options().unwrap_err().to_string();
        assert!(err.contains("--rate-limit-per-ip"), "{err}");
    }
}
