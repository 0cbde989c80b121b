//! Certificate revocation lists (RFC 5280 §5), parsed as Go's `x509.ParseRevocationList` reads
//! them, and checked as notation-core-go's CRL checker does.

use super::RevocationError;
use crate::asn1::{Element, FromDer, Malformed, Reader, Rules, read_all, read_extensions, tag};
use crate::crypto;
use crate::limits::MAX_CRL_BYTES;
use crate::x509::{AlgorithmIdentifier, Certificate, scheme_for};
use crate::{Time, oid};
use std::cmp::Ordering;

const KEY_USAGE_CRL_SIGN: u16 = 1 << 6;

/// The reason codes notation treats as "on hold" rather than revoked.
const CERTIFICATE_HOLD: i64 = 6;
const REMOVE_FROM_CRL: i64 = 8;

/// One revoked-certificate entry (RFC 5280 §5.1, the element of `revokedCertificates`):
///
/// ```asn1
/// SEQUENCE  {
///      userCertificate         CertificateSerialNumber,
///      revocationDate          Time,
///      crlEntryExtensions      Extensions OPTIONAL
///                               -- if present, version MUST be v2
///                           }
/// ```
///
/// Of the entry extensions, reasonCode and invalidityDate are read (RFC 5280 §5.3.1, §5.3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    serial: Vec<u8>,
    revocation_time: Time,
    reason: Option<i64>,
    invalidity_date: Option<Time>,
    unknown_critical: Option<String>,
}

/// A parsed CRL (base or delta). RFC 5280 §5.1:
///
/// ```asn1
/// CertificateList  ::=  SEQUENCE  {
///      tbsCertList          TBSCertList,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
///
/// TBSCertList  ::=  SEQUENCE  {
///      version                 Version OPTIONAL,
///                                   -- if present, MUST be v2
///      signature               AlgorithmIdentifier,
///      issuer                  Name,
///      thisUpdate              Time,
///      nextUpdate              Time OPTIONAL,
///      revokedCertificates     SEQUENCE OF SEQUENCE  { ... }  OPTIONAL,
///      crlExtensions           [0]  EXPLICIT Extensions OPTIONAL
///                                   -- if present, version MUST be v2
///                           }
/// ```
///
/// Of the CRL extensions, cRLNumber, deltaCRLIndicator, issuingDistributionPoint and
/// freshestCRL are read (RFC 5280 §5.2); any other critical one makes the CRL unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crl {
    tbs: Vec<u8>,
    signature_algorithm: AlgorithmIdentifier,
    signature: Vec<u8>,
    issuer: Vec<u8>,
    this_update: Time,
    next_update: Option<Time>,
    number: Option<Vec<u8>>,
    delta_indicator: Option<Vec<u8>>,
    idp_urls: Vec<String>,
    has_freshest: bool,
    unknown_critical: Option<String>,
    entries: Vec<Entry>,
}

impl Crl {
    /// Parses one DER CRL.
    ///
    /// ```
    /// assert!(notaverify::revocation::Crl::from_der(b"\x30\x00").is_err());
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, RevocationError> {
        if der.len() > MAX_CRL_BYTES {
            return Err(RevocationError::TooLarge { what: "CRL", limit: MAX_CRL_BYTES, actual: der.len() });
        }
        read_all(der, Rules::Cryptobyte)
            .map_err(|m: Malformed| RevocationError::Malformed { what: "CRL", reason: m.0.into() })
    }

    /// Whether this is a delta CRL (it has a deltaCRLIndicator).
    pub fn is_delta(&self) -> bool {
        self.delta_indicator.is_some()
    }

    /// The issuer Name (DER).
    pub(crate) fn raw_issuer(&self) -> &[u8] {
        &self.issuer
    }

    /// The URIs of the issuingDistributionPoint's fullName, if any.
    pub(crate) fn idp_urls(&self) -> &[String] {
        &self.idp_urls
    }

    /// When it was issued.
    pub fn this_update(&self) -> Time {
        self.this_update
    }

