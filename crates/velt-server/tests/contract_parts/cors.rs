//! CORS: preflights with and without credentials, and the startup refusal
//! of `*` with credentials.

use velt_server::{BuildError, ServerOptions};

use crate::common::{self, TOKEN, TestServer, start_with};

const ORIGIN: &str = "https://app.example.com";

async fn preflight(s: &TestServer, route: &str, origin: &str, headers: &str) -> reqwest::Response {
    s.client
        .request(reqwest::Method::OPTIONS, s.url(route))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", headers)
        .send()
        .await
        .unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn preflights_with_credentials_echo_the_origin() {
    let s = start_with(
        ServerOptions::new(common::default_auth())
            .cors_origins([ORIGIN, "https://other.example.com"])
            .cors_allow_credentials(true),
    )
    .await;
    for route in [
        "/v1/comments/save",
        "/v1/attachments/save",
        "/v1/recorders/storage/save",
        "/v1/users/resolve-by-email",
    ] {
        let r = preflight(
            &s,
            route,
            ORIGIN,
            "authorization,content-type,x-customer-tenant",
        )
        .await;
        assert!(r.status().is_success(), "{route}: {}", r.status());
        assert_eq!(
            header(&r, "access-control-allow-origin"),
            Some(ORIGIN),
            "{route}"
        );
        assert_eq!(
            header(&r, "access-control-allow-credentials"),
            Some("true"),
            "{route}"
        );
        let allowed = header(&r, "access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase();
        for h in ["authorization", "content-type", "x-customer-tenant"] {
            assert!(allowed.contains(h), "{route}: {h} not in {allowed}");
        }
        assert!(
            header(&r, "access-control-allow-methods")
                .unwrap()
                .contains("POST")
        );
    }
    // An unconfigured origin gets no CORS grant.
    let r = preflight(
        &s,
        "/v1/comments/save",
        "https://evil.example.com",
        "authorization",
    )
    .await;
    assert_eq!(header(&r, "access-control-allow-origin"), None);
    // The actual request carries the credentials grant too.
    let r = s
        .client
        .post(s.url("/v1/comments/get"))
        .header("origin", ORIGIN)
        .bearer_auth(TOKEN)
        .header("content-type", "text/plain;charset=UTF-8")
        .body(r#"{"organizationId": "org-a"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(header(&r, "access-control-allow-credentials"), Some("true"));
}

#[tokio::test]
async fn preflights_without_credentials() {
    let s = start_with(ServerOptions::new(common::default_auth()).cors_origins([ORIGIN])).await;
    for route in ["/v1/comments/get", "/v1/attachments/save"] {
        let r = preflight(&s, route, ORIGIN, "authorization,content-type,x-tenant").await;
        assert!(r.status().is_success());
        assert_eq!(header(&r, "access-control-allow-origin"), Some(ORIGIN));
        assert_eq!(header(&r, "access-control-allow-credentials"), None);
        assert!(
            header(&r, "access-control-allow-headers")
                .unwrap()
                .contains("x-tenant")
        );
    }
    // `*` alone (no credentials) allows any origin.
    let s = start_with(ServerOptions::new(common::default_auth()).cors_origins(["*"])).await;
    let r = preflight(
        &s,
        "/v1/comments/get",
        "https://anywhere.example",
        "authorization",
    )
    .await;
    assert_eq!(header(&r, "access-control-allow-origin"), Some("*"));
}

#[test]
fn wildcard_origin_with_credentials_is_refused_at_startup() {
    let sh = velt_selfhost::SelfHosting::builder().build();
    let err = velt_server::router(
        sh.clone(),
        ServerOptions::new(common::default_auth())
            .cors_origins(["*"])
            .cors_allow_credentials(true),
    )
    .unwrap_err();
    assert!(matches!(err, BuildError::WildcardWithCredentials), "{err}");
    assert!(err.to_string().contains("VELT_CORS_ALLOW_CREDENTIALS"));
    let err = velt_server::router(
        sh,
        ServerOptions::new(common::default_auth()).cors_origins(["*", ORIGIN]),
    )
    .unwrap_err();
    assert!(matches!(err, BuildError::WildcardAmongOrigins), "{err}");
}
