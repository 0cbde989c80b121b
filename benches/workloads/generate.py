#!/usr/bin/env python3
"""Inputs of the `scan --workloads` bench (benches/workloads/run.sh): 10,000 artifacts and
50,000 deployed workload containers that reference them (the containers of the workloads files;
33,000 workload lines once the ReplicaSets, Jobs and Pods owned by listed controllers are
folded into them).

Writes into OUT_DIR (default target/bench-workloads):

  policy.json          one strict statement for every repository (`*`) trusting both fixture CAs
  exceptions.json      exceptions for the unsigned artifacts of 50 repositories (the scan runs
                       with --exceptions, --retired and --report, as the 10,000-artifact scan of
                       docs/rollout.md does)
  batch.jsonl          10,000 artifacts: 2,500 repositories registry.example/teamNN/svcNNNN, each
                       with the four fixture targets of cli/tests/fixtures/scan (signed by the
                       new key, by the old key, by an unknown key, unsigned), tagged v2, v1, rc
                       and legacy; signature paths relative to OUT_DIR
  cluster-a.json       `kubectl get deploy,rs,sts,ds,cronjob,job,pods -A -o json` (kubectl leaves
                       managedFields out): Deployments (each with its ReplicaSet and a Pod, which
                       fold into it), StatefulSets (with a Pod), DaemonSets, CronJobs (with a Job
                       and a Pod), Jobs and standalone Pods: 30,000 containers, 13,000 once folded
  cluster-b.yaml       multi-document YAML manifests, Deployments: 10,000 containers
  cluster-b.json       the same Deployments as `kubectl get deploy -A -o json` prints them
                       (status, uid, env, ports...): the same 10,000 containers and images
  containerapps.json   `az containerapp list -o json`: 10,000 containers

Images: 60 % by tag, 30 % by digest, 10 % not scanned (an unknown tag, or a Docker Hub image).
Deterministic (fixed seed); run from anywhere: `python3 benches/workloads/generate.py [OUT_DIR]`.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCAN = os.path.join(ROOT, "cli", "tests", "fixtures", "scan")

REPOSITORIES = 2_500  # x 4 targets = 10,000 artifacts
MT = "application/vnd.oci.image.manifest.v1+json"
# (tag, digest, signature file or None) of the scan fixtures' targets; see cli/tests/fixtures/scan.
TARGETS = [
    ("v2", "sha256:5be1a7e2b83cc9084e76beba191d0bc9b3fc98592788356a314a0705893d1668", "new-p384.jws"),
    ("v1", "sha256:9141a4f37290bc55d1aa9cece630b05c4ebc489e9b05555f688710e868d86913", "old-p256.jws"),
    ("rc", "sha256:76dd245ef3138c5a5ca4dbf16e4cef70fbe7e70b7fd026835a4d7dc9b2739e93", "unknown-other.jws"),
    ("legacy", "sha256:45558adaf53fa46aaf894e8eb29208edf91ebbf9a2c6d6c7a23442efb0043944", None),
]


def repository(i):
    return f"registry.example/team{i % 50:02d}/svc{i:04d}"


def write_scan_inputs(out):
    policy = {
        "version": "1.0",
        "trustPolicies": [
            {
                "name": "registry-example",
                # 2,500 scopes would exceed the policy's limit of 1,024 per statement.
                "registryScopes": ["*"],
                "signatureVerification": {"level": "strict"},
                "trustStores": ["ca:acme-2024", "ca:acme-2025"],
                "trustedIdentities": ["*"],
            }
        ],
    }
    with open(os.path.join(out, "policy.json"), "w") as f:
        json.dump(policy, f, indent=1)
    legacy = TARGETS[3][1]
    exceptions = {
        "version": "1",
        "exceptions": [
            {"scope": f"{repository(i)}@{legacy}", "reason": "built before signing", "owner": f"team{i % 50:02d}@example.com",
             "expires": "2025-09-30"}
            for i in range(0, REPOSITORIES, REPOSITORIES // 50)
        ],
    }
    with open(os.path.join(out, "exceptions.json"), "w") as f:
        json.dump(exceptions, f, indent=1)
    signatures = os.path.relpath(os.path.join(SCAN, "signatures"), out)
    with open(os.path.join(out, "batch.jsonl"), "w") as f:
        for i in range(REPOSITORIES):
            for tag, digest, signature in TARGETS:
                line = {"reference": f"{repository(i)}@{digest}", "tags": [tag], "signatures": []}
                if signature:
                    line["descriptor"] = {"mediaType": MT, "digest": digest, "size": 394}
                    line["signatures"] = [f"{signatures}/{signature}"]
                f.write(json.dumps(line) + "\n")


class Images:
    """A workload image: by tag (60 %), by digest (30 %), not scanned (10 %)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def __call__(self):
        r = self.rng.random()
        repo = repository(self.rng.randrange(REPOSITORIES))
        tag, digest, _ = self.rng.choice(TARGETS)
        if r < 0.6:
            return f"{repo}:{tag}"
        if r < 0.9:
            return f"{repo}@{digest}"
        if r < 0.95:
            return f"{repo}:never-pushed"
        return f"nginx:1.{self.rng.randrange(20, 28)}"


