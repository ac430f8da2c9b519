//! The `velt-server export|import|migrate` subcommands, run as processes
//! over SQLite files, PostgreSQL and MongoDB: exact output lines and exit
//! codes, a migration killed with SIGKILL and resumed, a velt-py MongoDB
//! database migrated into PostgreSQL, a user without an organization
//! imported and then served over HTTP to every organization.
//!
//! Servers: `VELT_TEST_POSTGRES_URL` and `VELT_TEST_MONGODB_URI` (`cargo
//! xtask test` sets both). Without them the suite fails when
//! `VELT_TEST_REQUIRE_SERVERS` or `CI` is set, and is skipped (the binary
//! exits early, reporting nothing as passed) otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn server(var: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => v,
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("{var} is not set but VELT_TEST_REQUIRE_SERVERS/CI is (use `cargo xtask test`)")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP tests/datatools.rs: {var} is not set (run `cargo xtask test`)"
            );
            std::process::exit(0);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn fresh_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "vt_dtb_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A PostgreSQL store URL with a schema of its own.
fn pg_url() -> String {
    let base = server("VELT_TEST_POSTGRES_URL");
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}schema={}", fresh_name())
}

fn velt(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.current_dir(dir)
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_MIGRATE_FROM")
        .env_remove("VELT_MIGRATE_TO")
        .env_remove("VELT_EXPORT_STORE")
        .env_remove("VELT_IMPORT_STORE")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    velt(dir).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The export of `store` (stdout), checked to succeed.
fn export(dir: &Path, store: &str) -> String {
    let o = run(dir, &["export", "--store", store]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// `v` with the keys of every object sorted (PostgreSQL's JSONB does not
/// keep key order).
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The lines of an export, sorted (stores differ in scan order and in key
/// order; values compare whatever their key order).
fn sorted_lines(text: &str) -> Vec<Value> {
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.sort_by_cached_key(|v| canonical(v).to_string());
    lines
}

fn export_lines(orgs: &[&str], per_org: usize) -> String {
    let mut out = String::new();
    for org in orgs {
        for i in 0..per_org {
            for line in [
                json!({"collection": "comments", "organizationId": org, "record": {
                    "annotationId": format!("c{i}"), "metadata": {"documentId": "d1", "organizationId": org},
                    "comments": [{"commentId": i, "commentText": "héllo"}]}}),
                json!({"collection": "users", "organizationId": org, "record": {
                    "userId": format!("u{i}"), "name": format!("User {i}"), "organizationId": org}}),
                json!({"collection": "attachments", "organizationId": org, "record": {
                    "attachmentId": i, "name": "a.png", "metadata": {"organizationId": org}}}),
            ] {
                out.push_str(&line.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn export_and_import_through_the_binary_round_trip_exactly() {
    let pg = pg_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = export_lines(&["org-a", "org-b"], 2);
    write(d, "in.jsonl", &input);

    let o = run(d, &["import", "in.jsonl", "--store", "sqlite:a.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "imported 12 records (comments: 4, attachments: 4, users: 4)\n"
    );
    let from_sqlite = export(d, "a.db");
    assert_eq!(sorted_lines(&from_sqlite), sorted_lines(&input));

    // Into PostgreSQL, from stdin, twice: the same records as once.
    for _ in 0..2 {
        let mut child = velt(d)
            .args(["import", "-", "--store", &pg])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(from_sqlite.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let from_pg = export(d, &pg);
    assert_eq!(sorted_lines(&from_pg), sorted_lines(&input));

    // --out writes a file and the summary names every collection.
    let o = run(
        d,
        &[
            "export", "--store", &pg, "--org", "org-b", "--out", "b.jsonl",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "exported 6 records (comments: 2, attachments: 2, users: 2)\n"
    );
    assert!(stdout(&o).is_empty());
    assert!(!d.join("b.jsonl.partial").exists());
    let b = std::fs::read_to_string(d.join("b.jsonl")).unwrap();
    let want: Vec<Value> = sorted_lines(&input)
        .into_iter()
        .filter(|v| v["organizationId"] == "org-b")
        .collect();
    assert_eq!(sorted_lines(&b), want);
}

#[test]
fn a_bad_line_fails_the_import_with_its_number_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut input = export_lines(&["org-a"], 2);
    input.push_str("{\"collection\":\"comments\",\"organizationId\":\"org-a\",\"record\":[]}\n");
    input.push_str(&export_lines(&["org-b"], 1));
    write(d, "bad.jsonl", &input);
    let o = run(d, &["import", "bad.jsonl", "--store", "b.db"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "velt-server: 1 bad input line(s) (0 records written before them): line 7: `record` is \
         not a JSON object\n"
    );
    // The file was validated before the store was even opened.
    assert!(!d.join("b.db").exists());

    // The same from stdin, in batches of 2: lines 1-6 are written (3
    // batches), the batch of lines 7-8 is not.
    let mut child = velt(d)
        .args(["import", "-", "--store", "b.db", "--batch-size", "2"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("(6 records written before them): line 7:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        sorted_lines(&export(d, "b.db")),
        sorted_lines(&export_lines(&["org-a"], 2))
    );
}

fn checkpoint(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn copied(cp: &Value) -> u64 {
    cp["collections"]
        .as_object()
        .map(|m| m.values().filter_map(|c| c["copied"].as_u64()).sum())
        .unwrap_or(0)
}

#[test]
fn a_migration_killed_half_way_resumes_to_the_same_result() {
    let pg = pg_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = export_lines(&["org-a", "org-b", "org-c"], 150);
    write(d, "in.jsonl", &input);
    let o = run(d, &["import", "in.jsonl", "--store", "src.db"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Uninterrupted reference: SQLite -> SQLite.
    let o = run(d, &["migrate", "--from", "src.db", "--to", "straight.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "migrated 1350 records (comments: 450, attachments: 450, users: 450); counts verified\n"
    );
    assert_eq!(
        checkpoint(&d.join("straight.db.migrate-state.json")).unwrap()["complete"],
        json!(true)
    );

    // SQLite -> PostgreSQL, one record per batch, killed once the
    // checkpoint shows progress.
    let state = d.join("pg-state.json");
    let state_arg = state.to_str().unwrap();
    let args = [
        "migrate",
        "--from",
        "src.db",
        "--to",
        &pg,
        "--state",
        state_arg,
        "--batch-size",
        "1",
    ];
    let mut child = velt(d).args(args).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    loop {
        if checkpoint(&state).is_some_and(|cp| copied(&cp) >= 20) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no progress in the checkpoint"
        );
        assert!(child.try_wait().unwrap().is_none(), "migration ended early");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let cp = checkpoint(&state).unwrap();
    assert_eq!(cp["complete"], json!(false));
    let at_kill = copied(&cp);
    assert!((20..1350).contains(&at_kill), "{at_kill}");

    // Resume in slices: --max-batches stops with exit code 3.
    let mut sliced = args.to_vec();
    sliced[8] = "100";
    sliced.extend(["--max-batches", "2"]);
    let o = run(d, &sliced);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("stopped after 2 batches (--max-batches), "),
        "{}",
        stderr(&o)
    );
    let o = run(d, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "migrated 1350 records (comments: 450, attachments: 450, users: 450); counts verified\n"
    );
    let cp = checkpoint(&state).unwrap();
    assert_eq!(cp["complete"], json!(true));

    let want = sorted_lines(&export(d, "straight.db"));
    assert_eq!(want, sorted_lines(&input));
    assert_eq!(sorted_lines(&export(d, &pg)), want);

    // The same checkpoint with another target is refused.
    let o = run(
        d,
        &[
            "migrate", "--from", "src.db", "--to", "other.db", "--state", state_arg,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("belongs to a migration from sqlite://"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_count_check_fails_loudly_on_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in.jsonl", &export_lines(&["org-a"], 3));
    assert!(
        run(d, &["import", "in.jsonl", "--store", "src.db"])
            .status
            .success()
    );
    let o = run(d, &["migrate", "--from", "src.db", "--to", "dst.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The target loses a record.
    let conn = rusqlite_free_delete(&d.join("dst.db"));
    assert_eq!(conn, 1);
    let o = run(d, &["migrate", "--from", "src.db", "--to", "dst.db"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "velt-server: record counts differ after the migration: comments: source 3 records, \
         target 2\n"
    );
    // A new migration into a target that is not empty is refused.
    let o = run(
        d,
        &[
            "migrate", "--from", "src.db", "--to", "dst.db", "--state", "new.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the target already holds comments records"),
        "{}",
        stderr(&o)
    );
}

/// Deletes comment `c1` of `org-a` from a SQLite store through the store
/// API; returns the number of records deleted.
fn rusqlite_free_delete(path: &Path) -> usize {
    use velt_selfhost::store::{Collection, RecordId, Scope, Store};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = velt_selfhost::backends::sqlite::SqliteStore::open(path).unwrap();
        let gone = store
            .delete(
                Collection::Comments,
                &Scope::new("org-a").unwrap(),
                &RecordId::from("c1"),
            )
            .await
            .unwrap();
        usize::from(gone.is_some())
    })
}

#[test]
fn a_velt_py_mongodb_database_migrates_into_postgresql() {
    let pg = pg_url();
    let base = server("VELT_TEST_MONGODB_URI");
    let db = fresh_name();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Documents as velt-py writes them (its own ObjectIds, its field
    // layout), a user record without an organization among them.
    rt.block_on(async {
        let client = mongodb::Client::with_uri_str(&base).await.unwrap();
        let database = client.database(&db);
        database
            .collection::<mongodb::bson::Document>("comment_annotations")
            .insert_many([
                mongodb::bson::doc! {"annotationId": "c1", "metadata": {"organizationId": "org-a", "documentId": "d1", "apiKey": "k"}, "comments": [{"commentId": 1, "commentText": "hi"}]},
                mongodb::bson::doc! {"annotationId": "c1", "metadata": {"organizationId": "org-b", "documentId": "d1"}},
            ])
            .await
            .unwrap();
        database
            .collection::<mongodb::bson::Document>("users")
            .insert_many([
                mongodb::bson::doc! {"userId": "u1", "name": "Ann", "organizationId": "org-a"},
                mongodb::bson::doc! {"userId": "shared", "name": "No org"},
            ])
            .await
            .unwrap();
    });
    let sep = if base.ends_with('/') { "" } else { "/" };
    let mongo = format!("{base}{sep}{db}");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(d, &["migrate", "--from", &mongo, "--to", &pg]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "migrated 4 records (comments: 2, users: 2); counts verified\n"
    );
    assert_eq!(
        sorted_lines(&export(d, &pg)),
        sorted_lines(
            &[
                json!({"collection": "comments", "organizationId": "org-a", "record": {"annotationId": "c1", "metadata": {"organizationId": "org-a", "documentId": "d1", "apiKey": "k"}, "comments": [{"commentId": 1, "commentText": "hi"}]}}),
                json!({"collection": "comments", "organizationId": "org-b", "record": {"annotationId": "c1", "metadata": {"organizationId": "org-b", "documentId": "d1"}}}),
                json!({"collection": "users", "organizationId": "org-a", "record": {"userId": "u1", "name": "Ann", "organizationId": "org-a"}}),
                // velt-py's user without an organization, copied as it is:
                // PostgreSQL serves it to every organization.
                json!({"collection": "users", "organizationId": null, "record": {"userId": "shared", "name": "No org"}}),
            ]
            .map(|v| v.to_string())
            .join("\n")
        )
    );
    // The export of the MongoDB source shows the record without an
    // organization, with `"organizationId": null`.
    let src = export(d, &mongo);
    assert!(
        src.lines().any(|l| l
            == r#"{"collection":"users","organizationId":null,"record":{"userId":"shared","name":"No org"}}"#),
        "{src}"
    );
}

#[test]
fn a_user_without_organization_is_imported_and_served_to_every_organization() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // As the export of a velt-py database gives them: a user the customer
    // inserted without an organization, and one of org-a.
    write(
        d,
        "users.jsonl",
        &[
            json!({"collection": "users", "organizationId": null, "record": {"userId": "shared", "name": "No org"}}),
            json!({"collection": "users", "organizationId": "org-a", "record": {"userId": "u1", "name": "Ann", "organizationId": "org-a"}}),
        ]
        .map(|v| v.to_string())
        .join("\n"),
    );
    let o = run(d, &["--data-dir", ".", "import", "users.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "imported 2 records (users: 2)\n");

    let mut cmd = velt(d);
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir", "."])
        .env("VELT_SERVER_TOKENS", "datatools-token")
        .stderr(Stdio::inherit());
    let server = binary_common::Server::start(cmd);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let get = |org: &str| {
        let body = json!({"organizationId": org, "userIds": ["shared", "u1"]});
        rt.block_on(async {
            let r = reqwest::Client::new()
                .post(format!("{}/v1/users/get", server.base))
                .bearer_auth("datatools-token")
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    };
    assert_eq!(
        get("org-a"),
        (
            200,
            json!({"data": {"shared": {"userId": "shared", "name": "No org"}, "u1": {"userId": "u1", "name": "Ann"}}, "success": true, "statusCode": 200})
        )
    );
    // Another organization sees the shared user only.
    assert_eq!(
        get("org-b"),
        (
            200,
            json!({"data": {"shared": {"userId": "shared", "name": "No org"}}, "success": true, "statusCode": 200})
        )
    );
}
