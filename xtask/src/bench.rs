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

/// Runs of each generator in the side-by-side comparison, interleaved.
const PEER_RUNS: usize = 5;

/// `.rs` files under `dir`: their total line count and how many `pub struct` / `pub enum`
/// items they declare (the same count for both generators).
fn rust_lines_and_types(dir: &Path, crates: &[&str]) -> Result<(usize, usize)> {
    let mut files = Vec::new();
    crate::collect_files(dir, "", ".rs", &mut files)?;
    let (mut lines, mut types) = (0, 0);
    for file in files
        .iter()
        .filter(|file| crates.is_empty() || crates.iter().any(|krate| file.starts_with(krate)))
    {
        let text = fs::read_to_string(dir.join(file))?;
        lines += text.lines().count();
        types += text
            .lines()
            .map(str::trim_start)
            .filter(|line| line.starts_with("pub struct ") || line.starts_with("pub enum "))
            .count();
    }
    Ok((lines, types))
}

/// The side-by-side comparison with progenitor on an OpenAPI document (`nexus.json` of the
/// corpus): generation time end to end (each generator's release binary writing a fresh output
/// folder, runs interleaved, medians), types emitted and generated lines, with the ratios.
/// progenitor is `cargo progenitor` (`cargo install cargo-progenitor`); without it the table
/// says so.
pub fn side_by_side(root: &Path, document: &Path) -> Result<String> {
    let name = document
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut res = format!("### {name} side by side with progenitor\n\n");
    if !document.exists() {
        let _ = writeln!(res, "Skipped: {} is not there.", document.display());
        return Ok(res);
    }
    run(Command::new(crate::cargo_program())
        .args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "codegen",
            "--features",
            "cli",
        ])
        .current_dir(root))?;
    let ours = root.join("target/release/codegen");
    // `cargo progenitor` has no `--version`: the installed version is in cargo's list.
    let installed = Command::new(crate::cargo_program())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|output| output.status.success());
    let progenitor_version = installed.then(|| {
        Command::new(crate::cargo_program())
            .args(["install", "--list"])
            .output()
            .ok()
            .and_then(|output| {
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .find(|line| line.starts_with("cargo-progenitor "))
                    .map(|line| line.trim_end_matches(':').to_owned())
            })
            .unwrap_or_else(|| "cargo-progenitor".to_owned())
    });
    let scratch = root.join("target/side-by-side");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(scratch.join("input"))?;
    let input = scratch.join("input").join(&name);
    fs::copy(document, &input)?;
    fs::write(scratch.join("input/codegen.toml"), "api = \"nexus\"\n")?;
    let (ours_out, peer_out) = (scratch.join("ours"), scratch.join("progenitor"));
    let (mut ours_times, mut peer_times) = (Vec::new(), Vec::new());
    for _ in 0..PEER_RUNS {
        let _ = fs::remove_dir_all(&ours_out);
        let started = Instant::now();
        run(Command::new(&ours)
            .args(["generate", "--input"])
            .arg(&input)
            .arg("--out")
            .arg(&ours_out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null()))?;
        ours_times.push(started.elapsed().as_secs_f64());
        if progenitor_version.is_some() {
            let _ = fs::remove_dir_all(&peer_out);
            let started = Instant::now();
            run(Command::new(crate::cargo_program())
                .args(["progenitor", "-i"])
                .arg(document)
                .arg("-o")
                .arg(&peer_out)
                .args(["-n", "nexus", "-v", "0.1.0"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()))?;
            peer_times.push(started.elapsed().as_secs_f64());
        }
    }
    let (ours_lines, ours_items) =
        rust_lines_and_types(&ours_out, &["nexus-models", "nexus-client"])?;
    let (server_lines, _) = rust_lines_and_types(&ours_out, &["nexus-server"])?;
    // The schema types: the model's (deduplicated) types, and progenitor's `types` module.
    let ours_types = codegen::generate(&crate::read_inputs(&input)?)
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?
        .api
        .types
        .len();
    let ours_median = median(ours_times);
    let _ = writeln!(
        res,
        "| | generation, end to end (median of {PEER_RUNS}) | schema types | all `pub struct` + `pub enum` | generated Rust lines |\n|---|---|---|---|---|"
    );
    let _ = writeln!(
        res,
        "| this project (models + client) | {ours_median:.3} s | {ours_types} | {ours_items} | {ours_lines} (server: {server_lines} more) |"
    );
    match progenitor_version {
        Some(version) => {
            let (peer_lines, peer_items) = rust_lines_and_types(&peer_out, &[])?;
            let text = fs::read_to_string(peer_out.join("src/lib.rs")).unwrap_or_default();
            let peer_types = text
                .lines()
                .filter(|line| {
                    line.starts_with("    pub struct ") || line.starts_with("    pub enum ")
                })
                .count();
            let peer_median = median(peer_times);
            let _ = writeln!(
                res,
                "| {version} | {peer_median:.3} s | {peer_types} | {peer_items} | {peer_lines} |"
            );
            let _ = writeln!(
                res,
                "| ratio (progenitor / this project) | {:.1}x | {:.2}x | {:.2}x | {:.2}x |",
                peer_median / ours_median,
                peer_types as f64 / ours_types as f64,
                peer_items as f64 / ours_items as f64,
                peer_lines as f64 / ours_lines as f64
            );
        }
        None => {
            let _ = writeln!(
                res,
                "| progenitor | skipped: `cargo progenitor` is not installed (`cargo install cargo-progenitor`) | | | |"
            );
        }
    }
    Ok(res)
}

