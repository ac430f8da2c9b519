//! Comment annotations (velt-py `CommentService`).

use velt_models::selfhost::{
    DeleteCommentResolverRequest, GetCommentResolverRequest, PartialCommentAnnotation,
    ResolverResponse, SaveCommentResolverRequest,
};

use super::RawResponse;

use super::Inner;
use super::annotations::{self, Spec};
use crate::store::{Collection, Selector};

const SPEC: Spec = Spec {
    collection: Collection::Comments,
    get_action: "getting comments",
    save_action: "saving comments",
    delete_action: "deleting comment",
    empty_map: "commentAnnotation must be a non-empty dictionary",
    id_required: "commentAnnotationId is required",
    normalize: None,
};

/// Comment annotations; from [`SelfHosting::comments`](super::SelfHosting::comments).
#[derive(Clone, Copy)]
pub struct Comments<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Comments<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Comments")
    }
}

impl Comments<'_> {
    /// The organization's annotations chosen by `documentIds`, else
    /// `commentAnnotationIds`, else `folderId` with `allDocuments: true`,
    /// else all of them; `data` = `{annotationId: annotation}`.
    pub async fn get_comments(&self, req: &GetCommentResolverRequest) -> ResolverResponse {
        annotations::get::<PartialCommentAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
        )
        .await
    }

    /// The same read as [`Comments::get_comments`], answered from the stored
    /// JSON text ([`Store::find_raw`](crate::store::Store::find_raw)): the
    /// records are sent as the database returned them, not parsed into
    /// values and serialised again. Same records, keys, order and values;
    /// [`RawResponse::into_json`] is the answer's body.
    pub async fn get_comments_raw(&self, req: &GetCommentResolverRequest) -> RawResponse {
        annotations::get_raw::<PartialCommentAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
        )
        .await
    }

    /// Inserts or updates every annotation of the request in one store
    /// round trip (all or nothing where the store can).
    pub async fn save_comments(&self, req: &SaveCommentResolverRequest) -> ResolverResponse {
        annotations::save(
            self.inner,
            &SPEC,
            req.metadata.as_ref(),
            &req.comment_annotation,
        )
        .await
    }

    /// Deletes one annotation of the organization in `metadata`; `200` also
    /// when there is none (idempotent; `removed()` on the answer says which).
    pub async fn delete_comment(&self, req: &DeleteCommentResolverRequest) -> ResolverResponse {
        annotations::delete(
            self.inner,
            &SPEC,
            &req.comment_annotation_id,
            req.metadata.as_ref(),
        )
        .await
    }
}

fn selector(req: &GetCommentResolverRequest) -> Selector {
    annotations::selector(
        req.document_ids.as_ref(),
        req.comment_annotation_ids.as_ref(),
        req.folder_id.as_deref(),
        req.all_documents,
    )
}
