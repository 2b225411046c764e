//! `cargo run --release -p playground-benches --bin report`: short passes of every benchmark
//! suite (criterion, 0.3 s warm-up, 0.5 s measurement, 30 samples and 10,000 bootstrap
//! resamples per function) in three rounds; then a table of every playground path next to
//! its best peer or baseline with its goal, each function's median taken over the rounds
//! (see `playground_benches::report::rounds` for why), and an HTML page with bar charts at
//! `target/playground-report/index.html`, with each round's medians beside it in
//! `rounds.json`. The README gives the time the report takes.
//!
//! `--rounds N` runs N rounds (1 for the quickest pass); `--no-run` skips the benchmarks and
//! reports what criterion last recorded (one round).

use playground_benches::report::estimates::Medians;
use playground_benches::report::{estimates, evaluate_rounds, html, table};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
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

/// Rounds a report runs unless `--rounds` says otherwise: the fewest whose median drops one
/// slow window.
const DEFAULT_ROUNDS: usize = 3;

/// What the command line asked for.
struct Args {
    /// Run the suites (`false`: `--no-run`).
    run: bool,
    /// Rounds of every suite.
    rounds: usize,
}

/// Parses the command line; `None` (after printing the usage) if it does not parse.
fn args() -> Option<Args> {
    let mut args = Args {
        run: true,
        rounds: DEFAULT_ROUNDS,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-run" => args.run = false,
            "--rounds" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => args.rounds = n,
                _ => {
                    eprintln!("--rounds takes a number of rounds, at least 1");
                    return None;
                }
            },
            other => {
                eprintln!("unknown argument {other}; usage: report [--rounds N] [--no-run]");
                return None;
            }
        }
    }
    Some(args)
}

/// Builds every suite's benchmark binary in one cargo run; each suite's executable, in
/// [`SUITES`] order, or `None` (after printing why).
///
/// The rounds then run these binaries directly, not through `cargo bench`, so nothing a
/// suite does to the target directory can send a later round into a rebuild (the loader
/// suite once built its modules in the shared directory, and every round rebuilt `ecs`,
/// about two minutes on 2 cores; it has a directory of its own now).
fn build_suites(cargo: &str) -> Option<Vec<PathBuf>> {
    let mut cmd = Command::new(cargo);
    cmd.args(["bench", "-q", "-p", "playground-benches", "--no-run"])
        .args(["--message-format", "json-render-diagnostics"]);
    for suite in SUITES {
        cmd.args(["--bench", suite]);
    }
    let output = succeeded(&mut cmd, "building the suites")?;
    let messages: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    SUITES
        .iter()
        .map(|suite| {
            let found = messages.iter().rev().find_map(|m| {
                let bench = m["reason"] == "compiler-artifact"
                    && m["target"]["name"] == *suite
                    && m["target"]["kind"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k == "bench"));
                bench.then(|| m["executable"].as_str().map(PathBuf::from))?
            });
            if found.is_none() {
                eprintln!("cargo reported no executable for the {suite} suite");
            }
            found
        })
        .collect()
}

/// Runs one suite's short criterion pass; `false` (after printing why) if it failed.
fn run_suite(binary: &Path, criterion: &Path) -> bool {
    // Where and how `cargo bench` would run it: from the package, results under `criterion`.
    let mut cmd = Command::new(binary);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CRITERION_HOME", criterion)
        .arg("--bench")
        // 30 samples, not criterion's 100: its linear sampling runs at least
        // n(n+1)/2 iterations, which for a 3 ms function (`ecs/heavy_compute`) is 15 s at 100
        // samples, 1.4 s at 30. The rounds, not the samples, are what steady the medians here.
        .args(["--warm-up-time", "0.3", "--measurement-time", "0.5"])
        .args(["--sample-size", "30"])
        .args(["--nresamples", "10000", "--noplot"]);
    succeeded(&mut cmd, "the suite").is_some()
}

/// Runs `cmd` to completion: its output if it exited successfully, else `None` after
/// printing what failed (`what`) and the command's errors.
fn succeeded(cmd: &mut Command, what: &str) -> Option<Output> {
    match cmd.output() {
        Ok(out) if out.status.success() => Some(out),
        Ok(out) => {
            eprintln!(
                "{what} failed ({})\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            None
        }
        Err(e) => {
            eprintln!("could not run {:?}: {e}", cmd.get_program());
            None
        }
    }
}

fn main() -> ExitCode {
    let Some(args) = args() else {
        return ExitCode::FAILURE;
    };
    let target = target_dir();
    let criterion = target.join("criterion");
    let mut rounds: Vec<Medians> = Vec::new();
    if args.run {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let began = Instant::now();
        eprint!("building the {} suites ", SUITES.len());
        let Some(binaries) = build_suites(&cargo) else {
            return ExitCode::FAILURE;
        };
        eprintln!("done in {:.0} s", began.elapsed().as_secs_f64());
        for round in 1..=args.rounds {
            for (i, (suite, binary)) in SUITES.iter().zip(&binaries).enumerate() {
                let start = Instant::now();
                eprint!(
                    "[round {round}/{}] [{}/{}] {suite:<9} ",
                    args.rounds,
                    i + 1,
                    SUITES.len()
                );
                if !run_suite(binary, &criterion) {
                    return ExitCode::FAILURE;
                }
                eprintln!("done in {:.0} s", start.elapsed().as_secs_f64());
            }
            // Every suite just ran, so every result criterion holds is this round's.
            rounds.push(estimates::read(&criterion));
        }
        eprintln!(
            "built and ran {} round(s) in {:.0} s",
            args.rounds,
            began.elapsed().as_secs_f64()
        );
    } else {
        rounds.push(estimates::read(&criterion));
    }
    let lines = evaluate_rounds(&rounds);
    print!("{}", table(&lines));
    let dir = target.join("playground-report");
    let page = html::page(&lines, &machine(), rounds.len());
    let per_round = serde_json::to_string_pretty(&rounds).expect("medians serialise");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("index.html"), page))
        .and_then(|()| std::fs::write(dir.join("rounds.json"), per_round));
    match written {
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
