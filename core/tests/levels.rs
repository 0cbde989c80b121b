//! Every verification level × check combination through the workflow (notation-verification.md
//! §7.7, §8.3, §9.1): an enforced failure fails the verdict and stops the run, a logged failure
//! is recorded and the signature still verifies, a skipped check is absent. Integrity, the target
//! match and user metadata are fatal at every level; level `skip` verifies nothing; a trusted
//! identity failure overwrites the authenticity result.
//!
//! One envelope per failing check, each failing only that check at the verification time below:
//! expired.jws → expiry, untrusted.jws → authenticity, expired-leaf.jws → authenticTimestamp,
//! extra/envelopes/revocable.jws → revocation (OCSP/CRL URLs, no evidence → unknown).

mod common;

use common::*;
use notaverify::{Action, ArtifactOutcome, CheckType, FailureKind, LevelName, SignatureInput, Time, VerifyOptions};

/// After expired.jws's expiry (2025-06-02), inside every other fixture's validity.
fn at() -> Time {
    Time::parse_rfc3339("2025-07-01T00:00:00Z").unwrap()
}

/// notation's order of results (§9.1).
const ORDER: [CheckType; 5] = [CheckType::Integrity, Authenticity, Expiry, AuthenticTimestamp, Revocation];

/// The level table of the spec (§7.7), independent of the core's.
fn base_action(level: &str, check: CheckType) -> Action {
    use Action::*;
    use CheckType::*;
    match (level, check) {
        (_, Integrity) => Enforce,
        ("strict", _) => Enforce,
        ("permissive", Authenticity) => Enforce,
        ("permissive", _) => Log,
        ("audit", _) => Log,
        _ => panic!("{level}"),
    }
}

struct Spec {
    level: &'static str,
    overrides: &'static [(CheckType, Action)],
}

impl Spec {
    fn action(&self, check: CheckType) -> Action {
        self.overrides.iter().find(|(c, _)| *c == check).map_or(base_action(self.level, check), |(_, a)| *a)
    }