/// The manifest of the decode and encode bench (`xtask/codec-bench/main.rs`).
const CODEC_MANIFEST: &str = r#"[package]
name = "codec-bench"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
nexus-models = { path = "../ours/nexus-models" }
nexus-conformance = { path = "../conformance/nexus-conformance" }
nexus = { path = "../progenitor" }
serde = "1"
serde_json = "1"
"#;

/// Decode and encode throughput against progenitor's types on the same payloads: 10,000 nexus
/// `Disk` and `Instance` records (the conformance crate's examples, each with its own id and
/// name), through this project's models and progenitor's `types`, both built in release in the
/// scratch workspace of [`side_by_side`] (whose outputs it needs) with
/// `xtask/codec-bench/main.rs`; and the price of the models' leniency (integers as strings).
pub fn codec(root: &Path) -> Result<String> {
    let scratch = root.join("target/side-by-side");
    let mut res =
        String::from("### Decode and encode, this project's models against progenitor's types\n\n");
    if !scratch.join("progenitor/Cargo.toml").exists() {
        res.push_str("Skipped: no progenitor output to compare with (`cargo progenitor` is not installed, or nexus.json is not there).\n");
        return Ok(res);
    }
    // The conformance crate (for its examples) beside `ours`, which the codegen command owns.
    let conformance = scratch.join("conformance");
    let output = codegen::generate(&crate::read_inputs(&scratch.join("input"))?)
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    let files = codegen::conformance_crate(&output.api, "../../ours")
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    crate::apply(&conformance, &crate::plan(&conformance, &files)?)?;
    fs::create_dir_all(scratch.join("codec/src"))?;
    fs::write(scratch.join("codec/Cargo.toml"), CODEC_MANIFEST)?;
    fs::write(
        scratch.join("codec/src/main.rs"),
        include_str!("../codec-bench/main.rs"),
    )?;
    let members: Vec<String> = ["models", "client", "server"]
        .iter()
        .map(|part| format!("ours/nexus-{part}"))
        .chain(["conformance/nexus-conformance", "progenitor", "codec"].map(str::to_owned))
        .collect();
    crate::scratch_workspace(root, &scratch, &members, "")?;
    let output = Command::new(crate::cargo_program())
        .args(["run", "--release", "--quiet", "-p", "codec-bench"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", crate::shared_target(root))
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "the decode and encode bench failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    res.push_str(&String::from_utf8_lossy(&output.stdout));
    res.push_str(&recompile(root, &scratch)?);
    Ok(res)
}

/// Rounds of the recompile comparison, interleaved.
const RECOMPILE_ROUNDS: usize = 3;

/// The full recompile of the generated code with its dependencies built, in the side-by-side
/// workspace (dev profile, `CARGO_INCREMENTAL=0`): this project's models and client (touching
/// the models rebuilds both) against progenitor's one crate, for the same document.
fn recompile(root: &Path, scratch: &Path) -> Result<String> {
    let build = |krate: &str, touched: &Path| -> Result<f64> {
        let source = touched.join("src/lib.rs");
        let text = fs::read(&source)?;
        fs::write(&source, text)?;
        let started = Instant::now();
        run(Command::new(crate::cargo_program())
            .args(["build", "--quiet", "-p", krate])
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", crate::shared_target(root))
            .env("CARGO_INCREMENTAL", "0"))?;
        Ok(started.elapsed().as_secs_f64())
    };
    let (models, peer) = (
        scratch.join("ours/nexus-models"),
        scratch.join("progenitor"),
    );
    // Dependencies first, not timed.
    build("nexus-client", &models)?;
    build("nexus", &peer)?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RECOMPILE_ROUNDS {
        ours.push(build("nexus-client", &models)?);
        theirs.push(build("nexus", &peer)?);
    }
    let (ours, theirs) = (median(ours), median(theirs));
    let ratio = theirs / ours;
    Ok(format!(
        "\nFull recompile, dependencies built (dev profile, `CARGO_INCREMENTAL=0`, median of {RECOMPILE_ROUNDS}, interleaved): this project's nexus models + client {ours:.1} s, progenitor's nexus crate {theirs:.1} s: {ratio:.1}x. Target (issue 14): at most a sixth of progenitor's (6x): {}.\n",
        if ratio >= 6.0 { "met" } else { "not met" }
    ))
}
