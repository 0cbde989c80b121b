//! `notaverify scan --workloads FILE`: what is actually running, over hand-written, real-shaped
//! inputs in `tests/fixtures/workloads` (kubectl JSON `List` and multi-document YAML with every
//! workload kind, `az containerapp` and `az webapp` JSON) against the scan fixtures of
//! `tests/fixtures/scan` (layouts tagged in their index.json, batch lines with and without
//! `"tags"`, the digests in `digests.json`).

use serde_json::Value;
use std::path::Path;

mod common;
use common::*;

const JULY: &str = "2025-07-01T00:00:00Z";
const NEW: &str = "sha256:5be1a7e2b83cc9084e76beba191d0bc9b3fc98592788356a314a0705893d1668";
const OLD: &str = "sha256:9141a4f37290bc55d1aa9cece630b05c4ebc489e9b05555f688710e868d86913";

/// A workloads fixture, relative to [`dir`].
fn w(name: &str) -> String {
    format!("../workloads/{name}")
}

/// Every scan input: the four layouts (tags from index.json), the scan fixtures' batch file
/// (no tags) and the workloads fixtures' batch file (with `"tags"`, and the Docker Hub scopes).
fn base(output: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "scan",
        "--config-dir",
        "config",
        "--trust-policy",
        "../workloads/policy.json",
        "--at",
        JULY,
        "-o",
        output,
        "--no-progress",
        "--batch",
        "batch.jsonl",
        "--batch",
        "../workloads/batch-tags.jsonl",
    ]
    .map(str::to_owned)
    .to_vec();
    for repo in ["app", "legacy", "batchjobs", "vendor"] {
        args.extend([
            "--oci-layout".into(),
            format!("layouts/{repo}"),
            "--scope".into(),
            format!("registry.example/{repo}"),
        ]);
    }
    args
}

struct Scan {
    status: i32,
    artifacts: Vec<Value>,
    workloads: Vec<Value>,
    summary: Value,
    stderr: String,
}

/// A JSON scan of every input plus `extra`: the artifact lines, then the workload lines, then
/// the summary, in that order.
fn scan(extra: &[&str]) -> Scan {
    let mut args = base("json");
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args);
    let mut lines: Vec<Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let summary = lines.pop().unwrap_or_else(|| panic!("no output: {}", r.stderr))["summary"].clone();
    assert!(summary.is_object(), "the last line is the summary: {}", r.stdout);
    let first_workload = lines.iter().position(|l| l.get("workload").is_some()).unwrap_or(lines.len());
    let workloads = lines.split_off(first_workload);
    assert!(workloads.iter().all(|l| l.get("workload").is_some()), "workload lines come after every artifact line");
    assert!(lines.iter().all(|l| l.get("reference").is_some() && l.get("workload").is_none()));
    Scan { status: r.status, artifacts: lines, workloads, summary, stderr: r.stderr }
}

/// The workload lines of `kind/name` container `container`.
fn find<'a>(lines: &'a [Value], kind: &str, name: &str, container: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| {
            l["workload"]["kind"] == kind && l["workload"]["name"] == name && l["workload"]["container"] == container
        })
        .collect()
}

/// The one workload line of `kind/name` container `container`.
fn one<'a>(lines: &'a [Value], kind: &str, name: &str, container: &str) -> &'a Value {
    let found = find(lines, kind, name, container);
    assert_eq!(found.len(), 1, "{kind}/{name} {container}: {found:?}");
    found[0]
}

fn class(line: &Value) -> &str {
    line["class"].as_str().unwrap()
}

