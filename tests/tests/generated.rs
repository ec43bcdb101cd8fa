//! The committed `generated/` crates are what the generator makes from `schemas/` (so plain
//! `cargo test` fails on stale output), the output does not depend on input order, and the
//! xtask's writes touch only generated files.

use std::fs;

use integration_tests::{fixture, load, repo_root, TempDir};

#[test]
fn generated_crates_are_up_to_date() {
    let root = repo_root();
    if let Err(error) = xtask::codegen(&root.join("schemas"), &root.join("generated"), true) {
        panic!("{error:#}");
    }
}

type Schemas = Vec<(String, Vec<u8>)>;

#[test]
fn output_is_byte_identical_whatever_the_input_order() {
    let mut inputs = xtask::read_inputs(&repo_root().join("schemas")).unwrap();
    inputs
        .schemas
        .extend(load(&fixture("valid", "colliding_names")).schemas);
    inputs
        .schemas
        .extend(load(&fixture("valid", "nested_arrays")).schemas);
    let first = codegen::generate(&inputs).unwrap().files;
    let count = inputs.schemas.len();
    let reverse = |schemas: &mut Schemas| schemas.reverse();
    let rotate = move |schemas: &mut Schemas| schemas.rotate_left(count / 3);
    // Odd positions first, then even ones.
    let interleave = |schemas: &mut Schemas| {
        let (odd, even): (Vec<_>, Vec<_>) = schemas
            .drain(..)
            .enumerate()
            .partition(|(index, _)| index % 2 == 1);
        schemas.extend(odd.into_iter().chain(even).map(|(_, schema)| schema));
    };
    let orders: [&dyn Fn(&mut Schemas); 3] = [&reverse, &rotate, &interleave];
    for (number, reorder) in orders.iter().enumerate() {
        let mut reordered = inputs.clone();
        reorder(&mut reordered.schemas);
        assert_ne!(reordered.schemas, inputs.schemas);
        assert_eq!(
            codegen::generate(&reordered).unwrap().files,
            first,
            "order {number}"
        );
    }
}

