//! Trust stores: named sets of trusted certificates of the three notation types (`ca`,
//! `signingAuthority`, `tsa`), filled from certificate file contents or parsed certificates.
//! Reading notation's folders is the loader's job; this module applies notation-go's rules to
//! what it is given.

use crate::StoreType;
use crate::limits;
use crate::x509::{self, Certificate, CertificateError, LinkProblem};
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
    by_fingerprint: HashMap<[u8; 32], Vec<Placement>>,
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
    pub fn add_certificate(&mut self, store_type: StoreType, name: &str, cert: Certificate) -> Result<(), TrustStoreError> {
        check_name(name)?;
        self.check_capacity(1)?;
        check_allowed(store_type, &cert)
            .map_err(|reason| TrustStoreError::InvalidCertificate { store_type, name: name.to_owned(), reason })?;
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

    /// The first certificate of `chain` that is byte-equal to a certificate of one of the
    /// stores `names` of type `store_type`. When several are, the one notation finds first is
    /// returned: stores in the order of `names`, certificates in the order added.
    pub(crate) fn find_trusted<'c>(&self, store_type: StoreType, names: &[&str], chain: &'c [Certificate]) -> Option<&'c Certificate> {
        let mut best: Option<((usize, usize), &'c Certificate)> = None;
        for cert in chain {
            let Some(placements) = self.by_fingerprint.get(cert.sha256()) else { continue };
            for placement in placements.iter().filter(|p| p.store_type == store_type) {
                let Some(rank) = names.iter().position(|n| **n == *placement.name) else { continue };
                let key = (rank, placement.position);
                let stored = self.stores.get(&(store_type, placement.name.clone())).and_then(|c| c.get(placement.position));
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
            self.by_fingerprint.entry(*cert.sha256()).or_default().push(placement);
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
        return Err(CertificateError::NotCaOrSelfSigned { subject: cert.subject().to_owned() });
    }
    if store_type == StoreType::Tsa {
        cert.check_signature_from(cert)
            .and_then(|()| if cert.is_self_issued() { Ok(()) } else { Err(LinkProblem::NameMismatch) })
            .map_err(|problem| CertificateError::NotRootCertificate { subject: cert.subject().to_owned(), problem })?;
    }
    Ok(())
}
