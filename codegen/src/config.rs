//! The generator's configuration: `codegen.toml`, committed next to the schemas. It names the API
//! (and so the generated crates), says what their manifests carry, and overrides type and
//! operation names.

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
    /// What the generated crates' manifests say about them (`[package]`).
    pub package: Package,
    /// The command generated files name as the one that regenerates them (`regenerate`); when
    /// unset, the caller's ([`crate::Inputs::regenerate`]) or `cargo xtask codegen`.
    pub regenerate: Option<String>,
    /// The `[crates]` table: for `models`, `client` and `server`, a name (`Some`) or not
    /// generated (`None`); a part not listed is generated as `<api>-<part>`.
    pub crates: BTreeMap<String, Option<String>>,
    /// The API's conventions the input does not state (`[conventions]`).
    pub conventions: ConventionsConfig,
    /// Derives to add, keyed by type name, or `*` for every model type (`[derives]`).
    pub derives: BTreeMap<String, Vec<String>>,
    /// Your own types for generated ones, keyed by type name (`[replace]`): the models crate
    /// names the Rust path instead (`pub type Name = path;`).
    pub replace: BTreeMap<String, String>,
    /// Rust types for fields, keyed by `Type.field` (wire name) (`[field-types]`).
    pub field_types: BTreeMap<String, String>,
    /// Rust types for query parameters, keyed by `METHOD /path?name` (`[parameter-types]`).
    pub parameter_types: BTreeMap<String, String>,
    /// Dependencies added to the models crate's manifest, as TOML values (`[dependencies]`),
    /// for the crates that replacements, field types and derives name.
    pub dependencies: BTreeMap<String, String>,
}

/// The `[conventions]` table: what the endpoint files do not say about the API.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ConventionsConfig {
    /// How requests authenticate: `"bearer"` (`Authorization: Bearer <token>`) or `"none"`
    /// (the default).
    #[serde(default)]
    pub auth: AuthChoice,
    /// The base URL the generated documentation's examples connect to
    /// (`https://api.example` unless set).
    #[serde(default = "default_example_url")]
    pub example_url: String,
    /// The fields of the object every error response carries (`error-fields`), in wire order;
    /// when unset, the problem details of RFC 9457 (`type`, `title`, `status`, `detail`,
    /// `instance`).
    #[serde(default)]
    pub error_fields: Option<Vec<ErrorFieldConfig>>,
}

/// One field of the error object, in `error-fields` of `[conventions]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ErrorFieldConfig {
    /// The name on the wire.
    pub name: String,
    /// What it holds: `text` (the default), `text-list`, `flag`, `integer`, or `cause` (the
    /// error object again: the error that caused this one).
    #[serde(default)]
    pub kind: ErrorFieldKindChoice,
    /// What the runtimes read it as: `class` (machine-readable, what `Error::api_error` and
    /// `ServerError` fill), `message` (for people), `module` (where it was raised) or
    /// `user-visible` (a flag: whether the message is meant for end users).
    #[serde(default)]
    pub role: Option<ErrorRoleChoice>,
    /// Its documentation.
    #[serde(default)]
    pub doc: Option<String>,
}

/// `kind` of an error field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorFieldKindChoice {
    /// A string (`String`, empty when absent).
    #[default]
    Text,
    /// A list of strings.
    TextList,
    /// A boolean.
    Flag,
    /// An integer (`i64`).
    Integer,
    /// The error object again, optional: the error that caused this one.
    Cause,
}

/// `role` of an error field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorRoleChoice {
    /// The machine-readable class: `ServerError` fills it, `Display` shows it.
    Class,
    /// What went wrong, for people.
    Message,
    /// The part of the server that raised it.
    Module,
    /// A flag: whether the message is meant for end users.
    UserVisible,
}

impl ErrorRoleChoice {
    /// The role as the configuration spells it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorRoleChoice::Class => "class",
            ErrorRoleChoice::Message => "message",
            ErrorRoleChoice::Module => "module",
            ErrorRoleChoice::UserVisible => "user-visible",
        }
    }
}

/// `auth` of `[conventions]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AuthChoice {
    /// No credentials.
    #[default]
    None,
    /// `Authorization: Bearer <token>`: the client's `with_bearer_token`, the server's
    /// `RequestContext::bearer_token`, a bearer security scheme in the OpenAPI document.
    Bearer,
}

