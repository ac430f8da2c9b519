//! Prometheus metrics: the series table, the recorder, the request
//! middleware and the `GET /metrics` router.
//!
//! Each [`Metrics`] holds its own recorder (not the process-global one of
//! the `metrics` crate), so two routers in one process, or an application
//! with a global recorder of its own, do not mix their series.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// The kind of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A monotonically increasing count.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// A distribution (Prometheus histogram with buckets).
    Histogram,
}

/// HTTP requests answered.
pub const REQUESTS: &str = "velt_server_requests_total";
/// Time to answer an HTTP request.
pub const REQUEST_DURATION: &str = "velt_server_request_duration_seconds";
/// HTTP requests being processed.
pub const IN_FLIGHT: &str = "velt_server_requests_in_flight";
/// Requests refused before their operation ran.
pub const REJECTIONS: &str = "velt_server_rejections_total";
/// Time of one store operation.
pub const STORE_DURATION: &str = "velt_server_store_operation_duration_seconds";
/// Store operations that failed.
pub const STORE_ERRORS: &str = "velt_server_store_errors_total";
/// Connections of a store's pool.
pub const POOL_CONNECTIONS: &str = "velt_server_store_pool_connections";
/// Requests waiting for a pooled connection.
pub const POOL_WAITING: &str = "velt_server_store_pool_waiting";

/// Every series the server exports: name, kind, labels, help. The
/// descriptions sent to Prometheus and the list in `docs/operations.md`
/// (checked by a test) come from this table.
pub const SERIES: &[(&str, Kind, &str, &str)] = &[
    (
        REQUESTS,
        Kind::Counter,
        "route, method, status",
        "HTTP requests answered, by route template (never the raw path; `unmatched` for unknown paths), method and status code.",
    ),
    (
        REQUEST_DURATION,
        Kind::Histogram,
        "route, method",
        "Seconds from receiving a request to its answer, by route template and method.",
    ),
    (
        IN_FLIGHT,
        Kind::Gauge,
        "",
        "HTTP requests being processed (including those waiting for a processing slot).",
    ),
    (
        REJECTIONS,
        Kind::Counter,
        "reason",
        "Requests refused before their operation ran, by reason: auth, rate_limit, timeout, body_too_large, concurrency.",
    ),
    (
        STORE_DURATION,
        Kind::Histogram,
        "backend, operation, collection",
        "Seconds of one store operation (find, upsert_many, delete, ping), by backend (sqlite, postgres, mongodb, memory) and collection.",
    ),
    (
        STORE_ERRORS,
        Kind::Counter,
        "backend, operation, kind",
        "Store operations that failed, by backend, operation and kind (unavailable, duplicate_key, invalid_record, backend).",
    ),
    (
        POOL_CONNECTIONS,
        Kind::Gauge,
        "backend, state",
        "Connections of the store's pool by state: max (the configured size), open, idle. PostgreSQL only.",
    ),
    (
        POOL_WAITING,
        Kind::Gauge,
        "backend",
        "Operations waiting for a pooled connection. PostgreSQL only.",
    ),
];

/// Buckets of the request latency histogram, in seconds.
const HTTP_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Buckets of the store latency histogram, in seconds.
const STORE_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// How often histogram samples are folded into their buckets when nobody
/// scrapes (they are held until then).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// Why a request was refused before its operation ran (the `reason` label
/// of `velt_server_rejections_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The credential was missing or refused.
    Auth,
    /// A rate limit refused it (`429`).
    RateLimit,
    /// It did not finish within the request timeout.
    Timeout,
    /// Its body, an array or an object in it was over a limit (`413`).
    BodyTooLarge,
    /// No processing slot could be had (the slots were closed at shutdown).
    Concurrency,
}

