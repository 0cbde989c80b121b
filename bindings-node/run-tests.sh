#!/usr/bin/env bash
# The Node package from a clean checkout: install the pinned toolchain (package-lock.json),
# build the addon in release mode (generates index.js / index.d.ts, which must equal the committed
# ones), run node --test + tsc. __test__/outcome-contract.spec.mjs compares outcomes with the
# CLI's -o json document, so the CLI is built too.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --quiet --locked -p notaverify-cli
export NOTAVERIFY_CLI="$(cd .. && pwd)/target/debug/notaverify"
npm ci --no-audit --no-fund
npm run build
# The committed typings and loader are what the build generates (as `make check-header` does for C).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git diff --exit-code -- index.d.ts index.js \
        || { echo "bindings-node/index.d.ts or index.js is stale: commit what 'npm run build' generated" >&2; exit 1; }
fi
npm test
