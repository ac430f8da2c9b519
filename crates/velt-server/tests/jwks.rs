//! JWT verification against a JWKS served over real HTTPS by the test (a CA
//! and a server certificate made here, trusted through the CA setting), with
//! velt-server answering over real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestServer, jwt, now, start_with};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{EncodingKey, Header};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use velt_server::{Algorithm, AuthConfig, JwksConfig, JwtConfig, JwtKey, ServerOptions};

const RSA_KEY: &str = include_str!("fixtures/rs256-test-only.key.pem");
const RSA_PUB: &str = include_str!("fixtures/rs256-test-only.pub.pem");

fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

/// A signing key with its `kid`.
struct SigningKey {
    kid: String,
    alg: Algorithm,
    key: EncodingKey,
}

impl SigningKey {
    fn ec(kid: &str) -> Self {
        let pair = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        Self {
            kid: kid.to_owned(),
            alg: Algorithm::ES256,
            key: EncodingKey::from_ec_pem(pair.serialize_pem().as_bytes()).unwrap(),
        }
    }

    fn rsa(kid: &str) -> Self {
        Self {
            kid: kid.to_owned(),
            alg: Algorithm::RS256,
            key: EncodingKey::from_rsa_pem(RSA_KEY.as_bytes()).unwrap(),
        }
    }

    /// The public JWK, with `kid` and `use`.
    fn jwk(&self) -> Value {
        let mut v =
            serde_json::to_value(Jwk::from_encoding_key(&self.key, self.alg).unwrap()).unwrap();
        v["kid"] = json!(self.kid);
        v["use"] = json!("sig");
        v
    }

    fn sign(&self, claims: &Value) -> String {
        self.sign_as(self.alg, &self.kid, claims)
    }

    fn sign_as(&self, alg: Algorithm, kid: &str, claims: &Value) -> String {
        let mut h = Header::new(alg);
        h.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&h, claims, &self.key).unwrap()
    }
}

fn claims() -> Value {
    json!({"iss": "https://idp.test", "aud": "velt", "exp": now() + 600, "sub": "u1"})
}

