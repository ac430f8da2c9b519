//! Exact JSON produced by representative REST request types: unset fields are
//! omitted, set falsy values are kept, free-form JSON is sent verbatim.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use velt_models::rest::*;

fn wire<T: serde::Serialize>(req: &T) -> Value {
    serde_json::to_value(req).unwrap()
}

#[test]
fn falsy_values_are_kept() {
    let req = organizations::UpdateOrganizationDisableStateRequest {
        organization_ids: Some(vec![]),
        disabled: Some(false),
    };
    assert_eq!(
        wire(&req),
        json!({"organizationIds": [], "disabled": false})
    );
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"organizationIds":[],"disabled":false}"#
    );
}

#[test]
fn empty_request_is_empty_object() {
    assert_eq!(wire(&GetOrganizationsRequest::default()), json!({}));
    assert_eq!(wire(&workspace::GetWorkspaceRequest::default()), json!({}));
    assert_eq!(wire(&GetDomainsRequest {}), json!({}));
    assert_eq!(wire(&AddOrganizationsRequest::default()), json!({}));
}

#[test]
fn nested_null_is_sent_verbatim() {
    let req = AddOrganizationsRequest {
        organizations: Some(vec![
            json!({"organizationId": "o", "organizationName": null}),
        ]),
    };
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"organizations":[{"organizationId":"o","organizationName":null}]}"#
    );
}

#[test]
fn get_organizations_paging() {
    let req = GetOrganizationsRequest {
        organization_ids: Some(vec!["a".into(), "b".into()]),
        page_size: Some(0),
        page_token: Some(String::new()),
    };
    assert_eq!(
        wire(&req),
        json!({"organizationIds": ["a", "b"], "pageSize": 0, "pageToken": ""})
    );
}

#[test]
fn add_documents_keeps_field_order() {
    let req = documents::AddDocumentsRequest {
        organization_id: Some("org".into()),
        documents: Some(vec![json!({"documentId": "d1", "documentName": "D"})]),
        create_organization: Some(true),
        folder_id: None,
        create_folder: Some(false),
    };
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"organizationId":"org","documents":[{"documentId":"d1","documentName":"D"}],"createOrganization":true,"createFolder":false}"#
    );
}

#[test]
fn comment_ids_are_integers() {
    let req = comment_annotations::UpdateCommentsRequest {
        organization_id: Some("o".into()),
        document_id: Some("d".into()),
        annotation_id: Some("a".into()),
        comment_ids: Some(vec![1, 22]),
        updated_data: Some(json!({"commentText": "x"})),
        ..Default::default()
    };
    assert_eq!(
        wire(&req),
        json!({"organizationId": "o", "documentId": "d", "annotationId": "a",
               "commentIds": [1, 22], "updatedData": {"commentText": "x"}})
    );
    let bad = serde_json::from_value::<GetCommentsRequest>(json!({"commentIds": ["x"]}));
    assert!(bad.is_err());
}

#[test]
fn add_comment_annotations_with_030_fields() {
    let req = AddCommentAnnotationsRequest {
        organization_id: Some("o".into()),
        document_id: Some("d".into()),
        comment_annotations: Some(vec![
            json!({"annotationId": "a1", "commentData": [{"commentText": "hi", "from": {"userId": "u"}}]}),
        ]),
        verify_user_permissions: Some(false),
        create_document: Some(true),
        create_organization: None,
    };
    assert_eq!(
        wire(&req),
        json!({"organizationId": "o", "documentId": "d",
               "commentAnnotations": [{"annotationId": "a1", "commentData": [{"commentText": "hi", "from": {"userId": "u"}}]}],
               "verifyUserPermissions": false, "createDocument": true})
    );
}

#[test]
fn crdt_data_is_any_json() {
    let text = crdt::AddCrdtDataRequest {
        organization_id: Some("o".into()),
        document_id: Some("d".into()),
        editor_id: Some("e".into()),
        data: Some(json!("hello")),
        r#type: Some("text".into()),
        ..Default::default()
    };
    assert_eq!(
        wire(&text),
        json!({"organizationId": "o", "documentId": "d", "editorId": "e", "data": "hello", "type": "text"})
    );
    let list = UpdateCrdtDataRequest {
        data: Some(json!([1, null, {"a": null}])),
        content_key: Some("default".into()),
        is_server_ids: Some(false),
        ..Default::default()
    };
    assert_eq!(
        wire(&list),
        json!({"data": [1, null, {"a": null}], "contentKey": "default", "isServerIds": false})
    );
}

#[test]
fn top_level_null_reads_as_unset() {
    let req: GetCrdtDataRequest =
        serde_json::from_value(json!({"organizationId": "o", "documentId": null})).unwrap();
    assert_eq!(req.document_id, None);
    assert_eq!(wire(&req), json!({"organizationId": "o"}));
}

#[test]
fn create_api_key_db_region_keys() {
    let req = CreateApiKeyRequest {
        owner_email: Some("a@b.c".into()),
        r#type: Some("testing".into()),
        persistence_db_region: Some("eu".into()),
        realtime_db_region: Some("us".into()),
        add_local_host_to_allowed_domains: Some(true),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"ownerEmail":"a@b.c","type":"testing","persistenceDBRegion":"eu","realtimeDBRegion":"us","addLocalHostToAllowedDomains":true}"#
    );
}

