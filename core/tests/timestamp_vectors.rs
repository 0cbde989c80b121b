//! RFC 3161 timestamp tokens: the tspclient-go token matrix from ../shared/vectors (INVENTORY.md
//! §6), the timestamped notation-go envelopes (E12 and the validity cases, §2.3), and tokens made
//! by our own test TSA with `openssl ts` (core/tests/revocation/generate.py), including forgeries.

mod common;

use notaverify::timestamp::{TimestampError, TimestampToken};
use notaverify::x509::parse_certificates;
use notaverify::{Certificate, Time};
use std::path::{Path, PathBuf};

fn vectors() -> Option<PathBuf> {
    common::shared_vectors()
}

fn certs(path: &Path) -> Vec<Certificate> {
    parse_certificates(&std::fs::read(path).unwrap()).unwrap()
}

fn token(dir: &Path, name: &str) -> Result<TimestampToken, TimestampError> {
    TimestampToken::parse(&std::fs::read(dir.join(name)).unwrap())
}

/// Parse, check the imprint over "notation", verify against the GlobalSign R3 root.
fn full(dir: &Path, name: &str, roots: &[Certificate]) -> Result<(), TimestampError> {
    let t = token(dir, name)?;
    let info = t.tst_info()?;
    info.validate(b"notation")?;
    t.verify(roots).map(|_| ())
}

