//! Cross-check against notation-go: runs notaverify over a corpus generated and verified by
//! notation-go v1.3.2 (interop/notation-go, format in interop/README.md) and compares, for every
//! case, the verdict and the failing check type(s), and also the level name and the list of
//! per-check results (type, action, failed or not).
//!
//! The corpus is `interop/corpus` (committed seed corpus) unless `NOTAVERIFY_INTEROP_CORPUS`
//! names another directory (interop/compare.sh regenerates a fresh one when `go` is present).
//!
//! Deliberate divergences (docs/divergences.md) are matched by the reasoned allow-list
//! `interop/allowlist.json`. The test fails on any disagreement the allow-list does not cover,
//! and on any allow-list entry that matches no disagreement (stale entry).
//!
//! Mapping of our outcome to notation-go's `failingChecks`:
//! - enforced failed [`CheckResult`]s → their check type;
//! - [`FailureKind::VerificationPlugin`] → `plugin`;
//! - [`FailureKind::UserMetadata`] → `userMetadata`;
//! - the target (descriptor) mismatch, which we report as an integrity failure after all other
//!   checks → `descriptor`;
//! - `Err(NoApplicableStatement)` from `verify` → `policy`.
//!
//! The verification time is now: every corpus expectation holds until 2100.

use notaverify::{
    Action, CheckType, Descriptor, Error, FailureKind, PolicyError, SignatureInput, StoreType, Target,
    TrustPolicyDocument, TrustStore, Verifier, VerifyOptions,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("NOTAVERIFY_INTEROP_CORPUS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace().join("interop/corpus"),
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// Loads `<dir>/truststore/x509/<type>/<name>/*` as notation-go's file-based `X509TrustStore`
/// does when a policy names the store: one invalid file makes the whole named store fail to load
/// (an authenticity failure of every case that names it). Such a store is left out here, which
/// gives the same authenticity failure ("the trust store ... does not exist"). Returns the store
/// and the names of the stores left out.
fn load_trust_store(dir: &Path) -> (TrustStore, Vec<String>) {
    let mut store = TrustStore::new();
    let mut failed = Vec::new();
    for t in StoreType::ALL {
        for name_dir in sorted_entries(&dir.join("truststore/x509").join(t.as_str())) {
            let name = name_dir.file_name().unwrap().to_str().unwrap().to_owned();
            let files: Vec<Vec<u8>> = sorted_entries(&name_dir).iter().map(|f| read(f)).collect();
            let mut scratch = TrustStore::new();
            let bad = files.iter().find_map(|bytes| scratch.add(t, &name, bytes).err());
            match bad {
                Some(e) => failed.push(format!("{}:{name} ({e})", t.as_str())),
                None => {
                    for bytes in &files {
                        store.add(t, &name, bytes).unwrap();
                    }
                }
            }
        }
    }
    (store, failed)
}

/// What one side said about one case.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Verdict {
    verified: bool,
    failing: BTreeSet<String>,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let failing: Vec<&str> = self.failing.iter().map(String::as_str).collect();
        write!(f, "verified={} failing=[{}]", self.verified, failing.join(","))
    }
}

/// Also compared (a case agrees only when these match too): the level name (`custom` when the
/// statement overrides its level) and the per-check results in order as (type, action, failed).
/// notation-go's integrity result stays passing on a descriptor mismatch; ours is marked failed,
/// so it is read as passing when the failure is the descriptor mismatch.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    level: Option<String>,
    results: Vec<(String, String, bool)>,
}

