//! The exceptions file, version 1.
//!
//! ```json
//! {
//!   "version": "1",
//!   "exceptions": [
//!     {"scope": "registry.example/legacy/billing",
//!      "reason": "built before signing; rebuilt in PLAT-112",
//!      "owner": "team-billing@example.com",
//!      "expires": "2025-09-30"},
//!     {"scope": "registry.example/tools/migrate@sha256:<64 hex>",
//!      "reason": "signed by the retired 2024 key until rebuilt", "owner": "dba",
//!      "expires": "2025-07-15T00:00:00Z", "classes": ["retiredSigner"]}
//!   ]
//! }
//! ```
//!
//! Rules (every broken rule is reported, with the entry's position):
//! * `version` is `"1"`; no member other than those shown is accepted, in the document or in
//!   an entry.
//! * `scope` names **one repository** (`registry/repository`, also written
//!   `registry/repository@*`) or **one artifact** (`registry/repository@<digest>`). Anything
//!   wider is rejected: `*`, a registry alone, a namespace prefix, a wildcard or glob in a path
//!   component. Tags are rejected too (they are mutable). Repository and digest follow the one
//!   grammar of [`notaverify::reference`], the one trust policy scopes and references follow. No normalisation is done: the
//!   repository is compared with the reference as an exact, case-sensitive string, like trust
//!   policy scopes.
//! * `expires` is mandatory: `YYYY-MM-DD` (the exception ends at midnight UTC starting that day)
//!   or an RFC 3339 date-time. An exception applies only while the verification time is
//!   strictly before it.
//! * `reason` and `owner` are non-empty.
//! * Two entries may not have the same scope.
//! * `classes` (optional) lists what the exception excuses. Without it, an exception excuses
//!   `unsigned` only: exceptions exist for legacy images built before signing. It may widen that
//!   to `unknownSigner`, `retiredSigner` and `expired` (and must then list `unsigned` too if
//!   that is meant). `invalidSignature` (tampering, another artifact's signature) and `failed`
//!   (a revoked certificate, revocation that cannot be checked, a request that cannot be
//!   evaluated) are never excused, and naming them is an error.
//!
//! An exception applies only to an artifact that fails (see [`super::Class::in_policy`]), that
//! it names, whose class it excuses, and none of whose signatures has a class it does not
//! excuse (a tampered signature beside an unknown signer's is not excused by an `unknownSigner`
//! exception). An expired exception never applies; it is reported.

use super::class::Class;
use super::{days_until, parse_date};
use notaverify::reference::{DigestProblem, split_reference};
use notaverify::{Digest, Error, NameError, Repository, Time};
use serde::Deserialize;
use std::collections::BTreeSet;

use notaverify::limits::{MAX_EXCEPTION_FIELD_CHARS as MAX_FIELD_CHARS, MAX_EXCEPTIONS, MAX_EXCEPTIONS_BYTES};

/// What an exception names.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionScope {
    /// `registry/repository`.
    pub repository: String,
    /// One artifact's digest, or `None` for every artifact of the repository.
    pub digest: Option<String>,
}

impl ExceptionScope {
    /// Parses and validates a scope (see the module documentation).
    pub fn parse(scope: &str) -> Result<Self, String> {
        if scope.is_empty() {
            return Err("the scope is empty".into());
        }
        if scope.chars().count() > MAX_FIELD_CHARS {
            return Err("the scope is too long".into());
        }
        let (repository, digest) = match split_reference(scope) {
            Some((repo, "*")) => (repo, None),
            Some((repo, digest)) => (repo, Some(digest_in_scope(digest)?.to_string())),
            None => (scope, None),
        };
        if repository.contains(['*', '?', '[', ']', '{', '}']) {
            return Err(format!(
                "{scope:?} has a wildcard wider than one repository: name one repository (registry/repository) or one artifact (registry/repository@sha256:<hex>)"
            ));
        }
        let Some((_, path)) = repository.split_once('/') else {
            return Err(format!(
                "{scope:?} names a registry, not a repository: an exception covers at most one repository"
            ));
        };
        if path.is_empty() || path.ends_with('/') {
            return Err(format!("{scope:?} has no repository path or ends with '/'"));
        }
        if path.contains(':') {
            return Err(format!("{scope:?} has a tag: tags are mutable, name the artifact by digest (@sha256:...)"));
        }
        let repository: Repository = repository.parse().map_err(|_| {
            format!(
                "{scope:?} is not registry/repository as OCI names them (a host name with an optional port, then \
                 path components of lower-case letters and digits joined by . _ __ or -)"
            )
        })?;
        Ok(Self { repository: repository.to_string(), digest })
    }