#[test]
#[allow(clippy::type_complexity)]
fn tspclient_token_matrix() {
    let Some(v) = vectors() else { return };
    let dir = v.join("notaryproject__tspclient-go/testdata");
    let roots = certs(&dir.join("GlobalSignRootCA.crt"));
    use TimestampError as E;
    let ok = full(&dir, "TimeStampToken.p7s", &roots);
    assert_eq!(ok, Ok(()));
    let t = token(&dir, "TimeStampToken.p7s").unwrap();
    let ts = t.tst_info().unwrap().validate(b"notation").unwrap();
    assert_eq!(ts.gen_time.to_rfc3339(), "2021-09-17T14:09:10Z");
    assert_eq!(ts.accuracy_nanos, 1_000_000_000);
    let chain = t.verify(&roots).unwrap();
    assert_eq!(chain.len(), 4, "TSA, timestamping CA, R6 cross-certificate, R3");
    assert_eq!(t.tst_info().unwrap().validate(b"invalid"), Err(E::MismatchedMessage));
    assert_eq!(t.verify(&[]), Err(E::NoRoots));

    let cases: &[(&str, fn(&Result<(), E>) -> bool)] = &[
        (
            "TimeStampTokenWithInvalideContentType.p7s",
            |r| matches!(r, Err(E::UnexpectedContentType { found }) if found == "1.2.840.113549.1.7.1"),
        ),
        ("TimeStampTokenWithValidAndInvalidSignerInfos.p7s", |r| r.is_ok()),
        ("TimeStampTokenWithoutCertificate.p7s", |r| *r == Err(E::SigningCertificateNotFound)),
        ("TimeStampTokenWithInvalidSignature.p7s", |r| *r == Err(E::BadSignature)),
        ("TimeStampTokenWithInvalidTSTInfo.p7s", |r| matches!(r, Err(E::InvalidTstInfo(_)))),
        (
            "TimeStampTokenWithoutSigningCertificate.p7s",
            |r| matches!(r, Err(E::SigningCertificateV2(m)) if m == "attribute not found"),
        ),
        ("TimeStampTokenWithWrongSigningCertificateV2IssuerChoiceTag.p7s", |r| *r == Err(E::IssuerNameMissing)),
        // The attribute was edited after signing: the signer is found by its sid, then the TSA
        // signature no longer verifies.
        ("TimeStampTokenWithoutSigningCertificateV2IssuerSerial.p7s", |r| *r == Err(E::BadSignature)),
        ("TimeStampTokenWithSHA1CertHash.p7s", |r| *r == Err(E::UnsupportedCertHashAlgorithm)),
        ("TimeStampTokenWithMismatchCertHash.p7s", |r| *r == Err(E::CertHashMismatch)),
        ("TimeStampTokenWithInvalidSigningCertificateV2.p7s", |r| matches!(r, Err(E::SigningCertificateV2(_)))),
        ("TimeStampTokenWithSigningCertificateV2NoCert.p7s", |r| *r == Err(E::SigningCertificateV2Empty)),
        ("TimeStampTokenWithTSTInfoVersion2.p7s", |r| *r == Err(E::TstInfoVersion(2))),
        (
            "SHA1TimeStampToken.p7s",
            |r| matches!(r, Err(E::UnrecognizedHashAlgorithm(o)) if o == "1.2.840.113549.1.1.5"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, expected) in cases {
        let r = full(&dir, name, &roots);
        if !expected(&r) {
            failures.push(format!("{name}: got {r:?}"));
        }
    }
    // The FreeTSA token carries signingCertificate v1 only, which notation does not accept; its
    // imprint is over other data, so only the signer step is checked.
    let v1 = token(&dir, "TimeStampTokenWithSigningCertificateV1.p7s").unwrap();
    let r = v1.verify(&roots);
    if !matches!(&r, Err(E::SigningCertificateV2(m)) if m == "attribute not found") {
        failures.push(format!("TimeStampTokenWithSigningCertificateV1.p7s: got {r:?}"));
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Responses and garbage are not tokens.
    for name in ["granted.tsq", "rejection.tsq", "malformed.tsq"] {
        assert!(token(&dir, name).is_err(), "{name}");
    }
}

fn notation_go(v: &Path) -> PathBuf {
    v.join("notaryproject__notation-go/verifier/testdata")
}

/// Verifies one of notation-go's timestamped envelopes with the policy of its origin test
/// (`TestAuthenticTimestamp`): strict, `verifyTimestamp` as given, `ca:valid-trust-store` (here:
/// the envelope's own self-signed leaf, so authenticity passes) and the given `tsa` store.
fn verify_notation_go(
    v: &Path,
    file: &str,
    tsa_store: Option<&str>,
    verify_timestamp: &str,
) -> notaverify::SignatureOutcome {
    use notaverify::{Envelope, SignatureInput, StoreType, Target, TrustStore, Verifier, VerifyOptions};
    let bytes = std::fs::read(notation_go(v).join("timestamp/sigEnv").join(file)).unwrap();
    let media_type = if bytes.first() == Some(&b'{') { "application/jose+json" } else { "application/cose" };
    let envelope = Envelope::parse(media_type, &bytes).unwrap();
    let mut store = TrustStore::new();
    let leaf = envelope.unsigned.certificate_chain.last().unwrap();
    store.add(StoreType::Ca, "valid-trust-store", leaf).unwrap();
    for name in ["test-timestamp", "test-mismatch"] {
        let dir = notation_go(v).join("truststore/x509/tsa").join(name);
        for f in std::fs::read_dir(dir).unwrap() {
            store.add(StoreType::Tsa, name, &std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        }
    }
    let mut stores = vec!["ca:valid-trust-store".to_owned()];
    stores.extend(tsa_store.map(|s| format!("tsa:{s}")));
    let policy = common::policy(
        "strict",
        &stores.iter().map(String::as_str).collect::<Vec<_>>(),
        &["*"],
        &format!(r#","verifyTimestamp":"{verify_timestamp}""#),
    );
    let verifier = Verifier::new(store).with_oci_policy(policy);
    let descriptor = envelope.target().unwrap();
    let reference = format!("registry.example/app@{}", descriptor.digest);
    let outcome = verifier
        .verify(
            &reference,
            &Target::Descriptor(descriptor),
            &SignatureInput::new(bytes, media_type),
            &VerifyOptions::at(Time::parse_rfc3339("2026-11-29T00:00:00Z").unwrap()),
        )
        .unwrap();
    outcome.signatures.into_iter().next().unwrap()
}

const GLOBALSIGN_TSA_UNKNOWN: &str = "timestamping certificate with subject \"CN=Globalsign TSA for Advanced - G4 - 202311,O=GlobalSign nv-sa,C=BE\" revocation status is unknown";

fn timestamp_error(outcome: &notaverify::SignatureOutcome) -> Option<String> {
    outcome.check(notaverify::CheckType::AuthenticTimestamp).and_then(|r| r.error.clone())
}

#[test]
fn notation_go_timestamped_envelopes() {
    let Some(v) = vectors() else { return };
    // Every check of the timestamp passes; what remains is the TSA chain's revocation, which
    // without evidence is unknown — exactly notation offline (its origin test reaches the
    // GlobalSign OCSP responder over the network).
    for file in
        ["jwsWithTimestamp.sig", "coseWithTimestamp.sig", "jwsExpiredWithTimestamp.sig", "coseExpiredWithTimestamp.sig"]
    {
        let outcome = verify_notation_go(&v, file, Some("test-timestamp"), "always");
        assert_eq!(timestamp_error(&outcome).as_deref(), Some(GLOBALSIGN_TSA_UNKNOWN), "{file}: {outcome:?}");
        assert!(outcome.check(notaverify::CheckType::Authenticity).unwrap().passed, "{file}");
    }
    // afterCertExpiry with an unexpired certificate: no timestamp needed, everything passes.
    let outcome = verify_notation_go(&v, "coseWithTimestamp.sig", Some("test-timestamp"), "afterCertExpiry");
    assert!(outcome.verified, "{outcome:?}");
    // Expired signing certificate without a tsa store: not rescued.
    let outcome = verify_notation_go(&v, "coseExpiredWithTimestamp.sig", None, "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some(
            "verification time is after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it was expired at \"Tue, 18 Jun 2024 07:30:31 +0000\""
        )
    );
    assert!(!outcome.verified);
    // The wrong TSA root.
    let outcome = verify_notation_go(&v, "coseWithTimestamp.sig", Some("test-mismatch"), "always");
    let e = timestamp_error(&outcome).unwrap();
    assert!(e.starts_with("failed to verify the timestamp countersignature with error: failed to verify signed token: cms verification failure: x509: certificate signed by unknown authority"), "{e}");
    // A missing tsa store.
    let outcome = verify_notation_go(&v, "coseWithTimestamp.sig", Some("does-not-exist"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some(
            "failed to load tsa trust store with error: the trust store \"does-not-exist\" of type \"tsa\" does not exist"
        )
    );
    let outcome = verify_notation_go(&v, "withoutTimestamp.sig", Some("test-timestamp"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some("no timestamp countersignature was found in the signature envelope")
    );
    let outcome = verify_notation_go(&v, "timestampBeforeNotBefore.sig", Some("test-timestamp"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some(
            "timestamp can be before certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it will be valid from \"Fri, 18 Sep 2099 11:54:34 +0000\""
        )
    );
    let outcome = verify_notation_go(&v, "timestampAfterNotAfter.sig", Some("test-timestamp"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some(
            "timestamp can be after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it was expired at \"Tue, 18 Sep 2001 11:54:34 +0000\""
        )
    );
}

// ---- tokens from our own test TSA (`openssl ts`, core/tests/revocation/generate.py) ----------

fn revocation_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/revocation")
}

fn own(rel: &str) -> Vec<u8> {
    std::fs::read(revocation_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A fixture envelope (p256 chain, no revocation URLs) with the given token, verified with a
/// `tsa` store holding our test TSA root.
fn verify_own(
    name: &str,
    fmt: &str,
    level: &str,
    evidence: notaverify::revocation::RevocationEvidence,
) -> notaverify::SignatureOutcome {
    use notaverify::{SignatureInput, StoreType, Target, TrustStore, Verifier, VerifyOptions};
    let mut store = TrustStore::new();
    store.add(StoreType::Ca, "p256", &common::read("pki/p256/root.pem")).unwrap();
    store.add(StoreType::Tsa, "test-tsa", &own("pki/tsa-root.pem")).unwrap();
    let policy = common::policy(level, &["ca:p256", "tsa:test-tsa"], &["*"], "");
    let verifier = Verifier::new(store).with_oci_policy(policy).with_revocation_evidence(evidence);
    let target = common::target();
    let reference = format!("registry.example/app@{}", target.digest);
    let media_type = if fmt == "jws" { "application/jose+json" } else { "application/cose" };
    let input = SignatureInput::new(own(&format!("ts/{name}.{fmt}")), media_type);
    let outcome = verifier.verify(&reference, &Target::Descriptor(target), &input, &VerifyOptions::default()).unwrap();
    outcome.signatures.into_iter().next().unwrap()
}

#[test]
fn own_tsa_tokens() {
    use notaverify::revocation::RevocationEvidence;
    let none = RevocationEvidence::new;
    for fmt in ["jws", "cose"] {
        let good = verify_own("good", fmt, "strict", none());
        assert!(good.verified, "{fmt}: {good:?}");
        assert!(good.check(notaverify::CheckType::AuthenticTimestamp).unwrap().passed);

        let cases: &[(&str, &str)] = &[
            ("none", "no timestamp countersignature was found in the signature envelope"),
            (
                "other-signature",
                "failed to get timestamp from timestamp countersignature with error: invalid TSTInfo: mismatched message",
            ),
            (
                "bad-signature",
                "failed to verify the timestamp countersignature with error: failed to verify signed token: cms verification failure: the TSA signature does not verify",
            ),
            (
                "untrusted",
                "failed to verify the timestamp countersignature with error: failed to verify signed token: cms verification failure: x509: certificate signed by unknown authority",
            ),
            (
                "tsa-with-crl",
                "timestamping certificate with subject \"CN=Test TSA with CRL,O=Notaverify Revocation Test,C=US\" revocation status is unknown",
            ),
        ];
        for (name, message) in cases {
            let strict = verify_own(name, fmt, "strict", none());
            assert_eq!(timestamp_error(&strict).as_deref(), Some(*message), "{name}.{fmt}");
            assert!(!strict.verified);
            // audit logs the authentic-timestamp failure and verifies.
            let audit = verify_own(name, fmt, "audit", none());
            assert!(audit.verified, "{name}.{fmt} at audit: {audit:?}");
            assert_eq!(audit.logged_failures().count(), 1);
        }
        // The TSA chain's revocation, from evidence.
        let good_crl =
            RevocationEvidence::new().with_crl("http://crl.test/tsa-root.crl", &own("crl/tsa-root-good.crl")).unwrap();
        assert!(verify_own("tsa-with-crl", fmt, "strict", good_crl).verified);
        let revoked = RevocationEvidence::new()
            .with_crl("http://crl.test/tsa-root.crl", &own("crl/tsa-root-revokes-tsa.crl"))
            .unwrap();
        let outcome = verify_own("tsa-with-crl", fmt, "strict", revoked);
        assert_eq!(
            timestamp_error(&outcome).as_deref(),
            Some(
                "timestamping certificate with subject \"CN=Test TSA with CRL,O=Notaverify Revocation Test,C=US\" is revoked"
            )
        );
    }
}

#[test]
fn own_tokens_at_the_token_layer() {
    let roots = parse_certificates(&own("pki/tsa-root.pem")).unwrap();
    let token = TimestampToken::parse(&own("ts/good.jws.tst")).unwrap();
    let chain = token.verify(&roots).unwrap();
    assert_eq!(chain.len(), 2);
    notaverify::x509::validate_timestamping_chain(&chain).unwrap();
    let info = token.tst_info().unwrap();
    assert_eq!(info.policy, "1.2.3.4.1");
    assert_eq!(info.accuracy, (1, 0, 0));
    // Verified against a root that is not the TSA's.
    let rogue = parse_certificates(&own("pki/rogue-tsa-root.pem")).unwrap();
    assert!(matches!(token.verify(&rogue), Err(TimestampError::Chain(_))));
    // Every truncation fails cleanly.
    let bytes = own("ts/good.cose.tst");
    for len in 0..bytes.len() {
        assert!(TimestampToken::parse(&bytes[..len]).is_err(), "prefix {len}");
    }
    // BER: the same token re-encoded with an indefinite outer length still parses.
    let mut ber = vec![0x30, 0x80];
    let inner_start = if bytes[1] & 0x80 != 0 { 2 + usize::from(bytes[1] & 0x7f) } else { 2 };
    ber.extend_from_slice(&bytes[inner_start..]);
    ber.extend_from_slice(&[0, 0]);
    let reparsed = TimestampToken::parse(&ber).unwrap();
    assert_eq!(reparsed.content(), token_content(&bytes).as_slice());
}

fn token_content(der: &[u8]) -> Vec<u8> {
    TimestampToken::parse(der).unwrap().content().to_vec()
}
