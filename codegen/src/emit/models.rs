//! The models crate: one Rust type per deduplicated shape, with serde and `JsonSchema` tables, doc
//! comments from the descriptions, forward-compatible enums and redacted secrets.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_line, inner_doc_attrs, print_doc, print_doc_line};
use super::groups::{
    cfg_any, cfg_group, crate_description, features_of, features_table, package_section,
    print_gate, PrintedGate,
};
use super::layout::{self, string_literal, Tt};
use super::types::{bare, ident, print_type, rust_type};
use super::{fits, template, Chunk, Chunks, CrateParts, CrateSource, Form, Part, Printed};
use crate::ir::{
    Api, Body, ErrorFieldKind, ErrorRole, ErrorStatus, Field, Operation, TypeDef, TypeId, TypeKind,
    TypeRef, UnionForm, Variant,
};

/// The `string_enum!` macro every enum of the crate uses.
const RUNTIME: &str = include_str!("../../templates/models_runtime.rs");

/// The crate's `Cargo.toml`.
pub fn emit_models_manifest(api: &Api, crate_name: &str) -> String {
    format!(
        r#"{package}{features}# `JsonSchema` for every type (about a fifth of this crate's build time; the client and
# server crates do not enable it).
schemars = ["dep:schemars"]

[dependencies]
schemars = {{ version = "1", optional = true }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
{extra}"#,
        extra = api
            .dependencies
            .iter()
            .map(|(name, spec)| format!("{name} = {spec}\n"))
            .collect::<String>(),
        package = package_section(&api.package, crate_name, &crate_description(api, "models")),
        features = features_table(api, None, &["schemars"]),
    )
}

/// The crate's `src/lib.rs`.
pub fn emit_models(api: &Api) -> Result<CrateSource, syn::Error> {
    models_parts(api).whole()
}

/// Types per part of the models crate, rendered on whichever thread is free.
const TYPES_PER_PART: usize = 40;

/// About how many lines a type takes: a part's weight.
const LINES_PER_TYPE: usize = 33;

/// About how many lines an operation adds to what follows the types (its query struct and
/// answers): that part's weight.
const LINES_PER_OPERATION: usize = 8;

/// The crate in parts: the head, the types a run of [`TYPES_PER_PART`] at a time, then the
/// error object, the query structs, the answers and the other items that follow the types.
pub fn models_parts(api: &Api) -> CrateParts<'_> {
    let uses = std::sync::Arc::new(type_uses(api));
    let types: Vec<_> = api.types.iter().collect();
    let mut parts: Vec<Part<'_>> = types
        .chunks(TYPES_PER_PART)
        .map(|run| -> Part<'_> {
            let (run, uses) = (run.to_vec(), std::sync::Arc::clone(&uses));
            (
                run.len() * LINES_PER_TYPE,
                Box::new(move |form| {
                    let mut chunks = Chunks::default();
                    for (id, type_def) in &run {
                        emit_type(api, type_def, uses.get(id), form, &mut chunks);
                    }
                    chunks.into_vec()
                }),
            )
        })
        .collect();
    parts.push((
        api.operations.len() * LINES_PER_OPERATION,
        Box::new(move |form| models_tail(api, form)),
    ));
    CrateParts {
        head: Box::new(move || models_head(api)),
        parts,
    }
}

