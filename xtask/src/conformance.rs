//! `cargo xtask conformance`: the generated crates checked by tools we did not write.
//!
//! 1. The conformance crate (`codegen::conformance_crate`) is written to `target/conformance/`,
//!    built, and its round-trip tests run (every wire name of every type).
//! 2. Its reference implementation is served on loopback and schemathesis runs against the
//!    OpenAPI document the server exports, over every operation, with the checks in [`CHECKS`].
//! 3. Prism mocks the server crate's `openapi.json` and the driver calls every operation through the
//!    generated client: every answer must decode. Prism runs twice: with static answers (built
//!    from the schemas) and with dynamic ones (random values that fit the schemas).
//!
//! The tools are found through the `SCHEMATHESIS` and `PRISM` environment variables, or on the
//! `PATH`; `.ci/run` installs both.

use std::io::{BufRead as _, BufReader, Read as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

/// The schemathesis checks every response is held to.
pub const CHECKS: &[&str] = &[
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
    "unsupported_method",
    "positive_data_acceptance",
    "negative_data_rejection",
];

/// Test cases per operation in schemathesis' fuzzing phase.
const MAX_EXAMPLES: &str = "20";

/// The whole schemathesis run is stopped, and fails, after this long. (Its own `--max-time`
/// is a budget to spend, not a limit: fuzzing repeats until it is used up.)
const SCHEMATHESIS_LIMIT: Duration = Duration::from_secs(1200);

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Test cases per operation (schemathesis `--max-examples`).
    pub max_examples: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_examples: MAX_EXAMPLES.to_owned(),
        }
    }
}

/// A child process that is killed when dropped, so that no server outlives a failed run.
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the whole check (see the module documentation) and returns the summary lines; fails on
/// the first step that finds a failure, saying where its report or log is.
pub fn conformance(root: &Path, options: &Options) -> Result<String> {
    let (api, binary) = build_conformance_crate(root, true)?;
    let api = &api;
    let scratch = root.join("target/conformance");
    let generated = root.join("generated");

    let mut summary = String::new();
    summary.push_str(&run_schemathesis(
        &binary,
        &scratch,
        options,
        api.operations.len(),
    )?);
    let document = generated.join(openapi_document(api));
    for mode in [PrismMode::Static, PrismMode::Dynamic] {
        summary.push_str(&run_prism(&binary, &document, &scratch, mode)?);
    }
    Ok(summary)
}

/// The OpenAPI document's path relative to `generated/`: it lives in the server crate.
pub(crate) fn openapi_document(api: &codegen::ir::Api) -> String {
    format!("{}/openapi.json", api.crate_name("server"))
}

/// Writes the conformance crate of the committed model to `target/conformance/`, builds it (and
/// runs its round-trip tests when `test`), and returns the model and the crate's binary.
pub(crate) fn build_conformance_crate(
    root: &Path,
    test: bool,
) -> Result<(codegen::ir::Api, PathBuf)> {
    let report = crate::codegen(&root.join("schemas"), &root.join("generated"), true)
        .context("the conformance run tests generated/, which must be current")?;
    let api = report.output.api;
    let scratch = root.join("target/conformance");
    let generated = root.join("generated");
    let files = codegen::conformance_crate(&api, &generated.display().to_string())
        .map_err(|diagnostics| anyhow!("{diagnostics}"))?;
    crate::apply(&scratch, &crate::plan(&scratch, &files)?)?;
    let name = codegen::conformance_crate_name(&api);
    crate::scratch_workspace(root, &scratch, std::slice::from_ref(&name), "")?;
    // The workspace's target directory: the dependencies are mostly built already.
    let target = crate::shared_target(root);
    cargo(&scratch, &target, &["build", "--quiet"])?;
    if test {
        cargo(&scratch, &target, &["test", "--quiet"])?;
    }
    let binary = target
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    Ok((api, binary))
}

/// Runs cargo in `dir`. Warnings are `cargo xtask check-fixtures`' business (it holds the
/// fixtures' conformance crates, emitted by the same code, to clippy); here the flags stay as
/// they are, so that the workspace's builds of the dependencies are reused.
pub(crate) fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<()> {
    let cargo = crate::cargo_program();
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .with_context(|| format!("cannot run {cargo}"))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

/// The tool named by `variable`, or `program` on the PATH.
pub(crate) fn tool(variable: &str, program: &str, install: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Ok(PathBuf::from(path));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    });
    found.ok_or_else(|| {
        anyhow!("{program} not found: set {variable} to its path or put it on the PATH ({install})")
    })
}

/// Starts the reference server on a free loopback port and returns it with its base URL.
fn start_reference(binary: &Path) -> Result<(Guard, String)> {
    start_server(binary, &["serve", "127.0.0.1:0"])
}

