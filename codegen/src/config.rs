//! The generator's configuration: `codegen.toml`, committed next to the schemas. It names the API
//! (and so the generated crates) and overrides type and operation names.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostics, Location};

/// The file name the configuration is read from, relative to the schema directory.
pub const CONFIG_FILE: &str = "codegen.toml";

/// Resolved configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The API name in kebab-case; the crates are `<api>-models`, `<api>-client`, `<api>-server`.
    pub api: String,
    /// Type name overrides, keyed by the location of any occurrence of the schema
    /// (`file.json#/json/pointer`, exactly as the model dump lists occurrences).
    pub types: BTreeMap<String, String>,
    /// Operation name overrides, keyed by `METHOD /path`.
    pub operations: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api: "api".to_owned(),
            types: BTreeMap::new(),
            operations: BTreeMap::new(),
        }
    }
}

impl Config {
    /// A configuration with the given API name and no overrides.
    pub fn new(api: &str) -> Config {
        Config {
            api: api.to_owned(),
            ..Config::default()
        }
    }

    /// Overrides the name of the type of the schema at `location` (`file.json#/pointer`).
    pub fn type_name(&mut self, location: &str, name: &str) -> &mut Config {
        self.types.insert(location.to_owned(), name.to_owned());
        self
    }

    /// Overrides the name of the operation `METHOD /path`.
    pub fn operation_name(&mut self, operation: &str, name: &str) -> &mut Config {
        self.operations
            .insert(operation.to_owned(), name.to_owned());
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    api: String,
    #[serde(default)]
    types: BTreeMap<String, String>,
    #[serde(default)]
    operations: BTreeMap<String, String>,
}

/// Parses `codegen.toml`.
pub fn parse_config(text: &str) -> Result<Config, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let root = Location::root(CONFIG_FILE);
    match toml::from_str::<ConfigFile>(text) {
        Ok(file) => {
            let valid = !file.api.is_empty()
                && file
                    .api
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
                && file
                    .api
                    .starts_with(|first: char| first.is_ascii_lowercase());
            if !valid {
                diagnostics.error(
                    &Location::table_entry(CONFIG_FILE, "top level", "api"),
                    format!("api name `{}` is not a valid crate name prefix", file.api),
                    "use lowercase letters, digits and `-`, starting with a letter, e.g. `api = \"qumulo\"`",
                );
            }
            let config = Config {
                api: file.api,
                types: file.types,
                operations: file.operations,
            };
            diagnostics.finish(config)
        }
        Err(error) => {
            let at = match error.span() {
                Some(span) => Location::at_byte(CONFIG_FILE, text.as_bytes(), span.start),
                None => root,
            };
            let message = format!("invalid configuration: {}", error.message());
            let hint =
                "see the configuration section of README.md: `api`, `[types]`, `[operations]`";
            diagnostics.error(&at, message, hint);
            diagnostics.finish(Config::default())
        }
    }
}
