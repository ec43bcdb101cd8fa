//! `cargo xtask bench`: the performance table of BENCHMARKS.md. It runs the criterion benchmark
//! of the generator's phases (`codegen/benches/phases.rs`), measures peak memory, counts types
//! and generated lines, times cold builds and checks of each generated crate in fresh target
//! directories (`--skip-cold` leaves those out), and times `cargo xtask codegen --check`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

const FACTORS: [usize; 4] = [1, 2, 4, 8];
const PHASES: [&str; 5] = ["parse", "lower", "emit", "render", "generate"];

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed");
    }
    Ok(())
}

/// The median of a criterion benchmark, in seconds.
fn criterion_median(root: &Path, factor: usize, phase: &str) -> Result<f64> {
    let path = root.join(format!(
        "target/criterion/x{factor}/{phase}/{factor}/new/estimates.json"
    ));
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    value["median"]["point_estimate"]
        .as_f64()
        .map(|nanoseconds| nanoseconds / 1e9)
        .context("no median in estimates.json")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The build time of one unit from a `cargo --timings` report.
fn unit_seconds(report_dir: &Path, unit: &str) -> Result<f64> {
    let report = fs::read_dir(report_dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| {
            path.extension()
                .is_some_and(|extension| extension == "html")
        })
        .context("no timings report")?;
    let html = fs::read_to_string(report)?;
    let start = html
        .find("const UNIT_DATA = ")
        .context("no UNIT_DATA in the timings report")?
        + "const UNIT_DATA = ".len();
    let end = start
        + html[start..]
            .find(";\n")
            .context("unterminated UNIT_DATA")?;
    let units: serde_json::Value = serde_json::from_str(&html[start..end])?;
    units
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["name"] == unit)
        .filter_map(|entry| entry["duration"].as_f64())
        .reduce(f64::max)
        .with_context(|| format!("{unit} is not in the timings report"))
}

/// Cold `cargo <verb> -p <krate>` in a fresh target directory: wall time and the crate's own time.
fn cold(root: &Path, verb: &str, krate: &str) -> Result<(f64, f64)> {
    let target: PathBuf = root.join(format!("target/bench-cold/{krate}-{verb}"));
    let _ = fs::remove_dir_all(&target);
    let started = Instant::now();
    run(Command::new(crate::cargo_program())
        .args([verb, "-p", krate, "--timings", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(root))?;
    let wall = started.elapsed().as_secs_f64();
    let own = unit_seconds(&target.join("cargo-timings"), krate)?;
    let _ = fs::remove_dir_all(&target);
    Ok((wall, own))
}

/// The instructions one `generate` of `schemas/` executes (the `peak_memory` example, built in
/// release by the step before), counted by callgrind: the same count run after run whatever
/// else the machine does, so a regression of a few percent shows where timings cannot.
fn instruction_count(root: &Path) -> String {
    let binary = root.join("target/release/examples/peak_memory");
    let out = root.join("target/callgrind.peak_memory.out");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&binary)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => return format!("Instructions: skipped (callgrind exited with {status})."),
        Err(error) => return format!("Instructions: skipped (valgrind: {error})."),
    }
    let text = fs::read_to_string(&out).unwrap_or_default();
    let total = text
        .lines()
        .find_map(|line| {
            line.strip_prefix("summary:")
                .or(line.strip_prefix("totals:"))
        })
        .and_then(|count| count.split_whitespace().next())
        .and_then(|count| count.parse::<u64>().ok());
    let _ = fs::remove_file(&out);
    match total {
        Some(total) => format!(
            "Instructions of that `generate`, callgrind (`valgrind --tool=callgrind`, all threads): {:.1} million (exact: {total}).",
            total as f64 / 1e6
        ),
        None => "Instructions: skipped (callgrind wrote no total).".to_owned(),
    }
}

/// Runs everything and returns the Markdown table.
pub fn bench(root: &Path, skip_cold: bool) -> Result<String> {
    run(Command::new(crate::cargo_program())
        .args([
            "bench", "-p", "codegen", "--bench", "phases", "--", "--noplot",
        ])
        .current_dir(root))?;
    let mut res =
        String::from("### Generation (criterion, release build, median of 10 samples)\n\n");
    res.push_str("| phase | x1 | x2 | x4 | x8 | x8 / x1 |\n|---|---|---|---|---|---|\n");
    for phase in PHASES {
        let medians: Vec<f64> = FACTORS
            .iter()
            .map(|&factor| criterion_median(root, factor, phase))
            .collect::<Result<_>>()?;
        let cells: Vec<String> = medians
            .iter()
            .map(|seconds| format!("{:.1} ms", seconds * 1e3))
            .collect();
        let _ = writeln!(
            res,
            "| {phase} | {} | {:.1} |",
            cells.join(" | "),
            medians[3] / medians[0]
        );
    }

    let output = Command::new(crate::cargo_program())
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "codegen",
            "--example",
            "peak_memory",
        ])
        .current_dir(root)
        .output()?;
    let memory = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let _ = writeln!(
        res,
        "\nOne `generate` of `schemas/` in a fresh process: `{memory}`.\n"
    );
    let _ = writeln!(res, "{}\n", instruction_count(root));

    let generated = codegen::generate(&crate::read_inputs(&root.join("schemas"))?)
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    let _ = writeln!(
        res,
        "### Output\n\n{} types, {} operations.\n",
        generated.api.types.len(),
        generated.api.operations.len()
    );
    res.push_str("| crate | generated lines | cold `cargo build` (wall) | its own build | cold `cargo check` (wall) | its own check |\n|---|---|---|---|---|---|\n");
    let mut total_lines = 0;
    for part in ["models", "client", "server"] {
        let krate = generated.api.crate_name(part);
        let lines: usize = generated
            .files
            .iter()
            .filter(|(path, _)| path.starts_with(&format!("{krate}/")))
            .map(|(_, text)| text.lines().count())
            .sum();
        total_lines += lines;
        let timings = if skip_cold {
            "| (skipped) | | (skipped) | ".to_owned()
        } else {
            let (build_wall, build_own) = cold(root, "build", &krate)?;
            let (check_wall, check_own) = cold(root, "check", &krate)?;
            format!("| {build_wall:.1} s | {build_own:.1} s | {check_wall:.1} s | {check_own:.1} s")
        };
        let _ = writeln!(res, "| {krate} | {lines} {timings} |");
    }
    let _ = writeln!(res, "| all | {total_lines} | | | | |");

    run(Command::new(crate::cargo_program())
        .args(["build", "--quiet", "-p", "xtask"])
        .current_dir(root))?;
    let xtask = root.join("target/debug/xtask");
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        run(Command::new(&xtask)
            .args(["codegen", "--check"])
            .current_dir(root)
            .stdout(std::process::Stdio::null()))?;
        times.push(started.elapsed().as_secs_f64());
    }
    let _ = writeln!(res, "\n`cargo xtask codegen --check` on an unchanged tree (the built xtask binary, median of 5): {:.2} s.", median(times));
    Ok(res)
}