impl Rejection {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::Auth => "auth",
            Rejection::RateLimit => "rate_limit",
            Rejection::Timeout => "timeout",
            Rejection::BodyTooLarge => "body_too_large",
            Rejection::Concurrency => "concurrency",
        }
    }

    /// The rejection an error answer with this `errorCode` stands for.
    pub(crate) fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "MISSING_TOKEN"
            | "UNAUTHORIZED"
            | "INVALID_SIGNATURE"
            | "EXPIRED"
            | "CLAIM_MISMATCH"
            | "ALGORITHM_NOT_ALLOWED"
            | "KEY_RESOLUTION_FAILED"
            | "VERIFICATION_FAILED"
            | "FORBIDDEN"
            | "NOT_CONFIGURED" => Rejection::Auth,
            super::ratelimit::RATE_LIMITED => Rejection::RateLimit,
            "TIMEOUT" => Rejection::Timeout,
            "PAYLOAD_TOO_LARGE" => Rejection::BodyTooLarge,
            "UNAVAILABLE" => Rejection::Concurrency,
            _ => return None,
        })
    }
}

/// The state of a connection pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max: usize,
    /// Connections open now.
    pub open: usize,
    /// Open connections not in use.
    pub idle: usize,
    /// Operations waiting for a connection.
    pub waiting: usize,
}

type Probe = Box<dyn Fn() -> PoolStatus + Send + Sync>;

/// The server's metrics: a Prometheus recorder of its own and the probes
/// of the pools it reports. Cheap to clone (shared).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    in_flight: Gauge,
    pools: Mutex<Vec<(&'static str, Probe)>>,
    upkeep_started: AtomicBool,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A new, empty set of metrics with every series described.
    pub fn new() -> Self {
        let builder = PrometheusBuilder::new();
        // Only an empty bucket list is refused; these are constants.
        let builder = match builder
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), HTTP_BUCKETS)
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(STORE_DURATION.to_owned()), STORE_BUCKETS)
            }) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "histogram buckets refused: latencies are exported as summaries");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        for &(name, kind, _, help) in SERIES {
            let key = KeyName::from_const_str(name);
            match kind {
                Kind::Counter => recorder.describe_counter(key, None, help.into()),
                Kind::Gauge => recorder.describe_gauge(key, None, help.into()),
                Kind::Histogram => recorder.describe_histogram(key, None, help.into()),
            }
        }
        let handle = recorder.handle();
        let in_flight = recorder.register_gauge(&Key::from_static_name(IN_FLIGHT), &METADATA);
        Self {
            inner: Arc::new(Inner {
                recorder,
                handle,
                in_flight,
                pools: Mutex::new(Vec::new()),
                upkeep_started: AtomicBool::new(false),
            }),
        }
    }

    /// The current values, in the Prometheus text format.
    pub fn render(&self) -> String {
        let pools = self.inner.pools.lock().unwrap_or_else(|p| p.into_inner());
        for (backend, probe) in pools.iter() {
            let s = probe();
            for (state, n) in [("max", s.max), ("open", s.open), ("idle", s.idle)] {
                self.gauge(
                    POOL_CONNECTIONS,
                    vec![Label::new("backend", *backend), Label::new("state", state)],
                )
                .set(n as f64);
            }
            self.gauge(POOL_WAITING, vec![Label::new("backend", *backend)])
                .set(s.waiting as f64);
        }
        drop(pools);
        self.inner.handle.render()
    }

    /// A router answering `GET /metrics` (serve it on its own listener, not
    /// with the provider routes).
    pub fn router(&self) -> Router {
        Router::new()
            .route("/metrics", get(scrape))
            .with_state(self.clone())
    }

    /// Reports the pool of `backend` through `probe`, called at each scrape.
    pub fn watch_pool(
        &self,
        backend: &'static str,
        probe: impl Fn() -> PoolStatus + Send + Sync + 'static,
    ) {
        self.inner
            .pools
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((backend, Box::new(probe)));
    }

    pub(crate) fn counter(&self, name: &'static str, labels: Vec<Label>) -> Counter {
        self.inner
            .recorder
            .register_counter(&Key::from_parts(name, labels), &METADATA)
    }

    pub(crate) fn gauge(&self, name: &'static str, labels: Vec<Label>) -> Gauge {
        self.inner
            .recorder
            .register_gauge(&Key::from_parts(name, labels), &METADATA)
    }

    pub(crate) fn histogram(&self, name: &'static str, labels: Vec<Label>) -> Histogram {
        self.inner
            .recorder
            .register_histogram(&Key::from_parts(name, labels), &METADATA)
    }

    /// Starts (once, from inside the runtime) the task folding histogram
    /// samples into buckets, so they do not pile up between scrapes. It
    /// ends when the metrics are dropped.
    fn start_upkeep(&self) {
        if self.inner.upkeep_started.load(Ordering::Relaxed)
            || self.inner.upkeep_started.swap(true, Ordering::Relaxed)
        {
            return;
        }
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(UPKEEP_EVERY);
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(inner) => inner.handle.run_upkeep(),
                    None => break,
                }
            }
        });
    }
}