#[test]
fn kubectl_json_list_every_kind_resolved_and_owned_pods_folded() {
    let s = scan(&["--workloads", &w("kubectl-list.json")]);
    assert_eq!(s.status, 1);
    let l = &s.workloads;
    assert_eq!(l.len(), 12, "{l:#?}");
    // The source defaults to the file name; every line names its namespace.
    assert!(l.iter().all(|x| x["workload"]["source"] == "kubectl-list.json"));

    // Deployment: the template's init container (by digest) and container (by the app layout's
    // index.json tag), and, folded from its pods and ReplicaSets, what they run besides.
    let migrate = one(l, "Deployment", "web", "migrate");
    assert_eq!(migrate["containerType"], "init");
    assert_eq!(migrate["resolvedBy"], "digest");
    assert_eq!(migrate["reference"], format!("registry.example/app@{OLD}"));
    assert_eq!(class(migrate), "verified");
    let app = find(l, "Deployment", "web", "app");
    assert_eq!(app.len(), 2, "the previous ReplicaSet's pod still runs app:old: its own line");
    assert_eq!(app[0]["image"], "registry.example/app:new");
    assert_eq!(app[0]["resolvedBy"], "tag");
    assert_eq!(app[0]["reference"], format!("registry.example/app@{NEW}"));
    assert_eq!(app[0]["workload"]["namespace"], "prod");
    assert_eq!(app[1]["image"], "registry.example/app:old");
    let debugger = one(l, "Deployment", "web", "debugger-h4k9z");
    assert_eq!(debugger["containerType"], "ephemeral", "a pod's ephemeral container, under its Deployment");
    assert_eq!(class(debugger), "notScanned");
    assert_eq!(debugger["inPolicy"], false);
    assert_eq!(debugger["reference"], Value::Null);
    assert!(debugger["reason"].as_str().unwrap().contains("docker.io/library/busybox"), "{debugger}");

    // Owned pods, ReplicaSets and Jobs are reported once, under their listed controller.
    for x in l {
        let (kind, name) = (x["workload"]["kind"].as_str().unwrap(), x["workload"]["name"].as_str().unwrap());
        assert!(kind != "ReplicaSet", "{x}");
        assert!(!(kind == "Pod" && (name.starts_with("web-") || name == "db-0" || name.starts_with("nightly"))), "{x}");
        assert!(!(kind == "Job" && name.starts_with("nightly")), "{x}");
    }
    assert_eq!(class(one(l, "StatefulSet", "db", "postgres")), "unsigned");
    assert_eq!(class(one(l, "DaemonSet", "agent", "agent")), "skippedByPolicy");
    assert_eq!(one(l, "DaemonSet", "agent", "agent")["inPolicy"], true);
    assert_eq!(class(one(l, "Job", "migrate-once", "job")), "expired");
    assert_eq!(one(l, "Job", "migrate-once", "job")["check"], "expiry");
    assert_eq!(class(one(l, "CronJob", "nightly", "report")), "unsigned");
    assert_eq!(class(one(l, "ReplicationController", "legacy-rc", "legacy")), "unsigned");
    assert_eq!(class(one(l, "Pod", "standalone", "tampered")), "invalidSignature");
    // A pod whose owner is not listed is its own workload.
    let orphan = one(l, "Pod", "orphan-6b8d9", "app");
    assert_eq!(class(orphan), "notScanned");
    assert!(orphan["reason"].as_str().unwrap().contains("tag never-pushed of registry.example/app"), "{orphan}");
    // The Service is skipped, and said so.
    assert!(
        s.stderr.contains("kubectl-list.json: skipped Kubernetes objects") && s.stderr.contains("Service (1)"),
        "{}",
        s.stderr
    );
}

