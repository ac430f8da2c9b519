//! `Deserialize` for records made of typed fields plus an `extra` map that
//! keeps every other key: what `#[serde(default)]` fields next to a
//! `#[serde(flatten)] extra: Map<String, Value>` derive, without the
//! flatten machinery.
//!
//! serde's flatten reads the whole object into its private buffered form
//! first (every key and value copied into a `Content` tree), then builds
//! the typed fields and the map from that copy. The visitor here puts each
//! value straight where it belongs: a known key into its field (with the
//! field's own `deserialize_with`), any other key into `extra`. The answers
//! are the derive's: the same values, the same errors (`duplicate field`,
//! `invalid type: …, expected struct …`), a missing or `null` field read as
//! the field's default — the test below checks both against a derived
//! mirror on the same inputs. The struct keeps its derived `Serialize`.

/// `deserialize_with_extra!(Type, "struct Type", { field: FieldType = "jsonName" [with path], … })`
/// implements `Deserialize` for `Type`, whose other field is
/// `extra: Map<String, Value>`. Every listed field takes its default when
/// absent, as `#[serde(default)]` does.
macro_rules! deserialize_with_extra {
    ($ty:ident, $expecting:literal, { $($field:ident : $fty:ty = $name:literal $(with $with:path)?),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        $( let mut $field: Option<$fty> = None; )*
                        let mut extra = ::serde_json::Map::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $(
                                    $name => {
                                        if $field.is_some() {
                                            return Err(<A::Error as ::serde::de::Error>::duplicate_field($name));
                                        }
                                        $field = Some(deserialize_with_extra!(@value map, $fty $(, $with)?));
                                    }
                                )*
                                _ => {
                                    let value: ::serde_json::Value = map.next_value()?;
                                    extra.insert(key, value);
                                }
                            }
                        }
                        Ok($ty {
                            $( $field: $field.unwrap_or_default(), )*
                            extra,
                        })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
    (@value $map:ident, $fty:ty) => {
        $map.next_value::<$fty>()?
    };
    (@value $map:ident, $fty:ty, $with:path) => {{
        struct With($fty);
        impl<'de> ::serde::Deserialize<'de> for With {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $with(d).map(With)
            }
        }
        $map.next_value::<With>()?.0
    }};
}

