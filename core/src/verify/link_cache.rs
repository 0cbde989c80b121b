//! The link cache of a [`super::Verifier`]: what the chain cache (`cache.rs`) cannot reuse when a
//! chain is new but its CA is not — a renewed leaf, per-pipeline keys issued by one
//! intermediate, signingAuthority chains. Each link a chain walk verified, Go's
//! `isIssuedBy(subject, issuer)` (the issuer may sign certificates, the signature verifies with
//! an algorithm other than MD5 or SHA-1, the names match), is remembered by the exact bytes of both
//! certificates; the root's self-signature is the link of the root to itself. A new leaf under a
//! known intermediate then costs its envelope signature and its one new link.
//!
//! `isIssuedBy` reads nothing but the two certificates, so a remembered answer is the answer.
//! Every other rule of the walk — the position of each certificate, basic constraints and path
//! length counted over this chain, key usages, the leaf's extended key usage and key — is
//! evaluated on every chain, and so is everything outside the walk (trust store, validity
//! periods, timestamps, revocation). The chain cache's rules hold here too:
//!
//! * only links that verified are stored, so a hit can only stand for "this exact link passed";
//! * a hit requires the exact bytes of both certificates: the hash only picks the slot, the
//!   stored DER of the issuer and of the subject are compared byte for byte;
//! * the cache belongs to one `Verifier` (clones share it);
//! * a poisoned lock turns lookups into misses and inserts into nothing.
//!
//! A single self-signed certificate is checked with another rule (Go's `CheckSignature`, SHA-1
//! allowed, no CA constraints) and is not remembered here.
//!
//! The issuer of each stored link is also kept parsed, with its public key in the crypto
//! backend's prepared form, and handed out for the same DER ([`LinkCache::parsed_issuer`]):
//! parsing is a function of the bytes alone, so a known CA is neither parsed again nor its key
//! prepared again for a new leaf's link.
//!
//! It is bounded by [`LINK_CACHE_ENTRIES`] links and [`MAX_LINK_CACHE_BYTES`] of DER; a link
//! whose two certificates exceed [`MAX_CACHED_LINK_BYTES`] is verified but not stored. When full,
//! an arbitrary entry is evicted (the map's iteration order, randomised per process).

use super::cache::{ChainCacheStats, any_state, slot, usable};
use crate::limits::{LINK_CACHE_ENTRIES, MAX_CACHED_LINK_BYTES, MAX_LINK_CACHE_BYTES};
use crate::x509::{Certificate, LinkProblem};
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::sync::{Arc, Mutex};

/// Verified links by the exact DER of their two certificates.
pub(crate) struct LinkCache {
    capacity: usize,
    hasher: RandomState,
    state: Mutex<State>,
}

/// One verified link: `subject` is issued by `issuer` (the same bytes for a root's self-signature).
struct Link {
    issuer: Box<[u8]>,
    subject: Box<[u8]>,
}

impl Link {
    fn size(&self) -> usize {
        self.issuer.len() + self.subject.len()
    }
}

#[derive(Default)]
struct State {
    links: HashMap<u64, Link>,
    /// The parsed issuers of stored links, by the slot of their DER.
    issuers: HashMap<u64, Certificate>,
    /// DER bytes of `links` and `issuers`.
    bytes: usize,
    hits: u64,
    misses: u64,
}

impl std::fmt::Debug for LinkCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkCache").field("stats", &self.stats()).finish()
    }
}

impl Default for LinkCache {
    fn default() -> Self {
        Self::new(LINK_CACHE_ENTRIES)
    }
}

impl LinkCache {
    /// A cache of at most `capacity` links (capped at [`LINK_CACHE_ENTRIES`]).
    pub(crate) fn new(capacity: usize) -> Self {
        Self { capacity: capacity.min(LINK_CACHE_ENTRIES), hasher: RandomState::new(), state: Mutex::default() }
    }

    fn slot(&self, subject: &[u8], issuer: &[u8]) -> u64 {
        slot(&self.hasher, [issuer, subject].into_iter())
    }

    /// The parsed certificate of `der` if it is the issuer of a stored link (compared byte for
    /// byte): what [`Certificate::from_der`] gives for these bytes, key already prepared.
    pub(crate) fn parsed_issuer(&self, der: &[u8]) -> Option<Certificate> {
        if self.capacity == 0 {
            return None;
        }
        let slot = slot(&self.hasher, [der].into_iter());
        let state = usable(&self.state)?;
        state.issuers.get(&slot).filter(|issuer| issuer.der() == der).cloned()
    }

