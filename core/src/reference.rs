//! OCI names, parsed once where they come in and passed down typed: digests (`algorithm:hex`),
//! repositories (`registry/repository`) and artifact references (`registry/repository@digest`).
//! Every rule about these names is here; trust policy scopes, the verifier, the loader's layouts
//! and the posture crate's exceptions use it.
//!
//! * A digest is `sha256`, `sha384` or `sha512`, `:`, and exactly that hash's length of
//!   lower-case hex (OCI's registered algorithms; notation signs with nothing else).
//! * A repository is `domain/path` as the distribution reference grammar defines it
//!   (notation-go's `validateRegistryScopeFormat`), written out by hand instead of as regular
//!   expressions: the domain is `label(.label)*(:port)?`, a label alphanumeric with inner hyphens;
//!   the path is components of `[a-z0-9]` runs joined by `.`, `_`, `__` or one or more `-`,
//!   separated by `/`. Nothing is normalised: names compare as exact, case-sensitive strings.
//! * An artifact reference is split at its last `@`.

use crate::crypto::{self, HashAlgorithm};
use crate::{Error, PolicyError};
use std::fmt;
use std::str::FromStr;

/// A digest algorithm OCI content is addressed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DigestAlgorithm {
    /// `sha256`
    Sha256,
    /// `sha384`
    Sha384,
    /// `sha512`
    Sha512,
}

impl DigestAlgorithm {
    /// Every algorithm.
    pub const ALL: [Self; 3] = [Self::Sha256, Self::Sha384, Self::Sha512];

    /// The algorithm named `name` (`sha256`, `sha384`, `sha512`; exact, lower case).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Its name in a digest.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// How many hex digits a digest of this algorithm has.
    pub const fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
        }
    }

    fn hash(self) -> HashAlgorithm {
        match self {
            Self::Sha256 => HashAlgorithm::Sha256,
            Self::Sha384 => HashAlgorithm::Sha384,
            Self::Sha512 => HashAlgorithm::Sha512,
        }
    }
}

/// What is wrong with a digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestProblem {
    /// No `:` separates an algorithm from the hex.
    #[error("missing ':'")]
    NoAlgorithm,
    /// The algorithm is not sha256, sha384 or sha512.
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The hex is not [`DigestAlgorithm::hex_len`] lower-case hex digits.
    #[error("wrong length or not lower-case hex")]
    NotHex {
        /// The algorithm named.
        algorithm: DigestAlgorithm,
    },
}

/// What is wrong with a repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RepositoryProblem {
    /// It contains `*` (and is not `*` alone, which is no repository either).
    #[error("it contains a wildcard")]
    Wildcard,
    /// It is not `domain/path`.
    #[error("it is not registry/repository")]
    Invalid,
}

/// Why an OCI name does not parse: what is wrong, and with which name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// A digest (alone or in a reference) is invalid.
    #[error("digest {digest:?} is invalid: {problem}")]
    Digest {
        /// The digest (its first 160 characters).
        digest: String,
        /// What is wrong.
        problem: DigestProblem,
    },
    /// An artifact reference has no `@`.
    #[error("artifact reference {reference:?} has no digest (expected registry/repository@sha256:<hex>)")]
    NoDigest {
        /// The reference.
        reference: String,
    },
    /// A repository (alone, or the part of an artifact reference before its `@`) is invalid.
    #[error("repository {repository:?} is invalid: {problem}")]
    Repository {
        /// The artifact reference it is part of, if any.
        reference: Option<String>,
        /// The repository.
        repository: String,
        /// What is wrong.
        problem: RepositoryProblem,
    },
}

impl From<NameError> for Error {
    /// A digest or a missing digest is invalid input; a reference's repository is the policy's
    /// error (where notation-go finds it, selecting the statement); a bare repository is invalid
    /// input.
    fn from(error: NameError) -> Self {
        match error {
            NameError::Repository { reference: Some(reference), repository, .. } => {
                PolicyError::InvalidReferenceRepository { reference, repository }.into()
            }
            other => Self::InvalidInput(other.to_string()),
        }
    }
}

/// An OCI content digest, `algorithm:hex`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    algorithm: DigestAlgorithm,
    hex: String,
}

impl Digest {
    /// The digest of `data` with `algorithm`.
    pub fn of(algorithm: DigestAlgorithm, data: &[u8]) -> Self {
        Self { algorithm, hex: crypto::hex(&crypto::digest(algorithm.hash(), data)) }
    }

