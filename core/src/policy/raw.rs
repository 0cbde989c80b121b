//! The JSON shape of a trust policy document, before any rule is applied.
//!
//! Unlike Go's `encoding/json`, member names must be spelled exactly, unknown and duplicate
//! members are errors, and lists longer than their limit are counted but not kept.

use super::error::PolicyError;
use crate::limits::{MAX_NESTING_DEPTH, MAX_POLICY_BYTES, MAX_POLICY_STATEMENTS, MAX_STATEMENT_ENTRIES};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A whole document, OCI or blob.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct RawDocument {
    pub(super) version: Option<String>,
    pub(super) trust_policies: Option<Bounded<RawStatement, MAX_POLICY_STATEMENTS>>,
}

/// One statement. `registryScopes` (OCI only) and `globalPolicy` (blob only) are both accepted
/// here so that the document can report a member of the other kind by name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct RawStatement {
    pub(super) name: Option<String>,
    pub(super) registry_scopes: Option<Bounded<String, MAX_STATEMENT_ENTRIES>>,
    pub(super) global_policy: Option<bool>,
    pub(super) signature_verification: Option<RawSignatureVerification>,
    pub(super) trust_stores: Option<Bounded<String, MAX_STATEMENT_ENTRIES>>,
    pub(super) trusted_identities: Option<Bounded<String, MAX_STATEMENT_ENTRIES>>,
}

/// `signatureVerification`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct RawSignatureVerification {
    pub(super) level: Option<String>,
    #[serde(rename = "override")]
    pub(super) overrides: Option<Overrides>,
    pub(super) verify_timestamp: Option<String>,
}

impl RawSignatureVerification {
    /// The `override` entries in document order.
    pub(super) fn overrides(&self) -> &[(String, String)] {
        self.overrides.as_ref().map_or(&[], |o| o.0.as_slice())
    }
}

/// The `override` object as (check, action) pairs in document order; a repeated key is an error.
pub(super) struct Overrides(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OverridesVisitor;
        impl<'de> Visitor<'de> for OverridesVisitor {
            type Value = Overrides;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of check names to actions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Overrides, A::Error> {
                let mut entries: Vec<(String, String)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(existing, _)| *existing == key) {
                        return Err(serde::de::Error::custom(format_args!("duplicate override key {key:?}")));
                    }
                    if entries.len() >= MAX_STATEMENT_ENTRIES {
                        return Err(serde::de::Error::custom(format_args!(
                            "override has more than {MAX_STATEMENT_ENTRIES} entries"
                        )));
                    }
                    let value = map.next_value::<String>()?;
                    entries.push((key, value));
                }
                Ok(Overrides(entries))
            }
        }
        deserializer.deserialize_map(OverridesVisitor)
    }
}

/// A JSON array that keeps at most `LIMIT` items and counts the rest.
pub(super) struct Bounded<T, const LIMIT: usize> {
    items: Vec<T>,
    total: usize,
}

impl<T, const LIMIT: usize> Bounded<T, LIMIT> {
    /// The kept items (all of them when `total() <= LIMIT`).
    pub(super) fn items(&self) -> &[T] {
        &self.items
    }

    /// Records a [`PolicyError::LimitExceeded`] when the array had more than `LIMIT` items.
    pub(super) fn check_limit(&self, what: &'static str, problems: &mut Vec<PolicyError>) {
        if self.total > LIMIT {
            problems.push(PolicyError::LimitExceeded { what, limit: LIMIT, actual: self.total });
        }
    }
}

/// The items of an optional list (a missing list and `null` are empty, as in Go).
pub(super) fn items_of<T, const LIMIT: usize>(list: &Option<Bounded<T, LIMIT>>) -> &[T] {
    list.as_ref().map_or(&[], Bounded::items)
}

impl<'de, T: Deserialize<'de>, const LIMIT: usize> Deserialize<'de> for Bounded<T, LIMIT> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoundedVisitor<T, const LIMIT: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const LIMIT: usize> Visitor<'de> for BoundedVisitor<T, LIMIT> {
            type Value = Bounded<T, LIMIT>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                let mut total = 0usize;
                loop {
                    let more = if items.len() < LIMIT {
                        seq.next_element::<T>()?.map(|item| items.push(item)).is_some()
                    } else {
                        seq.next_element::<IgnoredAny>()?.is_some()
                    };
                    if !more {
                        break;
                    }
                    total = total.saturating_add(1);
                }
                Ok(Bounded { items, total })
            }
        }
        deserializer.deserialize_seq(BoundedVisitor(PhantomData))
    }
}

/// Parses the JSON of a document after checking its size and nesting depth.
pub(super) fn parse_document(json: &[u8]) -> Result<RawDocument, PolicyError> {
    if json.len() > MAX_POLICY_BYTES {
        return Err(PolicyError::LimitExceeded {
            what: "document size in bytes",
            limit: MAX_POLICY_BYTES,
            actual: json.len(),
        });
    }
    if let Some(depth) = depth_beyond(json, MAX_NESTING_DEPTH) {
        return Err(PolicyError::LimitExceeded { what: "nesting depth", limit: MAX_NESTING_DEPTH, actual: depth });
    }
    serde_json::from_slice(json).map_err(|e| PolicyError::Malformed { reason: e.to_string() })
}

/// The first nesting depth above `limit` reached by `[`/`{` outside strings, if any. Run before
/// parsing so that even the skipped items of an over-long list cannot nest deeply.
fn depth_beyond(json: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth = depth.saturating_add(1);
                if depth > limit {
                    return Some(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(depth_beyond(br#"{"a":"[[[[\"[[["}"#, 1), None);
        assert_eq!(depth_beyond(b"[[[]]]", 2), Some(3));
        assert_eq!(depth_beyond(b"[[]][[]]", 2), None);
    }

    #[test]
    fn long_lists_are_counted_not_kept() {
        let json = format!(r#"{{"trustStores":[{}]}}"#, vec![r#""ca:x""#; MAX_STATEMENT_ENTRIES + 3].join(","));
        let statement: RawStatement = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        let stores = statement.trust_stores.unwrap_or_else(|| panic!("trustStores missing"));
        assert_eq!(stores.items().len(), MAX_STATEMENT_ENTRIES);
        let mut problems = Vec::new();
        stores.check_limit("trustStores entry count", &mut problems);
        assert_eq!(
            problems,
            vec![PolicyError::LimitExceeded {
                what: "trustStores entry count",
                limit: MAX_STATEMENT_ENTRIES,
                actual: MAX_STATEMENT_ENTRIES + 3
            }]
        );
    }

    #[test]
    fn rejects_duplicate_and_unknown_members() {
        let duplicate = serde_json::from_str::<RawStatement>(r#"{"name":"a","name":"b"}"#);
        assert!(duplicate.is_err_and(|e| e.to_string().contains("duplicate field")));
        let unknown = serde_json::from_str::<RawStatement>(r#"{"trustedIdentitys":["*"]}"#);
        assert!(unknown.is_err_and(|e| e.to_string().contains("unknown field")));
        let override_twice =
            serde_json::from_str::<RawSignatureVerification>(r#"{"override":{"expiry":"log","expiry":"enforce"}}"#);
        assert!(override_twice.is_err_and(|e| e.to_string().contains("duplicate override key")));
    }
}
