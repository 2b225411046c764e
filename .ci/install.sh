#!/usr/bin/env bash
# Installs what the checks need on a fresh machine. Idempotent: skips what is present.
set -euo pipefail

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

cargo --version
rustc --version
