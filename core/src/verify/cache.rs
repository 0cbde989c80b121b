//! The chain-result cache of a [`super::Verifier`].
//!
//! What is cached is the expensive part of the integrity check that depends on nothing but the
//! certificate bytes: parsing every certificate of `x5c` / `x5chain` and notation's §5.2
//! structural validation of the chain (`ValidateCodeSigningCertChain`: every signature link, the
//! self-signed root, basic constraints, key usages). Neither the trust store nor the verification
//! time enters that computation, so neither is part of the key; everything that does depend on
//! them (authenticity, trusted identity, validity periods, timestamps, revocation) is evaluated
//! on every verification, as is the envelope signature itself.
//!
//! Rules that keep the cache from ever changing a verdict:
//!
//! * only chains that parsed **and** validated are stored, so a hit can only stand for "this
//!   exact chain passed", never for a failure;
//! * a hit requires the exact certificate bytes: the hash only picks the slot, the stored
//!   certificates' DER is then compared byte for byte with the envelope's, so a hash collision
//!   (even a chosen one) is a miss;
//! * the cache belongs to one `Verifier` (clones share it): a verifier over another trust store
//!   is another verifier with another cache;
//! * a poisoned lock (a panic while it was held) turns lookups into misses and inserts into
//!   nothing: a cache in doubt passes nothing.
//!
//! It is bounded by [`crate::limits::CHAIN_CACHE_ENTRIES`] entries and
//! [`crate::limits::MAX_CACHE_BYTES`] of DER; a chain larger than
//! [`crate::limits::MAX_CACHED_CHAIN_BYTES`] is never stored. When full, an arbitrary
//! entry is evicted (the map's iteration order, randomised per process).
//!
//! Below it, the link cache (`link_cache.rs`) keeps the same rules for single links of chains
//! that missed here.

use crate::limits::{CHAIN_CACHE_ENTRIES, MAX_CACHE_BYTES, MAX_CACHED_CHAIN_BYTES};
use crate::x509::Certificate;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Bytes at the end of each certificate (its signature value) that go into the slot hash; the
/// full bytes are compared on a hit.
const HASHED_TAIL: usize = 64;

/// The slot of a sequence of certificates (count, lengths and each one's tail): it only picks
/// where to look, the caller compares the full bytes.
pub(super) fn slot<'a>(hasher: &RandomState, ders: impl ExactSizeIterator<Item = &'a [u8]>) -> u64 {
    let mut h = hasher.build_hasher();
    h.write_usize(ders.len());
    for der in ders {
        h.write_usize(der.len());
        h.write(&der[der.len().saturating_sub(HASHED_TAIL)..]);
    }
    h.finish()
}

/// The state behind `lock` for a lookup or an insert: none once the lock is poisoned, so a
/// cache in doubt only misses.
pub(super) fn usable<T>(lock: &Mutex<T>) -> Option<MutexGuard<'_, T>> {
    lock.lock().ok()
}

/// The state behind `lock` for reading counters or clearing, which cannot pass anything.
pub(super) fn any_state<T>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
    lock.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counters of a verifier's chain cache ([`super::Verifier::chain_cache_stats`]) or link cache
/// ([`super::Verifier::link_cache_stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainCacheStats {
    /// Chains (links) held now.
    pub entries: usize,
    /// Most chains (links) it may hold (0: the cache is disabled).
    pub capacity: usize,
    /// Verifications whose chain was found (parsing and chain validation skipped); links found
    /// (their signature check skipped).
    pub hits: u64,
    /// Verifications whose chain was not found; links not found.
    pub misses: u64,
}

/// Validated chains by their exact DER bytes.
pub(crate) struct ChainCache {
    capacity: usize,
    hasher: RandomState,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    chains: HashMap<u64, Arc<[Certificate]>>,
    bytes: usize,
    hits: u64,
    misses: u64,
}

impl std::fmt::Debug for ChainCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainCache").field("stats", &self.stats()).finish()
    }
}

impl Default for ChainCache {
    fn default() -> Self {
        Self::new(CHAIN_CACHE_ENTRIES)
    }
}

fn der_len(chain: &[Certificate]) -> usize {
    chain.iter().map(|c| c.der().len()).sum()
}

impl ChainCache {
    /// A cache of at most `capacity` chains (capped at [`CHAIN_CACHE_ENTRIES`]).
    pub(crate) fn new(capacity: usize) -> Self {
        Self { capacity: capacity.min(CHAIN_CACHE_ENTRIES), hasher: RandomState::new(), state: Mutex::default() }
    }

