//! The rollout posture of `notaverify-posture` in C: the `notaverify_exceptions` and
//! `notaverify_retired` handles (its exceptions and retired trust material files), and the
//! classify calls, which verify exactly as the verify calls do and then classify the outcome.
//! Every decision (what an exception covers, what is retired, which class an artifact has) is the
//! posture crate's; this module only converts.

use crate::boundary::{
    Failure, Outcome, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_opt_str, try_ref,
    try_str,
};
use crate::classification::notaverify_classification;
use crate::request::{notaverify_envelope, notaverify_verify_options, signature_inputs, verify_options};
use crate::result::notaverify_result;
use crate::verifier::{notaverify_verifier, reference_target};
use notaverify_core::loader::{OciLayout, TagOrDigest, load_trust_store};
use notaverify_core::{ArtifactOutcome, SignatureInput, Time, VerifyOptions};
use notaverify_posture::{Exceptions, PostureContext, RetiredMaterial, classify};
use std::ffi::c_char;
use std::path::Path;

/// A parsed exceptions file (version 1: each exception names a repository or an artifact, an
/// owner, a reason and a deadline, and applies only to a failing artifact it names, only before
/// its deadline). Owned by the caller; free it with `notaverify_exceptions_free`. Immutable once
/// built: it may be read from several threads at once, and freed as soon as no call uses it.
pub struct notaverify_exceptions {
    inner: Exceptions,
}

/// Retired trust material (version 1 file): certificates that are never trusted but recognised,
/// so that a signature anchored there is classified `retiredSigner`, not `unknownSigner`. Owned
/// by the caller; free it with `notaverify_retired_free`. Immutable once built: it may be read
/// from several threads at once, and freed as soon as no call uses it.
pub struct notaverify_retired {
    inner: RetiredMaterial,
}

/// Parses an exceptions file from `len` bytes of JSON at `json` into `*out`. An invalid file is
/// `NOTAVERIFY_RESULT_INVALID_INPUT`; `notaverify_last_error` lists every problem found.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_exceptions_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut notaverify_exceptions,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let json = unsafe { try_bytes(json, len, "json") }?;
        *out = into_handle(notaverify_exceptions { inner: Exceptions::from_json(json)? });
        Ok(())
    })
}

/// Frees exceptions. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_exceptions_free(exceptions: *mut notaverify_exceptions) {
    guard_or((), || unsafe { free_handle(exceptions) })
}

/// Parses a retired trust material file from `len` bytes of JSON at `json` into `*out`.
///
/// A `store` declaration (`"ca:acme-2024"`) retires every certificate of that trust store folder
/// of the notation configuration directory `config_dir` (`truststore/x509/ca/acme-2024/`), read
/// now; the folder must exist and hold certificates. `config_dir` (NUL-terminated UTF-8) may be
/// NULL when the file declares fingerprints only; a store declaration without it is
/// `NOTAVERIFY_RESULT_INVALID_ARGUMENT`, naming the store. An invalid file, or a declared store
/// that is missing or holds no certificate (a retirement that recognises nothing would hide
/// rotated-out signers), is `NOTAVERIFY_RESULT_INVALID_INPUT`; a store folder that cannot be read
/// `NOTAVERIFY_RESULT_LOAD`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_retired_from_json(
    json: *const u8,
    len: usize,
    config_dir: *const c_char,
    out: *mut *mut notaverify_retired,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let json = unsafe { try_bytes(json, len, "json") }?;
        let config_dir = unsafe { try_opt_str(config_dir, "config_dir") }?;
        let mut inner = RetiredMaterial::from_json(json)?;
        let stores = inner.stores();
        if let Some((store_type, name)) = stores.first() {
            let dir = config_dir.ok_or_else(|| {
                Failure::invalid(format!(
                    "the retired trust material declares the trust store {}:{name}, which is read from a \
                     configuration directory, but config_dir is NULL",
                    store_type.as_str()
                ))
            })?;
            inner.resolve_stores(&load_trust_store(Path::new(dir), &stores)?)?;
        }
        *out = into_handle(notaverify_retired { inner });
        Ok(())
    })
}

