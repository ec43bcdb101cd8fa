//! The server crate: a runtime (`templates/server_runtime.rs`, as `src/runtime.rs`: request context, error
//! type, rejections, fallbacks) and, per operation, a trait method, an axum handler that turns
//! the request into typed arguments (rejecting bad requests before they reach the trait), and a
//! route.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{group_title, operation_doc_lines};
use super::docs::inner_doc_attrs;
use super::groups::{
    cfg_group, crate_description, features_table, groups_with_operations, package_section,
    uses_models, Helper,
};
use super::layout::{Layout, Ty};
use super::syntax::{call, method, path, Expr, Function, Pat, Stmt};
use super::types::{bare, ident, type_ty};
use super::{template, Chunk, Chunks, CrateParts, CrateSource, Form, Printed};
use crate::ident::crate_ident;
use crate::ir::{Api, Argument, Body, Group, Method, Operation, Segment};

const RUNTIME: &str = include_str!("../../templates/server_runtime.rs");

/// The crate's `Cargo.toml`.
pub fn emit_server_manifest(api: &Api) -> String {
    let models = api.crate_name("models");
    format!(
        r#"{package}{features}
[dependencies]
axum = {{ version = "0.8", default-features = false, features = ["http1", "json", "query", "tokio"{form}] }}
{models} = {{ path = "../{models}", version = "{version}", default-features = false }}
serde = "1"
{lists}"#,
        version = api.package.version,
        form = if takes_forms(api) { r#", "form""# } else { "" },
        // Lists in query strings (`?tag=a&tag=b`), which axum's `Query` cannot read.
        lists = if api.operations.iter().any(Operation::has_query_list) {
            "serde_html_form = \"0.4\"\n"
        } else {
            ""
        },
        package = package_section(
            &api.package,
            &api.crate_name("server"),
            &crate_description(api, "server")
        ),
        features = features_table(api, Some(&models), &[]),
    )
}

/// Whether an operation takes a form body (axum's `form` feature then).
pub(crate) fn takes_forms(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|operation| matches!(operation.request, Some(Body::Form(_))))
}

/// About how many lines an operation takes in a group's module: a part's weight.
const LINES_PER_OPERATION: usize = 55;

/// The crate in parts: the head, then a part per group's module.
pub fn server_parts(api: &Api) -> CrateParts<'_> {
    super::grouped_parts(api, server_head, emit_group, LINES_PER_OPERATION)
}

/// The crate's attributes, its `Server` and the runtime; the groups' modules follow.
fn server_head(api: &Api) -> Result<CrateSource, syn::Error> {
    let runtime = template::runtime(api, RUNTIME, HELPERS, &|_| None)?;
    let models = ident(&crate_ident(&api.crate_name("models")));
    let example = api.groups.first().map_or_else(
        || "access_tokens".to_owned(),
        |group| group.module.trim_start_matches("r#").to_owned(),
    );
    let crate_doc = inner_doc_attrs(&format!(
        "An axum server stub for the {} REST API. Each group of operations is a module with a trait \
         (`{example}::{}`, one async method per operation, each answering 501 Not Implemented until \
         you implement it) and a cargo feature (all on by default); add your implementations to a \
         [`Server`] and serve [`Server::into_router`].\n\n\
         Requests are parsed and validated before they reach the implementation: a malformed body, a \
         wrong field type or a missing parameter is answered 4xx with the API's error object saying what \
         was wrong and where. Unknown routes get 404, wrong methods 405, oversized bodies 413.{}",
        api.name,
        api.groups.first().map_or("AccessTokens", |group| group.type_name.as_str()),
        example_server(api),
    ));
    let adders = api.groups.iter().map(emit_adder);
    let lib = quote! {
        #crate_doc
        #![deny(missing_docs)]
        pub use #models as models;
        mod runtime;
        pub use runtime::*;

        /// The server: the groups you implement, and the settings every route shares.
        #[derive(Debug, Default)]
        pub struct Server {
            router: axum::Router,
            config: ServerConfig,
        }

        impl Server {
            /// A server with no groups; their routes answer 404 until added.
            pub fn new() -> Self {
                Self::default()
            }

            /// Uses `config` (body limit and other settings).
            pub fn with_config(mut self, config: ServerConfig) -> Self {
                self.config = config;
                self
            }

            #(#adders)*

            /// The router to serve, with the JSON 404 and 405 answers and the body limit.
            pub fn into_router(self) -> axum::Router {
                self.router
                    .route("/openapi.json", axum::routing::get(openapi))
                    .fallback(not_found)
                    .method_not_allowed_fallback(method_not_allowed)
                    .layer(axum::extract::DefaultBodyLimit::max(self.config.body_limit))
            }
        }
    };
    Ok(CrateSource { lib, runtime })
}

