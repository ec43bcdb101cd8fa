//! The OpenAPI frontend: an OpenAPI 3.0.x or 3.1.x document (JSON or YAML) read into the same
//! [`Endpoint`]s the endpoint files give, so that deduplication, naming, the lock and every
//! emitter serve both inputs. It follows local `$ref`s (schemas, parameters, responses, request
//! bodies), keeps component names (a `$ref`'d schema offers its name before any name the
//! lowering would derive), and reports every construct it does not support yet with its JSON
//! pointer: never a panic, never a silently wrong type.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

use super::{
    Component, Endpoint, ErrorSpec, Method, MethodSpec, ParameterSpec, Place, Property,
    RequestKind, ResponseSpec, Schema, SchemaKind, UnionVariant, Untyped, MAX_DEPTH,
};
use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{ErrorStatus, PathTemplate, UnionForm};

/// What an OpenAPI document says beyond its operations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Whether the document's security schemes include HTTP bearer authentication.
    pub bearer: bool,
    /// The first server's URL (variables replaced by their defaults), when it is absolute.
    pub server: Option<String>,
    /// What was left out, for the model's notes (websocket endpoints).
    pub notes: Vec<String>,
    /// The error object the error responses describe, when they describe one.
    pub error_fields: Option<Vec<crate::config::ErrorFieldConfig>>,
    /// The document's `info.title`.
    pub title: Option<String>,
    /// Its security schemes other than bearer: basic authentication and API keys.
    pub schemes: Vec<SecurityScheme>,
}

/// A security scheme the client can be given a credential for (besides bearer tokens).
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name under `components/securitySchemes`.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// How requests carry its credential.
    pub kind: crate::ir::CredentialKind,
}

/// An OpenAPI document as the lowering reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// One endpoint per path and tag, in document order.
    pub endpoints: Vec<Endpoint>,
    /// Authentication and the base URL.
    pub facts: Facts,
    /// The components that contain themselves, by name: what a [`SchemaKind::Recursive`]
    /// reference stands for.
    pub recursive: BTreeMap<String, Schema>,
}

/// Whether `file` is an OpenAPI document rather than an endpoint file: a YAML file, or JSON
/// whose top level has an `openapi` (or `swagger`) member.
pub fn is_openapi(file: &str, bytes: &[u8]) -> bool {
    if file.ends_with(".yaml") || file.ends_with(".yml") {
        return true;
    }
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    // An endpoint file names its endpoint first (as the import writes it), which no OpenAPI
    // document's top level has: told apart without reading the rest.
    if first_key(text) == Some("endpoint") {
        return false;
    }
    // Only the top level's keys are kept; the values are skipped unread.
    serde_json::from_slice::<BTreeMap<String, serde::de::IgnoredAny>>(text)
        .is_ok_and(|top| top.contains_key("openapi") || top.contains_key("swagger"))
}

/// The first key of a JSON object, when it is written without escapes.
fn first_key(text: &[u8]) -> Option<&str> {
    let prefix = &text[..text.len().min(256)];
    let text = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        // Cut inside a character: the part before it.
        Err(error) => std::str::from_utf8(&prefix[..error.valid_up_to()]).ok()?,
    };
    let rest = text
        .trim_start()
        .strip_prefix('{')?
        .trim_start()
        .strip_prefix('"')?;
    let key = &rest[..rest.find('"')?];
    (!key.contains('\\')).then_some(key)
}

/// Parses one OpenAPI document. Every problem in it is reported.
pub fn parse_document(file: &str, bytes: &[u8]) -> Result<Document, Diagnostics> {
    let text = super::input_text(
        file,
        bytes,
        "the document is larger than 16 MiB",
        "split the API into several documents, or raise the limit in the generator",
    )?;
    let mut diagnostics = Diagnostics::default();
    let value = if file.ends_with(".yaml") || file.ends_with(".yml") {
        match read_yaml(&mut diagnostics, file, text) {
            Some(value) => value,
            None => return Err(diagnostics),
        }
    } else {
        super::parse_json(file, text)?
    };
    let mut parser = Parser {
        file: file.to_owned(),
        root: &value,
        diagnostics,
        components: BTreeMap::new(),
        stack: Vec::new(),
        notes: Vec::new(),
        recursive: BTreeMap::new(),
        error_schemas: Vec::new(),
        error_schemas_unreadable: false,
    };
    let mut document = parser.document();
    let (error_fields, error_object) = parser.error_fields();
    document.facts.error_fields = error_fields;
    // The error responses the error object describes are read as it; the others keep their
    // own types.
    if let Some(error_object) = &error_object {
        for spec in document
            .endpoints
            .iter_mut()
            .flat_map(|endpoint| &mut endpoint.methods)
        {
            spec.errors
                .retain(|error| !same_error(&error.schema, error_object));
        }
    }
    document.facts.notes = std::mem::take(&mut parser.notes);
    document.recursive = std::mem::take(&mut parser.recursive)
        .into_iter()
        .filter_map(|(name, schema)| Some((name, schema?)))
        .collect();
    parser.diagnostics.finish(document)
}

/// YAML into the JSON data model: mapping keys become strings (`200:` is the key `"200"`).
fn read_yaml(diagnostics: &mut Diagnostics, file: &str, text: &str) -> Option<Value> {
    let documents = match YamlLoader::load_from_str(text) {
        Ok(documents) => documents,
        Err(error) => {
            let marker = error.marker();
            diagnostics.error(
                &Location::line_column(file, marker.line(), marker.col() + 1),
                format!("not valid YAML: {}", error.info()),
                "fix the YAML at that line and column",
            );
            return None;
        }
    };
    let Some(document) = documents.first() else {
        diagnostics.error(
            &Location::root(file),
            "the document is empty",
            "write an OpenAPI document, or delete the file",
        );
        return None;
    };
    let root = Location::root(file);
    yaml_to_json(diagnostics, &root, document)
}

fn yaml_to_json(diagnostics: &mut Diagnostics, at: &Location, yaml: &Yaml) -> Option<Value> {
    Some(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(value) => Value::Bool(*value),
        Yaml::Integer(value) => Value::Number((*value).into()),
        Yaml::Real(text) => match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(number) => Value::Number(number),
            None => Value::String(text.clone()),
        },
        Yaml::String(text) => Value::String(text.clone()),
        Yaml::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| yaml_to_json(diagnostics, &at.child(index), item))
                .collect(),
        ),
        Yaml::Hash(hash) => {
            let mut object = Map::new();
            for (key, item) in hash {
                let key = match key {
                    Yaml::String(text) | Yaml::Real(text) => text.clone(),
                    Yaml::Integer(number) => number.to_string(),
                    Yaml::Boolean(flag) => flag.to_string(),
                    _ => {
                        diagnostics.error(
                            at,
                            "a mapping key is not a scalar",
                            "OpenAPI keys are strings: write the key as text",
                        );
                        continue;
                    }
                };
                if let Some(value) = yaml_to_json(diagnostics, &at.child(&key), item) {
                    object.insert(key, value);
                }
            }
            Value::Object(object)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            diagnostics.error(
                at,
                "a YAML alias or value that has no JSON form",
                "write the value out in full",
            );
            return None;
        }
    })
}

/// Keywords that describe or validate values without changing their Rust type: accepted and not
/// enforced (as with the endpoint files, validation is the server's).
const ANNOTATIONS: &[&str] = &[
    "title",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "xml",
    "externalDocs",
    "not",
    "$schema",
    "$comment",
    "contentMediaType",
];

/// The schema keywords this frontend reads.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "description",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "format",
    "nullable",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "contentEncoding",
];

const OTHER_METHODS: &[&str] = &["head", "options", "trace"];

struct Parser<'a> {
    file: String,
    root: &'a Value,
    diagnostics: Diagnostics,
    /// Component schemas already read, by name (`None`: it had errors, already reported).
    components: BTreeMap<String, Option<Schema>>,
    /// The components being read, outermost first: a name met again is a recursive type.
    stack: Vec<String>,
    /// What was left out, and why.
    notes: Vec<String>,
    /// The components that contain themselves, with their schemas once read.
    recursive: BTreeMap<String, Option<Schema>>,
    /// The JSON schemas of the error responses.
    error_schemas: Vec<Schema>,
    /// Whether an error response's schema could not be read.
    error_schemas_unreadable: bool,
}

/// An operation before endpoints are assembled: its path, tag and description.
struct Found {
    path: String,
    tag: Option<String>,
    spec: MethodSpec,
}

impl<'a> Parser<'a> {
    fn at(&self, pointer: &str) -> Location {
        Location {
            file: self.file.clone(),
            pointer: pointer.to_owned(),
        }
    }

    fn error(&mut self, at: &Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diagnostics.error(at, message, hint);
    }

    fn document(&mut self) -> Document {
        let root_at = self.at("");
        let mut document = Document {
            endpoints: Vec::new(),
            facts: Facts::default(),
            recursive: BTreeMap::new(),
        };
        let Some(root) = self.object(&root_at, self.root, "an OpenAPI document") else {
            return document;
        };
        match root.get("openapi") {
            Some(Value::String(version))
                if version.starts_with("3.0.") || version.starts_with("3.1.") => {}
            Some(Value::String(version)) => self.error(
                &root_at.child("openapi"),
                format!("OpenAPI {version} is not supported"),
                "convert the document to OpenAPI 3.0 or 3.1",
            ),
            _ if root.contains_key("swagger") => self.error(
                &root_at.child("swagger"),
                "Swagger 2.0 documents are not supported",
                "convert the document to OpenAPI 3 first (for example with swagger2openapi)",
            ),
            _ => self.error(
                &root_at,
                "missing `openapi` version",
                "add `\"openapi\": \"3.0.3\"` (or the 3.x version the document follows)",
            ),
        }
        document.facts = self.facts(root);
        let titles = tag_titles(root);
        let mut found = Vec::new();
        match root.get("paths") {
            Some(Value::Object(paths)) => {
                for (path, item) in paths {
                    let at = root_at.child("paths").child(path);
                    self.path_item(&at, path, item, &mut found);
                }
            }
            Some(_) => self.error(
                &root_at.child("paths"),
                "`paths` must be an object keyed by path",
                "write `\"paths\": { \"/items\": { \"get\": { ... } } }`",
            ),
            None => self.error(
                &root_at,
                "the document has no `paths`",
                "describe at least one operation under `paths`",
            ),
        }
        for operation in found {
            let endpoint = document.endpoints.iter_mut().find(|endpoint| {
                endpoint.path == operation.path && endpoint.category == operation.tag
            });
            match endpoint {
                Some(endpoint) => endpoint.methods.push(operation.spec),
                None => document.endpoints.push(Endpoint {
                    file: self.file.clone(),
                    titles: operation
                        .tag
                        .as_ref()
                        .and_then(|tag| titles.get(tag))
                        .cloned()
                        .unwrap_or_default(),
                    path: operation.path,
                    category: operation.tag,
                    methods: vec![operation.spec],
                }),
            }
        }
        document
    }

