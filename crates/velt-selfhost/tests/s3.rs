//! S3 attachment storage against a real S3-compatible server (moto, started by
//! `cargo xtask test`, or any server named by `VELT_TEST_S3_ENDPOINT` with an
//! existing bucket `VELT_TEST_S3_BUCKET`). Without a server the tests skip,
//! unless `VELT_TEST_REQUIRE_SERVERS` or `CI` is set, where they fail.
//!
//! Run: `VELT_TEST_S3_ENDPOINT=http://127.0.0.1:5000 VELT_TEST_S3_BUCKET=b \
//!       cargo test -p velt-selfhost --features s3 --test s3`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use std::sync::Arc;

use object_store::{Attribute, GetOptions, ObjectStore, ObjectStoreExt, PutPayload};
use serde_json::{Value, json};
use velt_selfhost::attachments::s3::{OWNER_METADATA_KEY, S3Config, S3Error, S3Storage};
use velt_selfhost::attachments::{AttachmentStorage, PutContext, StorageError};
use velt_selfhost::{SelfHosting, Upload};

const DEFAULT_BUCKET: &str = "velt-test-attachments";

struct Server {
    endpoint: String,
    bucket: String,
}

fn env_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The server to test against, or `None` (skip) when there is none and none is required.
fn server() -> Option<Server> {
    let endpoint = std::env::var("VELT_TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty());
    let Some(endpoint) = endpoint else {
        if env_set("VELT_TEST_REQUIRE_SERVERS") || env_set("CI") {
            panic!(
                "VELT_TEST_S3_ENDPOINT is not set but servers are required \
                 (VELT_TEST_REQUIRE_SERVERS/CI); run `cargo xtask test`"
            );
        }
        eprintln!("SKIP: VELT_TEST_S3_ENDPOINT not set; run `cargo xtask test` for the S3 suite");
        return None;
    };
    let bucket = std::env::var("VELT_TEST_S3_BUCKET")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| DEFAULT_BUCKET.to_owned());
    Some(Server { endpoint, bucket })
}

fn config(s: &Server, bucket: &str) -> S3Config {
    S3Config::new(bucket)
        .with_credentials("test", "test")
        .with_endpoint_url(s.endpoint.clone())
}

fn storage(s: &Server) -> S3Storage {
    S3Storage::new(config(s, &s.bucket)).unwrap()
}

/// An independent client on the same bucket, to check what really is stored.
fn raw(s: &Server) -> AmazonS3 {
    AmazonS3Builder::new()
        .with_endpoint(&s.endpoint)
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_bucket_name(&s.bucket)
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .with_virtual_hosted_style_request(false)
        .build()
        .unwrap()
}

async fn raw_exists(raw: &AmazonS3, key: &str) -> bool {
    match raw.head(&ObjectPath::parse(key).unwrap()).await {
        Ok(_) => true,
        Err(object_store::Error::NotFound { .. }) => false,
        Err(e) => panic!("head {key}: {e}"),
    }
}

fn ctx(api_key: Option<&str>) -> PutContext {
    PutContext {
        organization_id: "org-1".into(),
        api_key: api_key.map(str::to_owned),
    }
}

/// Splits `<prefix><uuid4><suffix>` and checks the uuid is a lowercase hyphenated v4.
fn assert_uuid_between(s: &str, prefix: &str, suffix: &str) -> String {
    let id = s
        .strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(suffix))
        .unwrap_or_else(|| panic!("{s:?} is not {prefix:?}<uuid>{suffix:?}"));
    let parsed = uuid::Uuid::parse_str(id).unwrap();
    assert_eq!(parsed.get_version_num(), 4, "{id}");
    assert_eq!(
        parsed.hyphenated().to_string(),
        id,
        "not lowercase hyphenated: {id}"
    );
    id.to_owned()
}

fn s3_error(e: &StorageError) -> &S3Error {
    S3Error::from_storage_error(e).unwrap_or_else(|| panic!("not an S3 error: {e:?}"))
}

