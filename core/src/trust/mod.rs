//! Trust stores: named sets of trusted certificates of the three notation types (`ca`,
//! `signingAuthority`, `tsa`), filled from certificate file contents or parsed certificates.
//! Reading notation's folders is the loader's job; this module applies notation-go's rules to
//! what it is given.

use crate::StoreType;
use crate::limits;
use crate::x509::{self, Certificate, CertificateError, HashedDer, LinkProblem};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A trust store problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustStoreError {
    /// The name does not match `^[a-zA-Z0-9_.-]+$`.
    #[error("trust store name {name:?} is invalid: it must match ^[a-zA-Z0-9_.-]+$")]
    InvalidStoreName {
        /// The rejected name.
        name: String,
    },
    /// A certificate file yielded no certificate.
    #[error("no x509 certificates were found in trust store {name:?} of type {store_type:?}")]
    NoCertificates {
        /// The store's type.
        store_type: StoreType,
        /// The store's name.
        name: String,
    },
    /// A certificate does not parse, or is not allowed in a store of this type.
    #[error("invalid certificate in trust store {name:?} of type {store_type:?}: {reason}")]
    InvalidCertificate {
        /// The store's type.
        store_type: StoreType,
        /// The store's name.
        name: String,
        /// Why (the parse error, or the trust-store rule broken).
        reason: CertificateError,
    },
    /// A trust policy names a store that was never added.
    #[error("the trust store {name:?} of type {store_type:?} does not exist")]
    StoreNotFound {
        /// The store's type.
        store_type: StoreType,
        /// The store's name.
        name: String,
    },
    /// A file or the store as a whole is beyond a limit in [`crate::limits`].
    #[error("{what} exceeds the limit of {limit} (got {actual})")]
    LimitExceeded {
        /// What was too large or too many.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What the input had.
        actual: usize,
    },
}

/// Issues a process-wide unique generation for every trust store mutation.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

/// Where a certificate sits: store type, store name and position in that store.
#[derive(Clone, Debug)]
struct Placement {
    store_type: StoreType,
    name: Arc<str>,
    position: usize,
}

/// Trusted certificates by store type and name.
///
/// ```
/// use notaverify::{StoreType, TrustStore};
/// let mut store = TrustStore::new();
/// assert!(store.add(StoreType::Ca, "bad name", b"").is_err());
/// assert!(!store.contains_store(StoreType::Ca, "acme"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    stores: BTreeMap<(StoreType, Arc<str>), Vec<Certificate>>,
    /// Where each certificate is, by its SHA-256: a key an attacker cannot make collide with a
    /// trusted certificate's (a cheaper key, like the signature bytes, can be copied into a forged
    /// certificate, and many such keys would make lookups linear in the store).
    placements: HashMap<[u8; 32], Vec<Placement>>,
    total: usize,
    generation: u64,
}

impl TrustStore {
    /// An empty trust store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the certificates of one certificate file (PEM or DER, as notation reads them) to the
    /// store `name` of type `store_type`, and returns how many were added. Every certificate must
    /// be a CA or self-signed; in a `tsa` store each must also be a self-signed root. Nothing is
    /// added when any certificate fails.
    pub fn add(&mut self, store_type: StoreType, name: &str, bytes: &[u8]) -> Result<usize, TrustStoreError> {
        check_name(name)?;
        if bytes.len() > limits::MAX_TRUST_STORE_FILE_BYTES {
            return Err(TrustStoreError::LimitExceeded {
                what: "trust store file",
                limit: limits::MAX_TRUST_STORE_FILE_BYTES,
                actual: bytes.len(),
            });
        }
        let invalid = |reason| TrustStoreError::InvalidCertificate { store_type, name: name.to_owned(), reason };
        let certificates = x509::parse_certificates(bytes).map_err(invalid)?;
        if certificates.is_empty() {
            return Err(TrustStoreError::NoCertificates { store_type, name: name.to_owned() });
        }
        self.check_capacity(certificates.len())?;
        for (index, certificate) in certificates.iter().enumerate() {
            check_allowed(store_type, certificate).map_err(|e| invalid(e.with_index(index)))?;
        }
        let count = certificates.len();
        self.insert(store_type, name, certificates);
        Ok(count)
    }

