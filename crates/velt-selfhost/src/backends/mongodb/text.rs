//! Stored documents written straight to JSON text, for
//! [`Store::find_raw_rows`](crate::store::Store::find_raw_rows): the same
//! text as serializing [`convert::raw_to_document`], without building the
//! `serde_json::Value` tree in between.

use bson::Bson;
use bson::oid::ObjectId;
use bson::raw::{RawArray, RawBsonRef, RawDocument};
use serde::Serializer as _;
use serde_json::Value;

use super::convert;
use crate::raw::RawRows;

/// Objects with at most this many keys are checked for repeated keys by a
/// linear search; larger ones by a hash set.
const LINEAR_KEY_CHECK: usize = 16;

/// Rows of one read being written into one buffer, then put in insertion
/// order (`_id` order, as [`MongoStore`](super::MongoStore)'s `find` sorts).
#[derive(Default)]
pub(super) struct TextRows {
    text: Vec<u8>,
    /// Per row: its `_id` when it is an ObjectId, and where its text ends.
    rows: Vec<(Option<ObjectId>, usize)>,
}

impl TextRows {
    /// Appends `doc` (without its top-level `_id`) as one row. A document
    /// that cannot be decoded is skipped with a warning, as reads do.
    pub(super) fn push(&mut self, collection: impl std::fmt::Display, doc: &RawDocument) {
        let start = self.text.len();
        let oid = doc.get_object_id("_id").ok();
        match write_document(doc, &mut self.text) {
            Ok(true) => {}
            // A repeated key: `raw_to_document` keeps the last value at
            // the first key's place, which the streaming writer cannot.
            Ok(false) => {
                self.text.truncate(start);
                match convert::raw_to_document(doc) {
                    Ok(map) => write_json(&mut self.text, &Value::Object(map)),
                    Err(e) => return self.skip(start, collection, &e),
                }
            }
            Err(e) => return self.skip(start, collection, &e),
        }
        self.rows.push((oid, self.text.len()));
    }

    fn skip(&mut self, start: usize, collection: impl std::fmt::Display, e: &bson::raw::Error) {
        self.text.truncate(start);
        tracing::warn!(collection = %collection, error = %e, "skipping a stored document that cannot be decoded");
    }

    /// The rows appended to `rows` in insertion order: ObjectIds ascending,
    /// other `_id`s last in the server's order (a stable sort, as `find`
    /// does).
    pub(super) fn into_rows(self, mut rows: RawRows) -> RawRows {
        // Everything written is JSON text: serde_json's output, ASCII
        // punctuation and BSON strings (checked UTF-8 by the driver).
        let text = match String::from_utf8(self.text) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        let mut spans: Vec<(Option<ObjectId>, usize, usize)> = Vec::with_capacity(self.rows.len());
        let mut start = 0;
        for (oid, end) in self.rows {
            spans.push((oid, start, end));
            start = end;
        }
        let in_order = spans.windows(2).all(|w| match w {
            [a, b] => insertion_order(&a.0, &b.0) != std::cmp::Ordering::Greater,
            _ => true,
        });
        if !in_order {
            spans.sort_by(|a, b| insertion_order(&a.0, &b.0));
        }
        for (_, s, e) in spans {
            rows.push(text.get(s..e).unwrap_or_default());
        }
        rows
    }
}

/// Insertion order of two documents by their `_id`: ObjectIds (which grow
/// with time) first, ascending; other `_id`s after them, equal among
/// themselves (so a stable sort keeps the server's order).
pub(super) fn insertion_order(a: &Option<ObjectId>, b: &Option<ObjectId>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Writes `doc` without its `_id` as JSON text, byte for byte what
/// `serde_json` prints for [`convert::raw_to_document`]. `Ok(false)` when
/// some object of it repeats a key (the caller then takes the parsed path);
/// what was written is then to be discarded.
pub(super) fn write_document(
    doc: &RawDocument,
    out: &mut Vec<u8>,
) -> Result<bool, bson::raw::Error> {
    write_object(doc, out, true)
}

fn write_object(doc: &RawDocument, out: &mut Vec<u8>, top: bool) -> Result<bool, bson::raw::Error> {
    out.push(b'{');
    let mut keys: Vec<&str> = Vec::new();
    let mut set: Option<std::collections::HashSet<&str>> = None;
    let mut first = true;
    for element in doc {
        let (key, value) = element?;
        if top && key == "_id" {
            continue;
        }
        let repeated = match &mut set {
            Some(set) => !set.insert(key),
            None if keys.len() < LINEAR_KEY_CHECK => {
                let seen = keys.contains(&key);
                keys.push(key);
                seen
            }
            None => {
                let mut all: std::collections::HashSet<&str> = keys.drain(..).collect();
                let seen = !all.insert(key);
                set = Some(all);
                seen
            }
        };
        if repeated {
            return Ok(false);
        }
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, key);
        out.push(b':');
        if !write_value(value, out)? {
            return Ok(false);
        }
    }
    out.push(b'}');
    Ok(true)
}