#[test]
fn multi_document_yaml_every_kind_with_batch_tags_and_ambiguity() {
    let s = scan(&["--workloads", &w("manifests.yaml")]);
    let l = &s.workloads;
    assert_eq!(l.len(), 10, "{l:#?}");
    assert!(l.iter().all(|x| x["workload"]["namespace"] == "staging"));
    // `repo:tag@digest`: the runtime pulls the digest, and so does resolution.
    let api = one(l, "Deployment", "api", "api");
    assert_eq!(api["resolvedBy"], "digest");
    assert_eq!(api["reference"], format!("registry.example/app@{NEW}"));
    // Two batch lines tag `stable` with different digests: never one of them.
    let envoy = one(l, "Deployment", "api", "envoy");
    assert_eq!(class(envoy), "notScanned");
    let reason = envoy["reason"].as_str().unwrap();
    assert!(reason.contains("ambiguous") && reason.contains(NEW) && reason.contains(OLD), "{reason}");
    // Tags carried by batch lines.
    let cache = one(l, "StatefulSet", "cache", "cache");
    assert_eq!((class(cache), cache["resolvedBy"].as_str()), ("verified", Some("tag")));
    assert_eq!(cache["reference"], format!("registry.example/mirror/app@{OLD}"));
    assert_eq!(class(one(l, "DaemonSet", "logs", "shipper")), "unsigned");
    assert_eq!(class(one(l, "Job", "seed", "seed")), "unsigned");
    assert_eq!(class(one(l, "CronJob", "cleanup", "cleanup")), "unsigned");
    assert_eq!(class(one(l, "ReplicationController", "old-frontend", "frontend")), "unsigned");
    // A Pod inside a `kind: List` document, with init and ephemeral containers.
    assert_eq!(one(l, "Pod", "debug", "wait")["containerType"], "init");
    assert_eq!(class(one(l, "Pod", "debug", "shell")), "verified");
    let debugger = one(l, "Pod", "debug", "debugger");
    assert_eq!((class(debugger), debugger["containerType"].as_str()), ("unknownSigner", Some("ephemeral")));
    assert_eq!(debugger["check"], "authenticity");
    // The ReplicaSet and Pod owned (by name: manifests have no uids) are folded.
    assert!(l.iter().all(|x| x["workload"]["kind"] != "ReplicaSet" && x["workload"]["name"] != "api-6f7d9c8b5-k2x8p"));
    assert!(s.stderr.contains("ConfigMap (1)"), "{}", s.stderr);
    // The batch lines' tags are on their artifact lines too.
    let tagged = s.artifacts.iter().find(|a| a["reference"] == format!("docker.io/library/nginx@{NEW}")).unwrap();
    assert_eq!(tagged["tags"], serde_json::json!(["1.25"]));
}

#[test]
fn container_apps_and_jobs() {
    let s = scan(&["--workloads", &w("containerapps.json"), "--workloads", &w("containerapp-job.json")]);
    let l = &s.workloads;
    assert_eq!(l.len(), 5, "{l:#?}");
    let checkout = one(l, "ContainerApp", "checkout", "checkout");
    assert_eq!(checkout["workload"]["namespace"], "rg-shop", "the resource group");
    assert_eq!((class(checkout), checkout["resolvedBy"].as_str()), ("verified", Some("tag")));
    let migrate = one(l, "ContainerApp", "checkout", "migrate");
    assert_eq!((migrate["containerType"].as_str(), migrate["resolvedBy"].as_str()), (Some("init"), Some("digest")));
    assert_eq!(class(one(l, "ContainerApp", "inventory", "inventory")), "unsigned");
    assert_eq!(class(one(l, "ContainerApp", "inventory", "otel")), "notScanned");
    assert_eq!(class(one(l, "ContainerAppJob", "reindex", "reindex")), "unsigned");
    assert_eq!(one(l, "ContainerAppJob", "reindex", "reindex")["workload"]["source"], "containerapp-job.json");
}

