//! What one signature is checked against: the statement, the trust store, the time, the target
//! and the evidence. The verifier builds it; the workflow and its checks (timestamp,
//! revocation) read it.

use super::cache::ChainCache;
use super::link_cache::LinkCache;
use super::target::HashedBlob;
use crate::policy::TrustPolicyStatement;
use crate::request::Target;
use crate::revocation::RevocationEvidence;
use crate::trust::TrustStore;
use crate::{StoreType, Time};
use std::collections::BTreeMap;

/// What a signature must be bound to.
pub(crate) enum TargetCheck<'a> {
    Artifact(&'a Target),
    Blob { content: BlobContent<'a>, media_type: Option<&'a str> },
}

/// A blob as the blob check sees it: its bytes, or its size and digest computed while it was
/// streamed. Both are compared the same way (size, then media type, then the digest under the
/// signing key's hash).
pub(crate) enum BlobContent<'a> {
    Bytes(&'a [u8]),
    Hashed(HashedBlob),
}

/// Everything one signature is checked against.
pub(crate) struct Context<'a> {
    pub statement: &'a TrustPolicyStatement,
    pub store: &'a TrustStore,
    pub at: Time,
    pub target: TargetCheck<'a>,
    pub user_metadata: &'a BTreeMap<String, String>,
    pub revocation: &'a RevocationEvidence,
    pub chain_cache: &'a ChainCache,
    pub link_cache: &'a LinkCache,
}

impl Context<'_> {
    /// Names of the statement's stores of `store_type`, after checking they exist (the message
    /// of a missing one is the core of notation-go's).
    pub(super) fn named_stores(&self, store_type: StoreType) -> Result<Vec<&str>, String> {
        let mut names = Vec::new();
        for (t, name) in self.statement.trust_stores() {
            if *t != store_type {
                continue;
            }
            if !self.store.contains_store(*t, name) {
                return Err(format!("the trust store {name:?} of type {:?} does not exist", t.as_str()));
            }
            names.push(name.as_str());
        }
        Ok(names)
    }
}
