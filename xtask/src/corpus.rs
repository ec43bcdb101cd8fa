//! `cargo xtask openapi-corpus`: every OpenAPI document of `../shared/openapi-corpus/` (real
//! documents others wrote) through the OpenAPI frontend. Each either generates, and its crates
//! are then held to clippy and rustdoc with warnings denied and its conformance crate's round
//! trips, or is refused with located diagnostics. [`EXPECTED`] says which: a document that
//! changes side fails the command, so progress and regressions both show.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// What each corpus document is expected to do: `None` generates; `Some(texts)` is refused with
/// diagnostics that include each text (the constructs not supported yet).
pub const EXPECTED: &[(&str, Option<&[&str]>)] = &[
    (
        "buildomat.json",
        Some(&[
            "`oneOf` of several schemas that no property tells apart is not supported yet",
            "request bodies of type `text/plain` are not supported yet",
        ]),
    ),
    ("cli-gen.json", None),
    ("keeper.json", None),
    ("link-example.yaml", None),
    ("nexus.json", None),
    ("param-collision.json", None),
    ("param-overrides.json", None),
    ("param-overrides.yaml", None),
    (
        "petstore-expanded.yaml",
        Some(&["parameter `tags`: this query parameter type is not supported yet"]),
    ),
    ("petstore.yaml", None),
    ("propolis-server.json", None),
    ("uspto.yaml", None),
];

/// Runs the corpus in `dir`; returns the report.
pub fn openapi_corpus(root: &Path, dir: &Path) -> Result<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.retain(|name| name.ends_with(".json") || name.ends_with(".yaml"));
    names.sort();
    let mut report = String::new();
    let mut outputs = Vec::new();
    let mut surprises = Vec::new();
    for name in &names {
        let bytes = fs::read(dir.join(name)).with_context(|| format!("cannot read {name}"))?;
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
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
                if expected.is_none() {
                    surprises.push(format!("{name} generates but is not in EXPECTED"));
                }
                outputs.push((stem.replace('.', "-"), output));
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
        "openapi-corpus: {} of {} documents generate; {crates} crates clippy and rustdoc clean, conformance round trips pass\n",
        outputs.len(),
        names.len()
    ));
    Ok(report)
}
