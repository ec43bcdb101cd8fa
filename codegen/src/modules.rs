//! Module mode, for `build.rs`: the models and the client as two modules of one file
//! (`pub mod models { .. } pub mod client { .. }`) that a crate includes from `OUT_DIR`, instead
//! of crates of their own. Everything is compiled in (a group's cargo feature gates nothing
//! here), the client refers to the models as `super::models`, and the crate-level documentation
//! (whose examples name the crates) gives way to one line per module.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::diagnostics::Diagnostics;
use crate::{emit, ident, ir, render};

/// What [`generate_modules`] produces.
#[derive(Debug, Clone)]
pub struct Modules {
    /// The file name to write it under: `<api>.rs` (`-` as `_`).
    pub file_name: String,
    /// The Rust source: `pub mod models` and `pub mod client`, formatted, with the header.
    pub source: String,
    /// The new contents of `codegen.lock`, as [`crate::Output::lock`].
    pub lock: String,
}

/// Parses and lowers as [`crate::generate`] does, then emits the models and the client as
/// modules of one file.
///
/// The including crate needs the client's dependencies: `serde` (with `derive`), `serde_json`,
/// `serde_urlencoded`, `reqwest` (with `query` and `stream`, and a TLS feature for HTTPS),
/// `bytes` and `tokio`.
pub fn generate_modules(inputs: &crate::Inputs) -> Result<Modules, Diagnostics> {
    let (api, new_lock) = crate::model(inputs, &crate::resolve_config(inputs)?)?;
    let mut problems = Diagnostics::default();
    let source = match render_modules(&api) {
        Ok(source) => source,
        Err(error) => {
            crate::internal_error(&mut problems, "modules.rs", &error);
            String::new()
        }
    };
    let lock = crate::lock::render_lock(&new_lock, &api.regenerate);
    let file_name = format!("{}.rs", api.name.replace('-', "_"));
    problems.finish(Modules {
        file_name,
        source,
        lock,
    })
}

