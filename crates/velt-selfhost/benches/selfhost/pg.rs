//! PostgreSQL scenarios of the self-hosting benchmark (feature `postgres`,
//! server from `VELT_TEST_POSTGRES_URL`): the same data and scenarios as
//! the MongoDB ones, through the services over a `PostgresStore`, plus
//! `reference_velt_py_pattern_save(100)`: velt-py 0.3.0's statement pattern
//! for a save of 100 annotations (per annotation, a transaction of
//! `pg_advisory_xact_lock`, `UPDATE … WHERE id = (SELECT … LIMIT 1)` and an
//! `INSERT` when nothing matched, each statement one round trip, as
//! psycopg sends them), on the same server, interleaved with velt-rs's
//! save(100); the ratio of the two is printed.
//!
//! When `VELT_BENCH_VELT_PY` names a Python with `velt-py[postgres]==0.3.0`
//! installed, velt-py itself saves the same 100 annotations per call through
//! its comment service, interleaved too (`velt_py_0.3.0_save(100)`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tokio_postgres::NoTls;
use velt_selfhost::SelfHosting;
use velt_selfhost::backends::postgres::{PostgresConfig, PostgresStore};

use super::{BoxError, annotation, check, parse, save_request};

#[derive(Default)]
struct Timing {
    elapsed: Duration,
    calls: u32,
}

impl Timing {
    fn add(&mut self, since: Instant) {
        self.elapsed += since.elapsed();
        self.calls += 1;
    }

    fn ms(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1000.0 / f64::from(self.calls.max(1))
    }

    fn report(&self, scenario: &str) {
        println!(
            "bench selfhost postgres {scenario}: ms_per_call={:.2}",
            self.ms()
        );
    }
}

pub async fn bench(url: &str, server: &str) -> Result<(), BoxError> {
    let schema = format!("velt_bench_{}", std::process::id());
    let store = PostgresStore::connect(&PostgresConfig::from_url(url).schema(&schema)).await?;
    let sh = SelfHosting::builder().store(Arc::new(store)).build();
    let (client, conn) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(conn);
    println!(
        "bench selfhost postgres: server {server}; through the services (SelfHosting over PostgresStore), schema {schema}"
    );
    let org = "bench-org";
    let velt_py = VeltPy::start(url, &schema).await?;

    let mut reference = Timing::default();
    let mut real_velt_py = Timing::default();
    let mut save100 = Timing::default();
    for (n, calls) in [(1usize, 50u32), (10, 30), (100, 10)] {
        let document = format!("save{n}");
        let warm = parse(save_request(org, &document, 1_000_000, n))?;
        check(&sh.comments().save_comments(&warm).await.to_json())?;
        let mut ours = Timing::default();
        for c in 0..calls as usize {
            let req = parse(save_request(org, &document, c * n, n))?;
            let t = Instant::now();
            check(&sh.comments().save_comments(&req).await.to_json())?;
            ours.add(t);
            if n == 100 {
                let t = Instant::now();
                velt_py_pattern(&client, &schema, org, c * 100).await?;
                reference.add(t);
                if let Some(py) = &velt_py {
                    let t = Instant::now();
                    py.save(org, c * 100).await?;
                    real_velt_py.add(t);
                }
            }
        }
        ours.report(&format!("save({n})"));
        if n == 100 {
            save100 = ours;
        }
    }

    let seed = parse(save_request(org, "big", 0, 1000))?;
    check(&sh.comments().save_comments(&seed).await.to_json())?;
    let get = parse(json!({"organizationId": org, "documentIds": ["big"]}))?;
    let resp = sh.comments().get_comments(&get).await.to_json();
    let got = resp["data"].as_object().map(Map::len).unwrap_or(0);
    if got != 1000 {
        return Err(format!("get(1000) returned {got} annotations").into());
    }
    let mut ours = Timing::default();
    for _ in 0..10 {
        let t = Instant::now();
        check(&sh.comments().get_comments(&get).await.to_json())?;
        ours.add(t);
    }
    ours.report("get(1000)");

    let users: Vec<Value> = (0..100)
        .map(|i| {
            json!({"userId": format!("user-{i}"), "name": format!("User {i}"),
                   "email": format!("user{i}@example.com"),
                   "photoUrl": format!("https://example.com/u/{i}.png"), "color": "#336699"})
        })
        .collect();
    check(
        &sh.users()
            .save_users(&parse(json!({"organizationId": org, "users": users}))?)
            .await
            .to_json(),
    )?;
    let ids: Vec<String> = (0..100).map(|i| format!("user-{i}")).collect();
    let get_users = parse(json!({"organizationId": org, "userIds": ids}))?;
    let mut ours = Timing::default();
    for _ in 0..20 {
        let t = Instant::now();
        check(&sh.users().get_users(&get_users).await.to_json())?;
        ours.add(t);
    }
    ours.report("get_users(100)");

    reference.report("reference_velt_py_pattern_save(100)");
    println!(
        "bench selfhost postgres ratio reference_velt_py_pattern_save(100)/save(100): {:.1}x",
        reference.ms() / save100.ms()
    );
    if velt_py.is_some() {
        real_velt_py.report("velt_py_0.3.0_save(100)");
        println!(
            "bench selfhost postgres ratio velt_py_0.3.0_save(100)/save(100): {:.1}x",
            real_velt_py.ms() / save100.ms()
        );
    }
    drop(velt_py);
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await?;
    Ok(())
}

