use serde_json::json;

use super::*;

#[test]
fn every_kind_round_trips_through_its_names() {
    let mut names = std::collections::HashSet::new();
    for &kind in EventKind::ALL {
        assert!(names.insert(kind.as_str()), "duplicate name {kind}");
        assert_eq!(EventKind::from_name(kind.as_str()), Some(kind));
        assert_eq!(EventType::parse(kind.as_str()), EventType::Known(kind));
        assert!(kind.as_str().starts_with(match kind.source() {
            EventSource::Comment => "comment",
            EventSource::Huddle => "huddle.",
            EventSource::Crdt => "crdt.",
            EventSource::Recorder => "recorder.",
            EventSource::Workflow => "",
        }));
        if let Some(action) = kind.basic_action_type() {
            assert_eq!(
                EventKind::from_basic(kind.source().as_str(), action),
                Some(kind)
            );
        }
    }
    assert_eq!(EventKind::ALL.len(), 34);
}

#[test]
fn advanced_comment_event_shape_from_velts_docs() {
    // Shape of the `comment.add` sample in docs.velt.dev webhooks/advanced.
    let body = json!({
        "actionType": "add",
        "data": {
            "actionUser": {"email": "actor@example.com", "name": "Actor User",
                           "organizationId": "org123", "userId": "user123", "initial": "A"},
            "commentAnnotation": {"annotationId": "anno-xyz", "annotationIndex": 1,
                                  "isCommentTextAvailable": true, "status": "added"}
        },
        "event": "comment.add",
        "platform": "sdk",
        "source": "comment",
        "webhookId": "dummyWebhookId",
        "usersOrganizationNotificationsConfig": {"user0": {"inbox": "ALL", "email": "MINE"}}
    });
    let event = Event::from_value(body.clone()).unwrap();
    assert_eq!(event.kind, EventType::Known(EventKind::CommentAdd));
    assert_eq!(event.format, WebhookFormat::Advanced);
    assert_eq!(event.webhook_id.as_deref(), Some("dummyWebhookId"));
    assert_eq!(event.action_type.as_deref(), Some("add"));
    assert_eq!(event.source.as_deref(), Some("comment"));
    let EventData::Comment(data) = &event.data else {
        panic!("not a comment payload: {:?}", event.data)
    };
    let user = data.action_user.as_ref().unwrap();
    assert_eq!(user.email.as_deref(), Some("actor@example.com"));
    assert_eq!(user.extra["initial"], "A");
    let ann = data.comment_annotation.as_ref().unwrap();
    assert_eq!(ann.annotation_id.as_deref(), Some("anno-xyz"));
    assert_eq!(ann.extra["annotationIndex"], 1);
    assert_eq!(event.organization_id(), Some("org123"));
    // Nothing is dropped: it serialises back to the body received.
    assert_eq!(serde_json::to_value(&event).unwrap(), body);
    // And the typed payload alone keeps its unknown fields too.
    assert_eq!(serde_json::to_value(data).unwrap(), body["data"]);
}

#[test]
fn basic_comment_event_maps_action_type_to_kind() {
    let body = json!({
        "webhookId": "-Nvmw84XtUUHIsrcKAvI",
        "actionType": "newlyAdded",
        "notificationSource": "comment",
        "commentAnnotation": {
            "annotationId": "-O7Yi14ES3EPayuzQ54J",
            "comments": [{"commentId": 822004, "commentText": "@Jim can you look?",
                          "commentHtml": "<p>@Jim can you look?</p>",
                          "from": {"userId": "user0", "name": "Peppa Pig"}}]
        },
        "metadata": {"apiKey": "k", "clientDocumentId": "12-4-24", "documentId": "1856",
                     "organizationId": "org-9"}
    });
    let event = Event::from_value(body.clone()).unwrap();
    assert_eq!(
        event.kind,
        EventType::Known(EventKind::CommentAnnotationAdd)
    );
    assert_eq!(event.format, WebhookFormat::Basic);
    assert_eq!(event.source.as_deref(), Some("comment"));
    let EventData::Comment(data) = &event.data else {
        panic!()
    };
    let comments = data
        .comment_annotation
        .as_ref()
        .and_then(|a| a.comments.as_ref())
        .unwrap();
    assert_eq!(comments[0].comment_id, Some(json!(822004)));
    assert_eq!(
        comments[0].from.as_ref().unwrap().name.as_deref(),
        Some("Peppa Pig")
    );
    let md = data.metadata.as_ref().unwrap();
    assert_eq!(md.document_id(), Some("12-4-24"));
    assert_eq!(event.organization_id(), Some("org-9"));
    // The envelope fields stay in `extra` of the flat basic payload.
    assert_eq!(data.extra["webhookId"], "-Nvmw84XtUUHIsrcKAvI");
    assert_eq!(serde_json::to_value(&event).unwrap(), body);
}

