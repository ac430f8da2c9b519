//! Export and import across backends.

use super::*;

async fn export_to_vec(store: &dyn Store, options: &ExportOptions) -> (Vec<u8>, transfer::Counts) {
    let mut out = Vec::new();
    let counts = transfer::export(store, &mut out, options, &none)
        .await
        .unwrap();
    (out, counts)
}

#[tokio::test]
async fn export_then_import_into_other_backends_gives_identical_records() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir);
    seed(&source, &["org-a", "org-b"], 3).await;
    let (bytes, counts) = export_to_vec(&source, &ExportOptions::default().batch_size(4)).await;
    assert_eq!(counts.total(), 60);
    assert_eq!(
        counts.to_string(),
        "60 records (comments: 6, reactions: 6, recorder_annotations: 6, notifications: 6, \
         activities: 6, attachments: 6, users: 6, permissions: 6, webhook_receipts: 6, \
         webhook_outbox: 6)"
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 60);
    assert_eq!(
        lines[0],
        r#"{"collection":"comments","organizationId":"org-a","record":{"annotationId":"comments-0","n":0,"metadata":{"documentId":"doc-0","apiKey":"k","organizationId":"org-a"},"extra":{"s":"é ✓","f":1.5,"b":true,"z":null,"a":[1,{"x":"y"}]}}}"#
    );
    assert!(lines[59].starts_with(
        r#"{"collection":"webhook_outbox","organizationId":"org-b","record":{"deliveryId":"webhook_outbox-1002","n":1002,"#
    ));

    let want = snapshot(&source).await;
    assert_eq!(total(&want), 60);
    let pg = postgres().await;
    let mg = mongo().await;
    for (target, name) in [
        (&pg as &dyn Store, "postgres"),
        (&mg as &dyn Store, "mongodb"),
    ] {
        let summary = transfer::import(
            target,
            &bytes[..],
            &ImportOptions::default().batch_size(7),
            &none,
        )
        .await
        .unwrap();
        assert_eq!(summary.written, counts, "{name}");
        assert_eq!(summary.skipped_without_org.total(), 0);
        assert_eq!(snapshot(target).await, want, "{name}: identical records");
    }

    // One organization only.
    let (org_b, counts_b) =
        export_to_vec(&pg, &ExportOptions::default().organization("org-b")).await;
    assert_eq!(counts_b.total(), 30);
    let text = String::from_utf8(org_b).unwrap();
    assert!(
        text.lines()
            .all(|l| l.contains(r#""organizationId":"org-b","record""#))
    );
}

#[tokio::test]
async fn importing_twice_leaves_the_records_of_one_import() {
    require_servers();
    let dir = tempfile::tempdir().unwrap();
    let source = MemoryStore::new();
    seed(&source, &["org-a", "org-b", "org-c"], 2).await;
    let (bytes, _) = export_to_vec(&source, &ExportOptions::default()).await;
    let sq = sqlite(&dir);
    let mg = mongo().await;
    let pg = postgres().await;
    for (target, name) in [
        (&sq as &dyn Store, "sqlite"),
        (&mg as &dyn Store, "mongodb"),
        (&pg as &dyn Store, "postgres"),
    ] {
        let first = transfer::import(target, &bytes[..], &ImportOptions::default(), &none)
            .await
            .unwrap();
        let mut after_one = Vec::new();
        for c in Collection::ALL {
            after_one.push(scan_all(target, c, 1000).await);
        }
        let second = transfer::import(target, &bytes[..], &ImportOptions::default(), &none)
            .await
            .unwrap();
        assert_eq!(first, second, "{name}");
        let mut after_two = Vec::new();
        for c in Collection::ALL {
            after_two.push(scan_all(target, c, 1000).await);
        }
        // Exact: same records, same order, no duplicate.
        assert_eq!(after_one, after_two, "{name}");
        assert_eq!(after_two.iter().map(Vec::len).sum::<usize>(), 60, "{name}");
        assert_eq!(snapshot(target).await, snapshot(&source).await, "{name}");
    }
}

fn line(c: &str, org: &str, record: Value) -> String {
    json!({"collection": c, "organizationId": org, "record": record}).to_string()
}

#[tokio::test]
async fn a_bad_line_is_reported_with_its_number_and_nothing_of_its_batch_is_written() {
    require_servers();
    let good = |i: usize| line("users", "org-a", json!({"userId": format!("u{i}")}));
    let input = [
        good(1),
        good(2),
        String::new(),
        r#"{"collection":"users","organizationId":"org-a","record":{"name":"no id"}}"#.into(),
        good(3),
        r#"{"collection":"comments","#.into(),
        good(4),
    ]
    .join("\n");

    let err = transfer::validate(input.as_bytes()).unwrap_err();
    let TransferError::BadInput {
        errors,
        written_before,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*written_before, 0);
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0],
        LineError {
            line: 4,
            message: "users record without a string or integer `userId`".into()
        }
    );
    assert_eq!(errors[1].line, 6);
    assert!(
        errors[1].message.starts_with("not valid JSON: "),
        "{}",
        errors[1].message
    );
    assert!(err.to_string().starts_with(
        "2 bad input line(s) (0 records written before them): line 4: users record without a string or integer `userId`; line 6: not valid JSON"
    ), "{err}");

    let pg = postgres().await;
    // One batch holds everything: nothing is written.
    let err = transfer::import(&pg, input.as_bytes(), &ImportOptions::default(), &none)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, TransferError::BadInput { errors, written_before: 0 } if errors.len() == 2),
        "{err}"
    );
    assert_eq!(total(&snapshot(&pg).await), 0);

    // Batches of 2 records: the first batch (lines 1-2) is written, the
    // second (lines 4-5) holds the bad line and writes nothing, even its
    // good line 5.
    let err = transfer::import(
        &pg,
        input.as_bytes(),
        &ImportOptions::default().batch_size(2),
        &none,
    )
    .await
    .unwrap_err();
    let TransferError::BadInput {
        errors,
        written_before,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*written_before, 2);
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![4]);
    let users = scan_all(&pg, Collection::Users, 10).await;
    assert_eq!(
        Value::Array(users.into_iter().map(Value::Object).collect()),
        json!([{"userId": "u1", "organizationId": "org-a"}, {"userId": "u2", "organizationId": "org-a"}])
    );
}
