//! Self-hosting on the in-memory store: save a comment annotation and read it
//! back the way Velt's frontend data provider does.
//!
//! ```sh
//! cargo run -p velt --example selfhost_memory
//! ```

use std::sync::Arc;

use velt::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sdk = VeltSdk::builder()
        .api_key("example-api-key")
        .store(Arc::new(MemoryStore::new()))
        .build()?;
    let sh = sdk.self_hosting()?;

    // Exactly the JSON Velt's frontend posts to a "save comments" resolver.
    let save = serde_json::json!({
        "commentAnnotation": {
            "ann-1": {"comments": {"1": {"commentId": 1, "commentText": "Looks good"}}}
        },
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
