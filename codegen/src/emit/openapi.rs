//! The OpenAPI 3.1 document of the whole model: every deduplicated type is one shared component,
//! every operation one path item entry, tagged with its group. Written to
//! the server crate (`generated/<api>-server/openapi.json`) and served by it at `/openapi.json`. (This emitter
//! builds JSON as its output; like the others, it reads only the IR.)

use serde_json::{json, Map, Value};

use crate::ir::{
    Api, Auth, Body, CredentialKind, ErrorFieldKind, ErrorObject, Field, Operation, Parameter,
    TypeDef, TypeKind, TypeRef, UnionForm, UnionVariant,
};
use crate::render::{marker, JSON_MARKER_MEMBER};

/// The document, pretty-printed, opening with the generator's marker.
pub fn emit_openapi(api: &Api) -> String {
    let mut schemas = Map::new();
    for type_def in api.types.values() {
        schemas.insert(type_def.name.clone(), type_schema(api, type_def));
    }
    schemas.insert(
        api.conventions.error.name.clone(),
        api_error_schema(&api.conventions.error),
    );
    let mut paths: Map<String, Value> = Map::new();
    for operation in &api.operations {
        let item = paths
            .entry(operation.path.clone())
            .or_insert_with(|| json!({}));
        if let Value::Object(item) = item {
            item.insert(
                operation.method.as_str().to_ascii_lowercase(),
                operation_object(api, operation),
            );
        }
    }
    let tags: Vec<Value> = api
        .groups
        .iter()
        // `x-categories`: the reference categories the group was made from, which the OpenAPI
        // frontend reads back as the group's titles.
        .map(|group| json!({ "name": group.module.trim_start_matches("r#"), "description": group.titles.join(", "), "x-categories": group.titles }))
        .collect();
    // Each scheme, and the requirements: any one of them.
    let mut schemes = Map::new();
    if api.conventions.auth == Auth::Bearer {
        schemes.insert(
            "bearer".to_owned(),
            json!({ "type": "http", "scheme": "bearer" }),
        );
    }
    for credential in &api.conventions.credentials {
        let mut scheme = match &credential.kind {
            CredentialKind::Basic => json!({ "type": "http", "scheme": "basic" }),
            CredentialKind::Header(name) => {
                json!({ "type": "apiKey", "in": "header", "name": name })
            }
            CredentialKind::Query(name) => json!({ "type": "apiKey", "in": "query", "name": name }),
        };
        if let Some(doc) = &credential.doc {
            scheme["description"] = json!(doc);
        }
        schemes.insert(credential.scheme.clone(), scheme);
    }
    let security = (!schemes.is_empty()).then(|| {
        let requirements: Vec<Value> = schemes.keys().map(|name| json!({ name: [] })).collect();
        (requirements, schemes)
    });
    let document = json!({
        // The writer recognises its files by this first member.
        JSON_MARKER_MEMBER: marker(&api.regenerate),
        "openapi": "3.1.0",
        "info": {
            "title": format!("{} REST API", api.name),
            "version": api.package.version,
            "description": "Generated from the endpoint descriptions in schemas/ by cargo xtask codegen."
        },
        "tags": tags,
        "security": security.as_ref().map(|(requirements, _)| requirements),
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": security.as_ref().map(|(_, schemes)| schemes),
        }
    });
    // The two large members moved in, in their places (`json!` would copy them).
    let mut document = document;
    document["paths"] = Value::Object(paths);
    document["components"]["schemas"] = Value::Object(schemas);
    // Without authentication neither member is there (removed in place: the order stays).
    if security.is_none() {
        if let Some(members) = document.as_object_mut() {
            members.shift_remove("security");
            if let Some(Value::Object(components)) = members.get_mut("components") {
                components.shift_remove("securitySchemes");
            }
        }
    }
    let mut res = serde_json::to_string_pretty(&document).unwrap_or_default();
    res.push('\n');
    res
}

fn type_schema(api: &Api, type_def: &TypeDef) -> Value {
    let mut schema = match &type_def.kind {
        // Open, as the models are: each variant fixes the tag; the last part admits an object
        // with any other tag (the catch-all variant).
        TypeKind::Union {
            form: UnionForm::Untagged,
            variants,
            ..
        } => {
            // Each variant's schema, in order (the catch-all keeps whatever else arrives).
            let parts: Vec<Value> = variants
                .iter()
                .filter_map(|variant| Some(ty_schema(api, variant.ty.as_ref()?)))
                .collect();
            json!({ "anyOf": parts })
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
            let mut schema =
                json!({ "anyOf": [{ "type": "string", "enum": values }, { "type": "string" }] });
            // Each value's documentation, as Redocly's `x-enumDescriptions` writes it.
            let docs: Map<String, Value> = variants
                .iter()
                .filter_map(|variant| {
                    Some((variant.wire_name.clone(), json!(variant.doc.as_ref()?)))
                })
                .collect();
            if !docs.is_empty() {
                schema["x-enumDescriptions"] = Value::Object(docs);
            }
            schema
        }
    };
    if let (Some(doc), Value::Object(object)) = (&type_def.doc, &mut schema) {
        object.insert("description".to_owned(), json!(doc));
    }
    schema
}

