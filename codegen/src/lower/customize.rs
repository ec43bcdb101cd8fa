//! The configuration's changes to the named model: extra derives (`[derives]`), your own types
//! for generated ones (`[replace]`), Rust types for fields (`[field-types]`) and for query
//! parameters (`[parameter-types]`). Applied after naming, so every key names a type as the
//! models crate does. Each problem is reported at its key.

use std::collections::BTreeMap;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// What every struct of the models crate derives or implements already.
const STRUCT_TRAITS: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Default",
    "Serialize",
    "Deserialize",
    "JsonSchema",
];
/// What every enum of the models crate derives or implements already (`Default` is not
/// derivable for them: the catch-all variant holds a value).
const ENUM_TRAITS: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Serialize",
    "Deserialize",
    "JsonSchema",
    "Default",
];

/// Applies the configuration's changes to `api`, reporting keys that match nothing and values
/// that are not Rust.
pub fn apply(api: &mut Api, config: &Config, diagnostics: &mut Diagnostics) {
    let by_name: BTreeMap<String, TypeId> = api
        .types
        .iter()
        .map(|(id, type_def)| (type_def.name.clone(), *id))
        .collect();
    let unknown_type = |diagnostics: &mut Diagnostics, at: &Location, name: &str| {
        let hint = if at.pointer.starts_with("[derives]") {
            "use a type name of the models crate (the model dump lists them), or `*` for every type"
        } else {
            "use a type name of the models crate (the model dump lists them)"
        };
        diagnostics.error(at, format!("no model type is named `{name}`"), hint);
    };
    for (key, derives) in &config.derives {
        let at = Location::table_entry(CONFIG_FILE, "derives", key);
        let targets: Vec<TypeId> = if key == "*" {
            by_name.values().copied().collect()
        } else if let Some(id) = by_name.get(key) {
            vec![*id]
        } else {
            unknown_type(diagnostics, &at, key);
            continue;
        };
        for derive in derives {
            if syn::parse_str::<syn::Path>(derive).is_err() {
                diagnostics.error(
                    &at,
                    format!("`{derive}` is not a derive macro path"),
                    "write a path such as `Hash` or `utoipa::ToSchema`",
                );
                continue;
            }
            let last = derive.rsplit("::").next().unwrap_or(derive).trim();
            for id in &targets {
                let type_def = api.types.get_mut(id).expect("ids come from the map");
                let present = match type_def.kind {
                    TypeKind::Struct { .. } | TypeKind::Union { .. } => STRUCT_TRAITS,
                    TypeKind::Enum { .. } => ENUM_TRAITS,
                };
                if present.contains(&last) || type_def.extra_derives.contains(derive) {
                    // `*` adds a derive where it is missing; a named type asked for one it has
                    // is a mistake worth saying.
                    if key != "*" {
                        diagnostics.error(
                            &at,
                            format!("`{}` already implements `{last}`", type_def.name),
                            "leave it out: the models crate derives or implements it already",
                        );
                    }
                    continue;
                }
                type_def.extra_derives.push(derive.clone());
            }
        }
    }
    for (name, path) in &config.replace {
        let at = Location::table_entry(CONFIG_FILE, "replace", name);
        let Some(id) = by_name.get(name) else {
            unknown_type(diagnostics, &at, name);
            continue;
        };
        if rust_type(diagnostics, &at, path) {
            api.types
                .get_mut(id)
                .expect("ids come from the map")
                .replacement = Some(path.clone());
        }
    }
    for (key, path) in &config.field_types {
        let at = Location::table_entry(CONFIG_FILE, "field-types", key);
        let Some((type_name, field_name)) = key.rsplit_once('.') else {
            diagnostics.error(
                &at,
                format!("`{key}` does not name a field"),
                "write `Type.field`, with the field's name on the wire",
            );
            continue;
        };
        let Some(id) = by_name.get(type_name) else {
            unknown_type(diagnostics, &at, type_name);
            continue;
        };
        if !rust_type(diagnostics, &at, path) {
            continue;
        }
        let type_def = api.types.get_mut(id).expect("ids come from the map");
        let field = match &mut type_def.kind {
            TypeKind::Struct { fields } => fields
                .iter_mut()
                .find(|field| field.wire_name == field_name),
            TypeKind::Enum { .. } | TypeKind::Union { .. } => None,
        };
        match field {
            Some(field) => retype(&mut field.ty, path),
            None => diagnostics.error(
                &at,
                format!("`{}` has no field `{field_name}`", type_def.name),
                "use the field's name on the wire, as the model dump lists it",
            ),
        }
    }
    for (key, path) in &config.parameter_types {
        let at = Location::table_entry(CONFIG_FILE, "parameter-types", key);
        let Some((route, name)) = key.split_once('?') else {
            diagnostics.error(
                &at,
                format!("`{key}` does not name a query parameter"),
                "write `METHOD /path?name`, e.g. `GET /v1/items/?limit`",
            );
            continue;
        };
        let operation = api
            .operations
            .iter_mut()
            .find(|operation| format!("{} {}", operation.method.as_str(), operation.path) == route);
        let Some(operation) = operation else {
            diagnostics.error(
                &at,
                format!("no operation is `{route}`"),
                "write the method and the path as the endpoint file gives them, e.g. `GET /v1/items/`",
            );
            continue;
        };
        let Some(parameter) = operation
            .query_params
            .iter_mut()
            .find(|parameter| parameter.wire_name == name)
        else {
            diagnostics.error(
                &at,
                format!("`{route}` has no query parameter `{name}`"),
                "only query parameters take a type; path parameters and headers stay strings",
            );
            continue;
        };
        if rust_type(diagnostics, &at, path) {
            retype(&mut parameter.ty, path);
        }
    }
}

/// Whether `path` is a Rust type; reported at `at` when not.
fn rust_type(diagnostics: &mut Diagnostics, at: &Location, path: &str) -> bool {
    let valid = syn::parse_str::<syn::Type>(path).is_ok();
    if !valid {
        diagnostics.error(
            at,
            format!("`{path}` is not a Rust type"),
            "write a type the models crate can name, such as `u32` or `my_crate::Identity`",
        );
    }
    valid
}

/// Gives a field or parameter the Rust type `path`, keeping what the input says for the OpenAPI
/// document.
fn retype(ty: &mut TypeRef, path: &str) {
    let wire = match std::mem::replace(ty, TypeRef::String) {
        TypeRef::Rust { wire, .. } => wire,
        other => Box::new(other),
    };
    *ty = TypeRef::Rust {
        path: path.to_owned(),
        wire,
    };
}
