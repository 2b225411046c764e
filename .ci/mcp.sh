#!/usr/bin/env bash
# Drives the demo's MCP server (`live --mcp`) with the official MCP Python SDK: tools listed,
# world_query, a change read back, module_reload keeping every entity, a refused call.
set -euo pipefail
cargo build -p playground-demo --bin live
python3 remote/tests/mcp/client.py "${CARGO_TARGET_DIR:-target}/debug/live"
