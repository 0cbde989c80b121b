//! Every OBJECT IDENTIFIER the crate knows, in one place, named as the RFC that assigns it
//! names it. Parsed OIDs are compared with these by their content bytes
//! ([`crate::asn1::Oid::is`]).

use const_oid::ObjectIdentifier as O;

// Hash algorithms (RFC 3279, RFC 5758) and the RSASSA-PSS mask generation function (RFC 4055).
pub(crate) const SHA1: O = O::new_unwrap("1.3.14.3.2.26");
pub(crate) const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
pub(crate) const MGF1: O = O::new_unwrap("1.2.840.113549.1.1.8");

// Public key algorithms (RFC 3279, RFC 5480) and the named curves Go parses.
pub(crate) const RSA_ENCRYPTION: O = O::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
pub(crate) const SECP224R1: O = O::new_unwrap("1.3.132.0.33");
pub(crate) const SECP256R1: O = O::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const SECP384R1: O = O::new_unwrap("1.3.132.0.34");
pub(crate) const SECP521R1: O = O::new_unwrap("1.3.132.0.35");

// Signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8410), as Go's `signatureAlgorithmDetails`.
pub(crate) const MD2_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.2");
pub(crate) const MD5_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.4");
pub(crate) const SHA1_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.5");
/// The OIW form of sha1WithRSAEncryption, which Go also accepts.
pub(crate) const SHA1_WITH_RSA_OIW: O = O::new_unwrap("1.3.14.3.2.29");
pub(crate) const SHA256_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.11");
pub(crate) const SHA384_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.12");
pub(crate) const SHA512_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.13");
pub(crate) const RSA_PSS: O = O::new_unwrap("1.2.840.113549.1.1.10");
pub(crate) const ECDSA_SHA1: O = O::new_unwrap("1.2.840.10045.4.1");
pub(crate) const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
pub(crate) const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
pub(crate) const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
pub(crate) const DSA_SHA1: O = O::new_unwrap("1.2.840.10040.4.3");
pub(crate) const DSA_SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.3.2");
pub(crate) const ED25519: O = O::new_unwrap("1.3.101.112");

// Name attribute types (RFC 5280 appendix A), those Go prints by a short name.
pub(crate) const COUNTRY: O = O::new_unwrap("2.5.4.6");
pub(crate) const STATE_OR_PROVINCE: O = O::new_unwrap("2.5.4.8");
pub(crate) const LOCALITY: O = O::new_unwrap("2.5.4.7");
pub(crate) const STREET_ADDRESS: O = O::new_unwrap("2.5.4.9");
pub(crate) const POSTAL_CODE: O = O::new_unwrap("2.5.4.17");
pub(crate) const ORGANIZATION: O = O::new_unwrap("2.5.4.10");
pub(crate) const ORGANIZATIONAL_UNIT: O = O::new_unwrap("2.5.4.11");
pub(crate) const COMMON_NAME: O = O::new_unwrap("2.5.4.3");
pub(crate) const SERIAL_NUMBER: O = O::new_unwrap("2.5.4.5");

// Certificate extensions (RFC 5280 §4.2).
pub(crate) const SUBJECT_KEY_IDENTIFIER: O = O::new_unwrap("2.5.29.14");
pub(crate) const KEY_USAGE: O = O::new_unwrap("2.5.29.15");
pub(crate) const SUBJECT_ALT_NAME: O = O::new_unwrap("2.5.29.17");
pub(crate) const BASIC_CONSTRAINTS: O = O::new_unwrap("2.5.29.19");
pub(crate) const NAME_CONSTRAINTS: O = O::new_unwrap("2.5.29.30");
pub(crate) const CRL_DISTRIBUTION_POINTS: O = O::new_unwrap("2.5.29.31");
pub(crate) const CERTIFICATE_POLICIES: O = O::new_unwrap("2.5.29.32");
pub(crate) const POLICY_MAPPINGS: O = O::new_unwrap("2.5.29.33");
pub(crate) const AUTHORITY_KEY_IDENTIFIER: O = O::new_unwrap("2.5.29.35");
pub(crate) const POLICY_CONSTRAINTS: O = O::new_unwrap("2.5.29.36");
pub(crate) const EXTENDED_KEY_USAGE: O = O::new_unwrap("2.5.29.37");
pub(crate) const FRESHEST_CRL: O = O::new_unwrap("2.5.29.46");
pub(crate) const INHIBIT_ANY_POLICY: O = O::new_unwrap("2.5.29.54");
pub(crate) const AUTHORITY_INFO_ACCESS: O = O::new_unwrap("1.3.6.1.5.5.7.1.1");
pub(crate) const ACCESS_METHOD_OCSP: O = O::new_unwrap("1.3.6.1.5.5.7.48.1");

// Extended key usage purposes (RFC 5280 §4.2.1.12).
pub(crate) const ANY_EXTENDED_KEY_USAGE: O = O::new_unwrap("2.5.29.37.0");
pub(crate) const KP_SERVER_AUTH: O = O::new_unwrap("1.3.6.1.5.5.7.3.1");
pub(crate) const KP_CLIENT_AUTH: O = O::new_unwrap("1.3.6.1.5.5.7.3.2");
pub(crate) const KP_CODE_SIGNING: O = O::new_unwrap("1.3.6.1.5.5.7.3.3");
pub(crate) const KP_EMAIL_PROTECTION: O = O::new_unwrap("1.3.6.1.5.5.7.3.4");
pub(crate) const KP_TIME_STAMPING: O = O::new_unwrap("1.3.6.1.5.5.7.3.8");
pub(crate) const KP_OCSP_SIGNING: O = O::new_unwrap("1.3.6.1.5.5.7.3.9");

// CRL and CRL entry extensions (RFC 5280 §5.2, §5.3).
pub(crate) const CRL_NUMBER: O = O::new_unwrap("2.5.29.20");
pub(crate) const REASON_CODE: O = O::new_unwrap("2.5.29.21");
pub(crate) const INVALIDITY_DATE: O = O::new_unwrap("2.5.29.24");
pub(crate) const DELTA_CRL_INDICATOR: O = O::new_unwrap("2.5.29.27");
pub(crate) const ISSUING_DISTRIBUTION_POINT: O = O::new_unwrap("2.5.29.28");

// OCSP (RFC 6960 §4.2.1).
pub(crate) const OCSP_BASIC: O = O::new_unwrap("1.3.6.1.5.5.7.48.1.1");

// CMS content types and attributes (RFC 5652 §14, §11; RFC 3161 §2.4.2; RFC 5035 §3).
pub(crate) const SIGNED_DATA: O = O::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const TST_INFO: O = O::new_unwrap("1.2.840.113549.1.9.16.1.4");
pub(crate) const CONTENT_TYPE: O = O::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const MESSAGE_DIGEST: O = O::new_unwrap("1.2.840.113549.1.9.4");
pub(crate) const SIGNING_TIME: O = O::new_unwrap("1.2.840.113549.1.9.5");
pub(crate) const SIGNING_CERTIFICATE_V2: O = O::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// The RFC 3628 (ETSI TS 102 023) baseline time-stamp policy (accuracy defaults to 1 s under it).
pub(crate) const BASELINE_TIMESTAMP_POLICY: O = O::new_unwrap("0.4.0.2023.1.1");
