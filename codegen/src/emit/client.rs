//! The client crate: a runtime (`templates/client_runtime.rs`, written as `src/runtime.rs`:
//! construction, retries, errors, and `Outgoing`, which gathers a request and sends it) and one
//! method per operation, which gathers its request and returns the future that sends it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, inner_doc_attrs};
use super::groups::{
    cfg_any, cfg_group, crate_description, features_of, features_table, package_section,
    uses_models, Helper,
};
use super::types::{bare, ident, rust_type};
use super::{template, CrateParts, CrateSource};
use crate::frontend::Method;
use crate::ident::crate_ident;
use crate::ir::{
    Api, Argument, Auth, Body, Credential, CredentialKind, Group, Operation, Paging, Segment,
};

const RUNTIME: &str = include_str!("../../templates/client_runtime.rs");

/// The crate's `Cargo.toml`.
pub fn emit_client_manifest(api: &Api) -> String {
    let models = api.crate_name("models");
    format!(
        r#"{package}{features}# TLS through rustls with ring's cryptography (the default: no C library to build, unlike
# aws-lc-rs, rustls' own default), through rustls with aws-lc-rs, or through the platform's TLS.
rustls = ["reqwest/rustls-no-provider", "dep:rustls"]
rustls-aws-lc = ["reqwest/rustls"]
native-tls = ["reqwest/native-tls"]

[dependencies]
{models} = {{ path = "../{models}", version = "{version}", default-features = false }}
bytes = "1"
reqwest = {{ version = "0.13", default-features = false, features = ["query", "stream"] }}
rustls = {{ version = "0.23", optional = true, default-features = false, features = ["ring", "std", "tls12"] }}
serde = "1"
serde_json = "1"
serde_urlencoded = "0.7"
tokio = {{ version = "1", features = ["time"] }}
"#,
        version = api.package.version,
        package = package_section(
            &api.package,
            &api.crate_name("client"),
            &crate_description(api, "client")
        ),
        features = features_table(api, Some(&models), &["rustls"]),
    )
}

/// The crate's `src/lib.rs`.
pub fn emit_client(api: &Api) -> Result<CrateSource, syn::Error> {
    client_parts(api).whole()
}

/// About how many lines an operation takes in a group's module: a part's weight.
const LINES_PER_OPERATION: usize = 40;

/// The crate in parts: the head, then a part per group's module.
pub fn client_parts(api: &Api) -> CrateParts<'_> {
    super::grouped_parts(
        api,
        client_head,
        |api, group, operations, _| super::Chunk::Tokens(emit_group(api, group, operations)),
        LINES_PER_OPERATION,
    )
}

