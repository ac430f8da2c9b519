//! `cargo xtask bench server --vs-velt-py`: velt-server (the release
//! binary of `cargo xtask bench server`) side by side with velt-py 0.3.0
//! behind FastAPI + uvicorn (one worker per core, uvloop, httptools), on
//! the same PostgreSQL and the same MongoDB-wire server, driven by the
//! same external load generator (`wrk`, concurrency 32) with the bodies of
//! `crates/velt-server/benches/server.rs`.
//!
//! Per database: both servers are started, seeded with the same
//! 1,000-annotation document through their own save route and checked to
//! answer the same requests with the same JSON ([`check`]); then every
//! scenario runs in rounds, velt-server and velt-py in turn (A, B, A, B …),
//! so that noise on the shared machine hits both, with a pause of the run's
//! p99 after each run so that its requests still in flight do not run into
//! the other side's time ([`settle`]). Lines:
//!
//! ```text
//! bench server <scenario>: req_per_s=… p50_ms=… p99_ms=… rss_mb=…
//! bench server velt_py_<scenario>: req_per_s=… p50_ms=… p99_ms=… rss_mb=…
//! bench server <scenario> vs velt-py: ratio=…
//! ```
//!
//! req/s is over all rounds of a side (requests ÷ seconds); p50 is the
//! median of the rounds' p50, p99 the highest round p99; RSS is the peak
//! (VmHWM, reset before each round) of the server process, or the sum over
//! every process of uvicorn's tree (supervisor, resource tracker, workers). The load generator's own CPU
//! (user + system time of the wrk process ÷ wall time ÷ cores) is printed
//! for each side.
//!
//! `--no-build` uses `target/release/velt-server` as it is, without
//! `cargo bench --no-run` (for a machine where the release build is known to
//! be current and rebuilding it is too slow).
//!
//! `VELT_BENCH_VS_SECONDS` (default 5) and `VELT_BENCH_VS_ROUNDS` (default
//! 3) set the length of one run and the number of rounds.

mod check;
mod servers;
mod wrk;

use std::path::PathBuf;

pub use servers::Backend;
use servers::Server;
use wrk::WrkRun;

use crate::BoxError;

/// The scenarios, as `benches/server.rs` names them, with their route.
const SCENARIOS: &[(&str, &str)] = &[
    ("comments_get_by_10_ids", "get"),
    ("comments_get_document_1000", "get"),
    ("comments_save_10", "save"),
];

/// Save numbers of round `r` start at `(r + 1) * SAVE_BASE_STEP`, so each
/// round writes new annotations.
const SAVE_BASE_STEP: u64 = 1_000_000;

/// A database to bench on, with its description for the output.
pub struct Target {
    /// The database server.
    pub backend: Backend,
    /// e.g. `PostgreSQL 15.8`.
    pub description: String,
}

/// Builds what is needed (the velt-server binary unless `build` is false)
/// and runs every scenario on every target.
pub async fn run(targets: Vec<Target>, build: bool) -> Result<(), BoxError> {
    let wrk = wrk::ensure_wrk()?;
    let python = crate::velt_py::provide_server()?;
    let binary = crate::root()
        .join("target")
        .join("release")
        .join("velt-server");
    if build {
        // The binary `cargo xtask bench server` runs: built by the same
        // command (bench profile, the bench's feature set), found where it
        // puts it.
        crate::run(crate::cargo().args([
            "bench",
            "-p",
            "velt-server",
            "--bench",
            "server",
            "--no-run",
        ]))?;
    } else if !binary.exists() {
        return Err(format!("--no-build: there is no {}", binary.display()).into());
    } else {
        println!(
            "bench server vs velt-py: --no-build: using {} as it is (not rebuilt)",
            binary.display()
        );
    }
    let script = crate::root().join("xtask").join("bench").join("wrk.lua");
    let seconds = env_u32("VELT_BENCH_VS_SECONDS", 5)?;
    let rounds = env_u32("VELT_BENCH_VS_ROUNDS", 3)?;
    let workers = wrk::cores();
    println!(
        "bench server vs velt-py: velt-server {} | velt-py 0.3.0 on FastAPI 0.165.0 + uvicorn 0.54.0 \
         (--workers {workers}, uvloop, httptools) | wrk -c{} | {rounds} rounds of {seconds} s per side",
        binary.display(),
        wrk::CONCURRENCY
    );
    let ctx = Ctx {
        wrk,
        script,
        binary,
        python,
        seconds,
        rounds,
        workers,
    };
    for t in targets {
        if t.backend.url().is_empty() {
            return Err(format!("no database server for the bench ({})", t.description).into());
        }
        bench_target(&ctx, &t).await?;
    }
    Ok(())
}

struct Ctx {
    wrk: PathBuf,
    script: PathBuf,
    binary: PathBuf,
    python: PathBuf,
    seconds: u32,
    rounds: u32,
    workers: u32,
}

fn env_u32(name: &str, default: u32) -> Result<u32, BoxError> {
    match std::env::var(name) {
        Ok(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name} must be a positive integer, not {v:?}").into()),
        Err(_) => Ok(default),
    }
}

