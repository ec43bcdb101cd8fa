//! The change report held against a tool we did not write: `cargo-semver-checks` compares the
//! committed crates (the baseline) with the crates of an upgrade, and every breaking change it
//! finds must be named by a breaking change of our report (the same type, and the same member
//! when the tool names one).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The crates compared: the models and the client (the server's trait follows the client).
const PARTS: &[&str] = &["models", "client"];

/// Runs cargo-semver-checks on each crate of `scratch/generated` against the committed one and
/// checks every failure it lists against `changes`; when the report has no breaking change, the
/// tool must find none either. Returns a summary line. The tool's builds of the upgraded crates
/// (`scratch/target`, some 440 MB each) are removed afterwards: nothing reads them again.
pub fn compare_with_semver_checks(
    root: &Path,
    scratch: &Path,
    changes: &[codegen::surface::Change],
) -> Result<String> {
    let result = compare(root, scratch, changes);
    let _ = std::fs::remove_dir_all(scratch.join("target"));
    result
}

fn compare(root: &Path, scratch: &Path, changes: &[codegen::surface::Change]) -> Result<String> {
    let cargo = crate::cargo_program();
    let version = Command::new(&cargo)
        .args(["semver-checks", "--version"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    let Some(version) = version else {
        bail!("cargo-semver-checks is not installed: `cargo install --locked cargo-semver-checks` (CI does)");
    };
    let breaking: Vec<&str> = changes
        .iter()
        .filter(|change| change.breaking)
        .map(|change| change.text.as_str())
        .collect();
    let mut found = 0;
    let mut unnamed = Vec::new();
    for part in PARTS {
        let name = format!("qumulo-{part}");
        let output = Command::new(&cargo)
            // `-p`: the generated crates are `publish = false`, which the tool otherwise skips.
            .args([
                "semver-checks",
                "check-release",
                "-p",
                &name,
                "--manifest-path",
            ])
            .arg(scratch.join("generated").join(&name).join("Cargo.toml"))
            .arg("--baseline-root")
            .arg(root.join("generated").join(&name))
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .with_context(|| format!("cannot run {cargo} semver-checks"))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let failures = failures(&text);
        if !output.status.success() && failures.is_empty() {
            bail!("cargo semver-checks failed on {name} without listing a failure:\n{text}");
        }
        for failure in failures {
            found += 1;
            if !named(&failure, &breaking) {
                unnamed.push(format!("{name}: {failure}"));
            }
        }
    }
    if !unnamed.is_empty() {
        bail!(
            "cargo-semver-checks ({version}) found breaking changes the report does not name:\n{}\nthe report:\n{}",
            unnamed.join("\n"),
            codegen::surface::render(changes)
        );
    }
    if found == 0 && !breaking.is_empty() {
        bail!(
            "cargo-semver-checks ({version}) found no breaking change, the report {}:\n{}",
            breaking.len(),
            codegen::surface::render(changes)
        );
    }
    if found == 0 {
        return Ok(format!("{version} finds no breaking change either"));
    }
    Ok(format!(
        "{version} finds {found} breaking changes, every one named by the report"
    ))
}

/// The items of every failed check (not the warnings): the lines under `Failed in:` of each
/// `--- failure` section, without their file.
fn failures(text: &str) -> Vec<String> {
    let mut res = Vec::new();
    let mut in_failure = false;
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("--- ") {
            in_failure = line.starts_with("--- failure");
            inside = false;
            continue;
        }
        if line.trim() == "Failed in:" {
            inside = in_failure;
            continue;
        }
        if inside {
            // Items are indented by two spaces; cargo's progress lines by more.
            if !line.starts_with("  ") || line.starts_with("   ") || line.trim().is_empty() {
                inside = false;
                continue;
            }
            let item = line
                .trim()
                .split(", previously in file")
                .next()
                .unwrap_or_default();
            let item = item.split(" in file ").next().unwrap_or_default();
            res.push(item.trim().to_owned());
        }
    }
    res
}

/// Whether a breaking change of the report names the failure's item: it mentions the failure's
/// type (the UpperCamelCase words) and, when the failure names a member, that member.
fn named(failure: &str, breaking: &[&str]) -> bool {
    let words: Vec<&str> = failure
        .split(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .filter(|word| !word.is_empty())
        .collect();
    let types: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| word.starts_with(|first: char| first.is_ascii_uppercase()))
        .filter(|word| {
            !matches!(
                *word,
                "Default" | "Clone" | "Debug" | "PartialEq" | "Serialize" | "Deserialize"
            )
        })
        .collect();
    let members: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| {
            word.contains('_')
                || (word.starts_with(|first: char| first.is_ascii_lowercase())
                    && !STOP_WORDS.contains(word))
        })
        .collect();
    breaking.iter().any(|change| {
        types.iter().all(|word| change.contains(word))
            && (members.is_empty() || members.iter().any(|word| change.contains(word)))
    })
}

/// Words of cargo-semver-checks' item lines that are not names.
const STOP_WORDS: &[&str] = &[
    "field",
    "of",
    "struct",
    "enum",
    "variant",
    "method",
    "function",
    "trait",
    "now",
    "takes",
    "parameters",
    "instead",
    "in",
    "file",
    "type",
    "impl",
    "for",
    "the",
    "a",
    "an",
    "pub",
    "previously",
    "module",
    "removed",
    "renamed",
    "and",
    "was",
    "is",
    "no",
    "longer",
    "derive",
    "models",
    "qumulo_models",
    "qumulo_client",
    "lib",
    "rs",
    "src",
    "generated",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_matched_by_type_and_member() {
        let output = "--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\nDescription:\nA publicly-visible struct has at least one public field that is no longer available.\n\nFailed in:\n  field sid of struct ApiIdentity, previously in file /x/lib.rs:10\n  field sid of struct Other, previously in file /x/lib.rs:20\n\n--- failure enum_variant_missing ---\nFailed in:\n  variant Domain::World, previously in file /x/lib.rs:30\n\n--- warning partial_ord_enum_variants_reordered ---\nFailed in:\n  Domain::Local moved from position 1 to 2, in /x/lib.rs:40\n";
        let found = failures(output);
        assert_eq!(
            found,
            [
                "field sid of struct ApiIdentity",
                "field sid of struct Other",
                "variant Domain::World"
            ]
        );
        let report = [
            "field `ApiIdentity::sid` removed",
            "enum value `Domain::World` removed",
        ];
        assert!(named(&found[0], &report));
        assert!(!named(&found[1], &report));
        assert!(named(&found[2], &report));
    }
}