pub(crate) use deserialize_with_extra;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use serde::{Deserialize, Serialize, de::DeserializeOwned};
    use serde_json::{Map, Value, json};

    use super::super::de;
    use super::super::{BaseMetadata, PartialCommentAnnotation, PartialUser};

    // The derived definitions these types had (`#[serde(default)]` fields
    // and a flattened `extra`): the reference the hand-written visitor
    // must agree with.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MirrorUser {
        #[serde(default, deserialize_with = "de::id_or_empty")]
        user_id: String,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MirrorMetadata {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_key: Option<String>,
        #[serde(
            default,
            deserialize_with = "de::opt_id",
            skip_serializing_if = "Option::is_none"
        )]
        document_id: Option<String>,
        #[serde(
            default,
            deserialize_with = "de::opt_id",
            skip_serializing_if = "Option::is_none"
        )]
        client_document_id: Option<String>,
        #[serde(
            default,
            deserialize_with = "de::opt_org_id",
            skip_serializing_if = "Option::is_none"
        )]
        organization_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_organization_id: Option<String>,
        #[serde(
            default,
            deserialize_with = "de::opt_id",
            skip_serializing_if = "Option::is_none"
        )]
        folder_id: Option<String>,
        #[serde(
            default,
            deserialize_with = "de::opt_id",
            skip_serializing_if = "Option::is_none"
        )]
        velt_folder_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document_metadata: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sdk_version: Option<String>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MirrorAnnotation {
        #[serde(default, deserialize_with = "de::id_or_empty")]
        annotation_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata: Option<MirrorMetadata>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comments: Option<Map<String, Value>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<MirrorUser>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assigned_to: Option<MirrorUser>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    /// The value (serialised back) or the error message, read from text
    /// and from a parsed `Value`.
    /// Messages name the mirrors by the real types (a flattening derive
    /// names the struct by its Rust name).
    fn read<T: DeserializeOwned + Serialize>(
        text: &str,
    ) -> (Result<Value, String>, Result<Value, String>) {
        let named = |e: serde_json::Error| {
            e.to_string()
                .replace("MirrorUser", "PartialUser")
                .replace("MirrorMetadata", "BaseMetadata")
                .replace("MirrorAnnotation", "PartialCommentAnnotation")
        };
        let from_text = serde_json::from_str::<T>(text)
            .map(|t| serde_json::to_value(t).unwrap())
            .map_err(named);
        let from_value = match serde_json::from_str::<Value>(text) {
            Ok(v) => serde_json::from_value::<T>(v)
                .map(|t| serde_json::to_value(t).unwrap())
                .map_err(named),
            Err(e) => Err(e.to_string()),
        };
        (from_text, from_value)
    }

    fn inputs(known: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = [
            "{}",
            "null",
            "[]",
            "[1]",
            "\"s\"",
            "5",
            "true",
            "{",
            "{\"a\":}",
            r#"{"x": 1, "y": {"z": [1, 2.5, null, "q\n\u00e9"]}, "x": 2}"#,
            r#"{"extra": {"deep": {"deeper": [{}]}}, "n": -9223372036854775808, "f": 1e300}"#,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let values = [
            "null",
            "\"\"",
            "\"v\"",
            "0",
            "12",
            "-3",
            "1.5",
            "true",
            "false",
            "[]",
            "[\"a\"]",
            "{}",
            "{\"userId\": 3}",
            "{\"userId\": [1]}",
            "{\"k\": null}",
        ];
        for key in known {
            for v in values {
                out.push(format!(r#"{{"{key}": {v}}}"#));
                out.push(format!(r#"{{"other": 1, "{key}": {v}, "last": [true]}}"#));
            }
            // A repeated known key.
            out.push(format!(r#"{{"{key}": null, "{key}": null}}"#));
            out.push(format!(r#"{{"{key}": "a", "z": 1, "{key}": "b"}}"#));
        }
        out
    }

    fn agree<T: DeserializeOwned + Serialize, M: DeserializeOwned + Serialize>(known: &[&str]) {
        for text in inputs(known) {
            assert_eq!(read::<T>(&text), read::<M>(&text), "input {text}");
        }
    }

    #[test]
    fn user_reads_as_the_derived_flatten_did() {
        agree::<PartialUser, MirrorUser>(&["userId", "name"]);
    }

    #[test]
    fn metadata_reads_as_the_derived_flatten_did() {
        agree::<BaseMetadata, MirrorMetadata>(&[
            "apiKey",
            "documentId",
            "clientDocumentId",
            "organizationId",
            "clientOrganizationId",
            "folderId",
            "veltFolderId",
            "documentMetadata",
            "sdkVersion",
        ]);
    }

    #[test]
    fn annotation_reads_as_the_derived_flatten_did() {
        agree::<PartialCommentAnnotation, MirrorAnnotation>(&[
            "annotationId",
            "metadata",
            "comments",
            "from",
            "assignedTo",
            "status",
        ]);
        // Nested: a bad user inside, a bad metadata inside.
        for text in [
            r#"{"annotationId": "a", "from": {"userId": {"x": 1}}}"#,
            r#"{"metadata": {"organizationId": 5}, "comments": {"1": {"from": 3}}}"#,
            r#"{"metadata": {"documentId": 7, "apiKey": "k", "u": [1]}, "from": {"userId": 9, "name": "n"}}"#,
        ] {
            assert_eq!(
                read::<PartialCommentAnnotation>(text),
                read::<MirrorAnnotation>(text),
                "input {text}"
            );
        }
        // The hand-written visitor keeps the values a derive kept.
        let (ok, _) = read::<PartialCommentAnnotation>(
            r#"{"annotationId": 12, "from": {"userId": 3, "name": "Ada"}, "status": {"id": "OPEN"}}"#,
        );
        assert_eq!(
            ok.unwrap(),
            json!({"annotationId": "12", "from": {"userId": "3", "name": "Ada"}, "status": {"id": "OPEN"}})
        );
    }
}
