//! The native module `notaverify._notaverify`: a thin PyO3 layer over the `notaverify` crate.
//! It converts Python arguments to core inputs and core results to frozen Python objects; every
//! verification rule lives in the core. The public package is `python/notaverify/`.
#![allow(unreachable_pub, reason = "classes and functions reach Python through the pyo3 module, not Rust visibility")]

mod api;
mod convert;
mod errors;
mod inspect;
mod outcome;
mod revocation;
mod rollout;
mod scan;
mod workloads;

use pyo3::prelude::*;

#[pymodule]
fn _notaverify(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<api::TrustPolicy>()?;
    m.add_class::<api::BlobTrustPolicy>()?;
    m.add_class::<api::TrustStore>()?;
    m.add_class::<api::Verifier>()?;
    m.add_class::<revocation::RevocationEvidence>()?;
    m.add_class::<outcome::Outcome>()?;
    m.add_class::<outcome::SignatureOutcome>()?;
    m.add_class::<outcome::CheckResult>()?;
    m.add_class::<outcome::Signer>()?;
    m.add_class::<outcome::PolicySummary>()?;
    m.add_class::<outcome::ArtifactError>()?;
    m.add_class::<inspect::Inspection>()?;
    m.add_class::<inspect::SignatureInspection>()?;
    m.add_class::<inspect::CertificateSummary>()?;
    m.add_class::<inspect::TimestampSummary>()?;
    m.add_function(wrap_pyfunction!(inspect::inspect_oci_layout, m)?)?;
    m.add_function(wrap_pyfunction!(inspect::inspect_envelopes, m)?)?;
    m.add_class::<rollout::Exceptions>()?;
    m.add_class::<rollout::RetiredMaterial>()?;
    m.add_class::<rollout::Classification>()?;
    m.add_class::<rollout::AppliedException>()?;
    m.add_class::<rollout::RetiredMatch>()?;
    m.add_class::<rollout::WouldFail>()?;
    m.add_class::<rollout::LoggedFailure>()?;
    m.add_class::<scan::ScanIterator>()?;
    m.add_class::<scan::ScannedArtifact>()?;
    m.add_class::<scan::ScanSummary>()?;
    m.add_class::<workloads::WorkloadContainer>()?;
    m.add_function(wrap_pyfunction!(scan::write_report, m)?)?;
    m.add_function(wrap_pyfunction!(rollout::not_evaluated_document, m)?)?;
    m.add("EXIT_NOT_EVALUATED", notaverify_posture::document::EXIT_NOT_EVALUATED)?;
    m.add_function(wrap_pyfunction!(api::_trust_store, m)?)?;
    m.add_function(wrap_pyfunction!(api::_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(revocation::_revocation_evidence, m)?)?;
    m.add_function(wrap_pyfunction!(api::_bench_verify_native, m)?)?;
    m.add_function(wrap_pyfunction!(api::_fault_injection_panic, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CRYPTO_BACKEND", notaverify::backend_name())?;
    Ok(())
}
