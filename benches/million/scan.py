#!/usr/bin/env python3
"""The million-artifact bench's scan through Python (benches/million/run.sh): `Verifier.scan`
over a batch file, as `notaverify scan --batch FILE -o json` runs it — the fixtures'
configuration and policy `rotation.json`, at 2025-07-01 — printing each artifact's line
(`ScannedArtifact.to_json()`) and then the summary line (`ScanSummary.to_json()`), as the CLI
prints them.

    PYTHON scan.py CONFIG_DIR POLICY_FILE BATCH_FILE     (PYTHON: an interpreter with notaverify)
"""

import sys

import notaverify


def main() -> int:
    config_dir, policy, batch = sys.argv[1:]
    verifier = notaverify.Verifier(
        notaverify.TrustPolicy.from_file(policy), notaverify.TrustStore.from_config_dir(config_dir)
    )
    scan = verifier.scan(batches=[batch], at="2025-07-01T00:00:00Z")
    out = sys.stdout
    for artifact in scan:
        out.write(artifact.to_json())
        out.write("\n")
    summary = scan.summary
    assert summary is not None
    out.write(summary.to_json())
    out.write("\n")
    return summary.exit_status


if __name__ == "__main__":
    sys.exit(main())