/// A union, open as the models are. Internally tagged: each variant an object that fixes the
/// tag (and holds its struct's properties); the last part admits any other tag. Externally
/// tagged: the unit variants' names, and each other variant a one-member object named after
/// it; the last parts admit any other name.
fn union_schema(api: &Api, tag: Option<&str>, variants: &[UnionVariant]) -> Value {
    let mut parts: Vec<Value> = Vec::new();
    match tag {
        Some(tag) => {
            for variant in variants {
                let mut part = json!({
                    "type": "object",
                    "properties": { tag: { "type": "string", "enum": [variant.wire_name] } },
                    "required": [tag],
                });
                if let Some(ty) = &variant.ty {
                    part["allOf"] = json!([ty_schema(api, ty)]);
                }
                if let Some(doc) = &variant.doc {
                    part["description"] = json!(doc);
                }
                parts.push(part);
            }
            parts.push(json!({
                "type": "object",
                "properties": { tag: { "type": "string" } },
                "required": [tag],
            }));
        }
        None => {
            let units: Vec<&str> = variants
                .iter()
                .filter(|variant| variant.ty.is_none())
                .map(|variant| variant.wire_name.as_str())
                .collect();
            if !units.is_empty() {
                parts.push(json!({ "type": "string", "enum": units }));
            }
            for variant in variants {
                let Some(ty) = &variant.ty else {
                    continue;
                };
                let mut part = json!({
                    "type": "object",
                    "properties": { &variant.wire_name: ty_schema(api, ty) },
                    "required": [variant.wire_name],
                    "additionalProperties": false,
                });
                if let Some(doc) = &variant.doc {
                    part["description"] = json!(doc);
                }
                parts.push(part);
            }
            parts.push(json!({ "type": "string" }));
            parts.push(json!({ "type": "object", "minProperties": 1, "maxProperties": 1 }));
        }
    }
    json!({ "anyOf": parts })
}

fn struct_schema(api: &Api, fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for field in fields {
        let mut schema = field_schema(api, field);
        if let Value::Object(object) = &mut schema {
            if let Some(doc) = &field.doc {
                object.insert("description".to_owned(), json!(doc));
            }
            if field.secret {
                object.insert("format".to_owned(), json!("password"));
            }
            // A string's own format and pattern, as the input gave them (a list's apply to its
            // items, which this leaves out).
            if field.ty == TypeRef::String {
                let format = field
                    .format
                    .as_deref()
                    .filter(|_| !field.secret && !field.base64);
                if let Some(format) = format {
                    object.insert("format".to_owned(), json!(format));
                }
                if let Some(pattern) = &field.pattern {
                    object.insert("pattern".to_owned(), json!(pattern));
                }
            }
            // OpenAPI 3.1 says base64 as JSON Schema does (3.0's `format: byte`).
            if field.base64 {
                object.insert("contentEncoding".to_owned(), json!("base64"));
            }
        }
        properties.insert(field.wire_name.clone(), schema);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.wire_name.as_str())
        .collect();
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// The text a number field also accepts: a JSON number in a string, with at most 20 digits
/// before and after the point and a two-digit exponent (the models' `lenient::is_number_text`).
const NUMBER_TEXT: &str = r"^-?(0|[1-9][0-9]{0,19})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?$";

/// A field's schema, with the leniency of the models declared: a number field also takes its
/// number as text, and an optional field also takes `null` (read as absent).
fn field_schema(api: &Api, field: &Field) -> Value {
    let schema = if field.ty == TypeRef::Number {
        json!({ "anyOf": [{ "type": "number" }, { "type": "string", "pattern": NUMBER_TEXT }] })
    } else {
        ty_schema(api, &field.ty)
    };
    if field.required {
        return schema;
    }
    match schema {
        Value::Object(mut object) if object.get("type").is_some_and(Value::is_string) => {
            let kind = object.remove("type").unwrap_or_default();
            object.insert("type".to_owned(), json!([kind, "null"]));
            Value::Object(object)
        }
        Value::Object(mut object) if object.contains_key("anyOf") => {
            if let Some(Value::Array(options)) = object.get_mut("anyOf") {
                options.push(json!({ "type": "null" }));
            }
            Value::Object(object)
        }
        other => json!({ "anyOf": [other, { "type": "null" }] }),
    }
}

fn ty_schema(api: &Api, ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({ "type": "string" }),
        TypeRef::Number => json!({ "type": "number" }),
        TypeRef::Integer => json!({ "type": "integer" }),
        TypeRef::Boolean => json!({ "type": "boolean" }),
        TypeRef::JsonObject => json!({ "type": "object" }),
        TypeRef::Any => json!({}),
        TypeRef::Array(items) => json!({ "type": "array", "items": ty_schema(api, items) }),
        TypeRef::Map(values) => {
            json!({ "type": "object", "additionalProperties": ty_schema(api, values) })
        }
        TypeRef::Named(id) => {
            json!({ "$ref": format!("#/components/schemas/{}", api.type_def(*id).name) })
        }
        TypeRef::Rust { wire, .. } => ty_schema(api, wire),
    }
}

