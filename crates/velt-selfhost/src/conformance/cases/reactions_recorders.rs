//! Reaction and recorder annotation cases.

use std::sync::Arc;

use serde_json::json;

use super::{
    Kind, annotations_error_responses, annotations_isolation, annotations_precedence, keys, ok, set,
};
use crate::conformance::{Harness, data, req};
use crate::store::{Collection, Store};

// ---------------------------------------------------------------------------
// Reactions

pub async fn reactions_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let r = Kind::Reactions
        .save(
            &h.sh,
            json!({"reactionAnnotation": {"r1": {"icon": "👍", "user": {"userId": "u1", "name": "Ann"}, "count": 2}},
                   "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}, "event": "reaction.add"}),
        )
        .await;
    assert_eq!(r, ok());
    // velt-py 0.3.0: the reacting user is stored and returned as `from`.
    let expected = json!({"annotationId": "r1", "icon": "👍", "from": {"userId": "u1", "name": "Ann"}, "count": 2,
        "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}});
    assert_eq!(
        Kind::Reactions.get_ids(&h.sh, "org-a", &["r1"]).await,
        json!({"data": {"r1": expected}, "success": true, "statusCode": 200})
    );
    // velt-py 0.1.10 (`user`) and 0.3.0 (`from`) layouts both read back as `from`.
    let v01 = json!({"annotationId": "vp-r1", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "user": {"userId": "u9"}});
    let v03 = json!({"annotationId": "vp-r2", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "from": {"userId": "u9"}});
    h.put(
        Collection::Reactions,
        "org-a",
        vec![v01.clone(), v03.clone()],
    )
    .await;
    assert_eq!(
        Kind::Reactions
            .get(
                &h.sh,
                json!({"organizationId": "org-a", "documentIds": ["d2"]})
            )
            .await["data"],
        json!({"vp-r1": {"annotationId": "vp-r1", "metadata": {"organizationId": "org-a", "documentId": "d2"}, "icon": "🎉", "from": {"userId": "u9"}}, "vp-r2": v03})
    );
    assert_eq!(Kind::Reactions.delete_one(&h.sh, "org-a", "r1").await, ok());
    assert_eq!(Kind::Reactions.delete_one(&h.sh, "org-a", "r1").await, ok());
    annotations_precedence(Kind::Reactions, &h, "org-p").await;
}

pub async fn reactions_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Reactions, store).await;
}

pub async fn reactions_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Reactions, store).await;
}

// ---------------------------------------------------------------------------
// Recorders

pub async fn recorders_save_get_delete(store: Arc<dyn Store>) {
    let h = Harness::new(store);
    let rec = json!({
        "from": {"userId": "u1", "name": "Ann"},
        "transcription": {"text": "hi"},
        "attachment": {"url": "https://cdn.test/v.webm"},
        "chunkUrls": {"0": "https://cdn.test/0"},
        "recordingEditVersions": {"1": {"from": {"userId": "u1"}, "extraKey": true}}
    });
    let r = Kind::Recorders
        .save(
            &h.sh,
            json!({"recorderAnnotation": {"rec-1": rec}, "metadata": {"organizationId": "org-a", "documentId": "d1", "folderId": "f1"}}),
        )
        .await;
    assert_eq!(r, ok());
    let mut expected = rec.clone();
    expected["annotationId"] = json!("rec-1");
    expected["metadata"] = json!({"organizationId": "org-a", "documentId": "d1", "folderId": "f1"});
    assert_eq!(
        Kind::Recorders
            .get(
                &h.sh,
                json!({"organizationId": "org-a", "documentIds": ["d1"]})
            )
            .await,
        json!({"data": {"rec-1": expected}, "success": true, "statusCode": 200}),
        "every key kept; folderId stamped (velt-py did not)"
    );
    // A velt-py document (edit versions reduced to four keys) reads back unchanged.
    let vp = json!({"annotationId": "vp-rec", "metadata": {"organizationId": "org-v", "documentId": "d"},
        "from": {"userId": "u1", "email": "e"}, "recordingEditVersions": {"0": {"attachment": {"url": "https://x"}}}});
    h.put(Collection::Recorders, "org-v", vec![vp.clone()])
        .await;
    assert_eq!(
        data(
            &h.sh
                .recorders()
                .get_recorder_annotations(&req(json!({"organizationId": "org-v"})))
                .await
        ),
        json!({"vp-rec": vp})
    );
    assert_eq!(
        Kind::Recorders.delete_one(&h.sh, "org-a", "rec-1").await,
        ok()
    );
    assert_eq!(
        Kind::Recorders.delete_one(&h.sh, "org-a", "rec-1").await,
        ok()
    );
    annotations_precedence(Kind::Recorders, &h, "org-a").await;
    // Recorders have no folder query: folderId + allDocuments reads the organization.
    let r = Kind::Recorders
        .get(
            &h.sh,
            json!({"organizationId": "org-a", "folderId": "f1", "allDocuments": true}),
        )
        .await;
    assert_eq!(keys(&r["data"]), set(&["a1", "a2", "a3"]));
}

pub async fn recorders_error_responses(store: Arc<dyn Store>) {
    annotations_error_responses(Kind::Recorders, store).await;
}

pub async fn recorders_isolation(store: Arc<dyn Store>) {
    annotations_isolation(Kind::Recorders, store).await;
}
