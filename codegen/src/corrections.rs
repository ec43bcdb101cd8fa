//! Corrections: where the published reference describes the real API wrongly, a committed file
//! beside the endpoint files (`corrections.toml`) patches them at generate time, so that the
//! endpoint files stay exactly what the import makes of the pages and the corrections survive
//! every re-import.
//!
//! ```toml
//! [[correction]]
//! files = ["files/files_ref_data.json"]
//! pointer = "/methods/put/request_schema"
//! was = { type = "object" }
//! set = { type = "string", format = "binary" }
//! reason = "The body is the file's bytes (application/octet-stream), as the summary says."
//! ```
//!
//! `set` with `was` replaces a value that must still be what the page published; `set` alone
//! adds a value the page lacks; `remove = true` with `was` removes one. A correction that no
//! longer applies (the file is gone, the page now says something else, the value it adds is now
//! published) is an error at its line, never silently dropped: review it and update or remove it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{Diagnostics, Location};

/// The file corrections are read from, relative to the schema directory.
pub const CORRECTIONS_FILE: &str = "corrections.toml";

/// Parsed corrections, by the endpoint file they patch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corrections {
    by_file: BTreeMap<String, Vec<Correction>>,
}

/// One correction of one file.
#[derive(Debug, Clone, PartialEq)]
struct Correction {
    /// Where the correction is written (line:column in `corrections.toml`).
    at: Location,
    /// RFC 6901 pointer into the endpoint file.
    pointer: String,
    action: Action,
}

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Set { value: Value, was: Option<Value> },
    Remove { was: Value },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    correction: Vec<toml::Spanned<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    files: Vec<String>,
    pointer: String,
    #[serde(default)]
    set: Option<toml::Value>,
    #[serde(default)]
    was: Option<toml::Value>,
    #[serde(default)]
    remove: bool,
    reason: String,
}

const HINT: &str = "see the corrections section of README.md: `files`, `pointer`, `set` or `remove = true`, `was`, `reason`";

/// Parses `corrections.toml`; every problem is reported with its line and column.
pub fn parse_corrections(text: &str) -> Result<Corrections, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let file: File = match toml::from_str(text) {
        Ok(file) => file,
        Err(error) => {
            let at = match error.span() {
                Some(span) => line_column(text, span.start),
                None => Location::root(CORRECTIONS_FILE),
            };
            diagnostics.error(
                &at,
                format!("invalid corrections: {}", error.message()),
                HINT,
            );
            return Err(diagnostics);
        }
    };
    let mut corrections = Corrections::default();
    for entry in &file.correction {
        let at = line_column(text, entry.span().start);
        let entry = entry.get_ref();
        let reason = entry.reason.trim();
        if reason.is_empty() || reason.contains('\n') {
            diagnostics.error(
                &at,
                "a correction needs a one-line `reason`",
                "say in one line why the published page is wrong",
            );
        }
        if entry.files.is_empty() {
            diagnostics.error(&at, "`files` is empty", "list the endpoint files to patch");
        }
        if !entry.pointer.starts_with('/') {
            diagnostics.error(
                &at,
                format!("`pointer` {:?} is not a JSON pointer", entry.pointer),
                "write it as the model dump does, starting with `/`: `/methods/get/response_schema`",
            );
            continue;
        }
        let json = |value: &toml::Value| serde_json::to_value(value).unwrap_or(Value::Null);
        let action = match (&entry.set, entry.remove, &entry.was) {
            (Some(value), false, was) => Action::Set {
                value: json(value),
                was: was.as_ref().map(json),
            },
            (None, true, Some(was)) => Action::Remove { was: json(was) },
            (None, true, None) => {
                diagnostics.error(
                    &at,
                    "`remove` needs `was`, the value as published",
                    "add `was = ...` so that the correction fails when the page changes",
                );
                continue;
            }
            _ => {
                diagnostics.error(
                    &at,
                    "a correction needs exactly one of `set` and `remove = true`",
                    HINT,
                );
                continue;
            }
        };
        for file in &entry.files {
            corrections
                .by_file
                .entry(file.clone())
                .or_default()
                .push(Correction {
                    at: at.clone(),
                    pointer: entry.pointer.clone(),
                    action: action.clone(),
                });
        }
    }
    diagnostics.finish(corrections)
}

