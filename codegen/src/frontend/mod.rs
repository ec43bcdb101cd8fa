//! Frontend: parses endpoint files (the JSON form of one reference page each) and validates them
//! as it goes. It accepts exactly the schema vocabulary the reference pages use and reports every
//! problem of a file at once, each with its JSON pointer and a hint. Nothing after this phase sees
//! `serde_json::Value`.

use serde_json::{Map, Value};

use crate::corrections::Corrections;
use crate::diagnostics::{Diagnostics, Location};
use crate::ir::PathTemplate;

pub mod openapi;

/// How deep schemas may nest before the input is rejected (the reference pages stay below 10).
const MAX_DEPTH: usize = 64;

/// The largest endpoint file read, in bytes: 16 MiB (the largest published page makes an 85 KB
/// file). A caller may pass only the first `MAX_FILE_BYTES + 1` bytes of a larger file.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// One endpoint file: a path and what each HTTP method does there.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The file this came from.
    pub file: String,
    /// The endpoint path, for example `/v1/auth/access-tokens/{id}`.
    pub path: String,
    /// The reference's category, for example `Access Tokens`.
    pub category: Option<String>,
    /// The category's titles where the input gives them apart from `category` (an OpenAPI
    /// tag's `x-categories` or `x-displayName`); else the category is its own title.
    pub titles: Vec<String>,
    /// The methods, in the order the file lists them.
    pub methods: Vec<MethodSpec>,
}

/// An HTTP method the generator supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "patch" => Method::Patch,
            "delete" => Method::Delete,
            _ => return None,
        })
    }

    /// The upper-case wire name, `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One method of an endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSpec {
    /// The HTTP method.
    pub method: Method,
    /// Where it is in its file, for diagnostics.
    pub location: Location,
    /// The one-line summary.
    pub summary: Option<String>,
    /// The documented parameters (path, query and header alike).
    pub parameters: Vec<ParameterSpec>,
    /// The documented response codes.
    pub responses: Vec<ResponseSpec>,
    /// The error responses whose body has a type of its own (not the API's error object), in
    /// document order.
    pub errors: Vec<ErrorSpec>,
    /// The name the input gives the operation (OpenAPI's `operationId`), if any.
    pub operation_id: Option<String>,
    /// Whether the input marks the operation deprecated (OpenAPI's `deprecated`).
    pub deprecated: bool,
    /// The request body schema, if any.
    pub request: Option<Schema>,
    /// How the request body is written, when it is not JSON (or bytes, which the request
    /// schema says).
    pub request_kind: RequestKind,
    /// Whether the request body may be left out (OpenAPI's `requestBody.required: false`).
    pub request_optional: bool,
    /// The success response schema, if any.
    pub response: Option<Schema>,
    /// What a success response without a schema carries, when the input says (OpenAPI does);
    /// `None` leaves it to the method (the reference pages' convention).
    pub untyped_response: Option<Untyped>,
}

/// What a success response without a schema carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untyped {
    /// No body.
    Nothing,
    /// The JSON `null` (Dropshot's answer without content: `{"enum": [null]}`).
    Null,
    /// Any JSON value (`{}`).
    Json,
}

/// A parameter as the input lists it. The reference pages give neither its place nor its type
/// (the place is inferred from the path and the name, the type is a string); OpenAPI gives both.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSpec {
    /// The parameter name, as the path or query spells it.
    pub name: String,
    /// The description, as the input gives it.
    pub description: Option<String>,
    /// Whether it must be present.
    pub required: bool,
    /// Where it is in its file, for diagnostics.
    pub location: Location,
    /// Where the request carries it, when the input says.
    pub place: Option<Place>,
    /// Its schema, when the input gives one.
    pub schema: Option<Schema>,
}

/// Where a request carries a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie (of the `Cookie` header).
    Cookie,
}

/// A documented response code.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSpec {
    /// The status code.
    pub code: u16,
    /// The description, as the input gives it.
    pub description: Option<String>,
    /// This success status's own body, where it differs from the first success's (OpenAPI: a
    /// `201` and a `202` of different types); `None` otherwise and for endpoint files.
    pub schema: Option<Schema>,
}

/// An error response whose body has a type of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorSpec {
    /// The statuses it is for.
    pub status: crate::ir::ErrorStatus,
    /// The description, as the input gives it.
    pub description: Option<String>,
    /// The body's schema.
    pub schema: Schema,
}