fn write_array(arr: &RawArray, out: &mut Vec<u8>) -> Result<bool, bson::raw::Error> {
    out.push(b'[');
    for (i, value) in arr.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if !write_value(value?, out)? {
            return Ok(false);
        }
    }
    out.push(b']');
    Ok(true)
}

/// One value, as `convert::raw_to_json` maps it, printed by serde_json.
fn write_value(value: RawBsonRef<'_>, out: &mut Vec<u8>) -> Result<bool, bson::raw::Error> {
    // A serde_json serializer over a Vec cannot fail.
    let mut ser = serde_json::Serializer::new(&mut *out);
    let _ = match value {
        RawBsonRef::Null => ser.serialize_unit(),
        RawBsonRef::Boolean(b) => ser.serialize_bool(b),
        RawBsonRef::Int32(i) => ser.serialize_i32(i),
        RawBsonRef::Int64(i) => ser.serialize_i64(i),
        RawBsonRef::Double(f) if f.is_finite() => ser.serialize_f64(f),
        RawBsonRef::String(s) => ser.serialize_str(s),
        RawBsonRef::Document(d) => return write_object(d, out, false),
        RawBsonRef::Array(a) => return write_array(a, out),
        other => {
            let json = Bson::try_from(other)?.into_relaxed_extjson();
            write_json(out, &json);
            Ok(())
        }
    };
    Ok(true)
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::Serializer::new(&mut *out).serialize_str(s);
}

