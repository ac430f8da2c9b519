//! `velt api token getToken` in velt-py's argument form.
//!
//! velt-py's `selfHosting.token.getToken(organizationId, userId, email=None,
//! isAdmin=None, name=None, permissions=None)` takes flat arguments;
//! `--data` accepts them as a JSON object of the same names. The REST body
//! form (`{"userId", "userProperties": {...}, "permissions"}`) is still
//! accepted: a request is in the REST form exactly when it has
//! `userProperties`, and in velt-py's form otherwise.

use serde_json::{Map, Value};
use velt_models::rest::{GetTokenRequest, TokenUserProperties};
use velt_rest::TokenErrorCode;
use velt_rest::endpoints::Endpoint;

use crate::input::check_fields;

/// velt-py's `getToken` argument names, in its order.
pub const VELT_PY_ARGS: &[&str] = &[
    "organizationId",
    "userId",
    "email",
    "isAdmin",
    "name",
    "permissions",
];

/// The velt-py arguments that only the velt-py form has (they live in
/// `userProperties` in the REST form).
const VELT_PY_ONLY: &[&str] = &["organizationId", "email", "isAdmin", "name"];

/// Whether `endpoint` is the token call (`token.getToken`).
pub fn is_get_token(endpoint: &Endpoint) -> bool {
    endpoint.service == "token" && endpoint.method == "get_token"
}

/// The request in velt-py's form, or `None` when `map` is the REST body
/// (it has `userProperties`). Mixing the two forms is an error.
pub fn velt_py_request(
    map: &Map<String, Value>,
    what: &str,
) -> Result<Option<GetTokenRequest>, String> {
    if map.contains_key("userProperties") {
        if let Some(key) = VELT_PY_ONLY.iter().find(|k| map.contains_key(**k)) {
            return Err(format!(
                "{what}: `{key}` is one of velt-py's getToken arguments but `userProperties` \
                 belongs to the REST body; give either velt-py's arguments ({}) or the REST body \
                 (userId, userProperties, permissions), not both",
                VELT_PY_ARGS.join(", ")
            ));
        }
        return Ok(None);
    }
    check_fields(map, VELT_PY_ARGS, what)?;
    let organization_id = match map.get("organizationId") {
        None => return Err(format!("{what}: missing field `organizationId`")),
        // `None` in velt-py: the empty-organization check rejects it.
        Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(format!(
                "{what}: field `organizationId` must be a non-empty string"
            ));
        }
    };
    let user_id = match map.get("userId") {
        None => return Err(format!("{what}: missing field `userId`")),
        // `None` in velt-py: answered as INVALID_INPUT, like "".
        Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(format!("{what}: field `userId` must be a string")),
    };
    Ok(Some(GetTokenRequest {
        user_id,
        user_properties: TokenUserProperties {
            organization_id,
            email: optional_string(map, "email", what)?,
            is_admin: match map.get("isAdmin") {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => return Err(format!("{what}: field `isAdmin` must be a boolean")),
            },
            name: optional_string(map, "name", what)?,
        },
        permissions: map.get("permissions").filter(|v| !v.is_null()).cloned(),
    }))
}

fn optional_string(
    map: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{what}: field `{key}` must be a string")),
    }
}

/// The exit code of a failed token result: the CLI's code for the same
/// kind of failure.
pub fn exit_code(code: Option<TokenErrorCode>) -> u8 {
    match code {
        Some(TokenErrorCode::InvalidInput) => crate::EXIT_USAGE,
        Some(TokenErrorCode::ConfigError) => crate::EXIT_CONFIG,
        _ => crate::EXIT_API,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(v: Value) -> Result<Option<GetTokenRequest>, String> {
        velt_py_request(v.as_object().unwrap(), "token.getToken")
    }

    #[test]
    fn forms_are_told_apart() {
        assert_eq!(
            req(json!({"userId": "u", "userProperties": {"organizationId": "o"}})),
            Ok(None)
        );
        let r = req(json!({"organizationId": "o", "userId": "u", "isAdmin": false}))
            .unwrap()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"userId": "u", "userProperties": {"organizationId": "o", "isAdmin": false}})
        );
        let err = req(json!({"organizationId": "o", "userProperties": {}})).unwrap_err();
        assert!(err.contains("not both"), "{err}");
        assert_eq!(
            req(json!({"organizationId": "o"})).unwrap_err(),
            "token.getToken: missing field `userId`"
        );
        assert_eq!(
            req(json!({"organizationId": "o", "userId": "u", "isAdmin": "yes"})).unwrap_err(),
            "token.getToken: field `isAdmin` must be a boolean"
        );
    }
}
