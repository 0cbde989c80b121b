//! `scan --previous OLD.jsonl` and the roll-up of several inputs: the counts then and now per
//! repository, per source and in total, the artifacts (and workloads) that changed class, newly
//! out of policy first, in JSON, text and HTML; a previous file that is not a complete
//! `scan -o json` output is exit 2 naming the file and the line. Over the fixtures of
//! `tests/fixtures/scan` (a key rotation: scans at JULY under `rotation.json` vs OCTOBER under
//! `rotated.json` with the old CA retired and the legacy exception past its deadline) and
//! `tests/fixtures/progress` (a second batch file, another source).

use serde_json::Value;
use std::path::PathBuf;

mod common;
use common::*;

fn reference(repo: &str, name: &str) -> String {
    format!("registry.example/{repo}@{}", digest(name))
}

/// A file in the temporary directory, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Self {
        Self(std::env::temp_dir().join(format!("notaverify-progress-{}-{name}", std::process::id())))
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The four layouts and the batch file: every input of the scan fixtures.
fn all_inputs() -> Vec<&'static str> {
    [&LAYOUTS[..], &["--batch", "batch.jsonl"]].concat()
}

/// The July scan: the rotation in progress (both CAs trusted), the legacy exception in force.
fn july(inputs: &[&str]) -> Run {
    let mut args = vec![
        "scan",
        "--config-dir",
        "config",
        "--trust-policy",
        "policies/rotation.json",
        "--exceptions",
        "exceptions.json",
        "--at",
        JULY,
        "-o",
        "json",
    ];
    args.extend_from_slice(inputs);
    run(&args)
}

/// The October scan: the old CA retired, the legacy exception past its deadline.
fn october(inputs: &[&str], extra: &[&str]) -> Run {
    let mut args = vec![
        "scan",
        "--config-dir",
        "config",
        "--trust-policy",
        "policies/rotated.json",
        "--retired",
        "retired.json",
        "--exceptions",
        "exceptions.json",
        "--at",
        OCTOBER,
    ];
    args.extend_from_slice(inputs);
    args.extend_from_slice(extra);
    run(&args)
}

/// Writes the July scan of `inputs` to a temporary file.
fn previous(name: &str, inputs: &[&str]) -> Temp {
    let r = july(inputs);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let file = Temp::new(name);
    std::fs::write(&file.0, &r.stdout).unwrap();
    file
}

fn summary_of(stdout: &str) -> Value {
    let last = stdout.lines().last().expect("a summary line");
    serde_json::from_str::<Value>(last).unwrap()["summary"].clone()
}

fn row<'a>(rows: &'a Value, key: &str, name: &str) -> &'a Value {
    rows.as_array().unwrap().iter().find(|r| r[key] == name).unwrap_or_else(|| panic!("no {key} {name}: {rows}"))
}

/// (in policy, total) then and now.
fn then_now(r: &Value) -> ((u64, u64), (u64, u64)) {
    let pair = |t: &Value| (t["inPolicy"].as_u64().unwrap(), t["total"].as_u64().unwrap());
    (pair(&r["then"]), pair(&r["now"]))
}