fn write_json(out: &mut Vec<u8>, value: &Value) {
    // Serializing a `Value` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::raw::{RawArrayBuf, RawBson, RawDocumentBuf};
    use bson::spec::BinarySubtype;
    use bson::{Binary, DateTime, Decimal128, Regex, Timestamp};

    /// The text of the parsed path: what the streaming writer must equal.
    fn parsed(doc: &RawDocument) -> String {
        Value::Object(convert::raw_to_document(doc).unwrap()).to_string()
    }

    fn streamed(doc: &RawDocument) -> Option<String> {
        let mut out = Vec::new();
        write_document(doc, &mut out)
            .unwrap()
            .then(|| String::from_utf8(out).unwrap())
    }

    fn every_type() -> RawDocumentBuf {
        let mut inner = RawDocumentBuf::new();
        inner.append("_id", "nested ids stay");
        inner.append("z", true);
        inner.append("y", RawBson::Null);
        let mut arr = RawArrayBuf::new();
        arr.push(1);
        arr.push(inner.clone());
        arr.push(RawArrayBuf::new());
        arr.push(-0.0_f64);
        let mut doc = RawDocumentBuf::new();
        doc.append("_id", ObjectId::new());
        doc.append("i32", i32::MIN);
        doc.append("i64", i64::MAX);
        doc.append("f", 0.1_f64);
        doc.append("whole", 2.0_f64);
        doc.append("big", 1e300_f64);
        doc.append("tiny", 5e-324_f64);
        doc.append("nan", f64::NAN);
        doc.append("inf", f64::NEG_INFINITY);
        doc.append(
            "s",
            "quote \" backslash \\ slash / tab \t nl \n del \u{7f} \u{1} \u{1f} é 😀 \u{2028}",
        );
        doc.append("", "empty key");
        doc.append("k\"ey\u{0b}", "escaped key");
        doc.append("arr", arr);
        doc.append("obj", inner);
        doc.append("empty", RawDocumentBuf::new());
        doc.append("date", DateTime::from_millis(1_700_000_000_123));
        doc.append("old", DateTime::from_millis(-62_000_000_000_000));
        doc.append(
            "oid",
            ObjectId::parse_str("64b7f0c2a1b2c3d4e5f60718").unwrap(),
        );
        doc.append(
            "bin",
            Binary {
                subtype: BinarySubtype::Generic,
                bytes: vec![0, 1, 2, 250],
            },
        );
        doc.append("dec", "1.5".parse::<Decimal128>().unwrap());
        doc.append(
            "re",
            Regex {
                pattern: "^a".into(),
                options: "i".into(),
            },
        );
        doc.append(
            "ts",
            Timestamp {
                time: 5,
                increment: 7,
            },
        );
        doc.append("min", RawBson::MinKey);
        doc.append("max", RawBson::MaxKey);
        doc.append("undef", RawBson::Undefined);
        doc
    }

    #[test]
    fn writes_what_the_parsed_path_prints_for_every_bson_type() {
        let doc = every_type();
        let text = streamed(&doc).expect("no repeated key");
        assert_eq!(text, parsed(&doc));
        assert!(!text.starts_with(r#"{"_id""#), "{text}");
        assert!(text.contains(r#""_id":"nested ids stay""#), "{text}");
    }

    #[test]
    fn every_ascii_and_some_unicode_escape_as_serde_json_does() {
        let mut doc = RawDocumentBuf::new();
        for c in (0_u32..0x80).chain([0xa0, 0x2028, 0xfeff, 0x1f600]) {
            let s = char::from_u32(c).unwrap().to_string();
            // Keys are C strings: every character but NUL.
            let key = if c == 0 {
                format!("k{c}")
            } else {
                format!("k{c}{s}")
            };
            doc.append(key, s);
        }
        assert_eq!(streamed(&doc).unwrap(), parsed(&doc));
    }

    #[test]
    fn a_repeated_key_is_left_to_the_parsed_path() {
        for width in [3, LINEAR_KEY_CHECK + 5] {
            let mut inner = RawDocumentBuf::new();
            for i in 0..width {
                inner.append(format!("k{i}"), i as i32);
            }
            inner.append("k1", "again");
            let mut doc = RawDocumentBuf::new();
            doc.append("a", 1);
            doc.append("inner", inner.clone());
            assert_eq!(streamed(&doc), None, "width {width}");
            let mut rows = TextRows::default();
            rows.push("comments", &doc);
            let got: Vec<String> = rows
                .into_rows(RawRows::filtered())
                .iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(got, [parsed(&doc)]);
            assert!(got[0].contains(r#""k1":"again""#), "{}", got[0]);
        }
        // Wide objects without repeats are written by the streaming writer.
        let mut wide = RawDocumentBuf::new();
        for i in 0..(LINEAR_KEY_CHECK * 3) {
            wide.append(format!("k{i}"), i as i32);
        }
        assert_eq!(streamed(&wide).unwrap(), parsed(&wide));
    }

    #[test]
    fn rows_come_out_in_object_id_order_and_undecodable_ones_are_skipped() {
        let ids: Vec<ObjectId> = (0..3)
            .map(|i| ObjectId::parse_str(format!("64b7f0c2a1b2c3d4e5f6071{i}")).unwrap())
            .collect();
        let row = |id: Bson, n: i32| {
            let mut d = RawDocumentBuf::new();
            d.append("_id", RawBson::try_from(id).unwrap());
            d.append("n", n);
            d
        };
        let mut rows = TextRows::default();
        rows.push("comments", &row(Bson::String("s1".into()), 1));
        rows.push("comments", &row(Bson::ObjectId(ids[2]), 2));
        rows.push("comments", &row(Bson::ObjectId(ids[0]), 3));
        // An element whose string is not UTF-8: undecodable, skipped.
        let mut bytes = row(Bson::ObjectId(ids[1]), 4).into_bytes();
        let mut bad = RawDocumentBuf::new();
        bad.append("x", "ab");
        let mut bad_bytes = bad.into_bytes();
        let at = bad_bytes.len() - 3;
        bad_bytes[at] = 0xff;
        bytes = {
            let mut d = RawDocumentBuf::from_bytes(bytes).unwrap();
            d.append("bad", RawDocumentBuf::from_bytes(bad_bytes).unwrap());
            d.into_bytes()
        };
        rows.push("comments", RawDocument::from_bytes(&bytes).unwrap());
        rows.push("comments", &row(Bson::Int32(9), 5));
        let got: Vec<&str> = Vec::new();
        let out = rows.into_rows(RawRows::filtered());
        let got = out.iter().fold(got, |mut v, t| {
            v.push(t);
            v
        });
        assert_eq!(
            got,
            [r#"{"n":3}"#, r#"{"n":2}"#, r#"{"n":1}"#, r#"{"n":5}"#]
        );
    }
}
