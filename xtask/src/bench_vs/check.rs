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

/// Sends one request to both servers and checks the answers: both must
/// have `expect_status`, and each exactly its expected body,
/// `[velt-server's, velt-py's]`. Prints one line, with the first
/// difference between the two answers when there is one.
#[allow(clippy::too_many_arguments)]
async fn same(
    label: &str,
    rs: &Server,
    py: &Server,
    op: &str,
    token: &str,
    body: &Value,
    expect_status: u16,
    expect: [Value; 2],
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
    let [ers, epy] = &expect;
    for (who, got, want) in [("velt-server", &a, ers), ("velt-py", &b, epy)] {
        if let Some(d) = first_difference(&got.json, want, "$") {
            return Err(format!("pre-check {label}: {who} did not answer as expected: {d}").into());
        }
    }
    let verdict = match first_difference(&a.json, &b.json, "$") {
        None if a.bytes == b.bytes => "same bytes".to_owned(),
        None => format!(
            "same JSON value, bytes differ (key order: {} vs {} bytes)",
            a.bytes.len(),
            b.bytes.len()
        ),
        Some(d) => format!(
            "each as expected; they differ ({} vs {} bytes): velt-py 0.3.0 reduces every user \
             object to {{userId}} on reads (self-hosting.md §13 item 10), first at {d}",
            a.bytes.len(),
            b.bytes.len()
        ),
    };
    println!("  pre-check {label}: {expect_status}, {verdict}");
    Ok(())
}

/// Expected answers of a get of these annotations: `[velt-server's,
/// velt-py's]`. velt-server answers the records as saved (with the
/// metadata the save stamped); velt-py 0.3.0 reduces the comment author
/// (`comments.*.from`) to `{userId}`, dropping `name` and `email`.
fn get_answers(records: impl Iterator<Item = (usize, String)> + Clone) -> [Value; 2] {
    let answer = |reduce: bool| {
        let data: serde_json::Map<String, Value> = records
            .clone()
            .map(|(i, doc)| {
                let mut a = stored(i, &doc);
                if reduce {
                    a["comments"]["1"]["from"] = json!({"userId": format!("user-{}", i % 50)});
                }
                (format!("{doc}-ann-{i}"), a)
            })
            .collect();
        json!({"data": data, "success": true, "statusCode": 200})
    };
    [answer(false), answer(true)]
}

/// The pre-check: reads of the seeded data, a save and its read back, a
/// missing organization, a wrong token.
pub async fn pre_check(rs: &Server, py: &Server, token: &str) -> Result<(), BoxError> {
    let ids = ids_body(0);
    let expect = get_answers((0..10).map(|k| ((k * 101) % DOC_ANNOTATIONS, "doc-big".to_owned())));
    same("get by 10 ids", rs, py, "get", token, &ids, 200, expect).await?;
    let doc = json!({"organizationId": "org-bench", "documentIds": ["doc-big"]});
    let expect = get_answers((0..DOC_ANNOTATIONS).map(|i| (i, "doc-big".to_owned())));
    same(
        "get of the 1,000-annotation document",
        rs,
        py,
        "get",
        token,
        &doc,
        200,
        expect,
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
        [ok.clone(), ok],
    )
    .await?;
    let read = json!({"organizationId": "org-bench", "documentIds": ["doc-check"]});
    let expect = get_answers((0..10).map(|i| (i, "doc-check".to_owned())));
    same(
        "get of the saved annotations",
        rs,
        py,
        "get",
        token,
        &read,
        200,
        expect,
    )
    .await?;
    let no_org = json!({"documentIds": ["doc-big"]});
    let invalid = json!({"success": false, "statusCode": 400, "error": "organizationId is required", "errorCode": "INVALID_INPUT"});
    same(
        "get without organizationId",
        rs,
        py,
        "get",
        token,
        &no_org,
        400,
        [invalid.clone(), invalid],
    )
    .await?;
    let denied = json!({"success": false, "statusCode": 401, "error": "invalid token", "errorCode": "UNAUTHORIZED"});
    same(
        "get with a wrong token",
        rs,
        py,
        "get",
        "wrong-token",
        &doc,
        401,
        [denied.clone(), denied],
    )
    .await?;
    Ok(())
}

/// After the timed saves: every annotation of `doc` that wrk's script
/// wrote through a server reads back from that server exactly as the Rust
/// bodies above would have written it (so the Lua bodies are the bench's
/// bodies, and nothing was lost or mangled under load).
pub async fn check_saved(rs: &Server, py: &Server, token: &str, doc: &str) -> Result<(), BoxError> {
    let body = json!({"organizationId": "org-bench", "documentIds": [doc]});
    let mut counts = Vec::new();
    for (server, reduced) in [(rs, false), (py, true)] {
        let a = post(server, "get", token, &body).await?;
        let data = a
            .json
            .get("data")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if a.status != 200 || data.is_empty() {
            return Err(format!(
                "read back of {doc} from {}: {} {}",
                server.label, a.status, a.json
            )
            .into());
        }
        let prefix = format!("{doc}-ann-");
        for (key, got) in &data {
            let i: usize = key
                .strip_prefix(&prefix)
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| {
                    format!(
                        "read back of {doc} from {}: unexpected key {key}",
                        server.label
                    )
                })?;
            let mut want = stored(i, doc);
            if reduced {
                want["comments"]["1"]["from"] = json!({"userId": format!("user-{}", i % 50)});
            }
            if let Some(d) = first_difference(got, &want, &format!("$.data.{key}")) {
                return Err(format!("read back of {doc} from {}: {d}", server.label).into());
            }
        }
        counts.push(data.len());
    }
    println!(
        "  check after the timed saves: {doc} holds {} annotations on velt-server, {} on velt-py, each exactly as sent",
        counts[0], counts[1]
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{first_difference, get_answers, stored};
    use serde_json::json;

    #[test]
    fn first_difference_ignores_key_order_and_names_the_path() {
        let a = json!({"x": {"a": 1, "b": [1, 2]}, "y": true});
        let b = json!({"y": true, "x": {"b": [1, 2], "a": 1}});
        assert_eq!(first_difference(&a, &b, "$"), None);
        let c = json!({"y": true, "x": {"b": [1, 3], "a": 1}});
        assert_eq!(
            first_difference(&a, &c, "$").as_deref(),
            Some("$.x.b[1]: 2 vs 3")
        );
        let d = json!({"x": {"a": 1, "b": [1, 2]}});
        assert_eq!(
            first_difference(&a, &d, "$").as_deref(),
            Some("$.y: only in the first (true)")
        );
    }

    #[test]
    fn velt_py_expectation_differs_only_in_the_comment_author() {
        let [rs, py] = get_answers(std::iter::once((7, "doc".to_owned())));
        assert_eq!(rs["data"]["doc-ann-7"], stored(7, "doc"));
        assert_eq!(
            first_difference(&rs, &py, "$").as_deref(),
            Some("$.data.doc-ann-7.comments.1.from.name: only in the first (\"Ada Lovelace\")")
        );
        let mut reduced = stored(7, "doc");
        reduced["comments"]["1"]["from"] = json!({"userId": "user-7"});
        assert_eq!(py["data"]["doc-ann-7"], reduced);
    }
}