#[tokio::test]
async fn small_round_trip_with_api_key_and_content_type() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let data = Bytes::from_static(b"0123456789abcdef");
    assert_eq!(data.len(), 16);

    let url = st
        .put(
            &ctx(Some("KEY123")),
            "notes.final.txt",
            Some("text/plain"),
            data.clone(),
        )
        .await
        .unwrap();
    let prefix = format!("{}/{}/attachments/KEY123/", s.endpoint, s.bucket);
    let id = assert_uuid_between(&url, &prefix, ".txt");
    let key = format!("attachments/KEY123/{id}.txt");

    // What the server holds, seen by an independent client.
    let got = raw.get(&ObjectPath::parse(&key).unwrap()).await.unwrap();
    assert_eq!(
        got.attributes
            .get(&Attribute::ContentType)
            .map(|v| v.as_ref()),
        Some("text/plain")
    );
    assert_eq!(got.bytes().await.unwrap(), data);

    // Read back by key and by URL.
    for reference in [key.as_str(), url.as_str()] {
        let obj = st.get(reference).await.unwrap().unwrap();
        assert_eq!(obj.data, data);
        assert_eq!(obj.content_type.as_deref(), Some("text/plain"));
    }

    // Delete by the returned (path-style) URL.
    assert!(st.delete(&url).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
    assert_eq!(st.get(&key).await.unwrap(), None);
    assert_eq!(st.get(&url).await.unwrap(), None);
    // Deleting again is fine (S3 deletes are idempotent).
    assert!(st.delete(&url).await.unwrap());
}

#[tokio::test]
async fn five_mib_round_trip_without_api_key_or_extension() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let data: Bytes = (0..5 * 1024 * 1024)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect::<Vec<u8>>()
        .into();

    let url = st
        .put(&ctx(None), "blob", None, data.clone())
        .await
        .unwrap();
    let id = assert_uuid_between(
        &url,
        &format!("{}/{}/attachments/", s.endpoint, s.bucket),
        "",
    );
    let key = format!("attachments/{id}");
    assert!(raw_exists(&raw, &key).await);

    let obj = st.get(&key).await.unwrap().unwrap();
    assert_eq!(obj.data.len(), data.len());
    assert!(obj.data == data, "5 MiB payload differs");

    // Delete by key.
    assert!(st.delete(&key).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
    assert_eq!(st.get(&key).await.unwrap(), None);
}

#[tokio::test]
async fn key_layout_follows_velt_py() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let base = format!("{}/{}/attachments/", s.endpoint, s.bucket);
    let one = Bytes::from_static(b"x");

    let cases: [(Option<&str>, &str, &str, &str); 6] = [
        (Some("K"), "a.png", "K/", ".png"),
        (Some("K"), "archive.tar.gz", "K/", ".gz"),
        (Some("K"), "trailing.", "K/", ""),
        (Some(""), "a.png", "", ".png"),
        (None, "README", "", ""),
        // A file name cannot add key segments (velt-py would: `.x/y`).
        (Some("K"), "evil.x/../../y", "K/", ""),
    ];
    for (api_key, name, mid, suffix) in cases {
        let url = st
            .put(&ctx(api_key), name, None, one.clone())
            .await
            .unwrap();
        assert_uuid_between(&url, &format!("{base}{mid}"), suffix);
        assert!(st.delete(&url).await.unwrap());
    }

    // Two uploads of the same name never collide.
    let a = st
        .put(&ctx(Some("K")), "same.txt", None, one.clone())
        .await
        .unwrap();
    let b = st
        .put(&ctx(Some("K")), "same.txt", None, one.clone())
        .await
        .unwrap();
    assert_ne!(a, b);
    assert!(st.delete(&a).await.unwrap());
    assert!(st.delete(&b).await.unwrap());
}

#[tokio::test]
async fn delete_by_aws_style_url_and_foreign_urls() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let url = st
        .put(
            &ctx(Some("K")),
            "a.bin",
            Some("application/octet-stream"),
            Bytes::from_static(b"abc"),
        )
        .await
        .unwrap();
    let key = url
        .strip_prefix(&format!("{}/{}/", s.endpoint, s.bucket))
        .unwrap()
        .to_owned();

    // URLs that name another bucket or no bucket: nothing of ours, object kept.
    for foreign in [
        format!("https://other-bucket.s3.us-east-1.amazonaws.com/{key}"),
        format!("https://s3.us-east-1.amazonaws.com/other-bucket/{key}"),
        format!("https://cdn.example.com/{key}"),
        format!("{}/other-bucket/{key}", s.endpoint),
    ] {
        assert!(!st.delete(&foreign).await.unwrap(), "{foreign}");
        assert_eq!(st.get(&foreign).await.unwrap(), None, "{foreign}");
    }
    assert!(raw_exists(&raw, &key).await);

    // The AWS virtual-hosted URL velt-py returns without an endpoint.
    let aws_url = format!("https://{}.s3.us-east-1.amazonaws.com/{key}", s.bucket);
    assert_eq!(st.get(&aws_url).await.unwrap().unwrap().data, &b"abc"[..]);
    assert!(st.delete(&aws_url).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
}

