//! A single pass over a JSON request body that builds nothing: it checks
//! the body against the [`BodyLimits`] and takes the few top-level fields
//! the server reads before the typed parse (the organizations a request
//! names, its `event`).
//!
//! The pass only says "this body is well-formed, an object and within the
//! limits" or "look closer": on anything else (a syntax error, a body that
//! is not an object, an array or object that *may* be over the limit, a
//! value nested too deep, an empty body) it gives up, and the caller takes
//! the [`parse_json`](super::parse_json) path, which builds the
//! `serde_json::Value` and answers exactly as it always has. So the pass
//! decides no error message itself: it is a shortcut for the common case,
//! never a second set of rules.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::BodyLimits;

/// What the pass took from a body it accepted.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Scanned {
    /// Top-level `organizationId`, when it is a string.
    pub(crate) organization_id: Option<String>,
    /// `metadata.organizationId`, when `metadata` is an object and it is a string.
    pub(crate) metadata_organization_id: Option<String>,
    /// Top-level `event`, when it is a string.
    pub(crate) event: Option<String>,
}

impl Scanned {
    /// The organization ids the request names (as
    /// [`request_organizations`](crate::auth::request_organizations) reads
    /// them from the parsed value).
    pub(crate) fn organizations(&self) -> impl Iterator<Item = &str> {
        self.organization_id
            .iter()
            .chain(self.metadata_organization_id.iter())
            .map(String::as_str)
    }
}

/// Scans `bytes`; `None` when the body needs the full parse to be answered.
pub(crate) fn scan(bytes: &[u8], limits: BodyLimits) -> Option<Scanned> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let scanned = Top { limits }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(scanned)
}

/// The pass gave up; the message is never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("look closer")
}

/// The top-level object.
struct Top {
    limits: BodyLimits,
}

impl<'de> DeserializeSeed<'de> for Top {
    type Value = Scanned;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Scanned, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let limits = self.limits;
        let mut out = Scanned::default();
        let mut keys = 0usize;
        // A key given twice: the parsed value keeps the last one, and so
        // does this pass (each occurrence overwrites what the one before
        // left).
        while let Some(key) = map.next_key::<TopKey>()? {
            keys += 1;
            if keys > limits.max_array_len {
                return Err(give_up());
            }
            let want = match key {
                TopKey::OrganizationId | TopKey::Event => Want::Str,
                TopKey::Metadata => Want::MetadataOrg,
                TopKey::Other => Want::Nothing,
            };
            let taken = map.next_value_seed(Check {
                limits,
                depth: 1,
                want,
            })?;
            match key {
                TopKey::OrganizationId => out.organization_id = taken,
                TopKey::Event => out.event = taken,
                TopKey::Metadata => out.metadata_organization_id = taken,
                TopKey::Other => {}
            }
        }
        Ok(out)
    }
}

/// The top-level keys the pass reads.
enum TopKey {
    OrganizationId,
    Metadata,
    Event,
    Other,
}

impl<'de> de::Deserialize<'de> for TopKey {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = TopKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<TopKey, E> {
        Ok(match key {
            "organizationId" => TopKey::OrganizationId,
            "metadata" => TopKey::Metadata,
            "event" => TopKey::Event,
            _ => TopKey::Other,
        })
    }
}

/// What to take from a value while checking it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Nothing,
    /// The value itself, when it is a string.
    Str,
    /// Its `organizationId`, when the value is an object and that is a string.
    MetadataOrg,
}

/// Checks one value (and all inside it) at `depth` below the top-level
/// object, taking what `want` asks for.
#[derive(Clone, Copy)]
struct Check {
    limits: BodyLimits,
    depth: usize,
    want: Want,
}

