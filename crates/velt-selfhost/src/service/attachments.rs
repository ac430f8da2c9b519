//! Attachments (velt-py `AttachmentService`): records in the store, files in
//! the configured [`AttachmentStorage`](crate::attachments::AttachmentStorage).

use serde_json::{Map, Value};
use velt_models::selfhost::{
    AttachmentId, DeleteAttachmentResolverRequest, GetAttachmentRequest, ResolverErrorCode,
    ResolverResponse, SaveAttachmentResolverRequest,
};

use super::{
    Inner, ORG_REQUIRED_IN_METADATA, Upload, required_scope, scope_of, stamp_metadata, store_error,
    to_document,
};
use crate::attachments::{PutContext, StorageError};
use crate::store::{Collection, RecordId, Selector};

const COLLECTION: Collection = Collection::Attachments;

fn record_id(id: &AttachmentId) -> RecordId {
    match id {
        AttachmentId::Int(i) => RecordId::Int(*i),
        AttachmentId::Str(s) => RecordId::Str(s.clone()),
    }
}

/// Attachments; from [`SelfHosting::attachments`](super::SelfHosting::attachments).
#[derive(Clone, Copy)]
pub struct Attachments<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Attachments<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Attachments")
    }
}

impl Attachments<'_> {
    /// One attachment record of the organization: `data` = the stored
    /// record. Unlike velt-py, every answer carries `statusCode` and
    /// invalid input is an error response, not an exception.
    pub async fn get_attachment(&self, req: &GetAttachmentRequest) -> ResolverResponse {
        const ACTION: &str = "getting attachment";
        if req.organization_id.is_empty() {
            return ResolverResponse::validation_error("organizationId must be a non-empty string");
        }
        let Some(id) = req.attachment_id.as_ref() else {
            return ResolverResponse::invalid_input("attachmentId is required");
        };
        let scope = match scope_of(&req.organization_id, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let docs = match self
            .inner
            .store
            .find(COLLECTION, &scope, &Selector::Ids(vec![record_id(id)]))
            .await
        {
            Ok(d) => d,
            Err(e) => return store_error(ACTION, &e),
        };
        match docs.into_iter().next() {
            Some(mut doc) => {
                doc.remove("_id");
                ResolverResponse::with_data(Value::Object(doc))
            }
            None => ResolverResponse::not_found(
                "Attachment not found or does not belong to organization",
            ),
        }
    }

    /// Saves an attachment record. With `upload`, the bytes go to the
    /// attachment storage first and its URL becomes `file`; without, the
    /// attachment's `file` must already be an `http(s)://` URL.
    /// `data` = `{"url": <file url>}`.
    pub async fn save_attachment(
        &self,
        req: &SaveAttachmentResolverRequest,
        upload: Option<Upload>,
    ) -> ResolverResponse {
        const ACTION: &str = "saving attachment";
        let md = req.metadata.as_ref();
        let org = md
            .and_then(|m| m.organization_id.as_deref())
            .unwrap_or_default();
        let scope = match required_scope(org, ORG_REQUIRED_IN_METADATA, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let Some(attachment) = req.attachment.as_ref() else {
            return ResolverResponse::invalid_input("attachment is required");
        };
        if attachment.attachment_id.is_none() {
            return ResolverResponse::invalid_input("attachment.attachmentId is required");
        }
        let mut doc = match to_document(attachment, ACTION) {
            Ok(d) => d,
            Err(r) => return r,
        };
        // Files are never stored inline.
        doc.remove("base64Data");

        let mut uploaded: Option<String> = None;
        let url = match upload {
            Some(upload) => {
                let Some(storage) = self.inner.storage.as_ref() else {
                    return ResolverResponse::error(
                        500,
                        ResolverErrorCode::ConfigurationError,
                        "S3 configuration is required for file uploads",
                    );
                };
                let name = upload
                    .file_name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .or_else(|| attachment.name.clone().filter(|n| !n.is_empty()))
                    .unwrap_or_else(|| "attachment".to_owned());
                let mime = upload
                    .mime_type
                    .clone()
                    .filter(|m| !m.is_empty())
                    .or_else(|| attachment.mime_type.clone().filter(|m| !m.is_empty()));
                let ctx = PutContext {
                    organization_id: org.to_owned(),
                    api_key: self.inner.api_key.clone(),
                };
                let url = match storage.put(&ctx, &name, mime.as_deref(), upload.data).await {
                    Ok(url) => url,
                    Err(e) => return upload_error(&e),
                };
                doc.insert("file".to_owned(), Value::String(url.clone()));
                if let Some(n) = upload.file_name.filter(|n| !n.is_empty()) {
                    doc.insert("name".to_owned(), Value::String(n));
                }
                if let Some(m) = upload.mime_type.filter(|m| !m.is_empty()) {
                    doc.insert("mimeType".to_owned(), Value::String(m));
                }
                uploaded = Some(url.clone());
                url
            }
            None => {
                let url = attachment.file.clone().unwrap_or_default();
                if url.is_empty() {
                    return ResolverResponse::invalid_input(
                        "attachment.file must be a URL string (S3 URL) or file_data must be provided",
                    );
                }
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return ResolverResponse::invalid_input(
                        "attachment.file must be a valid URL (http:// or https://)",
                    );
                }
                url
            }
        };
        stamp_metadata(
            &mut doc,
            org,
            md.and_then(|m| m.document_id.as_deref()),
            md.and_then(|m| m.folder_id.as_deref()),
            self.inner.api_key.as_deref(),
            md.and_then(|m| m.api_key.as_deref()),
        );
        match self
            .inner
            .store
            .upsert_many(COLLECTION, &scope, vec![doc])
            .await
        {
            Ok(()) => {
                let mut data = Map::new();
                data.insert("url".to_owned(), Value::String(url));
                ResolverResponse::with_data(Value::Object(data))
            }
            Err(e) => {
                // Do not leave an orphan file behind a failed save.
                if let (Some(url), Some(storage)) = (uploaded, self.inner.storage.as_ref())
                    && let Err(del) = storage.delete(&url).await
                {
                    tracing::warn!(error = %del, "could not remove the file of a failed attachment save");
                }
                store_error(ACTION, &e)
            }
        }
    }

    /// Deletes one attachment record of the organization in `metadata`
    /// (required by velt-rs; `attachmentId` `0` is valid) and, when
    /// attachment storage is configured, the file its `file`/`url` names.
    /// A failure to delete the file is logged (`tracing` warning); the
    /// record is gone either way. A missing record is `200` too (Velt
    /// retries deletes); `removed()` on the response tells them apart.
    pub async fn delete_attachment(
        &self,
        req: &DeleteAttachmentResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "deleting attachment";
        let Some(id) = req.attachment_id.as_ref() else {
            return ResolverResponse::invalid_input("attachmentId is required");
        };
        let org = req
            .metadata
            .as_ref()
            .and_then(|m| m.organization_id.as_deref())
            .unwrap_or_default();
        let scope = match required_scope(org, ORG_REQUIRED_IN_METADATA, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let deleted = match self
            .inner
            .store
            .delete(COLLECTION, &scope, &record_id(id))
            .await
        {
            Ok(Some(doc)) => doc,
            // Idempotent: a retried delete succeeds again.
            Ok(None) => return ResolverResponse::deleted(false),
            Err(e) => return store_error(ACTION, &e),
        };
        if let Some(storage) = self.inner.storage.as_ref() {
            let file = [deleted.get("file"), deleted.get("url")]
                .into_iter()
                .flatten()
                .find_map(|v| v.as_str().filter(|s| !s.is_empty()));
            if let Some(file) = file {
                let ctx = PutContext {
                    organization_id: org.to_owned(),
                    api_key: self.inner.api_key.clone(),
                };
                if let Err(e) = storage.delete_owned(&ctx, file).await {
                    tracing::warn!(error = %e, "failed to delete an attachment's file from storage");
                }
            }
        }
        ResolverResponse::deleted(true)
    }
}

/// The response for a failed upload.
fn upload_error(e: &StorageError) -> ResolverResponse {
    match e {
        StorageError::TooLarge { size, limit } => ResolverResponse::error(
            413,
            ResolverErrorCode::FileTooLarge,
            format!("File too large: {size} bytes (limit {limit} bytes)"),
        ),
        StorageError::InvalidKey(_) => {
            ResolverResponse::invalid_input(format!("Invalid file name: {e}"))
        }
        StorageError::NotConfigured(msg) => {
            ResolverResponse::error(500, ResolverErrorCode::ConfigurationError, msg.clone())
        }
        other => ResolverResponse::error(
            500,
            ResolverErrorCode::S3UploadError,
            format!("Failed to upload file to storage: {other}"),
        ),
    }
}
