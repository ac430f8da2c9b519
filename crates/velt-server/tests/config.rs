//! `velt-server --config`: the real binary with real files. Precedence
//! flag > env > file > default (a flag with a variable, an environment-only
//! secret, a flattened struct's flag), unknown keys, `config show`
//! redaction and sources, the permission rule, `--version`, and the
//! documented example file and key table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
use binary_common::Server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_velt-server");

/// The binary with none of the settings of the environment running the tests.
fn command(env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("VELT_") || k.starts_with("AWS_") || k == "RUST_LOG" {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(env).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Writes `text` to `name` in `dir` with `mode`.
fn file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

/// `config show` with `--config path`: key → (source, value).
fn show(path: &Path, args: &[&str], env: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let mut all = vec!["--config", path.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["config", "show"]);
    let out = run(&all, env);
    assert!(out.status.success(), "config show failed: {}", stderr(&out));
    stdout(&out)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(2, char::is_whitespace);
            let key = parts.next().unwrap().to_owned();
            let rest = parts.next().unwrap_or("").trim_start();
            let mut parts = rest.splitn(2, char::is_whitespace);
            let source = parts.next().unwrap().to_owned();
            let value = parts.next().unwrap_or("").trim_start().to_owned();
            (key, source, value)
        })
        .collect()
}

fn entry(lines: &[(String, String, String)], key: &str) -> (String, String) {
    let (_, s, v) = lines
        .iter()
        .find(|(k, _, _)| k == key)
        .unwrap_or_else(|| panic!("no line for {key} in {lines:?}"));
    (s.clone(), v.clone())
}

fn pair(source: &str, value: &str) -> (String, String) {
    (source.to_owned(), value.to_owned())
}

/// Each of the three kinds of setting, at each level of precedence.
#[test]
fn precedence_is_flag_then_env_then_file_then_default() {
    let dir = tempfile::tempdir().unwrap();
    let empty = file(dir.path(), "empty.toml", "", 0o600);
    let full = file(
        dir.path(),
        "full.toml",
        "body_limit = 1111\nserver_tokens = \"file-token-a1\"\nwebhook-tolerance-secs = 33\n",
        0o600,
    );
    // (key, flag args, env)
    let cases: [(&str, &[&str], (&str, &str)); 3] = [
        // A flag with an environment variable.
        (
            "body_limit",
            &["--body-limit", "3333"],
            ("VELT_BODY_LIMIT", "2222"),
        ),
        // A flag of a flattened struct (velt_server::webhooks::Args).
        (
            "webhook_tolerance_secs",
            &["--webhook-tolerance-secs", "55"],
            ("VELT_WEBHOOK_TOLERANCE_SECS", "44"),
        ),
        // An environment-only secret (no flag level).
        ("server_tokens", &[], ("VELT_SERVER_TOKENS", "env-token-b2")),
    ];
    let defaults = [
        ("body_limit", pair("default", "2097152")),
        ("webhook_tolerance_secs", pair("default", "300")),
        ("server_tokens", pair("unset", "")),
    ];
    let from_file = [
        ("body_limit", pair("file", "1111")),
        ("webhook_tolerance_secs", pair("file", "33")),
        ("server_tokens", pair("file", "<redacted>")),
    ];
    let from_env = [
        ("body_limit", pair("env", "2222")),
        ("webhook_tolerance_secs", pair("env", "44")),
        ("server_tokens", pair("env", "<redacted>")),
    ];
    let from_flag = [
        ("body_limit", pair("flag", "3333")),
        ("webhook_tolerance_secs", pair("flag", "55")),
        ("server_tokens", pair("env", "<redacted>")),
    ];
    let env: Vec<(&str, &str)> = cases.iter().map(|(_, _, e)| *e).collect();
    let flags: Vec<&str> = cases
        .iter()
        .flat_map(|(_, f, _)| f.iter().copied())
        .collect();
    let default_lines = show(&empty, &[], &[]);
    let file_lines = show(&full, &[], &[]);
    let env_lines = show(&full, &[], &env);
    let flag_lines = show(&full, &flags, &env);
    for (key, want) in defaults {
        assert_eq!(entry(&default_lines, key), want, "{key}: default");
    }
    for (key, want) in from_file {
        assert_eq!(entry(&file_lines, key), want, "{key}: file over default");
    }
    for (key, want) in from_env {
        assert_eq!(entry(&env_lines, key), want, "{key}: env over file");
    }
    for (key, want) in from_flag {
        assert_eq!(entry(&flag_lines, key), want, "{key}: flag over env");
    }
}