    fn extra(&self) -> String {
        if self.overrides.is_empty() {
            return String::new();
        }
        let members: Vec<String> =
            self.overrides.iter().map(|(c, a)| format!("{:?}:{:?}", c.as_str(), a.as_str())).collect();
        format!(r#","override":{{{}}}"#, members.join(","))
    }

    fn label(&self) -> String {
        format!("{}{}", self.level, self.extra())
    }

    fn verify(&self, file: &str, identities: &[&str]) -> ArtifactOutcome {
        let verifier =
            verifier(policy(self.level, &["ca:test-roots", "signingAuthority:test-sa"], identities, &self.extra()));
        let input = SignatureInput::new(read(file), media_type_of(file));
        verifier.verify(&reference(), &target_descriptor(), &input, &VerifyOptions::at(at())).unwrap()
    }
}

use Action::{Enforce, Log, Skip};
use CheckType::{AuthenticTimestamp, Authenticity, Expiry, Revocation};

const SPECS: &[Spec] = &[
    Spec { level: "strict", overrides: &[] },
    Spec { level: "permissive", overrides: &[] },
    Spec { level: "audit", overrides: &[] },
    Spec { level: "strict", overrides: &[(Authenticity, Log)] },
    Spec { level: "audit", overrides: &[(Authenticity, Enforce)] },
    Spec { level: "strict", overrides: &[(Expiry, Log)] },
    Spec { level: "permissive", overrides: &[(Expiry, Enforce)] },
    Spec { level: "audit", overrides: &[(Expiry, Enforce)] },
    Spec { level: "strict", overrides: &[(AuthenticTimestamp, Log)] },
    Spec { level: "audit", overrides: &[(AuthenticTimestamp, Enforce)] },
    Spec { level: "strict", overrides: &[(Revocation, Skip)] },
    Spec { level: "strict", overrides: &[(Revocation, Log)] },
    Spec { level: "permissive", overrides: &[(Revocation, Skip)] },
    Spec { level: "permissive", overrides: &[(Revocation, Enforce)] },
    Spec { level: "audit", overrides: &[(Revocation, Enforce)] },
    Spec { level: "audit", overrides: &[(Revocation, Skip)] },
    Spec {
        level: "strict",
        overrides: &[(Authenticity, Log), (Expiry, Log), (AuthenticTimestamp, Log), (Revocation, Skip)],
    },
];

/// (envelope, the one check it fails at `at()`)
const FAILING: &[(&str, CheckType)] = &[
    ("envelopes/untrusted.jws", Authenticity),
    ("envelopes/untrusted.cose", Authenticity),
    ("envelopes/expired.jws", Expiry),
    ("envelopes/expired.cose", Expiry),
    ("envelopes/expired-leaf.jws", AuthenticTimestamp),
    ("envelopes/not-yet-valid-leaf.cose", AuthenticTimestamp),
    ("extra/envelopes/revocable.jws", Revocation),
    ("extra/envelopes/revocable.cose", Revocation),
];

/// The checks that must have run, in order, and the results they must have.
fn assert_results(spec: &Spec, file: &str, outcome: &ArtifactOutcome, failing: Option<CheckType>) {
    let what = format!("{} / {file}", spec.label());
    let signature = &outcome.signatures[0];
    let stop = failing.filter(|c| spec.action(*c) == Enforce);
    let mut expected = Vec::new();
    for check in ORDER {
        if spec.action(check) == Skip {
            continue;
        }
        expected.push(check);
        if Some(check) == stop {
            break;
        }
    }
    let ran: Vec<CheckType> = signature.checks.iter().map(|r| r.check).collect();
    assert_eq!(ran, expected, "{what}: checks that ran");
    for r in &signature.checks {
        assert_eq!(r.action, spec.action(r.check), "{what}: action of {}", r.check);
        let should_fail = Some(r.check) == failing;
        assert_eq!(r.passed, !should_fail, "{what}: {} result {:?}", r.check, r.error);
        assert_eq!(r.error.is_some(), should_fail, "{what}: {} error {:?}", r.check, r.error);
    }
    assert_eq!(outcome.verified, stop.is_none(), "{what}: verdict ({:?})", signature.error);
    assert_eq!(signature.verified, outcome.verified, "{what}");
    assert_eq!(signature.failure, stop.map(FailureKind::Check), "{what}: failure");
    assert_eq!(signature.error.is_some(), stop.is_some(), "{what}: error {:?}", signature.error);
    let logged: Vec<CheckType> = signature.logged_failures().map(|r| r.check).collect();
    let expect_logged: Vec<CheckType> = failing.filter(|c| spec.action(*c) == Log).into_iter().collect();
    assert_eq!(logged, expect_logged, "{what}: logged failures");
    let policy = outcome.policy.as_ref().unwrap();
    assert_eq!(policy.level.as_str(), spec.level, "{what}");
    assert_eq!(policy.custom, !spec.overrides.is_empty(), "{what}");
    if stop.is_some() {
        assert_eq!(outcome.error.as_ref().map(|e| e.code), Some("VERIFICATION_FAILED"), "{what}");
    } else {
        assert_eq!(outcome.error, None, "{what}");
    }
}

#[test]
fn a_signature_that_fails_nothing_verifies_at_every_level() {
    for spec in SPECS {
        for file in ["envelopes/p256.jws", "envelopes/rsa3072.cose", "envelopes/sa.jws"] {
            let outcome = spec.verify(file, &["*"]);
            assert_results(spec, file, &outcome, None);
        }
    }
}

#[test]
fn each_failing_check_is_enforced_logged_or_skipped_as_the_level_says() {
    let mut combinations = 0;
    for spec in SPECS {
        for (file, check) in FAILING {
            let outcome = spec.verify(file, &["*"]);
            assert_results(spec, file, &outcome, Some(*check));
            combinations += 1;
        }
    }
    assert_eq!(combinations, SPECS.len() * FAILING.len());
}

#[test]
fn the_level_table_covers_every_action_of_every_relaxable_check() {
    // Guard against the matrix above losing a combination: each check × each allowed action.
    for (check, actions) in [
        (Authenticity, &[Enforce, Log][..]),
        (Expiry, &[Enforce, Log][..]),
        (AuthenticTimestamp, &[Enforce, Log][..]),
        (Revocation, &[Enforce, Log, Skip][..]),
    ] {
        for action in actions {
            assert!(SPECS.iter().any(|s| s.action(check) == *action), "{check} {action}");
            assert!(
                SPECS.iter().any(|s| s.overrides.contains(&(check, *action))) || *action == Enforce,
                "no override to {action} for {check}"
            );
        }
    }
}

#[test]
fn integrity_is_enforced_at_every_level() {
    for spec in SPECS {
        for file in [
            "envelopes/tampered/p256-signature.jws",
            "envelopes/tampered/rsa2048-payload.cose",
            "envelopes/leaf-only.jws",
        ] {
            let outcome = spec.verify(file, &["*"]);
            let signature = &outcome.signatures[0];
            assert!(!outcome.verified, "{} {file}", spec.label());
            assert_eq!(signature.failure, Some(FailureKind::Check(CheckType::Integrity)), "{} {file}", spec.label());
            assert_eq!(signature.checks.len(), 1, "{} {file}: nothing after integrity", spec.label());
            let r = &signature.checks[0];
            assert_eq!((r.check, r.action, r.passed), (CheckType::Integrity, Enforce, false));
        }
    }
}

#[test]
fn a_target_mismatch_is_fatal_at_every_level() {
    for spec in SPECS {
        for file in ["envelopes/tampered/p256-target-digest.jws", "envelopes/tampered/rsa2048-target-digest.cose"] {
            let outcome = spec.verify(file, &["*"]);
            let signature = &outcome.signatures[0];
            assert!(!outcome.verified, "{} {file}", spec.label());
            assert_eq!(signature.failure, Some(FailureKind::Check(CheckType::Integrity)), "{} {file}", spec.label());
            assert!(signature.error.as_deref().unwrap().contains("does not match"), "{:?}", signature.error);
            // The match is checked after every other check (notation-go's order).
            assert!(signature.checks.iter().any(|r| r.check == Authenticity), "{} {file}", spec.label());
        }
    }
    // Also when the envelope is fine but the caller's descriptor differs only in media type or size.
    for spec in SPECS {
        let mut other = target();
        other.media_type = "application/vnd.docker.distribution.manifest.v2+json".into();
        let mut bigger = target();
        bigger.size += 1;
        for descriptor in [other, bigger] {
            let verifier = verifier(policy(spec.level, &["ca:test-roots"], &["*"], &spec.extra()));
            let input = SignatureInput::new(read("envelopes/p256.jws"), "application/jose+json");
            let outcome = verifier
                .verify(&reference(), &notaverify::Target::Descriptor(descriptor), &input, &VerifyOptions::at(at()))
                .unwrap();
            assert!(!outcome.verified, "{}", spec.label());
            assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
        }
    }
}

#[test]
fn user_metadata_is_fatal_at_every_level() {
    for spec in SPECS {
        let verifier = verifier(policy(spec.level, &["ca:test-roots"], &["*"], &spec.extra()));
        for file in ["envelopes/metadata.jws", "envelopes/metadata.cose"] {
            let input = SignatureInput::new(read(file), media_type_of(file));
            let mut options = VerifyOptions::at(at());
            options.user_metadata.insert("buildId".into(), "102".into());
            let outcome = verifier.verify(&reference(), &target_descriptor(), &input, &options).unwrap();
            assert!(!outcome.verified, "{} {file}", spec.label());
            assert_eq!(outcome.signatures[0].failure, Some(FailureKind::UserMetadata), "{} {file}", spec.label());
            options.user_metadata.insert("buildId".into(), "101".into());
            let outcome = verifier.verify(&reference(), &target_descriptor(), &input, &options).unwrap();
            assert!(outcome.verified, "{} {file}: {:?}", spec.label(), outcome.signatures[0]);
        }
    }
}

#[test]
fn the_skip_level_verifies_without_any_check() {
    let verifier = verifier(policy("skip", &[], &[], ""));
    for file in [
        "envelopes/p256.jws",
        "envelopes/tampered/p256-signature.jws",
        "envelopes/tampered/p256-target-digest.cose",
        "envelopes/untrusted.jws",
        "envelopes/plugin.jws",
    ] {
        let input = SignatureInput::new(read(file), media_type_of(file));
        let outcome = verifier.verify(&reference(), &target_descriptor(), &input, &VerifyOptions::at(at())).unwrap();
        assert!(outcome.verified, "{file}");
        assert!(outcome.skipped(), "{file}");
        assert!(outcome.signatures.is_empty(), "{file}: nothing is verified at skip: {:?}", outcome.signatures);
        assert_eq!(outcome.error, None);
        assert_eq!(outcome.policy.as_ref().unwrap().level, LevelName::Skip);
    }
    // Even with no signature at all (notation returns before fetching signatures).
    let outcome = verifier.verify_artifact(&reference(), &target_descriptor(), &[], &VerifyOptions::at(at())).unwrap();
    assert!(outcome.verified && outcome.skipped() && outcome.error.is_none());
}

#[test]
fn a_plugin_envelope_fails_at_every_level_but_skip() {
    for spec in SPECS {
        for file in ["envelopes/plugin.jws", "envelopes/plugin.cose"] {
            let outcome = spec.verify(file, &["*"]);
            let signature = &outcome.signatures[0];
            assert!(!outcome.verified, "{} {file}", spec.label());
            assert_eq!(signature.failure, Some(FailureKind::VerificationPlugin), "{} {file}", spec.label());
            // Before authenticity: only integrity ran.
            let ran: Vec<CheckType> = signature.checks.iter().map(|r| r.check).collect();
            assert_eq!(ran, [CheckType::Integrity], "{} {file}", spec.label());
        }
    }
}

const OTHER_IDENTITY: &str = "x509.subject:C=US,ST=WA,O=Someone Else";

#[test]
fn a_trusted_identity_failure_overwrites_authenticity() {
    for spec in SPECS {
        let outcome = spec.verify("envelopes/p256.jws", &[OTHER_IDENTITY]);
        // The chain is trusted; only the identity fails, and it is reported as authenticity.
        assert_results(spec, "envelopes/p256.jws (other identity)", &outcome, Some(Authenticity));
        let r = outcome.signatures[0].check(Authenticity).unwrap();
        assert!(r.error.as_deref().unwrap().contains("trusted identities"), "{}: {r:?}", spec.label());
        assert_eq!(outcome.signatures[0].checks.iter().filter(|r| r.check == Authenticity).count(), 1);
    }
}

#[test]
fn a_matching_trusted_identity_verifies() {
    for identity in [
        "x509.subject:C=US,ST=WA,O=Notaverify Test",
        "x509.subject:C=US,ST=WA,L=Seattle,O=Notaverify Test,CN=p256 leaf",
    ] {
        let outcome = SPECS[0].verify("envelopes/p256.jws", &[OTHER_IDENTITY, identity]);
        assert!(outcome.verified, "{identity}: {:?}", outcome.signatures[0]);
    }
    // The identity is matched against the leaf only, not the intermediate or root.
    let outcome = SPECS[0].verify("envelopes/p256.jws", &["x509.subject:C=US,ST=WA,O=Notaverify Test,CN=p256 root"]);
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(Authenticity)));
}

#[test]
fn an_untrusted_chain_with_a_wrong_identity_reports_the_identity_at_audit() {
    // Authenticity (store) fails and is logged at audit; the identity failure then overwrites
    // the same result, still logged, and verification continues.
    let audit = &SPECS[2];
    let outcome = audit.verify("envelopes/untrusted.jws", &[OTHER_IDENTITY]);
    assert!(outcome.verified, "{:?}", outcome.signatures[0]);
    let r = outcome.signatures[0].check(Authenticity).unwrap();
    assert_eq!((r.action, r.passed), (Log, false));
    assert!(r.error.as_deref().unwrap().contains("trusted identities"), "{r:?}");
    // At strict the store failure stops the run before the identity is looked at.
    let outcome = SPECS[0].verify("envelopes/untrusted.jws", &[OTHER_IDENTITY]);
    let error = outcome.signatures[0].error.as_deref().unwrap();
    assert!(error.contains("does not contain any trusted certificate"), "{error}");
}