/// velt-py 0.3.0's statements for a save of 100 new annotations, one
/// transaction and 3–4 round trips per annotation.
async fn velt_py_pattern(
    client: &tokio_postgres::Client,
    schema: &str,
    org: &str,
    base: usize,
) -> Result<(), BoxError> {
    let table = format!("\"{schema}\".\"comment_annotations\"");
    let filter = "(data #>> '{\"annotationId\"}'::text[] = $2 AND jsonb_typeof(data #> '{\"annotationId\"}'::text[]) = 'string') \
                  AND (data #>> '{\"metadata\",\"organizationId\"}'::text[] = $3 AND jsonb_typeof(data #> '{\"metadata\",\"organizationId\"}'::text[]) = 'string')";
    let update = format!(
        "UPDATE {table} SET data = (data || $1), updated_at = now() WHERE id = (SELECT id FROM {table} WHERE {filter} ORDER BY id LIMIT 1) RETURNING id"
    );
    let insert = format!("INSERT INTO {table} (data) VALUES ($1) RETURNING id");
    for i in base..base + 100 {
        let mut doc = annotation(i, "reference-velt-py");
        let id = doc["annotationId"].as_str().unwrap_or_default().to_owned();
        doc["metadata"]["organizationId"] = json!(org);
        let key = format!(
            "{schema}.comment_annotations:{{\"annotationId\": \"{id}\", \"metadata.organizationId\": \"{org}\"}}"
        );
        client.batch_execute("BEGIN").await?;
        client
            .execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                &[&key],
            )
            .await?;
        let updated = client.query(&update, &[&doc, &id, &org]).await?;
        if updated.is_empty() {
            client.query(&insert, &[&doc]).await?;
        }
        client.batch_execute("COMMIT").await?;
    }
    Ok(())
}

/// velt-py 0.3.0 itself, driven line by line over a pipe (blocking I/O:
/// it runs alone, between the timed velt-rs calls).
struct VeltPy {
    child: std::sync::Mutex<(
        std::process::Child,
        std::io::BufReader<std::process::ChildStdout>,
    )>,
}

const VELT_PY_DRIVER: &str = r#"
import json, sys
from velt_py import VeltSDK, SaveCommentResolverRequest
url, schema = sys.argv[1], sys.argv[2]
sdk = VeltSDK.initialize({"database": {"type": "postgresql", "connection_string": url, "schema": schema}})
comments = sdk.selfHosting.comments
print("ready", flush=True)
for line in sys.stdin:
    r = comments.saveComments(SaveCommentResolverRequest.from_dict(json.loads(line)))
    print(json.dumps({"success": bool(r.get("success")), "r": r}), flush=True)
"#;

impl VeltPy {
    async fn start(url: &str, schema: &str) -> Result<Option<Self>, BoxError> {
        use std::io::BufRead;
        let Some(python) = std::env::var("VELT_BENCH_VELT_PY")
            .ok()
            .filter(|p| !p.is_empty())
        else {
            println!("bench selfhost postgres: VELT_BENCH_VELT_PY not set: velt-py itself not run");
            return Ok(None);
        };
        let mut child = std::process::Command::new(python)
            .args(["-c", VELT_PY_DRIVER, url, &format!("{schema}_py")])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut reader = std::io::BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line.trim() != "ready" {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("velt-py driver did not start: {line:?}").into());
        }
        Ok(Some(Self {
            child: std::sync::Mutex::new((child, reader)),
        }))
    }

    async fn save(&self, org: &str, base: usize) -> Result<(), BoxError> {
        use std::io::{BufRead, Write};
        let req = save_request(org, "velt-py", base, 100);
        let mut guard = self
            .child
            .lock()
            .map_err(|_| "velt-py driver lock poisoned")?;
        let (child, reader) = &mut *guard;
        let stdin = child.stdin.as_mut().ok_or("no stdin")?;
        stdin.write_all(format!("{req}\n").as_bytes())?;
        stdin.flush()?;
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if !line.starts_with("{\"success\": true") {
            return Err(format!("velt-py save failed: {line}").into());
        }
        Ok(())
    }
}

impl Drop for VeltPy {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.child.lock() {
            let (child, _) = &mut *guard;
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}
