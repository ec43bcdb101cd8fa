//! The client crate: a runtime (`templates/client_runtime.rs`, written as `src/runtime.rs`:
//! construction, retries, errors, and `Outgoing`, which gathers a request and sends it) and one
//! method per operation, which gathers its request and returns the future that sends it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::groups::{
    cfg_any, cfg_group, crate_description, features_of, features_table, package_section,
    uses_models, Helper,
};
use std::borrow::Cow;

use super::layout::{Layout, Ty};
use super::syntax::{call, method, path, Expr, Function, Pat, Stmt};
use super::types::{bare, ident, type_ty};
use super::{template, Chunk, Chunks, CrateParts, CrateSource, Form, Printed};
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
    super::grouped_parts(api, client_head, emit_group, LINES_PER_OPERATION)
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

/// A group's module: its handle type and the methods on it; the methods printed where `form`
/// asks for it and they can be.
fn emit_group(api: &Api, group: &Group, operations: &[&Operation], form: Form) -> Chunk {
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
        (imports, "std::future::Future")
    } else {
        (quote! { #imports use std::future::Future; }, "Future")
    };
    let module_doc = format!(" The {} operations: see [`{handle}`].", group_title(group));
    let handle_doc = format!(
        " The {} operations; get it with [`Client::{}`].",
        group_title(group),
        group.module.trim_start_matches("r#")
    );
    let methods: Vec<Function<'_>> = operations
        .iter()
        .flat_map(|operation| emit_method(api, operation, future))
        .collect();
    let head = quote! {
        #imports

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            pub(crate) client: &'a Client,
        }
    };
    let printed = match form {
        Form::Printed => print_impl(&group.type_name, &methods),
        Form::Tokens => None,
    };
    let Some(printed) = printed else {
        let methods = methods.iter().map(Function::to_tokens);
        return Chunk::Tokens(quote! {
            #cfg
            pub mod #module {
                #![doc = #module_doc]

                #head

                impl #handle<'_> {
                    #(#methods)*
                }
            }
        });
    };
    let mut items = Chunks::default();
    items.tokens(head);
    items.printed(Printed {
        text: printed,
        gated: false,
    });
    Chunk::module(&cfg, &module, &module_doc, items)
}