/// `Server::access_tokens(api)`.
/// The crate documentation's example: one group implemented (every method left to answer 501),
/// mounted, and the router made.
fn example_server(api: &Api) -> String {
    let Some(group) = groups_with_operations(api)
        .into_iter()
        .next()
        .map(|(group, _)| group)
    else {
        return String::new();
    };
    let server_crate = crate_ident(&api.crate_name("server"));
    format!(
        "\n\n```no_run\n\
         use std::sync::Arc;\n\n\
         struct Mine;\n\n\
         // Implement the methods you serve; the others answer 501 Not Implemented.\n\
         impl {server_crate}::{module}::{handle} for Mine {{}}\n\n\
         let router: axum::Router = {server_crate}::Server::new().{module}(Arc::new(Mine)).into_router();\n\
         // Serve it with `axum::serve(listener, router)` on a `tokio::net::TcpListener`.\n\
         ```",
        module = group.module,
        handle = group.type_name,
    )
}

fn emit_adder(group: &Group) -> TokenStream {
    let cfg = cfg_group(group);
    let module = ident(&group.module);
    let handle = ident(&group.type_name);
    let doc = format!(" Serves the {} operations with `api`.", group_title(group));
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #module<A: #module::#handle>(mut self, api: std::sync::Arc<A>) -> Self {
            self.router = self.router.merge(#module::routes(api));
            self
        }
    }
}

/// A group's module: its imports, trait, routes and handlers; the trait printed where `form`
/// asks for it and it can be.
fn emit_group(api: &Api, group: &Group, operations: &[&Operation], form: Form) -> Chunk {
    let cfg = cfg_group(group);
    let module = ident(&group.module);
    let handle = ident(&group.type_name);
    let models_import = uses_models(operations).then(|| quote! { models, });
    let extract_imports = extract_imports(operations);
    let module_doc = format!(
        " The {} operations: implement [`{handle}`].",
        group_title(group)
    );
    let imports = quote! {
        use std::future::Future;
        use std::sync::Arc;

        #extract_imports
        use axum::http::{HeaderMap, StatusCode};
        use axum::response::Response;

        use super::{#models_import RequestContext, ServerError};
    };
    let handlers: Vec<Function<'_>> = operations
        .iter()
        .map(|operation| emit_handler(api, group, operation))
        .collect();
    let routes = emit_routes(group, operations);
    let printed = match form {
        Form::Printed => print_trait(api, group, operations),
        Form::Tokens => None,
    };
    let Some(printed) = printed else {
        let trait_doc = trait_doc(group);
        let trait_methods = operations
            .iter()
            .map(|operation| trait_method(api, operation).to_tokens());
        let handlers = handlers.iter().map(Function::to_tokens);
        let routes_tokens = routes.to_tokens();
        return Chunk::Tokens(quote! {
            #cfg
            pub mod #module {
                #![doc = #module_doc]

                #imports

                #[doc = #trait_doc]
                // The default methods answer 501 without looking at their arguments.
                #[allow(unused_variables)]
                pub trait #handle: Send + Sync + 'static {
                    #(#trait_methods)*
                }

                #routes_tokens

                #(#handlers)*
            }
        });
    };
    let mut items = Chunks::default();
    items.tokens(imports);
    items.printed(printed);
    for handler in std::iter::once(&routes).chain(&handlers) {
        match handler.print() {
            Some(text) => items.printed(Printed { text, gated: false }),
            None => items.tokens(handler.to_tokens()),
        }
    }
    Chunk::module(&cfg, &module, &module_doc, items)
}

