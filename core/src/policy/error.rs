//! What can be wrong with a trust policy document. Messages follow notation-go's wording and
//! always name the statement and the offending value.

use crate::CheckType;
use std::fmt;

/// The two kinds of trust policy document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// `trustpolicy.oci.json`: statements selected by registry scope.
    Oci,
    /// `trustpolicy.blob.json`: statements selected by name or `globalPolicy`.
    Blob,
}

impl PolicyKind {
    /// `oci` or `blob`, as notation names them in messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Oci => "oci",
            Self::Blob => "blob",
        }
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a distinguished name (an `x509.subject` identity or a certificate subject) is unusable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DnProblem {
    /// The DN contains `=#` (a hex-encoded BER value), which notation refuses.
    #[error("notation does not support x509.subject identities containing \"=#\"")]
    HexValue,
    /// The text does not follow RFC 4514.
    #[error("it does not follow RFC 4514: {reason}")]
    Syntax {
        /// What is wrong, in go-ldap's words.
        reason: &'static str,
    },
    /// An attribute type is empty (`=value`).
    #[error("it has an attribute with an empty type")]
    EmptyAttributeType,
    /// An escaped value does not decode to UTF-8.
    #[error("an escaped attribute value is not valid UTF-8")]
    InvalidUtf8,
    /// An RDN has several attributes joined with `+`.
    #[error("it has multi-valued RDN attributes, remove multi-valued RDN attributes as they are not supported")]
    MultiValuedRdn,
    /// An attribute type occurs twice (`S` counts as `ST`).
    #[error("it has duplicate RDN attribute for {attribute:?}, DN can only have unique RDN attributes")]
    DuplicateAttribute {
        /// The repeated attribute type.
        attribute: String,
    },
    /// `C`, `ST` or `O` is missing or empty.
    #[error(
        "it has no mandatory RDN attribute for {attribute:?}, it must contain 'C', 'ST', and 'O' RDN attributes at a minimum"
    )]
    MissingMandatory {
        /// `C`, `ST` or `O`.
        attribute: &'static str,
    },
}