    /// Adds one parsed certificate, with the same rules as [`TrustStore::add`].
    pub fn add_certificate(
        &mut self,
        store_type: StoreType,
        name: &str,
        cert: Certificate,
    ) -> Result<(), TrustStoreError> {
        check_name(name)?;
        self.check_capacity(1)?;
        check_allowed(store_type, &cert).map_err(|reason| TrustStoreError::InvalidCertificate {
            store_type,
            name: name.to_owned(),
            reason,
        })?;
        self.insert(store_type, name, vec![cert]);
        Ok(())
    }

    /// Whether certificates were added to the store `name` of type `store_type`.
    pub fn contains_store(&self, store_type: StoreType, name: &str) -> bool {
        self.stores.contains_key(&(store_type, Arc::from(name)))
    }

    /// The certificates of one store, in the order they were added (empty if there is no such
    /// store).
    pub fn certificates(&self, store_type: StoreType, name: &str) -> &[Certificate] {
        self.stores.get(&(store_type, Arc::from(name))).map_or(&[], Vec::as_slice)
    }

    /// A number that changes on every mutation and is never shared by two different contents
    /// within the process, for cache keys.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The store's certificate with exactly these bytes, if it holds one (as parsed when it was
    /// added: a function of the bytes alone, key prepared on its first use).
    pub(crate) fn parsed(&self, hashed: &HashedDer<'_>) -> Option<&Certificate> {
        let placement = self.placements.get(hashed.sha256())?.first()?;
        let stored = self.stores.get(&(placement.store_type, placement.name.clone()))?.get(placement.position)?;
        (stored.der() == hashed.der()).then_some(stored)
    }

    /// The first certificate of `chain` that is byte-equal to a certificate of one of the
    /// stores `names` of type `store_type`. When several are, the one notation finds first is
    /// returned: stores in the order of `names`, certificates in the order added.
    pub fn find_trusted<'c>(
        &self,
        store_type: StoreType,
        names: &[&str],
        chain: &'c [Certificate],
    ) -> Option<&'c Certificate> {
        let mut best: Option<((usize, usize), &'c Certificate)> = None;
        for cert in chain {
            let Some(placements) = self.placements.get(cert.sha256()) else { continue };
            for placement in placements.iter().filter(|p| p.store_type == store_type) {
                let Some(rank) = names.iter().position(|n| **n == *placement.name) else { continue };
                let key = (rank, placement.position);
                let stored =
                    self.stores.get(&(store_type, placement.name.clone())).and_then(|c| c.get(placement.position));
                if stored == Some(cert) && best.is_none_or(|(k, _)| key < k) {
                    best = Some((key, cert));
                }
            }
        }
        best.map(|(_, cert)| cert)
    }

    fn check_capacity(&self, adding: usize) -> Result<(), TrustStoreError> {
        let actual = self.total.saturating_add(adding);
        if actual > limits::MAX_TRUST_STORE_CERTIFICATES {
            return Err(TrustStoreError::LimitExceeded {
                what: "trust store certificates",
                limit: limits::MAX_TRUST_STORE_CERTIFICATES,
                actual,
            });
        }
        Ok(())
    }

    fn insert(&mut self, store_type: StoreType, name: &str, certificates: Vec<Certificate>) {
        let name: Arc<str> = Arc::from(name);
        let store = self.stores.entry((store_type, name.clone())).or_default();
        for cert in certificates {
            let placement = Placement { store_type, name: name.clone(), position: store.len() };
            self.placements.entry(*cert.sha256()).or_default().push(placement);
            store.push(cert);
            self.total = self.total.saturating_add(1);
        }
        self.generation = NEXT_GENERATION.fetch_add(1, Ordering::Relaxed);
    }
}

/// `^[a-zA-Z0-9_.-]+$`
fn check_name(name: &str) -> Result<(), TrustStoreError> {
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if valid { Ok(()) } else { Err(TrustStoreError::InvalidStoreName { name: name.to_owned() }) }
}