    /// Authentication and the base URL.
    fn facts(&mut self, root: &'a Map<String, Value>) -> Facts {
        use crate::ir::CredentialKind;
        let mut bearer = false;
        let mut credentials = Vec::new();
        let schemes = root
            .get("components")
            .and_then(|components| components.get("securitySchemes"))
            .and_then(Value::as_object);
        for (name, scheme) in schemes.into_iter().flatten() {
            let text = |key: &str| scheme.get(key).and_then(Value::as_str);
            let kind = text("type").unwrap_or_default();
            let http = text("scheme").unwrap_or_default().to_ascii_lowercase();
            let key_name = text("name").filter(|key| !key.is_empty());
            let credential = match (kind, http.as_str(), text("in"), key_name) {
                ("http", "bearer", ..) => {
                    bearer = true;
                    continue;
                }
                // Flows that end with a bearer token, which the caller obtains.
                ("oauth2" | "openIdConnect", ..) => {
                    bearer = true;
                    self.notes.push(format!(
                        "security scheme `{name}` ({kind}): the client sends the token you \
                         obtain through the flow as a bearer token (`with_bearer_token`)"
                    ));
                    continue;
                }
                ("http", "basic", ..) => CredentialKind::Basic,
                ("apiKey", _, Some("header"), Some(key)) => CredentialKind::Header(key.to_owned()),
                ("apiKey", _, Some("query"), Some(key)) => CredentialKind::Query(key.to_owned()),
                _ => {
                    // Said, not refused: the crates still work with credentials set by hand.
                    let what = match (kind, text("in")) {
                        ("apiKey", Some(place)) => format!("apiKey in {place}"),
                        ("http", _) => format!("http {http}"),
                        _ => kind.to_owned(),
                    };
                    self.notes.push(format!(
                        "security scheme `{name}` ({what}) is not supported yet: the client sends \
                         no credentials for it (set default headers on your own reqwest::Client)"
                    ));
                    continue;
                }
            };
            credentials.push(SecurityScheme {
                name: name.clone(),
                description: text("description").map(str::to_owned),
                kind: credential,
            });
        }
        let server = root
            .get("servers")
            .and_then(Value::as_array)
            .and_then(|servers| servers.first())
            .and_then(|server| {
                let mut url = server.get("url")?.as_str()?.to_owned();
                if let Some(Value::Object(variables)) = server.get("variables") {
                    for (name, variable) in variables {
                        if let Some(default) = variable.get("default").and_then(Value::as_str) {
                            url = url.replace(&format!("{{{name}}}"), default);
                        }
                    }
                }
                let absolute = url.starts_with("http://") || url.starts_with("https://");
                (absolute && !url.contains('{')).then(|| url.trim_end_matches('/').to_owned())
            });
        let title = root
            .get("info")
            .and_then(|info| info.get("title"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Facts {
            bearer,
            schemes: credentials,
            server,
            notes: Vec::new(),
            error_fields: None,
            title,
        }
    }

    fn path_item(&mut self, at: &Location, path: &str, item: &'a Value, found: &mut Vec<Found>) {
        if let Err(reason) = PathTemplate::parse(path) {
            self.error(
                at,
                format!("path `{path}` is not supported: {reason}"),
                "a parameter inside a segment (`{id}.json`) cannot be routed by the generated \
                 server; give it a segment of its own",
            );
            return;
        }
        let Some((at, item)) = self.follow(at, item, "a path item") else {
            return;
        };
        let Some(object) = self.object(&at, item, "a path item") else {
            return;
        };
        let shared = match object.get("parameters") {
            Some(parameters) => self.parameter_list(&at.child("parameters"), parameters),
            None => Vec::new(),
        };
        let summary = object.get("summary").and_then(Value::as_str);
        for (key, operation) in object {
            let method_at = at.child(key);
            if let Some(method) = Method::parse(key) {
                if let Some(spec) = self.operation(&method_at, path, method, operation, &shared) {
                    let tag = operation
                        .get("tags")
                        .and_then(Value::as_array)
                        .and_then(|tags| tags.first())
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let mut spec = spec;
                    if spec.summary.is_none() {
                        spec.summary = summary.map(str::to_owned);
                    }
                    found.push(Found {
                        path: path.to_owned(),
                        tag,
                        spec,
                    });
                }
            } else if OTHER_METHODS.contains(&key.as_str()) {
                self.error(
                    &method_at,
                    format!("`{key}` operations are not supported yet"),
                    "the generated client and server handle get, put, post, delete and patch",
                );
            } else if !matches!(
                key.as_str(),
                "summary" | "description" | "parameters" | "servers"
            ) && !key.starts_with("x-")
            {
                self.error(
                    &method_at,
                    format!("unknown key `{key}` in a path item"),
                    "a path item holds HTTP methods, `parameters`, `summary`, `description` and `servers`",
                );
            }
        }
    }

    fn operation(
        &mut self,
        at: &Location,
        path: &str,
        method: Method,
        value: &'a Value,
        shared: &[ParameterSpec],
    ) -> Option<MethodSpec> {
        let object = self.object(at, value, "an operation")?;
        if object.contains_key("x-dropshot-websocket") {
            self.notes.push(format!(
                "{} {path} at {at} is a websocket endpoint (`x-dropshot-websocket`), which the \
                 generated client and server do not support yet: left out",
                method.as_str()
            ));
            return None;
        }
        if object.contains_key("callbacks") {
            self.error(
                &at.child("callbacks"),
                "callbacks are not supported yet",
                "leave them out of the document given to the generator",
            );
        }
        let operation_id = match object.get("operationId") {
            None => None,
            Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
            Some(_) => {
                self.error(
                    &at.child("operationId"),
                    "`operationId` must be a non-empty string",
                    "name the operation, or remove `operationId` to have a name derived from the path",
                );
                None
            }
        };
        let summary = object
            .get("summary")
            .or_else(|| object.get("description"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut parameters = shared.to_vec();
        if let Some(own) = object.get("parameters") {
            for parameter in self.parameter_list(&at.child("parameters"), own) {
                // An operation's parameter replaces the path item's of the same name and place.
                parameters
                    .retain(|seen| (&seen.name, seen.place) != (&parameter.name, parameter.place));
                parameters.push(parameter);
            }
        }
        self.check_path_parameters(at, path, &parameters);
        let (request, request_kind, required) = match object.get("requestBody") {
            Some(body) => match self.request_body(&at.child("requestBody"), body) {
                Some((schema, kind, required)) => (Some(schema), kind, required),
                None => (None, RequestKind::Json, false),
            },
            None => (None, RequestKind::Json, false),
        };
        // OpenAPI's default is optional; raw bytes are never left out (an empty body is a
        // zero-length upload).
        let request_optional = request
            .as_ref()
            .is_some_and(|schema| !schema.is_binary() && !required);
        let responses = match object.get("responses") {
            Some(responses) => self.responses(&at.child("responses"), responses),
            None => {
                self.error(
                    at,
                    "the operation has no `responses`",
                    "list at least the success response",
                );
                Responses::default()
            }
        };
        Some(MethodSpec {
            method,
            location: at.clone(),
            summary,
            parameters,
            responses: responses.specs,
            errors: responses.errors,
            operation_id,
            deprecated: object.get("deprecated") == Some(&Value::Bool(true)),
            request,
            request_kind,
            request_optional,
            response: responses.success,
            untyped_response: responses.untyped,
        })
    }

    fn check_path_parameters(&mut self, at: &Location, path: &str, parameters: &[ParameterSpec]) {
        for name in super::path_parameters(path) {
            let found = parameters
                .iter()
                .any(|parameter| parameter.name == name && parameter.place == Some(Place::Path));
            if !found {
                self.error(
                    at,
                    format!("the path has `{{{name}}}` but the operation has no path parameter `{name}`"),
                    format!("add `{{\"name\": \"{name}\", \"in\": \"path\", \"required\": true, \"schema\": {{\"type\": \"string\"}}}}`"),
                );
            }
        }
        for parameter in parameters {
            if parameter.place == Some(Place::Path)
                && !super::path_parameters(path).contains(&parameter.name)
            {
                self.error(
                    &parameter.location,
                    format!(
                        "path parameter `{}` is not in the path `{path}`",
                        parameter.name
                    ),
                    "remove the parameter or add `{name}` to the path",
                );
            }
        }
    }

    fn parameter_list(&mut self, at: &Location, value: &'a Value) -> Vec<ParameterSpec> {
        let Value::Array(items) = value else {
            self.error(
                at,
                "`parameters` must be an array",
                "write `\"parameters\": []`",
            );
            return Vec::new();
        };
        let mut res: Vec<ParameterSpec> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let Some(parameter) = self.parameter(&at.child(index), item) else {
                continue;
            };
            if res
                .iter()
                .any(|seen| seen.name == parameter.name && seen.place == parameter.place)
            {
                self.error(
                    &parameter.location,
                    format!("parameter `{}` is listed twice", parameter.name),
                    "remove the duplicate",
                );
                continue;
            }
            res.push(parameter);
        }
        res
    }

    fn parameter(&mut self, at: &Location, value: &'a Value) -> Option<ParameterSpec> {
        let (at, value) = self.follow(at, value, "a parameter")?;
        let object = self.object(&at, value, "a parameter")?;
        let Some(name) = object.get("name").and_then(Value::as_str) else {
            self.error(
                &at,
                "a parameter needs a string `name`",
                "add `\"name\": \"...\"`",
            );
            return None;
        };
        let place = match object.get("in").and_then(Value::as_str) {
            Some("path") => Place::Path,
            Some("query") => Place::Query,
            Some("header") => Place::Header,
            Some("cookie") => Place::Cookie,
            _ => {
                self.error(
                    &at.child("in"),
                    format!("parameter `{name}` needs `in`: path, query, header or cookie"),
                    "add `\"in\": \"query\"` (or path, header, cookie)",
                );
                return None;
            }
        };
        let required = object
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if place == Place::Path && !required {
            self.error(
                &at,
                format!("path parameter `{name}` is not required"),
                "set `\"required\": true`: a path segment cannot be left out",
            );
        }
        let style = object.get("style").and_then(Value::as_str);
        let default_style = match place {
            Place::Path | Place::Header => "simple",
            Place::Query | Place::Cookie => "form",
        };
        if style.is_some_and(|style| style != default_style) {
            self.error(
                &at.child("style"),
                format!(
                    "parameter style `{}` is not supported yet",
                    style.unwrap_or_default()
                ),
                format!("use the default style of a {place:?} parameter, `{default_style}`")
                    .to_lowercase(),
            );
        }
        if object.contains_key("content") {
            self.error(
                &at.child("content"),
                format!("parameter `{name}` is described by `content`, which is not supported yet"),
                "describe it with `schema`",
            );
            return None;
        }
        if object.get("explode") == Some(&Value::Bool(false)) {
            self.error(
                &at.child("explode"),
                format!("parameter `{name}`: `explode: false` is not supported yet"),
                "send a list as the parameter repeated (the default, `explode: true`)",
            );
        }
        let schema = match object.get("schema") {
            Some(schema) => {
                let schema_at = at.child("schema");
                match one_or_list(schema) {
                    // One value or a list of them: on the query string both are the parameter
                    // repeated, so it is a list.
                    Some(index) => self.schema(
                        &schema_at.child(union_keyword(schema)).child(index),
                        &schema[union_keyword(schema)][index],
                        0,
                    ),
                    None => self.schema(&schema_at, schema, 0),
                }
            }
            None => None,
        };
        if let Some(schema) = &schema {
            self.check_parameter_schema(name, place, schema);
        }
        Some(ParameterSpec {
            name: name.to_owned(),
            description: object
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            required,
            location: at,
            place: Some(place),
            schema,
        })
    }

    /// Parameters are scalars or string enums; a query parameter may also be a list of them.
    fn check_parameter_schema(&mut self, name: &str, place: Place, schema: &Schema) {
        let scalar = |kind: &SchemaKind| {
            matches!(
                kind,
                SchemaKind::String { .. } | SchemaKind::Integer { .. } | SchemaKind::Boolean
            )
        };
        let supported = match &schema.kind {
            // A fraction in a query string is not read leniently yet.
            SchemaKind::Number => place != Place::Query,
            SchemaKind::Array { items } => place == Place::Query && scalar(&items.kind),
            kind => scalar(kind),
        };
        if !supported {
            self.error(
                &schema.location,
                format!("parameter `{name}`: this {place:?} parameter type is not supported yet")
                    .to_lowercase(),
                "parameters are strings, integers, booleans or string enums (path and header \
                 parameters are Rust strings); a query parameter may be a list of them",
            );
        }
    }

    /// A request body's schema, how it is written, and whether it says `required: true`.
    fn request_body(
        &mut self,
        at: &Location,
        value: &'a Value,
    ) -> Option<(Schema, RequestKind, bool)> {
        let (at, value) = self.follow(at, value, "a request body")?;
        let object = self.object(&at, value, "a request body")?;
        let required = object.get("required") == Some(&Value::Bool(true));
        let content = object.get("content").and_then(Value::as_object)?;
        let (schema, kind) = self.request_content(&at.child("content"), content)?;
        Some((schema, kind, required))
    }

    /// A request body's `content`: its schema, and how it is written.
    fn request_content(
        &mut self,
        content_at: &Location,
        content: &'a Map<String, Value>,
    ) -> Option<(Schema, RequestKind)> {
        let json = content.keys().any(|media| is_json(media));
        let form = "application/x-www-form-urlencoded";
        match content.get(form) {
            // A form of an object's properties, each a scalar.
            Some(media_type) if !json => {
                let schema_at = content_at.child(form).child("schema");
                let schema = self.schema(&schema_at, media_type.get("schema")?, 0)?;
                let flat = match &schema.kind {
                    SchemaKind::Object { properties } => properties.iter().all(|property| {
                        matches!(
                            property.schema.kind,
                            SchemaKind::String { .. }
                                | SchemaKind::Integer { .. }
                                | SchemaKind::Number
                                | SchemaKind::Boolean
                        )
                    }),
                    _ => false,
                };
                if !flat {
                    self.error(
                        &schema_at,
                        "a form body is an object of scalar properties; this one is not",
                        "describe the form as an object whose properties are strings, numbers or booleans",
                    );
                    return None;
                }
                Some((schema, RequestKind::Form))
            }
            // Text, when nothing else is offered.
            _ if content.len() == 1 && content.contains_key("text/plain") => Some((
                Schema::new(
                    content_at.child("text/plain"),
                    SchemaKind::String {
                        format: None,
                        values: None,
                    },
                ),
                RequestKind::Text,
            )),
            _ => match self.content(content_at, content, "request") {
                Content::Typed(schema) => Some((*schema, RequestKind::Json)),
                Content::Untyped(_) | Content::Unreadable => None,
            },
        }
    }

    /// The body of a request or a success response: JSON, or raw bytes.
    fn content(&mut self, at: &Location, content: &'a Map<String, Value>, what: &str) -> Content {
        let json = content.iter().find(|(media, _)| is_json(media));
        if let Some((media, media_type)) = json {
            let media_at = at.child(media);
            return match media_type.get("schema") {
                // Dropshot's empty answer: the JSON `null`.
                Some(schema) if is_null_schema(schema) => Content::Untyped(Untyped::Null),
                // Any JSON value: nothing to type.
                Some(schema) if is_any_schema(schema) => Content::Untyped(Untyped::Json),
                Some(schema) => match self.schema(&media_at.child("schema"), schema, 0) {
                    Some(schema) => Content::Typed(Box::new(schema)),
                    None => Content::Unreadable,
                },
                None => Content::Untyped(Untyped::Json),
            };
        }
        // Raw bytes, or anything at all.
        if let Some((media, _)) = content
            .iter()
            .find(|(media, _)| matches!(media.as_str(), "application/octet-stream" | "*/*"))
        {
            return Content::Typed(Box::new(Schema::new(
                at.child(media),
                SchemaKind::String {
                    format: Some("binary".to_owned()),
                    values: None,
                },
            )));
        }
        if let Some(media) = content.keys().next() {
            self.error(
                &at.child(media),
                format!("{what} bodies of type `{media}` are not supported yet"),
                "JSON and application/octet-stream bodies are (and for requests, forms and text/plain)",
            );
        }
        Content::Unreadable
    }

    /// The documented responses, the success body's schema, what a success without one
    /// carries, and the error responses' schemas.
    fn responses(&mut self, at: &Location, value: &'a Value) -> Responses {
        let mut res = Responses::default();
        let Some(object) = self.object(at, value, "the responses") else {
            return res;
        };
        let Responses {
            specs,
            success,
            untyped,
            errors,
        } = &mut res;
        // `default` is every status not listed: the success too when none is (Dropshot's
        // free-form answers).
        let default_succeeds = object.contains_key("default")
            && !object
                .keys()
                .any(|code| code.starts_with('2') || code.starts_with('3'));
        for (code, response) in object {
            let response_at = at.child(code);
            if code.starts_with("x-") {
                continue;
            }
            // Errors are the API's error object (`[conventions] error-fields`, else what the
            // document's error responses describe, else problem details).
            let is_range = code.len() == 3 && code[1..].eq_ignore_ascii_case("XX");
            if code == "default" || (is_range && !code.starts_with('2')) {
                let error = self.error_response(&response_at, response);
                if !(code == "default" && default_succeeds) {
                    let status = match code.as_bytes()[0] {
                        digit @ b'1'..=b'5' if is_range => ErrorStatus::Range(digit - b'0'),
                        _ => ErrorStatus::Default,
                    };
                    if let Some((description, schema)) = error {
                        errors.push(ErrorSpec {
                            status,
                            description,
                            schema,
                        });
                    }
                    continue;
                }
            }
            // `2XX` stands for any success (the model's 200).
            let status = match code.as_str() {
                "2XX" | "2xx" | "default" => Some(200),
                _ => code
                    .parse::<u16>()
                    .ok()
                    .filter(|code| (100..=599).contains(code)),
            };
            let Some(status) = status else {
                self.error(
                    &response_at,
                    format!("response code `{code}` is not an HTTP status"),
                    "list each status code (`200`), a range (`4XX`) or `default`",
                );
                continue;
            };
            let raw = response;
            let Some((resolved_at, response)) = self.follow(&response_at, response, "a response")
            else {
                continue;
            };
            let Some(response) = self.object(&resolved_at, response, "a response") else {
                continue;
            };
            specs.push(ResponseSpec {
                code: status,
                description: response
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                schema: None,
            });
            if !(200..300).contains(&status) {
                if status >= 400 {
                    if let Some((description, schema)) = self.error_response(&response_at, raw) {
                        errors.push(ErrorSpec {
                            status: ErrorStatus::Code(status),
                            description,
                            schema,
                        });
                    }
                }
                continue;
            }
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                untyped.get_or_insert(Untyped::Nothing);
                continue;
            };
            let schema = match self.content(&resolved_at.child("content"), content, "response") {
                Content::Typed(schema) => *schema,
                Content::Untyped(kind) => {
                    untyped.get_or_insert(kind);
                    continue;
                }
                Content::Unreadable => continue,
            };
            match &success {
                None => *success = Some(schema),
                Some(first) if same_schema(first, &schema) => {}
                // Another JSON type for this status: the answer is typed by status.
                Some(first) if !first.is_binary() && !schema.is_binary() => {
                    if let Some(spec) = specs.last_mut() {
                        spec.schema = Some(schema);
                    }
                }
                Some(first) => {
                    let first = first.location.clone();
                    self.error(
                        &schema.location,
                        format!("a second success response with a different kind of body than at {first}"),
                        "give the 2xx responses of an operation JSON bodies (each its own type), or one body",
                    );
                }
            }
        }
        res
    }

    /// Records the JSON schema of an error response, from which the error object is derived,
    /// and returns it with the response's description. Its problems are not the document's:
    /// an error schema this frontend cannot read leaves the error object to the default, with
    /// a note.
    fn error_response(
        &mut self,
        at: &Location,
        response: &'a Value,
    ) -> Option<(Option<String>, Schema)> {
        let outer = std::mem::take(&mut self.diagnostics);
        let read = self
            .follow(at, response, "a response")
            .and_then(|(at, response)| {
                let description = response
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let content = response.get("content")?.as_object()?;
                let (media, media_type) = content.iter().find(|(media, _)| is_json(media))?;
                let schema = media_type.get("schema")?;
                let schema =
                    self.schema(&at.child("content").child(media).child("schema"), schema, 0)?;
                Some((description, schema))
            });
        let problems = std::mem::replace(&mut self.diagnostics, outer);
        match read {
            Some((description, schema)) if problems.is_empty() => {
                self.error_schemas.push(schema.clone());
                Some((description, schema))
            }
            Some(_) => {
                self.error_schemas_unreadable = true;
                None
            }
            None => None,
        }
    }

    /// The error object the document's error responses describe: the object most of them
    /// describe, when its fields are ones the error object can hold (text, lists of text,
    /// flags, integers). Returns its fields and its schema; the error responses of another
    /// schema keep a type of their own.
    fn error_fields(&mut self) -> (Option<Vec<crate::config::ErrorFieldConfig>>, Option<Schema>) {
        // The schemas told apart, each with how many responses describe it, in document order.
        let mut kinds: Vec<(&Schema, usize)> = Vec::new();
        for schema in &self.error_schemas {
            match kinds.iter_mut().find(|(kind, _)| same_error(kind, schema)) {
                Some((_, count)) => *count += 1,
                None => kinds.push((schema, 1)),
            }
        }
        if kinds.is_empty() {
            return (None, None);
        }
        if kinds.len() == 1 && self.error_schemas_unreadable {
            self.notes.push(
                "the error responses do not all describe one object: the error object is \
                 RFC 9457 problem details (set `[conventions] error-fields` to describe it)"
                    .to_owned(),
            );
            return (None, None);
        }
        // Most responses first; the first in the document among equals (a stable sort).
        let mut ranked = kinds.clone();
        ranked.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        let mut refused = Vec::new();
        let chosen = ranked
            .iter()
            .find_map(|(schema, _)| match error_object_fields(schema) {
                Ok(fields) => Some((fields, (*schema).clone())),
                Err(why) => {
                    refused.push(why);
                    None
                }
            });
        let several = kinds.len() > 1;
        match chosen {
            Some((fields, schema)) => {
                if several {
                    self.notes.push(format!(
                        "the error responses describe {} objects: the error object is the one \
                         most of them describe ({}); the others are types of their own \
                         (`errors::Declared` in the models crate)",
                        kinds.len(),
                        error_schema_name(&schema),
                    ));
                }
                (Some(with_roles(fields)), Some(schema))
            }
            None => {
                let why = if several {
                    "the error responses do not all describe one object".to_owned()
                } else {
                    refused.join("; ")
                };
                self.notes.push(format!(
                    "{why}: the error object is RFC 9457 problem details (set `[conventions] \
                     error-fields` to describe it); the error responses' own types are kept \
                     (`errors::Declared` in the models crate)"
                ));
                (None, None)
            }
        }
    }

    /// Follows a `$ref` (local only) to what it names.
    fn follow(
        &mut self,
        at: &Location,
        value: &'a Value,
        what: &str,
    ) -> Option<(Location, &'a Value)> {
        let mut at = at.clone();
        let mut value = value;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = value.get("$ref") else {
                return Some((at, value));
            };
            let (target_at, target) = self.resolve(&at, reference)?;
            at = target_at;
            value = target;
        }
        self.error(
            &at,
            format!("{what}: `$ref`s refer to each other in a loop"),
            "make one of them concrete",
        );
        None
    }

    fn resolve(&mut self, at: &Location, reference: &Value) -> Option<(Location, &'a Value)> {
        let Some(reference) = reference.as_str() else {
            self.error(
                &at.child("$ref"),
                "`$ref` must be a string",
                "write `\"$ref\": \"#/components/...\"`",
            );
            return None;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            self.error(
                &at.child("$ref"),
                format!("`{reference}` refers outside the document, which is not supported"),
                "bundle the document into one file first (for example `redocly bundle`)",
            );
            return None;
        };
        match self.root.pointer(pointer) {
            Some(target) => Some((self.at(pointer), target)),
            None => {
                self.error(
                    &at.child("$ref"),
                    format!("`{reference}` names nothing in the document"),
                    "fix the reference, or add what it names",
                );
                None
            }
        }
    }

    fn object(
        &mut self,
        at: &Location,
        value: &'a Value,
        what: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(object) => Some(object),
            _ => {
                self.error(
                    at,
                    format!("expected {what} (an object)"),
                    "see the OpenAPI specification",
                );
                None
            }
        }
    }

