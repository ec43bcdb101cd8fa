//! The conformance crate: what third-party tools need to check the generated crates against the
//! exported OpenAPI document, and what proves every wire name round-trips. It is not part of
//! `generated/`; `cargo xtask conformance` and `cargo xtask check-fixtures` write it to `target/`.
//!
//! - `Example`: a schema-conformant value of every model type (every optional field present,
//!   one element in every array, the first listed value of every enum), so that responses and
//!   requests exercise every field;
//! - `Reference`: an implementation of every server trait that answers each operation with the
//!   example of its response type, and `router()` serving it;
//! - `drive()`: calls every operation through the generated client with example arguments and
//!   reports, per operation, whether the answer decoded;
//! - unit tests: every struct serializes exactly its wire names and reads back equal, every enum
//!   value serializes to its wire string and back.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::groups::{groups_with_operations, package_section};
use super::server::{output_type, trait_parameters};
use super::types::{bare, ident};
use crate::ident::crate_ident;
use crate::ir::{Api, Body, Group, Operation, TypeDef, TypeKind, TypeRef};

/// The string every example string, path parameter and header carries: digits, since most strings of the Qumulo API are ids or 64-bit
/// numbers written as text, which clients such as the vendor's SDK parse.
const EXAMPLE_STRING: &str = "1";

/// Where the reference implementation's redirects send the caller.
const EXAMPLE_LOCATION: &str = "https://example.com/";

/// The example of a base64 field: `example`, encoded.
const EXAMPLE_BASE64: &str = "ZXhhbXBsZQ==";

/// The entity tag the reference implementation answers reads with.
const EXAMPLE_ETAG: &str = "\"example\"";

/// The crate's name: `<api>-conformance`.
pub fn conformance_crate_name(api: &Api) -> String {
    api.crate_name("conformance")
}

/// The crate's `Cargo.toml`; `generated` is the path from the crate to the folder that holds the
/// models, client and server crates.
pub fn emit_conformance_manifest(api: &Api, generated: &str) -> String {
    let [models, client, server] = ["models", "client", "server"].map(|part| api.crate_name(part));
    format!(
        r#"{package}[dependencies]
{models} = {{ path = "{generated}/{models}" }}
{client} = {{ path = "{generated}/{client}" }}
{server} = {{ path = "{generated}/{server}" }}
axum = {{ version = "0.8", default-features = false, features = ["http1", "tokio"] }}
schemars = "1"
serde = "1"
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "net", "rt-multi-thread", "time"] }}
"#,
        package = package_section(
            &crate::config::Package {
                publish: false,
                ..api.package.clone()
            },
            &conformance_crate_name(api),
            &format!("Conformance harness for the {} crates", api.name)
        ),
    )
}

