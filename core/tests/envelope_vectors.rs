//! The upstream envelopes listed in `shared/vectors/INVENTORY.md`: each parses with the expected
//! attributes and its signature verifies, except the ones upstream marks invalid (and the two
//! plugin envelopes with an unknown critical attribute, which this verifier rejects by design).
//! Skips with a message when the vectors directory is absent.

use notaverify::envelope::EnvelopePart;
use notaverify::{Envelope, EnvelopeError, SignatureAlgorithm, SigningScheme, Time};
use std::path::PathBuf;

mod common;

fn vectors() -> Option<PathBuf> {
    common::shared_vectors()
}

const JWS: &str = "application/jose+json";
const COSE: &str = "application/cose";
const MOCK: &str = "notaryproject__notation-go/internal/mock/testdata/";
const TIMESTAMP: &str = "notaryproject__notation-go/verifier/testdata/timestamp/sigEnv/";

const NET_MONITOR: &str = "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";
const WABBIT: &str = "sha256:fe7e9333395060c2f5e63cf36a38fba10176f183b4163a5794e081a480abba5f";
const ALPINE_V2: &str = "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0";
const TIMESTAMPED: &str = "sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda";
const BLOB: &str =
    "sha384:b8ab24dafba5cf7e4c89c562f811cf10493d4203da982d3b1345f366ca863d9c2ed323dbd0fb7ff83a80302ceffa5a61";

/// A valid upstream envelope and what INVENTORY.md says it holds.
struct Valid {
    path: String,
    media_type: &'static str,
    algorithm: SignatureAlgorithm,
    scheme: SigningScheme,
    signing_time: &'static str,
    digest: &'static str,
    size: i64,
    chain_length: usize,
    timestamped: bool,
}

