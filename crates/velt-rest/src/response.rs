//! The response of a REST call.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A successful response: the raw JSON exactly as the API sent it (velt-py's
/// return value) and the HTTP status, with typed accessors on top.
///
/// Velt's success envelope is
/// `{"result": {"status": "success", "message": ..., "data": ..., "nextPageToken": ...}}`;
/// the accessors read from it and return `None` when a part is absent.
/// An empty 2xx body is represented as `{}` (velt-py does the same).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    http_status: u16,
    json: Value,
}

impl ApiResponse {
    /// Wraps a status and a JSON body.
    pub fn new(http_status: u16, json: Value) -> Self {
        Self { http_status, json }
    }

    /// HTTP status code of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The whole response body.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// Takes the whole response body.
    pub fn into_json(self) -> Value {
        self.json
    }

    /// The `result` object of Velt's envelope.
    pub fn result(&self) -> Option<&Value> {
        self.json.get("result")
    }

    /// `result.status` (`"success"` on success).
    pub fn status(&self) -> Option<&str> {
        self.result()?.get("status")?.as_str()
    }

    /// `result.message`.
    pub fn message(&self) -> Option<&str> {
        self.result()?.get("message")?.as_str()
    }

    /// `result.data`.
    pub fn data(&self) -> Option<&Value> {
        self.result()?.get("data")
    }

    /// `result.data` deserialised into `T`.
    ///
    /// A missing `data` is deserialised from `null` (so `Option<T>` gives `None`).
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(self.data().unwrap_or(&Value::Null))
    }

    /// The token of the next page: `result.nextPageToken` (where Velt puts it,
    /// e.g. in `getOrganizations` and `getCommentAnnotations` responses), else a
    /// top-level `nextPageToken`. `None` when absent, `null` or empty: there is
    /// no next page.
    pub fn next_page_token(&self) -> Option<&str> {
        let token = self
            .result()
            .and_then(|r| r.get("nextPageToken"))
            .or_else(|| self.json.get("nextPageToken"))?
            .as_str()?;
        (!token.is_empty()).then_some(token)
    }
}

impl Serialize for ApiResponse {
    /// Serialises the raw body, as velt-py returns it.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl From<ApiResponse> for Value {
    fn from(r: ApiResponse) -> Self {
        r.json
    }
}

#[cfg(test)]
mod tests {
    use super::ApiResponse;
    use serde_json::json;

    #[test]
    fn accessors_read_the_envelope() {
        let r = ApiResponse::new(
            200,
            json!({"result": {"status": "success", "message": "ok", "data": [1], "nextPageToken": "p2"}}),
        );
        assert_eq!(r.status(), Some("success"));
        assert_eq!(r.message(), Some("ok"));
        assert_eq!(r.data(), Some(&json!([1])));
        assert_eq!(r.next_page_token(), Some("p2"));
        assert_eq!(r.data_as::<Vec<i32>>().unwrap(), vec![1]);
    }

    #[test]
    fn empty_or_null_token_means_no_next_page() {
        for body in [
            json!({"result": {"nextPageToken": ""}}),
            json!({"result": {"nextPageToken": null}}),
            json!({"result": {}}),
            json!([1, 2]),
        ] {
            assert_eq!(ApiResponse::new(200, body).next_page_token(), None);
        }
        let top = ApiResponse::new(200, json!({"nextPageToken": "t"}));
        assert_eq!(top.next_page_token(), Some("t"));
    }
}
