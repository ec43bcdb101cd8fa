//! Import: a reference page as published (Markdown with YAML front matter, request and response
//! schemas stored as JSON strings) in, the equivalent endpoint file (pretty JSON) out. Pure: the
//! xtask reads the pages and writes `schemas/`.

use serde_json::{json, Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::diagnostics::{Diagnostics, Location};

/// What one page turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// An endpoint page, converted: the endpoint file's text (pretty JSON).
    Endpoint(String),
    /// A landing page (the reference's `index.md` of a category or of the whole guide): its front
    /// matter is a mapping with neither `rest_endpoint` nor `methods`. It describes no endpoint
    /// and becomes no file.
    Landing,
}

/// Converts one page. `file` names it in diagnostics.
pub fn import_page(file: &str, text: &str) -> Result<Imported, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let Some((front_matter, first_line)) = front_matter(text) else {
        if text.starts_with("---") {
            diagnostics.error(
                &Location::line_column(file, 1, 1),
                "the YAML front matter is not closed",
                "end the page's YAML with a line that holds only `---`",
            );
            return Err(diagnostics);
        }
        diagnostics.error(
            &Location::line_column(file, 1, 1),
            "no YAML front matter",
            "a reference page starts with a `---` line, the page's YAML, and another `---` line",
        );
        return Err(diagnostics);
    };
    let documents = match YamlLoader::load_from_str(front_matter) {
        Ok(documents) => documents,
        Err(error) => {
            let marker = error.marker();
            let at = Location::line_column(
                file,
                first_line + marker.line().saturating_sub(1),
                marker.col() + 1,
            );
            diagnostics.error(
                &at,
                format!("the front matter is not valid YAML: {}", error.info()),
                "fix the YAML at that line",
            );
            return Err(diagnostics);
        }
    };
    let page = Page {
        file,
        text,
        first_line,
    };
    let endpoint = match documents.first() {
        Some(Yaml::Hash(hash)) if is_landing_page(hash) => return Ok(Imported::Landing),
        Some(Yaml::Hash(_)) => page.convert(&mut diagnostics, &documents[0]),
        _ => {
            let at = Location::line_column(file, first_line, 1);
            diagnostics.error(
                &at,
                "the front matter is not a YAML mapping",
                "write `rest_endpoint:`, `category:` and `methods:` keys",
            );
            Value::Null
        }
    };
    let mut res = serde_json::to_string_pretty(&endpoint).unwrap_or_default();
    res.push('\n');
    diagnostics.finish(Imported::Endpoint(res))
}

/// A landing page names neither an endpoint nor methods. A page with one of them but not the
/// other is a broken endpoint page, reported as such.
fn is_landing_page(front: &yaml_rust2::yaml::Hash) -> bool {
    ["rest_endpoint", "methods"]
        .iter()
        .all(|key| !front.contains_key(&Yaml::String((*key).to_owned())))
}

/// The YAML between the first two `---` lines, and the line number it starts on.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], 2));
        }
        offset += line.len();
    }
    None
}

struct Page<'a> {
    file: &'a str,
    text: &'a str,
    first_line: usize,
}

