//! Connection settings: `manage_schema = false`, typed and redacted
//! connection errors, `statement_timeout`.

use super::*;

#[tokio::test]
async fn manage_schema_false_creates_nothing_and_the_printed_ddl_is_enough() {
    let schema = fresh_schema();
    let client = sql_client().await;
    client
        .batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .unwrap();
    let cfg = config(&schema).manage_schema(false);
    let store = PostgresStore::connect(&cfg).await.unwrap();
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
            &[&schema],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    let err = store
        .find(Collection::Comments, &scope("o"), &Selector::All)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Backend { .. }), "{err:?}");
    assert!(err.to_string().contains("does not exist"), "{err}");
    // What a DBA would run, in one transaction.
    let ddl = postgres_schema_sql(&cfg);
    client
        .batch_execute(&format!("BEGIN; {ddl} COMMIT;"))
        .await
        .unwrap();
    upsert(
        &store,
        Collection::Comments,
        &scope("o"),
        vec![comment("a", "d")],
    )
    .await;
    assert_eq!(
        find(&store, Collection::Comments, &scope("o"), &Selector::All)
            .await
            .len(),
        1
    );
    let indexes: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'ix\\_%'",
            &[&schema],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(indexes, 42);
}

#[tokio::test]
async fn wrong_password_and_unreachable_server_are_unavailable_and_redacted() {
    let _ = server_url();
    // Nothing listens on this port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = PostgresConfig::from_url(format!(
        "postgres://velt:s3cret-pass@127.0.0.1:{port}/velt?sslmode=disable"
    ))
    .connect_timeout(Duration::from_secs(2));
    let started = Instant::now();
    let err = PostgresStore::connect(&cfg).await.unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    for text in [format!("{err}"), format!("{err:?}"), format!("{cfg:?}")] {
        assert!(!text.contains("s3cret"), "password leaked: {text}");
    }
    // A server that refuses the password (a role that does not exist).
    let url = server_url();
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = &rest[rest.rfind('@').map(|i| i + 1).unwrap_or(0)..];
    let cfg = PostgresConfig::from_url(format!("{scheme}://no_such_role:s3cret-pass@{host}"));
    let err = PostgresStore::connect(&cfg).await.unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("no_such_role"), "{text}");
    assert!(!text.contains("s3cret"), "password leaked: {text}");
    // A malformed URL is a configuration error, redacted too.
    let err = PostgresStore::connect(&PostgresConfig::from_url(
        "postgres://u:s3cret@h/db?sslmode=bogus",
    ))
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        velt_selfhost::backends::postgres::PostgresStoreError::InvalidConfig { .. }
    ));
    assert!(!format!("{err} {err:?}").contains("s3cret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_timeout_bounds_a_blocked_save() {
    let schema = fresh_schema();
    store_in(&schema).await;
    let store = PostgresStore::connect(
        &config(&schema)
            .manage_schema(false)
            .statement_timeout(Duration::from_millis(300)),
    )
    .await
    .unwrap();
    let mut other = sql_client().await;
    let tx = other.transaction().await.unwrap();
    let key = format!(
        "{schema}.comment_annotations:{{\"annotationId\": \"a\", \"metadata.organizationId\": \"o\"}}"
    );
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&key],
    )
    .await
    .unwrap();
    let started = Instant::now();
    let err = store
        .upsert_many(Collection::Comments, &scope("o"), vec![comment("a", "d")])
        .await
        .unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(err.to_string().contains("statement timeout"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    tx.rollback().await.unwrap();
    // Nothing half-written, and the connection is usable again.
    assert!(
        find(&store, Collection::Comments, &scope("o"), &Selector::All)
            .await
            .is_empty()
    );
    upsert(
        &store,
        Collection::Comments,
        &scope("o"),
        vec![comment("a", "d")],
    )
    .await;
    assert_eq!(
        find(&store, Collection::Comments, &scope("o"), &Selector::All)
            .await
            .len(),
        1
    );
}