#[tokio::test]
async fn refuses_keys_outside_attachments() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let id = uuid::Uuid::new_v4();
    let outside = format!("secrets/{id}.txt");
    raw.put(
        &ObjectPath::parse(&outside).unwrap(),
        PutPayload::from_static(b"keep me"),
    )
    .await
    .unwrap();

    for reference in [
        outside.clone(),
        format!("{}/{}/{outside}", s.endpoint, s.bucket),
        format!("https://{}.s3.us-east-1.amazonaws.com/{outside}", s.bucket),
        format!("attachments/../{outside}"),
        format!("{}/{}/attachments/../{outside}", s.endpoint, s.bucket),
        format!("/{outside}"),
    ] {
        let err = st.delete(&reference).await.unwrap_err();
        assert!(
            matches!(err, StorageError::InvalidKey(_)),
            "{reference}: {err:?}"
        );
        let err = st.get(&reference).await.unwrap_err();
        assert!(
            matches!(err, StorageError::InvalidKey(_)),
            "{reference}: {err:?}"
        );
    }
    assert!(
        raw_exists(&raw, &outside).await,
        "object outside attachments/ was deleted"
    );
    raw.delete(&ObjectPath::parse(&outside).unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn missing_bucket_is_a_typed_error() {
    let Some(s) = server() else { return };
    let bucket = format!("velt-missing-{}", uuid::Uuid::new_v4().simple());
    let st = S3Storage::new(config(&s, &bucket)).unwrap();
    let expected = S3Error::NoSuchBucket {
        bucket: bucket.clone(),
    };

    let err = st
        .put(
            &ctx(Some("SECRETAPIKEY")),
            "a.txt",
            Some("text/plain"),
            Bytes::from_static(b"x"),
        )
        .await
        .unwrap_err();
    assert_eq!(s3_error(&err), &expected, "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("S3 bucket `{bucket}` does not exist")
    );
    assert!(!format!("{err:?}").contains("SECRETAPIKEY"), "{err:?}");

    let key = "attachments/SECRETAPIKEY/x.txt";
    let err = st.get(key).await.unwrap_err();
    assert_eq!(s3_error(&err), &expected, "{err:?}");
    assert!(!format!("{err:?}").contains("SECRETAPIKEY"), "{err:?}");

    let err = st.delete(key).await.unwrap_err();
    assert_eq!(s3_error(&err), &expected, "{err:?}");
    assert!(!format!("{err:?}").contains("SECRETAPIKEY"), "{err:?}");
}

#[tokio::test]
async fn missing_object_reads_as_none() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let key = format!("attachments/K/{}.txt", uuid::Uuid::new_v4());
    assert_eq!(st.get(&key).await.unwrap(), None);
    assert_eq!(st.get(&st.url_for_key(&key)).await.unwrap(), None);
}

#[tokio::test]
async fn size_limit_is_enforced_before_upload() {
    let Some(s) = server() else { return };
    let st = S3Storage::new(config(&s, &s.bucket).with_max_file_size(8)).unwrap();
    let err = st
        .put(&ctx(None), "a.txt", None, Bytes::from_static(b"123456789"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StorageError::TooLarge { size: 9, limit: 8 }),
        "{err:?}"
    );
    let url = st
        .put(&ctx(None), "a.txt", None, Bytes::from_static(b"12345678"))
        .await
        .unwrap();
    assert!(st.delete(&url).await.unwrap());
}

#[tokio::test]
async fn velt_py_block_with_env_fallbacks_drives_a_working_storage() {
    let Some(s) = server() else { return };
    // Credentials, bucket and endpoint come from the "environment"; the block
    // only needs to be a non-empty object.
    let env = |name: &str| match name {
        "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("test".to_owned()),
        "AWS_S3_BUCKET_NAME" => Some(s.bucket.clone()),
        "AWS_S3_ENDPOINT_URL" => Some(format!("{}/", s.endpoint)),
        _ => None,
    };
    let block = json!({"region": "", "bucket_name": null});
    let cfg = S3Config::from_velt_py_block_with(&block, env).unwrap();
    assert_eq!(cfg.region, "us-east-1");
    assert_eq!(cfg.endpoint_url.as_deref(), Some(s.endpoint.as_str()));
    let st = S3Storage::new(cfg).unwrap();
    let url = st
        .put(
            &ctx(Some("K")),
            "a.json",
            Some("application/json"),
            Bytes::from_static(b"{}"),
        )
        .await
        .unwrap();
    assert!(url.starts_with(&format!("{}/{}/attachments/K/", s.endpoint, s.bucket)));
    assert_eq!(
        st.get(&url).await.unwrap().unwrap().content_type.as_deref(),
        Some("application/json")
    );
    assert!(st.delete(&url).await.unwrap());
}

