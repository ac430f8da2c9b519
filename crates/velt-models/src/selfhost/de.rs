//! Lenient deserialisation helpers reproducing velt-py's `from_dict` leniency.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The message velt-py uses when an `organizationId` is present but not a string.
pub(crate) const ORG_NOT_STRING: &str = "organizationId must be a non-empty string";

/// True for the values Python treats as falsy in `if not x:`.
pub(crate) fn is_falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// An organization id: a string; falsy values (`null`, `false`, `0`, `[]`,
/// `{}`) read as `""` (reported later as missing); any other value is a
/// validation error with velt-py's message.
pub(crate) fn org_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::String(s) => Ok(s),
        other if is_falsy(&other) => Ok(String::new()),
        _ => Err(D::Error::custom(ORG_NOT_STRING)),
    }
}

/// Optional organization id (metadata blocks): like [`org_id`], with falsy → `None`.
pub(crate) fn opt_org_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::String(s) if !s.is_empty() => Ok(Some(s)),
        other if is_falsy(&other) => Ok(None),
        _ => Err(D::Error::custom(ORG_NOT_STRING)),
    }
}

/// An optional nested object: parsed when it is a non-empty JSON object,
/// `None` for any falsy or non-object value (velt-py ignores those).
pub(crate) fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    match v {
        Value::Object(m) if !m.is_empty() => serde_json::from_value(Value::Object(m))
            .map(Some)
            .map_err(D::Error::custom),
        _ => Ok(None),
    }
}

/// A list of ids where anything that is not a list reads as empty (velt-py's
/// `getUsers` answers `{}` for a missing or non-list `userIds`).
pub(crate) fn lenient_string_list<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(D::Error::custom(format!(
                    "invalid type: {other}, expected a string id"
                ))),
            })
            .collect(),
        _ => Ok(Vec::new()),
    }
}

/// The text of an id sent as a JSON string or number (`184639` → `"184639"`),
/// or the error for any other value. Velt's runtime ids are often numbers
/// where the TypeScript types say `string`.
fn id_text<E: serde::de::Error>(v: Value) -> Result<Option<String>, E> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(E::custom(format!(
            "invalid id {other}: expected a string or a number"
        ))),
    }
}

/// An id that defaults to `""` when missing or `null`; a number is read as
/// its decimal text.
pub(crate) fn id_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(id_text::<D::Error>(Value::deserialize(d)?)?.unwrap_or_default())
}

/// An optional id (string or number; `null` → `None`).
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    id_text::<D::Error>(Value::deserialize(d)?)
}

/// An optional list of ids (strings or numbers): `null` → `None`.
pub(crate) fn opt_id_list<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Array(items) => items
            .into_iter()
            .map(|i| match id_text::<D::Error>(i) {
                Ok(Some(s)) => Ok(s),
                Ok(None) => Err(D::Error::custom("invalid id null in a list of ids")),
                Err(e) => Err(e),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(D::Error::custom(format!(
            "invalid type: {other}, expected a list of ids"
        ))),
    }
}
