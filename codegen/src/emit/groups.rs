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

/// An item's feature gate printed as prettyplease prints it: [`cfg_any`]'s attribute, and the
/// `#[cfg_attr(docsrs, doc(cfg(..)))]` rendering adds after the item's other attributes, each
/// ending with a line break; both empty for an item no group claims. `None` where a feature
/// name would need escaping.
pub fn print_gate(features: &[String]) -> Option<PrintedGate> {
    if features.is_empty() {
        return Some(PrintedGate::default());
    }
    let plain = |feature: &String| {
        feature
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    };
    if !features.iter().all(plain) {
        return None;
    }
    let listed: Vec<Meta> = features
        .iter()
        .map(|feature| Meta::Word(format!("feature = \"{feature}\"")))
        .collect();
    let condition = match <[Meta; 1]>::try_from(listed) {
        Ok([one]) => one,
        Err(all) => Meta::List("any", all),
    };
    let cfg = Meta::List("cfg", vec![condition]);
    let mut res = PrintedGate::default();
    print_attribute(&cfg, &mut res.cfg);
    let doc_cfg = Meta::List(
        "cfg_attr",
        vec![
            Meta::Word("docsrs".to_owned()),
            Meta::List("doc", vec![cfg]),
        ],
    );
    print_attribute(&doc_cfg, &mut res.doc_cfg);
    Some(res)
}

/// See [`print_gate`].
#[derive(Default)]
pub struct PrintedGate {
    /// `#[cfg(..)]`.
    pub cfg: String,
    /// `#[cfg_attr(docsrs, doc(cfg(..)))]`.
    pub doc_cfg: String,
}

/// The inside of an attribute: a word (`docsrs`, `feature = "a"`) or a list, `name(a, b)`.
enum Meta {
    Word(String),
    List(&'static str, Vec<Meta>),
}

impl Meta {
    /// Its length on one line.
    fn flat_len(&self) -> usize {
        match self {
            Meta::Word(word) => word.len(),
            Meta::List(name, items) => {
                name.len()
                    + 2
                    + items.iter().map(Meta::flat_len).sum::<usize>()
                    + 2 * items.len().saturating_sub(1)
            }
        }
    }
}

/// `#[meta]` at the start of a line, as prettyplease prints an outer attribute of an item at
/// the top of a file, with its line break: a list on one line where it fits within the margin
/// (89 columns), else one item per line, four columns further in than the list's own line, and
/// the `)` back on a line of its own. A list fits where it ends within the margin with what
/// follows it up to where a line could break: its `)`, and the `]` of the attribute or the
/// comma after it in the list it is in.
fn print_attribute(meta: &Meta, out: &mut String) {
    out.push_str("#[");
    let line = out.len() - 2;
    print_meta(meta, line, 0, 1, out);
    out.push_str("]\n");
}

/// `meta` where `line` is the offset in `out` of the start of the current line, `indent` the
/// indentation of the list it is in and `after` the length of what follows it up to where a
/// line could break (a `]` or a `,`; none after the last item of a list).
fn print_meta(meta: &Meta, line: usize, indent: usize, after: usize, out: &mut String) {
    const MARGIN: usize = 89;
    let (name, items) = match meta {
        Meta::Word(word) => return out.push_str(word),
        Meta::List(name, items) => (name, items),
    };
    out.push_str(name);
    out.push('(');
    let column = out.len() - line;
    // The list's items and its `)`.
    let rest = meta.flat_len() - name.len() - 1;
    if column + rest + after <= MARGIN {
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            print_meta(item, line, indent, 0, out);
        }
    } else {
        let inner = indent + 4;
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push('\n');
            let line = out.len();
            out.extend(std::iter::repeat_n(' ', inner));
            let after = usize::from(index + 1 < items.len());
            print_meta(item, line, inner, after, out);
        }
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
    }
    out.push(')');
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A gated unit struct printed by prettyplease, with the gate rendering shows.
    fn by_prettyplease(features: &[String]) -> String {
        let cfg = cfg_any(features);
        let tokens = quote::quote! {
            #cfg
            pub struct Gated;
        };
        let part = crate::render::render_chunks(vec![super::super::Chunk::Tokens(tokens)]).unwrap();
        let text = crate::render::assemble(vec![part], "test").remove(0).1;
        let start = text.find("#[cfg(").unwrap();
        text[start..].to_owned()
    }

    #[test]
    fn gates_print_as_prettyplease_prints_them_at_every_length() {
        for count in 1..=3 {
            for length in 1..=80 {
                let features: Vec<String> = (0..count)
                    .map(|index| format!("{index}{}", "f".repeat(length)))
                    .collect();
                let gate = print_gate(&features).unwrap();
                let printed = format!("{}{}pub struct Gated;\n", gate.cfg, gate.doc_cfg);
                assert_eq!(printed, by_prettyplease(&features), "{count} of {length}");
            }
        }
    }
}