#[test]
fn basic_huddle_and_crdt_events() {
    let huddle = Event::from_value(json!({
        "webhookId": "w", "actionType": "join", "notificationSource": "huddle",
        "actionUser": {"userId": "1", "name": "John Smith", "email": "john@example.com"}
    }))
    .unwrap();
    assert_eq!(huddle.kind, EventType::Known(EventKind::HuddleJoin));
    assert!(matches!(huddle.data, EventData::Huddle(_)));

    let crdt = Event::from_value(json!({
        "event": "crdt.update_data", "actionType": "updateData", "source": "crdt",
        "webhookId": "-OnuSfG_ffGIwNkodE2a",
        "data": {
            "crdtData": {"id": "todos-1", "data": [{"id": "seed-1", "text": "Welcome"}],
                         "lastUpdate": "2026-03-17T06:23:24.514Z", "lastUpdatedBy": "michael",
                         "sessionId": "s1"},
            "metadata": {"document": {"documentId": "doc-1", "documentName": "Demo"},
                         "organization": {"organizationId": "org1"}}
        }
    }))
    .unwrap();
    let EventData::Crdt(data) = &crdt.data else {
        panic!()
    };
    let c = data.crdt_data.as_ref().unwrap();
    assert_eq!(c.last_updated_by.as_deref(), Some("michael"));
    assert_eq!(c.data, Some(json!([{"id": "seed-1", "text": "Welcome"}])));
    assert_eq!(data.metadata.as_ref().unwrap().document_id(), Some("doc-1"));
    assert_eq!(crdt.organization_id(), Some("org1"));
}

#[test]
fn recorder_and_workflow_events() {
    let rec = Event::from_value(json!({
        "event": "recorder.done", "source": "recorder",
        "data": {"recorderId": "r1", "assets": [{"url": "https://x/y.mp4", "fileFormat": "mp4",
                 "transcription": {"transcriptSegments": [{"startTime": "00:00", "endTime": "00:02",
                 "startTimeInSeconds": 0, "endTimeInSeconds": 2, "text": "hi"}]}}]}
    }))
    .unwrap();
    let EventData::Recorder(data) = &rec.data else {
        panic!()
    };
    let asset = &data.assets.as_ref().unwrap()[0];
    assert_eq!(asset.file_format.as_deref(), Some("mp4"));
    let seg = &asset
        .transcription
        .as_ref()
        .unwrap()
        .transcript_segments
        .as_ref()
        .unwrap()[0];
    assert_eq!(seg.end_time_in_seconds, Some(2.0));

    let wf = Event::from_value(json!({"event": "step.awaiting-approval", "data": {"stepId": "s"}}))
        .unwrap();
    assert_eq!(wf.kind, EventType::Known(EventKind::StepAwaitingApproval));
    let EventData::Workflow(data) = &wf.data else {
        panic!()
    };
    assert_eq!(data.extra["stepId"], "s");
}

#[test]
fn unknown_types_parse_and_keep_their_data() {
    let adv = Event::from_value(json!({"event": "poll.vote", "data": {"a": [1, 2]}})).unwrap();
    assert_eq!(adv.kind, EventType::Unknown("poll.vote".into()));
    assert_eq!(adv.data, EventData::Unknown(json!({"a": [1, 2]})));

    let basic = Event::from_value(
        json!({"actionType": "pinned", "notificationSource": "comment",
                                         "x": 1}),
    )
    .unwrap();
    assert_eq!(basic.kind, EventType::Unknown("comment.pinned".into()));
    assert_eq!(basic.kind.to_string(), "comment.pinned");
    let EventData::Unknown(raw) = &basic.data else {
        panic!()
    };
    assert_eq!(raw["x"], 1);
}

#[test]
fn malformed_bodies_are_typed_errors() {
    assert!(matches!(
        Event::from_json(b"{not json"),
        Err(EventError::NotJson(_))
    ));
    assert!(matches!(
        Event::from_json(b"[1]"),
        Err(EventError::NotObject)
    ));
    assert!(matches!(
        Event::from_json(br#"{"data": {}}"#),
        Err(EventError::NoEventType)
    ));
    assert!(matches!(
        Event::from_json(br#"{"event": 5}"#),
        Err(EventError::NoEventType)
    ));
    let err = Event::from_json(br#"{"event": "comment.add", "data": {"actionUser": "bob"}}"#)
        .unwrap_err();
    assert!(matches!(
        err,
        EventError::BadData {
            kind: EventKind::CommentAdd,
            ..
        }
    ));
    assert!(
        err.to_string()
            .starts_with("the data of a `comment.add` event is malformed")
    );
}

#[test]
fn envelopes_use_velts_field_names() {
    let enc: EncryptedPayload = serde_json::from_value(json!({
        "encryptedData": "ZGF0YQ==", "encryptedKey": "a2V5", "iv": "SHM0UHU5WXoyTG03TnExWA=="
    }))
    .unwrap();
    assert_eq!(enc.iv, "SHM0UHU5WXoyTG03TnExWA==");
    assert_eq!(
        serde_json::to_value(EncodedPayload::new("e30=")).unwrap(),
        json!({"encodedPayload": "e30="})
    );
}
