//! Certificate revocation lists (RFC 5280 §5), parsed as Go's `x509.ParseRevocationList` reads
//! them, and checked as notation-core-go's CRL checker does.

use super::RevocationError;
use crate::Time;
use crate::crypto;
use crate::limits::MAX_CRL_BYTES;
use crate::timestamp::der::{AlgorithmIdentifier, Seq, Tlv, open, scheme_for, tag};
use crate::x509::Certificate;
use const_oid::ObjectIdentifier;
use std::cmp::Ordering;

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const REASON_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
const KEY_USAGE_CRL_SIGN: u16 = 1 << 6;

/// The reason codes notation treats as "on hold" rather than revoked.
const CERTIFICATE_HOLD: i64 = 6;
const REMOVE_FROM_CRL: i64 = 8;

/// One revoked-certificate entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    serial: Vec<u8>,
    revocation_time: Time,
    reason: Option<i64>,
    invalidity_date: Option<Time>,
    unknown_critical: Option<String>,
}

/// A parsed CRL (base or delta).
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
    pub fn from_der(der: &[u8]) -> Result<Crl, RevocationError> {
        if der.len() > MAX_CRL_BYTES {
            return Err(RevocationError::TooLarge { what: "CRL", limit: MAX_CRL_BYTES, actual: der.len() });
        }
        parse(der).ok_or_else(|| RevocationError::Malformed { what: "CRL", reason: "x509: malformed crl".into() })
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
            RevocationError::Invalid(format!(
                "unsupported CRL signature algorithm {}",
                self.signature_algorithm.dotted()
            ))
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
    pub(crate) fn pairs_with(&self, base: &Crl) -> bool {
        let (Some(base_number), Some(delta_number), Some(indicator)) =
            (&base.number, &self.number, &self.delta_indicator)
        else {
            return false;
        };
        compare(delta_number, base_number) == Ordering::Greater && compare(indicator, base_number) != Ordering::Greater
    }

    /// How new this CRL is: by CRL number (a CRL without one ranks below any with one), then by
    /// thisUpdate. Equal ranks with different content cannot be ordered.
    pub(crate) fn cmp_rank(&self, other: &Crl) -> Ordering {
        let by_number = match (&self.number, &other.number) {
            (Some(a), Some(b)) => compare(a, b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        };
        by_number.then(self.this_update.cmp(&other.this_update))
    }

    /// Whether two CRLs say the same thing (their signed content is byte-equal; the signatures
    /// may differ, e.g. a CRL signed twice with ECDSA).
    pub(crate) fn same_content(&self, other: &Crl) -> bool {
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

fn parse(der: &[u8]) -> Option<Crl> {
    let mut outer = open(der, tag::SEQUENCE)?;
    let tbs_tlv = outer.expect(tag::SEQUENCE)?;
    let signature_algorithm = AlgorithmIdentifier::parse(&outer.next_tlv()?)?;
    let signature = outer.expect(tag::BIT_STRING)?.bit_string_bytes()?.to_vec();
    if !outer.is_empty() {
        return None;
    }
    let mut tbs = tbs_tlv.items();
    if let Some(version) = tbs.optional(tag::INTEGER)?
        && version.i64()? != 1
    {
        return None;
    }
    let inner_algorithm = AlgorithmIdentifier::parse(&tbs.next_tlv()?)?;
    if inner_algorithm != signature_algorithm {
        return None;
    }
    let issuer = tbs.expect(tag::SEQUENCE)?.whole.to_vec();
    let this_update = tbs.next_tlv()?.time()?;
    let next_update = match tbs.peek_tag() {
        Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(tbs.next_tlv()?.time()?),
        _ => None,
    };
    let mut entries = Vec::new();
    if let Some(list) = tbs.optional(tag::SEQUENCE)? {
        for item in list.items().collect_all()? {
            entries.push(parse_entry(&item)?);
        }
    }
    let mut crl = Crl {
        tbs: tbs_tlv.whole.to_vec(),
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
    if let Some(explicit) = tbs.optional(tag::constructed(0))? {
        for (oid, critical, value) in extensions(&explicit.items().expect(tag::SEQUENCE)?)? {
            match oid {
                o if o == CRL_NUMBER => crl.number = Some(Tlv::parse(&value)?.integer_bytes()?.to_vec()),
                o if o == DELTA_CRL_INDICATOR => {
                    crl.delta_indicator = Some(Tlv::parse(&value)?.integer_bytes()?.to_vec())
                }
                o if o == ISSUING_DISTRIBUTION_POINT => crl.idp_urls = idp_urls(&value)?,
                o if o == FRESHEST_CRL => crl.has_freshest = true,
                o if critical && crl.unknown_critical.is_none() => crl.unknown_critical = Some(o.to_string()),
                _ => {}
            }
        }
    }
    tbs.is_empty().then_some(crl)
}

fn parse_entry(item: &Tlv<'_>) -> Option<Entry> {
    if item.tag != tag::SEQUENCE {
        return None;
    }
    let mut fields = item.items();
    let serial = fields.expect(tag::INTEGER)?.integer_bytes()?.to_vec();
    let revocation_time = fields.next_tlv()?.time()?;
    let mut entry = Entry { serial, revocation_time, reason: None, invalidity_date: None, unknown_critical: None };
    if let Some(exts) = fields.optional(tag::SEQUENCE)? {
        for (oid, critical, value) in extensions(&exts)? {
            match oid {
                o if o == REASON_CODE => {
                    let t = Tlv::parse(&value)?;
                    entry.reason = Some(Tlv { tag: tag::INTEGER, ..t }.i64().filter(|_| t.tag == tag::ENUMERATED)?);
                }
                o if o == INVALIDITY_DATE => entry.invalidity_date = Some(Tlv::parse(&value)?.time()?),
                o if critical && entry.unknown_critical.is_none() => entry.unknown_critical = Some(o.to_string()),
                _ => {}
            }
        }
    }
    Some(entry)
}

/// The (OID, critical, value) triples of an Extensions SEQUENCE.
pub(crate) fn extensions(list: &Tlv<'_>) -> Option<Vec<(ObjectIdentifier, bool, Vec<u8>)>> {
    if list.tag != tag::SEQUENCE {
        return None;
    }
    let mut out = Vec::new();
    for ext in list.items().collect_all()? {
        if ext.tag != tag::SEQUENCE {
            return None;
        }
        let mut parts = ext.items();
        let oid = parts.next_tlv()?.oid()?;
        let critical = match parts.optional(tag::BOOLEAN)? {
            Some(b) => match b.value {
                [0xff] => true,
                [0x00] => false,
                _ => return None,
            },
            None => false,
        };
        let value = parts.expect(tag::OCTET_STRING)?.value.to_vec();
        out.push((oid, critical, value));
    }
    Some(out)
}

/// IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] { fullName [0] GeneralNames } ... }
fn idp_urls(value: &[u8]) -> Option<Vec<String>> {
    let mut fields = open(value, tag::SEQUENCE)?;
    let Some(point) = fields.optional(tag::constructed(0))? else { return Some(Vec::new()) };
    let Some(full_name) = point.items().optional(tag::constructed(0))? else { return Some(Vec::new()) };
    let mut urls = Vec::new();
    let mut names: Seq<'_> = full_name.items();
    while let Some(name) = names.next_tlv() {
        if name.tag == tag::context(6) {
            urls.push(String::from_utf8_lossy(name.value).into_owned());
        }
    }
    Some(urls)
}