    /// When the next one is due, if stated.
    pub fn next_update(&self) -> Option<Time> {
        self.next_update
    }

    /// Whether it has a Freshest CRL extension (a delta CRL exists).
    pub fn has_freshest_crl(&self) -> bool {
        self.has_freshest
    }

    /// Verifies the signature with `issuer`'s key, as Go's `CheckSignatureFrom`: the issuer must
    /// be a CA and, when it has a keyUsage, allow cRLSign.
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), RevocationError> {
        let constraints = issuer.basic_constraints();
        let can_sign = constraints.is_some_and(|bc| bc.ca)
            && issuer.key_usage().is_none_or(|ku| ku.bits == 0 || ku.bits & KEY_USAGE_CRL_SIGN != 0);
        if !can_sign {
            return Err(RevocationError::Invalid(format!(
                "CRL signer {:?} is not a CA allowed to sign CRLs",
                issuer.subject()
            )));
        }
        let scheme = scheme_for(&self.signature_algorithm, issuer.public_key(), true).ok_or_else(|| {
            RevocationError::Invalid(format!("unsupported CRL signature algorithm {}", self.signature_algorithm.oid))
        })?;
        crypto::verify(scheme, issuer.public_key(), &self.tbs, &self.signature).map_err(|_| {
            RevocationError::Invalid(format!("CRL signature does not verify with the key of {:?}", issuer.subject()))
        })
    }

    /// Checks that the CRL can be used for a certificate issued by `issuer`, fetched from `url`,
    /// at time `at`.
    pub(crate) fn validate(&self, issuer: &Certificate, url: &str, at: Time) -> Result<(), RevocationError> {
        if self.issuer != issuer.raw_subject() {
            return Err(RevocationError::Invalid(format!("CRL issuer is not {:?}", issuer.subject())));
        }
        self.verify_signed_by(issuer)?;
        if let Some(oid) = &self.unknown_critical {
            return Err(RevocationError::Invalid(format!("CRL has an unsupported critical extension {oid}")));
        }
        let next = self.next_update.ok_or_else(|| RevocationError::Invalid("CRL has no NextUpdate".into()))?;
        if at > next {
            return Err(RevocationError::Invalid(format!("expired CRL: NextUpdate is {}", next)));
        }
        if at < self.this_update {
            return Err(RevocationError::Invalid(format!("CRL is not yet valid: ThisUpdate is {}", self.this_update)));
        }
        if !self.idp_urls.is_empty() && !self.idp_urls.iter().any(|u| u == url) {
            return Err(RevocationError::Invalid(format!(
                "CRL issuing distribution point {:?} does not cover {url:?}",
                self.idp_urls
            )));
        }
        Ok(())
    }

    /// Whether this delta CRL applies to `base` (RFC 5280 §5.2.4, notation-core-go): its
    /// BaseCRLNumber is at most the base's CRL number and its own CRL number is above it.
    pub(crate) fn pairs_with(&self, base: &Self) -> bool {
        let (Some(base_number), Some(delta_number), Some(indicator)) =
            (&base.number, &self.number, &self.delta_indicator)
        else {
            return false;
        };
        compare(delta_number, base_number) == Ordering::Greater && compare(indicator, base_number) != Ordering::Greater
    }

    /// How new this CRL is: by CRL number (a CRL without one ranks below any with one), then by
    /// thisUpdate. Equal ranks with different content cannot be ordered.
    pub(crate) fn cmp_rank(&self, other: &Self) -> Ordering {
        let by_number = match (&self.number, &other.number) {
            (Some(a), Some(b)) => compare(a, b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        };
        by_number.then(self.this_update.cmp(&other.this_update))
    }

    /// Whether two CRLs say the same thing (their signed content is byte-equal; the signatures
    /// may differ, e.g. a CRL signed twice with ECDSA).
    pub(crate) fn same_content(&self, other: &Self) -> bool {
        self.tbs == other.tbs
    }

    /// The CRL number for messages: decimal when it fits 128 bits, else hex; `none` when absent.
    pub(crate) fn number_text(&self) -> String {
        let Some(number) = &self.number else { return "none".to_owned() };
        let digits = strip_leading_zeros(number);
        match digits.len() {
            0..=16 => digits.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b)).to_string(),
            _ => format!("0x{}", crypto::hex(digits)),
        }
    }

    /// The entries that name `serial`, in CRL order.
    pub(crate) fn entries_for(&self, serial: &[u8]) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.serial == serial).collect()
    }

    /// What the entries for one serial number (of a base CRL, then of its delta) say:
    /// `Ok(true)` revoked, `Ok(false)` not revoked. Entries with an invalidity date after
    /// `signing_time` are ignored; certificateHold / removeFromCRL entries count by the latest one.
    pub(crate) fn revoked<'e>(
        entries: impl IntoIterator<Item = &'e Entry>,
        signing_time: Option<Time>,
    ) -> Result<bool, RevocationError> {
        let mut latest_hold: Option<&Entry> = None;
        for entry in entries {
            if let (Some(invalid_from), Some(signed)) = (entry.invalidity_date, signing_time)
                && signed < invalid_from
            {
                continue;
            }
            if let Some(oid) = &entry.unknown_critical {
                return Err(RevocationError::Invalid(format!("CRL entry has an unsupported critical extension {oid}")));
            }
            match entry.reason {
                Some(CERTIFICATE_HOLD | REMOVE_FROM_CRL) => {
                    if latest_hold.is_none_or(|h| entry.revocation_time > h.revocation_time) {
                        latest_hold = Some(entry);
                    }
                }
                _ => return Ok(true),
            }
        }
        Ok(latest_hold.is_some_and(|h| h.reason == Some(CERTIFICATE_HOLD)))
    }
}

