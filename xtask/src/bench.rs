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

/// Writes what the system still holds back to disk (`sync`), untimed, before a timed run of
/// either generator: otherwise a run pays for the write-back of the run before it (the other
/// generator's megabytes, or its own output just deleted), and which one pays depends on the
/// order. The issue measures the generators on an otherwise idle machine.
fn settle() -> Result<()> {
    run(&mut Command::new("sync"))
}

/// The median of a criterion benchmark, in seconds.
fn criterion_median(root: &Path, factor: usize, phase: &str) -> Result<f64> {
    let path = crate::shared_target(root).join(format!(
        "criterion/x{factor}/{phase}/{factor}/new/estimates.json"
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
fn instruction_count(root: &Path) -> (String, Option<u64>) {
    let target = crate::shared_target(root);
    let binary = target.join("release/examples/peak_memory");
    // Beside the binary: `root/target` does not exist when CARGO_TARGET_DIR is elsewhere, and
    // callgrind fails when it cannot write its output.
    let out = target.join("callgrind.peak_memory.out");
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
        Ok(status) => {
            return (
                format!("Instructions: skipped (callgrind exited with {status})."),
                None,
            )
        }
        Err(error) => return (format!("Instructions: skipped (valgrind: {error})."), None),
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
    let text = match total {
        Some(total) => format!(
            "Instructions of that `generate`, callgrind (`valgrind --tool=callgrind`, all threads): {:.1} million (exact: {total}).",
            total as f64 / 1e6
        ),
        None => "Instructions: skipped (callgrind wrote no total).".to_owned(),
    };
    (text, total)
}

/// Runs everything and returns the Markdown table.
pub fn bench(root: &Path, skip_cold: bool) -> Result<(String, Vec<Target>)> {
    let mut targets = Vec::new();
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
    let (text, instructions) = instruction_count(root);
    let _ = writeln!(res, "{text}\n");
    targets.push(Target::new(
        "instructions of one `generate` of `schemas/` (callgrind), for regressions of a few percent",
        "counted in every run",
        instructions.map_or_else(|| text.clone(), |count| format!("{:.1} million", count as f64 / 1e6)),
        String::new(),
        Some(instructions.is_some()),
    ));

    let generated = codegen::generate(&crate::read_inputs(&root.join("schemas"))?)
        .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
    let _ = writeln!(
        res,
        "### Output\n\n{} types, {} operations.\n",
        generated.api.types.len(),
        generated.api.operations.len()
    );
    res.push_str("| crate | generated Rust lines (`.rs`) | cold `cargo build` (wall) | its own build | cold `cargo check` (wall) | its own check |\n|---|---|---|---|---|---|\n");
    let mut total_lines = 0;
    for part in ["models", "client", "server"] {
        let krate = generated.api.crate_name(part);
        let lines: usize = generated
            .files
            .iter()
            .filter(|(path, _)| path.starts_with(&format!("{krate}/")) && path.ends_with(".rs"))
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
    let xtask = crate::shared_target(root).join("debug/xtask");
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
    let (text, more) = codegen_as_users_run_it(root)?;
    res.push_str(&text);
    targets.extend(more);
    let (text, target) = models_build(root, &generated.api.crate_name("models"))?;
    res.push_str(&text);
    targets.push(target);
    if skip_cold {
        targets.push(Target::new(
            DOWNSTREAM,
            "<= 45 s",
            "skipped (`--skip-cold`)".to_owned(),
            String::new(),
            None,
        ));
    } else {
        let (text, target) = downstream_https(root)?;
        res.push_str(&text);
        targets.push(target);
    }
    Ok((res, targets))
}

/// Runs of each timing of `cargo xtask codegen`.
const CODEGEN_RUNS: usize = 5;

/// `cargo xtask codegen` as a user runs it (through cargo, the xtask built), on a copy of
/// `schemas/` and `generated/` under `target/bench-codegen/`: on an unchanged tree, and after
/// an edit of one summary (each run a real change: the summary alternates between two texts).
fn codegen_as_users_run_it(root: &Path) -> Result<(String, Vec<Target>)> {
    let scratch = root.join("target/bench-codegen");
    let _ = fs::remove_dir_all(&scratch);
    let (schemas, generated) = (scratch.join("schemas"), scratch.join("generated"));
    crate::copy_tree(&root.join("schemas"), &schemas)?;
    crate::copy_tree(&root.join("generated"), &generated)?;
    let codegen = || -> Result<f64> {
        let started = Instant::now();
        run(Command::new(crate::cargo_program())
            .args(["xtask", "codegen", "--schemas"])
            .arg(&schemas)
            .arg("--out")
            .arg(&generated)
            .current_dir(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null()))?;
        Ok(started.elapsed().as_secs_f64())
    };
    // The first run builds the xtask if needed and records the stamp.
    codegen()?;
    let unchanged = median(
        (0..CODEGEN_RUNS)
            .map(|_| codegen())
            .collect::<Result<_>>()?,
    );
    let edited = schemas.join("access-tokens/auth_access-tokens.json");
    let original =
        fs::read_to_string(&edited).with_context(|| format!("cannot read {}", edited.display()))?;
    let mut after_edit = Vec::new();
    for run in 0..CODEGEN_RUNS {
        let summary = format!(
            "\"summary\": \"List access tokens (bench edit {}).",
            run % 2
        );
        let text = original.replacen("\"summary\": \"", &summary, 1);
        if text == original {
            bail!("{} has no summary to edit", edited.display());
        }
        fs::write(&edited, text)?;
        after_edit.push(codegen()?);
    }
    let after_edit = median(after_edit);
    let text = format!(
        "\n`cargo xtask codegen` as users run it (through cargo, median of {CODEGEN_RUNS}): {unchanged:.2} s on an unchanged tree, {after_edit:.2} s after editing one summary.\n"
    );
    let targets = vec![
        Target::seconds(
            "`cargo xtask codegen`, unchanged tree",
            "<= 0.3 s",
            unchanged,
            0.3,
        ),
        Target::seconds(
            "`cargo xtask codegen`, after one schema edit",
            "<= 0.5 s",
            after_edit,
            0.5,
        ),
    ];
    Ok((text, targets))
}

/// Rounds of the models crate's own build.
const MODELS_ROUNDS: usize = 3;

/// The models crate's own build with default features, dependencies built (dev profile,
/// `CARGO_INCREMENTAL=0`): touch, then `cargo build -p <models>`.
fn models_build(root: &Path, krate: &str) -> Result<(String, Target)> {
    let build = Build {
        workspace: root.to_path_buf(),
        touched: root.join("generated").join(krate),
        package: krate.to_owned(),
    };
    build.time(root)?;
    let seconds = median(
        (0..MODELS_ROUNDS)
            .map(|_| build.time(root))
            .collect::<Result<_>>()?,
    );
    let text = format!(
        "\nThe models crate's own build (`{krate}`, default features, dependencies built, dev profile, `CARGO_INCREMENTAL=0`, median of {MODELS_ROUNDS}): {seconds:.1} s.\n"
    );
    let target = Target::seconds(
        "the models crate's own build, default features",
        "<= 6 s",
        seconds,
        6.0,
    );
    Ok((text, target))
}

const DOWNSTREAM: &str = "cold build of a downstream app calling one group over HTTPS";

/// The manifest of the downstream app: the client with one group and rustls, and tokio.
const DOWNSTREAM_MANIFEST: &str = r#"[package]
name = "downstream-https"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
qumulo-client = { path = "../../generated/qumulo-client", default-features = false, features = ["rustls", "access-tokens"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
"#;

/// The downstream app's one call.
const DOWNSTREAM_MAIN: &str = r#"#[tokio::main]
async fn main() {
    let client = qumulo_client::Client::new("https://cluster.example:8000").expect("a client");
    let tokens = client.access_tokens().list(&Default::default()).await;
    println!("{}", tokens.is_ok());
}
"#;

/// A cold `cargo build` (dev profile) of a downstream app that calls one group over HTTPS,
/// in a fresh target directory with the workspace's `Cargo.lock`.
fn downstream_https(root: &Path) -> Result<(String, Target)> {
    let scratch = root.join("target/bench-downstream");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(scratch.join("src"))?;
    fs::write(scratch.join("Cargo.toml"), DOWNSTREAM_MANIFEST)?;
    fs::write(scratch.join("src/main.rs"), DOWNSTREAM_MAIN)?;
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))?;
    let started = Instant::now();
    run(Command::new(crate::cargo_program())
        .args(["build", "--quiet"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target")))?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = fs::remove_dir_all(&scratch);
    let text = format!(
        "\nCold `cargo build` of a downstream app that calls one group over HTTPS (`qumulo-client` with `rustls` and `access-tokens`, and tokio; fresh target directory, dev profile, one run): {seconds:.1} s.\n"
    );
    let target = Target::seconds(DOWNSTREAM, "<= 45 s", seconds, 45.0);
    Ok((text, target))
}

/// Runs of each generator in the side-by-side comparison, interleaved.
const PEER_RUNS: usize = 5;

/// One target of issue 14 and what a run of the bench measured for it.
pub struct Target {
    /// What is measured.
    pub what: String,
    /// The target, as the issue sets it.
    pub goal: &'static str,
    /// This project's figure.
    pub figure: String,
    /// The peer's figure in the same run, if the target compares with one.
    pub peer: String,
    /// Whether the figure meets the goal; `None` when it was not measured (the figure says why).
    pub met: Option<bool>,
    /// Measured on a document the issue sets no target on, for comparison.
    pub comparison: bool,
}

impl Target {
    fn new(
        what: impl Into<String>,
        goal: &'static str,
        figure: String,
        peer: String,
        met: Option<bool>,
    ) -> Self {
        Target {
            what: what.into(),
            goal,
            figure,
            peer,
            met,
            comparison: false,
        }
    }

    /// The same figure, measured on a document the issue's targets are not set on.
    fn comparison(self) -> Self {
        Target {
            comparison: true,
            ..self
        }
    }

    /// [`Target::comparison`] unless `subject` is the one the issue's targets are set on.
    fn on(self, subject: &Subject) -> Self {
        if subject.issue_target {
            self
        } else {
            self.comparison()
        }
    }

    /// A time of this project's alone (no peer) that must stay within `limit` seconds.
    fn seconds(what: impl Into<String>, goal: &'static str, seconds: f64, limit: f64) -> Self {
        Target::new(
            what,
            goal,
            format!("{seconds:.2} s"),
            String::new(),
            Some(seconds <= limit),
        )
    }
}

/// The targets as one Markdown table.
pub fn targets_table(targets: &[Target]) -> String {
    let mut res = String::from(
        "### Targets (issue 14), all measured in this run\n\n| what | target | this project | peer, same run | met |\n|---|---|---|---|---|\n",
    );
    for target in targets {
        let met = match (target.met, target.comparison) {
            (Some(true), false) => "yes",
            (Some(false), false) => "**no**",
            (None, _) => "not measured",
            (Some(true), true) => "(a comparison: at the target's level)",
            (Some(false), true) => "(a comparison: below the target's level)",
        };
        let _ = writeln!(
            res,
            "| {} | {} | {} | {} | {met} |",
            target.what, target.goal, target.figure, target.peer
        );
    }
    if targets.iter().any(|target| target.comparison) {
        res.push_str("\nThe issue sets its generation and recompile targets on qumulo-pages (the Qumulo API's pages as one OpenAPI document for progenitor); the rows marked as comparisons measure the same on other documents.\n");
    }
    res
}

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

/// An OpenAPI 3.1 document as OpenAPI 3.0, for progenitor, which reads 3.0 only: a `type`
/// list with `null` becomes the type and `nullable`, an `anyOf` with a `null` alternative the
/// other alternatives (one: through `allOf`) and `nullable`, and a `default` answer becomes
/// `4XX` and `5XX` (progenitor takes `default` for a success and accepts one success type per
/// operation). The meaning for a client does not change.
pub fn openapi_30(document: &mut serde_json::Value) {
    use serde_json::Value;
    fn schemas(value: &mut Value) {
        match value {
            Value::Object(object) => {
                for inner in object.values_mut() {
                    schemas(inner);
                }
                if let Some(Value::Array(types)) = object.get("type") {
                    let others: Vec<Value> = types
                        .iter()
                        .filter(|ty| ty.as_str() != Some("null"))
                        .cloned()
                        .collect();
                    if let [only] = &others[..] {
                        let nullable = types.len() > others.len();
                        object.insert("type".to_owned(), only.clone());
                        if nullable {
                            object.insert("nullable".to_owned(), Value::Bool(true));
                        }
                    }
                }
                let null = serde_json::json!({ "type": "null" });
                if let Some(Value::Array(alternatives)) = object.get("anyOf") {
                    if alternatives.contains(&null) {
                        let others: Vec<Value> = alternatives
                            .iter()
                            .filter(|alternative| **alternative != null)
                            .cloned()
                            .collect();
                        object.remove("anyOf");
                        object.insert("nullable".to_owned(), Value::Bool(true));
                        let key = if others.len() == 1 { "allOf" } else { "anyOf" };
                        object.insert(key.to_owned(), Value::Array(others));
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(schemas),
            _ => {}
        }
    }
    schemas(document);
    document["openapi"] = Value::from("3.0.3");
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                if let Some(answer) = responses.remove("default") {
                    responses.insert("4XX".to_owned(), answer.clone());
                    responses.insert("5XX".to_owned(), answer);
                }
            }
        }
    }
}

/// What [`side_by_side`] compares: this project's input (an OpenAPI document, or a folder of
/// endpoint files) and the OpenAPI document progenitor reads for the same API.
pub struct Subject {
    /// The comparison's name: the scratch folder's suffix (`target/side-by-side-{name}/`) and
    /// progenitor's crate name (distinct, so that the crates of two comparisons sharing the
    /// target directory are not taken for each other).
    pub name: &'static str,
    /// The API's name: this project's crates' prefix.
    pub api: &'static str,
    /// What this project generates from.
    pub ours: PathBuf,
    /// What progenitor generates from (`None`: the input is not there, the comparison is skipped).
    pub peer: Option<PathBuf>,
    /// How the peer's document was made, for the table.
    pub note: &'static str,
    /// Whether the issue's targets are set on this comparison (the others are comparisons).
    pub issue_target: bool,
}

/// The Qumulo API as this project reads it (`schemas/`) and its OpenAPI export
/// (`generated/qumulo-server/openapi.json`, already deduplicated) made 3.0 by [`openapi_30`]
/// into `target/side-by-side-qumulo/qumulo.json`.
pub fn qumulo_subject(root: &Path) -> Result<Subject> {
    let export = root.join("generated/qumulo-server/openapi.json");
    let document = serde_json::from_str(
        &fs::read_to_string(&export)
            .with_context(|| format!("cannot read {}", export.display()))?,
    )?;
    qumulo_against(
        root,
        "qumulo",
        document,
        "the 253 endpoint files for this project; their OpenAPI export, made 3.0, for progenitor",
        false,
    )
}

/// The Qumulo API as the issue compared it: the endpoint files as one OpenAPI 3.0 document,
/// each schema inline where the page gives it (no deduplication: that is this project's work),
/// made by [`pages_document`] into `target/side-by-side-qumulo-pages/qumulo-pages.json`.
pub fn qumulo_pages_subject(root: &Path) -> Result<Subject> {
    qumulo_against(
        root,
        "qumulo-pages",
        pages_document(&root.join("schemas"))?,
        "the 253 endpoint files for this project; the same pages as one OpenAPI document, schemas inline as the pages give them, for progenitor (the issue's comparison)",
        true,
    )
}

/// `schemas/` against `document` made 3.0 for progenitor, written to
/// `target/side-by-side-{name}/{name}.json`.
fn qumulo_against(
    root: &Path,
    name: &'static str,
    mut document: serde_json::Value,
    note: &'static str,
    issue_target: bool,
) -> Result<Subject> {
    openapi_30(&mut document);
    let folder = root.join(format!("target/side-by-side-{name}"));
    fs::create_dir_all(&folder)?;
    let peer = folder.join(format!("{name}.json"));
    fs::write(&peer, serde_json::to_string_pretty(&document)?)?;
    Ok(Subject {
        name,
        api: "qumulo",
        ours: root.join("schemas"),
        peer: Some(peer),
        note,
        issue_target,
    })
}

/// The endpoint files of `schemas` as one OpenAPI 3.0 document, without deduplication: each
/// operation (`operationId` from its method and path) with its parameters (path parameters by
/// the template, the others in the query, strings), its request schema as a JSON body and its
/// response schema as the JSON answer of its success codes. A path described twice keeps its
/// first description (in path order), as the generator does.
pub fn pages_document(schemas: &Path) -> Result<serde_json::Value> {
    use serde_json::{json, Map, Value};
    let inputs = crate::read_inputs(schemas)?;
    let mut files = inputs.schemas;
    files.sort();
    let mut paths = Map::new();
    for (name, bytes) in files {
        let page: Value =
            serde_json::from_slice(&bytes).with_context(|| format!("{name}: not JSON"))?;
        let Some(endpoint) = page["endpoint"].as_str() else {
            continue;
        };
        let templated: Vec<&str> = endpoint
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        let item = paths
            .entry(endpoint.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(methods) = page["methods"].as_object() else {
            continue;
        };
        for (method, spec) in methods {
            if item.get(method).is_some() {
                continue;
            }
            let id: String = format!("{method}{endpoint}")
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join("_");
            let parameters: Vec<Value> = spec["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|parameter| {
                    let name = parameter["name"].as_str().unwrap_or_default();
                    let in_path = templated.contains(&name);
                    json!({
                        "name": name,
                        "in": if in_path { "path" } else { "query" },
                        "description": parameter["description"],
                        "required": in_path || parameter["required"] == true,
                        "schema": { "type": "string" },
                    })
                })
                .collect();
            let mut responses = Map::new();
            for answer in spec["responses"].as_array().into_iter().flatten() {
                let code = answer["code"].as_str().unwrap_or("200").to_owned();
                let mut response =
                    json!({ "description": answer["description"].as_str().unwrap_or_default() });
                if code.starts_with('2') && spec.get("response_schema").is_some() {
                    response["content"] =
                        json!({ "application/json": { "schema": spec["response_schema"] } });
                }
                responses.insert(code, response);
            }
            if responses.is_empty() {
                responses.insert("200".to_owned(), json!({ "description": "Success" }));
            }
            let mut operation = json!({
                "operationId": id,
                "summary": spec["summary"],
                "responses": responses,
            });
            if !parameters.is_empty() {
                operation["parameters"] = Value::Array(parameters);
            }
            if let Some(schema) = spec.get("request_schema") {
                operation["requestBody"] = json!({
                    "required": true,
                    "content": { "application/json": { "schema": schema } },
                });
            }
            item[method] = operation;
        }
    }
    Ok(json!({
        "openapi": "3.0.3",
        "info": { "title": "qumulo", "version": "0.1.0" },
        "paths": paths,
    }))
}

/// Oxide's nexus.json of the corpus, the same document for both.
pub fn nexus_subject(root: &Path) -> Subject {
    let document = root.join("../shared/openapi-corpus/nexus.json");
    Subject {
        name: "nexus",
        api: "nexus",
        ours: document.clone(),
        peer: document.exists().then_some(document),
        note: "Oxide's nexus.json (OpenAPI 3.0.3) for both",
        issue_target: false,
    }
}

/// The installed `cargo progenitor`'s version, `None` when it is not installed.
fn progenitor_version() -> Option<String> {
    // `cargo progenitor` has no `--version`: the installed version is in cargo's list.
    let installed = Command::new(crate::cargo_program())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|output| output.status.success());
    installed.then(|| {
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
    })
}

/// The side-by-side comparison with progenitor on one API: generation time end to end (each
/// generator's release binary writing a fresh output folder, runs interleaved, medians), types
/// emitted and generated lines, with the ratios; in `target/side-by-side-{name}/` (`ours/`,
/// `progenitor/`). progenitor is `cargo progenitor` (`cargo install cargo-progenitor`);
/// without it the table says so.
pub fn side_by_side(root: &Path, subject: &Subject) -> Result<(String, Vec<Target>)> {
    let (name, api) = (subject.name, subject.api);
    let mut res = format!(
        "### {name} side by side with progenitor ({})\n\n",
        subject.note
    );
    let what = format!("whole-API generation end to end, {name}");
    let Some(peer_input) = &subject.peer else {
        let _ = writeln!(res, "Skipped: {} is not there.", subject.ours.display());
        return Ok((
            res,
            vec![Target::new(
                what,
                ">= 50x progenitor",
                "skipped: no input".to_owned(),
                String::new(),
                None,
            )],
        ));
    };
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
    let ours = crate::shared_target(root).join("release/codegen");
    let progenitor = progenitor_version();
    let scratch = root.join(format!("target/side-by-side-{name}"));
    let input = if subject.ours.is_dir() {
        // A copy: the generator writes its lock into the folder it reads.
        let input = scratch.join("input");
        let _ = fs::remove_dir_all(&input);
        crate::copy_tree(&subject.ours, &input)?;
        input
    } else {
        // A lone document gets its configuration (the crates' prefix) beside it.
        let input = scratch.join("input");
        let _ = fs::remove_dir_all(&input);
        fs::create_dir_all(&input)?;
        let name = subject.ours.file_name().context("a document's name")?;
        fs::copy(&subject.ours, input.join(name))?;
        fs::write(input.join("codegen.toml"), format!("api = \"{api}\"\n"))?;
        input.join(name)
    };
    let (ours_out, peer_out) = (scratch.join("ours"), scratch.join("progenitor"));
    let (mut ours_times, mut peer_times) = (Vec::new(), Vec::new());
    for _ in 0..PEER_RUNS {
        let _ = fs::remove_dir_all(&ours_out);
        settle()?;
        let started = Instant::now();
        run(Command::new(&ours)
            .args(["generate", "--input"])
            .arg(&input)
            .arg("--out")
            .arg(&ours_out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null()))?;
        ours_times.push(started.elapsed().as_secs_f64());
        if progenitor.is_some() {
            let _ = fs::remove_dir_all(&peer_out);
            settle()?;
            let started = Instant::now();
            run(Command::new(crate::cargo_program())
                .args(["progenitor", "-i"])
                .arg(peer_input)
                .arg("-o")
                .arg(&peer_out)
                .args(["-n", name, "-v", "0.1.0"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()))?;
            peer_times.push(started.elapsed().as_secs_f64());
        }
    }
    let crates = [format!("{api}-models"), format!("{api}-client")];
    let crates: Vec<&str> = crates.iter().map(String::as_str).collect();
    let (ours_lines, ours_items) = rust_lines_and_types(&ours_out, &crates)?;
    let (server_lines, _) = rust_lines_and_types(&ours_out, &[&format!("{api}-server")])?;
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
    let figure = format!("{ours_median:.3} s");
    let target = match progenitor {
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
            let ratio = peer_median / ours_median;
            let _ = writeln!(
                res,
                "| {version} | {peer_median:.3} s | {peer_types} | {peer_items} | {peer_lines} |"
            );
            let _ = writeln!(
                res,
                "| ratio (progenitor / this project) | {ratio:.1}x | {:.2}x | {:.2}x | {:.2}x |",
                peer_types as f64 / ours_types as f64,
                peer_items as f64 / ours_items as f64,
                peer_lines as f64 / ours_lines as f64
            );
            Target::new(
                what,
                ">= 50x progenitor",
                format!("{figure} ({ratio:.1}x)"),
                format!("{version}: {peer_median:.3} s"),
                Some(ratio >= 50.0),
            )
        }
        None => {
            let _ = writeln!(
                res,
                "| progenitor | skipped: `cargo progenitor` is not installed (`cargo install cargo-progenitor`) | | | |"
            );
            Target::new(
                what,
                ">= 50x progenitor",
                figure,
                "skipped: `cargo progenitor` is not installed".to_owned(),
                None,
            )
        }
    };
    Ok((res, vec![target.on(subject)]))
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
/// scratch workspace of [`side_by_side`] on nexus (whose outputs it needs) with
/// `xtask/codec-bench/main.rs`; and the price of the models' leniency. Then the full recompile
/// of both sides' generated code in the same workspace.
pub fn codec(root: &Path) -> Result<(String, Vec<Target>)> {
    let scratch = root.join("target/side-by-side-nexus");
    let mut res =
        String::from("### Decode and encode, this project's models against progenitor's types\n\n");
    let what =
        "decode and encode throughput, nexus `Disk` and `Instance` (lowest of the four ratios)";
    if !scratch.join("progenitor/Cargo.toml").exists() {
        let why = "skipped: no progenitor output to compare with (`cargo progenitor` is not installed, or nexus.json is not there)";
        let _ = writeln!(res, "{why}.");
        return Ok((
            res,
            vec![Target::new(
                what,
                ">= 1.0x progenitor",
                why.to_owned(),
                String::new(),
                None,
            )],
        ));
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
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    res.push_str(&text);
    // The bench's own verdict line: "... met (lowest ratio 1.29x)".
    let lowest = text
        .split("(lowest ratio ")
        .nth(1)
        .and_then(|rest| rest.split('x').next())
        .and_then(|ratio| ratio.parse::<f64>().ok());
    let mut targets = vec![match lowest {
        Some(lowest) => Target::new(
            what,
            ">= 1.0x progenitor",
            format!("lowest ratio {lowest:.2}x"),
            "progenitor's derived types, same payloads".to_owned(),
            Some(lowest >= 1.0),
        ),
        None => Target::new(
            what,
            ">= 1.0x progenitor",
            "not measured on every payload".to_owned(),
            String::new(),
            None,
        ),
    }];
    let ours = Build {
        workspace: scratch.clone(),
        touched: scratch.join("ours/nexus-models"),
        package: "nexus-client".to_owned(),
    };
    let theirs = Build {
        workspace: scratch.clone(),
        touched: scratch.join("progenitor"),
        package: "nexus".to_owned(),
    };
    let (text, target) = recompile(root, "nexus", &ours, &theirs)?;
    res.push_str(&text);
    // The issue's recompile target is set on the Qumulo API; the decode target is set here.
    targets.push(target.comparison());
    Ok((res, targets))
}

/// Rounds of the recompile comparison, interleaved.
const RECOMPILE_ROUNDS: usize = 3;

/// One side of a recompile: the workspace built in, the crate whose `src/lib.rs` is touched
/// and the package built.
pub struct Build {
    workspace: PathBuf,
    touched: PathBuf,
    package: String,
}

impl Build {
    /// Touches the crate and builds the package (dev profile, `CARGO_INCREMENTAL=0`, the
    /// shared target directory): the seconds it took.
    fn time(&self, root: &Path) -> Result<f64> {
        let source = self.touched.join("src/lib.rs");
        let text = fs::read(&source)?;
        fs::write(&source, text)?;
        let started = Instant::now();
        run(Command::new(crate::cargo_program())
            .args(["build", "--quiet", "-p", &self.package])
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", crate::shared_target(root))
            .env("CARGO_INCREMENTAL", "0"))?;
        Ok(started.elapsed().as_secs_f64())
    }
}

/// The full recompile of the generated code with its dependencies built: this project's models
/// and client (touching the models rebuilds both) against progenitor's one crate, for the same
/// API, interleaved.
fn recompile(root: &Path, api: &str, ours: &Build, theirs: &Build) -> Result<(String, Target)> {
    // Dependencies first, not timed.
    ours.time(root)?;
    theirs.time(root)?;
    let (mut ours_times, mut theirs_times) = (Vec::new(), Vec::new());
    for _ in 0..RECOMPILE_ROUNDS {
        ours_times.push(ours.time(root)?);
        theirs_times.push(theirs.time(root)?);
    }
    let (ours_median, theirs_median) = (median(ours_times), median(theirs_times));
    let ratio = theirs_median / ours_median;
    let text = format!(
        "\nFull recompile, {api}, dependencies built (dev profile, `CARGO_INCREMENTAL=0`, median of {RECOMPILE_ROUNDS}, interleaved): this project's models + client {ours_median:.1} s, progenitor's crate {theirs_median:.1} s: {ratio:.1}x.\n",
    );
    let target = Target::new(
        format!("full recompile of the generated models + client, {api}"),
        "<= 1/6 of progenitor's (>= 6x)",
        format!("{ours_median:.1} s ({ratio:.1}x)"),
        format!("progenitor's crate: {theirs_median:.1} s"),
        Some(ratio >= 6.0),
    );
    Ok((text, target))
}

/// The full recompile on the Qumulo API: the workspace's models + client against progenitor's
/// crate for the subject's document, which [`side_by_side`] generated into
/// `target/side-by-side-{name}/`.
pub fn qumulo_recompile(root: &Path, subject: &Subject) -> Result<(String, Vec<Target>)> {
    let name = subject.name;
    let scratch = root.join(format!("target/side-by-side-{name}"));
    if !scratch.join("progenitor/Cargo.toml").exists() {
        let why = "skipped: no progenitor output (`cargo progenitor` is not installed)";
        return Ok((
            format!("\nFull recompile, {name}: {why}.\n"),
            vec![Target::new(
                format!("full recompile of the generated models + client, {name}"),
                "<= 1/6 of progenitor's (>= 6x)",
                why.to_owned(),
                String::new(),
                None,
            )],
        ));
    }
    crate::scratch_workspace(root, &scratch, &["progenitor".to_owned()], "")?;
    let ours = Build {
        workspace: root.to_path_buf(),
        touched: root.join("generated/qumulo-models"),
        package: "qumulo-client".to_owned(),
    };
    let theirs = Build {
        workspace: scratch.clone(),
        touched: scratch.join("progenitor"),
        package: name.to_owned(),
    };
    let (text, target) = recompile(root, name, &ours, &theirs)?;
    Ok((text, vec![target.on(subject)]))
}
