"""Drives the demo's MCP server (`live --mcp`) with the official MCP Python SDK.

Lists the tools, queries the world, changes a component and reads it back, reloads the ECS
module through `module_reload` and checks every entity survived, and checks a bad call is a
tool error naming the problem. Exits non-zero on the first failed check.

    python3 remote/tests/mcp/client.py target/debug/live
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

POSITION = "kinematics.Position"
MODULE = "playground-ecs-viewmodel"
# What a reload of the system module restarts, in order: it, then the plugins on it.
CHAIN = [MODULE, "playground-motion", "playground-bounce"]


def check(condition, message):
    if not condition:
        raise SystemExit(f"mcp client: FAILED: {message}")


def field(obj, snake, camel):
    """A field by its SDK 2 name, or its SDK 1 name."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def failed(result):
    return bool(field(result, "is_error", "isError"))


def payload(result):
    """The structured content of a tool result (the server puts it in text too)."""
    structured = field(result, "structured_content", "structuredContent")
    if structured is not None:
        return structured
    return json.loads(result.content[0].text)


async def main(live):
    server = StdioServerParameters(command=live, args=["--mcp"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            tools = {t.name: t for t in (await session.list_tools()).tools}
            for name in ["world_query", "module_reload", "debug_inspect", "world_mutate_components"]:
                check(name in tools, f"tool {name} listed (got {sorted(tools)})")
            check(
                field(tools["module_reload"], "input_schema", "inputSchema")["required"] == ["module"],
                "module_reload's input schema requires module",
            )

            query = {"data": {"components": [POSITION]}}
            result = await session.call_tool("world_query", query)
            check(not failed(result), f"world_query succeeds: {result}")
            rows = payload(result)["result"]
            check(len(rows) == 10000, f"10,000 entities, got {len(rows)}")
            entity = rows[0]["entity"]

            mutate = {"entity": entity, "component": POSITION, "path": "x", "value": 123.5}
            result = await session.call_tool("world_mutate_components", mutate)
            check(not failed(result), f"world_mutate_components succeeds: {result}")
            inspected = payload(await session.call_tool("debug_inspect", {"entity": entity}))
            x = inspected["result"]["components"][POSITION]["x"]
            # Frames keep moving it after the change: near, not equal.
            check(abs(x - 123.5) < 1.0, f"the change landed in the world: x = {x}")

            result = await session.call_tool("module_reload", {"module": MODULE})
            check(not failed(result), f"module_reload succeeds: {result}")
            report = payload(result)["result"]
            check(report["module"] == MODULE and report["state_bytes"] > 0, f"report {report}")
            check(report["reloaded"] == CHAIN, f"plugins reloaded after the system module: {report}")
            stats = payload(await session.call_tool("world_stats", {}))["result"]
            check(stats["entities"] == 10000, f"every entity kept across the reload: {stats}")

            bad = await session.call_tool("world_despawn_entity", {"entity": 2**40})
            check(failed(bad), "a stale entity is a tool error")
            error = payload(bad)
            check(error["code"] == -23401 and str(2**40) in error["message"], f"named: {error}")
            stats = payload(await session.call_tool("world_stats", {}))["result"]
            check(stats["entities"] == 10000, "the refused call changed nothing")
    print("mcp client: ok (tools listed, world_query, world_mutate_components, module_reload, a refused call)")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
