//! A layout and a configuration directory are closed rooms, `scan` sees every artifact `verify`
//! would, a scan never passes on nothing, and two differing policy files are reported. Runs the
//! built binary over copies of the fixtures of `tests/fixtures` (see `tests/cli.rs`), changed in
//! a scratch directory.

mod common;

use common::{Run, Scratch, notaverify};
use serde_json::Value;
use std::path::{Path, PathBuf};

const AT: &str = "2025-07-01T00:00:00Z";
const SCOPE: &str = "example.com/app";
const NOTATION_SIGNATURE: &str = "application/vnd.cncf.notary.signature";

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

fn run(args: &[&str]) -> Run {
    notaverify(args)
}

/// A copy of the fixture directory `from` at `to` of `scratch`; returns its path.
fn copy(scratch: &Scratch, from: &str, to: &str) -> PathBuf {
    scratch.copy_dir(fixture(from), to)
}

/// Moves `dir/rel` to `outside/rel` of `scratch` (outside `dir`) and leaves a symlink to it in
/// its place.
fn move_out_and_link(scratch: &Scratch, dir: &Path, rel: &str) -> PathBuf {
    let from = dir.join(rel);
    let to = scratch.0.join("outside").join(rel);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::rename(&from, &to).unwrap();
    std::os::unix::fs::symlink(&to, &from).unwrap();
    from
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, value.to_string()).unwrap();
}

/// Stores `bytes` as a blob of `layout`; returns its descriptor with `media_type`.
fn store_blob(layout: &Path, bytes: &[u8], media_type: &str) -> Value {
    let digest = notaverify::digest_of("sha256", bytes).unwrap();
    std::fs::write(layout.join("blobs/sha256").join(digest.trim_start_matches("sha256:")), bytes).unwrap();
    serde_json::json!({"mediaType": media_type, "digest": digest, "size": bytes.len()})
}

/// `scan` of one layout under the fixture configuration, as JSON; returns the status, the
/// artifact lines and the summary.
fn scan_layout(config: &Path, layout: &Path, extra: &[&str]) -> (Run, Vec<Value>, Value) {
    let (config, layout) = (s(config), s(layout));
    let mut args =
        vec!["scan", "--config-dir", &config, "--at", AT, "-o", "json", "--no-progress", "--oci-layout", &layout];
    args.extend_from_slice(&["--scope", SCOPE]);
    args.extend_from_slice(extra);
    let r = run(&args);
    let mut lines: Vec<Value> = r.stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let summary = lines.pop().map(|l| l["summary"].clone()).unwrap_or(Value::Null);
    (r, lines, summary)
}

fn verify_in(config: &Path, reference: &str) -> Run {
    let config = s(config);
    run(&["verify", "--config-dir", &config, "--oci-layout", "--scope", SCOPE, "--at", AT, "-o", "json", reference])
}

fn error_of(run: &Run) -> Value {
    let json: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    json["error"].clone()
}

// ----- item 4: scan sees every artifact verify would -----

