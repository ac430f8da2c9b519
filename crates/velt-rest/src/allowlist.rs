//! The opt-in unknown-field filters of velt-py 0.3.0 (`filter_unknown_fields=True`).
//!
//! velt-py 0.3.0 gives seven add/update methods a per-call flag, off by
//! default, that drops every key the Velt API does not accept from the
//! free-form items of the request (annotations, comments, activities,
//! notifications, `updatedData`) before sending. This module holds those
//! allowlists, each declared once; the endpoint table names the filter of
//! each method (see [`Endpoint::field_filter`](crate::Endpoint::field_filter)),
//! and [`VeltClient::with_filter_unknown_fields`](crate::VeltClient::with_filter_unknown_fields)
//! or [`ClientBuilder::filter_unknown_fields`](crate::ClientBuilder::filter_unknown_fields)
//! turns filtering on.
//!
//! Semantics, as in velt-py:
//!
//! - only the members named by a filter's [`FieldRule`]s are filtered; the
//!   request's own top-level fields are already closed by its type;
//! - a kept key's value is never recursed into (except where a rule has
//!   [`nested`](FieldRule::nested) rules: the comments inside an annotation),
//!   so open-typed values (`context`, `metadata`, `from`, ...) pass whole;
//! - a value of an unexpected shape (a list where an object is expected, a
//!   string item inside a list, ...) is left as it is: filtering never fails
//!   and never blocks a write;
//! - list length and order are kept; kept keys keep their order.

use serde_json::{Map, Value};

/// Keys of one comment annotation accepted by `/commentannotations/add`.
pub const COMMENT_ANNOTATION_FIELDS: &[&str] = &[
    "location",
    "annotationId",
    "targetElement",
    "commentData",
    "comments",
    "status",
    "commentType",
    "type",
    "assignedTo",
    "priority",
    "context",
    "visibility",
    "lastUpdated",
    "createdAt",
    "pageInfo",
    "actions",
    "suggestion",
    "isPageAnnotation",
    "positionX",
    "positionY",
    "screenWidth",
    "screenHeight",
    "screenScrollHeight",
    "screenScrollTop",
];

/// Keys of a comment nested in an annotation on `/commentannotations/add`
/// (has `triggerActivities`, no `context`/`attachments`).
pub const ANNOTATION_COMMENT_DATA_FIELDS: &[&str] = &[
    "commentText",
    "commentHtml",
    "commentId",
    "from",
    "lastUpdated",
    "createdAt",
    "taggedUserContacts",
    "isCommentResolverUsed",
    "isCommentTextAvailable",
    "triggerNotification",
    "triggerActivities",
    "agent",
    "progress",
    "actions",
];

/// Keys of `updatedData` accepted by `/commentannotations/update`.
pub const UPDATE_COMMENT_ANNOTATION_DATA_FIELDS: &[&str] = &[
    "location",
    "targetElement",
    "from",
    "status",
    "assignedTo",
    "priority",
    "context",
    "visibility",
    "actions",
    "createdAt",
    "lastUpdated",
    "suggestion",
    "statusUpdatedByUserId",
    "resolvedByUserId",
];

/// Keys of a comment accepted by `/commentannotations/comments/add`
/// (has `context`/`attachments`, no `triggerActivities`).
pub const COMMENT_DATA_FIELDS: &[&str] = &[
    "commentText",
    "commentHtml",
    "commentId",
    "lastUpdated",
    "createdAt",
    "taggedUserContacts",
    "isCommentResolverUsed",
    "isCommentTextAvailable",
    "from",
    "context",
    "attachments",
    "agent",
    "progress",
    "actions",
    "triggerNotification",
];

/// Keys of `updatedData` accepted by `/commentannotations/comments/update`
/// (`triggerNotification` belongs to the request's root there, not here).
pub const UPDATE_COMMENT_DATA_FIELDS: &[&str] = &[
    "commentText",
    "commentHtml",
    "from",
    "createdAt",
    "taggedUserContacts",
    "isCommentResolverUsed",
    "isCommentTextAvailable",
    "lastUpdated",
    "context",
    "attachments",
    "progress",
    "actions",
];

/// Keys of an activity accepted by `/activities/add`.
pub const ACTIVITY_ADD_FIELDS: &[&str] = &[
    "id",
    "featureType",
    "actionType",
    "actionUser",
    "targetEntityId",
    "isActivityResolverUsed",
    "targetSubEntityId",
    "changes",
    "entityData",
    "entityTargetData",
    "displayMessageTemplate",
    "displayMessageTemplateData",
    "actionIcon",
];

/// Keys of an activity accepted by `/activities/update`.
pub const ACTIVITY_UPDATE_FIELDS: &[&str] = &[
    "id",
    "changes",
    "entityData",
    "entityTargetData",
    "displayMessageTemplate",
    "displayMessageTemplateData",
    "actionIcon",
];

/// Keys of a notification accepted by `/notifications/update` (`isRead` and
/// `isArchived` are not: the API ignores them).
pub const NOTIFICATION_UPDATE_FIELDS: &[&str] = &[
    "id",
    "actionUser",
    "displayHeadlineMessageTemplate",
    "displayHeadlineMessageTemplateData",
    "displayBodyMessage",
    "displayBodyMessageTemplate",
    "displayBodyMessageTemplateData",
    "notifyUsers",
    "notificationSourceData",
    "location",
    "metadata",
    "context",
    "readByUserIds",
    "persistReadForUsers",
];

/// What a filtered member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape {
    /// A list of objects; each object is filtered.
    EachItem,
    /// One object.
    Object,
}