/// Compares two non-negative INTEGER contents.
fn compare(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (strip_leading_zeros(a), strip_leading_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip_leading_zeros(x: &[u8]) -> &[u8] {
    &x[x.iter().take_while(|b| **b == 0).count()..]
}

impl<'a> FromDer<'a> for Crl {
    const WHAT: &'static str = "x509: malformed crl";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut outer = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let tbs_element = outer.read_element(tag::SEQUENCE).ok_or(bad)?;
        let signature_algorithm: AlgorithmIdentifier = outer.read_value().map_err(|_| bad)?;
        let signature = outer.read_bit_string().and_then(|b| b.whole_bytes()).ok_or(bad)?.to_vec();
        if !outer.is_empty() {
            return Err(bad);
        }
        let mut tbs = tbs_element.reader();
        if let Some(version) = tbs.read_optional(tag::INTEGER).ok_or(bad)?
            && version.implicit_i64() != Some(1)
        {
            return Err(bad);
        }
        let inner_algorithm: AlgorithmIdentifier = tbs.read_value().map_err(|_| bad)?;
        if inner_algorithm != signature_algorithm {
            return Err(bad);
        }
        let issuer = tbs.read_element(tag::SEQUENCE).ok_or(bad)?.whole.to_vec();
        let this_update = tbs.read_time().ok_or(bad)?;
        let next_update = match tbs.peek_tag() {
            Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(tbs.read_time().ok_or(bad)?),
            _ => None,
        };
        let entries = match tbs.read_optional(tag::SEQUENCE).ok_or(bad)? {
            Some(list) => list.reader().read_all_values().map_err(|_| bad)?,
            None => Vec::new(),
        };
        let mut crl = Self {
            tbs: tbs_element.whole.to_vec(),
            signature_algorithm,
            signature,
            issuer,
            this_update,
            next_update,
            number: None,
            delta_indicator: None,
            idp_urls: Vec::new(),
            has_freshest: false,
            unknown_critical: None,
            entries,
        };
        if let Some(explicit) = tbs.read_optional(tag::context_constructed(0)).ok_or(bad)? {
            let list = explicit.reader().read_element(tag::SEQUENCE).ok_or(bad)?;
            let unknown = read_extensions::<Malformed>(list, |extension| {
                let value = extension.value;
                if extension.oid.is(&oid::CRL_NUMBER) {
                    crl.number = Some(read_integer(value)?);
                } else if extension.oid.is(&oid::DELTA_CRL_INDICATOR) {
                    crl.delta_indicator = Some(read_integer(value)?);
                } else if extension.oid.is(&oid::ISSUING_DISTRIBUTION_POINT) {
                    crl.idp_urls = idp_urls(value).ok_or(bad)?;
                } else if extension.oid.is(&oid::FRESHEST_CRL) {
                    crl.has_freshest = true;
                } else {
                    return Ok(false);
                }
                Ok(true)
            })
            .map_err(|_| bad)?;
            crl.unknown_critical = unknown.map(|oid| oid.to_dotted());
        }
        if !tbs.is_empty() {
            return Err(bad);
        }
        Ok(crl)
    }
}

impl<'a> FromDer<'a> for Entry {
    const WHAT: &'static str = "x509: malformed crl";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let serial = fields.read_integer_bytes().ok_or(bad)?.to_vec();
        let revocation_time = fields.read_time().ok_or(bad)?;
        let mut entry = Self { serial, revocation_time, reason: None, invalidity_date: None, unknown_critical: None };
        if let Some(list) = fields.read_optional(tag::SEQUENCE).ok_or(bad)? {
            let unknown = read_extensions::<Malformed>(list, |extension| {
                if extension.oid.is(&oid::REASON_CODE) {
                    // CRLReason ::= ENUMERATED { ... }
                    let reason: Element<'_> = read_all(extension.value, Rules::Cryptobyte)?;
                    entry.reason = Some(reason.implicit_i64().filter(|_| reason.tag == tag::ENUMERATED).ok_or(bad)?);
                } else if extension.oid.is(&oid::INVALIDITY_DATE) {
                    // InvalidityDate ::=  GeneralizedTime (Go also takes a UTCTime)
                    entry.invalidity_date = Some(read_all(extension.value, Rules::Cryptobyte)?);
                } else {
                    return Ok(false);
                }
                Ok(true)
            })
            .map_err(|_| bad)?;
            entry.unknown_critical = unknown.map(|oid| oid.to_dotted());
        }
        Ok(entry)
    }
}