async fn bench_target(ctx: &Ctx, t: &Target) -> Result<(), BoxError> {
    let pid = std::process::id();
    let ns_rs = format!("vsbench_rs_{pid}");
    let ns_py = format!("vsbench_py_{pid}");
    let token = format!(
        "bench-{pid}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    println!("bench server vs velt-py on {}:", t.description);
    let data_dir = crate::venv::xtask_dir().join(format!("bench-vs-{pid}"));
    std::fs::create_dir_all(&data_dir)?;
    let outcome = async {
        let rs = servers::start_velt_server(&ctx.binary, &data_dir, &t.backend, &ns_rs, &token)?;
        let py =
            servers::start_velt_py(&ctx.python, &t.backend, &ns_py, &token, ctx.workers).await?;
        check::seed(&rs, &token).await?;
        check::seed(&py, &token).await?;
        check::pre_check(&rs, &py, &token).await?;
        bench_scenarios(ctx, t, &rs, &py, &token)?;
        check::check_saved(&rs, &py, &token, "doc-save-1").await?;
        drop(rs);
        drop(py);
        Ok::<(), BoxError>(())
    }
    .await;
    let cleanup = async {
        t.backend.drop_namespace(&ns_rs).await?;
        t.backend.drop_namespace(&ns_py).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&data_dir);
    outcome?;
    cleanup
}

/// The rounds of one side of one scenario.
#[derive(Default)]
struct Side {
    runs: Vec<WrkRun>,
    rss_mb: f64,
}

impl Side {
    fn req_per_s(&self) -> f64 {
        let (n, s) = self.runs.iter().fold((0.0, 0.0), |(n, s), r| {
            (n + r.requests as f64, s + r.seconds)
        });
        if s > 0.0 { n / s } else { 0.0 }
    }

    fn line(&self, name: &str) -> String {
        let mut p50: Vec<f64> = self.runs.iter().map(|r| r.p50_ms).collect();
        p50.sort_by(f64::total_cmp);
        let median = p50.get(p50.len() / 2).copied().unwrap_or(f64::NAN);
        let p99 = self.runs.iter().map(|r| r.p99_ms).fold(f64::NAN, f64::max);
        format!(
            "bench server {name}: req_per_s={:.0} p50_ms={median:.2} p99_ms={p99:.2} rss_mb={:.1}",
            self.req_per_s(),
            self.rss_mb
        )
    }

    fn cpu_share(&self) -> f64 {
        let s: f64 = self.runs.iter().map(|r| r.seconds).sum();
        self.runs
            .iter()
            .map(|r| r.cpu_share * r.seconds)
            .sum::<f64>()
            / s
    }
}

/// Waits, after a run, for the requests wrk left in flight to finish: they
/// go on in the server and in the database (velt-py's thread pools keep up
/// to 32 queries queued there, velt-server's pool 10), and on a database
/// that is the bottleneck (secantusdb) they would otherwise take seconds of
/// the other side's next run. A request still in flight started at most
/// about one p99 ago, so the pause is the run's p99 (at least 0.2 s, at
/// most 10 s); it is not counted in either side's time.
fn settle(run: &WrkRun) {
    let ms = run.p99_ms.clamp(200.0, 10_000.0);
    std::thread::sleep(std::time::Duration::from_secs_f64(ms / 1000.0));
}

fn bench_scenarios(
    ctx: &Ctx,
    t: &Target,
    rs: &Server,
    py: &Server,
    token: &str,
) -> Result<(), BoxError> {
    let timed = |server: &Server, scenario: &str, op: &str, seconds: u32, base: u64| {
        let url = format!("{}/v1/comments/{op}", server.base);
        wrk::run(&ctx.wrk, &ctx.script, &url, token, scenario, seconds, base)
    };
    // Warm-up of both sides, not counted.
    for s in [rs, py] {
        timed(s, "comments_get_by_10_ids", "get", 2, 0)?;
    }
    for (scenario, op) in SCENARIOS {
        let name = format!("{}{scenario}", t.backend.prefix());
        let mut sides = [Side::default(), Side::default()];
        for round in 0..ctx.rounds {
            let base = (u64::from(round) + 1) * SAVE_BASE_STEP;
            for (side, server) in sides.iter_mut().zip([rs, py]) {
                let pids = server.pids();
                wrk::reset_peak_rss(&pids);
                let r = timed(server, scenario, op, ctx.seconds, base)?;
                side.rss_mb = side.rss_mb.max(wrk::peak_rss_mb(&pids));
                settle(&r);
                side.runs.push(r);
            }
        }
        let [a, b] = &sides;
        println!("{}", a.line(&name));
        println!("{}", b.line(&format!("velt_py_{name}")));
        println!(
            "bench server {name} vs velt-py: ratio={:.2}",
            a.req_per_s() / b.req_per_s()
        );
        println!(
            "  ({name}: load generator wrk CPU share {:.1}% of {} cores against velt-server, {:.1}% against velt-py)",
            a.cpu_share() * 100.0,
            wrk::cores(),
            b.cpu_share() * 100.0
        );
    }
    Ok(())
}