fn render_modules(api: &ir::Api) -> syn::Result<String> {
    let features: BTreeSet<&str> = api
        .groups
        .iter()
        .map(|group| group.feature.as_str())
        .collect();
    let models_crate = ident::crate_ident(&api.crate_name("models"));
    let models = as_module(
        "models",
        &format!("Models of the {} REST API.", api.name),
        emit::models::emit_models(api)?,
        &features,
        &models_crate,
    )?;
    let mut items = vec![syn::Item::Mod(models)];
    // `[crates] client = false` leaves the client out here too.
    if api.emits("client") {
        items.push(syn::Item::Mod(as_module(
            "client",
            &format!("An async client for the {} REST API, on reqwest.", api.name),
            emit::client::emit_client(api)?,
            &features,
            &models_crate,
        )?));
    }
    let file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items,
    };
    render::render_rust(quote::quote!(#file), &api.regenerate)
}

/// A crate's tokens as a module: feature gates of groups removed, the crate-level attributes
/// replaced, and the models crate named as the sibling module.
fn as_module(
    name: &str,
    doc: &str,
    source: emit::CrateSource,
    features: &BTreeSet<&str>,
    models_crate: &str,
) -> syn::Result<syn::ItemMod> {
    let tokens = with_inline_runtime(source)?;
    let mut file: syn::File = syn::parse2(without_group_gates(tokens, features))?;
    let reexport = format!("pub use {models_crate} as models ;");
    for item in &mut file.items {
        if quote::quote!(#item).to_string() == reexport {
            *item = syn::parse_quote!(
                pub use super::models;
            );
        }
    }
    // Crate-level documentation gives way to one line (its examples name the crates); the
    // lints stay.
    let mut attrs: Vec<syn::Attribute> = file
        .attrs
        .into_iter()
        .filter(|attribute| !attribute.path().is_ident("doc"))
        .collect();
    attrs.insert(0, syn::parse_quote!(#![doc = #doc]));
    let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
    let items = file.items;
    Ok(syn::parse_quote! {
        pub mod #ident {
            #(#attrs)*
            #(#items)*
        }
    })
}

/// The crate's tokens with `mod runtime;` holding the runtime's items (its file documentation
/// left out: the module is private).
fn with_inline_runtime(source: emit::CrateSource) -> syn::Result<TokenStream> {
    let mut lib: syn::File = syn::parse2(source.lib)?;
    let runtime: syn::File = syn::parse_str(&source.runtime)?;
    let mut runtime_items = Some(runtime.items);
    for item in &mut lib.items {
        if let syn::Item::Mod(module) = item {
            if module.ident == "runtime" && module.content.is_none() {
                module.content = runtime_items
                    .take()
                    .map(|items| (Default::default(), items));
                module.semi = None;
            }
        }
    }
    Ok(quote::quote!(#lib))
}

/// Decides the cargo-feature conditions as module mode compiles: every group's feature on, any
/// other feature (`schemars`) off. `#[cfg(P)]` goes when P holds, and takes its item with it
/// when P does not; `#[cfg_attr(P, A)]` becomes `#[A]` or goes. Conditions on anything but
/// features stay as they are.
fn without_group_gates(tokens: TokenStream, features: &BTreeSet<&str>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut res: Vec<TokenTree> = Vec::with_capacity(trees.len());
    // Where the attributes kept for the coming item begin in `res` (its docs, say): an item
    // that goes takes them with it, whichever order they were written in.
    let mut attributes_start: Option<usize> = None;
    let mut index = 0;
    while index < trees.len() {
        if let (TokenTree::Punct(pound), Some(TokenTree::Group(attribute))) =
            (&trees[index], trees.get(index + 1))
        {
            if pound.as_char() == '#' && attribute.delimiter() == Delimiter::Bracket {
                match decide(attribute.stream(), features) {
                    Decision::Keep => {
                        attributes_start.get_or_insert(res.len());
                        res.push(trees[index].clone());
                        res.push(TokenTree::Group(Group::new(
                            Delimiter::Bracket,
                            without_group_gates(attribute.stream(), features),
                        )));
                        index += 2;
                        continue;
                    }
                    Decision::Drop => {
                        index += 2;
                        continue;
                    }
                    Decision::DropItem => {
                        if let Some(start) = attributes_start.take() {
                            res.truncate(start);
                        }
                        index += 2;
                        // The item runs to its first `{..}` block or `;`, whichever comes first.
                        while index < trees.len() {
                            let end = match &trees[index] {
                                TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
                                TokenTree::Punct(punct) => punct.as_char() == ';',
                                _ => false,
                            };
                            index += 1;
                            if end {
                                break;
                            }
                        }
                        continue;
                    }
                    Decision::Replace(inner) => {
                        attributes_start.get_or_insert(res.len());
                        res.push(trees[index].clone());
                        res.push(TokenTree::Group(Group::new(Delimiter::Bracket, inner)));
                        index += 2;
                        continue;
                    }
                }
            }
        }
        attributes_start = None;
        res.push(match &trees[index] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(
                    group.delimiter(),
                    without_group_gates(group.stream(), features),
                );
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        index += 1;
    }
    res.into_iter().collect()
}

/// What becomes of one attribute.
enum Decision {
    Keep,
    /// The attribute goes (its condition holds).
    Drop,
    /// The attribute and the item it is on go (its condition does not hold).
    DropItem,
    /// `cfg_attr` whose condition holds: the attribute it carries.
    Replace(TokenStream),
}

fn decide(attribute: TokenStream, features: &BTreeSet<&str>) -> Decision {
    let trees: Vec<TokenTree> = attribute.into_iter().collect();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(arguments)), None) =
        (trees.first(), trees.get(1), trees.get(2))
    else {
        return Decision::Keep;
    };
    if arguments.delimiter() != Delimiter::Parenthesis {
        return Decision::Keep;
    }
    let arguments: Vec<TokenTree> = arguments.stream().into_iter().collect();
    if name == "cfg" {
        return match evaluate(&arguments, features) {
            Some(true) => Decision::Drop,
            Some(false) => Decision::DropItem,
            None => Decision::Keep,
        };
    }
    if name == "cfg_attr" {
        let Some(comma) = arguments
            .iter()
            .position(|tree| matches!(tree, TokenTree::Punct(punct) if punct.as_char() == ','))
        else {
            return Decision::Keep;
        };
        return match evaluate(&arguments[..comma], features) {
            Some(true) => Decision::Replace(arguments[comma + 1..].iter().cloned().collect()),
            Some(false) => Decision::Drop,
            None => Decision::Keep,
        };
    }
    Decision::Keep
}

/// The value of a condition made of `feature = ".."`, `any`, `all` and `not`; `None` when it
/// has anything else.
fn evaluate(condition: &[TokenTree], features: &BTreeSet<&str>) -> Option<bool> {
    match condition {
        [TokenTree::Ident(word), TokenTree::Punct(equals), TokenTree::Literal(value)]
            if word == "feature" && equals.as_char() == '=' =>
        {
            Some(features.contains(value.to_string().trim_matches('"')))
        }
        [TokenTree::Ident(word), TokenTree::Group(inner)]
            if inner.delimiter() == Delimiter::Parenthesis =>
        {
            let inner: Vec<TokenTree> = inner.stream().into_iter().collect();
            let values = inner
                .split(|tree| matches!(tree, TokenTree::Punct(punct) if punct.as_char() == ','))
                .filter(|part| !part.is_empty())
                .map(|part| evaluate(part, features))
                .collect::<Option<Vec<bool>>>()?;
            match word.to_string().as_str() {
                "any" => Some(values.iter().any(|value| *value)),
                "all" => Some(values.iter().all(|value| *value)),
                "not" if values.len() == 1 => Some(!values[0]),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_on_and_other_features_off() {
        let features: BTreeSet<&str> = ["files", "dns"].into_iter().collect();
        let tokens: TokenStream = syn::parse_quote! {
            #[cfg(feature = "files")]
            pub struct A;
            #[cfg(any(feature = "files", feature = "dns"))]
            pub struct B;
            #[cfg(feature = "schemars")]
            impl Schema for B { fn x() {} }
            #[cfg(not(feature = "files"))]
            pub struct D;
            #[cfg_attr(feature = "schemars", derive(JsonSchema))]
            #[cfg_attr(feature = "dns", derive(Debug))]
            #[cfg(docsrs)]
            pub struct E;
            pub mod inner {
                #[cfg(feature = "dns")]
                pub struct F;
            }
            /// Documented, then gated: the docs go with the item.
            #[cfg(feature = "schemars")]
            fn g() {}
            /// Kept.
            #[cfg(feature = "files")]
            fn h() {}
        };
        let text = without_group_gates(tokens, &features).to_string();
        assert_eq!(
            text,
            "pub struct A ; pub struct B ; # [derive (Debug)] # [cfg (docsrs)] pub struct E ; \
             pub mod inner { pub struct F ; } # [doc = r\" Kept.\"] fn h () { }"
        );
    }
}