#[test]
fn roll_up_counts_then_and_now_per_repository_per_source_and_in_total() {
    let old = previous("counts.jsonl", &all_inputs());
    let r = october(&all_inputs(), &["-o", "json", "--previous", old.path()]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let summary = summary_of(&r.stdout);
    let p = &summary["progress"]["artifacts"];
    assert_eq!(summary["progress"]["previous"], old.path());
    assert_eq!(summary["progress"]["previousAt"], JULY);
    assert_eq!(then_now(&p["total"]), ((7, 15), (4, 15)));
    assert_eq!(p["total"]["then"]["outOfPolicy"], 8);
    assert_eq!(p["total"]["now"]["outOfPolicy"], summary["outOfPolicy"]);
    assert_eq!(p["total"]["then"]["counts"]["excepted"], 1);
    assert_eq!(p["total"]["now"]["counts"]["retiredSigner"], 3);
    let repos = &p["repositories"];
    assert_eq!(repos.as_array().unwrap().len(), 5);
    assert_eq!(then_now(row(repos, "repository", "registry.example/app")), ((3, 7), (2, 7)));
    assert_eq!(then_now(row(repos, "repository", "registry.example/legacy")), ((1, 2), (0, 2)));
    assert_eq!(then_now(row(repos, "repository", "registry.example/mirror/app")), ((2, 4), (1, 4)));
    assert_eq!(then_now(row(repos, "repository", "registry.example/vendor")), ((1, 1), (1, 1)));
    // Per source: each layout directory, and the batch file (not one source per line).
    let sources = &p["sources"];
    assert_eq!(sources.as_array().unwrap().len(), 5, "{sources}");
    assert_eq!(then_now(row(sources, "source", "batch.jsonl")), ((2, 4), (1, 4)));
    assert_eq!(then_now(row(sources, "source", "layouts/legacy")), ((1, 2), (0, 2)));
    // The per-source breakdown of this scan is there with or without --previous.
    assert_eq!(row(&summary["sources"], "source", "batch.jsonl")["total"], 4);
    assert_eq!(row(&summary["sources"], "source", "layouts/app")["outOfPolicy"], 5);
    assert!(p.get("workloads").is_none() && summary["progress"].get("workloads").is_none(), "no workloads either time");
}

#[test]
fn changed_artifacts_come_newly_out_of_policy_first() {
    let old = previous("changes.jsonl", &all_inputs());
    let r = october(&all_inputs(), &["-o", "json", "--previous", old.path()]);
    let p = &summary_of(&r.stdout)["progress"]["artifacts"];
    assert_eq!(p["changes"]["newlyOutOfPolicy"], 3);
    assert_eq!(p["changes"]["newlyInPolicy"], 0);
    assert_eq!(p["changes"]["classChanged"], 1);
    assert_eq!(p["changes"]["appeared"], 0);
    assert_eq!(p["changes"]["disappeared"], 0);
    assert_eq!(p["changedOmitted"], 0);
    let changed = p["changed"].as_array().unwrap();
    let kinds: Vec<&str> = changed.iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["newlyOutOfPolicy", "newlyOutOfPolicy", "newlyOutOfPolicy", "classChanged"]);
    let find = |r: &str| changed.iter().find(|c| c["reference"] == r).unwrap_or_else(|| panic!("{r} unchanged"));
    // The old key rotated out: verified then, retiredSigner now (in the layout and the mirror).
    for old_key in [reference("app", "app/old"), reference("mirror/app", "app/old")] {
        let c = find(&old_key);
        assert_eq!((&c["then"]["class"], &c["now"]["class"]), (&"verified".into(), &"retiredSigner".into()));
        assert_eq!(c["now"]["inPolicy"], false);
    }
    // The legacy exception's deadline passed.
    let legacy = find(&reference("legacy", "legacy/legacy-a"));
    assert_eq!((&legacy["then"]["class"], &legacy["now"]["class"]), (&"excepted".into(), &"unsigned".into()));
    assert_eq!(legacy["repository"], "registry.example/legacy");
    assert_eq!(legacy["source"], "layouts/legacy");
    // Out of policy both times, another class: failed (revocation) then retiredSigner.
    let revocation = find(&reference("app", "app/revocation"));
    assert_eq!(revocation["change"], "classChanged");
    assert_eq!(
        (&revocation["then"]["class"], &revocation["now"]["class"]),
        (&"failed".into(), &"retiredSigner".into())
    );
}

