//! velt-server over real HTTP: every route, auth, CORS, bad input,
//! generated input, concurrency. The server runs in-process on an
//! ephemeral port, on a real SQLite file and a real attachment directory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod attachments;
mod auth;
mod concurrency;
mod errors;
mod generated;
mod middleware;
mod providers;

use serde_json::{Value, json};

pub(crate) fn ok() -> Value {
    json!({"success": true, "statusCode": 200})
}

pub(crate) fn data(d: Value) -> Value {
    json!({"data": d, "success": true, "statusCode": 200})
}

pub(crate) fn err(status: u16, code: &str, msg: &str) -> Value {
    json!({"success": false, "statusCode": status, "error": msg, "errorCode": code})
}

pub(crate) async fn upload(
    s: &common::TestServer,
    token: Option<&str>,
    request: &Value,
    file: Option<(&str, &str, Vec<u8>)>,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new().text("request", request.to_string());
    if let Some((name, mime, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str(mime)
                .unwrap(),
        );
    }
    let mut req = s.client.post(s.url("/v1/attachments/save")).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}
