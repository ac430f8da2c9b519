//! `cargo xtask bench server`: the `velt-server` binary on its embedded
//! SQLite store and, when `VELT_BENCH_POSTGRES_URL` is set (xtask sets it),
//! on PostgreSQL, driven over HTTP at concurrency 32.
//!
//! Scenarios: comments get by 10 ids (from a document of 1,000
//! annotations), comments get of that whole document, comments save of 10
//! annotations. For each: requests per second, p50/p99 latency and the
//! server's peak RSS (VmHWM of the server process). One line each:
//! `bench server <scenario>: req_per_s=<x> p50_ms=<x> p99_ms=<x> rss_mb=<x>`;
//! the PostgreSQL scenarios carry the prefix `postgres_`. Each run on
//! PostgreSQL uses a schema of its own (`bench_<pid>`), dropped at the end.
//!
//! The server runs as a child process (release build) so its memory is
//! measured alone; the load generator runs in this process on the same
//! machine, so both share the CPUs (request bodies are serialised before the
//! clock starts, so it only sends and receives): each scenario also prints the CPU time
//! per request of the server and of the load generator.
//! `VELT_BENCH_SERVER_BIN=<path>` benches another build of the binary (for a
//! before/after comparison under the same load generator);
//! `VELT_BENCH_ONLY=<scenario>[,<scenario>…]` runs only those scenarios (the
//! names without the `postgres_` prefix), e.g. to profile one of them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TOKEN: &str = "bench-token";
const CONCURRENCY: usize = 32;
const DOC_ANNOTATIONS: usize = 1_000;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server; `postgres` is `(url, schema)` for a PostgreSQL store,
/// `None` for the embedded SQLite store.
fn spawn_server(dir: &std::path::Path, postgres: Option<(&str, &str)>) -> Server {
    // VELT_BENCH_SERVER_BIN runs another build of the binary (e.g. the one
    // before a change) under the same load generator.
    let bin = std::env::var("VELT_BENCH_SERVER_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_velt-server").to_owned());
    let mut cmd = Command::new(bin);
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env("RUST_LOG", "warn")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("AWS_S3_BUCKET_NAME");
    // Every client is 127.0.0.1, so the default per-address limit (100/s)
    // would answer most requests 429: off, unless VELT_BENCH_OPS=on, which
    // measures with metrics kept and the limiter checking every request at
    // a rate no client reaches.
    if std::env::var("VELT_BENCH_OPS").is_ok_and(|v| v == "on") {
        cmd.env("VELT_RATE_LIMIT_PER_IP", "1000000000")
            .env("VELT_RATE_LIMIT_PER_IP_BURST", "1000000000")
            .env("VELT_METRICS_BIND", "127.0.0.1:0");
    } else {
        cmd.env("VELT_RATE_LIMIT_PER_IP", "0")
            .env_remove("VELT_METRICS_BIND");
    }
    if let Some((url, schema)) = postgres {
        cmd.env("VELT_POSTGRES_URL", url)
            .env("VELT_POSTGRES_SCHEMA", schema);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start velt-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("velt-server listening on ")
        .unwrap_or_else(|| panic!("unexpected output {line:?}"))
        .to_owned();
    Server { child, base }
}

/// Peak resident set size of `pid` in MiB (VmHWM).
fn peak_rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmHWM:")
}

/// The server's resident set now (`VmRSS`), in MB.
fn current_rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmRSS:")
}

/// A `kB` field of `/proc/<pid>/status`, in MB.
fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn annotation(i: usize, doc: &str) -> Value {
    json!({
        "annotationId": format!("{doc}-ann-{i}"),
        "comments": {
            "1": {
                "commentId": 1,
                "commentText": format!("Comment {i}: the quick brown fox jumps over the lazy dog, twice over."),
                "commentHtml": format!("<p>Comment {i}: the quick brown fox jumps over the lazy dog, twice over.</p>"),
                "from": {"userId": format!("user-{}", i % 50), "name": "Ada Lovelace", "email": "ada@example.com"},
                "createdAt": 1_700_000_000_000u64 + i as u64
            }
        },
        "from": {"userId": format!("user-{}", i % 50)},
        "status": {"id": "OPEN", "name": "Open", "type": "default"}
    })
}

