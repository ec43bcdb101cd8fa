//! The server crate: a fixed runtime (`templates/server_runtime.rs`: request context, error
//! type, rejections, fallbacks) and, per operation, a trait method, an axum handler that turns
//! the request into typed arguments (rejecting bad requests before they reach the trait), and a
//! route.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{operation_doc, retain_used};
use super::docs::inner_doc_attrs;
use super::types::{bare, ident, rust_type};
use crate::ident::{crate_ident, crate_name};
use crate::ir::{Api, Method, Operation};

const RUNTIME: &str = include_str!("../../templates/server_runtime.rs");

/// The crate's `Cargo.toml`.
pub fn emit_server_manifest(api: &Api) -> String {
    let models = crate_name(&api.name, "models");
    format!(
        r#"[package]
name = "{server}"
version = "0.1.0"
edition = "2021"
description = "axum server stub for the {api} REST API"
license = "MIT OR Apache-2.0"
publish = false

[dependencies]
axum = {{ version = "0.8", default-features = false, features = ["http1", "json", "query", "tokio"] }}
{models} = {{ path = "../{models}", version = "0.1.0" }}
"#,
        server = crate_name(&api.name, "server"),
        api = api.name,
    )
}

/// The crate's `src/lib.rs`.
pub fn emit_server(api: &Api) -> Result<TokenStream, syn::Error> {
    let runtime: syn::File = syn::parse_str(RUNTIME)?;
    let runtime_items = retain_used(
        runtime.items,
        &[
            "rejection",
            "path_rejection",
            "query_rejection",
            "body_rejection",
            "header_value",
        ],
        &used_helpers(api),
    );
    let models = ident(&crate_ident(&crate_name(&api.name, "models")));
    let crate_doc = inner_doc_attrs(&format!(
        "An axum server stub for the {} REST API: implement [`Api`], then serve [`router`].\n\n\
         Requests are parsed and validated before they reach the implementation: a malformed body, a \
         wrong field type or a missing parameter is answered 4xx with the API's error object saying what \
         was wrong and where. Unknown routes get 404, wrong methods 405, oversized bodies 413.",
        api.name
    ));
    let trait_methods = api
        .operations
        .iter()
        .map(|operation| emit_trait_method(api, operation));
    let handlers = api
        .operations
        .iter()
        .map(|operation| emit_handler(api, operation));
    let routes = emit_routes(api);
    let imports = (!api.operations.is_empty()).then(|| {
        quote! {
            use std::future::Future;
            use std::sync::Arc;

            use axum::extract::State;
            use axum::http::{HeaderMap, StatusCode};
            use axum::response::{IntoResponse, Response};
        }
    });
    Ok(quote! {
        #crate_doc
        #imports
        pub use #models as models;
        #(#runtime_items)*

        /// The API, one method per operation. Implement it and pass it to [`router`].
        pub trait Api: Send + Sync + 'static {
            #(#trait_methods)*
        }

        #(#handlers)*

        /// The router serving `api` with the default [`ServerConfig`].
        pub fn router<A: Api>(api: A) -> axum::Router {
            router_with_config(api, ServerConfig::default())
        }

        /// The router serving `api`.
        pub fn router_with_config<A: Api>(api: A, config: ServerConfig) -> axum::Router {
            axum::Router::new()
                #routes
                .fallback(not_found)
                .method_not_allowed_fallback(method_not_allowed)
                .layer(axum::extract::DefaultBodyLimit::max(config.body_limit))
                .with_state(std::sync::Arc::new(api))
        }
    })
}

fn used_helpers(api: &Api) -> Vec<&'static str> {
    let mut res = Vec::new();
    let any = |test: fn(&Operation) -> bool| api.operations.iter().any(test);
    if any(|operation| !operation.path_params.is_empty()) {
        res.push("path_rejection");
    }
    if any(|operation| !operation.query_params.is_empty()) {
        res.push("query_rejection");
    }
    if any(|operation| operation.request.is_some()) {
        res.push("body_rejection");
    }
    if any(|operation| !operation.header_params.is_empty()) {
        res.push("header_value");
    }
    if res.iter().any(|helper| helper.ends_with("_rejection")) {
        res.push("rejection");
    }
    res
}

