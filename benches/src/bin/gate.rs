//! `cargo run --release -p playground-benches --bin gate`: the instruction-count regression
//! gate. Runs the gungraun suite (`benches/benches/instructions.rs`, Callgrind), compares each
//! path's instruction count with `benches/instructions-baseline.json`, prints path, old, new
//! and change, and fails when any path grew by more than 5%.
//!
//! Moving the baseline on purpose (a change that is meant to cost instructions, or a faster
//! path to lock in): `cargo run --release -p playground-benches --bin gate -- --update`, and
//! commit the rewritten `benches/instructions-baseline.json` with the change that moved it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The allowed growth of a path's instruction count.
const LIMIT_PERCENT: f64 = 5.0;

fn baseline_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instructions-baseline.json")
}

/// Path -> instructions, from gungraun's JSON lines (one summary per benchmark).
fn parse(stdout: &str) -> BTreeMap<String, u64> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|s| {
            let path = format!(
                "{}.{}",
                s["module_path"]
                    .as_str()?
                    .trim_start_matches("instructions::"),
                s["id"].as_str()?
            );
            let ir =
                s["profiles"][0]["data"]["total"]["metrics"]["Ir"]["values"]["new"].as_u64()?;
            Some((path, ir))
        })
        .collect()
}

fn main() -> ExitCode {
    let update = std::env::args().any(|a| a == "--update");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "bench",
            "-q",
            "-p",
            "playground-benches",
            "--bench",
            "instructions",
        ])
        .args(["--", "--output-format=json"])
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "gungraun run failed:\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("could not run cargo: {e}");
            return ExitCode::FAILURE;
        }
    };
    let now = parse(&String::from_utf8_lossy(&output.stdout));
    if now.is_empty() {
        eprintln!("gungraun reported no instruction counts");
        return ExitCode::FAILURE;
    }
    if update {
        let text = serde_json::to_string_pretty(&now).expect("a map serialises") + "\n";
        std::fs::write(baseline_path(), text).expect("write the baseline");
        println!(
            "baseline updated: {} paths -> {}",
            now.len(),
            baseline_path().display()
        );
        return ExitCode::SUCCESS;
    }
    let baseline: BTreeMap<String, u64> = match std::fs::read_to_string(baseline_path())
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", baseline_path().display());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<36} {:>12} {:>12} {:>9}",
        "path", "baseline", "now", "change"
    );
    let mut failed = Vec::new();
    for (path, &old) in &baseline {
        let Some(&new) = now.get(path) else {
            println!("{path:<36} {old:>12} {:>12} {:>9}", "missing", "");
            failed.push(path.clone());
            continue;
        };
        let change = (new as f64 - old as f64) / old as f64 * 100.0;
        let verdict = if change > LIMIT_PERCENT {
            "  REGRESSED"
        } else {
            ""
        };
        println!("{path:<36} {old:>12} {new:>12} {change:>+8.1}%{verdict}");
        if change > LIMIT_PERCENT {
            failed.push(path.clone());
        }
    }
    for path in now.keys().filter(|p| !baseline.contains_key(*p)) {
        println!(
            "{path:<36} {:>12} {:>12} (new path: add it with --update)",
            "-", now[path]
        );
    }
    if failed.is_empty() {
        println!("gate passed: no path grew by more than {LIMIT_PERCENT}%");
        ExitCode::SUCCESS
    } else {
        println!(
            "gate FAILED: {} grew by more than {LIMIT_PERCENT}% (or went missing)",
            failed.join(", ")
        );
        ExitCode::FAILURE
    }
}