    /// The parsed chain if exactly these certificates (same count, order and bytes) were
    /// validated before.
    pub(crate) fn get(&self, ders: &[Vec<u8>]) -> Option<Arc<[Certificate]>> {
        if self.capacity == 0 {
            return None;
        }
        let slot = slot(&self.hasher, ders.iter().map(Vec::as_slice));
        let mut state = usable(&self.state)?;
        let found = state
            .chains
            .get(&slot)
            .filter(|chain| chain.len() == ders.len() && chain.iter().zip(ders).all(|(c, d)| c.der() == d.as_slice()))
            .cloned();
        if found.is_some() {
            state.hits += 1;
        } else {
            state.misses += 1;
        }
        found
    }

    /// Remembers a chain that parsed and passed `validate_code_signing_chain`. Callers must not
    /// store anything else.
    pub(crate) fn insert_validated(&self, chain: &Arc<[Certificate]>) {
        let size = der_len(chain);
        if self.capacity == 0 || size > MAX_CACHED_CHAIN_BYTES {
            return;
        }
        let slot = slot(&self.hasher, chain.iter().map(Certificate::der));
        let Some(mut state) = usable(&self.state) else { return };
        if let Some(old) = state.chains.remove(&slot) {
            state.bytes -= der_len(&old);
        }
        while state.chains.len() >= self.capacity || state.bytes + size > MAX_CACHE_BYTES {
            let Some(victim) = state.chains.keys().next().copied() else { break };
            if let Some(old) = state.chains.remove(&victim) {
                state.bytes -= der_len(&old);
            }
        }
        state.bytes += size;
        state.chains.insert(slot, Arc::clone(chain));
    }

    pub(crate) fn stats(&self) -> ChainCacheStats {
        let state = any_state(&self.state);
        ChainCacheStats { entries: state.chains.len(), capacity: self.capacity, hits: state.hits, misses: state.misses }
    }

    pub(crate) fn clear(&self) {
        let mut state = any_state(&self.state);
        state.chains.clear();
        state.bytes = 0;
    }
}

impl super::Verifier {
    /// Sets the size of the chain-result cache (at most [`CHAIN_CACHE_ENTRIES`], the default);
    /// `0` disables it. The new cache is empty and is shared by clones made afterwards.
    ///
    /// The cache only skips re-parsing and re-validating (§5.2) a certificate chain whose exact
    /// bytes already passed; it never changes a verdict.
    pub fn with_chain_cache(mut self, entries: usize) -> Self {
        self.chain_cache = Arc::new(ChainCache::new(entries));
        self
    }

    /// Counters of the chain-result cache.
    pub fn chain_cache_stats(&self) -> ChainCacheStats {
        self.chain_cache.stats()
    }

    /// Empties the chain-result cache and the link cache (counters are kept): the next
    /// verification of any chain is a cold one.
    pub fn clear_chain_cache(&self) {
        self.chain_cache.clear();
        self.link_cache.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(kt: &str) -> Arc<[Certificate]> {
        let read = |role: &str| {
            let path = format!("{}/tests/fixtures/pki/{kt}/{role}.pem", env!("CARGO_MANIFEST_DIR"));
            crate::x509::parse_certificates(&std::fs::read(path).unwrap()).unwrap().remove(0)
        };
        vec![read("leaf"), read("intermediate"), read("root")].into()
    }

    fn ders(chain: &[Certificate]) -> Vec<Vec<u8>> {
        chain.iter().map(|c| c.der().to_vec()).collect()
    }

    #[test]
    fn exact_bytes_hit_any_change_misses() {
        let cache = ChainCache::new(8);
        let c = chain("p256");
        let d = ders(&c);
        assert!(cache.get(&d).is_none());
        cache.insert_validated(&c);
        assert!(cache.get(&d).is_some());
        // One flipped byte anywhere (here: at the start, outside the hashed tail) is a miss.
        for position in [0, d[1].len() / 2, d[1].len() - 1] {
            let mut changed = d.clone();
            changed[1][position] ^= 1;
            assert!(cache.get(&changed).is_none(), "byte {position}");
        }
        // A prefix, a reordering or an extra certificate is a miss.
        assert!(cache.get(&d[..2]).is_none());
        assert!(cache.get(&[d[1].clone(), d[0].clone(), d[2].clone()]).is_none());
        assert!(cache.get(&[d.clone(), vec![d[2].clone()]].concat()).is_none());
        let s = cache.stats();
        assert_eq!((s.entries, s.hits, s.misses), (1, 1, 7));
    }

    #[test]
    fn bounded_and_disabled() {
        let cache = ChainCache::new(2);
        for kt in ["p256", "p384", "rsa2048", "rsa3072"] {
            cache.insert_validated(&chain(kt));
            assert!(cache.stats().entries <= 2);
        }
        assert!(cache.get(&ders(&chain("rsa3072"))).is_some());
        let off = ChainCache::new(0);
        let c = chain("p256");
        off.insert_validated(&c);
        assert!(off.get(&ders(&c)).is_none());
        assert_eq!(off.stats().entries, 0);
    }
}