/// The crate's attributes, its `Client` and the runtime; the groups' modules follow.
fn client_head(api: &Api) -> Result<CrateSource, syn::Error> {
    let runtime = template::runtime(api, RUNTIME, HELPERS, &|_| None)?;
    let models = ident(&crate_ident(&api.crate_name("models")));
    let client_crate = crate_ident(&api.crate_name("client"));
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
         let client = {client_crate}::Client::new({url:?})?{auth};\n\
         {}\
         # Ok(()) }}\n\
         ```",
        api.name,
        example_call(api),
        url = api.conventions.example_url,
        auth = example_auth(api),
    ));
    let setters = api
        .conventions
        .credentials
        .iter()
        .map(emit_credential_setter);
    let default_url = api.conventions.server.as_ref().map(|url| {
        let doc = format!(" The API's base URL, as its description gives it: `{url}`.");
        (
            quote! {
                #[doc = #doc]
                pub const DEFAULT_BASE_URL: &str = #url;
            },
            quote! {
                /// A client for the API at [`DEFAULT_BASE_URL`], as [`Client::new`] builds it.
                pub fn with_default_url() -> Result<Self, Error> {
                    Self::new(DEFAULT_BASE_URL)
                }
            },
        )
    });
    let (default_url, default_client) = default_url.unzip();
    let accessors = api.groups.iter().map(emit_accessor);
    let tagged = tagged_reexport(api);
    let lib = quote! {
        #crate_doc
        #![deny(missing_docs)]
        pub use #models as models;
        #tagged
        mod runtime;
        pub use runtime::*;
        #default_url
        impl Client {
            #default_client
            #(#setters)*
            #(#accessors)*
        }
    };
    Ok(CrateSource { lib, runtime })
}

/// How the documentation's examples authenticate a client: `.with_bearer_token("token")`, else
/// the first other credential's setter, or nothing.
pub(crate) fn example_auth(api: &Api) -> String {
    match (api.conventions.auth, api.conventions.credentials.first()) {
        (Auth::Bearer, _) => ".with_bearer_token(\"token\")".to_owned(),
        (Auth::None, Some(credential)) => match credential.kind {
            CredentialKind::Basic => format!(".{}(\"user\", \"password\")", credential.setter),
            CredentialKind::Header(_) | CredentialKind::Query(_) => {
                format!(".{}(\"key\")", credential.setter)
            }
        },
        (Auth::None, None) => String::new(),
    }
}

/// `with_<scheme>(key)`: the method that sets a security scheme's credential.
fn emit_credential_setter(credential: &Credential) -> TokenStream {
    let setter = ident(&credential.setter);
    let scheme = &credential.scheme;
    let (what, parameters, value) = match &credential.kind {
        CredentialKind::Basic => (
            "`user` and `password` (HTTP basic authentication)".to_owned(),
            quote! { user: impl Into<String>, password: impl Into<String> },
            quote! { Credential::Basic(user.into(), password.into()) },
        ),
        CredentialKind::Header(name) => (
            format!("`key` as header `{name}`"),
            quote! { key: impl Into<String> },
            quote! { Credential::Header(#name, key.into()) },
        ),
        CredentialKind::Query(name) => (
            format!("`key` as query parameter `{name}`"),
            quote! { key: impl Into<String> },
            quote! { Credential::Query(#name, key.into()) },
        ),
    };
    let mut text = format!(
        "Sends {what} with every request (security scheme `{scheme}`), replacing what was set \
         before."
    );
    if let Some(doc) = &credential.doc {
        text.push_str("\n\n");
        text.push_str(doc);
    }
    let doc = doc_attrs(Some(&text));
    quote! {
        #doc
        pub fn #setter(self, #parameters) -> Self {
            self.set_credential(#scheme, #value)
        }
    }
}

/// `Tagged`, from the models crate, where some read returns an entity tag.
pub(crate) fn tagged_reexport(api: &Api) -> TokenStream {
    let features = features_of(api, Operation::returns_etag);
    if features.is_empty() {
        return TokenStream::new();
    }
    let cfg = cfg_any(&features);
    quote! {
        #cfg
        pub use models::Tagged;
    }
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

/// The crate documentation's example call, with its error handling: the first GET that needs no
/// argument but optional query parameters and cookies (no path parameter, no header), or
/// nothing.
fn example_call(api: &Api) -> String {
    let Some(operation) = api.operations.iter().find(|operation| {
        operation.method == Method::Get
            && operation.path_params.is_empty()
            && operation.header_params.is_empty()
            && operation
                .query_params
                .iter()
                .chain(&operation.cookie_params)
                .all(|parameter| !parameter.required)
            && matches!(
                operation.success_body(),
                Some(Body::Json(_) | Body::UntypedJson)
            )
    }) else {
        return String::new();
    };
    // The query's defaults, and no cookie.
    let mut arguments = Vec::new();
    if !operation.query_params.is_empty() {
        arguments.push("&Default::default()");
    }
    arguments.extend(operation.cookie_params.iter().map(|_| "None"));
    let arguments = arguments.join(", ");
    format!(
        "match client.{}().{}({arguments}).await {{\n    \
         Ok(answer) => println!(\"{{answer:?}}\"),\n    \
         // The server refused: its status and the API's error object say why.\n    \
         Err(error) if error.api_error().is_some() => eprintln!(\"{{error}}\"),\n    \
         // Transport, decoding and the rest.\n    \
         Err(error) => return Err(error),\n\
         }}\n",
        api.module_of(operation),
        operation.name,
    )
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
        quote! { use super::{models, Client, Error}; }
    } else {
        quote! { use super::{Client, Error}; }
    };
    // The methods return `impl Future`, imported unless the group's own type has the name.
    let (imports, future) = if group.type_name == "Future" {
        (imports, quote! { std::future::Future })
    } else {
        (
            quote! { #imports use std::future::Future; },
            quote! { Future },
        )
    };
    let module_doc = format!(" The {} operations: see [`{handle}`].", group_title(group));
    let handle_doc = format!(
        " The {} operations; get it with [`Client::{}`].",
        group_title(group),
        group.module.trim_start_matches("r#")
    );
    let methods = operations
        .iter()
        .map(|operation| emit_method(api, operation, &future));
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

/// The doc of an operation: its summary, its route, its parameters and its error answers with
/// a type of their own.
pub fn operation_doc(api: &Api, operation: &Operation) -> TokenStream {
    let lines = operation_doc_lines(api, operation)
        .into_iter()
        .map(|line| super::docs::literal(&line));
    quote! { #( #[doc = #lines] )* }
}

/// The lines of [`operation_doc`]: each the value of its `#[doc]` attribute.
pub fn operation_doc_lines(api: &Api, operation: &Operation) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let summary = operation.summary.as_deref().unwrap_or_default();
    if !summary.is_empty() {
        lines.extend(
            super::docs::sanitize(summary.trim_end())
                .into_iter()
                .map(|line| format!(" {line}")),
        );
        // After the summary, even one of spaces only.
        lines.push(String::new());
    }
    lines.push(format!(
        " `{} {}`",
        operation.method.as_str(),
        operation.path
    ));
    // The parameters, with the reference's descriptions.
    let mut parameters: Vec<String> = operation
        .path_params
        .iter()
        .map(|parameter| {
            let name = bare(&parameter.rust_name);
            match parameter.doc.as_deref().map(super::docs::sanitize) {
                Some(lines) if !lines.is_empty() => format!("- `{name}`: {}", lines.join(" ")),
                _ => format!("- `{name}`: the `{}` path segment", parameter.wire_name),
            }
        })
        .collect();
    if !operation.query_params.is_empty() {
        parameters.push(format!(
            "- `query`: the query parameters, [`models::query::{}`]",
            operation.query_struct
        ));
    }
    if operation.request_optional {
        parameters.push("- `body`: optional (`None`: the request has no body)".to_owned());
    }
    if !parameters.is_empty() {
        lines.push(String::new());
        lines.extend(parameters.iter().map(|line| format!(" {line}")));
    }
    if operation.redirects() {
        lines.push(String::new());
        lines.push(format!(
            " Answers with a redirect ({}): the result is its target, the `Location` URL.",
            operation.success_status()
        ));
    }
    if !operation.errors.is_empty() {
        let answers: Vec<String> = operation
            .errors
            .iter()
            .map(|error| {
                let name = &api.type_def(error.ty).name;
                format!("`{}` [`{name}`](models::{name})", error.status)
            })
            .collect();
        lines.push(String::new());
        lines.push(format!(
            " Error answers of a type of their own (`models::errors::Declared`): {}.",
            answers.join(", ")
        ));
    }
    if operation.deprecated {
        lines.push(String::new());
        lines.push(" Deprecated by the API.".to_owned());
    }
    lines
}