fn save_body(doc: &str, ids: impl Iterator<Item = usize>) -> Value {
    let mut map = serde_json::Map::new();
    for i in ids {
        map.insert(format!("{doc}-ann-{i}"), annotation(i, doc));
    }
    json!({
        "commentAnnotation": map,
        "metadata": {"organizationId": "org-bench", "documentId": doc}
    })
}

struct Outcome {
    req_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Sends `total` requests from `CONCURRENCY` tasks; `make(n)` builds the n-th body.
async fn run(
    client: &reqwest::Client,
    url: &str,
    total: usize,
    make: Arc<dyn Fn(usize) -> Value + Send + Sync>,
) -> Outcome {
    // Bodies are serialised before the clock starts: the load generator
    // shares the two cores with the server, so its CPU per request is kept
    // to sending and receiving.
    let bodies: Arc<Vec<bytes::Bytes>> = Arc::new(
        (0..total)
            .map(|n| serde_json::to_vec(&make(n)).unwrap().into())
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let url = url.to_owned();
        let next = Arc::clone(&next);
        let bodies = Arc::clone(&bodies);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let body = bodies[n].clone();
                let t = Instant::now();
                let resp = client
                    .post(&url)
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = resp.status();
                let bytes = resp.bytes().await.unwrap();
                lat.push(t.elapsed());
                assert!(
                    status.is_success(),
                    "{status}: {}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            lat
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    all.sort();
    let pct = |p: f64| {
        let idx = ((all.len() as f64 * p).ceil() as usize).saturating_sub(1);
        all[idx.min(all.len() - 1)].as_secs_f64() * 1000.0
    };
    Outcome {
        req_per_s: all.len() as f64 / wall.as_secs_f64(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

/// True when `scenario` is to run: `VELT_BENCH_ONLY` unset, or a
/// comma-separated list naming it (e.g. `comments_save_10`).
fn wanted(scenario: &str) -> bool {
    match std::env::var("VELT_BENCH_ONLY") {
        Ok(list) => list.split(',').any(|s| s.trim() == scenario),
        Err(_) => true,
    }
}

/// Resets the peak RSS of `pid` (Linux >= 4.0: `5` > /proc/<pid>/clear_refs),
/// so each scenario reports its own peak. Returns false when not supported.
fn reset_peak_rss(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// CPU time (user + system) the server process has used, in ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the `(comm)`; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0
}

/// CPU figures before a scenario: the server's and this process's (the
/// load generator's).
struct Cpu {
    server: f64,
    client: f64,
}

impl Cpu {
    fn now(pid: u32) -> Self {
        Cpu {
            server: cpu_ms(pid),
            client: cpu_ms(std::process::id()),
        }
    }
}

fn report(name: &str, o: &Outcome, pid: u32, before: Cpu, requests: usize) {
    println!(
        "bench server {name}: req_per_s={:.0} p50_ms={:.2} p99_ms={:.2} rss_mb={:.1}",
        o.req_per_s,
        o.p50_ms,
        o.p99_ms,
        peak_rss_mb(pid)
    );
    println!(
        "  ({name}: server CPU {:.3} ms per request, load generator CPU {:.3} ms per request)",
        (cpu_ms(pid) - before.server) / requests as f64,
        (cpu_ms(std::process::id()) - before.client) / requests as f64
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    bench_store(&rt, spawn_server(dir.path(), None), quick, "", "");
    if let Ok(url) = std::env::var("VELT_BENCH_POSTGRES_URL") {
        let schema = format!("bench_{}", std::process::id());
        let pg_dir = tempfile::tempdir().unwrap();
        let server = spawn_server(pg_dir.path(), Some((&url, &schema)));
        bench_store(&rt, server, quick, "postgres_", " on PostgreSQL");
        drop_schema(&rt, &url, &schema);
    }
}

/// Drops the bench's PostgreSQL schema (its tables and rows).
fn drop_schema(rt: &tokio::runtime::Runtime, url: &str, schema: &str) {
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .unwrap();
    });
}

/// Seeds a document of 1,000 annotations through `server`, runs the three
/// scenarios and prints their lines (names prefixed by `prefix`).
fn bench_store(
    rt: &tokio::runtime::Runtime,
    server: Server,
    quick: bool,
    prefix: &'static str,
    label: &'static str,
) {
    let pid = server.child.id();
    let base = server.base.clone();
    rt.block_on(async move {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(CONCURRENCY)
            .build()
            .unwrap();
        // Seed one document with 1,000 annotations (100 per save).
        for chunk in 0..DOC_ANNOTATIONS / 100 {
            let body = save_body("doc-big", chunk * 100..(chunk + 1) * 100);
            let r = client
                .post(format!("{base}/v1/comments/save"))
                .bearer_auth(TOKEN)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
        let scale = if quick { 10 } else { 1 };
        let get_url = format!("{base}/v1/comments/get");
        let save_url = format!("{base}/v1/comments/save");

        // Warm-up.
        let _ = run(
            &client,
            &get_url,
            500 / scale,
            Arc::new(|n| {
                json!({"organizationId": "org-bench", "commentAnnotationIds": [format!("doc-big-ann-{}", n % DOC_ANNOTATIONS)]})
            }),
        )
        .await;

        type Make = Arc<dyn Fn(usize) -> Value + Send + Sync>;
        // The scenarios: name, route, requests, n-th body.
        let scenarios: [(&str, &str, usize, Make); 3] = [
            (
                "comments_get_by_10_ids",
                &get_url,
                30_000,
                Arc::new(|n| {
                    let ids: Vec<String> = (0..10)
                        .map(|k| format!("doc-big-ann-{}", (n * 37 + k * 101) % DOC_ANNOTATIONS))
                        .collect();
                    json!({"organizationId": "org-bench", "commentAnnotationIds": ids})
                }),
            ),
            (
                "comments_get_document_1000",
                &get_url,
                1_000,
                Arc::new(|_| json!({"organizationId": "org-bench", "documentIds": ["doc-big"]})),
            ),
            (
                "comments_save_10",
                &save_url,
                5_000,
                Arc::new(|n| {
                    let doc = format!("doc-save-{}", n % 64);
                    save_body(&doc, (n * 10)..(n * 10 + 10))
                }),
            ),
        ];
        let mut per_scenario = true;
        let mut by_ids = None;
        for (name, url, total, make) in scenarios {
            if !wanted(name) {
                continue;
            }
            let total = total / scale;
            per_scenario &= reset_peak_rss(pid);
            let idle_rss = current_rss_mb(pid);
            let cpu = Cpu::now(pid);
            let outcome = run(&client, url, total, make).await;
            report(&format!("{prefix}{name}"), &outcome, pid, cpu, total);
            println!("  ({name}: server RSS {idle_rss:.1} MB when the scenario started)");
            if name == "comments_get_by_10_ids" {
                by_ids = Some((outcome, peak_rss_mb(pid)));
            }
        }

        if !per_scenario {
            println!("  (peak RSS could not be reset between scenarios: figures are cumulative)");
        }
        if let Some((by_ids, by_ids_rss)) = by_ids {
            let targets_ok =
                by_ids.req_per_s >= 5_000.0 && by_ids.p99_ms < 20.0 && by_ids_rss < 50.0;
            println!(
                "bench server targets{label} (get-by-ids >= 5000 req/s, p99 < 20 ms, RSS < 50 MB): {}",
                if targets_ok { "met" } else { "NOT met" }
            );
        }
    });
    drop(server);
}
