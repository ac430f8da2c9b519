//! Provides an S3-compatible server for the test suite (owned by the S3 engineer).

use crate::BoxError;

/// A running server; stops it (if we started it) when dropped.
#[derive(Debug)]
pub struct S3Server {
    /// Endpoint URL, e.g. `http://127.0.0.1:5000`.
    pub endpoint: String,
    /// A bucket that exists.
    pub bucket: String,
    /// Which server, for logs.
    pub description: String,
}

/// Finds or starts a server.
pub async fn provide() -> Result<S3Server, BoxError> {
    Ok(S3Server {
        endpoint: std::env::var("VELT_TEST_S3_ENDPOINT").unwrap_or_default(),
        bucket: std::env::var("VELT_TEST_S3_BUCKET").unwrap_or_default(),
        description: "not started yet".into(),
    })
}
