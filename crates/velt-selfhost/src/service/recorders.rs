//! Recorder annotations (velt-py `RecorderService`).

use velt_models::selfhost::{
    DeleteRecorderResolverRequest, GetRecorderResolverRequest, PartialRecorderAnnotation,
    ResolverResponse, SaveRecorderResolverRequest,
};

use super::RawResponse;

use super::Inner;
use super::annotations::{self, Spec};
use crate::store::{Collection, Selector};

const SPEC: Spec = Spec {
    collection: Collection::Recorders,
    get_action: "getting recorder annotations",
    save_action: "saving recorder annotations",
    delete_action: "deleting recorder annotation",
    empty_map: "recorderAnnotation must be a non-empty dictionary",
    id_required: "recorderAnnotationId is required",
    normalize: None,
};

/// Recorder annotations; from [`SelfHosting::recorders`](super::SelfHosting::recorders).
#[derive(Clone, Copy)]
pub struct Recorders<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Recorders<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorders")
    }
}

impl Recorders<'_> {
    /// By `documentIds`, else `recorderAnnotationIds`, else the whole
    /// organization; `data` = `{annotationId: annotation}`.
    pub async fn get_recorder_annotations(
        &self,
        req: &GetRecorderResolverRequest,
    ) -> ResolverResponse {
        annotations::get::<PartialRecorderAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
        )
        .await
    }

    /// The same read as [`Recorders::get_recorder_annotations`], answered
    /// from the stored JSON text (see
    /// [`Comments::get_comments_raw`](crate::Comments::get_comments_raw)).
    pub async fn get_recorder_annotations_raw(
        &self,
        req: &GetRecorderResolverRequest,
    ) -> RawResponse {
        annotations::get_raw::<PartialRecorderAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
        )
        .await
    }

    /// Inserts or updates every annotation of the request in one store round trip.
    pub async fn save_recorder_annotation(
        &self,
        req: &SaveRecorderResolverRequest,
    ) -> ResolverResponse {
        annotations::save(
            self.inner,
            &SPEC,
            req.metadata.as_ref(),
            &req.recorder_annotation,
        )
        .await
    }

    /// Deletes one annotation of the organization in `metadata`; `200` also
    /// when there is none (idempotent; `removed()` on the answer says which).
    pub async fn delete_recorder_annotation(
        &self,
        req: &DeleteRecorderResolverRequest,
    ) -> ResolverResponse {
        annotations::delete(
            self.inner,
            &SPEC,
            &req.recorder_annotation_id,
            req.metadata.as_ref(),
        )
        .await
    }
}

fn selector(req: &GetRecorderResolverRequest) -> Selector {
    annotations::selector(
        req.document_ids.as_ref(),
        req.recorder_annotation_ids.as_ref(),
        None,
        None,
    )
}