impl<'de> DeserializeSeed<'de> for Check {
    type Value = Option<String>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        // As in `check_shape`: the depth limit applies to every value,
        // scalars included.
        if self.depth > self.limits.max_depth {
            return Err(give_up());
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<String>, E> {
        Ok((self.want == Want::Str).then(|| s.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
        let inner = self.inner(Want::Nothing);
        let mut len = 0usize;
        while seq.next_element_seed(inner)?.is_some() {
            len += 1;
            if len > self.limits.max_array_len {
                return Err(give_up());
            }
        }
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let mut taken = None;
        let mut keys = 0usize;
        while let Some(key) = map.next_key::<MaybeOrgKey>()? {
            keys += 1;
            if keys > self.limits.max_array_len {
                return Err(give_up());
            }
            let want = if self.want == Want::MetadataOrg && key.0 {
                Want::Str
            } else {
                Want::Nothing
            };
            let value = map.next_value_seed(self.inner(want))?;
            if want == Want::Str {
                taken = value;
            }
        }
        Ok(taken)
    }
}

impl Check {
    fn inner(self, want: Want) -> Check {
        Check {
            depth: self.depth + 1,
            want,
            ..self
        }
    }
}

/// An object key below the top level: `true` for `organizationId`.
struct MaybeOrgKey(bool);

impl<'de> de::Deserialize<'de> for MaybeOrgKey {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MaybeOrgKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<MaybeOrgKey, E> {
                Ok(MaybeOrgKey(key == "organizationId"))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::request_organizations;
    use crate::http::parse_json;
    use serde_json::Value;

    const L: BodyLimits = BodyLimits {
        max_bytes: 10_000,
        max_array_len: 3,
        max_depth: 4,
    };

    /// What the full parse reads from the same body.
    fn from_value(v: &Value) -> Scanned {
        let orgs = request_organizations(v);
        let top = v.get("organizationId").and_then(Value::as_str);
        Scanned {
            organization_id: top.map(str::to_owned),
            metadata_organization_id: orgs
                .get(usize::from(top.is_some()))
                .map(|s| (*s).to_owned()),
            event: v.get("event").and_then(Value::as_str).map(str::to_owned),
        }
    }

    #[test]
    fn accepts_what_the_full_parse_accepts_and_reads_the_same_fields() {
        for body in [
            r#"{}"#,
            r#"{"organizationId": "o1", "event": "addComment", "x": [1, 2, {"a": null}]}"#,
            r#"{"metadata": {"organizationId": "o2", "documentId": "d"}, "organizationId": 5}"#,
            r#"{"organizationId": "o1", "organizationId": "o3"}"#,
            r#"{"metadata": {"organizationId": "a"}, "metadata": {"x": 1}}"#,
            r#"{"metadata": {"organizationId": "a", "organizationId": ["b"]}}"#,
            r#"{"metadata": "m", "event": {"organizationId": "no"}}"#,
            r#"{"a": {"b": {"c": 1}}, "organizationId": "o\u00e9\n"}"#,
        ] {
            let scanned = scan(body.as_bytes(), L).unwrap_or_else(|| panic!("{body}"));
            let value = parse_json(body.as_bytes(), L).unwrap();
            assert_eq!(scanned, from_value(&value), "{body}");
        }
    }

    #[test]
    fn gives_up_where_the_full_parse_answers_or_may_answer_an_error() {
        for body in [
            "",
            "  ",
            "[1]",
            "\"s\"",
            "{",
            r#"{"a": 1} x"#,
            r#"{"a": [1, 2, 3, 4]}"#,
            r#"{"a": 1, "b": 2, "c": 3, "d": 4}"#,
            r#"{"a": {"b": 1, "c": 2, "d": 3, "e": 4}}"#,
            r#"{"a": {"b": {"c": {"d": {"e": 1}}}}}"#,
            r#"{"a": [[[[[]]]]]}"#,
            r#"{"a": [[[[1]]]]}"#,
            // Duplicate keys: four entries, three distinct. The full parse
            // accepts it; the pass leaves that to it.
            r#"{"a": 1, "a": 2, "b": 3, "c": 4}"#,
        ] {
            assert_eq!(scan(body.as_bytes(), L), None, "{body}");
        }
        assert!(parse_json(br#"{"a": 1, "a": 2, "b": 3, "c": 4}"#, L).is_ok());
        let deep = format!("{{\"a\": {}", "[".repeat(10_000));
        assert_eq!(scan(deep.as_bytes(), L), None);
    }

    #[test]
    fn at_the_limits_is_within_them() {
        for body in [
            r#"{"a": [1, 2, {"b": [true]}], "c": null, "d": "x"}"#,
            r#"{"a": {"b": {"c": {"d": 1}}}}"#,
            r#"{"a": [[[[]]]]}"#,
        ] {
            assert!(parse_json(body.as_bytes(), L).is_ok(), "{body}");
            assert!(scan(body.as_bytes(), L).is_some(), "{body}");
        }
    }
}
