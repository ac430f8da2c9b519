//! TLS against the test server (its certificate is signed by the CA in
//! `VELT_TEST_POSTGRES_CA`).

use super::*;

/// `VELT_TEST_POSTGRES_CA`: the CA of the test server's TLS certificate
/// (`cargo xtask test` starts a cluster with TLS on and sets it).
fn test_ca() -> Option<String> {
    match std::env::var("VELT_TEST_POSTGRES_CA") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if flag("CI") => {
            panic!("VELT_TEST_POSTGRES_CA is not set under CI: the TLS test must run")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP TLS test: VELT_TEST_POSTGRES_CA is not set (the server has no test certificate)"
            );
            None
        }
    }
}

/// The server URL with the host replaced by `localhost` (the name in the
/// test certificate) and `query` appended.
fn localhost_url(query: &str) -> String {
    let url = server_url();
    let (scheme, rest) = url.split_once("://").unwrap();
    let at = rest.rfind('@').map(|i| i + 1).unwrap_or(0);
    let (userinfo, hostpart) = rest.split_at(at);
    let port = upstream_addr().port();
    let path = hostpart
        .find(['/', '?'])
        .map(|i| &hostpart[i..])
        .unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    format!("{scheme}://{userinfo}localhost:{port}{path}?{query}")
}

async fn session_uses_tls(store: &PostgresStore) -> bool {
    let client = store.pool().get().await.unwrap();
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn tls_verify_full_with_the_root_certificate_and_refusal_without_it() {
    let _ = server_url();
    let Some(ca) = test_ca() else { return };
    let schema = fresh_schema();
    // Verified TLS with the CA given in the URL (libpq's spelling).
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(localhost_url(&format!(
            "sslmode=verify-full&sslrootcert={ca}"
        )))
        .schema(&schema),
    )
    .await
    .unwrap();
    assert!(session_uses_tls(&store).await);
    upsert(
        &store,
        Collection::Comments,
        &scope("o"),
        vec![comment("tls", "d")],
    )
    .await;
    assert_eq!(
        ids(
            &find(&store, Collection::Comments, &scope("o"), &Selector::All).await,
            "annotationId"
        ),
        vec![json!("tls")]
    );
    // The same through the builder.
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(localhost_url("application_name=tls-test"))
            .schema(&schema)
            .manage_schema(false)
            .ssl_mode(velt_selfhost::backends::postgres::SslMode::Require)
            .root_cert(&ca),
    )
    .await
    .unwrap();
    assert!(session_uses_tls(&store).await);
    // Without the CA the certificate is not trusted: a typed error.
    let err = PostgresStore::connect(
        &PostgresConfig::from_url(localhost_url("sslmode=verify-full"))
            .schema(&schema)
            .manage_schema(false),
    )
    .await
    .unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    // The host name: 127.0.0.1 is in the certificate too.
    let ip_url = localhost_url(&format!("sslmode=verify-full&sslrootcert={ca}"))
        .replace("@localhost:", "@127.0.0.1:")
        .replace("://localhost:", "://127.0.0.1:");
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(ip_url)
            .schema(&schema)
            .manage_schema(false),
    )
    .await
    .unwrap();
    assert!(session_uses_tls(&store).await);
    // A name not in the certificate (`hostaddr` still reaches the server):
    // verify-ca accepts the chain, verify-full refuses the name.
    let other_name = |mode: &str| {
        localhost_url(&format!(
            "sslmode={mode}&sslrootcert={ca}&hostaddr=127.0.0.1"
        ))
        .replace("@localhost:", "@not-in-the-cert.invalid:")
        .replace("://localhost:", "://not-in-the-cert.invalid:")
    };
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(other_name("verify-ca"))
            .schema(&schema)
            .manage_schema(false),
    )
    .await
    .unwrap();
    assert!(session_uses_tls(&store).await);
    let err = PostgresStore::connect(
        &PostgresConfig::from_url(other_name("verify-full"))
            .schema(&schema)
            .manage_schema(false),
    )
    .await
    .unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(err.to_string().contains("not valid for name"), "{err}");
    // Encryption only without a CA, as libpq's `require` and its default
    // `prefer` (which encrypts when the server offers TLS).
    for query in ["sslmode=require", "application_name=default-prefer"] {
        let store = PostgresStore::connect(
            &PostgresConfig::from_url(localhost_url(query))
                .schema(&schema)
                .manage_schema(false),
        )
        .await
        .unwrap();
        assert!(session_uses_tls(&store).await, "{query}");
    }
    // sslmode=disable really is plain TCP.
    let store = PostgresStore::connect(
        &PostgresConfig::from_url(localhost_url("sslmode=disable"))
            .schema(&schema)
            .manage_schema(false),
    )
    .await
    .unwrap();
    assert!(!session_uses_tls(&store).await);
    // A root certificate file that does not exist is a configuration error.
    let err = PostgresStore::connect(
        &PostgresConfig::from_url(localhost_url(
            "sslmode=require&sslrootcert=/nonexistent/ca.pem",
        ))
        .schema(&schema),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            velt_selfhost::backends::postgres::PostgresStoreError::InvalidConfig { .. }
        ),
        "{err:?}"
    );
}
