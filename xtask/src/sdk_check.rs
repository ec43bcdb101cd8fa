//! `cargo xtask sdk-check`: the vendor's Python SDK (`qumulo-api`, pinned) as a client of the
//! generated server. The conformance crate's reference implementation, the access-tokens
//! example's mock server and the tests crate's streaming file server are started on loopback;
//! `xtask/sdk-check/drive.py` puts TLS in front of each (the SDK speaks only HTTPS on TCP) and
//! makes the calls (see its documentation). Failures must be fixed, or listed in
//! `xtask/sdk-check/allow-list.txt` with a reason, and only for routes the published reference
//! lacks. Then `xtask/sdk-check/names.py` compares the generated method names with the SDK's
//! function names, operation by operation.
//!
//! The SDK is installed into a venv under `target/sdk-check/`, unless `SDK_PYTHON` names a
//! Python that has `qumulo-api` and `trustme` already.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::conformance::{build_conformance_crate, cargo, openapi_document, start_server};

/// The SDK release the check pins, and the certificate helper the TLS terminators use.
const PACKAGES: &[&str] = &["qumulo-api==7.10.2.1", "trustme==1.2.1"];

/// How many operations must have the name the SDK gives them (`xtask/sdk-check/names.py`
/// says how names are compared): 94 of the 273 operations the SDK calls when this was set.
/// A naming change that lowers it fails the check; one that raises it should raise this too.
const NAMES_AGREEING_AT_LEAST: usize = 94;

/// Runs the check and returns what the driver printed: the allowed failures and the summary.
pub fn sdk_check(root: &Path) -> Result<String> {
    let python = python(root)?;
    let (api, reference_binary) = build_conformance_crate(root, false)?;
    let target = root.join("target");
    cargo(
        root,
        &target,
        &[
            "build",
            "--quiet",
            "-p",
            "access-tokens-example",
            "--bin",
            "mock-server",
            "-p",
            "integration-tests",
            "--bin",
            "streaming-file-server",
        ],
    )?;
    let binary = |name: &str| {
        target
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    };
    let files_dir = target.join("sdk-check/files");
    let _ = std::fs::remove_dir_all(&files_dir);
    std::fs::create_dir_all(&files_dir)?;
    let (_reference, reference) = start_server(&reference_binary, &["serve", "127.0.0.1:0"])?;
    let (_example, example) = start_server(&binary("mock-server"), &["127.0.0.1:0"])?;
    let files_arg = files_dir.display().to_string();
    let (_files, files) = start_server(&binary("streaming-file-server"), &[&files_arg])?;
    let driver = root.join("xtask/sdk-check/drive.py");
    let allow_list = root.join("xtask/sdk-check/allow-list.txt");
    let report = target.join("sdk-check/report.tsv");
    let output = Command::new(&python)
        .arg(&driver)
        .args([
            "--reference",
            &reference,
            "--example",
            &example,
            "--files",
            &files,
        ])
        .arg("--allow-list")
        .arg(&allow_list)
        .arg("--report")
        .arg(&report)
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout
        .lines()
        .rev()
        .find(|line| line.starts_with("sdk-check: "))
        .map(str::to_owned);
    match (output.status.success(), summary) {
        // The allowed failures (with their reasons) and the summary line.
        (true, Some(_)) => Ok(format!(
            "{stdout}sdk-check: every call and its outcome: {}\n{}",
            report.display(),
            compare_names(root, &python, &openapi_document(&api))?
        )),
        (_, summary) => bail!(
            "{stdout}{stderr}{}the SDK check failed: fix each FAILED call, or list it in {} with a reason if its route is missing from the published reference",
            summary.map(|line| format!("{line}\n")).unwrap_or_default(),
            allow_list.display()
        ),
    }
}

/// Compares the generated method names with the SDK's function names (`names.py`), and fails
/// when fewer than [`NAMES_AGREEING_AT_LEAST`] agree.
fn compare_names(root: &Path, python: &Path, document: &str) -> Result<String> {
    let report = root.join("target/sdk-check/names.tsv");
    let output = Command::new(python)
        .arg(root.join("xtask/sdk-check/names.py"))
        .arg("--openapi")
        .arg(root.join("generated").join(document))
        .arg("--report")
        .arg(&report)
        .arg("--at-least")
        .arg(NAMES_AGREEING_AT_LEAST.to_string())
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "{stdout}{}the operation names moved away from the SDK's",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(stdout.into_owned())
}

/// The Python to run the driver with: `SDK_PYTHON`, or a venv under `target/sdk-check/` with the
/// pinned packages (made on first use).
fn python(root: &Path) -> Result<PathBuf> {
    if let Some(python) = std::env::var_os("SDK_PYTHON") {
        return Ok(PathBuf::from(python));
    }
    let venv = root.join("target/sdk-check/venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("installed.txt");
    let wanted = PACKAGES.join("\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .context("cannot run python3 (needed for the SDK check)")?;
    if !status.success() {
        bail!("python3 -m venv {} failed", venv.display());
    }
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES)
        .status()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !status.success() {
        bail!("pip install {} failed", PACKAGES.join(" "));
    }
    std::fs::write(&stamp, wanted)?;
    Ok(python)
}
