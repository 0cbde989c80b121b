# Thin wrapper over cargo, maturin, npm and the C toolchain. `make test` is the one command that
# runs every test on a fresh machine: it first installs what is missing (`make tools`), and the
# per-binding scripts set up their own venv and npm packages. `.ci/run` only calls it.

CARGO ?= cargo
PYTHON ?= python3

.PHONY: test tools check-fmt lint test-rust test-rust-ring test-bench-smoke test-python test-node test-dist test-interop test-fuzz-smoke

test: tools check-fmt lint test-rust test-rust-ring test-bench-smoke check-header test-c test-python test-node test-dist test-interop test-fuzz-smoke

# What the tests need beyond cargo, python3 (with venv) and npm, installed when missing:
# pkg-config, valgrind and a C compiler (Debian packages), cbindgen (pinned), cargo-fuzz, and the
# rustfmt and clippy components.
tools:
	@command -v cargo >/dev/null || { echo "cargo (rustup) is required" >&2; exit 1; }
	@if ! command -v pkg-config >/dev/null || ! command -v valgrind >/dev/null || ! command -v cc >/dev/null; then \
	    command -v apt-get >/dev/null || { echo "install pkg-config, valgrind and a C compiler" >&2; exit 1; }; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config valgrind build-essential; \
	fi
	@command -v $(CBINDGEN) >/dev/null || $(CARGO) install cbindgen --locked --version 0.29.4
	@$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "python3 with venv is required" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "node and npm are required" >&2; exit 1; }

check-fmt:
	$(CARGO) fmt --all -- --check
	cd fuzz && $(CARGO) fmt --all -- --check

# Clippy on every crate and target, warnings are errors.
lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

test-rust:
	$(CARGO) test --workspace --locked

test-rust-ring:
	$(CARGO) test -p notaverify --locked --no-default-features --features ring

# Every criterion bench once (`--test` mode), with both crypto backends: they build and run.
test-bench-smoke:
	$(CARGO) bench -p notaverify-benches --locked -- --test
	$(CARGO) bench -p notaverify-benches --locked --no-default-features --features ring -- --test

test-python:
	bindings-python/run-tests.sh

test-node:
	bindings-node/run-tests.sh

# `make dist`, then each artifact installed from dist/ into an empty folder with no Rust toolchain
# on PATH, verifying the bundled example. After test-c, test-python and test-node in `make test`,
# whose release builds `make dist` reuses.
test-dist: dist
	PYTHON="$(PYTHON)" .ci/test-dist.sh

# notation-go cross-check: a fresh generated corpus when Go is present, else the committed one.
test-interop:
	interop/compare.sh

# Every fuzz target for a short fixed time (FUZZ_SECONDS, default 30) on stable.
test-fuzz-smoke:
	fuzz/smoke.sh

# ---- C library (ffi/): libnotaverify.so / .a, notaverify.h, notaverify.pc ----------------------
# `make install PREFIX=/opt/nv` installs include/notaverify.h, lib/libnotaverify.so.X.Y.Z (+ the
# .so.X SONAME link and the .so link), lib/libnotaverify.a and lib/pkgconfig/notaverify.pc.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
CBINDGEN ?= cbindgen
VALGRIND ?= valgrind
NOTAVERIFY_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
NOTAVERIFY_SOMAJOR := $(word 1,$(subst ., ,$(NOTAVERIFY_VERSION)))
FFI_OUT := $(or $(CARGO_TARGET_DIR),target)/release
# What the static library needs besides itself (`rustc --print native-static-libs`, Linux/glibc).
FFI_LIBS_PRIVATE ?= -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
TEST_C_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))/c-tests

.PHONY: ffi install header check-header test-c

ffi:
	$(CARGO) build -p notaverify-ffi --release --locked

install: ffi
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 ffi/include/notaverify.h $(DESTDIR)$(INCLUDEDIR)/notaverify.h
	install -m 755 $(FFI_OUT)/libnotaverify.so $(DESTDIR)$(LIBDIR)/libnotaverify.so.$(NOTAVERIFY_VERSION)
	ln -sf libnotaverify.so.$(NOTAVERIFY_VERSION) $(DESTDIR)$(LIBDIR)/libnotaverify.so.$(NOTAVERIFY_SOMAJOR)
	ln -sf libnotaverify.so.$(NOTAVERIFY_SOMAJOR) $(DESTDIR)$(LIBDIR)/libnotaverify.so
	install -m 644 $(FFI_OUT)/libnotaverify.a $(DESTDIR)$(LIBDIR)/libnotaverify.a
	sed -e 's|@PREFIX@|$(abspath $(PREFIX))|' -e 's|@LIBDIR@|$(abspath $(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(abspath $(INCLUDEDIR))|' -e 's|@VERSION@|$(NOTAVERIFY_VERSION)|' \
	    -e 's|@LIBS_PRIVATE@|$(FFI_LIBS_PRIVATE)|' ffi/notaverify.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/notaverify.pc

# Regenerates the committed header (cbindgen 0.29.4: cargo install cbindgen --locked --version 0.29.4).
header:
	cd ffi && $(CBINDGEN) --quiet --config cbindgen.toml --output include/notaverify.h

# Fails when regenerating the header would change it.
check-header:
	@command -v $(CBINDGEN) >/dev/null || { echo "cbindgen is missing: cargo install cbindgen --locked --version 0.29.4" >&2; exit 1; }
	cd ffi && $(CBINDGEN) --quiet --config cbindgen.toml --verify --output include/notaverify.h \
	  || { echo "ffi/include/notaverify.h is stale: run 'make header' and commit it" >&2; exit 1; }

# Installs into a fresh prefix under target/, then builds and runs the C tests and the example
# against the installed header and library via pkg-config, also under valgrind when present.
test-c:
	rm -rf $(TEST_C_DIR)
	$(MAKE) install PREFIX=$(TEST_C_DIR)/prefix
	CC="$(CC)" VALGRIND="$(VALGRIND)" ffi/tests/run-c-tests.sh $(TEST_C_DIR)/prefix $(abspath core/tests/fixtures) $(TEST_C_DIR)/build

# ---- Release artifacts (docs/packaging.md) -------------------------------------------------------
# dist/: the CLI and C library tarballs, the manylinux wheel, the npm package and its platform
# package for this machine, and SHA256SUMS.
.PHONY: dist

dist:
	CARGO="$(CARGO)" PYTHON="$(PYTHON)" .ci/dist.sh
