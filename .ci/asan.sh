#!/usr/bin/env bash
# Runs the tests of every crate with `unsafe` (kernel: Once, the job batch; pools: epoch
# reclamation, unchecked component reads; registry: the table entry and Binding caches; ecs-view:
# the typed pool downcast; loader: the library load, exercised by the integration tests in tests/)
# under AddressSanitizer.
# `--target` keeps the sanitizer off build scripts and proc macros.
set -euo pipefail
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/asan"
# Loaded modules stay mapped on purpose (see loader/src/library.rs); report real leaks only.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_odr_violation=0}"
# Freed memory sits in ASan's quarantine: resident-size bounds do not apply (chain_soak.rs).
export PLAYGROUND_ASAN=1
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/.ci/lsan.supp}"
target=$(rustc -vV | sed -n 's/^host: //p')

cargo test --target "$target" --lib --tests \
  -p playground-kernel -p playground-pools -p playground-registry -p playground-ecs-view \
  -p playground-loader -p playground-tests