    /// True when this scope names the artifact `reference` (`registry/repository@<digest>`).
    pub fn matches(&self, reference: &str) -> bool {
        let Some((repository, digest)) = split_reference(reference) else {
            return false;
        };
        repository == self.repository && self.digest.as_deref().is_none_or(|d| d == digest)
    }

    /// The scope as written canonically (`repo` or `repo@digest`).
    pub fn as_string(&self) -> String {
        match &self.digest {
            Some(d) => format!("{}@{d}", self.repository),
            None => self.repository.clone(),
        }
    }
}

/// The digest of a scope, in the exceptions file's words.
fn digest_in_scope(digest: &str) -> Result<Digest, String> {
    digest.parse().map_err(|e| match e {
        NameError::Digest { problem: DigestProblem::NotHex { algorithm }, .. } => {
            format!("{digest:?} is not a digest: expected {} lower-case hex digits", algorithm.hex_len())
        }
        NameError::Digest { problem: DigestProblem::NoAlgorithm, .. } => {
            format!("{digest:?} is not a digest (expected sha256:<hex>)")
        }
        _ => format!(
            "{digest:?} is not a digest: algorithm must be sha256, sha384 or sha512 (wildcards are not allowed)"
        ),
    })
}

/// One exception.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exception {
    /// Position in the file (0-based).
    pub index: usize,
    /// What it names.
    pub scope: ExceptionScope,
    /// Why it exists.
    pub reason: String,
    /// Who is responsible for removing it.
    pub owner: String,
    /// The deadline as written.
    pub expires: String,
    /// The deadline: the exception applies only strictly before it.
    #[serde(skip)]
    pub expires_at: Time,
    /// The classes it excuses (`unsigned` unless the entry lists others).
    pub classes: Vec<Class>,
}

/// What an exception may excuse when an entry lists it.
const EXCUSABLE: [Class; 4] = [Class::Unsigned, Class::UnknownSigner, Class::RetiredSigner, Class::Expired];

impl Exception {
    /// True when the exception is in force at `at`.
    pub fn in_force(&self, at: Time) -> bool {
        at < self.expires_at
    }

    /// True when the exception excuses an artifact of class `class` whose signatures have the
    /// classes `signatures`: every one of them must be a class it names.
    pub fn excuses(&self, class: Class, signatures: &[Class]) -> bool {
        self.classes.contains(&class) && signatures.iter().all(|c| self.classes.contains(c))
    }

    /// Whole days left until the deadline at `at` (negative once passed).
    pub fn days_left(&self, at: Time) -> i64 {
        days_until(at, self.expires_at)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    version: Option<serde_json::Value>,
    exceptions: Option<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    scope: Option<String>,
    reason: Option<String>,
    owner: Option<String>,
    expires: Option<String>,
    classes: Option<Vec<String>>,
}

/// What [`Exceptions::lookup`] finds for one failing artifact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExceptionLookup<'a> {
    /// The exception in force that excuses it (digest-scoped first).
    pub active: Option<&'a Exception>,
    /// Exceptions that name it but have expired (never applied).
    pub expired: Vec<&'a Exception>,
    /// Exceptions in force that name it but do not excuse its class or a signature's class.
    pub not_covering: Vec<&'a Exception>,
}

/// A validated exceptions file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exceptions {
    entries: Vec<Exception>,
}

impl Exceptions {
    /// Parses and validates an exceptions file; the error lists every problem.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        let (entries, problems) = parse(bytes);
        if problems.is_empty() {
            Ok(Self { entries })
        } else {
            Err(Error::InvalidInput(format!("the exceptions file is invalid: {}", problems.join("; "))))
        }
    }

    /// Every problem of an exceptions file (empty when valid).
    pub fn problems(bytes: &[u8]) -> Vec<String> {
        parse(bytes).1
    }

    /// The exceptions, in file order.
    pub fn entries(&self) -> &[Exception] {
        &self.entries
    }

    /// The exceptions that name `reference` (`registry/repository@<digest>`), most specific
    /// (digest-scoped) first.
    pub fn matching(&self, reference: &str) -> Vec<&Exception> {
        let mut found: Vec<&Exception> = self.entries.iter().filter(|e| e.scope.matches(reference)).collect();
        found.sort_by_key(|e| (e.scope.digest.is_none(), e.index));
        found
    }

    /// The exceptions that name the failing artifact `reference`, sorted: the one in force at
    /// `at` that excuses its class (`class`, with its signatures' classes `signatures`), if any
    /// (the digest-scoped one first, then the repository-wide one), the expired ones, and those
    /// in force that do not excuse it.
    pub fn lookup(&self, reference: &str, at: Time, class: Class, signatures: &[Class]) -> ExceptionLookup<'_> {
        let mut found = ExceptionLookup::default();
        for e in self.matching(reference) {
            if !e.in_force(at) {
                found.expired.push(e);
            } else if found.active.is_none() && e.excuses(class, signatures) {
                found.active = Some(e);
            } else if !e.excuses(class, signatures) {
                found.not_covering.push(e);
            }
        }
        found
    }
}

