//! Provides a MongoDB-protocol server for the test suite (owned by the Mongo engineer).
//!
//! Order: `VELT_TEST_MONGODB_URI` if set; testcontainers when a Docker engine
//! answers; otherwise `secantusdb` from PyPI in a venv under `target/`.

use crate::BoxError;

/// A running server; stops it (if we started it) when dropped.
#[derive(Debug)]
pub struct MongoServer {
    /// Connection string.
    pub uri: String,
    /// Which server and version, for the summary line.
    pub description: String,
}

/// Finds or starts a server.
pub async fn provide() -> Result<MongoServer, BoxError> {
    match std::env::var("VELT_TEST_MONGODB_URI") {
        Ok(uri) if !uri.is_empty() => Ok(MongoServer {
            uri,
            description: "VELT_TEST_MONGODB_URI".into(),
        }),
        _ => Err("no MongoDB: set VELT_TEST_MONGODB_URI (auto-start not written yet)".into()),
    }
}
