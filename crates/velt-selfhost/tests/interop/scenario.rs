//! The records and reads of `tests/interop.rs`: what one SDK writes and
//! what both SDKs then read, as velt-py calls them (`service`, velt-py
//! method name, request body as Velt's frontend sends it).

use serde_json::{Value, json};

use super::support::Side;

/// The organization of every scenario.
pub const ORG: &str = "org-interop";
/// The document.
pub const DOC: &str = "doc-1";

/// The writes of the scenario, as velt-py calls them (`service`, velt-py
/// method name, request body as Velt's frontend sends it). Numeric ids
/// (comment ids, attachment ids) and customer keys are deliberate.
pub fn writes(writer: Side) -> Vec<Value> {
    let comment = |id: &str, text: &str, comment_id: u64| {
        json!({
            "annotationId": id,
            "comments": {
                comment_id.to_string(): {
                    "commentId": comment_id,
                    "commentText": text,
                    "commentHtml": format!("<p>{text}</p>"),
                    "from": {"userId": "u-ada", "name": "Ada", "email": "ada@example.com"},
                    "to": [{"userId": "u-bob", "name": "Bob"}],
                    "attachments": {
                        "77": {"attachmentId": 77, "name": "spec.pdf", "url": "https://files.example.com/spec.pdf"}
                    },
                    "reactionAnnotationIds": ["rx-1"],
                    "createdAt": 1_733_000_000_123_u64
                }
            },
            "from": {"userId": "u-ada", "name": "Ada"},
            "assignedTo": {"userId": "u-bob"},
            "targetTextRange": {"text": "the quarterly numbers"},
            "resolvedByUserId": null,
            "context": {"textEditorConfig": {"text": "anchor sentence"}},
            "status": {"id": "OPEN", "type": "default"},
            "customerPriority": 3,
            "customerTags": ["finance", "q4"]
        })
    };
    let mut calls = vec![
        call(
            "comments",
            "saveComments",
            json!({
                "commentAnnotation": {
                    "ann-1": with_metadata(comment("ann-1", "Looks good", 1001), json!({"customerRegion": "eu"})),
                    "ann-2": comment("ann-2", "Check row 12", 2002)
                },
                "metadata": {"organizationId": ORG, "documentId": DOC, "folderId": "folder-1"},
                "event": "addComment"
            }),
        ),
        call(
            "reactions",
            "saveReactions",
            json!({
                "reactionAnnotation": {
                    "rx-1": {
                        "annotationId": "rx-1",
                        "icon": "👍",
                        "from": {"userId": "u-bob", "name": "Bob"},
                        "reactions": [{"userId": "u-bob", "icon": "👍", "count": 2}],
                        "customerScore": 4.5
                    }
                },
                "metadata": {"organizationId": ORG, "documentId": DOC},
                "event": "addReaction"
            }),
        ),
        call(
            "attachments",
            "saveAttachment",
            json!({
                "attachment": {
                    "attachmentId": 424242,
                    "file": "https://files.example.com/attachments/spec.pdf",
                    "name": "spec.pdf",
                    "mimeType": "application/pdf"
                },
                "metadata": {"organizationId": ORG, "documentId": DOC, "commentAnnotationId": "ann-1"},
                "event": "saveAttachment"
            }),
        ),
        call(
            "recorders",
            "saveRecorderAnnotation",
            json!({
                "recorderAnnotation": {
                    "rec-1": {
                        "annotationId": "rec-1",
                        "from": {"userId": "u-ada"},
                        "transcription": {"text": "hello team", "vttUrl": "https://files.example.com/rec-1.vtt"},
                        "attachment": {"url": "https://files.example.com/rec-1.webm", "mimeType": "video/webm"},
                        "attachments": [{"url": "https://files.example.com/rec-1.webm"}],
                        "chunkUrls": {"0": "https://files.example.com/rec-1-0.webm"},
                        "recordingEditVersions": {
                            "1": {
                                "from": {"userId": "u-ada"},
                                "attachment": {"url": "https://files.example.com/rec-1-v1.webm"},
                                "transcription": {"text": "hello team (edited)"}
                            }
                        },
                        "durationMs": 15320
                    }
                },
                "metadata": {"organizationId": ORG, "documentId": DOC},
                "event": "addRecording"
            }),
        ),
        call(
            "notifications",
            "saveNotifications",
            json!({
                "organizationId": ORG,
                "notifications": {
                    "n-1": {
                        "notificationId": "n-1",
                        "displayHeadlineMessageTemplate": "{actor} commented",
                        "displayHeadlineMessageTemplateData": {"actor": "Ada"},
                        "displayBodyMessage": "Looks good",
                        "notificationSourceData": {"annotationId": "ann-1", "commentId": 1001},
                        "timestamp": 1_733_000_000_456_u64,
                        "customerChannel": "email"
                    }
                }
            }),
        ),
        call(
            "activities",
            "saveActivities",
            json!({
                "organizationId": ORG,
                "activity": {
                    "act-1": {
                        "id": "act-1",
                        "changes": {"status": {"from": "OPEN", "to": "RESOLVED"}},
                        "entityData": {"annotationId": "ann-1"},
                        "displayMessageTemplateData": {"actor": "Ada"},
                        "metadata": {"organizationId": ORG, "documentId": DOC},
                        "timestamp": 1_733_000_000_789_u64,
                        "customerSeverity": 2
                    }
                },
                "event": "updateStatus",
                "metadata": {"organizationId": ORG, "documentId": DOC}
            }),
        ),
    ];
    let users = [
        json!({"userId": "u-ada", "name": "Ada", "email": "ada@example.com", "photoUrl": "https://img.example.com/ada.png", "color": "#ff0000", "isAdmin": true, "organizationId": ORG, "department": "finance"}),
        json!({"userId": "u-bob", "name": "Bob", "email": "bob@example.com", "initial": "B", "organizationId": ORG}),
    ];
    match writer {
        // velt-py has no user save (the application owns the users
        // collection): the driver upserts through velt-py's adapter.
        Side::VeltPy => {
            calls.extend(
                users
                    .iter()
                    .map(|u| call("users", "seedUser", json!({ "user": u }))),
            );
        }
        Side::VeltRs => calls.push(call(
            "users",
            "saveUsers",
            json!({"organizationId": ORG, "users": users}),
        )),
    }
    calls
}

