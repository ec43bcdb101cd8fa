//! What the client and server emitters share about groups: their operations, their cargo
//! features and the `#[cfg]` that gates them.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Body, Group, Operation, TypeRef};

/// Every group with its operations, in path order: one pass over the operations.
pub fn groups_with_operations(api: &Api) -> Vec<(&Group, Vec<&Operation>)> {
    let mut by_group: std::collections::BTreeMap<&str, Vec<&Operation>> =
        std::collections::BTreeMap::new();
    for operation in &api.operations {
        by_group
            .entry(operation.group.as_str())
            .or_default()
            .push(operation);
    }
    api.groups
        .iter()
        .map(|group| {
            (
                group,
                by_group.remove(group.module.as_str()).unwrap_or_default(),
            )
        })
        .collect()
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
        Body::Json(ty) => mentions_models(ty),
        Body::UntypedJson => true,
        Body::Bytes => false,
    }
}

fn mentions_models(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) | TypeRef::Number | TypeRef::JsonObject => true,
        TypeRef::Array(items) => mentions_models(items),
        TypeRef::String | TypeRef::Integer | TypeRef::Boolean => false,
    }
}

/// A helper function of a runtime template, and the test that says whether an operation needs it.
pub type Helper = (&'static str, fn(&Operation) -> bool);

/// The runtime template's items. Each listed helper function is kept only when some operation
/// needs it, and then only for the features of the groups that do, so no build has dead code.
pub fn retain_helpers(api: &Api, items: Vec<syn::Item>, helpers: &[Helper]) -> Vec<syn::Item> {
    let mut res = Vec::new();
    for mut item in items {
        if let syn::Item::Fn(function) = &mut item {
            let name = function.sig.ident.to_string();
            if let Some((_, needs)) = helpers.iter().find(|(helper, _)| *helper == name) {
                let features = features_of(api, *needs);
                if features.is_empty() {
                    continue;
                }
                let cfg = cfg_any(&features);
                if !cfg.is_empty() {
                    function.attrs.push(syn::parse_quote!(#cfg));
                }
            }
        }
        res.push(item);
    }
    res
}

/// The features of the groups that have an operation for which `needs` holds, sorted.
pub fn features_of(api: &Api, needs: impl Fn(&Operation) -> bool) -> Vec<String> {
    let feature_of: std::collections::BTreeMap<&str, &str> = api
        .groups
        .iter()
        .map(|group| (group.module.as_str(), group.feature.as_str()))
        .collect();
    let features: BTreeSet<&str> = api
        .operations
        .iter()
        .filter(|operation| needs(operation))
        .filter_map(|operation| feature_of.get(operation.group.as_str()).copied())
        .collect();
    features.into_iter().map(str::to_owned).collect()
}

/// The `[package]` table every generated crate shares.
pub fn package_section(name: &str, description: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"{description}\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n"
    )
}
