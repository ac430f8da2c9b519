//! [`RecordMap`]: an insertion-ordered `{id: record}` map, as the resolver
//! requests carry them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// An insertion-ordered map from record id to record (`{"ann-1": {...}}`).
///
/// Deserialisation is as lenient as velt-py's `from_dict`: entries whose
/// value is not a JSON object are dropped, and a value that is not an object
/// at all reads as an empty map. An object entry that does not fit `T` is an
/// error (reported by the services as `400 VALIDATION_ERROR`).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordMap<T> {
    entries: Vec<(String, T)>,
}

impl<T> Default for RecordMap<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<T> RecordMap<T> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces, keeping the original position) the record for `id`.
    pub fn insert(&mut self, id: impl Into<String>, record: T) {
        let id = id.into();
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == id) {
            slot.1 = record;
        } else {
            self.entries.push((id, record));
        }
    }

    /// Builder-style [`RecordMap::insert`].
    pub fn with(mut self, id: impl Into<String>, record: T) -> Self {
        self.insert(id, record);
        self
    }

    /// The record for `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.entries.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `(id, record)` pairs in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<T> FromIterator<(String, T)> for RecordMap<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        let mut m = RecordMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<T> IntoIterator for RecordMap<T> {
    type Item = (String, T);
    type IntoIter = std::vec::IntoIter<(String, T)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<T: Serialize> Serialize for RecordMap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for RecordMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = RecordMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of records")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut out = RecordMap::new();
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    if v.is_object() {
                        let rec = serde_json::from_value::<T>(v)
                            .map_err(|e| A::Error::custom(format!("invalid record `{k}`: {e}")))?;
                        out.insert(k, rec);
                    }
                }
                Ok(out)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(RecordMap::new())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(RecordMap::new())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}
