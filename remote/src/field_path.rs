//! Field paths into a component's JSON form: `x`, `.x`, `inner.y`, `list.0`.

use serde_json::Value;

/// The value at `path` inside `root`, mutably; `Err` names the first step that found nothing.
/// An empty path is the root itself.
pub(crate) fn field_mut<'v>(root: &'v mut Value, path: &str) -> Result<&'v mut Value, String> {
    let mut at = root;
    for step in path
        .trim_start_matches('.')
        .split('.')
        .filter(|s| !s.is_empty())
    {
        at = match at {
            Value::Object(fields) => fields.get_mut(step),
            Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| step.to_owned())?;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::field_mut;
    use serde_json::json;

    #[test]
    fn a_path_walks_fields_and_indices() {
        let mut v = json!({"a": {"b": [1, {"c": 2}]}});
        *field_mut(&mut v, ".a.b.1.c").unwrap() = json!(5);
        *field_mut(&mut v, "a.b.0").unwrap() = json!(7);
        assert_eq!(v, json!({"a": {"b": [7, {"c": 5}]}}));
        assert_eq!(
            field_mut(&mut v, "").unwrap(),
            &json!({"a": {"b": [7, {"c": 5}]}})
        );
    }

    #[test]
    fn a_missing_step_is_named() {
        let mut v = json!({"a": {"b": [1]}});
        assert_eq!(field_mut(&mut v, "a.z"), Err("z".to_owned()));
        assert_eq!(field_mut(&mut v, "a.b.3"), Err("3".to_owned()));
        assert_eq!(field_mut(&mut v, "a.b.0.q"), Err("q".to_owned()));
    }
}
