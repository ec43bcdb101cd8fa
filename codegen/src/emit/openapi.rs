//! The OpenAPI 3.1 document of the whole model: every deduplicated type is one shared component,
//! every operation one path item entry, tagged with its group. Written to
//! `generated/openapi.json` and served by the server stub at `/openapi.json`. (This emitter
//! builds JSON as its output; like the others, it reads only the IR.)

use serde_json::{json, Map, Value};

use crate::ir::{Api, Field, Operation, Parameter, TypeDef, TypeKind, TypeRef};
use crate::render::JSON_MARKER;

/// The document, pretty-printed, opening with the generator's marker.
pub fn emit_openapi(api: &Api) -> String {
    let mut schemas = Map::new();
    for type_def in api.types.values() {
        schemas.insert(type_def.name.clone(), type_schema(api, type_def));
    }
    schemas.insert("ApiError".to_owned(), api_error_schema());
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
        .map(|group| json!({ "name": group.module.trim_start_matches("r#"), "description": group.titles.join(", ") }))
        .collect();
    let document = json!({
        "x-generated-by": JSON_MARKER,
        "openapi": "3.1.0",
        "info": {
            "title": format!("{} REST API", api.name),
            "version": "0.1.0",
            "description": "Generated from the endpoint descriptions in schemas/ by cargo xtask codegen."
        },
        "tags": tags,
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    });
    let mut res = serde_json::to_string_pretty(&document).unwrap_or_default();
    res.push('\n');
    res
}

fn type_schema(api: &Api, type_def: &TypeDef) -> Value {
    let mut schema = match &type_def.kind {
        TypeKind::Struct { fields } => struct_schema(api, fields),
        TypeKind::Enum { variants, .. } => {
            let values: Vec<&str> = variants
                .iter()
                .map(|variant| variant.wire_name.as_str())
                .collect();
            json!({ "type": "string", "enum": values })
        }
    };
    if let (Some(doc), Value::Object(object)) = (&type_def.doc, &mut schema) {
        object.insert("description".to_owned(), json!(doc));
    }
    schema
}

fn struct_schema(api: &Api, fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for field in fields {
        let mut schema = ty_schema(api, &field.ty);
        if let Value::Object(object) = &mut schema {
            if let Some(doc) = &field.doc {
                object.insert("description".to_owned(), json!(doc));
            }
            if field.secret {
                object.insert("format".to_owned(), json!("password"));
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

fn ty_schema(api: &Api, ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({ "type": "string" }),
        TypeRef::Number => json!({ "type": "number" }),
        TypeRef::Integer => json!({ "type": "integer" }),
        TypeRef::Boolean => json!({ "type": "boolean" }),
        TypeRef::JsonObject => json!({ "type": "object" }),
        TypeRef::Array(items) => json!({ "type": "array", "items": ty_schema(api, items) }),
        TypeRef::Named(id) => {
            json!({ "$ref": format!("#/components/schemas/{}", api.type_def(*id).name) })
        }
    }
}

fn api_error_schema() -> Value {
    json!({
        "type": "object",
        "description": "The error object the API answers with on failure.",
        "properties": {
            "module": { "type": "string" },
            "error_class": { "type": "string" },
            "description": { "type": "string" },
            "stack": { "type": "array", "items": { "type": "string" } },
            "user_visible": { "type": "boolean" },
            "inner": { "$ref": "#/components/schemas/ApiError" }
        }
    })
}

fn operation_object(api: &Api, operation: &Operation) -> Value {
    let mut object = Map::new();
    object.insert(
        "operationId".to_owned(),
        json!(format!(
            "{}_{}",
            operation.group.trim_start_matches("r#"),
            operation.name.trim_start_matches("r#")
        )),
    );
    object.insert(
        "tags".to_owned(),
        json!([operation.group.trim_start_matches("r#")]),
    );
    if let Some(summary) = &operation.summary {
        object.insert("summary".to_owned(), json!(summary));
    }
    let parameters: Vec<Value> = [
        ("path", &operation.path_params),
        ("query", &operation.query_params),
        ("header", &operation.header_params),
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
        object.insert(
            "requestBody".to_owned(),
            json!({ "required": true, "content": { "application/json": { "schema": ty_schema(api, request) } } }),
        );
    }
    let mut responses = Map::new();
    for response in &operation.responses {
        let description = response
            .doc
            .clone()
            .unwrap_or_else(|| "Response".to_owned());
        let mut entry = json!({ "description": description });
        if let Some(body) = &response.body {
            entry["content"] = json!({ "application/json": { "schema": ty_schema(api, body) } });
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
    responses.insert(
        "default".to_owned(),
        json!({
            "description": "An error, as the API's error object",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApiError" } } }
        }),
    );
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
