//! Subject public keys as notation sees them: RSA (by modulus size) or EC (by named curve).

use crate::oid::{EC_PUBLIC_KEY, RSA_ENCRYPTION, SECP256R1, SECP384R1, SECP521R1};
use const_oid::ObjectIdentifier;
use der::{Decode, asn1::UintRef};
use std::any::Any;
use std::sync::{Arc, OnceLock};

/// A NIST curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

/// The crypto backend's parsed form of a key, made on its first use and kept with the key, so a
/// key verified with again (the leaf of a cached chain) is not parsed again. It is derived from
/// the key bytes only, so it takes no part in comparing or hashing keys.
#[derive(Clone, Default)]
pub(crate) struct PreparedKey(OnceLock<Arc<dyn Any + Send + Sync>>);

impl PreparedKey {
    /// The prepared form if the backend made one of type `T`, else `make()`'s result, kept when
    /// it is the first one made.
    pub(crate) fn get_or_make<T: Any + Send + Sync, E>(
        &self,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<dyn Any + Send + Sync>, E> {
        if let Some(prepared) = self.0.get() {
            return Ok(Arc::clone(prepared));
        }
        let made: Arc<dyn Any + Send + Sync> = Arc::new(make()?);
        Ok(Arc::clone(self.0.get_or_init(|| made)))
    }
}

impl std::fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "PreparedKey(made)" } else { "PreparedKey(none)" })
    }
}

impl PartialEq for PreparedKey {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for PreparedKey {}

impl std::hash::Hash for PreparedKey {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// A public key taken from a SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PublicKey {
    /// `pkcs1` is the DER `RSAPublicKey`; `bits` is the modulus size as Go computes it
    /// (modulus bytes × 8).
    Rsa { pkcs1: Vec<u8>, bits: usize, prepared: PreparedKey },
    /// `point` is the SEC1 encoded point.
    Ec { curve: Curve, point: Vec<u8>, prepared: PreparedKey },
    /// Any other key type (Ed25519, DSA, an unnamed curve, ...), named by its algorithm OID.
    Unsupported { algorithm: String },
}

#[derive(der::Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    public_exponent: UintRef<'a>,
}

impl PublicKey {
    pub(crate) fn rsa(pkcs1: Vec<u8>, bits: usize) -> Self {
        Self::Rsa { pkcs1, bits, prepared: PreparedKey::default() }
    }

    pub(crate) fn ec(curve: Curve, point: Vec<u8>) -> Self {
        Self::Ec { curve, point, prepared: PreparedKey::default() }
    }

    /// Reads a key from a DER SubjectPublicKeyInfo. Malformed DER is an error; a well-formed key of
    /// an unknown type is [`PublicKey::Unsupported`].
    pub(crate) fn from_spki(spki: &spki::SubjectPublicKeyInfoRef<'_>) -> Result<Self, der::Error> {
        let key_bytes =
            spki.subject_public_key.as_bytes().ok_or(der::ErrorKind::Noncanonical { tag: der::Tag::BitString })?;
        let alg = spki.algorithm.oid;
        if alg == RSA_ENCRYPTION {
            let rsa = RsaPublicKey::from_der(key_bytes)?;
            let bits = rsa.modulus.as_bytes().len().saturating_mul(8);
            let _ = rsa.public_exponent;
            return Ok(Self::rsa(key_bytes.to_vec(), bits));
        }
        if alg == EC_PUBLIC_KEY {
            let curve_oid = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let curve = match curve_oid {
                Some(o) if o == SECP256R1 => Curve::P256,
                Some(o) if o == SECP384R1 => Curve::P384,
                Some(o) if o == SECP521R1 => Curve::P521,
                Some(o) => return Ok(Self::Unsupported { algorithm: format!("EC curve {o}") }),
                None => return Ok(Self::Unsupported { algorithm: "EC without a named curve".into() }),
            };
            return Ok(Self::ec(curve, key_bytes.to_vec()));
        }
        Ok(Self::Unsupported { algorithm: alg.to_string() })
    }

    /// Reads a key from the DER bytes of a SubjectPublicKeyInfo.
    pub(crate) fn from_spki_der(der_bytes: &[u8]) -> Result<Self, der::Error> {
        Self::from_spki(&spki::SubjectPublicKeyInfoRef::from_der(der_bytes)?)
    }

    /// Short description for messages: `RSA-2048`, `EC P-256`, ...
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Rsa { bits, .. } => format!("RSA-{bits}"),
            Self::Ec { curve: Curve::P256, .. } => "EC P-256".into(),
            Self::Ec { curve: Curve::P384, .. } => "EC P-384".into(),
            Self::Ec { curve: Curve::P521, .. } => "EC P-521".into(),
            Self::Unsupported { algorithm } => format!("unsupported key ({algorithm})"),
        }
    }
}
