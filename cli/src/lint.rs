//! `policy lint`: what a *valid* trust policy, its trust store folders, an exceptions file and a
//! retired material file can still get wrong in a rollout: a catch-all scope, one key trusted for
//! every pipeline, revocation turned off at `strict`, exceptions that never end, retired keys
//! left where the policy still trusts them, store folders nobody uses or that are missing.
//!
//! Pure: `commands::policy` loads everything with the CLI's usual loaders; this module reads no
//! file and no clock. The finding ids are a contract (scripts match on them); [`RULES`] is the one
//! table of ids, severities and descriptions, and docs/rollout.md documents each (a test checks).
//!
//! Which statements "enforce": every level but `skip` enforces **integrity** (strict, permissive
//! and audit all fail an artifact that has no signature or only tampered ones), which is what
//! `wildcard-scope` is about. **Authenticity** (who is trusted) is enforced at strict and
//! permissive, and wherever an `override` sets it to `enforce`; at audit it is only logged, so
//! `any-identity` and `shared-signer` look only at statements that enforce authenticity.

use notaverify::policy::{TrustPolicyDocument, TrustPolicyStatement, TrustedIdentities};
use notaverify::{Action, CheckType, LevelName, StoreType, Time, TrustStore};
use notaverify_posture::{Exceptions, RetiredMaterial};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// An exception whose deadline is more than this many days after the lint time is effectively
/// permanent (`exception-far-deadline`).
pub const FAR_DEADLINE_DAYS: i64 = 180;

/// Seconds in a day.
const DAY_SECS: i64 = 86_400;

/// How bad a finding is. Every finding, whatever its severity, makes `policy lint` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The configuration does not do what it says, or trusts what it must not.
    Error,
    /// It works, but trusts or blocks more than a rollout usually means to.
    Warning,
    /// Housekeeping: nothing is trusted or blocked because of it.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// What a finding is about; the order is that of [`RULES`] (by severity, then by name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Id {
    /// `missing-store`.
    MissingStore,
    /// `retired-still-trusted`.
    RetiredStillTrusted,
    /// `any-identity`.
    AnyIdentity,
    /// `exception-far-deadline`.
    ExceptionFarDeadline,
    /// `revocation-off`.
    RevocationOff,
    /// `shared-signer`.
    SharedSigner,
    /// `wildcard-scope`.
    WildcardScope,
    /// `exception-expired`.
    ExceptionExpired,
    /// `unused-store`.
    UnusedStore,
}

/// One kind of finding: its stable id, severity and a one-line description.
#[derive(Debug)]
pub struct Rule {
    /// The enum value.
    pub id: Id,
    /// The stable id printed and put in JSON.
    pub name: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// What it means, in one line.
    pub description: &'static str,
}

/// Every finding id, in [`Id`] order. The ids are a contract: never rename one.
pub const RULES: &[Rule] = &[
    Rule {
        id: Id::MissingStore,
        name: "missing-store",
        severity: Severity::Error,
        description: "a statement names a trust store folder that does not exist or holds no certificate",
    },
    Rule {
        id: Id::RetiredStillTrusted,
        name: "retired-still-trusted",
        severity: Severity::Error,
        description: "a retired certificate is still in a trust store a statement names",
    },
    Rule {
        id: Id::AnyIdentity,
        name: "any-identity",
        severity: Severity::Warning,
        description: "trustedIdentities \"*\": any certificate chaining to the trust stores is trusted",
    },
    Rule {
        id: Id::ExceptionFarDeadline,
        name: "exception-far-deadline",
        severity: Severity::Warning,
        description: "an exception expires more than 180 days after the lint time (--at)",
    },
    Rule {
        id: Id::RevocationOff,
        name: "revocation-off",
        severity: Severity::Warning,
        description: "level strict with an override setting revocation to skip or log",
    },
    Rule {
        id: Id::SharedSigner,
        name: "shared-signer",
        severity: Severity::Warning,
        description: "every statement that enforces authenticity trusts the same signer (store and identity)",
    },
    Rule {
        id: Id::WildcardScope,
        name: "wildcard-scope",
        severity: Severity::Warning,
        description: "registryScopes \"*\" on a statement that enforces (level strict, permissive or audit)",
    },
    Rule {
        id: Id::ExceptionExpired,
        name: "exception-expired",
        severity: Severity::Info,
        description: "an exception has expired and is never applied",
    },
    Rule {
        id: Id::UnusedStore,
        name: "unused-store",
        severity: Severity::Info,
        description: "a trust store folder that no statement (nor the retired material file) names",
    },
];