def container(name, image, rng):
    return {
        "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "REGION", "value": "westeurope"}],
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "name": name,
        "ports": [{"containerPort": 8080 + rng.randrange(10), "name": "http", "protocol": "TCP"}],
        "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def pod_spec(containers, init=()):
    spec = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }
    if init:
        spec["initContainers"] = list(init)
    return spec


def metadata(kind, name, namespace, uid, owner=None):
    meta = {
        "creationTimestamp": "2025-06-20T08:01:44Z",
        "labels": {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": namespace},
        "name": name,
        "namespace": namespace,
        "resourceVersion": "48211937",
        "uid": uid,
    }
    if owner:
        okind, oname, ouid = owner
        meta["ownerReferences"] = [
            {"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True, "kind": okind, "name": oname, "uid": ouid}
        ]
    return meta


def kubectl_list(image, rng):
    """cluster-a.json: 30,000 containers (13,000 once folded)."""
    items = []
    uid = iter(range(10**9))

    def obj(api, kind, name, ns, spec, owner=None, status=None):
        u = f"00000000-0000-4000-8000-{next(uid):012d}"
        items.append({"apiVersion": api, "kind": kind, "metadata": metadata(kind, name, ns, u, owner), "spec": spec,
                      "status": status or {"observedGeneration": 1}})
        return (kind, name, u)

    for d in range(1_500):  # 1,500 x (1 init + 3) x (Deployment, ReplicaSet, Pod) = 18,000
        ns = f"team{d % 40:02d}"
        init = [container("migrate", image(), rng)]
        containers = [container(f"c{k}", image(), rng) for k in range(3)]
        template = {"metadata": {"labels": {"app": f"web{d}"}}, "spec": pod_spec(containers, init)}
        dep = obj("apps/v1", "Deployment", f"web{d}", ns, {"replicas": 1, "selector": {"matchLabels": {"app": f"web{d}"}},
                                                           "strategy": {"type": "RollingUpdate"}, "template": template},
                  status={"availableReplicas": 1, "readyReplicas": 1, "replicas": 1})
        rs = obj("apps/v1", "ReplicaSet", f"web{d}-5d4f8b7c9", ns, {"replicas": 1, "template": template}, owner=dep)
        obj("v1", "Pod", f"web{d}-5d4f8b7c9-x7k2p", ns, pod_spec(containers, init), owner=rs,
            status={"phase": "Running", "podIP": f"10.244.{d % 250}.{d % 200}"})
    for s in range(1_500):  # 1,500 x 2 x (StatefulSet, Pod) = 6,000
        containers = [container("db", image(), rng), container("exporter", image(), rng)]
        sts = obj("apps/v1", "StatefulSet", f"db{s}", f"team{s % 40:02d}",
                  {"serviceName": f"db{s}", "template": {"spec": pod_spec(containers)}})
        obj("v1", "Pod", f"db{s}-0", f"team{s % 40:02d}", pod_spec(containers), owner=sts, status={"phase": "Running"})
    for s in range(500):  # 1,000
        obj("apps/v1", "DaemonSet", f"agent{s}", "kube-system",
            {"template": {"spec": pod_spec([container("agent", image(), rng), container("logs", image(), rng)])}})
    for s in range(1_000):  # 1,000 x (CronJob, Job, Pod) = 3,000
        containers = [container("job", image(), rng)]
        cron = obj("batch/v1", "CronJob", f"nightly{s}", "batch",
                   {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec(containers)}}}})
        job = obj("batch/v1", "Job", f"nightly{s}-29187840", "batch", {"template": {"spec": pod_spec(containers)}}, owner=cron)
        obj("v1", "Pod", f"nightly{s}-29187840-x", "batch", pod_spec(containers), owner=job)
    for s in range(1_000):  # 1,000
        obj("batch/v1", "Job", f"once{s}", "batch", {"template": {"spec": pod_spec([container("job", image(), rng)])}})
    for s in range(1_000):  # 1,000
        obj("v1", "Pod", f"tool{s}", f"team{s % 40:02d}", pod_spec([container("tool", image(), rng)]))
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def deployments(image):
    """cluster-b: 2,500 Deployments x 4 containers = 10,000, as (index, images)."""
    return [(d, [image() for _ in range(4)]) for d in range(2_500)]


