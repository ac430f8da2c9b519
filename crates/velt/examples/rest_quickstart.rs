//! REST quick start: add an organization, then list organizations page by page.
//!
//! ```sh
//! VELT_API_KEY=... VELT_AUTH_TOKEN=... cargo run -p velt --example rest_quickstart
//! ```
//! `VELT_API_BASE_URL` points it at a proxy or a local stub instead of api.velt.dev.

use futures_util::StreamExt;
use velt::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sdk = VeltSdk::from_env()?;

    let add = AddOrganizationsRequest {
        organizations: Some(vec![serde_json::json!({
            "organizationId": "org-rust-example",
            "organizationName": "Example from velt-rs",
        })]),
    };
    match sdk.api().organizations().add_organizations(&add).await {
        Ok(resp) => println!(
            "added: status={:?} message={:?}",
            resp.status(),
            resp.message()
        ),
        Err(velt::rest::Error::Api(e)) => {
            eprintln!("Velt refused: HTTP {} {:?}", e.http_status, e.message)
        }
        Err(e) => return Err(e.into()),
    }

    let first = GetOrganizationsRequest {
        page_size: Some(50),
        ..Default::default()
    };
    let mut pages = sdk.api().organizations().get_organizations_pages(&first);
    while let Some(page) = pages.next().await {
        let page = page?;
        println!("page: {}", page.data().cloned().unwrap_or_default());
    }
    Ok(())
}