impl Corrections {
    /// Applies the corrections of endpoint file `file` to its parsed JSON, reporting each that
    /// no longer applies.
    pub fn apply(&self, file: &str, document: &mut Value, diagnostics: &mut Diagnostics) {
        for correction in self.by_file.get(file).into_iter().flatten() {
            correction.apply(file, document, diagnostics);
        }
    }

    /// Reports the corrections of files that are not among `files` (their page is gone).
    pub fn check_files_exist<'a>(
        &self,
        files: impl IntoIterator<Item = &'a str>,
        diagnostics: &mut Diagnostics,
    ) {
        let present: std::collections::BTreeSet<&str> = files.into_iter().collect();
        for (file, corrections) in &self.by_file {
            if !present.contains(file.as_str()) {
                for correction in corrections {
                    diagnostics.error(
                        &correction.at,
                        format!("the correction patches `{file}`, which does not exist"),
                        "its page is gone or was renamed: remove the file from `files` or fix its path",
                    );
                }
            }
        }
    }
}

impl Correction {
    fn apply(&self, file: &str, document: &mut Value, diagnostics: &mut Diagnostics) {
        let current = document.pointer(&self.pointer).cloned();
        let stale = |diagnostics: &mut Diagnostics, message: String, hint: &str| {
            diagnostics.error(
                &self.at,
                format!("{file}#{}: {message}", self.pointer),
                hint,
            );
        };
        match (&self.action, current) {
            (Action::Set { value, was: None }, None) => {
                if !insert(document, &self.pointer, value.clone()) {
                    stale(
                        diagnostics,
                        "there is no object to add the value to".to_owned(),
                        "the page changed shape: update the pointer or remove the correction",
                    );
                }
            }
            (Action::Set { value, was: None }, Some(current)) => {
                let message = if &current == value {
                    "the page now publishes exactly this value".to_owned()
                } else {
                    format!("the page now publishes a value here: {current}")
                };
                stale(
                    diagnostics,
                    message,
                    "if the page is right now, remove the correction; otherwise add `was` with the published value",
                );
            }
            (
                Action::Set {
                    value,
                    was: Some(was),
                },
                Some(current),
            ) if &current == was => {
                if let Some(slot) = document.pointer_mut(&self.pointer) {
                    *slot = value.clone();
                }
            }
            (Action::Remove { was }, Some(current)) if &current == was => {
                remove(document, &self.pointer);
            }
            (Action::Set { was: Some(was), .. } | Action::Remove { was }, current) => {
                let found = current.map_or_else(|| "nothing".to_owned(), |value| value.to_string());
                stale(
                    diagnostics,
                    format!("the correction expects {was} as published, but the page has {found}"),
                    "the page changed: check whether the correction is still needed, then update `was` or remove it",
                );
            }
        }
    }
}

/// The parent of a pointer and its last token, unescaped.
fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn insert(document: &mut Value, pointer: &str, value: Value) -> bool {
    let Some((parent, key)) = split(pointer) else {
        return false;
    };
    match document.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.insert(key, value);
            true
        }
        _ => false,
    }
}

fn remove(document: &mut Value, pointer: &str) {
    if let Some((parent, key)) = split(pointer) {
        match document.pointer_mut(parent) {
            Some(Value::Object(object)) => {
                object.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>() {
                    if index < items.len() {
                        items.remove(index);
                    }
                }
            }
            _ => {}
        }
    }
}

