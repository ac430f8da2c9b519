//! Attachment cases: URL saves, uploads, file deletion.

use std::sync::Arc;

use serde_json::{Value, json};
use velt_models::selfhost::{
    DeleteAttachmentResolverRequest, GetAttachmentRequest, SaveAttachmentResolverRequest,
};

use super::{err, ok, raw};
use crate::attachments::AttachmentStorage;
use crate::conformance::{FILES_BASE, Harness, data, js, req};
use crate::store::{Collection, Store};
use crate::{SelfHosting, Upload};

fn save_req(v: Value) -> SaveAttachmentResolverRequest {
    req(v)
}

fn del_req(v: Value) -> DeleteAttachmentResolverRequest {
    req(v)
}

pub async fn attachments_url_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let body = json!({
        "attachment": {"attachmentId": 0, "file": "https://cdn.test/a.png", "name": "a.png", "mimeType": "image/png",
                        "size": 10, "base64Data": "AAAA", "metadata": {"commentAnnotationId": "ann-1"}},
        "metadata": {"organizationId": "org-a", "documentId": "doc-1", "attachmentId": 0},
        "event": "attachment.add"
    });
    let r = at.save_attachment(&save_req(body), None).await;
    assert_eq!(
        js(&r),
        json!({"data": {"url": "https://cdn.test/a.png"}, "success": true, "statusCode": 200})
    );
    let stored = json!({"attachmentId": 0, "file": "https://cdn.test/a.png", "name": "a.png",
        "metadata": {"commentAnnotationId": "ann-1", "organizationId": "org-a", "documentId": "doc-1"},
        "mimeType": "image/png", "size": 10});
    assert_eq!(
        raw(&h, Collection::Attachments, "org-a").await,
        vec![stored.clone()]
    );
    let r = at
        .get_attachment(&GetAttachmentRequest::new("org-a", 0))
        .await;
    assert_eq!(
        js(&r),
        json!({"data": stored, "success": true, "statusCode": 200}),
        "id 0 is valid"
    );
    // Ids compare with their JSON type.
    let r = at
        .get_attachment(&GetAttachmentRequest::new("org-a", "0"))
        .await;
    assert_eq!(
        js(&r),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    // velt-py documents read back unchanged.
    let vp = json!({"attachmentId": 77, "file": "https://b.s3.us-east-1.amazonaws.com/attachments/k/u.png", "name": "x.png",
        "metadata": {"organizationId": "org-a", "documentId": "d", "apiKey": "k"}, "mimeType": "image/png"});
    h.put(Collection::Attachments, "org-a", vec![vp.clone()])
        .await;
    let r = at
        .get_attachment(&req(json!({"organizationId": "org-a", "attachmentId": 77})))
        .await;
    assert_eq!(data(&r), vp);
    // Delete (an external URL: nothing to remove from storage).
    let r = at
        .delete_attachment(&del_req(
            json!({"attachmentId": 0, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert_eq!(
        js(&at
            .get_attachment(&GetAttachmentRequest::new("org-a", 0))
            .await),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(
                json!({"attachmentId": 0, "metadata": {"organizationId": "org-a"}})
            ))
            .await),
        ok()
    );
}

/// The storage key of a URL returned by the suite's local storage.
fn key_of(url: &str) -> String {
    url.strip_prefix(&format!("{FILES_BASE}/"))
        .unwrap_or_else(|| panic!("{url} is not under {FILES_BASE}"))
        .to_owned()
}

pub async fn attachments_upload_and_file_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let body = json!({"attachment": {"attachmentId": 5, "name": "orig.png", "mimeType": "image/x-orig"},
                      "metadata": {"organizationId": "org-a", "documentId": "doc-1"}});
    let upload = Upload::new(&b"PNGDATA"[..])
        .file_name("pic.PNG")
        .mime_type("image/png");
    h.store.reset();
    let r = at
        .save_attachment(&save_req(body.clone()), Some(upload))
        .await;
    let url = data(&r)["url"].as_str().unwrap().to_owned();
    assert_eq!(h.store.counts(), (0, 1, 0));
    let key = key_of(&url);
    assert!(key.starts_with("attachments/org-a/"), "{key}");
    assert!(key.ends_with(".PNG"), "{key}");
    let obj = h.storage.get(&key).await.unwrap().unwrap();
    assert_eq!(&obj.data[..], b"PNGDATA");
    assert_eq!(obj.content_type.as_deref(), Some("image/png"));
    assert!(h.dir.path().join(&key).is_file());
    let stored = data(
        &at.get_attachment(&GetAttachmentRequest::new("org-a", 5))
            .await,
    );
    assert_eq!(
        stored,
        json!({"attachmentId": 5, "file": url, "name": "pic.PNG", "metadata": {"organizationId": "org-a", "documentId": "doc-1"}, "mimeType": "image/png"})
    );
    // Name and type fall back to the attachment's, then to "attachment".
    let r = at
        .save_attachment(&save_req(body.clone()), Some(Upload::new(&b"x"[..])))
        .await;
    let url2 = data(&r)["url"].as_str().unwrap().to_owned();
    assert!(url2.ends_with(".png"), "{url2}");
    assert_eq!(
        h.storage
            .get(&key_of(&url2))
            .await
            .unwrap()
            .unwrap()
            .content_type
            .as_deref(),
        Some("image/x-orig")
    );
    let r = at
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 6}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(&b"y"[..])),
        )
        .await;
    let url3 = data(&r)["url"].as_str().unwrap().to_owned();
    let name3 = url3.rsplit('/').next().unwrap();
    assert!(!name3.contains('.'), "no extension without a name: {url3}");
    // Delete removes the record and the file.
    let r = at
        .delete_attachment(&del_req(
            json!({"attachmentId": 6, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert!(h.storage.get(&key_of(&url3)).await.unwrap().is_none());
    assert!(!h.dir.path().join(key_of(&url3)).exists());
    // Too large: 413, nothing stored.
    let r = at
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 9}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(vec![0u8; 2048])),
        )
        .await;
    assert_eq!(
        js(&r),
        err(
            413,
            "FILE_TOO_LARGE",
            "File too large: 2048 bytes (limit 1024 bytes)"
        )
    );
    assert!(
        !at.get_attachment(&GetAttachmentRequest::new("org-a", 9))
            .await
            .success
    );
    // No storage configured: velt-py's configuration error.
    let bare = SelfHosting::builder()
        .store(h.store.clone() as Arc<dyn Store>)
        .build();
    let r = bare
        .attachments()
        .save_attachment(
            &save_req(
                json!({"attachment": {"attachmentId": 9}, "metadata": {"organizationId": "org-a"}}),
            ),
            Some(Upload::new(&b"z"[..])),
        )
        .await;
    assert_eq!(
        js(&r),
        err(
            500,
            "CONFIGURATION_ERROR",
            "S3 configuration is required for file uploads"
        )
    );
    // URL saves and deletes still work without storage.
    let r = bare
        .attachments()
        .delete_attachment(&del_req(
            json!({"attachmentId": 5, "metadata": {"organizationId": "org-a"}}),
        ))
        .await;
    assert_eq!(js(&r), ok());
    assert!(
        h.storage.get(&key).await.unwrap().is_some(),
        "no storage configured: file untouched"
    );
}