/// `CRLNumber ::= INTEGER (0..MAX)` and `BaseCRLNumber ::= CRLNumber`: the content bytes.
fn read_integer(value: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut reader = Reader::new(value);
    let bytes = reader.read_integer_bytes().filter(|_| reader.is_empty()).ok_or(Malformed("CRL number"))?;
    Ok(bytes.to_vec())
}

/// The URIs of the fullName of an issuingDistributionPoint (RFC 5280 §5.2.5):
///
/// ```asn1
/// IssuingDistributionPoint ::= SEQUENCE {
///      distributionPoint          [0] DistributionPointName OPTIONAL,
///      ... }
///
/// DistributionPointName ::= CHOICE {
///      fullName                [0]     GeneralNames,
///      nameRelativeToCRLIssuer [1]     RelativeDistinguishedName }
/// ```
///
/// Names after a malformed one are not read.
fn idp_urls(value: &[u8]) -> Option<Vec<String>> {
    let idp: Element<'_> = read_all(value, Rules::Cryptobyte).ok()?;
    if idp.tag != tag::SEQUENCE {
        return None;
    }
    let Some(point) = idp.reader().read_optional(tag::context_constructed(0))? else { return Some(Vec::new()) };
    let Some(full_name) = point.reader().read_optional(tag::context_constructed(0))? else {
        return Some(Vec::new());
    };
    let mut urls = Vec::new();
    let mut names = full_name.reader();
    while let Some(name) = names.read_any() {
        if name.tag == tag::context(6) {
            urls.push(String::from_utf8_lossy(name.value).into_owned());
        }
    }
    Some(urls)
}
