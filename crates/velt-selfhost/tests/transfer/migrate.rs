//! Migration: interrupted and resumed, count check, empty target.

use super::*;

async fn seeded_mongo_source() -> MongoStore {
    let source = mongo().await;
    seed(&source, &["org-a", "org-b"], 4).await;
    // A velt-py user record without an organization: copied as it is
    // (both MongoDB and PostgreSQL hold such records).
    source
        .database()
        .collection::<bson::Document>("users")
        .insert_one(bson::doc! {"userId": "legacy"})
        .await
        .unwrap();
    source
}

fn checkpoint_json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_migration_interrupted_half_way_and_resumed_equals_an_uninterrupted_one() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = seeded_mongo_source().await;
    let want = snapshot(&source).await;

    // Uninterrupted: MongoDB -> PostgreSQL.
    let straight = postgres().await;
    let opts =
        MigrateOptions::new(dir.path().join("straight.json"), "mongo-src", "pg-1").batch_size(3);
    let MigrateOutcome::Complete(report) = transfer::migrate(&source, &straight, &opts, &none)
        .await
        .unwrap()
    else {
        panic!("not complete")
    };
    assert_eq!(report.copied.total(), 81);
    assert_eq!(report.skipped_without_org.total(), 0);
    assert_eq!(report.checks.len(), Collection::ALL.len());
    let users = report
        .checks
        .iter()
        .find(|c| c.collection == Collection::Users)
        .unwrap();
    assert_eq!(
        (users.source, users.source_without_org, users.target),
        (9, 0, 9)
    );

    // Interrupted after 5 batches of 3 (comments: 3 batches, reactions: 2),
    // then resumed.
    let resumed = postgres().await;
    let state = dir.path().join("resumed.json");
    let opts = MigrateOptions::new(&state, "mongo-src", "pg-2")
        .batch_size(3)
        .max_batches(Some(5));
    let out = transfer::migrate(&source, &resumed, &opts, &none)
        .await
        .unwrap();
    let MigrateOutcome::Interrupted { batches, copied } = out else {
        panic!("{out:?}")
    };
    assert_eq!(batches, 5);
    assert_eq!(copied.get(Collection::Comments), 8);
    assert_eq!(copied.get(Collection::Reactions), 6);
    assert_eq!(copied.total(), 14);
    assert_eq!(scan_all(&resumed, Collection::Comments, 100).await.len(), 8);
    assert_eq!(
        scan_all(&resumed, Collection::Reactions, 100).await.len(),
        6
    );
    assert_eq!(scan_all(&resumed, Collection::Users, 100).await.len(), 0);
    let cp = checkpoint_json(&state);
    assert_eq!(cp["complete"], json!(false));
    assert_eq!(cp["source"], json!("mongo-src"));
    assert_eq!(cp["collections"]["comments"]["done"], json!(true));
    assert_eq!(cp["collections"]["comments"]["copied"], json!(8));
    assert_eq!(cp["collections"]["reactions"]["done"], json!(false));
    assert!(cp["collections"]["reactions"]["after"].is_string());

    // A checkpoint of another migration is refused.
    let wrong = MigrateOptions::new(&state, "mongo-src", "pg-other").batch_size(3);
    let err = transfer::migrate(&source, &resumed, &wrong, &none)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "belongs to a migration from mongo-src to pg-2, not from mongo-src to pg-other"
        ),
        "{err}"
    );

    // The resumed run goes on from the checkpoint: 25 of the 30 batches
    // (3 per collection) are left, holding 67 of the 81 source records.
    let opts = opts.max_batches(None);
    let calls = AtomicU64::new(0);
    let records = AtomicU64::new(0);
    let count = |_: Collection, n: u64| {
        calls.fetch_add(1, Ordering::SeqCst);
        records.fetch_add(n, Ordering::SeqCst);
    };
    let out = transfer::migrate(&source, &resumed, &opts, &count)
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 25);
    assert_eq!(records.load(Ordering::SeqCst), 81 - 14);
    let MigrateOutcome::Complete(report2) = out else {
        panic!("{out:?}")
    };
    assert_eq!(report2.copied, report.copied);
    assert_eq!(report2.checks, report.checks);
    assert_eq!(checkpoint_json(&state)["complete"], json!(true));

    let got_straight = snapshot(&straight).await;
    let got_resumed = snapshot(&resumed).await;
    assert_eq!(got_resumed, got_straight, "resumed == uninterrupted");
    // And both are the source, its record without an organization included.
    assert_eq!(got_straight, want);
    assert_eq!(total(&want), 81);
}

#[tokio::test]
async fn the_count_check_catches_a_mismatch_and_a_new_migration_needs_an_empty_target() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir);
    seed(&source, &["org-a", "org-b"], 2).await;
    let target = postgres().await;
    let state = dir.path().join("state.json");
    let opts = MigrateOptions::new(&state, "sqlite-src", "pg").batch_size(3);
    let out = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap();
    assert!(matches!(out, MigrateOutcome::Complete(_)), "{out:?}");

    // A record lost in the target, one added to the source.
    let gone = target
        .delete(
            Collection::Attachments,
            &scope("org-b"),
            &RecordId::Int(1001),
        )
        .await
        .unwrap();
    assert!(gone.is_some());
    upsert(
        &source,
        Collection::Users,
        &scope("org-z"),
        vec![record(Collection::Users, 9, json!(1))],
    )
    .await;
    let err = transfer::migrate(&source, &target, &opts, &none)
        .await
        .unwrap_err();
    let TransferError::CountMismatch { mismatches } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        mismatches,
        &vec![
            CountMismatch {
                collection: Collection::Attachments,
                source: 4,
                target: 3
            },
            CountMismatch {
                collection: Collection::Users,
                source: 5,
                target: 4
            },
        ]
    );
    assert_eq!(
        err.to_string(),
        "record counts differ after the migration: attachments: source 4 records, target 3; \
         users: source 5 records, target 4"
    );

    // A new migration (no checkpoint) into a target holding records.
    let fresh = MigrateOptions::new(dir.path().join("other.json"), "sqlite-src", "pg");
    let err = transfer::migrate(&source, &target, &fresh, &none)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TransferError::TargetNotEmpty {
                collection: Collection::Comments
            }
        ),
        "{err}"
    );
    assert!(!dir.path().join("other.json").exists());
}
