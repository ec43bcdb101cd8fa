//! What the client and server emitters share about groups: their operations, their cargo
//! features and the `#[cfg]` that gates them.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::Package;
use crate::ir::{Api, Body, Group, Operation, TypeRef};

/// Every group with its operations, in path order: one pass over the operations.
pub fn groups_with_operations(api: &Api) -> Vec<(&Group, Vec<&Operation>)> {
    let mut by_group: Vec<Vec<&Operation>> = vec![Vec::new(); api.groups.len()];
    for operation in &api.operations {
        if let Some(operations) = by_group.get_mut(operation.group.0 as usize) {
            operations.push(operation);
        }
    }
    api.groups.iter().zip(by_group).collect()
}

/// `#[cfg(feature = "...")]` for one group.
pub fn cfg_group(group: &Group) -> TokenStream {
    let feature = &group.feature;
    quote! { #[cfg(feature = #feature)] }
}

/// `#[cfg(any(feature = "a", ...))]` for an item used by these features.
pub fn cfg_any(features: &[String]) -> TokenStream {
    match cfg_condition(features) {
        Some(condition) => quote! { #[cfg(#condition)] },
        None => TokenStream::new(),
    }
}

/// The condition of [`cfg_any`]: `feature = "a"` or `any(...)`, or `None` for an item no
/// group claims. (An item every group uses still gets the `any`: with no group enabled it would
/// be dead code.)
pub fn cfg_condition(features: &[String]) -> Option<TokenStream> {
    if features.is_empty() {
        return None;
    }
    if let [feature] = features {
        return Some(quote! { feature = #feature });
    }
    Some(quote! { any(#(feature = #features),*) })
}

/// The `[features]` table: one feature per group (each enabling `dependency`'s feature of the
/// same name, when given), all of them on by default, plus `extra` default features.
pub fn features_table(api: &Api, dependency: Option<&str>, extra: &[&str]) -> String {
    let mut res = String::from("[features]\n");
    let defaults: Vec<String> = extra
        .iter()
        .map(|feature| format!("\"{feature}\""))
        .chain(
            api.groups
                .iter()
                .map(|group| format!("\"{}\"", group.feature)),
        )
        .collect();
    res.push_str(&format!("default = [{}]\n", defaults.join(", ")));
    for group in &api.groups {
        let titles = group.titles.join(", ");
        let enables = dependency.map_or_else(String::new, |dependency| {
            format!("\"{dependency}/{}\"", group.feature)
        });
        if !titles.is_empty() {
            res.push_str(&format!("# {titles}\n"));
        }
        res.push_str(&format!("{} = [{enables}]\n", group.feature));
    }
    res
}

/// Whether any of these operations mentions the models crate (a named type, a number or a JSON
/// object in a body or response, or a query struct).
pub fn uses_models(operations: &[&Operation]) -> bool {
    operations.iter().any(|operation| {
        !operation.query_params.is_empty()
            || operation.request.as_ref().is_some_and(body_mentions_models)
            || operation.success_body().is_some_and(body_mentions_models)
    })
}

fn body_mentions_models(body: &Body) -> bool {
    match body {
        Body::Json(ty) | Body::Form(ty) => mentions_models(ty),
        Body::UntypedJson => true,
        Body::Bytes | Body::Text | Body::Null | Body::Location => false,
    }
}

fn mentions_models(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) | TypeRef::Number | TypeRef::JsonObject | TypeRef::Any => true,
        TypeRef::Array(items) | TypeRef::Map(items) => mentions_models(items),
        // A configured Rust type appears in the models crate only (fields, query structs).
        TypeRef::String | TypeRef::Integer | TypeRef::Boolean | TypeRef::Rust { .. } => false,
    }
}

/// A helper function of a runtime template, and the test that says whether an operation needs it.
pub type Helper = (&'static str, fn(&Operation) -> bool);

/// The features of the groups that have an operation for which `needs` holds, sorted.
pub fn features_of(api: &Api, needs: impl Fn(&Operation) -> bool) -> Vec<String> {
    let features: BTreeSet<&str> = api
        .operations
        .iter()
        .filter(|operation| needs(operation))
        .map(|operation| api.group(operation.group).feature.as_str())
        .collect();
    features.into_iter().map(str::to_owned).collect()
}

/// A generated crate's `[package]` table (with `readme` and docs.rs settings), from the
/// configuration's `[package]`.
pub fn package_section(package: &Package, name: &str, description: &str) -> String {
    // Values from the configuration are written as TOML strings, escaped.
    let quoted = |text: &str| toml::Value::String(text.to_owned()).to_string();
    let mut res = format!(
        "[package]\nname = {}\nversion = {}\nedition = {}\ndescription = {}\nlicense = {}\nreadme = \"README.md\"\n",
        quoted(name),
        quoted(&package.version),
        quoted(&package.edition),
        quoted(description),
        quoted(&package.license),
    );
    if let Some(documentation) = &package.documentation {
        res.push_str(&format!("documentation = {}\n", quoted(documentation)));
    }
    if let Some(repository) = &package.repository {
        res.push_str(&format!("repository = {}\n", quoted(repository)));
    }
    if !package.publish {
        res.push_str("publish = false\n");
    }
    res.push_str(
        "\n# docs.rs documents every feature and marks the items each one gates.\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n",
    );
    res
}

/// A generated crate's description: what the API is (the configuration's `description`, or
/// `the <api> REST API`) and what the crate holds.
pub fn crate_description(api: &Api, part: &str) -> String {
    match (&api.package.description, part) {
        (Some(description), "models") => format!("{description} (serde models)"),
        (Some(description), "client") => format!("{description} (async client)"),
        (Some(description), _) => format!("{description} (axum server stub)"),
        (None, "models") => format!("Models of the {} REST API", api.name),
        (None, "client") => format!("Async client for the {} REST API", api.name),
        (None, _) => format!("axum server stub for the {} REST API", api.name),
    }
}

/// A generated crate's `README.md`: what the crate is, how to start, and its features (one per
/// group). `part` is `models`, `client` or `server`.
pub fn crate_readme(api: &Api, part: &str) -> String {
    let name = api.crate_name(part);
    let ident = crate::ident::crate_ident(&name);
    let (what, start) = match part {
        "models" => (
            format!(
                "The serde models of the {} REST API: {} types, one per distinct schema shape. \
                 Fields the schema does not require are `Option`s; enums keep values they do \
                 not list; `JsonSchema` comes with the default `schemars` feature.",
                api.name,
                api.types.len()
            ),
            String::new(),
        ),
        "client" => (
            format!(
                "An async client for the {} REST API, on reqwest (HTTPS through rustls with \
                 ring's cryptography by default; `rustls-aws-lc` uses aws-lc-rs instead, \
                 `native-tls` the platform's TLS).",
                api.name
            ),
            format!(
                "```rust\nlet client = {ident}::Client::new({url:?})?{auth};\n```\n\n",
                url = api.conventions.example_url,
                auth = match super::client::example_auth(api).as_str() {
                    "" => String::new(),
                    call => format!("\n    {call}"),
                },
            ),
        ),
        _ => (
            format!(
                "An axum server stub for the {} REST API: implement one trait per group, \
                 mount the implementations on `Server`, and serve the router it builds. It \
                 serves the API's OpenAPI document at `/openapi.json`.",
                api.name
            ),
            String::new(),
        ),
    };
    let mut res = format!("# {name}\n\n{what}\n\n{start}");
    res.push_str(
        "## Features\n\nEach group of operations is a cargo feature, all on by default; with \
         `default-features = false` and only the groups you use, the crate compiles only what \
         they need.\n\n| feature | operations |\n|---|---|\n",
    );
    for group in &api.groups {
        res.push_str(&format!(
            "| `{}` | {} |\n",
            group.feature,
            group.titles.join(", ")
        ));
    }
    res.push_str(&format!(
        "\nGenerated from the API's schemas ({} operations); regenerate it rather than edit it.\n",
        api.operations.len()
    ));
    res
}
