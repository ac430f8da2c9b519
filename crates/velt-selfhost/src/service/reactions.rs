//! Reaction annotations (velt-py `ReactionService`).

use velt_models::selfhost::{
    DeleteReactionResolverRequest, GetReactionResolverRequest, PartialReactionAnnotation,
    ResolverResponse, SaveReactionResolverRequest,
};

use super::RawResponse;
use super::raw_read::Normalize;

use super::Inner;
use super::annotations::{self, Spec};
use serde_json::Value;

use crate::store::{Collection, Document, Selector};

const SPEC: Spec = Spec {
    collection: Collection::Reactions,
    get_action: "getting reactions",
    save_action: "saving reactions",
    delete_action: "deleting reaction",
    empty_map: "reactionAnnotation must be a non-empty dictionary",
    id_required: "reactionAnnotationId is required",
    normalize: Some(FROM_NOT_USER),
};

/// [`from_not_user`], which changes only records holding `user`.
const FROM_NOT_USER: Normalize = (from_not_user, &["user"]);

/// velt-py 0.3.0's layout of the reacting user: stored and returned as
/// `from`; a record (sent or stored) that names it only under the 0.1.10 key
/// `user` has it moved to `from`. `user` itself is neither stored nor returned.
fn from_not_user(doc: &mut Document) {
    let user = doc.remove("user");
    let has_from = matches!(doc.get("from"), Some(Value::Object(m)) if !m.is_empty());
    if !has_from
        && let Some(Value::Object(u)) =
            user.filter(|u| u.as_object().is_some_and(|m| !m.is_empty()))
    {
        doc.insert("from".to_owned(), Value::Object(u));
    }
}

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
        annotations::get::<PartialReactionAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
        )
        .await
    }

    /// The same read as [`Reactions::get_reactions`], answered from the
    /// stored JSON text (records are not parsed into values; see
    /// [`Comments::get_comments_raw`](crate::Comments::get_comments_raw)).
    pub async fn get_reactions_raw(&self, req: &GetReactionResolverRequest) -> RawResponse {
        annotations::get_raw::<PartialReactionAnnotation>(
            self.inner,
            &SPEC,
            &req.organization_id,
            selector(req),
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

    /// Deletes one annotation of the organization in `metadata`; `200` also
    /// when there is none (idempotent; `removed()` on the answer says which).
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

fn selector(req: &GetReactionResolverRequest) -> Selector {
    annotations::selector(
        req.document_ids.as_ref(),
        req.reaction_annotation_ids.as_ref(),
        req.folder_id.as_deref(),
        req.all_documents,
    )
}
