#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS (60) from its committed seed corpus; fails on
# any crash. cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 allows them on stable.
set -euo pipefail
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-60}"
cd fuzz
for target in snapshot_restore manifest_resolve world_ops remote_request; do
  # Fuzz into a scratch copy so the committed corpus stays the seeds.
  work="../target/fuzz-corpus/$target"
  mkdir -p "$work"
  cp corpus/"$target"/* "$work"/
  cargo fuzz run "$target" "$work" -- -max_total_time="$seconds" -rss_limit_mb=4096
done
