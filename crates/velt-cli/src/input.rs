//! Reading `--data` and checking it against an endpoint's fields.

use std::io::Read;

use serde_json::{Map, Value};

/// Where the request JSON comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// No `--data`: the empty request `{}`.
    Empty,
    /// `--data '<json>'`.
    Literal(String),
    /// `--data @path`.
    File(String),
    /// `--data -` or `--data @-`.
    Stdin,
}

impl DataSource {
    /// Interprets the value given to `--data`.
    pub fn parse(arg: Option<&str>) -> Self {
        match arg {
            None => Self::Empty,
            Some("-") | Some("@-") => Self::Stdin,
            Some(s) => match s.strip_prefix('@') {
                Some(path) => Self::File(path.to_owned()),
                None => Self::Literal(s.to_owned()),
            },
        }
    }

    /// Reads the text of the request JSON.
    pub fn read(&self) -> Result<String, String> {
        match self {
            Self::Empty => Ok("{}".to_owned()),
            Self::Literal(s) => Ok(s.clone()),
            Self::File(path) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read --data file {path}: {e}")),
            Self::Stdin => {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| format!("cannot read --data from stdin: {e}"))?;
                Ok(text)
            }
        }
    }
}

/// Parses the request text into a JSON object.
pub fn parse_object(text: &str, source: &DataSource) -> Result<Map<String, Value>, String> {
    let from = match source {
        DataSource::File(path) => format!(" (from {path})"),
        DataSource::Stdin => " (from stdin)".to_owned(),
        _ => String::new(),
    };
    if text.trim().is_empty() {
        return Err(format!(
            "--data{from} is empty; give a JSON object such as '{{}}'"
        ));
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("--data{from} is not valid JSON: {e}"))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "--data{from} must be a JSON object of the request's fields, got {}",
            kind(&other)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The top-level JSON keys of a request, from the endpoint's field list
/// (a nested entry `a.b` counts as `a`), in order, without repeats.
pub fn top_level_fields(fields: &[&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for field in fields {
        let top = field.split('.').next().unwrap_or(field);
        if !out.contains(&top) {
            out.push(top);
        }
    }
    out
}

/// Nested keys allowed under `parent` (entries `parent.child` of the field list).
fn nested_fields(fields: &[&'static str], parent: &str) -> Vec<&'static str> {
    fields
        .iter()
        .filter_map(|f| f.split_once('.'))
        .filter(|(p, _)| *p == parent)
        .map(|(_, child)| child)
        .collect()
}

/// Rejects keys that are not fields of the request (nothing is silently dropped).
pub fn check_fields(
    map: &Map<String, Value>,
    fields: &[&'static str],
    what: &str,
) -> Result<(), String> {
    let valid = top_level_fields(fields);
    for key in map.keys() {
        if !valid.contains(&key.as_str()) {
            return Err(unknown_field(key, &valid, what));
        }
        let nested = nested_fields(fields, key);
        if let (false, Some(Value::Object(inner))) = (nested.is_empty(), map.get(key)) {
            for inner_key in inner.keys() {
                if !nested.contains(&inner_key.as_str()) {
                    return Err(unknown_field(&format!("{key}.{inner_key}"), &nested, what));
                }
            }
        }
    }
    Ok(())
}

fn unknown_field(key: &str, valid: &[&str], what: &str) -> String {
    let mut msg = format!("unknown field `{key}` for {what}; ");
    if valid.is_empty() {
        msg.push_str("this method takes no fields (use '{}' or omit --data)");
    } else {
        msg.push_str(&format!("valid fields: {}", valid.join(", ")));
    }
    let leaf = key.rsplit('.').next().unwrap_or(key);
    let camel = snake_to_camel(leaf);
    if camel != leaf && valid.contains(&camel.as_str()) {
        msg.push_str(&format!(
            " (did you mean `{camel}`? keys are velt-py's camelCase names)"
        ));
    } else if key == "data" {
        msg.push_str(" (give the request's fields directly, not wrapped in \"data\")");
    }
    msg
}

/// `page_size` -> `pageSize`.
pub fn snake_to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = false;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `normalize` on the request; when it fails, finds the field whose
/// value is of the wrong type (by checking each field on its own) so the
/// error can name it. On success, checks that normalising dropped no nested
/// key of a typed part (such as the token's `userProperties`).
pub fn normalize_with_field(
    map: Map<String, Value>,
    normalize: impl Fn(Value) -> Result<Value, String>,
    what: &str,
) -> Result<Value, String> {
    let input = Value::Object(map.clone());
    let err = match normalize(input.clone()) {
        Ok(out) => {
            return match dropped_key(&input, &out, "") {
                Some(path) => Err(format!("{what}: unknown field `{path}`")),
                None => Ok(out),
            };
        }
        Err(e) => e,
    };
    if err.contains("missing field") {
        return Err(format!("{what}: {err}"));
    }
    for (key, value) in map {
        let mut single = Map::new();
        single.insert(key.clone(), value);
        if let Err(e) = normalize(Value::Object(single))
            && !e.contains("missing field")
        {
            return Err(format!("{what}: field `{key}`: {e}"));
        }
    }
    Err(format!("{what}: {err}"))
}

/// The path of a key present in `input` but not in `output` (objects only,
/// recursively). A key whose value is `null` or `""` may be dropped on
/// purpose (unset; velt-py leaves out an empty token `email`), so it is not
/// reported.
fn dropped_key(input: &Value, output: &Value, prefix: &str) -> Option<String> {
    let (Value::Object(inp), Value::Object(out)) = (input, output) else {
        return None;
    };
    for (key, value) in inp {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match out.get(key) {
            None if value.is_null() || value.as_str() == Some("") => {}
            None => return Some(path),
            Some(o) => {
                if let Some(p) = dropped_key(value, o, &path) {
                    return Some(p);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_source_forms() {
        assert_eq!(DataSource::parse(None), DataSource::Empty);
        assert_eq!(DataSource::parse(Some("-")), DataSource::Stdin);
        assert_eq!(DataSource::parse(Some("@-")), DataSource::Stdin);
        assert_eq!(
            DataSource::parse(Some("@a.json")),
            DataSource::File("a.json".into())
        );
        assert_eq!(
            DataSource::parse(Some("{}")),
            DataSource::Literal("{}".into())
        );
    }

    #[test]
    fn unknown_field_hints() {
        let fields = ["organizationIds", "pageSize", "pageToken"];
        let map = json!({"page_size": 1}).as_object().cloned().unwrap();
        let err = check_fields(&map, &fields, "organizations.get_organizations").unwrap_err();
        assert_eq!(
            err,
            "unknown field `page_size` for organizations.get_organizations; valid fields: \
             organizationIds, pageSize, pageToken (did you mean `pageSize`? keys are velt-py's camelCase names)"
        );
        let nested = [
            "userId",
            "userProperties.organizationId",
            "userProperties.email",
        ];
        let map = json!({"userId": "u", "userProperties": {"organizationId": "o", "x": 1}})
            .as_object()
            .cloned()
            .unwrap();
        let err = check_fields(&map, &nested, "token.get_token").unwrap_err();
        assert!(err.starts_with("unknown field `userProperties.x` for token.get_token; valid fields: organizationId, email"), "{err}");
        assert_eq!(top_level_fields(&nested), vec!["userId", "userProperties"]);
    }

    #[test]
    fn dropped_nested_keys_are_found() {
        let input = json!({"a": 1, "u": {"o": "x", "e": "", "n": null, "typo": true}});
        let output = json!({"a": 1, "u": {"o": "x"}});
        assert_eq!(dropped_key(&input, &output, ""), Some("u.typo".to_owned()));
        let output = json!({"a": 1, "u": {"o": "x", "typo": true}});
        assert_eq!(dropped_key(&input, &output, ""), None);
    }
}
