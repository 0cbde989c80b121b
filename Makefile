# Thin wrapper over cargo, maturin, npm and the C toolchain. `make test` is the one command that
# runs every test; `.ci/run` installs the tools and calls it.

CARGO ?= cargo
PYTHON ?= python3

.PHONY: test test-rust test-rust-ring

test: test-rust test-rust-ring

test-rust:
	$(CARGO) test --workspace --locked

test-rust-ring:
	$(CARGO) test -p notaverify --locked --no-default-features --features ring
