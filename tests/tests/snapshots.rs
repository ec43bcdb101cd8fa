//! insta snapshots: the model dump (so deduplication and naming decisions show in review) and
//! every emitted file, for the seed endpoint and for small focused fixtures; and the rendered
//! diagnostics for every malformed input.

use integration_tests::{fixture, fixture_names, load, repo_root};

/// Generates a fixture and snapshots its model and each of its files.
fn check_valid(name: &str, inputs: &codegen::Inputs) {
    let output = codegen::generate(inputs)
        .unwrap_or_else(|diagnostics| panic!("{name} should generate:\n{diagnostics}"));
    insta::assert_snapshot!(
        format!("{name}-model"),
        codegen::dump::dump_api(&output.api)
    );
    for (path, contents) in &output.files {
        insta::assert_snapshot!(format!("{name}-{}", path.replace('/', "__")), contents);
    }
}

#[test]
fn seed() {
    let schemas = repo_root().join("schemas");
    let seed = "access-tokens/auth_access-tokens_id.json";
    let inputs = codegen::Inputs {
        schemas: vec![(seed.to_owned(), std::fs::read(schemas.join(seed)).unwrap())],
        ..Default::default()
    };
    // Alone, the seed does not say what its identity object is called; the whole reference does
    // (`api_identity`). The configuration can say it too.
    // The rest of the configuration is the API's: bearer auth, its error object.
    let text = std::fs::read_to_string(schemas.join("codegen.toml")).unwrap();
    let mut config = codegen::parse_config(&text).unwrap();
    config.types.clear();
    config.type_name(
        &format!("{seed}#/methods/get/response_schema/properties/user"),
        "ApiIdentity",
    );
    let output = codegen::generate_with_config(&inputs, &config).unwrap();
    insta::assert_snapshot!("seed-model", codegen::dump::dump_api(&output.api));
    for (path, contents) in &output.files {
        insta::assert_snapshot!(format!("seed-{}", path.replace('/', "__")), contents);
    }
    // The conformance crate (written to target/ by the xtask, never committed), pinned for the
    // seed so that a change to it is reviewed like a change to the SDK.
    let conformance = codegen::conformance_crate(&output.api, "../../generated").unwrap();
    for (path, contents) in &conformance {
        insta::assert_snapshot!(format!("seed-{}", path.replace('/', "__")), contents);
    }
}

#[test]
fn seed_has_one_identity_one_domain_and_one_metadata_type() {
    let schemas = repo_root().join("schemas");
    let seed = "access-tokens/auth_access-tokens_id.json";
    let inputs = codegen::Inputs {
        schemas: vec![(seed.to_owned(), std::fs::read(schemas.join(seed)).unwrap())],
        ..Default::default()
    };
    let api = codegen::generate(&inputs).unwrap().api;
    let names: Vec<&str> = api
        .types
        .values()
        .map(|type_def| type_def.name.as_str())
        .collect();
    // Without the configuration the identity takes the best name its occurrences offer.
    assert_eq!(
        names,
        [
            "ApiAccessTokenMetadata",
            "ApiAccessTokenModifyMetadataPatch",
            "Domain",
            "User"
        ]
    );
    let identity = api
        .types
        .values()
        .find(|type_def| type_def.name == "User")
        .unwrap();
    assert_eq!(
        identity.occurrences.len(),
        4,
        "user and creator, in GET and PATCH"
    );
    let domain = api
        .types
        .values()
        .find(|type_def| type_def.name == "Domain")
        .unwrap();
    assert_eq!(domain.occurrences.len(), 4);
    let metadata = api
        .types
        .values()
        .find(|type_def| type_def.name == "ApiAccessTokenMetadata")
        .unwrap();
    assert_eq!(metadata.occurrences.len(), 2, "GET and PATCH responses");
}

#[test]
fn nested_arrays() {
    check_valid("nested_arrays", &load(&fixture("valid", "nested_arrays")));
}

#[test]
fn enums_in_arrays() {
    check_valid(
        "enums_in_arrays",
        &load(&fixture("valid", "enums_in_arrays")),
    );
}

#[test]
fn colliding_names() {
    check_valid(
        "colliding_names",
        &load(&fixture("valid", "colliding_names")),
    );
}

#[test]
fn optional_everything() {
    check_valid(
        "optional_everything",
        &load(&fixture("valid", "optional_everything")),
    );
}

#[test]
fn overrides() {
    check_valid("overrides", &load(&fixture("valid", "overrides")));
}

#[test]
fn every_invalid_fixture_is_rejected_with_located_hints() {
    let names = fixture_names("invalid");
    assert!(names.len() >= 40, "fixtures went missing: {names:?}");
    for name in names {
        let inputs = load(&fixture("invalid", &name));
        let diagnostics = match codegen::generate(&inputs) {
            Ok(_) => panic!("{name} should be rejected"),
            Err(diagnostics) => diagnostics,
        };
        for diagnostic in diagnostics.items() {
            assert!(!diagnostic.location.file.is_empty(), "{name}: {diagnostic}");
            assert!(!diagnostic.hint.is_empty(), "{name}: {diagnostic}");
        }
        let stem = name.trim_end_matches(".json");
        insta::assert_snapshot!(format!("invalid-{stem}"), diagnostics.to_string());
    }
}

/// An OpenAPI document (YAML) with each construct the OpenAPI frontend reads.
#[test]
fn openapi_shop() {
    check_valid("openapi_shop", &load(&fixture("valid", "openapi_shop")));
}

#[test]
fn hostile_names() {
    check_valid("hostile_names", &load(&fixture("valid", "hostile_names")));
}

/// The inventory fixture's configuration changes the models: extra derives on every type, a
/// type replaced by the API's own, Rust types for fields and a query parameter, and the
/// dependency they need. The OpenAPI document still says what the wire carries.
#[test]
fn inventory_derives_replacements_and_field_types() {
    let inputs = load(&repo_root().join("tests/fixtures/inventory"));
    let output = codegen::generate(&inputs).unwrap_or_else(|problems| panic!("{problems}"));
    for path in [
        "inventory-models/Cargo.toml",
        "inventory-models/src/lib.rs",
        "inventory-models/src/query.rs",
    ] {
        insta::assert_snapshot!(
            format!("inventory-{}", path.replace('/', "__")),
            output.files[path]
        );
    }
    let document: serde_json::Value =
        serde_json::from_str(&output.files["inventory-server/openapi.json"]).unwrap();
    let item = &document["components"]["schemas"]["Item"]["properties"];
    assert_eq!(item["id"]["type"], "string", "{item}");
    let list = &document["paths"]["/v1/items/"]["get"]["parameters"][0];
    assert_eq!(list["name"], "limit");
    assert_eq!(list["schema"]["type"], "string", "{list}");
    // Without `auth` in `[conventions]`, no security scheme.
    assert!(document.get("security").is_none());
}
