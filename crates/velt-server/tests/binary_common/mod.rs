//! Running the `velt-server` binary itself in a test: the child process
//! (killed and reaped when dropped) and the address it prints first.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `velt-server` process and its base URL (`http://127.0.0.1:N`).
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Spawns `cmd` with its stdout piped and waits for the "listening" line.
    pub fn start(mut cmd: Command) -> Server {
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let base = listening(&mut child);
        Server { child, base }
    }

    /// Kills the process and returns everything it wrote to stderr (which
    /// the caller's `cmd` piped).
    pub fn stop_and_read_stderr(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
        }
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the first line of `child`'s (piped) stdout,
/// `velt-server listening on <base>`, and returns `<base>`.
pub fn listening(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("stdout is piped");
    prefixed_line(&mut BufReader::new(stdout), "velt-server listening on ")
}

/// Reads one line and returns what follows `prefix` in it (panics with the
/// line when it does not start with `prefix`).
pub fn prefixed_line(reader: &mut impl BufRead, prefix: &str) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line.trim()
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("expected a line starting {prefix:?}, got {line:?}"))
        .to_owned()
}