#[test]
fn web_apps_linux_and_windows_images_and_sidecars() {
    // `az webapp list` alone: the sidecar app's containers are not in it, and a warning says so.
    let s = scan(&["--workloads", &w("webapps.json"), "--workloads-source", "sub-web"]);
    let l = &s.workloads;
    assert_eq!(l.len(), 2, "{l:#?}");
    let linux = one(l, "WebApp", "shop-frontend", "linuxFxVersion");
    assert_eq!((class(linux), linux["image"].as_str()), ("verified", Some("registry.example/app:old")));
    assert_eq!(linux["workload"]["namespace"], "rg-web");
    assert_eq!(class(one(l, "WebApp", "legacy-portal", "windowsFxVersion")), "unsigned");
    assert!(l.iter().all(|x| x["workload"]["name"] != "docs"), "a code (PYTHON|3.12) app runs no image");
    assert!(s.stderr.contains("WebApp shop-api") && s.stderr.contains("az webapp sitecontainers list"), "{}", s.stderr);

    // With `az webapp sitecontainers list` of the same source: the main container and sidecars.
    let s = scan(&[
        "--workloads",
        &w("webapps.json"),
        "--workloads-source",
        "sub-web",
        "--workloads",
        &w("webapp-sitecontainers.json"),
        "--workloads-source",
        "sub-web",
        "--workloads",
        &w("webapp-rest.json"),
    ]);
    let l = &s.workloads;
    assert_eq!(l.len(), 6, "{l:#?}");
    assert!(!s.stderr.contains("sitecontainers list"), "{}", s.stderr);
    let main = one(l, "WebApp", "shop-api", "main");
    assert_eq!((class(main), main["containerType"].as_str()), ("verified", Some("container")));
    let otel = one(l, "WebApp", "shop-api", "otel-collector");
    assert_eq!((class(otel), otel["containerType"].as_str()), ("notScanned", Some("sidecar")));
    let cache = one(l, "WebApp", "shop-api", "cache");
    assert_eq!((class(cache), cache["resolvedBy"].as_str()), ("verified", Some("digest")));
    // The REST shape (`az resource show`): properties.siteConfig.
    let admin = one(l, "WebApp", "shop-admin", "linuxFxVersion");
    assert_eq!((class(admin), admin["workload"]["source"].as_str()), ("verified", Some("webapp-rest.json")));
}

#[test]
fn docker_hub_normalisation_only_where_the_scope_needs_it() {
    let s = scan(&["--workloads", &w("normalisation.yaml")]);
    let l = &s.workloads;
    let nginx = format!("docker.io/library/nginx@{NEW}");
    // The scope is written docker.io/library/nginx: the short names reach it by normalisation.
    for container in ["short", "hub", "legacy-host"] {
        let x = one(l, "Pod", "names", container);
        assert_eq!(
            (class(x), x["reference"].as_str(), x["normalised"].as_bool()),
            ("verified", Some(nginx.as_str()), Some(true)),
            "{x}"
        );
    }
    let canonical = one(l, "Pod", "names", "canonical");
    assert_eq!(
        (canonical["reference"].as_str(), canonical["normalised"].as_bool()),
        (Some(nginx.as_str()), Some(false))
    );
    // Normalisation never moves an image to another registry.
    assert_eq!(class(one(l, "Pod", "names", "other-registry")), "notScanned");
    let mirror = one(l, "Pod", "names", "not-the-mirror");
    assert_eq!(class(mirror), "notScanned", "mirror/app is docker.io/mirror/app, not registry.example/mirror/app");
    assert!(mirror["reason"].as_str().unwrap().contains("mirror/app or docker.io/mirror/app"), "{mirror}");
    // No tag: `latest`, which a batch line gives docker.io/acme/web.
    let default_tag = one(l, "Pod", "names", "default-tag");
    assert_eq!((class(default_tag), default_tag["resolvedBy"].as_str()), ("unsigned", Some("tag")));

    // Without the Docker Hub artifacts in the scan, nothing resolves there.
    let r = run(&[
        "scan",
        "--config-dir",
        "config",
        "--trust-policy",
        "../workloads/policy.json",
        "--at",
        JULY,
        "-o",
        "json",
        "--no-progress",
        "--batch",
        "batch.jsonl",
        "--workloads",
        &w("normalisation.yaml"),
    ]);
    let short = r
        .stdout
        .lines()
        .map(|x| serde_json::from_str::<Value>(x).unwrap())
        .find(|x| x["workload"]["container"] == "short")
        .unwrap();
    assert_eq!(short["class"], "notScanned");
}

