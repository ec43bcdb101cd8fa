//! Repository automation: `cargo xtask codegen` reads `schemas/` and writes `generated/` through
//! `codegen::write` (which calls the pure [`codegen::generate`] and touches only files that
//! carry the generator's header); the other commands check, import and measure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub mod bench;
pub mod conformance;
pub mod corpus;
pub mod sdk_check;
pub mod semver;
pub mod stamp;
pub mod upgrade_check;

/// The command that regenerates; named in every error that asks the user to run it.
pub const REGENERATE: &str = "cargo xtask codegen";

pub use codegen::write::{
    api_changes, apply, apply_interrupted, collect_files, plan, preview_changes, read_inputs,
    recover, write_all, Plan, Report, JOURNAL,
};

/// Generates from `schema_dir` and, unless `check`, writes `out_dir`: [`generate_into`] with
/// this repository's command.
///
/// [`generate_into`]: codegen::write::generate_into
pub fn codegen(schema_dir: &Path, out_dir: &Path, check: bool) -> Result<Report> {
    codegen::write::generate_into(schema_dir, out_dir, check, REGENERATE)
}

/// The repository root (the parent of this crate).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The summary the xtask prints: counts in and out, and every naming note.
pub fn summary(report: &Report, check: bool) -> String {
    let api = &report.output.api;
    let (structs, enums, unions) = api.types.values().fold(
        (0, 0, 0),
        |(structs, enums, unions), type_def| match type_def.kind {
            codegen::ir::TypeKind::Struct { .. } => (structs + 1, enums, unions),
            codegen::ir::TypeKind::Enum { .. } => (structs, enums + 1, unions),
            codegen::ir::TypeKind::Union { .. } => (structs, enums, unions + 1),
        },
    );
    let unions = match unions {
        0 => String::new(),
        count => format!(", {count} tagged unions"),
    };
    let mut res = format!(
        "codegen: {} object schemas -> {structs} structs, {} enum schemas -> {enums} enums{unions}, {} operations\n",
        api.occurrences.objects,
        api.occurrences.enums,
        api.operations.len()
    );
    if let Some(longest) = api
        .types
        .values()
        .map(|type_def| type_def.name.as_str())
        .max_by_key(|name| (name.len(), std::cmp::Reverse(*name)))
    {
        let total: usize = api.types.values().map(|type_def| type_def.name.len()).sum();
        let _ = writeln!(
            res,
            "codegen: type names average {:.1} characters, longest {} ({longest}); {} groups",
            total as f64 / api.types.len() as f64,
            longest.len(),
            api.groups.len()
        );
    }
    for note in &api.notes {
        let _ = writeln!(res, "note: {note}");
    }
    let plan = &report.plan;
    if check {
        let _ = writeln!(
            res,
            "codegen: generated/ is up to date ({} files)",
            plan.unchanged
        );
    } else {
        let _ = writeln!(
            res,
            "codegen: {} written, {} removed, {} unchanged",
            plan.missing.len() + plan.stale.len(),
            plan.orphaned.len(),
            plan.unchanged
        );
        if !report.changes.is_empty() {
            let _ = writeln!(
                res,
                "codegen: API changes since the files it replaced: {}\n{}",
                codegen::surface::headline(&report.changes),
                codegen::surface::render(&report.changes).trim_end()
            );
        }
    }
    res
}