pub async fn attachments_error_responses(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    assert_eq!(
        js(&at.get_attachment(&GetAttachmentRequest::new("", 1)).await),
        err(
            400,
            "VALIDATION_ERROR",
            "organizationId must be a non-empty string"
        )
    );
    assert_eq!(
        js(&at
            .get_attachment(&req(json!({"organizationId": "org-a"})))
            .await),
        err(400, "INVALID_INPUT", "attachmentId is required")
    );
    let md = json!({"organizationId": "org-a"});
    let cases = [
        (
            json!({"attachment": {"attachmentId": 1, "file": "https://x"}}),
            "organizationId is required in metadata",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "https://x"}, "metadata": {}}),
            "organizationId is required in metadata",
        ),
        (json!({"metadata": md}), "attachment is required"),
        (
            json!({"attachment": {}, "metadata": md}),
            "attachment is required",
        ),
        (
            json!({"attachment": {"file": "https://x"}, "metadata": md}),
            "attachment.attachmentId is required",
        ),
        (
            json!({"attachment": {"attachmentId": null, "file": "https://x"}, "metadata": md}),
            "attachment.attachmentId is required",
        ),
        (
            json!({"attachment": {"attachmentId": 1}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": {}}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": ""}, "metadata": md}),
            "attachment.file must be a URL string (S3 URL) or file_data must be provided",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "ftp://x/y"}, "metadata": md}),
            "attachment.file must be a valid URL (http:// or https://)",
        ),
        (
            json!({"attachment": {"attachmentId": 1, "file": "/etc/passwd"}, "metadata": md}),
            "attachment.file must be a valid URL (http:// or https://)",
        ),
    ];
    for (body, msg) in cases {
        let r = at.save_attachment(&save_req(body.clone()), None).await;
        assert_eq!(js(&r), err(400, "INVALID_INPUT", msg), "{body}");
    }
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(json!({"metadata": md})))
            .await),
        err(400, "INVALID_INPUT", "attachmentId is required")
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(json!({"attachmentId": 1})))
            .await),
        err(
            400,
            "INVALID_INPUT",
            "organizationId is required in metadata"
        )
    );
    assert_eq!(h.store.counts(), (0, 0, 0));
}

