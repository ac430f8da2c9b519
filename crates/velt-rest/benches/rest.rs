//! REST client benchmark (`cargo xtask bench rest`).
//!
//! Starts a minimal keep-alive HTTP/1.1 stub on its own thread (a hand-written
//! tokio TCP responder answering fixed JSON), then measures, for
//! `get_organizations` and for `add_comment_annotations` with a 20-comment
//! payload: 2000 sequential calls and 20,000 calls at concurrency 64.
//!
//! CPU is read from `/proc/self/task/<tid>/schedstat` (nanoseconds on CPU per
//! thread): client CPU = all threads of the process minus the stub thread,
//! whose own cost is printed separately. Each scenario runs three times
//! (the machine is shared); the run with the median client CPU is reported.

use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use velt_models::rest::{AddCommentAnnotationsRequest, GetOrganizationsRequest};
use velt_rest::{RetryPolicy, VeltClient};

type BoxError = Box<dyn Error + Send + Sync>;

const SEQUENTIAL_CALLS: usize = 2_000;
const CONCURRENT_CALLS: usize = 20_000;
const CONCURRENCY: usize = 64;
const WARMUP_CALLS: usize = 200;
const REPEATS: usize = 3;

fn main() -> Result<(), BoxError> {
    let (addr, stub_tid) = start_stub()?;
    // VELT_BENCH_RUNTIME=current runs the client on a current-thread runtime.
    let current = std::env::var("VELT_BENCH_RUNTIME").is_ok_and(|v| v == "current");
    let rt = if current {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?
    };
    let runtime_name = if current {
        "current-thread"
    } else {
        "multi-thread x2"
    };
    let client = VeltClient::builder()
        .api_key("bench-key")
        .auth_token("bench-token")
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy::disabled())
        .build()?;

    let get_req = GetOrganizationsRequest {
        organization_ids: Some(vec!["org-1".into(), "org-2".into()]),
        page_size: Some(100),
        page_token: None,
    };
    let add_req = comment_payload();
    let add_bytes = serde_json::to_vec(&json!({ "data": &add_req }))?.len();
    println!(
        "bench rest: stub on {addr} (own thread), client runtime = tokio {runtime_name}, \
         add_comment_annotations body = {add_bytes} bytes (20 annotations x 1 comment)"
    );

    // Client-side encoding alone, the part of a call that grows with the
    // payload (best of 5 rounds of 2000).
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..2000 {
            std::hint::black_box(velt_rest::__bench::encode_body(std::hint::black_box(
                &add_req,
            )));
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e6 / 2000.0);
    }
    println!("  encode add_comment_annotations_20 body alone: {best:.1} us");

    let get = {
        let client = client.clone();
        let req = Arc::new(get_req);
        move || {
            let client = client.clone();
            let req = req.clone();
            async move {
                client
                    .organizations()
                    .get_organizations(&req)
                    .await
                    .map(drop)
            }
        }
    };
    let add = {
        let client = client.clone();
        let req = Arc::new(add_req);
        move || {
            let client = client.clone();
            let req = req.clone();
            async move {
                client
                    .comment_annotations()
                    .add_comment_annotations(&req)
                    .await
                    .map(drop)
            }
        }
    };

    rt.block_on(async {
        run(
            "get_organizations/sequential",
            stub_tid,
            1,
            SEQUENTIAL_CALLS,
            get.clone(),
        )
        .await?;
        run(
            "get_organizations/concurrency64",
            stub_tid,
            CONCURRENCY,
            CONCURRENT_CALLS,
            get,
        )
        .await?;
        run(
            "add_comment_annotations_20/sequential",
            stub_tid,
            1,
            SEQUENTIAL_CALLS,
            add.clone(),
        )
        .await?;
        run(
            "add_comment_annotations_20/concurrency64",
            stub_tid,
            CONCURRENCY,
            CONCURRENT_CALLS,
            add,
        )
        .await?;
        Ok::<(), BoxError>(())
    })?;
    Ok(())
}

/// 20 comment annotations with one comment each, shaped like real ones.
fn comment_payload() -> AddCommentAnnotationsRequest {
    let annotations: Vec<Value> = (0..20)
        .map(|i| {
            json!({
                "annotationId": format!("annotation-{i}"),
                "location": {"id": "section-2", "locationName": "Pricing"},
                "targetElement": {"elementId": format!("el-{i}"), "targetText": "the quarterly numbers", "occurrence": 1},
                "status": {"id": "OPEN", "name": "Open", "type": "default"},
                "priority": null,
                "context": {"pageId": "p-42", "version": 3},
                "commentData": [{
                    "commentText": format!("Comment number {i}: please double-check these figures before Friday."),
                    "commentHtml": format!("<p>Comment number {i}: please <b>double-check</b> these figures before Friday.</p>"),
                    "from": {"userId": "user-7", "name": "Ann Example", "email": "ann@example.com"},
                    "createdAt": 1_717_000_000_000i64 + i,
                    "taggedUserContacts": [],
                }],
            })
        })
        .collect();
    AddCommentAnnotationsRequest {
        organization_id: Some("org-1".into()),
        document_id: Some("doc-1".into()),
        comment_annotations: Some(annotations),
        verify_user_permissions: Some(false),
        ..Default::default()
    }
}

/// One measured run.
struct Run {
    wall: Duration,
    client_ns: u64,
    stub_ns: u64,
    latencies: Vec<Duration>,
}

