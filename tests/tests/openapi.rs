//! The exported OpenAPI document (`generated/qumulo-server/openapi.json`) describes the model: every
//! operation, every deduplicated type as one shared component, every reference resolvable. CI
//! also runs a standard validator (openapi-spec-validator) on it.

use std::collections::BTreeSet;

use integration_tests::repo_root;
use serde_json::{json, Value};

fn document() -> Value {
    let text =
        std::fs::read_to_string(repo_root().join("generated/qumulo-server/openapi.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn api() -> codegen::ir::Api {
    codegen::generate(&xtask::read_inputs(&repo_root().join("schemas")).unwrap())
        .unwrap()
        .api
}

fn collect_refs<'a>(value: &'a Value, acc: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                acc.push(reference);
            }
            object.values().for_each(|child| collect_refs(child, acc));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, acc)),
        _ => {}
    }
}

#[test]
fn every_operation_is_there_once() {
    let (document, api) = (document(), api());
    assert_eq!(document["openapi"], "3.1.0");
    let mut operation_ids = BTreeSet::new();
    for operation in &api.operations {
        let method = operation.method.as_str().to_ascii_lowercase();
        let entry = &document["paths"][&operation.path][&method];
        assert!(entry.is_object(), "{method} {} missing", operation.path);
        assert!(
            operation_ids.insert(entry["operationId"].as_str().unwrap().to_owned()),
            "duplicate operationId"
        );
        let declared: BTreeSet<&str> = entry["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "path")
            .filter_map(|parameter| parameter["name"].as_str())
            .collect();
        let templated: BTreeSet<&str> = operation
            .path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        assert_eq!(declared, templated, "{}", operation.path);
        // A path parameter is a whole, non-empty segment that survives URL normalisation: the
        // document says what the client refuses ("", ".", "..").
        for parameter in entry["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] == "path" {
                assert_eq!(parameter["schema"]["minLength"], 1, "{}", operation.path);
                assert_eq!(
                    parameter["schema"]["not"]["enum"],
                    serde_json::json!([".", ".."]),
                    "{}",
                    operation.path
                );
            }
        }
        assert_eq!(
            entry["requestBody"].is_object(),
            operation.request.is_some(),
            "{}",
            operation.path
        );
    }
    let documented: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, api.operations.len());
}

#[test]
fn types_are_shared_components_and_every_reference_resolves() {
    let (document, api) = (document(), api());
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert_eq!(
        schemas.len(),
        api.types.len() + 1,
        "one component per type, plus ApiError"
    );
    for type_def in api.types.values() {
        assert!(schemas.contains_key(&type_def.name), "{}", type_def.name);
    }
    let mut references = Vec::new();
    collect_refs(&document, &mut references);
    assert!(references.len() > api.types.len());
    for reference in references {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{reference}"));
        assert!(schemas.contains_key(name), "{reference} does not resolve");
    }
    // The document declares what the models accept: an optional property also takes null,
    // enums are open, numbers may come as text.
    let identity = &schemas["ApiIdentity"];
    assert_eq!(
        identity["properties"]["domain"]["anyOf"],
        json!([{ "$ref": "#/components/schemas/Domain" }, { "type": "null" }])
    );
    assert_eq!(
        identity["properties"]["sid"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        identity["properties"]["uid"]["anyOf"][0],
        json!({ "type": "number" })
    );
    assert_eq!(identity["properties"]["uid"]["anyOf"][1]["type"], "string");
    assert_eq!(
        identity["properties"]["uid"]["anyOf"][2],
        json!({ "type": "null" })
    );
    assert_eq!(schemas["Domain"]["anyOf"][1], json!({ "type": "string" }));
    assert!(schemas["Domain"]["anyOf"][0]["enum"]
        .as_array()
        .is_some_and(|values| values.contains(&json!("LOCAL"))));
}

/// The exported document read back through the OpenAPI frontend, with the configuration the
/// endpoint files use: the same crates.
#[test]
fn the_export_reads_back_into_the_same_crates() {
    let inputs = xtask::read_inputs(&repo_root().join("schemas")).unwrap();
    let original = codegen::generate(&inputs).unwrap();
    let document = original.files["qumulo-server/openapi.json"].clone();
    let exported = codegen::Inputs {
        schemas: vec![("openapi.json".to_owned(), document.into_bytes())],
        config: inputs.config.clone(),
        ..codegen::Inputs::default()
    };
    // `[types]` names schemas by their place in the endpoint files; the document names them
    // itself (component names).
    let mut config = codegen::resolve_config(&exported).unwrap();
    config.types.clear();
    let read_back = match codegen::generate_with_config(&exported, &config) {
        Ok(output) => output,
        Err(problems) => panic!("{problems}"),
    };
    let differences: BTreeSet<&String> = original
        .files
        .keys()
        .chain(read_back.files.keys())
        .filter(|path| original.files.get(*path) != read_back.files.get(*path))
        .collect();
    if !differences.is_empty() {
        // Both trees, to compare with `diff -r`.
        let out = repo_root().join("target/openapi-round-trip");
        for (side, files) in [
            ("original", &original.files),
            ("read-back", &read_back.files),
        ] {
            for (path, text) in files {
                let file = out.join(side).join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, text).unwrap();
            }
        }
        panic!(
            "{} files differ (see `diff -r target/openapi-round-trip/original target/openapi-round-trip/read-back`): {differences:?}",
            differences.len()
        );
    }
}

/// An error answer with a type of its own (the shop's `409`, beside its error object) is
/// exported under its status and read back as the same declared error.
#[test]
fn declared_errors_survive_the_export() {
    let inputs =
        xtask::read_inputs(&repo_root().join("tests/fixtures/valid/openapi_shop")).unwrap();
    let original = codegen::generate(&inputs).unwrap_or_else(|problems| panic!("{problems}"));
    let table = |api: &codegen::ir::Api| -> Vec<String> {
        api.declared_errors()
            .into_iter()
            .map(|(status, id)| format!("{status} {}", api.type_def(id).name))
            .collect()
    };
    assert_eq!(table(&original.api), ["409 ReturnRefused"]);
    let document = original.files["shop-server/openapi.json"].clone();
    let exported = codegen::Inputs {
        schemas: vec![("openapi.json".to_owned(), document.into_bytes())],
        ..codegen::Inputs::default()
    };
    let read_back = codegen::generate(&exported).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(table(&read_back.api), table(&original.api));
    assert_eq!(
        read_back.api.conventions.error.fields,
        original.api.conventions.error.fields
    );
}
