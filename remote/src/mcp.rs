//! [`McpServer`]: the endpoint's methods as MCP tools over stdio, on the official Rust SDK
//! (`rmcp`).
//!
//! Each method is a tool named after it with `_` for `.` (`world.query` -> `world_query`,
//! `module.reload` -> `module_reload`, `debug.inspect` -> `debug_inspect`), with the method's
//! params schema as its input schema. A call goes through the same [`Client`] as HTTP, so it
//! runs at the host's quiescent point like any request. A method's error is a tool error the
//! client shows (its code and message), not a protocol error.

use crate::endpoint::Client;
use crate::methods::{METHODS, Method};
use playground_kernel::sync::thread;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Value, json};

/// The tool name of `method`.
fn tool_name(method: &Method) -> String {
    method.name.replace('.', "_")
}

/// The method a tool name stands for.
fn method_of(tool: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| tool_name(m) == tool)
}

/// The tools, one per method (`rpc.discover` aside: MCP lists tools itself).
fn tools() -> Vec<Tool> {
    METHODS
        .iter()
        .filter(|m| m.name != "rpc.discover")
        .map(|m| {
            let schema = match m.params_schema() {
                Value::Object(schema) => schema,
                _ => unreachable!("every params schema is an object"),
            };
            Tool::new(tool_name(m), m.summary, schema)
        })
        .collect()
}

/// The MCP side of an endpoint.
#[derive(Clone)]
struct Tools {
    client: Client,
}

impl ServerHandler for Tools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "playground-remote",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "Inspect and change a running Playground host: query entities and components \
                 (world_query, debug_inspect), change them (world_mutate_components, ...), \
                 list systems and modules, and rebuild and hot-reload a module (module_reload).",
            )
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(method) = method_of(&request.name).filter(|m| m.name != "rpc.discover") else {
            let message = format!("unknown tool {:?}", request.name);
            return Err(ErrorData::invalid_params(message, None));
        };
        let params = request.arguments.map_or(Value::Null, Value::Object);
        let client = self.client.clone();
        // The call waits for the host's next quiescent point (or a whole rebuild): off the
        // runtime's thread.
        let answer = tokio::task::spawn_blocking(move || client.call(method.name, params))
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(match answer {
            Ok(result) => CallToolResult::structured(json!({ "result": result })),
            Err(e) => CallToolResult::structured_error(json!({
                "code": e.code(),
                "message": e.to_string(),
            })),
        }
        .into())
    }
}

/// An MCP server on this process's stdin and stdout, on a thread of its own. The host keeps
/// serving its [`crate::Endpoint`] between frames; the server ends when the client closes
/// stdin.
pub struct McpServer {
    thread: thread::JoinHandle<()>,
}

impl McpServer {
    /// Starts serving MCP on stdio, calling through `client`. Nothing else may write to
    /// stdout while it runs (the host logs to stderr).
    pub fn start_stdio(client: Client) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = thread::spawn(move || {
            runtime.block_on(async move {
                let tools = Tools { client };
                match tools.serve(rmcp::transport::stdio()).await {
                    Ok(running) => {
                        let _ = running.waiting().await;
                    }
                    Err(e) => eprintln!("mcp: the client did not initialise: {e}"),
                }
            });
        });
        Ok(Self { thread })
    }

    /// Whether the client has gone (stdin closed) and the server stopped.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }
}

#[cfg(test)]
mod tests {
    use super::{method_of, tools};
    use crate::methods::METHODS;

    #[test]
    fn every_method_but_discover_is_a_tool_with_an_object_schema() {
        let tools = tools();
        assert_eq!(tools.len(), METHODS.len() - 1);
        for tool in &tools {
            let method = method_of(&tool.name).expect("a tool maps back to its method");
            assert_eq!(tool.name, method.name.replace('.', "_"));
            assert_eq!(
                tool.input_schema.get("type").and_then(|t| t.as_str()),
                Some("object")
            );
        }
        for name in ["world_query", "module_reload", "debug_inspect"] {
            assert!(tools.iter().any(|t| t.name == name), "{name} missing");
        }
    }
}
