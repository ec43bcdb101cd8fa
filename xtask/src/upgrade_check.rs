//! `cargo xtask upgrade-check`: scripted schema upgrades of the kind users regenerate on, each
//! applied to a copy of `schemas/` and `generated/` under `target/upgrade-check/<name>/`:
//!
//! 1. `token-field`: an optional field added to every access-token schema;
//! 2. `domain-value`: a value added to every `domain` list (the corrections' copies too).
//!
//! For each, the copy is regenerated and held to: no type that kept its places is renamed (names
//! by place, from the two locks), the change report lists only compatible changes, and the
//! access-tokens example compiles unchanged against the regenerated crates.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// A scripted upgrade: its name and the edit it makes to an endpoint file's JSON (returning
/// whether it changed anything), plus a text edit of `corrections.toml`. A compatible upgrade
/// must produce only compatible changes and leave the example compiling; a breaking one is
/// there to hold the change report against cargo-semver-checks.
struct Upgrade {
    name: &'static str,
    what: &'static str,
    edit: fn(&mut Value) -> bool,
    corrections: fn(&str) -> String,
    compatible: bool,
}

const UPGRADES: &[Upgrade] = &[
    Upgrade {
        name: "token-field",
        what: "an optional `tenant_id` added to every access-token schema",
        edit: add_token_field,
        corrections: |text| text.to_owned(),
        compatible: true,
    },
    Upgrade {
        name: "domain-value",
        what: "`API_TENANT_DOMAIN` added to every `domain` list",
        edit: add_domain_value,
        corrections: |text| {
            text.replace(
                "\"API_CREATOR_DOMAIN\"]",
                "\"API_CREATOR_DOMAIN\", \"API_TENANT_DOMAIN\"]",
            )
        },
        compatible: true,
    },
    Upgrade {
        name: "breaking",
        what: "`sid` removed from every identity, `WORLD` from every `domain` list, and the \
               DELETE of an access token removed",
        edit: remove_things,
        corrections: |text| {
            text.replace("sid = { description = \"sid\", type = \"string\" }, ", "")
                .replace("\"WORLD\", ", "")
        },
        compatible: false,
    },
];

/// The edits of the `breaking` upgrade.
fn remove_things(value: &mut Value) -> bool {
    let mut changed = false;
    if value["endpoint"] == "/v1/auth/access-tokens/{id}" {
        if let Some(methods) = value.get_mut("methods").and_then(Value::as_object_mut) {
            changed |= methods.shift_remove("delete").is_some();
        }
    }
    visit(value, &mut |node| {
        if let Some(properties) = node.get_mut("properties").and_then(Value::as_object_mut) {
            if properties.contains_key("auth_id") && properties.contains_key("domain") {
                changed |= properties.shift_remove("sid").is_some();
            }
        }
        if let Some(values) = node.get_mut("enum").and_then(Value::as_array_mut) {
            if values.contains(&json!("LOCAL")) && values.contains(&json!("WORLD")) {
                values.retain(|value| value != "WORLD");
                changed = true;
            }
        }
    });
    changed
}

/// Every object schema of an access token's metadata (the ones that have `creator` and
/// `expiration_time`), wherever it occurs.
fn add_token_field(value: &mut Value) -> bool {
    let mut changed = false;
    visit(value, &mut |node| {
        let Some(properties) = node.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        if properties.contains_key("creator") && properties.contains_key("expiration_time") {
            properties.insert(
                "tenant_id".to_owned(),
                json!({ "description": "The tenant the token belongs to.", "type": "number" }),
            );
            changed = true;
        }
    });
    changed
}

/// Every string enum that lists `LOCAL` and `WORLD` (the identity domains).
fn add_domain_value(value: &mut Value) -> bool {
    let mut changed = false;
    visit(value, &mut |node| {
        let Some(values) = node.get_mut("enum").and_then(Value::as_array_mut) else {
            return;
        };
        if values.contains(&json!("LOCAL")) && values.contains(&json!("WORLD")) {
            values.push(json!("API_TENANT_DOMAIN"));
            changed = true;
        }
    });
    changed
}

fn visit(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    f(value);
    match value {
        Value::Object(object) => object.values_mut().for_each(|child| visit(child, f)),
        Value::Array(items) => items.iter_mut().for_each(|child| visit(child, f)),
        _ => {}
    }
}