/// The runtime's helper functions and which operations need them.
const HELPERS: &[Helper] = &[
    ("rejection", |operation| {
        !operation.path_params.is_empty()
            || !operation.query_params.is_empty()
            || json_request(operation)
            || matches!(operation.request, Some(Body::Form(_) | Body::Text))
    }),
    ("path_rejection", |operation| {
        !operation.path_params.is_empty()
    }),
    ("query_rejection", |operation| {
        !operation.query_params.is_empty() && !operation.has_query_list()
    }),
    ("list_query", Operation::has_query_list),
    ("list_rejection", Operation::has_query_list),
    ("body_rejection", json_request),
    ("form_rejection", |operation| {
        matches!(operation.request, Some(Body::Form(_)))
    }),
    ("text_rejection", |operation| {
        matches!(operation.request, Some(Body::Text))
    }),
    ("header_value", |operation| {
        !operation.header_params.is_empty()
    }),
    ("missing_header", |operation| {
        operation.header_params.iter().any(|header| header.required)
    }),
    ("cookie_value", |operation| {
        !operation.cookie_params.is_empty()
    }),
    ("missing_cookie", |operation| {
        operation.cookie_params.iter().any(|cookie| cookie.required)
    }),
    ("respond", |operation| {
        typed_answer(operation, true)
            || !operation.returns_etag()
                && !operation.typed_by_status()
                && matches!(
                    operation.success_body(),
                    Some(Body::Json(_) | Body::UntypedJson | Body::Null)
                )
    }),
    ("respond_tagged", |operation| operation.returns_etag()),
    ("optional_body", |operation| operation.request_optional),
    ("respond_bytes", |operation| {
        operation.success_body() == Some(&Body::Bytes)
    }),
    ("respond_redirect", Operation::redirects),
    ("respond_empty", |operation| {
        operation.success_body().is_none() || typed_answer(operation, false)
    }),
    ("not_implemented", |_| true),
];

/// Whether an operation answers typed by status with some variant that has a body (`with_body`)
/// or some variant that has none.
fn typed_answer(operation: &Operation, with_body: bool) -> bool {
    operation.typed_by_status()
        && operation
            .successes()
            .any(|response| response.answer_value().is_some() == with_body)
}

/// Whether the request body is JSON (parsed, and rejected when malformed, before the trait).
fn json_request(operation: &Operation) -> bool {
    matches!(operation.request, Some(Body::Json(_) | Body::UntypedJson))
}

/// The trait method's parameters after `&self`, as names and types: context, path parameters,
/// query, headers, body.
pub(crate) fn trait_parameters(
    api: &Api,
    operation: &Operation,
) -> Vec<(proc_macro2::Ident, TokenStream)> {
    trait_parameter_types(api, operation)
        .into_iter()
        .map(|(name, ty)| (ident(&name), ty.to_tokens()))
        .collect()
}

/// [`trait_parameters`] as names and [`Ty`]s.
fn trait_parameter_types<'a>(api: &'a Api, operation: &Operation) -> Vec<(String, Ty<'a>)> {
    let string = || Ty::Path("String".into());
    let mut res = vec![("context".to_owned(), Ty::Path("RequestContext".into()))];
    for argument in operation.arguments() {
        let ty = match argument {
            Argument::Path(_) => string(),
            Argument::Query(name) => Ty::Path(format!("models::query::{name}").into()),
            Argument::Header(parameter) | Argument::Cookie(parameter) if parameter.required => {
                string()
            }
            Argument::Header(_) | Argument::Cookie(_) => Ty::Generic("Option", vec![string()]),
            Argument::Body(body) if operation.request_optional => {
                Ty::Generic("Option", vec![body_ty(api, body)])
            }
            Argument::Body(body) => body_ty(api, body),
        };
        res.push((argument.rust_name().to_owned(), ty));
    }
    res
}

