#!/bin/sh
# Documented check of `notaverify scan --report`: renders the HTML report of the scan fixtures
# (cli/tests/fixtures/scan, made by make_scan_layouts.py) in headless Chromium (Debian package
# `chromium`; install with `apt-get install -y chromium`) and writes docs/img/scan-report.png.
# The page is self-contained (CSP default-src 'none'); Chromium runs with networking features
# off and a throw-away profile. Look at the PNG: the bar chart must show the class counts.
#
#   cli/tests/report_screenshot.sh            # uses target/release/notaverify (built if missing)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${NOTAVERIFY:-$ROOT/target/release/notaverify}
[ -x "$BIN" ] || cargo build --release -p notaverify-cli --manifest-path "$ROOT/Cargo.toml"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }
FIX=$ROOT/cli/tests/fixtures/scan
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
set +e
(cd "$FIX" && "$BIN" scan --config-dir config --trust-policy policies/rotated.json \
    --retired retired.json --exceptions exceptions.json --at 2025-07-01T00:00:00Z --no-progress \
    --oci-layout layouts/app --scope registry.example/app \
    --oci-layout layouts/legacy --scope registry.example/legacy \
    --oci-layout layouts/batchjobs --scope registry.example/batchjobs \
    --oci-layout layouts/vendor --scope registry.example/vendor \
    --batch batch.jsonl --report "$WORK/report.html" -o json > "$WORK/scan.jsonl" 2>/dev/null)
status=$?
set -e
[ "$status" = 1 ] || { echo "expected exit 1 (artifacts out of policy), got $status" >&2; exit 1; }
if grep -Eiq '(src|href)=|@import|url\(' "$WORK/report.html"; then
    echo "the report references an external resource" >&2; exit 1
fi
mkdir -p "$ROOT/docs/img"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/profile" --window-size=1200,900 \
    --screenshot="$ROOT/docs/img/scan-report.png" "file://$WORK/report.html" >/dev/null 2>&1
[ -s "$ROOT/docs/img/scan-report.png" ] || { echo "no screenshot written" >&2; exit 1; }
echo "wrote $ROOT/docs/img/scan-report.png"
