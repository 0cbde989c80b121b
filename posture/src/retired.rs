//! Retired trust material: certificates that used to be trusted and no longer are.
//!
//! Retired material is **never trusted**. It is only recognised: a signature whose verified
//! certificate chain contains a retired certificate is classified "retired signer" (rotated out)
//! instead of "unknown signer", and a signature that still verifies through a retired
//! certificate (because it was left in a trust store the policy names, or because only a leaf or
//! an intermediate under a still-trusted root was retired) is *not* accepted by
//! [`super::classify()`]: it is a retired signer too.
//!
//! The declaration file, version 1:
//!
//! ```json
//! {
//!   "version": "1",
//!   "retired": [
//!     {"store": "ca:acme-2024", "retired": "2025-07-01", "note": "rotated to ca:acme-2025"},
//!     {"sha256Fingerprint": "<64 hex of the certificate's DER>", "retired": "2025-07-01"}
//!   ]
//! }
//! ```
//!
//! A `store` entry (`ca:`, `signingAuthority:` or `tsa:` and a name) retires every certificate
//! of that notation trust store folder (`truststore/x509/<type>/<name>/`), which must exist and
//! which the trust policy should no longer name; a `sha256Fingerprint` entry retires one
//! certificate (root, intermediate or leaf). `retired` (a date, `YYYY-MM-DD`, or an RFC 3339
//! date-time) is mandatory and is reported; it does not delay the retirement.
//!
//! Matching is by what a certificate *is*, not how it is encoded (see
//! [`notaverify::CertificateEncoding`]): certificates of a retired store (and certificates retired
//! directly) are matched by the SHA-256 of their TBSCertificate, which only the issuer can
//! change; a `sha256Fingerprint` matches a presented certificate when the fingerprint is that of
//! the presented bytes, of their canonical DER, or of the canonical DER with the ECDSA twin
//! signature — every encoding a holder of the certificate can make of the one fingerprinted.
//! Reports keep the fingerprint the user wrote (or the store's certificate's) and add the
//! presented one when it differs. Matching runs only on chains whose signatures were verified
//! (the integrity check passed). When two declarations retire one certificate, the earliest
//! retirement (then the smaller label) is reported, whatever their order in the file.

use super::parse_date;
use notaverify::{
    Certificate, CertificateEncoding, Digest, DigestAlgorithm, Envelope, Error, StoreType, Time, TrustStore,
};
use serde::Deserialize;
use std::collections::HashMap;

use notaverify::limits::{MAX_EXCEPTIONS_BYTES, MAX_RETIRED_DECLARATIONS};

/// What a declaration retires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetiredSource {
    /// Every certificate of a trust store folder.
    Store(StoreType, String),
    /// One certificate, by the lower-case hex SHA-256 of its DER.
    Fingerprint(String),
}

impl RetiredSource {
    /// `ca:name` or `sha256:<hex>`.
    pub fn label(&self) -> String {
        match self {
            Self::Store(t, n) => format!("{}:{n}", t.as_str()),
            Self::Fingerprint(f) => format!("sha256:{f}"),
        }
    }
}

/// One declaration of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredDeclaration {
    /// What is retired.
    pub source: RetiredSource,
    /// The date as written.
    pub retired: String,
    /// The date.
    pub retired_at: Time,
    /// A note for people.
    pub note: Option<String>,
}

/// A retired certificate found in a signature's chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetiredMatch {
    /// Lower-case hex SHA-256 of the retired certificate: the fingerprint declared, or that of
    /// the retired store's certificate.
    pub sha256_fingerprint: String,
    /// The fingerprint of the certificate as presented in the signature, when it differs (the
    /// same certificate, re-encoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presented_sha256_fingerprint: Option<String>,
    /// Its subject, when known (always for certificates of a retired store).
    pub subject: Option<String>,
    /// The declaration that retired it: `ca:<name>` or `sha256:<hex>`.
    pub declared_by: String,
    /// When it was retired, as declared.
    pub retired: String,
    /// The declaration's note.
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    version: String,
    retired: Vec<RawDeclaration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawDeclaration {
    store: Option<String>,
    sha256_fingerprint: Option<String>,
    retired: String,
    note: Option<String>,
}

/// A retirement and when it took effect (to choose between two declarations of one certificate).
type Retirement = (Time, RetiredMatch);

/// Retired certificates: those held, by identity (SHA-256 of the TBSCertificate); those
/// declared by fingerprint, by the fingerprint written.
#[derive(Clone, Debug, Default)]
pub struct RetiredMaterial {
    declarations: Vec<RetiredDeclaration>,
    by_identity: HashMap<[u8; 32], Retirement>,
    by_fingerprint: HashMap<String, Retirement>,
}

/// Keeps the earliest retirement (then the smaller label) of one certificate, so the order of
/// declarations never changes a report.
fn keep_first_retired<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Retirement>, key: K, new: Retirement) {
    match map.entry(key) {
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(new);
        }
        std::collections::hash_map::Entry::Occupied(mut o) => {
            let (at, m) = o.get();
            if (new.0, &new.1.declared_by) < (*at, &m.declared_by) {
                o.insert(new);
            }
        }
    }
}