/// The crate's `src/lib.rs`.
pub fn emit_conformance(api: &Api) -> TokenStream {
    let [models, client, server] =
        ["models", "client", "server"].map(|part| ident(&crate_ident(&api.crate_name(part))));
    let recursive = recursive_types(api);
    let examples = api
        .types
        .iter()
        .map(|(id, type_def)| emit_example(type_def, recursive.contains(id)));
    // Examples of recursive types stop after one level of themselves; only APIs that have some
    // carry the machinery.
    let depth = (!recursive.is_empty()).then(|| {
        quote! {
            thread_local! {
                static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
            }

            /// How many recursive types the example being built is inside: below the first, their
            /// optional parts are absent and their lists empty, so that every example is finite.
            struct Depth;

            impl Depth {
                fn enter() -> Depth {
                    DEPTH.with(|depth| depth.set(depth.get() + 1));
                    Depth
                }

                fn deep() -> bool {
                    DEPTH.with(|depth| depth.get() >= 2)
                }
            }

            impl Drop for Depth {
                fn drop(&mut self) {
                    DEPTH.with(|depth| depth.set(depth.get() - 1));
                }
            }

            impl<T: Example> Example for Box<T> {
                fn example() -> Self {
                    Box::new(T::example())
                }
            }
        }
    });
    let (empty_list, empty_map) = if recursive.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            quote! { if Depth::deep() { return Vec::new(); } },
            quote! { if Depth::deep() { return std::collections::BTreeMap::new(); } },
        )
    };
    let query_examples = api
        .operations
        .iter()
        .filter(|operation| !operation.query_params.is_empty())
        .map(emit_query_example);
    let groups = groups_with_operations(api);
    let implementations = groups
        .iter()
        .map(|(group, operations)| emit_reference(api, group, operations));
    let adders = groups.iter().map(|(group, _)| {
        let module = ident(&group.module);
        quote! { .#module(reference.clone()) }
    });
    let drivers = groups
        .iter()
        .map(|(group, operations)| emit_driver(group, operations));
    let driver_calls = groups.iter().map(|(group, _)| {
        let name = format_ident!("drive_{}", bare(&group.module));
        quote! { #name(client, &mut outcomes).await; }
    });
    let round_trips = emit_round_trips(api);
    let credentials_test = emit_credentials_test(api);
    let declared_errors_test = emit_declared_errors_test(api);
    let authenticate = authenticate(api);
    let drive_test = emit_drive_test();
    let operations = proc_macro2::Literal::usize_unsuffixed(api.operations.len());
    let example = EXAMPLE_STRING;
    quote! {
        //! Conformance harness: schema-conformant example values of every model type, a reference
        //! implementation of every server trait that answers with them, a driver that calls every
        //! operation through the client, and round-trip tests of every wire name.

        use std::future::Future;
        use std::sync::Arc;

        pub use #models as models;
        pub use #client as client;
        pub use #server as server;
        use server::{RequestContext, ServerError};

        /// The number of operations [`drive`] calls.
        pub const OPERATIONS: usize = #operations;

        /// A value that conforms to the type's schema, with every optional field present.
        pub trait Example {
            /// The example value.
            fn example() -> Self;
        }

        impl Example for String {
            fn example() -> Self {
                #example.to_owned()
            }
        }

        impl Example for bool {
            fn example() -> Self {
                true
            }
        }

        impl Example for i64 {
            fn example() -> Self {
                1
            }
        }

        impl Example for u64 {
            fn example() -> Self {
                1
            }
        }

        impl Example for serde_json::Number {
            fn example() -> Self {
                serde_json::Number::from(1)
            }
        }

        impl Example for serde_json::Map<String, serde_json::Value> {
            fn example() -> Self {
                let mut map = serde_json::Map::new();
                map.insert("key".to_owned(), serde_json::Value::from("value"));
                map
            }
        }

        impl Example for serde_json::Value {
            fn example() -> Self {
                serde_json::Value::Object(Example::example())
            }
        }

        impl<T: Example> Example for Option<T> {
            fn example() -> Self {
                Some(T::example())
            }
        }

        impl<T: Example> Example for std::collections::BTreeMap<String, T> {
            fn example() -> Self {
                #empty_map
                std::iter::once(("key".to_owned(), T::example())).collect()
            }
        }

        impl<T: Example> Example for Vec<T> {
            fn example() -> Self {
                #empty_list
                vec![T::example()]
            }
        }

        #depth

        #(#examples)*
        #(#query_examples)*

        /// Answers every operation with the example of its response type.
        #[derive(Debug, Default, Clone, Copy)]
        pub struct Reference;

        #(#implementations)*

        /// Every group served by [`Reference`].
        pub fn router() -> axum::Router {
            let reference = Arc::new(Reference);
            server::Server::new()
                #(#adders)*
                .into_router()
        }

        /// Serves [`router`] on `listener` until the process ends.
        pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
            axum::serve(listener, router()).await
        }

        /// What one call of [`drive`] gave.
        #[derive(Debug)]
        pub struct Outcome {
            /// `METHOD /path`.
            pub operation: &'static str,
            /// The client's error, when the call failed or the answer did not decode.
            pub error: Option<client::Error>,
        }

        fn record<T>(outcomes: &mut Vec<Outcome>, operation: &'static str, result: Result<T, client::Error>) {
            outcomes.push(Outcome { operation, error: result.err() });
        }

        /// `client` with every credential the API takes set to an example value.
        pub fn authenticated(client: client::Client) -> client::Client {
            client #authenticate
        }

        /// Calls every operation once through `client`, with example arguments.
        pub async fn drive(client: &client::Client) -> Vec<Outcome> {
            let mut outcomes = Vec::with_capacity(OPERATIONS);
            #(#driver_calls)*
            outcomes
        }

        #(#drivers)*

        #round_trips
        #drive_test
        #credentials_test
        #declared_errors_test
    }
}

