//! Permission grants on the MongoDB store (`VELT_TEST_MONGODB_URI`; without
//! it the binary fails when `VELT_TEST_REQUIRE_SERVERS`/`CI` is set, else
//! prints a skip notice and exits without counting a test).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "permissions/suite.rs"]
mod suite;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use velt_selfhost::backends::mongodb::{MongoConfig, MongoStore};

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

#[tokio::test]
async fn mongodb_store_holds_and_resolves_grants() {
    let uri = match std::env::var("VELT_TEST_MONGODB_URI") {
        Ok(u) if !u.is_empty() => u,
        _ if flag("VELT_TEST_REQUIRE_SERVERS") || flag("CI") => {
            panic!("VELT_TEST_MONGODB_URI is not set but servers are required")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIP tests/permissions_mongo.rs: VELT_TEST_MONGODB_URI is not set"
            );
            std::process::exit(0);
        }
    };
    let db = format!(
        "vt_perm_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let store = MongoStore::connect(
        &MongoConfig::from_uri(uri)
            .database(&db)
            .server_selection_timeout(Duration::from_secs(20)),
    )
    .await
    .unwrap();
    let store: Arc<dyn velt_selfhost::store::Store> = Arc::new(store);
    suite::run(store.clone()).await;
    suite::run_groups(store).await;
}