impl RetiredMaterial {
    /// Nothing retired.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses the declaration file. Store declarations still need their certificates:
    /// load the stores named by [`RetiredMaterial::stores`] (the CLI uses
    /// [`notaverify::loader::load_trust_store`]) and pass them to [`RetiredMaterial::resolve_stores`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        let bad = |why: String| Error::InvalidInput(format!("the retired trust material file is invalid: {why}"));
        if bytes.len() > MAX_EXCEPTIONS_BYTES {
            return Err(bad(format!("{} bytes is too large", bytes.len())));
        }
        let raw: RawDocument = serde_json::from_slice(bytes)
            .map_err(|e| bad(format!("not a JSON document of the expected shape: {e}")))?;
        if raw.version != "1" {
            return Err(bad(format!("version must be \"1\", not {:?}", raw.version)));
        }
        if raw.retired.len() > MAX_RETIRED_DECLARATIONS {
            return Err(bad(format!("{} declarations, more than {MAX_RETIRED_DECLARATIONS}", raw.retired.len())));
        }
        let mut material = Self::new();
        for (i, d) in raw.retired.into_iter().enumerate() {
            let at = |why: String| bad(format!("retired[{i}]: {why}"));
            let retired_at = parse_date(&d.retired)
                .ok_or_else(|| at(format!("retired {:?} is not a date (YYYY-MM-DD)", d.retired)))?;
            let source = match (d.store, d.sha256_fingerprint) {
                (Some(store), None) => {
                    let (t, name) =
                        store.split_once(':').ok_or_else(|| at(format!("store {store:?} is not <type>:<name>")))?;
                    let t = StoreType::from_name(t)
                        .ok_or_else(|| at(format!("store type {t:?} is not ca, signingAuthority or tsa")))?;
                    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)) {
                        return Err(at(format!("store name {name:?} is invalid")));
                    }
                    RetiredSource::Store(t, name.to_owned())
                }
                (None, Some(fp)) => {
                    let fp = fp.strip_prefix("sha256:").unwrap_or(&fp).to_ascii_lowercase();
                    if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(at(format!("sha256Fingerprint {fp:?} is not 64 hex digits")));
                    }
                    RetiredSource::Fingerprint(fp)
                }
                _ => return Err(at("give exactly one of store or sha256Fingerprint".into())),
            };
            material.declare(RetiredDeclaration { source, retired: d.retired, retired_at, note: d.note });
        }
        Ok(material)
    }

    /// Adds a declaration (a fingerprint declaration takes effect at once; a store declaration
    /// once its certificates are given to [`RetiredMaterial::resolve_stores`]).
    pub fn declare(&mut self, declaration: RetiredDeclaration) {
        if let RetiredSource::Fingerprint(fp) = &declaration.source {
            let m = RetiredMatch {
                sha256_fingerprint: fp.clone(),
                presented_sha256_fingerprint: None,
                subject: None,
                declared_by: declaration.source.label(),
                retired: declaration.retired.clone(),
                note: declaration.note.clone(),
            };
            keep_first_retired(&mut self.by_fingerprint, fp.clone(), (declaration.retired_at, m));
        }
        self.declarations.push(declaration);
    }

    /// Retires a certificate we hold, by identity.
    fn retire_held(&mut self, cert: &Certificate, declared_by: String, retired: (Time, &str), note: Option<String>) {
        let Some(encoding) = CertificateEncoding::parse(cert.der()) else {
            return; // cannot happen: a parsed certificate has these parts
        };
        let m = RetiredMatch {
            sha256_fingerprint: cert.sha256_fingerprint(),
            presented_sha256_fingerprint: None,
            subject: Some(cert.subject()),
            declared_by,
            retired: retired.1.to_owned(),
            note,
        };
        keep_first_retired(&mut self.by_identity, encoding.identity(), (retired.0, m));
    }

    /// The declarations.
    pub fn declarations(&self) -> &[RetiredDeclaration] {
        &self.declarations
    }

    /// The trust store folders retired by store declarations, to load.
    pub fn stores(&self) -> Vec<(StoreType, String)> {
        self.declarations
            .iter()
            .filter_map(|d| match &d.source {
                RetiredSource::Store(t, n) => Some((*t, n.clone())),
                RetiredSource::Fingerprint(_) => None,
            })
            .collect()
    }

    /// Retires the certificates of every declared store, taken from `stores` (which holds the
    /// retired stores, loaded like trust stores). A declared store that is missing or empty is
    /// an error: a retirement that recognises nothing would hide rotated-out signers.
    pub fn resolve_stores(&mut self, stores: &TrustStore) -> Result<(), Error> {
        let mut held = Vec::new();
        for d in &self.declarations {
            let RetiredSource::Store(t, name) = &d.source else {
                continue;
            };
            let certificates = stores.certificates(*t, name);
            if certificates.is_empty() {
                return Err(Error::InvalidInput(format!(
                    "the retired trust store {} has no certificates",
                    d.source.label()
                )));
            }
            for cert in certificates {
                held.push((cert.clone(), d.source.label(), d.retired_at, d.retired.clone(), d.note.clone()));
            }
        }
        for (cert, label, at, retired, note) in held {
            self.retire_held(&cert, label, (at, &retired), note);
        }
        Ok(())
    }

    /// Retires certificates directly (e.g. parsed from a PEM file), with a label and a date
    /// (`YYYY-MM-DD` or RFC 3339; an unparsable date counts as the earliest).
    pub fn retire_certificates(&mut self, certificates: &[Certificate], label: &str, retired: &str) {
        let at = parse_date(retired).unwrap_or(Time::UNIX_EPOCH);
        for cert in certificates {
            self.retire_held(cert, label.to_owned(), (at, retired), None);
        }
    }

    /// True when nothing is retired.
    pub fn is_empty(&self) -> bool {
        self.by_identity.is_empty() && self.by_fingerprint.is_empty()
    }

    /// The retirement of one certificate (DER, as presented), if it is retired in any encoding.
    pub fn match_certificate(&self, der: &[u8]) -> Option<RetiredMatch> {
        let presented = Digest::of(DigestAlgorithm::Sha256, der).hex().to_owned();
        let encoding = CertificateEncoding::parse(der);
        let by_identity = encoding.as_ref().and_then(|e| self.by_identity.get(&e.identity()));
        let found = by_identity.or_else(|| {
            if self.by_fingerprint.is_empty() {
                return None;
            }
            let canonical = encoding.as_ref().map(CertificateEncoding::canonical_fingerprints).unwrap_or_default();
            std::iter::once(&presented).chain(&canonical).find_map(|fp| self.by_fingerprint.get(fp))
        })?;
        let mut m = found.1.clone();
        if m.sha256_fingerprint != presented {
            m.presented_sha256_fingerprint = Some(presented);
        }
        if m.subject.is_none() {
            m.subject = Certificate::from_der(der).ok().map(|c| c.subject());
        }
        Some(m)
    }

    /// The first certificate of a DER chain (leaf first) that is retired.
    pub fn match_chain(&self, chain: &[Vec<u8>]) -> Option<RetiredMatch> {
        if self.is_empty() {
            return None;
        }
        chain.iter().find_map(|der| self.match_certificate(der))
    }

    /// The retired certificate in the chain of a signature envelope (which must parse).
    pub fn match_envelope(&self, media_type: &str, envelope: &[u8]) -> Option<RetiredMatch> {
        if self.is_empty() || envelope.is_empty() {
            return None;
        }
        let parsed = Envelope::parse(media_type, envelope).ok()?;
        self.match_chain(&parsed.unsigned.certificate_chain)
    }

    /// Retired certificates still present in the given trust stores (a configuration mistake:
    /// they are never trusted anyway, but the store should be cleaned up): `(store, match)`.
    pub fn still_in(&self, store: &TrustStore, names: &[(StoreType, String)]) -> Vec<(String, RetiredMatch)> {
        let mut found = Vec::new();
        for (t, name) in names {
            for cert in store.certificates(*t, name) {
                if let Some(m) = self.match_certificate(cert.der()) {
                    found.push((format!("{}:{name}", t.as_str()), m));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_strict() {
        let ok = br#"{"version":"1","retired":[{"store":"ca:old","retired":"2025-07-01","note":"n"},
            {"sha256Fingerprint":"AAaa000000000000000000000000000000000000000000000000000000000000","retired":"2025-07-01"}]}"#;
        let m = RetiredMaterial::from_json(ok).unwrap();
        assert_eq!(m.stores(), vec![(StoreType::Ca, "old".to_owned())]);
        assert!(m.by_fingerprint.contains_key(&format!("aaaa{}", "0".repeat(60))));
        for bad in [
            &br#"{"version":"1","retired":[{"store":"ca:old"}]}"#[..],
            br#"{"version":"1","retired":[{"store":"old","retired":"2025-07-01"}]}"#,
            br#"{"version":"1","retired":[{"store":"x:old","retired":"2025-07-01"}]}"#,
            br#"{"version":"1","retired":[{"retired":"2025-07-01"}]}"#,
            br#"{"version":"1","retired":[{"sha256Fingerprint":"abc","retired":"2025-07-01"}]}"#,
            br#"{"version":"2","retired":[]}"#,
            br#"{"version":"1","retired":[],"x":1}"#,
        ] {
            assert!(RetiredMaterial::from_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let mut m =
            RetiredMaterial::from_json(br#"{"version":"1","retired":[{"store":"ca:old","retired":"2025-07-01"}]}"#)
                .unwrap();
        assert!(m.resolve_stores(&TrustStore::new()).is_err(), "a missing retired store is an error");
    }
}
