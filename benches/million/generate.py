#!/usr/bin/env python3
"""Input of the million-artifact `scan --batch` bench (benches/million/run.sh): a batch file of
N artifacts (default 1,000,000), written as a stream (nothing of it is kept in memory here).

Line i is the target i % 4 of cli/tests/fixtures/scan (signed by the new key, by the old key, by
an unknown key, unsigned: the targets benches/workloads/generate.py uses, taken from it) in the
repository i // 4 % 4 of the four that cli/tests/fixtures/scan/policies/rotation.json verifies
strictly, tagged as the workloads bench tags it. So a scan of it verifies three signatures in
four lines with the chains cached after the first few lines, as a registry whose artifacts share
a few signing keys does, and every per-artifact cost grows with N while the summary (4
repositories, 3 signers) does not.

    python3 benches/million/generate.py OUT_FILE [N]

Signature paths are absolute (the fixtures' files), so OUT_FILE can be anywhere.
"""

import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("workloads_generate", os.path.join(HERE, "..", "workloads", "generate.py"))
workloads = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(workloads)

# The strictly verified repositories of cli/tests/fixtures/scan/policies/rotation.json.
REPOSITORIES = ["registry.example/app", "registry.example/legacy", "registry.example/batchjobs", "registry.example/mirror/app"]


def lines():
    """The four target lines of each repository, as JSON text."""
    signatures = os.path.join(workloads.SCAN, "signatures")
    out = []
    for repository in REPOSITORIES:
        for tag, digest, signature in workloads.TARGETS:
            line = {"reference": f"{repository}@{digest}", "tags": [tag], "signatures": []}
            if signature:
                line["descriptor"] = {"mediaType": workloads.MT, "digest": digest, "size": 394}
                line["signatures"] = [os.path.join(signatures, signature)]
            out.append(json.dumps(line) + "\n")
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 1_000_000
    block = lines()
    with open(path, "w") as f:
        for i in range(0, n, len(block)):
            f.writelines(block[: min(len(block), n - i)])


if __name__ == "__main__":
    main()
