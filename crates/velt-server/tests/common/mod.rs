//! Shared helpers: an in-process server on an ephemeral port over a real
//! SQLite file and a real local attachment directory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use serde_json::Value;
use tempfile::TempDir;
use velt_selfhost::SelfHosting;
use velt_selfhost::attachments::local::LocalDirStorage;
use velt_selfhost::backends::sqlite::SqliteStore;
use velt_server::{Algorithm, AuthConfig, FILES_ROUTE, JwtConfig, JwtKey, ServerOptions};

pub const TOKEN: &str = "test-token-0123456789";
pub const JWT_SECRET: &str = "jwt-test-secret-that-is-long-enough";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Static token + HS256 JWT (issuer `velt-test`, audience `velt-server`).
pub fn default_auth() -> AuthConfig {
    AuthConfig::default().with_tokens([TOKEN]).with_jwt(
        JwtConfig::new([Algorithm::HS256], JwtKey::Secret(JWT_SECRET.into()))
            .issuer("velt-test")
            .audience("velt-server"),
    )
}

pub async fn start() -> TestServer {
    start_with(ServerOptions::new(default_auth())).await
}

pub async fn start_with(options: ServerOptions) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let store = SqliteStore::open(dir.path().join("velt.db")).unwrap();
    let files = LocalDirStorage::new(dir.path().join("attachments"))
        .public_base_url(format!("{base}{FILES_ROUTE}"))
        .max_bytes(options.upload_limit as u64);
    let sh = SelfHosting::builder()
        .store(Arc::new(store))
        .attachment_storage(Arc::new(files))
        .build();
    let app = velt_server::router(sh, options).unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    TestServer {
        base,
        client: reqwest::Client::new(),
        dir,
        task,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POSTs JSON with the static token; returns (status, body).
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.post_raw(path, Some(TOKEN), body.to_string().into_bytes())
            .await
    }

    /// POSTs JSON with a bearer token (or none); returns (status, body).
    pub async fn post_as(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.post_raw(path, token, body.to_string().into_bytes())
            .await
    }

    pub async fn post_raw(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut req = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("non-JSON answer ({status}) {text:?}: {e}"));
        (status, value)
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An HS256 JWT signed with [`JWT_SECRET`] (or `secret`).
pub fn jwt(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}