/// The type the trait method receives a request body as.
fn body_type(api: &Api, body: &Body) -> TokenStream {
    body_ty(api, body).to_tokens()
}

/// [`body_type`] as a [`Ty`].
fn body_ty<'a>(api: &'a Api, body: &Body) -> Ty<'a> {
    match body {
        Body::Json(ty) | Body::Form(ty) => type_ty(api, ty, "models::"),
        Body::Text => Ty::Path("String".into()),
        Body::UntypedJson => Ty::Path("models::serde_json::Value".into()),
        // Response bodies only.
        Body::Null | Body::Location => Ty::Unit,
        // A stream: read it as it arrives (the body limit does not apply to it).
        Body::Bytes => Ty::Path("axum::body::Body".into()),
    }
}

/// What the trait method returns on success: the JSON type (with its entity tag for a read
/// that carries one), a value, a body of bytes (or a stream), or nothing.
pub(crate) fn output_type(api: &Api, operation: &Operation) -> TokenStream {
    output_ty(api, operation).to_tokens()
}

/// [`output_type`] as a [`Ty`].
fn output_ty<'a>(api: &'a Api, operation: &Operation) -> Ty<'a> {
    if operation.typed_by_status() {
        return Ty::Path(format!("models::answers::{}", operation.answer_enum).into());
    }
    let value = match operation.success_body() {
        // A form is a request body only.
        Some(Body::Json(body) | Body::Form(body)) => type_ty(api, body, "models::"),
        // The URL a redirect sends the caller to.
        Some(Body::Text | Body::Location) => Ty::Path("String".into()),
        Some(Body::UntypedJson) => Ty::Path("models::serde_json::Value".into()),
        Some(Body::Bytes) => return Ty::Path("axum::body::Body".into()),
        Some(Body::Null) | None => return Ty::Unit,
    };
    if operation.returns_etag() {
        Ty::Generic("models::Tagged", vec![value])
    } else {
        value
    }
}

/// The group's trait printed as prettyplease prints [`emit_group`]'s tokens of it; `None`
/// where a documentation line or a type would print otherwise.
fn print_trait(api: &Api, group: &Group, operations: &[&Operation]) -> Option<Printed> {
    let mut layout = Layout::default();
    layout.cbox(0);
    doc_comment(&mut layout, &trait_doc(group))?;
    layout.word("#[allow(unused_variables)]");
    layout.space();
    layout.cbox(4);
    layout.word("pub trait ");
    layout.word(&group.type_name);
    layout.word(": Send + Sync + 'static");
    layout.word(" {");
    layout.hardbreak_if_nonempty();
    for operation in operations {
        trait_method(api, operation).lay_out(&mut layout)?;
    }
    layout.offset(-4);
    layout.end();
    layout.word("}");
    layout.hardbreak();
    layout.end();
    Some(Printed {
        text: layout.finish(),
        gated: false,
    })
}

/// A `#[doc]` line (its literal's value) as prettyplease prints it: `///` and the value without
/// trailing spaces; `None` where it prints it otherwise.
fn doc_comment(layout: &mut Layout, value: &str) -> Option<()> {
    if value.starts_with('/') || value.contains(|c: char| c.is_control() && c != '\t') {
        return None;
    }
    layout.word("///");
    layout.word(value.trim_end_matches(' '));
    layout.hardbreak();
    Some(())
}

/// `METHOD /path`, as the default method answers it.
fn route(operation: &Operation) -> String {
    format!("{} {}", operation.method.as_str(), operation.path)
}

/// Whether the trait method takes more arguments than clippy likes.
fn too_many_arguments(operation: &Operation) -> bool {
    operation.arguments().len() + 2 > 7
}

/// The trait's documentation line.
fn trait_doc(group: &Group) -> String {
    format!(
        " The {} operations. Every method answers 501 Not Implemented unless implemented; add the implementation with [`super::Server::{}`].",
        group_title(group),
        group.module.trim_start_matches("r#")
    )
}

