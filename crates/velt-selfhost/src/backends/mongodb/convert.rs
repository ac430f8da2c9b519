//! JSON <-> BSON, the way pymongo encodes velt-py's Python values.

use bson::Bson;
use bson::raw::{RawArray, RawArrayBuf, RawBson, RawBsonRef, RawDocument, RawDocumentBuf};
use serde_json::{Map, Number, Value};

use crate::store::{Document, StoreError};

/// A JSON value as BSON: integers as Int32 when they fit, else Int64 (as
/// pymongo encodes Python ints), other numbers as Double.
pub(crate) fn json_to_raw(value: &Value) -> RawBson {
    match value {
        Value::Null => RawBson::Null,
        Value::Bool(b) => RawBson::Boolean(*b),
        Value::Number(n) => number_to_raw(n),
        Value::String(s) => RawBson::String(s.clone()),
        Value::Array(items) => {
            let mut arr = RawArrayBuf::new();
            for item in items {
                arr.push(json_to_raw(item));
            }
            RawBson::Array(arr)
        }
        Value::Object(map) => RawBson::Document(object_to_raw(map)),
    }
}

fn number_to_raw(n: &Number) -> RawBson {
    if let Some(i) = n.as_i64() {
        match i32::try_from(i) {
            Ok(small) => RawBson::Int32(small),
            Err(_) => RawBson::Int64(i),
        }
    } else {
        // u64 above i64::MAX, or a float.
        RawBson::Double(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A JSON object as a BSON document. Keys must have been checked by
/// [`check_keys`] (no NUL byte).
pub(crate) fn object_to_raw(map: &Map<String, Value>) -> RawDocumentBuf {
    let mut doc = RawDocumentBuf::new();
    for (k, v) in map {
        doc.append(k, json_to_raw(v));
    }
    doc
}

/// Checks that every key of `value` can be stored: no NUL byte anywhere, and
/// (below the top level, which the caller checks) no `$` prefix.
pub(crate) fn check_nested_keys(value: &Value, path: &str) -> Result<(), StoreError> {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k.contains('\0') || k.starts_with('$') {
                    return Err(StoreError::InvalidRecord {
                        message: format!(
                            "field name `{}` under `{path}` cannot be stored in MongoDB \
                             (NUL byte or leading `$`)",
                            k.escape_debug()
                        ),
                    });
                }
                check_nested_keys(v, path)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|v| check_nested_keys(v, path)),
        _ => Ok(()),
    }
}

/// A stored document as JSON, without `_id`. Numbers stay numbers; other
/// BSON types (dates, ObjectIds, binaries...) become relaxed Extended JSON.
pub(crate) fn raw_to_document(doc: &RawDocument) -> Result<Document, bson::raw::Error> {
    let mut map = Map::new();
    for element in doc {
        let (key, value) = element?;
        if key == "_id" {
            continue;
        }
        map.insert(key.to_owned(), raw_to_json(value)?);
    }
    Ok(map)
}

fn raw_doc_to_json(doc: &RawDocument) -> Result<Value, bson::raw::Error> {
    let mut map = Map::new();
    for element in doc {
        let (key, value) = element?;
        map.insert(key.to_owned(), raw_to_json(value)?);
    }
    Ok(Value::Object(map))
}

fn raw_array_to_json(arr: &RawArray) -> Result<Value, bson::raw::Error> {
    let mut items = Vec::new();
    for value in arr {
        items.push(raw_to_json(value?)?);
    }
    Ok(Value::Array(items))
}

fn raw_to_json(value: RawBsonRef<'_>) -> Result<Value, bson::raw::Error> {
    Ok(match value {
        RawBsonRef::Null => Value::Null,
        RawBsonRef::Boolean(b) => Value::Bool(b),
        RawBsonRef::Int32(i) => Value::from(i),
        RawBsonRef::Int64(i) => Value::from(i),
        RawBsonRef::Double(f) if f.is_finite() => Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        RawBsonRef::String(s) => Value::String(s.to_owned()),
        RawBsonRef::Document(d) => raw_doc_to_json(d)?,
        RawBsonRef::Array(a) => raw_array_to_json(a)?,
        other => match Bson::try_from(other) {
            Ok(b) => b.into_relaxed_extjson(),
            Err(e) => return Err(e),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_types_and_order() {
        let v = json!({"b": 1, "a": 3_000_000_000_i64, "f": 1.5, "n": null, "s": "x",
                       "arr": [1, {"z": true, "y": [null]}], "m": {}});
        let Value::Object(map) = &v else {
            unreachable!()
        };
        let raw = object_to_raw(map);
        let ints: Vec<_> = raw.iter().map(|e| e.unwrap().1.element_type()).collect();
        assert_eq!(ints[0], bson::spec::ElementType::Int32);
        assert_eq!(ints[1], bson::spec::ElementType::Int64);
        let back = raw_to_document(&raw).unwrap();
        assert_eq!(Value::Object(back), v);
    }

    #[test]
    fn drops_id_and_renders_other_types_as_extended_json() {
        let mut raw = RawDocumentBuf::new();
        raw.append("_id", bson::oid::ObjectId::new());
        raw.append("when", bson::DateTime::from_millis(0));
        raw.append("x", 2.0_f64);
        let d = raw_to_document(&raw).unwrap();
        assert_eq!(
            Value::Object(d),
            json!({"when": {"$date": "1970-01-01T00:00:00Z"}, "x": 2.0})
        );
    }

    #[test]
    fn rejects_unstorable_nested_keys() {
        assert!(check_nested_keys(&json!({"a": [{"$x": 1}]}), "c").is_err());
        assert!(check_nested_keys(&json!({"a": {"b\u{0}": 1}}), "c").is_err());
        assert!(check_nested_keys(&json!({"a.b": {"c": [1, {"d": 2}]}}), "c").is_ok());
    }
}
