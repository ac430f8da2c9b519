//! Attachments: by URL, multipart uploads served back and deleted, and
//! upload errors.

use serde_json::{Value, json};
use velt_server::ServerOptions;

use crate::common::{self, TOKEN, start, start_with};
use crate::{data, err, ok, upload};

#[tokio::test]
async fn attachments_by_url_save_get_delete() {
    let s = start().await;
    let save = json!({
        "attachment": {"attachmentId": 4711, "file": "https://cdn.example.com/a.png", "name": "a.png", "mimeType": "image/png"},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1"},
        "event": "attachment.add"
    });
    assert_eq!(
        s.post("/v1/attachments/save", &save).await,
        (200, data(json!({"url": "https://cdn.example.com/a.png"})))
    );
    assert_eq!(
        s.post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": 4711})
        )
        .await,
        (
            200,
            data(json!({
                "attachmentId": 4711, "file": "https://cdn.example.com/a.png", "name": "a.png",
                "mimeType": "image/png", "metadata": {"organizationId": "org-a", "documentId": "doc-1"}
            }))
        )
    );
    // Ids compare with their JSON type.
    assert_eq!(
        s.post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": "4711"})
        )
        .await,
        (
            404,
            err(
                404,
                "NOT_FOUND",
                "Attachment not found or does not belong to organization"
            )
        )
    );
    let del = json!({"attachmentId": 4711, "metadata": {"organizationId": "org-a"}});
    assert_eq!(s.post("/v1/attachments/delete", &del).await, (200, ok()));
    assert_eq!(
        s.post("/v1/attachments/delete", &del).await,
        (200, ok()), // deletes are idempotent
    );
    assert_eq!(
        s.post(
            "/v1/attachments/save",
            &json!({"attachment": {"attachmentId": 1, "file": "ftp://x"}, "metadata": {"organizationId": "org-a"}})
        )
        .await,
        (
            400,
            err(
                400,
                "INVALID_INPUT",
                "attachment.file must be a valid URL (http:// or https://)"
            )
        )
    );
}

#[tokio::test]
async fn attachment_upload_is_stored_served_and_deleted() {
    let s = start().await;
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\nfake image bytes".to_vec();
    let request = json!({
        "attachment": {"attachmentId": 99, "name": "photo.png", "mimeType": "image/png"},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "attachmentId": 99, "commentAnnotationId": "ann-1"},
        "event": "attachment.add"
    });
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("photo.png", "image/png", png.clone())),
    )
    .await;
    assert_eq!(st, 200, "{body}");
    let url = body["data"]["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{}/v1/attachments/files/", s.base)),
        "{url}"
    );
    assert!(url.ends_with(".png"), "{url}");
    assert_eq!(body, data(json!({"url": url})));

    // The file is served back with its content type.
    let resp = s.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), png);

    // The record points at it.
    let (_, rec) = s
        .post(
            "/v1/attachments/get",
            &json!({"organizationId": "org-a", "attachmentId": 99}),
        )
        .await;
    assert_eq!(rec["data"]["file"], json!(url));
    assert_eq!(rec["data"]["name"], json!("photo.png"));
    assert_eq!(rec["data"]["mimeType"], json!("image/png"));

    // Deleting the attachment deletes the file.
    assert_eq!(
        s.post(
            "/v1/attachments/delete",
            &json!({"attachmentId": 99, "metadata": {"organizationId": "org-a"}})
        )
        .await,
        (200, ok())
    );
    let resp = s.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn html_uploads_are_not_served_inline() {
    let s = start().await;
    let request =
        json!({"attachment": {"attachmentId": 5}, "metadata": {"organizationId": "org-a"}});
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("x.html", "text/html", b"<script>alert(1)</script>".to_vec())),
    )
    .await;
    assert_eq!(st, 200);
    let resp = s
        .client
        .get(body["data"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-disposition"], "attachment");
    assert_eq!(
        resp.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
}

#[tokio::test]
async fn upload_errors() {
    let s = start_with(ServerOptions::new(common::default_auth()).upload_limit(64 * 1024)).await;
    let request =
        json!({"attachment": {"attachmentId": 5}, "metadata": {"organizationId": "org-a"}});
    // No token.
    let (st, body) = upload(
        &s,
        None,
        &request,
        Some(("a.txt", "text/plain", b"x".to_vec())),
    )
    .await;
    assert_eq!(
        (st, body["errorCode"].clone()),
        (401, json!("MISSING_TOKEN"))
    );
    // Too large.
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &request,
        Some(("a.bin", "application/octet-stream", vec![0u8; 200 * 1024])),
    )
    .await;
    assert_eq!(st, 413, "{body}");
    assert_eq!(body["statusCode"], json!(413));
    assert_eq!(body["success"], json!(false));
    // Missing request part.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"),
    );
    let resp = s
        .client
        .post(s.url("/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        err(
            400,
            "INVALID_INPUT",
            "multipart upload needs a `request` part with the resolver request JSON"
        )
    );
    // Malformed request part.
    let form = reqwest::multipart::Form::new().text("request", "{not json");
    let resp = s
        .client
        .post(s.url("/v1/attachments/save"))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // Missing attachment id.
    let (st, body) = upload(
        &s,
        Some(TOKEN),
        &json!({"attachment": {"name": "a"}, "metadata": {"organizationId": "org-a"}}),
        Some(("a.txt", "text/plain", b"x".to_vec())),
    )
    .await;
    assert_eq!(
        (st, body),
        (
            400,
            err(400, "INVALID_INPUT", "attachment.attachmentId is required")
        )
    );
}
