//! Project automation for velt-rs.
//!
//! - `cargo xtask test` — starts what the tests need (a MongoDB-protocol server,
//!   a PostgreSQL server, an S3-compatible server; velt-py 0.3.0 in a venv for
//!   the interop suite) and runs the whole test suite.
//! - `cargo xtask ci` — format check, clippy and rustdoc with `-D warnings`, then `test`.
//! - `cargo xtask bench <rest|selfhost|server>` — benchmark programs;
//!   `cargo xtask bench server --vs-velt-py` runs velt-server and velt-py
//!   0.3.0 side by side ([`bench_vs`]).

mod bench_vs;
mod mongo;
mod postgres;
mod s3;
mod velt_py;
mod venv;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("ci") => ci(),
        Some("bench") => bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 commands:\n  \
                 test [cargo test args]   run the whole test suite (starts MongoDB and S3 servers)\n  \
                 ci                       fmt check + clippy and rustdoc -D warnings + test\n  \
                 bench <rest|selfhost|server>  run a benchmark program\n  \
                 bench server --vs-velt-py [--no-build]  velt-server and velt-py 0.3.0 side by side"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (parent of `xtask/`).
pub(crate) fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// True when running under CI (`CI=true`): nothing may be skipped.
pub(crate) fn in_ci() -> bool {
    matches!(std::env::var("CI").as_deref(), Ok("true") | Ok("1"))
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn run(cmd: &mut Command) -> Result<(), BoxError> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("command failed ({status}): {cmd:?}").into())
    }
}

fn ci() -> Result<(), BoxError> {
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo()
        .args(["doc", "--workspace", "--all-features", "--no-deps"])
        .env("RUSTDOCFLAGS", "-Dwarnings"))?;
    test(&[])
}

/// Runs the whole suite with the servers it needs, and reports the Mongo suite.
fn test(extra: &[String]) -> Result<(), BoxError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mongo = rt.block_on(mongo::provide())?;
    let s3 = rt.block_on(s3::provide())?;
    let velt_py = velt_py::provide()?;
    let pg = rt.block_on(postgres::provide())?;
    eprintln!(
        "xtask: MongoDB for the suite: {} ({})",
        mongo.description, mongo.uri
    );
    eprintln!("xtask: PostgreSQL for the suite: {}", pg.description);
    eprintln!(
        "xtask: S3 for the suite: {} ({})",
        s3.description, s3.endpoint
    );

    let mut cmd = cargo();
    cmd.args(["test", "--workspace", "--all-features"])
        .args(extra)
        .env("VELT_TEST_MONGODB_URI", &mongo.uri)
        .env("VELT_TEST_MONGODB_SERVER", &mongo.description)
        .envs(mongo.secantusd.iter().map(|p| ("VELT_TEST_SECANTUSD", p)))
        .env("VELT_TEST_S3_ENDPOINT", &s3.endpoint)
        .env("VELT_TEST_S3_BUCKET", &s3.bucket)
        .envs(velt_py.iter().map(|p| ("VELT_TEST_VELT_PY_PYTHON", p)))
        .env("VELT_TEST_POSTGRES_URL", &pg.url)
        .envs(pg.ca_cert.iter().map(|p| ("VELT_TEST_POSTGRES_CA", p)))
        .env("VELT_TEST_REQUIRE_SERVERS", "1");
    // cargo prints `Running <target>` on stderr and the test binaries'
    // results on stdout: send both into one pipe so their order is kept.
    let (reader, writer) = std::io::pipe()?;
    cmd.stdout(writer.try_clone()?).stderr(writer);
    eprintln!("xtask: running {cmd:?}");
    let mut child = cmd.spawn()?;
    // The parent's copies of the write end must be closed, or the reader
    // never sees end-of-file.
    drop(cmd);
    let mut mongo_summary: Option<Counts> = None;
    let mut pg_summary: Option<Counts> = None;
    let mut total = Counts::default();
    let mut in_mongo_binary = false;
    let mut in_pg_binary = false;
    {
        let stdout = std::io::stdout();
        for line in BufReader::new(reader).lines() {
            let line = line?;
            {
                let mut lock = stdout.lock();
                let _ = writeln!(lock, "{line}");
            }
            let t = line.trim();
            if t.starts_with("Running ") {
                in_mongo_binary = t.starts_with("Running tests/mongo/main.rs");
                in_pg_binary = t.starts_with("Running tests/postgres.rs");
            } else if t.starts_with("test result:") {
                let counts = parse_test_result(t);
                total.add(counts);
                if in_mongo_binary {
                    mongo_summary = Some(counts);
                    in_mongo_binary = false;
                }
                if in_pg_binary {
                    pg_summary = Some(counts);
                    in_pg_binary = false;
                }
            }
        }
    }
    let status = child.wait()?;
    drop(s3);

    // One line for the whole run (every test binary and doc-test), then the
    // Mongo suite's line last.
    println!(
        "tests: {} passed, {} failed, {} skipped",
        total.passed, total.failed, total.ignored
    );
    match mongo_summary {
        Some(Counts { passed, failed, .. }) => println!(
            "mongo suite: {passed} passed, {failed} failed against {}",
            mongo.description
        ),
        None => {
            println!("mongo suite: did not run (against {})", mongo.description);
            if status.success() {
                return Err("the Mongo suite did not run".into());
            }
        }
    }
    match pg_summary {
        Some(Counts { passed, failed, .. }) => println!(
            "postgres suite: {passed} passed, {failed} failed against {}",
            pg.description
        ),
        None => {
            println!("postgres suite: did not run (against {})", pg.description);
            if status.success() {
                return Err("the PostgreSQL suite did not run".into());
            }
        }
    }
    drop(mongo);
    drop(pg);
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed ({status})").into())
    }
}