/// The trait method's parameters: context, path parameters, query, headers, body.
fn trait_parameters(api: &Api, operation: &Operation) -> Vec<TokenStream> {
    let mut res = vec![quote! { context: RequestContext }];
    for parameter in &operation.path_params {
        let name = ident(&parameter.rust_name);
        res.push(quote! { #name: String });
    }
    if !operation.query_params.is_empty() {
        let query = ident(&operation.query_struct);
        res.push(quote! { query: models::query::#query });
    }
    for header in &operation.header_params {
        let name = ident(&header.rust_name);
        res.push(if header.required {
            quote! { #name: String }
        } else {
            quote! { #name: Option<String> }
        });
    }
    if let Some(body) = &operation.request {
        let ty = rust_type(api, body, &quote! { models:: });
        res.push(quote! { body: #ty });
    }
    res
}

fn output_type(api: &Api, operation: &Operation) -> TokenStream {
    match operation.success_body() {
        Some(body) => rust_type(api, body, &quote! { models:: }),
        None => quote! { () },
    }
}

fn emit_trait_method(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.name);
    let doc = operation_doc(operation);
    let parameters = trait_parameters(api, operation);
    let output = output_type(api, operation);
    quote! {
        #doc
        fn #name(&self, #(#parameters),*) -> impl Future<Output = Result<#output, ServerError>> + Send;
    }
}

fn emit_handler(api: &Api, operation: &Operation) -> TokenStream {
    let name = ident(&operation.name);
    let handler = format_ident!("handle_{}", bare(&operation.name));
    let mut extractors = vec![
        quote! { State(api): State<Arc<A>> },
        quote! { headers: HeaderMap },
    ];
    let mut unpack = Vec::new();
    let mut arguments = Vec::new();
    if !operation.path_params.is_empty() {
        let names: Vec<_> = operation
            .path_params
            .iter()
            .map(|parameter| ident(&parameter.rust_name))
            .collect();
        let strings = names.iter().map(|_| quote! { String });
        extractors.push(quote! { path: Result<axum::extract::Path<(#(#strings,)*)>, axum::extract::rejection::PathRejection> });
        unpack.push(quote! {
            let axum::extract::Path((#(#names,)*)) = match path {
                Ok(path) => path,
                Err(error) => return path_rejection(error),
            };
        });
        arguments.extend(names);
    }
    if !operation.query_params.is_empty() {
        let query = ident(&operation.query_struct);
        extractors.push(quote! {
            query: Result<axum::extract::Query<models::query::#query>, axum::extract::rejection::QueryRejection>
        });
        unpack.push(quote! {
            let axum::extract::Query(query) = match query {
                Ok(query) => query,
                Err(error) => return query_rejection(error),
            };
        });
        arguments.push(ident("query"));
    }
    for header in &operation.header_params {
        let variable = ident(&header.rust_name);
        let wire = &header.wire_name;
        if header.required {
            let message = format!("required header `{wire}` is missing");
            unpack.push(quote! {
                let Some(#variable) = header_value(&headers, #wire) else {
                    return ServerError::bad_request(#message).into_response();
                };
            });
        } else {
            unpack.push(quote! { let #variable = header_value(&headers, #wire); });
        }
        arguments.push(variable);
    }
    if let Some(body) = &operation.request {
        let ty = rust_type(api, body, &quote! { models:: });
        extractors.push(
            quote! { body: Result<axum::Json<#ty>, axum::extract::rejection::JsonRejection> },
        );
        unpack.push(quote! {
            let axum::Json(body) = match body {
                Ok(body) => body,
                Err(error) => return body_rejection(error),
            };
        });
        arguments.push(ident("body"));
    }
    let status = status_constant(operation.success_status());
    let success = match operation.success_body() {
        Some(_) => quote! { (#status, axum::Json(value)).into_response() },
        None => quote! { #status.into_response() },
    };
    let value = if operation.success_body().is_some() {
        quote! { value }
    } else {
        quote! { () }
    };
    quote! {
        async fn #handler<A: Api>(#(#extractors),*) -> Response {
            #(#unpack)*
            let context = RequestContext::new(headers);
            match api.#name(context, #(#arguments),*).await {
                Ok(#value) => #success,
                Err(error) => error.into_response(),
            }
        }
    }
}

/// `.route(path, get(h).patch(h))` per path, with captures renamed to the Rust parameter names.
fn emit_routes(api: &Api) -> TokenStream {
    let mut by_path: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in &api.operations {
        by_path
            .entry(route_path(operation))
            .or_default()
            .push(operation);
    }
    let routes = by_path.iter().map(|(path, operations)| {
        let mut chain = TokenStream::new();
        for (index, operation) in operations.iter().enumerate() {
            let handler = format_ident!("handle_{}", bare(&operation.name));
            let method = format_ident!("{}", method_fn(operation.method));
            chain = if index == 0 {
                quote! { axum::routing::#method(#handler::<A>) }
            } else {
                quote! { #chain.#method(#handler::<A>) }
            };
        }
        quote! { .route(#path, #chain) }
    });
    quote! { #(#routes)* }
}

/// `StatusCode::OK` and friends for the success statuses the reference uses.
fn status_constant(status: u16) -> TokenStream {
    let name = match status {
        200 => "OK",
        201 => "CREATED",
        202 => "ACCEPTED",
        204 => "NO_CONTENT",
        _ => return quote! { StatusCode::from_u16(#status).unwrap_or(StatusCode::OK) },
    };
    let name = format_ident!("{name}");
    quote! { StatusCode::#name }
}

fn method_fn(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Patch => "patch",
        Method::Delete => "delete",
    }
}

fn route_path(operation: &Operation) -> String {
    let mut res = operation.path.clone();
    for parameter in &operation.path_params {
        res = res.replace(
            &format!("{{{}}}", parameter.wire_name),
            &format!("{{{}}}", bare(&parameter.rust_name)),
        );
    }
    res
}
