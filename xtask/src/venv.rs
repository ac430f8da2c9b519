//! Python virtual environments under `target/xtask/` for the servers and
//! tools the suite needs (secantusdb, moto, velt-py). One helper makes them
//! all: a venv is reused when its check passes, otherwise it is (re)built
//! with `python3 -m venv` (or `$VELT_PYTHON -m venv`) and `pip install`, and
//! removed again when the install fails, so a half-built venv is never
//! "reused" by the next run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::BoxError;

/// `target/xtask`, where every venv and server data directory lives.
pub(crate) fn xtask_dir() -> PathBuf {
    crate::root().join("target").join("xtask")
}

/// Makes sure the venv at `venv` passes `ready` (given its `bin/`
/// directory), installing `pip_args` into a fresh venv when it does not.
/// Returns the venv's `bin/` directory.
pub(crate) fn ensure(
    venv: &Path,
    pip_args: &[&str],
    ready: impl Fn(&Path) -> bool,
) -> Result<PathBuf, BoxError> {
    let bin = venv.join("bin");
    if ready(&bin) {
        return Ok(bin);
    }
    let python = std::env::var("VELT_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    eprintln!(
        "xtask: creating {} ({python} -m venv; pip install {})",
        venv.display(),
        pip_args.join(" ")
    );
    std::fs::create_dir_all(xtask_dir())?;
    let _ = std::fs::remove_dir_all(venv);
    let built = run_quiet(Command::new(&python).arg("-m").arg("venv").arg(venv)).and_then(|()| {
        run_quiet(
            Command::new(bin.join("pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(pip_args),
        )
    });
    let outcome = match built {
        Ok(()) if ready(&bin) => Ok(bin),
        Ok(()) => Err(format!(
            "{} is not usable after pip install {}",
            venv.display(),
            pip_args.join(" ")
        )
        .into()),
        Err(e) => Err(e),
    };
    if outcome.is_err() {
        let _ = std::fs::remove_dir_all(venv);
    }
    outcome
}

/// Runs `cmd` with no input; its stderr becomes the error on failure.
pub(crate) fn run_quiet(cmd: &mut Command) -> Result<(), BoxError> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed ({}): {}",
            cmd,
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into())
    }
}