#[test]
fn digest_resolution_stays_in_its_repository() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workloads-digests");
    std::fs::create_dir_all(&tmp).unwrap();
    let file = tmp.join("pods.yaml");
    std::fs::write(
        &file,
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: n}}\nspec:\n  containers:\n\
             \x20   - {{name: same, image: 'registry.example/mirror/app@{NEW}'}}\n\
             \x20   - {{name: other-repo, image: 'registry.example/other@{NEW}'}}\n\
             \x20   - {{name: tag-ignored, image: 'registry.example/app:unknown@{OLD}'}}\n\
             \x20   - {{name: bad, image: 'registry.example/app@sha256:abc'}}\n"
        ),
    )
    .unwrap();
    let s = scan(&["--workloads", file.to_str().unwrap()]);
    let l = &s.workloads;
    assert_eq!(class(one(l, "Pod", "p", "same")), "verified");
    let other = one(l, "Pod", "p", "other-repo");
    assert_eq!(class(other), "notScanned", "the same digest under another repository is another policy scope");
    assert!(
        other["reason"]
            .as_str()
            .unwrap()
            .contains(&format!("no scanned input holds {NEW} under registry.example/other"))
    );
    let ignored = one(l, "Pod", "p", "tag-ignored");
    assert_eq!(
        (class(ignored), ignored["reference"].as_str()),
        ("verified", Some(format!("registry.example/app@{OLD}").as_str()))
    );
    let bad = one(l, "Pod", "p", "bad");
    assert!(bad["reason"].as_str().unwrap().starts_with("not an image reference"), "{bad}");
}

#[test]
fn exit_status_follows_the_deployed_workloads() {
    let only_nginx = ["--only", "docker.io/library/nginx"];
    // Every scanned artifact verifies and so does everything deployed: 0.
    let s = scan(&[&only_nginx[..], &["--workloads", &w("nginx-only.yaml")]].concat());
    assert_eq!((s.status, s.summary["outOfPolicy"].as_u64()), (0, Some(0)));
    assert_eq!(s.summary["workloads"]["outOfPolicy"], 0);
    // Every scanned artifact verifies, but a deployed workload runs an image no input holds: 1.
    let s = scan(&[&only_nginx[..], &["--workloads", &w("kubectl-list.json")]].concat());
    assert_eq!(s.status, 1);
    assert_eq!(s.summary["outOfPolicy"], 0);
    assert!(s.summary["workloads"]["outOfPolicy"].as_u64().unwrap() > 0);
    // Warn mode reports and exits 0.
    let s = scan(&[&only_nginx[..], &["--workloads", &w("kubectl-list.json"), "--warn-only"]].concat());
    assert_eq!(s.status, 0);
    assert!(s.stderr.contains("and 11 of 12 deployed workload containers; exiting 0"), "{}", s.stderr);
}

#[test]
fn unreadable_or_unrecognised_workloads_files_exit_2() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workloads-bad");
    std::fs::create_dir_all(&tmp).unwrap();
    // A symlink to a good workloads file: the loader's rule refuses it like a directory.
    let link = tmp.join("linked.json");
    let _ = std::fs::remove_file(&link);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workloads/kubectl-list.json");
    std::os::unix::fs::symlink(target, &link).unwrap();
    let cases: [(String, &[&str]); 7] = [
        (w("not-workloads.json"), &["not-workloads.json, document 1", "neither a Kubernetes object"]),
        (w("broken.yaml"), &["broken.yaml, document 2", "not a workloads YAML document"]),
        (w("empty.yaml"), &["empty.yaml", "holds no document"]),
        (w("missing.json"), &["missing.json", "cannot be read"]),
        (tmp.display().to_string(), &["workloads-bad", "not a regular file"]),
        (link.display().to_string(), &["linked.json", "not a regular file"]),
        ("../workloads/batch-tags.jsonl".into(), &["batch-tags.jsonl, document 1", "neither a Kubernetes object"]),
    ];
    for (file, expected) in cases {
        let s =
            run(&[&base("json").iter().map(String::as_str).collect::<Vec<_>>()[..], &["--workloads", &file]].concat());
        assert_eq!(s.status, 2, "{file}: {}", s.stdout);
        let doc: Value = serde_json::from_str(s.stdout.trim()).unwrap();
        let message = doc["error"]["message"].as_str().unwrap();
        assert_eq!(doc["error"]["code"], "LOAD", "{message}");
        for e in expected {
            assert!(message.contains(e), "{file}: {message:?} lacks {e:?}");
        }
        assert!(message.starts_with("workloads file "), "{message}");
    }
}

