//! The client crate: a fixed runtime (`templates/client_runtime.rs`: construction, retries,
//! errors, path encoding) and one async method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, inner_doc_attrs};
use super::groups::{
    cfg_group, features_table, groups_with_operations, package_section, retain_helpers,
    uses_models, Helper,
};
use super::types::{bare, ident, rust_type};
use crate::ident::{crate_ident, crate_name};
use crate::ir::{Api, Group, Method, Operation, TypeKind, TypeRef};

const RUNTIME: &str = include_str!("../../templates/client_runtime.rs");

/// The crate's `Cargo.toml`.
pub fn emit_client_manifest(api: &Api) -> String {
    let models = crate_name(&api.name, "models");
    format!(
        r#"{package}{features}# TLS through rustls (the default) or the platform's native TLS library.
rustls = ["reqwest/rustls"]
native-tls = ["reqwest/native-tls"]

[dependencies]
{models} = {{ path = "../{models}", version = "0.1.0", default-features = false }}
reqwest = {{ version = "0.13", default-features = false, features = ["query"] }}
serde = "1"
serde_json = "1"
tokio = {{ version = "1", features = ["time"] }}
"#,
        package = package_section(
            &crate_name(&api.name, "client"),
            &format!("Async client for the {} REST API", api.name)
        ),
        features = features_table(api, Some(&models), &["rustls"]),
    )
}

/// The crate's `src/lib.rs`.
pub fn emit_client(api: &Api) -> Result<TokenStream, syn::Error> {
    let runtime: syn::File = syn::parse_str(RUNTIME)?;
    let runtime_items = retain_helpers(api, runtime.items, HELPERS);
    let models = ident(&crate_ident(&crate_name(&api.name, "models")));
    let client_crate = crate_ident(&crate_name(&api.name, "client"));
    let example_group = api
        .groups
        .first()
        .map_or_else(|| "access_tokens".to_owned(), |group| group.module.clone());
    let crate_doc = inner_doc_attrs(&format!(
        "An async client for the {} REST API, on reqwest. Operations are grouped as the reference \
         groups them: `client.{example_group}()` returns a handle with one method per operation of \
         that group, and each group is a cargo feature (all on by default).\n\n\
         ```no_run\n\
         # async fn run() -> Result<(), {client_crate}::Error> {{\n\
         let client = {client_crate}::Client::new(\"https://cluster.example:8000\")?.with_bearer_token(\"token\");\n\
         # Ok(()) }}\n\
         ```",
        api.name,
    ));
    let accessors = api.groups.iter().map(emit_accessor);
    let modules = groups_with_operations(api)
        .into_iter()
        .map(|(group, operations)| emit_group(api, group, &operations));
    Ok(quote! {
        #crate_doc
        pub use #models as models;
        #(#runtime_items)*
        impl Client {
            #(#accessors)*
        }
        #(#modules)*
    })
}

/// `client.access_tokens()`.
fn emit_accessor(group: &Group) -> TokenStream {
    let cfg = cfg_group(group);
    let module = ident(&group.module);
    let handle = ident(&group.type_name);
    let doc = format!(" The {} operations.", group_title(group));
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #module(&self) -> #module::#handle<'_> {
            #module::#handle { client: self }
        }
    }
}

/// The reference's name for a group.
pub fn group_title(group: &Group) -> String {
    if group.titles.is_empty() {
        group.module.trim_start_matches("r#").to_owned()
    } else {
        group.titles.join(" / ")
    }
}

fn emit_group(api: &Api, group: &Group, operations: &[&Operation]) -> TokenStream {
    let cfg = cfg_group(group);
    let module = ident(&group.module);
    let handle = ident(&group.type_name);
    let imports = if uses_models(operations) {
        quote! { use crate::{models, Client, Error}; }
    } else {
        quote! { use crate::{Client, Error}; }
    };
    let module_doc = format!(" The {} operations: see [`{handle}`].", group_title(group));
    let handle_doc = format!(
        " The {} operations; get it with [`Client::{}`].",
        group_title(group),
        group.module.trim_start_matches("r#")
    );
    let methods = operations
        .iter()
        .map(|operation| emit_method(api, operation));
    quote! {
        #cfg
        pub mod #module {
            #![doc = #module_doc]

            #imports

            #[doc = #handle_doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #handle<'a> {
                pub(crate) client: &'a Client,
            }

            impl #handle<'_> {
                #(#methods)*
            }
        }
    }
}

