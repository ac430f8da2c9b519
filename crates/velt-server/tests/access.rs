//! Organization-bound static tokens and the access settings (parsed, and
//! read by the binary from its environment), over real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod binary_common;

mod access_common;
mod common;

use access_common::forbidden;
use clap::Parser;
use common::start_with;
use serde_json::{Value, json};
use velt_server::access::AccessArgs;
use velt_server::{AuthConfig, PROVIDER_ROUTES, ServerOptions, StaticTokens};

#[tokio::test]
async fn org_bound_static_tokens_are_checked_on_every_route() {
    let tokens = StaticTokens::parse("two-orgs:org-a|org-b, one-org:org-c, any:*, bare").unwrap();
    let s = start_with(ServerOptions::new(
        AuthConfig::default().with_static_tokens(tokens),
    ))
    .await;
    for route in PROVIDER_ROUTES {
        for (token, org) in [
            ("two-orgs", "org-c"),
            ("one-org", "org-a"),
            ("one-org", "org-b"),
        ] {
            for body in [
                json!({"organizationId": org}),
                json!({"metadata": {"organizationId": org}}),
            ] {
                assert_eq!(
                    s.post_as(route, Some(token), &body).await,
                    forbidden(),
                    "{route} {token} {body}"
                );
            }
        }
        // Allowed organizations and unbound tokens pass authentication.
        for (token, org) in [
            ("two-orgs", "org-a"),
            ("two-orgs", "org-b"),
            ("one-org", "org-c"),
            ("any", "org-z"),
            ("bare", "org-z"),
        ] {
            let (status, body) = s
                .post_as(route, Some(token), &json!({"organizationId": org}))
                .await;
            assert!(
                status != 401 && status != 403,
                "{route} {token} {org}: {status} {body}"
            );
        }
    }
    // A write for an organization outside the scope stores nothing.
    let save = |org: &str| {
        json!({
            "commentAnnotation": {"ann-1": {"comments": {"1": {"commentText": org}}}},
            "metadata": {"organizationId": org, "documentId": "doc-1"}
        })
    };
    assert_eq!(
        s.post_as("/v1/comments/save", Some("one-org"), &save("org-a"))
            .await,
        forbidden()
    );
    assert_eq!(
        s.post_as("/v1/comments/save", Some("two-orgs"), &save("org-b"))
            .await
            .0,
        200
    );
    let get = |org: &str| json!({"organizationId": org, "commentAnnotationIds": ["ann-1"]});
    let (_, a) = s
        .post_as("/v1/comments/get", Some("any"), &get("org-a"))
        .await;
    assert_eq!(a["data"], json!({}));
    let (_, b) = s
        .post_as("/v1/comments/get", Some("two-orgs"), &get("org-b"))
        .await;
    assert_eq!(
        b["data"]["ann-1"]["comments"]["1"]["commentText"],
        json!("org-b")
    );
}

// ---------------------------------------------------------------------------
// Settings

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    access: AccessArgs,
}