/// Frees retired trust material. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_retired_free(retired: *mut notaverify_retired) {
    guard_or((), || unsafe { free_handle(retired) })
}

/// What a classify call reads besides the verifier: the posture context and the verification
/// options it requires.
struct PostureRequest<'a> {
    context: PostureContext<'a>,
    options: VerifyOptions,
}

impl PostureRequest<'_> {
    /// The request of a classify call's `options`, `exceptions` and `retired` (either may be
    /// NULL). One instant, `options->at_unix` or now, is both the verification time and the time
    /// exceptions are judged at.
    ///
    /// # Safety
    /// Non-NULL pointers are live handles or a valid options struct.
    unsafe fn new<'a>(
        options: *const notaverify_verify_options,
        exceptions: *const notaverify_exceptions,
        retired: *const notaverify_retired,
    ) -> Outcome<PostureRequest<'a>> {
        let mut options = unsafe { verify_options(options) }?;
        let at = *options.at.get_or_insert_with(Time::now);
        // SAFETY: non-NULL handles are live, per the header's pointer rules.
        let (exceptions, retired) = unsafe { (exceptions.as_ref(), retired.as_ref()) };
        let context =
            PostureContext { retired: retired.map(|r| &r.inner), exceptions: exceptions.map(|e| &e.inner), at };
        Ok(PostureRequest { options: context.verify_options(options), context })
    }

    /// Classifies what the verifier made of `signatures` into `*out` (already reset to NULL); a
    /// request that could not be evaluated is its error, as for the verify calls.
    fn hand_out(
        &self,
        out: &mut *mut notaverify_classification,
        verified: Result<ArtifactOutcome, notaverify_core::Error>,
        signatures: &[SignatureInput],
    ) -> Outcome {
        let outcome = verified?;
        let classification = classify(&outcome.reference, &Ok(outcome.clone()), signatures, &self.context);
        *out = into_handle(notaverify_classification::new(classification, outcome));
        Ok(())
    }
}

/// Verifies an artifact of the OCI image layout in `layout_dir` exactly as
/// `notaverify_verify_oci_layout` does, and classifies the outcome with `exceptions` and
/// `retired` (each NULL for none), into `*out`: what `notaverify verify --oci-layout` reports with
/// `--exceptions` and `--retired`.
///
/// - `layout_dir`, `reference`, `scope`: as for `notaverify_verify_oci_layout`.
/// - `options`: NULL for the defaults. Exceptions are judged at `options->at_unix` (or now, the
///   verification time too). With retired material declared, every signature is evaluated
///   (`all_signatures`), so that a retired signature cannot hide a current one; the verdict is
///   the same.
///
/// The signatures classified are exactly the ones verified. A signature that does not verify is
/// `NOTAVERIFY_RESULT_OK` with its class; the other results are those of
/// `notaverify_verify_oci_layout`, and `*out` is then NULL. On success the caller owns `*out` and
/// frees it with `notaverify_classification_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classify_oci_layout(
    verifier: *const notaverify_verifier,
    layout_dir: *const c_char,
    reference: *const c_char,
    scope: *const c_char,
    options: *const notaverify_verify_options,
    exceptions: *const notaverify_exceptions,
    retired: *const notaverify_retired,
    out: *mut *mut notaverify_classification,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = &unsafe { try_ref(verifier, "verifier") }?.inner;
        let dir = unsafe { try_str(layout_dir, "layout_dir") }?;
        let reference = unsafe { try_str(reference, "reference") }?;
        let scope = unsafe { try_str(scope, "scope") }?;
        let request = unsafe { PostureRequest::new(options, exceptions, retired) }?;
        let layout = OciLayout::open(Path::new(dir))?;
        let item = verifier.oci_layout_item(&layout, &TagOrDigest::parse(reference)?, scope, &request.options)?;
        let verified = verifier.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options);
        request.hand_out(out, verified, &item.signatures)
    })
}