/// What follows the types: the error object, tagged unions' helpers, the query structs (their
/// module printed where `form` asks for it), the answers, the declared errors and the lenient
/// readers.
fn models_tail(api: &Api, form: Form) -> Vec<Chunk> {
    let (api_error, tagged) = (emit_api_error(api), emit_tagged(api));
    let mut chunks = vec![Chunk::Tokens(quote! { #api_error #tagged })];
    chunks.extend(emit_query_module(api, form));
    let (answers, errors, lenient) = (
        emit_answers(api),
        emit_declared_errors(api),
        emit_lenient(api),
    );
    chunks.push(Chunk::Tokens(quote! { #answers #errors #lenient }));
    chunks
}

/// The crate's attributes, its first items and the runtime; the types follow.
fn models_head(api: &Api) -> Result<CrateSource, syn::Error> {
    let crate_doc = inner_doc_attrs(&format!(
        "Models of the {} REST API: {} types, one per distinct schema shape.\n\n\
         Every field the schema does not mark required is an `Option`, absent when `None`; an explicit \
         `null` reads as absent and unknown fields are ignored. Numbers are [`serde_json::Number`], so an \
         integer that arrives leaves as the same integer. Enums keep values they do not list in a \
         catch-all variant.{}",
        api.name,
        api.types.len(),
        example_models(api),
    ));
    // `string_enum!` exists for the features whose enums use it, `struct_serde!` and its
    // helpers for those whose structs do; neither without users.
    let enum_features = type_features(api, |type_def| {
        matches!(type_def.kind, TypeKind::Enum { .. })
    });
    let struct_features = type_features(api, |type_def| {
        matches!(type_def.kind, TypeKind::Struct { .. })
    });
    let required_features = type_features(api, |type_def| match &type_def.kind {
        TypeKind::Struct { fields } => fields.iter().any(|field| field.required),
        TypeKind::Enum { .. } | TypeKind::Union { .. } => false,
    });
    // The query structs' serde is `struct_serde!` too; they have no schema.
    let schema_features = struct_features.clone();
    let struct_features = with_features(
        struct_features,
        features_of(api, |operation| !operation.query_params.is_empty()),
    );
    let required_features = with_features(
        required_features,
        features_of(api, |operation| {
            operation
                .query_params
                .iter()
                .any(|parameter| parameter.required)
        }),
    );
    let union_features = type_features(api, |type_def| {
        matches!(
            type_def.kind,
            TypeKind::Union {
                form: UnionForm::Internal(_),
                ..
            }
        )
    });
    let external_features = type_features(api, |type_def| {
        matches!(
            type_def.kind,
            TypeKind::Union {
                form: UnionForm::External,
                ..
            }
        )
    });
    let untagged_features = type_features(api, |type_def| {
        matches!(
            type_def.kind,
            TypeKind::Union {
                form: UnionForm::Untagged,
                ..
            }
        )
    });
    let runtime = template::runtime(api, RUNTIME, &[], &|helper| match helper {
        "enums" => Some(enum_features.clone()),
        "structs" => Some(struct_features.clone()),
        "struct_schemas" => Some(schema_features.clone()),
        "required_fields" => Some(required_features.clone()),
        "unions" => Some(union_features.clone()),
        "external_unions" => Some(external_features.clone()),
        "untagged_unions" => Some(untagged_features.clone()),
        _ => None,
    })?;
    // The runtime is compiled where some of its items are: a crate built without any of their
    // features would otherwise re-export nothing.
    let users = [
        &enum_features,
        &struct_features,
        &union_features,
        &external_features,
        &untagged_features,
    ];
    let runtime_features: Option<Vec<String>> = if users.iter().all(|users| users.is_none()) {
        None
    } else if users
        .iter()
        .any(|users| users.as_ref().is_some_and(Vec::is_empty))
    {
        // An empty list is an item without a `cfg`: so is the module then.
        Some(Vec::new())
    } else {
        let features: std::collections::BTreeSet<&String> =
            users.into_iter().flatten().flatten().collect();
        Some(features.into_iter().cloned().collect())
    };
    // The macros expand where the types are, and name the runtime's items by path there.
    let runtime_module = match runtime_features {
        None => quote! { mod runtime; },
        Some(features) => {
            let cfg = cfg_any(&features);
            quote! {
                #cfg
                #[macro_use]
                mod runtime;
            }
        }
    };
    let unknown_value = enum_features.as_ref().map(|features| {
        let cfg = cfg_any(features);
        quote! {
            #cfg
            pub use runtime::UnknownValue;
        }
    });
    let lib = quote! {
        #crate_doc
        #![deny(missing_docs)]
        /// The JSON library the models use for numbers and free-form objects.
        pub use serde_json;
        /// A JSON object the API description does not detail.
        pub type JsonObject = serde_json::Map<String, serde_json::Value>;
        #runtime_module
        #unknown_value


        use serde::{Deserialize, Serialize};
    };
    Ok(CrateSource { lib, runtime })
}

/// The API's error object, which every error response carries, as the conventions describe
/// it; with the constructor and accessors the client and server runtimes use.
fn emit_api_error(api: &Api) -> TokenStream {
    let error = &api.conventions.error;
    let name = ident(&error.name);
    let doc = doc_attrs(Some(&error.doc));
    let fields = error.fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let doc = doc_attrs(Some(&field.doc));
        let rename = (bare(&field.rust_name) != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote! { #[serde(rename = #wire)] }
        });
        let (ty, serde) = match field.kind {
            ErrorFieldKind::Text => (quote! { String }, quote! { #[serde(default)] }),
            ErrorFieldKind::TextList => (quote! { Vec<String> }, quote! { #[serde(default)] }),
            ErrorFieldKind::Flag => (quote! { bool }, quote! { #[serde(default)] }),
            ErrorFieldKind::Integer => (quote! { i64 }, quote! { #[serde(default)] }),
            ErrorFieldKind::Cause => (
                quote! { Option<Box<#name>> },
                quote! { #[serde(default, skip_serializing_if = "Option::is_none")] },
            ),
        };
        quote! { #doc #serde #rename pub #member: #ty, }
    });
    let role = |role: ErrorRole| {
        error
            .fields
            .iter()
            .find(|field| field.role == Some(role) && field.kind == ErrorFieldKind::Text)
            .map(|field| ident(&field.rust_name))
    };
    let read = |role_field: Option<proc_macro2::Ident>| match role_field {
        Some(member) => quote! { &self.#member },
        None => quote! { "" },
    };
    let class = read(role(ErrorRole::Class));
    let message = read(role(ErrorRole::Description));
    let mut sets = Vec::new();
    if let Some(member) = role(ErrorRole::Class) {
        sets.push(quote! { #member: class.into(), });
    }
    if let Some(member) = role(ErrorRole::Description) {
        sets.push(quote! { #member: description.into(), });
    }
    if let Some(member) = role(ErrorRole::Module) {
        sets.push(quote! { #member: module.into(), });
    }
    for field in error.fields.iter().filter(|field| {
        field.role == Some(ErrorRole::UserVisible) && field.kind == ErrorFieldKind::Flag
    }) {
        let member = ident(&field.rust_name);
        sets.push(quote! { #member: true, });
    }
    // A parameter no field takes is named as unused (the error object decides which it has).
    let parameter = |used: bool, name: &str| {
        let name = if used {
            format_ident!("{name}")
        } else {
            format_ident!("_{name}")
        };
        quote! { #name: impl Into<String>, }
    };
    let module_parameter = parameter(role(ErrorRole::Module).is_some(), "module");
    let class_parameter = parameter(role(ErrorRole::Class).is_some(), "class");
    let description_parameter = parameter(role(ErrorRole::Description).is_some(), "description");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// An error raised by `module`, of `class` (machine-readable), saying `description`
            /// to the people who see it.
            pub fn new(#module_parameter #class_parameter #description_parameter) -> Self {
                Self { #(#sets)* ..Self::default() }
            }

            /// The machine-readable class of the error.
            pub fn class(&self) -> &str {
                #class
            }

            /// What went wrong, for people.
            pub fn message(&self) -> &str {
                #message
            }
        }
    }
}

/// A value with the entity tag it was read with, where some read returns one.
fn emit_tagged(api: &Api) -> TokenStream {
    let features = features_of(api, Operation::returns_etag);
    if features.is_empty() {
        return TokenStream::new();
    }
    let cfg = cfg_any(&features);
    let doc = format!(
        " A value with the entity tag (`{}`) it was read with; send the tag back as `{}` to \
         change the value only if nobody else has since.",
        api.conventions.etag.response, api.conventions.etag.request
    );
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        pub struct Tagged<T> {
            /// The value.
            pub value: T,
            /// The entity tag of the value, if there is one.
            pub etag: Option<String>,
        }

        #cfg
        impl<T> From<T> for Tagged<T> {
            /// A value without an entity tag.
            fn from(value: T) -> Self {
                Self { value, etag: None }
            }
        }
    }
}

/// The query structs, one per operation that takes query parameters, in a `query` module
/// (`None` when no operation takes any): in [`Form::Printed`], each struct and its
/// `struct_serde!` printed where they can be, the rest as tokens.
fn emit_query_module(api: &Api, form: Form) -> Option<Chunk> {
    let operations: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|operation| !operation.query_params.is_empty())
        .collect();
    if operations.is_empty() {
        return None;
    }
    let features = features_of(api, |operation| !operation.query_params.is_empty());
    let cfg = cfg_any(&features);
    let doc = " Query parameters, one struct per operation that takes any.";
    let imports = quote! { use super::runtime; };
    if form == Form::Tokens {
        let mut structs = Chunks::default();
        for operation in &operations {
            emit_query_struct(api, operation, form, &mut structs);
        }
        let structs = super::only_tokens(structs.into_vec());
        return Some(Chunk::Tokens(quote! {
            #[doc = #doc]
            #cfg
            pub mod query {
                #imports
                #structs
            }
        }));
    }
    let mut items = Chunks::default();
    items.tokens(imports);
    for operation in &operations {
        emit_query_struct(api, operation, form, &mut items);
    }
    Some(Chunk::module(&cfg, &format_ident!("query"), doc, items))
}

/// The query struct of `operation`, its `struct_serde!` and its constructor, after `out`.
fn emit_query_struct(api: &Api, operation: &Operation, form: Form, out: &mut Chunks) {
    let name = ident(&operation.query_struct);
    let doc = format!(
        "Query parameters of `{}` (`{} {}`).",
        operation.name,
        operation.method.as_str(),
        operation.path
    );
    let fields: Vec<Field> = operation
        .query_params
        .iter()
        .map(|parameter| Field {
            wire_name: parameter.wire_name.clone(),
            rust_name: parameter.rust_name.clone(),
            doc: parameter.doc.clone(),
            ty: parameter.ty.clone(),
            required: parameter.required,
            secret: false,
            base64: false,
            boxed: false,
            format: None,
            pattern: None,
        })
        .collect();
    let group = api.group(operation.group);
    let cfg = cfg_group(group);
    let printed = match form {
        Form::Printed => {
            print_query_struct(api, &operation.query_struct, &doc, &fields, &group.feature)
        }
        Form::Tokens => None,
    };
    match printed {
        Some(printed) => out.printed(printed),
        None => {
            let doc = super::docs::literal(&format!(" {doc}"));
            let default = fields
                .iter()
                .all(|field| !field.required)
                .then(|| quote! { , Default });
            let field_tokens = fields
                .iter()
                .map(|field| emit_struct_field(api, field, &quote! { super:: }));
            // The frontends refuse number query parameters: no field here is lenient.
            let table = serde_table(&fields);
            out.tokens(quote! {
                #[doc = #doc]
                #cfg
                #[derive(Debug, Clone, PartialEq #default)]
                #[non_exhaustive]
                pub struct #name {
                    #(#field_tokens)*
                }
                #cfg
                struct_serde!(#name, [#(#table),*]);
            });
        }
    }
    out.tokens(emit_constructor(
        api,
        &operation.query_struct,
        &fields,
        &quote! { super:: },
        &cfg,
    ));
}

/// A query struct and its `struct_serde!` printed as prettyplease prints their tokens (what
/// [`emit_query_struct`] makes of them otherwise); `None` where [`print_struct`] or
/// [`print_serde_table`] cannot print them, or the documentation line would print otherwise.
fn print_query_struct(
    api: &Api,
    name: &str,
    doc: &str,
    fields: &[Field],
    feature: &str,
) -> Option<Printed> {
    let gate = print_gate(&[feature.to_owned()])?;
    let mut text = String::with_capacity(512 + fields.len() * 160);
    print_doc_line(doc, "", &mut text)?;
    text.push_str(&gate.cfg);
    print_struct(api, name, fields, &gate, "super::", &mut text)?;
    print_serde_table(name, fields, &gate, &mut text)?;
    Some(Printed { text, gated: true })
}

/// The answers by status of the operations whose successes answer with different types: an
/// enum each, one variant per success status (`Created(Order)`, `Accepted(Job)`), in an
/// `answers` module.
fn emit_answers(api: &Api) -> TokenStream {
    let enums: Vec<TokenStream> = api
        .operations
        .iter()
        .filter(|operation| operation.typed_by_status())
        .map(|operation| {
            let name = ident(&operation.answer_enum);
            let doc = super::docs::literal(&format!(
                " What `{}` (`{} {}`) answers with, by status.",
                operation.name,
                operation.method.as_str(),
                operation.path
            ));
            let variants = operation.successes().map(|response| {
                let variant = ident(&response.answer_variant());
                let text = match response.doc.as_deref().map(str::trim) {
                    Some(doc) if !doc.is_empty() => format!("`{}`: {doc}", response.status),
                    _ => format!("`{}`.", response.status),
                };
                let variant_doc = doc_attrs(Some(&text));
                let ty = match response.answer_value() {
                    Some(Body::Json(ty)) => Some(rust_type(api, ty, &quote! { super:: })),
                    Some(_) => Some(quote! { super::serde_json::Value }),
                    None => None,
                };
                match ty {
                    Some(ty) => quote! { #variant_doc #variant(#ty), },
                    None => quote! { #variant_doc #variant, },
                }
            });
            let cfg = cfg_group(api.group(operation.group));
            // Its value is moved once, from the response to the caller: variants of very
            // different sizes cost nothing that boxing would save.
            quote! {
                #[doc = #doc]
                #cfg
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#variants)*
                }
            }
        })
        .collect();
    if enums.is_empty() {
        return TokenStream::new();
    }
    let features = features_of(api, Operation::typed_by_status);
    let cfg = cfg_any(&features);
    quote! {
        /// What the operations whose successes answer with different types answer with, by
        /// status: an enum per operation.
        #cfg
        pub mod answers {
            #(#enums)*
        }
    }
}

/// The error answers with a type of their own (beside the error object): one enum of those
/// types, `errors::Declared`, which the client reads an error's body into by its status and
/// the server sends. Each variant is there when a group that declares it is.
fn emit_declared_errors(api: &Api) -> TokenStream {
    let types = api.declared_error_types();
    if types.is_empty() {
        return TokenStream::new();
    }
    let table = api.declared_errors();
    let cfg_of = |id: TypeId| cfg_any(&api.type_def(id).features);
    let variants = types.iter().map(|id| {
        let type_def = api.type_def(*id);
        let variant = ident(&type_def.name);
        let statuses: Vec<String> = table
            .iter()
            .filter(|(_, ty)| ty == id)
            .map(|(status, _)| format!("`{status}`"))
            .collect();
        let doc = format!(
            " [`{}`](super::{0}), declared for {}.",
            type_def.name,
            statuses.join(", ")
        );
        let doc = super::docs::literal(&doc);
        let cfg = cfg_of(*id);
        quote! { #[doc = #doc] #cfg #variant(super::#variant), }
    });
    let reads = table.iter().map(|&(status, id)| {
        let variant = ident(&api.type_def(id).name);
        let cfg = cfg_of(id);
        let read = quote! {
            if let Ok(value) = serde_json::from_slice(body) {
                return Some(Self::#variant(value));
            }
        };
        match status {
            ErrorStatus::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote! {
                    #cfg
                    if status == #code { #read }
                }
            }
            ErrorStatus::Range(class) => {
                let class = proc_macro2::Literal::u8_unsuffixed(class);
                quote! {
                    #cfg
                    if status / 100 == #class { #read }
                }
            }
            ErrorStatus::Default => quote! { #cfg #read },
        }
    });
    // With the groups that declare them left out, nothing reads the arguments.
    let gated = types
        .iter()
        .any(|id| !api.type_def(*id).features.is_empty());
    let unused = gated.then(|| quote! { let _ = (status, body); });
    let module_doc = format!(
        " The error answers the API gives a type of their own, beside the error object \
         ([`{0}`](super::{0})).",
        api.conventions.error.name
    );
    // An error body is moved once, from the response to the caller: variants of very different
    // sizes (`large_enum_variant`) cost nothing that boxing would save.
    quote! {
        #[doc = #module_doc]
        pub mod errors {
            /// The body of an error answer, as the type the API declares for its status.
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum Declared {
                #(#variants)*
            }

            impl Declared {
                /// The body of an answer with `status` as a type declared for that status:
                /// those of the status itself, then of its range (`4XX`), then `default`, each
                /// in turn until one reads it. `None` when none does (then it is the error
                /// object, or text).
                pub fn read(status: u16, body: &[u8]) -> Option<Self> {
                    #(#reads)*
                    #unused
                    None
                }
            }
        }
    }
}

/// The crate documentation's example: a struct whose fields are all optional, built from
/// `Default`, written as JSON and read back.
fn example_models(api: &Api) -> String {
    let models_crate = crate::ident::crate_ident(&api.crate_name("models"));
    let Some(type_def) = api.types.values().find(|type_def| {
        type_def.replacement.is_none()
            && matches!(&type_def.kind, TypeKind::Struct { fields } if !fields.is_empty() && fields.iter().all(|field| !field.required))
    }) else {
        return String::new();
    };
    format!(
        "\n\n```\n\
         use {models_crate}::{name};\n\n\
         let value = {name}::default();\n\
         let json = serde_json::to_string(&value)?;\n\
         // Absent optional fields are left out, and read back as absent.\n\
         let back: {name} = serde_json::from_str(&json)?;\n\
         assert_eq!(back, value);\n\
         # Ok::<(), serde_json::Error>(())\n\
         ```",
        name = type_def.name,
    )
}

/// Where each type is used, in words, in model order: the fields that hold it (`the `user`
/// field of [`ApiAccessTokenMetadata`]`) and the operations that send or answer it.
fn type_uses(api: &Api) -> BTreeMap<TypeId, Vec<String>> {
    let mut uses: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
    for type_def in api.types.values() {
        let TypeKind::Struct { fields } = &type_def.kind else {
            continue;
        };
        for field in fields {
            if let Some(id) = named(&field.ty) {
                uses.entry(id).or_default().push(format!(
                    "the `{}` field of [`{}`]",
                    field.wire_name, type_def.name
                ));
            }
        }
    }
    for operation in &api.operations {
        let route = format!("`{} {}`", operation.method.as_str(), operation.path);
        if let Some(Body::Json(ty)) = &operation.request {
            if let Some(id) = named(ty) {
                uses.entry(id)
                    .or_default()
                    .push(format!("the request body of {route}"));
            }
        }
        if let Some(Body::Json(ty)) = operation.success_body() {
            if let Some(id) = named(ty) {
                uses.entry(id)
                    .or_default()
                    .push(format!("the answer to {route}"));
            }
        }
    }
    uses
}

/// The named type a use refers to, through arrays.
fn named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Array(item) => named(item),
        _ => None,
    }
}

/// The documentation of a type the schema does not describe: where it is used (three places at
/// most, and how many more).
fn usage_doc(uses: Option<&Vec<String>>) -> Option<String> {
    let uses = uses.filter(|uses| !uses.is_empty())?;
    let shown: Vec<&str> = uses.iter().take(3).map(String::as_str).collect();
    let more = match uses.len().saturating_sub(shown.len()) {
        0 => String::new(),
        1 => ", and one more place".to_owned(),
        count => format!(", and {count} more places"),
    };
    Some(format!("Used as {}{more}.", shown.join("; ")))
}

/// One type and its impls, compiled only when a group that uses it is enabled, after `out`: a
/// struct's or an enum's declaration printed where `form` asks for it and it can be. A type the
/// schema does not describe is documented by where it is used.
fn emit_type(
    api: &Api,
    type_def: &TypeDef,
    uses: Option<&Vec<String>>,
    form: Form,
    out: &mut Chunks,
) {
    let cfg = cfg_any(&type_def.features);
    let doc = || match type_def.doc.as_deref() {
        Some(text) => doc_attrs(Some(text)),
        None => doc_line(&type_doc_line(type_def, uses)),
    };
    if let Some(path) = &type_def.replacement {
        let name = ident(&type_def.name);
        let note = format!(" The configuration replaces the generated type with `{path}`.");
        let path: TokenStream = path.parse().unwrap_or_default();
        let doc = doc();
        out.tokens(quote! {
            #doc
            #[doc = ""]
            #[doc = #note]
            #cfg
            pub type #name = #path;
        });
        return;
    }
    let extra_derives = extra_derives(type_def);
    let printed = || match form {
        Form::Printed => print_declaration(api, type_def, uses),
        Form::Tokens => None,
    };
    match &type_def.kind {
        TypeKind::Struct { fields } => {
            match printed() {
                Some(printed) => out.printed(printed),
                None => out.tokens(struct_declaration(
                    api,
                    type_def,
                    &doc(),
                    fields,
                    &cfg,
                    &extra_derives,
                )),
            }
            struct_impls(api, type_def, fields, &cfg, form, out);
        }
        TypeKind::Enum {
            variants,
            catch_all,
        } => {
            match printed() {
                Some(printed) => out.printed(printed),
                None => out.tokens(enum_declaration(
                    type_def,
                    &doc(),
                    variants,
                    catch_all,
                    &cfg,
                    &extra_derives,
                )),
            }
            enum_table(type_def, variants, catch_all, &cfg, form, out);
        }
        TypeKind::Union { .. } => {
            out.tokens(emit_union(api, type_def, &doc(), &cfg, &extra_derives));
        }
    }
}

/// The documentation line of a type the schema does not describe.
fn type_doc_line(type_def: &TypeDef, uses: Option<&Vec<String>>) -> String {
    usage_doc(uses).unwrap_or_else(|| format!("The `{}` type.", type_def.name))
}

/// The derives the configuration adds, each with a leading comma, to follow a type's own.
fn extra_derives(type_def: &TypeDef) -> TokenStream {
    // Checked to be paths when the configuration was applied.
    let paths = type_def
        .extra_derives
        .iter()
        .map(|derive| derive.parse::<TokenStream>().unwrap_or_default());
    quote! { #(, #paths)* }
}

/// A struct's derives: `Debug` unless a field is secret (its `Debug` is written out),
/// `Default` when every field is optional.
fn struct_derives(fields: &[Field]) -> (bool, bool) {
    let has_secret = fields.iter().any(|field| field.secret);
    let all_optional = fields.iter().all(|field| !field.required);
    (!has_secret, all_optional)
}

/// The struct itself: its documentation, gate, derives and fields.
fn struct_declaration(
    api: &Api,
    type_def: &TypeDef,
    doc: &TokenStream,
    fields: &[Field],
    cfg: &TokenStream,
    extra_derives: &TokenStream,
) -> TokenStream {
    let name = ident(&type_def.name);
    let (debug, default) = struct_derives(fields);
    let debug = debug.then(|| quote! { Debug, });
    let default = default.then(|| quote! { , Default });
    let field_tokens = fields
        .iter()
        .map(|field| emit_struct_field(api, field, &TokenStream::new()));
    quote! {
        #doc
        #cfg
        #[derive(#debug Clone, PartialEq #default #extra_derives)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_tokens)*
        }
    }
}

/// What follows a struct: its serde and schema tables, its constructor and, with a secret
/// field, its `Debug`; the tables printed where `form` asks for it and they can be.
fn struct_impls(
    api: &Api,
    type_def: &TypeDef,
    fields: &[Field],
    cfg: &TokenStream,
    form: Form,
    out: &mut Chunks,
) {
    let printed = match form {
        Form::Printed => print_struct_tables(type_def, fields),
        Form::Tokens => None,
    };
    match printed {
        Some(printed) => out.printed(printed),
        None => {
            let name = ident(&type_def.name);
            let table = serde_table(fields);
            let schema = emit_struct_schema(type_def, fields, cfg);
            out.tokens(quote! {
                #cfg
                struct_serde!(#name, [#(#table),*]);
                #schema
            });
        }
    }
    let has_secret = fields.iter().any(|field| field.secret);
    let debug_impl = has_secret.then(|| emit_redacted_debug(type_def, fields, cfg));
    let constructor = emit_constructor(api, &type_def.name, fields, &TokenStream::new(), cfg);
    out.tokens(quote! {
        #constructor
        #debug_impl
    });
}

/// A struct's `struct_serde!` and `struct_schema!` (what [`struct_impls`] makes of
/// [`serde_table`] and [`emit_struct_schema`]) printed as prettyplease prints their tokens;
/// `None` where a feature name or a string would print otherwise.
fn print_struct_tables(type_def: &TypeDef, fields: &[Field]) -> Option<Printed> {
    let gate = print_gate(&type_def.features)?;
    let mut properties = Vec::with_capacity(fields.len() * 6);
    for field in fields {
        if !properties.is_empty() {
            properties.push(Tt::Punct(',', false));
        }
        properties.push(Tt::Ident(&field.rust_name));
        properties.extend(printed_wire_name(field)?);
        if let Some(doc) = trimmed_doc(field.doc.as_deref()) {
            properties.push(Tt::Punct('=', true));
            properties.push(Tt::Punct('>', false));
            properties.push(Tt::Literal(string_literal(doc)?));
        }
    }
    let mut required = Vec::new();
    for field in fields.iter().filter(|field| field.required) {
        if !required.is_empty() {
            required.push(Tt::Punct(',', false));
        }
        required.push(Tt::Literal(string_literal(&field.wire_name)?));
    }
    let mut text = String::with_capacity(256 + fields.len() * 80);
    print_serde_table(&type_def.name, fields, &gate, &mut text)?;
    let mut schema = vec![Tt::Ident(&type_def.name)];
    if let Some(doc) = trimmed_doc(type_def.doc.as_deref()) {
        schema.push(Tt::Punct(',', false));
        schema.push(Tt::Literal(string_literal(doc)?));
    }
    schema.extend([
        Tt::Punct(',', false),
        Tt::Brackets(properties),
        Tt::Punct(',', false),
        Tt::Brackets(required),
    ]);
    text.push_str(&gate.cfg);
    text.push_str("#[cfg(feature = \"schemars\")]\n");
    layout::macro_call("struct_schema", &schema, &mut text);
    // prettyplease shows no feature gate on a macro call.
    Some(Printed { text, gated: false })
}

/// A struct's `struct_serde!` (what [`serde_table`] makes behind the struct's `cfg`) printed;
/// `None` where a wire name would print otherwise.
fn print_serde_table(
    name: &str,
    fields: &[Field],
    gate: &PrintedGate,
    text: &mut String,
) -> Option<()> {
    let mut table = Vec::with_capacity(fields.len() * 3);
    for field in fields {
        if !table.is_empty() {
            table.push(Tt::Punct(',', false));
        }
        let kind = match (field.required, field.ty == TypeRef::Number) {
            (true, false) => "required",
            (true, true) => "number",
            (false, false) => "optional",
            (false, true) => "optional_number",
        };
        let mut member = vec![Tt::Ident(&field.rust_name)];
        member.extend(printed_wire_name(field)?);
        table.push(Tt::Ident(kind));
        table.push(Tt::Parens(member));
    }
    text.push_str(&gate.cfg);
    layout::macro_call(
        "struct_serde",
        &[Tt::Ident(name), Tt::Punct(',', false), Tt::Brackets(table)],
        text,
    );
    Some(())
}

/// `= "wire-name"` after a member whose wire name differs from it, as tokens to lay out.
fn printed_wire_name(field: &Field) -> Option<Vec<Tt<'_>>> {
    Some(if field.rust_name == field.wire_name {
        Vec::new()
    } else {
        vec![
            Tt::Punct('=', false),
            Tt::Literal(string_literal(&field.wire_name)?),
        ]
    })
}

/// A description as the schema tables carry it: trimmed, and none when empty.
fn trimmed_doc(doc: Option<&str>) -> Option<&str> {
    doc.map(str::trim).filter(|doc| !doc.is_empty())
}

/// A struct's or an enum's declaration (what [`struct_declaration`] and [`enum_declaration`]
/// make) printed as prettyplease prints those tokens, with the feature gate rendering shows;
/// `None` for anything but the simple shapes this knows: derives the configuration adds, a
/// type it names, a documentation line prettyplease would print as an attribute, or a line
/// that would come near the margin.
fn print_declaration(api: &Api, type_def: &TypeDef, uses: Option<&Vec<String>>) -> Option<Printed> {
    if !type_def.extra_derives.is_empty() {
        return None;
    }
    let gate = print_gate(&type_def.features)?;
    let mut text = String::with_capacity(1024);
    match type_def.doc.as_deref() {
        Some(doc) => print_doc(doc, "", &mut text)?,
        None => print_doc_line(&type_doc_line(type_def, uses), "", &mut text)?,
    }
    text.push_str(&gate.cfg);
    match &type_def.kind {
        TypeKind::Struct { fields } => {
            print_struct(api, &type_def.name, fields, &gate, "", &mut text)?;
        }
        TypeKind::Enum {
            variants,
            catch_all,
        } => {
            text.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
            text.push_str(&gate.doc_cfg);
            let line = text.len();
            text.push_str("pub enum ");
            text.push_str(&type_def.name);
            text.push_str(" {\n");
            fits(&text[line..])?;
            for variant in variants {
                match variant_doc(variant) {
                    Some(doc) => print_doc(doc, "    ", &mut text)?,
                    None => print_doc_line(
                        &format!("The value `{}`.", variant.wire_name),
                        "    ",
                        &mut text,
                    )?,
                }
                let line = text.len();
                text.push_str("    ");
                text.push_str(&variant.rust_name);
                text.push_str(",\n");
                fits(&text[line..])?;
            }
            text.push_str(&format!(
                "    /// {}\n    /// {}\n    {catch_all}(UnknownValue),\n}}\n",
                CATCH_ALL_DOC[0], CATCH_ALL_DOC[1]
            ));
        }
        TypeKind::Union { .. } => return None,
    }
    Some(Printed {
        text,
        gated: !type_def.features.is_empty(),
    })
}

/// A struct's derives, gate and fields (what [`struct_declaration`] makes after the
/// documentation and the `cfg`) printed, `models` the path from the struct's module to the
/// crate root; `None` where a line would come near the margin or a type is the
/// configuration's.
fn print_struct(
    api: &Api,
    name: &str,
    fields: &[Field],
    gate: &PrintedGate,
    models: &str,
    text: &mut String,
) -> Option<()> {
    let (debug, default) = struct_derives(fields);
    text.push_str("#[derive(");
    if debug {
        text.push_str("Debug, ");
    }
    text.push_str("Clone, PartialEq");
    if default {
        text.push_str(", Default");
    }
    text.push_str(")]\n#[non_exhaustive]\n");
    text.push_str(&gate.doc_cfg);
    let line = text.len();
    text.push_str("pub struct ");
    text.push_str(name);
    fits(&text[line..])?;
    if fields.is_empty() {
        text.push_str(" {}\n");
        return Some(());
    }
    text.push_str(" {\n");
    for field in fields {
        match field.doc.as_deref() {
            Some(doc) => print_doc(doc, "    ", text)?,
            None => print_doc_line(&format!("The `{}` member.", field.wire_name), "    ", text)?,
        }
        let line = text.len();
        text.push_str("    pub ");
        text.push_str(&field.rust_name);
        text.push_str(": ");
        print_field_type(api, field, models, text)?;
        text.push_str(",\n");
        fits(&text[line..])?;
    }
    text.push_str("}\n");
    Some(())
}

/// A field's type as [`field_type`] spells it, printed.
fn print_field_type(api: &Api, field: &Field, models: &str, out: &mut String) -> Option<()> {
    if !field.required {
        out.push_str("Option<");
    }
    if field.boxed {
        out.push_str("Box<");
    }
    print_type(api, &field.ty, models, out)?;
    if field.boxed {
        out.push('>');
    }
    if !field.required {
        out.push('>');
    }
    Some(())
}

/// A struct's `struct_serde!` table: each field's kind and member (with its wire name where
/// it differs).
fn serde_table(fields: &[Field]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|field| {
            let member = ident(&field.rust_name);
            let wire = wire_name_if_other(field);
            let kind = match (field.required, field.ty == TypeRef::Number) {
                (true, false) => quote! { required },
                (true, true) => quote! { number },
                (false, false) => quote! { optional },
                (false, true) => quote! { optional_number },
            };
            quote! { #kind(#member #wire) }
        })
        .collect()
}

/// The struct's `JsonSchema` (with the `schemars` feature), by the runtime's `struct_schema!`:
/// each field (and its wire name where it differs) with its documentation, and the wire names
/// of the required ones. schemars' derive cost about a third of the crate's build; this table,
/// read by one macro, a fraction of that.
fn emit_struct_schema(type_def: &TypeDef, fields: &[Field], cfg: &TokenStream) -> TokenStream {
    let name = ident(&type_def.name);
    let doc = trimmed_doc(type_def.doc.as_deref()).map(|doc| quote! { , #doc });
    let properties = fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let wire = wire_name_if_other(field);
        let field_doc = trimmed_doc(field.doc.as_deref()).map(|doc| quote! { => #doc });
        quote! { #member #wire #field_doc }
    });
    let required = fields
        .iter()
        .filter(|field| field.required)
        .map(|field| &field.wire_name);
    quote! {
        #cfg
        #[cfg(feature = "schemars")]
        struct_schema!(#name #doc, [#(#properties),*], [#(#required),*]);
    }
}

/// ` = "wire"` after a field in the runtime's struct tables, where the wire name is not the
/// field's name (a raw identifier such as `r#type` counts as other).
fn wire_name_if_other(field: &Field) -> Option<TokenStream> {
    (field.rust_name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote! { = #wire }
    })
}

/// `impl Name { pub fn new(required...) }` for a struct with required fields: the way to build
/// one outside this crate, since the struct is `#[non_exhaustive]` (adding a field is then not a
/// breaking change). Structs without required fields implement `Default` instead. Empty when
/// there is no required field.
fn emit_constructor(
    api: &Api,
    name: &str,
    fields: &[Field],
    models: &TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|field| field.required).collect();
    if required.is_empty() {
        return TokenStream::new();
    }
    let name = ident(name);
    let parameters = required.iter().map(|field| {
        let member = ident(&field.rust_name);
        let ty = rust_type(api, &field.ty, models);
        quote! { #member: #ty }
    });
    let values = fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        match (field.required, field.boxed) {
            (true, false) => quote! { #member },
            // The constructor takes the value itself; the struct holds it boxed.
            (true, true) => quote! { #member: Box::new(#member) },
            (false, _) => quote! { #member: None },
        }
    });
    let listed: Vec<String> = required
        .iter()
        .map(|field| format!("`{}`", bare(&field.rust_name)))
        .collect();
    let doc = format!(
        " A value with the required fields ({}) and every other field absent.",
        listed.join(", ")
    );
    let doc = super::docs::literal(&doc);
    // One argument per required field, however many the schema requires.
    let allow = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#values),* }
            }
        }
    }
}

/// A field of a struct whose serde is its `struct_serde!` table: its documentation and type;
/// `models` is the path from the struct's module to the crate root.
fn emit_struct_field(api: &Api, field: &Field, models: &TokenStream) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = field_doc(field);
    let ty = field_type(api, field, models);
    quote! { #doc pub #name: #ty, }
}

/// A field's Rust type: boxed where the model says so, an `Option` unless required; `models`
/// is the path from the struct's module to the crate root.
fn field_type(api: &Api, field: &Field, models: &TokenStream) -> TokenStream {
    let mut ty = rust_type(api, &field.ty, models);
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    if field.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// A field's documentation: the schema's, or the member it is.
fn field_doc(field: &Field) -> TokenStream {
    match field.doc.as_deref() {
        Some(text) => doc_attrs(Some(text)),
        None => doc_line(&format!("The `{}` member.", field.wire_name)),
    }
}

/// `features` (of types, `None` for none) with the features of some operations (empty for
/// none), sorted.
fn with_features(features: Option<Vec<String>>, more: Vec<String>) -> Option<Vec<String>> {
    if more.is_empty() {
        return features;
    }
    let mut all: Vec<String> = features.unwrap_or_default();
    all.extend(more);
    all.sort();
    all.dedup();
    Some(all)
}

/// The features of the types for which `matches` holds, sorted; `None` when no type does.
fn type_features(api: &Api, matches: impl Fn(&TypeDef) -> bool) -> Option<Vec<String>> {
    let mut matching = api
        .types
        .values()
        .filter(|type_def| type_def.replacement.is_none() && matches(type_def))
        .peekable();
    matching.peek()?;
    let features: std::collections::BTreeSet<&String> =
        matching.flat_map(|type_def| &type_def.features).collect();
    Some(features.into_iter().cloned().collect())
}

/// The `lenient` module: number fields that also accept a number written as a string. Compiled
/// for the features whose types have number fields.
fn emit_lenient(api: &Api) -> TokenStream {
    let users = |required: bool| {
        type_features(api, |type_def| match &type_def.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .any(|field| field.ty == TypeRef::Number && field.required == required),
            TypeKind::Enum { .. } | TypeKind::Union { .. } => false,
        })
    };
    let (optional, required) = (users(false), users(true));
    let all: Vec<String> = optional
        .iter()
        .chain(&required)
        .flatten()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if optional.is_none() && required.is_none() {
        return TokenStream::new();
    }
    let cfg = cfg_any(&all);
    let number = optional.map(|features| {
        let cfg = cfg_any(&features);
        quote! {
            /// Reads a number, a string holding one, or `null` (as `None`).
            #cfg
            #[derive(Clone, Copy)]
            pub(crate) struct OptionalNumber;

            #cfg
            impl<'de> serde::de::DeserializeSeed<'de> for OptionalNumber {
                type Value = Option<serde_json::Number>;

                fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                    Option::<NumberOrText>::deserialize(deserializer)?.map(parse).transpose()
                }
            }
        }
    });
    let required_number = required.map(|features| {
        let cfg = cfg_any(&features);
        quote! {
            /// Reads a number or a string holding one.
            #cfg
            #[derive(Clone, Copy)]
            pub(crate) struct RequiredNumber;

            #cfg
            impl<'de> serde::de::DeserializeSeed<'de> for RequiredNumber {
                type Value = serde_json::Number;

                fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                    parse(NumberOrText::deserialize(deserializer)?)
                }
            }
        }
    });
    quote! {
        /// Deserializers for fields that servers do not always send as the schema says.
        #cfg
        mod lenient {
            use serde::Deserialize;

            #[derive(Deserialize)]
            #[serde(untagged)]
            enum NumberOrText {
                Number(serde_json::Number),
                Text(String),
            }

            fn parse<E: serde::de::Error>(value: NumberOrText) -> Result<serde_json::Number, E> {
                match value {
                    NumberOrText::Number(number) => Ok(number),
                    NumberOrText::Text(text) if is_number_text(&text) => text
                        .parse()
                        .map_err(|_| E::custom(format!("expected a number, found the string {text:?}"))),
                    NumberOrText::Text(text) => {
                        Err(E::custom(format!("expected a number, found the string {text:?}")))
                    }
                }
            }

            /// Whether `text` is a number as the OpenAPI document allows it in a string:
            /// `-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?`, at most 20
            /// digits before and after the point (every 64-bit integer) and a two-digit
            /// exponent, so that every such text fits an `f64`.
            fn is_number_text(text: &str) -> bool {
                fn digits(text: &str, min: usize, max: usize) -> Option<&str> {
                    let count = text.bytes().take_while(u8::is_ascii_digit).count();
                    (min..=max).contains(&count).then(|| &text[count..])
                }
                let rest = text.strip_prefix('-').unwrap_or(text);
                let rest = match rest.strip_prefix('0') {
                    Some(rest) => Some(rest),
                    None if rest.starts_with(|first: char| first.is_ascii_digit()) => digits(rest, 1, 20),
                    None => None,
                };
                let Some(rest) = rest else { return false };
                let rest = match rest.strip_prefix('.') {
                    Some(fraction) => digits(fraction, 1, 20),
                    None => Some(rest),
                };
                let Some(rest) = rest else { return false };
                let rest = match rest.strip_prefix(['e', 'E']) {
                    Some(exponent) => {
                        digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent), 1, 2)
                    }
                    None => Some(rest),
                };
                rest == Some("")
            }

            #number
            #required_number
        }
    }
}

/// `Debug` that prints `<redacted>` for `format: password` fields.
fn emit_redacted_debug(type_def: &TypeDef, fields: &[Field], cfg: &TokenStream) -> TokenStream {
    let name = ident(&type_def.name);
    let label = &type_def.name;
    let entries = fields.iter().map(|field| {
        let member = ident(&field.rust_name);
        let label = bare(&field.rust_name);
        match (field.secret, field.required) {
            (false, _) => quote! { .field(#label, &self.#member) },
            (true, true) => quote! { .field(#label, &"<redacted>") },
            (true, false) => {
                quote! { .field(#label, &self.#member.as_ref().map(|_| "<redacted>")) }
            }
        }
    });
    quote! {
        #cfg
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// A tagged union: one variant per tag value, holding the struct of the variant's other
/// properties (or, externally tagged, the member's value), and a catch-all for a name this
/// description does not list.
fn emit_union(
    api: &Api,
    type_def: &TypeDef,
    doc: &TokenStream,
    cfg: &TokenStream,
    extra_derives: &TokenStream,
) -> TokenStream {
    let TypeKind::Union {
        form,
        variants,
        catch_all,
    } = &type_def.kind
    else {
        return TokenStream::new();
    };
    let name = ident(&type_def.name);
    let catch_all = ident(catch_all);
    let tag = match form {
        UnionForm::Internal(tag) => Some(tag),
        UnionForm::External | UnionForm::Untagged => None,
    };
    let (catch_all_decl, macro_name, tag_argument) = match tag {
        _ if *form == UnionForm::Untagged => (
            quote! {
                /// A value that reads as none of the variants, kept verbatim.
                #catch_all(serde_json::Value),
            },
            quote! { untagged_union },
            TokenStream::new(),
        ),
        Some(tag) => (
            quote! {
                /// An object whose tag this description of the API does not list, kept
                /// verbatim: read its tag with `tag()`.
                #catch_all(JsonObject),
            },
            quote! { tagged_union },
            quote! { #tag, },
        ),
        None => (
            quote! {
                /// A value whose name this description of the API does not list, kept
                /// verbatim: read its name with `tag()`.
                #catch_all(serde_json::Value),
            },
            quote! { external_union },
            TokenStream::new(),
        ),
    };
    let variant_decls = variants.iter().map(|variant| {
        let text = match &variant.doc {
            Some(text) => text.clone(),
            None => match (tag, form) {
                (Some(tag), _) => format!("The variant whose `{tag}` is `{}`.", variant.wire_name),
                (None, UnionForm::Untagged) => format!("Its `{}` form.", variant.wire_name),
                (None, _) => format!("The `{}` variant.", variant.wire_name),
            },
        };
        let variant_doc = doc_attrs(Some(&text));
        let variant_name = ident(&variant.rust_name);
        match &variant.ty {
            Some(ty) => {
                let ty = rust_type(api, ty, &TokenStream::new());
                quote! { #variant_doc #variant_name(#ty), }
            }
            None => quote! { #variant_doc #variant_name, },
        }
    });
    let with_data = variants.iter().filter_map(|variant| {
        let ty = rust_type(api, variant.ty.as_ref()?, &TokenStream::new());
        let variant_name = ident(&variant.rust_name);
        let wire = &variant.wire_name;
        Some(quote! { #variant_name(#ty) = #wire })
    });
    let units = variants
        .iter()
        .filter(|variant| variant.ty.is_none())
        .map(|variant| {
            let variant_name = ident(&variant.rust_name);
            let wire = &variant.wire_name;
            quote! { #variant_name = #wire }
        });
    let implementation = if *form == UnionForm::Untagged {
        let variants = variants.iter().filter_map(|variant| {
            let ty = rust_type(api, variant.ty.as_ref()?, &TokenStream::new());
            let variant_name = ident(&variant.rust_name);
            Some(quote! { #variant_name(#ty) })
        });
        quote! { #macro_name!(#name, #catch_all, [#(#variants),*]); }
    } else {
        quote! {
            #macro_name!(#name, #tag_argument #catch_all, [#(#with_data),*], [#(#units),*]);
        }
    };
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq #extra_derives)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_decls)*
            #catch_all_decl
        }

        #cfg
        #implementation
    }
}

/// An enum's variant documentation: the schema's, unless it only repeats the wire value (which
/// says no more than the value itself); `None` for the generator's line.
fn variant_doc(variant: &Variant) -> Option<&str> {
    variant
        .doc
        .as_deref()
        .filter(|doc| *doc != variant.wire_name)
}

/// The documentation of an enum's catch-all variant, a line at a time.
const CATCH_ALL_DOC: [&str; 2] = [
    "A value this description of the API does not list, kept verbatim: read it with",
    "`as_str()`, not by matching on it.",
];

/// The enum itself: its documentation, gate, derives and variants, the catch-all last.
fn enum_declaration(
    type_def: &TypeDef,
    doc: &TokenStream,
    variants: &[Variant],
    catch_all: &str,
    cfg: &TokenStream,
    extra_derives: &TokenStream,
) -> TokenStream {
    let name = ident(&type_def.name);
    let catch_all = ident(catch_all);
    let variant_decls = variants.iter().map(|variant| {
        let variant_doc = match variant_doc(variant) {
            Some(text) => doc_attrs(Some(text)),
            None => doc_line(&format!("The value `{}`.", variant.wire_name)),
        };
        let variant_name = ident(&variant.rust_name);
        quote! { #variant_doc #variant_name, }
    });
    let catch_all_doc = CATCH_ALL_DOC.map(doc_line);
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash #extra_derives)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_decls)*
            #(#catch_all_doc)*
            #catch_all(UnknownValue),
        }
    }
}

/// An enum's `string_enum!` table: each variant with its wire value; printed where `form` asks
/// for it and it can be.
fn enum_table(
    type_def: &TypeDef,
    variants: &[Variant],
    catch_all: &str,
    cfg: &TokenStream,
    form: Form,
    out: &mut Chunks,
) {
    if form == Form::Printed {
        if let Some(printed) = print_enum_table(type_def, variants, catch_all) {
            out.printed(printed);
            return;
        }
    }
    let name = ident(&type_def.name);
    let catch_all = ident(catch_all);
    let table = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let wire = &variant.wire_name;
        quote! { #variant_name = #wire }
    });
    out.tokens(quote! {
        #cfg
        string_enum!(#name, #catch_all, [#(#table),*]);
    });
}

/// [`enum_table`]'s `string_enum!` printed as prettyplease prints its tokens; `None` where a
/// feature name or a wire value would print otherwise.
fn print_enum_table(type_def: &TypeDef, variants: &[Variant], catch_all: &str) -> Option<Printed> {
    let gate = print_gate(&type_def.features)?;
    let mut table = Vec::with_capacity(variants.len() * 4);
    for variant in variants {
        if !table.is_empty() {
            table.push(Tt::Punct(',', false));
        }
        table.push(Tt::Ident(&variant.rust_name));
        table.push(Tt::Punct('=', false));
        table.push(Tt::Literal(string_literal(&variant.wire_name)?));
    }
    let mut text = gate.cfg;
    layout::macro_call(
        "string_enum",
        &[
            Tt::Ident(&type_def.name),
            Tt::Punct(',', false),
            Tt::Ident(catch_all),
            Tt::Punct(',', false),
            Tt::Brackets(table),
        ],
        &mut text,
    );
    Some(Printed { text, gated: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::Chunk;

    /// The model of one endpoint file whose answer is `schema`.
    fn api_of(schema: serde_json::Value) -> Api {
        let endpoint = serde_json::json!({
            "endpoint": "/v1/things",
            "category": "Things",
            "methods": {
                "get": { "summary": "Get.", "responses": [{ "code": "200" }], "response_schema": schema }
            }
        });
        super::super::test_support::api_of(vec![(
            "things/things.json".to_owned(),
            serde_json::to_vec(&endpoint).unwrap(),
        )])
    }

    /// Each type of `api` as `generate` renders it (printed where it can be) and as
    /// prettyplease prints its tokens, and whether its declaration was printed.
    fn both_ways(api: &Api) -> Vec<(String, String, String, bool)> {
        let render = |form: Form, type_def: &TypeDef| {
            let mut chunks = Chunks::default();
            emit_type(api, type_def, None, form, &mut chunks);
            let chunks = chunks.into_vec();
            // The declaration comes first.
            let printed = matches!(chunks.first(), Some(Chunk::Printed(_)));
            let part = crate::render::render_chunks(chunks).unwrap();
            let text = crate::render::assemble(vec![part], "test").remove(0).1;
            (text, printed)
        };
        api.types
            .values()
            .map(|type_def| {
                let (printed_text, printed) = render(Form::Printed, type_def);
                let (tokens_text, _) = render(Form::Tokens, type_def);
                (type_def.name.clone(), printed_text, tokens_text, printed)
            })
            .collect()
    }

    /// The `query` module file as `generate` renders it and as prettyplease prints its tokens,
    /// and how many of its structs were printed.
    fn query_module_both_ways(api: &Api) -> (String, String, usize) {
        let render = |form| {
            let chunk = emit_query_module(api, form).expect("a query struct");
            let printed = match &chunk {
                Chunk::Module { items, .. } => items
                    .iter()
                    .filter_map(|item| match item {
                        Chunk::Printed(printed) => {
                            Some(printed.text.matches("pub struct ").count())
                        }
                        _ => None,
                    })
                    .sum(),
                _ => 0,
            };
            let part = crate::render::render_chunks(vec![chunk]).unwrap();
            let mut files = crate::render::assemble(vec![part], "test");
            let index = files
                .iter()
                .position(|(name, _)| name == "query.rs")
                .expect("query.rs");
            (files.remove(index).1, printed)
        };
        let ((printed_text, printed), (tokens_text, _)) =
            (render(Form::Printed), render(Form::Tokens));
        (printed_text, tokens_text, printed)
    }

    #[test]
    fn the_query_structs_are_printed_as_prettyplease_prints_their_tokens() {
        // Parameters of every kind a query struct holds: strings, integers, booleans, arrays,
        // an enum of the models (`super::`), wire names that differ, documentation with quotes
        // and tabs; a struct whose line comes past the margin, and a wire name with a control
        // character, are left to prettyplease.
        let long = "a".repeat(80);
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": { "title": "Things", "version": "1" },
            "paths": {
                "/things": {
                    "get": {
                        "operationId": "list_things",
                        "parameters": [
                            { "name": "page-size", "in": "query", "required": true, "description": "At most \"this\" many,\tsay.", "schema": { "type": "integer" } },
                            { "name": "deep", "in": "query", "schema": { "type": "boolean" } },
                            { "name": "tag", "in": "query", "description": "Only these.", "schema": { "type": "array", "items": { "type": "string" } } },
                            { "name": "state", "in": "query", "schema": { "$ref": "#/components/schemas/State" } },
                            { "name": "sort", "in": "query", "schema": { "type": "string" } }
                        ],
                        "responses": { "200": { "description": "Things." } }
                    }
                },
                "/others": {
                    "get": {
                        "operationId": "list_others",
                        "parameters": [
                            { "name": long, "in": "query", "schema": { "type": "string" } }
                        ],
                        "responses": { "200": { "description": "Others." } }
                    },
                    "delete": {
                        "operationId": "delete_others",
                        "parameters": [
                            { "name": "ring\u{7}", "in": "query", "required": true, "schema": { "type": "string" } }
                        ],
                        "responses": { "204": { "description": "Gone." } }
                    }
                }
            },
            "components": {
                "schemas": {
                    "State": { "type": "string", "enum": ["on", "off"] }
                }
            }
        });
        let api = super::super::test_support::api_of(vec![(
            "openapi.json".to_owned(),
            serde_json::to_vec(&document).unwrap(),
        )]);
        let (printed_text, tokens_text, printed) = query_module_both_ways(&api);
        assert_eq!(printed_text, tokens_text);
        // Printed: `list_things`'s; left to prettyplease: the two that cannot be.
        assert_eq!(printed, 1, "{printed_text}");
        assert!(
            printed_text.contains("pub state: Option<super::State>,"),
            "{printed_text}"
        );
        assert_eq!(
            printed_text.matches("pub struct ").count(),
            3,
            "{printed_text}"
        );
    }

    #[test]
    fn declarations_are_printed_where_nothing_wraps_and_read_as_prettyplease_prints_them() {
        let property =
            |description: &str| serde_json::json!({ "description": description, "type": "string" });
        let mut fields = serde_json::Map::new();
        // `    pub aaa..: Option<String>,`: 89 columns, prettyplease's margin.
        fields.insert("a".repeat(64), property("At the margin, with a tab\there."));
        fields.insert(
            "inner".to_owned(),
            serde_json::json!({
                "description": "\"Quoted\"## with hashes, naïve — café   ",
                "type": "object",
                "properties": {
                    "kind": { "type": "string", "enum": ["ONE", "TWO", "with space"] },
                    "tabs": {
                        "description": "Past the margin: this one is left to prettyplease.",
                        "type": "object",
                        "properties": { "b".repeat(65): property("One column past.") }
                    },
                    "bell": {
                        "description": "A bell, left to prettyplease too.",
                        "type": "object",
                        "properties": { "ring": property("Rings \u{7} here.") }
                    }
                }
            }),
        );
        // Wire names and descriptions the macro tables quote and escape.
        fields.insert(
            "it's \"quoted\" \\ back".to_owned(),
            property("Don't \"say\" \\ it — é\u{301}."),
        );
        fields.insert(
            "padded".to_owned(),
            property(&"A long description that fills the schema table's lines. ".repeat(4)),
        );
        let api = api_of(serde_json::json!({
            "description": "At the margin.",
            "type": "object",
            "properties": fields
        }));
        let mut printed_names = Vec::new();
        for (name, printed_text, tokens_text, printed) in both_ways(&api) {
            assert_eq!(printed_text, tokens_text, "{name}");
            if printed {
                printed_names.push(name);
            }
        }
        printed_names.sort();
        assert_eq!(printed_names.len(), 3, "{printed_names:?}");
        let past = api
            .types
            .values()
            .find(|type_def| {
                type_def
                    .doc
                    .as_deref()
                    .is_some_and(|doc| doc.starts_with("Past"))
            })
            .unwrap();
        let bell = api
            .types
            .values()
            .find(|type_def| {
                type_def
                    .doc
                    .as_deref()
                    .is_some_and(|doc| doc.starts_with("A bell"))
            })
            .unwrap();
        assert!(!printed_names.contains(&past.name), "{printed_names:?}");
        assert!(!printed_names.contains(&bell.name), "{printed_names:?}");
    }
}
