//! The OpenAPI 3.1 document of the whole model: every deduplicated type is one shared component,
//! every operation one path item entry, tagged with its group. Written to
//! the server crate (`generated/<api>-server/openapi.json`) and served by it at `/openapi.json`. (This emitter
//! builds JSON as its output, with [`super::json`]; like the others, it reads only the IR.)

use super::json::{array, object, Json, Object};
use crate::ir::{
    Api, Auth, Body, CredentialKind, ErrorFieldKind, ErrorObject, Field, Operation, Parameter,
    TypeDef, TypeKind, TypeRef, UnionForm, UnionVariant,
};
use crate::render::{marker, JSON_MARKER_MEMBER};

/// The document, pretty-printed, opening with the generator's marker.
pub fn emit_openapi(api: &Api) -> String {
    let mut schemas = Object::default();
    // Type names are distinct (they are the models' names).
    for type_def in api.types.values() {
        schemas.push(type_def.name.as_str(), type_schema(api, type_def));
    }
    schemas.insert(
        api.conventions.error.name.as_str(),
        api_error_schema(&api.conventions.error),
    );
    let mut paths = Object::default();
    for operation in &api.operations {
        let item = paths.entry_or_insert_with(operation.path.as_str(), || object! {});
        if let Some(item) = item.as_object_mut() {
            item.insert(
                operation.method.as_str().to_ascii_lowercase(),
                operation_object(api, operation),
            );
        }
    }
    let tags: Vec<Json<'_>> = api
        .groups
        .iter()
        // `x-categories`: the reference categories the group was made from, which the OpenAPI
        // frontend reads back as the group's titles.
        .map(|group| {
            object! {
                "name" => group.module.trim_start_matches("r#"),
                "description" => group.titles.join(", "),
                "x-categories" => group.titles.iter().map(String::as_str).collect::<Vec<_>>(),
            }
        })
        .collect();
    // Each scheme, and the requirements: any one of them.
    let mut schemes = Object::default();
    if api.conventions.auth == Auth::Bearer {
        schemes.insert("bearer", object! { "type" => "http", "scheme" => "bearer" });
    }
    for credential in &api.conventions.credentials {
        let mut scheme = match &credential.kind {
            CredentialKind::Basic => object! { "type" => "http", "scheme" => "basic" },
            CredentialKind::Header(name) => {
                object! { "type" => "apiKey", "in" => "header", "name" => name }
            }
            CredentialKind::Query(name) => {
                object! { "type" => "apiKey", "in" => "query", "name" => name }
            }
        };
        if let (Some(doc), Some(members)) = (&credential.doc, scheme.as_object_mut()) {
            members.insert("description", doc);
        }
        schemes.insert(credential.scheme.as_str(), scheme);
    }
    let mut document = object! {
        // The writer recognises its files by this first member.
        JSON_MARKER_MEMBER => marker(&api.regenerate),
        "openapi" => "3.1.0",
        "info" => object! {
            "title" => format!("{} REST API", api.name),
            "version" => &api.package.version,
            "description" => "Generated from the endpoint descriptions in schemas/ by cargo xtask codegen.",
        },
        "tags" => tags,
    };
    let mut components = object! { "schemas" => schemas };
    // Without authentication neither `security` nor `securitySchemes` is there.
    if let (Some(members), false) = (document.as_object_mut(), schemes.is_empty()) {
        let requirements: Vec<Json<'_>> = schemes
            .keys()
            .map(|name| object! { name.to_owned() => Vec::<Json<'_>>::new() })
            .collect();
        members.push("security", requirements);
        if let Some(components) = components.as_object_mut() {
            components.push("securitySchemes", schemes);
        }
    }
    if let Some(members) = document.as_object_mut() {
        members.push("paths", paths);
        members.push("components", components);
    }
    let mut res = document.to_pretty();
    res.push('\n');
    res
}

fn type_schema<'a>(api: &'a Api, type_def: &'a TypeDef) -> Json<'a> {
    let mut schema = match &type_def.kind {
        // Open, as the models are: each variant fixes the tag; the last part admits an object
        // with any other tag (the catch-all variant).
        TypeKind::Union {
            form: UnionForm::Untagged,
            variants,
            ..
        } => {
            // Each variant's schema, in order (the catch-all keeps whatever else arrives).
            let parts: Vec<Json<'_>> = variants
                .iter()
                .filter_map(|variant| Some(ty_schema(api, variant.ty.as_ref()?)))
                .collect();
            object! { "anyOf" => parts }
        }
        TypeKind::Union { form, variants, .. } => {
            let tag = match form {
                UnionForm::Internal(tag) => Some(tag.as_str()),
                UnionForm::External | UnionForm::Untagged => None,
            };
            union_schema(api, tag, variants)
        }
        TypeKind::Struct { fields } => struct_schema(api, fields),
        // Open: the models keep a value they do not list (the catch-all variant), so the
        // document lists the known values and allows any other string.
        TypeKind::Enum { variants, .. } => {
            let values: Vec<&str> = variants
                .iter()
                .map(|variant| variant.wire_name.as_str())
                .collect();
            let mut schema = object! {
                "anyOf" => array![
                    object! { "type" => "string", "enum" => values },
                    object! { "type" => "string" },
                ],
            };
            // Each value's documentation, as Redocly's `x-enumDescriptions` writes it.
            let mut docs = Object::default();
            for variant in variants {
                if let Some(doc) = &variant.doc {
                    docs.insert(variant.wire_name.as_str(), doc);
                }
            }
            if let (false, Some(members)) = (docs.is_empty(), schema.as_object_mut()) {
                members.insert("x-enumDescriptions", docs);
            }
            schema
        }
    };
    if let (Some(doc), Some(members)) = (&type_def.doc, schema.as_object_mut()) {
        members.insert("description", doc);
    }
    schema
}

/// A union, open as the models are. Internally tagged: each variant an object that fixes the
/// tag (and holds its struct's properties); the last part admits any other tag. Externally
/// tagged: the unit variants' names, and each other variant a one-member object named after
/// it; the last parts admit any other name.
fn union_schema<'a>(api: &'a Api, tag: Option<&'a str>, variants: &'a [UnionVariant]) -> Json<'a> {
    let mut parts: Vec<Json<'_>> = Vec::new();
    match tag {
        Some(tag) => {
            for variant in variants {
                let mut part = Object::default();
                part.push("type", "object");
                part.push(
                    "properties",
                    object! { tag => object! { "type" => "string", "enum" => array![&variant.wire_name] } },
                );
                part.push("required", array![tag]);
                if let Some(ty) = &variant.ty {
                    part.push("allOf", array![ty_schema(api, ty)]);
                }
                if let Some(doc) = &variant.doc {
                    part.push("description", doc);
                }
                parts.push(Json::Object(part));
            }
            parts.push(object! {
                "type" => "object",
                "properties" => object! { tag => object! { "type" => "string" } },
                "required" => array![tag],
            });
        }
        None => {
            let units: Vec<&str> = variants
                .iter()
                .filter(|variant| variant.ty.is_none())
                .map(|variant| variant.wire_name.as_str())
                .collect();
            if !units.is_empty() {
                parts.push(object! { "type" => "string", "enum" => units });
            }
            for variant in variants {
                let Some(ty) = &variant.ty else {
                    continue;
                };
                let mut part = Object::default();
                part.push("type", "object");
                part.push(
                    "properties",
                    object! { variant.wire_name.as_str() => ty_schema(api, ty) },
                );
                part.push("required", array![&variant.wire_name]);
                part.push("additionalProperties", false);
                if let Some(doc) = &variant.doc {
                    part.push("description", doc);
                }
                parts.push(Json::Object(part));
            }
            parts.push(object! { "type" => "string" });
            parts.push(
                object! { "type" => "object", "minProperties" => 1i64, "maxProperties" => 1i64 },
            );
        }
    }
    object! { "anyOf" => parts }
}

