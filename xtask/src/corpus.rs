//! `cargo xtask openapi-corpus`: every OpenAPI document of `../shared/openapi-corpus/` (real
//! documents others wrote) through the OpenAPI frontend. Each either generates, and its crates
//! are then held to clippy and rustdoc with warnings denied and its conformance crate's round
//! trips, its reference server is driven through its client (every operation, every answer
//! decoded), and schemathesis runs against that server with the source document (unless
//! [`SCHEMATHESIS_FAILING`] lists it); or it is refused with located diagnostics.
//! [`EXPECTED`] says which: a document that changes side fails the command, so progress and
//! regressions both show.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// What each corpus document is expected to do: `None` generates; `Some(texts)` is refused with
/// diagnostics that include each text (the constructs not supported yet).
pub const EXPECTED: &[(&str, Option<&[&str]>)] = &[
    ("buildomat.json", None),
    ("cli-gen.json", None),
    ("keeper.json", None),
    ("link-example.yaml", None),
    ("nexus.json", None),
    ("param-collision.json", None),
    ("param-overrides.json", None),
    ("param-overrides.yaml", None),
    ("petstore-expanded.yaml", None),
    ("petstore.yaml", None),
    ("propolis-server.json", None),
    ("uspto.yaml", None),
];

/// The documents schemathesis still finds failures with, and why: skipped, with the reason in
/// the report, so that the run holds the others (a document not listed that fails fails the
/// command). Every document passes today: checks [`SCHEMATHESIS_CHECKS`], valid
/// requests only (`--mode positive`), the reference implementation, the source document.
pub const SCHEMATHESIS_FAILING: &[(&str, &str)] = &[];

/// The schemathesis checks of the corpus run.
pub const SCHEMATHESIS_CHECKS: &str =
    "not_a_server_error,response_schema_conformance,status_code_conformance,positive_data_acceptance";

/// Teaches schemathesis the widths of the integer formats it does not know (`uint64`, `uint16`,
/// ...), as it bounds `int32` and `int64`; see the file.
const SCHEMATHESIS_HOOKS: &str = include_str!("schemathesis_hooks.py");

/// Operations of a corpus document that one check cannot pass whatever the server answers,
/// because the document contradicts itself there: (document, operationId, check, why). Each is
/// held to the other checks in a pass of its own.
const SCHEMATHESIS_EXCEPTIONS: &[(&str, &str, &str, &str)] = &[(
    "propolis-server.json",
    "instance_issue_crucible_snapshot_request",
    "response_schema_conformance",
    "its answer's schema, `{\"type\": \"string\", \"enum\": [null]}` (an old Dropshot's empty \
     answer), admits no value: the `null` it means is not a string",
)];

/// Selects the operations that document no response at all (Dropshot's free-form answers:
/// `"responses": {}`, which OpenAPI does not allow): no status can conform to an empty list, so
/// those are held to the other checks; every other operation to all of them.
const NO_RESPONSES: &str = "/responses == {}";

/// Runs the corpus in `dir`; returns the report.
/// Where `output` differs from the phases run one after another with every item emitted as
/// tokens and printed by prettyplease: the items the emitters print themselves must read as
/// prettyplease prints them, on documents others wrote as on ours.
fn printed_as_prettyplease_prints(name: &str, output: &codegen::Output) -> Vec<String> {
    let whole = match codegen::phases::emit(&output.api).and_then(codegen::phases::render) {
        Ok(whole) => whole,
        Err(problems) => return vec![format!("{name}: the token path fails: {problems}")],
    };
    whole
        .iter()
        .filter(|(path, text)| output.files.get(*path) != Some(*text))
        .map(|(path, text)| {
            let printed = output.files.get(path).map_or("", String::as_str);
            let line = text
                .lines()
                .zip(printed.lines())
                .position(|(whole, printed)| whole != printed)
                .unwrap_or(0);
            format!(
                "{name}: {path} line {}: the emitters printed {:?} where prettyplease prints {:?}",
                line + 1,
                printed.lines().nth(line).unwrap_or(""),
                text.lines().nth(line).unwrap_or("")
            )
        })
        .collect()
}

