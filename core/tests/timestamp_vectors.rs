//! RFC 3161 timestamp tokens: the tspclient-go token matrix from ../shared/vectors (INVENTORY.md
//! §6), the timestamped notation-go envelopes (E12 and the validity cases, §2.3), and tokens made
//! by our own test TSA with `openssl ts` (core/tests/revocation/generate.py), including forgeries.

mod common;

use notaverify::timestamp::{TimestampError, TimestampToken};
use notaverify::x509::parse_certificates;
use notaverify::{Certificate, Time};
use std::path::{Path, PathBuf};

fn vectors() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    let dir = if dir.exists() { dir } else { PathBuf::from("/work/shared/vectors") };
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/vectors is absent");
        None
    }
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
        ("TimeStampTokenWithInvalideContentType.p7s", |r| matches!(r, Err(E::UnexpectedContentType { found }) if found == "1.2.840.113549.1.7.1")),
        ("TimeStampTokenWithValidAndInvalidSignerInfos.p7s", |r| r.is_ok()),
        ("TimeStampTokenWithoutCertificate.p7s", |r| *r == Err(E::SigningCertificateNotFound)),
        ("TimeStampTokenWithInvalidSignature.p7s", |r| *r == Err(E::BadSignature)),
        ("TimeStampTokenWithInvalidTSTInfo.p7s", |r| matches!(r, Err(E::InvalidTstInfo(_)))),
        ("TimeStampTokenWithoutSigningCertificate.p7s", |r| matches!(r, Err(E::SigningCertificateV2(m)) if m == "attribute not found")),
        ("TimeStampTokenWithWrongSigningCertificateV2IssuerChoiceTag.p7s", |r| *r == Err(E::IssuerNameMissing)),
        // The attribute was edited after signing: the signer is found by its sid, then the TSA
        // signature no longer verifies.
        ("TimeStampTokenWithoutSigningCertificateV2IssuerSerial.p7s", |r| *r == Err(E::BadSignature)),
        ("TimeStampTokenWithSHA1CertHash.p7s", |r| *r == Err(E::UnsupportedCertHashAlgorithm)),
        ("TimeStampTokenWithMismatchCertHash.p7s", |r| *r == Err(E::CertHashMismatch)),
        ("TimeStampTokenWithInvalidSigningCertificateV2.p7s", |r| matches!(r, Err(E::SigningCertificateV2(_)))),
        ("TimeStampTokenWithSigningCertificateV2NoCert.p7s", |r| *r == Err(E::SigningCertificateV2Empty)),
        ("TimeStampTokenWithTSTInfoVersion2.p7s", |r| *r == Err(E::TstInfoVersion(2))),
        ("SHA1TimeStampToken.p7s", |r| matches!(r, Err(E::UnrecognizedHashAlgorithm(o)) if o == "1.2.840.113549.1.1.5")),
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
fn verify_notation_go(v: &Path, file: &str, tsa_store: Option<&str>, verify_timestamp: &str) -> notaverify::SignatureOutcome {
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
    let policy = common::policy("strict", &stores.iter().map(String::as_str).collect::<Vec<_>>(), &["*"], &format!(r#","verifyTimestamp":"{verify_timestamp}""#));
    let verifier = Verifier::new(store).with_oci_policy(policy);
    let descriptor = envelope.target().unwrap();
    let reference = format!("registry.example/app@{}", descriptor.digest);
    let outcome = verifier
        .verify(&reference, &Target::Descriptor(descriptor), &SignatureInput::new(bytes, media_type), &VerifyOptions::at(Time::parse_rfc3339("2026-11-29T00:00:00Z").unwrap()))
        .unwrap();
    outcome.signatures.into_iter().next().unwrap()
}

const GLOBALSIGN_TSA_UNKNOWN: &str =
    "timestamping certificate with subject \"CN=Globalsign TSA for Advanced - G4 - 202311,O=GlobalSign nv-sa,C=BE\" revocation status is unknown";

fn timestamp_error(outcome: &notaverify::SignatureOutcome) -> Option<String> {
    outcome.check(notaverify::CheckType::AuthenticTimestamp).and_then(|r| r.error.clone())
}

#[test]
fn notation_go_timestamped_envelopes() {
    let Some(v) = vectors() else { return };
    // Every check of the timestamp passes; what remains is the TSA chain's revocation, which
    // without evidence is unknown — exactly notation offline (its origin test reaches the
    // GlobalSign OCSP responder over the network).
    for file in ["jwsWithTimestamp.sig", "coseWithTimestamp.sig", "jwsExpiredWithTimestamp.sig", "coseExpiredWithTimestamp.sig"] {
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
        Some("verification time is after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it was expired at \"Tue, 18 Jun 2024 07:30:31 +0000\"")
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
        Some("failed to load tsa trust store with error: the trust store \"does-not-exist\" of type \"tsa\" does not exist")
    );
    let outcome = verify_notation_go(&v, "withoutTimestamp.sig", Some("test-timestamp"), "always");
    assert_eq!(timestamp_error(&outcome).as_deref(), Some("no timestamp countersignature was found in the signature envelope"));
    let outcome = verify_notation_go(&v, "timestampBeforeNotBefore.sig", Some("test-timestamp"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some("timestamp can be before certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it will be valid from \"Fri, 18 Sep 2099 11:54:34 +0000\"")
    );
    let outcome = verify_notation_go(&v, "timestampAfterNotAfter.sig", Some("test-timestamp"), "always");
    assert_eq!(
        timestamp_error(&outcome).as_deref(),
        Some("timestamp can be after certificate \"CN=testTSA,O=Notary,L=Seattle,ST=WA,C=US\" validity period, it was expired at \"Tue, 18 Sep 2001 11:54:34 +0000\"")
    );
}