fn struct_schema<'a>(api: &'a Api, fields: &'a [Field]) -> Json<'a> {
    let mut properties = Object::default();
    for field in fields {
        let mut schema = field_schema(api, field);
        if let Some(members) = schema.as_object_mut() {
            if let Some(doc) = &field.doc {
                members.insert("description", doc);
            }
            if field.secret {
                members.insert("format", "password");
            }
            // A string's own format and pattern, as the input gave them (a list's apply to its
            // items, which this leaves out).
            if field.ty == TypeRef::String {
                let format = field
                    .format
                    .as_deref()
                    .filter(|_| !field.secret && !field.base64);
                if let Some(format) = format {
                    members.insert("format", format);
                }
                if let Some(pattern) = &field.pattern {
                    members.insert("pattern", pattern);
                }
            }
            // OpenAPI 3.1 says base64 as JSON Schema does (3.0's `format: byte`).
            if field.base64 {
                members.insert("contentEncoding", "base64");
            }
        }
        properties.insert(field.wire_name.as_str(), schema);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.wire_name.as_str())
        .collect();
    let mut schema = Object::default();
    schema.push("type", "object");
    schema.push("properties", properties);
    if !required.is_empty() {
        schema.push("required", required);
    }
    Json::Object(schema)
}

/// The text a number field also accepts: a JSON number in a string, with at most 20 digits
/// before and after the point and a two-digit exponent (the models' `lenient::is_number_text`).
const NUMBER_TEXT: &str = r"^-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?$";

