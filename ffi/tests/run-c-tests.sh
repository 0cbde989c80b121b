#!/bin/sh
# Compiles the C tests and the C example against an INSTALLED libnotaverify (header, libraries and
# notaverify.pc under <prefix>, as `make install PREFIX=<prefix>` lays them out), using only
# `pkg-config --cflags --libs notaverify`, then runs them, then runs them again under valgrind
# (when it exists) with --error-exitcode and --leak-check=full. Called by `make test-c`.
#
#   ffi/tests/run-c-tests.sh <prefix> <fixtures-dir> <build-dir>
#
# <fixtures-dir> is core/tests/fixtures; test_artifacts, test_inspect and test_posture also read
# the OCI layouts of cli/tests/fixtures (made by cli/tests/fixtures/make_layouts.py and
# make_scan_layouts.py). Last, compare_cli_json.py requires the C library's outcome and inspection
# JSON to be the CLI's on those layouts; it runs the CLI that `cargo build -p notaverify-cli`
# makes (or $NOTAVERIFY_CLI) and python3.
#
# Environment: CC (default cc), VALGRIND (default valgrind; "" disables it), CARGO (default
# cargo), NOTAVERIFY_CLI (default: build the CLI with $CARGO and run it from the target directory),
# LIFECYCLES (default 1000), VALGRIND_LIFECYCLES (default 200: one lifecycle costs about
# 0.2 s under valgrind, and a leak shows at any count).
set -eu

prefix=$1
fixtures=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${CC:-cc}
VALGRIND=${VALGRIND-valgrind}
LIFECYCLES=${LIFECYCLES:-1000}
VALGRIND_LIFECYCLES=${VALGRIND_LIFECYCLES:-200}

mkdir -p "$out"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PKG_CONFIG_PATH

echo "== pkg-config --cflags --libs notaverify: $(pkg-config --cflags --libs notaverify)"
pkg-config --exists --print-errors notaverify
test "$(pkg-config --modversion notaverify)" = "$(sed -n 's/^#define NOTAVERIFY_VERSION "\(.*\)"$/\1/p' "$prefix/include/notaverify.h")"
soname=$(readelf -d "$prefix/lib/libnotaverify.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p' || true)
if command -v readelf >/dev/null; then
    echo "== SONAME: $soname"
    test -n "$soname" && test -e "$prefix/lib/$soname"
fi

cflags="-std=c11 -Wall -Wextra -Werror -Wno-unused-function -g -O1 $(pkg-config --cflags notaverify)"
libs="$(pkg-config --libs notaverify) -Wl,-rpath,$prefix/lib -lpthread"
# Static: the archive plus its private libraries, from the same .pc file.
static_libs="$prefix/lib/libnotaverify.a $(pkg-config --static --libs-only-l notaverify | sed 's/-lnotaverify//') -lpthread"

tests="test_verify test_artifacts test_inspect test_posture test_inputs test_lifecycle"
# print_json is no test: compare_cli_json.py runs it.
for t in $tests print_json; do
    echo "== cc $t.c (shared)"
    # shellcheck disable=SC2086
    $CC $cflags "$here/$t.c" -o "$out/$t" $libs
done
echo "== cc test_inputs.c (static)"
# shellcheck disable=SC2086
$CC $cflags "$here/test_inputs.c" -o "$out/test_inputs_static" $static_libs
if command -v c++ >/dev/null; then
    echo "== c++ -fsyntax-only (the header is valid C++)"
    # shellcheck disable=SC2046
    printf '#include <notaverify.h>\nint main() { return notaverify_trust_store_new(nullptr) == NOTAVERIFY_RESULT_NULL_PARAMETER ? 0 : 1; }\n' \
        | c++ -std=c++17 -Wall -Werror $(pkg-config --cflags notaverify) -x c++ -fsyntax-only -
fi
echo "== cc examples/c/verify.c"
# shellcheck disable=SC2086
$CC $cflags "$root/examples/c/verify.c" -o "$out/verify" $libs

# The example's exit status is its verdict.
example() {
    want=$1
    shift
    set +e
    "$@" "$fixtures" "registry.example/app@sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921" \
        "$fixtures/envelopes/$EXAMPLE_ENVELOPE" 1893456000
    got=$?
    set -e
    if [ "$got" != "$want" ]; then
        echo "examples/c/verify.c on $EXAMPLE_ENVELOPE exited $got, want $want" >&2
        exit 1
    fi
}

run_all() {
    # $@: a command prefix (empty, or valgrind and its options)
    "$@" "$out/test_verify" "$fixtures"
    "$@" "$out/test_artifacts" "$fixtures" "$root/cli/tests/fixtures"
    "$@" "$out/test_inspect" "$fixtures" "$root/cli/tests/fixtures"
    "$@" "$out/test_posture" "$fixtures" "$root/cli/tests/fixtures"
    "$@" "$out/test_inputs" "$fixtures"
    "$@" "$out/test_inputs_static" "$fixtures"
    EXAMPLE_ENVELOPE=p256.cose example 0 "$@" "$out/verify"
    EXAMPLE_ENVELOPE=untrusted.jws example 1 "$@" "$out/verify"
}

echo "== run"
run_all
"$out/test_lifecycle" "$fixtures" "$LIFECYCLES"

if [ -n "$VALGRIND" ] && command -v "$VALGRIND" >/dev/null; then
    echo "== run under valgrind"
    vg="$VALGRIND --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --suppressions=$here/rayon.supp"
    # shellcheck disable=SC2086
    run_all $vg
    # shellcheck disable=SC2086
    $vg "$out/test_lifecycle" "$fixtures" "$VALGRIND_LIFECYCLES"
else
    echo "== valgrind not found: skipped the valgrind run"
fi

echo "== the C library's JSON documents are the CLI's"
cli=${NOTAVERIFY_CLI:-}
if [ -z "$cli" ]; then
    (cd "$root" && ${CARGO:-cargo} build -p notaverify-cli --locked --quiet)
    target=${CARGO_TARGET_DIR:-target}
    case $target in /*) ;; *) target=$root/$target ;; esac
    cli=$target/debug/notaverify
fi
python3 "$here/compare_cli_json.py" "$cli" "$out/print_json" "$root/cli/tests/fixtures"
echo "== C tests passed"
