#!/usr/bin/env bash
# `make test-dist`: checks what `make dist` (.ci/dist.sh) put in dist/, used as a team without a
# Rust toolchain would use it. In empty temporary folders, with cargo, rustc and rustup off PATH
# and no network for the npm and pip installs:
#   - the checksums in SHA256SUMS hold;
#   - the CLI tarball's binary prints its version and verifies the bundled example
#     (examples/config, examples/layout:v1, scope example.com/app: README's quick start);
#   - the C tarball's pkg-config file compiles examples/c/verify.c, which verifies a fixture;
#   - the wheel (tagged manylinux) installs into a fresh venv, and Python verifies the example;
#   - the npm tarballs install together into an empty folder, the addon comes from the platform
#     package, and Node verifies the example.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dist=$repo/dist
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
triple=$(rustc -vV | sed -n 's/^host: //p')
config=$repo/examples/config
layout=$repo/examples/layout
scope=example.com/app
fixtures=$repo/core/tests/fixtures

fail() {
    echo ".ci/test-dist.sh: $*" >&2
    exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# PATH without any directory that holds cargo, rustc or rustup.
no_rust_path=
IFS=: read -ra path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
    if [ -x "$d/cargo" ] || [ -x "$d/rustc" ] || [ -x "$d/rustup" ]; then continue; fi
    no_rust_path=${no_rust_path:+$no_rust_path:}$d
done
no_rust() {
    # No override may point Node or Python at a build outside the artifacts either.
    env -u NAPI_RS_NATIVE_LIBRARY_PATH -u PYTHONPATH -u NODE_PATH \
        PATH="$no_rust_path" CARGO_HOME="$work/no-cargo" RUSTUP_HOME="$work/no-rustup" "$@"
}
if no_rust sh -c 'command -v cargo || command -v rustc || command -v rustup'; then
    fail "cargo, rustc or rustup is still on the stripped PATH"
fi

echo "== SHA256SUMS"
(cd "$dist" && sha256sum --check --strict SHA256SUMS)

echo "== CLI tarball"
cli=notaverify-cli-$version-$triple
mkdir "$work/cli"
tar -xzf "$dist/$cli.tar.gz" -C "$work/cli"
cli_version=$(no_rust "$work/cli/$cli/notaverify" --version)
echo "$cli_version"
[ "$cli_version" = "notaverify $version" ] || fail "the CLI says '$cli_version', want 'notaverify $version'"
(cd "$work" && no_rust "$work/cli/$cli/notaverify" verify --config-dir "$config" --oci-layout --scope "$scope" "$layout:v1")

echo "== C library tarball"
lib=libnotaverify-$version-$triple
mkdir "$work/c"
tar -xzf "$dist/$lib.tar.gz" -C "$work/c"
prefix=$work/c/$lib
for f in include/notaverify.h lib/libnotaverify.so lib/libnotaverify.so.0 "lib/libnotaverify.so.$version" \
    lib/libnotaverify.a lib/pkgconfig/notaverify.pc; do
    [ -e "$prefix/$f" ] || fail "$lib.tar.gz has no $f"
done
[ "$(readlink "$prefix/lib/libnotaverify.so")" = libnotaverify.so.0 ] || fail "libnotaverify.so does not link to the SONAME"
pc() { PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config "$@" notaverify; }
# The .pc file is relocatable: its directories are those of the unpacked tree.
for dir in include lib; do
    [ "$(cd "$(pc --variable="${dir}dir")" && pwd -P)" = "$(cd "$prefix/$dir" && pwd -P)" ] \
        || fail "notaverify.pc's ${dir}dir is $(pc --variable="${dir}dir"), not the unpacked $dir/"
done
flags=$(pc --cflags --libs)
echo "pkg-config --cflags --libs notaverify: $flags"
# shellcheck disable=SC2086 # $flags is a list of compiler flags
no_rust cc -std=c11 -Wall -Wextra -Werror "$repo/examples/c/verify.c" $flags -Wl,-rpath,"$prefix/lib" -o "$work/c/verify"
(cd "$work" && no_rust "$work/c/verify" "$fixtures" \
    "registry.example/app@sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921" \
    "$fixtures/envelopes/p256.jws" 1893456000)

echo "== Python wheel"
shopt -s nullglob
wheels=("$dist"/notaverify-"$version"-*.whl)
platform_tgzs=("$dist"/notaverify-*-"$version".tgz)
shopt -u nullglob
[ ${#wheels[@]} = 1 ] || fail "dist/ holds ${#wheels[@]} wheels, want 1"
echo "${wheels[0]##*/}"
case ${wheels[0]##*/} in
    *-manylinux*) ;;
    *linux*) fail "the wheel is not tagged manylinux" ;;
esac
"${PYTHON:-python3}" -m venv "$work/venv"
no_rust "$work/venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check "${wheels[0]}"
(cd "$work" && no_rust "$work/venv/bin/python" - "$config" "$layout" "$scope" <<'EOF'
import sys

import notaverify

config, layout, scope = sys.argv[1:]
# The package is the installed wheel's, not a source tree's.
assert notaverify.__file__.startswith(sys.prefix), notaverify.__file__
outcome = notaverify.Verifier.from_config_dir(config).verify_oci_layout(
    layout, reference="v1", scope=scope
).require_verified()
print(f"python: verified under {outcome.policy.name!r}, notaverify from {notaverify.__file__}")
EOF
)

echo "== npm packages"
main_tgz=$dist/notaverify-$version.tgz
[ -f "$main_tgz" ] || fail "dist/ has no notaverify-$version.tgz"
[ ${#platform_tgzs[@]} = 1 ] || fail "dist/ holds ${#platform_tgzs[@]} npm platform packages, want 1"
platform_tgz=${platform_tgzs[0]}
platform_name=$(tar -xzOf "$platform_tgz" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0)).name')
addon=$(tar -tzf "$platform_tgz" | sed -n 's|^package/\(.*\.node\)$|\1|p')
echo "$platform_name: $addon"
[ -n "$addon" ] || fail "${platform_tgz##*/} holds no .node addon"
if tar -tzf "$main_tgz" | grep '\.node$'; then fail "notaverify-$version.tgz holds an addon; it belongs in a platform package"; fi
# The main package declares every napi target's platform package, this one included.
tar -xzOf "$main_tgz" package/package.json | node -e '
const pkg = JSON.parse(require("fs").readFileSync(0))
const deps = pkg.optionalDependencies || {}
const [platformName] = process.argv.slice(1)
if (Object.keys(deps).length !== pkg.napi.targets.length || deps[platformName] !== pkg.version) {
  console.error("optionalDependencies", deps, "do not list one package per target, nor", platformName, pkg.version)
  process.exit(1)
}' "$platform_name"

# One command, both files; --offline with an unreachable registry and an empty cache: nothing can
# come from the network, so the addon that loads below is the one in the platform tarball.
mkdir "$work/app"
(cd "$work/app" && no_rust npm install --offline --registry=http://127.0.0.1:9/ --cache="$work/npm-cache" \
    --no-audit --no-fund --no-update-notifier "$main_tgz" "$platform_tgz")
(cd "$work/app" && no_rust node - "$config" "$layout" "$scope" "$platform_name" <<'EOF'
const path = require('node:path')
const [config, layout, scope, platformName] = process.argv.slice(2)
const { Verifier } = require('notaverify')
const addonDir = path.dirname(require.resolve(`${platformName}/package.json`))
if (!addonDir.startsWith(path.join(process.cwd(), 'node_modules'))) throw new Error(`${platformName} resolved to ${addonDir}`)
const outcome = Verifier.fromConfigDir(config).verifyOciLayout(layout, { reference: 'v1', scope })
if (!outcome.verified) throw new Error(`not verified: ${JSON.stringify(outcome)}`)
console.log(`node: verified under '${outcome.policy.name}', addon from ${addonDir}`)
EOF
)
echo "== dist/ checked"