/// The doc of an operation: its summary and its route.
pub fn operation_doc(operation: &Operation) -> TokenStream {
    let mut text = operation.summary.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let route = format!("`{} {}`", operation.method.as_str(), operation.path);
    let route_attr = format!(" {route}");
    let summary = doc_attrs(Some(text.trim_end()).filter(|text| !text.is_empty()));
    let separator = (!text.is_empty()).then(|| quote! { #[doc = ""] });
    quote! { #summary #separator #[doc = #route_attr] }
}

/// The expression building the request path, each parameter encoded as one segment.
fn path_expression(operation: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut segments = Vec::new();
    let mut rest = operation.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map_or(rest.len(), |offset| open + offset);
        template.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[open + 1..close];
        if let Some(parameter) = operation
            .path_params
            .iter()
            .find(|parameter| parameter.wire_name == wire)
        {
            // Encoded into locals first: prettyplease cannot format expressions inside `format!`.
            let local = format_ident!("segment{}", segments.len() + 1);
            template.push_str(&format!("{{{local}}}"));
            let name = ident(&parameter.rust_name);
            let label = parameter.wire_name.as_str();
            segments.push(quote! { let #local = crate::path_segment(#label, #name)?; });
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if segments.is_empty() {
        quote! { #template.to_owned() }
    } else {
        quote! { { #(#segments)* format!(#template) } }
    }
}

fn emit_method(api: &Api, operation: &Operation) -> TokenStream {
    let models = quote! { models:: };
    let name = ident(&operation.name);
    let doc = operation_doc(operation);
    let method = ident(operation.method.as_str());
    let mut parameters = Vec::new();
    for parameter in &operation.path_params {
        let parameter_name = ident(&parameter.rust_name);
        parameters.push(quote! { #parameter_name: &str });
    }
    let mut request = quote! { request };
    if !operation.query_params.is_empty() {
        let query = ident(&operation.query_struct);
        parameters.push(quote! { query: &models::query::#query });
        request = quote! { #request.query(query) };
    }
    for header in &operation.header_params {
        let parameter_name = ident(&header.rust_name);
        let wire = &header.wire_name;
        if header.required {
            parameters.push(quote! { #parameter_name: &str });
            request = quote! { #request.header(#wire, #parameter_name) };
        } else {
            parameters.push(quote! { #parameter_name: Option<&str> });
            request = quote! { crate::optional_header(#request, #wire, #parameter_name) };
        }
    }
    let mut prelude = TokenStream::new();
    if let Some(body) = &operation.request {
        let ty = rust_type(api, body, &models);
        parameters.push(quote! { body: &#ty });
        prelude = quote! { let body = crate::json_body(body)?; };
        request = quote! { #request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone()) };
    }
    let path = path_expression(operation);
    let (output, call) = match operation.success_body() {
        Some(body) => (rust_type(api, body, &models), quote! { call }),
        None => (quote! { () }, quote! { call_no_body }),
    };
    let all_pages = page_entries(api, operation).map(|entry| {
        let entry = rust_type(api, entry, &models);
        let all = format_ident!("{}_all", bare(&operation.name));
        let doc = format!(
            " Every entry of `{}`, page after page (following `paging.next`).",
            bare(&operation.name)
        );
        quote! {
            #[doc = #doc]
            pub async fn #all(&self, #(#parameters),*) -> Result<Vec<#entry>, Error> {
                let path = #path;
                #prelude
                self.client.collect_pages(&path, |request| #request).await
            }
        }
    });
    let with_etag = is_etag_read(api, operation).then(|| {
        let tagged = format_ident!("{}_with_etag", bare(&operation.name));
        let doc = format!(
            " Like `{}`, with the `ETag` to send back as `If-Match` when changing the value.",
            bare(&operation.name)
        );
        quote! {
            #[doc = #doc]
            pub async fn #tagged(&self, #(#parameters),*) -> Result<crate::Tagged<#output>, Error> {
                let path = #path;
                #prelude
                self.client.call_tagged(reqwest::Method::#method, &path, |request| #request).await
            }
        }
    });
    quote! {
        #doc
        pub async fn #name(&self, #(#parameters),*) -> Result<#output, Error> {
            let path = #path;
            #prelude
            self.client.#call(reqwest::Method::#method, &path, |request| #request).await
        }
        #all_pages
        #with_etag
    }
}

/// For a paged list (a GET taking `after` whose response holds `entries`), the entry type.
fn page_entries<'a>(api: &'a Api, operation: &Operation) -> Option<&'a TypeRef> {
    let takes_after = operation
        .query_params
        .iter()
        .any(|parameter| parameter.wire_name == "after");
    if operation.method != Method::Get || !takes_after {
        return None;
    }
    let Some(TypeRef::Named(id)) = operation.success_body() else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.type_def(*id).kind else {
        return None;
    };
    fields
        .iter()
        .find(|field| field.wire_name == "entries")
        .and_then(|field| match &field.ty {
            TypeRef::Array(items) => Some(items.as_ref()),
            _ => None,
        })
}

/// A GET whose path has a write that takes `If-Match`: its result's `ETag` is worth keeping.
fn is_etag_read(api: &Api, operation: &Operation) -> bool {
    // Operations are sorted by path: the ones on this path are adjacent.
    let start = api
        .operations
        .partition_point(|other| other.path < operation.path);
    operation.method == Method::Get
        && operation.success_body().is_some()
        && api.operations[start..]
            .iter()
            .take_while(|other| other.path == operation.path)
            .any(|other| {
                other
                    .header_params
                    .iter()
                    .any(|header| header.wire_name.eq_ignore_ascii_case("if-match"))
            })
}

/// The runtime's helper functions and which operations need them.
const HELPERS: &[Helper] = &[
    ("path_segment", |operation| {
        !operation.path_params.is_empty()
    }),
    ("json_body", |operation| operation.request.is_some()),
    ("optional_header", |operation| {
        operation
            .header_params
            .iter()
            .any(|header| !header.required)
    }),
];