fn line_column(text: &str, offset: usize) -> Location {
    Location::at_byte(CORRECTIONS_FILE, text.as_bytes(), offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(corrections: &str, file: &str, mut document: Value) -> Result<Value, String> {
        let corrections = parse_corrections(corrections).map_err(|error| error.to_string())?;
        let mut diagnostics = Diagnostics::default();
        corrections.apply(file, &mut document, &mut diagnostics);
        diagnostics
            .finish(document)
            .map_err(|error| error.to_string())
    }

    const REPLACE: &str = r#"
[[correction]]
files = ["a.json"]
pointer = "/methods/get/response_schema/properties/value"
was = { type = "array", items = { type = "number" } }
set = { type = "string" }
reason = "The API sends base64 text."
"#;

    #[test]
    fn a_correction_replaces_what_the_page_published() {
        let page = json!({"methods": {"get": {"response_schema": {"properties": {"value": {"type": "array", "items": {"type": "number"}}}}}}});
        let fixed = apply(REPLACE, "a.json", page).unwrap();
        assert_eq!(
            fixed["methods"]["get"]["response_schema"]["properties"]["value"],
            json!({"type": "string"})
        );
        // Other files are left alone.
        let other = json!({"x": 1});
        assert_eq!(apply(REPLACE, "b.json", other.clone()).unwrap(), other);
    }

    #[test]
    fn a_correction_that_no_longer_applies_is_an_error_at_its_line() {
        let changed = json!({"methods": {"get": {"response_schema": {"properties": {"value": {"type": "string", "format": "byte"}}}}}});
        let error = apply(REPLACE, "a.json", changed).unwrap_err();
        assert!(
            error.contains("corrections.toml:2:1: a.json#/methods/get/response_schema/properties/value: the correction expects"),
            "{error}"
        );
        let gone = json!({"methods": {}});
        assert!(apply(REPLACE, "a.json", gone)
            .unwrap_err()
            .contains("but the page has nothing"));
    }

    #[test]
    fn an_addition_fails_once_the_page_publishes_the_value() {
        let add = r#"
[[correction]]
files = ["a.json"]
pointer = "/properties/paging"
set = { type = "object" }
reason = "Lists are paged."
"#;
        let fixed = apply(add, "a.json", json!({"properties": {}})).unwrap();
        assert_eq!(fixed["properties"]["paging"], json!({"type": "object"}));
        let error = apply(add, "a.json", fixed).unwrap_err();
        assert!(
            error.contains("the page now publishes exactly this value"),
            "{error}"
        );
        let error = apply(add, "a.json", json!({})).unwrap_err();
        assert!(
            error.contains("there is no object to add the value to"),
            "{error}"
        );
    }

    #[test]
    fn removal_and_bad_entries() {
        let remove = r#"
[[correction]]
files = ["a.json"]
pointer = "/methods/get/request_schema"
remove = true
was = { type = "object" }
reason = "A GET takes no body."
"#;
        let fixed = apply(
            remove,
            "a.json",
            json!({"methods": {"get": {"request_schema": {"type": "object"}}}}),
        )
        .unwrap();
        assert_eq!(fixed, json!({"methods": {"get": {}}}));
        let no_reason =
            "[[correction]]\nfiles = [\"a.json\"]\npointer = \"/x\"\nset = 1\nreason = \"\"\n";
        assert!(apply(no_reason, "a.json", json!({}))
            .unwrap_err()
            .contains("corrections.toml:1:1: a correction needs a one-line `reason`"));
        let both = "[[correction]]\nfiles = [\"a.json\"]\npointer = \"/x\"\nset = 1\nremove = true\nreason = \"r\"\n";
        assert!(apply(both, "a.json", json!({}))
            .unwrap_err()
            .contains("exactly one of `set` and `remove = true`"));
        let unknown =
            "[[correction]]\nfiles = [\"a.json\"]\npointer = \"/x\"\nsett = 1\nreason = \"r\"\n";
        assert!(apply(unknown, "a.json", json!({}))
            .unwrap_err()
            .contains("invalid corrections: unknown field `sett`"));
    }

    #[test]
    fn a_correction_of_a_missing_file_is_reported() {
        let corrections = parse_corrections(REPLACE).unwrap();
        let mut diagnostics = Diagnostics::default();
        corrections.check_files_exist(["b.json"], &mut diagnostics);
        assert!(diagnostics
            .to_string()
            .contains("the correction patches `a.json`, which does not exist"));
    }
}