/// A validated JSON Schema node.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Where it is in its file, for diagnostics.
    pub location: Location,
    /// The description, as the input gives it.
    pub description: Option<String>,
    /// What the schema describes.
    pub kind: SchemaKind,
    /// The component this schema is (an OpenAPI `$ref`'d schema), if any.
    pub component: Option<Component>,
    /// Whether `null` is allowed as well (OpenAPI's `nullable`, or `null` among the types).
    pub nullable: bool,
    /// The regular expression a string matches (OpenAPI's `pattern`): not enforced; the
    /// conformance crate's examples follow it.
    pub pattern: Option<String>,
}

impl Schema {
    /// A schema at `location` with no description, name or `null`.
    pub fn new(location: Location, kind: SchemaKind) -> Schema {
        Schema {
            location,
            description: None,
            kind,
            component: None,
            nullable: false,
            pattern: None,
        }
    }

    /// Raw bytes: `{"type": "string", "format": "binary"}` (an octet-stream body, or what a
    /// correction writes for the endpoints the pages describe as objects).
    pub fn is_binary(&self) -> bool {
        matches!(&self.kind, SchemaKind::String { format: Some(format), values: None } if format == "binary")
    }
}

/// A named schema of the input (an OpenAPI component).
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Its name: the best name its type can take.
    pub name: String,
    /// Its own description (a use of it may describe that use otherwise): the type's.
    pub description: Option<String>,
    /// Whether it contains itself (its schema holds [`SchemaKind::Recursive`] references to it).
    pub recursive: bool,
}

/// The shapes the reference pages use.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    /// An object with declared properties, in schema order.
    Object {
        /// The properties, in input order.
        properties: Vec<Property>,
    },
    /// An object without declared properties: any JSON object.
    FreeObject,
    /// Any JSON value (an OpenAPI schema without a type).
    Any,
    /// A reference back to a component that contains it: a recursive type. The component's
    /// schema is in the document's registry ([`openapi::Document::recursive`]).
    Recursive {
        /// The component's name.
        component: String,
    },
    /// A JSON array.
    Array {
        /// The schema of every item.
        items: Box<Schema>,
    },
    /// A JSON object with any keys and values of one schema (OpenAPI `additionalProperties`).
    Map {
        /// The schema of every value.
        values: Box<Schema>,
    },
    /// One of several values: told apart by a name (the string value of a property, or the key
    /// of a one-member object or a string alone), or by what they read as (untagged).
    Union {
        /// How the JSON says which variant it is.
        form: crate::ir::UnionForm,
        /// The variants, in input order.
        variants: Vec<UnionVariant>,
    },
    /// A JSON string.
    String {
        /// The `format` (`date-time`, `password`, `byte`, `binary`, ...).
        format: Option<String>,
        /// The `enum` values, when it is an enum.
        values: Option<Vec<String>>,
    },
    /// A JSON number (integer or fraction).
    Number,
    /// A JSON integer; `unsigned` when its format says it may exceed `i64` (`uint64`).
    Integer {
        /// Whether the values are unsigned 64-bit integers.
        unsigned: bool,
    },
    /// `true` or `false`.
    Boolean,
}

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// JSON of the request schema (or raw bytes, when the schema is `format: binary`).
    Json,
    /// A form of the request schema's properties, `application/x-www-form-urlencoded`.
    Form,
    /// Text, `text/plain`.
    Text,
}

/// One variant of a [`SchemaKind::Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The tag's value.
    pub value: String,
    /// The description of the variant.
    pub description: Option<String>,
    /// The variant's object without the tag property (internally tagged) or the key's value
    /// (externally tagged); `None` when the name is all it has.
    pub schema: Option<Schema>,
}

/// A property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The property name, as JSON spells it.
    pub name: String,
    /// Whether the object must have it.
    pub required: bool,
    /// Its schema.
    pub schema: Schema,
}

/// Parses and validates one endpoint file. Every problem in it is reported.
#[cfg(test)]
pub fn parse_endpoint(file: &str, bytes: &[u8]) -> Result<Endpoint, Diagnostics> {
    parse_corrected_endpoint(file, bytes, &Corrections::default())
}