pub(crate) fn default_example_url() -> String {
    "https://api.example".to_owned()
}

impl Default for ConventionsConfig {
    fn default() -> ConventionsConfig {
        ConventionsConfig {
            auth: AuthChoice::default(),
            example_url: default_example_url(),
            error_fields: None,
        }
    }
}

/// One entry of `[crates]`: a crate name, or `true` / `false` for the default name / none.
#[derive(Deserialize)]
#[serde(untagged)]
enum CrateChoice {
    Name(String),
    Emit(bool),
}

/// The `[package]` table: the manifest fields the generated crates share. Each crate's
/// description and readme are generated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Package {
    /// The crates' version (`0.1.0` unless set).
    #[serde(default = "default_version")]
    pub version: String,
    /// The Rust edition (`2021` unless set).
    #[serde(default = "default_edition")]
    pub edition: String,
    /// The SPDX license expression (`MIT OR Apache-2.0` unless set).
    #[serde(default = "default_license")]
    pub license: String,
    /// Where the crates' source lives.
    #[serde(default)]
    pub repository: Option<String>,
    /// Where their documentation lives (crates.io links docs.rs when unset).
    #[serde(default)]
    pub documentation: Option<String>,
    /// What the API is, for the crates' descriptions (`<description> (serde models)`, ...);
    /// `the <api> REST API` when unset.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether `cargo publish` may publish them (`publish = false` in the manifests when false).
    #[serde(default = "default_publish")]
    pub publish: bool,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

fn default_edition() -> String {
    "2021".to_owned()
}

fn default_license() -> String {
    "MIT OR Apache-2.0".to_owned()
}

fn default_publish() -> bool {
    true
}

