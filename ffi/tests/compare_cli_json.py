#!/usr/bin/env python3
"""The C library's JSON documents are the CLI's (issue 21: one JSON document for the CLI and every
binding, compared with the CLI on the fixtures).

For every OCI layout of cli/tests/fixtures/layouts, under the fixture configuration and each
trust policy below, with and without --all-signatures, at the time the CLI tests use, this runs

    notaverify verify --config-dir ... [--trust-policy P] --oci-layout --scope S --at T -o json
    print_json verify <config-dir with P> <layout> v1 S <T as Unix seconds> [all]

and requires the same parsed JSON document. When the CLI cannot evaluate the request (exit 2, an
error document), the C call must fail with the result named after the CLI's error code. Then, for
those layouts and the tags of the multi-signed scan layouts,

    notaverify inspect --oci-layout <layout>:<tag> -o json
    print_json inspect <layout> <tag>

must give the same document, except that the CLI adds "error": null (the member that carries
why nothing could be listed), which must be there and be null: the C inspection JSON is the
core's document, and a C call that cannot list anything fails with a result code instead.

Last, for every image of the scan layouts (cli/tests/fixtures/scan: a key rotation), under each
of its trust policies, with each combination of its exceptions and retired material files,

    notaverify verify --config-dir ... --trust-policy P [--exceptions E] [--retired R]
        (--warn-only when neither) --oci-layout --scope S --at T -o json <layout>:<tag>
    print_json classify <config-dir with P> <layout> <tag> S <T as Unix seconds> <E|-> <R|->

must agree: the C classification JSON is the CLI document's "posture" member.

Usage: compare_cli_json.py <notaverify CLI> <print_json> <cli/tests/fixtures>
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

AT = "2025-07-01T00:00:00Z"
AT_UNIX = "1751328000"
SCOPE = "example.com/app"
# None: the configuration directory's own trust policy (app-strict).
POLICIES = [None, "strict", "audit", "permissive", "skip", "other-identity", "missing-store"]
SCAN_LAYOUT_TAGS = {"app": ["new", "old", "dual", "unknown", "tampered", "expired", "revocation"]}
SCAN_POLICIES = ["rotation", "rotated"]
SCAN_CLASSIFIED_TAGS = {**SCAN_LAYOUT_TAGS, "legacy": ["legacy-a", "legacy-b"]}


def run(command):
    return subprocess.run(command, capture_output=True, text=True, check=False)


def parse(what, text):
    try:
        return json.loads(text)
    except ValueError as e:
        sys.exit(f"{what}: not JSON ({e}): {text!r}")


def differences(cli, c, path="$"):
    """Where two parsed documents differ, as `path: cli ... c ...` lines."""
    if isinstance(cli, dict) and isinstance(c, dict):
        found = []
        for key in sorted(set(cli) | set(c)):
            if key not in c:
                found.append(f"{path}.{key}: only the CLI has it ({json.dumps(cli[key])})")
            elif key not in cli:
                found.append(f"{path}.{key}: only C has it ({json.dumps(c[key])})")
            else:
                found.extend(differences(cli[key], c[key], f"{path}.{key}"))
        return found
    if isinstance(cli, list) and isinstance(c, list) and len(cli) == len(c):
        return [d for i, (a, b) in enumerate(zip(cli, c)) for d in differences(a, b, f"{path}[{i}]")]
    if cli != c or type(cli) is not type(c):
        return [f"{path}: the CLI has {json.dumps(cli)}, C has {json.dumps(c)}"]
    return []


class Comparison:
    def __init__(self, cli, print_json):
        self.cli = cli
        self.print_json = print_json
        self.compared = 0
        self.failures = []

    def expect(self, case, cli_command, c_command, cli_member_null=None, cli_member=None):
        """Runs both; records a failure unless they agree (C's document and the CLI's, or its
        member `cli_member`)."""
        self.compared += 1
        cli_run, c_run = run(cli_command), run(c_command)
        if cli_run.returncode not in (0, 1, 2) or "panicked" in cli_run.stderr:
            self.failures.append(f"{case}: the CLI exited {cli_run.returncode}: {cli_run.stderr.strip()}")
            return
        cli_doc = parse(f"{case}: CLI stdout", cli_run.stdout)
        if cli_run.returncode == 2:
            # Nothing could be evaluated: C must fail with the result of the same code.
            want = f"NOTAVERIFY_RESULT_{cli_doc['error']['code']}"
            if c_run.returncode != 2 or f": {want}: " not in c_run.stderr:
                self.failures.append(
                    f"{case}: the CLI failed with {cli_doc['error']}, C exited {c_run.returncode}: "
                    f"{c_run.stdout.strip()} {c_run.stderr.strip()} (want {want})"
                )
            return
        if c_run.returncode != 0:
            self.failures.append(f"{case}: the CLI printed a document, C failed: {c_run.stderr.strip()}")
            return
        c_doc = parse(f"{case}: C stdout", c_run.stdout)
        if cli_member_null is not None:
            if cli_doc.get(cli_member_null, "absent") is not None:
                self.failures.append(f"{case}: the CLI's {cli_member_null!r} is not null: {cli_doc}")
                return
            del cli_doc[cli_member_null]
        if cli_member is not None:
            if cli_member not in cli_doc:
                self.failures.append(f"{case}: the CLI's document has no {cli_member!r}: {cli_doc}")
                return
            cli_doc = cli_doc[cli_member]
        for difference in differences(cli_doc, c_doc):
            self.failures.append(f"{case}: {difference}")


def policy_config(config, policies, policy, scratch):
    """The CLI's extra arguments and the C configuration directory for `policy`."""
    if policy is None:
        return [], config
    path = os.path.join(policies, f"{policy}.json")
    # The C library reads its policy from the configuration directory: a copy with this one.
    directory = os.path.join(scratch, policy)
    shutil.copytree(os.path.join(config, "truststore"), os.path.join(directory, "truststore"))
    shutil.copyfile(path, os.path.join(directory, "trustpolicy.oci.json"))
    return ["--trust-policy", path], directory


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    cli, print_json, fixtures = sys.argv[1:]
    config = os.path.join(fixtures, "config")
    layouts_dir = os.path.join(fixtures, "layouts")
    layouts = sorted(os.listdir(layouts_dir))
    comparison = Comparison(cli, print_json)

    with tempfile.TemporaryDirectory() as scratch:
        for policy in POLICIES:
            cli_policy, c_config = policy_config(config, os.path.join(fixtures, "policies"), policy, scratch)
            for layout in layouts:
                path = os.path.join(layouts_dir, layout)
                for all_signatures in (False, True):
                    case = f"verify {layout}:v1 policy={policy or 'config'} all={all_signatures}"
                    cli_command = [cli, "verify", "--config-dir", config, *cli_policy, "--oci-layout", "--scope",
                                   SCOPE, "--at", AT, "-o", "json", f"{path}:v1"]
                    c_command = [print_json, "verify", c_config, path, "v1", SCOPE, AT_UNIX]
                    if all_signatures:
                        cli_command.insert(2, "--all-signatures")
                        c_command.append("all")
                    comparison.expect(case, cli_command, c_command)

    # Requests that cannot be evaluated: a tag the layout lacks, a malformed tag, a scope no
    # statement covers.
    good = os.path.join(layouts_dir, "good")
    for tag, scope in [("v2", SCOPE), ("bad tag", SCOPE), ("v1", "example.com/other")]:
        comparison.expect(f"verify good:{tag} scope={scope}",
                          [cli, "verify", "--config-dir", config, "--oci-layout", "--scope", scope, "--at", AT, "-o",
                           "json", f"{good}:{tag}"],
                          [print_json, "verify", config, good, tag, scope, AT_UNIX])

    inspected = [(os.path.join(layouts_dir, layout), "v1") for layout in layouts + ["no-such-layout"]]
    inspected += [(good, "v2"), (good, "bad tag")]
    for layout, tags in SCAN_LAYOUT_TAGS.items():
        inspected += [(os.path.join(fixtures, "scan", "layouts", layout), tag) for tag in tags]
    for path, tag in inspected:
        comparison.expect(f"inspect {path}:{tag}", [cli, "inspect", "--oci-layout", f"{path}:{tag}", "-o", "json"],
                          [print_json, "inspect", path, tag], cli_member_null="error")

    scan = os.path.join(fixtures, "scan")
    with tempfile.TemporaryDirectory() as scratch:
        for policy in SCAN_POLICIES:
            cli_policy, c_config = policy_config(os.path.join(scan, "config"), os.path.join(scan, "policies"), policy,
                                                 scratch)
            for layout, tags in SCAN_CLASSIFIED_TAGS.items():
                path = os.path.join(scan, "layouts", layout)
                scope = f"registry.example/{layout}"
                for tag in tags:
                    for exceptions in (None, os.path.join(scan, "exceptions.json")):
                        for retired in (None, os.path.join(scan, "retired.json")):
                            files = [*(["--exceptions", exceptions] if exceptions else []),
                                     *(["--retired", retired] if retired else [])]
                            cli_command = [cli, "verify", "--config-dir", os.path.join(scan, "config"), *cli_policy,
                                           *(files or ["--warn-only"]), "--oci-layout", "--scope", scope, "--at", AT,
                                           "-o", "json", f"{path}:{tag}"]
                            c_command = [print_json, "classify", c_config, path, tag, scope, AT_UNIX,
                                         exceptions or "-", retired or "-"]
                            case = f"classify {layout}:{tag} policy={policy} files={files}"
                            comparison.expect(case, cli_command, c_command, cli_member="posture")

    for failure in comparison.failures:
        print(failure, file=sys.stderr)
    if comparison.failures:
        sys.exit(f"compare_cli_json: {len(comparison.failures)} difference(s) in {comparison.compared} comparisons")
    print(f"compare_cli_json: the C and CLI documents agree in {comparison.compared} comparisons")


if __name__ == "__main__":
    main()