pub async fn attachments_isolation(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let at = h.sh.attachments();
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 1, "name": "a.txt"}, "metadata": {"organizationId": "org-a"}})),
            Some(Upload::new(&b"secret-a"[..]).mime_type("text/plain")),
        )
        .await;
    let url_a = data(&r)["url"].as_str().unwrap().to_owned();
    let key_a = key_of(&url_a);
    let a_record = data(
        &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
            .await,
    );
    // B cannot read or delete A's record.
    assert_eq!(
        js(&at
            .get_attachment(&GetAttachmentRequest::new("org-b", 1))
            .await),
        err(
            404,
            "NOT_FOUND",
            "Attachment not found or does not belong to organization"
        )
    );
    assert_eq!(
        js(&at
            .delete_attachment(&del_req(
                json!({"attachmentId": 1, "metadata": {"organizationId": "org-b"}})
            ))
            .await),
        ok()
    );
    // B saving the same id does not overwrite A's.
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 1, "file": "https://cdn.test/b.png"}, "metadata": {"organizationId": "org-b"}})),
            None,
        )
        .await;
    assert_eq!(data(&r), json!({"url": "https://cdn.test/b.png"}));
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
                .await
        ),
        a_record
    );
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-b", 1))
                .await
        )["file"],
        "https://cdn.test/b.png"
    );
    // B pointing a record at A's file and deleting it does not delete A's file.
    let r = at
        .save_attachment(
            &save_req(json!({"attachment": {"attachmentId": 2, "file": url_a}, "metadata": {"organizationId": "org-b"}})),
            None,
        )
        .await;
    assert!(r.success);
    for id in [1, 2] {
        let r = at
            .delete_attachment(&del_req(
                json!({"attachmentId": id, "metadata": {"organizationId": "org-b"}}),
            ))
            .await;
        assert_eq!(js(&r), ok());
    }
    let file = h
        .storage
        .get(&key_a)
        .await
        .unwrap()
        .expect("A's file survives B's deletes");
    assert_eq!(&file.data[..], b"secret-a");
    assert_eq!(
        data(
            &at.get_attachment(&GetAttachmentRequest::new("org-a", 1))
                .await
        ),
        a_record
    );
}