fn api_error_schema(error: &ErrorObject) -> Value {
    let mut properties = Map::new();
    for field in &error.fields {
        let schema = match field.kind {
            ErrorFieldKind::Text => json!({ "type": "string" }),
            ErrorFieldKind::TextList => json!({ "type": "array", "items": { "type": "string" } }),
            ErrorFieldKind::Flag => json!({ "type": "boolean" }),
            ErrorFieldKind::Integer => json!({ "type": "integer" }),
            ErrorFieldKind::Cause => {
                json!({ "$ref": format!("#/components/schemas/{}", error.name) })
            }
        };
        properties.insert(field.wire_name.clone(), schema);
    }
    json!({
        "type": "object",
        "description": error.doc,
        "properties": properties
    })
}

/// The `content` of a body.
fn content(api: &Api, body: &Body) -> Value {
    match body {
        Body::Json(ty) => json!({ "application/json": { "schema": ty_schema(api, ty) } }),
        Body::UntypedJson => json!({ "application/json": { "schema": {} } }),
        Body::Null => json!({ "application/json": { "schema": { "enum": [null] } } }),
        // A redirect has no content: its `Location` header is written beside (`headers`).
        Body::Location => json!({}),
        Body::Text => json!({ "text/plain": { "schema": { "type": "string" } } }),
        Body::Form(ty) => {
            json!({ "application/x-www-form-urlencoded": { "schema": ty_schema(api, ty) } })
        }
        Body::Bytes => {
            json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } })
        }
    }
}

fn operation_object(api: &Api, operation: &Operation) -> Value {
    let mut object = Map::new();
    object.insert(
        "operationId".to_owned(),
        json!(format!(
            "{}_{}",
            api.module_of(operation).trim_start_matches("r#"),
            operation.name.trim_start_matches("r#")
        )),
    );
    object.insert(
        "tags".to_owned(),
        json!([api.module_of(operation).trim_start_matches("r#")]),
    );
    if let Some(summary) = &operation.summary {
        object.insert("summary".to_owned(), json!(summary));
    }
    let parameters: Vec<Value> = [
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
        object.insert("parameters".to_owned(), json!(parameters));
    }
    if let Some(request) = &operation.request {
        // Raw bytes may be none at all: an empty body is a zero-length upload.
        let required = *request != Body::Bytes && !operation.request_optional;
        object.insert(
            "requestBody".to_owned(),
            json!({ "required": required, "content": content(api, request) }),
        );
    }
    let mut responses = Map::new();
    for response in &operation.responses {
        let description = response
            .doc
            .clone()
            .unwrap_or_else(|| "Response".to_owned());
        let mut entry = json!({ "description": description });
        if response.body == Some(Body::Location) {
            entry["headers"] = json!({ "location": {
                "description": "The URL the answer redirects to",
                "required": true,
                "schema": { "type": "string" }
            } });
        } else if let Some(body) = &response.body {
            entry["content"] = content(api, body);
            if operation.returns_etag() {
                let header = &api.conventions.etag.response;
                entry["headers"] = json!({ header.as_str(): {
                    "description": format!("The entity tag of the value, to send back as `{}`", api.conventions.etag.request),
                    "schema": { "type": "string" }
                } });
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
            json!({ "description": "Success" }),
        );
    }
    for error in &operation.errors {
        let entry = responses
            .entry(error.status.to_string())
            .or_insert_with(|| json!({ "description": "An error" }));
        if let Some(doc) = &error.doc {
            entry["description"] = json!(doc);
        }
        entry["content"] = content(api, &Body::Json(TypeRef::Named(error.ty)));
    }
    responses.entry("default").or_insert_with(|| {
        json!({
            "description": "An error, as the API's error object",
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{}", api.conventions.error.name) } } }
        })
    });
    object.insert("responses".to_owned(), Value::Object(responses));
    Value::Object(object)
}

fn parameter_object(place: &str, parameter: &Parameter) -> Value {
    // A path parameter is one whole segment: it cannot be empty, and "." and ".." would be
    // removed from the URL on the way (the client refuses all three).
    let schema = if place == "path" {
        json!({ "type": "string", "minLength": 1, "not": { "enum": [".", ".."] } })
    } else {
        json!({ "type": "string" })
    };
    let mut object = json!({
        "name": parameter.wire_name,
        "in": place,
        "required": place == "path" || parameter.required,
        "schema": schema
    });
    if let Some(doc) = &parameter.doc {
        object["description"] = json!(doc);
    }
    object
}