    /// A component schema, read once; a component met again while it is being read is a
    /// recursive type.
    fn component(&mut self, at: &Location, name: &str) -> Option<Schema> {
        if let Some(done) = self.components.get(name) {
            return done.clone();
        }
        // A component met while it is being read contains itself: a reference back to it.
        if self.stack.iter().any(|seen| seen == name) {
            self.recursive.insert(name.to_owned(), None);
            return Some(Schema::new(
                at.clone(),
                SchemaKind::Recursive {
                    component: name.to_owned(),
                },
            ));
        }
        let pointer = format!(
            "/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let Some(value) = self.root.pointer(&pointer) else {
            self.error(
                &at.child("$ref"),
                format!("the component schema `{name}` does not exist"),
                "fix the reference, or add the schema under `components/schemas`",
            );
            return None;
        };
        self.stack.push(name.to_owned());
        let schema = self.schema(&self.at(&pointer), value, 0).map(|mut schema| {
            schema.component = Some(Component {
                name: name.to_owned(),
                description: schema.description.clone(),
                recursive: self.recursive.contains_key(name),
            });
            schema
        });
        self.stack.pop();
        let schema = match schema {
            // A type contains itself through an object's property or a union's variant.
            Some(schema)
                if self.recursive.contains_key(name)
                    && !matches!(
                        schema.kind,
                        SchemaKind::Object { .. } | SchemaKind::Union { .. }
                    ) =>
            {
                self.error(
                    &self.at(&pointer),
                    format!("`{name}` contains itself but is not an object: a type without end"),
                    "make the recursive schema an object whose property refers back to it",
                );
                None
            }
            schema => schema,
        };
        if let Some(slot) = self.recursive.get_mut(name) {
            slot.clone_from(&schema);
        }
        self.components.insert(name.to_owned(), schema.clone());
        schema
    }