/// The gets both SDKs answer, each compared between them.
pub fn reads() -> Vec<Value> {
    vec![
        call(
            "comments",
            "getComments",
            json!({"organizationId": ORG, "documentIds": [DOC]}),
        ),
        call(
            "comments",
            "getComments",
            json!({"organizationId": ORG, "commentAnnotationIds": ["ann-2"]}),
        ),
        call(
            "comments",
            "getComments",
            json!({"organizationId": ORG, "folderId": "folder-1", "allDocuments": true}),
        ),
        call(
            "reactions",
            "getReactions",
            json!({"organizationId": ORG, "documentIds": [DOC]}),
        ),
        call(
            "attachments",
            "getAttachment",
            json!({"organizationId": ORG, "attachmentId": 424242}),
        ),
        call(
            "attachments",
            "getAttachment",
            json!({"organizationId": ORG, "attachmentId": 999}),
        ),
        call(
            "recorders",
            "getRecorderAnnotations",
            json!({"organizationId": ORG, "recorderAnnotationIds": ["rec-1"]}),
        ),
        call(
            "notifications",
            "getNotifications",
            json!({"organizationId": ORG}),
        ),
        call(
            "activities",
            "getActivities",
            json!({"organizationId": ORG, "activityIds": ["act-1"]}),
        ),
        call(
            "activities",
            "getActivities",
            json!({"organizationId": ORG, "documentIds": [DOC]}),
        ),
        call(
            "users",
            "getUsers",
            json!({"organizationId": ORG, "userIds": ["u-ada", "u-bob"]}),
        ),
        // Another organization sees nothing of ORG's.
        call(
            "comments",
            "getComments",
            json!({"organizationId": "org-other", "documentIds": [DOC]}),
        ),
    ]
}

fn with_metadata(mut record: Value, metadata: Value) -> Value {
    record["metadata"] = metadata;
    record
}

/// One call: `service`, velt-py `method`, `request` body.
pub fn call(service: &str, method: &str, request: Value) -> Value {
    json!({"service": service, "method": method, "request": request})
}