fn expected(case: &Value) -> (Verdict, Details) {
    let e = &case["expected"];
    let failing = e["failingChecks"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    let results = e["results"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    (
                        r["type"].as_str().unwrap().to_owned(),
                        r["action"].as_str().unwrap().to_owned(),
                        !r["error"].is_null(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (
        Verdict { verified: e["verified"].as_bool().unwrap(), failing },
        Details { level: e["level"].as_str().map(str::to_owned), results },
    )
}

fn is_descriptor_mismatch(error: Option<&str>) -> bool {
    error.is_some_and(|e| e.contains("does not match the artifact being verified"))
}

/// Our outcome in notation-go's terms, plus a one-line explanation for reports.
fn ours(verifier: &Verifier, case: &Value, dir: &Path) -> (Verdict, Details, String) {
    let case_dir = dir.join("cases").join(case["id"].as_str().unwrap());
    let envelope = read(&case_dir.join(case["envelope"].as_str().unwrap()));
    let d = &case["descriptor"];
    let descriptor = Descriptor {
        media_type: d["mediaType"].as_str().unwrap().to_owned(),
        digest: d["digest"].as_str().unwrap().to_owned(),
        size: d["size"].as_i64().unwrap(),
        annotations: serde_json::from_value(d.get("annotations").cloned().unwrap_or(Value::Null)).unwrap_or_default(),
    };
    let user_metadata: BTreeMap<String, String> =
        serde_json::from_value(case["userMetadata"].clone()).unwrap_or_default();
    let options = VerifyOptions { user_metadata, ..VerifyOptions::default() };
    let input = SignatureInput::new(envelope, case["signatureMediaType"].as_str().unwrap());
    let reference = case["reference"].as_str().unwrap();
    match verifier.verify(reference, &Target::Descriptor(descriptor), &input, &options) {
        Err(Error::Policy(PolicyError::NoApplicableStatement { .. })) => (
            Verdict { verified: false, failing: BTreeSet::from(["policy".to_owned()]) },
            Details { level: None, results: Vec::new() },
            "no applicable trust policy statement".into(),
        ),
        Err(e) => (
            Verdict { verified: false, failing: BTreeSet::from([format!("error:{}", e.code())]) },
            Details { level: None, results: Vec::new() },
            e.to_string(),
        ),
        Ok(outcome) => {
            let level = outcome
                .policy
                .as_ref()
                .map(|p| if p.custom { "custom".to_owned() } else { p.level.as_str().to_owned() });
            let Some(sig) = outcome.signatures.first() else {
                let why = outcome.error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
                return (
                    Verdict { verified: outcome.verified, failing: BTreeSet::new() },
                    Details { level, results: Vec::new() },
                    why,
                );
            };
            let descriptor = sig.failure == Some(FailureKind::Check(CheckType::Integrity))
                && is_descriptor_mismatch(sig.error.as_deref());
            let mut failing: BTreeSet<String> = sig
                .checks
                .iter()
                .filter(|r| !r.passed && r.action == Action::Enforce)
                .filter(|r| {
                    !(descriptor && r.check == CheckType::Integrity && is_descriptor_mismatch(r.error.as_deref()))
                })
                .map(|r| r.check.as_str().to_owned())
                .collect();
            match sig.failure {
                Some(FailureKind::VerificationPlugin) => {
                    failing.insert("plugin".into());
                }
                Some(FailureKind::UserMetadata) => {
                    failing.insert("userMetadata".into());
                }
                Some(FailureKind::Check(_)) if descriptor => {
                    failing.insert("descriptor".into());
                }
                Some(FailureKind::Check(c)) => {
                    failing.insert(c.as_str().to_owned());
                }
                Some(other) => {
                    failing.insert(format!("unmapped:{}", other.as_str()));
                }
                None => {}
            }
            let results = sig
                .checks
                .iter()
                .map(|r| {
                    let failed = !r.passed && (!descriptor || r.check != CheckType::Integrity);
                    (r.check.as_str().to_owned(), r.action.as_str().to_owned(), failed)
                })
                .collect();
            let why = sig.error.clone().unwrap_or_default();
            (Verdict { verified: outcome.verified, failing }, Details { level, results }, why)
        }
    }
}

/// One allow-list entry (interop/allowlist.json).
struct Allowed {
    id: String,
    tags: Vec<String>,
    description: Option<regex::Regex>,
    notation: Option<Verdict>,
    notaverify: Option<Verdict>,
    notaverify_error: Option<regex::Regex>,
    matched: usize,
}

fn verdict_of(v: &Value) -> Option<Verdict> {
    if v.is_null() {
        return None;
    }
    Some(Verdict {
        verified: v["verified"].as_bool().expect("allow-list verdict needs `verified`"),
        failing: v["failingChecks"]
            .as_array()
            .expect("allow-list verdict needs `failingChecks`")
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect(),
    })
}

fn load_allowlist() -> Vec<Allowed> {
    let path = workspace().join("interop/allowlist.json");
    let doc = read_json(&path);
    doc["entries"]
        .as_array()
        .expect("allowlist.json: `entries` array")
        .iter()
        .map(|e| {
            let id = e["id"].as_str().expect("entry id").to_owned();
            for field in ["divergence", "why"] {
                assert!(
                    e[field].as_str().is_some_and(|s| !s.trim().is_empty()),
                    "allow-list entry {id}: `{field}` is required"
                );
            }
            let m = &e["match"];
            Allowed {
                tags: m["tags"]
                    .as_array()
                    .map(|a| a.iter().map(|t| t.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default(),
                description: m["description"]
                    .as_str()
                    .map(|r| regex::Regex::new(r).unwrap_or_else(|err| panic!("entry {id}: {err}"))),
                notation: verdict_of(&m["notation"]),
                notaverify: verdict_of(&m["notaverify"]),
                notaverify_error: m["notaverifyError"]
                    .as_str()
                    .map(|r| regex::Regex::new(r).unwrap_or_else(|err| panic!("entry {id}: {err}"))),
                id,
                matched: 0,
            }
        })
        .collect()
}

impl Allowed {
    fn covers(&self, case: &Value, notation: &Verdict, ours: &Verdict, our_error: &str) -> bool {
        let tags: Vec<&str> = case["tags"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        (self.tags.is_empty() || self.tags.iter().any(|t| tags.contains(&t.as_str())))
            && self.description.as_ref().is_none_or(|r| r.is_match(case["description"].as_str().unwrap_or("")))
            && self.notation.as_ref().is_none_or(|v| v == notation)
            && self.notaverify.as_ref().is_none_or(|v| v == ours)
            && self.notaverify_error.as_ref().is_none_or(|r| r.is_match(our_error))
    }
}

#[test]
fn notaverify_agrees_with_notation_go() {
    let dir = corpus_dir();
    let cases_dir = dir.join("cases");
    assert!(cases_dir.is_dir(), "no corpus at {} (set NOTAVERIFY_INTEROP_CORPUS)", dir.display());
    let mut allowlist = load_allowlist();

    let mut stores: HashMap<String, (TrustStore, Vec<String>)> = HashMap::new();
    let mut verifiers: HashMap<(String, String), Result<Verifier, String>> = HashMap::new();

    let (mut compared, mut agreed, mut allowed) = (0usize, 0usize, 0usize);
    let mut details_differ = Vec::new();
    let mut report = String::new();
    let mut by_tag: BTreeMap<String, (usize, usize)> = BTreeMap::new();

    for case_dir in sorted_entries(&cases_dir) {
        let case_file = case_dir.join("case.json");
        if !case_file.is_file() {
            continue;
        }
        let case = read_json(&case_file);
        let id = case["id"].as_str().unwrap().to_owned();
        let store_rel = case["truststore"].as_str().unwrap().to_owned();
        let policy_rel = case["policy"].as_str().unwrap().to_owned();
        let (store, failed_stores) =
            stores.entry(store_rel.clone()).or_insert_with(|| load_trust_store(&dir.join(&store_rel)));
        let verifier = verifiers.entry((store_rel.clone(), policy_rel.clone())).or_insert_with(|| {
            TrustPolicyDocument::from_json(&read(&dir.join(&policy_rel)))
                .map(|p| Verifier::new(store.clone()).with_oci_policy(p))
                .map_err(|e| e.to_string())
        });
        let _ = failed_stores;

        let (want, want_details) = expected(&case);
        let (got, got_details, why) = match verifier {
            Ok(v) => ours(v, &case, &dir),
            Err(e) => (
                Verdict { verified: false, failing: BTreeSet::from(["error:POLICY_LOAD".to_owned()]) },
                Details { level: None, results: Vec::new() },
                e.clone(),
            ),
        };
        compared += 1;
        let tag = case["tags"][0].as_str().unwrap_or("?").to_owned();
        let entry = by_tag.entry(tag).or_default();
        entry.0 += 1;
        if got == want && got_details == want_details {
            agreed += 1;
            entry.1 += 1;
            continue;
        }
        if got == want {
            details_differ.push(id.clone());
        }
        if let Some(a) = allowlist.iter_mut().find(|a| a.covers(&case, &want, &got, &why)) {
            a.matched += 1;
            allowed += 1;
            continue;
        }
        let _ = writeln!(
            report,
            "DISAGREE {id}\n  {}\n  notation-go: {want} ({})\n  notaverify:  {got} ({why})\n  details notation-go: {want_details:?}\n  details notaverify:  {got_details:?}",
            case["description"].as_str().unwrap_or(""),
            case["expected"]["error"].as_str().unwrap_or("")
        );
    }

    println!("corpus: {}", dir.display());
    for (store_rel, (_, failed)) in &stores {
        for f in failed {
            println!(
                "trust store {store_rel}: named store left out (invalid file, as notation-go fails to load it): {f}"
            );
        }
    }
    for (tag, (n, ok)) in &by_tag {
        println!("  {tag:<20} {ok}/{n}");
    }
    for a in &allowlist {
        println!("allow-list {}: {} case(s)", a.id, a.matched);
    }
    if !details_differ.is_empty() {
        println!(
            "{} case(s) with the same verdict and failing checks differ in level or per-check results: {details_differ:?}",
            details_differ.len()
        );
    }
    let disagreed = compared - agreed - allowed;
    println!(
        "interop: {compared} cases compared, {agreed} agreed ({:.2}%), {allowed} allowed divergences, {disagreed} disagreements",
        100.0 * agreed as f64 / compared.max(1) as f64
    );
    let stale: Vec<&str> = allowlist.iter().filter(|a| a.matched == 0).map(|a| a.id.as_str()).collect();
    assert!(compared > 0, "no case in {}", cases_dir.display());
    assert!(report.is_empty(), "{disagreed} disagreement(s) with notation-go not on interop/allowlist.json:\n{report}");
    assert!(stale.is_empty(), "stale allow-list entries (match no disagreement in this corpus): {stale:?}");
}