/// Generates every fixture under `tests/fixtures/valid/` (each as API `fixture-<name>`) into a
/// scratch workspace under `target/fixture-crates/`, with its conformance crate, and runs
/// `cargo clippy --all-targets` and `cargo doc` there with warnings denied, so that code paths
/// the real API does not exercise (headers, required fields, keywords, nested arrays) are
/// compiled too, then `cargo test`: the conformance crates' round-trip tests hold every wire
/// name (keywords, digits, punctuation, non-ASCII, case-only differences) to its exact spelling.
pub fn check_fixtures(root: &Path) -> Result<()> {
    let fixtures = root.join("tests/fixtures/valid");
    let mut names: Vec<String> = fs::read_dir(&fixtures)?
        .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    let mut outputs = Vec::new();
    for name in &names {
        let inputs = read_inputs(&fixtures.join(name))?;
        let mut config = match &inputs.config {
            Some(text) => codegen::parse_config(text)
                .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?,
            None => codegen::Config::default(),
        };
        config.api = format!("fixture-{}", name.replace('_', "-"));
        let output = codegen::generate_with_config(&inputs, &config)
            .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?;
        outputs.push((name.clone(), output));
    }
    let crates = check_generated(root, "fixture-crates", &outputs)?;
    println!(
        "check-fixtures: {} fixtures, {crates} crates: clippy and rustdoc clean, every wire name round-trips",
        names.len(),
    );
    Ok(())
}

/// Writes each output with its conformance crate into `target/<scratch>/<name>/`, as one
/// workspace, and runs clippy and rustdoc with warnings denied and the conformance crates'
/// round-trip tests. Returns how many crates were checked.
pub fn check_generated(
    root: &Path,
    scratch: &str,
    outputs: &[(String, codegen::Output)],
) -> Result<usize> {
    let scratch = root.join("target").join(scratch);
    let mut members = Vec::new();
    for (name, output) in outputs {
        let mut files = output.files.clone();
        files.extend(
            codegen::conformance_crate(&output.api, "..")
                .map_err(|diagnostics| anyhow::anyhow!("{diagnostics}"))?,
        );
        let out_dir = scratch.join(name);
        apply(&out_dir, &plan(&out_dir, &files)?)?;
        for path in files.keys().filter(|path| path.ends_with("Cargo.toml")) {
            let crate_dir = path.trim_end_matches("/Cargo.toml");
            members.push(format!("{name}/{crate_dir}"));
        }
    }
    scratch_workspace(root, &scratch, &members, "")?;
    // The workspace's target directory, with the flags its own builds use: the dependencies
    // are built once for the workspace, the fixtures and the corpus (RUSTFLAGS would make cargo
    // build them all again, and a second target directory would hold a second copy). Warnings
    // are denied where they are the generated code's: clippy's own `-D warnings` applies to
    // the workspace members only, and covers their tests (`--all-targets`).
    let target = shared_target(root);
    // RUSTDOCFLAGS reaches rustdoc only: the docs and the doc tests.
    let runs: [&[&str]; 3] = [
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &["doc", "--workspace", "--no-deps", "--quiet"],
        // The conformance crates' round-trip tests: every wire name, exactly.
        &["test", "--workspace", "--quiet"],
    ];
    let cargo = cargo_program();
    for args in runs {
        let status = std::process::Command::new(&cargo)
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .status()
            .with_context(|| format!("cannot run {cargo}"))?;
        if !status.success() {
            bail!(
                "cargo {} failed on the generated crates in {}",
                args[0],
                scratch.display()
            );
        }
    }
    Ok(members.len())
}

/// The one target directory the scratch workspaces build into: the workspace's own
/// (`CARGO_TARGET_DIR` when set, as cargo reads it), so that the dependencies they share with
/// it are built once, and the disk holds one copy. What the xtask reads back from a build (a
/// binary, criterion's estimates) is read from here.
pub(crate) fn shared_target(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        // `join` keeps an absolute directory as it is; a relative one is relative to the
        // workspace, where the xtask runs cargo.
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The cargo that runs the xtask (`CARGO`), or `cargo` from the PATH.
pub fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Makes `scratch` a workspace of its own with `members` (paths relative to it), starting from
/// the repository's `Cargo.lock` so that it builds with the versions the workspace uses.
/// `more` is appended to the manifest (`[workspace.package]` for members that inherit from it).
pub(crate) fn scratch_workspace(
    root: &Path,
    scratch: &Path,
    members: &[String],
    more: &str,
) -> Result<()> {
    let members: Vec<String> = members
        .iter()
        .map(|member| format!("\"{member}\""))
        .collect();
    fs::create_dir_all(scratch)?;
    fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n{more}",
            members.join(", ")
        ),
    )?;
    let lock = root.join("Cargo.lock");
    if lock.exists() && !scratch.join("Cargo.lock").exists() {
        fs::copy(&lock, scratch.join("Cargo.lock"))?;
    }
    Ok(())
}