    /// Parses one schema node and everything under it.
    fn schema(&mut self, at: &Location, value: &'a Value, depth: usize) -> Option<Schema> {
        if depth > MAX_DEPTH {
            self.error(
                at,
                format!("schemas nest deeper than {MAX_DEPTH} levels"),
                "flatten the schema",
            );
            return None;
        }
        let object = match value {
            Value::Object(object) => object,
            Value::Bool(true) => return Some(Schema::new(at.clone(), SchemaKind::Any)),
            _ => {
                self.error(
                    at,
                    "expected a schema (an object)",
                    "see the OpenAPI specification",
                );
                return None;
            }
        };
        let mut description = object
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(reference) = object.get("$ref") {
            let mut schema = self.reference(at, reference)?;
            // 3.1 allows a description beside `$ref`: it describes this use.
            if description.is_some() {
                schema.description = description;
            }
            schema.nullable |= object.get("nullable") == Some(&Value::Bool(true));
            return Some(schema);
        }
        for key in object.keys() {
            if !SCHEMA_KEYWORDS.contains(&key.as_str())
                && !ANNOTATIONS.contains(&key.as_str())
                && !key.starts_with("x-")
            {
                self.error(
                    &at.child(key),
                    format!("schema keyword `{key}` is not supported"),
                    "remove it, or describe the value with type, properties, items, enum, allOf, oneOf or anyOf",
                );
            }
        }
        let mut nullable = object.get("nullable") == Some(&Value::Bool(true));
        if let Some(Value::Array(parts)) = object.get("allOf") {
            return self
                .all_of(at, object, parts, depth)
                .map(|schema| described(schema, description, nullable));
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(parts)) = object.get(keyword) {
                let mut schema = described(
                    self.union(&at.child(keyword), object, parts, depth)?,
                    description,
                    nullable,
                );
                if matches!(
                    schema.kind,
                    SchemaKind::String {
                        values: Some(_),
                        ..
                    }
                ) {
                    described_values(&mut schema.description, object);
                }
                return Some(schema);
            }
        }
        let ty = match object.get("type") {
            Some(Value::String(ty)) => Some(ty.as_str()),
            Some(Value::Array(types)) => {
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                nullable |= names.contains(&"null");
                let rest: Vec<&str> = names.into_iter().filter(|ty| *ty != "null").collect();
                match rest.as_slice() {
                    [one] => Some(*one),
                    _ => {
                        self.error(
                            &at.child("type"),
                            "a schema of several types is not supported yet",
                            "give the schema one type (and `null` when it may be null)",
                        );
                        return None;
                    }
                }
            }
            Some(_) => {
                self.error(&at.child("type"), "`type` must be a string", TYPE_HINT);
                return None;
            }
            None if object.contains_key("properties") => Some("object"),
            None if object.contains_key("items") => Some("array"),
            None if object.contains_key("enum") || object.contains_key("const") => Some("string"),
            None => None,
        };
        let kind = match ty {
            Some("object") => self.object_schema(at, object, depth)?,
            Some("array") => {
                let Some(items) = object.get("items") else {
                    self.error(
                        at,
                        "array schema has no `items`",
                        "add `\"items\": { ... }`",
                    );
                    return None;
                };
                SchemaKind::Array {
                    items: Box::new(self.schema(&at.child("items"), items, depth + 1)?),
                }
            }
            Some("string") => {
                let (values, null_listed) = self.enum_values(at, object)?;
                nullable |= null_listed;
                if values.is_some() {
                    described_values(&mut description, object);
                }
                // 3.1 writes base64 text as `contentEncoding`, 3.0 as `format: byte`.
                let base64 =
                    object.get("contentEncoding").and_then(Value::as_str) == Some("base64");
                SchemaKind::String {
                    format: object
                        .get("format")
                        .and_then(Value::as_str)
                        .or(base64.then_some("byte"))
                        .map(str::to_owned),
                    values,
                }
            }
            Some("integer") => SchemaKind::Integer {
                unsigned: matches!(
                    object.get("format").and_then(Value::as_str),
                    Some("uint64" | "uint")
                ),
            },
            Some("number") => SchemaKind::Number,
            Some("boolean") => SchemaKind::Boolean,
            Some("null") => {
                self.error(
                    at,
                    "a schema that is only `null` is not supported",
                    "give the value a type",
                );
                return None;
            }
            Some(other) => {
                self.error(
                    &at.child("type"),
                    format!("unknown type `{other}`"),
                    TYPE_HINT,
                );
                return None;
            }
            // No type and nothing that implies one: any JSON value.
            None => SchemaKind::Any,
        };
        // A number or flag of a few values is that type; its values are said in its docs.
        if let (
            SchemaKind::Integer { .. } | SchemaKind::Number | SchemaKind::Boolean,
            Some(Value::Array(values)),
        ) = (&kind, object.get("enum"))
        {
            let values: Vec<String> = values
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| format!("`{value}`"))
                .collect();
            let values = format!("One of {}.", values.join(", "));
            description = Some(match description.take() {
                Some(text) if !text.trim().is_empty() => format!("{}\n\n{values}", text.trim_end()),
                _ => values,
            });
        }
        let pattern = match kind {
            SchemaKind::String { values: None, .. } => object
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        };
        Some(Schema {
            location: at.clone(),
            description,
            kind,
            component: None,
            nullable,
            pattern,
        })
    }

    fn reference(&mut self, at: &Location, reference: &Value) -> Option<Schema> {
        if let Some(name) = reference
            .as_str()
            .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
            .filter(|name| !name.contains('/'))
        {
            let name = name.replace("~1", "/").replace("~0", "~");
            return self.component(at, &name);
        }
        let (target_at, target) = self.resolve(at, reference)?;
        self.schema(&target_at, target, 1)
    }

    fn object_schema(
        &mut self,
        at: &Location,
        object: &'a Map<String, Value>,
        depth: usize,
    ) -> Option<SchemaKind> {
        let properties = match object.get("properties") {
            None => None,
            Some(Value::Object(properties)) if properties.is_empty() => None,
            Some(Value::Object(properties)) => Some(properties),
            Some(_) => {
                self.error(
                    &at.child("properties"),
                    "`properties` must be an object mapping names to schemas",
                    "write `\"properties\": { \"name\": { \"type\": \"string\" } }`",
                );
                return None;
            }
        };
        // Beside properties, `additionalProperties: true` (or `{}`) says what an absent keyword
        // says (JSON Schema's default): the struct of the properties, other members ignored, as
        // every struct does.
        match object.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(Value::Object(schema)) if schema.is_empty() => {}
            // A map: any keys, values of one schema.
            Some(values) if properties.is_none() => {
                let values = self.schema(&at.child("additionalProperties"), values, depth + 1)?;
                return Some(SchemaKind::Map {
                    values: Box::new(values),
                });
            }
            Some(_) => {
                self.error(
                    &at.child("additionalProperties"),
                    "an object with both properties and typed additional properties is not supported yet",
                    "remove `additionalProperties`, or the properties",
                );
                return None;
            }
        };
        let Some(properties) = properties else {
            return Some(SchemaKind::FreeObject);
        };
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // A required name that is not a declared property constrains the object's additional
        // properties, which the model does not type; it is not an error here.
        let mut parsed = Vec::new();
        for (name, value) in properties {
            if let Some(mut schema) =
                self.schema(&at.child("properties").child(name), value, depth + 1)
            {
                let flag = |key: &str| value.get(key) == Some(&Value::Bool(true));
                // Present in one direction only: optional in the one type both directions share.
                let one_way = flag("readOnly") || flag("writeOnly");
                annotate(&mut schema.description, value);
                parsed.push(Property {
                    name: name.clone(),
                    required: required.contains(&name.as_str()) && !one_way,
                    schema,
                });
            }
        }
        Some(SchemaKind::Object { properties: parsed })
    }

    /// String enum values, and whether `null` is among them.
    fn enum_values(
        &mut self,
        at: &Location,
        object: &Map<String, Value>,
    ) -> Option<(Option<Vec<String>>, bool)> {
        let items = match (object.get("enum"), object.get("const")) {
            (Some(Value::Array(items)), _) => items.clone(),
            (None, Some(value)) => vec![value.clone()],
            (None, None) => return Some((None, false)),
            (Some(_), _) => {
                self.error(
                    &at.child("enum"),
                    "`enum` must be an array",
                    "write `\"enum\": [\"A\", \"B\"]`",
                );
                return None;
            }
        };
        let mut values: Vec<String> = Vec::new();
        let mut null = false;
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) if !values.contains(text) => values.push(text.clone()),
                Value::String(_) => {}
                Value::Null => null = true,
                other => self.error(
                    &at.child("enum").child(index),
                    format!(
                        "enum value {other} is not a string; only string enums are supported yet"
                    ),
                    "quote the value",
                ),
            }
        }
        if values.is_empty() {
            self.error(
                &at.child("enum"),
                "`enum` lists no string value",
                "list at least one value",
            );
            return None;
        }
        Some((Some(values), null))
    }

    /// `allOf`: one part is that part (3.0 wraps a `$ref` this way to describe it); several
    /// object parts merge into one object.
    fn all_of(
        &mut self,
        at: &Location,
        object: &'a Map<String, Value>,
        parts: &'a [Value],
        depth: usize,
    ) -> Option<Schema> {
        let all_at = at.child("allOf");
        let own_properties = object.contains_key("properties");
        if let ([part], false) = (parts, own_properties) {
            return self.schema(&all_at.child(0), part, depth + 1);
        }
        let mut properties: Vec<Property> = Vec::new();
        let mut ok = true;
        let mut merge = |parser: &mut Self, schema: Schema| match schema.kind {
            SchemaKind::Object { properties: more } => {
                for property in more {
                    if let Some(seen) = properties
                        .iter_mut()
                        .find(|seen| seen.name == property.name)
                    {
                        seen.required |= property.required;
                    } else {
                        properties.push(property);
                    }
                }
                true
            }
            SchemaKind::FreeObject => true,
            _ => {
                parser.error(
                    &schema.location,
                    "`allOf` of a schema that is not an object is not supported",
                    "merge object schemas only",
                );
                false
            }
        };
        for (index, part) in parts.iter().enumerate() {
            match self.schema(&all_at.child(index), part, depth + 1) {
                Some(schema) => ok &= merge(self, schema),
                None => ok = false,
            }
        }
        if own_properties {
            if let Some(kind) = self.object_schema(at, object, depth) {
                let schema = Schema {
                    location: at.clone(),
                    description: None,
                    kind,
                    component: None,
                    nullable: false,
                    pattern: None,
                };
                ok &= merge(self, schema);
            }
        }
        if let Some(Value::Array(names)) = object.get("required") {
            for name in names.iter().filter_map(Value::as_str) {
                if let Some(property) = properties.iter_mut().find(|property| property.name == name)
                {
                    property.required = true;
                }
            }
        }
        ok.then(|| Schema::new(at.clone(), SchemaKind::Object { properties }))
    }

    /// `oneOf` / `anyOf`: a schema or `null` is that schema, nullable; a string enum or any
    /// string is the (always open) enum. Other unions are not supported yet.
    fn union(
        &mut self,
        at: &Location,
        object: &'a Map<String, Value>,
        parts: &'a [Value],
        depth: usize,
    ) -> Option<Schema> {
        let values: Vec<&Value> = parts.iter().filter(|part| !is_null_schema(part)).collect();
        if is_lenient_number(&values) {
            let (index, number) = parts.iter().enumerate().find(|(_, part)| {
                matches!(
                    part.get("type").and_then(Value::as_str),
                    Some("number" | "integer")
                )
            })?;
            let mut schema = self.schema(&at.child(index), number, depth + 1)?;
            schema.nullable |= values.len() < parts.len();
            return Some(schema);
        }
        let mut nullable = false;
        let mut schemas = Vec::new();
        // Each part's `$ref`, which a discriminator's mapping names it by.
        let mut refs = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            if is_null_schema(part) {
                nullable = true;
                continue;
            }
            schemas.push(self.schema(&at.child(index), part, depth + 1)?);
            refs.push((part.get("$ref").and_then(Value::as_str), at.child(index)));
        }
        let mut schema = match schemas.as_slice() {
            [one] => one.clone(),
            [enumeration @ Schema {
                kind: SchemaKind::String {
                    values: Some(_), ..
                },
                ..
            }, Schema {
                kind:
                    SchemaKind::String {
                        values: None,
                        format: None,
                    },
                ..
            }] => enumeration.clone(),
            // One string enum written as a `oneOf` of its values (one documented value each).
            parts
                if parts.iter().all(|part| {
                    matches!(
                        part.kind,
                        SchemaKind::String {
                            values: Some(_),
                            ..
                        }
                    )
                }) =>
            {
                let mut values: Vec<String> = Vec::new();
                // A part's description documents its value, in the lines the lowering reads.
                let mut docs = String::new();
                for part in parts {
                    if let SchemaKind::String {
                        values: Some(more), ..
                    } = &part.kind
                    {
                        if let ([value], Some(doc)) = (more.as_slice(), &part.description) {
                            docs.push_str(&format!("\n* `{value}` - {}", doc.replace('\n', " ")));
                        }
                        for value in more {
                            if !values.contains(value) {
                                values.push(value.clone());
                            }
                        }
                    }
                }
                Schema {
                    location: at.clone(),
                    description: (!docs.is_empty()).then_some(docs),
                    kind: SchemaKind::String {
                        format: None,
                        values: Some(values),
                    },
                    component: None,
                    nullable: false,
                    pattern: None,
                }
            }
            // Strings of several formats (an IPv4 or an IPv6 network): a string.
            parts
                if parts
                    .iter()
                    .all(|part| matches!(part.kind, SchemaKind::String { values: None, .. })) =>
            {
                Schema::new(
                    at.clone(),
                    SchemaKind::String {
                        format: None,
                        values: None,
                    },
                )
            }
            // Objects of one structure whose strings differ in format only (an IPv4 or an IPv6
            // range): that structure.
            [first, rest @ ..]
                if matches!(first.kind, SchemaKind::Object { .. })
                    && rest
                        .iter()
                        .all(|part| same_structure(&first.kind, &part.kind)) =>
            {
                Schema::new(at.clone(), first.kind.clone())
            }
            parts => Schema {
                location: at.clone(),
                description: None,
                kind: tagged_union(object, parts, &refs)
                    .or_else(|| external_union(parts))
                    .unwrap_or_else(|| untagged_union(parts)),
                component: None,
                nullable: false,
                pattern: None,
            },
        };
        schema.nullable |= nullable;
        Some(schema)
    }
}