pub fn openapi_corpus(root: &Path, dir: &Path) -> Result<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.retain(|name| name.ends_with(".json") || name.ends_with(".yaml"));
    names.sort();
    let mut report = String::new();
    let mut outputs = Vec::new();
    // The document each output was generated from, in the same order.
    let mut documents = Vec::new();
    let mut surprises = Vec::new();
    for name in &names {
        let bytes = fs::read(dir.join(name)).with_context(|| format!("cannot read {name}"))?;
        let stem_of = |name: &str| {
            name.rsplit_once('.')
                .map_or(name.to_owned(), |(stem, _)| stem.to_owned())
        };
        // One document in two formats (`param-overrides.json` and `.yaml`) gets two crates.
        let shared = names
            .iter()
            .filter(|other| stem_of(other) == stem_of(name))
            .count()
            > 1;
        let stem = if shared {
            name.replace('.', "-")
        } else {
            stem_of(name)
        };
        let api = format!("corpus-{}", stem.replace(['_', '.'], "-"));
        let inputs = codegen::Inputs {
            schemas: vec![(name.clone(), bytes)],
            ..Default::default()
        };
        let result = codegen::generate_with_config(&inputs, &codegen::Config::new(&api));
        let expected = EXPECTED
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, e)| *e);
        match (result, expected) {
            (Ok(output), Some(None) | None) => {
                report.push_str(&format!(
                    "{name}: generates: {} operations, {} types\n",
                    output.api.operations.len(),
                    output.api.types.len()
                ));
                surprises.extend(printed_as_prettyplease_prints(name, &output));
                if expected.is_none() {
                    surprises.push(format!("{name} generates but is not in EXPECTED"));
                }
                outputs.push((stem.replace('.', "-"), output));
                documents.push(name.clone());
            }
            (Ok(_), Some(Some(_))) => surprises.push(format!(
                "{name} now generates: mark it `None` in EXPECTED (xtask/src/corpus.rs)"
            )),
            (Err(problems), expected) => {
                let text = problems.to_string();
                report.push_str(&format!(
                    "{name}: refused with {} diagnostics\n",
                    problems.items().len()
                ));
                for line in text.lines().filter(|line| line.starts_with("error")) {
                    report.push_str(&format!("    {line}\n"));
                }
                match expected {
                    Some(Some(texts)) => {
                        for missing in texts.iter().filter(|wanted| !text.contains(**wanted)) {
                            surprises.push(format!("{name}: no diagnostic says `{missing}`"));
                        }
                    }
                    _ => surprises.push(format!("{name} is refused:\n{text}")),
                }
            }
        }
    }
    if !surprises.is_empty() {
        bail!("{report}\nunexpected:\n{}", surprises.join("\n"));
    }
    let crates = crate::check_generated(root, "openapi-corpus", &outputs)?;
    report.push_str(&format!(
        "openapi-corpus: {} of {} documents generate, every item printed as prettyplease prints it; {crates} crates clippy and rustdoc clean, conformance round trips pass\n",
        outputs.len(),
        names.len()
    ));
    report.push_str(&drive_all(root, dir, &outputs, &documents)?);
    Ok(report)
}

