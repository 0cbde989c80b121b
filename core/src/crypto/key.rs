//! Subject public keys as notation sees them: RSA (by modulus size) or EC (by named curve).

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

impl PublicKey {
    pub(crate) fn rsa(pkcs1: Vec<u8>, bits: usize) -> Self {
        Self::Rsa { pkcs1, bits, prepared: PreparedKey::default() }
    }

    pub(crate) fn ec(curve: Curve, point: Vec<u8>) -> Self {
        Self::Ec { curve, point, prepared: PreparedKey::default() }
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