    /// [`Certificate::issued_by`]: answered from the cache when exactly this link verified
    /// before; otherwise checked, and remembered if it passed.
    pub(crate) fn issued_by(&self, subject: &Certificate, issuer: &Certificate) -> Result<(), LinkProblem> {
        if self.capacity == 0 {
            return subject.issued_by(issuer);
        }
        let slot = self.slot(subject.der(), issuer.der());
        if self.found(slot, subject.der(), issuer.der()) {
            return Ok(());
        }
        let verdict = subject.issued_by(issuer);
        if verdict.is_ok() {
            self.insert_verified(slot, subject.der(), issuer);
        }
        verdict
    }

    fn found(&self, slot: u64, subject: &[u8], issuer: &[u8]) -> bool {
        let Some(mut state) = usable(&self.state) else { return false };
        let found = state.links.get(&slot).is_some_and(|link| *link.subject == *subject && *link.issuer == *issuer);
        if found {
            state.hits += 1;
        } else {
            state.misses += 1;
        }
        found
    }

    /// Callers store only links that `issued_by` passed. The issuer is kept parsed after the
    /// check, so with its key prepared.
    fn insert_verified(&self, link_slot: u64, subject: &[u8], issuer: &Certificate) {
        let link = Link { issuer: issuer.der().into(), subject: subject.into() };
        let size = link.size();
        if size > MAX_CACHED_LINK_BYTES {
            return;
        }
        let issuer_slot = slot(&self.hasher, [issuer.der()].into_iter());
        let Some(mut guard) = usable(&self.state) else { return };
        let state = &mut *guard;
        if let Some(old) = state.links.remove(&link_slot) {
            state.bytes -= old.size();
        }
        let new_issuer = state.issuers.get(&issuer_slot).is_none_or(|known| known.der() != issuer.der());
        let added = size + if new_issuer { issuer.der().len() } else { 0 };
        // Each round evicts one arbitrary entry: a link while links are at their bound or hold
        // bytes over the budget, else a parsed issuer.
        loop {
            let links_full = state.links.len() >= self.capacity;
            let issuers_full = new_issuer && state.issuers.len() >= self.capacity;
            let over_budget = state.bytes + added > MAX_LINK_CACHE_BYTES;
            if !(links_full || issuers_full || over_budget) {
                break;
            }
            if links_full || (over_budget && !state.links.is_empty()) {
                let Some(victim) = state.links.keys().next().copied() else { break };
                let freed = state.links.remove(&victim).map_or(0, |old| old.size());
                state.bytes -= freed;
            } else {
                let Some(victim) = state.issuers.keys().next().copied() else { break };
                let freed = state.issuers.remove(&victim).map_or(0, |old| old.der().len());
                state.bytes -= freed;
            }
        }
        if new_issuer {
            if let Some(old) = state.issuers.insert(issuer_slot, issuer.clone()) {
                state.bytes -= old.der().len();
            }
            state.bytes += issuer.der().len();
        }
        state.bytes += size;
        state.links.insert(link_slot, link);
    }

    pub(crate) fn stats(&self) -> ChainCacheStats {
        let state = any_state(&self.state);
        ChainCacheStats { entries: state.links.len(), capacity: self.capacity, hits: state.hits, misses: state.misses }
    }

    pub(crate) fn clear(&self) {
        let mut state = any_state(&self.state);
        state.links.clear();
        state.issuers.clear();
        state.bytes = 0;
    }
}

impl super::Verifier {
    /// Sets the size of the link cache (at most [`LINK_CACHE_ENTRIES`], the default); `0`
    /// disables it. The new cache is empty and is shared by clones made afterwards.
    ///
    /// The cache only skips re-verifying a certificate's signature by its issuer (and a root's
    /// self-signature) when exactly these two certificates passed that check before, so a new
    /// leaf under a known CA costs one link; it never changes a verdict.
    pub fn with_link_cache(mut self, entries: usize) -> Self {
        self.link_cache = Arc::new(LinkCache::new(entries));
        self
    }