    /// Its algorithm.
    pub fn algorithm(&self) -> DigestAlgorithm {
        self.algorithm
    }

    /// Its lower-case hex.
    pub fn hex(&self) -> &str {
        &self.hex
    }
}

impl FromStr for Digest {
    type Err = NameError;

    fn from_str(digest: &str) -> Result<Self, NameError> {
        let bad = |problem| NameError::Digest { digest: digest.chars().take(160).collect(), problem };
        let (name, hex) = digest.split_once(':').ok_or_else(|| bad(DigestProblem::NoAlgorithm))?;
        let algorithm = DigestAlgorithm::from_name(name).ok_or_else(|| bad(DigestProblem::UnsupportedAlgorithm))?;
        let lower_hex = hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex.len() != algorithm.hex_len() || !lower_hex {
            return Err(bad(DigestProblem::NotHex { algorithm }));
        }
        Ok(Self { algorithm, hex: hex.to_owned() })
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.name(), self.hex)
    }
}

/// A repository, `registry/repository` (a trust policy's registry scope names one).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Repository(String);

impl Repository {
    /// The repository as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Repository {
    type Err = NameError;

    fn from_str(repository: &str) -> Result<Self, NameError> {
        check_repository(repository).map_err(|problem| NameError::Repository {
            reference: None,
            repository: repository.to_owned(),
            problem,
        })?;
        Ok(Self(repository.to_owned()))
    }
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An artifact named by content, `registry/repository@algorithm:hex`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArtifactReference {
    repository: Repository,
    digest: Digest,
}

impl ArtifactReference {
    /// The artifact `digest` of `repository`.
    pub fn new(repository: Repository, digest: Digest) -> Self {
        Self { repository, digest }
    }

    /// Its repository.
    pub fn repository(&self) -> &Repository {
        &self.repository
    }

    /// Its digest.
    pub fn digest(&self) -> &Digest {
        &self.digest
    }
}

impl FromStr for ArtifactReference {
    type Err = NameError;

    /// Splits at the last `@` ([`split_reference`]), then checks the digest and then the
    /// repository (the order the verifier reports them in).
    fn from_str(reference: &str) -> Result<Self, NameError> {
        let (repository, digest) =
            split_reference(reference).ok_or_else(|| NameError::NoDigest { reference: reference.to_owned() })?;
        let digest = digest.parse()?;
        let repository = repository.parse().map_err(|e| match e {
            NameError::Repository { repository, problem, .. } => {
                NameError::Repository { reference: Some(reference.to_owned()), repository, problem }
            }
            other => other,
        })?;
        Ok(Self { repository, digest })
    }
}

impl fmt::Display for ArtifactReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.repository, self.digest)
    }
}

/// The OCI digest of `data` with the algorithm named `alg_name` (`sha256`, `sha384`, `sha512`).
pub fn digest_of(alg_name: &str, data: &[u8]) -> Result<String, Error> {
    let algorithm = DigestAlgorithm::from_name(alg_name)
        .ok_or_else(|| Error::InvalidInput(format!("unsupported digest algorithm {alg_name:?}")))?;
    Ok(Digest::of(algorithm, data).to_string())
}

/// The repository and digest parts of `repository@digest`, split at the last `@` and not checked;
/// `None` without an `@`. For callers that report a bad part later, per artifact; everything else
/// parses an [`ArtifactReference`].
pub fn split_reference(reference: &str) -> Option<(&str, &str)> {
    reference.rsplit_once('@')
}

/// Checks a repository (or a non-wildcard registry scope) against the grammar in the module
/// documentation.
pub(crate) fn check_repository(repository: &str) -> Result<(), RepositoryProblem> {
    if repository.len() > 1 && repository.contains('*') {
        return Err(RepositoryProblem::Wildcard);
    }
    match repository.split_once('/') {
        Some((domain, path)) if is_domain(domain) && is_path(path) => Ok(()),
        _ => Err(RepositoryProblem::Invalid),
    }
}

/// `label(.label)*(:port)?` where a label is alphanumeric with inner hyphens.
fn is_domain(domain: &str) -> bool {
    let host = match domain.split_once(':') {
        Some((host, port)) => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            host
        }
        None => domain,
    };
    host.split('.').all(is_domain_label)
}