fn spawn(config: &Path, env: &[(&str, &str)]) -> Server {
    let mut cmd = command(env);
    cmd.arg("--config")
        .arg(config)
        .env("RUST_LOG", "warn")
        .stderr(Stdio::null());
    Server::start(cmd)
}

async fn status(base: &str, token: &str, body: &serde_json::Value) -> u16 {
    reqwest::Client::new()
        .post(format!("{base}/v1/comments/get"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The running server uses the file: its bind address, data directory,
/// token and body limit; the environment's token replaces the file's.
#[tokio::test]
async fn the_server_runs_on_the_file_and_the_environment_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let text = format!(
        "bind = \"127.0.0.1:0\"\ndata_dir = {:?}\nserver_tokens = \"file-token\"\nbody_limit = 400\n",
        data.to_str().unwrap()
    );
    let config = file(dir.path(), "velt-server.toml", &text, 0o600);
    let small = json!({"organizationId": "org-a", "documentIds": ["d"]});
    let large = json!({"organizationId": "org-a", "documentIds": ["d".repeat(500)]});
    {
        let server = spawn(&config, &[]);
        assert_eq!(status(&server.base, "file-token", &small).await, 200);
        assert_eq!(status(&server.base, "other", &small).await, 401);
        assert_eq!(status(&server.base, "file-token", &large).await, 413);
        // The data directory of the file holds the database.
        assert!(data.join("velt.db").exists());
    }
    let server = spawn(&config, &[("VELT_SERVER_TOKENS", "env-token")]);
    assert_eq!(status(&server.base, "env-token", &small).await, 200);
    assert_eq!(status(&server.base, "file-token", &small).await, 401);
}

#[test]
fn an_unknown_key_is_an_error_naming_it_and_the_closest_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        dir.path(),
        "typo.toml",
        "bind = \"127.0.0.1:0\"\nbody_limt = 5\n",
        0o600,
    );
    for args in [&["config", "check"][..], &[][..]] {
        let mut all = vec!["--config", path.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = run(&all, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            format!(
                "velt-server: {}: unknown key `body_limt` (did you mean `body_limit`?)\n",
                path.display()
            )
        );
    }
    // A table is a key like any other: unknown, with nothing close.
    let path = file(dir.path(), "table.toml", "[metrics]\nbind = \"x\"\n", 0o600);
    let out = run(
        &["--config", path.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("velt-server: {}: unknown key `metrics`\n", path.display())
    );
}

#[test]
fn a_bad_value_is_refused_with_its_key_and_the_flags_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "bind = \"not an address\"\n",
            "`bind`: invalid value 'not an address' for '--bind <BIND>': invalid socket address syntax",
        ),
        (
            "body_limit = [1, 2]\n",
            "`body_limit`: expected one value, found a list",
        ),
        (
            "sqlite_synchronous = \"sometimes\"\n",
            "`sqlite_synchronous`: invalid value 'sometimes' for '--sqlite-synchronous <SQLITE_SYNCHRONOUS>'",
        ),
        (
            "data_dir = \"a\"\ndata-dir = \"b\"\n",
            "`data_dir` is set twice",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let path = file(dir.path(), &format!("bad{i}.toml"), text, 0o600);
        let out = run(
            &["--config", path.to_str().unwrap(), "config", "check"],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{text}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("velt-server: {}: {want}", path.display())),
            "{text}: {err}"
        );
    }
}

