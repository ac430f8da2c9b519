//! The token call (`/auth/token/get`) with velt-py's result shape.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::client::encode_body;
use crate::config::TOKEN_TIMEOUT;
use crate::endpoints::defs;
use crate::error::Error;
use crate::services::TokenService;
use velt_models::rest::token::{GetTokenRequest, TokenUserProperties};

/// Error codes of a failed token call, as velt-py returns them in `errorCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum TokenErrorCode {
    /// `userId` is empty.
    InvalidInput,
    /// The auth token or the API key is not configured.
    ConfigError,
    /// The API answered with HTTP status ≥ 400.
    VeltApiError,
    /// The API answered without a token.
    NoToken,
}

impl TokenErrorCode {
    /// The wire name (`INVALID_INPUT`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenErrorCode::InvalidInput => "INVALID_INPUT",
            TokenErrorCode::ConfigError => "CONFIG_ERROR",
            TokenErrorCode::VeltApiError => "VELT_API_ERROR",
            TokenErrorCode::NoToken => "NO_TOKEN",
        }
    }
}

/// Result of [`TokenService::get_token`], serialising to exactly the JSON
/// velt-py's `getToken` returns:
/// `{"success": true, "data": {"token": ...}}` or
/// `{"success": false, "error": ..., "errorCode": ...}`.
///
/// `Debug` does not show the token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenResult {
    /// A token was issued.
    Success {
        /// The Velt auth token for the user.
        token: String,
    },
    /// The call failed in one of the ways velt-py reports as a value.
    Failure {
        /// velt-py's message, e.g. `"userId is required"`.
        error: String,
        /// velt-py's code.
        error_code: TokenErrorCode,
    },
}

impl TokenResult {
    fn failure(error: impl Into<String>, error_code: TokenErrorCode) -> Self {
        TokenResult::Failure {
            error: error.into(),
            error_code,
        }
    }

    /// Whether a token was issued.
    pub fn is_success(&self) -> bool {
        matches!(self, TokenResult::Success { .. })
    }

    /// The token, on success.
    pub fn token(&self) -> Option<&str> {
        match self {
            TokenResult::Success { token } => Some(token),
            TokenResult::Failure { .. } => None,
        }
    }

    /// The error code, on failure.
    pub fn error_code(&self) -> Option<TokenErrorCode> {
        match self {
            TokenResult::Failure { error_code, .. } => Some(*error_code),
            TokenResult::Success { .. } => None,
        }
    }

    /// The JSON velt-py returns.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        match self {
            TokenResult::Success { token } => {
                m.insert("success".into(), Value::Bool(true));
                let mut data = Map::new();
                data.insert("token".into(), Value::String(token.clone()));
                m.insert("data".into(), Value::Object(data));
            }
            TokenResult::Failure { error, error_code } => {
                m.insert("success".into(), Value::Bool(false));
                m.insert("error".into(), Value::String(error.clone()));
                m.insert(
                    "errorCode".into(),
                    Value::String(error_code.as_str().into()),
                );
            }
        }
        Value::Object(m)
    }
}

impl Serialize for TokenResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(3))?;
        match self {
            TokenResult::Success { token } => {
                m.serialize_entry("success", &true)?;
                m.serialize_entry("data", &TokenData { token })?;
            }
            TokenResult::Failure { error, error_code } => {
                m.serialize_entry("success", &false)?;
                m.serialize_entry("error", error)?;
                m.serialize_entry("errorCode", error_code)?;
            }
        }
        m.end()
    }
}

#[derive(Serialize)]
struct TokenData<'a> {
    token: &'a str,
}

impl fmt::Debug for TokenResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenResult::Success { .. } => f
                .debug_struct("Success")
                .field("token", &"[REDACTED]")
                .finish(),
            TokenResult::Failure { error, error_code } => f
                .debug_struct("Failure")
                .field("error", error)
                .field("error_code", error_code)
                .finish(),
        }
    }
}

const MSG_USER_ID: &str = "userId is required";
const MSG_AUTH_TOKEN: &str =
    "Velt auth token is required. Set it in config or VELT_AUTH_TOKEN environment variable";
