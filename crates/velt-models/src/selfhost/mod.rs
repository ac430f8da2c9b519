//! Self-hosting types: the records velt-py stores, the resolver requests
//! Velt's frontend posts to a data provider, and [`ResolverResponse`].
//!
//! Requests deserialise from exactly the JSON the frontend sends, as
//! leniently as velt-py's `from_dict` (missing ids read as `""`, falsy
//! metadata as absent, non-object records dropped); use [`parse_request`]
//! to turn a body of the wrong shape into a `400 VALIDATION_ERROR` response.
//! Records keep every key: known keys are typed, all others are in a
//! flattened `extra` map, so nothing a frontend sends is dropped.

mod activities;
mod attachments;
mod comments;
mod common;
mod de;
mod extra;
mod notifications;
mod reactions;
mod recorders;
mod records;
mod response;
mod users;

pub use activities::{
    GetActivityResolverRequest, PartialActivityRecord, SaveActivityResolverRequest,
};
pub use attachments::{
    AttachmentResolverMetadata, DeleteAttachmentResolverRequest, GetAttachmentRequest,
    ResolverAttachment, SaveAttachmentResolverData, SaveAttachmentResolverRequest,
};
pub use comments::{
    DeleteCommentResolverRequest, GetCommentResolverRequest, PartialComment,
    PartialCommentAnnotation, SaveCommentResolverRequest,
};
pub use common::{
    AttachmentId, BaseMetadata, CommentResolverSaveEvent, CommentSaveEvent, Id, PartialUser,
    ResolverActions, ResolverDeleteMetadata,
};
pub use notifications::{
    DeleteNotificationResolverRequest, GetNotificationResolverRequest, PartialNotification,
    SaveNotificationResolverRequest,
};
pub use reactions::{
    DeleteReactionResolverRequest, GetReactionResolverRequest, PartialReactionAnnotation,
    SaveReactionResolverRequest,
};
pub use recorders::{
    DeleteRecorderResolverRequest, GetRecorderResolverRequest, PartialRecorderAnnotation,
    SaveRecorderResolverRequest,
};
pub use records::RecordMap;
pub use response::{ResolverErrorCode, ResolverResponse, parse_request, parse_request_str};
pub use users::{
    GetUserResolverRequest, ResolveUserIdsByEmailRequest, SaveUserResolverRequest, User,
};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn responses_serialise_exactly_like_velt_py() {
        assert_eq!(
            serde_json::to_string(&ResolverResponse::ok()).unwrap(),
            r#"{"success":true,"statusCode":200}"#
        );
        assert_eq!(
            serde_json::to_string(&ResolverResponse::with_data(json!({"a": {"x": 1}}))).unwrap(),
            r#"{"data":{"a":{"x":1}},"success":true,"statusCode":200}"#
        );
        assert_eq!(
            serde_json::to_string(&ResolverResponse::not_found("Comment annotation not found"))
                .unwrap(),
            r#"{"success":false,"statusCode":404,"error":"Comment annotation not found","errorCode":"NOT_FOUND"}"#
        );
        let back: ResolverResponse = serde_json::from_str(
            r#"{"success":false,"statusCode":500,"error":"e","errorCode":"WEIRD"}"#,
        )
        .unwrap();
        assert_eq!(
            back.error_code(),
            Some(&ResolverErrorCode::Other("WEIRD".into()))
        );
    }

    #[test]
    fn events_keep_unknown_strings_and_ignore_non_strings() {
        let r: SaveCommentResolverRequest =
            serde_json::from_value(json!({"event": "comment.add"})).unwrap();
        assert_eq!(
            r.event,
            Some(CommentSaveEvent::Action(ResolverActions::CommentAdd))
        );
        let r: SaveCommentResolverRequest =
            serde_json::from_value(json!({"event": "comment_annotation.status_change"})).unwrap();
        assert_eq!(
            r.event,
            Some(CommentSaveEvent::Additional(
                CommentResolverSaveEvent::StatusChange
            ))
        );
        assert_eq!(
            serde_json::to_value(&r).unwrap()["event"],
            "comment_annotation.status_change"
        );
        let r: SaveCommentResolverRequest =
            serde_json::from_value(json!({"event": "comment_annotation.future"})).unwrap();
        assert_eq!(
            r.event,
            Some(CommentSaveEvent::Unknown(
                "comment_annotation.future".into()
            ))
        );
        let r: DeleteCommentResolverRequest =
            serde_json::from_value(json!({"event": "comment_annotation.status_change"})).unwrap();
        assert_eq!(
            r.event,
            Some(ResolverActions::Other(
                "comment_annotation.status_change".into()
            ))
        );
        let r: SaveCommentResolverRequest = serde_json::from_value(json!({"event": 5})).unwrap();
        assert_eq!(r.event, None);
    }

    #[test]
    fn record_maps_keep_order_and_every_field() {
        let body = json!({"commentAnnotation": {
            "z": {"from": {"userId": "u", "name": "N"}, "metadata": {"organizationId": "o", "custom": 1}, "status": {"id": "s"}},
            "a": {}, "skip": 3
        }});
        let r: SaveCommentResolverRequest = serde_json::from_value(body).unwrap();
        let ids: Vec<&str> = r.comment_annotation.iter().map(|(k, _)| k).collect();
        assert_eq!(ids, ["z", "a"]);
        let z = serde_json::to_value(r.comment_annotation.get("z").unwrap()).unwrap();
        assert_eq!(
            z,
            json!({"annotationId": "", "metadata": {"organizationId": "o", "custom": 1},
                   "from": {"userId": "u", "name": "N"}, "status": {"id": "s"}})
        );
    }

    #[test]
    fn attachment_ids_keep_their_json_type() {
        let r: DeleteAttachmentResolverRequest =
            serde_json::from_value(json!({"attachmentId": 0})).unwrap();
        assert_eq!(r.attachment_id, Some(AttachmentId::Int(0)));
        let r: DeleteAttachmentResolverRequest =
            serde_json::from_value(json!({"attachmentId": "12"})).unwrap();
        assert_eq!(r.attachment_id, Some(AttachmentId::Str("12".into())));
        let r: DeleteAttachmentResolverRequest =
            serde_json::from_value(json!({"attachmentId": 12.0})).unwrap();
        assert_eq!(r.attachment_id, Some(AttachmentId::Int(12)));
        assert!(
            serde_json::from_value::<DeleteAttachmentResolverRequest>(json!({"attachmentId": 1.5}))
                .is_err()
        );
    }

    #[test]
    fn ids_may_be_numbers_wherever_an_id_appears() {
        let r: SaveCommentResolverRequest = serde_json::from_value(json!({
            "commentAnnotation": {"184639": {"annotationId": 184639, "from": {"userId": 7}}},
            "commentId": 184639,
            "targetComment": {"commentId": 184639, "commentText": "x"},
            "metadata": {"organizationId": "o", "documentId": 12, "folderId": 3}
        }))
        .unwrap();
        assert_eq!(r.comment_id, Some(Id::Int(184639)));
        assert_eq!(r.target_comment.unwrap().comment_id, json!(184639));
        let (key, ann) = r.comment_annotation.iter().next().unwrap();
        assert_eq!((key, ann.annotation_id.as_str()), ("184639", "184639"));
        assert_eq!(ann.from.as_ref().unwrap().user_id, "7");
        let md = r.metadata.unwrap();
        assert_eq!(md.document_id.as_deref(), Some("12"));
        assert_eq!(md.folder_id.as_deref(), Some("3"));

        let r: SaveCommentResolverRequest =
            serde_json::from_value(json!({"commentId": "c-1", "targetComment": "junk"})).unwrap();
        assert_eq!(r.comment_id, Some(Id::Str("c-1".into())));
        assert_eq!(r.target_comment, None);

        let r: GetCommentResolverRequest = serde_json::from_value(
            json!({"organizationId": "o", "commentAnnotationIds": [1, "a"], "documentIds": [2]}),
        )
        .unwrap();
        assert_eq!(r.comment_annotation_ids, Some(vec!["1".into(), "a".into()]));
        assert_eq!(r.document_ids, Some(vec!["2".into()]));
        let r: DeleteNotificationResolverRequest =
            serde_json::from_value(json!({"notificationId": 5, "organizationId": "o"})).unwrap();
        assert_eq!(r.notification_id, "5");
        assert!(
            serde_json::from_value::<GetCommentResolverRequest>(
                json!({"commentAnnotationIds": [{"a": 1}]})
            )
            .is_err()
        );
    }

    #[test]
    fn event_tables_round_trip() {
        assert_eq!(CommentResolverSaveEvent::ALL.len(), 14);
        for e in CommentResolverSaveEvent::ALL {
            assert_eq!(CommentResolverSaveEvent::parse(e.as_str()), Some(*e));
            assert_eq!(
                CommentSaveEvent::parse(e.as_str()),
                CommentSaveEvent::Additional(*e)
            );
        }
        // The 13 values of @veltdev/types plus velt-py's notification.delete.
        assert_eq!(ResolverActions::ALL.len(), 14);
        for a in ResolverActions::ALL {
            assert_eq!(&ResolverActions::parse(a.as_str()), a);
            assert_eq!(
                CommentSaveEvent::parse(a.as_str()),
                CommentSaveEvent::Action(a.clone())
            );
        }
        // comment.reaction_add is a comment event, not the reactions' reaction.add.
        assert_eq!(
            CommentSaveEvent::parse("comment.reaction_add"),
            CommentSaveEvent::Additional(CommentResolverSaveEvent::ReactionAdd)
        );
        assert_eq!(
            CommentSaveEvent::parse("reaction.add"),
            CommentSaveEvent::Action(ResolverActions::ReactionAdd)
        );
    }
}
