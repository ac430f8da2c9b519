//! Reaction annotations (velt-py `ReactionService`).

use velt_models::selfhost::{
    DeleteReactionResolverRequest, GetReactionResolverRequest, PartialReactionAnnotation,
    ResolverResponse, SaveReactionResolverRequest,
};

use super::Inner;
use super::annotations::{self, Spec};
use crate::store::Collection;

const SPEC: Spec = Spec {
    collection: Collection::Reactions,
    get_action: "getting reactions",
    save_action: "saving reactions",
    delete_action: "deleting reaction",
    empty_map: "reactionAnnotation must be a non-empty dictionary",
    id_required: "reactionAnnotationId is required",
    not_found: "Reaction annotation not found",
};

/// Reaction annotations; from [`SelfHosting::reactions`](super::SelfHosting::reactions).
#[derive(Clone, Copy)]
pub struct Reactions<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Reactions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reactions")
    }
}

impl Reactions<'_> {
    /// Same query rules as comments; `data` = `{annotationId: annotation}`.
    pub async fn get_reactions(&self, req: &GetReactionResolverRequest) -> ResolverResponse {
        let selector = annotations::selector(
            req.document_ids.as_ref(),
            req.reaction_annotation_ids.as_ref(),
            req.folder_id.as_deref(),
            req.all_documents,
        );
        annotations::get::<PartialReactionAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector,
        )
        .await
    }

    /// Inserts or updates every annotation of the request in one store round trip.
    pub async fn save_reactions(&self, req: &SaveReactionResolverRequest) -> ResolverResponse {
        annotations::save(
            self.inner,
            &SPEC,
            req.metadata.as_ref(),
            &req.reaction_annotation,
        )
        .await
    }

    /// Deletes one annotation of the organization in `metadata`.
    pub async fn delete_reaction(&self, req: &DeleteReactionResolverRequest) -> ResolverResponse {
        annotations::delete(
            self.inner,
            &SPEC,
            &req.reaction_annotation_id,
            req.metadata.as_ref(),
        )
        .await
    }
}
