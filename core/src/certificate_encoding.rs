//! The public face of `x509::reencoding`: which issued certificate a DER encoding is, for callers
//! outside the core that recognise certificates whatever encoding is presented (retired trust
//! material).

use crate::x509::reencoding::Encoding;

/// A certificate as presented, split into the parts that say which issued certificate it is.
///
/// Go's `crypto/x509` (and so notation) accepts encodings of one certificate that anyone holding
/// it can make without invalidating it, each with a new SHA-256 fingerprint: data after the
/// signature, a signature BIT STRING with unused bits, an ECDSA signature's twin (r, n − s).
/// [`CertificateEncoding::identity`] is the same for all of them;
/// [`CertificateEncoding::canonical_fingerprints`] names the fingerprints the issuer's original
/// could have.
pub struct CertificateEncoding<'a>(Encoding<'a>);

impl<'a> CertificateEncoding<'a> {
    /// Splits a DER certificate; `None` when it is not a certificate at all.
    pub fn parse(der: &'a [u8]) -> Option<Self> {
        Encoding::parse(der).map(CertificateEncoding)
    }

    /// SHA-256 of the TBSCertificate, which only the issuer can change: the same for every
    /// encoding of one issued certificate.
    pub fn identity(&self) -> [u8; 32] {
        self.0.identity()
    }

    /// Lower-case hex SHA-256 of the canonical DER and of each ECDSA twin's canonical DER.
    pub fn canonical_fingerprints(&self) -> Vec<String> {
        self.0.canonical_fingerprints()
    }
}