/// Parses one endpoint file, applies its `corrections` to the JSON, then validates the result.
/// A correction that no longer applies is reported with the file's other problems.
pub fn parse_corrected_endpoint(
    file: &str,
    bytes: &[u8],
    corrections: &Corrections,
) -> Result<Endpoint, Diagnostics> {
    let text = input_text(
        file,
        bytes,
        "the file is larger than 16 MiB, far larger than any endpoint description",
        "check that this is the file you meant; an endpoint file describes one path",
    )?;
    let root = Location::root(file);
    let mut diagnostics = Diagnostics::default();
    if text.trim().is_empty() {
        diagnostics.error(
            &root,
            "the file is empty",
            "write an endpoint description, or delete the file",
        );
        return Err(diagnostics);
    }
    let mut value = parse_json(file, text)?;
    corrections.apply(file, &mut value, &mut diagnostics);
    let endpoint = parse_endpoint_value(&mut diagnostics, &root, &value);
    diagnostics.finish(endpoint)
}

fn parse_endpoint_value(diagnostics: &mut Diagnostics, root: &Location, value: &Value) -> Endpoint {
    let mut endpoint = Endpoint {
        file: root.file.clone(),
        path: String::new(),
        category: None,
        titles: Vec::new(),
        methods: Vec::new(),
    };
    let Some(object) = expect_object(diagnostics, root, value, "an endpoint file") else {
        return endpoint;
    };
    check_keys(
        diagnostics,
        root,
        object,
        &["endpoint", "category", "methods"],
    );
    endpoint.path = parse_path(diagnostics, root, object.get("endpoint"));
    endpoint.category = optional_string(diagnostics, root, object, "category");
    let methods_at = root.child("methods");
    match object.get("methods") {
        Some(Value::Object(methods)) if !methods.is_empty() => {
            for (name, spec) in methods {
                let at = methods_at.child(name);
                if let Some(method) = parse_method(diagnostics, &at, name, spec, &endpoint.path) {
                    endpoint.methods.push(method);
                }
            }
        }
        Some(_) => diagnostics.error(
            &methods_at,
            "`methods` must be a non-empty object keyed by HTTP method",
            "write `\"methods\": { \"get\": { ... } }`",
        ),
        None => diagnostics.error(
            root,
            "missing `methods`",
            "add `\"methods\": { \"get\": { ... } }` describing each HTTP method of the endpoint",
        ),
    }
    endpoint
}

fn parse_path(diagnostics: &mut Diagnostics, root: &Location, value: Option<&Value>) -> String {
    let at = root.child("endpoint");
    match value {
        Some(Value::String(path)) => match PathTemplate::parse(path) {
            Ok(_) => path.clone(),
            Err(reason) => {
                diagnostics.error(
                    &at,
                    format!("`endpoint` `{path}` is not a path template: {reason}"),
                    "write the path as the reference page shows it, e.g. `/v1/auth/access-tokens/{id}`; \
                     a parameter inside a segment (`{id}.json`) cannot be routed by the generated server",
                );
                String::new()
            }
        },
        Some(_) => {
            diagnostics.error(
                &at,
                "`endpoint` must be a path starting with `/`, with parameters written `{name}`",
                "write the path as the reference page shows it, e.g. `/v1/auth/access-tokens/{id}`",
            );
            String::new()
        }
        None => {
            diagnostics.error(
                root,
                "missing `endpoint`",
                "add `\"endpoint\": \"/v1/...\"` with the endpoint path",
            );
            String::new()
        }
    }
}

/// An input file's text: at most [`MAX_FILE_BYTES`] (else the error `too_large`, with its
/// hint), UTF-8, and without the byte order mark some editors start files with.
pub(crate) fn input_text<'a>(
    file: &str,
    bytes: &'a [u8],
    too_large: &str,
    hint: &str,
) -> Result<&'a str, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    if bytes.len() > MAX_FILE_BYTES {
        diagnostics.error(&Location::root(file), too_large, hint);
        return Err(diagnostics);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(error) => {
            let at = Location::at_byte(file, bytes, error.valid_up_to());
            diagnostics.error(&at, "the file is not UTF-8", "save it as UTF-8");
            Err(diagnostics)
        }
    }
}

