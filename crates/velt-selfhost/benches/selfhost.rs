//! Self-hosting benchmark against a MongoDB-protocol server
//! (`cargo xtask bench selfhost`, which provides the server through
//! `VELT_TEST_MONGODB_URI`).
//!
//! Every scenario goes through the services (`SelfHosting` over a
//! `MongoStore`), as a web handler would call them, and counts the database
//! commands the driver sends (command monitoring). Prints one line per
//! scenario: `bench selfhost <scenario>: ms_per_call=<x> db_commands_per_call=<x>`.
//!
//! With the `postgres` feature and `VELT_TEST_POSTGRES_URL` set, the same
//! scenarios run on PostgreSQL too (`selfhost/pg.rs`), with velt-py 0.3.0's
//! save pattern interleaved and the ratio printed.
//!
//! velt-py 0.1.10 on the same machine and server: save(10) ≈ 100 ms with 10
//! commands, save(100) ≈ 950 ms with 100, get(1,000) ≈ 120 ms, get users(100)
//! ≈ 28 ms.
//!
//! The `reference_*` lines are not velt-rs code paths: they time the raw
//! driver on the same server in the same run (reading the same 1,000
//! documents; sending the store's single `update` command for 100 records;
//! velt-py's pattern of one upsert command per annotation), to show how much
//! of each figure is the server's own cost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bson::doc;
use bson::raw::RawDocumentBuf;
use mongodb::event::EventHandler;
use mongodb::event::command::CommandEvent;
use serde_json::{Map, Value, json};
use velt_selfhost::SelfHosting;
use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore};

#[cfg(feature = "postgres")]
#[path = "selfhost/pg.rs"]
mod pg;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    if let Err(e) = run() {
        eprintln!("bench selfhost: error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), BoxError> {
    let uri = match std::env::var("VELT_TEST_MONGODB_URI") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            return Err(
                "VELT_TEST_MONGODB_URI is not set (run it with `cargo xtask bench selfhost`)"
                    .into(),
            );
        }
    };
    let server = std::env::var("VELT_TEST_MONGODB_SERVER").unwrap_or_else(|_| uri.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(bench(&uri, &server))?;
    #[cfg(feature = "postgres")]
    match std::env::var("VELT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let server =
                std::env::var("VELT_TEST_POSTGRES_SERVER").unwrap_or_else(|_| "PostgreSQL".into());
            rt.block_on(pg::bench(&url, &server))?;
        }
        _ => println!("bench selfhost postgres: VELT_TEST_POSTGRES_URL is not set: skipped"),
    }
    Ok(())
}

