//! Notifications (velt-py `NotificationService`).

use serde_json::Value;
use velt_models::selfhost::{
    DeleteNotificationResolverRequest, GetNotificationResolverRequest, PartialNotification,
    ResolverResponse, SaveNotificationResolverRequest,
};

use super::{Inner, collect_records, scope_of, store_error, to_document};
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
        if req.organization_id.is_empty() {
            return ResolverResponse::invalid_input("organizationId is required");
        }
        let scope = match scope_of(&req.organization_id, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let selector = match req.notification_ids.as_ref().filter(|i| !i.is_empty()) {
            Some(ids) => Selector::Ids(ids.iter().map(|s| RecordId::Str(s.clone())).collect()),
            None => Selector::All,
        };
        match self.inner.store.find(COLLECTION, &scope, &selector).await {
            Ok(docs) => ResolverResponse::with_data(collect_records::<PartialNotification>(
                COLLECTION, docs,
            )),
            Err(e) => store_error(ACTION, &e),
        }
    }

    /// Inserts or updates the notifications in one store round trip;
    /// `notificationId` and top-level `organizationId` are stamped.
    pub async fn save_notifications(
        &self,
        req: &SaveNotificationResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "saving notifications";
        let org = req.organization_id.as_str();
        if org.is_empty() {
            return ResolverResponse::invalid_input("organizationId is required");
        }
        if req.notifications.is_empty() {
            return ResolverResponse::invalid_input("notifications must be a non-empty dictionary");
        }
        let scope = match scope_of(org, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let mut docs = Vec::with_capacity(req.notifications.len());
        for (id, record) in req.notifications.iter() {
            if id.is_empty() {
                continue;
            }
            let mut doc = match to_document(record, ACTION) {
                Ok(d) => d,
                Err(r) => return r,
            };
            doc.insert("notificationId".to_owned(), Value::String(id.to_owned()));
            doc.insert("organizationId".to_owned(), Value::String(org.to_owned()));
            docs.push(doc);
        }
        if docs.is_empty() {
            return ResolverResponse::ok();
        }
        match self.inner.store.upsert_many(COLLECTION, &scope, docs).await {
            Ok(()) => ResolverResponse::ok(),
            Err(e) => store_error(ACTION, &e),
        }
    }

    /// Deletes one notification of `organizationId` (required by velt-rs).
    pub async fn delete_notification(
        &self,
        req: &DeleteNotificationResolverRequest,
    ) -> ResolverResponse {
        const ACTION: &str = "deleting notification";
        if req.notification_id.is_empty() {
            return ResolverResponse::invalid_input("notificationId is required");
        }
        if req.organization_id.is_empty() {
            return ResolverResponse::invalid_input("organizationId is required");
        }
        let scope = match scope_of(&req.organization_id, ACTION) {
            Ok(s) => s,
            Err(r) => return r,
        };
        match self
            .inner
            .store
            .delete(
                COLLECTION,
                &scope,
                &RecordId::Str(req.notification_id.clone()),
            )
            .await
        {
            Ok(Some(_)) => ResolverResponse::ok(),
            Ok(None) => ResolverResponse::not_found("Notification not found"),
            Err(e) => store_error(ACTION, &e),
        }
    }
}