/// JSON text parsed, or the syntax error at its line and column.
pub(crate) fn parse_json(file: &str, text: &str) -> Result<Value, Diagnostics> {
    serde_json::from_str(text).map_err(|error| {
        let mut diagnostics = Diagnostics::default();
        let full = error.to_string();
        diagnostics.error(
            &Location::line_column(file, error.line(), error.column()),
            format!(
                "not valid JSON: {}",
                full.split(" at line ").next().unwrap_or(&full)
            ),
            "fix the JSON syntax at that line and column",
        );
        diagnostics
    })
}

/// The `{name}` parameters of a path template, in order (none when it does not parse).
pub fn path_parameters(path: &str) -> Vec<String> {
    PathTemplate::parse(path)
        .map(|template| template.params().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn parse_method(
    diagnostics: &mut Diagnostics,
    at: &Location,
    name: &str,
    value: &Value,
    path: &str,
) -> Option<MethodSpec> {
    let Some(method) = Method::parse(name) else {
        diagnostics.error(
            at,
            format!("unknown HTTP method `{name}`"),
            "use one of get, post, put, patch, delete (lowercase)",
        );
        return None;
    };
    let object = expect_object(diagnostics, at, value, "a method description")?;
    let allowed = [
        "summary",
        "parameters",
        "responses",
        "request_schema",
        "response_schema",
    ];
    check_keys(diagnostics, at, object, &allowed);
    let summary = optional_string(diagnostics, at, object, "summary");
    let parameters = parse_parameters(diagnostics, at, object.get("parameters"), path);
    let responses = parse_responses(diagnostics, at, object.get("responses"));
    let request = object
        .get("request_schema")
        .and_then(|schema| parse_schema(diagnostics, &at.child("request_schema"), schema, 0));
    let response = object
        .get("response_schema")
        .and_then(|schema| parse_schema(diagnostics, &at.child("response_schema"), schema, 0));
    Some(MethodSpec {
        method,
        location: at.clone(),
        summary,
        parameters,
        responses,
        errors: Vec::new(),
        operation_id: None,
        deprecated: false,
        request,
        request_kind: RequestKind::Json,
        request_optional: false,
        response,
        untyped_response: None,
    })
}

fn parse_parameters(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: Option<&Value>,
    path: &str,
) -> Vec<ParameterSpec> {
    let at = at.child("parameters");
    let mut parameters: Vec<ParameterSpec> = Vec::new();
    let items = match value {
        None => &Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            diagnostics.error(
                &at,
                "`parameters` must be an array",
                "write `\"parameters\": []`",
            );
            return parameters;
        }
    };
    for (index, item) in items.iter().enumerate() {
        let item_at = at.child(index);
        let Some(parameter) = parse_parameter(diagnostics, &item_at, item) else {
            continue;
        };
        if parameters.iter().any(|seen| seen.name == parameter.name) {
            diagnostics.error(
                &item_at,
                format!("parameter `{}` is listed twice", parameter.name),
                "remove the duplicate entry",
            );
            continue;
        }
        parameters.push(parameter);
    }
    for name in path_parameters(path) {
        match parameters.iter().find(|parameter| parameter.name == name) {
            None => diagnostics.error(
                &at,
                format!("the path has `{{{name}}}` but no parameter `{name}` is listed"),
                format!("add `{{\"name\": \"{name}\", \"required\": true}}` to `parameters`"),
            ),
            Some(parameter) if !parameter.required => diagnostics.error(
                &parameter.location,
                format!("path parameter `{name}` is marked optional"),
                "set `\"required\": true`: a path segment cannot be left out",
            ),
            Some(_) => {}
        }
    }
    parameters
}

fn parse_parameter(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: &Value,
) -> Option<ParameterSpec> {
    let object = expect_object(diagnostics, at, value, "a parameter")?;
    check_keys(
        diagnostics,
        at,
        object,
        &["name", "description", "required"],
    );
    let name = match object.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
        _ => {
            diagnostics.error(
                at,
                "a parameter needs a non-empty string `name`",
                "add `\"name\": \"...\"`",
            );
            return None;
        }
    };
    let description = optional_string(diagnostics, at, object, "description");
    let required = match object.get("required") {
        None => false,
        Some(Value::Bool(required)) => *required,
        Some(_) => {
            diagnostics.error(
                &at.child("required"),
                "`required` must be true or false",
                "write `true` or `false`",
            );
            false
        }
    };
    Some(ParameterSpec {
        name,
        description,
        required,
        location: at.clone(),
        place: None,
        schema: None,
    })
}

