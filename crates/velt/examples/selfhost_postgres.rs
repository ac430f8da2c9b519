//! Self-hosting on PostgreSQL with velt-py 0.3.0's tables and indexes: one
//! database serves velt-py and velt-rs. Prints the DDL first (what
//! `manage_schema = false` leaves to a DBA).
//!
//! ```sh
//! VELT_POSTGRES_URL=postgres://velt:password@127.0.0.1:5432/velt \
//!   cargo run -p velt --features postgres --example selfhost_postgres
//! ```

use std::sync::Arc;
use std::time::Duration;

use velt::prelude::*;
use velt::selfhost::backends::postgres::{PostgresConfig, PostgresStore, postgres_schema_sql};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("VELT_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/velt".to_owned());
    let config = PostgresConfig::from_url(url)
        .pool_size(8)
        .connect_timeout(Duration::from_secs(5))
        .statement_timeout(Duration::from_secs(10));
    // The password never prints: `{config:?}` shows `<redacted>`.
    println!("config: {config:?}");
    println!("{}", postgres_schema_sql(&config));
    let store = PostgresStore::connect(&config).await?;
    let sdk = VeltSdk::builder()
        .from_env()
        .store(Arc::new(store))
        .build()?;
    let sh = sdk.self_hosting()?;

    let save = serde_json::json!({
        "commentAnnotation": {"ann-1": {"comments": {"1": {"commentText": "Hello from Rust"}}}},
        "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
    });
    let resp = match parse_request::<SaveCommentResolverRequest>(save) {
        Ok(req) => sh.comments().save_comments(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("save -> {}", resp.to_json());

    let get = serde_json::json!({"organizationId": "org-1", "documentIds": ["doc-1"]});
    let resp = match parse_request::<GetCommentResolverRequest>(get) {
        Ok(req) => sh.comments().get_comments(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("get  -> {}", resp.to_json());
    Ok(())
}
