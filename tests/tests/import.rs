//! `cargo xtask import`: the published reference pages become exactly the committed `schemas/`,
//! and a page that cannot be read is reported with its file and line while the others are still
//! imported.

use std::fs;
use std::path::Path;

use integration_tests::{repo_root, TempDir};

fn json_files(dir: &Path, prefix: &str, acc: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            json_files(&entry.path(), &relative, acc);
        } else if name.ends_with(".json") {
            acc.push(relative);
        }
    }
}

/// The pages as published (in the repository, landing pages included) give exactly `schemas/`.
#[test]
fn importing_the_published_reference_reproduces_schemas() {
    let pages = repo_root().join(xtask::REFERENCE_PAGES);
    let out = TempDir::new("import");
    let report = xtask::import(&pages, out.path(), false).unwrap();
    assert!(report.problems.is_none(), "{:?}", report.problems);
    assert_eq!((report.pages, report.landing), (253, 53));
    assert!(report.orphans.is_empty(), "{:?}", report.orphans);
    let (mut imported, mut committed) = (Vec::new(), Vec::new());
    json_files(out.path(), "", &mut imported);
    json_files(&repo_root().join("schemas"), "", &mut committed);
    imported.sort();
    committed.sort();
    assert_eq!(imported, committed);
    for path in &imported {
        let made = fs::read_to_string(out.path().join(path)).unwrap();
        assert_eq!(
            made,
            fs::read_to_string(repo_root().join("schemas").join(path)).unwrap(),
            "{path}"
        );
    }
    // A second import writes nothing.
    assert_eq!(xtask::import(&pages, out.path(), false).unwrap().written, 0);
}

/// An endpoint file whose page is gone is listed, and removed only with `prune`; a page that
/// fails to import keeps its endpoint file; a landing page becomes no file.
#[test]
fn prune_removes_only_endpoint_files_whose_page_is_gone() {
    let pages = TempDir::new("prune-pages");
    let out = TempDir::new("prune-out");
    fs::create_dir_all(pages.path().join("things")).unwrap();
    let write =
        |name: &str, text: &str| fs::write(pages.path().join("things").join(name), text).unwrap();
    write("good.md", GOOD_PAGE);
    write("broken.md", GOOD_PAGE);
    write(
        "index.md",
        "---\nlayout: landing_page\ntitle: Things\n---\n",
    );
    let first = xtask::import(pages.path(), out.path(), true).unwrap();
    assert_eq!((first.pages, first.landing, first.written), (2, 1, 2));
    assert!(!out.path().join("things/index.json").exists());
    fs::remove_file(pages.path().join("things/good.md")).unwrap();
    write("broken.md", "# no front matter\n");
    fs::create_dir_all(out.path().join("gone")).unwrap();
    fs::write(out.path().join("gone/old.json"), "{}").unwrap();
    fs::write(out.path().join("codegen-notes.json"), "{}").unwrap();
    let listed = xtask::import(pages.path(), out.path(), false).unwrap();
    assert_eq!(listed.orphans, ["gone/old.json", "things/good.json"]);
    assert!(out.path().join("things/good.json").exists());
    let pruned = xtask::import(pages.path(), out.path(), true).unwrap();
    assert_eq!(pruned.orphans, ["gone/old.json", "things/good.json"]);
    assert!(pruned.problems.is_some());
    assert!(!out.path().join("things/good.json").exists());
    assert!(!out.path().join("gone").exists());
    // The page that failed keeps its file; a file outside the category folders is not the
    // import's.
    assert!(out.path().join("things/broken.json").exists());
    assert!(out.path().join("codegen-notes.json").exists());
}

const GOOD_PAGE: &str = r#"---
category: /Things
methods:
  get:
    parameters:
    - description: The thing
      name: id
      required: true
    - description: ETag
      name: If-Match
      required: false
    response_body:
      schema: "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}}"
    responses:
    - code: '200'
      description: Return value on success
    summary: Get a thing.