#[allow(clippy::too_many_arguments)] // one call per table row
fn valid(
    path: impl Into<String>,
    media_type: &'static str,
    algorithm: SignatureAlgorithm,
    scheme: SigningScheme,
    signing_time: &'static str,
    (digest, size): (&'static str, i64),
    chain_length: usize,
    timestamped: bool,
) -> Valid {
    Valid { path: path.into(), media_type, algorithm, scheme, signing_time, digest, size, chain_length, timestamped }
}

fn valid_envelopes() -> Vec<Valid> {
    use SignatureAlgorithm::{Ps256, Ps384};
    use SigningScheme::{X509, X509SigningAuthority as Sa};
    let mock = |name: &str| format!("{MOCK}{name}");
    let plugin_versions = [
        ("0.0.9", "2023-01-19T00:21:36-08:00"),
        ("1.0.0-alpha.beta", "2023-01-19T13:03:23-08:00"),
        ("1.0.0-alpha", "2023-01-19T12:57:04-08:00"),
        ("1.0.0", "2023-01-19T13:05:58-08:00"),
    ]
    .map(|(v, t)| (format!("ca_compatible_pluginver_sig_env_{v}.json"), t));
    let incompatible = [
        ("1.0.1", "2023-01-19T12:49:02-08:00"),
        ("1.0.9", "2023-01-19T00:47:18-08:00"),
        ("1.1.0-alpha", "2023-01-19T12:40:34-08:00"),
        ("1.2.3", "2023-01-19T12:54:01-08:00"),
    ]
    .map(|(v, t)| (format!("ca_incompatible_pluginver_sig_env_{v}.json"), t));
    let mut cases: Vec<Valid> = plugin_versions
        .into_iter()
        .chain(incompatible)
        .map(|(name, time)| valid(mock(&name), JWS, Ps256, X509, time, (WABBIT, 942), 1, false))
        .collect();
    cases.extend([
        valid(mock("ca_valid_sig_env.json"), JWS, Ps384, X509, "2020-11-09T07:00:00Z", (NET_MONITOR, 528), 2, false),
        valid(mock("ca_expired_sig_env.json"), JWS, Ps384, X509, "2022-07-29T00:00:00Z", (NET_MONITOR, 528), 2, false),
        valid(mock("sa_valid_sig_env.json"), JWS, Ps384, Sa, "2020-11-09T07:00:00Z", (NET_MONITOR, 528), 2, false),
        valid(mock("sa_expired_sig_env.json"), JWS, Ps384, Sa, "2022-07-29T00:00:00Z", (NET_MONITOR, 528), 2, false),
        valid(
            mock("sig_env_with_metadata.json"),
            JWS,
            Ps256,
            X509,
            "2023-01-11T10:02:54-08:00",
            ("sha256:5a07385af4e6b6af81b0ebfd435aedccdfa3507f0609c658209e1aba57159b2b", 942),
            1,
            false,
        ),
        valid(
            "notaryproject__notation-go/internal/testdata/jws_signature.sig",
            JWS,
            Ps256,
            X509,
            "2023-03-14T16:10:02+08:00",
            (ALPINE_V2, 481),
            1,
            false,
        ),
        valid(
            "notaryproject__notation-go/internal/testdata/cose_signature.sig",
            COSE,
            Ps256,
            X509,
            "2023-03-14T04:45:22Z",
            (ALPINE_V2, 481),
            1,
            false,
        ),
        valid(
            "notaryproject__notation-go/_extracted/example_localVerify_test/signature.cose",
            COSE,
            Ps256,
            X509,
            "2023-01-09T01:27:34Z",
            ("sha256:c0d488a800e4127c334ad20d61d7bc21b4097540327217dfab52262adc02380c", 528),
            1,
            false,
        ),
        valid(
            "notaryproject__notation-go/_extracted/example_verifyBlob_test/signature.jws.json",
            JWS,
            Ps384,
            X509,
            "2024-04-04T14:20:21-07:00",
            (BLOB, 12),
            1,
            false,
        ),
        valid(
            "notaryproject__notation-go/_extracted/verifier/verifier_test/testSig.jws.json",
            JWS,
            Ps384,
            X509,
            "2024-04-04T15:03:06-07:00",
            (BLOB, 12),
            1,
            false,
        ),
    ]);
    for (name, media_type, time, timestamped) in [
        ("coseExpiredWithTimestamp.sig", COSE, "2024-06-18T07:21:07Z", true),
        ("coseWithTimestamp.sig", COSE, "2024-06-18T06:27:11Z", true),
        ("jwsExpiredWithTimestamp.sig", JWS, "2024-06-18T15:21:38+08:00", true),
        ("jwsWithTimestamp.sig", JWS, "2024-06-18T14:29:33+08:00", true),
        ("timestampAfterNotAfter.sig", COSE, "2024-06-19T09:35:54Z", true),
        ("timestampBeforeNotBefore.sig", JWS, "2024-06-19T17:30:11+08:00", true),
        ("withoutTimestamp.sig", JWS, "2024-06-18T17:08:35+08:00", false),
    ] {
        cases.push(valid(
            format!("{TIMESTAMP}{name}"),
            media_type,
            Ps256,
            X509,
            time,
            (TIMESTAMPED, 528),
            1,
            timestamped,
        ));
    }
    cases
}

#[test]
fn valid_upstream_envelopes_parse_and_verify() {
    let Some(dir) = vectors() else { return };
    let cases = valid_envelopes();
    assert_eq!(cases.len(), 25);
    for case in cases {
        let bytes = std::fs::read(dir.join(&case.path)).unwrap_or_else(|e| panic!("{}: {e}", case.path));
        let envelope = Envelope::parse(case.media_type, &bytes).unwrap_or_else(|e| panic!("{}: {e}", case.path));
        assert_eq!(envelope.format.media_type(), case.media_type, "{}", case.path);
        assert_eq!(envelope.signed.algorithm, case.algorithm, "{}", case.path);
        assert_eq!(envelope.signed.signing_scheme, case.scheme, "{}", case.path);
        assert_eq!(
            envelope.signed.signing_time_for_scheme(),
            Time::parse_rfc3339(case.signing_time).unwrap(),
            "{}",
            case.path
        );
        assert_eq!(envelope.unsigned.certificate_chain.len(), case.chain_length, "{}", case.path);
        assert_eq!(envelope.unsigned.timestamp_signature.is_some(), case.timestamped, "{}", case.path);
        assert!(envelope.unsigned.signing_agent.is_some(), "{}", case.path);
        let target = envelope.target().unwrap_or_else(|e| panic!("{}: {e}", case.path));
        assert_eq!((target.digest.as_str(), target.size), (case.digest, case.size), "{}", case.path);
        assert_eq!(envelope.verify_signature(), Ok(()), "{}", case.path);

        // Any change to the signed bytes breaks the signature.
        let mut tampered = envelope.clone();
        if let Some(last) = tampered.signature.last_mut() {
            *last ^= 1;
        }
        assert!(matches!(tampered.verify_signature(), Err(EnvelopeError::InvalidSignature(_))), "{}", case.path);
    }
}

#[test]
fn upstream_attributes_are_read() {
    let Some(dir) = vectors() else { return };
    let read = |path: &str, media_type| Envelope::parse(media_type, &std::fs::read(dir.join(path)).unwrap()).unwrap();

    let expired = read(&format!("{MOCK}ca_expired_sig_env.json"), JWS);
    assert_eq!(expired.signed.expiry, Some(Time::parse_rfc3339("2022-07-29T23:59:00Z").unwrap()));
    assert_eq!(
        expired.unsigned.signing_agent.as_deref(),
        Some("Notation/1.0.0"),
        "spelled io.cncf.notary.SigningAgent"
    );

    let plugin = read(&format!("{MOCK}ca_incompatible_pluginver_sig_env_1.2.3.json"), JWS);
    assert_eq!(plugin.signed.verification_plugin.as_deref(), Some("io.cncf.notary.plugin.unittest.mock"));
    assert_eq!(plugin.signed.verification_plugin_min_version.as_deref(), Some("1.2.3"));
    assert!(plugin.signed.extended_attributes.iter().all(|a| a.critical));

    let metadata = read(&format!("{MOCK}sig_env_with_metadata.json"), JWS).target().unwrap();
    assert_eq!(metadata.annotations.get("io.wabbit-networks.buildId").map(String::as_str), Some("123"));
    assert_eq!(metadata.annotations.get("io.wabbit-networks.buildTime").map(String::as_str), Some("1672944615"));

    let blob = read("notaryproject__notation-go/_extracted/example_verifyBlob_test/signature.jws.json", JWS);
    assert_eq!(blob.target().unwrap().media_type, "video/mp4");
    assert_eq!(blob.signed.algorithm.digest_algorithm(), "sha384");
}

#[test]
fn invalid_upstream_envelopes_fail_as_upstream_says() {
    let Some(dir) = vectors() else { return };
    // The payload carries base64 padding: notation-go fails with "illegal base64 data".
    for name in ["ca_invalid_sig_env.json", "sa_invalid_sig_env.json"] {
        let bytes = std::fs::read(dir.join(MOCK).join(name)).unwrap();
        assert_eq!(
            Envelope::parse(JWS, &bytes),
            Err(EnvelopeError::InvalidMember {
                part: EnvelopePart::Envelope,
                name: "payload".into(),
                reason: "is not unpadded base64url"
            }),
            "{name}"
        );
    }
    // `SomeKey` is critical and unknown: rejected here (spec MUST); notation-go leaves it to the
    // verification plugin.
    for name in ["ca_plugin_sig_env.json", "sa_plugin_sig_env.json"] {
        let bytes = std::fs::read(dir.join(MOCK).join(name)).unwrap();
        assert_eq!(Envelope::parse(JWS, &bytes), Err(EnvelopeError::UnknownCriticalHeader("SomeKey".into())), "{name}");
    }
    let bytes = std::fs::read(dir.join(MOCK).join("ca_valid_sig_env.json")).unwrap();
    assert_eq!(
        Envelope::parse("application/unsupported+json", &bytes),
        Err(EnvelopeError::UnsupportedMediaType("application/unsupported+json".into()))
    );
}

/// The notation-core-go conformance vectors carry a critical extended attribute, `signedCritKey1`,
/// and no certificate chain. Their exact bytes pass base64url/CBOR, alg, cty, crit, scheme, time
/// and expiry rules (checked before); only the unknown critical attribute is refused. The
/// module unit tests check the attributes read from these bytes one by one.
#[test]
fn conformance_vectors_fail_only_on_the_unknown_critical_attribute() {
    let Some(dir) = vectors() else { return };
    let core = dir.join("notaryproject__notation-core-go/signature");
    let jws = std::fs::read(core.join("jws/testdata/conformance.json")).unwrap();
    assert_eq!(Envelope::parse(JWS, &jws), Err(EnvelopeError::UnknownCriticalHeader("signedCritKey1".into())));

    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(core.join("cose/testdata/conformance.json")).unwrap()).unwrap();
    let text = document["expectedOutput"]["cborHex"].as_str().unwrap();
    let cose: Vec<u8> = (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
    assert_eq!(Envelope::parse(COSE, &cose), Err(EnvelopeError::UnknownCriticalHeader("signedCritKey1".into())));
}
