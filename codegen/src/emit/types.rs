//! How IR type references are spelled in Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::layout::Ty;
use crate::ir::{Api, TypeRef};

/// A type reference as a Rust type. `models` is the path prefix for named types (empty inside
/// the models crate, the crate path elsewhere).
pub fn rust_type(api: &Api, ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Number => quote! { #models serde_json::Number },
        TypeRef::Integer => quote! { i64 },
        TypeRef::Boolean => quote! { bool },
        TypeRef::JsonObject => quote! { #models JsonObject },
        TypeRef::Any => quote! { #models serde_json::Value },

        TypeRef::Array(items) => {
            let items = rust_type(api, items, models);
            quote! { Vec<#items> }
        }
        TypeRef::Map(values) => {
            let values = rust_type(api, values, models);
            quote! { std::collections::BTreeMap<String, #values> }
        }
        TypeRef::Named(id) => {
            let name = format_ident!("{}", api.type_def(*id).name);
            quote! { #models #name }
        }
        // Checked to be a Rust type when the configuration was applied.
        TypeRef::Rust { path, .. } => path.parse().unwrap_or_default(),
    }
}

/// [`rust_type`] as prettyplease prints it, after `out`, `models` the path prefix of named
/// types (empty inside the models crate's root, `super::` in its modules); `None` for a type
/// the configuration names, which is printed from its tokens.
pub fn print_type(api: &Api, ty: &TypeRef, models: &str, out: &mut String) -> Option<()> {
    match ty {
        TypeRef::String => out.push_str("String"),
        TypeRef::Integer => out.push_str("i64"),
        TypeRef::Boolean => out.push_str("bool"),
        TypeRef::Number => {
            out.push_str(models);
            out.push_str("serde_json::Number");
        }
        TypeRef::JsonObject => {
            out.push_str(models);
            out.push_str("JsonObject");
        }
        TypeRef::Any => {
            out.push_str(models);
            out.push_str("serde_json::Value");
        }
        TypeRef::Named(id) => {
            out.push_str(models);
            out.push_str(&api.type_def(*id).name);
        }
        TypeRef::Array(items) => {
            out.push_str("Vec<");
            print_type(api, items, models, out)?;
            out.push('>');
        }
        TypeRef::Map(values) => {
            out.push_str("std::collections::BTreeMap<String, ");
            print_type(api, values, models, out)?;
            out.push('>');
        }
        TypeRef::Rust { .. } => return None,
    }
    Some(())
}

/// [`rust_type`] as a [`Ty`], `models` the path prefix of named types (empty inside the models
/// crate, `models::` elsewhere).
pub fn type_ty<'a>(api: &'a Api, ty: &TypeRef, models: &str) -> Ty<'a> {
    let prefixed = |name: &'a str| -> Ty<'a> {
        if models.is_empty() {
            Ty::Path(name.into())
        } else {
            Ty::Path(format!("{models}{name}").into())
        }
    };
    match ty {
        TypeRef::String => Ty::Path("String".into()),
        TypeRef::Number => prefixed("serde_json::Number"),
        TypeRef::Integer => Ty::Path("i64".into()),
        TypeRef::Boolean => Ty::Path("bool".into()),
        TypeRef::JsonObject => prefixed("JsonObject"),
        TypeRef::Any => prefixed("serde_json::Value"),
        TypeRef::Array(items) => Ty::Generic("Vec", vec![type_ty(api, items, models)]),
        TypeRef::Map(values) => Ty::Generic(
            "std::collections::BTreeMap",
            vec![Ty::Path("String".into()), type_ty(api, values, models)],
        ),
        TypeRef::Named(id) => prefixed(&api.type_def(*id).name),
        // Checked to be a Rust type when the configuration was applied.
        TypeRef::Rust { path, .. } => Ty::Tokens(path.parse().unwrap_or_default()),
    }
}

/// An identifier, raw when it is written `r#...`.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The name as it appears without a raw prefix, for comparing with wire names.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}
