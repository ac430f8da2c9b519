//! Self-hosting on MongoDB with velt-py's collections and layout: a database
//! written by velt-py reads back unchanged.
//!
//! ```sh
//! VELT_MONGODB_URI=mongodb://127.0.0.1:27017/velt \
//!   cargo run -p velt --features mongodb --example selfhost_mongodb
//! ```

use std::sync::Arc;

use velt::prelude::*;
use velt::selfhost::backends::mongodb::{MongoConfig, MongoStore};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let uri = std::env::var("VELT_MONGODB_URI")
        .unwrap_or_else(|_| "mongodb://127.0.0.1:27017/velt".to_owned());
    let store = MongoStore::connect(&MongoConfig::from_uri(uri)).await?;
    let sdk = VeltSdk::builder()
        .from_env()
        .store(Arc::new(store))
        .build()?;
    let sh = sdk.self_hosting()?;

    let save = serde_json::json!({
        "organizationId": "org-1",
        "notifications": {"n-1": {"displayHeadlineMessageTemplate": "Hello", "notifyUsers": [{"userId": "u-1"}]}}
    });
    let resp = match parse_request::<SaveNotificationResolverRequest>(save) {
        Ok(req) => sh.notifications().save_notifications(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("save -> {}", resp.to_json());

    let get = serde_json::json!({"organizationId": "org-1"});
    let resp = match parse_request::<GetNotificationResolverRequest>(get) {
        Ok(req) => sh.notifications().get_notifications(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("get  -> {}", resp.to_json());
    Ok(())
}