#[test]
fn the_way_back_is_newly_in_policy_and_nothing_changed_is_empty() {
    // October's scan as the previous one, July's now: the same changes the other way.
    let mut args = vec!["-o", "json"];
    args.extend_from_slice(&all_inputs());
    let october_scan = october(&args, &[]);
    let old = Temp::new("back.jsonl");
    std::fs::write(&old.0, &october_scan.stdout).unwrap();
    let mut inputs = all_inputs();
    inputs.extend_from_slice(&["--previous", old.path()]);
    let p = &summary_of(&july(&inputs).stdout)["progress"]["artifacts"];
    assert_eq!(p["changes"]["newlyInPolicy"], 3);
    assert_eq!(p["changes"]["newlyOutOfPolicy"], 0);
    assert_eq!(p["changed"][0]["change"], "newlyInPolicy");
    // The same scan twice: counts equal, no change.
    let same = october(&all_inputs(), &["-o", "json", "--previous", old.path()]);
    let p = &summary_of(&same.stdout)["progress"]["artifacts"];
    assert_eq!(p["total"]["then"], p["total"]["now"]);
    assert!(p["changed"].as_array().unwrap().is_empty());
    let text = october(&all_inputs(), &["--previous", old.path()]);
    assert!(text.stdout.contains("No artifacts changed class."), "{}", text.stdout);
}

#[test]
fn artifacts_that_appeared_or_disappeared() {
    let before = [
        "--oci-layout",
        "layouts/legacy",
        "--scope",
        "registry.example/legacy",
        "--oci-layout",
        "layouts/batchjobs",
        "--scope",
        "registry.example/batchjobs",
        "--no-progress",
    ];
    let old = previous("appeared.jsonl", &before);
    let after = [
        "--oci-layout",
        "layouts/legacy",
        "--scope",
        "registry.example/legacy",
        "--oci-layout",
        "layouts/app",
        "--scope",
        "registry.example/app",
        "--no-progress",
    ];
    let r = october(&after, &["-o", "json", "--previous", old.path()]);
    let p = &summary_of(&r.stdout)["progress"]["artifacts"];
    assert_eq!(p["changes"]["appeared"], 7, "the app layout");
    assert_eq!(p["changes"]["disappeared"], 1, "the batchjobs layout");
    let changed = p["changed"].as_array().unwrap();
    let kinds: Vec<&str> = changed.iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "newlyOutOfPolicy", "legacy-a first: {kinds:?}");
    let appeared: Vec<&Value> = changed.iter().filter(|c| c["change"] == "appeared").collect();
    assert_eq!(appeared[0]["now"]["inPolicy"], false, "out of policy first among those that appeared");
    assert_eq!(appeared.last().unwrap()["now"]["inPolicy"], true);
    assert!(appeared.iter().all(|c| c["then"].is_null()));
    let gone = changed.last().unwrap();
    assert_eq!(gone["change"], "disappeared");
    assert_eq!(gone["reference"], reference("batchjobs", "batchjobs/nightly"));
    assert_eq!(gone["now"], Value::Null);
    let app = row(&p["repositories"], "repository", "registry.example/app");
    assert_eq!(then_now(app), ((0, 0), (2, 7)), "a repository new in this scan");
    let batchjobs = row(&p["repositories"], "repository", "registry.example/batchjobs");
    assert_eq!(then_now(batchjobs), ((0, 1), (0, 0)), "a repository gone from this scan");
}

