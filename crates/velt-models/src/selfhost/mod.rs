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
mod notifications;
mod reactions;
mod records;
mod recorders;
mod response;
mod users;

pub use activities::{GetActivityResolverRequest, PartialActivityRecord, SaveActivityResolverRequest};
pub use attachments::{
    AttachmentResolverMetadata, DeleteAttachmentResolverRequest, GetAttachmentRequest,
    ResolverAttachment, SaveAttachmentResolverData, SaveAttachmentResolverRequest,
};
pub use comments::{
    DeleteCommentResolverRequest, GetCommentResolverRequest, PartialComment,
    PartialCommentAnnotation, SaveCommentResolverRequest,
};
pub use common::{AttachmentId, BaseMetadata, PartialUser, ResolverActions, ResolverDeleteMetadata};
pub use notifications::{
    DeleteNotificationResolverRequest, GetNotificationResolverRequest, PartialNotification,
    SaveNotificationResolverRequest,
};
pub use reactions::{
    DeleteReactionResolverRequest, GetReactionResolverRequest, PartialReactionAnnotation,
    SaveReactionResolverRequest,
};
pub use records::RecordMap;
pub use recorders::{
    DeleteRecorderResolverRequest, GetRecorderResolverRequest, PartialRecorderAnnotation,
    SaveRecorderResolverRequest,
};
pub use response::{parse_request, parse_request_str, ResolverErrorCode, ResolverResponse};
pub use users::{GetUserResolverRequest, SaveUserResolverRequest, User};
