//! Notifications (velt-py `NotificationService`).

use serde_json::Value;
use velt_models::selfhost::{
    DeleteNotificationResolverRequest, GetNotificationResolverRequest, PartialNotification,
    ResolverResponse, SaveNotificationResolverRequest,
};

use super::{
    Inner, ORG_REQUIRED, delete_response, find_response, keyed_documents, required_scope,
    upsert_response,
};
use crate::store::{Collection, RecordId, Selector};

const COLLECTION: Collection = Collection::Notifications;

/// Notifications; from [`SelfHosting::notifications`](super::SelfHosting::notifications).
#[derive(Clone, Copy)]
pub struct Notifications<'a> {
    pub(crate) inner: &'a Inner,
}

impl std::fmt::Debug for Notifications<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notifications")
    }
}

impl Notifications<'_> {
    /// The organization's notifications (those in `notificationIds` when
    /// given); `data` = `{notificationId: notification}`. Not scoped by API
    /// key, as in velt-py.
    pub async fn get_notifications(
        &self,
        req: &GetNotificationResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "getting notifications";
        let scope = match required_scope(&req.organization_id, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let selector = match req.notification_ids.as_ref().filter(|i| !i.is_empty()) {
            Some(ids) => Selector::Ids(ids.iter().map(|s| RecordId::Str(s.clone())).collect()),
            None => Selector::All,
        };
        find_response::<PartialNotification>(self.inner, COLLECTION, &scope, &selector, ACTION)
            .await
    }

    /// Inserts or updates the notifications in one store round trip;
    /// `notificationId` and top-level `organizationId` are stamped.
    pub async fn save_notifications(
        &self,
        req: &SaveNotificationResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "saving notifications";
        let org = req.organization_id.as_str();
        let scope = match required_scope(org, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        if req.notifications.is_empty() {
            return ResolverResponse::invalid_input("notifications must be a non-empty dictionary");
        }
        let docs = keyed_documents(&req.notifications, COLLECTION.id_field(), ACTION, |doc| {
            doc.insert("organizationId".to_owned(), Value::String(org.to_owned()));
        });
        match docs {
            Ok(docs) => upsert_response(self.inner, COLLECTION, &scope, docs, ACTION).await,
            Err(r) => r,
        }
    }

    /// Deletes one notification of `organizationId` (required by velt-rs);
    /// `200` also when there is none (see [`ResolverResponse::deleted`]).
    pub async fn delete_notification(
        &self,
        req: &DeleteNotificationResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "deleting notification";
        if req.notification_id.is_empty() {
            return ResolverResponse::invalid_input("notificationId is required");
        }
        let scope = match required_scope(&req.organization_id, ORG_REQUIRED, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let id = RecordId::Str(req.notification_id.clone());
        delete_response(self.inner, COLLECTION, &scope, &id, ACTION).await
    }
}