    /// Counters of the link cache.
    pub fn link_cache_stats(&self) -> ChainCacheStats {
        self.link_cache.stats()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pki(kt: &str, role: &str) -> Certificate {
        let path = format!("{}/tests/fixtures/pki/{kt}/{role}.pem", env!("CARGO_MANIFEST_DIR"));
        crate::x509::parse_certificates(&std::fs::read(path).unwrap()).unwrap().remove(0)
    }

    fn flipped(cert: &Certificate, position: usize) -> Option<Certificate> {
        let mut der = cert.der().to_vec();
        der[position] ^= 1;
        Certificate::from_der(&der).ok()
    }

    #[test]
    fn a_verified_link_hits_only_with_both_certificates_unchanged() {
        let cache = LinkCache::new(8);
        let (leaf, inter, root) = (pki("p256", "leaf"), pki("p256", "intermediate"), pki("p256", "root"));
        assert_eq!(cache.issued_by(&leaf, &inter), Ok(()));
        assert_eq!(cache.issued_by(&root, &root), Ok(()));
        assert_eq!(cache.issued_by(&leaf, &inter), Ok(()));
        assert_eq!(cache.issued_by(&root, &root), Ok(()));
        assert_eq!((cache.stats().hits, cache.stats().misses, cache.stats().entries), (2, 2, 2));
        // The issuers of stored links are handed out parsed, for their exact bytes only.
        assert_eq!(cache.parsed_issuer(inter.der()).as_ref(), Some(&inter));
        assert_eq!(cache.parsed_issuer(root.der()).as_ref(), Some(&root));
        assert_eq!(cache.parsed_issuer(leaf.der()), None);
        let mut changed = inter.der().to_vec();
        changed[10] ^= 1;
        assert_eq!(cache.parsed_issuer(&changed), None);
        // Every certificate that still parses after one flipped byte: the cache answers as
        // `issued_by` does, and no changed link is ever a hit.
        for position in (0..inter.der().len()).step_by(3) {
            for (subject, issuer) in [
                (flipped(&leaf, position.min(leaf.der().len() - 1)), Some(inter.clone())),
                (Some(leaf.clone()), flipped(&inter, position)),
            ] {
                let (Some(subject), Some(issuer)) = (subject, issuer) else { continue };
                let hits = cache.stats().hits;
                assert_eq!(cache.issued_by(&subject, &issuer), subject.issued_by(&issuer), "byte {position}");
                assert_eq!(cache.stats().hits, hits, "byte {position}");
            }
        }
        // The link the other way round, and a root that is not the issuer, are misses and fail.
        assert!(cache.issued_by(&inter, &leaf).is_err());
        assert!(cache.issued_by(&leaf, &root).is_err());
    }

    #[test]
    fn failures_are_not_stored_and_the_cache_is_bounded() {
        let cache = LinkCache::new(2);
        let (leaf, root) = (pki("p256", "leaf"), pki("p256", "root"));
        for _ in 0..2 {
            assert!(cache.issued_by(&leaf, &root).is_err());
        }
        assert_eq!((cache.stats().entries, cache.stats().hits), (0, 0));
        for kt in ["p256", "p384", "rsa2048", "rsa3072"] {
            assert_eq!(cache.issued_by(&pki(kt, "leaf"), &pki(kt, "intermediate")), Ok(()));
            assert!(cache.stats().entries <= 2);
        }
        assert!(any_state(&cache.state).issuers.len() <= 2);
        let off = LinkCache::new(0);
        assert_eq!(off.issued_by(&leaf, &pki("p256", "intermediate")), Ok(()));
        assert_eq!(off.stats(), ChainCacheStats::default());
    }

    #[test]
    fn a_poisoned_cache_passes_nothing() {
        let cache = Arc::new(LinkCache::new(8));
        let (leaf, inter) = (pki("p256", "leaf"), pki("p256", "intermediate"));
        assert_eq!(cache.issued_by(&leaf, &inter), Ok(()));
        let poisoner = Arc::clone(&cache);
        let _ = std::thread::spawn(move || {
            let _held = poisoner.state.lock();
            panic!("poison the link cache");
        })
        .join();
        assert!(cache.state.is_poisoned());
        let hits = cache.stats().hits;
        // The stored link is not used: the check runs again (and still passes on its own).
        assert_eq!(cache.issued_by(&leaf, &inter), Ok(()));
        assert_eq!(cache.stats().hits, hits);
        // A forged entry in the poisoned state is not used either.
        let slot = cache.slot(inter.der(), leaf.der());
        any_state(&cache.state).links.insert(slot, Link { issuer: leaf.der().into(), subject: inter.der().into() });
        assert!(cache.issued_by(&inter, &leaf).is_err());
    }
}
