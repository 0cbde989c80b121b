#!/usr/bin/env bash
# Cross-check notaverify against notation-go.
#
# With `go` on PATH: regenerate a fresh corpus with notation-go (random seed, printed;
# NOTAVERIFY_INTEROP_SEED / NOTAVERIFY_INTEROP_COUNT override; count >= 2000) into a temp dir
# and compare over it. Without `go`: compare over the committed seed corpus interop/corpus.
# An explicit corpus: interop/compare.sh DIR (no regeneration).
#
# The comparison is core/tests/interop_notation_go.rs; it prints the cases compared and agreed
# and fails on any disagreement not on interop/allowlist.json (or a stale allow-list entry).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tmp=""
cleanup() {
  local rc=$?
  if [[ -n "$tmp" ]]; then
    if [[ $rc == 0 ]]; then rm -rf "$tmp"; else echo "interop: failed; corpus kept at $tmp/corpus" >&2; fi
  fi
}
trap cleanup EXIT

if [[ $# -ge 1 ]]; then
  corpus="$(cd "$1" && pwd)"
  echo "interop: comparing over the given corpus $corpus"
elif command -v go >/dev/null 2>&1 && [[ "${NOTAVERIFY_INTEROP_NO_GO:-}" != 1 ]]; then
  seed="${NOTAVERIFY_INTEROP_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}"
  count="${NOTAVERIFY_INTEROP_COUNT:-2000}"
  if (( count < 2000 )); then echo "interop: NOTAVERIFY_INTEROP_COUNT must be >= 2000" >&2; exit 2; fi
  tmp="$(mktemp -d)"
  corpus="$tmp/corpus"
  echo "interop: go found ($(go version)); fresh corpus, seed $seed, $count cases"
  echo "+ $here/regenerate.sh $corpus $seed $count"
  "$here/regenerate.sh" "$corpus" "$seed" "$count"
else
  corpus="$here/corpus"
  echo "interop: go not found; comparing over the committed seed corpus $corpus"
fi

echo "cases in corpus: $(find "$corpus/cases" -name case.json | wc -l)"
cmd=(cargo test -p notaverify --test interop_notation_go -- --nocapture --test-threads 1)
echo "+ NOTAVERIFY_INTEROP_CORPUS=$corpus ${cmd[*]}"
cd "$root"
NOTAVERIFY_INTEROP_CORPUS="$corpus" "${cmd[@]}"
