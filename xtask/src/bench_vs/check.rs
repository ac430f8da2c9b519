//! Seeding and the pre-check: both servers get the same data through their
//! own save route, and must give the same answers (status and JSON) to the
//! same requests before anything is timed. The bodies are those of
//! `crates/velt-server/benches/server.rs` (and of `xtask/bench/wrk.lua`).

use serde_json::{Value, json};

use super::servers::Server;
use crate::BoxError;

/// Annotations of the document every read scenario reads.
pub const DOC_ANNOTATIONS: usize = 1_000;

/// Annotation `i` of document `doc`.
pub fn annotation(i: usize, doc: &str) -> Value {
    json!({
        "annotationId": format!("{doc}-ann-{i}"),
        "comments": {
            "1": {
                "commentId": 1,
                "commentText": format!("Comment {i}: the quick brown fox jumps over the lazy dog, twice over."),
                "commentHtml": format!("<p>Comment {i}: the quick brown fox jumps over the lazy dog, twice over.</p>"),
                "from": {"userId": format!("user-{}", i % 50), "name": "Ada Lovelace", "email": "ada@example.com"},
                "createdAt": 1_700_000_000_000u64 + i as u64
            }
        },
        "from": {"userId": format!("user-{}", i % 50)},
        "status": {"id": "OPEN", "name": "Open", "type": "default"}
    })
}

/// A save of annotations `ids` of `doc`.
pub fn save_body(doc: &str, ids: impl Iterator<Item = usize>) -> Value {
    let map: serde_json::Map<String, Value> = ids
        .map(|i| (format!("{doc}-ann-{i}"), annotation(i, doc)))
        .collect();
    json!({
        "commentAnnotation": map,
        "metadata": {"organizationId": "org-bench", "documentId": doc}
    })
}

/// Annotation `i` of `doc` as a get answers it: the saved record with the
/// metadata the save stamped on it.
pub fn stored(i: usize, doc: &str) -> Value {
    let mut a = annotation(i, doc);
    a["metadata"] = json!({"organizationId": "org-bench", "documentId": doc});
    a
}

/// A get of the 10 annotations the by-ids scenario asks for as its `n`-th request.
pub fn ids_body(n: usize) -> Value {
    let ids: Vec<String> = (0..10)
        .map(|k| format!("doc-big-ann-{}", (n * 37 + k * 101) % DOC_ANNOTATIONS))
        .collect();
    json!({"organizationId": "org-bench", "commentAnnotationIds": ids})
}

/// One answer: status and body.
struct Answer {
    status: u16,
    bytes: Vec<u8>,
    json: Value,
}

async fn post(server: &Server, op: &str, token: &str, body: &Value) -> Result<Answer, BoxError> {
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/comments/{op}", server.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await?.to_vec();
    let json = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: /v1/comments/{op} answered {status} with no JSON ({e}): {}",
            server.label,
            String::from_utf8_lossy(&bytes)
        )
    })?;
    Ok(Answer {
        status,
        bytes,
        json,
    })
}

/// Saves the 1,000-annotation document through `server` (100 per save).
pub async fn seed(server: &Server, token: &str) -> Result<(), BoxError> {
    for chunk in 0..DOC_ANNOTATIONS / 100 {
        let body = save_body("doc-big", chunk * 100..(chunk + 1) * 100);
        let a = post(server, "save", token, &body).await?;
        if a.status != 200 || a.json != json!({"success": true, "statusCode": 200}) {
            return Err(format!(
                "{}: seeding save answered {}: {}",
                server.label, a.status, a.json
            )
            .into());
        }
    }
    Ok(())
}

/// The first place where `a` and `b` differ, as a JSON path with both values.
pub fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: only in the first ({v})")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: only in the second ({})", y[k]))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