/// Counts commands the driver starts (heartbeats and handshakes are not commands).
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl Counter {
    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

fn annotation(i: usize, document: &str) -> Value {
    json!({
        "annotationId": format!("ann-{document}-{i}"),
        "comments": {
            "1": {
                "commentId": 1,
                "commentText": format!("Comment number {i}: a sentence of ordinary length for a review note."),
                "commentHtml": format!("<p>Comment number {i}: a sentence of ordinary length for a review note.</p>"),
                "from": {"userId": "user-1", "name": "Ann Example", "email": "ann@example.com"},
                "lastUpdated": 1_700_000_000_000_i64 + i as i64,
                "type": "text"
            }
        },
        "from": {"userId": "user-1", "name": "Ann Example", "email": "ann@example.com"},
        "status": {"id": "OPEN", "name": "Open", "type": "default"},
        "priority": {"id": "P1", "name": "High"},
        "metadata": {"documentId": document, "pageInfo": {"url": "https://app.example.com/doc"}}
    })
}

fn save_request(org: &str, document: &str, from: usize, n: usize) -> Value {
    let mut map = Map::new();
    for i in from..from + n {
        map.insert(format!("ann-{document}-{i}"), annotation(i, document));
    }
    json!({
        "commentAnnotation": map,
        "metadata": {"organizationId": org, "documentId": document}
    })
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, BoxError> {
    velt_models::selfhost::parse_request(v)
        .map_err(|e| format!("bad request: {}", e.to_json()).into())
}

fn report(scenario: &str, elapsed: Duration, calls: u32, commands: u64) {
    let ms = elapsed.as_secs_f64() * 1000.0 / f64::from(calls);
    let per_call = commands as f64 / f64::from(calls);
    println!("bench selfhost {scenario}: ms_per_call={ms:.2} db_commands_per_call={per_call:.2}");
}

async fn bench(uri: &str, server: &str) -> Result<(), BoxError> {
    let counter = Counter::default();
    let sink = counter.clone();
    let db_name = format!("velt_bench_{}", std::process::id());
    let config = MongoConfig::from_uri(uri).database(&db_name);
    let store = MongoStore::connect_with(&config, |opts| {
        opts.command_event_handler = Some(EventHandler::callback(move |ev: CommandEvent| {
            if matches!(ev, CommandEvent::Started(_)) {
                sink.0.fetch_add(1, Ordering::Relaxed);
            }
        }));
    })
    .await?;
    let db = store.database().clone();
    let sh = SelfHosting::builder().store(Arc::new(store)).build();
    println!(
        "bench selfhost: server {server}; through the services (SelfHosting over MongoStore), database {db_name}"
    );
    let org = "bench-org";

    // save(N): N new annotations per call. For N = 100, each call is
    // interleaved with the two driver-only references (same load for all).
    let mut reference_update = Timing::default();
    let mut reference_velt_py = Timing::default();
    for (n, calls) in [(1usize, 50u32), (10, 30), (100, 10)] {
        let document = format!("save{n}");
        // warm-up call
        let warm = parse(save_request(org, &document, 1_000_000, n))?;
        check(&sh.comments().save_comments(&warm).await.to_json())?;
        let requests = (0..calls as usize)
            .map(|c| parse(save_request(org, &document, c * n, n)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut ours = Timing::default();
        for (c, req) in requests.iter().enumerate() {
            let t = ours.start(&counter);
            check(&sh.comments().save_comments(req).await.to_json())?;
            ours.stop(t, &counter);
            if n == 100 {
                let t = reference_update.start(&counter);
                driver_update(&db, org, c * 100).await?;
                reference_update.stop(t, &counter);
                let t = reference_velt_py.start(&counter);
                driver_velt_py_pattern(&db, org, c * 100).await?;
                reference_velt_py.stop(t, &counter);
            }
        }
        ours.report(&format!("save({n})"));
    }

    // get of a document holding 1,000 annotations, interleaved with the raw
    // driver reading the same documents.
    let seed = parse(save_request(org, "big", 0, 1000))?;
    check(&sh.comments().save_comments(&seed).await.to_json())?;
    let get = parse(json!({"organizationId": org, "documentIds": ["big"]}))?;
    let resp = sh.comments().get_comments(&get).await.to_json();
    check(&resp)?;
    let got = resp["data"].as_object().map(Map::len).unwrap_or(0);
    if got != 1000 {
        return Err(format!("get(1000) returned {got} annotations").into());
    }
    let coll = db.collection::<RawDocumentBuf>("comment_annotations");
    let mut ours = Timing::default();
    let mut reference_find = Timing::default();
    for _ in 0..10 {
        let t = ours.start(&counter);
        check(&sh.comments().get_comments(&get).await.to_json())?;
        ours.stop(t, &counter);
        let t = reference_find.start(&counter);
        let mut cursor = coll
            .find(doc! {"metadata.organizationId": org, "metadata.documentId": {"$in": ["big"]}})
            .batch_size(100_000)
            .await?;
        let mut n = 0;
        while cursor.advance().await? {
            n += 1;
        }
        if n != 1000 {
            return Err(format!("driver find returned {n}").into());
        }
        reference_find.stop(t, &counter);
    }
    ours.report("get(1000)");

    // get of 100 users.
    let users: Vec<Value> = (0..100)
        .map(|i| {
            json!({"userId": format!("user-{i}"), "name": format!("User {i}"),
                   "email": format!("user{i}@example.com"),
                   "photoUrl": format!("https://example.com/u/{i}.png"), "color": "#336699"})
        })
        .collect();
    let save_users = parse(json!({"organizationId": org, "users": users}))?;
    check(&sh.users().save_users(&save_users).await.to_json())?;
    let ids: Vec<String> = (0..100).map(|i| format!("user-{i}")).collect();
    let get_users = parse(json!({"organizationId": org, "userIds": ids}))?;
    let resp = sh.users().get_users(&get_users).await.to_json();
    check(&resp)?;
    let got = resp["data"].as_object().map(Map::len).unwrap_or(0);
    if got != 100 {
        return Err(format!("get users(100) returned {got} users").into());
    }
    let mut ours = Timing::default();
    for _ in 0..20 {
        let t = ours.start(&counter);
        check(&sh.users().get_users(&get_users).await.to_json())?;
        ours.stop(t, &counter);
    }
    ours.report("get_users(100)");

    reference_find.report("reference_driver_find(1000)");
    reference_update.report("reference_driver_update(100)");
    reference_velt_py.report("reference_velt_py_pattern_save(100)");

    sh.store().ping().await?;
    db.drop().await?;
    Ok(())
}

/// Accumulated time and commands of one scenario.
#[derive(Default)]
struct Timing {
    elapsed: Duration,
    commands: u64,
    calls: u32,
}

impl Timing {
    fn start(&self, counter: &Counter) -> (Instant, u64) {
        (Instant::now(), counter.get())
    }

    fn stop(&mut self, (at, before): (Instant, u64), counter: &Counter) {
        self.elapsed += at.elapsed();
        self.commands += counter.get() - before;
        self.calls += 1;
    }

    fn report(&self, scenario: &str) {
        report(scenario, self.elapsed, self.calls.max(1), self.commands);
    }
}

/// The store's single `update` command for 100 new annotations, built with
/// the driver directly.
async fn driver_update(db: &mongodb::Database, org: &str, base: usize) -> Result<(), BoxError> {
    let mut updates = Vec::with_capacity(100);
    for i in base..base + 100 {
        let (id, set) = flat_annotation(i, "reference-update", org)?;
        updates.push(doc! {
            "q": {"metadata.organizationId": org, "annotationId": id},
            "u": {"$set": set}, "upsert": true, "multi": false
        });
    }
    db.run_command(doc! {"update": "comment_annotations", "updates": updates, "ordered": true})
        .await?;
    Ok(())
}

/// velt-py's pattern: one upsert command per annotation.
async fn driver_velt_py_pattern(
    db: &mongodb::Database,
    org: &str,
    base: usize,
) -> Result<(), BoxError> {
    let coll = db.collection::<bson::Document>("comment_annotations");
    for i in base..base + 100 {
        let (id, set) = flat_annotation(i, "reference-velt-py", org)?;
        coll.update_one(
            doc! {"annotationId": id, "metadata.organizationId": org},
            doc! {"$set": set},
        )
        .upsert(true)
        .await?;
    }
    Ok(())
}

/// An annotation as a `$set` document (`metadata.<key>` paths).
fn flat_annotation(
    i: usize,
    document: &str,
    org: &str,
) -> Result<(String, bson::Document), BoxError> {
    let bson::Bson::Document(mut set) = bson::to_bson(&annotation(i, document))? else {
        return Err("annotation is not a document".into());
    };
    let mut flat = bson::Document::new();
    if let Some(bson::Bson::Document(meta)) = set.remove("metadata") {
        for (k, v) in meta {
            flat.insert(format!("metadata.{k}"), v);
        }
    }
    flat.insert("metadata.organizationId", org);
    let id = set.get_str("annotationId")?.to_owned();
    for (k, v) in set {
        flat.insert(k, v);
    }
    Ok((id, flat))
}

fn check(resp: &Value) -> Result<(), BoxError> {
    if resp["success"] == json!(true) {
        Ok(())
    } else {
        Err(format!("service call failed: {resp}").into())
    }
}