/// Whether two schemas describe the same JSON, formats and descriptions aside.
fn same_structure(left: &SchemaKind, right: &SchemaKind) -> bool {
    match (left, right) {
        (SchemaKind::Object { properties: left }, SchemaKind::Object { properties: right }) => {
            left.len() == right.len()
                && left.iter().zip(right).all(|(left, right)| {
                    left.name == right.name
                        && left.required == right.required
                        && left.schema.nullable == right.schema.nullable
                        && same_structure(&left.schema.kind, &right.schema.kind)
                })
        }
        (SchemaKind::Array { items: left }, SchemaKind::Array { items: right })
        | (SchemaKind::Map { values: left }, SchemaKind::Map { values: right }) => {
            same_structure(&left.kind, &right.kind)
        }
        (SchemaKind::String { values: left, .. }, SchemaKind::String { values: right, .. }) => {
            left == right
        }
        (left, right) => {
            std::mem::discriminant(left) == std::mem::discriminant(right)
                && !matches!(left, SchemaKind::Union { .. })
        }
    }
}

/// A union of objects told apart by one property, the tag: with a `discriminator`, its
/// `propertyName` (a part's value from the `mapping`, else its component name, unless the part
/// fixes the value itself); without, the first property that every part requires and fixes to
/// one string. A part that has only the tag, unfixed, is the open remainder this project's
/// export writes, and is left out (every union is open).
fn tagged_union(
    object: &Map<String, Value>,
    parts: &[Schema],
    refs: &[(Option<&str>, Location)],
) -> Option<SchemaKind> {
    let discriminator = object.get("discriminator");
    let property_name = discriminator
        .and_then(|discriminator| discriminator.get("propertyName"))
        .and_then(Value::as_str);
    let mapping = discriminator
        .and_then(|discriminator| discriminator.get("mapping"))
        .and_then(Value::as_object);
    let properties: Vec<&Vec<Property>> = parts
        .iter()
        .map(|part| match &part.kind {
            SchemaKind::Object { properties } => Some(properties),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let fixed = |properties: &[Property], tag: &str| {
        properties
            .iter()
            .find(|property| property.name == tag)
            .and_then(|property| match &property.schema.kind {
                SchemaKind::String {
                    values: Some(values),
                    ..
                } if values.len() == 1 && property.required => Some(values[0].clone()),
                _ => None,
            })
    };
    let candidates: Vec<&str> = match property_name {
        Some(name) => vec![name],
        None => properties
            .first()?
            .iter()
            .map(|property| property.name.as_str())
            .collect(),
    };
    'tags: for tag in candidates {
        let mut variants: Vec<UnionVariant> = Vec::new();
        for ((part, own), (reference, place)) in parts.iter().zip(&properties).zip(refs) {
            let value = fixed(own, tag).or_else(|| {
                property_name?;
                let reference = (*reference)?;
                let mapped = mapping.and_then(|mapping| {
                    mapping
                        .iter()
                        .find(|(_, target)| target.as_str() == Some(reference))
                        .map(|(value, _)| value.clone())
                });
                mapped.or_else(|| {
                    part.component
                        .as_ref()
                        .map(|component| component.name.clone())
                })
            });
            let Some(value) = value else {
                let open_remainder = own.len() == 1 && own[0].name == tag;
                if open_remainder {
                    continue;
                }
                continue 'tags;
            };
            if variants.iter().any(|variant| variant.value == value) {
                continue 'tags;
            }
            let rest: Vec<Property> = own
                .iter()
                .filter(|property| property.name != tag)
                .cloned()
                .collect();
            variants.push(UnionVariant {
                value,
                description: part.description.clone(),
                // Placed in the union and not the component it may refer to: without its tag it
                // is another object than the component, which may be used on its own as well.
                schema: (!rest.is_empty()).then(|| Schema {
                    location: place.clone(),
                    description: part.description.clone(),
                    kind: SchemaKind::Object { properties: rest },
                    component: None,
                    nullable: false,
                    pattern: None,
                }),
            });
        }
        if !variants.is_empty() {
            return Some(SchemaKind::Union {
                form: UnionForm::Internal(tag.to_owned()),
                variants,
            });
        }
    }
    None
}

/// A union that nothing in its JSON tells apart: a value is the first part it reads as. Each
/// variant is named after its part's component, else after its kind (`text`, `integer`,
/// `object`...), numbered when two would share a name.
fn untagged_union(parts: &[Schema]) -> SchemaKind {
    let mut names: Vec<String> = Vec::new();
    let variants = parts
        .iter()
        .map(|part| {
            let base = match (&part.component, &part.kind) {
                (Some(component), _) => component.name.clone(),
                (
                    None,
                    SchemaKind::String {
                        values: Some(_), ..
                    },
                ) => "name".to_owned(),
                (None, SchemaKind::String { .. }) => "text".to_owned(),
                (None, SchemaKind::Integer { .. }) => "integer".to_owned(),
                (None, SchemaKind::Number) => "number".to_owned(),
                (None, SchemaKind::Boolean) => "boolean".to_owned(),
                (None, SchemaKind::Array { .. }) => "list".to_owned(),
                (None, SchemaKind::Map { .. }) => "map".to_owned(),
                (None, SchemaKind::Object { .. } | SchemaKind::FreeObject) => "object".to_owned(),
                (None, SchemaKind::Recursive { component }) => component.clone(),
                (None, SchemaKind::Union { .. } | SchemaKind::Any) => "value".to_owned(),
            };
            let name = crate::ident::numbered(&base, |name| names.iter().any(|seen| seen == name));
            names.push(name.clone());
            UnionVariant {
                value: name,
                description: part.description.clone(),
                schema: Some(part.clone()),
            }
        })
        .collect();
    SchemaKind::Union {
        form: UnionForm::Untagged,
        variants,
    }
}

/// A union in serde's default form of an enum: string values (unit variants) and one-member
/// objects whose required member's name is the variant's (its value the variant's data). A
/// plain string part or a free-form object part is the open remainder this project's export
/// writes, and is left out.
fn external_union(parts: &[Schema]) -> Option<SchemaKind> {
    let mut variants: Vec<UnionVariant> = Vec::new();
    let mut with_data = false;
    for part in parts {
        match &part.kind {
            SchemaKind::String {
                values: Some(values),
                ..
            } => {
                for value in values {
                    variants.push(UnionVariant {
                        value: value.clone(),
                        description: (values.len() == 1)
                            .then(|| part.description.clone())
                            .flatten(),
                        schema: None,
                    });
                }
            }
            SchemaKind::Object { properties }
                if properties.len() == 1 && properties[0].required =>
            {
                let member = &properties[0];
                with_data = true;
                variants.push(UnionVariant {
                    value: member.name.clone(),
                    description: part
                        .description
                        .clone()
                        .or_else(|| member.schema.description.clone()),
                    schema: Some(member.schema.clone()),
                });
            }
            SchemaKind::String { values: None, .. } | SchemaKind::FreeObject => {}
            _ => return None,
        }
    }
    let mut names: Vec<&str> = variants
        .iter()
        .map(|variant| variant.value.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    (with_data && names.len() == variants.len()).then_some(SchemaKind::Union {
        form: UnionForm::External,
        variants,
    })
}

/// Each declared tag's titles: its `x-categories` (as this project's export writes them) or its
/// `x-displayName` (Redoc's display name).
fn tag_titles(root: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut res = BTreeMap::new();
    for tag in root
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = tag.get("name").and_then(Value::as_str) else {
            continue;
        };
        let titles: Vec<String> = match (tag.get("x-categories"), tag.get("x-displayName")) {
            (Some(Value::Array(titles)), _) => titles
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            (_, Some(Value::String(title))) => vec![title.clone()],
            _ => continue,
        };
        res.insert(name.to_owned(), titles);
    }
    res
}

/// Each enum value's documentation (`x-enumDescriptions`, a map from value to text) added to
/// the description as the lines the reference pages write (`` * `VALUE` - text ``), which the
/// lowering reads for every input alike.
fn described_values(description: &mut Option<String>, object: &Map<String, Value>) {
    let Some(Value::Object(docs)) = object.get("x-enumDescriptions") else {
        return;
    };
    let mut text = description.take().unwrap_or_default();
    for (value, doc) in docs {
        if let Some(doc) = doc.as_str() {
            text.push_str(&format!("\n* `{value}` - {}", doc.replace('\n', " ")));
        }
    }
    *description = Some(text);
}

/// `oneOf`/`anyOf` of a schema and a list of it: the index of the list part.
fn one_or_list(schema: &Value) -> Option<usize> {
    let parts = schema.get(union_keyword(schema))?.as_array()?;
    let [first, second] = parts.as_slice() else {
        return None;
    };
    let list_of = |list: &Value, item: &Value| {
        list.get("type").and_then(Value::as_str) == Some("array") && list.get("items") == Some(item)
    };
    if list_of(second, first) {
        Some(1)
    } else if list_of(first, second) {
        Some(0)
    } else {
        None
    }
}

/// Adds to a property's documentation what its annotations say that its type does not:
/// `readOnly`, `writeOnly`, `deprecated` and `default`.
fn annotate(description: &mut Option<String>, property: &Value) {
    let flag = |key: &str| property.get(key) == Some(&Value::Bool(true));
    let mut notes = Vec::new();
    if flag("deprecated") {
        notes.push("Deprecated.".to_owned());
    }
    if flag("readOnly") {
        notes.push("Read-only: the server sets it; requests leave it out.".to_owned());
    }
    if flag("writeOnly") {
        notes.push("Write-only: requests send it; answers leave it out.".to_owned());
    }
    if let Some(default) = property.get("default") {
        notes.push(format!("Default: `{default}`."));
    }
    if notes.is_empty() {
        return;
    }
    let notes = notes.join(" ");
    *description = Some(match description.take() {
        Some(text) if !text.trim().is_empty() => format!("{}\n\n{notes}", text.trim_end()),
        _ => notes,
    });
}

/// What a response's or request's `content` holds.
enum Content {
    /// A body of this schema.
    Typed(Box<Schema>),
    /// JSON without a type to give it.
    Untyped(Untyped),
    /// Nothing readable (a diagnostic says why).
    Unreadable,
}

/// Whether two error schemas are one: the same component, or the same structure.
fn same_error(left: &Schema, right: &Schema) -> bool {
    (left.component.is_some() && left.component == right.component)
        || same_structure(&left.kind, &right.kind)
}

/// How a note names an error schema: its component, else where it is.
fn error_schema_name(schema: &Schema) -> String {
    match &schema.component {
        Some(component) => format!("`{}`", component.name),
        None => format!("at {}", schema.location),
    }
}

/// The error object's fields as an error schema gives them, or why it cannot be the error
/// object.
fn error_object_fields(schema: &Schema) -> Result<Vec<crate::config::ErrorFieldConfig>, String> {
    use crate::config::{ErrorFieldConfig, ErrorFieldKindChoice};
    let SchemaKind::Object { properties } = &schema.kind else {
        return Err("the error responses do not all describe one object".to_owned());
    };
    let mut fields = Vec::new();
    for property in properties {
        let kind = match &property.schema.kind {
            SchemaKind::String { .. } => ErrorFieldKindChoice::Text,
            SchemaKind::Integer { unsigned: false } => ErrorFieldKindChoice::Integer,
            SchemaKind::Boolean => ErrorFieldKindChoice::Flag,
            SchemaKind::Array { items } if matches!(items.kind, SchemaKind::String { .. }) => {
                ErrorFieldKindChoice::TextList
            }
            // The error that caused this one: the error object again.
            SchemaKind::Recursive { component }
                if schema
                    .component
                    .as_ref()
                    .is_some_and(|own| own.name == *component) =>
            {
                ErrorFieldKindChoice::Cause
            }
            _ => {
                return Err(format!(
                    "the error responses' property `{}` is not text, a list of text, a flag, \
                     an integer or the error object again",
                    property.name
                ))
            }
        };
        fields.push(ErrorFieldConfig {
            name: property.name.clone(),
            kind,
            role: None,
            doc: property.schema.description.clone(),
        });
    }
    Ok(fields)
}

/// The error object's fields with the roles the runtimes fill.
fn with_roles(
    mut fields: Vec<crate::config::ErrorFieldConfig>,
) -> Vec<crate::config::ErrorFieldConfig> {
    use crate::config::{ErrorFieldKindChoice, ErrorRoleChoice};
    // The runtimes fill the class and the message of the errors they raise: the text
    // fields whose names say so, best first.
    for (role, names) in [
        (
            ErrorRoleChoice::Message,
            &[
                "message",
                "detail",
                "description",
                "error_description",
                "title",
                "msg",
            ][..],
        ),
        (
            ErrorRoleChoice::Class,
            &["error_code", "code", "type", "error", "kind"][..],
        ),
    ] {
        let chosen = names.iter().find_map(|name| {
            fields.iter().position(|field| {
                field.name == *name
                    && field.kind == ErrorFieldKindChoice::Text
                    && field.role.is_none()
            })
        });
        if let Some(index) = chosen {
            fields[index].role = Some(role);
        }
    }
    fields
}

/// What an operation's `responses` say.
#[derive(Default)]
struct Responses {
    /// The documented statuses.
    specs: Vec<ResponseSpec>,
    /// The success body's schema.
    success: Option<Schema>,
    /// What a success without a schema carries.
    untyped: Option<Untyped>,
    /// The error responses with a JSON schema (the error object's among them until
    /// [`Parser::error_fields`] has decided it).
    errors: Vec<ErrorSpec>,
}

/// Which union keyword a schema uses (`oneOf` unless it has `anyOf` only).
fn union_keyword(schema: &Value) -> &'static str {
    if schema.get("oneOf").is_none() && schema.get("anyOf").is_some() {
        "anyOf"
    } else {
        "oneOf"
    }
}

