//! Self-hosting on the embedded persistent SQLite store (the default of
//! `velt-server`): data survives restarts.
//!
//! ```sh
//! cargo run -p velt --features sqlite --example selfhost_sqlite
//! ```

use std::sync::Arc;

use velt::prelude::*;
use velt::selfhost::backends::sqlite::SqliteStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join("velt-rs-example");
    std::fs::create_dir_all(&dir)?;
    let store = SqliteStore::open(dir.join("velt.db"))?;
    let sdk = VeltSdk::builder().store(Arc::new(store)).build()?;
    let sh = sdk.self_hosting()?;

    let save = serde_json::json!({
        "reactionAnnotation": {"r-1": {"icon": "thumbsup", "user": {"userId": "u-1"}}},
        "metadata": {"organizationId": "org-1", "documentId": "doc-1"}
    });
    let resp = match parse_request::<SaveReactionResolverRequest>(save) {
        Ok(req) => sh.reactions().save_reactions(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("save -> {}", resp.to_json());

    let get = serde_json::json!({"organizationId": "org-1", "documentIds": ["doc-1"]});
    let resp = match parse_request::<GetReactionResolverRequest>(get) {
        Ok(req) => sh.reactions().get_reactions(&req).await,
        Err(bad_request) => bad_request,
    };
    println!("get  -> {} (stored in {})", resp.to_json(), dir.display());
    Ok(())
}