async fn run<F, Fut>(
    name: &str,
    stub_tid: u64,
    concurrency: usize,
    calls: usize,
    call: F,
) -> Result<(), BoxError>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), velt_rest::Error>> + Send,
{
    // VELT_BENCH_FILTER=<substring> runs only the matching scenarios.
    if std::env::var("VELT_BENCH_FILTER").is_ok_and(|f| !name.contains(f.as_str())) {
        return Ok(());
    }
    // Warm-up: open the connections, fault in the code paths.
    batch(concurrency, WARMUP_CALLS.max(concurrency * 4), call.clone()).await?;

    // The machine is shared: repeat, and report the run with the median client CPU.
    let mut runs = Vec::with_capacity(REPEATS);
    for _ in 0..REPEATS {
        let cpu0 = process_cpu_ns()?;
        let stub0 = thread_cpu_ns(stub_tid)?;
        let started = Instant::now();
        let latencies = batch(concurrency, calls, call.clone()).await?;
        let wall = started.elapsed();
        let stub_ns = thread_cpu_ns(stub_tid)?.saturating_sub(stub0);
        let client_ns = process_cpu_ns()?
            .saturating_sub(cpu0)
            .saturating_sub(stub_ns);
        runs.push(Run {
            wall,
            client_ns,
            stub_ns,
            latencies,
        });
    }
    runs.sort_by_key(|r| r.client_ns);
    let Some(mut r) = runs.into_iter().nth(REPEATS / 2) else {
        return Err("no run".into());
    };

    r.latencies.sort_unstable();
    let pct = |p: f64| {
        let idx = ((r.latencies.len() as f64 - 1.0) * p).round() as usize;
        r.latencies
            .get(idx)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1000.0
    };
    let n = calls as f64;
    println!(
        "bench rest {name}: calls_per_s={:.0} p50_ms={:.3} p99_ms={:.3} cpu_us_per_call={:.1}",
        n / r.wall.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        r.client_ns as f64 / n / 1000.0,
    );
    println!(
        "  stub {name}: cpu_us_per_call={:.1} ({:.0}% of the client's)",
        r.stub_ns as f64 / n / 1000.0,
        100.0 * r.stub_ns as f64 / (r.client_ns.max(1)) as f64,
    );
    Ok(())
}

/// Runs `calls` calls over `concurrency` tasks; returns every latency.
async fn batch<F, Fut>(concurrency: usize, calls: usize, call: F) -> Result<Vec<Duration>, BoxError>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), velt_rest::Error>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let next = next.clone();
        let call = call.clone();
        tasks.spawn(async move {
            let mut lat = Vec::with_capacity(calls / concurrency + 1);
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                let t = Instant::now();
                call().await?;
                lat.push(t.elapsed());
            }
            Ok::<_, velt_rest::Error>(lat)
        });
    }
    let mut all = Vec::with_capacity(calls);
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    Ok(all)
}

// ---------------------------------------------------------------- CPU clocks

/// On-CPU nanoseconds of one thread (first field of its schedstat).
fn thread_cpu_ns(tid: u64) -> Result<u64, BoxError> {
    let s = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat"))?;
    Ok(s.split_whitespace()
        .next()
        .ok_or("empty schedstat")?
        .parse()?)
}

/// On-CPU nanoseconds of every live thread of the process.
fn process_cpu_ns() -> Result<u64, BoxError> {
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task")? {
        let tid: u64 = entry?.file_name().to_string_lossy().parse()?;
        // A thread may exit between listing and reading.
        total += thread_cpu_ns(tid).unwrap_or(0);
    }
    Ok(total)
}

// ---------------------------------------------------------------- the stub

const GET_BODY: &str = r#"{"result":{"status":"success","message":"Organization(s) retrieved successfully.","data":[{"id":"org-1","organizationName":"Acme","disabled":false},{"id":"org-2","organizationName":"Globex","disabled":false}],"nextPageToken":""}}"#;
const ADD_BODY: &str = r#"{"result":{"status":"success","message":"Annotation(s) added successfully.","data":{"annotationIds":["annotation-0","annotation-1","annotation-2"]}}}"#;

fn response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Starts the stub on its own thread with a current-thread runtime; returns
/// its address and the thread id (for its CPU clock).
fn start_stub() -> Result<(std::net::SocketAddr, u64), BoxError> {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("http-stub".into())
        .spawn(move || {
            let tid = std::fs::read_link("/proc/thread-self")
                .ok()
                .and_then(|p| p.file_name()?.to_str()?.parse::<u64>().ok());
            let _ = tx.send(tid);
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(listener) = TcpListener::from_std(std_listener) else {
                    return;
                };
                let get = Arc::new(response(GET_BODY));
                let add = Arc::new(response(ADD_BODY));
                while let Ok((sock, _)) = listener.accept().await {
                    let _ = sock.set_nodelay(true);
                    tokio::spawn(serve(sock, get.clone(), add.clone()));
                }
            });
        })?;
    let tid = rx.recv()?.ok_or("cannot read /proc/thread-self")?;
    Ok((addr, tid))
}

async fn serve(mut sock: TcpStream, get: Arc<Vec<u8>>, add: Arc<Vec<u8>>) {
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        // Head.
        let head_end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p + 4;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            }
        };
        let head = buf.get(..head_end).unwrap_or_default();
        let len = content_length(head);
        let is_get = head.starts_with(b"POST /v2/organizations/get ");
        // Body.
        while buf.len() < head_end + len {
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            }
        }
        buf.drain(..head_end + len);
        let resp = if is_get { &get } else { &add };
        if sock.write_all(resp).await.is_err() {
            return;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    let text = std::str::from_utf8(head).unwrap_or("");
    text.split("\r\n")
        .find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}