/// Verifies the signature envelopes of an OCI artifact exactly as `notaverify_verify_artifact`
/// does, and classifies the outcome with `exceptions` and `retired` (each NULL for none), into
/// `*out`: what `notaverify verify --signature ...` reports with `--exceptions` and `--retired`.
///
/// - `reference`, `envelopes`, `count`: as for `notaverify_verify_artifact`.
/// - `options`: as for `notaverify_classify_oci_layout`.
///
/// The results are those of `notaverify_classify_oci_layout`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classify_artifact(
    verifier: *const notaverify_verifier,
    reference: *const c_char,
    envelopes: *const notaverify_envelope,
    count: usize,
    options: *const notaverify_verify_options,
    exceptions: *const notaverify_exceptions,
    retired: *const notaverify_retired,
    out: *mut *mut notaverify_classification,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = &unsafe { try_ref(verifier, "verifier") }?.inner;
        let reference = unsafe { try_str(reference, "reference") }?;
        let signatures = unsafe { signature_inputs(envelopes, count) }?;
        let request = unsafe { PostureRequest::new(options, exceptions, retired) }?;
        let verified = verifier.verify_artifact(reference, &reference_target(reference), &signatures, &request.options);
        request.hand_out(out, verified, &signatures)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::with_last_error;
    use crate::classification::{notaverify_classification_free, notaverify_classification_json};
    use notaverify_core::loader::{LoadedVerifier, PolicySource, VerifierFiles, load_verifier_with};
    use serde_json::Value;
    use std::ffi::CString;
    use std::path::PathBuf;
    use std::process::Command;
    use std::ptr::{null, null_mut};

    /// When the CLI's scan tests run (`JULY` in cli/tests/common/mod.rs): 2025-07-01T00:00:00Z.
    const JULY: &str = "2025-07-01T00:00:00Z";
    const JULY_UNIX: i64 = 1_751_328_000;

    fn scan_fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/scan")
    }

    /// The `notaverify` command of this workspace, built now so that it is current.
    fn cli() -> PathBuf {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "notaverify-cli", "--locked", "--quiet"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p notaverify-cli failed");
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        root.join(target).join("debug/notaverify")
    }

    /// A verifier as the CLI's `--config-dir config --trust-policy policies/<policy>.json` makes.
    fn verifier(policy: &str) -> notaverify_verifier {
        let files = VerifierFiles {
            oci_policy: PolicySource::File(scan_fixtures().join(format!("policies/{policy}.json"))),
            ..VerifierFiles::default()
        };
        let LoadedVerifier { verifier, .. } =
            load_verifier_with(&scan_fixtures().join("config"), &files).expect("the scan fixtures load");
        notaverify_verifier { inner: verifier }
    }

    fn from_json<T>(
        parse: unsafe extern "C" fn(*const u8, usize, *mut *mut T) -> notaverify_result,
        file: &str,
    ) -> *mut T {
        let json = std::fs::read(scan_fixtures().join(file)).unwrap();
        let mut out = null_mut();
        assert_eq!(unsafe { parse(json.as_ptr(), json.len(), &mut out) }, notaverify_result::Ok, "{file}");
        out
    }

    fn retired_in_config() -> *mut notaverify_retired {
        let json = std::fs::read(scan_fixtures().join("retired.json")).unwrap();
        let config = CString::new(scan_fixtures().join("config").to_str().unwrap()).unwrap();
        let mut out = null_mut();
        let rc = unsafe { notaverify_retired_from_json(json.as_ptr(), json.len(), config.as_ptr(), &mut out) };
        assert_eq!(rc, notaverify_result::Ok);
        out
    }

    /// The C classification of `layouts/<layout>:<tag>` as JSON.
    fn c_classification(
        policy: &str,
        layout: &str,
        tag: &str,
        exceptions: *const notaverify_exceptions,
        retired: *const notaverify_retired,
    ) -> Value {
        let verifier = verifier(policy);
        let dir = CString::new(scan_fixtures().join("layouts").join(layout).to_str().unwrap()).unwrap();
        let tag = CString::new(tag).unwrap();
        let scope = CString::new(format!("registry.example/{layout}")).unwrap();
        let options = notaverify_verify_options {
            user_metadata: null(),
            user_metadata_len: 0,
            at_unix: JULY_UNIX,
            max_signatures: 0,
            all_signatures: false,
        };
        let mut out = null_mut();
        let rc = unsafe {
            notaverify_classify_oci_layout(
                &verifier,
                dir.as_ptr(),
                tag.as_ptr(),
                scope.as_ptr(),
                &options,
                exceptions,
                retired,
                &mut out,
            )
        };
        assert_eq!(rc, notaverify_result::Ok, "{}", with_last_error(str::to_owned));
        let mut len = 0;
        let rc = unsafe { notaverify_classification_json(out, null_mut(), 0, &mut len) };
        assert_eq!(rc, notaverify_result::BufferTooSmall);
        let mut json = vec![0u8; len + 1];
        let rc = unsafe { notaverify_classification_json(out, json.as_mut_ptr().cast(), json.len(), &mut len) };
        assert_eq!(rc, notaverify_result::Ok);
        unsafe { notaverify_classification_free(out) };
        serde_json::from_slice(&json[..len]).expect("the classification is JSON")
    }

    /// The CLI's `posture` member for the same request.
    fn cli_posture(cli: &Path, policy: &str, layout: &str, tag: &str, files: &[&str]) -> Value {
        let mut command = Command::new(cli);
        command.current_dir(scan_fixtures()).args([
            "verify",
            "--oci-layout",
            "--scope",
            &format!("registry.example/{layout}"),
            "--config-dir",
            "config",
            "--trust-policy",
            &format!("policies/{policy}.json"),
            "--at",
            JULY,
            "-o",
            "json",
        ]);
        for file in files {
            command.args([if file.starts_with("retired") { "--retired" } else { "--exceptions" }, file]);
        }
        let output = command.arg(format!("layouts/{layout}:{tag}")).output().expect("the CLI runs");
        let doc: Value = serde_json::from_slice(&output.stdout).expect("the CLI prints JSON");
        doc["posture"].clone()
    }

    /// The C classification is the CLI's `posture` member: a retired signer, a dual-signed image,
    /// an unknown signer, a legacy image excepted, with and without the files.
    #[test]
    fn classifications_are_the_clis() {
        let cli = cli();
        let exceptions = from_json(notaverify_exceptions_from_json, "exceptions.json");
        let retired = retired_in_config();
        let cases: [(&str, &str, &str, &[&str]); 6] = [
            ("rotated", "app", "old", &["retired.json", "exceptions.json"]),
            ("rotated", "app", "old", &["exceptions.json"]),
            ("rotated", "app", "dual", &["retired.json"]),
            ("rotation", "app", "unknown", &["retired.json", "exceptions.json"]),
            ("rotation", "app", "revocation", &["exceptions.json"]),
            ("rotation", "legacy", "legacy-a", &["exceptions.json"]),
        ];
        for (policy, layout, tag, files) in cases {
            let given = |name: &str| files.contains(&name);
            let from_c = c_classification(
                policy,
                layout,
                tag,
                if given("exceptions.json") { exceptions } else { null() },
                if given("retired.json") { retired } else { null() },
            );
            let from_cli = cli_posture(&cli, policy, layout, tag, files);
            assert!(from_cli.is_object(), "{policy} {layout}:{tag} {files:?}: the CLI classified it");
            assert_eq!(from_c, from_cli, "{policy} {layout}:{tag} {files:?}");
        }
        unsafe {
            notaverify_exceptions_free(exceptions);
            notaverify_retired_free(retired);
        }
    }

    #[test]
    fn a_retired_store_needs_the_configuration_directory() {
        let json = br#"{"version":"1","retired":[{"store":"ca:acme-2024","retired":"2025-06-15"}]}"#;
        let mut out = null_mut();
        let rc = unsafe { notaverify_retired_from_json(json.as_ptr(), json.len(), null(), &mut out) };
        assert_eq!(rc, notaverify_result::InvalidArgument);
        assert!(out.is_null());
        assert!(with_last_error(|m| m.contains("ca:acme-2024") && m.contains("config_dir")));
        // Fingerprints need no directory.
        let json = format!(
            r#"{{"version":"1","retired":[{{"sha256Fingerprint":"{}","retired":"2025-06-15"}}]}}"#,
            "a".repeat(64)
        );
        let rc = unsafe { notaverify_retired_from_json(json.as_ptr(), json.len(), null(), &mut out) };
        assert_eq!(rc, notaverify_result::Ok);
        unsafe { notaverify_retired_free(out) };
    }
}
