#!/usr/bin/env bash
# The instruction-count regression gate: gungraun (Callgrind) counts the hot paths and the
# `gate` binary compares them with benches/instructions-baseline.json, failing on > 5%.
set -euo pipefail
cargo run --release -q -p playground-benches --bin gate