/// Serves each document's reference implementation and calls every operation through its
/// client; then schemathesis, with the source document, where it is expected to pass.
fn drive_all(
    root: &Path,
    dir: &Path,
    outputs: &[(String, codegen::Output)],
    documents: &[String],
) -> Result<String> {
    let scratch = root.join("target/openapi-corpus");
    let target = crate::shared_target(root);
    crate::conformance::cargo(&scratch, &target, &["build", "--quiet"])?;
    let schemathesis =
        crate::conformance::tool("SCHEMATHESIS", "schemathesis", "pip install schemathesis");
    let hooks = scratch.join("schemathesis_hooks.py");
    fs::write(&hooks, SCHEMATHESIS_HOOKS)
        .with_context(|| format!("cannot write {}", hooks.display()))?;
    let mut report = String::new();
    for ((stem, output), document) in outputs.iter().zip(documents) {
        let name = codegen::conformance_crate_name(&output.api);
        let binary = target.join("debug").join(&name);
        let (_server, url) = crate::conformance::start_server(&binary, &["serve", "127.0.0.1:0"])?;
        let driven = std::process::Command::new(&binary)
            .args(["drive", &url])
            .output()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        let said = String::from_utf8_lossy(&driven.stdout).trim().to_owned();
        if !driven.status.success() {
            bail!(
                "{stem}: the client against the reference server failed:\n{said}\n{}",
                String::from_utf8_lossy(&driven.stderr)
            );
        }
        report.push_str(&format!("{stem}: {said}\n"));
        if let Some((_, why)) = SCHEMATHESIS_FAILING
            .iter()
            .find(|(file, _)| file == document)
        {
            report.push_str(&format!(
                "{stem}: schemathesis skipped, known to fail: {why}\n"
            ));
            continue;
        }
        let schemathesis = match &schemathesis {
            Ok(path) => path,
            Err(error) => {
                report.push_str(&format!("{stem}: schemathesis skipped: {error}\n"));
                continue;
            }
        };
        let silent = output
            .api
            .operations
            .iter()
            .filter(|operation| operation.responses.is_empty())
            .count();
        let exceptions: Vec<&(&str, &str, &str, &str)> = SCHEMATHESIS_EXCEPTIONS
            .iter()
            .filter(|(file, ..)| file == document)
            .collect();
        let without = |check: &str| {
            let kept: Vec<&str> = SCHEMATHESIS_CHECKS
                .split(',')
                .filter(|kept| *kept != check)
                .collect();
            kept.join(",")
        };
        // Each pass: its selection arguments and its checks.
        let mut passes: Vec<(Vec<String>, String)> = Vec::new();
        if silent + exceptions.len() < output.api.operations.len() {
            let mut selection = vec![format!("--exclude-by={NO_RESPONSES}")];
            for (_, operation, ..) in &exceptions {
                selection.push(format!("--exclude-operation-id={operation}"));
            }
            passes.push((selection, SCHEMATHESIS_CHECKS.to_owned()));
        }
        if silent > 0 {
            passes.push((
                vec![format!("--include-by={NO_RESPONSES}")],
                without("status_code_conformance"),
            ));
        }
        for (_, operation, check, _) in &exceptions {
            passes.push((
                vec![format!("--include-operation-id={operation}")],
                without(check),
            ));
        }
        for (selection, checks) in &passes {
            let status = std::process::Command::new(schemathesis)
                .arg("run")
                .arg(dir.join(document))
                .args(["--url", &url])
                .args(["--checks", checks])
                .args(selection)
                // Valid requests: the documents list no 4xx answers for invalid ones.
                .args(["--mode", "positive"])
                .args(["--max-examples", "20", "--seed", "1", "--workers", "1"])
                .args(["--suppress-health-check", "all"])
                .env("NO_COLOR", "1")
                .env("SCHEMATHESIS_HOOKS", &hooks)
                .stdout(std::process::Stdio::null())
                .status()
                .with_context(|| format!("cannot run {}", schemathesis.display()))?;
            if !status.success() {
                bail!(
                    "{stem}: schemathesis found failures against the reference server with {document} \
                     (rerun: SCHEMATHESIS_HOOKS={} {} run {} --url <server> --mode positive --checks {checks} '{}')",
                    hooks.display(),
                    schemathesis.display(),
                    dir.join(document).display(),
                    selection.join("' '")
                );
            }
        }
        let mut notes = String::new();
        if silent > 0 {
            notes.push_str(&format!(
                "; {silent} operations that document no response: all but status_code_conformance"
            ));
        }
        for (_, operation, check, reason) in &exceptions {
            notes.push_str(&format!("; {operation}: all but {check} ({reason})"));
        }
        report.push_str(&format!(
            "{stem}: schemathesis with {document}: no failures ({SCHEMATHESIS_CHECKS}{notes})\n"
        ));
    }
    Ok(report)
}