#[test]
fn workloads_source_labels_the_file_before_it() {
    let s = scan(&[
        "--workloads",
        &w("kubectl-list.json"),
        "--workloads-source",
        "aks-prod",
        "--workloads",
        &w("manifests.yaml"),
        "--workloads",
        &w("containerapps.json"),
        "--jobs",
        "1",
        "--workloads-source",
        "sub-shop",
    ]);
    let source_of = |kind: &str, name: &str| {
        s.workloads.iter().find(|x| x["workload"]["kind"] == kind && x["workload"]["name"] == name).unwrap()["workload"]
            ["source"]
            .clone()
    };
    assert_eq!(source_of("Deployment", "web"), "aks-prod");
    assert_eq!(source_of("Deployment", "api"), "manifests.yaml", "no label: the file name");
    assert_eq!(source_of("ContainerApp", "checkout"), "sub-shop", "other options may stand between");
    let usage = |extra: &[&str]| {
        let r = run(&[&["scan", "--batch", "batch.jsonl", "-o", "json"][..], extra].concat());
        assert_eq!(r.status, 2, "{extra:?}");
        serde_json::from_str::<Value>(r.stdout.trim()).unwrap()["error"]["message"].as_str().unwrap().to_owned()
    };
    let message = usage(&["--workloads-source", "x", "--workloads", &w("manifests.yaml")]);
    assert!(message.contains("must follow the --workloads FILE"), "{message}");
    let message = usage(&["--workloads", &w("manifests.yaml"), "--workloads-source", "a", "--workloads-source", "b"]);
    assert!(message.contains("two --workloads-source"), "{message}");
}

/// Every fixture at once, as several clusters and subscriptions: the summary counts.
fn everything(output: &str) -> Vec<String> {
    let mut args = base(output);
    for (file, source) in [
        ("kubectl-list.json", Some("aks-prod")),
        ("manifests.yaml", None),
        ("containerapps.json", Some("sub-shop")),
        ("webapps.json", Some("sub-web")),
        ("webapp-sitecontainers.json", Some("sub-web")),
        ("normalisation.yaml", None),
    ] {
        args.extend(["--workloads".into(), w(file)]);
        if let Some(source) = source {
            args.extend(["--workloads-source".into(), source.into()]);
        }
    }
    args
}

#[test]
fn summary_counts_per_class_and_per_source() {
    let args = everything("json");
    let s = scan(&args[base("json").len()..].iter().map(String::as_str).collect::<Vec<_>>());
    let wl = &s.summary["workloads"];
    assert_eq!(wl["total"], 38);
    assert_eq!(wl["outOfPolicy"], 20);
    assert_eq!(wl["inPolicy"], 18);
    let counts = &wl["counts"];
    assert_eq!(counts.as_object().unwrap().len(), 10, "every class, notScanned included: {counts}");
    for (c, n) in [
        ("verified", 17),
        ("skippedByPolicy", 1),
        ("unsigned", 10),
        ("unknownSigner", 1),
        ("invalidSignature", 1),
        ("expired", 1),
        ("notScanned", 7),
        ("failed", 0),
    ] {
        assert_eq!(counts[c], n, "{c}");
    }
    let sources: Vec<(&str, u64, u64)> = wl["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["total"].as_u64().unwrap(), r["outOfPolicy"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        sources,
        [
            ("aks-prod", 12, 7),
            ("manifests.yaml", 10, 6),
            ("sub-shop", 4, 2),
            ("sub-web", 5, 2),
            ("normalisation.yaml", 7, 3)
        ],
        "command-line order"
    );
    let aks = &wl["sources"][0]["counts"];
    assert_eq!(
        (aks["notScanned"].as_u64(), aks["verified"].as_u64(), aks.get("failed")),
        (Some(2), Some(4), None),
        "{aks}"
    );
    // The lines agree with the counts, and the artifact summary is unchanged by workloads.
    assert_eq!(s.workloads.len(), 38);
    assert_eq!(s.workloads.iter().filter(|l| l["class"] == "notScanned").count(), 7);
    assert_eq!(s.summary["total"], s.artifacts.len());
}