/// Starts a server that names its base URL (`http://...`) on the first line it prints, and
/// returns it with that URL.
pub(crate) fn start_server(binary: &Path, args: &[&str]) -> Result<(Guard, String)> {
    let mut child = Command::new(binary)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let guard = Guard(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .with_context(|| format!("{} said {line:?}", binary.display()))?
        .to_owned();
    Ok((guard, url))
}

fn run_schemathesis(
    binary: &Path,
    scratch: &Path,
    options: &Options,
    operations: usize,
) -> Result<String> {
    let schemathesis = tool("SCHEMATHESIS", "schemathesis", "pip install schemathesis")?;
    let (_server, url) = start_reference(binary)?;
    let report_dir = scratch.join("schemathesis");
    let _ = std::fs::remove_dir_all(&report_dir);
    let report_path = report_dir.join("ndjson.jsonl");
    let started = Instant::now();
    let mut command = Command::new(&schemathesis);
    command
        .arg("run")
        .arg(format!("{url}/openapi.json"))
        .args(["--checks", &CHECKS.join(",")])
        .args(["--max-examples", &options.max_examples])
        .args(["--seed", "1"])
        // One worker: with the seed, two runs make nearly the same requests (two workers
        // interleave differently every time), so a failure is likely to come back when rerun.
        .args(["--workers", "1"])
        .args(["--request-timeout", "10"])
        .args(["--header", "Authorization: Bearer conformance"])
        .args(["--report", "ndjson"])
        .arg("--report-ndjson-path")
        .arg(&report_path)
        .args(["--suppress-health-check", "all"])
        .env("NO_COLOR", "1");
    let status = run_with_limit(command, SCHEMATHESIS_LIMIT)
        .with_context(|| format!("cannot run {}", schemathesis.display()))?;
    let counts = count_schemathesis(&report_path).unwrap_or_default();
    let line = format!(
        "conformance: schemathesis: {operations} operations, {} operations tested, {} requests, {} failures ({:.0} s; checks: {})\n",
        counts.operations,
        counts.requests,
        counts.failures,
        started.elapsed().as_secs_f64(),
        CHECKS.join(", ")
    );
    if !status.success() {
        bail!(
            "{line}schemathesis found failures (report: {})",
            report_path.display()
        );
    }
    Ok(line)
}

#[derive(Debug, Default)]
struct SchemathesisCounts {
    operations: usize,
    requests: usize,
    failures: usize,
}

/// Counts from schemathesis' NDJSON event stream: one `ScenarioFinished` event per tested
/// operation and phase, whose recorder holds every request made and every check result.
fn count_schemathesis(path: &Path) -> Result<SchemathesisCounts> {
    let mut text = String::new();
    std::fs::File::open(path)?.read_to_string(&mut text)?;
    let mut counts = SchemathesisCounts::default();
    let mut tested = std::collections::BTreeSet::new();
    for line in text.lines() {
        let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(finished) = event.get("ScenarioFinished") else {
            continue;
        };
        // Operations are labelled `METHOD /path`; the stateful phase's scenarios are not.
        if let Some(label) = finished
            .pointer("/recorder/label")
            .and_then(|v| v.as_str())
            .filter(|label| label.contains(" /"))
        {
            tested.insert(label.to_owned());
        }
        if let Some(interactions) = finished
            .pointer("/recorder/interactions")
            .and_then(|v| v.as_object())
        {
            counts.requests += interactions.len();
        }
        if let Some(checks) = finished
            .pointer("/recorder/checks")
            .and_then(|v| v.as_object())
        {
            for results in checks.values() {
                counts.failures += results
                    .as_array()
                    .into_iter()
                    .flatten()
                    // schemathesis 4 writes `failure`; earlier versions wrote `FAILURE`.
                    .filter(|check| {
                        check
                            .get("status")
                            .and_then(|s| s.as_str())
                            .is_some_and(|status| status.eq_ignore_ascii_case("failure"))
                    })
                    .count();
            }
        }
    }
    counts.operations = tested.len();
    Ok(counts)
}

#[derive(Debug, Clone, Copy)]
enum PrismMode {
    Static,
    Dynamic,
}

fn run_prism(binary: &Path, document: &Path, scratch: &Path, mode: PrismMode) -> Result<String> {
    let prism = tool("PRISM", "prism", "npm install @stoplight/prism-cli")?;
    let port = free_port()?;
    let mode_name = match mode {
        PrismMode::Static => "static",
        PrismMode::Dynamic => "dynamic",
    };
    // Prism logs every request and its validation; kept for when a call fails.
    let log_path = scratch.join(format!("prism-{mode_name}.log"));
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("cannot write {}", log_path.display()))?;
    let mut command = Command::new(&prism);
    command
        .arg("mock")
        .arg(document)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        // A request that breaks the document is answered 422, which fails the call.
        .args(["--errors", "true"])
        .stdout(log.try_clone()?)
        .stderr(log);
    if matches!(mode, PrismMode::Dynamic) {
        command.arg("--dynamic");
    }
    let _prism = Guard(
        command
            .spawn()
            .with_context(|| format!("cannot start {}", prism.display()))?,
    );
    wait_for_port(port, Duration::from_secs(120)).with_context(|| {
        format!(
            "Prism did not start listening on port {port} (its output: {})",
            log_path.display()
        )
    })?;
    let output = Command::new(binary)
        .args(["drive", &format!("http://127.0.0.1:{port}")])
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let counts = stdout
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("drive: "))
        .unwrap_or("no counts");
    let line = format!("conformance: prism ({mode_name} answers) through the client: {counts}\n");
    if !output.status.success() {
        bail!(
            "{stdout}{}{line}the client could not use Prism's answers (Prism's log: {})",
            String::from_utf8_lossy(&output.stderr),
            log_path.display()
        );
    }
    Ok(line)
}

/// Runs `command` to the end, or kills it after `limit`.
fn run_with_limit(mut command: Command, limit: Duration) -> Result<std::process::ExitStatus> {
    let mut child = Guard(command.spawn()?);
    let started = Instant::now();
    loop {
        if let Some(status) = child.0.try_wait()? {
            return Ok(status);
        }
        if started.elapsed() > limit {
            bail!("stopped after {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while started.elapsed() < limit {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!("timed out after {} s", limit.as_secs())
}