/// Runs every upgrade; returns one summary line each, or fails naming what broke.
pub fn upgrade_check(root: &Path) -> Result<String> {
    let mut summary = String::new();
    for upgrade in UPGRADES {
        let scratch = root.join("target/upgrade-check").join(upgrade.name);
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch)?;
        crate::copy_tree(&root.join("schemas"), &scratch.join("schemas"))?;
        crate::copy_tree(&root.join("generated"), &scratch.join("generated"))?;
        crate::copy_tree(
            &root.join("examples/access-tokens"),
            &scratch.join("examples/access-tokens"),
        )?;
        // A workspace of its own: the generated crates and the example, which inherits package
        // keys and dependency versions from its workspace.
        crate::scratch_workspace(
            root,
            &scratch,
            &["generated/*".to_owned(), "examples/access-tokens".to_owned()],
            "\n[workspace.package]\nedition = \"2021\"\nrust-version = \"1.85\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n\
             [workspace.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n\
             serde_json = { version = \"1\", features = [\"preserve_order\"] }\n",
        )?;
        let edited = edit_schemas(&scratch.join("schemas"), upgrade)?;
        if edited == 0 {
            bail!("{}: the script changed no endpoint file", upgrade.name);
        }
        let old_lock = fs::read_to_string(scratch.join("schemas/codegen.lock")).unwrap_or_default();
        let report = crate::codegen(&scratch.join("schemas"), &scratch.join("generated"), false)
            .with_context(|| format!("{}: the upgraded schemas do not generate", upgrade.name))?;
        let renamed = renamed_by_place(&old_lock, &report.output.lock);
        let breaking: Vec<&codegen::surface::Change> = report
            .changes
            .iter()
            .filter(|change| change.breaking)
            .collect();
        if !upgrade.compatible {
            if !renamed.is_empty() {
                bail!(
                    "{}: renamed (by place):\n{}",
                    upgrade.name,
                    renamed.join("\n")
                );
            }
            let line = crate::semver::compare_with_semver_checks(root, &scratch, &report.changes)
                .with_context(|| format!("{}: {}", upgrade.name, upgrade.what))?;
            let _ = writeln!(
                summary,
                "upgrade-check: {}: {} ({edited} endpoint files): {} breaking changes reported; {line}",
                upgrade.name,
                upgrade.what,
                breaking.len()
            );
            continue;
        }
        if !renamed.is_empty() || !breaking.is_empty() {
            bail!(
                "{}: {}\nrenamed (by place):\n{}\nchange report:\n{}",
                upgrade.name,
                upgrade.what,
                renamed.join("\n"),
                codegen::surface::render(&report.changes)
            );
        }
        crate::conformance::cargo(
            &scratch,
            &crate::shared_target(root),
            &[
                "check",
                "--quiet",
                "-p",
                "access-tokens-example",
                "--all-targets",
            ],
        )
        .with_context(|| {
            format!(
                "{}: the access-tokens example no longer compiles after {}",
                upgrade.name, upgrade.what
            )
        })?;
        let line = crate::semver::compare_with_semver_checks(root, &scratch, &report.changes)
            .with_context(|| format!("{}: {}", upgrade.name, upgrade.what))?;
        let _ = writeln!(
            summary,
            "upgrade-check: {}: {} ({edited} endpoint files): no type renamed, {} compatible API changes, the example compiles unchanged; {line}",
            upgrade.name,
            upgrade.what,
            report.changes.len()
        );
    }
    Ok(summary)
}

/// Applies the upgrade to every endpoint file (pretty JSON, as the import writes them) and to
/// `corrections.toml`; returns how many endpoint files changed.
fn edit_schemas(dir: &Path, upgrade: &Upgrade) -> Result<usize> {
    let mut files = Vec::new();
    crate::collect_files(dir, "", ".json", &mut files)?;
    let mut edited = 0;
    for file in files {
        let path = dir.join(&file);
        let mut value: Value = serde_json::from_str(&fs::read_to_string(&path)?)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        if (upgrade.edit)(&mut value) {
            fs::write(&path, serde_json::to_string_pretty(&value)? + "\n")?;
            edited += 1;
        }
    }
    let corrections = dir.join(codegen::CORRECTIONS_FILE);
    if let Ok(text) = fs::read_to_string(&corrections) {
        fs::write(&corrections, (upgrade.corrections)(&text))?;
    }
    Ok(edited)
}

/// `place: Old -> New` for every place whose type name changed between two locks.
fn renamed_by_place(old: &str, new: &str) -> Vec<String> {
    let (old, new) = (
        codegen::surface::names_by_place(old),
        codegen::surface::names_by_place(new),
    );
    old.iter()
        .filter_map(|(place, name)| {
            let now = new.get(place)?;
            (now != name).then(|| format!("  {place}: {name} -> {now}"))
        })
        .collect()
}