/// A field's schema, with the leniency of the models declared: a number field also takes its
/// number as text, and an optional field also takes `null` (read as absent).
fn field_schema<'a>(api: &'a Api, field: &'a Field) -> Json<'a> {
    let schema = if field.ty == TypeRef::Number {
        object! {
            "anyOf" => array![
                object! { "type" => "number" },
                object! { "type" => "string", "pattern" => NUMBER_TEXT },
            ],
        }
    } else {
        ty_schema(api, &field.ty)
    };
    if field.required {
        return schema;
    }
    match schema {
        Json::Object(mut members) if matches!(members.get("type"), Some(Json::Str(_))) => {
            // As `serde_json::Map::remove` leaves the members: the last takes the place of
            // `type`, which goes last.
            let kind = members.swap_remove("type").unwrap_or(Json::Null);
            members.insert("type", array![kind, "null"]);
            Json::Object(members)
        }
        Json::Object(mut members) if members.contains_key("anyOf") => {
            if let Some(Json::Array(options)) = members.get_mut("anyOf") {
                options.push(object! { "type" => "null" });
            }
            Json::Object(members)
        }
        other => object! { "anyOf" => array![other, object! { "type" => "null" }] },
    }
}

fn ty_schema<'a>(api: &'a Api, ty: &'a TypeRef) -> Json<'a> {
    match ty {
        TypeRef::String => object! { "type" => "string" },
        TypeRef::Number => object! { "type" => "number" },
        TypeRef::Integer => object! { "type" => "integer" },
        TypeRef::Boolean => object! { "type" => "boolean" },
        TypeRef::JsonObject => object! { "type" => "object" },
        TypeRef::Any => object! {},
        TypeRef::Array(items) => object! { "type" => "array", "items" => ty_schema(api, items) },
        TypeRef::Map(values) => {
            object! { "type" => "object", "additionalProperties" => ty_schema(api, values) }
        }
        TypeRef::Named(id) => schema_ref(&api.type_def(*id).name),
        TypeRef::Rust { wire, .. } => ty_schema(api, wire),
    }
}

/// A reference to the component schema `name`.
fn schema_ref<'a>(name: &str) -> Json<'a> {
    object! { "$ref" => format!("#/components/schemas/{name}") }
}

fn api_error_schema(error: &ErrorObject) -> Json<'_> {
    let mut properties = Object::default();
    for field in &error.fields {
        let schema = match field.kind {
            ErrorFieldKind::Text => object! { "type" => "string" },
            ErrorFieldKind::TextList => {
                object! { "type" => "array", "items" => object! { "type" => "string" } }
            }
            ErrorFieldKind::Flag => object! { "type" => "boolean" },
            ErrorFieldKind::Integer => object! { "type" => "integer" },
            ErrorFieldKind::Cause => schema_ref(&error.name),
        };
        properties.insert(field.wire_name.as_str(), schema);
    }
    object! {
        "type" => "object",
        "description" => &error.doc,
        "properties" => properties,
    }
}

/// The `content` of a body.
fn content<'a>(api: &'a Api, body: &'a Body) -> Json<'a> {
    let (media, schema) = match body {
        Body::Json(ty) => ("application/json", ty_schema(api, ty)),
        Body::UntypedJson => ("application/json", object! {}),
        Body::Null => ("application/json", object! { "enum" => array![Json::Null] }),
        // A redirect has no content: its `Location` header is written beside (`headers`).
        Body::Location => return object! {},
        Body::Text => ("text/plain", object! { "type" => "string" }),
        Body::Form(ty) => ("application/x-www-form-urlencoded", ty_schema(api, ty)),
        Body::Bytes => (
            "application/octet-stream",
            object! { "type" => "string", "format" => "binary" },
        ),
    };
    object! { media => object! { "schema" => schema } }
}