#[test]
fn a_syntax_error_gives_the_position_but_never_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(
        dir.path(),
        "broken.toml",
        "bind = \"127.0.0.1:0\"\nserver_tokens = \"tok-unterminated-XYZ\n",
        0o600,
    );
    let out = run(
        &["--config", path.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("velt-server: {}:2:", path.display())),
        "{err}"
    );
    assert!(!err.contains("tok-unterminated-XYZ"), "{err}");
}

/// The secret keys, as `config keys` (the table of docs/configuration.md) marks them.
fn secret_keys() -> Vec<String> {
    let out = run(&["config", "keys"], &[]);
    assert!(out.status.success());
    stdout(&out)
        .lines()
        .skip(2)
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            (cells.get(4) == Some(&"yes")).then(|| {
                cells[0]
                    .trim_start_matches("| ")
                    .trim_matches('`')
                    .to_owned()
            })
        })
        .collect()
}

#[test]
fn config_show_redacts_every_secret_and_prints_sources() {
    let secrets = secret_keys();
    for expected in [
        "server_tokens",
        "jwt_secret",
        "admin_tokens",
        "api_key",
        "auth_token",
        "mongodb_uri",
        "postgres_url",
        "aws_secret_access_key",
        "webhook_secrets",
    ] {
        assert!(
            secrets.contains(&expected.to_owned()),
            "{expected} is not marked secret: {secrets:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut values = Vec::new();
    for (i, key) in secrets.iter().enumerate() {
        let value = match key.as_str() {
            "postgres_url" => format!("postgres://velt:pgpw-{i}-SECRET@db.example:5432/velt"),
            "mongodb_uri" => format!("mongodb://velt:mongopw-{i}-SECRET@mongo.example/velt"),
            _ => format!("value-{i}-SECRET"),
        };
        text.push_str(&format!("{key} = {value:?}\n"));
        values.push(value);
    }
    text.push_str("public_url = \"https://velt.example\"\n");
    // Not a secret setting, but a URL with a password in it.
    text.push_str("webhook_forward_urls = [\"https://hook:fwdpw-SECRET@hook.example/in\", \"https://b.example/\"]\n");
    let path = file(dir.path(), "secrets.toml", &text, 0o600);
    let out = run(
        &[
            "--config",
            path.to_str().unwrap(),
            "--max-array-len",
            "9",
            "config",
            "show",
        ],
        &[("VELT_UPLOAD_LIMIT", "123")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!shown.contains("SECRET"), "a secret is printed:\n{shown}");
    let lines = show(
        &path,
        &["--max-array-len", "9"],
        &[("VELT_UPLOAD_LIMIT", "123")],
    );
    for key in &secrets {
        let want = match key.as_str() {
            "postgres_url" => "postgres://velt:<redacted>@db.example:5432/velt",
            "mongodb_uri" => "mongodb://velt:<redacted>@mongo.example/velt",
            _ => "<redacted>",
        };
        assert_eq!(entry(&lines, key), pair("file", want), "{key}");
    }
    assert_eq!(
        entry(&lines, "public_url"),
        pair("file", "https://velt.example")
    );
    assert_eq!(
        entry(&lines, "webhook_forward_urls"),
        pair(
            "file",
            "https://hook:<redacted>@hook.example/in,https://b.example/"
        )
    );
    assert_eq!(entry(&lines, "max_array_len"), pair("flag", "9"));
    assert_eq!(entry(&lines, "upload_limit"), pair("env", "123"));
    assert_eq!(entry(&lines, "bind"), pair("default", "127.0.0.1:8080"));
    assert_eq!(entry(&lines, "sqlite_path"), pair("unset", ""));
    // The value passed by a flag of a secret is redacted too.
    let out = run(
        &[
            "--config",
            path.to_str().unwrap(),
            "--postgres-url",
            "postgres://u:flagpw-SECRET@h/d",
            "config",
            "show",
        ],
        &[],
    );
    assert!(!stdout(&out).contains("SECRET"));
    assert!(stdout(&out).contains("postgres://u:<redacted>@h/d"));
}

#[cfg(unix)]
#[test]
fn a_file_with_secrets_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o644, 0o640, 0o604] {
        let path = file(
            dir.path(),
            "open.toml",
            "server_tokens = \"t\"\njwt_secret = \"s\"\n",
            mode,
        );
        let out = run(
            &["--config", path.to_str().unwrap(), "config", "check"],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{mode:o}");
        assert_eq!(
            stderr(&out),
            format!(
                "velt-server: {p} sets secrets (server_tokens, jwt_secret) but is readable by group or other (mode {mode:o}): run `chmod 600 {p}` (or keep the secrets in the environment)\n",
                p = path.display()
            )
        );
    }
    // Without secrets the mode does not matter.
    let path = file(
        dir.path(),
        "plain.toml",
        "body_limit = 10\ninsecure_no_auth = true\n",
        0o644,
    );
    let out = run(
        &["--config", path.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn config_check_refuses_settings_that_cannot_start_the_server() {
    let dir = tempfile::tempdir().unwrap();
    // A JWT algorithm and no key: the same refusal as at startup.
    let path = file(
        dir.path(),
        "jwt.toml",
        "jwt_algorithms = \"HS256\"\n",
        0o600,
    );
    let out = run(
        &["--config", path.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("VELT_JWT_ALGORITHMS is set but no JWT key"),
        "{}",
        stderr(&out)
    );
    // The key from the file makes it valid.
    let path = file(
        dir.path(),
        "jwt2.toml",
        "jwt_algorithms = \"HS256\"\njwt_secret = \"0123456789abcdef0123456789abcdef\"\n",
        0o600,
    );
    let out = run(
        &["--config", path.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: OK (2 settings; flags and environment applied)\n",
            path.display()
        )
    );
}

#[test]
fn version_lists_the_compiled_in_backends() {
    let out = run(&["--version"], &[]);
    assert!(out.status.success());
    let on = |f: bool, name: &'static str| f.then_some(name);
    let backends: Vec<&str> = [
        on(cfg!(feature = "sqlite"), "sqlite"),
        on(cfg!(feature = "mongodb"), "mongodb"),
        on(cfg!(feature = "postgres"), "postgres"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let files = if cfg!(feature = "s3") {
        "local s3"
    } else {
        "local"
    };
    let alloc = if cfg!(feature = "mimalloc") {
        "mimalloc"
    } else {
        "system"
    };
    assert_eq!(
        stdout(&out),
        format!(
            "velt-server {} (backends: {}; files: {files}; allocator: {alloc})\n",
            env!("CARGO_PKG_VERSION"),
            backends.join(" ")
        )
    );
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// docs/velt-server.example.toml is a valid configuration (so it cannot rot).
#[test]
fn the_example_file_is_valid() {
    let path = docs().join("velt-server.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Git does not keep the mode: copied 0600 as the docs tell.
    let copy = file(dir.path(), "velt-server.toml", &text, 0o600);
    let out = run(
        &["--config", copy.to_str().unwrap(), "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = show(&copy, &[], &[]);
    let set = lines.iter().filter(|(_, s, _)| s == "file").count();
    assert!(set >= 10, "the example sets only {set} keys");
}

/// The key table of docs/configuration.md is the one `config keys` prints.
#[test]
fn the_documented_key_table_is_the_binarys() {
    let doc = std::fs::read_to_string(docs().join("configuration.md")).unwrap();
    let out = run(&["config", "keys"], &[]);
    assert!(out.status.success());
    let begin = "<!-- keys: velt-server config keys -->\n";
    let end = "<!-- /keys -->";
    let start = doc.find(begin).expect("begin marker") + begin.len();
    let stop = doc[start..].find(end).expect("end marker") + start;
    assert_eq!(
        &doc[start..stop],
        stdout(&out),
        "docs/configuration.md is stale: replace its table with `velt-server config keys`"
    );
}