/// Reads `response` (a `RawResponse`) as an operation's answers enum: the variant of its
/// status, with the body decoded where it has one; another status is an error.
fn read_answer(operation: &Operation) -> TokenStream {
    let answer = ident(&operation.answer_enum);
    let arms = operation.successes().map(|response| {
        let status = proc_macro2::Literal::u16_unsuffixed(response.status);
        let variant = ident(&response.answer_variant());
        match response.answer_value() {
            Some(_) => quote! {
                #status => Ok(models::answers::#answer::#variant(response.decode()?)),
            },
            None => quote! { #status => Ok(models::answers::#answer::#variant), },
        }
    });
    quote! {
        let response = response.error_for_status()?;
        match response.status.as_u16() {
            #(#arms)*
            // A success status the description does not list.
            _ => Err(Error::status(response.status, &response.body)),
        }
    }
}

/// The start of an operation's request: `self.client.outgoing(method, literal)` with the route
/// up to its first parameter, then each parameter (`.segment`, which encodes it as one segment)
/// and each run of literal segments after one (`.path`).
fn outgoing(operation: &Operation) -> TokenStream {
    let method = ident(operation.method.as_str());
    let mut literal = String::new();
    let mut pieces = Vec::new();
    for segment in &operation.route.segments {
        match segment {
            Segment::Literal(text) => {
                literal.push('/');
                literal.push_str(text);
            }
            Segment::Param(wire) => {
                let Some(parameter) = operation
                    .path_params
                    .iter()
                    .find(|parameter| &parameter.wire_name == wire)
                else {
                    continue;
                };
                let literal = std::mem::take(&mut literal);
                if pieces.is_empty() {
                    pieces
                        .push(quote! { self.client.outgoing(reqwest::Method::#method, #literal) });
                } else if !literal.is_empty() {
                    pieces.push(quote! { .path(#literal) });
                }
                let name = ident(&parameter.rust_name);
                let label = parameter.wire_name.as_str();
                pieces.push(quote! { .segment(#label, #name) });
            }
        }
    }
    if pieces.is_empty() {
        return quote! { self.client.outgoing(reqwest::Method::#method, #literal) };
    }
    if !literal.is_empty() {
        pieces.push(quote! { .path(#literal) });
    }
    quote! { #(#pieces)* }
}

/// Whether the route has a literal after a parameter (`Outgoing::path`).
fn literal_after_parameter(operation: &Operation) -> bool {
    operation
        .route
        .segments
        .iter()
        .skip_while(|segment| matches!(segment, Segment::Literal(_)))
        .any(|segment| matches!(segment, Segment::Literal(_)))
}

/// An operation's methods: `future` is how the group's module names `std::future::Future`.
fn emit_method(api: &Api, operation: &Operation, future: &TokenStream) -> TokenStream {
    let models = quote! { models:: };
    let name = ident(&operation.name);
    let doc = operation_doc(api, operation);
    let doc = if operation.deprecated {
        quote! { #doc #[deprecated = "the API marks this operation deprecated"] }
    } else {
        doc
    };
    let mut parameters = Vec::new();
    let mut request = outgoing(operation);
    // Without the body: the streaming upload sends its body itself.
    let mut without_body = None;
    for argument in operation.arguments() {
        let argument_name = ident(argument.rust_name());
        match argument {
            Argument::Path(_) => parameters.push(quote! { #argument_name: &str }),
            Argument::Query(name) => {
                let query = ident(name);
                parameters.push(quote! { #argument_name: &models::query::#query });
                request = if operation.has_query_list() {
                    // A list is the parameter repeated, which the struct's own encoding cannot say.
                    quote! { #request.query_list(#argument_name) }
                } else {
                    quote! { #request.query(#argument_name) }
                };
            }
            Argument::Cookie(cookie) => {
                let wire = &cookie.wire_name;
                if cookie.required {
                    parameters.push(quote! { #argument_name: &str });
                    request = quote! { #request.cookie(#wire, Some(#argument_name)) };
                } else {
                    parameters.push(quote! { #argument_name: Option<&str> });
                    request = quote! { #request.cookie(#wire, #argument_name) };
                }
            }
            Argument::Header(header) => {
                let wire = &header.wire_name;
                if header.required {
                    parameters.push(quote! { #argument_name: &str });
                    request = quote! { #request.header(#wire, #argument_name) };
                } else {
                    parameters.push(quote! { #argument_name: Option<&str> });
                    request = quote! { #request.header_opt(#wire, #argument_name) };
                }
            }
            Argument::Body(body) if operation.request_optional => {
                // Left out when `None`: no body and no content type.
                without_body = Some((parameters.clone(), request.clone()));
                match body {
                    Body::Json(body) => {
                        let ty = rust_type(api, body, &models);
                        parameters.push(quote! { #argument_name: Option<&#ty> });
                        request = quote! { #request.json_opt(#argument_name) };
                    }
                    Body::Form(body) => {
                        let ty = rust_type(api, body, &models);
                        parameters.push(quote! { #argument_name: Option<&#ty> });
                        request = quote! { #request.form_opt(#argument_name) };
                    }
                    Body::Text => {
                        parameters.push(quote! { #argument_name: Option<&str> });
                        request = quote! { #request.text_opt(#argument_name) };
                    }
                    // Raw bytes are never optional; an untyped body is not sent (below).
                    Body::Bytes | Body::UntypedJson | Body::Null | Body::Location => {}
                }
            }
            Argument::Body(body) => {
                without_body = Some((parameters.clone(), request.clone()));
                match body {
                    Body::Json(body) => {
                        let ty = rust_type(api, body, &models);
                        parameters.push(quote! { #argument_name: &#ty });
                        request = quote! { #request.json(#argument_name) };
                    }
                    Body::Form(body) => {
                        let ty = rust_type(api, body, &models);
                        parameters.push(quote! { #argument_name: &#ty });
                        request = quote! { #request.form(#argument_name) };
                    }
                    Body::Text => {
                        parameters.push(quote! { #argument_name: impl Into<String> });
                        request = quote! { #request.text(#argument_name.into()) };
                    }
                    Body::Bytes => {
                        parameters.push(quote! { #argument_name: impl Into<bytes::Bytes> });
                        request = quote! { #request.bytes(#argument_name.into()) };
                    }
                    // A request body without a schema is not sent by the client (the endpoint
                    // files always describe what they take); the server still reads it.
                    Body::UntypedJson | Body::Null | Body::Location => {}
                }
            }
        }
    }
    let (parameters_without_body, request_without_body) =
        without_body.unwrap_or_else(|| (parameters.clone(), request.clone()));
    // Each method returns the future of the request it gathers (see the runtime's `Outgoing`),
    // and is `#[inline]`: compiled where it is called, as the generic code it calls is, rather
    // than every method (and its encoding of the query and body) in the client crate.
    let method = |doc: TokenStream,
                  name: &proc_macro2::Ident,
                  parameters: &[TokenStream],
                  output: TokenStream,
                  body: TokenStream| {
        quote! {
            #doc
            #[inline]
            pub fn #name(&self, #(#parameters),*) -> impl #future<Output = Result<#output, Error>> + '_ {
                #body
            }
        }
    };
    let main = match operation.success_body() {
        // Different types by status: the answers enum.
        _ if operation.typed_by_status() => {
            let answer = ident(&operation.answer_enum);
            let read = read_answer(operation);
            (
                quote! { models::answers::#answer },
                quote! { #request.answer(|response| { #read }) },
            )
        }
        // A form is a request body only.
        Some(Body::Json(body) | Body::Form(body)) => {
            (rust_type(api, body, &models), quote! { #request.call() })
        }
        // Text is a request body only.
        Some(Body::Text) => (quote! { String }, quote! { #request.call() }),
        Some(Body::UntypedJson) => (
            quote! { models::serde_json::Value },
            quote! { #request.call() },
        ),
        Some(Body::Location) => (quote! { String }, quote! { #request.call_redirect() }),
        Some(Body::Bytes) => (quote! { bytes::Bytes }, quote! { #request.call_bytes() }),
        // The JSON `null` says nothing: not read.
        Some(Body::Null) | None => (quote! { () }, quote! { #request.call_no_body() }),
    };
    let main = method(doc, &name, &parameters, main.0, main.1);
    let download_stream = (operation.success_body() == Some(&Body::Bytes)).then(|| {
        let streaming = format_ident!("{}_stream", bare(&operation.name));
        let doc = format!(
            " Like `{}`, reading the body as it arrives instead of holding it whole.",
            bare(&operation.name)
        );
        method(
            quote! { #[doc = #doc] },
            &streaming,
            &parameters,
            quote! { super::ByteStream },
            quote! { #request.call_stream() },
        )
    });
    let upload_stream = (operation.request == Some(Body::Bytes)).then(|| {
        let streaming = format_ident!("{}_from_stream", bare(&operation.name));
        let doc = format!(
            " Like `{}`, sending `body` as it is produced (from a file or a stream, built with \
             `reqwest::Body::wrap_stream`) instead of from memory; never retried.",
            bare(&operation.name)
        );
        let (output, finish) = match operation.success_body() {
            _ if operation.typed_by_status() => {
                let answer = ident(&operation.answer_enum);
                (quote! { models::answers::#answer }, read_answer(operation))
            }
            Some(Body::Json(body) | Body::Form(body)) => {
                (rust_type(api, body, &models), quote! { response.decode() })
            }
            Some(Body::Text) => (quote! { String }, quote! { response.decode() }),
            Some(Body::UntypedJson) => (
                quote! { models::serde_json::Value },
                quote! { response.decode() },
            ),
            Some(Body::Bytes) => (
                quote! { bytes::Bytes },
                quote! { Ok(response.error_for_status()?.body) },
            ),
            Some(Body::Null) | None => (
                quote! { () },
                quote! { response.error_for_status().map(drop) },
            ),
            Some(Body::Location) => (
                quote! { String },
                quote! { super::redirect_target(response) },
            ),
        };
        let mut parameters = parameters_without_body.clone();
        parameters.push(quote! { body: reqwest::Body });
        method(
            quote! { #[doc = #doc] },
            &streaming,
            &parameters,
            output,
            quote! { #request_without_body.send_once(body, |response| { #finish }) },
        )
    });
    let all_pages = operation.paging.as_ref().map(|paging| {
        let page = match operation.success_body() {
            Some(Body::Json(page)) => rust_type(api, page, &models),
            _ => quote! { () },
        };
        let entry = rust_type(api, &paging.item_type, &models);
        let all = format_ident!("{}_all", bare(&operation.name));
        let doc = format!(
            " Every item of `{}`, page after page (following `{}.{}`).",
            bare(&operation.name),
            paging.paging.wire_name,
            paging.next.wire_name
        );
        let split = page_split(paging);
        method(
            quote! { #[doc = #doc] },
            &all,
            &parameters,
            quote! { Vec<#entry> },
            quote! { #request.collect_pages(|page: #page| #split) },
        )
    });
    let with_etag = operation.returns_etag().then(|| {
        let output = match operation.success_body() {
            Some(Body::Json(body)) => rust_type(api, body, &models),
            _ => quote! { () },
        };
        let header = &api.conventions.etag.response;
        let tagged = format_ident!("{}_with_etag", bare(&operation.name));
        let doc = format!(
            " Like `{}`, with the `{header}` to send back as `{}` when changing the value.",
            bare(&operation.name),
            api.conventions.etag.request
        );
        method(
            quote! { #[doc = #doc] },
            &tagged,
            &parameters,
            quote! { super::Tagged<#output> },
            quote! { #request.call_tagged(#header) },
        )
    });
    quote! {
        #main
        #download_stream
        #upload_stream
        #all_pages
        #with_etag
    }
}

/// `(items, next link)` of a page named `page`, as the paging fact says where they are.
fn page_split(paging: &Paging) -> TokenStream {
    let items = ident(&paging.items.rust_name);
    let paging_field = ident(&paging.paging.rust_name);
    let next = ident(&paging.next.rust_name);
    let items = if paging.items.required {
        quote! { page.#items }
    } else {
        quote! { page.#items.unwrap_or_default() }
    };
    let link = match (paging.paging.required, paging.next.required) {
        (true, true) => quote! { Some(page.#paging_field.#next) },
        (true, false) => quote! { page.#paging_field.#next },
        (false, true) => quote! { page.#paging_field.map(|paging| paging.#next) },
        (false, false) => quote! { page.#paging_field.and_then(|paging| paging.#next) },
    };
    quote! { (#items, #link) }
}

/// The runtime's helpers (`Outgoing`'s methods among them) and which operations need them.
const HELPERS: &[Helper] = &[
    ("outgoing", |_| true),
    ("path", literal_after_parameter),
    ("path_segment", |operation| {
        !operation.path_params.is_empty()
    }),
    // `query_list` encodes its pairs with `query`.
    ("query", |operation| !operation.query_params.is_empty()),
    ("query_list", Operation::has_query_list),
    ("cookie", |operation| !operation.cookie_params.is_empty()),
    // `header_opt` adds with `header`.
    ("header", |operation| !operation.header_params.is_empty()),
    ("header_opt", |operation| {
        operation
            .header_params
            .iter()
            .any(|header| !header.required)
    }),
    // `json_opt` sends with `json`.
    ("json", |operation| {
        matches!(operation.request, Some(Body::Json(_)))
    }),
    ("json_opt", |operation| {
        operation.request_optional && matches!(operation.request, Some(Body::Json(_)))
    }),
    // `form_opt` sends with `form`.
    ("form", |operation| {
        matches!(operation.request, Some(Body::Form(_)))
    }),
    ("form_opt", |operation| {
        operation.request_optional && matches!(operation.request, Some(Body::Form(_)))
    }),
    // `text_opt` sends with `text`.
    ("text", |operation| operation.request == Some(Body::Text)),
    ("text_opt", |operation| {
        operation.request_optional && operation.request == Some(Body::Text)
    }),
    ("bytes", |operation| {
        !operation.request_optional && operation.request == Some(Body::Bytes)
    }),
    ("call", |operation| {
        !operation.typed_by_status()
            && matches!(
                operation.success_body(),
                Some(Body::Json(_) | Body::Form(_) | Body::Text | Body::UntypedJson)
            )
    }),
    ("call_no_body", |operation| {
        !operation.typed_by_status() && matches!(operation.success_body(), Some(Body::Null) | None)
    }),
    ("answer", Operation::typed_by_status),
    ("call_bytes", |operation| {
        !operation.typed_by_status() && operation.success_body() == Some(&Body::Bytes)
    }),
    ("call_stream", |operation| {
        operation.success_body() == Some(&Body::Bytes)
    }),
    ("send_once", |operation| {
        operation.request == Some(Body::Bytes)
    }),
    ("call_tagged", Operation::returns_etag),
    ("call_redirect", |operation| {
        !operation.typed_by_status() && operation.redirects()
    }),
    ("redirect_target", |operation| {
        !operation.typed_by_status() && operation.redirects()
    }),
    ("collect_pages", |operation| operation.paging.is_some()),
];