#[test]
fn text_section_per_source_per_namespace_out_of_policy_first() {
    let args = everything("text");
    let r = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(r.status, 1);
    let out = &r.stdout;
    let at = |needle: &str| out.find(needle).unwrap_or_else(|| panic!("{needle:?} not in\n{out}"));
    // Artifact lines, then the section, then the summary tables with the workload counts.
    assert!(at("(new)") < at("DEPLOYED WORKLOADS (38 containers: 20 out of policy, 18 in policy)"));
    assert!(at("DEPLOYED WORKLOADS") < at("Scanned "));
    assert!(at("Scanned ") < at("Deployed: 38 workload containers from 5 sources: 18 in policy, 20 out of policy"));
    assert!(at("WORKLOAD CLASS") < at("\nnotScanned                7"));
    // Sources in command-line order.
    let sources =
        ["source aks-prod", "source manifests.yaml", "source sub-shop", "source sub-web", "source normalisation.yaml"];
    for pair in sources.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{pair:?}");
    }
    // In aks-prod: namespaces with a failure first (batch, legacy, prod), kube-system last; in a
    // namespace, out-of-policy containers first.
    let section = &out[at("source aks-prod")..at("source manifests.yaml")];
    let namespaces: Vec<&str> = section.lines().filter_map(|l| l.strip_prefix("  namespace ")).collect();
    assert_eq!(
        namespaces,
        [
            "batch (2 out of policy)",
            "legacy (1 out of policy)",
            "prod (4 out of policy)",
            "kube-system (0 out of policy)"
        ]
    );
    let prod: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with("  namespace prod"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        prod,
        ["notScanned", "unsigned", "invalidSignature", "notScanned", "verified", "verified", "verified", "verified"]
    );
    assert!(
        section.contains("    notScanned        Deployment/web debugger-h4k9z (ephemeral) busybox:1.36 tag 1.36"),
        "{section}"
    );
    assert!(
        section.contains(&format!(
            "    verified          Pod/standalone proxy nginx:1.25 -> docker.io/library/nginx@{NEW}"
        )),
        "{section}"
    );
}

#[test]
fn batch_tags_are_checked_and_unknown_members_still_rejected() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workloads-batch");
    std::fs::create_dir_all(&tmp).unwrap();
    for (name, line, expected) in [
        (
            "bad-tag.jsonl",
            format!(r#"{{"reference": "registry.example/x@{NEW}", "tags": [".v1"], "signatures": []}}"#),
            "not a tag",
        ),
        (
            "not-array.jsonl",
            format!(r#"{{"reference": "registry.example/x@{NEW}", "tags": "v1", "signatures": []}}"#),
            "tags must be an array",
        ),
        (
            "unknown.jsonl",
            format!(r#"{{"reference": "registry.example/x@{NEW}", "tag": ["v1"], "signatures": []}}"#),
            "unknown member \"tag\"",
        ),
    ] {
        let file = tmp.join(name);
        std::fs::write(&file, line).unwrap();
        let r = run(&[
            "scan",
            "--config-dir",
            "config",
            "--trust-policy",
            "../workloads/policy.json",
            "--batch",
            file.to_str().unwrap(),
            "-o",
            "json",
        ]);
        assert_eq!(r.status, 2, "{name}");
        let doc: Value = serde_json::from_str(r.stdout.trim()).unwrap();
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(message.contains(expected) && message.contains("line 1"), "{name}: {message}");
    }
}
