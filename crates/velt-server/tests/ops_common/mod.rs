//! Shared helpers of the metrics and rate-limit suites: an in-process server
//! served the way the binary serves it (peer addresses known, metrics on a
//! listener of their own), and a parser of the Prometheus text format.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use tempfile::TempDir;
use velt_selfhost::SelfHosting;
use velt_selfhost::attachments::local::LocalDirStorage;
use velt_selfhost::backends::sqlite::SqliteStore;
use velt_selfhost::store::Store;
use velt_server::ops::{InstrumentedStore, Metrics};
use velt_server::{AuthConfig, FILES_ROUTE, ServerOptions};

pub const TOKEN: &str = "ops-token-0123456789";
pub const OTHER_TOKEN: &str = "ops-other-token-9876543210";

pub fn auth() -> AuthConfig {
    AuthConfig::default().with_tokens([TOKEN, OTHER_TOKEN])
}

pub struct OpsServer {
    /// The provider listener.
    pub base: String,
    /// The metrics listener, when metrics are kept.
    pub metrics_base: Option<String>,
    pub client: reqwest::Client,
    pub dir: TempDir,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for OpsServer {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the router over a SQLite file with `options`; with `metrics`, the
/// store is instrumented (backend `sqlite`) and `/metrics` is served on a
/// second listener.
pub async fn start(options: ServerOptions, metrics: Option<Metrics>) -> OpsServer {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("velt.db")).unwrap());
    let files = LocalDirStorage::new(dir.path().join("attachments"))
        .public_base_url(format!("{base}{FILES_ROUTE}"));
    let mut tasks = Vec::new();
    let mut metrics_base = None;
    let mut options = options;
    if let Some(m) = metrics {
        store = Arc::new(InstrumentedStore::new(store, "sqlite", m.clone()));
        let ml = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        metrics_base = Some(format!("http://{}", ml.local_addr().unwrap()));
        let router = m.router();
        tasks.push(tokio::spawn(async move {
            axum::serve(ml, router).await.unwrap();
        }));
        options = options.metrics(m);
    }
    let sh = SelfHosting::builder()
        .store(store)
        .attachment_storage(Arc::new(files))
        .build();
    let app = velt_server::router(sh, options).unwrap();
    tasks.push(tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    }));
    OpsServer {
        base,
        metrics_base,
        client: reqwest::Client::new(),
        dir,
        tasks,
    }
}

impl OpsServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POSTs a comments get for `org-1` with `token` (or none) and extra
    /// headers; returns the response.
    pub async fn get_comments(
        &self,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url("/v1/comments/get"))
            .json(&serde_json::json!({"organizationId": "org-1", "documentIds": ["doc-1"]}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }

    /// The metrics listener's current values.
    pub async fn scrape(&self) -> Samples {
        let base = self.metrics_base.as_ref().expect("metrics are kept");
        let resp = self
            .client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(
            resp.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
        parse(&resp.text().await.unwrap())
    }
}

/// Samples by their series (`name{labels}` exactly as rendered).
#[derive(Debug, Clone, Default)]
pub struct Samples(pub BTreeMap<String, f64>);

impl Samples {
    /// The value of `series`, 0 when absent.
    pub fn get(&self, series: &str) -> f64 {
        self.0.get(series).copied().unwrap_or(0.0)
    }

    /// How much every series changed from `before` (only those that did).
    pub fn delta(&self, before: &Samples) -> BTreeMap<String, f64> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let d = v - before.get(k);
                (d != 0.0).then(|| (k.clone(), d))
            })
            .collect()
    }
}

/// Parses the Prometheus text format (comments skipped).
pub fn parse(text: &str) -> Samples {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value in {line:?}"));
        out.insert(series.to_owned(), value);
    }
    Samples(out)
}
