//! `velt-server backup` and `velt-server gdpr export-user|delete-user` over
//! the real binary, against a running server on the embedded SQLite store:
//! a backup taken while concurrent saves are acknowledged holds every save
//! acknowledged before it started and passes `PRAGMA integrity_check`; the
//! GDPR commands export and delete exactly one user of one organization.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;
use binary_common::Server;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TOKEN: &str = "maintenance-test-token";

fn command(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.env("VELT_RATE_LIMIT_PER_IP", "0")
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("VELT_MONGODB_URI")
        .env_remove("VELT_POSTGRES_URL")
        .env_remove("AWS_S3_BUCKET_NAME")
        .env_remove("VELT_API_KEY")
        .env("VELT_SERVER_TOKENS", TOKEN)
        .env("RUST_LOG", "warn");
    cmd
}

/// Starts the server on an ephemeral port and waits for its "listening" line.
fn spawn(data_dir: &Path) -> Server {
    let mut cmd = command(data_dir);
    cmd.args(["--bind", "127.0.0.1:0"]).stderr(Stdio::null());
    Server::start(cmd)
}

/// Runs a subcommand to completion (stdin closed).
fn run(data_dir: &Path, args: &[&str]) -> Output {
    command(data_dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

async fn post(client: &reqwest::Client, base: &str, path: &str, body: &Value) -> Value {
    let r = client
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["success"], json!(true), "{path}: {v}");
    v
}

fn save_body(org: &str, ids: &[String], text: &str) -> Value {
    let records: serde_json::Map<String, Value> = ids
        .iter()
        .map(|id| {
            (
                id.clone(),
                json!({"comments": {"1": {"commentId": 1, "commentText": text}}}),
            )
        })
        .collect();
    json!({"commentAnnotation": records, "metadata": {"organizationId": org, "documentId": "d"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_under_write_load_holds_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(dir.path());
    let client = reqwest::Client::new();
    // ~8 MB first, so the copy takes several steps of 1,024 pages.
    let filler = "x".repeat(2_000);
    for batch in 0..400 {
        let ids: Vec<String> = (0..10).map(|i| format!("seed-{batch}-{i}")).collect();
        post(
            &client,
            &server.base,
            "/v1/comments/save",
            &save_body("org-a", &ids, &filler),
        )
        .await;
    }
    // Concurrent writers, each remembering when each save was acknowledged.
    let acked: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, base, acked, stop) = (
            client.clone(),
            server.base.clone(),
            acked.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let id = format!("live-{w}-{n}");
                let body = save_body("org-a", std::slice::from_ref(&id), &format!("text of {id}"));
                post(&client, &base, "/v1/comments/save", &body).await;
                acked.lock().unwrap().push((Instant::now(), id));
                n += 1;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let backup = dir.path().join("backup.db");
    let started = Instant::now();
    let out = {
        let (data, file) = (dir.path().to_owned(), backup.clone());
        tokio::task::spawn_blocking(move || run(&data, &["backup", file.to_str().unwrap()]))
            .await
            .unwrap()
    };
    let finished = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // backup done: file=… bytes=… pages=… page_size=… steps=… elapsed_ms=… snapshot_ms=…
    let field = |name: &str| -> u64 {
        stdout
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {stdout:?}"))
            .parse()
            .unwrap()
    };
    assert!(stdout.starts_with("backup done: file="), "{stdout}");
    assert_eq!(field("bytes"), std::fs::metadata(&backup).unwrap().len());
    assert_eq!(field("bytes"), field("pages") * field("page_size"));
    assert!(field("steps") >= 2, "{stdout}");

    let acked = acked.lock().unwrap().clone();
    let before: Vec<&String> = acked
        .iter()
        .filter(|(t, _)| *t < started)
        .map(|(_, id)| id)
        .collect();
    let during = acked
        .iter()
        .filter(|(t, _)| *t >= started && *t <= finished)
        .count();
    assert!(
        before.len() >= 8,
        "writes before the backup: {}",
        before.len()
    );
    assert!(during > 0, "no write was acknowledged while the backup ran");

    let db =
        rusqlite::Connection::open_with_flags(&backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the backup is one self-contained file");
    let mut stmt = db
        .prepare("SELECT id_key, doc FROM velt_records WHERE collection = 'comment_annotations'")
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut have = BTreeSet::new();
    for (key, doc) in &rows {
        let id = key.strip_prefix("s:").unwrap().to_owned();
        let doc: Value = serde_json::from_str(doc).unwrap();
        if id.starts_with("live-") {
            assert_eq!(
                doc["comments"]["1"]["commentText"],
                json!(format!("text of {id}"))
            );
        }
        have.insert(id);
    }
    for batch in 0..400 {
        for i in 0..10 {
            assert!(have.contains(&format!("seed-{batch}-{i}")));
        }
    }
    for id in &before {
        assert!(
            have.contains(*id),
            "{id} was acknowledged before the backup started"
        );
    }
    // A second backup to the same file is refused, and the first is intact.
    let again = run(dir.path(), &["backup", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    drop(server);
}

#[tokio::test]
async fn gdpr_subcommands_export_and_delete_one_user_of_one_org() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn(dir.path());
    let client = reqwest::Client::new();
    let b = &server.base;
    // ann's file, attached to her reply in org-a.
    let form = reqwest::multipart::Form::new()
        .text(
            "request",
            json!({"attachment": {"attachmentId": 9}, "metadata": {"organizationId": "org-a"}})
                .to_string(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"ann's file".to_vec())
                .file_name("ann.txt")
                .mime_str("text/plain")
                .unwrap(),
        );
    let r = client
        .post(format!("{b}/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let url = r.json::<Value>().await.unwrap()["data"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let file_status = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(file_status(url.clone()).await, 200);
    for org in ["org-a", "org-b"] {
        let mut reply = json!({"commentId": 2, "commentText": "ann", "from": {"userId": "ann"}});
        if org == "org-a" {
            reply["attachments"] = json!({"9": {"attachmentId": 9, "url": url}});
        }
        post(&client, b, "/v1/comments/save", &json!({
            "commentAnnotation": {
                "t1": {"from": {"userId": "bob"}, "comments": {
                    "1": {"commentId": 1, "commentText": "bob", "from": {"userId": "bob"}},
                    "2": reply}},
                "t2": {"from": {"userId": "ann"}, "comments": {
                    "3": {"commentId": 3, "commentText": "ann alone", "from": {"userId": "ann"}}}}
            },
            "metadata": {"organizationId": org, "documentId": "d"}
        }))
        .await;
        post(
            &client,
            b,
            "/v1/reactions/save",
            &json!({
                "reactionAnnotation": {"r1": {"icon": "x", "from": {"userId": "ann"}}},
                "metadata": {"organizationId": org, "documentId": "d"}
            }),
        )
        .await;
        post(
            &client,
            b,
            "/v1/users/save",
            &json!({
                "organizationId": org,
                "users": [{"userId": "ann", "name": "Ann"}, {"userId": "bob", "name": "Bob"}]
            }),
        )
        .await;
    }
    let out_file = dir.path().join("ann.json");
    let out = run(
        dir.path(),
        &[
            "gdpr",
            "export-user",
            "--org",
            "org-a",
            "--user",
            "ann",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("gdpr export-user: 5 records of user ann in organization org-a")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let export: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(export["organizationId"], "org-a");
    assert_eq!(export["userId"], "ann");
    let records = export["records"].as_object().unwrap();
    assert_eq!(
        records.keys().collect::<Vec<_>>(),
        ["attachments", "comments", "reactions", "users"]
    );
    assert_eq!(records["attachments"][0]["attachmentId"], 9);
    let comments = records["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["annotationId"], "t1");
    assert_eq!(
        comments[0]["comments"],
        json!({"2": {"commentId": 2, "commentText": "ann", "from": {"userId": "ann"},
                     "attachments": {"9": {"attachmentId": 9, "url": url}}}})
    );
    assert_eq!(records["users"][0]["name"], "Ann");

    // Without --yes and without a terminal: refused, nothing deleted.
    let refused = run(
        dir.path(),
        &["gdpr", "delete-user", "--org", "org-a", "--user", "ann"],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing to delete without --yes"));

    // The same settings as the server: its public URL names the files.
    let args = [
        "--public-url",
        b.as_str(),
        "gdpr",
        "delete-user",
        "--org",
        "org-a",
        "--user",
        "ann",
        "--yes",
    ];
    let deleted = run(dir.path(), &args);
    assert!(
        deleted.status.success(),
        "{}",
        String::from_utf8_lossy(&deleted.stderr)
    );
    let report: Value = serde_json::from_slice(&deleted.stdout).unwrap();
    assert_eq!(
        report,
        json!({"deleted": {"attachments": 1, "comments": 1, "reactions": 1, "users": 1},
               "annotationsRewritten": 1, "commentsRemoved": 2, "sharedRecordsKept": 0,
               "filesDeleted": 1, "fileErrors": 0, "filesSkipped": 0})
    );
    assert_eq!(file_status(url.clone()).await, 404, "the file is gone too");
    // The server sees it at once.
    let get = |org: &'static str| {
        let client = client.clone();
        let base = b.clone();
        async move {
            post(
                &client,
                &base,
                "/v1/comments/get",
                &json!({"organizationId": org, "documentIds": ["d"]}),
            )
            .await["data"]
                .clone()
        }
    };
    let a = get("org-a").await;
    assert_eq!(a.as_object().unwrap().keys().collect::<Vec<_>>(), ["t1"]);
    assert_eq!(
        a["t1"]["comments"],
        json!({"1": {"commentId": 1, "commentText": "bob", "from": {"userId": "bob"}}})
    );
    let users = post(
        &client,
        b,
        "/v1/users/get",
        &json!({"organizationId": "org-a", "userIds": ["ann", "bob"]}),
    )
    .await;
    assert_eq!(
        users["data"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["bob"]
    );
    // The same user in org-b is untouched.
    let other = get("org-b").await;
    assert_eq!(other["t1"]["comments"].as_object().unwrap().len(), 2);
    assert!(other.get("t2").is_some());
    // A second run changes nothing.
    let again = run(dir.path(), &args);
    assert!(again.status.success());
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        report,
        json!({"deleted": {}, "annotationsRewritten": 0, "commentsRemoved": 0,
               "sharedRecordsKept": 0, "filesDeleted": 0, "fileErrors": 0,
               "filesSkipped": 0})
    );
    // Bad input: a clear error, not a panic.
    let bad = run(
        dir.path(),
        &["gdpr", "export-user", "--org", "", "--user", "ann"],
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("organizationId must be a non-empty string")
    );
    drop(server);
}