/// One filtered member: `key` of the object being filtered.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct FieldRule {
    /// The member's key (`activities`, `updatedData`, ...).
    pub key: &'static str,
    /// A list of objects or one object.
    pub shape: Shape,
    /// The keys each object keeps; every other key is dropped.
    pub keep: &'static [&'static str],
    /// Rules applied afterwards to each kept object (the comments of an
    /// annotation); usually none.
    pub nested: &'static [FieldRule],
}

/// The unknown-field filter of one endpoint.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct FieldFilter {
    /// velt-py's name of the filter function (`filter_activities_add`).
    pub name: &'static str,
    /// The filtered members of the request's `data` object.
    pub rules: &'static [FieldRule],
}

const fn each(key: &'static str, keep: &'static [&'static str]) -> FieldRule {
    FieldRule {
        key,
        shape: Shape::EachItem,
        keep,
        nested: &[],
    }
}

const fn object(key: &'static str, keep: &'static [&'static str]) -> FieldRule {
    FieldRule {
        key,
        shape: Shape::Object,
        keep,
        nested: &[],
    }
}

/// `commentAnnotations.addCommentAnnotations`: each of `commentAnnotations`,
/// then the `comments` / `commentData` of each annotation.
pub const ADD_COMMENT_ANNOTATIONS: FieldFilter = FieldFilter {
    name: "filter_comment_annotations_add",
    rules: &[FieldRule {
        key: "commentAnnotations",
        shape: Shape::EachItem,
        keep: COMMENT_ANNOTATION_FIELDS,
        nested: &[
            each("comments", ANNOTATION_COMMENT_DATA_FIELDS),
            each("commentData", ANNOTATION_COMMENT_DATA_FIELDS),
        ],
    }],
};

/// `commentAnnotations.updateCommentAnnotations`: `updatedData`.
pub const UPDATE_COMMENT_ANNOTATIONS: FieldFilter = FieldFilter {
    name: "filter_comment_annotations_update",
    rules: &[object("updatedData", UPDATE_COMMENT_ANNOTATION_DATA_FIELDS)],
};

/// `commentAnnotations.addComments`: each of `commentData` and of its alias `comments`.
pub const ADD_COMMENTS: FieldFilter = FieldFilter {
    name: "filter_comments_add",
    rules: &[
        each("commentData", COMMENT_DATA_FIELDS),
        each("comments", COMMENT_DATA_FIELDS),
    ],
};

/// `commentAnnotations.updateComments`: `updatedData`.
pub const UPDATE_COMMENTS: FieldFilter = FieldFilter {
    name: "filter_comments_update",
    rules: &[object("updatedData", UPDATE_COMMENT_DATA_FIELDS)],
};

/// `activities.addActivities`: each of `activities`.
pub const ADD_ACTIVITIES: FieldFilter = FieldFilter {
    name: "filter_activities_add",
    rules: &[each("activities", ACTIVITY_ADD_FIELDS)],
};

/// `activities.updateActivities`: each of `activities`.
pub const UPDATE_ACTIVITIES: FieldFilter = FieldFilter {
    name: "filter_activities_update",
    rules: &[each("activities", ACTIVITY_UPDATE_FIELDS)],
};

/// `notifications.updateNotifications`: each of `notifications`.
pub const UPDATE_NOTIFICATIONS: FieldFilter = FieldFilter {
    name: "filter_notifications_update",
    rules: &[each("notifications", NOTIFICATION_UPDATE_FIELDS)],
};

impl FieldFilter {
    /// Filters a request's `data` object in place. Anything that is not of
    /// the expected shape is left unchanged.
    pub fn apply(&self, data: &mut Value) {
        if let Value::Object(map) = data {
            apply_rules(map, self.rules);
        }
    }
}

fn apply_rules(map: &mut Map<String, Value>, rules: &[FieldRule]) {
    for rule in rules {
        match (rule.shape, map.get_mut(rule.key)) {
            (Shape::EachItem, Some(Value::Array(items))) => {
                for item in items {
                    pick(item, rule);
                }
            }
            (Shape::Object, Some(value)) => pick(value, rule),
            _ => {}
        }
    }
}

fn pick(value: &mut Value, rule: &FieldRule) {
    if let Value::Object(obj) = value {
        obj.retain(|k, _| rule.keep.contains(&k.as_str()));
        apply_rules(obj, rule.nested);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_shapes_pass_through() {
        let mut v = json!({"activities": {"id": 1, "x": 2}});
        ADD_ACTIVITIES.apply(&mut v);
        assert_eq!(v, json!({"activities": {"id": 1, "x": 2}}));
        let mut v = json!({"activities": ["s", 3, null, {"id": 1, "x": 2}]});
        ADD_ACTIVITIES.apply(&mut v);
        assert_eq!(v, json!({"activities": ["s", 3, null, {"id": 1}]}));
        let mut v = json!({"updatedData": [1]});
        UPDATE_COMMENTS.apply(&mut v);
        assert_eq!(v, json!({"updatedData": [1]}));
        let mut v = json!(["not", "an", "object"]);
        UPDATE_COMMENTS.apply(&mut v);
        assert_eq!(v, json!(["not", "an", "object"]));
    }

    #[test]
    fn allowlists_have_no_repeats() {
        for list in [
            COMMENT_ANNOTATION_FIELDS,
            ANNOTATION_COMMENT_DATA_FIELDS,
            UPDATE_COMMENT_ANNOTATION_DATA_FIELDS,
            COMMENT_DATA_FIELDS,
            UPDATE_COMMENT_DATA_FIELDS,
            ACTIVITY_ADD_FIELDS,
            ACTIVITY_UPDATE_FIELDS,
            NOTIFICATION_UPDATE_FIELDS,
        ] {
            let set: std::collections::BTreeSet<_> = list.iter().collect();
            assert_eq!(set.len(), list.len(), "{list:?}");
        }
    }
}