fn operation_object<'a>(api: &'a Api, operation: &'a Operation) -> Json<'a> {
    let mut members = Object::default();
    let module = api.module_of(operation).trim_start_matches("r#");
    members.push(
        "operationId",
        format!("{module}_{}", operation.name.trim_start_matches("r#")),
    );
    members.push("tags", array![module]);
    if let Some(summary) = &operation.summary {
        members.push("summary", summary);
    }
    let parameters: Vec<Json<'_>> = [
        ("path", &operation.path_params),
        ("query", &operation.query_params),
        ("header", &operation.header_params),
        ("cookie", &operation.cookie_params),
    ]
    .into_iter()
    .flat_map(|(place, parameters)| {
        parameters
            .iter()
            .map(move |parameter| parameter_object(place, parameter))
    })
    .collect();
    if !parameters.is_empty() {
        members.push("parameters", parameters);
    }
    if let Some(request) = &operation.request {
        // Raw bytes may be none at all: an empty body is a zero-length upload.
        let required = *request != Body::Bytes && !operation.request_optional;
        members.push(
            "requestBody",
            object! { "required" => required, "content" => content(api, request) },
        );
    }
    let mut responses = Object::default();
    for response in &operation.responses {
        let description = response.doc.as_deref().unwrap_or("Response");
        let mut entry = Object::default();
        entry.push("description", description);
        if response.body == Some(Body::Location) {
            entry.push(
                "headers",
                object! {
                    "location" => object! {
                        "description" => "The URL the answer redirects to",
                        "required" => true,
                        "schema" => object! { "type" => "string" },
                    },
                },
            );
        } else if let Some(body) = &response.body {
            entry.push("content", content(api, body));
            if operation.returns_etag() {
                let header = &api.conventions.etag.response;
                entry.push(
                    "headers",
                    object! {
                        header.as_str() => object! {
                            "description" => format!("The entity tag of the value, to send back as `{}`", api.conventions.etag.request),
                            "schema" => object! { "type" => "string" },
                        },
                    },
                );
            }
        }
        responses.insert(response.status.to_string(), entry);
    }
    if !operation
        .responses
        .iter()
        .any(crate::ir::Response::is_success)
    {
        responses.insert(
            operation.success_status().to_string(),
            object! { "description" => "Success" },
        );
    }
    for error in &operation.errors {
        let entry = responses.entry_or_insert_with(error.status.to_string(), || {
            object! { "description" => "An error" }
        });
        if let Some(entry) = entry.as_object_mut() {
            if let Some(doc) = &error.doc {
                entry.insert("description", doc);
            }
            entry.insert("content", error_content(api, error.ty));
        }
    }
    responses.entry_or_insert_with("default", || {
        object! {
            "description" => "An error, as the API's error object",
            "content" => object! {
                "application/json" => object! { "schema" => schema_ref(&api.conventions.error.name) },
            },
        }
    });
    members.push("responses", responses);
    Json::Object(members)
}

/// The `content` of an error answer of type `ty`.
fn error_content<'a>(api: &'a Api, ty: crate::ir::TypeId) -> Json<'a> {
    object! {
        "application/json" => object! { "schema" => schema_ref(&api.type_def(ty).name) },
    }
}

fn parameter_object<'a>(place: &'a str, parameter: &'a Parameter) -> Json<'a> {
    // A path parameter is one whole segment: it cannot be empty, and "." and ".." would be
    // removed from the URL on the way (the client refuses all three).
    let schema = if place == "path" {
        object! {
            "type" => "string",
            "minLength" => 1i64,
            "not" => object! { "enum" => array![".", ".."] },
        }
    } else {
        object! { "type" => "string" }
    };
    let mut members = Object::default();
    members.push("name", &parameter.wire_name);
    members.push("in", place);
    members.push("required", place == "path" || parameter.required);
    members.push("schema", schema);
    if let Some(doc) = &parameter.doc {
        members.push("description", doc);
    }
    Json::Object(members)
}
