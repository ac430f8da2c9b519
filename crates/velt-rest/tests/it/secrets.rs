//! Credentials never appear in Debug, Display, errors or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::Method::POST;
use httpmock::MockServer;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use velt_rest::{ClientBuilder, Error, Secret, TokenResult, VeltClient};

use crate::common::{self, API_KEY, AUTH_TOKEN, WORKSPACE_AUTH_TOKEN};

fn assert_clean(text: &str) {
    for secret in [API_KEY, AUTH_TOKEN, WORKSPACE_AUTH_TOKEN, "SECRET"] {
        assert!(!text.contains(secret), "leaked {secret:?} in: {text}");
    }
}

fn full_builder(base: &str) -> ClientBuilder {
    VeltClient::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .workspace_id("ws")
        .workspace_auth_token(WORKSPACE_AUTH_TOKEN)
        .base_url(base)
}

#[test]
fn builder_client_and_secret_debug_are_redacted() {
    let b = full_builder("http://127.0.0.1:1");
    let text = format!("{b:?} {b:#?}");
    assert_clean(&text);
    assert!(text.contains("api_key: \"set\""), "{text}");
    let c = b.build().unwrap();
    let text = format!("{c:?} {c:#?}");
    assert_clean(&text);
    assert!(text.contains("auth_token: \"set\""), "{text}");
    assert_clean(&format!("{:?}", Secret::new(API_KEY)));
}

#[test]
fn config_errors_do_not_echo_values() {
    let err = VeltClient::builder()
        .api_key("SECRET\nline")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert_clean(&format!("{err} {err:?}"));
    let err = VeltClient::builder()
        .base_url("http://user:SECRET@[bad")
        .build()
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn token_result_debug_hides_the_token() {
    let ok = TokenResult::Success {
        token: "jwt-SECRET".into(),
    };
    let text = format!("{ok:?} {ok:#?}");
    assert!(!text.contains("jwt-SECRET"), "{text}");
    assert!(text.contains("REDACTED"), "{text}");
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buf {
    type Writer = Buf;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn errors_and_logs_do_not_contain_credentials() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/organizations/get");
            then.status(403)
                .json_body(json!({"error": {"message": "denied", "status": "PERMISSION_DENIED"}}));
        })
        .await;
    let buf = Buf::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(buf.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = full_builder(&server.base_url()).build().unwrap();
    let err = client
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));

    let network = full_builder(&format!("http://{}", common::refused_addr().await))
        .retry(velt_rest::RetryPolicy::disabled())
        .build()
        .unwrap()
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap_err();
    assert_clean(&format!("{network} {network:?}"));

    let missing = VeltClient::builder()
        .auth_token(AUTH_TOKEN)
        .build()
        .unwrap()
        .organizations()
        .get_organizations(&Default::default())
        .await
        .unwrap_err();
    assert_clean(&format!("{missing} {missing:?}"));

    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert_clean(&logs);
    // The span carries service, method, path, status and latency.
    assert!(logs.contains("velt_rest.call"), "{logs}");
    assert!(
        logs.contains("service=\"organizations\"") || logs.contains("service=organizations"),
        "{logs}"
    );
    assert!(
        logs.contains("path=\"/organizations/get\"") || logs.contains("path=/organizations/get"),
        "{logs}"
    );
    assert!(logs.contains("http_status=403"), "{logs}");
    assert!(logs.contains("latency_ms="), "{logs}");
}
