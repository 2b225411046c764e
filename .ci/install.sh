#!/usr/bin/env bash
# Installs what the checks need on a fresh machine. Idempotent: skips what is present.
set -euo pipefail

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# valgrind for the gungraun instruction-count gate.
if ! command -v valgrind >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq valgrind
fi

# gungraun-runner must match the gungraun library version exactly.
gungraun_version=0.20.0
if ! gungraun-runner --version 2>/dev/null | grep -q "$gungraun_version"; then
  cargo install gungraun-runner --version "$gungraun_version" --locked
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# The official MCP Python SDK, the client of the MCP server's test.
if ! python3 -c "import mcp" 2>/dev/null; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-pip
  fi
  # Debian's Python refuses user installs into the system unless told (PEP 668).
  python3 -m pip install --quiet mcp 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages mcp
fi

cargo --version
rustc --version