async fn scrape(State(metrics): State<Metrics>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render(),
    )
        .into_response()
}

/// Decrements the in-flight gauge when the request ends, answered or not
/// (a client that disconnects drops the future).
struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// The middleware counting requests, their latency and rejections.
pub(crate) async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    metrics.start_upkeep();
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    metrics.inner.in_flight.increment(1.0);
    let guard = InFlight(metrics.inner.in_flight.clone());
    let response = next.run(req).await;
    drop(guard);
    let status = response.status().as_u16().to_string();
    metrics
        .histogram(
            REQUEST_DURATION,
            vec![
                Label::new("route", route.clone()),
                Label::new("method", method.clone()),
            ],
        )
        .record(started.elapsed().as_secs_f64());
    metrics
        .counter(
            REQUESTS,
            vec![
                Label::new("route", route),
                Label::new("method", method),
                Label::new("status", status),
            ],
        )
        .increment(1);
    if let Some(reason) = response.extensions().get::<Rejection>() {
        metrics
            .counter(REJECTIONS, vec![Label::new("reason", reason.as_str())])
            .increment(1);
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn every_series_is_documented() {
        let doc = include_str!("../../../../docs/operations.md");
        for &(name, _, labels, _) in SERIES {
            assert!(name.starts_with("velt_server_"), "{name}");
            let row = doc
                .lines()
                .find(|l| l.contains(&format!("`{name}`")))
                .unwrap_or_else(|| panic!("docs/operations.md does not list {name}"));
            for label in labels.split(", ").filter(|l| !l.is_empty()) {
                assert!(row.contains(label), "{name}: label {label} not in its row");
            }
        }
    }

    #[test]
    fn described_and_rendered_with_buckets() {
        let m = Metrics::new();
        m.histogram(
            STORE_DURATION,
            vec![
                Label::new("backend", "memory"),
                Label::new("operation", "find"),
                Label::new("collection", "comments"),
            ],
        )
        .record(0.0003);
        m.watch_pool("postgres", || PoolStatus {
            max: 16,
            open: 3,
            idle: 2,
            waiting: 0,
        });
        let text = m.render();
        assert!(
            text.contains(&format!("# TYPE {STORE_DURATION} histogram")),
            "{text}"
        );
        assert!(text.contains(&format!(
            "{STORE_DURATION}_bucket{{backend=\"memory\",operation=\"find\",collection=\"comments\",le=\"0.0005\"}} 1"
        )), "{text}");
        assert!(text.contains(&format!(
            "{STORE_DURATION}_bucket{{backend=\"memory\",operation=\"find\",collection=\"comments\",le=\"0.00025\"}} 0"
        )), "{text}");
        assert!(
            text.contains(&format!(
                "{POOL_CONNECTIONS}{{backend=\"postgres\",state=\"open\"}} 3"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("{POOL_WAITING}{{backend=\"postgres\"}} 0")),
            "{text}"
        );
    }

    #[test]
    fn rejection_codes() {
        assert_eq!(Rejection::from_code("EXPIRED"), Some(Rejection::Auth));
        assert_eq!(
            Rejection::from_code("RATE_LIMITED"),
            Some(Rejection::RateLimit)
        );
        assert_eq!(
            Rejection::from_code("PAYLOAD_TOO_LARGE"),
            Some(Rejection::BodyTooLarge)
        );
        assert_eq!(Rejection::from_code("VALIDATION_ERROR"), None);
    }
}
