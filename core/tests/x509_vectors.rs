//! Certificates and trust stores from the upstream notation repositories (see
//! shared/vectors/INVENTORY.md §5, §7 and Appendix A), with the outcomes notation-go gives them.
//! Skipped with a message when the vectors directory is absent.

use notaverify::x509::{LinkProblem, parse_certificates, validate_code_signing_chain, validate_timestamping_chain};
use notaverify::{Certificate, CertificateError, StoreType, TrustStore, TrustStoreError};
use std::path::{Path, PathBuf};

mod common;

fn vectors() -> Option<PathBuf> {
    common::shared_vectors()
}

fn read(dir: &Path, relative: &str) -> Vec<u8> {
    std::fs::read(dir.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn certs(dir: &Path, relative: &str) -> Vec<Certificate> {
    parse_certificates(&read(dir, relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn one(dir: &Path, relative: &str) -> Certificate {
    let mut all = certs(dir, relative);
    assert_eq!(all.len(), 1, "{relative}");
    all.remove(0)
}

const CODE_SIGNING: &str = "notaryproject__notation-core-go/_extracted/x509/codesigning_cert_validations_test";
const TIMESTAMPING: &str = "notaryproject__notation-core-go/_extracted/x509/timestamp_cert_validations_test";
const CORE_TESTDATA: &str = "notaryproject__notation-core-go/x509/testdata";
const STORES: &str = "notaryproject__notation-go/verifier/testdata/truststore/x509";

fn code_signing_cert(dir: &Path, name: &str) -> Certificate {
    one(dir, &format!("{CODE_SIGNING}/{name}.pem"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_certificate_file_parses() {
    let Some(dir) = vectors() else { return };
    // Not certificates for Go either: a stand-in for a symlink, and a PEM copied out of Go source
    // whose END line is indented with tabs (Go's pem.Decode needs "\n-----END ").
    let not_certificates = ["GlobalSignRootCA_SYMLINK.crt", "exampleTSARootCertificate.pem"];
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    let mut parsed = 0;
    for path in files {
        let is_cert_file =
            path.extension().is_some_and(|e| ["pem", "crt", "cer", "der"].contains(&e.to_str().unwrap_or("")));
        if !is_cert_file {
            continue;
        }
        let result = parse_certificates(&std::fs::read(&path).unwrap());
        let name = path.file_name().unwrap().to_str().unwrap();
        if not_certificates.contains(&name) {
            assert!(result.is_err(), "{}", path.display());
        } else {
            let certs = result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!certs.is_empty(), "{}", path.display());
            parsed += 1;
        }
    }
    assert!(parsed >= 70, "only {parsed} certificate files found");
}

#[test]
fn file_formats_like_notation_core_go() {
    let Some(dir) = vectors() else { return };
    assert_eq!(certs(&dir, &format!("{CORE_TESTDATA}/pem.crt")).len(), 1);
    assert_eq!(certs(&dir, &format!("{CORE_TESTDATA}/multi-pem.crt")).len(), 2);
    assert_eq!(certs(&dir, &format!("{CORE_TESTDATA}/multi-der.der")).len(), 2);
    let der = one(&dir, &format!("{CORE_TESTDATA}/der.der"));
    assert_eq!(der.sha256_fingerprint(), "cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b");
    assert_eq!(der, one(&dir, &format!("{CORE_TESTDATA}/pem.crt")));
    assert!(parse_certificates(&read(&dir, &format!("{CORE_TESTDATA}/invalid"))).is_err());
}

#[test]
fn subjects_render_as_go_prints_them() {
    let Some(dir) = vectors() else { return };
    let subject = |relative: &str| one(&dir, relative).subject();
    assert_eq!(
        subject("notaryproject__notation-go/verifier/testdata/verifier/signing-cert.pem"),
        "CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US"
    );
    // Certificate order O, OU, CN, L, ST, C; Go prints its fixed field order.
    assert_eq!(
        subject("notaryproject__notation-go/verifier/testdata/verifier/bad-cert.pem"),
        "CN=Bad=#CN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US"
    );
    assert_eq!(
        subject(&format!("{CORE_TESTDATA}/timestamp_leaf.crt")),
        r"CN=DigiCert Timestamp 2023,O=DigiCert\, Inc.,C=US"
    );
    assert_eq!(
        subject(&format!("{CORE_TESTDATA}/openssl-minimum-self-signed.pem")),
        "OU=TestCert,O=Notation Test,L=Seattle,ST=Washington,C=US"
    );
    let ejbca = one(&dir, "notaryproject__notation-core-go/revocation/crl/testdata/certificateWithDeltaCRL.cer");
    let uid = "c-0nwwozqvawvao3ech";
    let uid_hex: String = uid.bytes().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        ejbca.issuer(),
        format!("CN=ManagementCA,O=EJBCA Container Quickstart,0.9.2342.19200300.100.1.1=#1313{uid_hex}")
    );
    assert_eq!(ejbca.not_after().to_rfc3339(), "2026-11-25T07:57:26Z");
}

#[test]
fn code_signing_chain_vectors() {
    let Some(dir) = vectors() else { return };
    let c = |name: &str| code_signing_cert(&dir, name);
    let (leaf, inter2, inter1, root) =
        (c("codeSigningLeafPem"), c("intermediateCertPem2"), c("intermediateCertPem1"), c("rootCertPem"));

    assert_eq!(validate_code_signing_chain(&[leaf.clone(), inter2.clone(), inter1.clone(), root.clone()]), Ok(()));
    assert_eq!(
        validate_code_signing_chain(&[one(&dir, &format!("{CORE_TESTDATA}/openssl-minimum-self-signed.pem"))]),
        Ok(())
    );
    assert!(matches!(
        validate_code_signing_chain(std::slice::from_ref(&leaf)),
        Err(CertificateError::InvalidSelfSigned { problem: LinkProblem::BadSignature, .. })
    ));
    assert!(matches!(
        validate_code_signing_chain(&[leaf.clone(), inter2.clone(), inter1.clone()]),
        Err(CertificateError::RootNotSelfSigned { index: 2, .. })
    ));
    assert!(matches!(
        validate_code_signing_chain(&[leaf.clone(), inter1.clone(), inter2.clone(), root.clone()]),
        Err(CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::BadSignature, .. })
    ));
    assert!(matches!(
        validate_code_signing_chain(&[leaf.clone(), c("unrelatedCertPem"), inter1.clone(), root.clone()]),
        Err(CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::IssuerCannotSign, .. })
    ));
    assert!(matches!(
        validate_code_signing_chain(&[root.clone(), root.clone(), root.clone()]),
        Err(CertificateError::SelfSignedNotLast { index: 0, .. })
    ));
    assert!(matches!(
        validate_code_signing_chain(&[leaf.clone(), inter2.clone(), inter1.clone(), root.clone(), root.clone()]),
        Err(CertificateError::SelfSignedNotLast { index: 3, .. })
    ));
    let path_len =
        [c("codeSigningLeafInvalidPathLenPem"), c("intermediateCertInvalidPathLenPem"), inter2, inter1, root];
    match validate_code_signing_chain(&path_len) {
        Err(CertificateError::CaPathLenExceeded { index: 2, subject, max: 0, required: 1 }) => {
            assert_eq!(subject, "CN=Intermediate2")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn code_signing_leaf_vectors() {
    let Some(dir) = vectors() else { return };
    let single = |name: &str| validate_code_signing_chain(&[code_signing_cert(&dir, name)]);
    assert_eq!(single("validNoOptionsLeafPem"), Ok(()));
    assert!(matches!(single("caTrueLeafPem"), Err(CertificateError::LeafIsCa { .. })));
    assert!(matches!(
        single("kuNoDigitalSignatureLeafPem"),
        Err(CertificateError::LeafKeyUsageMissingDigitalSignature { .. })
    ));
    match single("kuWrongValuesLeafPem") {
        Err(CertificateError::LeafKeyUsageForbidden { usages, .. }) => assert_eq!(usages, ["CertSign", "CRLSign"]),
        other => panic!("{other:?}"),
    }
    match single("rsaKeyTooSmallLeafPem") {
        Err(CertificateError::UnsupportedKey { key, .. }) => assert_eq!(key, "RSA-1024"),
        other => panic!("{other:?}"),
    }
    // Go verifies the P-224 self-signature and then rejects the key size; notaverify cannot
    // verify P-224 at all, so the same chain fails one step earlier.
    assert!(matches!(
        single("ecdsaKeyTooSmallLeafPem"),
        Err(CertificateError::InvalidSelfSigned { problem: LinkProblem::UnsupportedKey { .. }, .. })
    ));
    for (name, expected) in
        [("ekuWrongValuesCodeLeafPem", "ServerAuth"), ("ekuMissingCodeSigningLeafPem", "OCSPSigning")]
    {
        match single(name) {
            Err(CertificateError::LeafExtendedKeyUsageForbidden { usage, .. }) => assert_eq!(usage, expected, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn timestamping_chain_vectors() {
    let Some(dir) = vectors() else { return };
    let core = |name: &str| one(&dir, &format!("{CORE_TESTDATA}/{name}"));
    let (leaf, inter, root) =
        (core("timestamp_leaf.crt"), core("timestamp_intermediate.crt"), core("timestamp_root.crt"));
    assert_eq!(validate_timestamping_chain(&[leaf.clone(), inter.clone(), root.clone()]), Ok(()));
    assert!(matches!(
        validate_timestamping_chain(std::slice::from_ref(&leaf)),
        Err(CertificateError::InvalidSelfSigned { .. })
    ));
    assert!(matches!(
        validate_timestamping_chain(&[leaf.clone(), inter.clone()]),
        Err(CertificateError::RootNotSelfSigned { index: 1, .. })
    ));
    assert!(matches!(
        validate_timestamping_chain(&[leaf.clone(), inter.clone(), root.clone(), root.clone()]),
        Err(CertificateError::SelfSignedNotLast { index: 2, .. })
    ));
    let c = |name: &str| code_signing_cert(&dir, name);
    let other_chain = [c("intermediateCertPem2"), c("intermediateCertPem1"), c("rootCertPem")];
    let mut wrong = vec![leaf];
    wrong.extend(other_chain.iter().cloned());
    assert!(matches!(validate_timestamping_chain(&wrong), Err(CertificateError::NotIssuedBy { index: 0, .. })));

    let mut non_critical = vec![one(&dir, &format!("{TIMESTAMPING}/ekuNonCriticalTimeLeafPem.pem"))];
    non_critical.extend(other_chain.iter().cloned());
    assert!(matches!(
        validate_timestamping_chain(&non_critical),
        Err(CertificateError::TimestampingExtendedKeyUsageNotCritical { .. })
    ));
    for relative in [
        format!("{TIMESTAMPING}/ekuWrongValuesTimeLeafPem.pem"),
        format!("{TIMESTAMPING}/ekuMissingTimestampingLeafPem.pem"),
        format!("{CODE_SIGNING}/validNoOptionsLeafPem.pem"),
    ] {
        assert!(
            matches!(
                validate_timestamping_chain(&[one(&dir, &relative)]),
                Err(CertificateError::TimestampingExtendedKeyUsage { .. })
            ),
            "{relative}"
        );
    }
}

/// Adds every file of `x509/<type>/<name>/` to a fresh store; the total count or the first error.
fn load_store(dir: &Path, store_type: StoreType, name: &str) -> Result<usize, TrustStoreError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(STORES).join(store_type.as_str()).join(name))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut store = TrustStore::new();
    let mut total = 0;
    for file in files {
        total += store.add(store_type, name, &std::fs::read(file).unwrap())?;
    }
    assert_eq!(store.certificates(store_type, name).len(), total);
    Ok(total)
}

#[test]
fn trust_store_vectors() {
    let Some(dir) = vectors() else { return };
    for (store_type, name, count) in [
        (StoreType::Ca, "valid-trust-store", 6),
        (StoreType::Ca, "valid-trust-store-2", 2),
        (StoreType::Ca, "valid-trust-store-self-signed", 1),
        (StoreType::SigningAuthority, "valid-trust-store", 3),
        (StoreType::SigningAuthority, "valid-trust-store-2", 2),
        (StoreType::Tsa, "test-timestamp", 1),
        (StoreType::Tsa, "test-mismatch", 1),
    ] {
        assert_eq!(load_store(&dir, store_type, name), Ok(count), "{store_type}:{name}");
    }

    assert!(matches!(
        load_store(&dir, StoreType::Ca, "trust-store-with-invalid-certs"),
        Err(TrustStoreError::InvalidCertificate { reason: CertificateError::Malformed { .. }, .. })
    ));
    for name in ["trust-store-with-leaf-certs", "trust-store-with-leaf-certs-in-single-file"] {
        match load_store(&dir, StoreType::Ca, name) {
            Err(TrustStoreError::InvalidCertificate {
                reason: CertificateError::NotCaOrSelfSigned { subject },
                ..
            }) => {
                assert_eq!(subject, "CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US", "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let tsa_problem = |name: &str| match load_store(&dir, StoreType::Tsa, name) {
        Err(TrustStoreError::InvalidCertificate {
            reason: CertificateError::NotRootCertificate { problem, .. },
            ..
        }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(tsa_problem("test-nonCA"), LinkProblem::IssuerCannotSign);
    assert_eq!(tsa_problem("test-nonSelfIssued"), LinkProblem::NameMismatch);
}