#[test]
fn several_batch_files_roll_up_with_a_per_source_breakdown() {
    let two = ["--batch", "batch.jsonl", "--batch", "../progress/west.jsonl", "--no-progress"];
    let old = previous("sources.jsonl", &two);
    let r = october(&two, &["-o", "json", "--previous", old.path()]);
    let summary = summary_of(&r.stdout);
    assert_eq!(summary["total"], 7);
    let sources = summary["sources"].as_array().unwrap();
    let names: Vec<&str> = sources.iter().map(|s| s["source"].as_str().unwrap()).collect();
    assert_eq!(names, ["../progress/west.jsonl", "batch.jsonl"], "one source per file, not per line");
    assert_eq!((sources[0]["total"].as_u64(), sources[0]["inPolicy"].as_u64()), (Some(3), Some(1)));
    assert_eq!((sources[1]["total"].as_u64(), sources[1]["inPolicy"].as_u64()), (Some(4), Some(1)));
    let p = &summary["progress"]["artifacts"];
    assert_eq!(then_now(row(&p["sources"], "source", "../progress/west.jsonl")), ((2, 3), (1, 3)));
    assert_eq!(then_now(row(&p["sources"], "source", "batch.jsonl")), ((2, 4), (1, 4)));
    assert_eq!(then_now(row(&p["repositories"], "repository", "registry.example/mirror/app")), ((4, 7), (2, 7)));
    // The same reference in both files is one artifact for the changes (old key: verified then
    // retiredSigner, in both files).
    assert_eq!(p["changes"]["newlyOutOfPolicy"], 1);
    assert_eq!(p["changed"][0]["reference"], reference("mirror/app", "app/old"));
    // Text: the per-source table and the progress tables.
    let text = october(&two, &["--previous", old.path()]);
    assert!(text.stdout.contains("SOURCE"), "{}", text.stdout);
    assert!(text.stdout.contains("../progress/west.jsonl"), "{}", text.stdout);
    assert!(text.stdout.contains("PROGRESS SINCE THE PREVIOUS SCAN"), "{}", text.stdout);
    assert!(
        text.stdout.contains("CHANGED ARTIFACTS (newly out of policy first): 1 newly out of policy"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_malformed_previous_file_is_exit_two_naming_the_file_and_the_line() {
    let good = previous("good.jsonl", &all_inputs());
    let good_text = std::fs::read_to_string(&good.0).unwrap();
    let lines: Vec<&str> = good_text.lines().collect();
    let artifact = lines[0];
    let summary = lines.last().unwrap();
    let bad_class = artifact.replacen("\"class\":\"verified\"", "\"class\":\"trusted\"", 1);
    let bad_policy = artifact.replacen("\"inPolicy\":true", "\"inPolicy\":false", 1);
    let no_reference = artifact.replacen("\"reference\"", "\"ref\"", 1);
    assert_ne!(bad_class, artifact);
    assert_ne!(bad_policy, artifact);
    let all_but_summary = lines[..lines.len() - 1].join("\n");
    let one_missing = format!("{}\n{summary}\n", lines[1..lines.len() - 1].join("\n"));
    let cases: Vec<(String, String, &str)> = vec![
        (format!("{artifact}\nnot json\n{summary}\n"), "line 2".into(), "not JSON"),
        (format!("{artifact}\n[1, 2]\n{summary}\n"), "line 2".into(), "not a JSON object"),
        (format!("{bad_class}\n{summary}\n"), "line 1".into(), "unknown class \"trusted\""),
        (format!("{bad_policy}\n{summary}\n"), "line 1".into(), "the class says otherwise"),
        (format!("{no_reference}\n{summary}\n"), "line 1".into(), "reference (a string) is missing"),
        (format!("{all_but_summary}\n"), "no summary line".into(), "truncated"),
        (format!("{good_text}{artifact}\n"), format!("line {}", lines.len() + 1), "after the summary line"),
        (one_missing, format!("line {}", lines.len() - 1), "the summary counts 15 artifacts"),
        ("{\"error\":{\"code\":\"LOAD\",\"message\":\"boom\"}}\n".into(), "line 1".into(), "the previous scan failed"),
        ("\n\n".into(), "empty".into(), "not a `scan -o json` output"),
    ];
    let file = Temp::new("bad.jsonl");
    for (content, at, what) in &cases {
        std::fs::write(&file.0, content).unwrap();
        let r = october(&all_inputs(), &["--previous", file.path()]);
        assert_eq!(r.status, 2, "{what}: {}", r.stderr);
        assert!(r.stderr.contains(file.path()), "names the file: {}", r.stderr);
        assert!(r.stderr.contains(at.as_str()), "{at}: {}", r.stderr);
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "nothing verified or printed: {}", r.stdout);
    }
    let mut not_utf8 = format!("{artifact}\n").into_bytes();
    not_utf8.extend_from_slice(b"{\"reference\": \"\xff\"}\n");
    not_utf8.extend_from_slice(format!("{summary}\n").as_bytes());
    std::fs::write(&file.0, not_utf8).unwrap();
    let r = october(&all_inputs(), &["--previous", file.path()]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("line 2: not UTF-8"), "{}", r.stderr);
    // JSON output: the error document.
    std::fs::write(&file.0, "not json\n").unwrap();
    let r = october(&all_inputs(), &["-o", "json", "--previous", file.path()]);
    assert_eq!(r.status, 2);
    let error: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(error["error"]["code"], "LOAD");
    assert!(error["error"]["message"].as_str().unwrap().contains("line 1"), "{error}");
    // Missing, or a directory.
    for path in ["missing.jsonl", "layouts"] {
        let r = october(&all_inputs(), &["--previous", path]);
        assert_eq!(r.status, 2, "{path}");
        assert!(r.stderr.contains(path), "{}", r.stderr);
    }
}

#[test]
fn members_it_does_not_need_are_ignored_and_workloads_are_read() {
    // A hand-made previous scan: only the members the comparison needs, plus unknown ones, and
    // deployed workload lines (in the shape of `scan --workloads`).
    let new = reference("app", "app/new");
    let old = reference("app", "app/old");
    let content = format!(
        "{{\"reference\":\"{new}\",\"class\":\"unsigned\",\"inPolicy\":false,\"repository\":\"registry.example/app\",\"source\":\"layouts/app\",\"fromTheFuture\":[1]}}\n\
         {{\"reference\":\"{old}\",\"class\":\"verified\",\"inPolicy\":true,\"repository\":\"registry.example/app\",\"source\":\"layouts/app\"}}\n\
         {{\"workload\":{{\"source\":\"aks-prod\",\"kind\":\"Deployment\",\"namespace\":\"shop\",\"name\":\"web\",\"container\":\"web\",\"uid\":\"x\"}},\"image\":\"registry.example/app:v1\",\"reference\":\"{old}\",\"class\":\"verified\",\"inPolicy\":true}}\n\
         {{\"workload\":{{\"source\":\"aca-prod\",\"kind\":\"ContainerApp\",\"namespace\":null,\"name\":\"api\",\"container\":\"api\"}},\"image\":\"registry.example/other:v2\",\"reference\":null,\"class\":\"notScanned\",\"inPolicy\":false}}\n\
         {{\"summary\":{{\"total\":2,\"at\":\"2025-06-01T00:00:00Z\",\"somethingNew\":true}}}}\n"
    );
    let file = Temp::new("minimal.jsonl");
    std::fs::write(&file.0, content).unwrap();
    let inputs = ["--oci-layout", "layouts/app", "--scope", "registry.example/app", "--no-progress"];
    let r = october(&inputs, &["-o", "json", "--previous", file.path()]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let progress = &summary_of(&r.stdout)["progress"];
    assert_eq!(progress["previousAt"], "2025-06-01T00:00:00Z");
    let p = &progress["artifacts"];
    assert_eq!(then_now(&p["total"]), ((1, 2), (2, 7)));
    assert_eq!(p["changes"]["newlyInPolicy"], 1, "app/new: unsigned then, verified now");
    assert_eq!(p["changes"]["newlyOutOfPolicy"], 1, "app/old: retired now");
    assert_eq!(p["changes"]["appeared"], 5);
    // The workloads of the previous scan are read and compared (none now: disappeared).
    let w = &progress["workloads"];
    assert_eq!(then_now(&w["total"]), ((1, 2), (0, 0)));
    assert_eq!(w["changes"]["disappeared"], 2);
    assert_eq!(then_now(row(&w["sources"], "source", "aks-prod")), ((1, 1), (0, 0)));
    let gone = w["changed"].as_array().unwrap();
    let aca = gone.iter().find(|c| c["workload"]["source"] == "aca-prod").unwrap();
    assert_eq!(aca["workload"]["namespace"], "");
    assert_eq!(aca["then"]["class"], "notScanned");
    assert_eq!(aca["then"]["image"], "registry.example/other:v2");
    // notScanned is a workload class, never an artifact's.
    let bad = "{\"reference\":\"r@sha256:00\",\"class\":\"notScanned\",\"inPolicy\":false,\"repository\":\"r\",\"source\":\"s\"}\n{\"summary\":{}}\n";
    std::fs::write(&file.0, bad).unwrap();
    let r = october(&inputs, &["--previous", file.path()]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("line 1"), "{}", r.stderr);
}

#[test]
fn the_html_report_has_the_progress_and_source_sections_and_stays_self_contained() {
    let old = previous("html.jsonl", &all_inputs());
    let report = Temp::new("report.html");
    let r = october(&all_inputs(), &["-o", "json", "--previous", old.path(), "--report", report.path()]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let html = std::fs::read_to_string(&report.0).unwrap();
    assert!(html.contains("<h2 id=\"sources\">Per source</h2>"));
    assert!(html.contains("<h2 id=\"progress\">Progress since the previous scan</h2>"));
    assert!(html.contains("Artifacts that changed"));
    assert!(html.contains("class=\"trend\""), "a trend bar per repository");
    assert_eq!(html.matches("class=\"trend\"").count(), 5 + 5, "5 repositories and 5 sources");
    assert!(html.contains("in policy then 3 of 7 (43%), now 2 of 7 (29%)"), "the app repository's trend");
    assert!(html.contains("default-src 'none'"));
    for external in ["src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    // Newly out of policy first.
    let first = html.find("newly out of policy</td>").expect("a newly out of policy row");
    let class_changed = html.find("class changed</td>").expect("a class changed row");
    assert!(first < class_changed);
    // Values from the inputs are escaped: a previous file named with markup.
    let odd = Temp::new("<b>odd&.jsonl");
    std::fs::copy(&old.0, &odd.0).unwrap();
    let r = october(&all_inputs(), &["--previous", odd.path(), "--report", report.path()]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let html = std::fs::read_to_string(&report.0).unwrap();
    assert!(html.contains("&lt;b&gt;odd&amp;.jsonl"));
    assert!(!html.contains("<b>odd"));
    // Without --previous: the per-source table, no progress section.
    let r = october(&all_inputs(), &["--report", report.path()]);
    assert_eq!(r.status, 1);
    let html = std::fs::read_to_string(&report.0).unwrap();
    assert!(html.contains("<h2 id=\"sources\">Per source</h2>") && html.contains("batch.jsonl"));
    assert!(!html.contains("Progress since the previous scan"));
}

// ----- deployed workloads (fixtures of tests/fixtures/workloads) -----

/// The artifacts the workloads fixtures run (the scan layouts and the tagged batch), and the
/// workloads files, one source each.
fn workloads_args(files: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    let mut args = [&LAYOUTS[..], &["--batch", "../workloads/batch-tags.jsonl"]].concat();
    for (file, source) in files {
        args.extend_from_slice(&["--workloads", file, "--workloads-source", source]);
    }
    args
}

/// A scan with workloads: July under the workloads policy (both CAs), or October under the same
/// policy trusting only the new CA, the old one retired.
fn workloads_scan(october: bool, args: &[&str]) -> Run {
    let (policy, at) =
        if october { ("../progress/rotated-workloads.json", OCTOBER) } else { ("../workloads/policy.json", JULY) };
    let mut all = vec!["scan", "--config-dir", "config", "--trust-policy", policy, "--exceptions", "exceptions.json"];
    if october {
        all.extend_from_slice(&["--retired", "retired.json"]);
    }
    all.extend_from_slice(&["--at", at]);
    all.extend_from_slice(args);
    run(&all)
}

const CLUSTERS: [(&str, &str); 4] = [
    ("../workloads/kubectl-list.json", "aks-prod"),
    ("../workloads/manifests.yaml", "aks-staging"),
    ("../workloads/containerapps.json", "aca-prod"),
    ("../workloads/webapps.json", "appsvc-prod"),
];

#[test]
fn workloads_that_changed_class_newly_out_of_policy_first() {
    let mut args = workloads_args(&CLUSTERS);
    args.extend_from_slice(&["-o", "json"]);
    let july = workloads_scan(false, &args);
    assert_eq!(july.status, 1, "{}", july.stderr);
    let old = Temp::new("workloads.jsonl");
    std::fs::write(&old.0, &july.stdout).unwrap();
    let report = Temp::new("workloads.html");
    args.extend_from_slice(&["--previous", old.path(), "--report", report.path()]);
    let r = workloads_scan(true, &args);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let summary = summary_of(&r.stdout);
    let w = &summary["progress"]["workloads"];
    // Then and now agree with each scan's own workload counts.
    let then_summary = summary_of(&july.stdout);
    for (side, s) in [("then", &then_summary), ("now", &summary)] {
        assert_eq!(w["total"][side]["total"], s["workloads"]["total"], "{side}");
        assert_eq!(w["total"][side]["outOfPolicy"], s["workloads"]["outOfPolicy"], "{side}");
    }
    assert!(w["total"]["now"]["inPolicy"].as_u64() < w["total"]["then"]["inPolicy"].as_u64(), "{w}");
    assert_eq!(w["sources"].as_array().unwrap().len(), 4);
    for (_, source) in CLUSTERS {
        let row = row(&w["sources"], "source", source);
        assert_eq!(row["then"]["total"], row["now"]["total"], "the same containers: {row}");
    }
    // The same files: nothing appeared or disappeared, only classes changed, for the worse.
    assert_eq!(w["changes"]["appeared"], 0);
    assert_eq!(w["changes"]["disappeared"], 0);
    assert_eq!(w["changes"]["newlyInPolicy"], 0);
    let changed = w["changed"].as_array().unwrap();
    assert!(!changed.is_empty());
    assert_eq!(changed[0]["change"], "newlyOutOfPolicy");
    let kinds: Vec<&str> = changed.iter().map(|c| c["change"].as_str().unwrap()).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| {
        ["newlyOutOfPolicy", "newlyInPolicy", "classChanged", "appeared", "disappeared"].iter().position(|x| x == k)
    });
    assert_eq!(kinds, sorted, "newly out of policy first");
    // A web app running the old key's image: verified in July, retiredSigner in October.
    let site = changed
        .iter()
        .find(|c| c["workload"]["kind"] == "WebApp" && c["then"]["image"] == "registry.example/app:old")
        .unwrap_or_else(|| panic!("{changed:?}"));
    assert_eq!((&site["then"]["class"], &site["now"]["class"]), (&"verified".into(), &"retiredSigner".into()));
    assert_eq!(site["now"]["image"], "registry.example/app:old");
    assert_eq!(site["source"], "appsvc-prod");
    // A workload whose legacy image lost its exception.
    assert!(
        changed.iter().any(|c| c["now"]["image"] == "registry.example/legacy:legacy-a"
            && c["then"]["class"] == "excepted"
            && c["now"]["class"] == "unsigned"),
        "{changed:?}"
    );
    // The text output lists them too.
    let mut text_args = workloads_args(&CLUSTERS);
    text_args.extend_from_slice(&["--previous", old.path()]);
    let text = workloads_scan(true, &text_args);
    assert!(text.stdout.contains("CHANGED WORKLOADS (newly out of policy first)"), "{}", text.stdout);
    assert!(text.stdout.contains("appsvc-prod WebApp"), "{}", text.stdout);
    // The HTML: the deployed workloads per source and namespace, the workload trend and changes.
    let html = std::fs::read_to_string(&report.0).unwrap();
    assert!(html.contains("<h2 id=\"workloads\">Deployed workloads</h2>"));
    for (_, source) in CLUSTERS {
        assert!(html.contains(&format!("<h3>{source} &middot;")), "{source}");
    }
    assert!(html.contains("<tr class=\"ns\"><th colspan=\"6\">namespace "));
    assert!(html.contains("notScanned"));
    assert!(html.contains("Deployed workloads per source") && html.contains("Workloads that changed"));
    let workloads = &html[html.find("id=\"workloads\"").unwrap()..html.find("id=\"progress\"").unwrap()];
    // In each source, the first container listed is out of policy.
    for block in workloads.split("<h3>").skip(1) {
        let body = &block[block.find("<tbody>").expect("a table")..];
        let first_row = body.split("<tr").skip(1).find(|r| !r.starts_with(" class=\"ns\"")).unwrap();
        assert!(first_row.starts_with(" class=\"worse\""), "out of policy first: {first_row}");
    }
    for external in ["src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn workloads_that_appeared_or_disappeared_and_a_bad_workload_line() {
    let mut before = workloads_args(&[CLUSTERS[0], CLUSTERS[2]]);
    before.extend_from_slice(&["-o", "json"]);
    let july = workloads_scan(false, &before);
    let old = Temp::new("clusters.jsonl");
    std::fs::write(&old.0, &july.stdout).unwrap();
    let mut after = workloads_args(&[CLUSTERS[0], CLUSTERS[1]]);
    after.extend_from_slice(&["-o", "json", "--previous", old.path()]);
    let july_again = workloads_scan(false, &after);
    let summary = summary_of(&july_again.stdout);
    let w = &summary["progress"]["workloads"];
    let staging = summary["workloads"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "aks-staging")
        .unwrap()["total"]
        .clone();
    let aca = summary_of(&july.stdout)["workloads"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "aca-prod")
        .unwrap()["total"]
        .clone();
    assert_eq!(w["changes"]["appeared"], staging, "every aks-staging container");
    assert_eq!(w["changes"]["disappeared"], aca, "every aca-prod container");
    assert_eq!(w["changes"]["newlyOutOfPolicy"], 0, "the same policy and time");
    assert_eq!(then_now(row(&w["sources"], "source", "aca-prod")).1, (0, 0));
    assert_eq!(then_now(row(&w["sources"], "source", "aks-staging")).0, (0, 0));
    let changed = w["changed"].as_array().unwrap();
    let appeared: Vec<&Value> = changed.iter().filter(|c| c["change"] == "appeared").collect();
    assert!(appeared.iter().all(|c| c["workload"]["source"] == "aks-staging" && c["then"].is_null()));
    assert_eq!(appeared[0]["now"]["inPolicy"], false, "out of policy first");
    assert_eq!(changed.last().unwrap()["change"], "disappeared");
    // A workload line without its name, or a summary counting other workloads: exit 2.
    let text = &july.stdout;
    let line = text.lines().find(|l| l.contains("\"workload\":{")).unwrap();
    let position = text.lines().position(|l| l == line).unwrap() + 1;
    let broken = text.replacen(line, &line.replacen("\"name\":", "\"nom\":", 1), 1);
    assert_ne!(&broken, text);
    let file = Temp::new("bad-workload.jsonl");
    std::fs::write(&file.0, broken).unwrap();
    let r = workloads_scan(
        true,
        &workloads_args(&[CLUSTERS[0]]).iter().copied().chain(["--previous", file.path()]).collect::<Vec<_>>(),
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("line {position}: workload.name (a string) is missing")), "{}", r.stderr);
    let dropped: String = text.lines().filter(|l| *l != line).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file.0, dropped).unwrap();
    let r = workloads_scan(
        true,
        &workloads_args(&[CLUSTERS[0]]).iter().copied().chain(["--previous", file.path()]).collect::<Vec<_>>(),
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("workload containers but the file has"), "{}", r.stderr);
}