/// Sends one request to both servers and compares the answers; `expect`
/// is the answer both must give. Prints one line; an error on any
/// difference.
async fn same(
    label: &str,
    rs: &Server,
    py: &Server,
    op: &str,
    token: &str,
    body: &Value,
    expect_status: u16,
    expect: Option<&Value>,
) -> Result<(), BoxError> {
    let a = post(rs, op, token, body).await?;
    let b = post(py, op, token, body).await?;
    if a.status != expect_status || b.status != expect_status {
        return Err(format!(
            "pre-check {label}: status {} (velt-server) and {} (velt-py), expected {expect_status}: {} / {}",
            a.status, b.status, a.json, b.json
        )
        .into());
    }
    if let Some(d) = first_difference(&a.json, &b.json, "$") {
        return Err(format!("pre-check {label}: velt-server and velt-py differ at {d}").into());
    }
    if let Some(expect) = expect
        && let Some(d) = first_difference(&a.json, expect, "$")
    {
        return Err(format!("pre-check {label}: both answered, but not as expected: {d}").into());
    }
    let bytes = if a.bytes == b.bytes {
        "byte for byte".to_owned()
    } else {
        format!(
            "same JSON value; bytes differ (key order or spacing: {} vs {} bytes)",
            a.bytes.len(),
            b.bytes.len()
        )
    };
    println!("  pre-check {label}: {expect_status}, {bytes}");
    Ok(())
}

/// Expected answer of a get of these annotations.
fn get_answer(records: impl Iterator<Item = (usize, String)>) -> Value {
    let data: serde_json::Map<String, Value> = records
        .map(|(i, doc)| (format!("{doc}-ann-{i}"), stored(i, &doc)))
        .collect();
    json!({"data": data, "success": true, "statusCode": 200})
}

/// The pre-check: reads of the seeded data, a save and its read back, a
/// wrong token.
pub async fn pre_check(rs: &Server, py: &Server, token: &str) -> Result<(), BoxError> {
    let ids = ids_body(0);
    let expect = get_answer((0..10).map(|k| ((k * 101) % DOC_ANNOTATIONS, "doc-big".to_owned())));
    same(
        "get by 10 ids",
        rs,
        py,
        "get",
        token,
        &ids,
        200,
        Some(&expect),
    )
    .await?;
    let doc = json!({"organizationId": "org-bench", "documentIds": ["doc-big"]});
    let expect = get_answer((0..DOC_ANNOTATIONS).map(|i| (i, "doc-big".to_owned())));
    same(
        "get of the 1,000-annotation document",
        rs,
        py,
        "get",
        token,
        &doc,
        200,
        Some(&expect),
    )
    .await?;
    let save = save_body("doc-check", 0..10);
    let ok = json!({"success": true, "statusCode": 200});
    same(
        "save of 10 annotations",
        rs,
        py,
        "save",
        token,
        &save,
        200,
        Some(&ok),
    )
    .await?;
    let read = json!({"organizationId": "org-bench", "documentIds": ["doc-check"]});
    let expect = get_answer((0..10).map(|i| (i, "doc-check".to_owned())));
    same(
        "get of the saved annotations",
        rs,
        py,
        "get",
        token,
        &read,
        200,
        Some(&expect),
    )
    .await?;
    let no_org = json!({"documentIds": ["doc-big"]});
    same(
        "get without organizationId",
        rs,
        py,
        "get",
        token,
        &no_org,
        400,
        None,
    )
    .await?;
    same(
        "get with a wrong token",
        rs,
        py,
        "get",
        "wrong-token",
        &doc,
        401,
        None,
    )
    .await?;
    Ok(())
}

/// After the timed saves: annotation `i` of `doc`, written by wrk's script,
/// reads back from both servers as the Rust bodies would have written it
/// (so the Lua bodies are the bench's bodies).
pub async fn check_saved(
    rs: &Server,
    py: &Server,
    token: &str,
    doc: &str,
    i: usize,
) -> Result<(), BoxError> {
    let body =
        json!({"organizationId": "org-bench", "commentAnnotationIds": [format!("{doc}-ann-{i}")]});
    let expect = get_answer(std::iter::once((i, doc.to_owned())));
    same(
        &format!("read back of a timed save ({doc}-ann-{i})"),
        rs,
        py,
        "get",
        token,
        &body,
        200,
        Some(&expect),
    )
    .await
}
