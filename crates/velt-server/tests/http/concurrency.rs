//! Concurrency: 32 clients on the same documents.

use std::sync::Arc;

use serde_json::json;

use crate::common::start;
use crate::ok;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_clients_lose_no_update() {
    let s = Arc::new(start().await);
    let mut tasks = Vec::new();
    for c in 0..32 {
        let s = Arc::clone(&s);
        tasks.push(tokio::spawn(async move {
            for i in 0..8 {
                let doc = format!("doc-{}", i % 2);
                // Each client adds its own annotations to the shared documents...
                let save = json!({
                    "commentAnnotation": {format!("c{c}-{i}"): {"comments": {"1": {"commentText": format!("{c}/{i}")}}}},
                    "metadata": {"organizationId": "org-a", "documentId": doc}
                });
                let (st, body) = s.post("/v1/comments/save", &save).await;
                assert_eq!((st, body), (200, ok()));
                // ...and all of them update the same annotation, each with
                // its own key: merges must not lose any of them.
                let shared = json!({
                    "commentAnnotation": {"shared": {format!("client{c}x{i}"): true}},
                    "metadata": {"organizationId": "org-a", "documentId": "doc-0"}
                });
                let (st, _) = s.post("/v1/comments/save", &shared).await;
                assert_eq!(st, 200);
                let (st, body) = s
                    .post(
                        "/v1/comments/get",
                        &json!({"organizationId": "org-a", "documentIds": [doc]}),
                    )
                    .await;
                assert_eq!(st, 200);
                let got = body["data"].as_object().unwrap();
                for j in (i % 2..=i).step_by(2) {
                    assert!(
                        got.contains_key(&format!("c{c}-{j}")),
                        "client {c} lost c{c}-{j}"
                    );
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (_, body) = s
        .post(
            "/v1/comments/get",
            &json!({"organizationId": "org-a", "documentIds": ["doc-0", "doc-1"]}),
        )
        .await;
    let got = body["data"].as_object().unwrap();
    assert_eq!(got.len(), 32 * 8 + 1);
    let shared = got["shared"].as_object().unwrap();
    for c in 0..32 {
        for i in 0..8 {
            assert_eq!(shared[&format!("client{c}x{i}")], json!(true));
        }
    }
}
