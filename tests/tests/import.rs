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

#[test]
fn importing_the_published_reference_reproduces_schemas() {
    let pages = repo_root().join("../shared/qumulo-rest-api");
    assert!(
        pages.is_dir(),
        "the published reference is expected at {}",
        pages.display()
    );
    let out = TempDir::new("import");
    let report = xtask::import(&pages, out.path()).unwrap();
    assert!(report.problems.is_none(), "{:?}", report.problems);
    assert_eq!(report.pages, 253);
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
    assert_eq!(xtask::import(&pages, out.path()).unwrap().written, 0);
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
    let report = xtask::import(pages.path(), out.path()).unwrap();
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