/// The local HTTPS server: `/jwks.json` answers the current key set,
/// `/redirect` answers 302 to it.
struct JwksServer {
    addr: SocketAddr,
    ca_pem: String,
    keys: Arc<Mutex<Vec<Value>>>,
    hits: Arc<AtomicUsize>,
    redirect_hits: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl JwksServer {
    async fn start(keys: Vec<Value>) -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let keys = Arc::new(Mutex::new(keys));
        let hits = Arc::new(AtomicUsize::new(0));
        let redirect_hits = Arc::new(AtomicUsize::new(0));
        let (k, h, r) = (keys.clone(), hits.clone(), redirect_hits.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, k, h, r) = (acceptor.clone(), k.clone(), h.clone(), r.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head);
                    let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                    let resp = match path.as_str() {
                        "/jwks.json" => {
                            h.fetch_add(1, Ordering::SeqCst);
                            let body = json!({"keys": *k.lock().unwrap()}).to_string();
                            format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                                body.len()
                            )
                        }
                        "/redirect" => {
                            r.fetch_add(1, Ordering::SeqCst);
                            format!(
                                "HTTP/1.1 302 Found\r\nlocation: https://{addr}/jwks.json\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            )
                        }
                        _ => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_owned(),
                    };
                    let _ = tls.write_all(resp.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Self {
            addr,
            ca_pem: ca_cert.pem(),
            keys,
            hits,
            redirect_hits,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    fn publish(&self, keys: Vec<Value>) {
        *self.keys.lock().unwrap() = keys;
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The JWKS settings for this server, trusting its CA.
    fn config(&self, path: &str) -> JwksConfig {
        JwksConfig::new(self.url(path))
            .ca_pem(self.ca_pem.as_bytes().to_vec())
            .timeout(Duration::from_secs(3))
    }
}

fn jwt_config(jwks: JwksConfig) -> JwtConfig {
    JwtConfig::new([Algorithm::RS256, Algorithm::ES256], JwtKey::Jwks(jwks))
        .issuer("https://idp.test")
        .audience("velt")
        .required_claims(["exp", "sub"])
}

async fn server(jwks: JwksConfig) -> TestServer {
    start_with(ServerOptions::new(
        AuthConfig::default().with_jwt(jwt_config(jwks)),
    ))
    .await
}

const BODY: fn() -> Value = || json!({"organizationId": "org-a", "documentIds": ["d"]});

async fn call(s: &TestServer, token: &str) -> (u16, Value) {
    s.post_as("/v1/comments/get", Some(token), &BODY()).await
}

fn ok() -> (u16, Value) {
    (200, json!({"success": true, "statusCode": 200, "data": {}}))
}

fn unknown_key() -> (u16, Value) {
    (
        401,
        err(
            401,
            "KEY_RESOLUTION_FAILED",
            "no verification key for this token",
        ),
    )
}

fn unavailable() -> (u16, Value) {
    (
        503,
        err(
            503,
            "KEY_RESOLUTION_FAILED",
            "the verification key set is unavailable",
        ),
    )
}

#[tokio::test]
async fn rotation_new_kid_is_fetched_and_dropped_kid_is_refused() {
    let a = SigningKey::ec("key-a");
    let b = SigningKey::ec("key-b");
    let jwks = JwksServer::start(vec![a.jwk()]).await;
    let s = server(
        jwks.config("/jwks.json")
            .ttl(Duration::from_secs(3600))
            .min_refetch_interval(Duration::ZERO),
    )
    .await;
    assert_eq!(jwks.hits(), 0, "nothing is fetched before the first token");
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 1, "the key set is cached");
    // Rotation: key-b replaces key-a.
    jwks.publish(vec![b.jwk()]);
    assert_eq!(call(&s, &b.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 2, "an unknown kid refetches");
    assert_eq!(call(&s, &a.sign(&claims())).await, unknown_key());
    assert_eq!(jwks.hits(), 3);
    assert_eq!(call(&s, &b.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 3);
}

#[tokio::test]
async fn unknown_kids_refetch_at_a_bounded_rate() {
    let a = SigningKey::ec("key-a");
    let c = SigningKey::ec("key-c");
    let jwks = JwksServer::start(vec![a.jwk()]).await;
    let s = server(
        jwks.config("/jwks.json")
            .ttl(Duration::from_secs(3600))
            .min_refetch_interval(Duration::from_secs(3)),
    )
    .await;
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 1);
    // Within the interval: random kids do not reach the JWKS endpoint.
    for i in 0..10 {
        assert_eq!(
            call(
                &s,
                &a.sign_as(Algorithm::ES256, &format!("random-{i}"), &claims())
            )
            .await,
            unknown_key()
        );
    }
    assert_eq!(jwks.hits(), 1);
    tokio::time::sleep(Duration::from_millis(3200)).await;
    // After it: one refetch for the first unknown kid, none for the next ones.
    for i in 0..10 {
        assert_eq!(
            call(
                &s,
                &a.sign_as(Algorithm::ES256, &format!("again-{i}"), &claims())
            )
            .await,
            unknown_key()
        );
    }
    assert_eq!(jwks.hits(), 2);
    // A key published now is found once the interval has passed again.
    jwks.publish(vec![a.jwk(), c.jwk()]);
    assert_eq!(call(&s, &c.sign(&claims())).await, unknown_key());
    assert_eq!(jwks.hits(), 2);
    tokio::time::sleep(Duration::from_millis(3200)).await;
    assert_eq!(call(&s, &c.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 3);
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
}

#[tokio::test]
async fn expiry_audience_issuer_and_required_claims_are_checked() {
    let a = SigningKey::ec("key-a");
    let jwks = JwksServer::start(vec![a.jwk()]).await;
    let s = server(jwks.config("/jwks.json")).await;
    let with = |k: &str, v: Value| {
        let mut c = claims();
        c[k] = v;
        a.sign(&c)
    };
    let without = |k: &str| {
        let mut c = claims();
        c.as_object_mut().unwrap().remove(k);
        a.sign(&c)
    };
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
    assert_eq!(
        call(&s, &with("exp", json!(now() - 120))).await,
        (401, err(401, "EXPIRED", "token expired"))
    );
    let mismatch = |claim: &str| {
        (
            401,
            err(
                401,
                "CLAIM_MISMATCH",
                &format!("token claims do not match ({claim})"),
            ),
        )
    };
    assert_eq!(
        call(&s, &with("aud", json!("other"))).await,
        mismatch("aud")
    );
    assert_eq!(call(&s, &without("aud")).await, mismatch("aud"));
    assert_eq!(
        call(&s, &with("iss", json!("https://evil.test"))).await,
        mismatch("iss")
    );
    assert_eq!(call(&s, &without("iss")).await, mismatch("iss"));
    assert_eq!(call(&s, &without("sub")).await, mismatch("sub"));
    assert_eq!(call(&s, &without("exp")).await, mismatch("exp"));
    assert_eq!(
        call(&s, &with("nbf", json!(now() + 600))).await,
        mismatch("nbf")
    );
    // The organization claim binds the token (403 on another organization).
    let org_a = with("organizationId", json!("org-a"));
    assert_eq!(call(&s, &org_a).await, ok());
    assert_eq!(
        s.post_as(
            "/v1/comments/get",
            Some(&org_a),
            &json!({"organizationId": "org-b", "documentIds": ["d"]})
        )
        .await,
        (
            403,
            err(
                403,
                "FORBIDDEN",
                "organizationId does not match the token's organization"
            )
        )
    );
}

#[tokio::test]
async fn algorithm_confusion_and_none_are_refused_before_any_fetch() {
    let rsa = SigningKey::rsa("rsa-1");
    let ec = SigningKey::ec("ec-1");
    let jwks = JwksServer::start(vec![rsa.jwk(), ec.jwk()]).await;
    let s = server(jwks.config("/jwks.json")).await;
    let not_allowed = (
        401,
        err(
            401,
            "ALGORITHM_NOT_ALLOWED",
            "token algorithm is not allowed",
        ),
    );
    // HS256 signed with the RSA public key as the HMAC secret.
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some("rsa-1".into());
    let confused =
        jsonwebtoken::encode(&h, &claims(), &EncodingKey::from_secret(RSA_PUB.as_bytes())).unwrap();
    assert_eq!(call(&s, &confused).await, not_allowed);
    assert_eq!(call(&s, &jwt(&claims(), RSA_PUB)).await, not_allowed);
    // alg "none" (and its case variants), unsigned.
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    for alg in ["none", "None", "NONE"] {
        let unsigned = format!(
            "{}.{}.",
            b64(&json!({"alg": alg, "typ": "JWT", "kid": "rsa-1"})),
            b64(&claims())
        );
        assert_eq!(call(&s, &unsigned).await, not_allowed, "{alg}");
    }
    assert_eq!(
        jwks.hits(),
        0,
        "refused algorithms never reach the JWKS endpoint"
    );
    // The RSA key's kid with an EC algorithm: the key type decides.
    assert_eq!(
        call(&s, &ec.sign_as(Algorithm::ES256, "rsa-1", &claims())).await,
        not_allowed
    );
    // A valid RS256 token verifies; one signed by another key does not.
    assert_eq!(call(&s, &rsa.sign(&claims())).await, ok());
    let other = SigningKey::ec("x");
    assert_eq!(
        call(&s, &other.sign_as(Algorithm::ES256, "ec-1", &claims())).await,
        (
            401,
            err(401, "INVALID_SIGNATURE", "token signature is invalid")
        )
    );
    assert_eq!(jwks.hits(), 1);
}

#[tokio::test]
async fn stale_keys_are_used_within_the_bound_while_the_endpoint_is_down() {
    let a = SigningKey::ec("key-a");
    let jwks = JwksServer::start(vec![a.jwk()]).await;
    let s = server(
        jwks.config("/jwks.json")
            .ttl(Duration::from_secs(1))
            .min_refetch_interval(Duration::ZERO)
            .max_stale(Duration::from_secs(4)),
    )
    .await;
    let token = a.sign(&claims());
    assert_eq!(call(&s, &token).await, ok());
    let started = std::time::Instant::now();
    drop(jwks); // the endpoint goes down: connections are refused
    tokio::time::sleep(Duration::from_millis(1300)).await;
    // Past the TTL, the refetch fails: the stale set still serves.
    assert_eq!(call(&s, &token).await, ok());
    assert!(started.elapsed() < Duration::from_millis(4900));
    tokio::time::sleep(
        Duration::from_secs(5).saturating_sub(started.elapsed()) + Duration::from_millis(300),
    )
    .await;
    // Past TTL + max_stale: refused, with 503 (the key set is unavailable).
    assert_eq!(call(&s, &token).await, unavailable());
}

#[tokio::test]
async fn redirects_http_and_untrusted_certificates_are_refused() {
    let a = SigningKey::ec("key-a");
    let jwks = JwksServer::start(vec![a.jwk()]).await;
    // A redirect (even to the right key set on the same host) is not followed.
    let s = server(jwks.config("/redirect")).await;
    assert_eq!(call(&s, &a.sign(&claims())).await, unavailable());
    assert_eq!(jwks.redirect_hits.load(Ordering::SeqCst), 1);
    assert_eq!(jwks.hits(), 0);
    // Without the CA setting, the private CA is not trusted.
    let s = server(JwksConfig::new(jwks.url("/jwks.json")).timeout(Duration::from_secs(3))).await;
    assert_eq!(call(&s, &a.sign(&claims())).await, unavailable());
    assert_eq!(jwks.hits(), 0);
    // http:// is refused when the server is built.
    let sh = velt_selfhost::SelfHosting::builder()
        .store(Arc::new(velt_selfhost::backends::memory::MemoryStore::new()))
        .build();
    let e =
        velt_server::router(
            sh,
            ServerOptions::new(AuthConfig::default().with_jwt(jwt_config(JwksConfig::new(
                format!("http://{}/jwks.json", jwks.addr),
            )))),
        )
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid JWKS URL: only https:// is accepted");
    // With the CA, the same server's key set is used.
    let s = server(jwks.config("/jwks.json")).await;
    assert_eq!(call(&s, &a.sign(&claims())).await, ok());
    assert_eq!(jwks.hits(), 1);
}