#[test]
fn access_control_generate_token() {
    let req = access_control::GenerateTokenRequest {
        user_id: Some("u".into()),
        user_properties: Some(json!({"name": "N", "email": "e@x", "isAdmin": false})),
        permissions: Some(
            json!({"resources": [{"type": "document", "id": "d", "organizationId": null}]}),
        ),
    };
    assert_eq!(
        wire(&req),
        json!({"userId": "u", "userProperties": {"name": "N", "email": "e@x", "isAdmin": false},
               "permissions": {"resources": [{"type": "document", "id": "d", "organizationId": null}]}})
    );
}

#[test]
fn activities_get() {
    let req = activities::GetActivitiesRequest {
        organization_id: Some("o".into()),
        feature_types: Some(vec!["comment".into()]),
        order: Some("asc".into()),
        page_size: Some(10),
        ..Default::default()
    };
    assert_eq!(
        wire(&req),
        json!({"organizationId": "o", "featureTypes": ["comment"], "order": "asc", "pageSize": 10})
    );
}

#[test]
fn users_and_groups() {
    let req = users::AddUsersRequest {
        organization_id: Some("o".into()),
        users: Some(vec![json!({"userId": "u", "name": null})]),
        context: Some(json!({})),
        ..Default::default()
    };
    assert_eq!(
        wire(&req),
        json!({"organizationId": "o", "users": [{"userId": "u", "name": null}], "context": {}})
    );
    let del = user_groups::DeleteUsersFromGroupRequest {
        organization_id: Some("o".into()),
        organization_user_group_id: Some("g".into()),
        delete_all: Some(true),
        ..Default::default()
    };
    assert_eq!(
        wire(&del),
        json!({"organizationId": "o", "organizationUserGroupId": "g", "deleteAll": true})
    );
}

#[test]
fn notifications_set_config() {
    let req = notifications::SetNotificationConfigRequest {
        organization_id: Some("o".into()),
        user_ids: Some(vec!["u".into()]),
        config: Some(json!({"inbox": "ALL", "email": "NONE"})),
        document_ids: None,
    };
    assert_eq!(
        wire(&req),
        json!({"organizationId": "o", "userIds": ["u"], "config": {"inbox": "ALL", "email": "NONE"}})
    );
}

#[test]
fn gdpr_presence_livestate_recordings_rewriter_folders() {
    assert_eq!(
        wire(&gdpr::GetDeleteUserDataStatusRequest {
            job_id: Some("j".into())
        }),
        json!({"jobId": "j"})
    );
    assert_eq!(
        wire(&presence::DeletePresenceRequest {
            organization_id: Some("o".into()),
            document_id: Some("d".into()),
            user_ids: Some(vec!["u".into()]),
        }),
        json!({"organizationId": "o", "documentId": "d", "userIds": ["u"]})
    );
    assert_eq!(
        wire(&livestate::BroadcastEventRequest {
            organization_id: Some("o".into()),
            document_id: Some("d".into()),
            live_state_data_id: Some("l".into()),
            data: Some(json!({"x": null})),
            merge: Some(false),
        }),
        json!({"organizationId": "o", "documentId": "d", "liveStateDataId": "l", "data": {"x": null}, "merge": false})
    );
    assert_eq!(
        wire(&recordings::GetRecordingsRequest {
            organization_id: Some("o".into()),
            page_token: Some("t".into()),
            ..Default::default()
        }),
        json!({"organizationId": "o", "pageToken": "t"})
    );
    assert_eq!(
        wire(&rewriter::AskAiRequest {
            model: Some("gpt-4o".into()),
            prompt: Some("p".into()),
            text: Some("t".into()),
        }),
        json!({"model": "gpt-4o", "prompt": "p", "text": "t"})
    );
    assert_eq!(
        wire(&folders::UpdateFolderAccessRequest {
            organization_id: Some("o".into()),
            folder_ids: Some(vec!["f".into()]),
            access_type: Some("public".into()),
            inherit_from_parent: Some(false),
        }),
        json!({"organizationId": "o", "folderIds": ["f"], "accessType": "public", "inheritFromParent": false})
    );
}

#[test]
fn token_request_matches_velt_py_body() {
    let minimal = token::GetTokenRequest {
        user_id: "u".into(),
        user_properties: TokenUserProperties {
            organization_id: "o".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(
        wire(&minimal),
        json!({"userId": "u", "userProperties": {"organizationId": "o"}})
    );
    let full = GetTokenRequest {
        user_id: "u".into(),
        user_properties: TokenUserProperties {
            organization_id: "o".into(),
            email: Some("e@x".into()),
            is_admin: Some(false),
            name: None,
        },
        permissions: None,
    };
    assert_eq!(
        serde_json::to_string(&full).unwrap(),
        r#"{"userId":"u","userProperties":{"organizationId":"o","email":"e@x","isAdmin":false}}"#
    );
    // velt-py sends email only when truthy.
    let empty_email = GetTokenRequest {
        user_properties: TokenUserProperties {
            organization_id: "o".into(),
            email: Some(String::new()),
            is_admin: Some(false),
            name: Some(String::new()),
        },
        ..full
    };
    assert_eq!(
        wire(&empty_email),
        json!({"userId": "u", "userProperties": {"organizationId": "o", "isAdmin": false}})
    );
    let missing: Result<GetTokenRequest, _> =
        serde_json::from_value(json!({"userProperties": {"organizationId": "o"}}));
    assert!(missing.unwrap_err().to_string().contains("userId"));
}

#[test]
fn wrong_type_names_the_field() {
    let err = serde_json::from_value::<GetOrganizationsRequest>(json!({"pageSize": "ten"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid type"), "{err}");
}
