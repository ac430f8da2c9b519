//! velt-py 0.3.0 for the interoperability suite
//! (`crates/velt-selfhost/tests/interop.rs`): a venv under
//! `target/xtask/velt-py-venv` (reused when present) with
//! `velt-py[postgres,mongodb]==0.3.0` (psycopg 3 + pool, pymongo). Its
//! python is passed to the tests as `VELT_TEST_VELT_PY_PYTHON`.
//!
//! Under CI (`CI=true`) failing to install is an error; locally it is a
//! warning and the interop suite then skips (or fails when
//! `VELT_TEST_REQUIRE_SERVERS` is set, as `cargo xtask test` does).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::BoxError;
use crate::venv;

/// The exact requirement installed.
const REQUIREMENT: &str = "velt-py[postgres,mongodb]==0.3.0";

/// The check that the venv holds velt-py 0.3.0 with both database drivers.
const CHECK: &str = "import importlib.metadata as m, psycopg, psycopg_pool, pymongo, velt_py; \
                     assert m.version('velt-py') == '0.3.0', m.version('velt-py')";

/// The venv's python with velt-py 0.3.0, or `None` (with a warning) when it
/// cannot be installed outside CI.
pub fn provide() -> Result<Option<PathBuf>, BoxError> {
    let dir = venv::xtask_dir().join("velt-py-venv");
    match venv::ensure(&dir, &[REQUIREMENT], ready) {
        Ok(bin) => Ok(Some(bin.join("python"))),
        Err(e) if crate::in_ci() => Err(format!("cannot install {REQUIREMENT}: {e}").into()),
        Err(e) => {
            eprintln!("xtask: warning: no velt-py for the interop suite: {e}");
            Ok(None)
        }
    }
}

/// What `cargo xtask bench server --vs-velt-py` serves velt-py 0.3.0 with,
/// pinned: FastAPI (the web framework of velt-py's users; Starlette under
/// it) run by uvicorn with its production event loop and HTTP parser
/// (`uvloop`, `httptools`).
const SERVER_REQUIREMENTS: &[&str] = &[
    REQUIREMENT,
    "fastapi==0.165.0",
    "starlette==1.10.0",
    "uvicorn==0.54.0",
    "uvloop==0.23.0",
    "httptools==0.9.0",
];

/// The check of the server venv: velt-py 0.3.0 and the pinned server stack.
const SERVER_CHECK: &str = "import importlib.metadata as m, psycopg, psycopg_pool, pymongo, velt_py, \
                            fastapi, uvicorn, uvloop, httptools; \
                            want = {'velt-py': '0.3.0', 'fastapi': '0.165.0', 'starlette': '1.10.0', \
                            'uvicorn': '0.54.0', 'uvloop': '0.23.0', 'httptools': '0.9.0'}; \
                            got = {k: m.version(k) for k in want}; assert got == want, got";

/// The python of a venv (`target/xtask/velt-py-server-venv`, apart from the
/// interop suite's, which needs no web server) with velt-py 0.3.0 and the
/// pinned server stack; an error when it cannot be installed.
pub fn provide_server() -> Result<PathBuf, BoxError> {
    let dir = venv::xtask_dir().join("velt-py-server-venv");
    let bin = venv::ensure(&dir, SERVER_REQUIREMENTS, |bin| check(bin, SERVER_CHECK))
        .map_err(|e| format!("cannot install {}: {e}", SERVER_REQUIREMENTS.join(" ")))?;
    Ok(bin.join("python"))
}

fn ready(bin: &Path) -> bool {
    check(bin, CHECK)
}

fn check(bin: &Path, script: &str) -> bool {
    Command::new(bin.join("python"))
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