fn is_domain_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// `component(/component)*`.
fn is_path(path: &str) -> bool {
    path.split('/').all(is_path_component)
}

/// Runs of `[a-z0-9]` joined by `.`, `_`, `__` or one or more `-`.
fn is_path_component(component: &str) -> bool {
    let is_alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if is_alphanumeric(first) && is_alphanumeric(last) => {}
        _ => return false,
    }
    component
        .split(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        .filter(|separator| !separator.is_empty())
        .all(|separator| matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEX64: &str = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    fn digest_problem(digest: &str) -> Option<DigestProblem> {
        match digest.parse::<Digest>() {
            Ok(_) => None,
            Err(NameError::Digest { problem, .. }) => Some(problem),
            Err(other) => panic!("{digest}: {other:?}"),
        }
    }

    #[test]
    fn digests_are_one_of_three_algorithms_with_exact_lower_case_hex() {
        for algorithm in DigestAlgorithm::ALL {
            let text = format!("{}:{}", algorithm.name(), "0".repeat(algorithm.hex_len()));
            let digest: Digest = text.parse().unwrap();
            assert_eq!((digest.algorithm(), digest.to_string()), (algorithm, text));
            let short = format!("{}:{}", algorithm.name(), "0".repeat(algorithm.hex_len() - 1));
            assert_eq!(digest_problem(&short), Some(DigestProblem::NotHex { algorithm }), "{short}");
            let long = format!("{}:{}", algorithm.name(), "0".repeat(algorithm.hex_len() + 1));
            assert_eq!(digest_problem(&long), Some(DigestProblem::NotHex { algorithm }), "{long}");
        }
        let sha256 = DigestAlgorithm::Sha256;
        assert_eq!(
            digest_problem(&format!("sha256:{}", HEX64.to_uppercase())),
            Some(DigestProblem::NotHex { algorithm: sha256 })
        );
        assert_eq!(
            digest_problem(&format!("sha256:{}g", &HEX64[1..])),
            Some(DigestProblem::NotHex { algorithm: sha256 })
        );
        assert_eq!(digest_problem(&format!("SHA256:{HEX64}")), Some(DigestProblem::UnsupportedAlgorithm));
        assert_eq!(digest_problem(&format!("md5:{}", &HEX64[..32])), Some(DigestProblem::UnsupportedAlgorithm));
        assert_eq!(digest_problem(&format!("sha256+b64:{HEX64}")), Some(DigestProblem::UnsupportedAlgorithm));
        assert_eq!(digest_problem(HEX64), Some(DigestProblem::NoAlgorithm));
        assert_eq!(digest_problem(""), Some(DigestProblem::NoAlgorithm));
        assert_eq!(digest_problem("sha256:"), Some(DigestProblem::NotHex { algorithm: sha256 }));
        let error = "sha256:abc".parse::<Digest>().unwrap_err();
        assert_eq!(error.to_string(), r#"digest "sha256:abc" is invalid: wrong length or not lower-case hex"#);
        let long = format!("sha256:{}", "x".repeat(500));
        match long.parse::<Digest>() {
            Err(NameError::Digest { digest, .. }) => assert_eq!(digest.chars().count(), 160, "clipped"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn digest_of_is_the_parsed_digest_of_the_bytes() {
        assert_eq!(digest_of("sha256", b"foo").unwrap(), format!("sha256:{HEX64}"));
        assert!(digest_of("md5", b"foo").is_err());
        let digest = Digest::of(DigestAlgorithm::Sha256, b"foo");
        assert_eq!(digest.to_string(), format!("sha256:{HEX64}"));
        assert_eq!(digest.to_string().parse::<Digest>().unwrap(), digest);
        for algorithm in DigestAlgorithm::ALL {
            let digest = Digest::of(algorithm, b"");
            assert_eq!(digest.hex().len(), algorithm.hex_len());
            assert_eq!(digest.to_string().parse::<Digest>().unwrap(), digest);
        }
    }

    #[test]
    fn references_split_at_the_last_at_and_check_digest_then_repository() {
        let text = format!("localhost:5000/a/b@sha256:{HEX64}");
        let reference: ArtifactReference = text.parse().unwrap();
        assert_eq!(reference.repository().as_str(), "localhost:5000/a/b");
        assert_eq!(reference.digest().hex(), HEX64);
        assert_eq!(reference.to_string(), text);
        assert_eq!(
            "r.io/a:v1".parse::<ArtifactReference>(),
            Err(NameError::NoDigest { reference: "r.io/a:v1".into() })
        );
        let both_bad = "R.io/A@sha256:abc".parse::<ArtifactReference>().unwrap_err();
        assert!(matches!(both_bad, NameError::Digest { .. }), "the digest is checked first: {both_bad:?}");
        for (reference, repository) in [
            (format!("@sha256:{HEX64}"), ""),
            (format!("r.io@sha256:{HEX64}"), "r.io"),
            (format!("r.io/@sha256:{HEX64}"), "r.io/"),
            (format!("r.io/App@sha256:{HEX64}"), "r.io/App"),
            (format!("a@b/c@sha256:{HEX64}"), "a@b/c"),
        ] {
            let expected = NameError::Repository {
                reference: Some(reference.clone()),
                repository: repository.into(),
                problem: RepositoryProblem::Invalid,
            };
            assert_eq!(reference.parse::<ArtifactReference>(), Err(expected.clone()), "{reference}");
            assert!(matches!(Error::from(expected), Error::Policy(PolicyError::InvalidReferenceRepository { .. })));
        }
        assert!(matches!(Error::from("r.io/a".parse::<ArtifactReference>().unwrap_err()), Error::InvalidInput(_)));
        assert!(matches!(Error::from("r.io/A".parse::<Repository>().unwrap_err()), Error::InvalidInput(_)));
        assert_eq!(split_reference("a@b@c"), Some(("a@b", "c")));
        assert_eq!(split_reference("a"), None);
    }

    #[test]
    fn repositories_accept_and_reject_like_notation() {
        for ok in [
            "registry.acme-rockets.io/software/net-monitor",
            "localhost:5000/net-monitor",
            "localhost:123456/net-monitor",
            "local/myoci_layout",
            "a/b__c",
            "a/b---c.d",
            "example/software",
            "A-1.b:1/x/y/z",
        ] {
            assert_eq!(check_repository(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "registry.io",
            "registry.io/",
            "/repo",
            "registry.io/Repo",
            "registry.io/a..b",
            "registry.io/a___b",
            "registry.io/a/",
            "registry.io//a",
            "-a.io/b",
            "a..io/b",
            "a.io:/b",
            "a.io:80:90/b",
            "[::1]:5000/b",
            "a.io/b:tag",
            "https://a.io/b",
        ] {
            assert_eq!(check_repository(bad), Err(RepositoryProblem::Invalid), "{bad}");
        }
        assert_eq!(check_repository("a.io/*"), Err(RepositoryProblem::Wildcard));
        assert_eq!(check_repository("*"), Err(RepositoryProblem::Invalid));
    }

    const DOMAIN: &str = r"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?$";
    const REPOSITORY: &str =
        r"^[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$";

    /// notation-go's check with its regular expressions, as the oracle.
    fn reference_check(scope: &str) -> Result<(), RepositoryProblem> {
        let domain_re = regex::Regex::new(DOMAIN).map_err(|_| RepositoryProblem::Invalid)?;
        let repository_re = regex::Regex::new(REPOSITORY).map_err(|_| RepositoryProblem::Invalid)?;
        if scope.len() > 1 && scope.contains('*') {
            return Err(RepositoryProblem::Wildcard);
        }
        match scope.split_once('/') {
            Some((d, r)) if !d.is_empty() && !r.is_empty() && domain_re.is_match(d) && repository_re.is_match(r) => {
                Ok(())
            }
            _ => Err(RepositoryProblem::Invalid),
        }
    }

    proptest! {
        #[test]
        fn matches_the_regular_expressions(scope in "[a-zA-Z0-9._:/*-]{0,24}") {
            prop_assert_eq!(check_repository(&scope), reference_check(&scope));
        }

        #[test]
        fn matches_the_regular_expressions_on_likely_scopes(
            scope in "[a-z0-9]{1,3}([.-][a-z0-9]{1,3}){0,2}(:[0-9]{1,4})?/[a-z0-9]{1,3}([._-]{1,3}[a-z0-9]{1,3}){0,3}(/[a-z0-9_.-]{1,4}){0,2}"
        ) {
            prop_assert_eq!(check_repository(&scope), reference_check(&scope));
        }
    }
}