/// notation-go's `ValidateCertificates` (a CA, or else self-signed by `CheckSignature`) and, for
/// `tsa` stores, `isRootCertificate` (`CheckSignatureFrom` itself and self-issued).
fn check_allowed(store_type: StoreType, cert: &Certificate) -> Result<(), CertificateError> {
    if !cert.is_ca() && cert.check_self_signature().is_err() {
        return Err(CertificateError::NotCaOrSelfSigned { subject: cert.subject() });
    }
    if store_type == StoreType::Tsa {
        cert.check_signature_from(cert)
            .and_then(|()| if cert.is_self_issued() { Ok(()) } else { Err(LinkProblem::NameMismatch) })
            .map_err(|problem| CertificateError::NotRootCertificate { subject: cert.subject(), problem })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::test_cert;
    use base64::Engine;

    fn pem(certs: &[Certificate]) -> Vec<u8> {
        let mut out = String::from("text before the first block is ignored\n");
        for cert in certs {
            let body = base64::engine::general_purpose::STANDARD.encode(cert.der());
            out.push_str(&format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"));
        }
        out.into_bytes()
    }

    #[test]
    fn a_certificate_differing_from_a_trusted_one_in_one_byte_is_not_trusted() {
        let root = test_cert!("root");
        // The same length and the same signature, one byte of the serial number changed.
        let mut der = root.der().to_vec();
        let serial = root.raw_serial();
        let at = root.der().windows(serial.len()).position(|w| w == serial).unwrap() + serial.len() - 1;
        der[at] ^= 0x01;
        let forged = Certificate::from_der(&der).unwrap();
        assert_ne!(forged, root);

        let mut store = TrustStore::new();
        store.add(StoreType::Ca, "acme", root.der()).unwrap();
        assert_eq!(store.find_trusted(StoreType::Ca, &["acme"], std::slice::from_ref(&forged)), None);
        assert_eq!(store.find_trusted(StoreType::Ca, &["acme"], std::slice::from_ref(&root)), Some(&root));
        // The store's parsed copy is handed out for the exact bytes only.
        let parsed = |der: &[u8]| store.parsed(&HashedDer::new(der).unwrap()).cloned();
        assert_eq!(parsed(root.der()), Some(root.clone()));
        assert_eq!(parsed(&der), None);
        assert_eq!(parsed(test_cert!("inter").der()), None);
        // A certificate parsed from hashed bytes has their fingerprint.
        assert_eq!(HashedDer::new(&der).unwrap().parse().unwrap().sha256(), forged.sha256());
    }

    #[test]
    fn shareable_across_threads() {
        fn assert_send_sync_clone<T: Send + Sync + Clone + Default>() {}
        assert_send_sync_clone::<TrustStore>();
    }

    #[test]
    fn store_names_follow_notation() {
        let mut store = TrustStore::new();
        for bad in ["", "a b", "a/b", "ä", "../x"] {
            assert_eq!(
                store.add(StoreType::Ca, bad, test_cert!("root").der()),
                Err(TrustStoreError::InvalidStoreName { name: bad.to_owned() })
            );
        }
        assert_eq!(store.add(StoreType::Ca, "Valid_name-1.0", test_cert!("root").der()), Ok(1));
    }

    #[test]
    fn accepts_cas_and_self_signed_certificates_in_pem_or_der() {
        let mut store = TrustStore::new();
        assert_eq!(store.add(StoreType::Ca, "roots", &pem(&[test_cert!("root"), test_cert!("inter")])), Ok(2));
        assert_eq!(store.add(StoreType::Ca, "roots", test_cert!("self_signed").der()), Ok(1));
        let mut concatenated = test_cert!("root").der().to_vec();
        concatenated.extend_from_slice(test_cert!("root").der());
        assert_eq!(store.add(StoreType::SigningAuthority, "roots", &concatenated), Ok(2));
        assert_eq!(store.certificates(StoreType::Ca, "roots").len(), 3);
        assert_eq!(store.certificates(StoreType::Ca, "roots")[2], test_cert!("self_signed"));
        assert!(store.contains_store(StoreType::SigningAuthority, "roots"));
        assert!(!store.contains_store(StoreType::Tsa, "roots"));
        assert!(store.certificates(StoreType::Tsa, "roots").is_empty());
    }

    #[test]
    fn rejects_leaves_that_are_not_self_signed_and_adds_nothing() {
        let mut store = TrustStore::new();
        let result = store.add(StoreType::Ca, "mixed", &pem(&[test_cert!("root"), test_cert!("leaf")]));
        match result {
            Err(TrustStoreError::InvalidCertificate {
                reason: CertificateError::NotCaOrSelfSigned { subject },
                ..
            }) => {
                assert_eq!(subject, "CN=Leaf,O=Notaverify Test,C=US");
            }
            other => panic!("{other:?}"),
        }
        assert!(!store.contains_store(StoreType::Ca, "mixed"));
        assert_eq!(store.generation(), TrustStore::new().generation());
    }

    #[test]
    fn tsa_stores_take_only_self_signed_roots() {
        let mut store = TrustStore::new();
        assert_eq!(store.add(StoreType::Tsa, "tsa", test_cert!("root").der()), Ok(1));
        let problem = |cert: Certificate| match TrustStore::new().add_certificate(StoreType::Tsa, "tsa", cert) {
            Err(TrustStoreError::InvalidCertificate {
                reason: CertificateError::NotRootCertificate { problem, .. },
                ..
            }) => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(problem(test_cert!("inter")), LinkProblem::BadSignature);
        assert_eq!(problem(test_cert!("self_signed")), LinkProblem::IssuerCannotSign);
    }

    #[test]
    fn files_without_certificates_fail() {
        let mut store = TrustStore::new();
        assert!(matches!(store.add(StoreType::Ca, "empty", b""), Err(TrustStoreError::NoCertificates { .. })));
        assert!(matches!(
            store.add(StoreType::Ca, "text", b"invalid"),
            Err(TrustStoreError::InvalidCertificate { reason: CertificateError::Malformed { .. }, .. })
        ));
        let oversized = vec![0u8; limits::MAX_TRUST_STORE_FILE_BYTES + 1];
        assert!(matches!(store.add(StoreType::Ca, "big", &oversized), Err(TrustStoreError::LimitExceeded { .. })));
    }

    #[test]
    fn generation_changes_on_every_mutation_across_stores() {
        let mut a = TrustStore::new();
        let mut b = TrustStore::new();
        a.add(StoreType::Ca, "x", test_cert!("root").der()).unwrap();
        let first = a.generation();
        b.add(StoreType::Ca, "x", test_cert!("root").der()).unwrap();
        a.add_certificate(StoreType::Ca, "y", test_cert!("root")).unwrap();
        let generations = [first, b.generation(), a.generation()];
        assert!(generations.iter().all(|g| *g != 0));
        assert!(
            generations[0] != generations[1] && generations[1] != generations[2] && generations[0] != generations[2]
        );
        assert_eq!(a.clone().generation(), a.generation());
    }

    #[test]
    fn finds_trusted_certificates_by_bytes_in_notation_order() {
        let chain = [test_cert!("leaf"), test_cert!("inter"), test_cert!("root")];
        let mut store = TrustStore::new();
        store.add_certificate(StoreType::Ca, "roots", test_cert!("root")).unwrap();
        store.add_certificate(StoreType::Ca, "pinned", test_cert!("inter")).unwrap();
        store.add_certificate(StoreType::SigningAuthority, "other", test_cert!("leaf")).unwrap_err();
        store.add_certificate(StoreType::SigningAuthority, "self", test_cert!("self_signed")).unwrap();

        assert_eq!(store.find_trusted(StoreType::Ca, &["roots"], &chain), Some(&chain[2]));
        assert_eq!(store.find_trusted(StoreType::Ca, &["roots", "pinned"], &chain), Some(&chain[2]));
        assert_eq!(store.find_trusted(StoreType::Ca, &["pinned", "roots"], &chain), Some(&chain[1]));
        assert_eq!(store.find_trusted(StoreType::Ca, &["missing"], &chain), None);
        assert_eq!(store.find_trusted(StoreType::SigningAuthority, &["roots", "self"], &chain), None);
        let self_signed = [test_cert!("self_signed")];
        assert_eq!(store.find_trusted(StoreType::SigningAuthority, &["self"], &self_signed), Some(&self_signed[0]));
    }
}
