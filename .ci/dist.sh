#!/usr/bin/env bash
# `make dist`: the release artifacts for this machine's platform, into dist/ (gitignored), with
# their SHA-256 sums in dist/SHA256SUMS:
#
#   notaverify-cli-<version>-<triple>.tar.gz  the `notaverify` command and README.md
#   libnotaverify-<version>-<triple>.tar.gz   what `make install` lays out: include/notaverify.h,
#                                             lib/libnotaverify.so{,.0,.<version>}, lib/libnotaverify.a,
#                                             lib/pkgconfig/notaverify.pc (relocatable)
#   notaverify-<version>-cp39-abi3-manylinux_<glibc>_<arch>.whl   the Python package (maturin)
#   notaverify-<version>.tgz                  the npm package: loader and typings, no binary
#   notaverify-<platform>-<version>.tgz       its platform package holding the addon (napi-rs's
#                                             convention: the npm package lists one per target
#                                             in optionalDependencies; npm installs the matching one)
#
# <triple> is rustc's host triple. Every artifact is built once, in release mode, in the
# workspace's target directory, so the builds `make test` already made are reused. Needs what
# `make test` needs: cargo, python3 with venv, npm, a C toolchain; maturin is installed into
# bindings-python/.venv when missing. docs/packaging.md: other platforms, hosting the artifacts.
# This lives in .ci/ beside `run` because a release job runs it as CI runs `make test`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
dist=$repo/dist
target_dir=${CARGO_TARGET_DIR:-$repo/target}
stage=$target_dir/dist-stage

fail() {
    echo ".ci/dist.sh: $*" >&2
    exit 1
}

# One version for every artifact: the workspace's, which the npm and Python manifests repeat.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
npm_version=$(node -p 'require("./bindings-node/package.json").version')
py_version=$(sed -n 's/^version = "\(.*\)"/\1/p' bindings-python/pyproject.toml | head -n 1)
[ "$npm_version" = "$version" ] || fail "bindings-node/package.json has version $npm_version, Cargo.toml $version"
[ "$py_version" = "$version" ] || fail "bindings-python/pyproject.toml has version $py_version, Cargo.toml $version"
triple=$(rustc -vV | sed -n 's/^host: //p')
[ -n "$triple" ] || fail "rustc -vV names no host triple"

rm -rf "$dist" "$stage"
mkdir -p "$dist" "$stage"

# Members owned by root (not the build user), in a stable order.
pack_tree() { # <archive> <parent dir> <member dir>
    tar --sort=name --owner=0 --group=0 --numeric-owner -czf "$1" -C "$2" "$3"
}

echo "== CLI"
"${CARGO:-cargo}" build -p notaverify-cli --release --locked
cli=notaverify-cli-$version-$triple
mkdir -p "$stage/$cli"
install -m 755 "$target_dir/release/notaverify" "$stage/$cli/notaverify"
install -m 644 README.md "$stage/$cli/README.md"
if [ -f LICENSE ]; then install -m 644 LICENSE "$stage/$cli/LICENSE"; fi
pack_tree "$dist/$cli.tar.gz" "$stage" "$cli"

echo "== C library"
lib=libnotaverify-$version-$triple
make --no-print-directory install PREFIX="$stage/$lib" CARGO="${CARGO:-cargo}"
# `make install` writes absolute paths into notaverify.pc; the tarball may be unpacked anywhere, so
# its paths follow the .pc file's own location (pkg-config and pkgconf both define pcfiledir).
# shellcheck disable=SC2016 # ${...} are pkg-config variables, written literally
sed -i -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' -e 's|^libdir=.*|libdir=${prefix}/lib|' \
    -e 's|^includedir=.*|includedir=${prefix}/include|' "$stage/$lib/lib/pkgconfig/notaverify.pc"
pack_tree "$dist/$lib.tar.gz" "$stage" "$lib"

echo "== Python wheel"
venv=$repo/bindings-python/.venv
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
maturin_requirement=$(sed -n 's/^requires = \["\(maturin[^"]*\)"\]$/\1/p' bindings-python/pyproject.toml)
[ -n "$maturin_requirement" ] || fail "bindings-python/pyproject.toml: no maturin in [build-system] requires"
"$venv/bin/python" -m pip install --quiet "$maturin_requirement"
# The venv's python first on PATH, as bindings-python/run-tests.sh has it: pyo3's build
# configuration then matches that of `make test-python`'s build, whose artifacts this reuses.
(cd bindings-python && PATH="$venv/bin:$PATH" maturin build --release --locked --out "$stage/wheels")
shopt -s nullglob
wheels=("$stage"/wheels/notaverify-"$version"-*.whl)
shopt -u nullglob
[ ${#wheels[@]} = 1 ] || fail "maturin built ${#wheels[@]} wheels, want 1"
case ${wheels[0]##*/} in
    *-manylinux*) ;;
    *linux*) fail "the wheel ${wheels[0]##*/} is not tagged manylinux" ;;
esac
cp "${wheels[0]}" "$dist/"

echo "== npm packages"
cd "$repo/bindings-node"
npm ci --no-audit --no-fund
npm run build
platform=$(node -p "require('@napi-rs/cli').parseTriple('$triple').platformArchABI")
addon=notaverify.$platform.node
[ -f "$addon" ] || fail "npm run build made no bindings-node/$addon"
# The platform package, as napi-rs lays it out: create-npm-dirs writes npm/<platform>/package.json
# (name, os, cpu, libc, "files": the addon) for every target in "napi", here for a staged copy of
# package.json (napi keeps npm/ inside the package it reads). `napi artifacts` would copy the addon
# in, but only once every target's addon is present; this machine built one, so it is copied here.
mkdir -p "$stage/napi"
cp package.json "$stage/napi/"
npx --no-install napi create-npm-dirs --cwd "$stage/napi"
cp "$addon" "$stage/napi/npm/$platform/"
(cd "$stage/napi/npm/$platform" && npm pack --silent --pack-destination "$dist" >/dev/null)
# The main package: what `npm pack` takes from bindings-node ("files": the loader and typings, never
# a local .node), plus the optionalDependencies that napi-rs's pre-publish adds when publishing:
# every target's platform package at this version. They stay out of bindings-node/package.json, so
# a development `npm ci` never asks a registry for them.
npm pack --silent --pack-destination "$stage" >/dev/null
mkdir -p "$stage/npm-main"
tar -xzf "$stage/notaverify-$version.tgz" -C "$stage/npm-main"
# shellcheck disable=SC2016 # a JavaScript template literal, not a shell expansion
(cd "$stage/npm-main/package" && node -e '
const fs = require("fs")
const { parseTriple } = require(process.argv[1])
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"))
pkg.optionalDependencies = Object.fromEntries(
  pkg.napi.targets.map((t) => [`${pkg.name}-${parseTriple(t).platformArchABI}`, pkg.version]))
fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n")
' "$repo/bindings-node/node_modules/@napi-rs/cli" && npm pack --silent --pack-destination "$dist" >/dev/null)

cd "$dist"
sha256sum -- * >SHA256SUMS
echo "== dist/"
ls -l
