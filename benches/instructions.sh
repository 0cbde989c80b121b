#!/usr/bin/env bash
# Instruction counts of whole verifications against their public-key floors, under callgrind:
# deterministic, so usable on a busy machine where timings are not. Each cost is
# (instructions of N runs - instructions of 0 runs) / N; the ratios are those of the `verify`
# bench. (Instructions are not time: bignum code retires more instructions per cycle than parsing,
# so the timed ratios are somewhat higher.)
#
#   benches/instructions.sh [N] [key types...]     (default: 2000 runs; rsa2048 p256)
#
# Two tables: cold and warm verifications (TABLES=verify), and a new leaf under a known CA
# against the envelope signature + its one link (TABLES=new_leaf); both by default.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
shift || true
if [ $# -gt 0 ]; then key_types=("$@"); else key_types=(rsa2048 p256); fi
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }
cargo build --quiet --release -p notaverify-benches --example instructions
bin=target/release/examples/instructions
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # key type, format, mode, runs
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" "$@" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,
}
per_op() { # key type, format, mode
  local base full
  base=$(count "$1" "$2" "$3" 0)
  full=$(count "$1" "$2" "$3" "$n")
  echo $(((full - base) / n))
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

tables=${TABLES:-verify new_leaf}

if [[ " $tables " == *" verify "* ]]; then
printf '| fixture | parse | warm | floor | floor, key parsed beforehand | warm/floor | warm/prepared | cold | chain floor | cold/floor |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for kt in "${key_types[@]}"; do
  for fmt in jws cose; do
    parse=$(per_op "$kt" "$fmt" parse)
    warm=$(per_op "$kt" "$fmt" warm)
    floor=$(per_op "$kt" "$fmt" floor)
    prepared=$(per_op "$kt" "$fmt" floor_prepared)
    cold=$(per_op "$kt" "$fmt" cold)
    chain=$(per_op "$kt" "$fmt" floor_chain)
    printf '| %s-%s-chain3 | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$fmt" "$kt" \
      "$parse" "$warm" "$floor" "$prepared" \
      "$(ratio "$warm" "$floor")" "$(ratio "$warm" "$prepared")" "$cold" "$chain" "$(ratio "$cold" "$chain")"
  done
done
fi

if [[ " $tables " == *" new_leaf "* ]]; then
# The renewed leaf's verification alone: (caches emptied, fixture, renewal) - (caches emptied, fixture).
printf '\n| fixture | new leaf under a known CA | floor: envelope signature + one link | new leaf/floor |\n'
printf '|---|---|---|---|\n'
for kt in "${key_types[@]}"; do
  for fmt in jws cose; do
    new_leaf=$(( $(per_op "$kt" "$fmt" new_leaf) - $(per_op "$kt" "$fmt" new_leaf_setup) ))
    floor=$(per_op "$kt" "$fmt" floor_new_leaf)
    printf '| %s-%s-chain3 | %s | %s | %s |\n' "$fmt" "$kt" "$new_leaf" "$floor" "$(ratio "$new_leaf" "$floor")"
  done
done
fi