/// `generate` emits and renders each crate in parts on every core, printing the items it can
/// print itself and leaving the rest to prettyplease; its files are those of the phases run one
/// after another, each crate emitted whole as tokens and printed by prettyplease: for the
/// whole API and every valid fixture (OpenAPI documents, hostile names, overrides among them).
#[test]
fn output_in_parts_on_every_core_is_the_crates_printed_whole() {
    let mut inputs = vec![xtask::read_inputs(&repo_root().join("schemas")).unwrap()];
    let mut fixtures: Vec<_> = fs::read_dir(repo_root().join("tests/fixtures/valid"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 7, "{fixtures:?}");
    inputs.extend(fixtures.iter().map(|dir| load(dir)));
    for inputs in inputs {
        assert_printed_whole(&inputs);
    }
}

/// The items the emitters print themselves read as prettyplease prints their tokens at the
/// edges: a field line as long as prettyplease's margin (89 columns) and one a column longer,
/// feature gates that wrap at every level and once, and documentation with tabs, control
/// characters, quotes, raw-string hashes, a leading `/` and non-ASCII text.
#[test]
fn printed_items_match_prettyplease_at_the_edges() {
    let mut inputs = codegen::Inputs::default();
    for (path, endpoint) in edge_endpoints() {
        inputs
            .schemas
            .push((path, serde_json::to_vec_pretty(&endpoint).unwrap()));
    }
    let output = assert_printed_whole(&inputs);
    let models = output
        .iter()
        .find(|(path, _)| path.ends_with("-models/src/lib.rs"))
        .map(|(_, text)| text)
        .unwrap();
    for needle in [
        format!("    pub {}: Option<String>,\n", "a".repeat(64)),
        format!(
            "    pub {}: Option<\n        String,\n    >,\n",
            "b".repeat(65)
        ),
        "#[cfg(\n    any(\n        feature = \"category-number-0-of-several\",".to_owned(),
        "#[cfg(any(feature = \"half-category-number-0\", feature = \"half-category-number-1\"))]"
            .to_owned(),
        "#[cfg_attr(\n    docsrs,\n    doc(cfg(any(feature = \"half-category-number-0\", "
            .to_owned(),
        "/// / starts this line\n".to_owned(),
        format!(
            "#[cfg_attr(docsrs, doc(cfg(feature = \"gate-{}\")))]\n",
            "x".repeat(41)
        ),
        format!(
            "#[cfg_attr(\n    docsrs,\n    doc(cfg(feature = \"gate-{}\"))\n)]\n",
            "x".repeat(42)
        ),
    ] {
        assert!(models.contains(&needle), "{needle:?} in\n{models}");
    }
    let server = output
        .iter()
        .find(|(path, _)| path.ends_with("-server/src/category_number_0_of_several.rs"))
        .map(|(_, text)| text)
        .unwrap();
    for needle in [
        "    #[allow(clippy::too_many_arguments)]\n    fn ",
        "    ///\n    /// `PUT /v1/category-0/{first_identifier}/",
    ] {
        assert!(server.contains(needle), "{needle:?} in\n{server}");
    }
}

/// Endpoint files whose models sit at the edges of what the emitters print themselves.
fn edge_endpoints() -> Vec<(String, serde_json::Value)> {
    let property =
        |description: &str| serde_json::json!({ "description": description, "type": "string" });
    let object = |description: &str, properties: serde_json::Value| serde_json::json!({ "description": description, "type": "object", "properties": properties });
    // `    pub aaa..: Option<String>,` is 25 columns and the name: 89 with 64 letters.
    let mut at_margin = serde_json::Map::new();
    at_margin.insert("a".repeat(64), property("At the margin."));
    at_margin.insert(
        "slash".to_owned(),
        property("/ starts this line\n\n/ and this one"),
    );
    at_margin.insert(
        "kind".to_owned(),
        serde_json::json!({ "type": "string", "enum": ["ONE", "TWO", "a value with spaces"] }),
    );
    let printed = object(
        "Tabs\tinside, \"quotes\"# and \"## hashes, naïve — café   ",
        at_margin.into(),
    );
    let mut past_margin = serde_json::Map::new();
    past_margin.insert("b".repeat(65), property("Past the margin."));
    past_margin.insert("bell".to_owned(), property("a \u{7} bell"));
    let left_to_prettyplease = object("Past the margin.", past_margin.into());
    // In every category: a gate listing nine long feature names wraps at every level.
    let shared = object(
        "In every category.",
        serde_json::json!({ "id": property("The id.") }),
    );
    let mut endpoints = Vec::new();
    for index in 0..9 {
        endpoints.push((
            format!("category-{index}/thing.json"),
            serde_json::json!({
                "endpoint": format!("/v1/category-{index}/thing"),
                "category": format!("Category Number {index} Of Several"),
                "methods": {
                    "get": { "summary": "Get.", "responses": [{ "code": "200" }], "response_schema": shared }
                }
            }),
        ));
    }
    // In two categories: `#[cfg(..)]` fits, `#[cfg_attr(..)]` wraps once.
    for index in 0..2 {
        endpoints.push((
            format!("half-{index}/thing.json"),
            serde_json::json!({
                "endpoint": format!("/v1/half-{index}/thing"),
                "category": format!("Half Category Number {index}"),
                "methods": {
                    "put": {
                        "summary": "Put.",
                        "responses": [{ "code": "200" }],
                        "request_schema": printed,
                        "response_schema": left_to_prettyplease
                    }
                }
            }),
        ));
    }
    // Trait methods with many parameters (clippy's `too_many_arguments`), a summary of
    // spaces, a long route literal, and a summary with a control character (that group's
    // trait is left to prettyplease).
    let identifiers =
        ["first", "second", "third", "fourth", "fifth"].map(|n| format!("{n}_identifier"));
    let mut parameters: Vec<serde_json::Value> = identifiers
        .iter()
        .map(|name| serde_json::json!({ "name": name, "required": true }))
        .collect();
    parameters.push(serde_json::json!({ "name": "filter", "description": "A query parameter." }));
    endpoints.push((
        "category-0/many.json".to_owned(),
        serde_json::json!({
            "endpoint": format!("/v1/category-0/{}", identifiers.map(|name| format!("{{{name}}}")).join("/")),
            "category": "Category Number 0 Of Several",
            "methods": {
                "put": {
                    "summary": "   ",
                    "parameters": parameters,
                    "responses": [{ "code": "200" }],
                    "request_schema": shared,
                    "response_schema": shared
                },
                "delete": {
                    "summary": "Removes it.",
                    "parameters": parameters[..5],
                    "responses": [{ "code": "204" }]
                }
            }
        }),
    ));
    endpoints.push((
        "half-0/bell.json".to_owned(),
        serde_json::json!({
            "endpoint": "/v1/half-0/bell",
            "category": "Half Category Number 0",
            "methods": {
                "get": {
                    "summary": "Rings \u{7} the bell.",
                    "responses": [{ "code": "200" }],
                    "response_schema": shared
                }
            }
        }),
    ));
    // A gate `#[cfg_attr(..)]` as long as the margin (89 columns), and one a column longer,
    // which wraps.
    for padding in [41, 42] {
        let name = format!("Gate {}", "x".repeat(padding));
        endpoints.push((
            format!("gate-{padding}/thing.json"),
            serde_json::json!({
                "endpoint": format!("/v1/gate-{padding}/thing"),
                "category": name,
                "methods": {
                    "get": {
                        "summary": "Get.",
                        "responses": [{ "code": "200" }],
                        "response_schema": object(&name, serde_json::json!({ "gate": property(&name) }))
                    }
                }
            }),
        ));
    }
    endpoints
}

/// Asserts that `generate` gives what the phases give with every crate emitted whole as tokens
/// and printed by prettyplease; returns the files.
fn assert_printed_whole(inputs: &codegen::Inputs) -> std::collections::BTreeMap<String, String> {
    let output = codegen::generate(inputs).unwrap();
    let whole = codegen::phases::render(codegen::phases::emit(&output.api).unwrap()).unwrap();
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        output.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &whole {
        if output.files[path] != *text {
            let line = text
                .lines()
                .zip(output.files[path].lines())
                .position(|(whole, parts)| whole != parts)
                .unwrap_or(0);
            panic!(
                "{path} differs from line {}: whole\n{}\nin parts\n{}",
                line + 1,
                text.lines()
                    .skip(line)
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n"),
                output.files[path]
                    .lines()
                    .skip(line)
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    output.files
}

fn write(path: &std::path::Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[test]
fn codegen_writes_removes_orphans_and_leaves_foreign_files_alone() {
    let out = TempDir::new("out");
    let schemas = fixture("valid", "nested_arrays");
    let report = xtask::codegen(&schemas, out.path(), false).unwrap();
    let produced = report.output.files.len();
    assert_eq!(report.plan.missing.len(), produced);

    // A second run changes nothing, and --check agrees.
    let again = xtask::codegen(&schemas, out.path(), false).unwrap();
    assert_eq!(
        (
            again.plan.unchanged,
            again.plan.missing.len(),
            again.plan.stale.len()
        ),
        (produced, 0, 0)
    );
    xtask::codegen(&schemas, out.path(), true).unwrap();

    // An orphan the generator wrote earlier, and a hand-written file beside it.
    let orphan = out.path().join("old-models/src/lib.rs");
    write(
        &orphan,
        &format!(
            "{}\npub struct Old;\n",
            "// @generated by `cargo xtask codegen`; do not edit."
        ),
    );
    let foreign = out.path().join("api-models/src/extra.rs");
    write(&foreign, "// mine\n");
    let lib = out.path().join("api-models/src/lib.rs");
    let edited = fs::read_to_string(&lib).unwrap() + "// edited\n";
    fs::write(&lib, &edited).unwrap();

    let error = xtask::codegen(&schemas, out.path(), true)
        .err()
        .expect("check must fail");
    let message = format!("{error:#}");
    let out_dir = out.path().display();
    assert!(
        message.contains(&format!("stale:    {out_dir}/api-models/src/lib.rs")),
        "{message}"
    );
    assert!(
        message.contains(&format!("orphaned: {out_dir}/old-models/src/lib.rs")),
        "{message}"
    );
    assert!(message.contains("cargo xtask codegen"), "{message}");
    assert!(!message.contains("extra.rs"), "{message}");
    assert_eq!(
        fs::read_to_string(&lib).unwrap(),
        edited,
        "--check writes nothing"
    );
    assert!(orphan.exists(), "--check removes nothing");

    xtask::codegen(&schemas, out.path(), false).unwrap();
    assert!(
        !orphan.exists() && !out.path().join("old-models").exists(),
        "orphan and its empty folders removed"
    );
    assert_eq!(
        fs::read_to_string(&foreign).unwrap(),
        "// mine\n",
        "foreign file untouched"
    );
    assert_ne!(
        fs::read_to_string(&lib).unwrap(),
        edited,
        "stale file rewritten"
    );
}

#[test]
fn codegen_refuses_to_overwrite_a_file_it_did_not_write() {
    let out = TempDir::new("foreign");
    let mine = out.path().join("api-models/Cargo.toml");
    write(&mine, "[package]\nname = \"mine\"\n");
    let error = xtask::codegen(&fixture("valid", "nested_arrays"), out.path(), false)
        .err()
        .expect("must refuse");
    assert!(
        format!("{error:#}").contains("api-models/Cargo.toml"),
        "{error:#}"
    );
    assert_eq!(
        fs::read_to_string(&mine).unwrap(),
        "[package]\nname = \"mine\"\n"
    );
    assert!(
        !out.path().join("api-models/src/lib.rs").exists(),
        "nothing written when refusing"
    );
}

#[test]
fn bad_input_leaves_the_output_directory_unchanged() {
    let out = TempDir::new("bad");
    let good = fixture("valid", "nested_arrays");
    xtask::codegen(&good, out.path(), false).unwrap();
    let before = snapshot_dir(out.path());
    let error = xtask::codegen(&fixture("invalid", "duplicate_route"), out.path(), false)
        .err()
        .expect("must fail");
    assert!(
        format!("{error:#}").contains("two.json#/methods/get"),
        "{error:#}"
    );
    assert_eq!(snapshot_dir(out.path()), before);
}

/// Every invalid fixture, run through the xtask as a schema folder of its own, fails the run and
/// leaves a previously generated folder byte for byte as it was.
#[test]
fn every_invalid_fixture_fails_the_run_and_changes_nothing() {
    let out = TempDir::new("bad-all");
    xtask::codegen(&fixture("valid", "nested_arrays"), out.path(), false).unwrap();
    let before = snapshot_dir(out.path());
    for name in integration_tests::fixture_names("invalid") {
        let path = fixture("invalid", &name);
        let single = TempDir::new("bad-single");
        let schemas = if path.is_dir() {
            path
        } else {
            fs::copy(&path, single.path().join(&name)).unwrap();
            single.path().to_path_buf()
        };
        let error = xtask::codegen(&schemas, out.path(), false)
            .err()
            .unwrap_or_else(|| panic!("{name} must fail the run"));
        assert!(
            format!("{error:#}").contains("left unchanged"),
            "{name}: {error:#}"
        );
        assert_eq!(
            snapshot_dir(out.path()),
            before,
            "{name} changed the output"
        );
    }
}

/// [`snapshot_dir`] with paths relative to `dir`, to compare two folders.
fn relative_snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    snapshot_dir(dir)
        .into_iter()
        .map(|(path, bytes)| (path.replacen(&dir.display().to_string(), "", 1), bytes))
        .collect()
}

fn snapshot_dir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut res = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                res.push((path.display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    res.sort();
    res
}

/// Names survive adding and removing pages: generating from half of the categories and then
/// from all of them (with the lock the first run wrote), and the other way round, every type and
/// operation that exists in both runs has the same name in both.
#[test]
fn names_survive_adding_and_removing_pages() {
    let mut all = xtask::read_inputs(&repo_root().join("schemas")).unwrap();
    all.lock = None;
    // Corrections name their files; half the pages would leave some pointing at nothing (an
    // error, tested in codegen's corrections module). Names are what this test is about.
    all.corrections = None;
    let categories: std::collections::BTreeSet<&str> = all
        .schemas
        .iter()
        .filter_map(|(path, _)| path.split_once('/').map(|(category, _)| category))
        .collect();
    let kept: Vec<&str> = categories.iter().copied().step_by(2).collect();
    let mut half = all.clone();
    half.schemas.retain(|(path, _)| {
        kept.iter()
            .any(|category| path.starts_with(&format!("{category}/")))
    });
    assert!(half.schemas.len() * 3 > all.schemas.len() && half.schemas.len() < all.schemas.len());

    let (first, second) = (
        codegen::generate(&half).unwrap(),
        codegen::generate(&all).unwrap(),
    );
    let grown = codegen::generate(&codegen::Inputs {
        lock: Some(first.lock.clone()),
        ..all.clone()
    })
    .unwrap();
    let shrunk = codegen::generate(&codegen::Inputs {
        lock: Some(second.lock.clone()),
        ..half.clone()
    })
    .unwrap();
    let adding = renamed(&first.api, &grown.api);
    let removing = renamed(&shrunk.api, &second.api);
    assert!(
        adding.is_empty(),
        "adding pages renamed:\n{}",
        adding.join("\n")
    );
    assert!(
        removing.is_empty(),
        "removing pages renamed:\n{}",
        removing.join("\n")
    );
    // Without the lock, contested names move: the lock is what keeps them.
    assert!(!renamed(&first.api, &second.api).is_empty());
}

/// Names of `part` that `whole` gives to the same shape or route differently.
fn renamed(part: &codegen::ir::Api, whole: &codegen::ir::Api) -> Vec<String> {
    let mut res = Vec::new();
    for type_def in part.types.values() {
        // Routes described twice are kept from the first file, which may be outside the half.
        let shared = |other: &&codegen::ir::TypeDef| {
            type_def
                .occurrences
                .iter()
                .any(|at| other.occurrences.contains(at))
        };
        let Some(in_whole) = whole.types.values().find(shared) else {
            continue;
        };
        if in_whole.name != type_def.name {
            res.push(format!(
                "type {} -> {} (at {})",
                type_def.name, in_whole.name, type_def.occurrences[0]
            ));
        }
    }
    for operation in &part.operations {
        let same_route = |other: &&codegen::ir::Operation| {
            other.path == operation.path && other.method == operation.method
        };
        let in_whole = whole
            .operations
            .iter()
            .find(same_route)
            .expect("every route of the part is in the whole");
        let (module, whole_module) = (part.module_of(operation), whole.module_of(in_whole));
        if (whole_module, &in_whole.name) != (module, &operation.name) {
            res.push(format!(
                "operation {module}::{} -> {whole_module}::{}",
                operation.name, in_whole.name
            ));
        }
    }
    res
}

/// A write that fails in the middle of a run (here: the temporary file of the third crate cannot
/// be created) leaves every generated file as it was, and no temporary file behind.
#[test]
fn a_failure_in_the_middle_of_writing_changes_nothing() {
    let out = TempDir::new("midway");
    xtask::codegen(&fixture("valid", "nested_arrays"), out.path(), false).unwrap();
    let blocker = out.path().join("api-server/src/.lib.rs.codegen-tmp");
    fs::create_dir_all(&blocker).unwrap();
    let before = snapshot_dir(out.path());
    // Another fixture with the same API name: every crate's lib.rs and openapi.json change.
    let error = xtask::codegen(&fixture("valid", "enums_in_arrays"), out.path(), false)
        .err()
        .expect("the blocked write must fail the run");
    assert!(
        format!("{error:#}").contains("api-server/src/lib.rs"),
        "{error:#}"
    );
    assert_eq!(
        snapshot_dir(out.path()),
        before,
        "generated files changed or temporary files were left"
    );
    fs::remove_dir(&blocker).unwrap();
    xtask::codegen(&fixture("valid", "enums_in_arrays"), out.path(), false).unwrap();
    xtask::codegen(&fixture("valid", "enums_in_arrays"), out.path(), true).unwrap();
}

/// A run interrupted while it replaces files (after its journal is written, between two
/// renames) is reported by `--check` and finished by the next run: the folder ends up exactly as
/// an uninterrupted run leaves it, with no temporary file or journal behind.
#[test]
fn an_interrupted_run_is_finished_by_the_next_one() {
    let interrupted = TempDir::new("interrupted");
    let clean = TempDir::new("uninterrupted");
    let (before, after) = (
        fixture("valid", "nested_arrays"),
        fixture("valid", "enums_in_arrays"),
    );
    xtask::codegen(&before, interrupted.path(), false).unwrap();
    let output = codegen::generate(&load(&after)).unwrap();
    let plan = xtask::plan(interrupted.path(), &output.files).unwrap();
    assert!(plan.stale.len() >= 3, "{plan:?}");
    xtask::apply_interrupted(interrupted.path(), &plan, Some(2))
        .expect_err("the test interruption");
    assert!(interrupted.path().join(xtask::JOURNAL).exists());
    let error = xtask::codegen(&after, interrupted.path(), true)
        .err()
        .expect("--check must notice the unfinished run");
    assert!(
        format!("{error:#}").contains("was interrupted"),
        "{error:#}"
    );

    xtask::codegen(&after, interrupted.path(), false).unwrap();
    xtask::codegen(&after, clean.path(), false).unwrap();
    assert_eq!(
        relative_snapshot(interrupted.path()),
        relative_snapshot(clean.path())
    );
    xtask::codegen(&after, interrupted.path(), true).unwrap();
}

/// Into an empty folder each crate's folder is written whole under a temporary name and renamed
/// into place: a run interrupted between those renames is finished by the next, and leaves the
/// folder as an uninterrupted run does.
#[test]
fn a_run_into_an_empty_folder_interrupted_between_crates_is_finished_by_the_next() {
    let interrupted = TempDir::new("interrupted-fresh");
    let clean = TempDir::new("uninterrupted-fresh");
    let schemas = fixture("valid", "enums_in_arrays");
    let output = codegen::generate(&load(&schemas)).unwrap();
    let plan = xtask::plan(interrupted.path(), &output.files).unwrap();
    assert!(plan.missing.len() > 3, "{plan:?}");
    xtask::apply_interrupted(interrupted.path(), &plan, Some(1))
        .expect_err("the test interruption");
    let names = |dir: &std::path::Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // One crate in place, the two others still under their temporary names, and the journal.
    let halfway = names(interrupted.path());
    assert_eq!(
        halfway
            .iter()
            .filter(|name| name.ends_with(".codegen-tmp"))
            .count(),
        2,
        "{halfway:?}"
    );
    assert!(halfway.contains(&xtask::JOURNAL.to_owned()), "{halfway:?}");
    xtask::codegen(&schemas, interrupted.path(), false).unwrap();
    xtask::codegen(&schemas, clean.path(), false).unwrap();
    assert_eq!(
        relative_snapshot(interrupted.path()),
        relative_snapshot(clean.path())
    );
    assert_eq!(names(interrupted.path()), names(clean.path()));
    xtask::codegen(&schemas, interrupted.path(), true).unwrap();
}

/// A 50 MB endpoint file is refused with its name and the limit, without being read whole, and
/// nothing is written.
#[test]
fn a_50_mb_file_is_refused() {
    let schemas = TempDir::new("huge-schemas");
    let out = TempDir::new("huge-out");
    let mut text = String::from(r#"{"endpoint": "/v1/huge", "description": ""#);
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str(r#"", "methods": {}}"#);
    fs::write(schemas.path().join("huge.json"), text).unwrap();
    let error = xtask::codegen(schemas.path(), out.path(), false)
        .err()
        .expect("a 50 MB file must be refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("huge.json") && message.contains("larger than 16 MiB"),
        "{message}"
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

/// Every generated file names the command that regenerates it: the configuration's
/// `regenerate`, else the caller's (the `codegen` command passes its command line), else
/// `cargo xtask codegen`; the writer recognises its files whichever it is.
#[test]
fn headers_name_the_configured_command() {
    let mut inputs = load(&fixture("valid", "nested_arrays"));
    inputs.regenerate = Some("codegen generate --input api --out crates".to_owned());
    let output = codegen::generate(&inputs).unwrap();
    for (path, contents) in &output.files {
        // The first line (a JSON document's second: its first member).
        assert!(
            contents
                .lines()
                .take(2)
                .any(|line| line
                    .contains("@generated by `codegen generate --input api --out crates`")),
            "{path}"
        );
        assert!(codegen::is_generated(contents), "{path}");
    }
    assert!(output
        .lock
        .starts_with("# @generated by `codegen generate --input api --out crates`"));
    inputs.config = Some("api = \"fixture\"\nregenerate = \"make crates\"\n".to_owned());
    let output = codegen::generate(&inputs).unwrap();
    assert!(output
        .files
        .values()
        .all(|contents| contents.contains("@generated by `make crates`; do not edit.")));
    inputs.regenerate = None;
    inputs.config = None;
    let output = codegen::generate(&inputs).unwrap();
    assert!(output
        .files
        .values()
        .all(|contents| contents.contains("@generated by `cargo xtask codegen`; do not edit.")));
}

/// The up-to-date stamp of `cargo xtask codegen` holds only while the inputs and the files the
/// last run wrote are as it left them.
#[test]
fn the_stamp_notices_any_change_of_inputs_or_output() {
    let schemas = TempDir::new("stamp-schemas");
    let out = TempDir::new("stamp-out");
    let stamp = out.path().join("stamp");
    let fixture_dir = fixture("valid", "nested_arrays");
    for entry in fs::read_dir(&fixture_dir).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), schemas.path().join(entry.file_name())).unwrap();
    }
    let current = || xtask::stamp::is_current(&stamp, schemas.path(), out.path());
    assert!(!current(), "no stamp yet");
    let report = xtask::codegen(schemas.path(), out.path(), false).unwrap();
    xtask::stamp::record(&stamp, schemas.path(), out.path(), &report.output);
    assert!(current());

    // A generated file edited by hand.
    let lib = out.path().join("api-models/src/lib.rs");
    let original = fs::read_to_string(&lib).unwrap();
    fs::write(&lib, format!("{original}// edited\n")).unwrap();
    assert!(!current(), "an edited output");
    let report = xtask::codegen(schemas.path(), out.path(), false).unwrap();
    xtask::stamp::record(&stamp, schemas.path(), out.path(), &report.output);
    assert!(current());

    // A generated file removed.
    fs::remove_file(&lib).unwrap();
    assert!(!current(), "a removed output");
    let report = xtask::codegen(schemas.path(), out.path(), false).unwrap();
    xtask::stamp::record(&stamp, schemas.path(), out.path(), &report.output);

    // An input edited.
    let schema = schemas.path().join("matrix.json");
    let text = fs::read_to_string(&schema).unwrap();
    fs::write(
        &schema,
        text.replacen("\"summary\": \"", "\"summary\": \"Now: ", 1),
    )
    .unwrap();
    assert!(!current(), "an edited input");
}

/// `[crates]` names the crates and leaves some out; the client and server need the models.
#[test]
fn the_configuration_names_and_chooses_the_crates() {
    let mut inputs = load(&fixture("valid", "nested_arrays"));
    inputs.config =
        Some("api = \"grid\"\n[crates]\nclient = \"grid-api\"\nserver = false\n".to_owned());
    let output = codegen::generate(&inputs).unwrap();
    let crates: std::collections::BTreeSet<&str> = output
        .files
        .keys()
        .filter_map(|path| path.split('/').next())
        .collect();
    assert_eq!(
        crates.into_iter().collect::<Vec<_>>(),
        ["grid-api", "grid-models"]
    );
    let manifest = &output.files["grid-api/Cargo.toml"];
    assert!(manifest.contains("name = \"grid-api\""), "{manifest}");
    assert!(
        manifest.contains("grid-models = { path = \"../grid-models\""),
        "{manifest}"
    );
    assert!(output.files["grid-api/src/lib.rs"].contains("pub use grid_models as models;"));

    inputs.config = Some("api = \"grid\"\n[crates]\nmodels = false\n".to_owned());
    let error = codegen::generate(&inputs).unwrap_err().to_string();
    assert!(
        error.contains("codegen.toml")
            && error.contains("the client and the server use the models crate"),
        "{error}"
    );
}