impl Page<'_> {
    /// The location of the first line at or after `from` that starts (after indentation) with
    /// `key:`, for diagnostics about values the YAML loader does not locate.
    fn line_of(&self, key: &str, from: usize) -> (Location, usize) {
        let prefix = format!("{key}:");
        for (index, line) in self.text.lines().enumerate().skip(from) {
            if line.trim_start().starts_with(&prefix) {
                return (
                    Location::line_column(
                        self.file,
                        index + 1,
                        line.len() - line.trim_start().len() + 1,
                    ),
                    index,
                );
            }
        }
        (Location::line_column(self.file, self.first_line, 1), from)
    }

    fn convert(&self, diagnostics: &mut Diagnostics, front: &Yaml) -> Value {
        let mut endpoint = Map::new();
        match &front["rest_endpoint"] {
            Yaml::String(path) => {
                endpoint.insert("endpoint".to_owned(), json!(path));
            }
            _ => diagnostics.error(
                &Location::line_column(self.file, self.first_line, 1),
                "no `rest_endpoint`",
                "the page must give its path as `rest_endpoint: /v1/...`",
            ),
        }
        if let Yaml::String(category) = &front["category"] {
            endpoint.insert(
                "category".to_owned(),
                json!(category.trim_start_matches('/')),
            );
        }
        let mut methods = Map::new();
        match &front["methods"] {
            Yaml::Hash(hash) => {
                for (name, spec) in hash {
                    let Yaml::String(name) = name else { continue };
                    let (_, line) = self.line_of(name, 0);
                    methods.insert(name.clone(), self.convert_method(diagnostics, spec, line));
                }
            }
            _ => diagnostics.error(
                &self.line_of("methods", 0).0,
                "no `methods` mapping",
                "the page must list its methods under `methods:`",
            ),
        }
        endpoint.insert("methods".to_owned(), Value::Object(methods));
        Value::Object(endpoint)
    }

    /// Reports `value` (the page's `key`) unless it is absent or empty: it should have been
    /// `expected`, and would otherwise be dropped without a word.
    fn expect_absent(
        &self,
        diagnostics: &mut Diagnostics,
        value: &Yaml,
        key: &str,
        line: usize,
        expected: &str,
    ) {
        if !matches!(value, Yaml::BadValue | Yaml::Null) {
            diagnostics.error(
                &self.line_of(key, line).0,
                format!("`{key}` is not {expected}"),
                format!("write `{key}` as {expected}, as the published pages do"),
            );
        }
    }

    fn convert_method(&self, diagnostics: &mut Diagnostics, spec: &Yaml, line: usize) -> Value {
        let mut method = Map::new();
        if let Yaml::String(summary) = &spec["summary"] {
            method.insert("summary".to_owned(), json!(summary));
        }
        let parameters: Vec<Value> = match &spec["parameters"] {
            Yaml::Array(items) => items.iter().map(convert_parameter).collect(),
            other => {
                self.expect_absent(diagnostics, other, "parameters", line, "a list");
                Vec::new()
            }
        };
        method.insert("parameters".to_owned(), Value::Array(parameters));
        let responses: Vec<Value> = match &spec["responses"] {
            Yaml::Array(items) => items.iter().map(convert_response).collect(),
            other => {
                self.expect_absent(diagnostics, other, "responses", line, "a list");
                Vec::new()
            }
        };
        method.insert("responses".to_owned(), Value::Array(responses));
        for (key, target) in [
            ("request_body", "request_schema"),
            ("response_body", "response_schema"),
        ] {
            let schema = match &spec[key]["schema"] {
                Yaml::String(schema) => schema,
                other => {
                    self.expect_absent(
                        diagnostics,
                        other,
                        key,
                        line,
                        "a JSON string under `schema:`",
                    );
                    continue;
                }
            };
            match serde_json::from_str::<Value>(schema) {
                Ok(value) => {
                    method.insert(target.to_owned(), value);
                }
                Err(error) => diagnostics.error(
                    &self.line_of(key, line).0,
                    format!("the `{key}` schema is not valid JSON: {error}"),
                    "the schema string must hold one JSON object",
                ),
            }
        }
        Value::Object(method)
    }
}

fn convert_parameter(parameter: &Yaml) -> Value {
    let mut res = Map::new();
    if let Yaml::String(name) = &parameter["name"] {
        res.insert("name".to_owned(), json!(name));
    }
    if let Yaml::String(description) = &parameter["description"] {
        res.insert("description".to_owned(), json!(description));
    }
    if let Yaml::Boolean(required) = &parameter["required"] {
        res.insert("required".to_owned(), json!(required));
    }
    Value::Object(res)
}

fn convert_response(response: &Yaml) -> Value {
    let mut res = Map::new();
    match &response["code"] {
        Yaml::String(code) => {
            res.insert("code".to_owned(), json!(code));
        }
        Yaml::Integer(code) => {
            res.insert("code".to_owned(), json!(code.to_string()));
        }
        _ => {}
    }
    if let Yaml::String(description) = &response["description"] {
        res.insert("description".to_owned(), json!(description));
    }
    Value::Object(res)
}