fn parse_responses(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: Option<&Value>,
) -> Vec<ResponseSpec> {
    let at = at.child("responses");
    let Some(value) = value else {
        return Vec::new();
    };
    let Value::Array(items) = value else {
        diagnostics.error(
            &at,
            "`responses` must be an array",
            "write `\"responses\": [{\"code\": \"200\"}]`",
        );
        return Vec::new();
    };
    let mut responses: Vec<ResponseSpec> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_at = at.child(index);
        let Some(object) = expect_object(diagnostics, &item_at, item, "a response") else {
            continue;
        };
        check_keys(diagnostics, &item_at, object, &["code", "description"]);
        let code = match object.get("code") {
            Some(Value::String(code)) => code.parse::<u16>().ok(),
            Some(Value::Number(code)) => code.as_u64().and_then(|code| u16::try_from(code).ok()),
            _ => None,
        };
        let Some(code) = code.filter(|code| (100..=599).contains(code)) else {
            diagnostics.error(
                &item_at.child("code"),
                "a response needs a `code` that is an HTTP status between 100 and 599",
                "write the status as the reference lists it, e.g. `\"code\": \"200\"`",
            );
            continue;
        };
        if responses.iter().any(|seen| seen.code == code) {
            diagnostics.error(
                &item_at,
                format!("response code {code} is listed twice"),
                "remove the duplicate",
            );
            continue;
        }
        let description = optional_string(diagnostics, &item_at, object, "description");
        responses.push(ResponseSpec {
            code,
            description,
            schema: None,
        });
    }
    responses
}

/// Parses one schema node and everything under it.
fn parse_schema(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: &Value,
    depth: usize,
) -> Option<Schema> {
    if depth > MAX_DEPTH {
        diagnostics.error(
            at,
            format!("schemas nest deeper than {MAX_DEPTH} levels"),
            "flatten the schema; no reference page nests this deep",
        );
        return None;
    }
    let object = expect_object(diagnostics, at, value, "a schema")?;
    let allowed = [
        "type",
        "description",
        "properties",
        "required",
        "items",
        "enum",
        "format",
    ];
    check_keys(diagnostics, at, object, &allowed);
    let description = optional_string(diagnostics, at, object, "description");
    let kind = match object.get("type") {
        Some(Value::String(kind)) => parse_schema_kind(diagnostics, at, object, kind, depth)?,
        Some(_) => {
            diagnostics.error(&at.child("type"), "`type` must be a string", TYPE_HINT);
            return None;
        }
        None => {
            diagnostics.error(at, "schema has no `type`", TYPE_HINT);
            return None;
        }
    };
    Some(Schema {
        location: at.clone(),
        description,
        kind,
        component: None,
        nullable: false,
        pattern: None,
    })
}

const TYPE_HINT: &str = "use one of object, array, string, number, integer, boolean";

fn parse_schema_kind(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
    kind: &str,
    depth: usize,
) -> Option<SchemaKind> {
    let only_for = |diagnostics: &mut Diagnostics, key: &str, owner: &str| {
        if object.contains_key(key) {
            diagnostics.error(
                &at.child(key),
                format!("`{key}` is only allowed on {owner} schemas, not on `{kind}`"),
                format!("remove `{key}` or change `type` to {owner}"),
            );
        }
    };
    if kind != "object" {
        only_for(diagnostics, "properties", "object");
        only_for(diagnostics, "required", "object");
    }
    if kind != "array" {
        only_for(diagnostics, "items", "array");
    }
    if kind != "string" {
        only_for(diagnostics, "enum", "string");
        only_for(diagnostics, "format", "string");
    }
    Some(match kind {
        "object" => parse_object(diagnostics, at, object, depth),
        "array" => SchemaKind::Array {
            items: Box::new(parse_items(diagnostics, at, object, depth)?),
        },
        "string" => SchemaKind::String {
            format: optional_string(diagnostics, at, object, "format"),
            values: parse_enum(diagnostics, at, object.get("enum")),
        },
        "number" => SchemaKind::Number,
        "integer" => SchemaKind::Integer { unsigned: false },
        "boolean" => SchemaKind::Boolean,
        other => {
            diagnostics.error(
                &at.child("type"),
                format!("unknown type `{other}`"),
                TYPE_HINT,
            );
            return None;
        }
    })
}

