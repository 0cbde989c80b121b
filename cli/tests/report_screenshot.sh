#!/bin/sh
# Documented check of `notaverify scan --report`: renders the HTML report of the scan fixtures
# (cli/tests/fixtures/scan, made by make_scan_layouts.py, with the tagged batch file and the
# deployed workloads of cli/tests/fixtures/workloads: kubectl JSON and multi-document YAML, az
# containerapp and az webapp JSON, each its own source) in headless Chromium (Debian package
# `chromium`; install with `apt-get install -y chromium`) and writes three screenshots:
#
#   docs/img/scan-report.png            the top: tiles, counts per class, per repository, per source
#   docs/img/scan-report-workloads.png  "Deployed workloads": per source, per namespace, out of policy first
#   docs/img/scan-report-progress.png   "Progress since the previous scan": a trend bar per
#                                       repository and source, what changed, newly out of policy first
#
# Two scans of a key rotation: the previous one in July under fixtures/workloads/policy.json
# (old and new CA trusted, the legacy exception in force), written with `-o json`; the reported
# one in October under fixtures/progress/rotated-workloads.json (the same policy trusting only
# the new CA) with the old CA retired (`--retired`) and the legacy exception past its deadline,
# given the first with `--previous`. The page is self-contained (CSP default-src 'none');
# Chromium runs with networking features off and a throw-away profile, driven over
# --remote-debugging-pipe (python3) to cut the page at the sections' headings. Look at the PNGs:
# the bar chart must show the class counts, the workloads their classes with notScanned, the
# trend bars the share in policy then and now, the changes "newly out of policy" first.
#
#   cli/tests/report_screenshot.sh   # target/release/notaverify (built if missing or stale), or $NOTAVERIFY
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${NOTAVERIFY:-$ROOT/target/release/notaverify}
# Built if missing, or older than the options this report needs.
if [ ! -x "$BIN" ] || ! "$BIN" scan --help 2>/dev/null | grep -q -- '--previous'; then
    cargo build --release -p notaverify-cli --manifest-path "$ROOT/Cargo.toml"
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to drive chromium" >&2; exit 2; }
FIX=$ROOT/cli/tests/fixtures/scan
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Every scan input: four layouts, two batch files, four workloads files (one source each).
set -- --oci-layout layouts/app --scope registry.example/app \
    --oci-layout layouts/legacy --scope registry.example/legacy \
    --oci-layout layouts/batchjobs --scope registry.example/batchjobs \
    --oci-layout layouts/vendor --scope registry.example/vendor \
    --batch batch.jsonl --batch ../workloads/batch-tags.jsonl \
    --workloads ../workloads/kubectl-list.json --workloads-source aks-prod \
    --workloads ../workloads/manifests.yaml --workloads-source aks-staging \
    --workloads ../workloads/containerapps.json --workloads-source aca-prod \
    --workloads ../workloads/webapps.json --workloads-source appsvc-prod --no-progress
set +e
(cd "$FIX" && "$BIN" scan --config-dir config --trust-policy ../workloads/policy.json \
    --exceptions exceptions.json --at 2025-07-01T00:00:00Z "$@" -o json > "$WORK/previous.jsonl" 2>/dev/null)
status=$?
[ "$status" = 1 ] || { echo "the previous scan: expected exit 1, got $status" >&2; exit 1; }
(cd "$FIX" && "$BIN" scan --config-dir config --trust-policy ../progress/rotated-workloads.json \
    --retired retired.json --exceptions exceptions.json --at 2025-10-01T00:00:00Z "$@" \
    --previous "$WORK/previous.jsonl" --report "$WORK/report.html" -o json > "$WORK/scan.jsonl" 2>/dev/null)
status=$?
set -e
[ "$status" = 1 ] || { echo "expected exit 1 (artifacts out of policy), got $status" >&2; exit 1; }
if grep -Eiq '(src|href)=|@import|url\(' "$WORK/report.html"; then
    echo "the report references an external resource" >&2; exit 1
fi
for section in 'id="sources"' 'id="workloads"' 'id="progress"' 'id="exceptions"'; do
    grep -q "$section" "$WORK/report.html" || { echo "the report has no $section section" >&2; exit 1; }
done
mkdir -p "$ROOT/docs/img"

# Chromium reads DevTools commands on fd 3 and answers on fd 4 (NUL-terminated JSON). Each
# OUT=FROM:TO argument writes the page between the headings #FROM and #TO ('' = page edge).
python3 - "$CHROMIUM" "file://$WORK/report.html" "$WORK" \
    "$ROOT/docs/img/scan-report.png=:workloads" \
    "$ROOT/docs/img/scan-report-workloads.png=workloads:progress" \
    "$ROOT/docs/img/scan-report-progress.png=progress:exceptions" <<'EOF'
import base64, fcntl, json, os, subprocess, sys

chromium, url, work = sys.argv[1:4]
shots = [a.rsplit("=", 1) for a in sys.argv[4:]]
WIDTH = 1200


def high(fd):
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


to_chrome_r, to_chrome_w = map(high, os.pipe())
from_chrome_r, from_chrome_w = map(high, os.pipe())


def pipes():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--remote-debugging-pipe", f"--user-data-dir={work}/profile", f"--window-size={WIDTH},900",
     "about:blank"],
    preexec_fn=pipes, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb")
buf, seq, events = b"", 0, []


def message():
    global buf
    while b"\0" not in buf:
        chunk = inp.read1(1 << 16)
        if not chunk:
            sys.exit("chromium closed the DevTools pipe")
        buf += chunk
    msg, buf = buf.split(b"\0", 1)
    return json.loads(msg)


def call(method, params=None, session=None):
    global seq
    seq += 1
    msg = {"id": seq, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    while True:
        m = message()
        if m.get("id") == seq:
            if "error" in m:
                sys.exit(f"{method}: {m['error']}")
            return m["result"]
        events.append(m)


def wait_for(name, session):
    while True:
        for i, e in enumerate(events):
            if e.get("method") == name and e.get("sessionId") == session:
                return events.pop(i)
        events.append(message())


try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Page.enable", session=session)
    call("Emulation.setDeviceMetricsOverride",
         {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
    call("Page.navigate", {"url": url}, session)
    wait_for("Page.loadEventFired", session)
    root = call("DOM.getDocument", session=session)["root"]["nodeId"]
    height = call("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]

    def top(ident, edge):
        if not ident:
            return edge
        node = call("DOM.querySelector", {"nodeId": root, "selector": f"#{ident}"}, session)["nodeId"]
        if not node:
            sys.exit(f"the report has no #{ident}")
        return call("DOM.getBoxModel", {"nodeId": node}, session)["model"]["margin"][1]

    for path, span in shots:
        start, end = span.split(":")
        y0, y1 = top(start, 0), top(end, height)
        shot = call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": y0, "width": WIDTH, "height": y1 - y0, "scale": 1}}, session)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"wrote {path} ({WIDTH}x{int(y1 - y0)})")
    call("Browser.close")
finally:
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
EOF
for png in scan-report.png scan-report-workloads.png scan-report-progress.png; do
    [ -s "$ROOT/docs/img/$png" ] || { echo "no screenshot $png written" >&2; exit 1; }
done