/// `{"type": "null"}` or `{"enum": [null]}`: only `null`.
fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// `{}` (perhaps with a description): any JSON value.
fn is_any_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        object
            .keys()
            .all(|key| matches!(key.as_str(), "description" | "title"))
    })
}

/// `[number, numeric string]` in either order: a number that may arrive as a string (the
/// leniency the model gives every number), as this project's own export writes it.
fn is_lenient_number(parts: &[&Value]) -> bool {
    let kind = |part: &Value| part.get("type").and_then(Value::as_str).map(str::to_owned);
    let numeric = |part: &Value| matches!(kind(part).as_deref(), Some("number" | "integer"));
    let numeric_text = |part: &Value| {
        kind(part).as_deref() == Some("string")
            && part.get("pattern").is_some()
            && part.get("enum").is_none()
    };
    matches!(parts, [a, b] if (numeric(a) && numeric_text(b)) || (numeric_text(a) && numeric(b)))
}

/// `schema` as this use describes it.
fn described(mut schema: Schema, description: Option<String>, nullable: bool) -> Schema {
    if let Some(description) = description {
        // Value lines a `oneOf` of values gave stay after the outer description.
        let values = schema
            .description
            .take()
            .filter(|text| text.starts_with("\n* `"))
            .unwrap_or_default();
        schema.description = Some(description + &values);
    }
    schema.nullable |= nullable;
    schema
}

