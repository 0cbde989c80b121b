#!/usr/bin/env bash
# Regenerate a notation-go cross-check corpus (no network except the Go module proxy).
# usage: interop/regenerate.sh [OUT_DIR] [SEED] [COUNT]
#        interop/regenerate.sh --bench [OUT_DIR]     (benchmark envelope set)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=0
if [[ "${1:-}" == "--bench" ]]; then bench=1; shift; fi
out="${1:-$here/corpus-fresh}"
seed="${2:-1}"
count="${3:-2000}"
bin="$(mktemp -d)/gencorpus"
(cd "$here/notation-go" && go build -o "$bin" ./cmd/gencorpus)
if [[ -e "$out" ]] && [[ -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "refusing to write into non-empty $out" >&2; exit 1
fi
if [[ $bench == 1 ]]; then
  echo "+ gencorpus -bench -out $out"
  "$bin" -bench -out "$out"
else
  echo "+ gencorpus -seed $seed -count $count -out $out"
  "$bin" -seed "$seed" -count "$count" -out "$out"
fi
echo "cases: $(find "$out/cases" -name case.json | wc -l)"
