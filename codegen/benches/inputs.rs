//! Benchmark inputs: the committed `schemas/`, and synthetic copies of it that are as large as
//! several APIs. Copy `k` puts every page under `/copy{k}`, in its own category, and marks every
//! description, so the copies are distinct shapes that cannot deduplicate into each other.

use std::path::Path;

use serde_json::Value;

/// `schemas/` as the xtask reads it (without the lock, so every run names from scratch).
pub fn schemas() -> codegen::Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut inputs = codegen::Inputs::default();
    let mut stack = vec![(dir.clone(), String::new())];
    while let Some((current, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("schemas/ is readable") {
            let entry = entry.expect("schemas/ is readable");
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.path().is_dir() {
                stack.push((entry.path(), relative));
            } else if name.ends_with(".json") {
                inputs
                    .schemas
                    .push((relative, std::fs::read(entry.path()).expect("readable")));
            }
        }
    }
    inputs.config = std::fs::read_to_string(dir.join("codegen.toml")).ok();
    inputs.corrections = std::fs::read_to_string(dir.join("corrections.toml")).ok();
    inputs
}

/// `inputs` repeated `factor` times (see the module documentation).
pub fn scaled(inputs: &codegen::Inputs, factor: usize) -> codegen::Inputs {
    let mut res = inputs.clone();
    for copy in 1..factor {
        for (path, bytes) in &inputs.schemas {
            let mut value: Value = serde_json::from_slice(bytes).expect("schemas are JSON");
            mark(&mut value, copy);
            if let Some(Value::String(endpoint)) = value.get_mut("endpoint") {
                *endpoint = format!("/copy{copy}{endpoint}");
            }
            if let Some(Value::String(category)) = value.get_mut("category") {
                category.push_str(&format!(" Copy{copy}"));
            }
            res.schemas.push((
                format!("copy{copy}/{path}"),
                serde_json::to_vec(&value).expect("serializable"),
            ));
        }
    }
    res
}

fn mark(value: &mut Value, copy: usize) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match child {
                    Value::String(text) if key == "description" => {
                        text.push_str(&format!(" (copy {copy})"))
                    }
                    _ => mark(child, copy),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| mark(item, copy)),
        _ => {}
    }
}