fn parse_items(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
    depth: usize,
) -> Option<Schema> {
    match object.get("items") {
        Some(items) => parse_schema(diagnostics, &at.child("items"), items, depth + 1),
        None => {
            diagnostics.error(
                at,
                "array schema has no `items`",
                "add `\"items\": { \"type\": ... }` describing the elements",
            );
            None
        }
    }
}

fn parse_object(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
    depth: usize,
) -> SchemaKind {
    let required = parse_required(diagnostics, at, object);
    let properties_at = at.child("properties");
    let properties = match object.get("properties") {
        None => return SchemaKind::FreeObject,
        Some(Value::Object(properties)) if properties.is_empty() => return SchemaKind::FreeObject,
        Some(Value::Object(properties)) => properties,
        Some(_) => {
            diagnostics.error(
                &properties_at,
                "`properties` must be an object mapping property names to schemas",
                "write `\"properties\": { \"name\": { \"type\": \"string\" } }`",
            );
            return SchemaKind::FreeObject;
        }
    };
    for name in &required {
        if !properties.contains_key(name) {
            diagnostics.error(
                &at.child("required"),
                format!("`required` names `{name}`, which is not a property"),
                "remove it from `required` or add the property",
            );
        }
    }
    let mut parsed = Vec::new();
    for (name, value) in properties {
        if let Some(schema) =
            parse_schema(diagnostics, &properties_at.child(name), value, depth + 1)
        {
            let required = required.contains(name);
            parsed.push(Property {
                name: name.clone(),
                required,
                schema,
            });
        }
    }
    SchemaKind::Object { properties: parsed }
}

fn parse_required(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
) -> Vec<String> {
    let Some(value) = object.get("required") else {
        return Vec::new();
    };
    match value.as_array().and_then(|items| {
        items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect()
    }) {
        Some(names) => names,
        None => {
            diagnostics.error(
                &at.child("required"),
                "`required` must be an array of property names",
                "write `\"required\": [\"name\"]`",
            );
            Vec::new()
        }
    }
}

fn parse_enum(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: Option<&Value>,
) -> Option<Vec<String>> {
    let value = value?;
    let at = at.child("enum");
    let Value::Array(items) = value else {
        diagnostics.error(
            &at,
            "`enum` must be an array of strings",
            "write `\"enum\": [\"A\", \"B\"]`",
        );
        return None;
    };
    if items.is_empty() {
        diagnostics.error(
            &at,
            "`enum` is empty",
            "list at least one value or remove `enum`",
        );
        return None;
    }
    let mut values: Vec<String> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::String(text) if values.contains(text) => diagnostics.error(
                &at.child(index),
                format!("enum value `{text}` is listed twice"),
                "remove the duplicate",
            ),
            Value::String(text) => values.push(text.clone()),
            other => diagnostics.error(
                &at.child(index),
                format!("enum value {other} is not a string"),
                "string enums only: quote the value",
            ),
        }
    }
    Some(values)
}

fn expect_object<'a>(
    diagnostics: &mut Diagnostics,
    at: &Location,
    value: &'a Value,
    what: &str,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(object) => Some(object),
        _ => {
            diagnostics.error(
                at,
                format!("expected {what} (a JSON object)"),
                "see the input format in README.md",
            );
            None
        }
    }
}

fn optional_string(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
    key: &str,
) -> Option<String> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            diagnostics.error(
                &at.child(key),
                format!("`{key}` must be a string"),
                "quote the value",
            );
            None
        }
    }
}

fn check_keys(
    diagnostics: &mut Diagnostics,
    at: &Location,
    object: &Map<String, Value>,
    allowed: &[&str],
) {
    for key in object.keys() {
        if !allowed.contains(&key.as_str()) {
            diagnostics.error(
                &at.child(key),
                format!("unsupported key `{key}`"),
                format!("the reference format allows only: {}", allowed.join(", ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_an_error() {
        let text = "\u{feff}{\"endpoint\": \"/v1/x\", \"methods\": {\"get\": {}}}";
        assert_eq!(
            parse_endpoint("bom.json", text.as_bytes()).unwrap().path,
            "/v1/x"
        );
    }
}