const MSG_API_KEY: &str =
    "Velt API key is required. Set it in config or VELT_API_KEY environment variable";
const MSG_NO_TOKEN: &str = "No token received from Velt API";
const MSG_API_FALLBACK: &str = "Failed to generate token";

impl TokenService<'_> {
    /// Gets a Velt auth token for a user: velt-py's
    /// `getToken(organizationId, userId, email=None, isAdmin=None)`.
    ///
    /// Deprecated, as in velt-py 0.3.0: new code mints tokens with
    /// [`AccessControlService::generate_token`](crate::services::AccessControlService::generate_token)
    /// (`POST /v2/auth/generate_token`), which returns the API's response
    /// as it is. This method keeps working unchanged.
    ///
    /// Sends `POST /v2/auth/token/get` with
    /// `{"data": {"userId", "userProperties": {"organizationId", "email"?, "isAdmin"?}}}`
    /// (`email` only when non-empty, `isAdmin` whenever given, `false`
    /// included), with a 10 s deadline per attempt. Checks, in velt-py's
    /// order: `organization_id` empty → `Err(InvalidRequest)`; `user_id`
    /// empty → `INVALID_INPUT`; auth token, then API key missing →
    /// `CONFIG_ERROR`. HTTP ≥ 400 → `VELT_API_ERROR` with `error.message`;
    /// no `result.data.token` → `NO_TOKEN`. [`get_token_for`](Self::get_token_for)
    /// takes velt-py 0.3.0's further arguments (`name`, `permissions`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty `organization_id`;
    /// [`Error::Network`], [`Error::Timeout`], [`Error::Decode`] (a body that
    /// is not JSON) where velt-py raises `VeltTokenError`.
    #[doc(alias = "getToken")]
    #[deprecated(note = "velt-py 0.3.0 deprecates getToken: mint tokens with \
        `access_control().generate_token(&GenerateTokenRequest { .. })` \
        (accessControl.generateToken, POST /v2/auth/generate_token)")]
    pub async fn get_token(
        &self,
        organization_id: &str,
        user_id: &str,
        email: Option<&str>,
        is_admin: Option<bool>,
    ) -> Result<TokenResult, Error> {
        let request = GetTokenRequest {
            user_id: user_id.to_owned(),
            user_properties: TokenUserProperties {
                organization_id: organization_id.to_owned(),
                email: email.map(str::to_owned),
                is_admin,
                name: None,
            },
            permissions: None,
        };
        self.mint(&request).await
    }

    /// velt-py 0.3.0's `getToken(organizationId, userId, email=None,
    /// isAdmin=None, name=None, permissions=None)`, its arguments given as
    /// the body they become: `organizationId`, `email`, `isAdmin` and `name`
    /// in [`GetTokenRequest::user_properties`], `userId` and `permissions`
    /// at the top. Checks, body rules and results as
    /// [`get_token`](Self::get_token); an empty `name` is not sent,
    /// `permissions` is sent whenever set.
    ///
    /// Deprecated, as in velt-py 0.3.0: use
    /// [`AccessControlService::generate_token`](crate::services::AccessControlService::generate_token).
    ///
    /// # Errors
    ///
    /// As [`get_token`](Self::get_token).
    #[doc(alias = "getToken")]
    #[deprecated(note = "velt-py 0.3.0 deprecates getToken: mint tokens with \
        `access_control().generate_token(&GenerateTokenRequest { .. })` \
        (accessControl.generateToken, POST /v2/auth/generate_token)")]
    pub async fn get_token_for(&self, request: &GetTokenRequest) -> Result<TokenResult, Error> {
        self.mint(request).await
    }

    /// The one implementation of both deprecated forms.
    async fn mint(&self, request: &GetTokenRequest) -> Result<TokenResult, Error> {
        if request.user_properties.organization_id.is_empty() {
            return Err(Error::invalid("organizationId must be a non-empty string"));
        }
        if request.user_id.is_empty() {
            return Ok(TokenResult::failure(
                MSG_USER_ID,
                TokenErrorCode::InvalidInput,
            ));
        }
        if !self.client.auth_token_set() {
            return Ok(TokenResult::failure(
                MSG_AUTH_TOKEN,
                TokenErrorCode::ConfigError,
            ));
        }
        if !self.client.api_key_set() {
            return Ok(TokenResult::failure(
                MSG_API_KEY,
                TokenErrorCode::ConfigError,
            ));
        }
        // The request type leaves out an empty `email`/`name` and unset
        // options, which is velt-py's body.
        let body = encode_body(request)?;
        let (status, bytes) = self
            .client
            .send_raw(&defs::token::get_token, body, Some(TOKEN_TIMEOUT))
            .await?;
        token_result(status, &bytes)
    }
}

