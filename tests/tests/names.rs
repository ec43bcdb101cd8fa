//! Names are keyed by what users see: a type keeps its name as long as it keeps most of its
//! places (routes and JSON pointers), whatever happens inside it, and the same final schemas
//! give the same names whatever the order of the edits that led there. Each scenario edits a
//! small API, regenerates with the lock of the run before, and compares names by place.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// The base API: a thing (with an owner identity and a state enum) read, written and listed,
/// and a person with the same identity.
fn base() -> BTreeMap<&'static str, Value> {
    let identity = json!({
        "type": "object",
        "properties": {
            "name": { "type": "string" },
            "domain": { "type": "string", "enum": ["LOCAL", "WORLD"] }
        }
    });
    let thing = json!({
        "description": "api_thing",
        "type": "object",
        "properties": {
            "name": { "type": "string" },
            "owner": identity,
            "state": { "type": "string", "enum": ["ON", "OFF"] }
        }
    });
    let item = [("id", true)].map(|(name, required)| json!({ "name": name, "required": required }));
    let ok = [json!({ "code": "200" })];
    BTreeMap::from([
        (
            "things/thing.json",
            json!({
                "endpoint": "/v1/things/{id}",
                "category": "Things",
                "methods": {
                    "get": { "parameters": item, "responses": ok, "response_schema": thing },
                    "put": {
                        "parameters": item,
                        "responses": ok,
                        "request_schema": thing,
                        "response_schema": thing
                    }
                }
            }),
        ),
        (
            "things/list.json",
            json!({
                "endpoint": "/v1/things/",
                "category": "Things",
                "methods": { "get": { "responses": ok, "response_schema": {
                    "description": "api_thing_list",
                    "type": "object",
                    "properties": { "entries": { "type": "array", "items": thing } }
                } } }
            }),
        ),
        (
            "people/person.json",
            json!({
                "endpoint": "/v1/people/{id}",
                "category": "People",
                "methods": { "get": { "parameters": item, "responses": ok, "response_schema": {
                    "description": "api_person",
                    "type": "object",
                    "properties": { "name": { "type": "string" }, "owner": identity }
                } } }
            }),
        ),
    ])
}

/// One run: the files and the lock of the run before; the names by place and the new lock.
fn run(files: &BTreeMap<&str, Value>, lock: Option<&str>) -> (BTreeMap<String, String>, String) {
    let inputs = codegen::Inputs {
        schemas: files
            .iter()
            .map(|(path, value)| ((*path).to_owned(), value.to_string().into_bytes()))
            .collect(),
        lock: lock.map(str::to_owned),
        ..Default::default()
    };
    let output = codegen::generate(&inputs).unwrap_or_else(|error| panic!("{error}"));
    let mut names = BTreeMap::new();
    for type_def in output.api.types.values() {
        for place in &type_def.occurrences {
            names.insert(place.to_string(), type_def.name.clone());
        }
    }
    (names, output.lock)
}

/// Applies `edit` to the value at `pointer` of `file`.
fn edit(files: &mut BTreeMap<&str, Value>, file: &str, pointer: &str, edit: impl Fn(&mut Value)) {
    let value = files
        .get_mut(file)
        .and_then(|document| document.pointer_mut(pointer))
        .unwrap_or_else(|| panic!("{file}#{pointer}"));
    edit(value);
}

/// Places whose name differs between two runs (places of only one run are not compared).
fn renamed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    before
        .iter()
        .filter_map(|(place, name)| {
            let now = after.get(place)?;
            (now != name).then(|| format!("{place}: {name} -> {now}"))
        })
        .collect()
}

const THING_PLACES: [&str; 4] = [
    "things/thing.json#/methods/get/response_schema",
    "things/thing.json#/methods/put/request_schema",
    "things/thing.json#/methods/put/response_schema",
    "things/list.json#/methods/get/response_schema/properties/entries/items",
];

fn add_domain_value(files: &mut BTreeMap<&str, Value>) {
    for (file, pointer) in [
        ("things/thing.json", "/methods/get/response_schema/properties/owner/properties/domain/enum"),
        ("things/thing.json", "/methods/put/request_schema/properties/owner/properties/domain/enum"),
        ("things/thing.json", "/methods/put/response_schema/properties/owner/properties/domain/enum"),
        ("things/list.json", "/methods/get/response_schema/properties/entries/items/properties/owner/properties/domain/enum"),
        ("people/person.json", "/methods/get/response_schema/properties/owner/properties/domain/enum"),
    ] {
        edit(files, file, pointer, |values| {
            values.as_array_mut().unwrap().push(json!("API_TENANT_DOMAIN"));
        });
    }
}

fn add_size(files: &mut BTreeMap<&str, Value>, pointer: &str) {
    edit(files, "things/thing.json", pointer, |properties| {
        properties["size"] = json!({ "type": "string" });
    });
}