impl Id {
    /// Its row of [`RULES`].
    pub fn rule(self) -> &'static Rule {
        let rule = &RULES[self as usize];
        debug_assert_eq!(rule.id, self, "RULES is in Id order");
        rule
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// What it is (its rule gives the severity).
    pub id: Id,
    /// The statement it concerns, when it concerns one.
    pub statement: Option<String>,
    /// The statements it concerns, when it concerns several (`shared-signer`), sorted.
    pub statements: Vec<String>,
    /// The exception it concerns (its scope, `repo` or `repo@digest`).
    pub exception: Option<String>,
    /// The trust store it concerns (`ca:name`).
    pub store: Option<String>,
    /// The trust stores it concerns (`shared-signer`), sorted.
    pub stores: Vec<String>,
    /// The exception's owner and deadline as written, for exception findings.
    pub owner: Option<String>,
    /// See `owner`.
    pub expires: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Finding {
    fn new(id: Id, message: String) -> Self {
        Self {
            id,
            statement: None,
            statements: Vec::new(),
            exception: None,
            store: None,
            stores: Vec::new(),
            owner: None,
            expires: None,
            message,
        }
    }

    /// Its rule (stable id, severity, description).
    pub fn rule(&self) -> &'static Rule {
        self.id.rule()
    }
}

/// Everything `policy lint` looks at, loaded.
pub struct Inputs<'a> {
    /// The OCI trust policy.
    pub policy: &'a TrustPolicyDocument,
    /// The trust stores the policy names, loaded from the configuration directory.
    pub trust_store: &'a TrustStore,
    /// The store folders of the configuration directory (`truststore/x509/<type>/<name>`).
    pub store_folders: &'a [(StoreType, String)],
    /// Stores named by another policy of the configuration directory (the blob policy): used.
    pub other_policy_stores: &'a [(StoreType, String)],
    /// The exceptions file, if given.
    pub exceptions: Option<&'a Exceptions>,
    /// The retired material file, if given.
    pub retired: Option<&'a RetiredMaterial>,
    /// The lint time (exceptions are measured against it).
    pub at: Time,
}

/// Every finding, sorted by severity, id, then what it concerns (the order of the inputs never
/// changes the result).
pub fn lint(inputs: &Inputs<'_>) -> Vec<Finding> {
    let statements = inputs.policy.statements();
    let mut findings = Vec::new();
    for statement in statements {
        wildcard_scope(statement, &mut findings);
        any_identity(statement, &mut findings);
        revocation_off(statement, &mut findings);
        missing_stores(statement, inputs, &mut findings);
    }
    shared_signer(statements, &mut findings);
    retired_still_trusted(inputs, &mut findings);
    unused_stores(inputs, &mut findings);
    if let Some(exceptions) = inputs.exceptions {
        exception_deadlines(exceptions, inputs.at, &mut findings);
    }
    findings.sort();
    findings.dedup();
    findings
}

/// `ca:name`.
fn label((store_type, name): &(StoreType, String)) -> String {
    format!("{}:{name}", store_type.as_str())
}

/// The level as a person reads it: `strict`, or `strict with overrides`.
fn level_text(statement: &TrustPolicyStatement) -> String {
    let level = statement.level();
    if level.is_custom() {
        format!("{} with overrides", level.name().as_str())
    } else {
        level.name().as_str().to_owned()
    }
}