fn settings(args: &[&str], env: &[(&str, &str)]) -> Result<AuthConfig, String> {
    let cli = Cli::try_parse_from(std::iter::once("velt-server").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    cli.access
        .auth_config(false, |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .map_err(|e| e.to_string())
}

#[test]
fn settings_are_checked_and_errors_name_them() {
    let auth = settings(&[], &[("VELT_SERVER_TOKENS", "a:org-1|org-2,b")]).unwrap();
    assert_eq!(auth.tokens.len(), 2);
    assert!(auth.jwt.is_none());
    // Empty settings count as unset.
    let auth = settings(
        &["--jwt-algorithms", "", "--jwt-jwks-url", ""],
        &[("VELT_JWT_SECRET", ""), ("VELT_SERVER_TOKENS", "t")],
    )
    .unwrap();
    assert!(auth.jwt.is_none());
    let auth = settings(
        &[
            "--jwt-algorithms",
            "HS384",
            "--jwt-issuer",
            "",
            "--jwt-required-claims",
            "",
        ],
        &[("VELT_JWT_SECRET", "a-secret-of-enough-length")],
    )
    .unwrap();
    let jwt = auth.jwt.unwrap();
    assert_eq!(
        (jwt.issuer, jwt.required_claims.len()),
        (None, 0),
        "an empty issuer is no issuer check; empty required claims require none"
    );
    for (args, env, expected) in [
        (
            &[][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)",
        ),
        (
            &["--jwt-algorithms", "HS256,none"][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm `none` is never allowed",
        ),
        (
            &["--jwt-algorithms", "HS256,RS256"][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "the JWT algorithm allowlist must not mix HS* with asymmetric algorithms",
        ),
        (
            &[
                "--jwt-algorithms",
                "RS256",
                "--jwt-jwks-url",
                "https://idp.test/jwks",
            ][..],
            &[("VELT_JWT_SECRET", "a-secret-of-enough-length")][..],
            "set only one JWT key: VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
        ),
        (
            &["--jwt-algorithms", "RS256"][..],
            &[][..],
            "VELT_JWT_ALGORITHMS is set but no JWT key: set VELT_JWT_SECRET, VELT_JWT_PUBLIC_KEY_FILE or VELT_JWT_JWKS_URL",
        ),
        (
            &["--jwt-jwks-ca-file", "/nonexistent"][..],
            &[][..],
            "VELT_JWT_JWKS_CA_FILE is set without VELT_JWT_JWKS_URL",
        ),
        (
            &[][..],
            &[("VELT_SERVER_TOKENS", "ok,secret-value:")][..],
            "VELT_SERVER_TOKENS entry 2: empty organization after `:` (use `*` for any)",
        ),
    ] {
        assert_eq!(settings(args, env).unwrap_err(), expected, "{args:?}");
    }
    let auth = settings(
        &[
            "--jwt-algorithms",
            "RS256,ES256",
            "--jwt-jwks-url",
            "https://idp.test/.well-known/jwks.json",
            "--jwt-required-claims",
            "exp, sub,email",
            "--jwt-issuer",
            "https://idp.test",
        ],
        &[],
    )
    .unwrap();
    let jwt = auth.jwt.unwrap();
    assert_eq!(jwt.required_claims, ["exp", "sub", "email"]);
    assert_eq!(jwt.issuer.as_deref(), Some("https://idp.test"));
    // Building the router checks the key: an HTTP JWKS URL is refused.
    let auth = settings(
        &[
            "--jwt-algorithms",
            "RS256",
            "--jwt-jwks-url",
            "http://idp.test/jwks",
        ],
        &[],
    )
    .unwrap();
    let sh = velt_selfhost::SelfHosting::builder()
        .store(std::sync::Arc::new(
            velt_selfhost::backends::memory::MemoryStore::new(),
        ))
        .build();
    assert_eq!(
        velt_server::router(sh, ServerOptions::new(auth))
            .unwrap_err()
            .to_string(),
        "invalid JWKS URL: only https:// is accepted"
    );
    // Secrets never show in the settings' Debug output.
    let auth = settings(
        &["--jwt-algorithms", "HS256"],
        &[
            ("VELT_JWT_SECRET", "a-secret-of-enough-length"),
            ("VELT_SERVER_TOKENS", "static-secret:org-1"),
        ],
    )
    .unwrap();
    let debug = format!("{auth:?}");
    assert!(
        !debug.contains("a-secret-of-enough-length") && !debug.contains("static-secret"),
        "{debug}"
    );
}

// ---------------------------------------------------------------------------
// The binary reads the settings from its environment

fn binary(dir: &std::path::Path, env: &[(&str, &str)]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_velt-server"));
    cmd.args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "warn");
    for var in [
        "VELT_SERVER_TOKENS",
        "VELT_JWT_SECRET",
        "VELT_JWT_ALGORITHMS",
        "VELT_JWT_JWKS_URL",
        "VELT_JWT_PUBLIC_KEY_FILE",
        "VELT_ADMIN_TOKENS",
        "VELT_API_KEY",
        "VELT_AUTH_TOKEN",
        "VELT_MONGODB_URI",
        "AWS_S3_BUCKET_NAME",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

#[test]
fn the_binary_refuses_bad_access_settings_without_echoing_secrets() {
    for (env, expected, secret) in [
        (
            &[("VELT_SERVER_TOKENS", "fine,super-secret-value:")][..],
            "VELT_SERVER_TOKENS entry 2: empty organization after `:` (use `*` for any)",
            "super-secret-value",
        ),
        (
            &[("VELT_JWT_SECRET", "hmac-secret-value-1234567890")][..],
            "the JWT algorithm allowlist is required (VELT_JWT_ALGORITHMS, e.g. RS256)",
            "hmac-secret-value-1234567890",
        ),
        (
            &[
                ("VELT_JWT_SECRET", "-----BEGIN PUBLIC KEY----- hmac-secret"),
                ("VELT_JWT_ALGORITHMS", "HS256"),
            ][..],
            "the JWT HMAC secret looks like a PEM key",
            "hmac-secret",
        ),
        (
            &[
                ("VELT_JWT_JWKS_URL", "http://idp.test/jwks.json"),
                ("VELT_JWT_ALGORITHMS", "RS256"),
            ][..],
            "invalid JWKS URL: only https:// is accepted",
            "idp.test",
        ),
        (
            &[("VELT_ADMIN_TOKENS", "admin-secret:")][..],
            "VELT_ADMIN_TOKENS entry 1: empty organization after `:` (use `*` for any)",
            "admin-secret",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = binary(dir.path(), env).output().unwrap();
        assert!(!out.status.success(), "{env:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{env:?}: {stderr}");
        assert!(!stderr.contains(secret), "{env:?}: {stderr}");
    }
}

#[tokio::test]
async fn the_binary_binds_static_tokens_to_organizations() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = binary(dir.path(), &[("VELT_SERVER_TOKENS", "tok-a:org-a")]);
    cmd.stderr(std::process::Stdio::null());
    // Killed and reaped when dropped, also when an assertion fails.
    let server = binary_common::Server::start(cmd);
    let base = &server.base;
    let client = reqwest::Client::new();
    let post = |org: &str| {
        client
            .post(format!("{base}/v1/comments/get"))
            .bearer_auth("tok-a")
            .json(&json!({"organizationId": org, "documentIds": ["d"]}))
            .send()
    };
    let a = post("org-a").await.unwrap();
    assert_eq!(a.status(), 200);
    let b = post("org-b").await.unwrap();
    assert_eq!(b.status(), 403);
    assert_eq!(b.json::<Value>().await.unwrap(), forbidden().1);
}