#[test]
fn scenarios_rename_nothing_that_kept_its_places() {
    let original = base();
    let (names, lock) = run(&original, None);
    assert_eq!(names[THING_PLACES[0]], "ApiThing");
    assert_eq!(
        names["people/person.json#/methods/get/response_schema/properties/owner"],
        "Owner"
    );

    // A value added to a nested enum everywhere: every type keeps its name, the enclosing ones
    // too (their structure changed, their places did not).
    let mut enum_added = original.clone();
    add_domain_value(&mut enum_added);
    let (after, _) = run(&enum_added, Some(&lock));
    assert_eq!(
        renamed(&names, &after),
        Vec::<String>::new(),
        "nested enum value added"
    );

    // A property added in one place: the type at the other three places keeps `ApiThing`, the
    // one that moved gets a name of its own.
    let mut split = original.clone();
    add_size(&mut split, "/methods/put/request_schema/properties");
    let (after_split, split_lock) = run(&split, Some(&lock));
    let moved = THING_PLACES[1];
    assert_ne!(after_split[moved], "ApiThing");
    for place in THING_PLACES.iter().filter(|place| **place != moved) {
        assert_eq!(after_split[*place], "ApiThing", "{place}");
    }

    // ... and re-merged: the original names come back.
    let (merged, _) = run(&original, Some(&split_lock));
    assert_eq!(
        renamed(&names, &merged),
        Vec::<String>::new(),
        "split and re-merged"
    );

    // A page removed: nothing that remains is renamed.
    let mut removed = original.clone();
    removed.remove("people/person.json");
    let (after_removal, _) = run(&removed, Some(&lock));
    assert_eq!(
        renamed(&names, &after_removal),
        Vec::<String>::new(),
        "page removed"
    );
}

#[test]
fn names_follow_places_when_two_shapes_swap() {
    let original = base();
    let (names, lock) = run(&original, None);
    // The person's schema and the list's schema trade places (descriptions included).
    let mut swapped = original.clone();
    let list =
        swapped.get_mut("things/list.json").unwrap()["methods"]["get"]["response_schema"].take();
    let person =
        swapped.get_mut("people/person.json").unwrap()["methods"]["get"]["response_schema"].take();
    swapped.get_mut("things/list.json").unwrap()["methods"]["get"]["response_schema"] = person;
    swapped.get_mut("people/person.json").unwrap()["methods"]["get"]["response_schema"] = list;
    let (after, _) = run(&swapped, Some(&lock));
    // `things().list()` still returns the type it returned before, by name.
    for place in [
        "things/list.json#/methods/get/response_schema",
        "people/person.json#/methods/get/response_schema",
    ] {
        assert_eq!(after[place], names[place], "{place}");
    }
}

#[test]
fn an_edit_in_two_steps_ends_with_the_names_of_the_same_edit_in_one() {
    let original = base();
    let (_, lock) = run(&original, None);
    let pointers = [
        "/methods/put/request_schema/properties",
        "/methods/get/response_schema/properties",
        "/methods/put/response_schema/properties",
    ];
    let mut one_step = original.clone();
    for pointer in pointers {
        add_size(&mut one_step, pointer);
    }
    edit(
        &mut one_step,
        "things/list.json",
        "/methods/get/response_schema/properties/entries/items/properties",
        |properties| properties["size"] = json!({ "type": "string" }),
    );
    let (direct, _) = run(&one_step, Some(&lock));

    let mut first_step = original.clone();
    add_size(&mut first_step, pointers[0]);
    let (_, intermediate_lock) = run(&first_step, Some(&lock));
    let (in_two_steps, _) = run(&one_step, Some(&intermediate_lock));
    assert_eq!(direct, in_two_steps);
    assert_eq!(direct[THING_PLACES[0]], "ApiThing");
}

#[test]
fn an_override_cannot_take_a_name_the_lock_keeps_for_another_type() {
    let original = base();
    let (_, lock) = run(&original, None);
    let inputs = codegen::Inputs {
        schemas: original
            .iter()
            .map(|(path, value)| ((*path).to_owned(), value.to_string().into_bytes()))
            .collect(),
        lock: Some(lock),
        config: Some(
            "api = \"fixture\"\n[types]\n\"people/person.json#/methods/get/response_schema\" = \"ApiThing\"\n"
                .to_owned(),
        ),
        ..Default::default()
    };
    let error = codegen::generate(&inputs).unwrap_err().to_string();
    assert!(
        error.contains("codegen.toml names this type `ApiThing`, which codegen.lock keeps for the type at things/list.json#/methods/get/response_schema/properties/entries/items"),
        "{error}"
    );
}

/// A lock written before names were kept by place names types by a hash of their structure;
/// those hashes (computed by the generator as it was then) still find their shapes: an enum,
/// a struct holding it, a struct holding that one, and a struct holding a list of those.
#[test]
fn a_lock_of_structural_hashes_still_names_its_types() {
    let lock = "type 3165b8cdbc479281 Realm\n\
                type 860e2cb33890bb51 Keeper\n\
                type dfd037de07811d5f Gadget\n\
                type de2b3a7aa8148205 GadgetPage\n";
    let (names, _) = run(&base(), Some(lock));
    for (place, name) in [
        (
            "people/person.json#/methods/get/response_schema/properties/owner/properties/domain",
            "Realm",
        ),
        (
            "people/person.json#/methods/get/response_schema/properties/owner",
            "Keeper",
        ),
        (THING_PLACES[0], "Gadget"),
        (THING_PLACES[3], "Gadget"),
        (
            "things/list.json#/methods/get/response_schema",
            "GadgetPage",
        ),
    ] {
        assert_eq!(names[place], name, "{place}");
    }
    // Without the lock, the names are the ones the schemas suggest.
    let (fresh, _) = run(&base(), None);
    assert_eq!(fresh[THING_PLACES[0]], "ApiThing");
}