fn parse(status: u16, bytes: &[u8]) -> Result<Value, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        http_status: status,
        body: String::from_utf8_lossy(bytes).into_owned(),
        source,
    })
}

fn token_result(status: u16, bytes: &[u8]) -> Result<TokenResult, Error> {
    let json = parse(status, bytes)?;
    if status >= 400 {
        let message = match json.get("error") {
            Some(Value::Object(e)) => match e.get("message") {
                Some(Value::String(m)) => m.clone(),
                Some(Value::Null) | None => MSG_API_FALLBACK.to_owned(),
                Some(other) => other.to_string(),
            },
            Some(Value::String(m)) => m.clone(),
            _ => MSG_API_FALLBACK.to_owned(),
        };
        return Ok(TokenResult::failure(
            format!("Velt API error: {message}"),
            TokenErrorCode::VeltApiError,
        ));
    }
    match json
        .get("result")
        .and_then(|r| r.get("data"))
        .and_then(|d| d.get("token"))
    {
        Some(Value::String(token)) if !token.is_empty() => Ok(TokenResult::Success {
            token: token.clone(),
        }),
        _ => Ok(TokenResult::failure(MSG_NO_TOKEN, TokenErrorCode::NoToken)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_like_velt_py() {
        let ok = TokenResult::Success { token: "t".into() };
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"success":true,"data":{"token":"t"}}"#
        );
        assert_eq!(
            ok.to_json(),
            json!({"success": true, "data": {"token": "t"}})
        );
        assert!(!format!("{ok:?}").contains('t') || !format!("{ok:?}").contains("\"t\""));
        let bad = TokenResult::failure("m", TokenErrorCode::NoToken);
        assert_eq!(
            serde_json::to_string(&bad).unwrap(),
            r#"{"success":false,"error":"m","errorCode":"NO_TOKEN"}"#
        );
        assert_eq!(bad.to_json(), serde_json::to_value(&bad).unwrap());
    }

    #[test]
    fn response_rules() {
        let t = |s, b: &str| token_result(s, b.as_bytes());
        assert_eq!(
            t(200, r#"{"result":{"data":{"token":"abc"}}}"#)
                .unwrap()
                .token(),
            Some("abc")
        );
        assert_eq!(
            t(200, r#"{"result":{"data":{"token":""}}}"#)
                .unwrap()
                .error_code(),
            Some(TokenErrorCode::NoToken)
        );
        assert_eq!(
            t(200, "").unwrap().error_code(),
            Some(TokenErrorCode::NoToken)
        );
        assert_eq!(
            t(200, "[1]").unwrap().error_code(),
            Some(TokenErrorCode::NoToken)
        );
        assert!(matches!(t(200, "<html>"), Err(Error::Decode { .. })));
        assert!(matches!(t(500, "<html>"), Err(Error::Decode { .. })));
        let e = |s, b| match t(s, b).unwrap() {
            TokenResult::Failure { error, error_code } => (error, error_code),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            e(401, r#"{"error":{"message":"bad key"}}"#),
            (
                "Velt API error: bad key".into(),
                TokenErrorCode::VeltApiError
            )
        );
        assert_eq!(
            e(500, ""),
            (
                "Velt API error: Failed to generate token".into(),
                TokenErrorCode::VeltApiError
            )
        );
        assert_eq!(e(500, r#"{"error":"boom"}"#).0, "Velt API error: boom");
    }
}