/// The `classes` of an entry: names of excusable classes, at least one, each once.
fn parse_classes(names: Option<&[String]>) -> Result<Vec<Class>, String> {
    let Some(names) = names else {
        return Ok(vec![Class::Unsigned]);
    };
    if names.is_empty() {
        return Err("classes is empty: omit it to excuse unsigned artifacts only".into());
    }
    let mut classes = Vec::with_capacity(names.len());
    for name in names {
        let class = Class::from_name(name).ok_or_else(|| format!("classes: {name:?} is not a class"))?;
        match class {
            Class::InvalidSignature => {
                return Err(
                    "classes: invalidSignature is never excused (a tampered signature, or another artifact's)".into()
                );
            }
            Class::Failed => {
                return Err("classes: failed is never excused (a revoked certificate, revocation that cannot be checked, or a request that cannot be evaluated)".into());
            }
            c if !EXCUSABLE.contains(&c) => {
                return Err(format!(
                    "classes: {name:?} is not a failing class (excusable: unsigned, unknownSigner, retiredSigner, expired)"
                ));
            }
            _ => {}
        }
        if classes.contains(&class) {
            return Err(format!("classes: {name:?} is listed more than once"));
        }
        classes.push(class);
    }
    Ok(classes)
}

fn parse(bytes: &[u8]) -> (Vec<Exception>, Vec<String>) {
    let mut problems = Vec::new();
    if bytes.len() > MAX_EXCEPTIONS_BYTES {
        return (
            Vec::new(),
            vec![format!("the file has {} bytes, more than the limit of {MAX_EXCEPTIONS_BYTES}", bytes.len())],
        );
    }
    let raw: RawDocument = match serde_json::from_slice(bytes) {
        Ok(raw) => raw,
        Err(e) => {
            return (Vec::new(), vec![format!("not a JSON document of the expected shape: {e}")]);
        }
    };
    match &raw.version {
        Some(serde_json::Value::String(v)) if v == "1" => {}
        Some(other) => problems.push(format!("version must be \"1\", not {other}")),
        None => problems.push("version is missing (expected \"1\")".into()),
    }
    let Some(list) = raw.exceptions else {
        problems.push("exceptions is missing".into());
        return (Vec::new(), problems);
    };
    if list.len() > MAX_EXCEPTIONS {
        problems.push(format!("{} exceptions, more than the limit of {MAX_EXCEPTIONS}", list.len()));
        return (Vec::new(), problems);
    }
    let mut entries = Vec::new();
    let mut seen = BTreeSet::new();
    for (index, value) in list.into_iter().enumerate() {
        let at = format!("exceptions[{index}]");
        let raw: RawException = match serde_json::from_value(value) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{at}: {e}"));
                continue;
            }
        };
        let before = problems.len();
        let scope = match raw.scope.as_deref() {
            None => {
                problems.push(format!("{at}: scope is missing"));
                None
            }
            Some(s) => ExceptionScope::parse(s).map_err(|e| problems.push(format!("{at}: {e}"))).ok(),
        };
        for (name, value) in [("reason", &raw.reason), ("owner", &raw.owner)] {
            match value.as_deref().map(str::trim) {
                None | Some("") => problems.push(format!("{at}: {name} is missing or empty")),
                Some(v) if v.chars().count() > MAX_FIELD_CHARS => problems.push(format!("{at}: {name} is too long")),
                Some(_) => {}
            }
        }
        let expires_at = match raw.expires.as_deref() {
            None | Some("") => {
                problems.push(format!("{at}: expires is missing: every exception needs a deadline (YYYY-MM-DD)"));
                None
            }
            Some(e) => {
                let parsed = parse_date(e);
                if parsed.is_none() {
                    problems.push(format!("{at}: expires {e:?} is not a date (YYYY-MM-DD) or an RFC 3339 date-time"));
                }
                parsed
            }
        };
        let classes = parse_classes(raw.classes.as_deref()).map_err(|e| problems.push(format!("{at}: {e}"))).ok();
        if let Some(scope) = &scope
            && !seen.insert(scope.as_string())
        {
            problems.push(format!("{at}: the scope {:?} is given more than once", scope.as_string()));
        }
        if problems.len() == before
            && let (Some(scope), Some(expires_at), Some(classes)) = (scope, expires_at, classes)
        {
            entries.push(Exception {
                index,
                scope,
                reason: raw.reason.unwrap_or_default(),
                owner: raw.owner.unwrap_or_default(),
                expires: raw.expires.unwrap_or_default(),
                expires_at,
                classes,
            });
        }
    }
    (entries, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    fn doc(entries: &str) -> Vec<u8> {
        format!(r#"{{"version":"1","exceptions":[{entries}]}}"#).into_bytes()
    }

    fn entry(scope: &str, expires: &str) -> String {
        format!(r#"{{"scope":"{scope}","reason":"legacy","owner":"team-a","expires":"{expires}"}}"#)
    }

    #[test]
    fn scopes_name_one_repository_or_one_artifact() {
        for ok in ["r.io/a", "r.io/a/b", "localhost:5000/a_b/c--d", "r.io/a@*", &format!("r.io/a@{D}")] {
            assert!(ExceptionScope::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "*",
            "r.io",
            "r.io/",
            "r.io/*",
            "r.io/a/*",
            "r.io/a*",
            "r.io/a@sha256:*",
            "r.io/a:v1",
            "R.IO/a/B",
            "r.io/a/",
            "r.io//a",
            "",
            "r.io/a@sha256:abc",
            "r.io/a@md5:00",
            "r.io/-a",
            "r.io/a..b",
            "r.io/a?",
            "r.io/{a,b}",
        ] {
            assert!(ExceptionScope::parse(bad).is_err(), "{bad}");
        }
        let repo = ExceptionScope::parse("r.io/a").unwrap();
        assert!(repo.matches(&format!("r.io/a@{D}")));
        assert!(!repo.matches(&format!("r.io/a/b@{D}")), "no prefix matching");
        assert!(!repo.matches(&format!("r.io/ab@{D}")));
        let one = ExceptionScope::parse(&format!("r.io/a@{D}")).unwrap();
        assert!(one.matches(&format!("r.io/a@{D}")));
        assert!(!one.matches(&format!("r.io/a@sha256:{}", "0".repeat(64))));
    }

    #[test]
    fn scopes_follow_the_oci_grammar_of_references() {
        for ok in ["localhost:5000/a/b", "r.io/a__b/c-d", &format!("r.io/a@{D}"), "r.io/a@*"] {
            assert!(ExceptionScope::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("-r.io/a", "is not registry/repository"),
            ("r..io/a", "is not registry/repository"),
            ("r.io:/a", "is not registry/repository"),
            ("r.io/A", "is not registry/repository"),
            ("r.io//a", "is not registry/repository"),
            ("r.io/a:v1", "has a tag"),
            ("r.io/", "no repository path"),
            ("r.io", "names a registry"),
        ] {
            let error = ExceptionScope::parse(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
        }
        let upper = format!("r.io/a@sha256:{}", "A".repeat(64));
        assert!(ExceptionScope::parse(&upper).unwrap_err().contains("expected 64 lower-case hex digits"));
        let short = format!("r.io/a@sha512:{}", "a".repeat(64));
        assert!(ExceptionScope::parse(&short).unwrap_err().contains("expected 128 lower-case hex digits"));
        assert!(ExceptionScope::parse("r.io/a@md5:00").unwrap_err().contains("algorithm must be"));
        assert!(ExceptionScope::parse("r.io/a@00").unwrap_err().contains("expected sha256:<hex>"));
    }

    #[test]
    fn every_exception_needs_a_deadline_an_owner_and_a_reason() {
        let e = Exceptions::from_json(&doc(&entry("r.io/a", "2025-09-30"))).unwrap();
        assert_eq!(e.entries().len(), 1);
        assert_eq!(e.entries()[0].expires_at.to_rfc3339(), "2025-09-30T00:00:00Z");
        let problems = Exceptions::problems(&doc(r#"{"scope":"r.io/a","reason":"x","owner":"y"}"#));
        assert!(problems[0].contains("expires is missing"), "{problems:?}");
        assert!(
            !Exceptions::problems(&doc(r#"{"scope":"r.io/a","reason":"","owner":"y","expires":"2025-01-01"}"#))
                .is_empty()
        );
        assert!(!Exceptions::problems(&doc(r#"{"scope":"r.io/a","reason":"x","expires":"2025-01-01"}"#)).is_empty());
        assert!(!Exceptions::problems(&doc(&entry("r.io/a", "next week"))).is_empty());
        assert!(!Exceptions::problems(&doc(&entry("r.io/*", "2025-01-01"))).is_empty());
        assert!(
            !Exceptions::problems(&doc(
                r#"{"scope":"r.io/a","reason":"x","owner":"y","expires":"2025-01-01","classes":[]}"#
            ))
            .is_empty()
        );
        assert!(!Exceptions::problems(br#"{"version":"2","exceptions":[]}"#).is_empty());
        assert!(!Exceptions::problems(br#"{"exceptions":[]}"#).is_empty());
        assert!(!Exceptions::problems(br#"{"version":"1","exceptions":[],"extra":1}"#).is_empty());
        let dup = format!("{},{}", entry("r.io/a", "2025-01-01"), entry("r.io/a@*", "2026-01-01"));
        assert!(Exceptions::problems(&doc(&dup))[0].contains("more than once"));
        let two = format!("{},{}", entry("r.io/a", "2025-01-01"), entry("r.io/b", "bad"));
        let problems = Exceptions::problems(&doc(&two));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("exceptions[1]"));
    }

    #[test]
    fn only_exceptions_before_their_deadline_are_in_force() {
        let text = format!("{},{}", entry("r.io/a", "2025-07-01"), entry(&format!("r.io/a@{D}"), "2025-06-01"));
        let e = Exceptions::from_json(&doc(&text)).unwrap();
        let reference = format!("r.io/a@{D}");
        let before = parse_date("2025-05-01").unwrap();
        let unsigned = |at| e.lookup(&reference, at, Class::Unsigned, &[]);
        let found = unsigned(before);
        assert_eq!(found.active.unwrap().scope.digest.as_deref(), Some(D), "the digest-scoped one first");
        assert!(found.expired.is_empty());
        let between = parse_date("2025-06-15").unwrap();
        let found = unsigned(between);
        assert_eq!(found.active.unwrap().scope.digest, None);
        assert_eq!(found.expired.len(), 1);
        let at_deadline = parse_date("2025-07-01").unwrap();
        let found = unsigned(at_deadline);
        assert!(found.active.is_none(), "the deadline itself is too late");
        assert_eq!(found.expired.len(), 2);
        assert!(e.lookup(&format!("r.io/b@{D}"), before, Class::Unsigned, &[]).active.is_none());
    }

    #[test]
    fn an_exception_excuses_only_the_classes_it_names() {
        let with = |classes: &str| {
            doc(&format!(r#"{{"scope":"r.io/a","reason":"legacy","owner":"team-a","expires":"2099-01-01"{classes}}}"#))
        };
        let reference = format!("r.io/a@{D}");
        let at = parse_date("2030-01-01").unwrap();
        let default = Exceptions::from_json(&with("")).unwrap();
        assert_eq!(default.entries()[0].classes, vec![Class::Unsigned]);
        assert!(default.lookup(&reference, at, Class::Unsigned, &[]).active.is_some());
        for class in
            [Class::UnknownSigner, Class::RetiredSigner, Class::Expired, Class::InvalidSignature, Class::Failed]
        {
            let found = default.lookup(&reference, at, class, &[class]);
            assert!(found.active.is_none(), "{class} is not excused by default");
            assert_eq!(found.not_covering.len(), 1);
        }
        let wide = Exceptions::from_json(&with(r#","classes":["unknownSigner","retiredSigner","expired"]"#)).unwrap();
        assert!(wide.lookup(&reference, at, Class::UnknownSigner, &[Class::UnknownSigner]).active.is_some());
        assert!(wide.lookup(&reference, at, Class::Unsigned, &[]).active.is_none(), "unsigned was not listed");
        let beside_a_tampered_one = [Class::UnknownSigner, Class::InvalidSignature];
        assert!(wide.lookup(&reference, at, Class::UnknownSigner, &beside_a_tampered_one).active.is_none());
        for never in [r#","classes":["invalidSignature"]"#, r#","classes":["failed"]"#] {
            let problems = Exceptions::problems(&with(never));
            assert!(problems[0].contains("never excused"), "{problems:?}");
        }
        for bad in [
            r#","classes":[]"#,
            r#","classes":["verified"]"#,
            r#","classes":["x"]"#,
            r#","classes":["expired","expired"]"#,
        ] {
            assert!(!Exceptions::problems(&with(bad)).is_empty(), "{bad}");
        }
    }
}
