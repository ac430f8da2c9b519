//! The load generator (`wrk`, installed with `apt-get` when missing and
//! possible) and what `/proc` says about the processes involved: CPU time
//! of the wrk process, peak RSS of a server's process tree.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::BoxError;

/// Connections kept open by wrk, as in `crates/velt-server/benches/server.rs`.
pub const CONCURRENCY: u32 = 32;

/// Kernel clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`,
/// 100 on every Linux architecture we run on).
const TICKS_PER_S: f64 = 100.0;

/// Makes sure `wrk` runs: installs Debian's `wrk` when it is missing and
/// `apt-get` can be used (as root), else says which command to run.
pub fn ensure_wrk() -> Result<PathBuf, BoxError> {
    let runs = || {
        Command::new("wrk")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    if runs() {
        return Ok(PathBuf::from("wrk"));
    }
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .map(|u| u.split_whitespace().next() == Some("0"))
        })
        .unwrap_or(false);
    if root && Path::new("/usr/bin/apt-get").exists() {
        eprintln!("xtask: wrk is missing: running apt-get install -y wrk");
        crate::venv::run_quiet(Command::new("apt-get").args(["install", "-y", "wrk"]))?;
        if runs() {
            return Ok(PathBuf::from("wrk"));
        }
    }
    Err("wrk is not installed: run `sudo apt-get install wrk` (Debian/Ubuntu) and try again".into())
}

/// One wrk run, as its `done` hook reports it.
#[derive(Debug, Clone, Copy, Default)]
pub struct WrkRun {
    /// Completed requests.
    pub requests: u64,
    /// Wall time of the run, in seconds.
    pub seconds: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// CPU time (user + system) of the wrk process over its wall time,
    /// divided by the number of cores: 1.0 = every core busy.
    pub cpu_share: f64,
}

/// Runs wrk for `seconds` on `url` with the scenario's bodies.
/// Any non-2xx answer, socket error or timeout is an error.
pub fn run(
    wrk: &Path,
    script: &Path,
    url: &str,
    token: &str,
    scenario: &str,
    seconds: u32,
    base: u64,
) -> Result<WrkRun, BoxError> {
    let threads = cores().min(4);
    let mut cmd = Command::new(wrk);
    cmd.arg(format!("-t{threads}"))
        .arg(format!("-c{CONCURRENCY}"))
        .arg(format!("-d{seconds}s"))
        .args(["--timeout", "60s", "-s"])
        .arg(script)
        .arg(url)
        .args(["--", scenario, &threads.to_string(), &base.to_string()])
        .env("VELT_BENCH_TOKEN", token)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("cannot run wrk: {e}"))?;
    let pid = child.id();
    // Sample the CPU time until the process is a zombie (its times are
    // final then, and /proc still has them until it is reaped).
    let mut cpu_s = 0.0;
    while let Some((state, ticks)) = proc_stat(pid) {
        cpu_s = ticks / TICKS_PER_S;
        if state == 'Z' {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = started.elapsed().as_secs_f64();
    let out = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "wrk failed ({}): {}{}",
            out.status,
            stdout.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("wrk_result "))
        .ok_or_else(|| format!("no wrk_result line in wrk's output: {stdout}"))?;
    let field = |k: &str| -> Result<f64, BoxError> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("wrk_result without {k}: {line}").into())
    };
    let failures: f64 = [
        "status_errors",
        "connect_errors",
        "read_errors",
        "write_errors",
        "timeouts",
    ]
    .iter()
    .map(|k| field(k))
    .sum::<Result<f64, _>>()?;
    if failures > 0.0 {
        return Err(format!("{scenario} on {url}: failed requests: {line}").into());
    }
    Ok(WrkRun {
        requests: field("requests")? as u64,
        seconds: field("duration_us")? / 1e6,
        p50_ms: field("p50_us")? / 1e3,
        p99_ms: field("p99_us")? / 1e3,
        cpu_share: cpu_s / wall / f64::from(cores()),
    })
}

/// Online cores.
pub fn cores() -> u32 {
    std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1)
}

/// `(state, utime + stime in ticks)` of `pid`.
fn proc_stat(pid: u32) -> Option<(char, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after `(comm)`: state is the first, utime and stime the
    // 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let state = f.first()?.chars().next()?;
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    Some((state, ticks(11)? + ticks(12)?))
}

/// `pid` and every process below it.
pub fn tree(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let ppid = std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    // After `(comm)`: state, then the parent's pid.
                    let rest = s.rsplit_once(')')?.1.to_owned();
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                });
            if let Some(ppid) = ppid {
                parents.push((p, ppid));
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    out
}

/// Resets the peak RSS (VmHWM) of every process in `pids`.
pub fn reset_peak_rss(pids: &[u32]) {
    for p in pids {
        let _ = std::fs::write(format!("/proc/{p}/clear_refs"), "5");
    }
}

/// The sum of the peak RSS (VmHWM) of `pids`, in MiB.
pub fn peak_rss_mb(pids: &[u32]) -> f64 {
    pids.iter()
        .filter_map(|p| {
            let status = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .sum::<f64>()
        / 1024.0
}