/// `impl Handle<'_> { methods }` printed as prettyplease prints its tokens: each method laid
/// out, or where it holds tokens (a closure with a block), printed by prettyplease alone in an
/// `impl` of its own and its lines taken from there. An `impl`'s methods are laid out one after
/// the other, each from the start of its own line, so a method prints the same alone; the
/// tests hold the two equal. `None` where prettyplease cannot print a method's tokens.
fn print_impl(handle: &str, methods: &[Function<'_>]) -> Option<String> {
    let alone = |method: &Function<'_>| -> Option<String> {
        let mut layout = Layout::default();
        layout.cbox(0);
        layout.cbox(4);
        layout.ibox(-4);
        layout.cbox(4);
        layout.word("impl");
        layout.end();
        layout.word(" ");
        layout.word(handle);
        layout.list("<", 1, |layout, _| layout.word("'_"), ">");
        layout.end();
        layout.word(" {");
        layout.hardbreak_if_nonempty();
        let laid_out = method.lay_out(&mut layout);
        layout.offset(-4);
        layout.end();
        layout.word("}");
        layout.hardbreak();
        layout.end();
        match laid_out {
            Some(()) => Some(layout.finish()),
            None => {
                let handle = ident(handle);
                let method = method.to_tokens();
                crate::render::print_items(quote! { impl #handle<'_> { #method } }).ok()
            }
        }
    };
    let mut res = String::new();
    for (index, method) in methods.iter().enumerate() {
        let printed = alone(method)?;
        // The `impl` line, then the method's lines, then `}` (a name so long that the `impl`
        // line wraps is left to prettyplease whole).
        let (header, rest) = printed.split_once('\n')?;
        if !header.starts_with("impl ") || !header.ends_with(" {") {
            return None;
        }
        let body = rest.strip_suffix("}\n")?;
        if index == 0 {
            res.push_str(header);
            res.push('\n');
        }
        res.push_str(body);
    }
    res.push_str("}\n");
    Some(res)
}

/// The documentation of an operation, each line the value of its `#[doc]` attribute: its
/// summary, its route, its parameters and its error answers with a type of their own.
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
fn outgoing(operation: &Operation) -> Expr<'_> {
    let start = |literal: String| {
        method(
            Expr::Field(Box::new(path("self")), "client".into()),
            "outgoing",
            vec![
                path(format!("reqwest::Method::{}", operation.method.as_str())),
                Expr::Str(literal.into()),
            ],
        )
    };
    let mut literal = String::new();
    let mut request: Option<Expr<'_>> = None;
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
                let before = match request.take() {
                    None => start(literal),
                    Some(request) if !literal.is_empty() => {
                        method(request, "path", vec![Expr::Str(literal.into())])
                    }
                    Some(request) => request,
                };
                request = Some(method(
                    before,
                    "segment",
                    vec![
                        Expr::Str(parameter.wire_name.as_str().into()),
                        path(parameter.rust_name.as_str()),
                    ],
                ));
            }
        }
    }
    match request {
        None => start(literal),
        Some(request) if !literal.is_empty() => {
            method(request, "path", vec![Expr::Str(literal.into())])
        }
        Some(request) => request,
    }
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
fn emit_method<'a>(
    api: &'a Api,
    operation: &'a Operation,
    future: &'static str,
) -> Vec<Function<'a>> {
    let str_ref = || Ty::Ref(Box::new(Ty::Path("str".into())));
    let mut parameters: Vec<(Pat<'a>, Ty<'a>)> = Vec::new();
    let mut request = outgoing(operation);
    // Without the body: the streaming upload sends its body itself.
    let mut without_body: Option<(usize, Expr<'a>)> = None;
    for argument in operation.arguments() {
        let argument_name = argument.rust_name().to_owned();
        let name = || path(argument_name.clone());
        let pattern = Pat::Ident(argument_name.clone().into());
        match argument {
            Argument::Path(_) => parameters.push((pattern, str_ref())),
            Argument::Query(query) => {
                parameters.push((
                    pattern,
                    Ty::Ref(Box::new(Ty::Path(format!("models::query::{query}").into()))),
                ));
                // A list is the parameter repeated, which the struct's own encoding cannot say.
                let encode = if operation.has_query_list() {
                    "query_list"
                } else {
                    "query"
                };
                request = method(request, encode, vec![name()]);
            }
            Argument::Cookie(cookie) => {
                let wire = Expr::Str(cookie.wire_name.as_str().into());
                if cookie.required {
                    parameters.push((pattern, str_ref()));
                    request = method(request, "cookie", vec![wire, call("Some", vec![name()])]);
                } else {
                    parameters.push((pattern, Ty::Generic("Option", vec![str_ref()])));
                    request = method(request, "cookie", vec![wire, name()]);
                }
            }
            Argument::Header(header) => {
                let wire = Expr::Str(header.wire_name.as_str().into());
                if header.required {
                    parameters.push((pattern, str_ref()));
                    request = method(request, "header", vec![wire, name()]);
                } else {
                    parameters.push((pattern, Ty::Generic("Option", vec![str_ref()])));
                    request = method(request, "header_opt", vec![wire, name()]);
                }
            }
            Argument::Body(body) => {
                // Left out when `None`: no body and no content type.
                let optional = operation.request_optional;
                without_body = Some((parameters.len(), request.clone()));
                let by_ref = |ty: Ty<'a>| {
                    let ty = Ty::Ref(Box::new(ty));
                    if optional {
                        Ty::Generic("Option", vec![ty])
                    } else {
                        ty
                    }
                };
                let suffix = if optional { "_opt" } else { "" };
                match body {
                    Body::Json(body) => {
                        parameters.push((pattern, by_ref(type_ty(api, body, "models::"))));
                        request = method(request, format!("json{suffix}"), vec![name()]);
                    }
                    Body::Form(body) => {
                        parameters.push((pattern, by_ref(type_ty(api, body, "models::"))));
                        request = method(request, format!("form{suffix}"), vec![name()]);
                    }
                    Body::Text if optional => {
                        parameters.push((pattern, Ty::Generic("Option", vec![str_ref()])));
                        request = method(request, "text_opt", vec![name()]);
                    }
                    Body::Text => {
                        parameters.push((
                            pattern,
                            Ty::Impl(vec![Ty::Generic("Into", vec![Ty::Path("String".into())])]),
                        ));
                        request = method(request, "text", vec![method(name(), "into", Vec::new())]);
                    }
                    // Raw bytes are never optional.
                    Body::Bytes if !optional => {
                        parameters.push((
                            pattern,
                            Ty::Impl(vec![Ty::Generic(
                                "Into",
                                vec![Ty::Path("bytes::Bytes".into())],
                            )]),
                        ));
                        request =
                            method(request, "bytes", vec![method(name(), "into", Vec::new())]);
                    }
                    // A request body without a schema is not sent by the client (the endpoint
                    // files always describe what they take); the server still reads it.
                    Body::Bytes | Body::UntypedJson | Body::Null | Body::Location => {}
                }
            }
        }
    }
    let (parameters_without_body, request_without_body) = match without_body {
        Some((count, request)) => (count, request),
        None => (parameters.len(), request.clone()),
    };
    let parameters_without_body = parameters[..parameters_without_body].to_vec();
    let name = operation.name.as_str();
    let bare_name = bare(name);
    // Each method returns the future of the request it gathers (see the runtime's `Outgoing`),
    // and is `#[inline]`: compiled where it is called, as the generic code it calls is, rather
    // than every method (and its encoding of the query and body) in the client crate.
    let method_fn = |doc: Vec<Cow<'a, str>>,
                     attrs: Vec<&'static str>,
                     name: Cow<'a, str>,
                     parameters: Vec<(Pat<'a>, Ty<'a>)>,
                     output: Ty<'a>,
                     body: Expr<'a>| {
        let mut attrs = attrs;
        attrs.push("#[inline]");
        Function {
            doc,
            attrs,
            vis: "pub ",
            is_async: false,
            receiver: true,
            name,
            generic: None,
            params: parameters,
            output: Ty::Impl(vec![
                Ty::Generic(
                    future,
                    vec![Ty::Assoc(
                        "Output",
                        Box::new(Ty::Generic(
                            "Result",
                            vec![output, Ty::Path("Error".into())],
                        )),
                    )],
                ),
                Ty::Path("'_".into()),
            ]),
            body: vec![Stmt::Tail(body)],
        }
    };
    let copy_parameters = || parameters.clone();
    let main = match operation.success_body() {
        // Different types by status: the answers enum.
        _ if operation.typed_by_status() => {
            let read = read_answer(operation);
            (
                Ty::Path(format!("models::answers::{}", operation.answer_enum).into()),
                method(
                    request.clone(),
                    "answer",
                    vec![Expr::Tokens(quote! { |response| { #read } })],
                ),
            )
        }
        // A form is a request body only.
        Some(Body::Json(body) | Body::Form(body)) => (
            type_ty(api, body, "models::"),
            method(request.clone(), "call", Vec::new()),
        ),
        // Text is a request body only.
        Some(Body::Text) => (
            Ty::Path("String".into()),
            method(request.clone(), "call", Vec::new()),
        ),
        Some(Body::UntypedJson) => (
            Ty::Path("models::serde_json::Value".into()),
            method(request.clone(), "call", Vec::new()),
        ),
        Some(Body::Location) => (
            Ty::Path("String".into()),
            method(request.clone(), "call_redirect", Vec::new()),
        ),
        Some(Body::Bytes) => (
            Ty::Path("bytes::Bytes".into()),
            method(request.clone(), "call_bytes", Vec::new()),
        ),
        // The JSON `null` says nothing: not read.
        Some(Body::Null) | None => (
            Ty::Unit,
            method(request.clone(), "call_no_body", Vec::new()),
        ),
    };
    let mut main_attrs = Vec::new();
    if operation.deprecated {
        main_attrs.push("#[deprecated = \"the API marks this operation deprecated\"]");
    }
    let doc: Vec<Cow<'a, str>> = operation_doc_lines(api, operation)
        .into_iter()
        .map(Cow::Owned)
        .collect();
    let mut methods = vec![method_fn(
        doc,
        main_attrs,
        name.into(),
        copy_parameters(),
        main.0,
        main.1,
    )];
    if operation.success_body() == Some(&Body::Bytes) {
        methods.push(method_fn(
            vec![format!(
                " Like `{bare_name}`, reading the body as it arrives instead of holding it whole."
            )
            .into()],
            Vec::new(),
            format!("{bare_name}_stream").into(),
            copy_parameters(),
            Ty::Path("super::ByteStream".into()),
            method(request.clone(), "call_stream", Vec::new()),
        ));
    }
    if operation.request == Some(Body::Bytes) {
        let (output, finish) = match operation.success_body() {
            _ if operation.typed_by_status() => (
                Ty::Path(format!("models::answers::{}", operation.answer_enum).into()),
                read_answer(operation),
            ),
            Some(Body::Json(body) | Body::Form(body)) => {
                (type_ty(api, body, "models::"), quote! { response.decode() })
            }
            Some(Body::Text) => (Ty::Path("String".into()), quote! { response.decode() }),
            Some(Body::UntypedJson) => (
                Ty::Path("models::serde_json::Value".into()),
                quote! { response.decode() },
            ),
            Some(Body::Bytes) => (
                Ty::Path("bytes::Bytes".into()),
                quote! { Ok(response.error_for_status()?.body) },
            ),
            Some(Body::Null) | None => (Ty::Unit, quote! { response.error_for_status().map(drop) }),
            Some(Body::Location) => (
                Ty::Path("String".into()),
                quote! { super::redirect_target(response) },
            ),
        };
        let mut parameters = parameters_without_body;
        parameters.push((Pat::Ident("body".into()), Ty::Path("reqwest::Body".into())));
        methods.push(method_fn(
            vec![format!(
                " Like `{bare_name}`, sending `body` as it is produced (from a file or a stream, built with \
                 `reqwest::Body::wrap_stream`) instead of from memory; never retried."
            )
            .into()],
            Vec::new(),
            format!("{bare_name}_from_stream").into(),
            parameters,
            output,
            method(
                request_without_body,
                "send_once",
                vec![path("body"), Expr::Tokens(quote! { |response| { #finish } })],
            ),
        ));
    }
    if let Some(paging) = &operation.paging {
        let page = match operation.success_body() {
            Some(Body::Json(page)) => type_ty(api, page, "models::"),
            _ => Ty::Unit,
        };
        let entry = type_ty(api, &paging.item_type, "models::");
        methods.push(method_fn(
            vec![format!(
                " Every item of `{bare_name}`, page after page (following `{}.{}`).",
                paging.paging.wire_name, paging.next.wire_name
            )
            .into()],
            Vec::new(),
            format!("{bare_name}_all").into(),
            copy_parameters(),
            Ty::Generic("Vec", vec![entry]),
            method(
                request.clone(),
                "collect_pages",
                vec![Expr::Closure(
                    vec![Pat::Typed(Box::new(Pat::Ident("page".into())), page)],
                    Box::new(page_split(paging)),
                )],
            ),
        ));
    }
    if operation.returns_etag() {
        let output = match operation.success_body() {
            Some(Body::Json(body)) => type_ty(api, body, "models::"),
            _ => Ty::Unit,
        };
        let header = api.conventions.etag.response.as_str();
        methods.push(method_fn(
            vec![format!(
                " Like `{bare_name}`, with the `{header}` to send back as `{}` when changing the value.",
                api.conventions.etag.request
            )
            .into()],
            Vec::new(),
            format!("{bare_name}_with_etag").into(),
            copy_parameters(),
            Ty::Generic("super::Tagged", vec![output]),
            method(request, "call_tagged", vec![Expr::Str(header.into())]),
        ));
    }
    methods
}

/// `(items, next link)` of a page named `page`, as the paging fact says where they are.
fn page_split(paging: &Paging) -> Expr<'_> {
    let field = |base: Expr<'static>, member: &str| -> Expr<'static> {
        Expr::Field(Box::new(base), member.to_owned().into())
    };
    let items = field(path("page"), &paging.items.rust_name);
    let items = if paging.items.required {
        items
    } else {
        method(items, "unwrap_or_default", Vec::new())
    };
    let paging_field = || field(path("page"), &paging.paging.rust_name);
    let next = &paging.next.rust_name;
    let link = match (paging.paging.required, paging.next.required) {
        (true, true) => call("Some", vec![field(paging_field(), next)]),
        (true, false) => field(paging_field(), next),
        // The paging object, named as its field is.
        (false, required) => method(
            paging_field(),
            if required { "map" } else { "and_then" },
            vec![Expr::Closure(
                vec![Pat::Ident(paging.paging.rust_name.clone().into())],
                Box::new(field(path(paging.paging.rust_name.clone()), next)),
            )],
        ),
    };
    Expr::Tuple(vec![items, link])
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The model of the access tokens' pages of `schemas/` (a list, reads, a create, a modify,
    /// a delete; without `corrections.toml`, which gives the list its pages).
    fn api_of() -> Api {
        super::super::test_support::api_of(vec![
            (
                "access-tokens/auth_access-tokens.json".to_owned(),
                include_bytes!("../../../schemas/access-tokens/auth_access-tokens.json").to_vec(),
            ),
            (
                "access-tokens/auth_access-tokens_id.json".to_owned(),
                include_bytes!("../../../schemas/access-tokens/auth_access-tokens_id.json")
                    .to_vec(),
            ),
        ])
    }

    /// (The whole-vs-parts test in `tests/tests/generated.rs` covers the rest: the lists with
    /// pages of `schemas/`, and the methods holding a block, such as those whose answers are
    /// typed by status in the OpenAPI fixture, which prettyplease prints alone.)
    #[test]
    fn methods_are_printed_as_prettyplease_prints_them() {
        let (printed_text, tokens_text, printed) =
            super::super::test_support::module_both_ways(&api_of(), emit_group);
        assert!(printed);
        assert_eq!(printed_text, tokens_text);
        assert!(
            printed_text.contains("    pub fn modify(\n"),
            "{printed_text}"
        );
    }
}