/// The calls that give a client every credential the API takes (the example value).
fn authenticate(api: &Api) -> TokenStream {
    let mut authenticate = match api.conventions.auth {
        crate::ir::Auth::Bearer => quote! { .with_bearer_token(#EXAMPLE_CREDENTIAL) },
        crate::ir::Auth::None => TokenStream::new(),
    };
    // Every credential set, as a caller with all of them would.
    for credential in &api.conventions.credentials {
        let setter = ident(&credential.setter);
        authenticate.extend(match credential.kind {
            crate::ir::CredentialKind::Basic => {
                quote! { .#setter(#EXAMPLE_CREDENTIAL, #EXAMPLE_CREDENTIAL) }
            }
            _ => quote! { .#setter(#EXAMPLE_CREDENTIAL) },
        });
    }
    authenticate
}

/// The crate's `src/main.rs`: `serve <ADDRESS>` and `drive <BASE_URL>`.
pub fn emit_conformance_main(api: &Api) -> TokenStream {
    let library = ident(&crate_ident(&conformance_crate_name(api)));
    quote! {
        //! `serve <ADDRESS>`: serves the reference implementation and prints `listening on <URL>`.
        //! `drive <BASE_URL>`: calls every operation through the client, prints every failure and
        //! the counts, and fails when any call failed.

        use std::io::Write as _;
        use std::process::ExitCode;
        use std::time::Duration;

        use #library as conformance;

        #[tokio::main]
        async fn main() -> ExitCode {
            let args: Vec<String> = std::env::args().skip(1).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let result = match args.as_slice() {
                ["serve", address] => serve(address).await,
                ["drive", base_url] => drive(base_url).await,
                _ => Err("usage: serve <ADDRESS> | drive <BASE_URL>".to_owned()),
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }

        async fn serve(address: &str) -> Result<(), String> {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .map_err(|error| format!("cannot listen on {address}: {error}"))?;
            let local = listener.local_addr().map_err(|error| error.to_string())?;
            println!("listening on http://{local}");
            std::io::stdout().flush().map_err(|error| error.to_string())?;
            conformance::serve(listener).await.map_err(|error| error.to_string())
        }

        async fn drive(base_url: &str) -> Result<(), String> {
            let client = conformance::client::Client::new(base_url)
                .map_err(|error| error.to_string())?;
            let client = conformance::authenticated(client).with_timeout(Some(Duration::from_secs(10)));
            // Each call has its own timeout; this bounds the whole run as well.
            let outcomes = tokio::time::timeout(Duration::from_secs(600), conformance::drive(&client))
                .await
                .map_err(|_| "the calls took more than 600 s".to_owned())?;
            let mut failures = 0;
            for outcome in &outcomes {
                if let Some(error) = &outcome.error {
                    failures += 1;
                    println!("FAILED {}: {error}", outcome.operation);
                }
            }
            println!(
                "drive: {} operations, {} requests, {} decoded, {failures} failed",
                conformance::OPERATIONS,
                outcomes.len(),
                outcomes.len() - failures
            );
            if failures == 0 {
                Ok(())
            } else {
                Err(format!("{failures} operations failed"))
            }
        }
    }
}

/// An example of a string in a well-known `format`, where the plain example would not be one.
fn formatted_example(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "1970-01-01T00:00:00Z",
        "date" => "1970-01-01",
        "time" => "00:00:00Z",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "ip" | "ipv4" => "127.0.0.1",
        "ipv6" => "::1",
        "email" => "someone@example.com",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        _ => return None,
    })
}

/// The types that contain themselves, directly or through other types, lists and maps.
fn recursive_types(api: &Api) -> std::collections::BTreeSet<crate::ir::TypeId> {
    api.types
        .keys()
        .copied()
        .filter(|&id| crate::ir::holds(&api.types, id, id, crate::ir::Holding::AnyDepth))
        .collect()
}

/// `impl Example for models::Name`; a recursive type's example enters one level of [`Depth`]
/// and leaves its optional parts out below the first level.
fn emit_example(type_def: &TypeDef, is_recursive: bool) -> TokenStream {
    let name = format_ident!("{}", type_def.name);
    let body = match &type_def.kind {
        // A type that contains itself (OpenAPI input only) stops one level down (`Depth`);
        // the others are finite as they are.
        TypeKind::Struct { fields } => {
            // The structs are `#[non_exhaustive]`: built from their constructor (or `Default`)
            // with every optional field set afterwards, as a downstream crate builds them.
            let value = |field: &crate::ir::Field| {
                // Free text follows its format, else its pattern.
                let text = || {
                    let formatted = field.format.as_deref().and_then(formatted_example);
                    formatted.map(str::to_owned).or_else(|| {
                        field
                            .pattern
                            .as_deref()
                            .and_then(super::pattern::pattern_example)
                    })
                };
                let string = crate::ir::TypeRef::String;
                if field.base64 {
                    quote! { #EXAMPLE_BASE64.to_owned() }
                } else if let Some(text) = (field.ty == string).then(text).flatten() {
                    quote! { #text.to_owned() }
                } else if let Some(text) = (field.ty == crate::ir::TypeRef::Array(Box::new(string)))
                    .then(text)
                    .flatten()
                {
                    quote! { vec![#text.to_owned()] }
                } else {
                    quote! { Example::example() }
                }
            };
            let required = fields
                .iter()
                .filter(|field| field.required)
                .map(value)
                .collect();
            let optional = fields
                .iter()
                .filter(|field| !field.required)
                .map(|field| (ident(&field.rust_name), value(field)))
                .collect();
            build_value(required, optional, is_recursive)
        }
        TypeKind::Enum { variants, .. } => match variants.first() {
            Some(variant) => {
                let variant = ident(&variant.rust_name);
                quote! { Self::#variant }
            }
            None => quote! { Self::from(#EXAMPLE_STRING) },
        },
        TypeKind::Union {
            variants,
            catch_all,
            ..
        } => match variants.first() {
            Some(variant) => {
                let rust = ident(&variant.rust_name);
                match variant.ty {
                    Some(_) => quote! { Self::#rust(Example::example()) },
                    None => quote! { Self::#rust },
                }
            }
            None => {
                let catch_all = ident(catch_all);
                quote! { Self::#catch_all(Example::example()) }
            }
        },
    };
    let enter = is_recursive.then(|| quote! { let _depth = Depth::enter(); });
    quote! {
        impl Example for models::#name {
            fn example() -> Self {
                #enter
                #body
            }
        }
    }
}

/// A `#[non_exhaustive]` struct built as a downstream crate builds it: `new` with the required
/// values (or `Default`), then every optional field set.
fn build_value(
    required: Vec<TokenStream>,
    optional: Vec<(proc_macro2::Ident, TokenStream)>,
    recursive: bool,
) -> TokenStream {
    let start = if required.is_empty() {
        quote! { Self::default() }
    } else {
        quote! { Self::new(#(#required),*) }
    };
    if optional.is_empty() {
        return start;
    }
    let sets = optional.into_iter().map(|(member, value)| {
        if recursive {
            quote! { value.#member = if Depth::deep() { None } else { Some(#value) }; }
        } else {
            quote! { value.#member = Some(#value); }
        }
    });
    quote! {
        let mut value = #start;
        #(#sets)*
        value
    }
}

/// `impl Example for models::query::Name`: every parameter given.
fn emit_query_example(operation: &Operation) -> TokenStream {
    let name = ident(&operation.query_struct);
    let required = operation
        .query_params
        .iter()
        .filter(|parameter| parameter.required)
        .map(|_| quote! { Example::example() })
        .collect();
    let optional = operation
        .query_params
        .iter()
        .filter(|parameter| !parameter.required)
        .map(|parameter| (ident(&parameter.rust_name), quote! { Example::example() }))
        .collect();
    let body = build_value(required, optional, false);
    quote! {
        impl Example for models::query::#name {
            fn example() -> Self {
                #body
            }
        }
    }
}

/// `impl group::Trait for Reference`: every method answers its example.
fn emit_reference(api: &Api, group: &Group, operations: &[&Operation]) -> TokenStream {
    let module = ident(&group.module);
    let handle = ident(&group.type_name);
    let methods = operations.iter().map(|operation| {
        let name = ident(&operation.name);
        let types = trait_parameters(api, operation)
            .into_iter()
            .map(|(_, ty)| ty);
        let output = output_type(api, operation);
        let answer = match operation.success_body() {
            // The first status's variant.
            _ if operation.typed_by_status() => {
                let answer = ident(&operation.answer_enum);
                match operation.successes().next() {
                    Some(response) => {
                        let variant = ident(&response.answer_variant());
                        match response.answer_value() {
                            Some(_) => quote! {
                                models::answers::#answer::#variant(Example::example())
                            },
                            None => quote! { models::answers::#answer::#variant },
                        }
                    }
                    None => quote! { () },
                }
            }
            Some(Body::Json(_)) if operation.returns_etag() => quote! {
                models::Tagged { value: Example::example(), etag: Some(#EXAMPLE_ETAG.to_owned()) }
            },
            // A paged list ends after its one page, so that clients that follow the link stop.
            Some(Body::Json(_)) if operation.paging.is_some() => {
                last_page(operation.paging.as_ref(), &output)
            }
            Some(Body::Json(_) | Body::UntypedJson | Body::Form(_) | Body::Text) => {
                quote! { Example::example() }
            }
            Some(Body::Bytes) => quote! { axum::body::Body::from(#EXAMPLE_STRING) },
            Some(Body::Location) => quote! { #EXAMPLE_LOCATION.to_owned() },
            Some(Body::Null) | None => quote! { () },
        };
        quote! {
            fn #name(&self, #(_: #types),*) -> impl Future<Output = Result<#output, ServerError>> + Send {
                std::future::ready(Ok(#answer))
            }
        }
    });
    quote! {
        impl server::#module::#handle for Reference {
            #(#methods)*
        }
    }
}

/// The example page of a paged list with an empty link to the next page.
fn last_page(paging: Option<&crate::ir::Paging>, page: &TokenStream) -> TokenStream {
    let Some(paging) = paging else {
        return quote! { Example::example() };
    };
    let paging_field = ident(&paging.paging.rust_name);
    let next = ident(&paging.next.rust_name);
    let end = if paging.next.required {
        quote! { String::new() }
    } else {
        quote! { Some(String::new()) }
    };
    let set = if paging.paging.required {
        quote! { page.#paging_field.#next = #end; }
    } else {
        quote! {
            if let Some(paging) = page.#paging_field.as_mut() {
                paging.#next = #end;
            }
        }
    };
    quote! {{
        let mut page: #page = Example::example();
        #set
        page
    }}
}

/// `async fn drive_group(client, outcomes)`: one call per operation.
fn emit_driver(group: &Group, operations: &[&Operation]) -> TokenStream {
    let module = ident(&group.module);
    let name = format_ident!("drive_{}", bare(&group.module));
    let calls = operations.iter().map(|operation| {
        let method = ident(&operation.name);
        let label = format!("{} {}", operation.method.as_str(), operation.path);
        let mut arguments = Vec::new();
        for _ in &operation.path_params {
            arguments.push(quote! { #EXAMPLE_STRING });
        }
        if !operation.query_params.is_empty() {
            arguments.push(quote! { &Example::example() });
        }
        for header in operation
            .header_params
            .iter()
            .chain(&operation.cookie_params)
        {
            arguments.push(if header.required {
                quote! { #EXAMPLE_STRING }
            } else {
                quote! { Some(#EXAMPLE_STRING) }
            });
        }
        match &operation.request {
            Some(Body::Json(_) | Body::Form(_)) if operation.request_optional => {
                arguments.push(quote! { Some(&Example::example()) });
            }
            Some(Body::Text) if operation.request_optional => {
                arguments.push(quote! { Some(#EXAMPLE_STRING) });
            }
            Some(Body::Json(_) | Body::UntypedJson | Body::Form(_)) => {
                arguments.push(quote! { &Example::example() });
            }
            Some(Body::Bytes | Body::Text) => arguments.push(quote! { #EXAMPLE_STRING }),
            Some(Body::Null | Body::Location) | None => {}
        }
        // Deprecated operations are called all the same.
        let allow = operation
            .deprecated
            .then(|| quote! { #[allow(deprecated)] });
        quote! {
            #allow
            let result = group.#method(#(#arguments),*).await;
            record(outcomes, #label, result);
        }
    });
    let doc = format!(" Calls every `{}` operation.", bare(&group.module));
    quote! {
        #[doc = #doc]
        async fn #name(client: &client::Client, outcomes: &mut Vec<Outcome>) {
            let group = client.#module();
            #(#calls)*
        }
    }
}

/// A test that every operation, called through the client, succeeds against the reference
/// implementation and its answer decodes: the drive, in `cargo test`.
fn emit_drive_test() -> TokenStream {
    quote! {
        #[cfg(test)]
        mod drive_test {
            use super::*;

            #[tokio::test]
            async fn every_operation_succeeds_against_the_reference() {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
                let address = listener.local_addr().expect("its address");
                tokio::spawn(serve(listener));
                let client = authenticated(client::Client::new(&format!("http://{address}")).expect("a client"));
                let failures: Vec<String> = drive(&client)
                    .await
                    .iter()
                    .filter_map(|outcome| {
                        let error = outcome.error.as_ref()?;
                        Some(format!("{}: {error}", outcome.operation))
                    })
                    .collect();
                assert!(failures.is_empty(), "{failures:#?}");
            }
        }
    }
}

/// A test that each error answer with a type of its own crosses the wire as that type: the
/// server sends it (`ServerError::declared`) and the client reads it back into
/// `ErrorBody::Declared`, equal. One status per type: the first type declared for a status (the
/// others for it are read only when it does not read the body), at a status no more specific
/// declaration claims.
fn emit_declared_errors_test(api: &Api) -> TokenStream {
    use crate::ir::ErrorStatus;
    let table = api.declared_errors();
    let claimed = |status: u16, before: ErrorStatus| {
        table
            .iter()
            .any(|(other, _)| *other < before && other.matches(status))
    };
    let mut cases = Vec::new();
    for (index, (status, id)) in table.iter().enumerate() {
        if table[..index].iter().any(|(other, _)| other == status) {
            continue;
        }
        let candidates: Vec<u16> = match status {
            ErrorStatus::Code(code) => vec![*code],
            ErrorStatus::Range(class) => {
                let first = u16::from(*class) * 100;
                (first..first + 100).collect()
            }
            ErrorStatus::Default => (400..600).collect(),
        };
        let Some(code) = candidates.into_iter().find(|code| !claimed(*code, *status)) else {
            continue;
        };
        let variant = ident(&api.type_def(*id).name);
        let label = format!("{status} as {}", api.type_def(*id).name);
        cases.push(quote! {
            let expected = models::errors::Declared::#variant(Example::example());
            let answer = ServerError::declared(
                axum::http::StatusCode::from_u16(#code).expect("a status"),
                expected.clone(),
            );
            let app = axum::Router::new().fallback(move || {
                let answer = answer.clone();
                async move { answer }
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
            let address = listener.local_addr().expect("its address");
            tokio::spawn(async move { axum::serve(listener, app).await });
            let client = client::Client::new(&format!("http://{address}")).expect("a client");
            match client.call::<serde_json::Value>(axum::http::Method::GET, "/", |request| request).await {
                Err(client::Error::Status { status, body: client::ErrorBody::Declared(body) }) => {
                    assert_eq!(status.as_u16(), #code, #label);
                    assert_eq!(body, expected, #label);
                }
                other => panic!("{}: {other:?}", #label),
            }
        });
    }
    if cases.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[cfg(test)]
        mod declared_errors {
            use super::*;

            #[tokio::test]
            async fn each_declared_error_crosses_the_wire_as_its_type() {
                #({ #cases })*
            }
        }
    }
}

/// The value every credential of the drive is set to, and its basic-authentication header.
const EXAMPLE_CREDENTIAL: &str = "conformance";
const EXAMPLE_BASIC_HEADER: &str = "Basic Y29uZm9ybWFuY2U6Y29uZm9ybWFuY2U=";

/// A test that the client sends every credential set with every request (security schemes
/// other than bearer): the reference server behind a layer that records each request, driven
/// with every credential set.
fn emit_credentials_test(api: &Api) -> TokenStream {
    use crate::ir::CredentialKind;
    if api.conventions.credentials.is_empty() {
        return TokenStream::new();
    }
    let mut checks = Vec::new();
    for credential in &api.conventions.credentials {
        let scheme = &credential.scheme;
        match &credential.kind {
            CredentialKind::Basic => {
                checks.push(quote! {
                    assert!(
                        headers.get_all(axum::http::header::AUTHORIZATION).iter().any(|value| value == #EXAMPLE_BASIC_HEADER),
                        "{uri}: no basic authentication for {}", #scheme
                    );
                });
            }
            CredentialKind::Header(name) => {
                checks.push(quote! {
                    assert_eq!(
                        headers.get(#name).and_then(|value| value.to_str().ok()),
                        Some(#EXAMPLE_CREDENTIAL),
                        "{uri}: header {} for {}", #name, #scheme
                    );
                });
            }
            CredentialKind::Query(name) => {
                let pair = format!("{name}={EXAMPLE_CREDENTIAL}");
                checks.push(quote! {
                    assert!(
                        uri.query().unwrap_or_default().split('&').any(|pair| pair == #pair),
                        "{uri}: no query parameter {} for {}", #name, #scheme
                    );
                });
            }
        }
    }
    // Only API keys in the query: the headers are not looked at.
    let headers = if api
        .conventions
        .credentials
        .iter()
        .all(|credential| matches!(credential.kind, CredentialKind::Query(_)))
    {
        quote! { _headers }
    } else {
        quote! { headers }
    };
    quote! {
        #[cfg(test)]
        mod credentials {
            use super::*;

            type Seen = Arc<std::sync::Mutex<Vec<(axum::http::Uri, axum::http::HeaderMap)>>>;

            #[tokio::test]
            async fn every_request_carries_every_credential() {
                let seen = Seen::default();
                let record = seen.clone();
                let app = router().layer(axum::middleware::from_fn(
                    move |request: axum::extract::Request, next: axum::middleware::Next| {
                        let record = record.clone();
                        async move {
                            if let Ok(mut seen) = record.lock() {
                                seen.push((request.uri().clone(), request.headers().clone()));
                            }
                            next.run(request).await
                        }
                    },
                ));
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
                let address = listener.local_addr().expect("its address");
                tokio::spawn(async move { axum::serve(listener, app).await });
                let client = authenticated(client::Client::new(&format!("http://{address}")).expect("a client"));
                drive(&client).await;
                let seen = seen.lock().expect("the requests seen");
                assert!(seen.len() >= OPERATIONS, "a request per operation at least");
                for (uri, #headers) in seen.iter() {
                    #(#checks)*
                }
            }
        }
    }
}

/// Unit tests: structs serialize exactly their wire names and read back equal; enum values
/// serialize to their wire strings and read back, unknown values too.
fn emit_round_trips(api: &Api) -> TokenStream {
    let mut structs = Vec::new();
    let mut schemas = Vec::new();
    let mut enums = Vec::new();
    let mut unions = Vec::new();
    // Which of the two union checks the tests call.
    let (mut tagged_unions, mut untagged_unions) = (false, false);
    for type_def in api.types.values() {
        let name = format_ident!("{}", type_def.name);
        let label = &type_def.name;
        match &type_def.kind {
            TypeKind::Struct { fields } => {
                let wire: Vec<&String> = fields.iter().map(|field| &field.wire_name).collect();
                // A type the configuration chose may read a missing member as a value.
                let must_be_present = fields
                    .iter()
                    .filter(|field| field.required && !matches!(field.ty, TypeRef::Rust { .. }))
                    .map(|field| &field.wire_name);
                structs.push(quote! {
                    check_struct::<models::#name>(#label, &[#(#wire),*], &[#(#must_be_present),*]);
                });
                // A type the configuration replaces brings its own schema, if any.
                if type_def.replacement.is_none() {
                    let required = fields
                        .iter()
                        .filter(|field| field.required)
                        .map(|field| &field.wire_name);
                    schemas.push(quote! {
                        check_schema::<models::#name>(#label, &[#(#wire),*], &[#(#required),*]);
                    });
                }
            }
            TypeKind::Enum { variants, .. } => {
                let pairs = variants.iter().map(|variant| {
                    let rust = ident(&variant.rust_name);
                    let wire = &variant.wire_name;
                    quote! { (models::#name::#rust, #wire) }
                });
                enums.push(quote! {
                    check_enum(#label, &[#(#pairs),*]);
                    check_enum(#label, &[(models::#name::from(UNLISTED), UNLISTED)]);
                });
            }
            TypeKind::Union {
                form: crate::ir::UnionForm::Untagged,
                variants,
                ..
            } => {
                let values = variants.iter().map(|variant| {
                    let rust = ident(&variant.rust_name);
                    quote! { models::#name::#rust(Example::example()) }
                });
                untagged_unions = true;
                unions
                    .push(quote! { check_untagged::<models::#name>(#label, vec![#(#values),*]); });
            }
            TypeKind::Union { form, variants, .. } => {
                let pairs = variants.iter().map(|variant| {
                    let rust = ident(&variant.rust_name);
                    let wire = &variant.wire_name;
                    match variant.ty {
                        Some(_) => quote! { (models::#name::#rust(Example::example()), #wire) },
                        None => quote! { (models::#name::#rust, #wire) },
                    }
                });
                let tag = match form {
                    crate::ir::UnionForm::Internal(tag) => quote! { Some(#tag) },
                    _ => quote! { None },
                };
                tagged_unions = true;
                unions.push(
                    quote! { check_union::<models::#name>(#label, #tag, vec![#(#pairs),*]); },
                );
            }
        }
    }
    let struct_test = (!structs.is_empty()).then(|| {
        quote! {
            /// The example serializes to exactly the wire names and reads back equal, from a
            /// value, a string and a reader; a member sent twice is refused, and so is an
            /// object without one of the members that must be present.
            fn check_struct<T>(name: &str, wire_names: &[&str], must_be_present: &[&str])
            where
                T: Example + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
            {
                let value = T::example();
                let json = serde_json::to_value(&value).expect("serializes");
                let mut keys: Vec<&str> = json
                    .as_object()
                    .expect("a struct serializes as an object")
                    .keys()
                    .map(String::as_str)
                    .collect();
                keys.sort_unstable();
                let mut expected = wire_names.to_vec();
                expected.sort_unstable();
                assert_eq!(keys, expected, "{name}: the wire names");
                let text = serde_json::to_string(&json).expect("serializes");
                let back: T = serde_json::from_value(json.clone()).expect("reads back");
                assert_eq!(back, value, "{name}: the value read back");
                let back: T = serde_json::from_str(&text).expect("reads back from text");
                assert_eq!(back, value, "{name}: the value read back from text");
                let back: T = serde_json::from_reader(text.as_bytes()).expect("reads back from a reader");
                assert_eq!(back, value, "{name}: the value read back from a reader");
                if let Some((first, member)) = json.as_object().and_then(|object| object.iter().next()) {
                    let twice = format!("{{{}:{member},{}", serde_json::Value::from(first.as_str()), &text[1..]);
                    let error = serde_json::from_str::<T>(&twice).expect_err("a member twice is refused");
                    assert!(error.to_string().contains("duplicate field"), "{name}: {error}");
                }
                for wire in must_be_present {
                    let mut without = json.clone();
                    without.as_object_mut().expect("an object").remove(*wire);
                    let error = serde_json::from_value::<T>(without).expect_err("a required member is missing");
                    assert!(
                        error.to_string().contains(&format!("missing field `{wire}`")),
                        "{name}: {error}"
                    );
                }
            }

            #[test]
            fn every_struct_round_trips_its_wire_names() {
                #(#structs)*
            }

            /// The struct's JSON schema (the models' `schemars` feature, on by default) lists
            /// its wire names as properties, and the required ones as required.
            fn check_schema<T: schemars::JsonSchema>(name: &str, wire_names: &[&str], required: &[&str]) {
                let schema = serde_json::to_value(schemars::schema_for!(T)).expect("a schema");
                let mut properties: Vec<&str> = schema["properties"]
                    .as_object()
                    .map(|properties| properties.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                properties.sort_unstable();
                let mut expected = wire_names.to_vec();
                expected.sort_unstable();
                assert_eq!(properties, expected, "{name}: the schema's properties");
                let listed: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|listed| listed.iter().filter_map(serde_json::Value::as_str).collect())
                    .unwrap_or_default();
                assert_eq!(listed, required, "{name}: the schema's required properties");
            }

            #[test]
            fn every_struct_schema_lists_its_properties() {
                #(#schemas)*
            }
        }
    });
    let enum_test = (!enums.is_empty()).then(|| {
        quote! {
            /// A value no API description lists.
            const UNLISTED: &str = "\u{1}unlisted value";

            fn check_enum<T>(name: &str, values: &[(T, &str)])
            where
                T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
            {
                for (value, wire) in values {
                    let json = serde_json::to_value(value).expect("serializes");
                    assert_eq!(json, serde_json::Value::from(*wire), "{name}: {value:?}");
                    let back: T = serde_json::from_value(json).expect("reads back");
                    assert_eq!(&back, value, "{name}: {wire:?} read back");
                }
            }

            #[test]
            fn every_enum_value_round_trips() {
                #(#enums)*
            }
        }
    });
    let check_union = tagged_unions.then(|| {
        quote! {
            /// Each variant writes its name (in the tag property, or as the one member's key or
            /// the whole string when externally tagged) and reads back equal; a value with a name
            /// no description lists reads into the catch-all and writes back unchanged.
            fn check_union<T>(name: &str, tag: Option<&str>, values: Vec<(T, &str)>)
            where
                T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
            {
                for (value, wire) in &values {
                    let json = serde_json::to_value(value).expect("serializes");
                    let written = match tag {
                        Some(tag) => json[tag].as_str().map(str::to_owned),
                        None => match &json {
                            serde_json::Value::String(name) => Some(name.clone()),
                            serde_json::Value::Object(object) if object.len() == 1 => {
                                object.keys().next().cloned()
                            }
                            _ => None,
                        },
                    };
                    assert_eq!(written.as_deref(), Some(*wire), "{name}: {value:?}");
                    let back: T = serde_json::from_value(json).expect("reads back");
                    assert_eq!(&back, value, "{name}: {wire:?} read back");
                }
                let unlisted = match tag {
                    Some(tag) => serde_json::json!({ tag: "\u{1}unlisted tag", "x": 1 }),
                    None => serde_json::json!({ "\u{1}unlisted": 1 }),
                };
                let back: T = serde_json::from_value(unlisted.clone()).expect("an unlisted tag reads");
                assert_eq!(serde_json::to_value(&back).expect("serializes"), unlisted, "{name}");
            }

        }
    });
    let check_untagged = untagged_unions.then(|| {
        quote! {
            /// Each variant's example writes JSON that reads back as a value that writes the
            /// same JSON (an untagged value is the first variant it reads as, which may be an
            /// earlier one of the same JSON).
            fn check_untagged<T>(name: &str, values: Vec<T>)
            where
                T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
            {
                for value in &values {
                    let json = serde_json::to_value(value).expect("serializes");
                    let back: T = serde_json::from_value(json.clone()).expect("reads back");
                    assert_eq!(serde_json::to_value(&back).expect("serializes"), json, "{name}: {value:?}");
                }
            }

        }
    });
    let union_test = (!unions.is_empty()).then(|| {
        quote! {
            #check_union
            #check_untagged
            #[test]
            fn every_union_variant_round_trips() {
                #(#unions)*
            }
        }
    });
    if structs.is_empty() && enums.is_empty() && unions.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[cfg(test)]
        mod round_trip {
            use super::*;

            #struct_test
            #enum_test
            #union_test
        }
    }
}
