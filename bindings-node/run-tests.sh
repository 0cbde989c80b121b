#!/usr/bin/env bash
# The Node package from a clean checkout: install the pinned toolchain (package-lock.json),
# build the addon in release mode (generates index.js / index.d.ts), run node --test + tsc.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
npm test