/// An invalid trust policy document, or no statement for an artifact.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The document is not JSON of the expected shape: a syntax error, a value of the wrong
    /// type, an unknown or duplicate member.
    #[error("malformed trust policy: {reason}")]
    Malformed {
        /// The parser's description, with line and column.
        reason: String,
    },
    /// The document is larger, deeper or has more items than a limit in [`crate::limits`].
    #[error("trust policy {what} exceeds the limit of {limit} (got {actual})")]
    LimitExceeded {
        /// What was too large or too many.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What the document had (for nesting depth: the first depth past the limit).
        actual: usize,
    },
    /// `version` is missing or empty.
    #[error("{kind} trust policy document has empty version, version must be specified")]
    EmptyVersion {
        /// Which document.
        kind: PolicyKind,
    },
    /// `version` is not `1.0`.
    #[error("{kind} trust policy document uses unsupported version {version:?}")]
    UnsupportedVersion {
        /// Which document.
        kind: PolicyKind,
        /// The version found.
        version: String,
    },
    /// `trustPolicies` is missing or empty.
    #[error("{kind} trust policy document can not have zero trust policy statements")]
    NoStatements {
        /// Which document.
        kind: PolicyKind,
    },
    /// A statement's `name` is missing or empty.
    #[error("the trust policy statement at index {index} is missing a name, every statement requires a name")]
    MissingName {
        /// Zero-based position of the statement in `trustPolicies`.
        index: usize,
    },
    /// Two statements have the same `name`.
    #[error("multiple {kind} trust policy statements use the same name {name:?}, statement names must be unique")]
    DuplicateName {
        /// Which document.
        kind: PolicyKind,
        /// The repeated name.
        name: String,
    },
    /// A statement has a member of the other document kind (`registryScopes` in a blob policy,
    /// `globalPolicy` in an OCI policy).
    #[error("trust policy statement {statement:?} has member {member:?}, which a {kind} trust policy does not have")]
    ForeignMember {
        /// Which document.
        kind: PolicyKind,
        /// The statement's name.
        statement: String,
        /// The member.
        member: &'static str,
    },
    /// `signatureVerification.level` is missing or empty.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: signature verification level is empty or missing in the trust policy statement"
    )]
    EmptyLevel {
        /// The statement's name.
        statement: String,
    },
    /// `signatureVerification.level` is not `strict`, `permissive`, `audit` or `skip`.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: invalid signature verification level {level:?}"
    )]
    UnknownLevel {
        /// The statement's name.
        statement: String,
        /// The level found.
        level: String,
    },
    /// `override` is used with level `skip`.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: signature verification level \"skip\" can't be used to customize signature verification"
    )]
    OverrideOnSkip {
        /// The statement's name.
        statement: String,
    },
    /// An `override` key is not a check name.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: verification type {check:?} in custom signature verification is not supported, supported values are [\"integrity\" \"authenticity\" \"authenticTimestamp\" \"expiry\" \"revocation\"]"
    )]
    UnknownOverrideCheck {
        /// The statement's name.
        statement: String,
        /// The key found.
        check: String,
    },
    /// An `override` value is not `enforce`, `log` or `skip`.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: verification action {action:?} in custom signature verification is not supported, supported values are [\"enforce\" \"log\" \"skip\"]"
    )]
    UnknownOverrideAction {
        /// The statement's name.
        statement: String,
        /// The check whose action is wrong.
        check: CheckType,
        /// The value found.
        action: String,
    },
    /// `override` names `integrity`, which can never be changed.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: \"integrity\" verification can not be overridden in custom signature verification"
    )]
    IntegrityOverride {
        /// The statement's name.
        statement: String,
    },
    /// `override` sets `skip` for a check other than `revocation`.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: \"{check}\" verification can not be skipped in custom signature verification"
    )]
    SkippedCheckOverride {
        /// The statement's name.
        statement: String,
        /// The check.
        check: CheckType,
    },
    /// `verifyTimestamp` is not `always` or `afterCertExpiry`.
    #[error(
        "trust policy statement {statement:?} has invalid signatureVerification: verifyTimestamp {value:?} is not supported, supported values are \"always\" and \"afterCertExpiry\""
    )]
    InvalidVerifyTimestamp {
        /// The statement's name.
        statement: String,
        /// The value found.
        value: String,
    },
    /// Level `skip` with trust stores or trusted identities.
    #[error(
        "trust policy statement {statement:?} is set to skip signature verification but configured with trust stores and/or trusted identities, remove them if signature verification needs to be skipped"
    )]
    SkipWithTrustSettings {
        /// The statement's name.
        statement: String,
    },
    /// A level other than `skip` without trust stores or without trusted identities.
    #[error(
        "trust policy statement {statement:?} is either missing trust stores or trusted identities, both must be specified"
    )]
    MissingTrustSettings {
        /// The statement's name.
        statement: String,
    },
    /// A trust store entry without `:`.
    #[error(
        "trust policy statement {statement:?} has malformed trust store value {value:?}. The required format is <TrustStoreType>:<TrustStoreName>"
    )]
    MalformedTrustStore {
        /// The statement's name.
        statement: String,
        /// The entry.
        value: String,
    },
    /// A trust store type other than `ca`, `signingAuthority` or `tsa`.
    #[error(
        "trust policy statement {statement:?} uses an unsupported trust store type {store_type:?} in trust store value {value:?}"
    )]
    UnsupportedTrustStoreType {
        /// The statement's name.
        statement: String,
        /// The type found.
        store_type: String,
        /// The entry.
        value: String,
    },
    /// A trust store name outside `[a-zA-Z0-9_.-]+`.
    #[error(
        "trust policy statement {statement:?} uses an unsupported trust store name {store_name:?} in trust store value {value:?}. Named store name needs to follow [a-zA-Z0-9_.-]+ format"
    )]
    InvalidTrustStoreName {
        /// The statement's name.
        statement: String,
        /// The name found.
        store_name: String,
        /// The entry.
        value: String,
    },
    /// `*` is listed with other trusted identities.
    #[error(
        "trust policy statement {statement:?} uses a wildcard trusted identity '*', a wildcard identity cannot be used in conjunction with other values"
    )]
    WildcardIdentityMixed {
        /// The statement's name.
        statement: String,
    },
    /// A trusted identity is the empty string.
    #[error("trust policy statement {statement:?} has an empty trusted identity")]
    EmptyIdentity {
        /// The statement's name.
        statement: String,
    },
    /// A trusted identity without `:`.
    #[error("trust policy statement {statement:?} has trusted identity {identity:?} missing separator")]
    IdentityMissingSeparator {
        /// The statement's name.
        statement: String,
        /// The entry.
        identity: String,
    },
    /// `x509.subject:` with nothing after the colon.
    #[error("trust policy statement {statement:?} has trusted identity {identity:?} without an identity value")]
    IdentityWithoutValue {
        /// The statement's name.
        statement: String,
        /// The entry.
        identity: String,
    },
    /// An `x509.subject` value that is not a usable distinguished name.
    #[error(
        "trust policy statement {statement:?} has trusted identity {identity:?} with invalid identity value: {problem}"
    )]
    InvalidIdentity {
        /// The statement's name.
        statement: String,
        /// The entry.
        identity: String,
        /// What is wrong with the DN.
        problem: DnProblem,
    },
    /// One `x509.subject` identity's attributes are a subset of another's (identical entries
    /// included).
    #[error(
        "trust policy statement {statement:?} has overlapping x509 trustedIdentities, {identity:?} overlaps with {other:?}"
    )]
    OverlappingIdentities {
        /// The statement's name.
        statement: String,
        /// The identity that is a subset.
        identity: String,
        /// The identity it is a subset of.
        other: String,
    },
    /// An OCI statement without registry scopes.
    #[error(
        "oci trust policy statement {statement:?} has zero registry scopes, it must specify registry scopes with at least one value"
    )]
    NoRegistryScopes {
        /// The statement's name.
        statement: String,
    },
    /// `*` is listed with other registry scopes.
    #[error(
        "oci trust policy statement {statement:?} uses wildcard registry scope '*', a wildcard scope cannot be used in conjunction with other scope values"
    )]
    WildcardScopeMixed {
        /// The statement's name.
        statement: String,
    },
    /// A registry scope other than `*` that contains `*`.
    #[error(
        "oci trust policy statement {statement:?} has registry scope {scope:?} with wild card(s) which is not valid, make sure it is a fully qualified repository without the scheme, protocol or tag. For example domain.com/my/repository or a local scope like local/myOCILayout"
    )]
    WildcardInScope {
        /// The statement's name.
        statement: String,
        /// The scope.
        scope: String,
    },
    /// A registry scope that is not `domain/repository`.
    #[error(
        "oci trust policy statement {statement:?} has registry scope {scope:?} which is not valid, make sure it is a fully qualified repository without the scheme, protocol or tag. For example domain.com/my/repository or a local scope like local/myOCILayout"
    )]
    InvalidScope {
        /// The statement's name.
        statement: String,
        /// The scope.
        scope: String,
    },
    /// One registry scope in two statements.
    #[error(
        "registry scope {scope:?} is present in multiple oci trust policy statements ({first:?} and {second:?}), one registry scope value can only be associated with one statement"
    )]
    ScopeInMultipleStatements {
        /// The scope.
        scope: String,
        /// The first statement that has it.
        first: String,
        /// The next statement that has it.
        second: String,
    },
    /// Two blob statements with `globalPolicy: true`.
    #[error(
        "multiple blob trust policy statements ({first:?} and {second:?}) have globalPolicy set to true. Only one trust policy statement should be marked as global policy"
    )]
    MultipleGlobalPolicies {
        /// The first global statement.
        first: String,
        /// The next global statement.
        second: String,
    },
    /// A blob statement with `globalPolicy: true` and level `skip`.
    #[error(
        "blob trust policy statement {statement:?} is a global policy and cannot use signature verification level \"skip\""
    )]
    GlobalPolicySkip {
        /// The statement's name.
        statement: String,
    },
    /// An artifact reference without `@` (a tag instead of a digest).
    #[error(
        "artifact URI {reference:?} could not be parsed, make sure it is the fully qualified oci artifact URI without the scheme/protocol. e.g domain.com:80/my/repository@sha256:digest"
    )]
    ReferenceWithoutDigest {
        /// The reference.
        reference: String,
    },
    /// The part of an artifact reference before the last `@` is not `domain/repository`.
    #[error(
        "artifact URI {reference:?} has repository {repository:?} which is not valid, make sure it is a fully qualified repository without the scheme, protocol or tag"
    )]
    InvalidReferenceRepository {
        /// The reference.
        reference: String,
        /// The part before the last `@`.
        repository: String,
    },
    /// A blob policy name that is empty or only whitespace.
    #[error("policy name cannot be empty")]
    EmptyPolicyName,
    /// No statement's scope (or name) matches.
    #[error("{}", no_applicable_message(*kind, reference))]
    NoApplicableStatement {
        /// The artifact reference, or the blob policy name looked up (empty when the global blob
        /// policy was looked up).
        reference: String,
        /// Which document was searched.
        kind: PolicyKind,
    },
    /// A distinguished name given to [`crate::DistinguishedName::parse`] is unusable.
    #[error("distinguished name (DN) {dn:?} is not valid: {problem}")]
    InvalidDistinguishedName {
        /// The text parsed.
        dn: String,
        /// What is wrong with it.
        problem: DnProblem,
    },
}

fn no_applicable_message(kind: PolicyKind, reference: &str) -> String {
    match kind {
        PolicyKind::Oci => format!(
            "artifact {reference:?} has no applicable oci trust policy statement. Trust policy applicability for a given artifact is determined by registryScopes"
        ),
        PolicyKind::Blob if reference.is_empty() => "no global blob trust policy".to_owned(),
        PolicyKind::Blob => format!("no applicable blob trust policy with name {reference:?}"),
    }
}