#[test]
fn scan_classifies_an_unsigned_image_that_claims_the_signature_artifact_type() {
    let scratch = Scratch::new("claims");
    let config = fixture("config");
    // The index entry claims it.
    let layout = copy(&scratch, "layouts/unsigned", "index-claim");
    let mut index = read_json(&layout.join("index.json"));
    index["manifests"][0]["artifactType"] = NOTATION_SIGNATURE.into();
    write_json(&layout.join("index.json"), &index);
    let (r, lines, summary) = scan_layout(&config, &layout, &[]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(summary["total"], 1, "{}", r.stdout);
    assert_eq!(summary["outOfPolicy"], 1);
    assert_eq!(lines[0]["class"], "unsigned", "{}", lines[0]);

    // The image's own manifest claims it (with its real config), listed without an artifactType.
    let layout = copy(&scratch, "layouts/unsigned", "manifest-claim");
    let mut index = read_json(&layout.join("index.json"));
    let listed = &index["manifests"][0];
    let digest = listed["digest"].as_str().unwrap().trim_start_matches("sha256:").to_owned();
    let mut manifest = read_json(&layout.join("blobs/sha256").join(&digest));
    manifest["artifactType"] = NOTATION_SIGNATURE.into();
    let mut descriptor = store_blob(&layout, manifest.to_string().as_bytes(), listed["mediaType"].as_str().unwrap());
    descriptor["annotations"] = listed["annotations"].clone();
    index["manifests"][0] = descriptor;
    write_json(&layout.join("index.json"), &index);
    let (r, lines, summary) = scan_layout(&config, &layout, &[]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(summary["total"], 1);
    assert_eq!(lines[0]["class"], "unsigned", "{}", lines[0]);

    // Dressed up further: the legacy signature form (config media type), a subject, image layers.
    let layout = copy(&scratch, "layouts/good", "dressed");
    let mut index = read_json(&layout.join("index.json"));
    let target = index["manifests"][0].clone();
    let config_blob = store_blob(&layout, b"{}", NOTATION_SIGNATURE);
    let layer = store_blob(&layout, b"image layer", "application/vnd.oci.image.layer.v1.tar+gzip");
    let dressed = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_blob, "layers": [layer],
        "subject": {"mediaType": target["mediaType"], "digest": target["digest"], "size": target["size"]}});
    let mut dressed = store_blob(&layout, dressed.to_string().as_bytes(), "application/vnd.oci.image.manifest.v1+json");
    dressed["artifactType"] = NOTATION_SIGNATURE.into();
    index["manifests"].as_array_mut().unwrap().push(dressed.clone());
    write_json(&layout.join("index.json"), &index);
    let (r, lines, _) = scan_layout(&config, &layout, &[]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    let class_of = |digest: &Value| {
        let reference = format!("{SCOPE}@{}", digest.as_str().unwrap());
        lines.iter().find(|l| l["reference"] == reference.as_str()).map(|l| l["class"].clone())
    };
    assert_eq!(class_of(&dressed["digest"]), Some("unsigned".into()), "{}", r.stdout);
    assert_eq!(class_of(&target["digest"]), Some("verified".into()), "the real signature still counts");
}

#[test]
fn a_clean_layout_scans_as_before() {
    let (r, lines, summary) = scan_layout(&fixture("config"), &fixture("layouts/good"), &[]);
    // The signed image and its SBOM referrer (an artifact, unsigned); the signature is left out.
    assert_eq!(summary["total"], 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(lines[0]["class"], "verified");
    assert_eq!(lines[1]["class"], "unsigned");
    let (r, _, summary) = scan_layout(&fixture("config"), &fixture("layouts/good"), &["--tagged-only"]);
    assert_eq!((r.status, summary["total"].as_u64()), (0, Some(1)), "{}{}", r.stdout, r.stderr);
}

#[test]
fn scan_with_only_matching_nothing_exits_2() {
    let (r, lines, _) = scan_layout(&fixture("config"), &fixture("layouts/good"), &["--only", "example.com/typo"]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
    assert!(lines.is_empty());
    assert!(r.stderr.contains("--only \"example.com/typo\" matches no repository"), "{}", r.stderr);
    assert!(r.stderr.contains("\"example.com/app\""), "names what the inputs have: {}", r.stderr);
    // One --only that matches and one that does not: still exit 2.
    let (r, _, _) =
        scan_layout(&fixture("config"), &fixture("layouts/good"), &["--only", SCOPE, "--only", "example.com/typo"]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
    let (r, _, _) = scan_layout(&fixture("config"), &fixture("layouts/good"), &["--only", SCOPE, "--tagged-only"]);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_scan_that_checks_zero_artifacts_exits_2() {
    let scratch = Scratch::new("zero");
    // Only the signature is listed.
    let layout = copy(&scratch, "layouts/good", "signatures-only");
    let mut index = read_json(&layout.join("index.json"));
    let signature = index["manifests"][2].clone();
    index["manifests"] = Value::Array(vec![signature]);
    write_json(&layout.join("index.json"), &index);
    let (r, _, _) = scan_layout(&fixture("config"), &layout, &[]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no artifact to check"), "{}", r.stderr);
    // Nothing tagged, with --tagged-only; and in JSON the error document says so.
    let (r, _, _) = scan_layout(&fixture("config"), &layout, &["--tagged-only"]);
    assert_eq!(r.status, 2);
    assert!(r.stdout.contains("no artifact to check"), "{}", r.stdout);
    // An empty batch file.
    let batch = scratch.0.join("empty.jsonl");
    std::fs::write(&batch, "\n").unwrap();
    let (config, batch) = (s(&fixture("config")), s(&batch));
    let r = run(&["scan", "--config-dir", &config, "--no-progress", "--batch", &batch]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
}

// ----- item 5: closed rooms -----

#[test]
fn a_symlinked_blobs_directory_is_refused() {
    let scratch = Scratch::new("blobs");
    for rel in ["blobs", "blobs/sha256"] {
        let layout = copy(&scratch, "layouts/good", rel.replace('/', "-").as_str());
        let link = move_out_and_link(&scratch, &layout, rel);
        let r = verify_in(&fixture("config"), &format!("{}:v1", s(&layout)));
        assert_eq!(r.status, 2, "{rel}: {}{}", r.stdout, r.stderr);
        let error = error_of(&r);
        assert_eq!(error["code"], "LOAD", "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(&s(&link)) && message.contains("symlink"), "{rel}: {message}");
        let (r, _, _) = scan_layout(&fixture("config"), &layout, &[]);
        assert_eq!(r.status, 2, "{rel}: {}{}", r.stdout, r.stderr);
        std::fs::remove_dir_all(scratch.0.join("outside")).unwrap();
    }
}

#[test]
fn a_symlinked_trust_store_folder_outside_the_config_dir_is_refused() {
    let scratch = Scratch::new("stores");
    let reference = format!("{}:v1", s(&fixture("layouts/good")));
    for rel in ["truststore", "truststore/x509", "truststore/x509/ca", "truststore/x509/ca/roots"] {
        let config = copy(&scratch, "config", &rel.replace('/', "-"));
        assert_eq!(verify_in(&config, &reference).status, 0, "{rel}: the copy verifies");
        let link = move_out_and_link(&scratch, &config, rel);
        let r = verify_in(&config, &reference);
        assert_eq!(r.status, 2, "{rel}: {}{}", r.stdout, r.stderr);
        let error = error_of(&r);
        assert_eq!(error["code"], "LOAD", "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(&s(&link)) && message.contains("symlink"), "{rel}: {message}");
        std::fs::remove_dir_all(scratch.0.join("outside")).unwrap();
    }
}

#[test]
fn a_symlinked_batch_file_or_previous_scan_is_refused() {
    let scratch = Scratch::new("inputs");
    let linked = |name: &str, content: &str| {
        let file = scratch.0.join(name);
        std::fs::write(&file, content).unwrap();
        let link = scratch.0.join(format!("link-{name}"));
        std::os::unix::fs::symlink(&file, &link).unwrap();
        s(&link)
    };
    let (config, batch) = (s(&fixture("config")), linked("batch.jsonl", "\n"));
    let r = run(&["scan", "--config-dir", &config, "--no-progress", "-o", "json", "--batch", &batch]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
    let message = error_of(&r)["message"].as_str().unwrap().to_owned();
    assert!(message.contains(&batch) && message.contains("batch file is not a regular file"), "{message}");
    let previous = linked("previous.jsonl", "");
    let (r, _, _) = scan_layout(&fixture("config"), &fixture("layouts/good"), &["--previous", &previous]);
    assert_eq!(r.status, 2, "{}{}", r.stdout, r.stderr);
    let message = error_of(&r)["message"].as_str().unwrap().to_owned();
    assert!(message.contains(&previous) && message.contains("previous scan is not a regular file"), "{message}");
}

// ----- item 10a: two policy files -----

#[test]
fn both_policy_files_that_differ_warn_which_is_used() {
    let scratch = Scratch::new("policies");
    let config = copy(&scratch, "config", "config");
    let unsigned = format!("{}:v1", s(&fixture("layouts/unsigned")));
    // Identical files: no warning, and the verdict of the strict policy.
    std::fs::copy(config.join("trustpolicy.oci.json"), config.join("trustpolicy.json")).unwrap();
    let r = verify_in(&config, &unsigned);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("trustpolicy"), "{}", r.stderr);
    // trustpolicy.json (what notation 1.x reads) says skip: it is used, and the warning says so.
    std::fs::copy(fixture("policies/skip.json"), config.join("trustpolicy.json")).unwrap();
    let r = verify_in(&config, &unsigned);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let warning = r
        .stderr
        .lines()
        .find(|l| l.starts_with("Warning: ") && l.contains("trustpolicy"))
        .unwrap_or_else(|| panic!("{}", r.stderr));
    for part in ["trustpolicy.json and trustpolicy.oci.json", "differ", "using trustpolicy.json", "notation 2"] {
        assert!(warning.contains(part), "{part}: {warning}");
    }
    // scan and policy check say the same.
    let (r, _, _) = scan_layout(&config, &fixture("layouts/unsigned"), &[]);
    assert_eq!(r.status, 0, "skipped by policy: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(warning), "{}", r.stderr);
    let c = s(&config);
    let r = run(&["policy", "check", "--config-dir", &c]);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("trustpolicy.json is valid"), "{}", r.stdout);
    assert!(r.stderr.contains(warning), "{}", r.stderr);
    // An explicit --trust-policy: no choice made, no warning.
    let policy = s(&config.join("trustpolicy.oci.json"));
    let r = run(&["policy", "check", "--trust-policy", &policy]);
    assert!(!r.stderr.contains("Warning"), "{}", r.stderr);
}
