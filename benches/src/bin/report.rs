//! `cargo run --release -p playground-benches --bin report`: a short pass of every benchmark
//! suite (criterion, 0.5 s warm-up, 0.8 s measurement and 10,000 bootstrap resamples per
//! function; the README gives the time a fresh clone takes), then a table of every
//! playground path next to its best peer or baseline with its goal, and an HTML page with bar
//! charts at `target/playground-report/index.html`.
//!
//! `--no-run` skips the benchmarks and reports what criterion last recorded.

use playground_benches::report::{estimates, evaluate, html, table};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

const SUITES: &[&str] = &["kernel", "pools", "registry", "ecs", "loader"];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
        })
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{model}, {cpus} cores")
}

fn main() -> ExitCode {
    let run = !std::env::args().any(|a| a == "--no-run");
    if run {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        for (i, suite) in SUITES.iter().enumerate() {
            let start = Instant::now();
            eprint!("[{}/{}] {suite:<9} ", i + 1, SUITES.len());
            let output = Command::new(&cargo)
                .args([
                    "bench",
                    "-q",
                    "-p",
                    "playground-benches",
                    "--bench",
                    suite,
                    "--",
                ])
                .args(["--warm-up-time", "0.5", "--measurement-time", "0.8"])
                .args(["--nresamples", "10000", "--noplot"])
                .output();
            match output {
                Ok(out) if out.status.success() => {
                    eprintln!("done in {:.0} s", start.elapsed().as_secs_f64());
                }
                Ok(out) => {
                    eprintln!(
                        "failed ({})\n{}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    );
                    return ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("could not run cargo: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let target = target_dir();
    let lines = evaluate(&estimates::read(&target.join("criterion")));
    print!("{}", table(&lines));
    let dir = target.join("playground-report");
    let page = html::page(&lines, &machine());
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("index.html"), page))
    {
        Ok(()) => {
            eprintln!("report: {}", dir.join("index.html").display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("could not write the report: {e}");
            ExitCode::FAILURE
        }
    }
}