/// Every level but skip fails an unsigned or tampered artifact.
fn enforces_integrity(statement: &TrustPolicyStatement) -> bool {
    statement.level().name() != LevelName::Skip
}

/// Strict and permissive, and any level an override makes enforce authenticity.
fn enforces_authenticity(statement: &TrustPolicyStatement) -> bool {
    statement.level().action(CheckType::Authenticity) == Action::Enforce
}

/// The stores that anchor signing chains (not the `tsa` ones), sorted.
fn signing_stores(statement: &TrustPolicyStatement) -> BTreeSet<(StoreType, String)> {
    statement.trust_stores().iter().filter(|(t, _)| *t != StoreType::Tsa).cloned().collect()
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

fn wildcard_scope(statement: &TrustPolicyStatement, findings: &mut Vec<Finding>) {
    if !enforces_integrity(statement) || !statement.registry_scopes().iter().any(|s| s == "*") {
        return;
    }
    let what = if enforces_authenticity(statement) {
        "must be signed by a signer this statement trusts"
    } else {
        "must carry an intact signature (audit enforces only integrity, which still fails an unsigned image)"
    };
    let mut finding = Finding::new(
        Id::WildcardScope,
        format!(
            "registryScopes \"*\" at level {}: every artifact of every repository that no other statement names {what}, \
             so a registry's unsigned legacy images fail; name the repositories being rolled out in registryScopes \
             (keep a catch-all only at level skip), or give legacy repositories their own statement or exceptions",
            level_text(statement)
        ),
    );
    finding.statement = Some(statement.name().to_owned());
    findings.push(finding);
}

fn any_identity(statement: &TrustPolicyStatement, findings: &mut Vec<Finding>) {
    if !enforces_authenticity(statement) || *statement.trusted_identities() != TrustedIdentities::Any {
        return;
    }
    let stores = match list(signing_stores(statement).iter().map(label)) {
        stores if stores.is_empty() => "no signing trust store".to_owned(),
        stores => stores,
    };
    let mut finding = Finding::new(
        Id::AnyIdentity,
        format!(
            "trustedIdentities \"*\": any certificate that chains to {stores} is trusted, whoever it was issued to; \
             list the signers as \"x509.subject: ...\" identities"
        ),
    );
    finding.statement = Some(statement.name().to_owned());
    findings.push(finding);
}

fn revocation_off(statement: &TrustPolicyStatement, findings: &mut Vec<Finding>) {
    let level = statement.level();
    let action = level.action(CheckType::Revocation);
    if level.name() != LevelName::Strict || action == Action::Enforce {
        return;
    }
    let effect = match action {
        Action::Skip => "revocation is never checked, so a revoked signing certificate passes",
        _ => "a revoked signing certificate (or one whose status is unknown) passes with only a log line",
    };
    let mut finding = Finding::new(
        Id::RevocationOff,
        format!(
            "level strict with \"revocation\": \"{}\": {effect}; remove the override and give revocation evidence \
             offline (--crl, --ocsp-response, --crl-cache)",
            action.as_str()
        ),
    );
    finding.statement = Some(statement.name().to_owned());
    findings.push(finding);
}

fn missing_stores(statement: &TrustPolicyStatement, inputs: &Inputs<'_>, findings: &mut Vec<Finding>) {
    for store in statement.trust_stores() {
        let (store_type, name) = store;
        if inputs.trust_store.contains_store(*store_type, name) {
            continue;
        }
        let state = if inputs.store_folders.contains(store) { "holds no certificate" } else { "does not exist" };
        let mut finding = Finding::new(
            Id::MissingStore,
            format!(
                "trustStores names {}, but the folder truststore/x509/{}/{name} {state}: no signature can anchor \
                 there (authenticity fails); add the certificates to the folder, or remove the entry",
                label(store),
                store_type.as_str()
            ),
        );
        finding.statement = Some(statement.name().to_owned());
        finding.store = Some(label(store));
        findings.push(finding);
    }
}

fn shared_signer(statements: &[TrustPolicyStatement], findings: &mut Vec<Finding>) {
    let enforcing: Vec<&TrustPolicyStatement> = statements.iter().filter(|s| enforces_authenticity(s)).collect();
    if enforcing.len() < 2 {
        return;
    }
    // Signing stores every statement names, and identities every statement trusts (`None`: any
    // identity, as long as every statement so far has "*").
    let mut stores: Option<BTreeSet<(StoreType, String)>> = None;
    let mut identities: Option<BTreeSet<String>> = None;
    for statement in &enforcing {
        let own = signing_stores(statement);
        stores = Some(match stores {
            None => own,
            Some(common) => common.intersection(&own).cloned().collect(),
        });
        if let TrustedIdentities::Subjects(subjects) = statement.trusted_identities() {
            let own: BTreeSet<String> = subjects.iter().map(ToString::to_string).collect();
            identities = Some(match identities {
                None => own,
                Some(common) => common.intersection(&own).cloned().collect(),
            });
        }
    }
    let stores = stores.unwrap_or_default();
    if stores.is_empty() || identities.as_ref().is_some_and(BTreeSet::is_empty) {
        return;
    }
    let who = match &identities {
        None => "any identity".to_owned(),
        Some(ids) => list(ids.iter().map(|dn| format!("x509.subject: {dn}"))),
    };
    let mut names: Vec<String> = enforcing.iter().map(|s| s.name().to_owned()).collect();
    names.sort();
    let mut finding = Finding::new(
        Id::SharedSigner,
        format!(
            "every statement that enforces authenticity ({}) trusts the same signer: {who} from {}; one key signs \
             for every pipeline, so whoever can sign one can sign all. Give each pipeline its own signing identity \
             or trust store",
            list(names.iter().cloned()),
            list(stores.iter().map(label))
        ),
    );
    finding.statements = names;
    finding.stores = stores.iter().map(label).collect();
    findings.push(finding);
}

fn retired_still_trusted(inputs: &Inputs<'_>, findings: &mut Vec<Finding>) {
    let Some(retired) = inputs.retired else {
        return;
    };
    let named: BTreeSet<(StoreType, String)> =
        inputs.policy.statements().iter().flat_map(|s| s.trust_stores().iter().cloned()).collect();
    for store in named {
        let certificates: BTreeSet<String> = retired
            .still_in(inputs.trust_store, std::slice::from_ref(&store))
            .into_iter()
            .map(|(_, m)| {
                format!(
                    "{} (sha256 {}, retired {} by {})",
                    m.subject.as_deref().unwrap_or("?"),
                    m.sha256_fingerprint,
                    m.retired,
                    m.declared_by
                )
            })
            .collect();
        if certificates.is_empty() {
            continue;
        }
        for statement in inputs.policy.statements().iter().filter(|s| s.trust_stores().contains(&store)) {
            let mut message = format!("trustStores names {}, which still holds retired material: ", label(&store));
            message.push_str(&list(certificates.iter().cloned()));
            let _ = write!(
                message,
                "; verification without --retired trusts it. Remove the certificate from the folder, or {} from \
                 trustStores if the whole store is retired",
                label(&store)
            );
            let mut finding = Finding::new(Id::RetiredStillTrusted, message);
            finding.statement = Some(statement.name().to_owned());
            finding.store = Some(label(&store));
            findings.push(finding);
        }
    }
}

fn unused_stores(inputs: &Inputs<'_>, findings: &mut Vec<Finding>) {
    let mut used: BTreeSet<(StoreType, String)> =
        inputs.policy.statements().iter().flat_map(|s| s.trust_stores().iter().cloned()).collect();
    used.extend(inputs.other_policy_stores.iter().cloned());
    if let Some(retired) = inputs.retired {
        used.extend(retired.stores());
    }
    for store in inputs.store_folders {
        if used.contains(store) {
            continue;
        }
        let mut finding = Finding::new(
            Id::UnusedStore,
            format!(
                "the folder truststore/x509/{}/{} is named by no statement (nor by the retired material file): its \
                 certificates are never used; remove the folder if it is left over, or declare it in the retired \
                 material file if it holds a rotated-out key",
                store.0.as_str(),
                store.1
            ),
        );
        finding.store = Some(label(store));
        findings.push(finding);
    }
}

fn exception_deadlines(exceptions: &Exceptions, at: Time, findings: &mut Vec<Finding>) {
    let far = at.saturating_add_secs(FAR_DEADLINE_DAYS * DAY_SECS);
    for exception in exceptions.entries() {
        let days = exception.days_left(at);
        let message = if !exception.in_force(at) {
            Some((
                Id::ExceptionExpired,
                format!(
                    "expired {} (deadline {}) and is never applied: the artifacts it names fail again; remove it, \
                     or give it a new deadline if the work is still planned",
                    match -days {
                        ..=0 => "today".to_owned(),
                        1 => "1 day ago".to_owned(),
                        ago => format!("{ago} days ago"),
                    },
                    exception.expires
                ),
            ))
        } else if exception.expires_at > far {
            Some((
                Id::ExceptionFarDeadline,
                format!(
                    "expires on {} ({days} days after {}), more than {FAR_DEADLINE_DAYS} days away: an exception \
                     that far out is effectively permanent; set a deadline within {FAR_DEADLINE_DAYS} days and \
                     renew it when needed",
                    exception.expires,
                    at.to_rfc3339()
                ),
            ))
        } else {
            None
        };
        if let Some((id, message)) = message {
            let mut finding = Finding::new(id, message);
            finding.exception = Some(exception.scope.as_string());
            finding.owner = Some(exception.owner.clone());
            finding.expires = Some(exception.expires.clone());
            findings.push(finding);
        }
    }
}

/// The `--help` section listing every finding.
pub fn help() -> String {
    let mut help = String::from(
        "EXIT STATUS\n  0  no finding\n  1  findings (of any severity)\n  2  could not lint: an unreadable or invalid \
         policy, trust store, exceptions or retired material file,\n     or an unreadable configuration \
         directory\n\nFINDINGS (docs/rollout.md, \"policy lint\", has the fix of each)\n",
    );
    for rule in RULES {
        let _ = writeln!(help, "  {:<8} {:<23} {}", rule.severity.as_str(), rule.name, rule.description);
    }
    let _ = write!(
        help,
        "\nJSON OUTPUT (-o json)\n  {{\"findings\": [{{\"id\": str, \"severity\": \"error|warning|info\", \"statement\": \
         str|null,\n                 \"exception\": str|null, \"store\": str|null, \"message\": str, ...}}],\n   \
         \"counts\": {{\"error\": n, \"warning\": n, \"info\": n}}, \"error\": {{\"code\": str, \"message\": str}}|null}}"
    );
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_id_order_sorted_by_severity_then_name() {
        for (index, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id as usize, index, "{}", rule.name);
            assert_eq!(rule.id.rule().name, rule.name);
        }
        for pair in RULES.windows(2) {
            assert!((pair[0].severity, pair[0].name) < (pair[1].severity, pair[1].name), "{}", pair[1].name);
        }
        let far = RULES.iter().find(|r| r.id == Id::ExceptionFarDeadline).unwrap();
        assert!(far.description.contains(&FAR_DEADLINE_DAYS.to_string()));
    }

    #[test]
    fn docs_rollout_documents_every_finding() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rollout.md")).unwrap();
        let section = docs.split("\n## policy lint").nth(1).expect("docs/rollout.md has a \"## policy lint\" section");
        let section = section.split("\n## ").next().unwrap_or_default();
        for rule in RULES {
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", rule.name)))
                .unwrap_or_else(|| panic!("docs/rollout.md does not document {}", rule.name));
            assert!(row.contains(&format!("| {} |", rule.severity.as_str())), "severity of {}: {row}", rule.name);
        }
        assert!(section.contains(&FAR_DEADLINE_DAYS.to_string()));
    }
}