def yaml_documents(deps):
    """cluster-b.yaml: the Deployments as multi-document YAML manifests."""
    docs = []
    for d, images in deps:
        containers = "".join(
            f"        - name: c{k}\n          image: {img}\n          ports:\n            - containerPort: 8080\n"
            f"          env:\n            - name: MODE\n              value: \"production\"\n"
            f"          resources:\n            requests: {{cpu: 100m, memory: 128Mi}}\n"
            for k, img in enumerate(images)
        )
        docs.append(
            f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api{d}\n  namespace: shop{d % 20}\n"
            f"  labels:\n    app: api{d}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: api{d}\n"
            f"  template:\n    metadata:\n      labels:\n        app: api{d}\n    spec:\n      containers:\n{containers}"
        )
    return "".join(docs)


def kubectl_deployments(deps):
    """cluster-b.json: the same Deployments as `kubectl get deploy -A -o json` prints them."""
    rng = random.Random(21)
    items = []
    for d, images in deps:
        ns = f"shop{d % 20}"
        containers = [container(f"c{k}", img, rng) for k, img in enumerate(images)]
        items.append({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": metadata("Deployment", f"api{d}", ns, f"00000000-0000-4000-9000-{d:012d}"),
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": f"api{d}"}}, "strategy": {"type": "RollingUpdate"},
                     "template": {"metadata": {"labels": {"app": f"api{d}"}}, "spec": pod_spec(containers)}},
            "status": {"availableReplicas": 3, "readyReplicas": 3, "replicas": 3},
        })
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def container_apps(image):
    """containerapps.json: 5,000 apps x 2 containers = 10,000."""
    sub = "00000000-0000-0000-0000-00000000c003"
    apps = []
    for a in range(5_000):
        rg = f"rg-apps{a % 25}"
        apps.append({
            "id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.App/containerapps/app{a}",
            "location": "West Europe",
            "name": f"app{a}",
            "properties": {
                "configuration": {"activeRevisionsMode": "Single", "ingress": {"external": True, "targetPort": 8080},
                                  "registries": [{"identity": "system", "server": "registry.example"}]},
                "environmentId": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.App/managedEnvironments/env",
                "provisioningState": "Succeeded",
                "runningStatus": "Running",
                "template": {
                    "containers": [
                        {"image": image(), "name": "app", "resources": {"cpu": 0.5, "memory": "1Gi"}},
                        {"image": image(), "name": "sidecar", "resources": {"cpu": 0.25, "memory": "0.5Gi"}},
                    ],
                    "initContainers": None,
                    "scale": {"maxReplicas": 10, "minReplicas": 1},
                },
            },
            "resourceGroup": rg,
            "type": "Microsoft.App/containerApps",
        })
    return apps


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "bench-workloads"))
    os.makedirs(out, exist_ok=True)
    write_scan_inputs(out)
    rng = random.Random(19)
    image = Images(20)
    with open(os.path.join(out, "cluster-a.json"), "w") as f:
        json.dump(kubectl_list(image, rng), f, indent=4)
    deps = deployments(image)
    with open(os.path.join(out, "cluster-b.yaml"), "w") as f:
        f.write(yaml_documents(deps))
    with open(os.path.join(out, "cluster-b.json"), "w") as f:
        json.dump(kubectl_deployments(deps), f, indent=4)
    with open(os.path.join(out, "containerapps.json"), "w") as f:
        json.dump(container_apps(image), f, indent=2)
    for name in sorted(os.listdir(out)):
        print(f"{name:20} {os.path.getsize(os.path.join(out, name)):>12,} bytes")


if __name__ == "__main__":
    main()