/// Two body schemas that are one type (the same component, or equal apart from locations).
fn same_schema(left: &Schema, right: &Schema) -> bool {
    left.location == right.location
        || (left.component.is_some() && left.component == right.component)
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence == "application/json" || essence.ends_with("+json")
}

const TYPE_HINT: &str = "use one of object, array, string, number, integer, boolean";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_told_from_endpoint_files() {
        for (file, text, openapi) in [
            ("a.json", r#"{"endpoint": "/v1/x", "methods": {}}"#, false),
            ("a.json", r#"{"methods": {}, "endpoint": "/v1/x"}"#, false),
            ("a.json", r#"{"openapi": "3.0.3", "paths": {}}"#, true),
            // Keys sorted by a tool: `openapi` is not first.
            (
                "a.json",
                r#"{"components": {}, "info": {}, "openapi": "3.1.0"}"#,
                true,
            ),
            ("a.json", "\u{feff}{\"openapi\": \"3.0.0\"}", true),
            ("a.json", r#"{"swagger": "2.0"}"#, true),
            ("a.json", "[1, 2]", false),
            ("a.json", "not json", false),
            ("a.yaml", "anything", true),
            ("a.yml", "anything", true),
        ] {
            assert_eq!(is_openapi(file, text.as_bytes()), openapi, "{text}");
        }
        assert_eq!(first_key(br#" { "endpoint": 1}"#), Some("endpoint"));
        assert_eq!(first_key(br#"{"a\"b": 1}"#), None);
        assert_eq!(first_key(b"[]"), None);
    }

    fn kind(text: &str) -> SchemaKind {
        schema_of(text).kind
    }

    /// The schema `text` reads as, which must read without a diagnostic.
    fn schema_of(text: &str) -> Schema {
        let value: Value = serde_json::from_str(text).unwrap();
        let mut parser = Parser {
            file: "t.json".to_owned(),
            root: &value,
            diagnostics: Diagnostics::default(),
            components: BTreeMap::new(),
            stack: Vec::new(),
            notes: Vec::new(),
            recursive: BTreeMap::new(),
            error_schemas: Vec::new(),
            error_schemas_unreadable: false,
        };
        let schema = parser.schema(&Location::root("t.json"), &value, 0);
        assert!(parser.diagnostics.is_empty(), "{}", parser.diagnostics);
        schema.unwrap()
    }

    #[test]
    fn unions_are_told_apart_by_a_fixed_property_or_by_their_member() {
        let internal = kind(
            r#"{"oneOf": [
                {"type": "object", "required": ["type", "r"], "properties": {
                    "type": {"type": "string", "enum": ["circle"]}, "r": {"type": "number"}}},
                {"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": ["dot"]}}}]}"#,
        );
        let SchemaKind::Union { form, variants } = internal else {
            panic!("{internal:?}");
        };
        assert_eq!(form, UnionForm::Internal("type".to_owned()));
        assert_eq!(variants[0].value, "circle");
        assert!(variants[0].schema.is_some(), "the radius stays");
        assert!(variants[1].schema.is_none(), "the tag is all a dot has");

        let external = kind(
            r#"{"oneOf": [
                {"type": "string", "enum": ["Detached"]},
                {"type": "object", "required": ["Attached"], "additionalProperties": false,
                 "properties": {"Attached": {"type": "string"}}}]}"#,
        );
        let SchemaKind::Union { form, variants } = external else {
            panic!("{external:?}");
        };
        assert_eq!(form, UnionForm::External);
        let values: Vec<&str> = variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect();
        assert_eq!(values, ["Detached", "Attached"]);

        // Nothing tells the parts apart: untagged, each variant named after its kind.
        let untagged = kind(
            r#"{"oneOf": [{"type": "string"}, {"type": "integer"},
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"b": {"type": "string"}}}]}"#,
        );
        let SchemaKind::Union { form, variants } = untagged else {
            panic!("{untagged:?}");
        };
        assert_eq!(form, UnionForm::Untagged);
        let values: Vec<&str> = variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect();
        assert_eq!(values, ["text", "integer", "object", "object_2"]);

        // One value or a list of it, in a parameter's schema: the list.
        let list: Value = serde_json::from_str(
            r#"{"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}"#,
        )
        .unwrap();
        assert_eq!(one_or_list(&list), Some(1));
        assert!(matches!(
            kind(r#"{"anyOf": [{"type": "integer"}, {"type": "null"}]}"#),
            SchemaKind::Integer { unsigned: false }
        ));
        assert!(matches!(
            kind(r#"{"type": "integer", "format": "uint64"}"#),
            SchemaKind::Integer { unsigned: true }
        ));
        assert!(matches!(
            kind(r#"{"type": "object", "additionalProperties": {"type": "string"}}"#),
            SchemaKind::Map { .. }
        ));
        assert!(matches!(
            kind(r#"{"description": "anything"}"#),
            SchemaKind::Any
        ));
        // `additionalProperties: true` beside properties is the default said out loud.
        assert!(matches!(
            kind(
                r#"{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": true}"#
            ),
            SchemaKind::Object { .. }
        ));
        // An integer of a few values: an integer, its values documented.
        let schema =
            schema_of(r#"{"type": "integer", "enum": [1, 2, 3], "description": "Level."}"#);
        assert!(matches!(
            schema.kind,
            SchemaKind::Integer { unsigned: false }
        ));
        assert_eq!(
            schema.description.as_deref(),
            Some("Level.\n\nOne of `1`, `2`, `3`.")
        );
    }
    #[test]
    fn a_component_that_is_also_a_variant_keeps_its_tag_where_used_alone() {
        let document = br##"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
          "paths": {
            "/pet": {"get": {"responses": {"200": {"description": "a pet",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
            "/dog": {"get": {"responses": {"200": {"description": "a dog",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dog"}}}}}}}},
          "components": {"schemas": {
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}}},
            "Dog": {"type": "object", "required": ["kind"], "properties": {
              "kind": {"type": "string"}, "barks": {"type": "boolean"}}},
            "Cat": {"type": "object", "required": ["kind"], "properties": {
              "kind": {"type": "string"}, "purrs": {"type": "boolean"}}}}}}"##;
        let inputs = crate::Inputs {
            schemas: vec![("pets.json".to_owned(), document.to_vec())],
            ..crate::Inputs::default()
        };
        let output = crate::generate(&inputs).unwrap_or_else(|problems| panic!("{problems}"));
        let dump = crate::dump::dump_api(&output.api);
        // The dog on its own has its `kind`; inside the union, the tag is the union's.
        assert!(
            dump.contains("struct Dog\n  at pets.json#/components/schemas/Dog\n  kind: String"),
            "{dump}"
        );
        // Named by the mapping, else by the component; each variant's struct lacks the tag.
        assert!(dump.contains("\"dog\" => Dog(PetDog)"), "{dump}");
        assert!(dump.contains("\"Cat\" => Cat(PetCat)"), "{dump}");
        assert!(dump.contains("struct PetDog\n  at pets.json#/components/schemas/Pet/oneOf/0\n  barks: Option<bool>\n"), "{dump}");
    }

    #[test]
    fn success_bodies_without_a_schema_and_optional_request_bodies() {
        let document = br##"{"openapi": "3.0.3", "info": {"title": "Bodies", "version": "1"},
          "paths": {
            "/null": {"post": {"operationId": "null_answer", "responses": {"200": {"description": "",
              "content": {"application/json": {"schema": {"enum": [null]}}}}}}},
            "/any": {"post": {"operationId": "any_answer", "responses": {"200": {"description": "",
              "content": {"application/json": {"schema": {}}}}}}},
            "/nothing": {"get": {"operationId": "no_answer", "responses": {"204": {"description": ""}}}},
            "/optional": {"post": {"operationId": "optional_body",
              "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"a": {"type": "string"}}}}}},
              "responses": {"204": {"description": ""}}}},
            "/required": {"post": {"operationId": "required_body",
              "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
              "responses": {"204": {"description": ""}}}},
            "/free": {"get": {"operationId": "free_form", "responses": {"default": {"description": "",
              "content": {"*/*": {"schema": {}}}}}}},
            "/login": {"post": {"operationId": "login", "responses": {
              "303": {"description": "", "headers": {"location": {"required": true, "schema": {"type": "string"}}}},
              "4XX": {"description": ""}}}},
            "/by-status": {"post": {"operationId": "by_status", "responses": {
              "201": {"description": "", "content": {"application/json": {"schema": {"type": "object",
                "properties": {"id": {"type": "string"}}}}}},
              "202": {"description": "", "content": {"application/json": {"schema": {"type": "object",
                "properties": {"job": {"type": "string"}}}}}}}}},
            "/upload": {"post": {"operationId": "upload",
              "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
              "responses": {"204": {"description": ""}}}}}}"##;
        let inputs = crate::Inputs {
            schemas: vec![("bodies.json".to_owned(), document.to_vec())],
            ..crate::Inputs::default()
        };
        let output = crate::generate(&inputs).unwrap_or_else(|problems| panic!("{problems}"));
        let operation = |path: &str| {
            output
                .api
                .operations
                .iter()
                .find(|operation| operation.path == path)
                .unwrap_or_else(|| panic!("no operation {path}"))
        };
        use crate::ir::Body;
        assert_eq!(operation("/null").success_body(), Some(&Body::Null));
        assert_eq!(operation("/any").success_body(), Some(&Body::UntypedJson));
        // A GET whose success has no content answers nothing (not the pages' untyped JSON).
        assert_eq!(operation("/nothing").success_body(), None);
        assert!(operation("/optional").request_optional);
        assert!(!operation("/required").request_optional);
        // `default` alone is the success too; `*/*` is any bytes.
        assert_eq!(operation("/free").success_body(), Some(&Body::Bytes));
        assert_eq!(operation("/free").success_status(), 200);
        // A redirect is the success when no 2xx is listed: its target is the answer.
        assert_eq!(operation("/login").success_body(), Some(&Body::Location));
        assert_eq!(operation("/login").success_status(), 303);
        // Different bodies by status: typed by status, each response its own body.
        let by_status = operation("/by-status");
        assert!(by_status.typed_by_status());
        assert_ne!(by_status.responses[0].body, by_status.responses[1].body);
        assert!(!operation("/null").typed_by_status());
        // An empty upload is a zero-length one, never a missing body.
        assert_eq!(operation("/upload").request, Some(Body::Bytes));
        assert!(!operation("/upload").request_optional);
    }

    /// The error object is the object most error responses describe; the others keep their
    /// types, by status (a code, a range, `default`), and the table reads codes first.
    #[test]
    fn error_responses_of_another_object_keep_their_types() {
        let generate = |responses: &str, b: &str| {
            let document = format!(
                r##"{{"openapi": "3.1.0", "info": {{"title": "Errors", "version": "1"}},
                  "components": {{
                    "responses": {{"Problem": {{"description": "A problem.", "content": {{"application/json":
                      {{"schema": {{"$ref": "#/components/schemas/Problem"}}}}}}}}}},
                    "schemas": {{
                      "Problem": {{"type": "object", "properties": {{"title": {{"type": "string"}}}}}},
                      "Busy": {{"type": "object", "required": ["holds"], "properties": {{"holds":
                        {{"type": "array", "items": {{"type": "object", "properties": {{"id": {{"type": "string"}}}}}}}}}}}},
                      "Gone": {{"type": "object", "required": ["since"], "properties": {{"since": {{"type": "integer"}},
                        "where": {{"type": "object", "properties": {{"city": {{"type": "string"}}}}}}}}}}}}}},
                  "paths": {{
                    "/a": {{"get": {{"operationId": "a", "responses": {{"200": {{"description": ""}}, {responses}}}}}}},
                    "/b": {{"get": {{"operationId": "b", "responses": {{"200": {{"description": ""}},
                      {b}}}}}}}}}}}"##
            );
            let inputs = crate::Inputs {
                schemas: vec![("errors.json".to_owned(), document.into_bytes())],
                ..crate::Inputs::default()
            };
            crate::generate(&inputs).unwrap_or_else(|problems| panic!("{problems}"))
        };
        let table = |output: &crate::Output| -> Vec<String> {
            output
                .api
                .declared_errors()
                .into_iter()
                .map(|(status, id)| format!("{status} {}", output.api.type_def(id).name))
                .collect()
        };
        let json = |schema: &str| {
            format!(
                r##"{{"description": "", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{schema}"}}}}}}}}"##
            )
        };
        let cases: [(String, &[&str], &str); 4] = [
            // The error object's own responses are read as it: nothing declared.
            (
                r##""4XX": {"$ref": "#/components/responses/Problem"}"##.to_owned(),
                &[],
                "title",
            ),
            // Two others beside it: each its type, codes before ranges before `default`.
            (
                format!(
                    r##""default": {}, "5XX": {}, "409": {}, "4XX": {{"$ref": "#/components/responses/Problem"}}"##,
                    json("Gone"),
                    json("Busy"),
                    json("Busy"),
                ),
                &["409 Busy", "5XX Busy", "default Gone"],
                "title",
            ),
            // The most common error schema cannot be the error object (a nested list): the
            // next one is.
            (
                format!(r##""409": {}, "410": {}"##, json("Busy"), json("Busy")),
                &["409 Busy", "410 Busy"],
                "title",
            ),
            // None can (and no Problem elsewhere): problem details, and each keeps its type.
            (
                format!(r##""409": {}, "410": {}"##, json("Busy"), json("Gone")),
                &["409 Busy", "410 Gone"],
                "type",
            ),
        ];
        let problem = r##""4XX": {"$ref": "#/components/responses/Problem"}"##;
        for (responses, declared, first_field) in cases {
            let b = if first_field == "type" {
                "\"404\": {\"description\": \"\"}"
            } else {
                problem
            };
            let output = generate(&responses, b);
            assert_eq!(table(&output), declared, "{responses}");
            assert_eq!(
                output.api.conventions.error.fields[0].wire_name, first_field,
                "{responses}"
            );
        }
    }
}
