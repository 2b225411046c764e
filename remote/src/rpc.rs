//! The JSON-RPC 2.0 envelope: a request's id, method and params in, a result or an error out.

use crate::error::RemoteError;
use serde_json::{Map, Value, json};

/// One parsed request.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Its id; `None` for a notification, which gets no response.
    pub id: Option<Value>,
    /// The method's name.
    pub method: String,
    /// Its params (`null` when absent).
    pub params: Value,
}

/// Parses `body` as one JSON-RPC 2.0 request. On error, also returns the request's id when
/// it could be read, so the error response can carry it.
pub fn parse(body: &[u8], limit: usize) -> Result<Call, (Value, RemoteError)> {
    if body.len() > limit {
        let got = body.len();
        return Err((Value::Null, RemoteError::BodyTooLarge { limit, got }));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|source| (Value::Null, RemoteError::Parse { source }))?;
    let Value::Object(mut request) = value else {
        let reason = if value.is_array() {
            "batches are not supported; send one request per call"
        } else {
            "a request is a JSON object"
        };
        return Err((Value::Null, RemoteError::InvalidRequest { reason }));
    };
    let id = request.remove("id");
    let echo = id.clone().unwrap_or(Value::Null);
    let invalid = |reason| (echo.clone(), RemoteError::InvalidRequest { reason });
    if let Some(id) = &id
        && !(id.is_string() || id.is_number() || id.is_null())
    {
        return Err((
            Value::Null,
            RemoteError::InvalidRequest {
                reason: "id must be a string, a number or null",
            },
        ));
    }
    if request.get("jsonrpc") != Some(&Value::from("2.0")) {
        return Err(invalid("\"jsonrpc\" must be \"2.0\""));
    }
    let method = match request.remove("method") {
        Some(Value::String(m)) => m,
        Some(_) => return Err(invalid("\"method\" must be a string")),
        None => return Err(invalid("\"method\" is missing")),
    };
    let params = match request.remove("params") {
        // `null` is read as absent, as most clients send it.
        None | Some(Value::Null) => Value::Null,
        Some(p @ (Value::Object(_) | Value::Array(_))) => p,
        Some(_) => return Err(invalid("\"params\" must be an object or an array")),
    };
    Ok(Call { id, method, params })
}

/// The response to a request with `id`.
pub fn response(id: Value, answer: Result<Value, RemoteError>) -> Value {
    match answer {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => error_response(id, &e),
    }
}

/// The error response to a request with `id`.
pub fn error_response(id: Value, error: &RemoteError) -> Value {
    let mut body = Map::new();
    body.insert("code".into(), error.code().into());
    body.insert("message".into(), error.to_string().into());
    json!({"jsonrpc": "2.0", "id": id, "error": body})
}

#[cfg(test)]
mod tests {
    use super::{Call, parse};
    use crate::error::RemoteError;
    use serde_json::{Value, json};

    fn code(body: &str) -> (Value, i64) {
        let (id, e) = parse(body.as_bytes(), 1024).unwrap_err();
        (id, e.code())
    }

    #[test]
    fn a_request_is_read() {
        let call = parse(br#"{"jsonrpc":"2.0","id":7,"method":"world.stats"}"#, 1024).unwrap();
        assert_eq!(
            call,
            Call {
                id: Some(json!(7)),
                method: "world.stats".into(),
                params: Value::Null
            }
        );
        let note = parse(br#"{"jsonrpc":"2.0","method":"m","params":[1]}"#, 1024).unwrap();
        assert_eq!(note.id, None);
        assert_eq!(note.params, json!([1]));
    }

    #[test]
    fn each_malformed_request_has_its_code_and_keeps_its_id() {
        assert_eq!(code("{"), (Value::Null, -32700));
        assert_eq!(code("[1]"), (Value::Null, -32600));
        assert_eq!(code("3"), (Value::Null, -32600));
        assert_eq!(code(r#"{"id":1,"method":"m"}"#), (json!(1), -32600));
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":"a"}"#), (json!("a"), -32600));
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":2,"method":5}"#),
            (json!(2), -32600)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":2,"method":"m","params":3}"#),
            (json!(2), -32600)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":{},"method":"m"}"#),
            (Value::Null, -32600)
        );
    }

    #[test]
    fn an_oversized_body_is_refused_before_parsing() {
        let (_, e) = parse(&[b' '; 2048], 1024).unwrap_err();
        assert!(
            matches!(
                e,
                RemoteError::BodyTooLarge {
                    limit: 1024,
                    got: 2048
                }
            ),
            "{e}"
        );
    }
}