/// The published reference pages kept in the repository (CC BY 4.0, Qumulo; see the README
/// there), relative to the project root: what `cargo xtask import` reads by default.
pub const REFERENCE_PAGES: &str = "tests/fixtures/reference-pages";

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Endpoint pages converted.
    pub pages: usize,
    /// Landing pages (`index.md`: no endpoint, no methods), recognised and skipped.
    pub landing: usize,
    /// Endpoint files written because they were new or changed.
    pub written: usize,
    /// Endpoint files whose page is gone: removed with `prune`, otherwise only listed.
    pub orphans: Vec<String>,
    /// Problems with pages that could not be converted (the others were still imported).
    pub problems: Option<codegen::Diagnostics>,
}

/// Converts every reference page (`*.md`, one folder per category) under `pages_dir` into an
/// endpoint file at the same relative path under `schema_dir`, with `.json` for `.md`. Landing
/// pages are counted and skipped. Pages that cannot be read are reported and skipped (their
/// endpoint files are left as they are); every other page is written (to a temporary name
/// first, then renamed), and only when its contents changed.
///
/// Endpoint files in a category folder of `schema_dir` for which no page exists any more are
/// orphans: listed in the report, and removed when `prune` is set.
pub fn import(pages_dir: &Path, schema_dir: &Path, prune: bool) -> Result<ImportReport> {
    let mut pages = Vec::new();
    collect_files(pages_dir, "", ".md", &mut pages)?;
    pages.sort();
    let mut report = ImportReport::default();
    let mut problems = codegen::Diagnostics::default();
    let mut outputs = BTreeMap::new();
    // The endpoint files that pages (good or bad) stand for: never orphans.
    let mut claimed = BTreeSet::new();
    for page in &pages {
        let json_path = format!("{}.json", page.trim_end_matches(".md"));
        let text = match fs::read(pages_dir.join(page)).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(error)) => {
                let at = codegen::Location::at_byte(
                    page,
                    error.as_bytes(),
                    error.utf8_error().valid_up_to(),
                );
                problems.error(&at, "the page is not UTF-8", "save it as UTF-8");
                claimed.insert(json_path);
                continue;
            }
            Err(error) => return Err(error).with_context(|| format!("cannot read {page}")),
        };
        match codegen::import::import_page(page, &text) {
            Ok(codegen::import::Imported::Endpoint(json)) => {
                claimed.insert(json_path.clone());
                outputs.insert(json_path, json);
                report.pages += 1;
            }
            Ok(codegen::import::Imported::Landing) => report.landing += 1,
            Err(found) => {
                claimed.insert(json_path);
                problems.extend(found);
            }
        }
    }
    let changed: Vec<(&String, &String)> = outputs
        .iter()
        .filter(|(path, json)| {
            fs::read_to_string(schema_dir.join(path)).ok().as_deref() != Some(json.as_str())
        })
        .collect();
    report.written = changed.len();
    if schema_dir.is_dir() {
        let mut existing = Vec::new();
        collect_files(schema_dir, "", ".json", &mut existing)?;
        existing.sort();
        // Endpoint files live in category folders; files at the top (none today) are not the
        // import's.
        report.orphans = existing
            .into_iter()
            .filter(|path| path.contains('/') && !claimed.contains(path))
            .collect();
    }
    write_all(schema_dir, changed.into_iter())?;
    if prune {
        for orphan in &report.orphans {
            let path = schema_dir.join(orphan);
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            if let Some(folder) = path.parent() {
                // Only succeeds when the category folder is now empty.
                let _ = fs::remove_dir(folder);
            }
        }
    }
    if !problems.is_empty() {
        report.problems = Some(problems);
    }
    Ok(report)
}

/// Copies the folder `from` to `to`, leaving out any `target` folder.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
