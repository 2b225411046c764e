//! Reading criterion's own results (`target/criterion/<group>/<function>/new/`), so the
//! report's figures are exactly criterion's.

use std::collections::HashMap;
use std::path::Path;

/// A function's median per operation (divided by its `Throughput::Elements`), in ns.
pub type Medians = HashMap<String, f64>;

fn read_one(dir: &Path) -> Option<(String, f64)> {
    let bench: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("benchmark.json")).ok()?).ok()?;
    let est: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("estimates.json")).ok()?).ok()?;
    let median = est["median"]["point_estimate"].as_f64()?;
    let per = bench["throughput"]["Elements"].as_f64().unwrap_or(1.0);
    Some((bench["full_id"].as_str()?.to_owned(), median / per))
}

fn walk(dir: &Path, out: &mut Medians) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "new") {
            out.extend(read_one(&path));
        } else if path.is_dir() {
            walk(&path, out);
        }
    }
}

/// Every median under `criterion_dir`, keyed by full id (`group/function`).
pub fn read(criterion_dir: &Path) -> Medians {
    let mut out = Medians::new();
    walk(criterion_dir, &mut out);
    out
}