#[tokio::test]
async fn unreachable_server_is_a_typed_error() {
    // Does not need the S3 server: a closed local port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let st = S3Storage::new(
        S3Config::new("b")
            .with_credentials("test", "test")
            .with_endpoint_url(format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    let err = st
        .put(
            &ctx(Some("SECRETAPIKEY")),
            "a.txt",
            None,
            Bytes::from_static(b"x"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            s3_error(&err),
            S3Error::Service {
                operation: "upload",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!format!("{err:?}").contains("SECRETAPIKEY"), "{err:?}");
    let err = st.get("attachments/x.txt").await.unwrap_err();
    assert!(
        matches!(
            s3_error(&err),
            S3Error::Service {
                operation: "download",
                ..
            }
        ),
        "{err:?}"
    );
}

fn org_ctx(org: &str) -> PutContext {
    PutContext {
        organization_id: org.into(),
        api_key: Some("K".into()),
    }
}

/// The owner metadata stored on `key`, read by an independent client
/// (`None` when the object has none).
async fn raw_owner(raw: &AmazonS3, key: &str) -> Option<String> {
    let head = GetOptions {
        head: true,
        ..GetOptions::default()
    };
    let r = raw
        .get_opts(&ObjectPath::parse(key).unwrap(), head)
        .await
        .unwrap();
    r.attributes
        .get(&Attribute::Metadata(OWNER_METADATA_KEY.into()))
        .map(|v| v.as_ref().to_owned())
}

fn key_of(s: &Server, url: &str) -> String {
    url.strip_prefix(&format!("{}/{}/", s.endpoint, s.bucket))
        .unwrap_or_else(|| panic!("{url} is not in the test bucket"))
        .to_owned()
}

#[tokio::test]
async fn put_records_the_owner_and_delete_owned_checks_it() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let url = st
        .put(
            &org_ctx("org-a"),
            "a.txt",
            Some("text/plain"),
            Bytes::from_static(b"A's file"),
        )
        .await
        .unwrap();
    let key = key_of(&s, &url);
    // velt-py's key layout is kept; the owner travels as user metadata.
    assert!(key.starts_with("attachments/K/"), "{key}");
    assert_eq!(raw_owner(&raw, &key).await.as_deref(), Some("org-a"));

    // Another organization cannot delete it, by URL, AWS-style URL or key.
    let aws_url = format!("https://{}.s3.us-east-1.amazonaws.com/{key}", s.bucket);
    for reference in [url.as_str(), aws_url.as_str(), key.as_str()] {
        for org in ["org-b", "org-a ", "ORG-A", ""] {
            assert!(
                !st.delete_owned(&org_ctx(org), reference).await.unwrap(),
                "{org:?} {reference}"
            );
        }
    }
    assert!(raw_exists(&raw, &key).await, "another org deleted the file");
    assert_eq!(st.get(&url).await.unwrap().unwrap().data, &b"A's file"[..]);

    // The owner can, whatever its API key in the context.
    let owner = PutContext {
        organization_id: "org-a".into(),
        api_key: None,
    };
    assert!(st.delete_owned(&owner, &url).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
    // Already gone: nothing deleted.
    assert!(!st.delete_owned(&owner, &url).await.unwrap());
}

#[tokio::test]
async fn owner_ids_that_are_not_header_safe_are_encoded() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    let org = "организация 1";
    let url = st
        .put(&org_ctx(org), "a.bin", None, Bytes::from_static(b"x"))
        .await
        .unwrap();
    let key = key_of(&s, &url);
    let expected: String = std::iter::once("~".to_owned())
        .chain(org.bytes().map(|b| format!("{b:02x}")))
        .collect();
    assert_eq!(raw_owner(&raw, &key).await, Some(expected.clone()));
    // Neither the encoded form nor a near miss is the owner.
    for other in [expected.as_str(), "организация 2", "организация"] {
        assert!(
            !st.delete_owned(&org_ctx(other), &url).await.unwrap(),
            "{other}"
        );
    }
    assert!(raw_exists(&raw, &key).await);
    assert!(st.delete_owned(&org_ctx(org), &url).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
}

#[tokio::test]
async fn objects_without_owner_metadata_are_never_deleted_by_delete_owned() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let raw = raw(&s);
    // As velt-py uploads: velt-py's key layout, no metadata.
    let key = format!("attachments/K/{}.png", uuid::Uuid::new_v4());
    raw.put(
        &ObjectPath::parse(&key).unwrap(),
        PutPayload::from_static(b"velt-py file"),
    )
    .await
    .unwrap();
    assert_eq!(raw_owner(&raw, &key).await, None);
    for reference in [key.clone(), st.url_for_key(&key)] {
        for org in ["org-a", "org-b", ""] {
            assert!(
                !st.delete_owned(&org_ctx(org), &reference).await.unwrap(),
                "{org:?} {reference}"
            );
        }
    }
    assert!(raw_exists(&raw, &key).await, "an unowned file was deleted");
    // The plain delete (no organization) still removes it.
    assert!(st.delete(&key).await.unwrap());
    assert!(!raw_exists(&raw, &key).await);
}

#[tokio::test]
async fn delete_owned_refuses_what_delete_refuses() {
    let Some(s) = server() else { return };
    let st = storage(&s);
    let ctx = org_ctx("org-a");
    for foreign in [
        "https://cdn.example.com/attachments/K/x.png".to_owned(),
        format!("{}/other-bucket/attachments/K/x.png", s.endpoint),
        String::new(),
    ] {
        assert!(!st.delete_owned(&ctx, &foreign).await.unwrap(), "{foreign}");
    }
    for outside in [
        "secrets/x.txt".to_owned(),
        format!("{}/{}/attachments/../secrets/x.txt", s.endpoint, s.bucket),
    ] {
        let err = st.delete_owned(&ctx, &outside).await.unwrap_err();
        assert!(
            matches!(err, StorageError::InvalidKey(_)),
            "{outside}: {err:?}"
        );
    }

    // A missing bucket is an error, not "nothing to delete".
    let bucket = format!("velt-missing-{}", uuid::Uuid::new_v4().simple());
    let missing = S3Storage::new(config(&s, &bucket)).unwrap();
    let err = missing
        .delete_owned(&org_ctx("org-a"), "attachments/SECRETAPIKEY/x.txt")
        .await
        .unwrap_err();
    assert_eq!(
        s3_error(&err),
        &S3Error::NoSuchBucket {
            bucket: bucket.clone()
        },
        "{err:?}"
    );
    assert!(!format!("{err:?}").contains("SECRETAPIKEY"), "{err:?}");
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> T {
    match velt_models::selfhost::parse_request(v) {
        Ok(r) => r,
        Err(e) => panic!(
            "request did not parse: {}",
            serde_json::to_value(&e).unwrap()
        ),
    }
}

/// The attack the owner metadata closes, through the attachments service:
/// organization B saves a record whose `file` is A's URL, then deletes it.
#[tokio::test]
async fn service_delete_of_a_record_naming_another_orgs_file_keeps_the_file() {
    let Some(s) = server() else { return };
    let st = Arc::new(storage(&s));
    let raw = raw(&s);
    let sh = SelfHosting::builder()
        .attachment_storage(st.clone())
        .api_key(Some("K".to_owned()))
        .build();
    let at = sh.attachments();

    let r = at
        .save_attachment(
            &parse(json!({"attachment": {"attachmentId": 1, "name": "a.png"},
                          "metadata": {"organizationId": "org-a", "documentId": "d"}})),
            Some(Upload::new(&b"A's file"[..]).mime_type("image/png")),
        )
        .await;
    assert!(r.success, "{}", serde_json::to_value(&r).unwrap());
    let url = r.data.as_ref().unwrap()["url"].as_str().unwrap().to_owned();
    let key = key_of(&s, &url);
    assert!(key.starts_with("attachments/K/"), "{key}");

    // B points a record of its own at A's file (the URL-only save path) and deletes it.
    let r = at
        .save_attachment(
            &parse(json!({"attachment": {"attachmentId": 2, "file": url},
                          "metadata": {"organizationId": "org-b", "documentId": "d"}})),
            None,
        )
        .await;
    assert!(r.success, "{}", serde_json::to_value(&r).unwrap());
    let r = at
        .delete_attachment(&parse(
            json!({"attachmentId": 2, "metadata": {"organizationId": "org-b"}}),
        ))
        .await;
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"success": true, "statusCode": 200})
    );
    assert!(raw_exists(&raw, &key).await, "org-b deleted org-a's file");

    // A deleting its own record removes the file.
    let r = at
        .delete_attachment(&parse(
            json!({"attachmentId": 1, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert!(r.success, "{}", serde_json::to_value(&r).unwrap());
    assert!(!raw_exists(&raw, &key).await);
}