rest_endpoint: /v1/things/{id}
---
"#;

#[test]
fn bad_pages_are_reported_with_file_and_line_and_the_others_still_imported() {
    let pages = TempDir::new("pages");
    let out = TempDir::new("imported");
    fs::create_dir_all(pages.path().join("things")).unwrap();
    let write =
        |name: &str, text: &str| fs::write(pages.path().join("things").join(name), text).unwrap();
    write("good.md", GOOD_PAGE);
    write("no_front_matter.md", "# Just Markdown\n");
    write(
        "bad_yaml.md",
        "---\ncategory: /Things\nmethods: [unclosed\n---\n",
    );
    write(
        "bad_schema.md",
        &GOOD_PAGE.replace(r#"{\"type\": \"object\""#, r#"{\"type\": \"object\" oops"#),
    );
    let report = xtask::import(pages.path(), out.path(), false).unwrap();
    assert_eq!((report.pages, report.written), (1, 1));
    let problems = report.problems.expect("three pages are bad").to_string();
    assert!(
        problems.contains("things/no_front_matter.md:1:1: no YAML front matter"),
        "{problems}"
    );
    assert!(problems.contains("things/bad_yaml.md:"), "{problems}");
    assert!(
        problems
            .contains("things/bad_schema.md:12:5: the `response_body` schema is not valid JSON"),
        "{problems}"
    );
    let good: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("things/good.json")).unwrap())
            .unwrap();
    assert_eq!(good["endpoint"], "/v1/things/{id}");
    assert_eq!(good["category"], "Things");
    assert_eq!(good["methods"]["get"]["parameters"][1]["name"], "If-Match");
    assert!(!out.path().join("things/bad_schema.json").exists());
    // And the imported file generates: `If-Match` is a header, `id` a path parameter.
    let inputs = xtask::read_inputs(out.path()).unwrap();
    let api = codegen::generate(&inputs).unwrap().api;
    assert_eq!(api.operations[0].header_params[0].wire_name, "If-Match");
    assert_eq!(api.operations[0].path_params[0].wire_name, "id");
}

/// Every page under `tests/fixtures/invalid-pages/` is refused on its own, by the import (no
/// endpoint file is written) or, when it is well-formed YAML that describes a bad endpoint, by
/// the generator reading the endpoint file it became. Either way the diagnostics (file,
/// line:column or JSON pointer, what to do) are pinned.
#[test]
fn every_invalid_page_is_refused_with_a_located_hint() {
    let fixtures = repo_root().join("tests/fixtures/invalid-pages/things");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 16, "fixtures went missing: {names:?}");
    for name in names {
        let pages = TempDir::new("invalid-page");
        let out = TempDir::new("invalid-page-out");
        fs::create_dir_all(pages.path().join("things")).unwrap();
        fs::copy(
            fixtures.join(&name),
            pages.path().join("things").join(&name),
        )
        .unwrap();
        let report = xtask::import(pages.path(), out.path(), false).unwrap();
        let stem = name.trim_end_matches(".md");
        let problems = match report.problems {
            Some(problems) => {
                assert_eq!((report.pages, report.written), (0, 0), "{name}");
                assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "{name}");
                for problem in problems.items() {
                    assert!(problem.location.file.ends_with(&name), "{name}: {problem}");
                }
                problems
            }
            None => {
                let inputs = xtask::read_inputs(out.path()).unwrap();
                let Err(problems) = codegen::generate(&inputs) else {
                    panic!("{name} was imported and generated")
                };
                for problem in problems.items() {
                    assert!(
                        problem.location.file.ends_with(&format!("{stem}.json")),
                        "{name}: {problem}"
                    );
                }
                problems
            }
        };
        for problem in problems.items() {
            assert!(!problem.hint.is_empty(), "{name}: {problem}");
        }
        insta::assert_snapshot!(format!("invalid-page-{stem}"), problems.to_string());
    }
}