/// An operation's trait method, whose default answers 501 without looking at its arguments.
fn trait_method<'a>(api: &'a Api, operation: &'a Operation) -> Function<'a> {
    Function {
        doc: operation_doc_lines(api, operation)
            .into_iter()
            .map(Into::into)
            .collect(),
        // One argument per parameter, however many the operation has.
        attrs: if too_many_arguments(operation) {
            vec!["#[allow(clippy::too_many_arguments)]"]
        } else {
            Vec::new()
        },
        vis: "",
        is_async: false,
        receiver: true,
        name: operation.name.as_str().into(),
        generic: None,
        params: trait_parameter_types(api, operation)
            .into_iter()
            .map(|(name, ty)| (Pat::Ident(name.into()), ty))
            .collect(),
        output: Ty::Impl(vec![
            Ty::Generic(
                "Future",
                vec![Ty::Assoc(
                    "Output",
                    Box::new(Ty::Generic(
                        "Result",
                        vec![output_ty(api, operation), Ty::Path("ServerError".into())],
                    )),
                )],
            ),
            Ty::Path("Send".into()),
        ]),
        body: vec![Stmt::Tail(call(
            "std::future::ready",
            vec![call(
                "Err",
                vec![call(
                    "super::not_implemented",
                    vec![Expr::Str(route(operation).into())],
                )],
            )],
        ))],
    }
}