/// Test counts of one `test result:` line, or summed over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Parses `test result: ok. 12 passed; 0 failed; 1 ignored; ...`.
fn parse_test_result(line: &str) -> Counts {
    let num_before = |word: &str| -> u64 {
        line.split(';')
            .find_map(|part| {
                let part = part.trim().trim_start_matches("test result:").trim();
                let part = part
                    .trim_start_matches("ok.")
                    .trim_start_matches("FAILED.")
                    .trim();
                let (n, w) = part.split_once(' ')?;
                (w.trim() == word).then(|| n.parse().ok()).flatten()
            })
            .unwrap_or(0)
    };
    Counts {
        passed: num_before("passed"),
        failed: num_before("failed"),
        ignored: num_before("ignored"),
    }
}

fn bench(args: &[String]) -> Result<(), BoxError> {
    match args.first().map(String::as_str) {
        Some("rest") => run(cargo().args(["bench", "-p", "velt-rest", "--bench", "rest"])),
        Some("selfhost") => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let mongo = rt.block_on(mongo::provide())?;
            let pg = rt.block_on(postgres::provide())?;
            let r = run(cargo()
                .args([
                    "bench",
                    "-p",
                    "velt-selfhost",
                    "--features",
                    "mongodb,postgres",
                    "--bench",
                    "selfhost",
                ])
                .env("VELT_TEST_MONGODB_URI", &mongo.uri)
                .env("VELT_TEST_MONGODB_SERVER", &mongo.description)
                .env("VELT_TEST_POSTGRES_URL", &pg.url)
                .env("VELT_TEST_POSTGRES_SERVER", &pg.description)
                .envs(postgres::velt_py_python().map(|p| ("VELT_BENCH_VELT_PY", p))));
            drop(mongo);
            drop(pg);
            r
        }
        Some("server") if args.get(1).map(String::as_str) == Some("--vs-velt-py") => {
            let build = match &args[2..] {
                [] => true,
                [flag] if flag == "--no-build" => false,
                other => {
                    return Err(format!(
                        "bench server --vs-velt-py: unexpected arguments {other:?} (only --no-build)"
                    )
                    .into());
                }
            };
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let pg = rt.block_on(postgres::provide())?;
            let mongo = rt.block_on(mongo::provide())?;
            let targets = vec![
                bench_vs::Target {
                    backend: bench_vs::Backend::Postgres(pg.url.clone()),
                    description: pg.description.clone(),
                },
                bench_vs::Target {
                    backend: bench_vs::Backend::Mongo(mongo.uri.clone()),
                    description: mongo.description.clone(),
                },
            ];
            let r = rt.block_on(bench_vs::run(targets, build));
            drop(mongo);
            drop(pg);
            r
        }
        Some("server") => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let pg = rt.block_on(postgres::provide())?;
            let r = run(cargo()
                .args(["bench", "-p", "velt-server", "--bench", "server"])
                .env("VELT_BENCH_POSTGRES_URL", &pg.url));
            drop(pg);
            r
        }
        _ => Err("usage: cargo xtask bench <rest|selfhost|server [--vs-velt-py]>".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Counts, parse_test_result};

    #[test]
    fn parses_cargo_summary() {
        assert_eq!(
            parse_test_result("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured"),
            Counts {
                passed: 12,
                failed: 0,
                ignored: 1
            }
        );
        assert_eq!(
            parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
            Counts {
                passed: 3,
                failed: 2,
                ignored: 0
            }
        );
    }
}
