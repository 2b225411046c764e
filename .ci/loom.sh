#!/usr/bin/env bash
# Runs the loom models of every crate with lock-free code. A separate target dir keeps the
# `--cfg loom` build from invalidating the normal one.
set -euo pipefail
# crossbeam_loom puts crossbeam-epoch on loom too, so reclamation is model-checked.
export RUSTFLAGS="--cfg loom --cfg crossbeam_loom"
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-2}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/loom"

crates=(playground-kernel playground-pools playground-registry)
for crate in "${crates[@]}"; do
  cargo test -p "$crate" --release --lib
done
# The ECS world's concurrent paths (systems through `&World`, the alignment and query caches):
# only the models, since the crates' other unit tests run outside a loom model. Three
# preemptions: these models are small enough to afford it.
for crate in playground-ecs-view playground-ecs-viewmodel; do
  LOOM_MAX_PREEMPTIONS=3 cargo test -p "$crate" --release --lib loom_models
done