/// An operation's handler: its extractors, the statements that unpack them (rejecting a bad
/// request), the call of the trait method and the response.
fn emit_handler<'a>(api: &'a Api, group: &'a Group, operation: &'a Operation) -> Function<'a> {
    let generic = |head: &'static str, arguments: Vec<Ty<'a>>| Ty::Generic(head, arguments);
    let named = |text: &'static str| Ty::Path(text.into());
    let rejected = |extractor: Ty<'a>, rejection: &'static str| {
        generic("Result", vec![extractor, named(rejection)])
    };
    let mut params = vec![
        (
            Pat::TupleStruct("State".into(), vec![Pat::Ident("api".into())]),
            generic("State", vec![generic("Arc", vec![named("A")])]),
        ),
        (Pat::Ident("headers".into()), named("HeaderMap")),
    ];
    let mut unpack = Vec::new();
    let mut arguments = Vec::new();
    // `value.map_err(super::rejection)?`
    let or_reject = |value: Expr<'a>, rejection: &str| -> Expr<'a> {
        Expr::Try(Box::new(method(
            value,
            "map_err",
            vec![path(format!("super::{rejection}"))],
        )))
    };
    if !operation.path_params.is_empty() {
        let names = || {
            operation
                .path_params
                .iter()
                .map(|parameter| Pat::Ident(parameter.rust_name.as_str().into()))
                .collect()
        };
        let strings = operation
            .path_params
            .iter()
            .map(|_| named("String"))
            .collect();
        params.push((
            Pat::Ident("path".into()),
            rejected(generic("Path", vec![Ty::Tuple(strings)]), "PathRejection"),
        ));
        unpack.push(Stmt::Let(
            Pat::TupleStruct("Path".into(), vec![Pat::Tuple(names())]),
            or_reject(path("path"), "path_rejection"),
        ));
        arguments.extend(
            operation
                .path_params
                .iter()
                .map(|parameter| path(parameter.rust_name.as_str())),
        );
    }
    if !operation.query_params.is_empty() {
        let query = || Ty::Path(format!("models::query::{}", operation.query_struct).into());
        if operation.has_query_list() {
            params.push((Pat::Ident("query".into()), named("axum::extract::RawQuery")));
            let raw = method(
                Expr::Field(Box::new(path("query")), "0".into()),
                "as_deref",
                Vec::new(),
            );
            unpack.push(Stmt::Let(
                Pat::Typed(Box::new(Pat::Ident("query".into())), query()),
                or_reject(call("super::list_query", vec![raw]), "list_rejection"),
            ));
        } else {
            params.push((
                Pat::Ident("query".into()),
                rejected(generic("Query", vec![query()]), "QueryRejection"),
            ));
            unpack.push(Stmt::Let(
                Pat::TupleStruct("Query".into(), vec![Pat::Ident("query".into())]),
                or_reject(path("query"), "query_rejection"),
            ));
        }
        arguments.push(path("query"));
    }
    // Headers and cookies, read from the headers by name.
    let header_readers = [
        (&operation.header_params, "header_value", "missing_header"),
        (&operation.cookie_params, "cookie_value", "missing_cookie"),
    ];
    for (parameters, read, missing) in header_readers {
        for parameter in parameters {
            let read = call(
                format!("super::{read}"),
                vec![
                    Expr::Ref(Box::new(path("headers"))),
                    Expr::Str(parameter.wire_name.as_str().into()),
                ],
            );
            let value = if parameter.required {
                let missing = format_ident!("{missing}");
                let wire = &parameter.wire_name;
                Expr::Try(Box::new(method(
                    read,
                    "ok_or_else",
                    vec![Expr::Tokens(quote! { || super::#missing(#wire) })],
                )))
            } else {
                read
            };
            unpack.push(Stmt::Let(
                Pat::Ident(parameter.rust_name.as_str().into()),
                value,
            ));
            arguments.push(path(parameter.rust_name.as_str()));
        }
    }
    let body = || Pat::Ident("body".into());
    match &operation.request {
        // Read only when a `Content-Type` says there is one.
        Some(request) if operation.request_optional => {
            let ty = body_type(api, request);
            let (extractor, unwrap, rejection) = match request {
                Body::Form(_) => (
                    quote! { axum::Form<#ty> },
                    Some(quote! { |axum::Form(body)| body }),
                    quote! { form_rejection },
                ),
                Body::Text => (quote! { String }, None, quote! { text_rejection }),
                _ => (
                    quote! { axum::Json<#ty> },
                    Some(quote! { |axum::Json(body)| body }),
                    quote! { body_rejection },
                ),
            };
            let unwrap = unwrap.map(|unwrap| quote! { .map(#unwrap) });
            params.push((
                Pat::Ident("request".into()),
                named("axum::extract::Request"),
            ));
            unpack.push(Stmt::Let(
                body(),
                Expr::Tokens(quote! {
                    super::optional_body::<#extractor>(request)
                        .await
                        .map_err(super::#rejection)?
                        #unwrap
                }),
            ));
            arguments.push(path("body"));
        }
        Some(request @ (Body::Json(_) | Body::UntypedJson)) => {
            params.push((
                body(),
                rejected(
                    generic("Json", vec![body_ty(api, request)]),
                    "JsonRejection",
                ),
            ));
            unpack.push(Stmt::Let(
                Pat::TupleStruct("Json".into(), vec![body()]),
                or_reject(path("body"), "body_rejection"),
            ));
            arguments.push(path("body"));
        }
        Some(request @ Body::Form(_)) => {
            params.push((
                body(),
                rejected(
                    generic("axum::Form", vec![body_ty(api, request)]),
                    "axum::extract::rejection::FormRejection",
                ),
            ));
            unpack.push(Stmt::Let(
                Pat::TupleStruct("axum::Form".into(), vec![body()]),
                or_reject(path("body"), "form_rejection"),
            ));
            arguments.push(path("body"));
        }
        Some(Body::Text) => {
            params.push((
                body(),
                rejected(named("String"), "axum::extract::rejection::StringRejection"),
            ));
            unpack.push(Stmt::Let(body(), or_reject(path("body"), "text_rejection")));
            arguments.push(path("body"));
        }
        Some(Body::Bytes) => {
            params.push((body(), named("axum::body::Body")));
            arguments.push(path("body"));
        }
        // Response bodies only.
        Some(Body::Null | Body::Location) | None => {}
    }
    let status = || status_expr(operation.success_status());
    let respond = |function: &str, extra: Option<Expr<'a>>| {
        let mut arguments = vec![status(), path("answer")];
        arguments.extend(extra);
        call(format!("super::{function}"), arguments)
    };
    let respond = match operation.success_body() {
        // The status of the variant the implementation answered with.
        _ if operation.typed_by_status() => {
            let answer = ident(&operation.answer_enum);
            let arms = operation.successes().map(|response| {
                let status = status_constant(response.status);
                let variant = ident(&response.answer_variant());
                match response.answer_value() {
                    Some(_) => quote! {
                        Ok(models::answers::#answer::#variant(value)) => super::respond(#status, Ok(value)),
                    },
                    None => quote! {
                        Ok(models::answers::#answer::#variant) => super::respond_empty(#status, Ok(())),
                    },
                }
            });
            Expr::Tokens(quote! {
                match answer {
                    #(#arms)*
                    Err(error) => axum::response::IntoResponse::into_response(error),
                }
            })
        }
        _ if operation.returns_etag() => respond(
            "respond_tagged",
            Some(Expr::Str(api.conventions.etag.response.as_str().into())),
        ),
        Some(Body::Json(_) | Body::UntypedJson | Body::Null | Body::Form(_) | Body::Text) => {
            respond("respond", None)
        }
        Some(Body::Bytes) => respond("respond_bytes", None),
        Some(Body::Location) => respond("respond_redirect", None),
        None => respond("respond_empty", None),
    };
    let mut call_arguments = vec![call("RequestContext::new", vec![path("headers")])];
    call_arguments.extend(arguments);
    let answer = Expr::Await(Box::new(method(
        path("api"),
        operation.name.as_str(),
        call_arguments,
    )));
    let mut body = unpack;
    body.push(Stmt::Let(Pat::Ident("answer".into()), answer));
    body.push(Stmt::Tail(call("Ok", vec![respond])));
    Function {
        doc: Vec::new(),
        // The path's parameters are one tuple, however many there are.
        attrs: if operation.path_params.len() > 3 {
            vec!["#[allow(clippy::type_complexity)]"]
        } else {
            Vec::new()
        },
        vis: "",
        is_async: true,
        receiver: false,
        name: format!("handle_{}", bare(&operation.name)).into(),
        generic: Some(("A", group.type_name.as_str().into())),
        params,
        output: generic("Result", vec![named("Response"), named("Response")]),
        body,
    }
}

/// The extractor imports a group's handlers use.
fn extract_imports(operations: &[&Operation]) -> TokenStream {
    let mut rejections = Vec::new();
    let mut extractors = vec![quote! { State }];
    // An optional body is read through `optional_body`, which names its extractor in full.
    let json = operations
        .iter()
        .any(|operation| json_request(operation) && !operation.request_optional);
    if json {
        rejections.push(quote! { JsonRejection });
    }
    if operations
        .iter()
        .any(|operation| !operation.path_params.is_empty())
    {
        rejections.push(quote! { PathRejection });
        extractors.push(quote! { Path });
    }
    if operations
        .iter()
        .any(|operation| !operation.query_params.is_empty() && !operation.has_query_list())
    {
        rejections.push(quote! { QueryRejection });
        extractors.push(quote! { Query });
    }
    let json = json.then(|| quote! { use axum::Json; });
    let rejections = (!rejections.is_empty())
        .then(|| quote! { use axum::extract::rejection::{#(#rejections),*}; });
    quote! {
        #rejections
        use axum::extract::{#(#extractors),*};
        #json
    }
}

/// `.route(path, get(h).patch(h))` per path. Captures are named by position (`{p1}`): the
/// handlers extract them as a tuple, and axum rejects two routes that name the parameter at the
/// same place differently.
fn emit_routes<'a>(group: &'a Group, operations: &[&Operation]) -> Function<'a> {
    let mut by_path: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in operations {
        by_path
            .entry(route_path(operation))
            .or_default()
            .push(operation);
    }
    let mut router = call("axum::Router::new", Vec::new());
    for (route, operations) in by_path {
        let mut chain: Option<Expr<'_>> = None;
        for operation in operations {
            let handler = Expr::Turbofish(
                format!("handle_{}", bare(&operation.name)).into(),
                vec![Ty::Path("A".into())],
            );
            let method = method_fn(operation.method);
            chain = Some(match chain {
                None => call(format!("axum::routing::{method}"), vec![handler]),
                Some(chain) => self::method(chain, method, vec![handler]),
            });
        }
        let mut arguments = vec![Expr::Str(route.into())];
        arguments.extend(chain);
        router = method(router, "route", arguments);
    }
    Function {
        doc: vec![" The routes of this group, served by `api`.".into()],
        attrs: Vec::new(),
        vis: "pub(crate) ",
        is_async: false,
        receiver: false,
        name: "routes".into(),
        generic: Some(("A", group.type_name.as_str().into())),
        params: vec![(
            Pat::Ident("api".into()),
            Ty::Generic("Arc", vec![Ty::Path("A".into())]),
        )],
        output: Ty::Path("axum::Router".into()),
        body: vec![Stmt::Tail(method(router, "with_state", vec![path("api")]))],
    }
}

/// `StatusCode::OK` and friends for the success statuses the reference uses.
fn status_constant(status: u16) -> TokenStream {
    status_expr(status).to_tokens()
}

/// [`status_constant`] as an expression.
fn status_expr(status: u16) -> Expr<'static> {
    let name = match status {
        200 => "OK",
        201 => "CREATED",
        202 => "ACCEPTED",
        204 => "NO_CONTENT",
        301 => "MOVED_PERMANENTLY",
        302 => "FOUND",
        303 => "SEE_OTHER",
        307 => "TEMPORARY_REDIRECT",
        308 => "PERMANENT_REDIRECT",
        _ => {
            return Expr::Tokens(quote! { StatusCode::from_u16(#status).unwrap_or(StatusCode::OK) })
        }
    };
    path(format!("StatusCode::{name}"))
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
    let mut res = String::new();
    let mut position = 0;
    for segment in &operation.route.segments {
        res.push('/');
        match segment {
            Segment::Literal(text) => res.push_str(text),
            Segment::Param(_) => {
                position += 1;
                res.push_str(&format!("{{p{position}}}"));
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model of one group of operations on `/v1/things`, summarised by `summary`.
    fn api_of(summary: &str) -> Api {
        let object = serde_json::json!({
            "type": "object",
            "properties": { "id": { "type": "string" } }
        });
        let endpoint = serde_json::json!({
            "endpoint": "/v1/things/{id}",
            "category": "Things",
            "methods": {
                "get": {
                    "summary": summary,
                    "parameters": [{ "name": "id", "required": true }, { "name": "limit" }],
                    "responses": [{ "code": "200" }],
                    "response_schema": object
                },
                "put": {
                    "summary": "Replace.",
                    "parameters": [{ "name": "id", "required": true }],
                    "responses": [{ "code": "200" }],
                    "request_schema": object,
                    "response_schema": { "type": "array", "items": object }
                },
                "delete": {
                    "parameters": [{ "name": "id", "required": true }],
                    "responses": [{ "code": "204" }]
                }
            }
        });
        super::super::test_support::api_of(vec![(
            "things/things.json".to_owned(),
            serde_json::to_vec(&endpoint).unwrap(),
        )])
    }

    fn both_ways(api: &Api) -> (String, String, bool) {
        super::super::test_support::module_both_ways(api, emit_group)
    }

    #[test]
    fn traits_are_printed_as_prettyplease_prints_them_unless_a_doc_line_is_not_a_comment() {
        let (printed_text, tokens_text, printed) = both_ways(&api_of("Read one."));
        assert!(printed);
        assert_eq!(printed_text, tokens_text);
        assert!(printed_text.contains("    fn get(\n"), "{printed_text}");
        let (printed_text, tokens_text, printed) = both_ways(&api_of("Rings \u{7} a bell."));
        assert!(!printed);
        assert_eq!(printed_text, tokens_text);
    }
}