impl Default for Package {
    fn default() -> Package {
        Package {
            version: default_version(),
            edition: default_edition(),
            license: default_license(),
            repository: None,
            documentation: None,
            description: None,
            publish: default_publish(),
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api: "api".to_owned(),
            types: BTreeMap::new(),
            operations: BTreeMap::new(),
            package: Package::default(),
            regenerate: None,
            crates: BTreeMap::new(),
            conventions: ConventionsConfig::default(),
            derives: BTreeMap::new(),
            replace: BTreeMap::new(),
            field_types: BTreeMap::new(),
            parameter_types: BTreeMap::new(),
            dependencies: BTreeMap::new(),
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

    /// The crates' version (`version` of `[package]`).
    pub fn version(&mut self, version: &str) -> &mut Config {
        version.clone_into(&mut self.package.version);
        self
    }

    /// The crates' Rust edition (`edition` of `[package]`).
    pub fn edition(&mut self, edition: &str) -> &mut Config {
        edition.clone_into(&mut self.package.edition);
        self
    }

    /// The crates' license, an SPDX expression (`license` of `[package]`).
    pub fn license(&mut self, license: &str) -> &mut Config {
        license.clone_into(&mut self.package.license);
        self
    }

    /// Where the crates' source lives (`repository` of `[package]`).
    pub fn repository(&mut self, url: &str) -> &mut Config {
        self.package.repository = Some(url.to_owned());
        self
    }

    /// What the API is, for the crates' descriptions (`description` of `[package]`).
    pub fn description(&mut self, description: &str) -> &mut Config {
        self.package.description = Some(description.to_owned());
        self
    }

    /// Whether `cargo publish` may publish the crates (`publish` of `[package]`).
    pub fn publish(&mut self, publish: bool) -> &mut Config {
        self.package.publish = publish;
        self
    }

    /// The name of the `models`, `client` or `server` crate, or `None` to leave it out
    /// (`[crates]`).
    pub fn crate_name(&mut self, part: &str, name: Option<&str>) -> &mut Config {
        self.crates.insert(part.to_owned(), name.map(str::to_owned));
        self
    }

    /// The command the generated files name as the one that regenerates them (`regenerate`).
    pub fn regenerate(&mut self, command: &str) -> &mut Config {
        self.regenerate = Some(command.to_owned());
        self
    }

    /// How requests authenticate (`auth` of `[conventions]`).
    pub fn auth(&mut self, auth: AuthChoice) -> &mut Config {
        self.conventions.auth = auth;
        self
    }

    /// The base URL the generated documentation's examples connect to (`example-url` of
    /// `[conventions]`).
    pub fn example_url(&mut self, url: &str) -> &mut Config {
        url.clone_into(&mut self.conventions.example_url);
        self
    }

    /// Adds `derives` (Rust paths, such as `Hash` or `utoipa::ToSchema`) to the model type
    /// `type_name`, or to every model type with `*`.
    pub fn derive(&mut self, type_name: &str, derives: &[&str]) -> &mut Config {
        self.derives
            .entry(type_name.to_owned())
            .or_default()
            .extend(derives.iter().map(|derive| (*derive).to_owned()));
        self
    }

    /// Uses the Rust type `path` for the model type `type_name`, which is then not generated:
    /// the models crate says `pub type TypeName = path;`. The type must have the wire shape of
    /// the one it replaces (serde), and the traits the models derive.
    pub fn replace(&mut self, type_name: &str, path: &str) -> &mut Config {
        self.replace.insert(type_name.to_owned(), path.to_owned());
        self
    }

    /// Gives the field `field` (its wire name) of the model type `type_name` the Rust type
    /// `rust_type`, for example `u32` for a count the schema calls a number.
    pub fn field_type(&mut self, type_name: &str, field: &str, rust_type: &str) -> &mut Config {
        self.field_types
            .insert(format!("{type_name}.{field}"), rust_type.to_owned());
        self
    }

    /// Gives the query parameter `name` of `METHOD /path` the Rust type `rust_type` (the
    /// reference types every parameter as a string), for example `u32` for `limit`.
    pub fn parameter_type(&mut self, operation: &str, name: &str, rust_type: &str) -> &mut Config {
        self.parameter_types
            .insert(format!("{operation}?{name}"), rust_type.to_owned());
        self
    }

    /// Adds a dependency to the models crate's manifest: `spec` is its TOML value, for example
    /// `{ path = "../identity" }` (paths relative to the models crate) or `"1"`.
    pub fn dependency(&mut self, name: &str, spec: &str) -> &mut Config {
        self.dependencies.insert(name.to_owned(), spec.to_owned());
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
    #[serde(default)]
    package: Package,
    #[serde(default)]
    regenerate: Option<String>,
    #[serde(default)]
    crates: BTreeMap<String, CrateChoice>,
    #[serde(default)]
    conventions: ConventionsConfig,
    #[serde(default)]
    derives: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default, rename = "field-types")]
    field_types: BTreeMap<String, String>,
    #[serde(default, rename = "parameter-types")]
    parameter_types: BTreeMap<String, String>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

/// What a configuration must hold, whether read from `codegen.toml` or built in code: a usable
/// API name, crate names, `[package]` values cargo accepts, a consistent `[crates]` and error
/// object. (Keys that must match the input are checked when the model is built.)
pub(crate) fn check(config: &Config, diagnostics: &mut Diagnostics) {
    let valid = !config.api.is_empty()
        && config
            .api
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && config
            .api
            .starts_with(|first: char| first.is_ascii_lowercase());
    if !valid {
        diagnostics.error(
            &Location::table_entry(CONFIG_FILE, "top level", "api"),
            format!("api name `{}` is not a valid crate name prefix", config.api),
            "use lowercase letters, digits and `-`, starting with a letter, e.g. `api = \"qumulo\"`",
        );
    }
    check_package(&config.package, diagnostics);
    for (part, choice) in &config.crates {
        let at = Location::table_entry(CONFIG_FILE, "crates", part);
        if !["models", "client", "server"].contains(&part.as_str()) {
            diagnostics.error(
                &at,
                format!("`{part}` is not a crate the generator makes"),
                "the crates are `models`, `client` and `server`",
            );
            continue;
        }
        if let Some(name) = choice {
            let valid = name.starts_with(|first: char| first.is_ascii_lowercase())
                && name.bytes().all(|byte| {
                    byte.is_ascii_lowercase()
                        || byte.is_ascii_digit()
                        || byte == b'-'
                        || byte == b'_'
                });
            if !valid {
                diagnostics.error(
                    &at,
                    format!("`{name}` is not a crate name"),
                    "use lowercase letters, digits, `-` and `_`, starting with a letter",
                );
            }
        }
    }
    if config.crates.get("models") == Some(&None)
        && ["client", "server"]
            .iter()
            .any(|part| config.crates.get(*part) != Some(&None))
    {
        diagnostics.error(
            &Location::table_entry(CONFIG_FILE, "crates", "models"),
            "the client and the server use the models crate, which is left out",
            "generate the models (remove `models = false`), or leave out the client and the server too",
        );
    }
    check_error_fields(&config.conventions, diagnostics);
}

/// The `[package]` values cargo would refuse: a version that is not semver, an unknown edition.
fn check_package(package: &Package, diagnostics: &mut Diagnostics) {
    let numbers: Vec<&str> = package.version.split(['.', '-', '+']).take(3).collect();
    if numbers.len() < 3 || numbers.iter().any(|part| part.parse::<u64>().is_err()) {
        diagnostics.error(
            &Location::table_entry(CONFIG_FILE, "package", "version"),
            format!("version `{}` is not a semver version", package.version),
            "write MAJOR.MINOR.PATCH, e.g. `version = \"0.1.0\"`",
        );
    }
    if !["2015", "2018", "2021", "2024"].contains(&package.edition.as_str()) {
        diagnostics.error(
            &Location::table_entry(CONFIG_FILE, "package", "edition"),
            format!("edition `{}` is not a Rust edition", package.edition),
            "use 2015, 2018, 2021 or 2024",
        );
    }
}

/// The error object's fields: names present and distinct, a role for one field at most, and each
/// role on a field of the kind it needs.
fn check_error_fields(conventions: &ConventionsConfig, diagnostics: &mut Diagnostics) {
    let Some(fields) = &conventions.error_fields else {
        return;
    };
    let at = Location::table_entry(CONFIG_FILE, "conventions", "error-fields");
    let mut names = std::collections::BTreeSet::new();
    let mut roles = Vec::new();
    for field in fields {
        if field.name.is_empty() || !names.insert(field.name.as_str()) {
            diagnostics.error(
                &at,
                format!("error field name `{}` is empty or given twice", field.name),
                "give each field of the error object its own wire name",
            );
        }
        if let Some(role) = field.role {
            if roles.contains(&role) {
                diagnostics.error(
                    &at,
                    format!("two error fields have the role `{}`", role.name()),
                    "give each role to one field",
                );
            }
            roles.push(role);
            let needs = match role {
                ErrorRoleChoice::UserVisible => ErrorFieldKindChoice::Flag,
                _ => ErrorFieldKindChoice::Text,
            };
            if field.kind != needs {
                diagnostics.error(
                    &at,
                    format!(
                        "error field `{}` has the role `{}` but is not a {}",
                        field.name,
                        role.name(),
                        if needs == ErrorFieldKindChoice::Flag {
                            "flag"
                        } else {
                            "text field"
                        }
                    ),
                    "`class`, `message` and `module` are text fields; `user-visible` is a flag",
                );
            }
        }
    }
}

/// Parses `codegen.toml`.
pub fn parse_config(text: &str) -> Result<Config, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let root = Location::root(CONFIG_FILE);
    match toml::from_str::<ConfigFile>(text) {
        Ok(file) => {
            let config = Config {
                api: file.api,
                types: file.types,
                operations: file.operations,
                package: file.package,
                regenerate: file.regenerate,
                crates: file
                    .crates
                    .into_iter()
                    .filter_map(|(part, choice)| match choice {
                        CrateChoice::Emit(true) => None,
                        CrateChoice::Emit(false) => Some((part, None)),
                        CrateChoice::Name(name) => Some((part, Some(name))),
                    })
                    .collect(),
                conventions: file.conventions,
                derives: file.derives,
                replace: file.replace,
                field_types: file.field_types,
                parameter_types: file.parameter_types,
                dependencies: file
                    .dependencies
                    .into_iter()
                    .map(|(name, value)| (name, value.to_string()))
                    .collect(),
            };
            check(&config, &mut diagnostics);
            diagnostics.finish(config)
        }
        Err(error) => {
            let at = match error.span() {
                Some(span) => Location::at_byte(CONFIG_FILE, text.as_bytes(), span.start),
                None => root,
            };
            let message = format!("invalid configuration: {}", error.message());
            let hint =
                "see the configuration section of README.md: `api`, `regenerate`, `[package]`, `[crates]`, `[conventions]`, `[types]`, `[operations]`, `[derives]`, `[replace]`, `[field-types]`, `[parameter-types]`, `[dependencies]`";
            diagnostics.error(&at, message, hint);
            diagnostics.finish(Config::default())
        }
    }
}
