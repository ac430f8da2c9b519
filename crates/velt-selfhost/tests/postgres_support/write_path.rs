//! The write path under load: 32 concurrent saves of distinct and of shared
//! annotations (lock order: no deadlock, no duplicate, nothing lost), and
//! unchanged re-saves that write no new row version.

use super::*;

/// `(xmin, updated_at)` of every row, by `annotationId`: a new row version
/// (an UPDATE that wrote) changes `xmin`.
async fn versions(client: &tokio_postgres::Client, schema: &str) -> Vec<(String, String, String)> {
    client
        .query(
            &format!(
                "SELECT data ->> 'annotationId', xmin::text, updated_at::text \
                 FROM \"{schema}\".comment_annotations ORDER BY id"
            ),
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

// 32 tasks at once: each saves 10 annotations of its own and the same 20
// shared ones, every task in a different order (rotated, half of them
// reversed), so an order-dependent lock would deadlock. PostgreSQL's
// deadlock detector turns a deadlock into an error, which fails the test;
// the timeout catches a hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_saves_of_distinct_and_shared_annotations() {
    const TASKS: usize = 32;
    const SHARED: usize = 20;
    let schema = fresh_schema();
    let store = Arc::new(
        PostgresStore::connect(&config(&schema).pool_size(32))
            .await
            .unwrap(),
    );
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut shared: Vec<usize> = (0..SHARED).collect();
            shared.rotate_left(t % SHARED);
            if t % 2 == 1 {
                shared.reverse();
            }
            let mut records: Vec<Document> = shared
                .into_iter()
                .map(|s| {
                    doc(json!({
                        "annotationId": format!("shared-{s}"),
                        format!("from{t}"): t,
                        "metadata": {"documentId": "d", format!("m{t}"): t}
                    }))
                })
                .collect();
            records.extend((0..10).map(|i| comment(&format!("own-{t}-{i}"), "d")));
            store
                .upsert_many(Collection::Comments, &scope("org1"), records)
                .await
        }));
    }
    let all = tokio::time::timeout(Duration::from_secs(120), async {
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    })
    .await
    .expect("32 concurrent saves did not finish within 120 s");
    for (t, r) in all.into_iter().enumerate() {
        assert!(r.is_ok(), "save {t}: {r:?}");
    }
    let rows = rows_of(&sql_client().await, &schema, "comment_annotations").await;
    assert_eq!(rows.len(), TASKS * 10 + SHARED, "one row per annotation");
    for t in 0..TASKS {
        for i in 0..10 {
            let id = format!("own-{t}-{i}");
            let mine: Vec<&Value> = rows
                .iter()
                .filter(|r| r["annotationId"] == json!(id))
                .collect();
            assert_eq!(mine.len(), 1, "{id}");
            assert_eq!(
                mine[0]["comments"]["1"]["commentText"],
                json!(format!("text of {id}"))
            );
        }
    }
    for s in 0..SHARED {
        let id = format!("shared-{s}");
        let row: Vec<&Value> = rows
            .iter()
            .filter(|r| r["annotationId"] == json!(id))
            .collect();
        assert_eq!(row.len(), 1, "{id}");
        // Every save's top-level key and metadata key is there: no save
        // overwrote another's merge.
        for t in 0..TASKS {
            assert_eq!(row[0][&format!("from{t}")], json!(t), "{id} from{t}");
            assert_eq!(row[0]["metadata"][&format!("m{t}")], json!(t), "{id} m{t}");
        }
        assert_eq!(row[0]["metadata"]["organizationId"], json!("org1"));
    }
}

// A re-save whose merge leaves a row as it is writes nothing for that row
// (same row version, same `updated_at`); a re-save that changes a row
// writes it, in the same batch.
#[tokio::test]
async fn an_unchanged_re_save_writes_no_new_row_version() {
    let schema = fresh_schema();
    let store = store_in(&schema).await;
    let client = sql_client().await;
    let s = scope("org1");
    let batch = || vec![comment("a", "d"), comment("b", "d")];
    upsert(&store, Collection::Comments, &s, batch()).await;
    let before = versions(&client, &schema).await;
    assert_eq!(before.len(), 2);

    upsert(&store, Collection::Comments, &s, batch()).await;
    assert_eq!(
        versions(&client, &schema).await,
        before,
        "identical re-save"
    );

    let mut changed = batch();
    changed[1].insert("status".into(), json!({"id": "RESOLVED"}));
    upsert(&store, Collection::Comments, &s, changed).await;
    let after = versions(&client, &schema).await;
    assert_eq!(after[0], before[0], "a: unchanged");
    assert_eq!(after[1].0, "b");
    assert_ne!(after[1].1, before[1].1, "b: a new row version");
    assert_ne!(after[1].2, before[1].2, "b: updated_at moved");
    let rows = rows_of(&client, &schema, "comment_annotations").await;
    assert_eq!(rows[1]["status"], json!({"id": "RESOLVED"}));
    assert_eq!(rows[1]["comments"]["1"]["commentText"], json!("text of b"));
}
