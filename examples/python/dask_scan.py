"""`notaverify scan --batch FILE ... -o json` spread over a Dask cluster.

    python dask_scan.py --workers 4 --config-dir CONFIG --trust-policy POLICY \
        [--exceptions FILE] [--retired FILE] [--at TIME] [--jobs N] [--lines-per-task N] \
        -o json --batch FILE [--batch FILE ...]
    python dask_scan.py --scheduler tcp://host:8786 ...   # join an existing cluster

prints what the CLI prints on the same input: one JSON line per artifact, in input order, then
the summary line, and exits as it does (0 when every artifact is in policy, 1 when any is not,
2 on bad input). The summary's timing members (`elapsedSeconds`, `microsecondsPerArtifact`)
are those of this run. Needs `dask[distributed]` (not a dependency of notaverify).

How: the batch lines are cut into partitions of `--lines-per-task` lines; each task scans its
partition with `Verifier.scan` (`--jobs` threads) on a worker, with the verifier (and the
rollout files) scattered to every worker once, so each is unpickled once per worker, not per
task. A task writes its lines to a scratch batch file, blank lines in front so that each keeps
its line number and its signature paths made absolute; the `source` of its artifacts is then
put back to the batch file as given. The driver collects the lines in order and adds the
tasks' summaries up (counts, per repository, per signer, per exception, per source).

The workers must see the files at the same paths (the batch files' signature files, the
configuration): paths are made absolute on the driver.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any, Optional

import notaverify

EXIT_IN_POLICY, EXIT_OUT_OF_POLICY, EXIT_ERROR = 0, 1, 2


def arguments(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--workers", type=int, help="start a LocalCluster of this many workers")
    where.add_argument("--scheduler", help="join the cluster of this scheduler address")
    parser.add_argument("--batch", action="append", required=True, help="a batch file (repeatable)")
    parser.add_argument("--config-dir", help="the notation configuration directory (default: notation's)")
    parser.add_argument("--trust-policy", help="the trust policy (default: the configuration directory's)")
    parser.add_argument("--exceptions", help="an exceptions file")
    parser.add_argument("--retired", help="a retired trust material file")
    parser.add_argument("--at", help="the scan time, RFC 3339 (default: now)")
    parser.add_argument("--jobs", type=int, default=1, help="threads per task (default: 1)")
    parser.add_argument("--lines-per-task", type=int, default=1024, help="batch lines per task (default: 1024)")
    parser.add_argument("-o", "--output", choices=["json"], default="json", help="json (the only output)")
    return parser.parse_args(argv)


def absolute(path: Optional[str]) -> Optional[str]:
    return None if path is None else os.path.abspath(path)


def verifier_of(args: argparse.Namespace) -> notaverify.Verifier:
    config_dir = absolute(args.config_dir)
    if args.trust_policy is None:
        return notaverify.Verifier.from_config_dir(config_dir)
    if config_dir is None:
        raise notaverify.InvalidInputError("--trust-policy needs --config-dir (the trust stores)")
    policy = notaverify.TrustPolicy.from_file(os.path.abspath(args.trust_policy))
    return notaverify.Verifier(policy, notaverify.TrustStore.from_config_dir(config_dir))


def partitions(batch: str, size: int) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """The non-blank lines of `batch` with their numbers (from 1), `size` at a time, each
    partition's signature paths made absolute (relative to the batch file's directory)."""
    base = os.path.dirname(os.path.abspath(batch))
    part: list[tuple[int, str]] = []
    index = 0
    with open(batch, encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                line["signatures"] = [os.path.join(base, p) for p in line["signatures"]]
            except (ValueError, KeyError, TypeError) as e:
                raise notaverify.InvalidInputError(f"{batch}: line {number}: not a batch line ({e})") from e
            part.append((number, json.dumps(line)))
            if len(part) == size:
                yield index, part
                index, part = index + 1, []
    if part:
        yield index, part


def scan_part(
    verifier: notaverify.Verifier,
    rollout: dict[str, Any],
    at: str,
    jobs: int,
    batch: str,
    part: list[tuple[int, str]],
) -> tuple[list[str], str]:
    """On a worker: the artifact lines and the summary document of one partition."""
    with tempfile.TemporaryDirectory(prefix="dask-scan-") as scratch:
        path = os.path.join(scratch, "part.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            written = 0
            for number, text in part:
                out.write("\n" * (number - 1 - written) + text + "\n")
                written = number
        scan = verifier.scan(batches=[path], at=at, threads=jobs, **rollout)
        lines: list[str] = []
        for artifact in scan:
            line = artifact.to_json()
            line_number = artifact.source.rsplit(":", 1)[1]
            here = '"source":' + json.dumps(f"{path}:{line_number}", ensure_ascii=False)
            there = '"source":' + json.dumps(f"{batch}:{line_number}", ensure_ascii=False)
            if here not in line:
                raise RuntimeError(f"no source {here} in {line}")
            lines.append(line.replace(here, there, 1))
        summary = scan.summary
        assert summary is not None
        # The partition's one input source is its scratch file: the batch file's, as in the lines.
        document = json.loads(summary.to_json())
        for row in document["summary"]["sources"]:
            if row["source"] != path:
                raise RuntimeError(f"a source {row['source']} that is not {path}")
            row["source"] = batch
        return lines, json.dumps(document)


def add(into: dict[str, int], counts: dict[str, int]) -> None:
    for name, n in counts.items():
        into[name] = into.get(name, 0) + n


def merged(summaries: list[dict[str, Any]], jobs: int, elapsed: float) -> dict[str, Any]:
    """The summary of the whole scan from those of its partitions (all at the same time, under
    the same rollout files)."""
    first = summaries[0]
    total = sum(s["total"] for s in summaries)
    counts: dict[str, int] = {}
    repositories: dict[str, dict[str, Any]] = {}
    signers: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, Any]] = {}
    exceptions = [dict(e, applied=0, expiredHits=0) for e in first["exceptions"]]
    for s in summaries:
        add(counts, s["counts"])
        for r in s["repositories"]:
            row = repositories.setdefault(r["repository"], {"repository": r["repository"], "total": 0, "outOfPolicy": 0, "counts": {}})
            row["total"] += r["total"]
            row["outOfPolicy"] += r["outOfPolicy"]
            add(row["counts"], r["counts"])
        for r in s["sources"]:
            row = sources.setdefault(r["source"], {"source": r["source"], "total": 0, "inPolicy": 0, "outOfPolicy": 0, "counts": {}})
            for member in ("total", "inPolicy", "outOfPolicy"):
                row[member] += r[member]
            add(row["counts"], r["counts"])
        for r in s["signers"]:
            row = signers.setdefault(r["sha256Fingerprint"], dict(r, artifacts=0, counts={}))
            row["artifacts"] += r["artifacts"]
            add(row["counts"], r["counts"])
        for mine, theirs in zip(exceptions, s["exceptions"]):
            mine["applied"] += theirs["applied"]
            mine["expiredHits"] += theirs["expiredHits"]
    # As the engine orders them: most artifacts first, then by subject, then by fingerprint.
    ordered = sorted((signers[f] for f in sorted(signers)), key=lambda r: (-r["artifacts"], r["subject"]))
    out_of_policy = sum(s["outOfPolicy"] for s in summaries)
    return {
        "total": total,
        "inPolicy": total - out_of_policy,
        "outOfPolicy": out_of_policy,
        "counts": counts,
        "repositories": [repositories[r] for r in sorted(repositories)],
        "exceptions": exceptions,
        "retired": first["retired"],
        "at": first["at"],
        "elapsedSeconds": elapsed,
        "microsecondsPerArtifact": elapsed * 1e6 / total if total else 0.0,
        "jobs": jobs,
        "warnOnly": first["warnOnly"],
        "dualSigned": sum(s["dualSigned"] for s in summaries),
        "signers": ordered,
        "sources": [sources[s] for s in sorted(sources)],
    }


def compact(document: Any) -> str:
    """JSON as the CLI writes it: members sorted, no spaces, text as it is."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main(argv: Optional[list[str]] = None) -> int:
    args = arguments(argv)
    from dask.distributed import Client, LocalCluster

    try:
        if args.jobs < 1 or args.lines_per_task < 1:
            raise notaverify.InvalidInputError("--jobs and --lines-per-task must be at least 1")
        verifier = verifier_of(args)
        rollout: dict[str, Any] = {}
        if args.exceptions:
            rollout["exceptions"] = notaverify.Exceptions.from_file(os.path.abspath(args.exceptions))
        if args.retired:
            rollout["retired"] = notaverify.RetiredMaterial.from_file(
                os.path.abspath(args.retired), config_dir=absolute(args.config_dir)
            )
        # One time for every partition: exceptions are judged at the scan time.
        at = args.at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        parts = [(batch, part) for batch in args.batch for _, part in partitions(batch, args.lines_per_task)]
        if not parts:
            raise notaverify.InvalidInputError("no artifact to check: the batch files hold no line")
    except (notaverify.NotaverifyError, OSError) as e:
        code = getattr(e, "code", "INVALID_INPUT")
        print(compact({"error": {"code": code, "message": str(e)}}))
        print(f"Error: {e}", file=sys.stderr)
        return EXIT_ERROR

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1) if args.workers else None
    try:
        with Client(cluster if cluster is not None else args.scheduler) as client:
            started = time.perf_counter()
            [shared_verifier] = client.scatter([verifier], broadcast=True)
            [shared_rollout] = client.scatter([rollout], broadcast=True)
            futures = [
                client.submit(scan_part, shared_verifier, shared_rollout, at, args.jobs, batch, part, pure=False)
                for batch, part in parts
            ]
            try:
                results = client.gather(futures)
            except notaverify.NotaverifyError as e:
                print(compact({"error": {"code": e.code, "message": str(e)}}))
                print(f"Error: {e}", file=sys.stderr)
                return EXIT_ERROR
            elapsed = time.perf_counter() - started
    finally:
        if cluster is not None:
            cluster.close()
    lines = [line for part_lines, _ in results for line in part_lines]
    summaries = [json.loads(summary)["summary"] for _, summary in results]
    summary = merged(summaries, args.jobs, elapsed)
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.write(compact({"summary": summary}) + "\n")
    out.flush()
    return EXIT_OUT_OF_POLICY if summary["outOfPolicy"] else EXIT_IN_POLICY


if __name__ == "__main__":
    sys.exit(main())
